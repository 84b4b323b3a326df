//! The ledger as a value: entries, and the snapshot of what they say on an as-of date.
//!
//! The store builds a [`Snapshot`] from one scan of the ledger; [`Snapshot::from_entries`]
//! builds the same facts by folding whole entries in order. The two must agree (a property
//! test in the store checks it), and tests of the judging rules use the second, with no
//! database.

use std::collections::BTreeMap;

use foldhash::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::calendar::Month;
use super::{Item, ItemId, Plan, Status, UnitId};

/// What an entry records: a status (milestones, measures) or a value (targets).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reading {
    Status(Status),
    Value(f64),
}

impl Reading {
    pub fn value(self) -> Option<f64> {
        match self {
            Reading::Value(v) => Some(v),
            Reading::Status(_) => None,
        }
    }

    pub fn status(self) -> Option<Status> {
        match self {
            Reading::Status(s) => Some(s),
            Reading::Value(_) => None,
        }
    }
}

/// What one entry says about its item, without who recorded it and why: enough to judge by.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    /// The entry's number.
    pub entry: i64,
    #[serde(with = "days")]
    pub date: NaiveDate,
    pub reading: Reading,
}

impl Fact {
    pub fn value(&self) -> Option<f64> {
        self.reading.value()
    }

    pub fn status(&self) -> Option<Status> {
        self.reading.status()
    }

    /// The fact's place in time: of two, the later is the greater (report date, number).
    pub fn at(&self) -> (NaiveDate, i64) {
        (self.date, self.entry)
    }
}

/// A ledger row as the file holds it, read without trusting it: each column as text (or
/// `None` where it is NULL), for `check` to audit. A value stored as a number keeps it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoredRow {
    pub id: i64,
    pub item: Option<String>,
    pub report_date: Option<String>,
    pub status: Option<String>,
    /// The value: a number, or the text found where a number belongs.
    pub value: Option<Result<f64, String>>,
    pub unit: Option<String>,
    pub recorded_at: Option<String>,
    pub supersedes: Option<i64>,
    pub plan_fingerprint: Option<String>,
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
    /// When it was recorded: RFC 3339 with the recording machine's local offset.
    pub recorded_at: String,
    pub supersedes: Option<i64>,
    pub superseded_by: Option<i64>,
    pub plan_fingerprint: String,
}

impl Entry {
    pub fn value(&self) -> Option<f64> {
        self.reading.value()
    }

    pub fn status(&self) -> Option<Status> {
        self.reading.status()
    }

    /// What the entry says about its item.
    pub fn fact(&self) -> Fact {
        Fact {
            entry: self.id,
            date: self.date,
            reading: self.reading,
        }
    }

    /// "Latest" order: the greater report date, then the greater entry number.
    pub fn order(&self) -> (NaiveDate, i64) {
        (self.date, self.id)
    }

    /// Not corrected by a later entry.
    pub fn is_live(&self) -> bool {
        self.superseded_by.is_none()
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

/// The values of one calendar year of an item.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct YearValues {
    pub year: i32,
    /// The date of the year's latest value.
    #[serde(with = "days")]
    pub last_date: NaiveDate,
    /// The value of the year's latest value entry.
    pub last: f64,
    /// That entry's number (of two on the same date, the later entry is the latest).
    pub last_entry: i64,
    /// The sum of the year's values (for counts reported as increments).
    pub sum: f64,
}

/// What the live entries about one item (under its current or a former id) say on the
/// snapshot's date. Every fact looks only at entries dated on or before that date.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemFacts {
    /// What the latest live entry says.
    pub latest: Option<Fact>,
    /// How the latest live entry was recorded (meaningless without one).
    pub recorded: Recorded,
    /// The first live entry.
    pub first: Option<Fact>,
    /// The latest live entry dated on or before the item's deadline.
    pub at_deadline: Option<Fact>,
    /// The sum of the live values.
    pub total: f64,
    /// The sum of the live values dated on or before the item's deadline.
    pub total_at_deadline: f64,
    /// Per calendar year that has values, in order (a few per item: a list, not a map); kept
    /// only for a target set per year, the only kind judged by them.
    /// Boxed: the other items pay 8 bytes for it.
    pub years: Option<Box<Vec<YearValues>>>,
}

/// How an item's latest entry was recorded: against which version of the plan, and under
/// which of the item's ids. Small, so that a snapshot of 100,000 items stays small: the
/// versions are a few strings kept once in the [`Snapshot`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorded {
    /// The plan version's fingerprint: an index into [`Snapshot::plans`].
    pub plan: u32,
    /// 0 for the item's current id, k for its k-th former id.
    pub under: u16,
}

impl Recorded {
    /// How `e`, an entry about `item`, was recorded; its plan fingerprint interned in `plans`.
    pub fn of(
        item: Item<'_>,
        recorded_id: &str,
        fingerprint: &str,
        plans: &mut Vec<String>,
    ) -> Recorded {
        let plan = Recorded::of_version(fingerprint, plans);
        let under = item
            .previous_ids()
            .iter()
            .position(|f| f.as_str() == recorded_id)
            .map_or(0, |k| k + 1);
        Recorded {
            plan,
            under: under as u16,
        }
    }

    /// The number of the plan version `fingerprint` in `plans`, where it is added if new.
    pub fn of_version(fingerprint: &str, plans: &mut Vec<String>) -> u32 {
        let at = match plans.iter().position(|p| p == fingerprint) {
            Some(i) => i,
            None => {
                plans.push(fingerprint.to_string());
                plans.len() - 1
            }
        };
        at as u32
    }
}

impl ItemFacts {
    /// The values of `first`'s year, which is `first` when the year has none yet (kept in
    /// year order).
    pub fn year_mut(&mut self, first: YearValues) -> &mut YearValues {
        let years = self.years.get_or_insert_default();
        let i = match years.binary_search_by_key(&first.year, |y| y.year) {
            Ok(i) => i,
            Err(i) => {
                years.insert(i, first);
                i
            }
        };
        &mut years[i]
    }

    /// The values of calendar year `year`, if it has any.
    pub fn year(&self, year: i32) -> Option<&YearValues> {
        self.years.as_deref()?.iter().find(|y| y.year == year)
    }
}

/// What the live entries a unit recorded say on the snapshot's date.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitFacts {
    /// The date of the unit's latest report in each month it reported in.
    #[serde(with = "month_days")]
    pub months: BTreeMap<Month, NaiveDate>,
}

/// What folding an item's entries needs to know of the item: its deadline, and whether it
/// is judged year by year (only then are its values kept per year).
#[derive(Clone, Copy, Debug)]
pub struct Terms {
    pub due: NaiveDate,
    pub per_year: bool,
}

impl Terms {
    pub fn of(plan: &Plan, item: Item<'_>) -> Terms {
        Terms {
            due: plan.due(item),
            per_year: matches!(item, Item::Target(t) if !t.years.is_empty()),
        }
    }
}

impl ItemFacts {
    /// Takes in what a fold of other entries about the same item found, as if one fold had
    /// read them all (the entries of a ledger folded in parts at once).
    pub fn merge(&mut self, other: ItemFacts) {
        let both = |mine: Option<Fact>, theirs: Option<Fact>| mine.into_iter().chain(theirs);
        if let Some(theirs) = other.latest
            && self.latest.is_none_or(|mine| theirs.at() > mine.at())
        {
            self.latest = Some(theirs);
            self.recorded = other.recorded;
        }
        self.first = both(self.first, other.first).min_by_key(Fact::at);
        self.at_deadline = both(self.at_deadline, other.at_deadline).max_by_key(Fact::at);
        self.total += other.total;
        self.total_at_deadline += other.total_at_deadline;
        for theirs in other.years.into_iter().flat_map(|years| *years) {
            let (sum, mine) = (theirs.sum, self.year_mut(YearValues { sum: 0.0, ..theirs }));
            if (theirs.last_date, theirs.last_entry) > (mine.last_date, mine.last_entry) {
                (mine.last, mine.last_date, mine.last_entry) =
                    (theirs.last, theirs.last_date, theirs.last_entry);
            }
            mine.sum += sum;
        }
    }

    /// Adds the next live entry (in report order) about an item with these terms.
    fn fold(&mut self, e: &Entry, terms: Terms, recorded: Recorded) {
        let due = terms.due;
        if self.first.is_none() {
            self.first = Some(e.fact());
        }
        if e.date <= due {
            self.at_deadline = Some(e.fact());
        }
        if let Some(v) = e.value() {
            self.total += v;
            if e.date <= due {
                self.total_at_deadline += v;
            }
        }
        if let (Some(v), true) = (e.value(), terms.per_year) {
            let year = self.year_mut(YearValues {
                year: e.date.year(),
                last_date: e.date,
                ..YearValues::default()
            });
            year.last = v;
            year.last_date = e.date;
            year.last_entry = e.id;
            year.sum += v;
        }
        self.latest = Some(e.fact());
        self.recorded = recorded;
    }
}

impl UnitFacts {
    /// Counts a report dated `date`.
    pub fn add(&mut self, date: NaiveDate) {
        let last = self.months.entry(Month::of(date)).or_insert(date);
        *last = (*last).max(date);
    }

    /// Takes in what a fold of other entries by the same unit found.
    pub fn merge(&mut self, other: UnitFacts) {
        other.months.into_values().for_each(|date| self.add(date));
    }

    /// The date of the unit's latest report.
    pub fn last_report(&self) -> Option<NaiveDate> {
        self.months.values().next_back().copied()
    }

    /// Whether the unit reported in any month from `from` to `to`, both included.
    pub fn reported_in(&self, from: Month, to: Month) -> bool {
        self.months.range(from..=to).next().is_some()
    }
}

/// The ledger's facts for one plan on one as-of date: the only thing reports read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    #[serde(with = "days")]
    pub as_of: NaiveDate,
    /// By the item's position in the plan ([`Plan::position`]); empty when nothing was
    /// folded.
    pub items: Vec<ItemFacts>,
    /// By the unit id recorded.
    pub units: HashMap<UnitId, UnitFacts>,
    /// For an item assigned to a group with members: each member's own facts, from the
    /// entries that member recorded.
    pub members: HashMap<(ItemId, UnitId), ItemFacts>,
    /// The fingerprints of the plan versions the latest entries were recorded against, in
    /// order ([`Recorded::plan`] indexes them).
    pub plans: Vec<String>,
}

/// Every live value of each item (by its position in the plan), with its report date, in the
/// order of entry numbers.
pub type Values = Vec<Vec<(NaiveDate, f64)>>;

static NO_ITEM: ItemFacts = ItemFacts {
    latest: None,
    recorded: Recorded { plan: 0, under: 0 },
    first: None,
    at_deadline: None,
    total: 0.0,
    total_at_deadline: 0.0,
    years: None,
};

static NO_UNIT: UnitFacts = UnitFacts {
    months: BTreeMap::new(),
};

impl Snapshot {
    /// A ledger with no entries (one that does not exist yet reads so).
    pub fn empty(as_of: NaiveDate) -> Snapshot {
        Snapshot {
            as_of,
            items: Vec::new(),
            units: HashMap::default(),
            members: HashMap::default(),
            plans: Vec::new(),
        }
    }

    /// The facts built by folding `entries` (in any order, superseded ones included, each
    /// with its `superseded_by`): the reference the store's SQL must agree with.
    pub fn from_entries(
        plan: &Plan,
        as_of: NaiveDate,
        entries: impl IntoIterator<Item = Entry>,
    ) -> Snapshot {
        let mut s = Snapshot::empty(as_of);
        s.items = vec![ItemFacts::default(); plan.len()];
        let entries: Vec<Entry> = entries.into_iter().collect();
        // A correction by the supervision office leaves the corrected unit its credit. A
        // correction counts whatever its date, as it does for which entries are live.
        let supervisor = plan.meta.supervisor.as_ref().map(UnitId::as_str);
        let correctors: HashMap<i64, Option<&str>> = entries
            .iter()
            .filter_map(|e| Some((e.supersedes?, e.unit.as_deref())))
            .collect();
        let (mut live, dead): (Vec<&Entry>, Vec<&Entry>) = entries
            .iter()
            .filter(|e| e.date <= as_of)
            .partition(|e| e.is_live());
        for e in dead {
            let by_supervisor = correctors
                .get(&e.id)
                .is_some_and(|by| by.is_some() && *by == supervisor);
            if let (true, Some(unit)) = (by_supervisor, &e.unit) {
                s.units
                    .entry(UnitId::from(unit.as_str()))
                    .or_default()
                    .add(e.date);
            }
        }
        live.sort_by_key(|e| e.order());
        for e in live {
            let e = e.clone();
            if let Some(unit) = &e.unit {
                s.units
                    .entry(UnitId::from(unit.as_str()))
                    .or_default()
                    .add(e.date);
            }
            let Some((pos, item)) = plan.locate(&e.item) else {
                continue;
            };
            let terms = Terms::of(plan, item);
            let member = e
                .unit
                .as_deref()
                .and_then(|u| plan.members(item).iter().find(|m| m.as_str() == u));
            if let Some(m) = member {
                let key = (item.id().clone(), m.clone());
                let recorded = Recorded::of(item, &e.item, &e.plan_fingerprint, &mut s.plans);
                s.members.entry(key).or_default().fold(&e, terms, recorded);
            }
            let recorded = Recorded::of(item, &e.item, &e.plan_fingerprint, &mut s.plans);
            s.items[pos].fold(&e, terms, recorded);
        }
        s.canonical()
    }

    /// The snapshot with [`Snapshot::plans`] holding only the versions some latest entry
    /// was recorded against, sorted: two snapshots of the same facts are then equal however
    /// they were built.
    pub fn canonical(mut self) -> Snapshot {
        let facts = || self.items.iter().chain(self.members.values());
        let mut used: Vec<u32> = facts()
            .filter(|f| f.latest.is_some())
            .map(|f| f.recorded.plan)
            .collect();
        used.sort_unstable();
        used.dedup();
        let mut plans: Vec<(String, u32)> = used
            .into_iter()
            .map(|i| (std::mem::take(&mut self.plans[i as usize]), i))
            .collect();
        plans.sort();
        let mut new = vec![0; self.plans.len()];
        for (k, (_, old)) in plans.iter().enumerate() {
            new[*old as usize] = k as u32;
        }
        let facts = self.items.iter_mut().chain(self.members.values_mut());
        for f in facts {
            f.recorded = match f.latest {
                Some(_) => Recorded {
                    plan: new[f.recorded.plan as usize],
                    ..f.recorded
                },
                None => Recorded::default(),
            };
        }
        self.plans = plans.into_iter().map(|(p, _)| p).collect();
        self
    }

    /// Takes in what a fold of later entries found on the same day (the ledger folded in
    /// parts, or the entries recorded since these facts were kept), as if one fold had read
    /// them all.
    pub fn merge(mut self, later: Snapshot) -> Snapshot {
        debug_assert_eq!(self.as_of, later.as_of);
        let renumber: Vec<u32> = later
            .plans
            .iter()
            .map(|p| Recorded::of_version(p, &mut self.plans))
            .collect();
        let renumbered = |mut facts: ItemFacts| {
            if facts.latest.is_some() {
                facts.recorded.plan = renumber[facts.recorded.plan as usize];
            }
            facts
        };
        if self.items.len() < later.items.len() {
            self.items
                .resize_with(later.items.len(), ItemFacts::default);
        }
        for (mine, theirs) in self.items.iter_mut().zip(later.items) {
            mine.merge(renumbered(theirs));
        }
        for (key, theirs) in later.members {
            self.members
                .entry(key)
                .or_default()
                .merge(renumbered(theirs));
        }
        for (unit, theirs) in later.units {
            self.units.entry(unit).or_default().merge(theirs);
        }
        self.canonical()
    }

    /// A member's own facts about an item assigned to its group.
    pub fn member(&self, id: &ItemId, unit: &UnitId) -> &ItemFacts {
        self.members
            .get(&(id.clone(), unit.clone()))
            .unwrap_or(&NO_ITEM)
    }

    /// The facts of an item of `plan`, the plan the snapshot was read for (an item of another
    /// version of it is found by its id).
    pub fn item(&self, plan: &Plan, item: Item<'_>) -> &ItemFacts {
        debug_assert!(self.items.is_empty() || self.items.len() == plan.len());
        plan.position_of(item)
            .and_then(|at| self.items.get(at))
            .unwrap_or(&NO_ITEM)
    }

    /// What the latest live entry about an item of `plan` says.
    pub fn latest(&self, plan: &Plan, item: Item<'_>) -> Option<Fact> {
        self.item(plan, item).latest
    }

    /// How the latest live entry about `item` was recorded: the plan version's fingerprint
    /// and the id it was recorded under (the item's current id or a former one).
    pub fn latest_recorded<'a>(
        &'a self,
        plan: &Plan,
        item: Item<'a>,
    ) -> Option<(&'a str, &'a ItemId)> {
        let facts = self.item(plan, item);
        facts.latest?;
        let version = self.plans.get(facts.recorded.plan as usize)?;
        let under = match facts.recorded.under {
            0 => item.id(),
            k => item.previous_ids().get(usize::from(k) - 1)?,
        };
        Some((version, under))
    }

    pub fn unit(&self, id: &UnitId) -> &UnitFacts {
        self.units.get(id).unwrap_or(&NO_UNIT)
    }

    /// The date of the unit's latest report.
    pub fn last_report(&self, id: &UnitId) -> Option<NaiveDate> {
        self.unit(id).last_report()
    }
}

/// A date as its day number (days from 1 January of year 1), for the facts memo
/// ([`crate::store::memo`]): four bytes, not ten characters to parse again.
mod days {
    use chrono::{Datelike, NaiveDate};
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(date.num_days_from_ce())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let day = i32::deserialize(d)?;
        NaiveDate::from_num_days_from_ce_opt(day)
            .ok_or_else(|| D::Error::custom(format!("day {day} is out of range")))
    }
}

/// A unit's months as (year, month, day number of its latest report) triples, for the memo:
/// a [`Month`] serializes as `YYYY-MM` text for the reports' JSON.
mod month_days {
    use std::collections::BTreeMap;

    use chrono::{Datelike, NaiveDate};
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use super::Month;

    pub fn serialize<S: Serializer>(
        months: &BTreeMap<Month, NaiveDate>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let triple = |(m, d): (&Month, &NaiveDate)| (m.year, m.month, d.num_days_from_ce());
        s.collect_seq(months.iter().map(triple))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<Month, NaiveDate>, D::Error> {
        let triples = Vec::<(i32, u32, i32)>::deserialize(d)?;
        let entry = |(year, month, day): (i32, u32, i32)| {
            let date = NaiveDate::from_num_days_from_ce_opt(day)
                .ok_or_else(|| D::Error::custom(format!("day {day} is out of range")))?;
            Ok((Month { year, month }, date))
        };
        triples.into_iter().map(entry).collect()
    }
}
