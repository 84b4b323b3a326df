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
use std::convert::Infallible;

use chrono::NaiveDate;

pub use period::{CycleSpan, Period, cycles};

use crate::doc::in_order;
use crate::i18n::Lang;
use crate::judge::{Judged, judge_in_year};
use crate::model::*;

/// The units assessed: every unit that bears a share of some item's points, except the
/// supervision office. A unit that only cooperates is assessed only when the rules give
/// cooperating units a share.
pub fn assessed_units(plan: &Plan) -> impl Iterator<Item = &Unit> {
    plan.units.iter().filter(|u| {
        !plan.is_supervisor(&u.id) && plan.items_of(&u.id).any(|i| share(plan, i, &u.id) > 0.0)
    })
}

/// The share of an item's points `unit` bears: the lead and a group member its own part in
/// full, a cooperating unit `cooperating_share`, jointly responsible units each an equal share
/// (or in full, with `joint_in_full`).
pub fn share(plan: &Plan, item: Item<'_>, unit: &UnitId) -> f64 {
    let rules = &plan.assessment;
    if plan.has_members(unit) {
        return 0.0;
    }
    if plan.members(item).contains(unit) {
        return 1.0;
    }
    match item.role_of(unit) {
        Some(Role::Lead) => 1.0,
        Some(Role::Cooperating) => rules.cooperating_share,
        Some(Role::Joint) if rules.joint_in_full => 1.0,
        Some(Role::Joint) => 1.0 / plan.answering(item).len().max(1) as f64,
        None => 0.0,
    }
}

/// The deadline an item has in the assessed year: its own (or the horizon), or, for a target
/// set per year, that year's end when the year is one of its years.
fn due_in_year(plan: &Plan, item: Item<'_>, year: i32) -> Option<NaiveDate> {
    match item {
        Item::Target(t) if !t.years.is_empty() => t
            .years
            .contains(&year)
            .then(|| NaiveDate::from_ymd_opt(year, 12, 31))
            .flatten(),
        _ => Some(plan.due(item)),
    }
}

/// What the year did to one item: settled in the year of its deadline, or carried over from
/// an earlier year while still unmet.
enum Outcome {
    MetOnTime(NaiveDate),
    MetLate(NaiveDate),
    Overdue(NaiveDate),
    CarriedOver(NaiveDate),
    /// Not due yet, or due later in a year not over.
    Open,
}

fn outcome(plan: &Plan, item: Item<'_>, facts: &ItemFacts, period: &Period) -> Outcome {
    let Some(due) = due_in_year(plan, item, period.year) else {
        return Outcome::Open;
    };
    // A deadline is settled once its day is over: within the period, or at its last day when
    // the whole year is assessed.
    let settled = due < period.end || (due == period.end && period.is_complete());
    if due >= period.start && settled {
        let day_after = due.succ_opt().unwrap_or(due);
        let v = judge_in_year(plan, item, facts, day_after.max(period.end), period.year);
        return match v.standing {
            Standing::Met | Standing::Exceeded | Standing::FellBack => Outcome::MetOnTime(due),
            Standing::MetLate => Outcome::MetLate(due),
            _ => Outcome::Overdue(due),
        };
    }
    if due < period.start {
        let v = judge_in_year(plan, item, facts, period.end, period.year);
        if !v.standing.is_done() && v.standing != Standing::FellBack {
            return Outcome::CarriedOver(due);
        }
    }
    Outcome::Open
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
    MetLate {
        item: &'p ItemId,
        title: &'p str,
        due: NaiveDate,
    },
    /// Unmet since an earlier year, charged then: listed, no points.
    CarriedOver {
        item: &'p ItemId,
        title: &'p str,
        due: NaiveDate,
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
            Cause::MetLate { .. } => "met_late",
            Cause::CarriedOver { .. } => "carried_over",
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
            Cause::MetLate { item, due, .. } => lang.fill(
                "{item} met late (due {due})",
                &[("item", item.to_string()), ("due", due.to_string())],
            ),
            Cause::CarriedOver { item, due, .. } => lang.fill(
                "{item} still unmet, carried over from {due} (charged then)",
                &[("item", item.to_string()), ("due", due.to_string())],
            ),
        }
    }

    pub fn item(&self) -> Option<(&ItemId, &str)> {
        match self {
            Cause::MetOnTime { item, title, .. }
            | Cause::Overdue { item, title, .. }
            | Cause::MetLate { item, title, .. }
            | Cause::CarriedOver { item, title, .. } => Some((item, title)),
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
            Cause::MetOnTime { due, .. }
            | Cause::MetLate { due, .. }
            | Cause::CarriedOver { due, .. } => Some(*due),
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
    pub met_late: usize,
    /// The base, then cycles in order, then items by deadline: they sum to `total`.
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
        let end = Judged::new(plan, snapshot);
        let two_cores = plan.len() >= super::BY_UNIT_ON_TWO_CORES;
        let mut scores = scores(plan, &end, &period, &cycles, two_cores);
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

/// Each assessed unit's score, in the plan's order of units. Each is scored on its own: on
/// `two_cores`, every other unit on the other core (at 100,000 items and 300 units, scoring
/// was most of `assess`'s time on one).
fn scores<'p>(
    plan: &'p Plan,
    end: &Judged,
    period: &Period,
    cycles: &[CycleSpan],
    two_cores: bool,
) -> Vec<Score<'p>> {
    let units: Vec<&Unit> = assessed_units(plan).collect();
    let mut scores = Vec::with_capacity(units.len());
    let scored = in_order(
        units.len(),
        two_cores,
        |k| score(plan, end, period, cycles, units[k]),
        |s| {
            scores.push(s);
            Ok::<(), Infallible>(())
        },
    );
    let Ok(()) = scored;
    scores
}

fn score<'p>(
    plan: &'p Plan,
    end: &Judged,
    period: &Period,
    cycles: &[CycleSpan],
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
        met_late: 0,
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
    let mut items: Vec<(Item, Outcome)> = plan
        .items_of(&unit.id)
        .filter(|i| share(plan, *i, &unit.id) > 0.0)
        // A measure judged by its parts is charged through them, not again itself.
        .filter(|i| !plan.rolls_up(*i))
        .map(|i| {
            // A group member is charged for its own part.
            let facts = match plan.members(i).contains(&unit.id) {
                true => end.snapshot.member(i.id(), &unit.id),
                false => end.snapshot.item(plan, i),
            };
            (i, outcome(plan, i, facts, period))
        })
        .collect();
    items.sort_by_key(|(i, o)| match o {
        Outcome::MetOnTime(d)
        | Outcome::MetLate(d)
        | Outcome::Overdue(d)
        | Outcome::CarriedOver(d) => *d,
        Outcome::Open => plan.due(*i),
    });
    for (i, o) in items {
        let (item, title) = (i.id(), i.title());
        let part = share(plan, i, &unit.id);
        let cents = |points: f64| cents(points * part);
        let point = match o {
            // Measures carry no points for being met: their targets and milestones do.
            Outcome::MetOnTime(due) if i.kind() != ItemKind::Measure => {
                s.met_on_time += 1;
                Point {
                    cents: cents(rules.met_on_time),
                    cause: Cause::MetOnTime { item, title, due },
                }
            }
            Outcome::MetLate(due) => {
                s.met_late += 1;
                Point {
                    cents: -cents(rules.met_late),
                    cause: Cause::MetLate { item, title, due },
                }
            }
            Outcome::Overdue(due) => {
                s.overdue += 1;
                Point {
                    cents: -cents(rules.overdue),
                    cause: Cause::Overdue {
                        item,
                        title,
                        since: due.succ_opt().unwrap_or(due),
                    },
                }
            }
            Outcome::CarriedOver(due) => Point {
                cents: 0,
                cause: Cause::CarriedOver { item, title, due },
            },
            Outcome::MetOnTime(_) | Outcome::Open => continue,
        };
        s.points.push(point);
    }
    s.total = s.points.iter().map(|p| p.cents).sum();
    s
}

#[cfg(test)]
mod tests;
