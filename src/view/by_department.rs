//! Departments for people (a summary row per unit; one unit's items) and scripts.

use serde_json::json;

use super::{date_cell, document, json_row, light_cell};
use crate::doc::{Block, Cell, Column, Doc, JsonDoc, Table, View};
use crate::i18n::Lang;
use crate::report::by_department::{ByDepartment, DeptRow, Rows, UnitItem};

fn summary<'a>() -> [Column<DeptRow<'a>>; 8] {
    [
        Column::new("Unit", |r, _| Cell::text(r.name)),
        Column::new("Id", |r, _| Cell::text(r.unit.as_str())),
        Column::new("Items", |r, _| Cell::Int(r.items as i64)),
        Column::new("green", |r, _| Cell::Int(r.green as i64)),
        Column::new("yellow", |r, _| Cell::Int(r.yellow as i64)),
        Column::new("red", |r, _| Cell::Int(r.red as i64)),
        Column::new("Overdue", |r, _| Cell::Int(r.overdue.len() as i64)),
        Column::new("Last report", |r, lang| date_cell(r.last_report, lang)),
    ]
}

fn items<'a>() -> [Column<UnitItem<'a>>; 8] {
    [
        Column::new("Id", |i, _| Cell::text(i.id.as_str())),
        Column::new("Kind", |i, lang| Cell::text(lang.t(i.kind.as_str()))),
        Column::new("Role", |i, lang| Cell::text(lang.t(i.role.as_str()))),
        Column::new("Title", |i, _| Cell::text(i.title)),
        Column::new("Due", |i, _| Cell::Date(i.deadline.applies)),
        Column::new("Status", |i, lang| Cell::text(lang.t(i.status.as_str()))),
        Column::new("Light", |i, lang| light_cell(i.light, lang)),
        Column::new("Reason", |i, lang| Cell::Text(i.reason.text(lang))),
    ]
}

impl View for ByDepartment<'_> {
    fn doc(&self, lang: Lang) -> Doc<'_> {
        let date = ("date", self.as_of.to_string());
        match &self.rows {
            Rows::All(rows) => Doc {
                title: lang.fill("Departments as of {date}", &[date]),
                blocks: vec![Block::Table(Table::of(None, &summary(), rows, lang))],
            },
            Rows::One { row, items: list } => Doc {
                title: lang.fill(
                    "{unit} as of {date}",
                    &[("unit", row.name.to_string()), date],
                ),
                blocks: vec![
                    Block::Table(Table::of(None, &summary(), [row], lang)),
                    Block::Table(Table::of(
                        Some(lang.t("Item list").to_string()),
                        &items(),
                        list,
                        lang,
                    )),
                ],
            },
        }
    }

    fn json(&self, lang: Lang) -> JsonDoc<'_> {
        let (plan, as_of) = (&self.plan.meta.id, self.as_of);
        match &self.rows {
            Rows::All(rows) => {
                let rows = rows.iter().map(|r| json!(r));
                document("by-department", plan, as_of, lang, [], rows)
            }
            Rows::One { row, items } => {
                let rows = items
                    .iter()
                    .map(move |i| json_row(i, [("reason", json!(i.reason.text(lang)))]));
                let unit = [("unit", json!(row.unit))];
                document("by-department-unit", plan, as_of, lang, unit, rows)
            }
        }
    }
}
