//! `report overdue`: every item past its deadline and not met (never-reported ones included),
//! who is responsible, and the units that have not reported in the current cycle.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::judge::{Judged, Reason, Verdicts};
use crate::model::*;

#[derive(Clone, Debug, Serialize)]
pub struct OverdueRow<'p> {
    pub id: &'p ItemId,
    pub kind: ItemKind,
    pub title: &'p str,
    pub measure: &'p ItemId,
    #[serde(flatten)]
    pub deadline: Deadline,
    pub days_overdue: i64,
    /// The latest reading; in JSON, `actual` (a value) and `reported_status`.
    #[serde(skip)]
    pub latest: Option<Reading>,
    #[serde(rename = "actual_date")]
    pub latest_date: Option<NaiveDate>,
    pub units: &'p [UnitId],
    /// Who leads: addressed first. Every responsible unit when they are jointly responsible.
    pub lead: &'p [UnitId],
    /// `duty` when the lead is the plan's reading of the document, not its words.
    pub lead_basis: LeadBasis,
    /// Who cooperates: named, not chased.
    pub cooperating: Vec<&'p UnitId>,
    pub status: Standing,
    pub light: Light,
    /// Why the item is late: owned, so that the verdicts can be let go before the report
    /// is drawn.
    #[serde(skip)]
    pub reason: Reason,
    #[serde(skip)]
    pub value_unit: &'p str,
}

/// One unit to call: its overdue items and when it last reported.
#[derive(Clone, Debug, Serialize)]
pub struct UnitCall<'p> {
    pub unit: &'p UnitId,
    pub name: &'p str,
    pub overdue: Vec<&'p ItemId>,
    pub last_report: Option<NaiveDate>,
    pub reported_this_cycle: bool,
}

pub struct Overdue<'p> {
    pub as_of: NaiveDate,
    /// Start of the current reporting window (exclusive).
    pub since: NaiveDate,
    pub items: Vec<OverdueRow<'p>>,
    /// Units with overdue items, most first.
    pub calls: Vec<UnitCall<'p>>,
    /// Units that owe a report in the current cycle.
    pub silent: Vec<UnitCall<'p>>,
    pub plan: &'p Plan,
}

impl<'p> Overdue<'p> {
    /// The report from verdicts judged with the ledger's facts still at hand.
    pub fn compute(plan: &'p Plan, facts: &Judged) -> Overdue<'p> {
        Late::read(plan, facts).rows(&facts.verdicts)
    }
}

/// What the overdue report needs of the ledger's facts: each late item's latest entry and when
/// each unit reported. Read before the facts are let go, so that the report's rows are made
/// with only the verdicts held (at 100,000 items, 13 MB less at a report's peak).
pub struct Late<'p> {
    plan: &'p Plan,
    as_of: NaiveDate,
    /// Leaves only: a measure late through its parts would list them twice.
    items: Vec<(Item<'p>, Option<Fact>)>,
    /// Each unit of the plan, in its order: its latest report, and whether it reported in the
    /// current cycle.
    units: Vec<(Option<NaiveDate>, bool)>,
    /// The units that owe a report, by their place in the plan's list.
    silent: Vec<usize>,
}

impl<'p> Late<'p> {
    pub fn read(plan: &'p Plan, facts: &Judged) -> Late<'p> {
        let items = plan
            .items()
            .filter(|i| !plan.rolls_up(*i) && facts.verdict(*i).standing.is_late())
            .map(|i| (i, facts.latest(i)))
            .collect();
        let units = plan
            .units
            .iter()
            .map(|u| (facts.last_report(&u.id), facts.has_reported(plan, &u.id)))
            .collect();
        let silent: HashSet<&UnitId> = facts.silent_units(plan).iter().map(|u| &u.id).collect();
        Late {
            plan,
            as_of: facts.as_of(),
            items,
            units,
            silent: (plan.units.iter().enumerate())
                .filter(|(_, u)| silent.contains(&u.id))
                .map(|(k, _)| k)
                .collect(),
        }
    }

    /// The report's rows, from the items' verdicts.
    pub fn rows(self, verdicts: &Verdicts) -> Overdue<'p> {
        let Late {
            plan,
            as_of,
            items: mut late,
            units,
            silent,
        } = self;
        late.sort_by_key(|(i, _)| plan.deadline(*i).applies);
        // Whom to call: the units that lead each item (or share it jointly), not those that
        // only cooperate. A group member that has met its own part is not called.
        let mut by_unit: HashMap<&UnitId, Vec<&ItemId>> = HashMap::new();
        for (i, _) in &late {
            for u in plan.answering(*i) {
                if verdicts.verdict_for(*i, u).standing.is_late() {
                    by_unit.entry(u).or_default().push(i.id());
                }
            }
        }
        let items: Vec<OverdueRow> = late
            .into_iter()
            .map(|(i, latest)| {
                let v = verdicts.verdict(i);
                OverdueRow {
                    id: i.id(),
                    kind: i.kind(),
                    title: i.title(),
                    measure: i.measure(),
                    deadline: plan.deadline(i),
                    days_overdue: -v.days_left.unwrap_or(0),
                    latest: latest.map(|e| e.reading),
                    latest_date: latest.map(|e| e.date),
                    units: i.units(),
                    lead: i.lead(),
                    lead_basis: i.lead_basis(),
                    cooperating: i.cooperating(),
                    status: v.standing,
                    light: v.light,
                    reason: v.reason.clone(),
                    value_unit: i.value_unit(),
                }
            })
            .collect();
        // The plan's `k`th unit, to call about `overdue`.
        let call = |k: usize, overdue: Vec<&'p ItemId>| {
            let (u, (last_report, reported_this_cycle)) = (&plan.units[k], units[k]);
            UnitCall {
                unit: &u.id,
                name: &u.name,
                overdue,
                last_report,
                reported_this_cycle,
            }
        };
        let mut calls: Vec<UnitCall> = (plan.units.iter().enumerate())
            .filter_map(|(k, u)| by_unit.remove(&u.id).map(|overdue| call(k, overdue)))
            .collect();
        calls.sort_by_key(|c| std::cmp::Reverse(c.overdue.len()));
        let silent = silent.into_iter().map(|k| call(k, Vec::new())).collect();
        Overdue {
            as_of,
            since: cycle_start(plan.meta.reporting_cycle, as_of),
            items,
            calls,
            silent,
            plan,
        }
    }
}
