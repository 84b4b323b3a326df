//! `assess --year`: the annual department assessment (考核).
//!
//! Every unit with items starts from the plan's base score, then gains or loses points for each
//! reporting cycle of the year, each target or milestone met by its deadline and each item
//! overdue at the end of the period (the rule and its defaults: `[assessment]` in
//! plan/FORMAT.md). Every point keeps its cause, so that a unit that appeals can be shown
//! exactly why, and the score is a pure function of the plan and the ledger.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};

use anyhow::Result;
use chrono::{Datelike, Months, NaiveDate};
use serde_json::{Value, json};

use super::facts::Facts;
use super::judge::{Standing, judge};
use crate::i18n::Lang;
use crate::model::*;
use crate::render::{Block, Cell, Doc, Table, View, number};
use crate::store::{Entry, Store};

/// The assessed part of a year: 1 January to 31 December, or to the as-of date when earlier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub year: i32,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    /// `year` as far as `as_of` has seen it; `None` when it has not begun by then.
    pub fn new(year: i32, as_of: NaiveDate) -> Option<Period> {
        let start = NaiveDate::from_ymd_opt(year, 1, 1)?;
        let last = NaiveDate::from_ymd_opt(year, 12, 31)?;
        (as_of >= start).then(|| Period {
            year,
            start,
            end: last.min(as_of),
        })
    }

    /// Whether the whole year is assessed.
    pub fn is_complete(&self) -> bool {
        (self.end.month(), self.end.day()) == (12, 31)
    }

    /// "Assessment 2020", or "Assessment 2021 (to 2021-06-30)" for a year not over yet.
    pub fn title(&self, lang: Lang) -> String {
        let year = ("year", self.year.to_string());
        if self.is_complete() {
            lang.fill("Assessment {year}", &[year])
        } else {
            lang.fill(
                "Assessment {year} (to {date})",
                &[year, ("date", self.end.to_string())],
            )
        }
    }
}

/// One reporting cycle on the calendar: `2020-03`, `2020-Q1`, `2020-H1` or `2020`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CycleSpan {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// The plan's reporting cycles that count in the period: ended by its last day, with the plan
/// issued by their own last day and starting by the horizon.
pub fn cycles(meta: &PlanMeta, period: &Period) -> Vec<CycleSpan> {
    let months = meta.reporting_cycle.months();
    (0..12 / months)
        .filter_map(|i| {
            let start = period.start.checked_add_months(Months::new(i * months))?;
            let end = start.checked_add_months(Months::new(months))?.pred_opt()?;
            let (year, n) = (period.year, i + 1);
            let label = match meta.reporting_cycle {
                Cycle::Monthly => format!("{year}-{n:02}"),
                Cycle::Quarterly => format!("{year}-Q{n}"),
                Cycle::HalfYearly => format!("{year}-H{n}"),
                Cycle::Yearly => year.to_string(),
            };
            (end <= period.end && meta.issued <= end && start <= meta.horizon)
                .then_some(CycleSpan { label, start, end })
        })
        .collect()
}

/// The units assessed: every unit responsible for an item, except the supervision office.
pub fn assessed_units(plan: &Plan) -> impl Iterator<Item = &Unit> {
    plan.units.iter().filter(|u| {
        plan.meta.supervisor.as_ref() != Some(&u.id) && plan.items_of(&u.id).next().is_some()
    })
}

/// Targets and milestones whose deadline falls in the period.
fn due_in<'p>(plan: &'p Plan, period: &Period) -> impl Iterator<Item = Item<'p>> {
    let days = period.start..=period.end;
    plan.items()
        .filter(move |i| i.kind() != ItemKind::Measure && days.contains(&plan.due(*i)))
}

/// What the assessment needs from the ledger for one period, fetched once.
pub struct YearFacts {
    pub period: Period,
    /// The ledger on the period's last day: which items are overdue then.
    pub end: Facts,
    /// For each target and milestone due in the period, its latest live entry on its deadline.
    pub at_deadline: HashMap<ItemId, Entry>,
    /// The dates of the live entries each unit recorded in the period.
    pub reports: HashMap<UnitId, Vec<NaiveDate>>,
}

impl YearFacts {
    pub fn gather(plan: &Plan, store: &Store, period: Period) -> Result<YearFacts> {
        let mut at_deadline = HashMap::new();
        for item in due_in(plan, &period) {
            if let Some(e) = store.latest(&item.all_ids(), plan.due(item))? {
                at_deadline.insert(item.id().clone(), e);
            }
        }
        let mut reports: HashMap<UnitId, Vec<NaiveDate>> = HashMap::new();
        for e in store.between(period.start, period.end)? {
            if let Some(unit) = e.unit {
                reports.entry(UnitId(unit)).or_default().push(e.date);
            }
        }
        Ok(YearFacts {
            period,
            end: Facts::gather(plan, store, period.end)?,
            at_deadline,
            reports,
        })
    }
}

/// Points in hundredths, so that sums and ties stay exact whatever decimals a plan uses.
type Cents = i64;

fn cents(points: f64) -> Cents {
    (points * 100.0).round() as Cents
}

fn shown(c: Cents) -> f64 {
    c as f64 / 100.0
}

/// Points for JSON: a whole number when they are one.
fn json_points(c: Cents) -> Value {
    if c % 100 == 0 {
        json!(c / 100)
    } else {
        json!(shown(c))
    }
}

/// Why a unit gained or lost points: one variant per rule of `[assessment]`.
#[derive(Clone, Debug, PartialEq)]
pub enum Cause<'p> {
    Base,
    Reported {
        cycle: String,
    },
    Missed {
        cycle: String,
    },
    MetOnTime {
        item: &'p ItemId,
        title: &'p str,
        due: NaiveDate,
    },
    Overdue {
        item: &'p ItemId,
        title: &'p str,
        since: NaiveDate,
    },
}

impl Cause<'_> {
    /// The `[assessment]` key of the rule that gave the points.
    pub fn rule(&self) -> &'static str {
        match self {
            Cause::Base => "base",
            Cause::Reported { .. } => "reported_cycle",
            Cause::Missed { .. } => "missed_cycle",
            Cause::MetOnTime { .. } => "met_on_time",
            Cause::Overdue { .. } => "overdue",
        }
    }

    pub fn text(&self, lang: Lang) -> String {
        match self {
            Cause::Base => lang.t("base score").to_string(),
            Cause::Reported { cycle } => {
                lang.fill("reported in {cycle}", &[("cycle", cycle.clone())])
            }
            Cause::Missed { cycle } => {
                lang.fill("no report in {cycle}", &[("cycle", cycle.clone())])
            }
            Cause::MetOnTime { item, due, .. } => lang.fill(
                "{item} met by its deadline {due}",
                &[("item", item.to_string()), ("due", due.to_string())],
            ),
            Cause::Overdue { item, since, .. } => lang.fill(
                "{item} overdue since {since}",
                &[("item", item.to_string()), ("since", since.to_string())],
            ),
        }
    }

    fn item(&self) -> Option<(&ItemId, &str)> {
        match self {
            Cause::MetOnTime { item, title, .. } | Cause::Overdue { item, title, .. } => {
                Some((item, title))
            }
            _ => None,
        }
    }

    fn cycle(&self) -> Option<&str> {
        match self {
            Cause::Reported { cycle } | Cause::Missed { cycle } => Some(cycle),
            _ => None,
        }
    }

    /// The deadline met, or the first day overdue.
    fn date(&self) -> Option<NaiveDate> {
        match self {
            Cause::MetOnTime { due, .. } => Some(*due),
            Cause::Overdue { since, .. } => Some(*since),
            _ => None,
        }
    }
}

/// Points gained (or lost, when negative) for one cause.
#[derive(Clone, Debug, PartialEq)]
pub struct Point<'p> {
    pub cents: Cents,
    pub cause: Cause<'p>,
}

/// One unit's assessment.
#[derive(Clone, Debug)]
pub struct Score<'p> {
    pub unit: &'p Unit,
    /// Competition ranking: equal scores share a rank (1, 2, 2, 4).
    pub rank: usize,
    pub total: Cents,
    pub reported: usize,
    pub missed: usize,
    pub met_on_time: usize,
    pub overdue: usize,
    /// The base, then cycles in order, then items met, then items overdue: they sum to `total`.
    pub points: Vec<Point<'p>>,
}

/// The assessment of every unit for a period, best first; with `detail`, one unit's points.
pub struct Assess<'p> {
    pub period: Period,
    pub rules: Assessment,
    /// The number of reporting cycles that counted.
    pub cycles: usize,
    pub scores: Vec<Score<'p>>,
    pub detail: Option<&'p UnitId>,
}

impl<'p> Assess<'p> {
    pub fn compute(plan: &'p Plan, facts: &YearFacts, detail: Option<&'p Unit>) -> Assess<'p> {
        let cycles = cycles(&plan.meta, &facts.period);
        let met: HashSet<&ItemId> = due_in(plan, &facts.period)
            .filter(|i| {
                let due = plan.due(*i);
                judge(plan, *i, facts.at_deadline.get(i.id()), due).standing == Standing::Met
            })
            .map(|i| i.id())
            .collect();
        let mut scores: Vec<Score> = assessed_units(plan)
            .map(|u| score(plan, facts, &cycles, &met, u))
            .collect();
        // A stable sort: equal scores keep the plan's unit order.
        scores.sort_by_key(|s| Reverse(s.total));
        for i in 0..scores.len() {
            scores[i].rank = match i {
                0 => 1,
                _ if scores[i].total == scores[i - 1].total => scores[i - 1].rank,
                _ => i + 1,
            };
        }
        Assess {
            period: facts.period,
            rules: plan.assessment,
            cycles: cycles.len(),
            scores,
            detail: detail.map(|u| &u.id),
        }
    }

    pub fn score_of(&self, unit: &UnitId) -> Option<&Score<'p>> {
        self.scores.iter().find(|s| &s.unit.id == unit)
    }
}

fn score<'p>(
    plan: &'p Plan,
    facts: &YearFacts,
    cycles: &[CycleSpan],
    met: &HashSet<&ItemId>,
    unit: &'p Unit,
) -> Score<'p> {
    let rules = &plan.assessment;
    let mut s = Score {
        unit,
        rank: 0,
        total: 0,
        reported: 0,
        missed: 0,
        met_on_time: 0,
        overdue: 0,
        points: vec![Point {
            cents: cents(rules.base),
            cause: Cause::Base,
        }],
    };
    let dates = facts.reports.get(&unit.id).map_or(&[][..], Vec::as_slice);
    for c in cycles {
        let cycle = c.label.clone();
        let point = if dates.iter().any(|d| (c.start..=c.end).contains(d)) {
            s.reported += 1;
            Point {
                cents: cents(rules.reported_cycle),
                cause: Cause::Reported { cycle },
            }
        } else {
            s.missed += 1;
            Point {
                cents: -cents(rules.missed_cycle),
                cause: Cause::Missed { cycle },
            }
        };
        s.points.push(point);
    }
    // By deadline; a stable sort keeps the plan's order among equal deadlines.
    let mut items: Vec<Item> = plan.items_of(&unit.id).collect();
    items.sort_by_key(|i| plan.due(*i));
    for i in items.iter().filter(|i| met.contains(i.id())) {
        s.met_on_time += 1;
        s.points.push(Point {
            cents: cents(rules.met_on_time),
            cause: Cause::MetOnTime {
                item: i.id(),
                title: i.title(),
                due: plan.due(*i),
            },
        });
    }
    for i in &items {
        let v = facts.end.verdict(i.id());
        if v.standing == Standing::Overdue {
            s.overdue += 1;
            s.points.push(Point {
                cents: -cents(rules.overdue),
                cause: Cause::Overdue {
                    item: i.id(),
                    title: i.title(),
                    since: v.due.succ_opt().unwrap_or(v.due),
                },
            });
        }
    }
    s.total = s.points.iter().map(|p| p.cents).sum();
    s
}

impl Assess<'_> {
    /// The rule in one sentence, with the plan's numbers.
    fn rule_text(&self, lang: Lang) -> String {
        let r = &self.rules;
        let n = |x: f64| number(x);
        lang.fill(
            "Each unit starts at {base}; over the {cycles} reporting cycles ended by {end}: \
             +{reported} for each cycle in which it reported, −{missed} for each cycle it missed; \
             +{met} for each target or milestone due in the period and met by its deadline; \
             −{overdue} for each item overdue on {end}.",
            &[
                ("base", n(r.base)),
                ("cycles", self.cycles.to_string()),
                ("end", self.period.end.to_string()),
                ("reported", n(r.reported_cycle)),
                ("missed", n(r.missed_cycle)),
                ("met", n(r.met_on_time)),
                ("overdue", n(r.overdue)),
            ],
        )
    }

    fn summary(&self, scores: &[&Score], lang: Lang) -> Table {
        let mut t = Table::new(
            None,
            &[
                lang.t("Rank"),
                lang.t("Unit"),
                lang.t("Id"),
                lang.t("Score"),
                lang.t("Cycles reported"),
                lang.t("Cycles missed"),
                lang.t("Met on time"),
                lang.t("Overdue"),
            ],
        );
        for s in scores {
            t.rows.push(vec![
                Cell::Int(s.rank as i64),
                Cell::text(&s.unit.name),
                Cell::text(s.unit.id.as_str()),
                Cell::Num(shown(s.total)),
                Cell::Int(s.reported as i64),
                Cell::Int(s.missed as i64),
                Cell::Int(s.met_on_time as i64),
                Cell::Int(s.overdue as i64),
            ]);
        }
        t
    }
}

impl View for Assess<'_> {
    fn doc(&self, lang: Lang) -> Doc {
        let rule = Block::Text(self.rule_text(lang));
        let Some(s) = self.detail.and_then(|u| self.score_of(u)) else {
            let all: Vec<&Score> = self.scores.iter().collect();
            return Doc {
                title: self.period.title(lang),
                blocks: vec![rule, Block::Table(self.summary(&all, lang))],
            };
        };
        let mut points = Table::new(
            Some(lang.t("Every point and its cause").to_string()),
            &[lang.t("Points"), lang.t("Reason"), lang.t("Title")],
        );
        for p in &s.points {
            points.rows.push(vec![
                Cell::Num(shown(p.cents)),
                Cell::Text(p.cause.text(lang)),
                p.cause
                    .item()
                    .map_or(Cell::Empty, |(_, title)| Cell::text(title)),
            ]);
        }
        Doc {
            title: lang.fill(
                "{unit}: {assessment}",
                &[
                    ("unit", s.unit.name.clone()),
                    ("assessment", self.period.title(lang)),
                ],
            ),
            blocks: vec![
                rule,
                Block::Table(self.summary(&[s], lang)),
                Block::Table(points),
            ],
        }
    }

    /// One object per unit, best first; with `--unit`, one object per point of that unit.
    fn json(&self, lang: Lang) -> Value {
        if let Some(s) = self.detail.and_then(|u| self.score_of(u)) {
            return s
                .points
                .iter()
                .map(|p| {
                    json!({
                        "unit": s.unit.id,
                        "rule": p.cause.rule(),
                        "points": json_points(p.cents),
                        "cycle": p.cause.cycle(),
                        "item": p.cause.item().map(|(id, _)| id),
                        "date": p.cause.date(),
                        "reason": p.cause.text(lang),
                    })
                })
                .collect();
        }
        self.scores
            .iter()
            .map(|s| {
                json!({
                    "rank": s.rank,
                    "unit": s.unit.id,
                    "name": s.unit.name,
                    "kind": s.unit.kind,
                    "score": json_points(s.total),
                    "cycles_reported": s.reported,
                    "cycles_missed": s.missed,
                    "met_on_time": s.met_on_time,
                    "overdue": s.overdue,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::store::Reading;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// `examples/plans/minimal.toml`: quarterly reporting, issued 2021-03-01; agri, health and
    /// counties share M01 and T-toilet (due 2022-12-31); agri alone owns MS-toilet-survey (due
    /// 2021-06-30).
    fn minimal() -> Plan {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/plans/minimal.toml");
        crate::plan::load(&path)
            .expect("the minimal plan loads")
            .plan
    }

    fn entry(item: &str, date: &str, reading: Reading, unit: &str) -> Entry {
        Entry {
            id: 0,
            item: item.into(),
            date: day(date),
            reading,
            note: String::new(),
            unit: Some(unit.into()),
            recorded_at: String::new(),
            supersedes: None,
            superseded_by: None,
            plan_fingerprint: String::new(),
        }
    }

    /// Facts for `period` as if the ledger held `entries`, each the latest of its item.
    fn facts(plan: &Plan, period: Period, entries: &[Entry]) -> YearFacts {
        let latest: HashMap<ItemId, Entry> = entries
            .iter()
            .map(|e| (ItemId(e.item.clone()), e.clone()))
            .collect();
        let mut reports: HashMap<UnitId, Vec<NaiveDate>> = HashMap::new();
        for e in entries {
            reports
                .entry(UnitId(e.unit.clone().unwrap()))
                .or_default()
                .push(e.date);
        }
        YearFacts {
            period,
            end: Facts::new(plan, period.end, latest.clone(), HashMap::new()),
            at_deadline: latest,
            reports,
        }
    }

    #[test]
    fn periods_stop_at_the_as_of_date() {
        let p = Period::new(2021, day("2021-06-30")).unwrap();
        assert_eq!((p.start, p.end), (day("2021-01-01"), day("2021-06-30")));
        assert!(!p.is_complete());
        assert_eq!(p.title(Lang::En), "Assessment 2021 (to 2021-06-30)");
        let whole = Period::new(2020, day("2021-06-30")).unwrap();
        assert!(whole.is_complete());
        assert_eq!(whole.title(Lang::Zh), "2020年度考核");
        assert_eq!(Period::new(2022, day("2021-06-30")), None);
    }

    #[test]
    fn cycles_follow_the_calendar_and_the_plan_dates() {
        let mut plan = minimal();
        let labels = |plan: &Plan, as_of: &str| -> Vec<String> {
            let period = Period::new(2021, day(as_of)).unwrap();
            cycles(&plan.meta, &period)
                .into_iter()
                .map(|c| c.label)
                .collect()
        };
        // Issued 2021-03-01: Q1 counts (the plan was out by its last day); Q3 has not ended.
        assert_eq!(labels(&plan, "2021-09-29"), ["2021-Q1", "2021-Q2"]);
        assert_eq!(
            labels(&plan, "2021-09-30"),
            ["2021-Q1", "2021-Q2", "2021-Q3"]
        );
        plan.meta.reporting_cycle = Cycle::Monthly;
        assert_eq!(labels(&plan, "2021-04-30"), ["2021-03", "2021-04"]);
        plan.meta.reporting_cycle = Cycle::HalfYearly;
        assert_eq!(labels(&plan, "2021-12-31"), ["2021-H1", "2021-H2"]);
        plan.meta.reporting_cycle = Cycle::Yearly;
        assert_eq!(labels(&plan, "2021-12-30"), Vec::<String>::new());
        assert_eq!(labels(&plan, "2021-12-31"), ["2021"]);
        let c = &cycles(&plan.meta, &Period::new(2021, day("2021-12-31")).unwrap())[0];
        assert_eq!((c.start, c.end), (day("2021-01-01"), day("2021-12-31")));
    }

    #[test]
    fn scores_add_up_point_by_point() {
        let plan = minimal();
        let period = Period::new(2021, day("2021-12-31")).unwrap();
        let facts = facts(
            &plan,
            period,
            &[
                entry(
                    "MS-toilet-survey",
                    "2021-06-30",
                    Reading::Status(Status::Done),
                    "agri",
                ),
                entry("T-toilet", "2021-08-15", Reading::Value(78.0), "health"),
                entry(
                    "M01",
                    "2021-11-30",
                    Reading::Status(Status::InProgress),
                    "counties",
                ),
            ],
        );
        let a = Assess::compute(&plan, &facts, None);
        let ids: Vec<&str> = a.scores.iter().map(|s| s.unit.id.as_str()).collect();
        // The supervisor (dukaoban) owns no item and is not assessed anyway.
        assert_eq!(ids, ["agri", "health", "counties"]);
        let agri = a.score_of(&UnitId("agri".into())).unwrap();
        // 100 + 1 (Q2) - 3 × 2 (Q1, Q3, Q4) + 5 (MS-toilet-survey by 2021-06-30) = 100.
        assert_eq!(shown(agri.total), 100.0);
        assert_eq!(
            (agri.reported, agri.missed, agri.met_on_time, agri.overdue),
            (1, 3, 1, 0)
        );
        assert_eq!(
            agri.points.iter().map(|p| p.cents).sum::<Cents>(),
            agri.total
        );
        assert_eq!(
            agri.points[5].cause,
            Cause::MetOnTime {
                item: &ItemId("MS-toilet-survey".into()),
                title: "完成全市农村厕所摸底调查",
                due: day("2021-06-30"),
            }
        );
        assert_eq!(agri.points[2].cause.text(Lang::En), "reported in 2021-Q2");
        assert_eq!(agri.points[1].cause.text(Lang::Zh), "2021-Q1 未报送");
        // health and counties each reported once: 100 + 1 - 6 = 95, sharing rank 2.
        let ranks: Vec<(usize, f64)> = a.scores.iter().map(|s| (s.rank, shown(s.total))).collect();
        assert_eq!(ranks, [(1, 100.0), (2, 95.0), (2, 95.0)]);
    }

    #[test]
    fn overdue_items_cost_every_responsible_unit() {
        let mut plan = minimal();
        plan.assessment = Assessment {
            base: 60.0,
            reported_cycle: 0.5,
            missed_cycle: 1.5,
            met_on_time: 4.0,
            overdue: 2.5,
        };
        // T-toilet, due 2022-12-31, still at 80 % on 2023-06-30: overdue since 2023-01-01.
        let period = Period::new(2023, day("2023-06-30")).unwrap();
        let facts = facts(
            &plan,
            period,
            &[entry(
                "T-toilet",
                "2022-11-30",
                Reading::Value(80.0),
                "counties",
            )],
        );
        let a = Assess::compute(&plan, &facts, None);
        let rows: Vec<(&str, usize, f64, usize)> = a
            .scores
            .iter()
            .map(|s| (s.unit.id.as_str(), s.rank, shown(s.total), s.overdue))
            .collect();
        // 60 - 2 × 1.5 (Q1, Q2) - 2.5 = 54.5 for health and counties, who share rank 1; agri
        // also never reported MS-toilet-survey (due 2021-06-30): 54.5 - 2.5 = 52, rank 3.
        assert_eq!(
            rows,
            [
                ("health", 1, 54.5, 1),
                ("counties", 1, 54.5, 1),
                ("agri", 3, 52.0, 2)
            ]
        );
        for s in &a.scores {
            let last = s.points.last().unwrap();
            assert_eq!(last.cents, -250);
            assert_eq!(
                last.cause.text(Lang::En),
                "T-toilet overdue since 2023-01-01"
            );
        }
        assert_eq!(json_points(5450), json!(54.5));
        assert_eq!(json_points(9000), json!(90));
    }
}
