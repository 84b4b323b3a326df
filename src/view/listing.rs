//! What the plan holds, as listings: sections, measures, targets, milestones, units.

use serde_json::{Value, json};

use super::json_row;
use crate::doc::{Block, Cell, Column, Doc, Table, View, number};
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

/// A part of the plan with the plan it belongs to, as a listing's row.
pub type Of<'a, T> = (&'a Plan, &'a T);

fn section_columns<'a>() -> [Column<Of<'a, Section>>; 4] {
    [
        Column::new("Id", |(_, s), _| Cell::text(s.id.as_str())),
        Column::new("No.", |(_, s), _| Cell::text(&s.number)),
        Column::new("Title", |(_, s), _| Cell::text(&s.title)),
        Column::new("Measures", |(p, s), _| {
            Cell::Int(p.measures_in(&s.id).count() as i64)
        }),
    ]
}

fn measure_columns<'a>() -> [Column<Of<'a, Measure>>; 6] {
    [
        Column::new("Id", |(_, m), _| Cell::text(m.id.as_str())),
        Column::new("No.", |(_, m), _| Cell::text(&m.number)),
        Column::new("Section", |(p, m), _| {
            Cell::text(
                p.section(m.section.as_str())
                    .map_or("", |s| s.number.as_str()),
            )
        }),
        Column::new("Title", |(_, m), _| Cell::text(&m.title)),
        Column::new("Responsible units", |(p, m), _| {
            Cell::text(unit_names(p, &m.units))
        }),
        Column::new("Due", |(p, m), _| Cell::Date(p.due(Item::Measure(m)))),
    ]
}

/// The columns of a list of targets; `show` lists a measure's targets with some of them.
pub fn target_columns<'a>() -> [Column<Of<'a, Target>>; 6] {
    [
        Column::new("Id", |(_, t), _| Cell::text(t.id.as_str())),
        Column::new("Measure", |(_, t), _| Cell::text(t.measure.as_str())),
        Column::new("Metric", |(_, t), _| Cell::text(&t.metric)),
        Column::new("Target", |(_, t), _| Cell::text(target_text(t))),
        Column::new("Baseline", |(_, t), _| {
            t.baseline
                .map_or(Cell::Empty, |b| Cell::Text(baseline_text(b)))
        }),
        Column::new("Due", |(p, t), _| Cell::Date(p.due(Item::Target(t)))),
    ]
}

/// The columns of a list of milestones; `show` lists a measure's milestones with some of them.
pub fn milestone_columns<'a>() -> [Column<Of<'a, Milestone>>; 4] {
    [
        Column::new("Id", |(_, m), _| Cell::text(m.id.as_str())),
        Column::new("Measure", |(_, m), _| Cell::text(m.measure.as_str())),
        Column::new("Title", |(_, m), _| Cell::text(&m.title)),
        Column::new("Due", |(p, m), _| Cell::Date(p.due(Item::Milestone(m)))),
    ]
}

fn unit_columns<'a>() -> [Column<Of<'a, Unit>>; 5] {
    [
        Column::new("Id", |(_, u), _| Cell::text(u.id.as_str())),
        Column::new("Name", |(_, u), _| Cell::text(&u.name)),
        Column::new("Kind", |(_, u), lang| Cell::text(lang.t(u.kind.as_str()))),
        Column::new("Aliases", |(_, u), _| Cell::text(u.aliases.join("、"))),
        Column::new("Items", |(p, u), _| {
            Cell::Int(p.items_of(&u.id).count() as i64)
        }),
    ]
}

/// `parts` paired with their plan, as rows for [`Table::of`].
pub fn rows_of<'a, T>(plan: &'a Plan, parts: impl IntoIterator<Item = &'a T>) -> Vec<Of<'a, T>> {
    parts.into_iter().map(|x| (plan, x)).collect()
}

impl View for Listing<'_> {
    fn doc(&self, lang: Lang) -> Doc {
        let (title, table) = match *self {
            Listing::Sections(p) => (
                "Sections",
                Table::of(None, &section_columns(), &rows_of(p, &p.sections), lang),
            ),
            Listing::Measures(p) => (
                "Measures",
                Table::of(None, &measure_columns(), &rows_of(p, &p.measures), lang),
            ),
            Listing::Targets(p) => (
                "Targets",
                Table::of(None, &target_columns(), &rows_of(p, &p.targets), lang),
            ),
            Listing::Milestones(p) => (
                "Milestones",
                Table::of(None, &milestone_columns(), &rows_of(p, &p.milestones), lang),
            ),
            Listing::Units(p) => (
                "Units",
                Table::of(None, &unit_columns(), &rows_of(p, &p.units), lang),
            ),
        };
        Doc {
            title: lang.t(title).to_string(),
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
