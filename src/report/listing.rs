//! What the plan holds, as listings: sections, measures, targets, milestones, units.

use serde::Serialize;
use serde_json::{Value, json};

use crate::i18n::Lang;
use crate::model::*;
use crate::render::{Block, Cell, Doc, Table, View};

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
        .map(|x| format!(" ± {}", crate::render::number(x)))
        .unwrap_or_default();
    format!(
        "{} {}{tol} {}",
        t.comparator.symbol(),
        crate::render::number(t.value),
        t.unit
    )
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

fn to_value<T: Serialize>(v: T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
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
                    let n = p.measures.iter().filter(|m| m.section == s.id).count();
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
                    let baseline = x
                        .baseline
                        .map(|b| format!("{} ({})", crate::render::number(b.value), b.date));
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
            Listing::Sections(p) => Value::Array(
                p.sections
                    .iter()
                    .map(|s| {
                        let mut v = to_value(s);
                        v["measures"] = to_value(
                            p.measures
                                .iter()
                                .filter(|m| m.section == s.id)
                                .map(|m| &m.id)
                                .collect::<Vec<_>>(),
                        );
                        v
                    })
                    .collect(),
            ),
            Listing::Measures(p) => Value::Array(
                p.measures
                    .iter()
                    .map(|m| {
                        let mut v = to_value(m);
                        v["effective_due"] = to_value(p.due(Item::Measure(m)));
                        v
                    })
                    .collect(),
            ),
            Listing::Targets(p) => {
                Value::Array(p.targets.iter().map(|t| target_json(p, t)).collect())
            }
            Listing::Milestones(p) => Value::Array(
                p.milestones
                    .iter()
                    .map(|m| {
                        let mut v = to_value(m);
                        v["effective_due"] = to_value(p.due(Item::Milestone(m)));
                        v
                    })
                    .collect(),
            ),
            Listing::Units(p) => Value::Array(
                p.units
                    .iter()
                    .map(|u| {
                        let mut v = to_value(u);
                        v["items"] =
                            to_value(p.items_of(&u.id).map(|i| i.id()).collect::<Vec<_>>());
                        v
                    })
                    .collect(),
            ),
        }
    }
}
