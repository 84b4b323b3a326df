//! What the reports need from the ledger for one as-of date, fetched once through the store's
//! API. Reports then compute from these facts without touching the database.

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use chrono::NaiveDate;

use super::judge::{Standing, Verdict, cycle_start, judge};
use crate::model::*;
use crate::store::{Entry, Store};

pub struct Facts {
    pub as_of: NaiveDate,
    /// The latest live entry per item (by current id), former ids included.
    latest: HashMap<ItemId, Entry>,
    /// The date of each unit's latest report.
    last_by_unit: HashMap<UnitId, NaiveDate>,
    /// Every item's verdict, judged once.
    verdicts: HashMap<ItemId, Verdict>,
}

impl Facts {
    pub fn gather(plan: &Plan, store: &Store, as_of: NaiveDate) -> Result<Facts> {
        // Each item's current id, then its former ids.
        let ids = plan.items().map(|i| {
            std::iter::once(i.id().as_str()).chain(i.previous_ids().iter().map(ItemId::as_str))
        });
        let found = store.latest_each(ids, as_of)?;
        let mut latest = HashMap::with_capacity(found.len());
        for (item, e) in plan.items().zip(found) {
            if let Some(e) = e {
                latest.insert(item.id().clone(), e);
            }
        }
        let mut last_by_unit = HashMap::with_capacity(plan.units.len());
        for unit in &plan.units {
            if let Some(d) = store.last_report_by(unit.id.as_str(), as_of)? {
                last_by_unit.insert(unit.id.clone(), d);
            }
        }
        Ok(Facts::new(plan, as_of, latest, last_by_unit))
    }

    /// Facts from entries already at hand; judges every item.
    pub fn new(
        plan: &Plan,
        as_of: NaiveDate,
        latest: HashMap<ItemId, Entry>,
        last_by_unit: HashMap<UnitId, NaiveDate>,
    ) -> Facts {
        let verdicts = plan
            .items()
            .map(|i| (i.id().clone(), judge(plan, i, latest.get(i.id()), as_of)))
            .collect();
        Facts {
            as_of,
            latest,
            last_by_unit,
            verdicts,
        }
    }

    pub fn latest(&self, id: &ItemId) -> Option<&Entry> {
        self.latest.get(id)
    }

    pub fn last_report(&self, unit: &UnitId) -> Option<NaiveDate> {
        self.last_by_unit.get(unit).copied()
    }

    /// The verdict of an item of the plan the facts were gathered for.
    pub fn verdict(&self, id: &ItemId) -> &Verdict {
        &self.verdicts[id]
    }

    /// Whether the unit has reported within the current reporting window.
    pub fn has_reported(&self, plan: &Plan, unit: &UnitId) -> bool {
        let start = cycle_start(plan.meta.reporting_cycle, self.as_of);
        self.last_report(unit).is_some_and(|d| d >= start)
    }

    /// Units that owe a report: responsible for an item not yet met, and silent in the
    /// current window. The supervision office reports on others and owes nothing itself.
    pub fn silent_units<'p>(&self, plan: &'p Plan) -> Vec<&'p Unit> {
        let open: HashSet<&UnitId> = plan
            .items()
            .filter(|i| self.verdict(i.id()).standing != Standing::Met)
            .flat_map(|i| i.units())
            .collect();
        plan.units
            .iter()
            .filter(|u| plan.meta.supervisor.as_ref() != Some(&u.id))
            .filter(|u| open.contains(&u.id) && !self.has_reported(plan, &u.id))
            .collect()
    }
}
