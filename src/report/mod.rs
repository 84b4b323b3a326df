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

/// The number of items from which a report's work for each unit (`assess`'s scores,
/// `remind`'s notices) is shared with a second core, every other unit on it
/// ([`crate::doc::in_order`], which keeps the plan's order of units).
const BY_UNIT_ON_TWO_CORES: usize = 10_000;
