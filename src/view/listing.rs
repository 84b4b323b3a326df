//! What the plan holds, as listings: sections, measures, targets, milestones, units.

use serde_json::{Value, json};

use super::document;
use crate::doc::{Block, Cell, Column, Doc, JsonDoc, Table, View, number};
use crate::i18n::Lang;
use crate::model::*;

/// A listing of one part of the plan, for the as-of date of the run.
pub struct Listing<'p> {
    pub list: Listed<'p>,
    pub as_of: chrono::NaiveDate,
}

/// Which listing.
#[derive(Clone, Copy, Debug)]
pub enum Listed<'p> {
    Sections(&'p Plan),
    Measures(&'p Plan),
    Targets(&'p Plan),
    Milestones(&'p Plan),
    Units(&'p Plan),
}

/// Unit names, separated by a full-width semicolon.
pub fn unit_names(plan: &Plan, ids: &[UnitId]) -> String {
    let names: Vec<&str> = ids.iter().map(|u| plan.unit_name(u)).collect();
    // Chinese names are joined with ；, not 、, which names such as 各县、区人民政府 contain;
    // an English plan's names read as an English list.
    let chinese = names
        .iter()
        .any(|n| n.chars().any(|c| ('\u{3000}'..='\u{9fff}').contains(&c)));
    names.join(if chinese { "；" } else { ", " })
}

/// `≥ 90 %`, `≈ 20 ± 1 亿斤`, `3–5 %`, `≤ -18 % vs 2020-01-01`: see [`crate::judge::target_text`].
pub use crate::judge::target_text;

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
        "unit_of_measure": t.unit,
        "comparator": t.comparator,
        "target": t.value,
        "tolerance": t.tolerance,
        "upper": t.upper,
        "direction": t.direction,
        "relative": t.relative,
        "reported": t.reported,
        "years": t.years,
        "sustained": t.sustained,
        "min": t.min,
        "max": t.max,
        "baseline": t.baseline,
        "due": t.due,
        "effective_due": plan.due(Item::Target(t)),
        "units": t.units,
        "quote": t.quote,
        "note": t.note,
        "previous_ids": t.previous_ids,
    })
}

/// The JSON object of an item, with the deadline that applies.
pub fn item_json(plan: &Plan, item: Item<'_>) -> Value {
    let effective_due = plan.due(item);
    match item {
        Item::Target(t) => target_json(plan, t),
        Item::Measure(m) => json!({
            "id": m.id,
            "number": m.number,
            "section": m.section,
            "title": m.title,
            "text": m.text,
            "units": m.units,
            "lead": m.lead,
            "due": m.due,
            "effective_due": effective_due,
            "note": m.note,
            "previous_ids": m.previous_ids,
        }),
        Item::Milestone(m) => json!({
            "id": m.id,
            "measure": m.measure,
            "title": m.title,
            "due": m.due,
            "effective_due": effective_due,
            "units": m.units,
            "quote": m.quote,
            "note": m.note,
            "previous_ids": m.previous_ids,
        }),
    }
}

/// The JSON object of a unit, with the ids of the items it is responsible for.
pub fn unit_json(plan: &Plan, u: &Unit) -> Value {
    let items: Vec<&ItemId> = plan.items_of(&u.id).map(|i| i.id()).collect();
    json!({
        "unit": u.id,
        "name": u.name,
        "unit_kind": u.kind,
        "aliases": u.aliases,
        "items": items,
        "note": u.note,
    })
}

/// A part of the plan with the plan it belongs to, as a listing's row.
pub type Of<'a, T> = (&'a Plan, &'a T);

fn section_columns<'a>() -> [Column<Of<'a, Section>>; 4] {
    [
        Column::new("Id", |(_, s), _| Cell::text(s.id.as_str())),
        Column::new("No.", |(_, s), _| Cell::text(s.number.as_str())),
        Column::new("Title", |(_, s), _| Cell::text(s.title.as_str())),
        Column::new("Measures", |(p, s), _| {
            Cell::Int(p.measures_in(&s.id).count() as i64)
        }),
    ]
}

fn measure_columns<'a>() -> [Column<Of<'a, Measure>>; 6] {
    [
        Column::new("Id", |(_, m), _| Cell::text(m.id.as_str())),
        Column::new("No.", |(_, m), _| Cell::text(m.number.as_str())),
        Column::new("Section", |(p, m), _| {
            Cell::text(
                p.section(m.section.as_str())
                    .map_or("", |s| s.number.as_str()),
            )
        }),
        Column::new("Title", |(_, m), _| Cell::text(m.title.as_str())),
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
        Column::new("Metric", |(_, t), _| Cell::text(t.metric.as_str())),
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
        Column::new("Title", |(_, m), _| Cell::text(m.title.as_str())),
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
    fn doc(&self, lang: Lang) -> Doc<'_> {
        // Each row's cells are made as the table is drawn: a province's 66,000 targets are
        // never held as a document of cells.
        fn lazy<'a, T: Sync, const N: usize>(
            p: &'a Plan,
            columns: [Column<Of<'a, T>>; N],
            parts: &'a [T],
            lang: Lang,
        ) -> Table<'a> {
            Table::lazy(None, columns, parts, move |x| (p, x), lang)
        }
        let (title, table) = match self.list {
            Listed::Sections(p) => ("Sections", lazy(p, section_columns(), &p.sections, lang)),
            Listed::Measures(p) => ("Measures", lazy(p, measure_columns(), &p.measures, lang)),
            Listed::Targets(p) => ("Targets", lazy(p, target_columns(), &p.targets, lang)),
            Listed::Milestones(p) => (
                "Milestones",
                lazy(p, milestone_columns(), &p.milestones, lang),
            ),
            Listed::Units(p) => ("Units", lazy(p, unit_columns(), &p.units, lang)),
        };
        Doc {
            title: lang.t(title).to_string(),
            blocks: vec![Block::Table(table)],
        }
    }

    fn json(&self, lang: Lang) -> JsonDoc<'_> {
        // Each row is made as it is written, never all of them at once.
        type Rows<'a> = Box<dyn Iterator<Item = Value> + 'a>;
        let (report, p, rows): (_, _, Rows<'_>) = match self.list {
            Listed::Sections(p) => {
                let rows = p.sections.iter().map(move |s| {
                    let measures: Vec<&ItemId> = p.measures_in(&s.id).map(|m| &m.id).collect();
                    json!({"section": s.id, "number": s.number, "title": s.title, "measures": measures})
                });
                ("list-sections", p, Box::new(rows))
            }
            Listed::Measures(p) => {
                let rows = p
                    .measures
                    .iter()
                    .map(move |m| item_json(p, Item::Measure(m)));
                ("list-measures", p, Box::new(rows))
            }
            Listed::Targets(p) => {
                let rows = p.targets.iter().map(move |t| target_json(p, t));
                ("list-targets", p, Box::new(rows))
            }
            Listed::Milestones(p) => {
                let rows = p
                    .milestones
                    .iter()
                    .map(move |m| item_json(p, Item::Milestone(m)));
                ("list-milestones", p, Box::new(rows))
            }
            Listed::Units(p) => {
                let rows = p.units.iter().map(move |u| unit_json(p, u));
                ("list-units", p, Box::new(rows))
            }
        };
        document(report, &p.meta.id, self.as_of, lang, [], rows)
    }
}
