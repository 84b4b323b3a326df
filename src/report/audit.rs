//! The audit of the ledger's rows that `check` prints: every row must be one that `update`
//! could have written. A row that could never have been written is an error; a row that fitted
//! the plan it was recorded against but not today's plan (a legitimate plan edit since) is a
//! warning naming that plan version. Each finding names the entry.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use chrono::DateTime;

use crate::i18n::Message;
use crate::model::{Item, Plan, Status, StoredRow, UnitId, parse_date};

/// How many rows name each id that no item of the plan answers to, by id: `check`'s orphan
/// warnings, one per id.
pub type Orphans = BTreeMap<String, i64>;

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub entry: i64,
    pub error: bool,
    pub message: Message,
}

/// The audit of rows against one plan version (`fingerprint`, today's). The ledger is
/// audited a row at a time, as it is read.
pub struct Audit<'p> {
    plan: &'p Plan,
    fingerprint: &'p str,
    /// What a row must fit, by the item's position in the plan.
    fits: Vec<Fit>,
    /// The units that may report on each item, by their place in the plan's units: the
    /// ranges of [`Fit::reporters`].
    reporters: Vec<u32>,
    /// Each unit's place in the plan's units, by its id.
    units: HashMap<&'p str, u32>,
    supervisor: Option<u32>,
}

/// What a row must fit of one item. Read once for every item, in plan order, so that
/// auditing a row touches this and not the item, which is somewhere else in memory for each
/// row (a quarter of `check`'s time at 500,000 entries).
struct Fit {
    takes_value: bool,
    /// The bounds of a value, infinite where there is none.
    min: f64,
    max: f64,
    /// The units besides the supervisor that may report ([`Plan::may_report`]).
    reporters: Range<u32>,
}

impl<'p> Audit<'p> {
    pub fn new(plan: &'p Plan, fingerprint: &'p str) -> Audit<'p> {
        let units: HashMap<&str, u32> = (0u32..)
            .zip(&plan.units)
            .map(|(i, u)| (u.id.as_str(), i))
            .collect();
        let place = |id: &UnitId| units.get(id.as_str()).copied();
        let mut reporters = Vec::new();
        let fits = plan
            .items()
            .map(|item| {
                let start = reporters.len() as u32;
                let responsible = item.units().iter().filter_map(place);
                let alone = responsible.filter(|&i| plan.units[i as usize].members.is_empty());
                reporters.extend(alone);
                reporters.extend(plan.members(item).iter().filter_map(place));
                let (min, max) = match item {
                    Item::Target(t) => t.bounds(),
                    _ => (None, None),
                };
                Fit {
                    takes_value: matches!(item, Item::Target(_)),
                    min: min.unwrap_or(f64::NEG_INFINITY),
                    max: max.unwrap_or(f64::INFINITY),
                    reporters: start..reporters.len() as u32,
                }
            })
            .collect();
        let supervisor = plan.meta.supervisor.as_ref().and_then(place);
        Audit {
            plan,
            fingerprint,
            fits,
            reporters,
            units,
            supervisor,
        }
    }

    /// The findings about one row; a row whose id no item answers to is counted in
    /// `orphans` instead.
    pub fn row(&self, row: &StoredRow, orphans: &mut Orphans) -> Vec<Finding> {
        let error = |message: Message| Finding {
            entry: row.id,
            error: true,
            message,
        };
        let found = row.item.as_deref().map(|id| (id, self.plan.locate(id)));
        if let Some((id, None)) = found {
            match orphans.get_mut(id) {
                Some(n) => *n += 1,
                None => {
                    orphans.insert(id.to_string(), 1);
                }
            }
        }
        let never = impossible(row);
        if !never.is_empty() {
            return never.into_iter().map(error).collect();
        }
        let Some((_, Some((pos, item)))) = found else {
            return Vec::new();
        };
        let same_plan = row.plan_fingerprint.as_deref() == Some(self.fingerprint);
        self.misfits(pos, item, row)
            .into_iter()
            .map(|problem| {
                if same_plan {
                    let refused = Message::new("{problem}, which update refuses");
                    return error(refused.with_message("problem", problem));
                }
                let version = row.plan_fingerprint.as_deref().unwrap_or("unknown");
                let short = version.get(..12).unwrap_or(version);
                Finding {
                    entry: row.id,
                    error: false,
                    message: Message::new(
                        "{problem} in today's plan (recorded against plan version {short})",
                    )
                    .with_message("problem", problem)
                    .with("short", short),
                }
            })
            .collect()
    }

    /// How a well-formed row does not fit `item`, at `pos` in this plan.
    fn misfits(&self, pos: usize, item: Item, row: &StoredRow) -> Vec<Message> {
        let mut out = Vec::new();
        let fit = &self.fits[pos];
        let id = || item.id();
        match (fit.takes_value, &row.value) {
            (true, Some(Ok(v))) if *v < fit.min || *v > fit.max => {
                let outside = Message::new("its value {v} is outside what {id} allows");
                out.push(outside.with("v", v).with("id", id()));
            }
            (true, Some(Ok(_))) => {}
            (true, _) => {
                out.push(Message::new("it has a status, but {id} takes a value").with("id", id()))
            }
            (false, Some(_)) => {
                out.push(Message::new("it has a value, but {id} takes a status").with("id", id()))
            }
            (false, None) => {}
        }
        if let Some(unit) = row.unit.as_deref() {
            match self.units.get(unit) {
                None => {
                    out.push(Message::new("its unit {unit} is not in the plan").with("unit", unit))
                }
                Some(&u) if !self.may_report(u, fit) => out.push(
                    Message::new("its unit {unit} is not responsible for {id}")
                        .with("unit", unit)
                        .with("id", id()),
                ),
                Some(_) => {}
            }
        }
        out
    }

    /// [`Plan::may_report`], from the table.
    fn may_report(&self, unit: u32, fit: &Fit) -> bool {
        let reporters = &self.reporters[fit.reporters.start as usize..fit.reporters.end as usize];
        self.supervisor == Some(unit) || reporters.contains(&unit)
    }
}

/// What no plan could explain: a row `update` can never write.
fn impossible(row: &StoredRow) -> Vec<Message> {
    let mut out = Vec::new();
    if row.item.as_deref().is_none_or(str::is_empty) {
        out.push(Message::new("has no item id"));
    }
    let date = row.report_date.as_deref().unwrap_or_default();
    let day = parse_date(date);
    if day.is_none() {
        let quoted = format!("{date:?}");
        out.push(Message::new("its report date {date} is not a date").with("date", quoted));
    }
    let recorded = row.recorded_at.as_deref().unwrap_or_default();
    match DateTime::parse_from_rfc3339(recorded) {
        Err(_) => out.push(
            Message::new("its recording time {recorded} is not a time")
                .with("recorded", format!("{recorded:?}")),
        ),
        Ok(at) if day.is_some_and(|d| d > at.date_naive()) => out.push(
            Message::new("it reports on {date}, after it was recorded ({recorded})")
                .with("date", date)
                .with("recorded", recorded),
        ),
        Ok(_) => {}
    }
    match (&row.status, &row.value) {
        (Some(s), None) if Status::parse(s).is_none() => out.push(
            Message::new("its status {s} is not one plantrack knows").with("s", format!("{s:?}")),
        ),
        (None, Some(Err(text))) => out.push(
            Message::new("its value {text} is not a number").with("text", format!("{text:?}")),
        ),
        (None, Some(Ok(v))) if !v.is_finite() => {
            out.push(Message::new("its value {v} is not finite").with("v", v))
        }
        (Some(_), Some(_)) | (None, None) => out.push(Message::new(
            "it has both or neither of a status and a value",
        )),
        _ => {}
    }
    if row.unit.as_deref().is_none_or(str::is_empty) {
        out.push(Message::new("it names no reporting unit"));
    }
    if row.supersedes.is_some_and(|s| s < 1 || s >= row.id) {
        out.push(
            Message::new("it supersedes #{n}, which is not an earlier entry")
                .with("n", row.supersedes.unwrap_or_default()),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// The table answers as the plan does, for every item and unit of every example plan
    /// (the districts plan has a group with members and a supervisor).
    #[test]
    fn the_table_answers_as_the_plan_does() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for name in [
            "examples/plans/districts.toml",
            "examples/plans/judging.toml",
            "plan/regional.toml",
        ] {
            let path = root.join(name);
            let text = std::fs::read(&path).unwrap();
            let plan = match crate::plan::load_bytes(name, &text, &path, None) {
                Ok(loaded) => loaded.plan,
                Err(e) => panic!("{e}"),
            };
            let audit = Audit::new(&plan, "today");
            let mut allowed = 0;
            for (pos, item) in plan.items().enumerate() {
                let fit = &audit.fits[pos];
                assert_eq!(fit.takes_value, matches!(item, Item::Target(_)));
                if let Item::Target(t) = item {
                    let (min, max) = t.bounds();
                    assert_eq!(
                        (fit.min, fit.max),
                        (
                            min.unwrap_or(f64::NEG_INFINITY),
                            max.unwrap_or(f64::INFINITY)
                        )
                    );
                }
                for unit in &plan.units {
                    let place = audit.units[unit.id.as_str()];
                    let may = plan.may_report(unit, item);
                    assert_eq!(
                        audit.may_report(place, fit),
                        may,
                        "{name}: {} {}",
                        unit.id,
                        item.id()
                    );
                    allowed += usize::from(may);
                }
            }
            assert!(allowed > plan.len(), "{name}: {allowed} pairs");
        }
    }

    fn row() -> StoredRow {
        StoredRow {
            id: 3,
            item: Some("T-toilet".into()),
            report_date: Some("2020-12-20".into()),
            value: Some(Ok(92.0)),
            unit: Some("agri".into()),
            recorded_at: Some("2020-12-21T09:00:00+08:00".into()),
            plan_fingerprint: Some("v1".into()),
            ..StoredRow::default()
        }
    }

    #[test]
    fn what_update_never_writes_is_named() {
        let cases = [
            (
                StoredRow {
                    status: Some("bogus".into()),
                    value: None,
                    ..row()
                },
                "status \"bogus\"",
            ),
            (
                StoredRow {
                    report_date: Some("2020-12-22".into()),
                    ..row()
                },
                "after it was recorded",
            ),
            (
                StoredRow {
                    value: Some(Err("lots".into())),
                    ..row()
                },
                "\"lots\" is not a number",
            ),
            (
                StoredRow {
                    supersedes: Some(3),
                    ..row()
                },
                "not an earlier entry",
            ),
        ];
        for (bad, says) in cases {
            let found = impossible(&bad);
            assert!(
                found.iter().any(|m| m.to_string().contains(says)),
                "{found:?}"
            );
        }
        assert!(impossible(&row()).is_empty());
    }
}
