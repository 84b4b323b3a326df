//! The ledger: an append-only SQLite database of progress updates. The only module with SQL.
//!
//! Entries are never changed or deleted (triggers enforce it); a correction is a new entry that
//! names the one it supersedes. Every write is one transaction. Reading never writes: a ledger
//! that does not exist yet reads as empty ([`Store::open_existing`]), one written by an
//! earlier plantrack is read as it is, and only [`Store::open`] (for `update`) creates or
//! migrates a ledger.

pub mod chain;
mod error;
mod export;
mod memo;
pub mod migrate;
mod read;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, TransactionBehavior, params};

pub use error::StoreError;
pub use export::{Exported, FIELDS as EXPORT_FIELDS};
pub use memo::FactsMemo;
pub use read::Scan;

use crate::i18n::Message;
use crate::model::{Entry, NewEntry, Reading, Status, StoredRow};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub struct Store {
    conn: Connection,
    /// The file, named in errors.
    path: PathBuf,
}

/// The columns an [`Entry`] is read from, `e` being the entry table.
const COLUMNS: &str = "e.id, e.item, e.report_date, e.status, e.value, e.note, e.unit, e.recorded_at, \
     e.supersedes, (SELECT s.id FROM entry s WHERE s.supersedes = e.id), e.plan_fingerprint";

/// Entries that no later entry supersedes.
const LIVE: &str = "NOT EXISTS (SELECT 1 FROM entry s WHERE s.supersedes = e.id)";

/// Another connection holds the lock.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// A driver error (disk full, I/O) named with the file it happened in; the ledger's own
/// refusals stay as they are.
fn located(path: PathBuf, e: StoreError) -> StoreError {
    match e {
        StoreError::Sql(_) => StoreError::In {
            path,
            source: Box::new(e),
        },
        e => e,
    }
}

/// Writes a whole database file for `path` with `write`, into a temporary file beside it
/// that is synced and renamed into place only when `write` succeeds; on failure (or a panic)
/// the temporary file is removed and `path` is untouched.
fn write_beside(path: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let failed = |source: std::io::Error| StoreError::Folder {
        path: path.to_path_buf(),
        source,
    };
    let tmp = tempfile::Builder::new()
        .prefix(".plantrack-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(failed)?;
    write(tmp.path())?;
    tmp.as_file().sync_all().map_err(failed)?;
    tmp.persist(path).map_err(|e| failed(e.error))?;
    Ok(())
}

/// Whether this user may write `path` (the file, or a folder's entries).
fn writable(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `c` is a valid NUL-terminated string that outlives the call.
    unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
}

use crate::model::parse_date;

/// The entry whose [`COLUMNS`] start at column 0. A row that is not a valid entry is an
/// error naming the entry.
fn entry_of(row: &Row) -> Result<Entry> {
    let id: i64 = row.get(0)?;
    let bad = |why: Message| StoreError::BadEntry { entry: id, why };
    fn field<T: rusqlite::types::FromSql>(row: &Row, id: i64, i: usize) -> Result<T> {
        row.get(i).map_err(|e| StoreError::BadEntry {
            entry: id,
            why: e.to_string().into(),
        })
    }
    let date: String = field(row, id, 2)?;
    let status: Option<String> = field(row, id, 3)?;
    let value: Option<f64> = field(row, id, 4)?;
    let reading = match (status, value) {
        (Some(s), None) => {
            let unknown = || bad(Message::new("unknown status {s}").with("s", format!("{s:?}")));
            Reading::Status(Status::parse(&s).ok_or_else(unknown)?)
        }
        (None, Some(v)) => Reading::Value(v),
        _ => {
            let both = Message::new("it has both or neither of a status and a value");
            return Err(bad(both));
        }
    };
    Ok(Entry {
        id,
        item: field(row, id, 1)?,
        date: parse_date(&date).ok_or_else(|| bad(error::not_a_date(&date)))?,
        reading,
        note: field(row, id, 5)?,
        unit: field(row, id, 6)?,
        recorded_at: field(row, id, 7)?,
        supersedes: field(row, id, 8)?,
        superseded_by: field(row, id, 9)?,
        plan_fingerprint: field(row, id, 10)?,
    })
}

impl Store {
    /// Opens the ledger at `path` for writing, creating and migrating it as needed.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Folder {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        if path.is_dir() {
            return Err(StoreError::IsFolder(path.to_path_buf()));
        }
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
        if (path.exists() && !writable(path)) || !writable(dir.unwrap_or(Path::new("."))) {
            return Err(StoreError::ReadOnly(path.to_path_buf()));
        }
        let open = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let mut conn = Connection::open(path).map_err(open)?;
        Self::configure(&conn).map_err(open)?;
        Self::use_wal(&conn)?;
        migrate::migrate(&mut conn).map_err(|e| StoreError::In {
            path: path.to_path_buf(),
            source: Box::new(e),
        })?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Opens an existing ledger to read it, changing nothing; `None` when there is no file
    /// (a ledger nobody has written to yet is empty).
    pub fn open_existing(path: &Path) -> Result<Option<Store>> {
        if !path.exists() {
            return Ok(None);
        }
        let open = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let conn = Self::open_reading(path).map_err(open)?;
        // One statement, so one snapshot: read one by one, another process creating the
        // ledger could commit in between, and a ledger being created would look foreign.
        let (version, tables, blank): (i64, i64, bool) = conn
            .query_row(
                "SELECT (SELECT user_version FROM pragma_user_version),
                        (SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'entry'),
                        (SELECT count(*) = 0 FROM sqlite_schema)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(open)?;
        let version = version as usize;
        if version > migrate::STEPS.len() {
            return Err(StoreError::In {
                path: path.to_path_buf(),
                source: Box::new(StoreError::NewerSchema {
                    found: version,
                    known: migrate::STEPS.len(),
                }),
            });
        }
        match (version, tables) {
            (0, 0) if blank => Ok(None),
            (_, 0) => Err(StoreError::NotALedger(path.to_path_buf())),
            _ => Ok(Some(Store {
                conn,
                path: path.to_path_buf(),
            })),
        }
    }

    /// A connection that reads the ledger at `path` and never writes it.
    ///
    /// Where the user may write the file and its folder, it is opened read-write but never
    /// creating, and `query_only`: SQLite creates the `-wal` and `-shm` files of a WAL ledger
    /// even for a read-only connection, and only a connection that may write removes them again
    /// when it closes. Where the user may not, it is opened read-only; and where even that
    /// fails (a WAL ledger in a folder the user cannot write, with no `-shm` file to share),
    /// it is opened `immutable`, which is safe there: nobody without write access to the
    /// folder can have left uncheckpointed changes beside it.
    fn open_reading(path: &Path) -> rusqlite::Result<Connection> {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let read_only = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let opened = |conn: Connection| -> rusqlite::Result<Connection> {
            Self::configure(&conn)?;
            conn.pragma_update(None, "query_only", true)?;
            migrate::version(&conn)?;
            Ok(conn)
        };
        if writable(path) && writable(dir) {
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            return opened(Connection::open_with_flags(path, flags)?);
        }
        let plain = Connection::open_with_flags(path, read_only).and_then(opened);
        if plain.is_ok() {
            return plain;
        }
        let mut uri = String::from("file:");
        for b in path.to_string_lossy().bytes() {
            match b {
                b'?' | b'#' | b'%' | 0x80.. => uri.push_str(&format!("%{b:02X}")),
                _ => uri.push(char::from(b)),
            }
        }
        uri.push_str("?immutable=1");
        Connection::open_with_flags(&uri, read_only | OpenFlags::SQLITE_OPEN_URI)
            .and_then(opened)
            .or(plain)
    }

    /// Whether the database holds no schema at all (an empty file).
    /// An in-memory ledger, for tests and benchmarks.
    pub fn in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        migrate::migrate(&mut conn)?;
        Ok(Store {
            conn,
            path: PathBuf::from(":memory:"),
        })
    }

    /// WAL lets a report read while an update writes. Switching a new ledger to it takes a
    /// lock that SQLite does not wait for: several processes creating the ledger at once
    /// retry, for as long as the busy timeout would wait.
    fn use_wal(conn: &Connection) -> rusqlite::Result<()> {
        let mut tries = 0;
        loop {
            let mode = conn.query_row("PRAGMA journal_mode", [], |r| r.get::<_, String>(0));
            let switched = match mode {
                Ok(m) if m.eq_ignore_ascii_case("wal") => return Ok(()),
                Ok(_) => conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(())),
                Err(e) => Err(e),
            };
            match switched {
                Err(e) if is_busy(&e) && tries < 3_000 => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(10));
                }
                other => return other,
            }
        }
    }

    fn configure(conn: &Connection) -> rusqlite::Result<()> {
        // The busy timeout makes a second writer wait instead of failing; generous, because a
        // loaded machine running many writers must still record every one.
        conn.busy_timeout(Duration::from_secs(30))?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // Plans stay fixed when parameters are bound. Without this, SQLite re-prepares a
        // cached statement each time a parameter used in a range (`report_date <= ?`) is bound
        // again.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        Ok(())
    }

    /// Appends one entry in its own transaction and returns its number. The transaction
    /// starts IMMEDIATE: it takes the write lock before reading what it checks (the corrected
    /// entry, the chain head), so concurrent writers queue instead of failing.
    pub fn append(&mut self, e: &NewEntry) -> Result<i64> {
        let path = self.path.clone();
        let mut write = || {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let id = Self::insert(&tx, e)?;
            tx.commit()?;
            Ok(id)
        };
        write().map_err(|e| located(path, e))
    }

    /// Appends many entries in one transaction (imports, generators).
    pub fn append_all<'a>(
        &mut self,
        entries: impl IntoIterator<Item = NewEntry<'a>>,
    ) -> Result<usize> {
        let path = self.path.clone();
        let write = || {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut n = 0;
            for e in entries {
                Self::insert(&tx, &e)?;
                n += 1;
            }
            tx.commit()?;
            Ok(n)
        };
        write().map_err(|e| located(path, e))
    }

    fn insert(conn: &Connection, e: &NewEntry) -> Result<i64> {
        if let Some(old) = e.supersedes {
            let newer: Option<Option<i64>> = conn
                .query_row(
                    "SELECT (SELECT s.id FROM entry s WHERE s.supersedes = e.id) FROM entry e WHERE e.id = ?1",
                    [old],
                    |r| r.get(0),
                )
                .optional()?;
            match newer {
                None => return Err(StoreError::NoSuchEntry(old)),
                Some(Some(newer)) => return Err(StoreError::AlreadySuperseded { old, newer }),
                Some(None) => {}
            }
        }
        let (status, value) = match e.reading {
            Reading::Status(s) => (Some(s.as_str()), None),
            Reading::Value(v) => (None, Some(v)),
        };
        // The number this entry will get, so that its hash can be written with it.
        let id: i64 = conn.query_row(
            "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'entry'), 0) + 1",
            [],
            |r| r.get(0),
        )?;
        let date = e.date.to_string();
        let canonical = chain::canonical_of(
            conn,
            id,
            e.item,
            &date,
            status,
            value,
            e.unit,
            e.note,
            e.recorded_at,
            e.supersedes,
        )?;
        let hash = chain::link(&chain::head(conn)?, &canonical);
        let mut stmt = conn.prepare_cached(
            "INSERT INTO entry (id, item, report_date, status, value, note, unit, recorded_at, supersedes, plan_fingerprint, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        stmt.execute(params![
            id,
            e.item,
            date,
            status,
            value,
            e.note,
            e.unit,
            e.recorded_at,
            e.supersedes,
            e.plan_fingerprint,
            hash
        ])?;
        Ok(id)
    }

    /// The entry with this number.
    pub fn entry(&self, id: i64) -> Result<Option<Entry>> {
        let sql = format!("SELECT {COLUMNS} FROM entry e WHERE e.id = ?1");
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query([id])?;
        rows.next()?.map(entry_of).transpose()
    }

    /// Every item id that appears in the ledger, with its number of entries.
    pub fn item_ids(&self) -> Result<Vec<(String, i64)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT item, count(*) FROM entry GROUP BY item ORDER BY item")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The number of the ledger's last entry; 0 when it has none.
    pub fn last_entry(&self) -> Result<i64> {
        let sql = "SELECT coalesce(max(id), 0) FROM entry";
        Ok(self.conn.query_row(sql, [], |r| r.get(0))?)
    }

    /// Streams the rows of the entry table numbered in `ids` as stored, in entry order, read
    /// without trusting any column's type (see [`StoredRow`]), and checks each one's link in
    /// the hash chain on the way: one read of the rows serves both halves of `check`. The row
    /// passed to `each` is reused for the next one: its strings are not made again for every
    /// row. Returns the first entry in `ids` that breaks the chain, and why, having stopped
    /// there; a ledger from before the chain streams unchecked.
    pub fn stored_rows(
        &self,
        ids: std::ops::RangeInclusive<i64>,
        mut each: impl FnMut(&StoredRow),
    ) -> Result<Option<(i64, &'static str)>> {
        use rusqlite::types::ValueRef;
        // Into the field's own string, kept from the row before.
        let text = |v: ValueRef, into: &mut Option<String>| match v {
            ValueRef::Null => *into = None,
            v => {
                let into = into.get_or_insert_default();
                into.clear();
                match v {
                    ValueRef::Integer(i) => write!(into, "{i}").expect("a string takes it"),
                    ValueRef::Real(f) => write!(into, "{f}").expect("a string takes it"),
                    ValueRef::Text(t) | ValueRef::Blob(t) => {
                        into.push_str(&String::from_utf8_lossy(t))
                    }
                    ValueRef::Null => {}
                }
            }
        };
        const AUDITED: &str = "e.item, e.report_date, e.status, e.value, e.unit, \
             e.recorded_at, e.supersedes, e.plan_fingerprint";
        let chained = migrate::version(&self.conn)? >= 4;
        // A chained range starts at the entry before it, whose hash the first link needs.
        let (sql, at) = match chained {
            true => (
                format!(
                    "SELECT {}, {AUDITED} FROM entry e WHERE e.id BETWEEN \
                     coalesce((SELECT max(id) FROM entry WHERE id < ?1), ?1) AND ?2 \
                     ORDER BY e.id",
                    chain::FIELDS
                ),
                chain::FIELD_COUNT,
            ),
            false => (
                format!(
                    "SELECT e.id, {AUDITED} FROM entry e WHERE e.id BETWEEN ?1 AND ?2 \
                     ORDER BY e.id"
                ),
                1,
            ),
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![ids.start(), ids.end()])?;
        let mut links = chain::Links::from_genesis();
        let mut row = StoredRow::default();
        let mut supersedes = None;
        while let Some(r) = rows.next()? {
            row.id = r.get(0)?;
            if chained && row.id < *ids.start() {
                links.after(r)?;
                continue;
            }
            if chained && let Some(why) = links.check(r, row.id)? {
                return Ok(Some((row.id, why)));
            }
            row.value = match r.get_ref(at + 3)? {
                ValueRef::Null => None,
                ValueRef::Integer(i) => Some(Ok(i as f64)),
                ValueRef::Real(f) => Some(Ok(f)),
                v => {
                    let mut shown = None;
                    text(v, &mut shown);
                    Some(Err(shown.unwrap_or_default()))
                }
            };
            text(r.get_ref(at)?, &mut row.item);
            text(r.get_ref(at + 1)?, &mut row.report_date);
            text(r.get_ref(at + 2)?, &mut row.status);
            text(r.get_ref(at + 4)?, &mut row.unit);
            text(r.get_ref(at + 5)?, &mut row.recorded_at);
            text(r.get_ref(at + 6)?, &mut supersedes);
            row.supersedes = supersedes.as_deref().map(|s| s.parse().unwrap_or(-1));
            text(r.get_ref(at + 7)?, &mut row.plan_fingerprint);
            each(&row);
        }
        Ok(None)
    }

    /// SQLite's own page-level check of the file; each problem it finds, in words.
    pub fn file_damage(&self) -> Result<Vec<Message>> {
        let mut stmt = self.conn.prepare("PRAGMA quick_check")?;
        let pages: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(pages
            .into_iter()
            .filter(|p| p != "ok")
            .map(|p| Message::new("the database file is damaged: {p}").with("p", p))
            .collect())
    }

    /// What an auditor checks first: SQLite's own page-level check, then the hash chain.
    /// Each problem names the entry where it can.
    pub fn verify(&self) -> Result<Vec<Message>> {
        let damage = self.file_damage()?;
        if !damage.is_empty() || migrate::version(&self.conn)? < 4 {
            return Ok(damage);
        }
        Ok(chain::first_break(&self.conn)?
            .map(|(id, why)| chain::break_message(id, why))
            .into_iter()
            .collect())
    }

    /// Whether the ledger still holds entry `entry` with this chain hash: with an unbroken
    /// chain ([`Store::verify`]), proof that every entry up to it is as it was when the hash
    /// was taken. The problem, in words, when it does not.
    pub fn anchor_problem(&self, entry: i64, hash: &str) -> Result<Option<Message>> {
        let stored: Option<Option<String>> = self
            .conn
            .query_row("SELECT hash FROM entry WHERE id = ?1", [entry], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(match stored {
            None => Some(
                Message::new(
                    "the anchor {entry}:{hash} does not hold: the ledger no longer has entry #{entry}",
                )
                .with("entry", entry)
                .with("hash", hash),
            ),
            Some(stored) if stored.as_deref() == Some(hash) => None,
            Some(stored) => {
                let stored = match stored {
                    Some(s) => Message::from(s),
                    None => Message::new("no hash"),
                };
                Some(
                    Message::new(
                        "the anchor {entry}:{hash} does not hold: entry #{entry} now chains to \
                         {stored}, so the ledger up to it was rewritten since the anchor was taken",
                    )
                    .with("entry", entry)
                    .with("hash", hash)
                    .with_message("stored", stored),
                )
            }
        })
    }

    /// The entry the chain ends at and its hash (台账校验码); none in an empty ledger.
    pub fn chain_head(&self) -> Result<Option<(i64, String)>> {
        if migrate::version(&self.conn)? < 4 {
            return Ok(None);
        }
        Ok(self
            .conn
            .query_row(
                "SELECT id, hash FROM entry ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// A consistent copy of the ledger at `path`, through SQLite's online backup (safe while
    /// others write): written beside `path` and renamed into place when complete.
    pub fn backup(&self, path: &Path) -> Result<()> {
        write_beside(path, |tmp| {
            let open = |source| StoreError::Open {
                path: tmp.to_path_buf(),
                source,
            };
            let mut copy = Connection::open(tmp).map_err(open)?;
            let backup = rusqlite::backup::Backup::new(&self.conn, &mut copy)?;
            backup.run_to_completion(256, Duration::from_millis(20), None)?;
            Ok(())
        })
    }

    /// The raw connection, for migration tests.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn dates_are_read_in_the_stored_shape() {
        let day = |d| NaiveDate::from_ymd_opt(2021, 1, d).unwrap();
        assert_eq!(parse_date("2021-01-05"), Some(day(5)));
        assert_eq!(parse_date("2021-02-30"), None);
        assert_eq!(parse_date("2021-1-5"), Some(day(5)));
        assert_eq!(parse_date("20x1-01-05"), None);
        assert_eq!(parse_date(""), None);
    }
}
