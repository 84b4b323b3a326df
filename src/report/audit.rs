//! The audit of the ledger's rows that `check` prints: every row must be one that `update`
//! could have written. A row that could never have been written is an error; a row that fitted
//! the plan it was recorded against but not today's plan (a legitimate plan edit since) is a
//! warning naming that plan version. Each finding names the entry.

use chrono::DateTime;

use crate::model::{Item, Plan, Status, StoredRow, parse_date};

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub entry: i64,
    pub error: bool,
    pub message: String,
}

/// The findings about one row; `fingerprint` is today's plan version. The ledger is audited a
/// row at a time, as it is read.
pub fn audit_row(plan: &Plan, fingerprint: &str, row: &StoredRow) -> Vec<Finding> {
    let error = |message: String| Finding {
        entry: row.id,
        error: true,
        message,
    };
    let never = impossible(row);
    if !never.is_empty() {
        return never.into_iter().map(error).collect();
    }
    // Unknown ids are `check`'s orphan warnings, with their own hint.
    let Some(item) = row.item.as_deref().and_then(|i| plan.item(i)) else {
        return Vec::new();
    };
    let same_plan = row.plan_fingerprint.as_deref() == Some(fingerprint);
    misfits(plan, item, row)
        .into_iter()
        .map(|problem| {
            if same_plan {
                return error(format!("{problem}, which update refuses"));
            }
            let version = row.plan_fingerprint.as_deref().unwrap_or("unknown");
            let short = version.get(..12).unwrap_or(version);
            Finding {
                entry: row.id,
                error: false,
                message: format!(
                    "{problem} in today's plan (recorded against plan version {short})"
                ),
            }
        })
        .collect()
}

/// What no plan could explain: a row `update` can never write.
fn impossible(row: &StoredRow) -> Vec<String> {
    let mut out = Vec::new();
    if row.item.as_deref().is_none_or(str::is_empty) {
        out.push("has no item id".to_string());
    }
    let date = row.report_date.as_deref().unwrap_or_default();
    let day = parse_date(date);
    if day.is_none() {
        out.push(format!("its report date {date:?} is not a date"));
    }
    let recorded = row.recorded_at.as_deref().unwrap_or_default();
    match DateTime::parse_from_rfc3339(recorded) {
        Err(_) => out.push(format!("its recording time {recorded:?} is not a time")),
        Ok(at) if day.is_some_and(|d| d > at.date_naive()) => out.push(format!(
            "it reports on {date}, after it was recorded ({recorded})"
        )),
        Ok(_) => {}
    }
    match (&row.status, &row.value) {
        (Some(s), None) if Status::parse(s).is_none() => {
            out.push(format!("its status {s:?} is not one plantrack knows"))
        }
        (None, Some(Err(text))) => out.push(format!("its value {text:?} is not a number")),
        (None, Some(Ok(v))) if !v.is_finite() => out.push(format!("its value {v} is not finite")),
        (Some(_), Some(_)) | (None, None) => {
            out.push("it has both or neither of a status and a value".to_string())
        }
        _ => {}
    }
    if row.unit.as_deref().is_none_or(str::is_empty) {
        out.push("it names no reporting unit".to_string());
    }
    if row.supersedes.is_some_and(|s| s < 1 || s >= row.id) {
        out.push(format!(
            "it supersedes #{}, which is not an earlier entry",
            row.supersedes.unwrap_or_default()
        ));
    }
    out
}

/// How a well-formed row does not fit `item` in this plan.
fn misfits(plan: &Plan, item: Item, row: &StoredRow) -> Vec<String> {
    let mut out = Vec::new();
    let id = item.id();
    match (item, &row.value) {
        (Item::Target(t), Some(Ok(v))) => {
            let (min, max) = t.bounds();
            if min.is_some_and(|lo| *v < lo) || max.is_some_and(|hi| *v > hi) {
                out.push(format!("its value {v} is outside what {id} allows"));
            }
        }
        (Item::Target(_), _) => out.push(format!("it has a status, but {id} takes a value")),
        (_, Some(_)) => out.push(format!("it has a value, but {id} takes a status")),
        _ => {}
    }
    if let Some(unit) = row.unit.as_deref() {
        match plan.unit(unit) {
            None => out.push(format!("its unit {unit} is not in the plan")),
            Some(u) if !plan.may_report(u, item) => {
                out.push(format!("its unit {unit} is not responsible for {id}"))
            }
            Some(_) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
            assert!(found.iter().any(|m| m.contains(says)), "{found:?}");
        }
        assert!(impossible(&row()).is_empty());
    }
}
