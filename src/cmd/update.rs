//! `plantrack update`: record one progress update. Everything is checked against the plan
//! before the ledger is touched, and the entry is written in one transaction, so bad input
//! leaves the database byte-for-byte as it was.

use anyhow::Result;
use chrono::NaiveDate;

use super::{Ctx, Outcome, UsageError, out, usage};
use super::{item_arg, unit_arg};
use crate::cli::UpdateArgs;
use crate::doc::is_hostile;
use crate::i18n::{Lang, Message};
use crate::input::{parse_date, parse_value};
use crate::judge::reading_text;
use crate::model::{Entry, NewEntry, Reading};
use crate::model::{Item, Plan, Status, UnitId};
use crate::plan::Loaded;
use crate::prompt;
use crate::store::{Scan, Store, StoreError};
use crate::suggest;

/// An update that passed every check against the plan.
struct Draft<'p> {
    item: Item<'p>,
    reading: Reading,
    date: NaiveDate,
    note: String,
    by: UnitId,
    supersedes: Option<i64>,
}

pub fn run(ctx: &Ctx, args: &UpdateArgs) -> Result<Outcome> {
    // Everything `update` checks is about the one item it records, unless a prompt is to
    // offer the plan's items: at province scale, reading one item is what keeps it instant.
    let loaded = match args.id.as_deref() {
        Some(id) if !ctx.interactive => ctx.load_plan_for(id)?,
        _ => ctx.load_plan()?,
    };
    let plan = &loaded.plan;
    let mut args = args.clone();
    // A correction names the entry it corrects; the item and date default to that entry's.
    let corrected = match args.supersedes {
        Some(n) => Some(corrected_entry(ctx, loaded, n)?),
        None => None,
    };
    if let Some(old) = &corrected {
        args.id.get_or_insert_with(|| old.item.clone());
        args.date.get_or_insert_with(|| old.date.to_string());
    }
    if ctx.interactive {
        match prompt::complete(plan, args, ctx.as_of, ctx.today, ctx.lang)? {
            Some(completed) => args = completed,
            None => {
                out(&format!("{}\n", ctx.lang.t("nothing recorded")))?;
                return Ok(Outcome::Ok);
            }
        }
    }
    let draft = check(plan, &args, ctx.as_of, ctx.today)?;
    if draft.date < plan.meta.issued {
        let warning = ctx.lang.fill(
            "warning: {date} is before the plan's issue date {issued}, which the plan only infers; recorded as given",
            &[
                ("date", draft.date.to_string()),
                ("issued", plan.meta.issued.to_string()),
            ],
        );
        crate::errln!("{warning}");
    }
    if let Some(old) = &corrected
        && plan.item(&old.item).map(|i| i.id()) != Some(draft.item.id())
    {
        return usage(
            Message::new(
                "entry #{n} is about {old}, not {id}; a correction must be about the same item",
            )
            .with("n", old.id)
            .with("old", &old.item)
            .with("id", draft.item.id()),
        );
    }
    let summary = describe(plan, &draft, ctx.lang);
    // The same reading, date and unit as the item's latest entry: most likely entered twice.
    let twin = match (&args.allow_duplicate, draft.supersedes) {
        (false, None) => latest_twin(ctx, loaded, &draft)?,
        _ => None,
    };
    if let Some(n) = twin {
        let same = Message::new(
            "this is the same as entry #{n} (same reading, date and unit); pass --allow-duplicate to record it again",
        )
        .with("n", n);
        if !ctx.interactive {
            return usage(same);
        }
        crate::errln!("{}", same.text(ctx.lang));
    }
    let ask = ctx.interactive && (!args.yes || twin.is_some());
    if ask && !prompt::confirm(&summary, ctx.lang)? {
        out(&format!("{}\n", ctx.lang.t("nothing recorded")))?;
        return Ok(Outcome::Ok);
    }
    let mut store = ctx.open_store(loaded)?;
    let id = store.append(&NewEntry {
        item: draft.item.id().as_str(),
        date: draft.date,
        reading: draft.reading,
        note: &draft.note,
        unit: Some(draft.by.as_str()),
        recorded_at: &ctx.now,
        supersedes: draft.supersedes,
        plan_fingerprint: &loaded.fingerprint,
    });
    // Another writer may have corrected the same entry since it was checked: that is the
    // user's to resolve, like any other refused input.
    let id = match id {
        Err(StoreError::AlreadySuperseded { old, newer }) => {
            return usage(
                Message::new(
                    "entry #{n} is already superseded by #{newer}; supersede that one instead",
                )
                .with("n", old)
                .with("newer", newer),
            );
        }
        other => other?,
    };
    let recorded = ctx.lang.fill("recorded #{n}", &[("n", id.to_string())]);
    out(&format!("{recorded}: {summary}\n"))?;
    Ok(Outcome::Ok)
}

/// The number of the item's latest live entry when the draft repeats it exactly.
fn latest_twin(ctx: &Ctx, loaded: &Loaded, d: &Draft) -> Result<Option<i64>> {
    let Some(store) = ctx.read_store(loaded)? else {
        return Ok(None);
    };
    let ids = d.item.all_ids();
    let scan = Scan {
        ids: Some(&ids),
        live_only: true,
        ..Scan::default()
    };
    let latest = store.entries(&scan)?.into_iter().max_by_key(Entry::order);
    Ok(latest
        .filter(|e| {
            e.reading == d.reading && e.date == d.date && e.unit.as_deref() == Some(d.by.as_str())
        })
        .map(|e| e.id))
}

/// The entry a correction supersedes; it must exist in the ledger.
fn corrected_entry(ctx: &Ctx, loaded: &Loaded, n: i64) -> Result<Entry> {
    let path = ctx.db_path(loaded);
    if !path.exists() {
        return usage(
            Message::new(
                "--supersedes {n}: the ledger {path} does not exist yet, so there is nothing to \
                 correct; record the update without --supersedes",
            )
            .with("n", n)
            .with("path", path.display()),
        );
    }
    let store = Store::open(&path)?;
    match store.entry(n)? {
        Some(Entry {
            superseded_by: Some(newer),
            ..
        }) => usage(
            Message::new(
                "entry #{n} is already superseded by #{newer}; supersede that one instead",
            )
            .with("n", n)
            .with("newer", newer),
        ),
        Some(e) => Ok(e),
        None => usage(
            Message::new(
                "--supersedes {n}: there is no entry #{n} in the ledger; `plantrack history` lists \
                 the entries",
            )
            .with("n", n),
        ),
    }
}

fn check<'p>(
    plan: &'p Plan,
    args: &UpdateArgs,
    as_of: NaiveDate,
    today: NaiveDate,
) -> Result<Draft<'p>> {
    let Some(id) = args.id.as_deref() else {
        return usage(
            "which item? pass its id (plantrack list targets), or run in a terminal to pick one",
        );
    };
    let item = item_arg(plan, id)?;
    let reading = match (item, &args.value, &args.status) {
        (Item::Target(t), Some(v), None) => {
            let v = parse_value(t, v)
                .map_err(|e| UsageError(Message::new("--value {e}").with_message("e", e)))?;
            Reading::Value(v)
        }
        (Item::Target(t), None, None) => {
            return usage(
                Message::new(
                    "no value for {id}: pass --value V (in {unit}); a prompt asks for it only in a terminal",
                )
                .with("id", &t.id)
                .with("unit", &t.unit),
            );
        }
        (Item::Target(t), _, _) => {
            return usage(
                Message::new("{id} is a numeric target: pass --value V (in {unit}), not --status")
                    .with("id", &t.id)
                    .with("unit", &t.unit),
            );
        }
        (_, None, Some(s)) => match status_as_typed(s) {
            Some(status) => Reading::Status(status),
            None => {
                let names = Status::ALL.iter().map(|s| s.as_str());
                return usage(
                    Message::new("unknown status \"{s}\"{hint}; expected one of: {choices}")
                        .with_input("s", s)
                        .with_message("hint", suggest::hint(s, names))
                        .with("choices", Status::choices()),
                );
            }
        },
        (_, None, None) => {
            return usage(
                Message::new(
                    "no status for {kind} {id}: pass --status ({choices}); a prompt asks for it only in a terminal",
                )
                .with_message("kind", Message::new(item.kind().as_str()))
                .with("id", item.id())
                .with("choices", Status::choices()),
            );
        }
        (_, _, _) => {
            return usage(
                Message::new(
                    "{kind} {id} is tracked by status: pass --status ({choices}), not --value",
                )
                .with_message("kind", Message::new(item.kind().as_str()))
                .with("id", item.id())
                .with("choices", Status::choices()),
            );
        }
    };
    let date = match &args.date {
        None => as_of.min(today),
        Some(d) => parse_date(plan, d, as_of, today)
            .map_err(|e| UsageError(Message::new("--date {e}").with_message("e", e)))?,
    };
    let by = match &args.by {
        Some(key) => {
            let unit = unit_arg(plan, key)?;
            if !unit.members.is_empty() && item.units().contains(&unit.id) {
                return usage(
                    Message::new(
                        "{name} ({unit}) is a group whose members report for themselves: pass --by one of {members}",
                    )
                    .with("name", &unit.name)
                    .with("unit", &unit.id)
                    .with("members", id_list(plan, &unit.members)),
                );
            }
            if !plan.may_report(unit, item) {
                return usage(
                    Message::new(
                        "{name} ({unit}) is not responsible for {id}; its units are: {units}",
                    )
                    .with("name", &unit.name)
                    .with("unit", &unit.id)
                    .with("id", item.id())
                    .with("units", id_list(plan, item.units())),
                );
            }
            unit.id.clone()
        }
        None => match item.units() {
            [only] if !plan.has_members(only) => only.clone(),
            many => {
                return usage(
                    Message::new("--by is required: {id} has {n} responsible units ({units})")
                        .with("id", item.id())
                        .with("n", many.len())
                        .with("units", id_list(plan, many)),
                );
            }
        },
    };
    let note = args.note.clone().unwrap_or_default();
    if let Some(c) = note.chars().find(|c| is_hostile(*c)) {
        return usage(
            Message::new(
                "--note holds a control character ({c}); a note is plain text, with line breaks and tabs at most",
            )
            .with("c", c.escape_unicode()),
        );
    }
    Ok(Draft {
        item,
        reading,
        date,
        note,
        by,
        supersedes: args.supersedes,
    })
}

/// Units as `市农业农村局 (agri), 市妇联 (women)`: the name to read, the id to type.
fn id_list(plan: &Plan, units: &[UnitId]) -> String {
    let named: Vec<String> = units
        .iter()
        .map(|u| format!("{} ({u})", plan.unit_name(u)))
        .collect();
    named.join(", ")
}

/// The update in one line, as the confirmation and the receipt show it (always in English,
/// like every message of `update`).
fn describe(plan: &Plan, d: &Draft, lang: Lang) -> String {
    let mut s = lang.fill(
        "{item} = {reading} on {date} by {unit} ({name})",
        &[
            ("item", d.item.id().to_string()),
            (
                "reading",
                reading_text(d.reading, d.item.value_unit(), lang),
            ),
            ("date", d.date.to_string()),
            ("unit", d.by.to_string()),
            ("name", plan.unit_name(&d.by).to_string()),
        ],
    );
    if let Some(n) = d.supersedes {
        s.push_str(&lang.fill(", superseding #{n}", &[("n", n.to_string())]));
    }
    if !d.note.is_empty() {
        s.push_str(&format!(": {}", d.note));
    }
    s
}

/// A status as typed: its code, or its words in either language (`已完成`, `done`).
fn status_as_typed(text: &str) -> Option<Status> {
    let t = text.trim();
    Status::parse(t).or_else(|| {
        Status::ALL
            .iter()
            .copied()
            .find(|s| Lang::Zh.t(s.as_str()) == t || Lang::En.t(s.as_str()) == t)
    })
}
