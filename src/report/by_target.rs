//! `report by-target`: each quantitative target against its latest actual, with the percent of
//! target, the value expected by now, the days left, and a light with its reason.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Value, json};

use super::facts::Facts;
use super::json_row;
use super::judge::{Light, Standing, Verdict};
use super::listing::target_text;
use crate::i18n::Lang;
use crate::model::*;
use crate::render::{Block, Cell, Doc, Table, View};
use crate::report::plan_diff::FieldChange;

#[derive(Clone, Debug, Serialize)]
pub struct TargetRow<'p> {
    pub id: &'p ItemId,
    pub measure: &'p ItemId,
    pub metric: &'p str,
    pub unit: &'p str,
    pub comparator: Comparator,
    pub target: f64,
    pub tolerance: Option<f64>,
    /// The item's own deadline; null when the plan horizon applies (as in `list`).
    #[serde(rename = "due")]
    pub own_due: Option<NaiveDate>,
    /// The deadline that applies: its own, or the plan horizon.
    #[serde(rename = "effective_due")]
    pub due: NaiveDate,
    pub units: &'p [UnitId],
    pub actual: Option<f64>,
    pub actual_date: Option<NaiveDate>,
    pub percent: Option<f64>,
    pub expected: Option<f64>,
    pub days_left: i64,
    pub status: Standing,
    pub light: Light,
    #[serde(skip)]
    pub verdict: Verdict,
    #[serde(skip)]
    pub target_text: String,
    /// How the target's definition changed since its latest entry was recorded; empty when
    /// it did not, or when that version of the plan is not known (see `plantrack::git`).
    #[serde(skip)]
    pub target_changed: Vec<FieldChange>,
}

impl TargetRow<'_> {
    /// The light's reason, with a note when the target changed since it was last reported.
    pub fn reason(&self, lang: Lang) -> String {
        let reason = self.verdict.reason.text(lang);
        match self.changed_text(lang) {
            Some(changes) => format!(
                "{reason}; {}",
                lang.fill(
                    "target changed since the last report: {changes}",
                    &[("changes", changes)]
                )
            ),
            None => reason,
        }
    }

    fn changed_text(&self, lang: Lang) -> Option<String> {
        (!self.target_changed.is_empty()).then(|| {
            let parts: Vec<String> = self
                .target_changed
                .iter()
                .map(|c| c.describe(lang))
                .collect();
            parts.join(", ")
        })
    }
}

pub struct ByTarget<'p> {
    pub as_of: NaiveDate,
    pub rows: Vec<TargetRow<'p>>,
}

impl<'p> ByTarget<'p> {
    pub fn compute(plan: &'p Plan, facts: &Facts) -> ByTarget<'p> {
        let rows = plan
            .targets
            .iter()
            .map(|t| {
                let v = facts.verdict(&t.id).clone();
                let latest = facts.latest(&t.id);
                TargetRow {
                    id: &t.id,
                    measure: &t.measure,
                    metric: &t.metric,
                    unit: &t.unit,
                    comparator: t.comparator,
                    target: t.value,
                    tolerance: t.tolerance,
                    own_due: t.due,
                    due: v.due,
                    units: &t.units,
                    actual: latest.and_then(|e| e.value()),
                    actual_date: latest.map(|e| e.date),
                    percent: v.percent,
                    expected: v.expected,
                    days_left: v.days_left,
                    status: v.standing,
                    light: v.light,
                    target_text: target_text(t),
                    verdict: v,
                    target_changed: Vec::new(),
                }
            })
            .collect();
        ByTarget {
            as_of: facts.as_of,
            rows,
        }
    }

    /// Notes the targets whose definition changed since their latest entry was recorded
    /// ([`crate::report::plan_diff::changed_since_reported`]).
    pub fn note_changed_targets(&mut self, mut changed: HashMap<ItemId, Vec<FieldChange>>) {
        for row in &mut self.rows {
            if let Some(changes) = changed.remove(row.id) {
                row.target_changed = changes;
            }
        }
    }
}

impl View for ByTarget<'_> {
    fn doc(&self, lang: Lang) -> Doc {
        let mut t = Table::new(
            Some(lang.t("Target progress").into()),
            &[
                lang.t("Id"),
                lang.t("Metric"),
                lang.t("Target"),
                lang.t("Actual"),
                lang.t("Reported"),
                lang.t("% of target"),
                lang.t("Expected now"),
                lang.t("Due"),
                lang.t("Days left"),
                lang.t("Status"),
                lang.t("Light"),
                lang.t("Reason"),
            ],
        );
        for r in &self.rows {
            t.rows.push(vec![
                Cell::text(r.id.as_str()),
                Cell::text(r.metric),
                Cell::text(&r.target_text),
                Cell::opt_num(r.actual),
                Cell::opt_date(r.actual_date),
                r.percent.map_or(Cell::Empty, Cell::Percent),
                Cell::opt_num(r.expected),
                Cell::Date(r.due),
                Cell::Int(r.days_left),
                Cell::text(lang.t(r.status.as_str())),
                r.light.cell(lang),
                Cell::Text(r.reason(lang)),
            ]);
        }
        Doc {
            title: lang.fill("Targets as of {date}", &[("date", self.as_of.to_string())]),
            blocks: vec![Block::Table(t)],
        }
    }

    fn json(&self, lang: Lang) -> Value {
        Value::Array(
            self.rows
                .iter()
                .map(|r| {
                    let mut v = json_row(r, [("reason", json!(r.reason(lang)))]);
                    // Present only when the target changed, so that existing rows read as before.
                    if let Some(changes) = r.changed_text(lang) {
                        v["target_changed"] = json!(changes);
                    }
                    v
                })
                .collect(),
        )
    }
}
