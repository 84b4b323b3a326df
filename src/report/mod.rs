//! Reports: pure functions of (plan, ledger, as-of) that produce rows, plus the views that
//! turn those rows into documents and JSON. No I/O, no clock.

pub mod listing;
pub mod show;
