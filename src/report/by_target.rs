//! `report by-target`: each quantitative target against its latest actual, with the percent of
//! target, the value expected by now, the days left, and a light with its reason.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::judge::{Reason, Verdicts};
use crate::model::*;
use crate::revision::FieldChange;

/// One target's row: the target as the plan defines it, and the figures of its verdict. What
/// the plan holds is not copied into the row (7 MB at 100,000 items).
#[derive(Clone, Debug)]
pub struct TargetRow<'p> {
    /// The target as the plan defines it.
    pub def: &'p Target,
    /// The deadline that applies (the current year's, for a target set per year).
    pub applies: NaiveDate,
    /// The year judged, for a target set per year.
    pub period: Option<i32>,
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
    pub reason: Reason,
    /// How the target's definition changed since its latest entry was recorded; empty when
    /// it did not, or when that version of the plan is not known (see `plantrack::git`).
    pub target_changed: Vec<FieldChange>,
    /// For a target assigned to a group with members: each member's own standing (no rate
    /// is averaged into the row).
    pub members: Vec<MemberRow<'p>>,
}

impl<'p> TargetRow<'p> {
    pub fn id(&self) -> &'p ItemId {
        &self.def.id
    }

    pub fn deadline(&self) -> Deadline {
        Deadline {
            own: self.def.due,
            applies: self.applies,
        }
    }
}

/// A row as a script reads it: the target's definition, then its figures.
#[derive(Serialize)]
struct TargetJson<'a> {
    id: &'a ItemId,
    measure: &'a ItemId,
    metric: &'a str,
    #[serde(rename = "unit_of_measure")]
    unit: &'a str,
    comparator: Comparator,
    target: f64,
    tolerance: Option<f64>,
    upper: Option<f64>,
    #[serde(flatten)]
    deadline: Deadline,
    period: Option<i32>,
    units: &'a [UnitId],
    actual: Option<f64>,
    level: Option<f64>,
    actual_date: Option<NaiveDate>,
    percent: Option<f64>,
    expected: Option<f64>,
    days_left: Option<i64>,
    status: Standing,
    light: Light,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    members: &'a [MemberRow<'a>],
}

impl Serialize for TargetRow<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.def;
        TargetJson {
            id: &t.id,
            measure: &t.measure,
            metric: &t.metric,
            unit: &t.unit,
            comparator: t.comparator,
            target: t.value,
            tolerance: t.tolerance,
            upper: t.upper,
            deadline: self.deadline(),
            period: self.period,
            units: &t.units,
            actual: self.actual,
            level: self.level,
            actual_date: self.actual_date,
            percent: self.percent,
            expected: self.expected,
            days_left: self.days_left,
            status: self.status,
            light: self.light,
            members: &self.members,
        }
        .serialize(s)
    }
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
                    def: t,
                    applies: v.due,
                    period: v.period,
                    actual: v.actual,
                    level: v.level,
                    actual_date: v.actual_date,
                    percent: v.percent,
                    expected: v.expected,
                    days_left: v.days_left,
                    status: v.standing,
                    light: v.light,
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
            if let Some(changes) = changed.remove(row.id()) {
                row.target_changed = changes;
            }
        }
    }
}
