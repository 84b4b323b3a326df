//! `report by-department`: per responsible unit, its items, lights, overdue items and last
//! report, worst first; with `--unit`, that unit's items one by one with their reasons.

use chrono::NaiveDate;
use serde::Serialize;

use crate::judge::{Judged, Reason};
use crate::model::*;

#[derive(Clone, Debug, Serialize)]
pub struct DeptRow<'p> {
    pub unit: &'p UnitId,
    pub name: &'p str,
    #[serde(rename = "unit_kind")]
    pub kind: UnitKind,
    #[serde(rename = "item_count")]
    pub items: usize,
    pub green: usize,
    pub yellow: usize,
    pub red: usize,
    #[serde(rename = "overdue_ids")]
    pub overdue: Vec<&'p ItemId>,
    pub last_report: Option<NaiveDate>,
    pub reported_this_cycle: bool,
}

/// One item of one unit, for `--unit`.
#[derive(Clone, Debug, Serialize)]
pub struct UnitItem<'p> {
    pub id: &'p ItemId,
    pub kind: ItemKind,
    /// The unit's part in the item: lead, cooperating or joint.
    pub role: Role,
    pub title: &'p str,
    #[serde(flatten)]
    pub deadline: Deadline,
    pub status: Standing,
    pub light: Light,
    /// In words only in the reader's language: added to the JSON by the view.
    #[serde(skip)]
    pub reason: Reason,
}

pub struct ByDepartment<'p> {
    pub plan: &'p Plan,
    pub as_of: NaiveDate,
    pub rows: Rows<'p>,
}

/// Every unit, or one unit's items.
pub enum Rows<'p> {
    All(Vec<DeptRow<'p>>),
    One {
        row: DeptRow<'p>,
        items: Vec<UnitItem<'p>>,
    },
}

fn row<'p>(plan: &'p Plan, facts: &Judged, u: &'p Unit) -> DeptRow<'p> {
    let mut r = DeptRow {
        unit: &u.id,
        name: &u.name,
        kind: u.kind,
        items: 0,
        green: 0,
        yellow: 0,
        red: 0,
        overdue: Vec::new(),
        last_report: facts.last_report(&u.id),
        reported_this_cycle: facts.has_reported(plan, &u.id),
    };
    // Leaves only: a measure judged by its parts would count them twice.
    for i in plan.items_of(&u.id).filter(|i| !plan.rolls_up(*i)) {
        let v = facts.verdict_for(i, &u.id);
        r.items += 1;
        match v.light {
            Light::Green => r.green += 1,
            Light::Yellow => r.yellow += 1,
            Light::Red => r.red += 1,
        }
        if v.standing.is_late() {
            r.overdue.push(i.id());
        }
    }
    r
}

impl<'p> ByDepartment<'p> {
    /// Keeps only the units of one kind (county governments apart from departments).
    pub fn keep_kind(&mut self, kind: UnitKind) {
        if let Rows::All(rows) = &mut self.rows {
            rows.retain(|r| r.kind == kind);
        }
    }

    /// Every unit with items, worst first; or one unit in detail.
    pub fn compute(plan: &'p Plan, facts: &Judged, unit: Option<&'p Unit>) -> ByDepartment<'p> {
        let rows = match unit {
            Some(u) => {
                let items = plan
                    .items_of(&u.id)
                    .map(|i| {
                        let v = facts.verdict_for(i, &u.id);
                        UnitItem {
                            id: i.id(),
                            kind: i.kind(),
                            role: i.role_of(&u.id).unwrap_or(Role::Joint),
                            title: i.title(),
                            deadline: plan.deadline(i),
                            status: v.standing,
                            light: v.light,
                            reason: v.reason.clone(),
                        }
                    })
                    .collect();
                Rows::One {
                    row: row(plan, facts, u),
                    items,
                }
            }
            None => {
                // A group with members is listed as its members, one row each.
                let mut rows: Vec<DeptRow> = plan
                    .units
                    .iter()
                    .filter(|u| u.members.is_empty())
                    .map(|u| row(plan, facts, u))
                    .filter(|r| r.items > 0)
                    .collect();
                rows.sort_by_key(|r| (std::cmp::Reverse(r.red), std::cmp::Reverse(r.yellow)));
                Rows::All(rows)
            }
        };
        ByDepartment {
            plan,
            as_of: facts.as_of(),
            rows,
        }
    }
}
