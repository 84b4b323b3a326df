//! What the plan holds, as listings: sections, measures, targets, milestones, units.

use serde_json::{Value, json};

use super::json_row;
use crate::doc::{Block, Cell, Doc, Table, View, number};
use crate::i18n::Lang;
use crate::model::*;

/// Which listing.
#[derive(Clone, Copy, Debug)]
pub enum Listing<'p> {
    Sections(&'p Plan),
    Measures(&'p Plan),
    Targets(&'p Plan),
    Milestones(&'p Plan),
    Units(&'p Plan),
}

/// Unit names, separated by a full-width semicolon.
pub fn unit_names(plan: &Plan, ids: &[UnitId]) -> String {
    // Not 、: unit names such as 各县、区人民政府 contain it.
    ids.iter()
        .map(|u| plan.unit_name(u))
        .collect::<Vec<_>>()
        .join("；")
}

/// `≥ 90 %`, `≈ 20 ± 1 亿斤`.
pub fn target_text(t: &Target) -> String {
    let tol = t
        .tolerance
        .map(|x| format!(" ± {}", number(x)))
        .unwrap_or_default();
    format!(
        "{} {}{tol} {}",
        t.comparator.symbol(),
        number(t.value),
        t.unit
    )
}

/// `70 (2021-01-01)`: a baseline value and its date.
pub fn baseline_text(b: Baseline) -> String {
    format!("{} ({})", number(b.value), b.date)
}

/// The JSON object of a target, with the keys scripts rely on.
pub fn target_json(plan: &Plan, t: &Target) -> Value {
    json!({
        "id": t.id,
        "measure": t.measure,
        "metric": t.metric,
        "unit": t.unit,
        "comparator": t.comparator,
        "target": t.value,
        "tolerance": t.tolerance,
        "baseline": t.baseline,
        "due": t.due,
        "effective_due": plan.due(Item::Target(t)),
        "units": t.units,
        "quote": t.quote,
        "previous_ids": t.previous_ids,
    })
}

/// The JSON object of an item, with its deadline once the plan horizon applies.
pub fn item_json(plan: &Plan, item: Item<'_>) -> Value {
    let effective_due = ("effective_due", json!(plan.due(item)));
    match item {
        Item::Target(t) => target_json(plan, t),
        Item::Measure(m) => json_row(m, [effective_due]),
        Item::Milestone(m) => json_row(m, [effective_due]),
    }
}

/// The JSON object of a unit, with the ids of the items it is responsible for.
pub fn unit_json(plan: &Plan, u: &Unit) -> Value {
    let items: Vec<&ItemId> = plan.items_of(&u.id).map(|i| i.id()).collect();
    json_row(u, [("items", json!(items))])
}

impl View for Listing<'_> {
    fn doc(&self, lang: Lang) -> Doc {
        let (title, table) = match *self {
            Listing::Sections(p) => {
                let mut t = Table::new(
                    None,
                    &[
                        lang.t("Id"),
                        lang.t("No."),
                        lang.t("Title"),
                        lang.t("Measures"),
                    ],
                );
                for s in &p.sections {
                    let n = p.measures_in(&s.id).count();
                    t.rows.push(vec![
                        Cell::text(s.id.as_str()),
                        Cell::text(&s.number),
                        Cell::text(&s.title),
                        Cell::Int(n as i64),
                    ]);
                }
                (lang.t("Sections"), t)
            }
            Listing::Measures(p) => {
                let mut t = Table::new(
                    None,
                    &[
                        lang.t("Id"),
                        lang.t("No."),
                        lang.t("Section"),
                        lang.t("Title"),
                        lang.t("Responsible units"),
                        lang.t("Due"),
                    ],
                );
                for m in &p.measures {
                    let section = p
                        .section(m.section.as_str())
                        .map_or("", |s| s.number.as_str());
                    t.rows.push(vec![
                        Cell::text(m.id.as_str()),
                        Cell::text(&m.number),
                        Cell::text(section),
                        Cell::text(&m.title),
                        Cell::text(unit_names(p, &m.units)),
                        Cell::Date(p.due(Item::Measure(m))),
                    ]);
                }
                (lang.t("Measures"), t)
            }
            Listing::Targets(p) => {
                let mut t = Table::new(
                    None,
                    &[
                        lang.t("Id"),
                        lang.t("Measure"),
                        lang.t("Metric"),
                        lang.t("Target"),
                        lang.t("Baseline"),
                        lang.t("Due"),
                    ],
                );
                for x in &p.targets {
                    let baseline = x.baseline.map(baseline_text);
                    t.rows.push(vec![
                        Cell::text(x.id.as_str()),
                        Cell::text(x.measure.as_str()),
                        Cell::text(&x.metric),
                        Cell::text(target_text(x)),
                        baseline.map_or(Cell::Empty, Cell::Text),
                        Cell::Date(p.due(Item::Target(x))),
                    ]);
                }
                (lang.t("Targets"), t)
            }
            Listing::Milestones(p) => {
                let mut t = Table::new(
                    None,
                    &[
                        lang.t("Id"),
                        lang.t("Measure"),
                        lang.t("Title"),
                        lang.t("Due"),
                    ],
                );
                for m in &p.milestones {
                    t.rows.push(vec![
                        Cell::text(m.id.as_str()),
                        Cell::text(m.measure.as_str()),
                        Cell::text(&m.title),
                        Cell::Date(p.due(Item::Milestone(m))),
                    ]);
                }
                (lang.t("Milestones"), t)
            }
            Listing::Units(p) => {
                let mut t = Table::new(
                    None,
                    &[
                        lang.t("Id"),
                        lang.t("Name"),
                        lang.t("Kind"),
                        lang.t("Aliases"),
                        lang.t("Items"),
                    ],
                );
                for u in &p.units {
                    t.rows.push(vec![
                        Cell::text(u.id.as_str()),
                        Cell::text(&u.name),
                        Cell::text(lang.t(u.kind.as_str())),
                        Cell::text(u.aliases.join("、")),
                        Cell::Int(p.items_of(&u.id).count() as i64),
                    ]);
                }
                (lang.t("Units"), t)
            }
        };
        Doc {
            title: title.to_string(),
            blocks: vec![Block::Table(table)],
        }
    }

    fn json(&self, _lang: Lang) -> Value {
        match *self {
            Listing::Sections(p) => p
                .sections
                .iter()
                .map(|s| {
                    let measures: Vec<&ItemId> = p.measures_in(&s.id).map(|m| &m.id).collect();
                    json_row(s, [("measures", json!(measures))])
                })
                .collect(),
            Listing::Measures(p) => p
                .measures
                .iter()
                .map(|m| item_json(p, Item::Measure(m)))
                .collect(),
            Listing::Targets(p) => p.targets.iter().map(|t| target_json(p, t)).collect(),
            Listing::Milestones(p) => p
                .milestones
                .iter()
                .map(|m| item_json(p, Item::Milestone(m)))
                .collect(),
            Listing::Units(p) => p.units.iter().map(|u| unit_json(p, u)).collect(),
        }
    }
}
