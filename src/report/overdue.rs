//! `report overdue`: every item past its deadline and not met (never-reported ones included),
//! who is responsible, and the units that have not reported in the current cycle.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::judge::{Judged, Reason};
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
    pub fn compute(plan: &'p Plan, facts: &Judged) -> Overdue<'p> {
        // Leaves only: a measure late through its parts would list them twice.
        let mut items: Vec<OverdueRow> = plan
            .items()
            .filter(|i| !plan.rolls_up(*i))
            .filter_map(|i| {
                let v = facts.verdict(i);
                v.standing.is_late().then(|| {
                    let latest = facts.latest(i);
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
            })
            .collect();
        items.sort_by_key(|r| r.deadline.applies);
        let call = |u: &'p Unit, overdue: Vec<&'p ItemId>| UnitCall {
            unit: &u.id,
            name: &u.name,
            overdue,
            last_report: facts.last_report(&u.id),
            reported_this_cycle: facts.has_reported(plan, &u.id),
        };
        // Whom to call: the units that lead each item (or share it jointly), not those that
        // only cooperate.
        let mut by_unit: HashMap<&UnitId, Vec<&ItemId>> = HashMap::new();
        for r in &items {
            let Some(item) = plan.item(r.id.as_str()) else {
                continue;
            };
            for u in plan.answering(item) {
                // A group member that has met its own part is not called.
                if !facts.verdict_for(item, u).standing.is_late() {
                    continue;
                }
                by_unit.entry(u).or_default().push(r.id);
            }
        }
        let mut calls: Vec<UnitCall> = plan
            .units
            .iter()
            .filter_map(|u| by_unit.remove(&u.id).map(|overdue| call(u, overdue)))
            .collect();
        calls.sort_by_key(|c| std::cmp::Reverse(c.overdue.len()));
        let silent = facts
            .silent_units(plan)
            .into_iter()
            .map(|u| call(u, Vec::new()))
            .collect();
        Overdue {
            as_of: facts.as_of(),
            since: cycle_start(plan.meta.reporting_cycle, facts.as_of()),
            items,
            calls,
            silent,
            plan,
        }
    }
}
