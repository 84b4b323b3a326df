//! One file per subcommand: each loads what it needs, computes, and prints.

pub mod check;
pub mod list;
pub mod show;
