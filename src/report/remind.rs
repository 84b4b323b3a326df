//! `remind`: reminders (催办). One notice per unit that owes a report in the current cycle or
//! has items not met that fall due soon, ready to paste into a message: what is missing, what is
//! due and when, and what is already overdue.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Value, json};

use super::facts::Facts;
use super::json_row;
use super::judge::{Standing, cycle_start};
use crate::i18n::Lang;
use crate::model::*;
use crate::render::{Block, Cell, Doc, Table, View};

/// An item named in a notice.
#[derive(Clone, Debug, Serialize)]
pub struct DueItem<'p> {
    pub id: &'p ItemId,
    pub title: &'p str,
    /// The item's own deadline; null when the plan horizon applies (as in `list`).
    #[serde(rename = "due")]
    pub own_due: Option<NaiveDate>,
    /// The deadline that applies: its own, or the plan horizon.
    #[serde(rename = "effective_due")]
    pub due: NaiveDate,
}

/// One unit to remind.
#[derive(Clone, Debug, Serialize)]
pub struct Notice<'p> {
    pub unit: &'p UnitId,
    pub name: &'p str,
    pub last_report: Option<NaiveDate>,
    pub reported_this_cycle: bool,
    /// Items not met, due between the as-of date and `within` days later.
    pub due_soon: Vec<DueItem<'p>>,
    pub overdue: Vec<DueItem<'p>>,
}

pub struct Remind<'p> {
    pub as_of: NaiveDate,
    /// Start of the current reporting window (exclusive).
    pub since: NaiveDate,
    pub within: u32,
    /// The reply deadline written into each notice, if one was given.
    pub reply_by: Option<NaiveDate>,
    pub notices: Vec<Notice<'p>>,
}

impl<'p> Remind<'p> {
    pub fn compute(
        plan: &'p Plan,
        facts: &Facts,
        within: u32,
        reply_by: Option<NaiveDate>,
    ) -> Remind<'p> {
        let silent: Vec<&UnitId> = facts.silent_units(plan).iter().map(|u| &u.id).collect();
        let notices = plan
            .units
            .iter()
            .filter(|u| !plan.is_supervisor(&u.id))
            .filter_map(|u| {
                let mut due_soon = Vec::new();
                let mut overdue = Vec::new();
                for i in plan.items_of(&u.id) {
                    let v = facts.verdict(i.id());
                    let item = DueItem {
                        id: i.id(),
                        title: i.title(),
                        own_due: i.own_due(),
                        due: v.due,
                    };
                    if v.standing == Standing::Overdue {
                        overdue.push(item);
                    } else if v.standing != Standing::Met
                        && (0..=i64::from(within)).contains(&v.days_left)
                    {
                        due_soon.push(item);
                    }
                }
                let owes_report = silent.contains(&&u.id);
                (owes_report || !due_soon.is_empty()).then(|| {
                    due_soon.sort_by_key(|d| d.due);
                    overdue.sort_by_key(|d| d.due);
                    Notice {
                        unit: &u.id,
                        name: &u.name,
                        last_report: facts.last_report(&u.id),
                        reported_this_cycle: !owes_report,
                        due_soon,
                        overdue,
                    }
                })
            })
            .collect();
        Remind {
            as_of: facts.as_of,
            since: cycle_start(plan.meta.reporting_cycle, facts.as_of),
            within,
            reply_by,
            notices,
        }
    }

    /// The notice as one paragraph in the reader's language.
    pub fn text(&self, n: &Notice, lang: Lang) -> String {
        let list = |items: &[DueItem]| {
            items
                .iter()
                .map(|i| {
                    lang.fill(
                        "{id} {title} (due {due})",
                        &[
                            ("id", i.id.to_string()),
                            ("title", i.title.to_string()),
                            ("due", i.due.to_string()),
                        ],
                    )
                })
                .collect::<Vec<_>>()
                .join(lang.t("; "))
        };
        let mut s = lang.fill(
            "[Reminder] {name}, as of {date}: ",
            &[
                ("name", n.name.to_string()),
                ("date", self.as_of.to_string()),
            ],
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
                &[
                    ("days", self.within.to_string()),
                    ("items", list(&n.due_soon)),
                ],
            );
        }
        if !n.overdue.is_empty() {
            s += &lang.fill("Overdue: {items}. ", &[("items", list(&n.overdue))]);
        }
        s += &match self.reply_by {
            Some(d) => lang.fill("Please report by {date}.", &[("date", d.to_string())]),
            None => lang.t("Please report as soon as possible.").to_string(),
        };
        s
    }
}

impl View for Remind<'_> {
    fn doc(&self, lang: Lang) -> Doc {
        let mut t = Table::new(
            None,
            &[
                lang.t("Unit"),
                lang.t("Last report"),
                lang.t("Due soon"),
                lang.t("Overdue"),
                lang.t("Notice"),
            ],
        );
        for n in &self.notices {
            t.rows.push(vec![
                Cell::text(n.name),
                n.last_report
                    .map_or_else(|| Cell::text(lang.t("never")), Cell::Date),
                Cell::Int(n.due_soon.len() as i64),
                Cell::Int(n.overdue.len() as i64),
                Cell::Text(self.text(n, lang)),
            ]);
        }
        let until = self
            .as_of
            .checked_add_days(chrono::Days::new(self.within.into()))
            .unwrap_or(NaiveDate::MAX);
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
                Block::Table(t),
            ],
        }
    }

    /// One object per notice, for a script that sends them.
    fn json(&self, lang: Lang) -> Value {
        self.notices
            .iter()
            .map(|n| json_row(n, [("notice", json!(self.text(n, lang)))]))
            .collect()
    }
}
