//! Reports: pure functions of (plan, ledger facts, as-of) that produce rows, plus the views
//! that turn those rows into documents and JSON. No SQL, no clock.

pub mod assess;
pub mod by_department;
pub mod by_target;
pub mod facts;
pub mod history;
pub mod judge;
pub mod listing;
pub mod monthly;
pub mod overdue;
pub mod plan_diff;
pub mod remind;
pub mod show;

use serde::Serialize;
use serde_json::Value;

/// A row as its JSON object, with `extra` keys added or replacing the row's own. A row
/// serializes what it holds as data; what exists only in words for a reader (a reason in the
/// reader's language, a `type` tag) is added here.
fn json_row<const N: usize>(row: &impl Serialize, extra: [(&str, Value); N]) -> Value {
    // Rows are structs of plain fields, which always serialize.
    let mut v = serde_json::to_value(row).unwrap_or(Value::Null);
    for (key, value) in extra {
        v[key] = value;
    }
    v
}
