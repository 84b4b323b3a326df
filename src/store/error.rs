//! What can go wrong with the ledger, in words a user reads in either language.

use std::path::PathBuf;

use crate::i18n::Message;

/// What can go wrong with the ledger. Each names the entry or file concerned.
#[derive(Debug)]
pub enum StoreError {
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    NewerSchema {
        found: usize,
        known: usize,
    },
    /// An error about the ledger file at `path`.
    In {
        path: PathBuf,
        source: Box<StoreError>,
    },
    ReadOnly(PathBuf),
    IsFolder(PathBuf),
    NotALedger(PathBuf),
    NoSuchEntry(i64),
    AlreadySuperseded {
        old: i64,
        newer: i64,
    },
    /// A row that is not an entry plantrack could have written, and why.
    BadEntry {
        entry: i64,
        why: Message,
    },
    /// An entry of an import file that cannot be imported, and why.
    Refused {
        entry: i64,
        why: Message,
    },
    Migration {
        step: usize,
        source: rusqlite::Error,
    },
    Sql(rusqlite::Error),
}

impl StoreError {
    /// The error as the user reads it, in any language. What SQLite or the system says is
    /// quoted as it is.
    pub fn message(&self) -> Message {
        let path = |p: &PathBuf| p.display().to_string();
        match self {
            StoreError::Open { path: p, source } => {
                Message::new("cannot open the ledger {path}: {why}")
                    .with("path", path(p))
                    .with("why", source)
            }
            StoreError::Folder { path: p, source } => {
                Message::new("cannot create the folder {path} for the ledger: {why}")
                    .with("path", path(p))
                    .with_message("why", source.into())
            }
            StoreError::NewerSchema { found, known } => Message::new(
                "the ledger has schema version {found}, but this plantrack knows only up to \
                 {known}; upgrade plantrack to read it",
            )
            .with("found", found)
            .with("known", known),
            StoreError::In { path: p, source } => Message::new("{path}: {why}")
                .with("path", path(p))
                .with_message("why", source.message()),
            StoreError::ReadOnly(p) => Message::new(
                "cannot write the ledger {path}: the file or its folder is read-only for this user",
            )
            .with("path", path(p)),
            StoreError::IsFolder(p) => {
                Message::new("cannot open the ledger {path}: it is a folder, not a file")
                    .with("path", path(p))
            }
            StoreError::NotALedger(p) => {
                Message::new("{path} is an SQLite database, but not a plantrack ledger")
                    .with("path", path(p))
            }
            StoreError::NoSuchEntry(n) => Message::new("entry #{n} does not exist").with("n", n),
            StoreError::AlreadySuperseded { old, newer } => Message::new(
                "entry #{n} is already superseded by #{newer}; supersede that one instead",
            )
            .with("n", old)
            .with("newer", newer),
            StoreError::BadEntry { entry, why } => Message::new(
                "ledger entry #{entry} cannot be read: {why}; run `plantrack check` to see every \
                 problem in the ledger",
            )
            .with("entry", entry)
            .with_message("why", why.clone()),
            StoreError::Refused { entry, why } => {
                Message::new("entry #{entry} of the import: {why}; nothing was imported")
                    .with("entry", entry)
                    .with_message("why", why.clone())
            }
            StoreError::Migration { step, source } => Message::new("schema step {step}: {why}")
                .with("step", step)
                .with("why", source),
            StoreError::Sql(e) => Message::from(e.to_string()),
        }
    }
}

/// In English, as logs read it.
impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().to_string())
    }
}

/// Its message already says what went wrong underneath: no source, so that it is not said
/// twice.
impl std::error::Error for StoreError {}

/// `not a date: "…"`: a stored report date that is not one.
pub fn not_a_date(text: &str) -> Message {
    Message::new("not a date: {date}").with("date", format!("{text:?}"))
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError::Sql(e)
    }
}
