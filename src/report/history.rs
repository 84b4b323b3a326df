//! The ledger as people read it: newest first, entries recorded under a former id attributed
//! to the item's current id, superseded entries marked.

use serde_json::{Value, json};

use super::judge::reading_text;
use crate::i18n::Lang;
use crate::model::Plan;
use crate::render::{Block, Cell, Doc, Table, View};
use crate::store::Entry;

pub struct History<'a> {
    pub plan: &'a Plan,
    /// Newest first.
    pub entries: &'a [Entry],
}

impl History<'_> {
    /// The current id of the item an entry was recorded under, if the plan still has it.
    fn current_id<'a>(&'a self, e: &'a Entry) -> Option<&'a str> {
        self.plan.item(&e.item).map(|i| i.id().as_str())
    }

    pub fn table(&self, lang: Lang) -> Table {
        let mut t = Table::new(
            Some(lang.t("History").to_string()),
            &[
                lang.t("#"),
                lang.t("Item"),
                lang.t("Date"),
                lang.t("Reading"),
                lang.t("By"),
                lang.t("Note"),
                lang.t("Recorded"),
                lang.t("Remark"),
            ],
        );
        for e in self.entries {
            let item = match self.current_id(e) {
                Some(id) if id == e.item => id.to_string(),
                Some(id) => format!("{id} ({} {})", lang.t("was"), e.item),
                None => format!("{} ({})", e.item, lang.t("not in plan")),
            };
            let unit = self
                .plan
                .item(&e.item)
                .and_then(|i| i.as_target())
                .map_or("", |t| t.unit.as_str());
            let mut remark = Vec::new();
            if let Some(old) = e.supersedes {
                remark.push(lang.fill("corrects #{n}", &[("n", old.to_string())]));
            }
            if let Some(new) = e.superseded_by {
                remark.push(lang.fill("superseded by #{n}", &[("n", new.to_string())]));
            }
            t.rows.push(vec![
                Cell::Int(e.id),
                Cell::Text(item),
                Cell::Date(e.date),
                Cell::Text(reading_text(e.reading, unit, lang)),
                Cell::text(
                    e.unit
                        .as_deref()
                        .map_or("", |u| self.plan.unit(u).map_or(u, |x| x.name.as_str())),
                ),
                Cell::text(&e.note),
                Cell::text(&e.recorded_at),
                Cell::Text(remark.join("; ")),
            ]);
        }
        t
    }

    pub fn json_entries(&self) -> Value {
        Value::Array(
            self.entries
                .iter()
                .map(|e| {
                    let mut v = json!(e);
                    v["recorded_item"] = json!(e.item);
                    v["item"] = json!(self.current_id(e).unwrap_or(&e.item));
                    v["value"] = json!(e.value());
                    v["status"] = json!(e.status());
                    if let Some(o) = v.as_object_mut() {
                        o.remove("reading");
                    }
                    v
                })
                .collect(),
        )
    }
}

impl View for History<'_> {
    fn doc(&self, lang: Lang) -> Doc {
        Doc {
            title: lang.t("Ledger").to_string(),
            blocks: vec![Block::Table(self.table(lang))],
        }
    }

    fn json(&self, _lang: Lang) -> Value {
        self.json_entries()
    }
}
