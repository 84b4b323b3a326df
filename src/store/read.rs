//! Reading the ledger: the snapshot reports judge from, and a stream of entries for the
//! history and the bulletin's list of updates.

use std::ops::ControlFlow;

use chrono::NaiveDate;
use foldhash::HashMap;
use rusqlite::types::ValueRef;
use rusqlite::{OptionalExtension, params};
use rustc_hash::FxHashMap;
use serde_json::json;

use super::{COLUMNS, LIVE, Result, Store, StoreError, entry_of, parse_date};
use crate::i18n::Message;
use crate::model::{
    Entry, Fact, ItemFacts, ItemId, Plan, Reading, Recorded, Snapshot, Status, Terms, UnitFacts,
    UnitId, Values, YearValues,
};

/// A report date not written as plantrack writes one: not text, or not `YYYY-MM-DD`. Asked
/// only of entries dated after the day folded, which are few when the day is today.
macro_rules! miswritten {
    () => {
        "typeof(report_date) <> 'text' \
         OR report_date NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"
    };
}
/// The entry numbers that a later entry supersedes, with the correction's number and unit:
/// few, and read from their own index. The `+` keeps SQLite from bounding the number through
/// the table instead, which reads every entry (0.1 s at 500,000).
const SUPERSEDED: &str =
    "SELECT supersedes, id, unit FROM entry WHERE supersedes IS NOT NULL AND +id <= ?1";

/// What the facts are folded from: every entry dated on or before ?1 and numbered from ?2 to
/// ?3, in storage order. A table scan reads the file sequentially, which beats any index when
/// most entries count; the numbers bound it through the primary key.
///
/// A date that is not written `YYYY-MM-DD` as text (a ledger edited outside plantrack) may
/// compare after every date, and the entry would be left out without a word: it is read too
/// (`miswritten!`), and the fold refuses it, naming the entry.
const FACT_ROWS: &str = concat!(
    "SELECT id, item, report_date, value, unit, status, plan_fingerprint FROM entry NOT INDEXED
     WHERE (report_date <= ?1 OR ",
    miswritten!(),
    ") AND id BETWEEN ?2 AND ?3"
);

/// [`FACT_ROWS`] dated after ?4 as well: the few entries of a few days, found through the
/// date index (the `+` keeps SQLite from scanning the table by number instead).
const FACT_ROWS_AFTER: &str = concat!(
    "SELECT id, item, report_date, value, unit, status, plan_fingerprint FROM entry
     WHERE (report_date <= ?1 OR ",
    miswritten!(),
    ") AND +id BETWEEN ?2 AND ?3 AND report_date > ?4"
);

/// Which entries a fold reads.
#[derive(Clone, Debug)]
pub(super) struct Entries {
    /// Those numbered in this range,
    pub ids: std::ops::RangeInclusive<i64>,
    /// and, when set, only those dated after this day.
    pub dated_after: Option<NaiveDate>,
}

/// Column `i` of the row of entry `id` as text, `None` where it is NULL.
fn text_at<'r>(row: &'r rusqlite::Row, i: usize, id: i64) -> Result<Option<&'r str>> {
    match row.get_ref(i)? {
        ValueRef::Null => Ok(None),
        v => v.as_str().map(Some).map_err(|e| StoreError::BadEntry {
            entry: id,
            why: e.to_string().into(),
        }),
    }
}

/// Column `i` of the row of entry `id` as a report date.
fn date_at(row: &rusqlite::Row, i: usize, id: i64) -> Result<NaiveDate> {
    let text = text_at(row, i, id)?.unwrap_or_default();
    parse_date(text).ok_or_else(|| StoreError::BadEntry {
        entry: id,
        why: super::error::not_a_date(text),
    })
}

/// Asks the processor to bring `value` into its cache, without waiting for it.
#[inline(always)]
fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint: it reads nothing and cannot fault, and the address
    // is that of a live reference.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(value).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// The entry that supersedes another, and the unit that recorded it.
pub(super) struct Correction {
    pub entry: i64,
    pub unit: Option<String>,
}

/// The ledger's last entry when it was read, and every entry up to it that a correction
/// supersedes (by the superseded entry's number).
pub(super) struct Corrections {
    pub last: i64,
    pub superseded: FxHashMap<i64, Correction>,
}

/// An entry's place in time: the latest entry is the greatest (report date, number).
type At = (NaiveDate, i64);

/// Adds one live entry to an item's facts while the ledger is folded (in storage order, not
/// report order); `reading` is read only when the entry becomes a fact, and `recorded` only
/// when it becomes the latest.
fn add(
    facts: &mut ItemFacts,
    now: At,
    terms: Terms,
    value: Option<f64>,
    reading: impl Fn() -> Result<Reading>,
    recorded: impl FnOnce() -> Result<Recorded>,
) -> Result<()> {
    let fact = || -> Result<Fact> {
        Ok(Fact {
            entry: now.1,
            date: now.0,
            reading: reading()?,
        })
    };
    if facts.latest.is_none_or(|l| now > l.at()) {
        facts.latest = Some(fact()?);
        facts.recorded = recorded()?;
    }
    if facts.first.is_none_or(|f| now < f.at()) {
        facts.first = Some(fact()?);
    }
    let due = terms.due;
    if now.0 <= due && facts.at_deadline.is_none_or(|f| now > f.at()) {
        facts.at_deadline = Some(fact()?);
    }
    if let Some(v) = value {
        facts.total += v;
        if now.0 <= due {
            facts.total_at_deadline += v;
        }
    }
    if let (Some(v), true) = (value, terms.per_year) {
        let y = facts.year_mut(YearValues {
            year: chrono::Datelike::year(&now.0),
            last: v,
            last_date: now.0,
            last_entry: now.1,
            sum: 0.0,
        });
        if now >= (y.last_date, y.last_entry) {
            (y.last, y.last_date, y.last_entry) = (v, now.0, now.1);
        }
        y.sum += v;
    }
    Ok(())
}

/// What folding the ledger's entries into snapshots reads: the plan, the days, the
/// corrections, and what it needs of each item.
#[derive(Clone, Copy)]
struct Fold<'a> {
    plan: &'a Plan,
    /// The facts are folded as they stand on each of these days.
    days: &'a [NaiveDate],
    superseded: &'a FxHashMap<i64, Correction>,
    /// By the item's position in the plan.
    known: &'a [Known],
    /// Whether to keep every value up to the last day ([`Values`]).
    values: bool,
    /// Only entries dated after this day.
    dated_after: Option<NaiveDate>,
}

/// What the fold of an entry needs of its item. Read once for every item, in plan order, so
/// that an entry's fold touches only this and the item's facts, and not the item itself,
/// which is somewhere else in memory for each entry (that was a third of the fold's time).
#[derive(Clone, Copy)]
struct Known {
    terms: Terms,
    /// Assigned to a group whose members' own facts are kept.
    grouped: bool,
    /// Has former ids, which entries may be recorded under.
    renamed: bool,
}

impl Known {
    fn all(plan: &Plan) -> Vec<Known> {
        let known = |item| Known {
            terms: Terms::of(plan, item),
            grouped: !plan.members(item).is_empty(),
            renamed: !item.previous_ids().is_empty(),
        };
        plan.items().map(known).collect()
    }
}

/// What one fold of some of the entries found on one day.
struct OnDay<'p> {
    /// By the item's position in the plan.
    items: Vec<ItemFacts>,
    /// Each member's own facts about an item assigned to its group.
    members: FxHashMap<(&'p ItemId, &'p UnitId), ItemFacts>,
    /// By the unit id recorded.
    units: HashMap<String, UnitFacts>,
    /// The plan versions the latest entries were recorded against, in the order met.
    plans: Vec<String>,
}

impl<'p> OnDay<'p> {
    fn new(plan: &Plan) -> OnDay<'p> {
        OnDay {
            items: vec![ItemFacts::default(); plan.len()],
            members: FxHashMap::default(),
            units: HashMap::default(),
            plans: Vec::new(),
        }
    }

    /// The facts of `snapshot`, a snapshot of `plan`, to fold more entries into.
    fn of(plan: &'p Plan, snapshot: Snapshot) -> OnDay<'p> {
        let member = |((item, unit), facts): ((ItemId, UnitId), ItemFacts)| {
            let item = plan.item(item.as_str())?;
            let unit = plan.members(item).iter().find(|m| **m == unit)?;
            Some(((item.id(), unit), facts))
        };
        let unit = |(unit, facts): (UnitId, UnitFacts)| (unit.as_str().to_string(), facts);
        OnDay {
            items: snapshot.items,
            members: snapshot.members.into_iter().filter_map(member).collect(),
            units: snapshot.units.into_iter().map(unit).collect(),
            plans: snapshot.plans,
        }
    }

    /// The snapshot on `day`.
    fn snapshot(self, day: NaiveDate) -> Snapshot {
        let mut snapshot = Snapshot::empty(day);
        snapshot.items = self.items;
        for ((item, unit), facts) in self.members {
            snapshot.members.insert((item.clone(), unit.clone()), facts);
        }
        for (unit, facts) in self.units {
            snapshot.units.insert(UnitId::from(unit), facts);
        }
        snapshot.plans = self.plans;
        snapshot.canonical()
    }
}

/// What is folded for each of `days` on which an entry dated `date` counts.
fn counting<'f, 'p>(
    days: &'f [NaiveDate],
    folded: &'f mut [OnDay<'p>],
    date: NaiveDate,
) -> impl Iterator<Item = &'f mut OnDay<'p>> {
    let on = folded.iter_mut().zip(days);
    on.filter_map(move |(on, day)| (date <= *day).then_some(on))
}

/// What one fold of some of the entries found: the facts on each day, and the values.
struct Folded<'p> {
    days: Vec<OnDay<'p>>,
    /// Empty unless asked for.
    values: Values,
}

impl<'a> Fold<'a> {
    /// Folds the entries numbered in `entries` into the facts of every item and unit on each
    /// of the days.
    fn run(
        &self,
        conn: &rusqlite::Connection,
        entries: std::ops::RangeInclusive<i64>,
    ) -> Result<Folded<'a>> {
        let days = self.days.iter().map(|_| OnDay::new(self.plan)).collect();
        self.run_onto(conn, entries, days)
    }

    /// [`Fold::run`] into `days`, the facts on each of the days so far.
    fn run_onto(
        &self,
        conn: &rusqlite::Connection,
        entries: std::ops::RangeInclusive<i64>,
        days: Vec<OnDay<'a>>,
    ) -> Result<Folded<'a>> {
        let plan = self.plan;
        let supervisor = plan.meta.supervisor.as_ref().map(UnitId::as_str);
        let mut folded = Folded {
            days,
            values: match self.values {
                true => vec![Vec::new(); plan.len()],
                false => Vec::new(),
            },
        };
        let last_day = self.days.iter().max().copied().unwrap_or(NaiveDate::MIN);
        let (from, to) = entries.into_inner();
        let last_day = last_day.to_string();
        let mut stmt;
        let mut rows = match self.dated_after {
            None => {
                stmt = conn.prepare_cached(FACT_ROWS)?;
                stmt.query(params![last_day, from, to])?
            }
            Some(after) => {
                stmt = conn.prepare_cached(FACT_ROWS_AFTER)?;
                stmt.query(params![last_day, from, to, after.to_string()])?
            }
        };
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            // A correction counts instead of the entry it corrects; one by the supervision
            // office still leaves the corrected unit the credit of having reported.
            let corrected = self.superseded.get(&id).map(|c| c.unit.as_deref());
            let credited = corrected.is_some_and(|by| by == supervisor && by.is_some());
            if corrected.is_some() && !credited {
                continue;
            }
            let bad = |why: Message| StoreError::BadEntry { entry: id, why };
            let text = |i: usize| text_at(row, i, id);
            let date = date_at(row, 2, id)?;
            // The item's facts and what the fold needs of it are somewhere else in memory for
            // every entry: asked for now, they arrive while the rest of the row is read.
            let found = text(1)?.and_then(|i| plan.locate(i));
            if let Some((pos, _)) = found {
                prefetch(&self.known[pos]);
                for on in counting(self.days, &mut folded.days, date) {
                    prefetch(&on.items[pos]);
                }
            }
            if let Some(unit) = text(4)? {
                for on in counting(self.days, &mut folded.days, date) {
                    match on.units.get_mut(unit) {
                        Some(u) => u.add(date),
                        None => on.units.entry(unit.to_string()).or_default().add(date),
                    }
                }
            }
            if credited {
                continue;
            }
            let Some((pos, item)) = found else {
                continue;
            };
            let value: Option<f64> = row.get(3).map_err(|e| bad(e.to_string().into()))?;
            if let (Some(v), Some(values)) = (value, folded.values.get_mut(pos)) {
                values.push((date, v));
            }
            let reading = || match (value, text(5)?) {
                (Some(v), _) => Ok(Reading::Value(v)),
                (None, Some(s)) if let Some(status) = Status::parse(s) => {
                    Ok(Reading::Status(status))
                }
                (None, s) => Err(bad(Message::new("neither a value nor a known status: {s}")
                    .with("s", format!("{s:?}")))),
            };
            let Known {
                terms,
                grouped,
                renamed,
            } = self.known[pos];
            let member = match text(4)? {
                Some(u) if grouped => plan.members(item).iter().find(|m| m.as_str() == u),
                _ => None,
            };
            let now = (date, id);
            for on in counting(self.days, &mut folded.days, date) {
                let plans = &mut on.plans;
                let mut recorded = || -> Result<Recorded> {
                    let fingerprint = text(6)?.unwrap_or_default();
                    Ok(match renamed {
                        true => {
                            let under = text(1)?.unwrap_or_default();
                            Recorded::of(item, under, fingerprint, plans)
                        }
                        false => Recorded {
                            plan: Recorded::of_version(fingerprint, plans),
                            under: 0,
                        },
                    })
                };
                if let Some(m) = member {
                    let facts = on.members.entry((item.id(), m)).or_default();
                    add(facts, now, terms, value, reading, &mut recorded)?;
                }
                add(
                    &mut on.items[pos],
                    now,
                    terms,
                    value,
                    reading,
                    &mut recorded,
                )?;
            }
        }
        Ok(folded)
    }
}

/// The number of entries from which [`Store::snapshot`] folds them on two cores: below it,
/// the second connection and thread cost more than they save (a millisecond at 1,000 items
/// with 5,000 entries).
const SPLIT_AT: i64 = 25_000;

/// Whether a fold splits the ledger's entries in two, by how many there are.
#[derive(Clone, Copy, Debug)]
pub(super) enum Split {
    /// From [`SPLIT_AT`] entries up.
    BySize,
    /// Always, or never (tests).
    #[cfg(test)]
    Always(bool),
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

impl Store {
    /// What the live entries say about every item and unit of `plan` on `as_of`: one scan
    /// of the entries folded into each item's and unit's facts, then one lookup of the
    /// entries the facts name. [`Snapshot::from_entries`] is the reference it must equal.
    pub fn snapshot(&self, plan: &Plan, as_of: NaiveDate) -> Result<Snapshot> {
        let (mut snapshots, _) = self.snapshots_in(plan, &[as_of], Split::BySize, false)?;
        Ok(snapshots.pop().expect("one snapshot for one day"))
    }

    /// [`Store::snapshot`] on each of `days`, and every live value dated on or before the
    /// last of them (what the targets' trends are drawn from), all read in one scan.
    pub fn snapshots_with_values(
        &self,
        plan: &Plan,
        days: &[NaiveDate],
    ) -> Result<(Vec<Snapshot>, Values)> {
        self.snapshots_in(plan, days, Split::BySize, true)
    }

    /// [`Store::snapshots_with_values`], folding the entries in two halves at once when
    /// `split`, and with the values only when `values`.
    fn snapshots_in(
        &self,
        plan: &Plan,
        days: &[NaiveDate],
        split: Split,
        values: bool,
    ) -> Result<(Vec<Snapshot>, Values)> {
        let corrections = self.corrections()?;
        let everything = Entries {
            ids: 0..=corrections.last,
            dated_after: None,
        };
        self.fold(plan, days, &corrections, everything, split, values)
    }

    /// The facts on each of `days` that the live `entries` give (a correction elsewhere in
    /// `corrections` still takes the entry it corrects out), and the values when `values`.
    pub(super) fn fold(
        &self,
        plan: &Plan,
        days: &[NaiveDate],
        corrections: &Corrections,
        entries: Entries,
        split: Split,
        values: bool,
    ) -> Result<(Vec<Snapshot>, Values)> {
        let fold = Fold {
            plan,
            days,
            superseded: &corrections.superseded,
            known: &Known::all(plan),
            values,
            dated_after: entries.dated_after,
        };
        // The entries are folded in two parts at once, on two cores, each on its own
        // connection, and the two parts' facts merged. A ledger that cannot be opened twice
        // (in memory) is folded in one go.
        let (first, last) = entries.ids.into_inner();
        let split = match split {
            // The entries of a few days are few, whatever their numbers.
            Split::BySize => last - first >= SPLIT_AT && entries.dated_after.is_none(),
            #[cfg(test)]
            Split::Always(split) => split,
        };
        let last_day = days.iter().max().copied().unwrap_or(NaiveDate::MIN);
        let middle = match split {
            true => self.middle(first, last, last_day)?,
            false => last,
        };
        let (mine, theirs) = match split.then(|| self.open_again()).flatten() {
            Some(other) => {
                let (mine, theirs) = crate::join(
                    || fold.run(&self.conn, first..=middle),
                    move || fold.run(&other, middle + 1..=last),
                );
                (mine, Some(theirs))
            }
            None => (fold.run(&self.conn, first..=last), None),
        };
        let mut all = mine?;
        let mut theirs = theirs.transpose()?;
        let mut their_days = theirs
            .as_mut()
            .map(|t| std::mem::take(&mut t.days).into_iter());
        let mut snapshots = Vec::with_capacity(days.len());
        for (on, &day) in all.days.drain(..).zip(days) {
            let mut snapshot = on.snapshot(day);
            if let Some(other) = their_days.as_mut().and_then(Iterator::next) {
                snapshot = snapshot.merge(other.snapshot(day));
            }
            snapshots.push(snapshot);
        }
        // The other fold read later entries: its values follow.
        if let Some(theirs) = theirs {
            for (mine, theirs) in all.values.iter_mut().zip(theirs.values) {
                mine.extend(theirs);
            }
        }
        Ok((snapshots, all.values))
    }

    /// Where to split the entries `first..=last` between two cores so that both have as much
    /// to do. Reading an entry dated after `last_day` costs next to nothing; an entry that
    /// counts is decoded and folded. A ledger is recorded about in date order, so for a day
    /// in the middle of its years the entries that count are mostly the earlier ones, and
    /// halving by number left one core most of the work (as of 2023-06-30 at 100k: 0.44 s
    /// for the fold). Estimated from [`SAMPLES`] entries evenly spaced by number, each found
    /// by its number in the table's tree.
    fn middle(&self, first: i64, last: i64, last_day: NaiveDate) -> Result<i64> {
        const SAMPLES: i64 = 256;
        // The work of an entry that counts, against one only read.
        const COUNTS: u64 = 10;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT report_date FROM entry WHERE id >= ?1 ORDER BY id LIMIT 1")?;
        // Compared as the fold's query compares them: as text.
        let last_day = last_day.to_string();
        let step = ((last - first) / SAMPLES).max(1);
        let mut weights = Vec::with_capacity(SAMPLES as usize + 1);
        for at in (first..=last).step_by(step as usize) {
            // A date that is not text is the fold's to report, naming its entry; here it
            // weighs as an entry that does not count.
            let date: Option<Option<String>> = stmt
                .query_row(params![at], |row| {
                    Ok(row.get_ref(0)?.as_str().ok().map(str::to_string))
                })
                .optional()?;
            let date = date.flatten();
            let counts = date.is_some_and(|d| d <= last_day);
            weights.push((at, if counts { COUNTS } else { 1 }));
        }
        let total: u64 = weights.iter().map(|&(_, w)| w).sum();
        let mut sum = 0;
        for (at, w) in weights {
            sum += w;
            if 2 * sum >= total {
                return Ok((at + step - 1).clamp(first, last));
            }
        }
        Ok(first + (last - first) / 2)
    }

    /// `kept`, the facts on its day, with the live `entries` folded into them, in one go:
    /// for a few entries (those recorded or dated since the facts were kept), which touch
    /// few items, without a second set of facts for every item beside them.
    pub(super) fn fold_onto(
        &self,
        plan: &Plan,
        kept: Snapshot,
        corrections: &Corrections,
        entries: Entries,
    ) -> Result<Snapshot> {
        let day = kept.as_of;
        let fold = Fold {
            plan,
            days: &[day],
            superseded: &corrections.superseded,
            known: &Known::all(plan),
            values: false,
            dated_after: entries.dated_after,
        };
        let mut folded = fold.run_onto(&self.conn, entries.ids, vec![OnDay::of(plan, kept)])?;
        let on = folded.days.pop().expect("the one day folded onto");
        Ok(on.snapshot(day))
    }

    /// A second connection to the same ledger, for one scan: with a small page cache, which
    /// a scan of the whole table does not use.
    fn open_again(&self) -> Option<rusqlite::Connection> {
        if self.conn.path().is_none_or(str::is_empty) {
            return None;
        }
        let conn = Store::open_reading(&self.path).ok()?;
        conn.pragma_update(None, "cache_size", -256).ok()?;
        Some(conn)
    }

    /// Streams the entries `scan` selects to `each`, one at a time, until `each` breaks.
    pub fn scan(&self, scan: &Scan, mut each: impl FnMut(Entry) -> ControlFlow<()>) -> Result<()> {
        let live = if scan.live_only { LIVE } else { "1" };
        // Newest first walks the table backwards: the date bound must not use the date index
        // (`+`), which would sort every entry in the range before the first could be read
        // (0.3 s before `history | head -1` printed at 500,000 entries).
        let (order, date) = if scan.newest_first {
            ("e.id DESC", "+e.report_date")
        } else {
            ("e.report_date, e.id", "e.report_date")
        };
        // Two statements, not `?1 IS NULL OR …`: with the OR, SQLite cannot use the item
        // index, and one item's history read every entry in the date range (0.3 s at 500k).
        let items = match scan.ids {
            Some(_) => "e.item IN (SELECT value FROM json_each(?1))",
            None => "?1 IS NULL",
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM entry e
             WHERE {items} AND {date} BETWEEN ?2 AND ?3 AND {live}
             ORDER BY {order}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let ids = scan.ids.map(|ids| json!(ids).to_string());
        // Stored dates are `YYYY-MM-DD`: these bounds hold every one of them.
        let from = scan.from.map_or("0000-01-01".into(), |d| d.to_string());
        let to = scan.to.map_or("9999-12-31".into(), |d| d.to_string());
        let mut rows = stmt.query(params![ids, from, to])?;
        while let Some(row) = rows.next()? {
            if each(entry_of(row)?).is_break() {
                break;
            }
        }
        Ok(())
    }

    /// The last entry now, and the entries up to it that a correction supersedes. A read
    /// that goes on to scan the entries is bounded by that last entry, so that it sees the
    /// same entries as the corrections while another process appends: the ledger is
    /// append-only (its triggers refuse changes), so no entry up to it can change.
    pub(super) fn corrections(&self) -> Result<Corrections> {
        let last = self.last_entry()?;
        let mut stmt = self.conn.prepare_cached(SUPERSEDED)?;
        let correction = |r: &rusqlite::Row| {
            let (entry, unit) = (r.get(1)?, r.get(2)?);
            Ok((r.get(0)?, Correction { entry, unit }))
        };
        let superseded = stmt.query_map([last], correction)?;
        Ok(Corrections {
            last,
            superseded: superseded.collect::<rusqlite::Result<_>>()?,
        })
    }

    /// [`Store::scan`] into a vector.
    pub fn entries(&self, scan: &Scan) -> Result<Vec<Entry>> {
        let mut out = Vec::new();
        self.scan(scan, |e| {
            out.push(e);
            ControlFlow::Continue(())
        })?;
        Ok(out)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::path::Path;

    use chrono::Days;
    use proptest::prelude::*;

    use super::*;
    use crate::model::{NewEntry, Reading, Status};

    /// The minimal example plan, with T-toilet once called T-old and set year by year (so
    /// that its values are kept per year).
    pub fn plan() -> Plan {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/plans/minimal.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replace(
            "id = \"T-toilet\"\n",
            "id = \"T-toilet\"\nprevious_ids = [\"T-old\"]\nyears = [2021, 2022]\n",
        );
        match crate::plan::load_bytes("minimal.toml", text.as_bytes(), &path, None) {
            Ok(loaded) => loaded.plan,
            Err(e) => panic!("{e}"),
        }
    }

    /// An entry to append: item, days after 2021-01-01, value (in halves, so that sums are
    /// exact) or status, unit, and which earlier entry (by position) it corrects, if any.
    pub type Draft = (usize, u64, Option<u32>, usize, Option<usize>);

    const ITEMS: &[&str] = &["M01", "T-toilet", "T-old", "MS-toilet-survey", "T-gone"];
    // dukaoban is the supervisor, whose corrections leave the corrected unit its credit.
    const UNITS: &[&str] = &["agri", "health", "counties", "dukaoban"];

    pub fn draft() -> impl Strategy<Value = Draft> {
        (
            0..ITEMS.len(),
            0u64..1100,
            proptest::option::of(0u32..200),
            0..UNITS.len(),
            proptest::option::weighted(0.25, 0usize..40),
        )
    }

    /// The first day a draft can be dated.
    pub fn start() -> NaiveDate {
        NaiveDate::from_ymd_opt(2021, 1, 1).unwrap()
    }

    /// Appends `drafts` to `store`, numbered after the entries it holds.
    pub fn append(store: &mut Store, drafts: &[Draft]) {
        let held = store.entries(&Scan::default()).unwrap().len();
        for (k, &(item, day, value, unit, corrects)) in drafts.iter().enumerate() {
            let n = held + k;
            let reading = match value {
                Some(v) => Reading::Value(f64::from(v) / 2.0),
                None => Reading::Status(Status::ALL[day as usize % Status::ALL.len()]),
            };
            let e = NewEntry {
                item: ITEMS[item],
                date: start() + Days::new(day),
                reading,
                note: "",
                unit: Some(UNITS[unit]),
                recorded_at: "2021-01-01T09:00:00+08:00",
                // A correction of an entry that does not exist or is already corrected is
                // refused; the draft is then appended as a plain entry.
                supersedes: corrects.filter(|c| *c < n).map(|c| c as i64 + 1),
                // Several plan versions, so that their order in the snapshot is tested.
                plan_fingerprint: ["v2", "v1", "v3"][n % 3],
            };
            if store.append(&e).is_err() {
                store
                    .append(&NewEntry {
                        supersedes: None,
                        ..e
                    })
                    .unwrap();
            }
        }
    }

    /// Entries recorded in date order, split for a day a quarter of the way through: the
    /// entries that count are the first quarter, and they are shared out, not given to one
    /// core with half of the others.
    #[test]
    fn the_split_shares_out_the_entries_that_count() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("ledger.db")).unwrap();
        let drafts: Vec<Draft> = (0..1000).map(|d| (0, d, Some(1), 0, None)).collect();
        append(&mut store, &drafts);
        let quarter = start() + Days::new(249);
        let middle = store.middle(1, 1000, quarter).unwrap();
        // Half of what counts is 125 entries (weight 10 each), and the 750 others weigh one
        // each, so the weights halve near entry 160.
        assert!((130..=200).contains(&middle), "{middle}");
        // When every entry counts, or none does, the split is at the half.
        for day in [start() + Days::new(2000), start() - Days::new(1)] {
            let middle = store.middle(1, 1000, day).unwrap();
            assert!((490..=510).contains(&middle), "{day}: {middle}");
        }
        // A sampled entry whose date is not text (a damaged ledger) is the fold's to report
        // or skip: the split is still made.
        let damage = "DROP TRIGGER IF EXISTS entry_no_update;
                      UPDATE entry SET report_date = X'3230' WHERE id = 1";
        store.conn.execute_batch(damage).unwrap();
        assert!(store.middle(1, 1000, quarter).is_ok());
    }

    /// The corrections are read through their own index, not by reading every entry.
    #[test]
    fn the_corrections_are_read_through_their_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("ledger.db")).unwrap();
        let sql = format!("EXPLAIN QUERY PLAN {SUPERSEDED}");
        let mut stmt = store.conn.prepare(&sql).unwrap();
        let plan: Vec<String> = stmt
            .query_map([1], |r| r.get(3))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(
            plan.iter()
                .any(|step| step.contains("INDEX entry_supersedes")),
            "{plan:?}"
        );
    }

    proptest! {
        #![proptest_config(crate::testing::proptest_config(64))]

        /// The snapshots built by SQL, of two days in one scan or of one, equal those folded
        /// in Rust from the entries, and the values read with them are every live value up
        /// to the later day.
        #[test]
        fn sql_snapshot_equals_the_reference_fold(
            drafts in proptest::collection::vec(draft(), 0..40),
            as_of in 0u64..1200,
            other_day in 0u64..1200,
        ) {
            let plan = plan();
            // A file, so that the snapshot folds the items in two halves on two connections.
            let dir = tempfile::tempdir().unwrap();
            let mut store = Store::open(&dir.path().join("ledger.db")).unwrap();
            append(&mut store, &drafts);
            let days = [start() + Days::new(as_of), start() + Days::new(other_day)];
            let mut entries = store.entries(&Scan::default()).unwrap();
            // Every live value up to the later day, by item, in the order of entry numbers.
            entries.sort_by_key(|e| e.id);
            let last = days.iter().max().copied().unwrap();
            let mut values = vec![Vec::new(); plan.len()];
            for e in entries.iter().filter(|e| e.superseded_by.is_none() && e.date <= last) {
                if let (Some((pos, _)), Some(v)) = (plan.locate(&e.item), e.reading.value()) {
                    values[pos].push((e.date, v));
                }
            }
            let facts = days.map(|day| Snapshot::from_entries(&plan, day, entries.clone()));
            for split in [false, true] {
                let got = store.snapshots_in(&plan, &days, Split::Always(split), true).unwrap();
                prop_assert_eq!(&got.0, &facts, "split: {}", split);
                prop_assert_eq!(&got.1, &values, "split: {}", split);
                let (one, _) = store
                    .snapshots_in(&plan, &days[..1], Split::Always(split), false)
                    .unwrap();
                prop_assert_eq!(&one, &facts[..1], "split: {}, one day", split);
            }
        }
    }
}
