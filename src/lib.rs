//! plantrack tracks how a government work plan (工作方案) is carried out.
//!
//! The plan is a TOML file ([`plan`]) validated into a trusted [`model::Plan`]. Progress is an
//! append-only SQLite ledger ([`store`]). Reports ([`report`]) are pure functions of the plan,
//! the ledger and an as-of date; renderers ([`render`]) turn their rows into tables, Markdown,
//! CSV, JSON, HTML or XLSX. The command line ([`cli`], [`app`]) wires them together.

pub mod app;
pub mod cli;
pub mod cmd;
pub mod git;
pub mod i18n;
pub mod model;
pub mod plan;
pub mod prompt;
pub mod render;
pub mod report;
pub mod store;
pub mod suggest;
