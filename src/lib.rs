//! plantrack tracks how a government work plan (工作方案) is carried out.
//!
//! The layers, each using only those listed before it:
//!
//! - [`model`]: the plan, its items and units, and the ledger's entries and [`model::Snapshot`];
//! - [`plan`]: reading a TOML plan into a validated [`model::Plan`]; [`revision`]: comparing
//!   plan versions, and reading them from git;
//! - [`store`]: the append-only SQLite ledger, read as a snapshot or a stream of entries;
//! - [`judge`]: the rules that give every item a standing and a light;
//! - [`report`]: pure functions of the plan and the judged snapshot that return rows;
//! - [`doc`], [`view`], [`render`]: a neutral document model, each report's document and
//!   JSON, and the renderers that draw a document as a table, Markdown, CSV, HTML or XLSX;
//! - [`cli`], [`cmd`], [`app`]: the command line, one module per command, and the wiring
//!   that reads the environment and the clock once.
//!
//! Beside them, used by any layer: [`join`] (two pieces of work on two cores), [`files`] and
//! [`memory`] (when freed memory goes back to the system).

/// `eprintln!` that never panics: with stderr closed (`2>&-`), a failed `check` must still
/// exit 1, not with a panic's 101.
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// Runs `here` on this thread and `there` on another at once, as two cores allow: two halves
/// of a plan, two scans of the ledger, two renderings. A panic on the other thread is a panic
/// here.
pub fn join<A, B: Send>(here: impl FnOnce() -> A, there: impl FnOnce() -> B + Send) -> (A, B) {
    std::thread::scope(|s| {
        let other = s.spawn(there);
        let a = here();
        let b = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (a, b)
    })
}

pub mod app;
pub mod cli;
pub mod cmd;
pub mod doc;
pub mod files;
pub mod halves;
pub mod help;
pub mod i18n;
pub mod input;
pub mod judge;
pub mod memory;
pub mod model;
pub mod plan;
pub mod prompt;
pub mod render;
pub mod report;
pub mod revision;
pub mod store;
pub mod suggest;
pub mod view;

/// What the unit tests share.
#[cfg(test)]
mod testing {
    use proptest::test_runner::{Config, FileFailurePersistence};

    /// A property test's settings: `cases` cases, and the failures it finds kept under
    /// `tests/proptest-regressions/` (mirroring `src/`), to be tried first on every later run.
    pub fn proptest_config(cases: u32) -> Config {
        let kept = FileFailurePersistence::SourceParallel("tests/proptest-regressions");
        Config {
            cases,
            failure_persistence: Some(Box::new(kept)),
            ..Config::default()
        }
    }
}
