//! `assess --year`: the annual department assessment (考核).
//!
//! Every unit with items starts from the plan's base score, then gains or loses points for each
//! reporting cycle of the year, each target or milestone met by its deadline and each item
//! overdue at the end of the period (the rule and its defaults: `[assessment]` in
//! plan/FORMAT.md). Every point keeps its cause, so that a unit that appeals can be shown
//! exactly why, and the score is a pure function of the plan and the ledger.
//!
//! The period and its cycles are in [`period`]; the tables and JSON in `crate::view::assess`.

mod period;

use std::cmp::Reverse;
use std::collections::HashSet;

use chrono::NaiveDate;

pub use period::{CycleSpan, Period, cycles};

use crate::i18n::Lang;
use crate::judge::{Judged, judge};
use crate::model::*;

/// The units assessed: every unit responsible for an item, except the supervision office.
pub fn assessed_units(plan: &Plan) -> impl Iterator<Item = &Unit> {
    plan.units
        .iter()
        .filter(|u| !plan.is_supervisor(&u.id) && plan.items_of(&u.id).next().is_some())
}

/// Targets and milestones whose deadline falls in the period.
fn due_in<'p>(plan: &'p Plan, period: &Period) -> impl Iterator<Item = Item<'p>> {
    let days = period.start..=period.end;
    plan.items()
        .filter(move |i| i.kind() != ItemKind::Measure && days.contains(&plan.due(*i)))
}

/// Points in hundredths, so that sums and ties stay exact whatever decimals a plan uses.
pub type Cents = i64;

fn cents(points: f64) -> Cents {
    (points * 100.0).round() as Cents
}

pub fn shown(c: Cents) -> f64 {
    c as f64 / 100.0
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

    pub fn item(&self) -> Option<(&ItemId, &str)> {
        match self {
            Cause::MetOnTime { item, title, .. } | Cause::Overdue { item, title, .. } => {
                Some((item, title))
            }
            _ => None,
        }
    }

    pub fn cycle(&self) -> Option<&str> {
        match self {
            Cause::Reported { cycle } | Cause::Missed { cycle } => Some(cycle),
            _ => None,
        }
    }

    /// The deadline met, or the first day overdue.
    pub fn date(&self) -> Option<NaiveDate> {
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
    pub plan: &'p Plan,
    pub period: Period,
    pub rules: Assessment,
    /// The number of reporting cycles that counted.
    pub cycles: usize,
    pub scores: Vec<Score<'p>>,
    pub detail: Option<&'p UnitId>,
}

impl<'p> Assess<'p> {
    /// The assessment of `period` from the ledger's snapshot on the period's last day.
    pub fn compute(
        plan: &'p Plan,
        snapshot: &Snapshot,
        period: Period,
        detail: Option<&'p Unit>,
    ) -> Assess<'p> {
        let cycles = cycles(&plan.meta, &period);
        let met: HashSet<&ItemId> = due_in(plan, &period)
            .filter(|i| {
                let at_deadline = snapshot.item(i.id()).at_deadline;
                judge(plan, *i, at_deadline, plan.due(*i)).standing == Standing::Met
            })
            .map(|i| i.id())
            .collect();
        let end = Judged::new(plan, snapshot);
        let mut scores: Vec<Score> = assessed_units(plan)
            .map(|u| score(plan, &end, &cycles, &met, u))
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
            plan,
            period,
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
    end: &Judged,
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
    let reports = end.snapshot.unit(&unit.id);
    for c in cycles {
        let cycle = c.label.clone();
        let point = if reports.reported_in(Month::of(c.start), Month::of(c.end)) {
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
        let v = end.verdict(i.id());
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

#[cfg(test)]
mod tests;
