//! Reports: pure functions of the plan and the judged ledger snapshot ([`crate::judge::Judged`])
//! that return rows. No SQL, no clock, no rendering: [`crate::view`] turns the rows into
//! documents and JSON.

pub mod assess;
pub mod audit;
pub mod by_department;
pub mod by_target;
pub mod monthly;
pub mod overdue;
pub mod remind;
pub mod show;
