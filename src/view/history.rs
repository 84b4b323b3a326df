//! The ledger as people read it: newest first, entries recorded under a former id attributed
//! to the item's current id, superseded entries marked.

use chrono::NaiveDate;
use serde::Serialize;

use super::{document, reading_text};
use crate::doc::{Block, Cell, Column, Doc, JsonDoc, Table, View};
use crate::i18n::Lang;
use crate::model::{Entry, Plan, Status};

pub struct History<'a> {
    pub plan: &'a Plan,
    pub as_of: NaiveDate,
    /// Newest first.
    pub entries: &'a [Entry],
}

/// An entry with the plan it is read against.
pub type Row<'a> = (&'a Plan, &'a Entry);

/// The columns of the ledger; the bulletin's list of updates uses the first ones.
pub fn columns<'a>() -> [Column<Row<'a>>; 8] {
    [
        Column::new("#", |(_, e), _| Cell::Int(e.id)),
        Column::new("Item", |(p, e), lang| {
            Cell::Text(match p.item(&e.item).map(|i| i.id().as_str()) {
                Some(id) if id == e.item => id.to_string(),
                Some(id) => format!("{id} ({} {})", lang.t("was"), e.item),
                None => format!("{} ({})", e.item, lang.t("not in plan")),
            })
        }),
        Column::new("Date", |(_, e), _| Cell::Date(e.date)),
        Column::new("Reading", |(p, e), lang| {
            let unit = p.item(&e.item).map_or("", |i| i.value_unit());
            Cell::Text(reading_text(e.reading, unit, lang))
        }),
        Column::new("By", |(p, e), _| Cell::text(reporter_name(p, e))),
        Column::new("Note", |(_, e), _| Cell::text(&e.note)),
        Column::new("Recorded", |(_, e), _| Cell::text(&e.recorded_at)),
        Column::new("Remark", |(_, e), lang| {
            let mut remark = Vec::new();
            if let Some(old) = e.supersedes {
                remark.push(lang.fill("corrects #{n}", &[("n", old.to_string())]));
            }
            if let Some(new) = e.superseded_by {
                remark.push(lang.fill("superseded by #{n}", &[("n", new.to_string())]));
            }
            Cell::Text(remark.join("; "))
        }),
    ]
}

impl<'a> History<'a> {
    pub fn table(&self, lang: Lang) -> Table<'static> {
        let rows: Vec<Row> = self.entries.iter().map(|e| (self.plan, e)).collect();
        Table::of(Some(lang.t("History").to_string()), &columns(), &rows, lang)
    }

    /// One object per entry: `id` is the item's current id, `recorded_id` the id it was
    /// recorded under, and the reading is split into `value` and `reported_status`.
    pub fn json_entries(&self) -> impl Iterator<Item = EntryRow<'a>> + 'a {
        let plan = self.plan;
        self.entries.iter().map(move |e| EntryRow {
            entry: e.id,
            id: current_id(plan, e),
            recorded_id: &e.item,
            date: e.date,
            value: e.value(),
            reported_status: e.status(),
            note: &e.note,
            unit: e.unit.as_deref(),
            recorded_at: &e.recorded_at,
            supersedes: e.supersedes,
            superseded_by: e.superseded_by,
            plan_fingerprint: &e.plan_fingerprint,
        })
    }
}

/// A ledger entry as the history's JSON shows it: under the item's current id, with the id
/// it was recorded under.
#[derive(Serialize)]
pub struct EntryRow<'a> {
    entry: i64,
    id: &'a str,
    recorded_id: &'a str,
    date: NaiveDate,
    value: Option<f64>,
    reported_status: Option<Status>,
    note: &'a str,
    unit: Option<&'a str>,
    recorded_at: &'a str,
    supersedes: Option<i64>,
    superseded_by: Option<i64>,
    plan_fingerprint: &'a str,
}

/// The current id of the item an entry was recorded under; the recorded id when the plan no
/// longer has the item.
pub fn current_id<'a>(plan: &'a Plan, e: &'a Entry) -> &'a str {
    plan.item(&e.item)
        .map_or(e.item.as_str(), |i| i.id().as_str())
}

/// The name of the unit that recorded an entry; its id when the plan no longer has the unit.
pub fn reporter_name<'a>(plan: &'a Plan, e: &'a Entry) -> &'a str {
    e.unit
        .as_deref()
        .map_or("", |u| plan.unit(u).map_or(u, |x| x.name.as_str()))
}

impl View for History<'_> {
    fn doc(&self, lang: Lang) -> Doc<'_> {
        Doc {
            title: lang.t("Ledger").to_string(),
            blocks: vec![Block::Table(self.table(lang))],
        }
    }

    fn json(&self, lang: Lang) -> JsonDoc<'_> {
        let rows = self.json_entries();
        document("history", &self.plan.meta.id, self.as_of, lang, [], rows)
    }
}
