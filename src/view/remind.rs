//! Reminders for people (a table of notices ready to paste) and for a script that sends them.

use chrono::NaiveDate;
use serde_json::json;

use super::{date_cell, document, json_row};
use crate::doc::{Block, Cell, Column, Doc, JsonDoc, Table, View};
use crate::i18n::Lang;
use crate::report::remind::{DueItem, Notice, Remind};

/// The notice as one paragraph in the reader's language.
pub fn notice_text(r: &Remind, n: &Notice, lang: Lang) -> String {
    let list = |items: &[DueItem]| {
        items
            .iter()
            .map(|i| {
                lang.fill(
                    "{id} {title} (due {due})",
                    &[
                        ("id", i.id.to_string()),
                        ("title", i.title.to_string()),
                        ("due", i.deadline.applies.to_string()),
                    ],
                )
            })
            .collect::<Vec<_>>()
            .join(lang.t("; "))
    };
    let mut s = lang.fill(
        "[Reminder] {name}, as of {date}: ",
        &[("name", n.name.to_string()), ("date", r.as_of.to_string())],
    );
    if !n.reported_this_cycle {
        s += &match n.last_report {
            Some(last) => lang.fill(
                "no progress report this cycle (last report: {last}). ",
                &[("last", last.to_string())],
            ),
            None => lang
                .t("no progress report this cycle (never reported). ")
                .to_string(),
        };
    }
    if !n.due_soon.is_empty() {
        s += &lang.fill(
            "Due within {days} days: {items}. ",
            &[("days", r.within.to_string()), ("items", list(&n.due_soon))],
        );
    }
    if !n.overdue.is_empty() {
        s += &lang.fill("Overdue: {items}. ", &[("items", list(&n.overdue))]);
    }
    s += &match r.reply_by {
        Some(d) => lang.fill("Please report by {date}.", &[("date", d.to_string())]),
        None => lang.t("Please report as soon as possible.").to_string(),
    };
    s
}

type NoticeRow<'a> = (&'a Remind<'a>, &'a Notice<'a>);

fn columns<'a>() -> [Column<NoticeRow<'a>>; 5] {
    [
        Column::new("Unit", |(_, n), _| Cell::text(n.name)),
        Column::new("Last report", |(_, n), lang| date_cell(n.last_report, lang)),
        Column::new("Due soon", |(_, n), _| Cell::Int(n.due_soon.len() as i64)),
        Column::new("Overdue", |(_, n), _| Cell::Int(n.overdue.len() as i64)),
        Column::new("Notice", |(r, n), lang| Cell::Text(notice_text(r, n, lang))),
    ]
}

impl View for Remind<'_> {
    fn doc(&self, lang: Lang) -> Doc<'_> {
        let until = self
            .as_of
            .checked_add_days(chrono::Days::new(self.within.into()))
            .unwrap_or(NaiveDate::MAX);
        let rows: Vec<NoticeRow> = self.notices.iter().map(|n| (self, n)).collect();
        Doc {
            title: lang.fill("Reminders as of {date}", &[("date", self.as_of.to_string())]),
            blocks: vec![
                Block::Text(lang.fill(
                    "Units with no report since {since}, or with items not met that fall due by {until}.",
                    &[
                        ("since", self.since.to_string()),
                        ("until", until.to_string()),
                    ],
                )),
                Block::Table(Table::of(None, &columns(), &rows, lang)),
            ],
        }
    }

    /// One object per notice, for a script that sends them.
    fn json(&self, lang: Lang) -> JsonDoc<'_> {
        let rows = self
            .notices
            .iter()
            .map(move |n| json_row(n, [("notice", json!(notice_text(self, n, lang)))]));
        let header = [
            ("within", json!(self.within)),
            ("reply_by", json!(self.reply_by)),
        ];
        document("remind", &self.plan.meta.id, self.as_of, lang, header, rows)
    }
}
