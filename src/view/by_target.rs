//! Target progress for people and scripts.

use serde::Serialize;
use serde_json::json;

use super::listing::target_text;
use super::{document, json_row, light_cell};
use crate::doc::{Block, Cell, Column, Doc, JsonDoc, Table, View};
use crate::i18n::Lang;
use crate::report::by_target::{ByTarget, TargetRow};

/// The light's reason, with a note when the target changed since it was last reported.
pub fn reason(row: &TargetRow, lang: Lang) -> String {
    let reason = row.reason.text(lang);
    match changed_text(row, lang) {
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

fn changed_text(row: &TargetRow, lang: Lang) -> Option<String> {
    (!row.target_changed.is_empty()).then(|| {
        let parts: Vec<String> = row
            .target_changed
            .iter()
            .map(|c| c.describe(lang))
            .collect();
        parts.join(", ")
    })
}

/// The columns of target progress, in the by-target report and the bulletin.
pub fn columns<'a>() -> [Column<TargetRow<'a>>; 12] {
    [
        Column::new("Id", |r, _| Cell::text(r.id().as_str())),
        Column::new("Metric", |r, _| Cell::text(r.def.metric.as_str())),
        Column::new("Target", |r, _| Cell::text(target_text(r.def))),
        Column::new("Actual", |r, _| Cell::opt_num(r.actual)),
        Column::new("Reported", |r, _| Cell::opt_date(r.actual_date)),
        Column::new("% of target", |r, _| {
            r.percent.map_or(Cell::Empty, Cell::Percent)
        }),
        Column::new("Expected now", |r, _| Cell::opt_num(r.expected)),
        Column::new("Due", |r, _| Cell::Date(r.applies)),
        Column::new("Days left", |r, _| {
            r.days_left.map_or(Cell::Empty, Cell::Int)
        }),
        Column::new("Status", |r, lang| Cell::text(lang.t(r.status.as_str()))),
        Column::new("Light", |r, lang| light_cell(r.light, lang)),
        Column::new("Reason", |r, lang| Cell::Text(reason(r, lang))),
    ]
}

impl ByTarget<'_> {
    /// The rows of the JSON document, made as they are read; the bulletin includes them.
    pub fn json_rows(&self, lang: Lang) -> impl Iterator<Item = impl Serialize + '_> + '_ {
        self.rows.iter().map(move |r| {
            let reason = ("reason", json!(reason(r, lang)));
            // Present only when the target changed, so that other rows stay as they were.
            let changed = changed_text(r, lang).map(|c| ("target_changed", json!(c)));
            json_row(r, std::iter::once(reason).chain(changed))
        })
    }
}

impl View for ByTarget<'_> {
    fn doc(&self, lang: Lang) -> Doc<'_> {
        let title = Some(lang.t("Target progress").into());
        Doc {
            title: lang.fill("Targets as of {date}", &[("date", self.as_of.to_string())]),
            blocks: vec![Block::Table(
                Table::lazy(title, columns(), &self.rows, |r| r, lang).named("targets"),
            )],
        }
    }

    fn json(&self, lang: Lang) -> JsonDoc<'_> {
        let rows = self.json_rows(lang);
        document("by-target", &self.plan.meta.id, self.as_of, lang, [], rows)
    }
}
