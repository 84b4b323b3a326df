//! The hash chain that makes the ledger tamper-evident. Each entry carries
//! `hash = SHA-256(previous hash ‖ canonical content)`, in lowercase hex; the first entry's
//! previous hash is 64 zeros. The canonical content is the entry's fields in a fixed order,
//! as SQLite writes them as text, separated by the unit separator (0x1F):
//!
//! ```text
//! id ␟ item ␟ report_date ␟ status, or value as SQLite prints a REAL ␟ unit ␟ note ␟ recorded_at ␟ supersedes
//! ```
//!
//! (a missing unit or supersedes is empty). The README shows how an auditor recomputes it with
//! sqlite3 and sha256sum alone.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::{Result, StoreError};
use crate::i18n::Message;

/// The previous hash of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The canonical content of the entry row `e`, as SQL.
pub const CANONICAL: &str = "e.id || char(31) || e.item || char(31) || e.report_date || char(31) \
     || coalesce(e.status, CAST(e.value AS TEXT)) || char(31) || coalesce(e.unit, '') \
     || char(31) || e.note || char(31) || e.recorded_at || char(31) || coalesce(e.supersedes, '')";

/// The canonical content of an entry about to be written, rendered by SQLite as it will
/// render the stored row.
#[allow(clippy::too_many_arguments)]
pub fn canonical_of(
    conn: &Connection,
    id: i64,
    item: &str,
    date: &str,
    status: Option<&str>,
    value: Option<f64>,
    unit: Option<&str>,
    note: &str,
    recorded_at: &str,
    supersedes: Option<i64>,
) -> Result<String> {
    let sql = "SELECT ?1 || char(31) || ?2 || char(31) || ?3 || char(31) \
               || coalesce(?4, CAST(CAST(?5 AS REAL) AS TEXT)) || char(31) || coalesce(?6, '') \
               || char(31) || ?7 || char(31) || ?8 || char(31) || coalesce(?9, '')";
    Ok(conn.query_row(
        sql,
        params![
            id,
            item,
            date,
            status,
            value,
            unit,
            note,
            recorded_at,
            supersedes
        ],
        |r| r.get(0),
    )?)
}

/// `SHA-256(previous ‖ canonical)` in lowercase hex.
pub fn link(previous: &str, canonical: &str) -> String {
    let hex = link_bytes(previous.as_bytes(), canonical.as_bytes());
    String::from_utf8_lossy(&hex).into_owned()
}

/// [`link`] without allocating: `check` links half a million entries.
fn link_bytes(previous: &[u8], canonical: &[u8]) -> [u8; 64] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut h = Sha256::new();
    h.update(previous);
    h.update(canonical);
    let mut hex = [0; 64];
    for (i, b) in h.finalize().iter().enumerate() {
        hex[2 * i] = DIGITS[usize::from(b >> 4)];
        hex[2 * i + 1] = DIGITS[usize::from(b & 0xf)];
    }
    hex
}

/// The hash the next entry chains from: the last entry's, or the genesis.
pub fn head(conn: &Connection) -> Result<String> {
    let last: Option<Option<String>> = conn
        .query_row("SELECT hash FROM entry ORDER BY id DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(last.flatten().unwrap_or_else(|| GENESIS.to_string()))
}

/// The fields of [`CANONICAL`], each as SQLite writes it as text (`NULL` where it is NULL),
/// for [`Links`] to join: SQLite joining them took most of `check`'s time at 500,000
/// entries (every `||` a new string). A test checks the join against [`CANONICAL`].
pub const FIELDS: &str = "e.id, e.hash, CAST(e.item AS TEXT), CAST(e.report_date AS TEXT), \
     CAST(coalesce(e.status, CAST(e.value AS TEXT)) AS TEXT), CAST(coalesce(e.unit, '') AS TEXT), \
     CAST(e.note AS TEXT), CAST(e.recorded_at AS TEXT), CAST(coalesce(e.supersedes, '') AS TEXT)";

/// The columns of [`FIELDS`].
pub const FIELD_COUNT: usize = 9;

/// Joins the fields of a row of [`FIELDS`] (from column 2) into `canonical` as
/// [`CANONICAL`] has them; `false` when one is NULL, as the whole of [`CANONICAL`] then is.
fn join_canonical(row: &rusqlite::Row, id: i64, canonical: &mut Vec<u8>) -> Result<bool> {
    canonical.clear();
    canonical.extend_from_slice(id.to_string().as_bytes());
    for i in 2..FIELD_COUNT {
        match row.get_ref(i)? {
            rusqlite::types::ValueRef::Null => return Ok(false),
            v => {
                canonical.push(0x1F);
                canonical.extend_from_slice(v.as_bytes().map_err(rusqlite::Error::from)?);
            }
        }
    }
    Ok(true)
}

/// The chain checked one row of [`FIELDS`] at a time, in entry order, from the hash of the
/// entry before the first row checked. Each link depends only on its row and the stored hash
/// before it, so a ledger can be checked in ranges, on two cores, and the first break is the
/// lowest break of any range (while there is none before it, a stored hash is the one the
/// chain gives).
pub struct Links {
    previous: [u8; 64],
    canonical: Vec<u8>,
}

impl Links {
    /// From the first entry, which chains from [`GENESIS`].
    pub fn from_genesis() -> Links {
        Links {
            previous: GENESIS.as_bytes().try_into().expect("64 digits"),
            canonical: Vec::new(),
        }
    }

    /// Continues from the stored hash of `row`, the entry before the ones to check.
    pub fn after(&mut self, row: &rusqlite::Row) -> Result<()> {
        let stored = stored_hash(row)?.unwrap_or_default();
        self.previous = stored.try_into().unwrap_or([0; 64]);
        Ok(())
    }

    /// Why entry `id`'s row breaks the chain, if it does: its stored hash is not the one its
    /// content and its predecessor give.
    pub fn check(&mut self, row: &rusqlite::Row, id: i64) -> Result<Option<&'static str>> {
        if !join_canonical(row, id, &mut self.canonical)? {
            return Ok(Some("a field that must not be empty is missing"));
        }
        let expected = link_bytes(&self.previous, &self.canonical);
        let stored = stored_hash(row)?;
        if stored != Some(expected.as_slice()) {
            return Ok(Some(match stored {
                None => "it has no hash",
                Some(_) => {
                    "its content or its place in the ledger differs from when it was written \
                     (edited, or an entry before it was deleted, inserted or reordered)"
                }
            }));
        }
        self.previous = expected;
        Ok(None)
    }
}

/// A break in the chain, in words.
pub fn break_message(id: i64, why: &'static str) -> Message {
    Message::new("the hash chain breaks at entry #{id}: {why}")
        .with("id", id)
        .with_message("why", why.into())
}

/// The stored hash of a row of [`FIELDS`].
fn stored_hash<'r>(row: &'r rusqlite::Row) -> Result<Option<&'r [u8]>> {
    Ok(match row.get_ref(1)? {
        rusqlite::types::ValueRef::Null => None,
        v => Some(v.as_bytes().map_err(rusqlite::Error::from)?),
    })
}

/// Where the chain breaks, if it does: the first entry whose stored hash is not the one its
/// content and its predecessor give.
pub fn first_break(conn: &Connection) -> Result<Option<(i64, &'static str)>> {
    let sql = format!("SELECT {FIELDS} FROM entry e ORDER BY e.id");
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let mut links = Links::from_genesis();
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        if let Some(why) = links.check(row, id)? {
            return Ok(Some((id, why)));
        }
    }
    Ok(None)
}

/// Chains the entries a ledger already holds, in id order (the migration to the chain).
pub fn backfill(conn: &Connection) -> Result<()> {
    let sql = format!("SELECT e.id, {CANONICAL} FROM entry e ORDER BY e.id");
    let rows: Vec<(i64, String)> = {
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut previous = GENESIS.to_string();
    let mut update = conn.prepare("UPDATE entry SET hash = ?2 WHERE id = ?1")?;
    for (id, canonical) in rows {
        let hash = link(&previous, &canonical);
        update
            .execute(params![id, hash])
            .map_err(|source| StoreError::Migration { step: 4, source })?;
        previous = hash;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields joined in Rust are [`CANONICAL`] as SQLite joins it, byte for byte, for
    /// whatever a row holds: values SQLite prints in its own way, numbers where text
    /// belongs, bytes, and missing fields.
    #[test]
    fn the_canonical_content_is_sqlites() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE entry (id INTEGER PRIMARY KEY, item, report_date, status, value,
                 note, unit, recorded_at, supersedes, hash);
             INSERT INTO entry (item, report_date, status, value, note, unit, recorded_at,
                                supersedes) VALUES
               ('T-toilet', '2022-06-01', NULL, 90.0, '', 'agri', '2022-06-01T09:00:00+08:00', NULL),
               ('T-toilet', '2022-06-02', NULL, 0.1, '说明', NULL, 't', 1),
               ('T', 'd', NULL, 1e20, 'n', 'u', 't', NULL),
               ('T', 'd', NULL, -3.5e-7, 'n', 'u', 't', NULL),
               ('T', 'd', NULL, 12345678901234567, 'n', 'u', 't', NULL),
               ('T', 'd', NULL, 7, 'n', 'u', 't', '3'),
               (42, 20220601, 'done', NULL, x'e4b8ad', 7.5, 't', 2.5),
               ('M01', NULL, 'done', NULL, 'n', 'u', 't', NULL),
               ('M01', 'd', NULL, NULL, 'n', 'u', 't', NULL),
               ('M01', 'd', 'in_progress', NULL, NULL, 'u', 't', NULL);",
        )
        .unwrap();
        let sql = format!("SELECT {FIELDS}, {CANONICAL} FROM entry e ORDER BY e.id");
        let mut stmt = conn.prepare(&sql).unwrap();
        let mut rows = stmt.query([]).unwrap();
        let mut canonical = Vec::new();
        let mut seen = 0;
        while let Some(row) = rows.next().unwrap() {
            let id: i64 = row.get(0).unwrap();
            let sqlite: Option<Vec<u8>> = match row.get_ref(9).unwrap() {
                rusqlite::types::ValueRef::Null => None,
                v => Some(v.as_bytes().unwrap().to_vec()),
            };
            let joined = join_canonical(row, id, &mut canonical).unwrap();
            assert_eq!(joined.then_some(canonical.clone()), sqlite, "entry {id}");
            seen += 1;
        }
        assert_eq!(seen, 10);
    }
}
