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
