//! `report monthly`: the monthly bulletin (月报/通报). A summary by light and standing, what
//! changed since the previous month, overdue items by department, the departments that did not
//! report, and every target with its progress and trend.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde_json::{Value, json};

use super::by_target::ByTarget;
use super::facts::Facts;
use super::history::{current_id, reporter_name};
use super::judge::{Light, Standing, reading_text};
use super::overdue::Overdue;
use crate::i18n::Lang;
use crate::model::*;
use crate::render::{Bar, Block, Cell, Chart, Doc, Table, View, number};
use crate::store::Entry;

/// A calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// Parses `YYYY-MM`.
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.trim().split_once('-')?;
        let month = Month {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
        };
        NaiveDate::from_ymd_opt(month.year, month.month, 1).map(|_| month)
    }

    /// The last complete month on `date`: its own month when `date` is the month's last day.
    pub fn completed_by(date: NaiveDate) -> Month {
        let next = date.succ_opt().unwrap_or(date);
        let this = Month {
            year: date.year(),
            month: date.month(),
        };
        if next.month() != date.month() {
            this
        } else {
            this.prev()
        }
    }

    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        let next = if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        };
        next.first_day().pred_opt().unwrap_or(NaiveDate::MIN)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// What the bulletin needs from the ledger.
pub struct MonthlyInput<'a> {
    pub now: &'a Facts,
    pub prev: &'a Facts,
    /// Live entries dated in the month, oldest first.
    pub entries: &'a [Entry],
    /// Each target's reported values up to the month's end, oldest first.
    pub trends: Vec<(ItemId, Vec<(NaiveDate, f64)>)>,
}

pub struct LightChange<'p> {
    pub item: Item<'p>,
    pub from: Light,
    pub to: Light,
}

pub struct TargetMove<'p> {
    pub target: &'p Target,
    pub from: Option<f64>,
    pub to: f64,
}

pub struct Monthly<'p> {
    pub month: Month,
    plan: &'p Plan,
    lights: Vec<(Light, usize)>,
    standings: Vec<(Standing, usize)>,
    entries: &'p [Entry],
    changes: Vec<LightChange<'p>>,
    moves: Vec<TargetMove<'p>>,
    overdue: Overdue<'p>,
    targets: ByTarget<'p>,
    trends: Vec<(&'p Target, Vec<(NaiveDate, f64)>)>,
}

impl<'p> Monthly<'p> {
    pub fn compute(plan: &'p Plan, month: Month, input: MonthlyInput<'p>) -> Monthly<'p> {
        let now = input.now;
        let lights = Light::ALL
            .iter()
            .map(|l| {
                (
                    *l,
                    plan.items()
                        .filter(|i| now.verdict(i.id()).light == *l)
                        .count(),
                )
            })
            .collect();
        let standings = Standing::ALL
            .iter()
            .map(|s| {
                (
                    *s,
                    plan.targets
                        .iter()
                        .filter(|t| now.verdict(&t.id).standing == *s)
                        .count(),
                )
            })
            .collect();
        let changes = plan
            .items()
            .filter_map(|item| {
                let (from, to) = (
                    input.prev.verdict(item.id()).light,
                    now.verdict(item.id()).light,
                );
                (from != to).then_some(LightChange { item, from, to })
            })
            .collect();
        let moves = plan
            .targets
            .iter()
            .filter_map(|t| {
                let to = now.latest(&t.id).and_then(Entry::value)?;
                let from = input.prev.latest(&t.id).and_then(Entry::value);
                (from != Some(to)).then_some(TargetMove {
                    target: t,
                    from,
                    to,
                })
            })
            .collect();
        let targets: HashMap<&ItemId, &Target> = plan.targets.iter().map(|t| (&t.id, t)).collect();
        let trends = input
            .trends
            .into_iter()
            .filter_map(|(id, points)| targets.get(&id).map(|t| (*t, points)))
            .collect();
        Monthly {
            month,
            plan,
            lights,
            standings,
            entries: input.entries,
            changes,
            moves,
            overdue: Overdue::compute(plan, now),
            targets: ByTarget::compute(plan, now),
            trends,
        }
    }

    fn summary(&self, lang: Lang) -> Vec<Block> {
        let mut t = Table::new(
            Some(lang.t("Items by light").into()),
            &[lang.t("Light"), lang.t("Items")],
        );
        for (l, n) in &self.lights {
            t.rows.push(vec![l.cell(lang), Cell::Int(*n as i64)]);
        }
        let mut s = Table::new(
            Some(lang.t("Targets by status").into()),
            &[lang.t("Status"), lang.t("Targets")],
        );
        for (st, n) in &self.standings {
            s.rows
                .push(vec![Cell::text(lang.t(st.as_str())), Cell::Int(*n as i64)]);
        }
        let count = |l: Light| self.lights.iter().find(|x| x.0 == l).map_or(0, |x| x.1);
        let text = lang.fill(
            "{items} items: {green} green, {yellow} yellow, {red} red. {updates} updates were recorded in {month}.",
            &[
                ("items", self.plan.items().count().to_string()),
                ("green", count(Light::Green).to_string()),
                ("yellow", count(Light::Yellow).to_string()),
                ("red", count(Light::Red).to_string()),
                ("updates", self.entries.len().to_string()),
                ("month", self.month.to_string()),
            ],
        );
        vec![
            Block::Heading(lang.t("Summary").into()),
            Block::Text(text),
            Block::Table(t),
            Block::Table(s),
        ]
    }

    fn changes(&self, lang: Lang) -> Vec<Block> {
        let mut updates = Table::new(
            Some(lang.t("New updates").into()),
            &[
                lang.t("#"),
                lang.t("Item"),
                lang.t("Title"),
                lang.t("Date"),
                lang.t("Reading"),
                lang.t("By"),
                lang.t("Note"),
            ],
        );
        for e in self.entries {
            let item = self.plan.item(&e.item);
            updates.rows.push(vec![
                Cell::Int(e.id),
                Cell::text(item.map_or(e.item.as_str(), |i| i.id().as_str())),
                Cell::text(item.map_or("", |i| i.title())),
                Cell::Date(e.date),
                Cell::Text(reading_text(
                    e.reading,
                    item.map_or("", |i| i.value_unit()),
                    lang,
                )),
                Cell::text(reporter_name(self.plan, e)),
                Cell::text(&e.note),
            ]);
        }
        let mut lights = Table::new(
            Some(lang.t("Items that changed light").into()),
            &[
                lang.t("Item"),
                lang.t("Title"),
                lang.t("Before"),
                lang.t("Now"),
            ],
        );
        for c in &self.changes {
            lights.rows.push(vec![
                Cell::text(c.item.id().as_str()),
                Cell::text(c.item.title()),
                c.from.cell(lang),
                c.to.cell(lang),
            ]);
        }
        let mut moves = Table::new(
            Some(lang.t("Targets that moved").into()),
            &[
                lang.t("Id"),
                lang.t("Metric"),
                lang.t("Before"),
                lang.t("Now"),
                lang.t("Unit"),
            ],
        );
        for m in &self.moves {
            moves.rows.push(vec![
                Cell::text(m.target.id.as_str()),
                Cell::text(&m.target.metric),
                Cell::opt_num(m.from),
                Cell::Num(m.to),
                Cell::text(&m.target.unit),
            ]);
        }
        let heading = lang.fill(
            "Changes since {date}",
            &[("date", self.month.prev().last_day().to_string())],
        );
        vec![
            Block::Heading(heading),
            Block::Table(updates),
            Block::Table(lights),
            Block::Table(moves),
        ]
    }

    fn overdue(&self, lang: Lang) -> Vec<Block> {
        let bars = self
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
        blocks.extend(self.overdue.doc(lang).blocks);
        blocks
    }

    fn targets(&self, lang: Lang) -> Vec<Block> {
        let bars = self
            .targets
            .rows
            .iter()
            .map(|r| Bar {
                label: format!("{} {}", r.id, r.metric),
                percent: r.percent,
                caption: r.percent.map_or_else(
                    || lang.t("no data").to_string(),
                    |p| format!("{}%", number(p)),
                ),
                tone: r.light.tone(),
            })
            .collect();
        let mut blocks = vec![
            Block::Heading(lang.t("Targets").into()),
            Block::Chart(Chart::Progress {
                title: lang.t("Progress towards each target").into(),
                bars,
            }),
        ];
        blocks.extend(self.targets.doc(lang).blocks);
        for (t, points) in &self.trends {
            blocks.push(Block::Chart(Chart::Trend {
                title: format!("{} {}", t.id, t.metric),
                unit: t.unit.clone(),
                points: points.clone(),
                target: t.value,
                start: t.baseline.map_or(self.plan.meta.issued, |b| b.date),
                due: self.plan.due(Item::Target(t)),
            }));
        }
        blocks
    }
}

impl View for Monthly<'_> {
    fn doc(&self, lang: Lang) -> Doc {
        let mut blocks = self.summary(lang);
        blocks.extend(self.changes(lang));
        blocks.extend(self.overdue(lang));
        blocks.extend(self.targets(lang));
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

    /// An array of objects, each with a `type`: summary, update, light_change, target_move,
    /// then the overdue report's rows and the by-target rows (type `target`).
    fn json(&self, lang: Lang) -> Value {
        let mut out = vec![json!({
            "type": "summary",
            "month": self.month.to_string(),
            "as_of": self.month.last_day(),
            "lights": self.lights.iter().map(|(l, n)| (l.as_str(), *n)).collect::<BTreeMap<_, _>>(),
            "targets": self.standings.iter().map(|(s, n)| (s.as_str(), *n)).collect::<BTreeMap<_, _>>(),
            "updates": self.entries.len(),
        })];
        out.extend(self.entries.iter().map(|e| {
            json!({"type": "update", "entry": e.id, "item": current_id(self.plan, e),
                   "date": e.date, "value": e.value(), "status": e.status(), "unit": e.unit, "note": e.note})
        }));
        out.extend(self.changes.iter().map(
            |c| json!({"type": "light_change", "item": c.item.id(), "from": c.from, "to": c.to}),
        ));
        out.extend(self.moves.iter().map(|m| json!({"type": "target_move", "item": m.target.id, "from": m.from, "to": m.to, "unit": m.target.unit})));
        if let Value::Array(rows) = self.overdue.json(lang) {
            out.extend(rows);
        }
        if let Value::Array(rows) = self.targets.json(lang) {
            out.extend(rows.into_iter().map(|mut r| {
                r["type"] = json!("target");
                r
            }));
        }
        Value::Array(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_and_step() {
        let m = Month::parse("2021-01").unwrap();
        assert_eq!(m.prev().to_string(), "2020-12");
        assert_eq!(m.last_day().to_string(), "2021-01-31");
        assert_eq!(
            Month::parse("2020-02").unwrap().last_day().to_string(),
            "2020-02-29"
        );
        assert!(Month::parse("2021-13").is_none());
        assert!(Month::parse("January").is_none());
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(Month::completed_by(d("2021-01-31")).to_string(), "2021-01");
        assert_eq!(Month::completed_by(d("2021-02-01")).to_string(), "2021-01");
        assert_eq!(Month::completed_by(d("2021-02-27")).to_string(), "2021-01");
    }
}
