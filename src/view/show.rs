//! One item or unit in full, for people and scripts.

use serde_json::{Value, json};

use super::history::History;
use super::listing::{
    baseline_text, item_json, milestone_columns, rows_of, target_columns, target_text, unit_json,
    unit_names,
};
use super::{document, with_first};
use crate::doc::{Block, Cell, Column, Doc, JsonDoc, Table, View};
use crate::i18n::Lang;
use crate::model::*;
use crate::report::show::{ShowView, Subject};
use crate::revision::ItemRevision;

fn field(t: &mut Table, name: &str, value: impl Into<String>) {
    let value = value.into();
    if !value.is_empty() {
        t.rows.push(vec![Cell::text(name), Cell::Text(value)]);
    }
}

fn revision_columns() -> [Column<ItemRevision>; 4] {
    [
        Column::new("Commit", |r, _| Cell::text(&r.commit)),
        Column::new("Date", |r, _| Cell::text(&r.date)),
        Column::new("Subject", |r, _| Cell::text(&r.subject)),
        Column::new("Change", |r, lang| Cell::Text(r.change.describe(lang))),
    ]
}

fn item_columns<'a>() -> [Column<(&'a Plan, Item<'a>)>; 4] {
    [
        Column::new("Id", |(_, i), _| Cell::text(i.id().as_str())),
        Column::new("Kind", |(_, i), lang| Cell::text(lang.t(i.kind().as_str()))),
        Column::new("Title", |(_, i), _| Cell::text(i.title())),
        Column::new("Due", |(p, i), _| Cell::Date(p.due(*i))),
    ]
}

impl ShowView<'_> {
    fn revisions_json(&self, lang: Lang) -> Value {
        self.revisions
            .iter()
            .map(|r| {
                json!({
                    "commit": r.commit,
                    "date": r.date,
                    "subject": r.subject,
                    "change": r.change.change,
                    "summary": r.change.describe(lang),
                })
            })
            .collect()
    }

    fn item_fields(&self, item: Item<'_>, lang: Lang, t: &mut Table) {
        let p = self.plan;
        field(t, lang.t("Id"), item.id().as_str());
        field(t, lang.t("Kind"), lang.t(item.kind().as_str()));
        if let Some(m) = p.measure(item.measure().as_str()) {
            let section = p
                .section(m.section.as_str())
                .map(|s| format!("{} {}", s.number, s.title));
            field(t, lang.t("Section"), section.unwrap_or_default());
            field(
                t,
                lang.t("Measure"),
                format!("{} ({}) {}", m.number, m.id, m.title),
            );
        }
        match item {
            Item::Measure(m) => {
                field(t, lang.t("Text"), &m.text);
                field(t, lang.t("Lead units"), unit_names(p, &m.lead));
            }
            Item::Target(x) => {
                field(t, lang.t("Metric"), x.metric.as_str());
                field(t, lang.t("Target"), target_text(x));
                if let Some(b) = x.baseline {
                    field(t, lang.t("Baseline"), baseline_text(b));
                }
                field(t, lang.t("Quote"), &x.quote);
            }
            Item::Milestone(m) => {
                field(t, lang.t("Title"), m.title.as_str());
                field(t, lang.t("Quote"), m.quote.as_deref().unwrap_or_default());
            }
        }
        field(t, lang.t("Note"), item.note().unwrap_or_default());
        let due = p.due(item);
        let inherited = if item.own_due().is_none() {
            format!(" ({})", lang.t("Plan horizon"))
        } else {
            String::new()
        };
        field(t, lang.t("Due"), format!("{due}{inherited}"));
        field(t, lang.t("Responsible units"), unit_names(p, item.units()));
        let former: Vec<&str> = item.previous_ids().iter().map(|i| i.as_str()).collect();
        field(t, lang.t("Former ids"), former.join(", "));
    }
}

impl View for ShowView<'_> {
    fn doc(&self, lang: Lang) -> Doc<'_> {
        let p = self.plan;
        let mut fields = Table::new(None, &[lang.t("Field"), lang.t("Value")]);
        let mut blocks = Vec::new();
        let title = match self.subject {
            Subject::Item(item) => {
                self.item_fields(item, lang, &mut fields);
                blocks.push(Block::Table(fields));
                if let Item::Measure(m) = item {
                    let [id, _, metric, target, _, due] = target_columns();
                    let rows = rows_of(p, p.targets_of(&m.id));
                    let title = Some(lang.t("Targets").to_string());
                    let parts = Table::of(title, &[id, metric, target, due], &rows, lang);
                    let [id, _, name, due] = milestone_columns();
                    let rows = rows_of(p, p.milestones_of(&m.id));
                    let title = Some(lang.t("Milestones").to_string());
                    let ms = Table::of(title, &[id, name, due], &rows, lang);
                    blocks.push(Block::Table(parts));
                    blocks.push(Block::Table(ms));
                }
                format!("{} {}", item.id(), item.title())
            }
            Subject::Unit(u) => {
                field(&mut fields, lang.t("Id"), u.id.as_str());
                field(&mut fields, lang.t("Name"), &u.name);
                field(&mut fields, lang.t("Aliases"), u.aliases.join("、"));
                field(&mut fields, lang.t("Kind"), lang.t(u.kind.as_str()));
                field(
                    &mut fields,
                    lang.t("Note"),
                    u.note.as_deref().unwrap_or_default(),
                );
                blocks.push(Block::Table(fields));
                let rows: Vec<_> = p.items_of(&u.id).map(|i| (p, i)).collect();
                let title = Some(lang.t("Item list").to_string());
                let items = Table::of(title, &item_columns(), &rows, lang);
                blocks.push(Block::Table(items));
                format!("{} {}", u.id, u.name)
            }
        };
        if !self.revisions.is_empty() {
            let title = Some(lang.t("Plan revisions").to_string());
            let table = Table::of(title, &revision_columns(), self.revisions, lang);
            blocks.push(Block::Table(table));
        }
        if let Some(entries) = self.history {
            let history = History {
                plan: p,
                as_of: self.as_of,
                entries,
            };
            blocks.push(Block::Table(history.table(lang)));
        }
        Doc { title, blocks }
    }

    /// One row: the item or unit, with its history.
    fn json(&self, lang: Lang) -> JsonDoc<'_> {
        let p = self.plan;
        let mut v = match self.subject {
            Subject::Item(item) => {
                let mut v = item_json(p, item);
                if let Item::Measure(m) = item {
                    let targets: Vec<&ItemId> = p.targets_of(&m.id).map(|x| &x.id).collect();
                    let milestones: Vec<&ItemId> = p.milestones_of(&m.id).map(|x| &x.id).collect();
                    v["targets"] = json!(targets);
                    v["milestones"] = json!(milestones);
                }
                v
            }
            Subject::Unit(u) => unit_json(p, u),
        };
        if let Subject::Item(item) = self.subject {
            v = with_first("kind", json!(item.kind()), v);
        }
        if !self.revisions.is_empty() {
            v["plan_revisions"] = self.revisions_json(lang);
        }
        if let Some(entries) = self.history {
            let history = History {
                plan: p,
                as_of: self.as_of,
                entries,
            };
            v["history"] = json!(history.json_entries().collect::<Vec<_>>());
        }
        // One row: the item or unit.
        document("show", &p.meta.id, self.as_of, lang, [], [v])
    }
}
