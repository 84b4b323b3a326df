//! The whole ledger in a stable layout (`plantrack export`), and loading it into an empty
//! ledger (`plantrack import`) with the hash chain re-verified.
//!
//! One [`Exported`] per entry, in entry order, with every stored field under the names of the
//! JSON vocabulary. A value keeps its exact binary64 value through both JSON and CSV (Rust and
//! serde_json print the shortest text that reads back the same), so the chain recomputes.

use std::path::Path;

use rusqlite::{TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use super::{Result, Store, StoreError, chain};
use crate::i18n::Message;
use crate::model::Reading;

/// One ledger entry as exported; the field order is the CSV's column order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exported {
    pub entry: i64,
    /// The item id the entry was recorded under.
    pub recorded_id: String,
    pub date: String,
    pub value: Option<f64>,
    pub reported_status: Option<String>,
    pub unit: Option<String>,
    pub note: String,
    pub recorded_at: String,
    pub supersedes: Option<i64>,
    pub plan_fingerprint: String,
    pub hash: String,
}

/// The CSV header, the JSON keys of a row.
pub const FIELDS: [&str; 11] = [
    "entry",
    "recorded_id",
    "date",
    "value",
    "reported_status",
    "unit",
    "note",
    "recorded_at",
    "supersedes",
    "plan_fingerprint",
    "hash",
];

impl Store {
    /// Every entry, in entry order, with its hash.
    pub fn export(&self) -> Result<Vec<Exported>> {
        let entries = self.entries(&super::Scan::default())?;
        let hashes: std::collections::HashMap<i64, String> = {
            let mut stmt = self.conn.prepare("SELECT id, hash FROM entry")?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                ))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut out: Vec<Exported> = entries
            .into_iter()
            .map(|e| Exported {
                entry: e.id,
                hash: hashes.get(&e.id).cloned().unwrap_or_default(),
                recorded_id: e.item,
                date: e.date.to_string(),
                value: e.reading.value(),
                reported_status: match e.reading {
                    Reading::Status(s) => Some(s.as_str().to_string()),
                    Reading::Value(_) => None,
                },
                unit: e.unit,
                note: e.note,
                recorded_at: e.recorded_at,
                supersedes: e.supersedes,
                plan_fingerprint: e.plan_fingerprint,
            })
            .collect();
        out.sort_by_key(|e| e.entry);
        Ok(out)
    }

    /// Loads `rows` into the new ledger at `path`, refusing unless every stored hash is the
    /// one the chain gives: written to a temporary file beside `path` and renamed into place
    /// only when complete and verified, so a failed import leaves nothing behind.
    pub fn import(path: &Path, rows: &[Exported]) -> Result<usize> {
        super::write_beside(path, |tmp| {
            let mut store = Store::open(tmp)?;
            let tx = store
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            {
                let mut insert = tx.prepare(
                    "INSERT INTO entry (id, item, report_date, status, value, note, unit, recorded_at, supersedes, plan_fingerprint, hash)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )?;
                for r in rows {
                    insert
                        .execute(params![
                            r.entry,
                            r.recorded_id,
                            r.date,
                            r.reported_status,
                            r.value,
                            r.note,
                            r.unit,
                            r.recorded_at,
                            r.supersedes,
                            r.plan_fingerprint,
                            r.hash
                        ])
                        .map_err(|e| StoreError::Refused {
                            entry: r.entry,
                            why: e.to_string().into(),
                        })?;
                }
            }
            if let Some((entry, why)) = chain::first_break(&tx)? {
                let breaks = Message::new("the hash chain breaks there: {why}");
                return Err(StoreError::Refused {
                    entry,
                    why: breaks.with_message("why", why.into()),
                });
            }
            tx.commit()?;
            // Leave WAL mode so that the file is complete on its own when renamed.
            store
                .conn
                .query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
            Ok(())
        })?;
        Ok(rows.len())
    }
}
