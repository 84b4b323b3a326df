//! `report by-target`: each quantitative target against its latest actual, with the percent of
//! target, the value expected by now, the days left, and a light with its reason.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::judge::{Reason, Verdicts};
use crate::model::*;
use crate::revision::FieldChange;

#[derive(Clone, Debug, Serialize)]
pub struct TargetRow<'p> {
    pub id: &'p ItemId,
    pub measure: &'p ItemId,
    pub metric: &'p str,
    #[serde(rename = "unit_of_measure")]
    pub unit: &'p str,
    pub comparator: Comparator,
    pub target: f64,
    pub tolerance: Option<f64>,
    pub upper: Option<f64>,
    #[serde(flatten)]
    pub deadline: Deadline,
    /// The year judged, for a target set per year.
    pub period: Option<i32>,
    pub units: &'p [UnitId],
    /// The value judged (the change, for a relative target; the total of increments).
    pub actual: Option<f64>,
    /// The level reported, for a relative target.
    pub level: Option<f64>,
    pub actual_date: Option<NaiveDate>,
    pub percent: Option<f64>,
    pub expected: Option<f64>,
    pub days_left: Option<i64>,
    pub status: Standing,
    pub light: Light,
    /// Why the light: owned, so that the verdicts can be let go once the rows are made.
    #[serde(skip)]
    pub reason: Reason,
    /// The target as the plan defines it.
    #[serde(skip)]
    pub def: &'p Target,
    /// How the target's definition changed since its latest entry was recorded; empty when
    /// it did not, or when that version of the plan is not known (see `plantrack::git`).
    #[serde(skip)]
    pub target_changed: Vec<FieldChange>,
    /// For a target assigned to a group with members: each member's own standing (no rate
    /// is averaged into the row).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<MemberRow<'p>>,
}

/// One member's own part of a group's target.
#[derive(Clone, Debug, Serialize)]
pub struct MemberRow<'p> {
    pub unit: &'p UnitId,
    pub actual: Option<f64>,
    pub actual_date: Option<NaiveDate>,
    pub status: Standing,
    pub light: Light,
}

pub struct ByTarget<'p> {
    pub plan: &'p Plan,
    pub as_of: NaiveDate,
    pub rows: Vec<TargetRow<'p>>,
}

impl<'p> ByTarget<'p> {
    pub fn compute(plan: &'p Plan, facts: &Verdicts) -> ByTarget<'p> {
        let rows = plan
            .targets
            .iter()
            .map(|t| {
                let v = facts.verdict(Item::Target(t));
                let members = plan
                    .members(Item::Target(t))
                    .iter()
                    .filter_map(|u| {
                        let m = facts.member_verdict(Item::Target(t), u)?;
                        Some(MemberRow {
                            unit: u,
                            actual: m.actual,
                            actual_date: m.actual_date,
                            status: m.standing,
                            light: m.light,
                        })
                    })
                    .collect();
                TargetRow {
                    id: &t.id,
                    measure: &t.measure,
                    metric: &t.metric,
                    unit: &t.unit,
                    comparator: t.comparator,
                    target: t.value,
                    tolerance: t.tolerance,
                    upper: t.upper,
                    deadline: Deadline {
                        own: t.due,
                        applies: v.due,
                    },
                    period: v.period,
                    units: &t.units,
                    actual: v.actual,
                    level: v.level,
                    actual_date: v.actual_date,
                    percent: v.percent,
                    expected: v.expected,
                    days_left: v.days_left,
                    status: v.standing,
                    light: v.light,
                    def: t,
                    reason: v.reason.clone(),
                    target_changed: Vec::new(),
                    members,
                }
            })
            .collect();
        ByTarget {
            plan,
            as_of: facts.as_of(),
            rows,
        }
    }

    /// Notes the targets whose definition changed since their latest entry was recorded
    /// ([`crate::revision::changed_since_reported`]).
    pub fn note_changed_targets(&mut self, mut changed: HashMap<ItemId, Vec<FieldChange>>) {
        for row in &mut self.rows {
            if let Some(changes) = changed.remove(row.id) {
                row.target_changed = changes;
            }
        }
    }
}
