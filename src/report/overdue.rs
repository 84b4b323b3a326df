//! `report overdue`: every item past its deadline and not met (never-reported ones included),
//! who is responsible, and the units that have not reported in the current cycle.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Value, json};

use super::facts::Facts;
use super::json_row;
use super::judge::{Light, Standing, Verdict, cycle_start, reading_text};
use super::listing::unit_names;
use crate::i18n::Lang;
use crate::model::*;
use crate::render::{Block, Cell, Doc, Table, View};
use crate::store::Reading;

#[derive(Clone, Debug, Serialize)]
pub struct OverdueRow<'p> {
    pub id: &'p ItemId,
    pub kind: ItemKind,
    pub title: &'p str,
    pub measure: &'p ItemId,
    /// The item's own deadline; null when the plan horizon applies (as in `list`).
    #[serde(rename = "due")]
    pub own_due: Option<NaiveDate>,
    /// The deadline that applies: its own, or the plan horizon.
    #[serde(rename = "effective_due")]
    pub due: NaiveDate,
    pub days_overdue: i64,
    pub latest: Option<Reading>,
    pub latest_date: Option<NaiveDate>,
    pub units: &'p [UnitId],
    pub status: Standing,
    pub light: Light,
    #[serde(skip)]
    pub verdict: Verdict,
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
    plan: &'p Plan,
}

impl<'p> Overdue<'p> {
    pub fn compute(plan: &'p Plan, facts: &Facts) -> Overdue<'p> {
        let mut items: Vec<OverdueRow> = plan
            .items()
            .filter_map(|i| {
                let v = facts.verdict(i.id());
                (v.standing == Standing::Overdue).then(|| {
                    let latest = facts.latest(i.id());
                    OverdueRow {
                        id: i.id(),
                        kind: i.kind(),
                        title: i.title(),
                        measure: i.measure(),
                        own_due: i.own_due(),
                        due: v.due,
                        days_overdue: -v.days_left,
                        latest: latest.map(|e| e.reading),
                        latest_date: latest.map(|e| e.date),
                        units: i.units(),
                        status: v.standing,
                        light: v.light,
                        verdict: v.clone(),
                        value_unit: i.value_unit(),
                    }
                })
            })
            .collect();
        items.sort_by_key(|r| r.due);
        let call = |u: &'p Unit, overdue: Vec<&'p ItemId>| UnitCall {
            unit: &u.id,
            name: &u.name,
            overdue,
            last_report: facts.last_report(&u.id),
            reported_this_cycle: facts.has_reported(plan, &u.id),
        };
        let mut by_unit: HashMap<&UnitId, Vec<&ItemId>> = HashMap::new();
        for r in &items {
            for u in r.units {
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
            as_of: facts.as_of,
            since: cycle_start(plan.meta.reporting_cycle, facts.as_of),
            items,
            calls,
            silent,
            plan,
        }
    }
}

fn opt_date_text(d: Option<NaiveDate>, lang: Lang) -> String {
    d.map_or_else(|| lang.t("never").to_string(), |d| d.to_string())
}

impl View for Overdue<'_> {
    fn doc(&self, lang: Lang) -> Doc {
        let mut items = Table::new(
            Some(lang.t("Overdue items").to_string()),
            &[
                lang.t("Id"),
                lang.t("Kind"),
                lang.t("Title"),
                lang.t("Due"),
                lang.t("Days overdue"),
                lang.t("Latest"),
                lang.t("Responsible units"),
            ],
        );
        for r in &self.items {
            let latest = r.latest.map_or_else(
                || lang.t("never reported").to_string(),
                |x| {
                    format!(
                        "{} ({})",
                        reading_text(x, r.value_unit, lang),
                        opt_date_text(r.latest_date, lang)
                    )
                },
            );
            items.rows.push(vec![
                Cell::text(r.id.as_str()),
                Cell::text(lang.t(r.kind.as_str())),
                Cell::text(r.title),
                Cell::Date(r.due),
                Cell::Int(r.days_overdue),
                Cell::Text(latest),
                Cell::text(unit_names(self.plan, r.units)),
            ]);
        }
        let mut calls = Table::new(
            Some(lang.t("Whom to call").to_string()),
            &[
                lang.t("Unit"),
                lang.t("Overdue"),
                lang.t("Overdue items"),
                lang.t("Last report"),
            ],
        );
        for c in &self.calls {
            calls.rows.push(vec![
                Cell::text(c.name),
                Cell::Int(c.overdue.len() as i64),
                Cell::Text(
                    c.overdue
                        .iter()
                        .map(|i| i.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Cell::Text(opt_date_text(c.last_report, lang)),
            ]);
        }
        let mut silent = Table::new(
            Some(lang.fill(
                "Units with no report since {since}",
                &[("since", self.since.to_string())],
            )),
            &[lang.t("Unit"), lang.t("Id"), lang.t("Last report")],
        );
        for c in &self.silent {
            silent.rows.push(vec![
                Cell::text(c.name),
                Cell::text(c.unit.as_str()),
                Cell::Text(opt_date_text(c.last_report, lang)),
            ]);
        }
        Doc {
            title: lang.fill("Overdue as of {date}", &[("date", self.as_of.to_string())]),
            blocks: vec![
                Block::Table(items),
                Block::Table(calls),
                Block::Table(silent),
            ],
        }
    }

    /// An array: one `overdue_item` object per item, then one `unreported_unit` per silent unit.
    fn json(&self, lang: Lang) -> Value {
        let items = self.items.iter().map(|r| {
            json_row(
                r,
                [
                    ("type", json!("overdue_item")),
                    ("reason", json!(r.verdict.reason.text(lang))),
                ],
            )
        });
        let silent = self.silent.iter().map(|c| {
            json!({"type": "unreported_unit", "unit": c.unit, "name": c.name, "last_report": c.last_report, "since": self.since})
        });
        Value::Array(items.chain(silent).collect())
    }
}
