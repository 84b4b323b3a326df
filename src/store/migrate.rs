//! Schema versions. Each step is one transaction that moves `PRAGMA user_version` up by one.
//! Steps are append-only: never edit a step that has shipped, add a new one.

use rusqlite::{Connection, TransactionBehavior};

use super::{Result, StoreError};

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
    // 2: each item's latest live entry, kept by a trigger in the same transaction as the
    // insert, so that a report for today reads one row per item instead of searching the
    // history. Derived data: rebuilt from `entry` here, never edited by hand.
    "CREATE TABLE latest (
        item        TEXT PRIMARY KEY,
        entry       INTEGER NOT NULL REFERENCES entry(id),
        report_date TEXT NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO latest (item, entry, report_date)
        SELECT item, id, report_date FROM (
            SELECT e.item, e.id, e.report_date, ROW_NUMBER() OVER (
                PARTITION BY e.item ORDER BY e.report_date DESC, e.id DESC) AS n
            FROM entry e
            WHERE NOT EXISTS (SELECT 1 FROM entry s WHERE s.supersedes = e.id))
        WHERE n = 1;
    CREATE TRIGGER entry_latest AFTER INSERT ON entry BEGIN
        DELETE FROM latest
            WHERE item IN (NEW.item, (SELECT o.item FROM entry o WHERE o.id = NEW.supersedes));
        INSERT INTO latest (item, entry, report_date)
            SELECT x.item, x.id, x.report_date FROM entry x
            WHERE x.item IN (NEW.item, (SELECT o.item FROM entry o WHERE o.id = NEW.supersedes))
              AND x.id = (SELECT y.id FROM entry y
                          WHERE y.item = x.item
                            AND NOT EXISTS (SELECT 1 FROM entry s WHERE s.supersedes = y.id)
                          ORDER BY y.report_date DESC, y.id DESC LIMIT 1);
    END;",
    // 3: the `latest` table goes. Reports read every fact they need from the entries in one
    // grouped query, and derived data that could disagree with the entries is not kept.
    "DROP TRIGGER IF EXISTS entry_latest;
    DROP TABLE IF EXISTS latest;",
    // 4: the hash chain (store/chain.rs). The existing entries are chained in id order by the
    // code that runs with this step, with the append-only trigger lifted for that moment
    // only; the file is marked as a plantrack ledger.
    "ALTER TABLE entry ADD COLUMN hash TEXT;
    DROP TRIGGER entry_no_update;
    PRAGMA application_id = 1347441778;",
];

/// What a ledger's `PRAGMA application_id` says: "PlTr".
pub const APPLICATION_ID: i64 = 1347441778;

/// Re-creates the trigger step 4 lifts, once the entries are chained.
const RESTORE_NO_UPDATE: &str = "CREATE TRIGGER entry_no_update BEFORE UPDATE ON entry
    BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: entries are never changed'); END;";

pub fn version(conn: &Connection) -> rusqlite::Result<usize> {
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
    loop {
        // The version is read inside the write transaction: several processes opening a new
        // ledger at once apply each step once, the others see it done.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = version(&tx)?;
        if current > STEPS.len() {
            return Err(StoreError::NewerSchema {
                found: current,
                known: STEPS.len(),
            });
        }
        if current >= target {
            return Ok(());
        }
        let failed = |source| StoreError::Migration {
            step: current + 1,
            source,
        };
        tx.execute_batch(STEPS[current]).map_err(failed)?;
        if current + 1 == 4 {
            super::chain::backfill(&tx)?;
            tx.execute_batch(RESTORE_NO_UPDATE).map_err(failed)?;
        }
        tx.pragma_update(None, "user_version", (current + 1) as i64)?;
        tx.commit()?;
    }
}
