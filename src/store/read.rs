//! Reading the ledger: the snapshot reports judge from, and a stream of entries for the
//! history and the bulletin's list of updates.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::params;
use serde_json::json;

use super::{COLUMNS, LIVE, Result, Store, StoreError, entry_of, parse_date};
use crate::model::{Entry, ItemFacts, ItemId, Month, Plan, Snapshot, UnitId, YearValues};

/// Per item (by current id) and calendar year, over the live entries dated on or before ?2:
/// the keys (`report_date` then the zero-padded entry number, so that the greatest key is the
/// latest entry) of the year's latest entry, first entry, latest entry on or before the
/// item's deadline and latest value entry, and the sum of its values. `?1` maps every id an
/// item is known by to `[recorded id, current id, deadline]`.
const ITEM_YEARS: &str = "
WITH ids AS (
    SELECT j.value ->> 0 AS recorded, j.value ->> 1 AS item, j.value ->> 2 AS due
    FROM json_each(?1) j),
live AS (
    SELECT ids.item AS item, ids.due AS due, e.report_date AS d, e.value AS v,
           e.report_date || printf('%019d', e.id) AS k
    FROM ids CROSS JOIN entry e
    WHERE e.item = ids.recorded AND e.report_date <= ?2
      AND NOT EXISTS (SELECT 1 FROM entry s WHERE s.supersedes = e.id))
SELECT item, CAST(substr(d, 1, 4) AS INTEGER), max(k), min(k),
       max(CASE WHEN d <= due THEN k END), max(CASE WHEN v IS NOT NULL THEN k END), sum(v)
FROM live GROUP BY 1, 2";

/// Per unit and month, the date of the unit's latest live report on or before ?1.
const UNIT_MONTHS: &str = "
SELECT e.unit, max(e.report_date) FROM entry e
WHERE e.unit IS NOT NULL AND e.report_date <= ?1
  AND NOT EXISTS (SELECT 1 FROM entry s WHERE s.supersedes = e.id)
GROUP BY e.unit, substr(e.report_date, 1, 7)";

/// The entry number in a key of [`ITEM_YEARS`].
fn key_id(key: &str) -> Option<i64> {
    key.get(10..)?.parse().ok()
}

/// Which entries a [`Store::scan`] streams, and in what order.
#[derive(Clone, Debug, Default)]
pub struct Scan<'a> {
    /// Only entries recorded under these item ids.
    pub ids: Option<&'a [&'a str]>,
    /// Only entries dated on or after this day.
    pub from: Option<NaiveDate>,
    /// Only entries dated on or before this day.
    pub to: Option<NaiveDate>,
    /// Leave out entries a correction superseded.
    pub live_only: bool,
    /// Newest entry first (by number); otherwise by report date, then number.
    pub newest_first: bool,
}

/// The facts of one item while its years are gathered: entry numbers, fetched afterwards.
#[derive(Default)]
struct Keys {
    latest: Option<String>,
    first: Option<String>,
    at_deadline: Option<String>,
    /// Year → (key of its latest value entry, sum of its values).
    years: Vec<(i32, String, f64)>,
}

impl Store {
    /// What the live entries say about every item and unit of `plan` on `as_of`: one grouped
    /// query over the entries, then one lookup of the entries it picked.
    pub fn snapshot(&self, plan: &Plan, as_of: NaiveDate) -> Result<Snapshot> {
        let ids: Vec<_> = plan
            .items()
            .flat_map(|i| {
                let due = plan.due(i).to_string();
                i.all_ids()
                    .into_iter()
                    .map(move |id| json!([id, i.id(), due]))
            })
            .collect();
        let mut keys: HashMap<String, Keys> = HashMap::new();
        let mut stmt = self.conn.prepare_cached(ITEM_YEARS)?;
        let mut rows = stmt.query(params![json!(ids).to_string(), as_of.to_string()])?;
        while let Some(row) = rows.next()? {
            let k = keys.entry(row.get(0)?).or_default();
            let (last, first, due): (String, String, Option<String>) =
                (row.get(2)?, row.get(3)?, row.get(4)?);
            if k.latest.as_ref().is_none_or(|l| *l < last) {
                k.latest = Some(last);
            }
            if k.first.as_ref().is_none_or(|f| *f > first) {
                k.first = Some(first);
            }
            if due.is_some() && k.at_deadline < due {
                k.at_deadline = due;
            }
            if let Some(value_key) = row.get::<_, Option<String>>(5)? {
                k.years.push((row.get(1)?, value_key, row.get(6)?));
            }
        }
        drop(rows);
        let wanted: HashSet<i64> = keys
            .values()
            .flat_map(|k| [&k.latest, &k.first, &k.at_deadline])
            .flatten()
            .chain(keys.values().flat_map(|k| k.years.iter().map(|y| &y.1)))
            .filter_map(|k| key_id(k))
            .collect();
        let entries = self.entries_by_id(&wanted)?;
        let entry = |key: &Option<String>| -> Result<Option<Entry>> {
            let Some(key) = key else { return Ok(None) };
            let id = key_id(key).unwrap_or_default();
            match entries.get(&id) {
                Some(e) => Ok(Some(e.clone())),
                None => Err(StoreError::NoSuchEntry(id)),
            }
        };
        let mut snapshot = Snapshot::empty(as_of);
        for (item, k) in &keys {
            let mut facts = ItemFacts {
                latest: entry(&k.latest)?,
                first: entry(&k.first)?,
                at_deadline: entry(&k.at_deadline)?,
                ..ItemFacts::default()
            };
            for (year, value_key, sum) in &k.years {
                let last = entry(&Some(value_key.clone()))?
                    .and_then(|e| e.value())
                    .unwrap_or_default();
                facts.years.insert(*year, YearValues { last, sum: *sum });
                facts.total += sum;
            }
            snapshot.items.insert(ItemId(item.clone()), facts);
        }
        let mut stmt = self.conn.prepare_cached(UNIT_MONTHS)?;
        let mut rows = stmt.query([as_of.to_string()])?;
        while let Some(row) = rows.next()? {
            let (unit, last): (String, String) = (row.get(0)?, row.get(1)?);
            let Some(date) = parse_date(&last) else {
                continue;
            };
            let facts = snapshot.units.entry(UnitId(unit)).or_default();
            facts.months.insert(Month::of(date), date);
        }
        Ok(snapshot)
    }

    /// The entries with these numbers.
    fn entries_by_id(&self, ids: &HashSet<i64>) -> Result<HashMap<i64, Entry>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM entry e WHERE e.id IN (SELECT value FROM json_each(?1))"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([json!(ids).to_string()])?;
        let mut out = HashMap::with_capacity(ids.len());
        while let Some(row) = rows.next()? {
            let e = entry_of(row)?;
            out.insert(e.id, e);
        }
        Ok(out)
    }

    /// Streams the entries `scan` selects to `each`, one at a time.
    pub fn scan(&self, scan: &Scan, mut each: impl FnMut(Entry)) -> Result<()> {
        let live = if scan.live_only { LIVE } else { "1" };
        let order = if scan.newest_first {
            "e.id DESC"
        } else {
            "e.report_date, e.id"
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM entry e
             WHERE (?1 IS NULL OR e.item IN (SELECT value FROM json_each(?1)))
               AND e.report_date BETWEEN ?2 AND ?3 AND {live}
             ORDER BY {order}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let ids = scan.ids.map(|ids| json!(ids).to_string());
        // Stored dates are `YYYY-MM-DD`: these bounds hold every one of them.
        let from = scan.from.map_or("0000-01-01".into(), |d| d.to_string());
        let to = scan.to.map_or("9999-12-31".into(), |d| d.to_string());
        let mut rows = stmt.query(params![ids, from, to])?;
        while let Some(row) = rows.next()? {
            each(entry_of(row)?);
        }
        Ok(())
    }

    /// [`Store::scan`] into a vector.
    pub fn entries(&self, scan: &Scan) -> Result<Vec<Entry>> {
        let mut out = Vec::new();
        self.scan(scan, |e| out.push(e))?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use chrono::Days;
    use proptest::prelude::*;

    use super::*;
    use crate::model::{NewEntry, Reading, Status};

    /// The minimal example plan, with T-toilet once called T-old.
    fn plan() -> Plan {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/plans/minimal.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replace(
            "id = \"T-toilet\"\n",
            "id = \"T-toilet\"\nprevious_ids = [\"T-old\"]\n",
        );
        match crate::plan::load_bytes("minimal.toml", text.as_bytes(), &path, None) {
            Ok(loaded) => loaded.plan,
            Err(e) => panic!("{e}"),
        }
    }

    /// An entry to append: item, days after 2021-01-01, value (in halves, so that sums are
    /// exact) or status, unit, and which earlier entry (by position) it corrects, if any.
    type Draft = (usize, u64, Option<u32>, usize, Option<usize>);

    const ITEMS: &[&str] = &["M01", "T-toilet", "T-old", "MS-toilet-survey", "T-gone"];
    const UNITS: &[&str] = &["agri", "health", "counties"];

    fn draft() -> impl Strategy<Value = Draft> {
        (
            0..ITEMS.len(),
            0u64..1100,
            proptest::option::of(0u32..200),
            0..UNITS.len(),
            proptest::option::weighted(0.25, 0usize..40),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The snapshot built by SQL equals the one folded in Rust from the entries.
        #[test]
        fn sql_snapshot_equals_the_reference_fold(
            drafts in proptest::collection::vec(draft(), 0..40),
            as_of in 0u64..1200,
        ) {
            let plan = plan();
            let start = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();
            let mut store = Store::in_memory().unwrap();
            for (n, (item, day, value, unit, corrects)) in drafts.into_iter().enumerate() {
                let reading = match value {
                    Some(v) => Reading::Value(f64::from(v) / 2.0),
                    None => Reading::Status(Status::ALL[day as usize % Status::ALL.len()]),
                };
                let e = NewEntry {
                    item: ITEMS[item],
                    date: start + Days::new(day),
                    reading,
                    note: "",
                    unit: Some(UNITS[unit]),
                    recorded_at: "2021-01-01T09:00:00+08:00",
                    // A correction of an entry that does not exist or is already corrected
                    // is refused; the draft is then appended as a plain entry.
                    supersedes: corrects.filter(|c| *c < n).map(|c| c as i64 + 1),
                    plan_fingerprint: "test",
                };
                if store.append(&e).is_err() {
                    store.append(&NewEntry { supersedes: None, ..e }).unwrap();
                }
            }
            let as_of = start + Days::new(as_of);
            let entries = store.entries(&Scan::default()).unwrap();
            let expected = Snapshot::from_entries(&plan, as_of, entries);
            let got = store.snapshot(&plan, as_of).unwrap();
            prop_assert_eq!(got, expected);
        }
    }
}
