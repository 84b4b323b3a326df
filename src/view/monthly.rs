//! The monthly bulletin for people and scripts.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::history::{self, current_id};
use super::{boxed, document, light_cell, tagged, tone};
use crate::doc::{Bar, Block, Cell, Chart, Column, Doc, JsonDoc, Table, View, number};
use crate::i18n::Lang;
use crate::model::{Comparator, Item, Light, Standing, Status};
use crate::report::monthly::{LightChange, Monthly, TargetMove};

type Update<'a> = history::Row<'a>;

/// An update of the month as the bulletin's JSON lists it.
#[derive(Serialize)]
struct UpdateRow<'a> {
    entry: i64,
    id: &'a str,
    date: NaiveDate,
    value: Option<f64>,
    reported_status: Option<Status>,
    unit: Option<&'a str>,
    note: &'a str,
}

/// The ledger's columns, with the item's title after its id.
fn updates<'a>() -> [Column<Update<'a>>; 7] {
    let [n, _, date, reading, by, note, _, _] = history::columns();
    let item = Column::new("Item", |(p, e): &Update, _| Cell::text(current_id(p, e)));
    let title = Column::new("Title", |(p, e): &Update, _| {
        Cell::text(p.item(&e.item).map_or("", |i| i.title()))
    });
    [n, item, title, date, reading, by, note]
}

fn light_changes<'a>() -> [Column<LightChange<'a>>; 4] {
    [
        Column::new("Item", |c, _| Cell::text(c.item.id().as_str())),
        Column::new("Title", |c, _| Cell::text(c.item.title())),
        Column::new("Before", |c, lang| light_cell(c.from, lang)),
        Column::new("Now", |c, lang| light_cell(c.to, lang)),
    ]
}

fn moves<'a>() -> [Column<TargetMove<'a>>; 5] {
    [
        Column::new("Id", |m, _| Cell::text(m.target.id.as_str())),
        Column::new("Metric", |m, _| Cell::text(m.target.metric.as_str())),
        Column::new("Before", |m, _| Cell::opt_num(m.from)),
        Column::new("Now", |m, _| Cell::Num(m.to)),
        Column::new("Unit", |m, _| Cell::text(m.target.unit.as_str())),
    ]
}

const LIGHTS: [Column<(Light, usize)>; 2] = [
    Column::new("Light", |(l, _), lang| light_cell(*l, lang)),
    Column::new("Items", |(_, n), _| Cell::Int(*n as i64)),
];

const STANDINGS: [Column<(Standing, usize)>; 2] = [
    Column::new("Status", |(s, _), lang| Cell::text(lang.t(s.as_str()))),
    Column::new("Targets", |(_, n), _| Cell::Int(*n as i64)),
];

fn summary<'a>(m: &'a Monthly, lang: Lang) -> Vec<Block<'a>> {
    let count = |l: Light| m.lights.iter().find(|x| x.0 == l).map_or(0, |x| x.1);
    let text = lang.fill(
        "{items} items: {green} green, {yellow} yellow, {red} red. {updates} updates were recorded in {month}.",
        &[
            ("items", m.plan.items().count().to_string()),
            ("green", count(Light::Green).to_string()),
            ("yellow", count(Light::Yellow).to_string()),
            ("red", count(Light::Red).to_string()),
            ("updates", m.updates.len().to_string()),
            ("month", m.month.to_string()),
        ],
    );
    let title = |t: &'static str| Some(lang.t(t).to_string());
    vec![
        Block::Heading(lang.t("Summary").into()),
        Block::Text(text),
        Block::Table(Table::of(title("Items by light"), &LIGHTS, &m.lights, lang).named("lights")),
        Block::Table(
            Table::of(title("Targets by status"), &STANDINGS, &m.standings, lang)
                .named("standings"),
        ),
    ]
}

fn changes<'a>(m: &'a Monthly, lang: Lang) -> Vec<Block<'a>> {
    let title = |t: &'static str| Some(lang.t(t).to_string());
    let heading = lang.fill(
        "Changes since {date}",
        &[("date", m.month.prev().last_day().to_string())],
    );
    let all_updates = lang.fill("All updates in {month}", &[("month", m.month.to_string())]);
    vec![
        Block::Heading(heading),
        Block::Table(
            Table::of(
                title("Items that changed light"),
                &light_changes(),
                &m.changes,
                lang,
            )
            .named("light-changes"),
        ),
        Block::Table(
            Table::of(title("Targets that moved"), &moves(), &m.moves, lang).named("target-moves"),
        ),
        // The full list last: leaders read what is late and what moved first.
        Block::Heading(all_updates),
        Block::Table(
            Table::lazy(
                title("New updates"),
                updates(),
                &m.updates,
                |e| (m.plan, e),
                lang,
            )
            .named("updates"),
        ),
    ]
}

fn overdue<'a>(m: &'a Monthly, lang: Lang) -> Vec<Block<'a>> {
    let bars = m
        .overdue
        .calls
        .iter()
        .map(|c| (c.name.to_string(), c.overdue.len() as f64))
        .collect();
    let mut blocks = vec![
        Block::Heading(lang.t("Overdue by department").into()),
        Block::Chart(Chart::Counts {
            title: lang.t("Overdue items by department").into(),
            bars,
        }),
    ];
    // The overdue report's tables: items, whom to call, units with no report.
    blocks.extend(m.overdue.doc(lang).blocks);
    blocks
}

fn targets<'a>(m: &'a Monthly, lang: Lang) -> Vec<Block<'a>> {
    let bars = m
        .targets
        .rows
        .iter()
        .map(|r| Bar {
            label: format!("{} {}", r.id(), r.def.metric),
            percent: r.percent,
            caption: r.percent.map_or_else(
                || lang.t("no data").to_string(),
                |p| format!("{}%", number(p)),
            ),
            tone: tone(r.light),
        })
        .collect();
    let mut blocks = vec![
        Block::Heading(lang.t("Targets").into()),
        Block::Chart(Chart::Progress {
            title: lang.t("Progress towards each target").into(),
            bars,
        }),
    ];
    blocks.extend(m.targets.doc(lang).blocks);
    for (t, points) in &m.trends {
        blocks.push(Block::Chart(Chart::Trend {
            title: format!("{} {}", t.id, t.metric),
            unit: t.unit.to_string(),
            points: points.clone(),
            target: t.value,
            band: match (t.comparator, t.tolerance, t.upper) {
                (Comparator::About, Some(tol), _) => Some((t.value - tol, t.value + tol)),
                (Comparator::Range, _, Some(upper)) => Some((t.value, upper)),
                _ => None,
            },
            start: t.baseline.map_or(m.plan.meta.issued, |b| b.date),
            due: m.plan.due(Item::Target(t)),
        }));
    }
    blocks
}

impl View for Monthly<'_> {
    fn doc(&self, lang: Lang) -> Doc<'_> {
        // What the bulletin is, for whoever holds the printout: issuer, plan, month, as of.
        let stated = lang.fill(
            "Issued by {issuer} · plan {plan} · month {month} · as of {date}",
            &[
                ("issuer", self.plan.meta.issuer.clone()),
                ("plan", self.plan.meta.title.clone()),
                ("month", self.month.to_string()),
                ("date", self.month.last_day().to_string()),
            ],
        );
        let mut blocks = vec![Block::Text(stated)];
        if let Some((entry, hash)) = &self.ledger_head {
            blocks.push(Block::Text(lang.fill(
                "Ledger checksum (台账校验码): {anchor}",
                &[("anchor", format!("{entry}:{hash}"))],
            )));
        }
        blocks.extend(summary(self, lang));
        blocks.extend(overdue(self, lang));
        blocks.extend(targets(self, lang));
        blocks.extend(changes(self, lang));
        Doc {
            title: lang.fill(
                "{plan}: monthly bulletin {month}",
                &[
                    ("plan", self.plan.meta.title.clone()),
                    ("month", self.month.to_string()),
                ],
            ),
            blocks,
        }
    }

    /// Rows of several types: summary, update, light_change, target_move, then the overdue
    /// report's rows and the by-target rows (type `target`).
    fn json(&self, lang: Lang) -> JsonDoc<'_> {
        let counts = |pairs: Vec<(&str, usize)>| -> Map<String, Value> {
            pairs
                .into_iter()
                .map(|(k, n)| (k.to_string(), json!(n)))
                .collect()
        };
        let summary = json!({
            "lights": counts(self.lights.iter().map(|(l, n)| (l.as_str(), *n)).collect()),
            "standings": counts(self.standings.iter().map(|(s, n)| (s.as_str(), *n)).collect()),
            "updates": self.updates.len(),
        });
        let updates = self.updates.iter().map(|e| {
            let row = UpdateRow {
                entry: e.id,
                id: current_id(self.plan, e),
                date: e.date,
                value: e.value(),
                reported_status: e.status(),
                unit: e.unit.as_deref(),
                note: &e.note,
            };
            boxed(tagged("update", row))
        });
        let changes = self.changes.iter().map(|c| {
            let row = json!({"id": c.item.id(), "light_before": c.from, "light": c.to});
            boxed(tagged("light_change", row))
        });
        let moves = self.moves.iter().map(|m| {
            let row = json!({"id": m.target.id, "actual_before": m.from, "actual": m.to,
                "unit_of_measure": m.target.unit});
            boxed(tagged("target_move", row))
        });
        let targets = self
            .targets
            .json_rows(lang)
            .map(|r| boxed(tagged("target", r)));
        let rows = std::iter::once(boxed(tagged("summary", summary)))
            .chain(updates)
            .chain(changes)
            .chain(moves)
            .chain(self.overdue.rows(lang))
            .chain(targets);
        let head = self
            .ledger_head
            .as_ref()
            .map(|(entry, hash)| json!({"entry": entry, "hash": hash}));
        let month = [("month", json!(self.month)), ("ledger_head", json!(head))];
        let as_of = self.month.last_day();
        document("monthly", &self.plan.meta.id, as_of, lang, month, rows)
    }
}
