//! The overdue report for people (items, whom to call, units with no report) and scripts.

use chrono::NaiveDate;
use serde_json::json;

use super::listing::unit_names;
use super::{boxed, document, json_row, reading_keys, reading_text, tagged};
use crate::doc::{Block, Cell, Column, Doc, JsonDoc, JsonRow, Table, View};
use crate::i18n::Lang;
use crate::model::{LeadBasis, Plan, UnitId};
use crate::report::overdue::{Overdue, OverdueRow, UnitCall};

/// The lead units first, then the cooperating ones, marked: 市农业农村局（牵头）；市卫生健康委（配合）.
/// Jointly responsible units are listed plainly.
pub fn roles_text(
    plan: &Plan,
    lead: &[UnitId],
    basis: LeadBasis,
    cooperating: &[&UnitId],
    lang: Lang,
) -> String {
    if cooperating.is_empty() && basis == LeadBasis::Text {
        return unit_names(plan, lead);
    }
    // A lead read from the units' duties, not the document's words, says so.
    let lead_role = match basis {
        LeadBasis::Text => "lead",
        LeadBasis::Duty => "lead, by duty",
    };
    let mark = |ids: &[UnitId], role: &'static str| {
        ids.iter()
            .map(|u| {
                lang.fill(
                    "{unit} ({role})",
                    &[
                        ("unit", plan.unit_name(u).to_string()),
                        ("role", lang.t(role).to_string()),
                    ],
                )
            })
            .collect::<Vec<_>>()
    };
    let coop: Vec<UnitId> = cooperating.iter().map(|u| (*u).clone()).collect();
    let mut all = mark(lead, lead_role);
    all.extend(mark(&coop, "cooperating"));
    all.join(if lang == Lang::Zh { "；" } else { "; " })
}

fn date_or_never(d: Option<NaiveDate>, lang: Lang) -> String {
    d.map_or_else(|| lang.t("never").to_string(), |d| d.to_string())
}

type ItemRow<'a> = (&'a Plan, &'a OverdueRow<'a>);

fn item_columns<'a>() -> [Column<ItemRow<'a>>; 7] {
    [
        Column::new("Id", |(_, r), _| Cell::text(r.id.as_str())),
        Column::new("Kind", |(_, r), lang| Cell::text(lang.t(r.kind.as_str()))),
        Column::new("Title", |(_, r), _| Cell::text(r.title)),
        Column::new("Due", |(_, r), _| Cell::Date(r.deadline.applies)),
        Column::new("Days overdue", |(_, r), _| Cell::Int(r.days_overdue)),
        Column::new("Latest", |(_, r), lang| {
            Cell::Text(r.latest.map_or_else(
                || lang.t("never reported").to_string(),
                |x| {
                    let date = date_or_never(r.latest_date, lang);
                    format!("{} ({date})", reading_text(x, r.value_unit, lang))
                },
            ))
        }),
        Column::new("Responsible units", |(p, r), lang| {
            Cell::Text(roles_text(p, r.lead, r.lead_basis, &r.cooperating, lang))
        }),
    ]
}

fn calls<'a>() -> [Column<UnitCall<'a>>; 4] {
    [
        Column::new("Unit", |c, _| Cell::text(c.name)),
        Column::new("Overdue", |c, _| Cell::Int(c.overdue.len() as i64)),
        Column::new("Overdue items", |c, _| {
            let ids: Vec<&str> = c.overdue.iter().map(|i| i.as_str()).collect();
            Cell::Text(ids.join(", "))
        }),
        Column::new("Last report", |c, lang| {
            Cell::Text(date_or_never(c.last_report, lang))
        }),
    ]
}

fn silent<'a>() -> [Column<UnitCall<'a>>; 3] {
    [
        Column::new("Unit", |c, _| Cell::text(c.name)),
        Column::new("Id", |c, _| Cell::text(c.unit.as_str())),
        Column::new("Last report", |c, lang| {
            Cell::Text(date_or_never(c.last_report, lang))
        }),
    ]
}

impl Overdue<'_> {
    /// The rows of the JSON document; the bulletin includes them.
    pub fn rows(&self, lang: Lang) -> impl Iterator<Item = JsonRow<'_>> + '_ {
        let items = self.items.iter().map(move |r| {
            let [actual, status] = reading_keys(r.latest, "actual");
            let row = json_row(r, [actual, status, ("reason", json!(r.reason.text(lang)))]);
            boxed(tagged("overdue_item", row))
        });
        let silent = self.silent.iter().map(move |c| {
            let row = json!({"unit": c.unit, "name": c.name, "last_report": c.last_report, "since": self.since});
            boxed(tagged("unreported_unit", row))
        });
        items.chain(silent)
    }
}

impl View for Overdue<'_> {
    fn doc(&self, lang: Lang) -> Doc<'_> {
        let silent_title = lang.fill(
            "Units with no report since {since}",
            &[("since", self.since.to_string())],
        );
        Doc {
            title: lang.fill("Overdue as of {date}", &[("date", self.as_of.to_string())]),
            blocks: vec![
                Block::Table(
                    Table::lazy(
                        Some(lang.t("Overdue items").into()),
                        item_columns(),
                        &self.items,
                        |r| (self.plan, r),
                        lang,
                    )
                    .named("overdue-items"),
                ),
                Block::Table(
                    Table::of(
                        Some(lang.t("Whom to call").into()),
                        &calls(),
                        &self.calls,
                        lang,
                    )
                    .named("whom-to-call"),
                ),
                Block::Table(
                    Table::of(Some(silent_title), &silent(), &self.silent, lang)
                        .named("units-not-reported"),
                ),
            ],
        }
    }

    /// One `overdue_item` row per item, then one `unreported_unit` row per silent unit.
    fn json(&self, lang: Lang) -> JsonDoc<'_> {
        let rows = self.rows(lang);
        document("overdue", &self.plan.meta.id, self.as_of, lang, [], rows)
    }
}
