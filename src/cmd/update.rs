//! `plantrack update`: record one progress update. Everything is checked against the plan
//! before the ledger is touched, and the entry is written in one transaction, so bad input
//! leaves the database byte-for-byte as it was.

use anyhow::Result;
use chrono::NaiveDate;

use super::{Ctx, Outcome, UsageError, out, usage};
use super::{item_arg, unit_arg};
use crate::cli::UpdateArgs;
use crate::doc::is_hostile;
use crate::i18n::Lang;
use crate::input::{parse_date, parse_value};
use crate::judge::reading_text;
use crate::model::{Entry, NewEntry, Reading};
use crate::model::{Item, Plan, Status, UnitId};
use crate::plan::Loaded;
use crate::prompt;
use crate::store::Store;
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
    let loaded = ctx.load_plan()?;
    let plan = &loaded.plan;
    let mut args = args.clone();
    // A correction names the entry it corrects; the item and date default to that entry's.
    let corrected = match args.supersedes {
        Some(n) => Some(corrected_entry(ctx, &loaded, n)?),
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
        eprintln!("{warning}");
    }
    if let Some(old) = &corrected
        && plan.item(&old.item).map(|i| i.id()) != Some(draft.item.id())
    {
        return usage(format!(
            "entry #{} is about {}, not {}; a correction must be about the same item",
            old.id,
            old.item,
            draft.item.id()
        ));
    }
    let summary = describe(plan, &draft, ctx.lang);
    if ctx.interactive && !args.yes && !prompt::confirm(&summary, ctx.lang)? {
        out(&format!("{}\n", ctx.lang.t("nothing recorded")))?;
        return Ok(Outcome::Ok);
    }
    let mut store = ctx.open_store(&loaded)?;
    let id = store.append(&NewEntry {
        item: draft.item.id().as_str(),
        date: draft.date,
        reading: draft.reading,
        note: &draft.note,
        unit: Some(draft.by.as_str()),
        recorded_at: &ctx.now,
        supersedes: draft.supersedes,
        plan_fingerprint: &loaded.fingerprint,
    })?;
    let recorded = ctx.lang.fill("recorded #{n}", &[("n", id.to_string())]);
    out(&format!("{recorded}: {summary}\n"))?;
    Ok(Outcome::Ok)
}

/// The entry a correction supersedes; it must exist in the ledger.
fn corrected_entry(ctx: &Ctx, loaded: &Loaded, n: i64) -> Result<Entry> {
    let path = ctx.db_path(loaded);
    if !path.exists() {
        return usage(format!(
            "--supersedes {n}: the ledger {} does not exist yet, so there is nothing to correct; \
             record the update without --supersedes",
            path.display()
        ));
    }
    let store = Store::open(&path)?;
    match store.entry(n)? {
        Some(Entry {
            superseded_by: Some(newer),
            ..
        }) => usage(format!(
            "entry #{n} is already superseded by #{newer}; supersede that one instead"
        )),
        Some(e) => Ok(e),
        None => usage(format!(
            "--supersedes {n}: there is no entry #{n} in the ledger; `plantrack history` lists the entries"
        )),
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
            Reading::Value(parse_value(t, v).map_err(|e| UsageError(format!("--value {e}")))?)
        }
        (Item::Target(t), None, None) => {
            return usage(format!(
                "no value for {}: pass --value V (in {}); a prompt asks for it only in a terminal",
                t.id, t.unit
            ));
        }
        (Item::Target(t), _, _) => {
            return usage(format!(
                "{} is a numeric target: pass --value V (in {}), not --status",
                t.id, t.unit
            ));
        }
        (_, None, Some(s)) => match Status::parse(s) {
            Some(status) => Reading::Status(status),
            None => {
                let names = Status::ALL.iter().map(|s| s.as_str());
                return usage(format!(
                    "unknown status \"{s}\"{}; expected one of: {}",
                    suggest::hint(s, names),
                    Status::choices()
                ));
            }
        },
        (_, None, None) => {
            return usage(format!(
                "no status for {} {}: pass --status ({}); a prompt asks for it only in a terminal",
                item.kind(),
                item.id(),
                Status::choices()
            ));
        }
        (_, _, _) => {
            return usage(format!(
                "{} {} is tracked by status: pass --status ({}), not --value",
                item.kind(),
                item.id(),
                Status::choices()
            ));
        }
    };
    let date = match &args.date {
        None => as_of.min(today),
        Some(d) => {
            parse_date(plan, d, as_of, today).map_err(|e| UsageError(format!("--date {e}")))?
        }
    };
    let by = match &args.by {
        Some(key) => {
            let unit = unit_arg(plan, key)?;
            if !plan.may_report(&unit.id, item) {
                return usage(format!(
                    "{} ({}) is not responsible for {}; its units are: {}",
                    unit.name,
                    unit.id,
                    item.id(),
                    id_list(item.units())
                ));
            }
            unit.id.clone()
        }
        None => match item.units() {
            [only] => only.clone(),
            many => {
                return usage(format!(
                    "--by is required: {} has {} responsible units ({})",
                    item.id(),
                    many.len(),
                    id_list(many)
                ));
            }
        },
    };
    let note = args.note.clone().unwrap_or_default();
    if let Some(c) = note.chars().find(|c| is_hostile(*c)) {
        return usage(format!(
            "--note holds a control character ({}); a note is plain text, with line breaks and tabs at most",
            c.escape_unicode()
        ));
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

fn id_list(units: &[UnitId]) -> String {
    let ids: Vec<&str> = units.iter().map(UnitId::as_str).collect();
    ids.join(", ")
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
