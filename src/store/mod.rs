//! The ledger: an append-only SQLite database of progress updates. The only module with SQL.
//!
//! Entries are never changed or deleted (triggers enforce it); a correction is a new entry that
//! names the one it supersedes. Every write is one transaction.

pub mod migrate;

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use crate::model::Status;

/// What an entry records: a status (milestones, measures) or a value (targets).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reading {
    Status(Status),
    Value(f64),
}

/// A ledger entry as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entry {
    pub id: i64,
    /// The item id as recorded (possibly a former id of a renamed item).
    pub item: String,
    pub date: NaiveDate,
    pub reading: Reading,
    pub note: String,
    pub unit: Option<String>,
    pub recorded_at: String,
    pub supersedes: Option<i64>,
    pub superseded_by: Option<i64>,
    pub plan_fingerprint: String,
}

impl Entry {
    pub fn value(&self) -> Option<f64> {
        match self.reading {
            Reading::Value(v) => Some(v),
            Reading::Status(_) => None,
        }
    }

    pub fn status(&self) -> Option<Status> {
        match self.reading {
            Reading::Status(s) => Some(s),
            Reading::Value(_) => None,
        }
    }
}

/// An entry to append.
#[derive(Clone, Debug)]
pub struct NewEntry<'a> {
    pub item: &'a str,
    pub date: NaiveDate,
    pub reading: Reading,
    pub note: &'a str,
    pub unit: Option<&'a str>,
    pub recorded_at: &'a str,
    pub supersedes: Option<i64>,
    pub plan_fingerprint: &'a str,
}

pub struct Store {
    conn: Connection,
}

const COLUMNS: &str = "e.id, e.item, e.report_date, e.status, e.value, e.note, e.unit, e.recorded_at, \
     e.supersedes, (SELECT s.id FROM entry s WHERE s.supersedes = e.id), e.plan_fingerprint";

/// Entries that no later entry supersedes.
const LIVE: &str = "NOT EXISTS (SELECT 1 FROM entry s WHERE s.supersedes = e.id)";

/// The latest live entry about one id on or before a date. The columns are [`COLUMNS`], except
/// that `superseded_by` is NULL: a live entry has no successor, so that lookup is skipped.
const LATEST: &str = "SELECT e.id, e.item, e.report_date, e.status, e.value, e.note, e.unit, \
     e.recorded_at, e.supersedes, NULL, e.plan_fingerprint FROM entry e \
     WHERE e.item = ?1 AND e.report_date <= ?2 \
     AND NOT EXISTS (SELECT 1 FROM entry s WHERE s.supersedes = e.id) \
     ORDER BY e.report_date DESC, e.id DESC LIMIT 1";

/// [`LATEST`] for every id of the JSON array `?1`, each row led by the id's index in it.
const LATEST_EACH: &str = "SELECT j.key, e.id, e.item, e.report_date, e.status, e.value, e.note, \
     e.unit, e.recorded_at, e.supersedes, NULL, e.plan_fingerprint \
     FROM json_each(?1) j CROSS JOIN entry e \
     WHERE e.id = (SELECT x.id FROM entry x WHERE x.item = j.value AND x.report_date <= ?2 \
         AND NOT EXISTS (SELECT 1 FROM entry s WHERE s.supersedes = x.id) \
         ORDER BY x.report_date DESC, x.id DESC LIMIT 1)";

/// Every item's latest live entry, from the `latest` table the insert trigger keeps. Valid for
/// any as-of date on or after the ledger's newest reporting date.
const LATEST_ALL: &str = "SELECT e.id, e.item, e.report_date, e.status, e.value, e.note, e.unit, \
     e.recorded_at, e.supersedes, NULL, e.plan_fingerprint \
     FROM latest l JOIN entry e ON e.id = l.entry";

/// Keeps the later of two entries about one item: by date, then by id.
fn keep_later(best: &mut Option<Entry>, e: Entry) {
    if best
        .as_ref()
        .is_none_or(|b| (e.date, e.id) > (b.date, b.id))
    {
        *best = Some(e);
    }
}

/// A stored `YYYY-MM-DD` date. That shape is read directly: a report reads one date per item,
/// and chrono's general parser was a visible share of its time.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        return NaiveDate::from_ymd_opt(y as i32, m, d);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn entry_of(row: &Row) -> rusqlite::Result<Entry> {
    entry_of_at(row, 0)
}

/// The entry whose [`COLUMNS`] start at column `at`.
fn entry_of_at(row: &Row, at: usize) -> rusqlite::Result<Entry> {
    let date: String = row.get(at + 2)?;
    let status: Option<String> = row.get(at + 3)?;
    let value: Option<f64> = row.get(at + 4)?;
    let reading = match (status.as_deref().and_then(Status::parse), value) {
        (Some(s), _) => Reading::Status(s),
        (None, Some(v)) => Reading::Value(v),
        (None, None) => {
            return Err(rusqlite::Error::InvalidColumnType(
                at + 3,
                "status".into(),
                rusqlite::types::Type::Text,
            ));
        }
    };
    Ok(Entry {
        id: row.get(at)?,
        item: row.get(at + 1)?,
        date: parse_date(&date).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                at + 2,
                rusqlite::types::Type::Text,
                format!("not a date: {date:?}").into(),
            )
        })?,
        reading,
        note: row.get(at + 5)?,
        unit: row.get(at + 6)?,
        recorded_at: row.get(at + 7)?,
        supersedes: row.get(at + 8)?,
        superseded_by: row.get(at + 9)?,
        plan_fingerprint: row.get(at + 10)?,
    })
}

impl Store {
    /// Opens (creating if needed) and migrates the ledger at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let mut conn = Connection::open(path)
            .with_context(|| format!("cannot open the ledger {}", path.display()))?;
        Self::configure(&conn).with_context(|| format!("ledger {}", path.display()))?;
        migrate::migrate(&mut conn).with_context(|| format!("ledger {}", path.display()))?;
        Ok(Store { conn })
    }

    /// An in-memory ledger, for tests and benchmarks.
    pub fn in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory()?;
        migrate::migrate(&mut conn)?;
        Ok(Store { conn })
    }

    fn configure(conn: &Connection) -> Result<()> {
        // WAL lets a report read while an update writes; the busy timeout makes a second writer
        // wait instead of failing.
        conn.busy_timeout(Duration::from_secs(5))?;
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        }
        conn.pragma_update(None, "foreign_keys", true)?;
        // Plans stay fixed when parameters are bound. Without this, SQLite re-prepares a
        // cached statement each time a parameter used in a range (`report_date <= ?`) is bound
        // again: that made every per-item lookup of a report re-parse its SQL.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        Ok(())
    }

    /// Appends one entry in its own transaction and returns its id.
    pub fn append(&mut self, e: &NewEntry) -> Result<i64> {
        let tx = self.conn.transaction()?;
        let id = Self::insert(&tx, e)?;
        tx.commit()?;
        Ok(id)
    }

    /// Appends many entries in one transaction (imports, generators).
    pub fn append_all<'a>(
        &mut self,
        entries: impl IntoIterator<Item = NewEntry<'a>>,
    ) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let mut n = 0;
        for e in entries {
            Self::insert(&tx, &e)?;
            n += 1;
        }
        tx.commit()?;
        Ok(n)
    }

    fn insert(conn: &Connection, e: &NewEntry) -> Result<i64> {
        if let Some(old) = e.supersedes {
            let target: Option<(String, Option<i64>)> = conn
                .query_row(
                    "SELECT e.item, (SELECT s.id FROM entry s WHERE s.supersedes = e.id) FROM entry e WHERE e.id = ?1",
                    [old],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            match target {
                None => bail!("entry #{old} does not exist"),
                Some((_, Some(newer))) => bail!(
                    "entry #{old} is already superseded by #{newer}; supersede #{newer} instead"
                ),
                Some(_) => {}
            }
        }
        let (status, value) = match e.reading {
            Reading::Status(s) => (Some(s.as_str()), None),
            Reading::Value(v) => (None, Some(v)),
        };
        let mut stmt = conn.prepare_cached(
            "INSERT INTO entry (item, report_date, status, value, note, unit, recorded_at, supersedes, plan_fingerprint)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        stmt.execute(params![
            e.item,
            e.date.to_string(),
            status,
            value,
            e.note,
            e.unit,
            e.recorded_at,
            e.supersedes,
            e.plan_fingerprint
        ])?;
        Ok(conn.last_insert_rowid())
    }

    /// The entry with this id.
    pub fn entry(&self, id: i64) -> Result<Option<Entry>> {
        let sql = format!("SELECT {COLUMNS} FROM entry e WHERE e.id = ?1");
        Ok(self.conn.query_row(&sql, [id], entry_of).optional()?)
    }

    /// The latest live entry about any of `ids` (an item's current and former ids) dated on or
    /// before `as_of`. Uses the (item, report_date, id) index: one seek per id.
    pub fn latest(&self, ids: &[&str], as_of: NaiveDate) -> Result<Option<Entry>> {
        let mut stmt = self.conn.prepare_cached(LATEST)?;
        let as_of = as_of.to_string();
        let mut best: Option<Entry> = None;
        for id in ids {
            if let Some(e) = stmt.query_row(params![id, as_of], entry_of).optional()? {
                keep_later(&mut best, e);
            }
        }
        Ok(best)
    }

    /// [`Store::latest`] for many items at once: `items` yields each item's ids, the answer
    /// holds each item's entry in the same order. One statement does every lookup (the ids go
    /// in as a JSON array that `json_each` unrolls), so a report over tens of thousands of items
    /// pays one index seek per id, not one statement round trip.
    pub fn latest_each<'a, I>(
        &self,
        items: impl IntoIterator<Item = I>,
        as_of: NaiveDate,
    ) -> Result<Vec<Option<Entry>>>
    where
        I: IntoIterator<Item = &'a str>,
    {
        // ids[k] belongs to item owner[k].
        let items = items.into_iter();
        let (mut ids, mut owner) = (Vec::new(), Vec::new());
        ids.reserve(items.size_hint().0);
        owner.reserve(items.size_hint().0);
        let mut n = 0;
        for (i, item) in items.enumerate() {
            for id in item {
                ids.push(id);
                owner.push(i);
            }
            n = i + 1;
        }
        let mut out: Vec<Option<Entry>> = vec![None; n];
        // Reports for today (the usual case) are on or after every reporting date: then each
        // item's latest entry is already in the `latest` table.
        let newest: Option<String> =
            self.conn
                .query_row("SELECT max(report_date) FROM entry", [], |r| r.get(0))?;
        if newest.is_none_or(|d| d.as_str() <= as_of.to_string().as_str()) {
            let index: std::collections::HashMap<&str, usize> =
                ids.iter().copied().zip(owner.iter().copied()).collect();
            let mut stmt = self.conn.prepare_cached(LATEST_ALL)?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let item: String = row.get(1)?;
                if let Some(&i) = index.get(item.as_str()) {
                    keep_later(&mut out[i], entry_of(row)?);
                }
            }
            return Ok(out);
        }
        let mut stmt = self.conn.prepare_cached(LATEST_EACH)?;
        let mut rows = stmt.query(params![serde_json::to_string(&ids)?, as_of.to_string()])?;
        while let Some(row) = rows.next()? {
            let k: i64 = row.get(0)?;
            let i = usize::try_from(k)
                .ok()
                .and_then(|k| owner.get(k).copied())
                .context("json_each returned an unknown key")?;
            keep_later(&mut out[i], entry_of_at(row, 1)?);
        }
        Ok(out)
    }

    /// Every entry about any of `ids` dated on or before `as_of`, superseded ones included,
    /// newest first.
    pub fn history_of(&self, ids: &[&str], as_of: Option<NaiveDate>) -> Result<Vec<Entry>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM entry e WHERE e.item = ?1 AND e.report_date <= ?2 ORDER BY e.id DESC"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let limit = as_of.map_or("9999-12-31".to_string(), |d| d.to_string());
        let mut out = Vec::new();
        for id in ids {
            for e in stmt.query_map(params![id, limit], entry_of)? {
                out.push(e?);
            }
        }
        out.sort_by_key(|e| std::cmp::Reverse(e.id));
        Ok(out)
    }

    /// The whole ledger, newest first.
    pub fn all(&self) -> Result<Vec<Entry>> {
        let sql = format!("SELECT {COLUMNS} FROM entry e ORDER BY e.id DESC");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], entry_of)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Live entries dated in `[from, to]`, oldest first.
    pub fn between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Entry>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM entry e WHERE e.report_date BETWEEN ?1 AND ?2 AND {LIVE}
             ORDER BY e.report_date, e.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![from.to_string(), to.to_string()], entry_of)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The date of the unit's latest live entry on or before `as_of`.
    pub fn last_report_by(&self, unit: &str, as_of: NaiveDate) -> Result<Option<NaiveDate>> {
        // ORDER BY … LIMIT 1 walks the (unit, report_date) index backwards and stops at the
        // first live entry; max() would test every entry of the unit for supersession.
        let sql = format!(
            "SELECT e.report_date FROM entry e WHERE e.unit = ?1 AND e.report_date <= ?2 AND {LIVE}
             ORDER BY e.report_date DESC LIMIT 1"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let d: Option<String> = stmt
            .query_row(params![unit, as_of.to_string()], |r| r.get(0))
            .optional()?;
        Ok(d.as_deref().and_then(parse_date))
    }

    /// Every item id that appears in the ledger, with its number of entries.
    pub fn item_ids(&self) -> Result<Vec<(String, i64)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT item, count(*) FROM entry GROUP BY item ORDER BY item")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The raw connection, for migration tests.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2021, 1, d).unwrap()
    }

    #[test]
    fn dates_are_read_in_the_stored_shape() {
        assert_eq!(parse_date("2021-01-05"), Some(day(5)));
        assert_eq!(parse_date("2021-02-30"), None);
        assert_eq!(parse_date("2021-1-5"), Some(day(5)));
        assert_eq!(parse_date("20x1-01-05"), None);
        assert_eq!(parse_date(""), None);
    }

    /// `latest_each` answers, for every item at once, what `latest` answers for each.
    #[test]
    fn latest_each_agrees_with_latest() {
        let mut store = Store::in_memory().unwrap();
        let value = |item, d, v| NewEntry {
            item,
            date: day(d),
            reading: Reading::Value(v),
            note: "",
            unit: Some("u"),
            recorded_at: "2021-01-31T00:00:00Z",
            supersedes: None,
            plan_fingerprint: "f",
        };
        store
            .append_all([
                value("a", 1, 1.0),
                value("a", 3, 3.0),
                value("a", 9, 9.0),
                value("old-b", 4, 4.0),
                value("b", 2, 2.0),
                value("c", 2, 2.0),
                value("c", 2, 5.0),
            ])
            .unwrap();
        // A correction of a's entry of the 3rd, and one of c's later same-day entry.
        store
            .append(&NewEntry {
                supersedes: Some(2),
                ..value("a", 3, 30.0)
            })
            .unwrap();
        store
            .append(&NewEntry {
                supersedes: Some(7),
                ..value("c", 1, 6.0)
            })
            .unwrap();
        let items: [&[&str]; 5] = [&["a"], &["b", "old-b"], &["c"], &["none"], &[]];
        for d in [1, 2, 3, 5, 31] {
            let each = store
                .latest_each(items.map(|ids| ids.iter().copied()), day(d))
                .unwrap();
            let one: Vec<Option<Entry>> = items
                .iter()
                .map(|ids| store.latest(ids, day(d)).unwrap())
                .collect();
            assert_eq!(each, one, "as of {}", day(d));
        }
        let on_5th = store
            .latest_each(items.map(|ids| ids.iter().copied()), day(5))
            .unwrap();
        let values: Vec<Option<f64>> = on_5th.iter().map(|e| e.as_ref()?.value()).collect();
        assert_eq!(values, [Some(30.0), Some(4.0), Some(2.0), None, None]);
    }
}
