//! Schema versions. Each step is one transaction that moves `PRAGMA user_version` up by one.
//! Steps are append-only: never edit a step that has shipped, add a new one.

use anyhow::{Context, Result, bail};
use rusqlite::Connection;

/// The schema steps, in order; step `i` takes the database from version `i` to `i + 1`.
pub const STEPS: &[&str] = &[
    // 1: the ledger. Append-only: triggers refuse UPDATE and DELETE.
    "CREATE TABLE entry (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        item             TEXT NOT NULL,
        report_date      TEXT NOT NULL,
        status           TEXT,
        value            REAL,
        note             TEXT NOT NULL DEFAULT '',
        unit             TEXT,
        recorded_at      TEXT NOT NULL,
        supersedes       INTEGER REFERENCES entry(id),
        plan_fingerprint TEXT NOT NULL,
        CHECK ((status IS NULL) <> (value IS NULL))
    );
    CREATE INDEX entry_item_date ON entry(item, report_date, id);
    CREATE INDEX entry_unit_date ON entry(unit, report_date);
    CREATE INDEX entry_date ON entry(report_date);
    CREATE UNIQUE INDEX entry_supersedes ON entry(supersedes) WHERE supersedes IS NOT NULL;
    CREATE TRIGGER entry_no_update BEFORE UPDATE ON entry
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: entries are never changed'); END;
    CREATE TRIGGER entry_no_delete BEFORE DELETE ON entry
        BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: entries are never deleted'); END;",
];

pub fn version(conn: &Connection) -> Result<usize> {
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    Ok(v as usize)
}

/// Brings the database up to date, one transaction per step. A database written by a newer
/// plantrack is refused rather than misread.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, STEPS.len())
}

/// Applies steps up to `target` (tests stop half way to check each step).
pub fn migrate_to(conn: &mut Connection, target: usize) -> Result<()> {
    let current = version(conn)?;
    if current > STEPS.len() {
        bail!(
            "the ledger has schema version {current}, but this plantrack knows only up to {}; \
             upgrade plantrack to read it",
            STEPS.len()
        );
    }
    for (i, step) in STEPS.iter().enumerate().take(target).skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(step)
            .with_context(|| format!("schema step {}", i + 1))?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
