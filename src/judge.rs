//! The judging rules, the heart of the product: every item on a date gets a standing
//! (met, exceeded, met late, fell back, on track, due soon, behind, blocked, not started,
//! stale, overdue, missed, no data), a traffic light, and the reason in words (README, "How
//! an item is judged"). Pure functions of the plan and a ledger [`Snapshot`]; every report
//! judges through this module, so a rule changes in one place.
//!
//! When several standings apply, the first of this order wins: met/exceeded/met late, missed,
//! overdue, blocked, due soon, not started, behind, fell back, stale, no data, on track.

use std::collections::HashSet;

use chrono::{Datelike, Months, NaiveDate};

use crate::doc::number;
use crate::i18n::Lang;
use crate::model::*;

/// What was reported, as a reason shows it: a value (language-neutral), a status (words in
/// the reader's language), or nothing.
#[derive(Clone, Debug, PartialEq)]
pub enum Shown {
    Value(String),
    Status(Status),
    Nothing,
}

impl Shown {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Shown::Value(v) => v.clone(),
            Shown::Status(s) => lang.t(s.as_str()).to_string(),
            Shown::Nothing => lang.t("no report").to_string(),
        }
    }
}

/// Why an item has its standing. Each variant renders as one sentence in either language.
#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    Met {
        actual: Shown,
        date: NaiveDate,
    },
    Exceeded {
        actual: Shown,
        target: String,
        date: NaiveDate,
    },
    MetLate {
        actual: Shown,
        date: NaiveDate,
        due: NaiveDate,
    },
    FellBack {
        at_due: Shown,
        due: NaiveDate,
        actual: Shown,
        date: NaiveDate,
    },
    Missed {
        actual: Shown,
        target: String,
        period: String,
    },
    OverdueNoData {
        due: NaiveDate,
    },
    Overdue {
        due: NaiveDate,
        actual: Shown,
    },
    Blocked {
        date: NaiveDate,
    },
    DueSoon {
        days: i64,
        actual: Shown,
        target: Shown,
    },
    NotStarted {
        date: NaiveDate,
    },
    Behind {
        actual: Shown,
        expected: String,
    },
    /// A period target not satisfied yet: judged against the target itself.
    Short {
        actual: Shown,
        target: String,
    },
    NoLine {
        actual: Shown,
        target: String,
    },
    Stale {
        since: NaiveDate,
        last: NaiveDate,
    },
    NoData,
    OnTrack {
        actual: Shown,
        due: NaiveDate,
    },
    /// An item assigned to a group with members, judged per member: how many have met it,
    /// and which (by name and id) have not reported or are behind.
    Members {
        met: usize,
        of: usize,
        unreported: Vec<String>,
        behind: Vec<String>,
    },
    /// A measure judged by its targets and milestones: how many are met, and the worst one
    /// with its own reason.
    Parts {
        met: usize,
        of: usize,
        worst: String,
        why: Box<Reason>,
    },
}

impl Reason {
    pub fn text(&self, lang: Lang) -> String {
        let d = |d: &NaiveDate| d.to_string();
        let s = |s: &String| s.clone();
        let a = |a: &Shown| a.text(lang);
        match self {
            Reason::Met { actual, date } => lang.fill(
                "met: {reading} reported {date}",
                &[("reading", a(actual)), ("date", d(date))],
            ),
            Reason::Exceeded {
                actual,
                target,
                date,
            } => lang.fill(
                "exceeded: {actual} reported {date}, target {target}",
                &[
                    ("actual", a(actual)),
                    ("date", d(date)),
                    ("target", s(target)),
                ],
            ),
            Reason::MetLate { actual, date, due } => lang.fill(
                "met late: {actual} reported {date}, due {due}",
                &[("actual", a(actual)), ("date", d(date)), ("due", d(due))],
            ),
            Reason::FellBack {
                at_due,
                due,
                actual,
                date,
            } => lang.fill(
                "fell back: met by {due} ({at_due}), now {actual} ({date})",
                &[
                    ("at_due", a(at_due)),
                    ("due", d(due)),
                    ("actual", a(actual)),
                    ("date", d(date)),
                ],
            ),
            Reason::Missed {
                actual,
                target,
                period,
            } => lang.fill(
                "missed: {actual} in {period}, target {target}",
                &[
                    ("actual", a(actual)),
                    ("target", s(target)),
                    ("period", s(period)),
                ],
            ),
            Reason::OverdueNoData { due } => {
                lang.fill("overdue: due {due}, never reported", &[("due", d(due))])
            }
            Reason::Overdue { due, actual } => lang.fill(
                "overdue: due {due}, latest {reading}",
                &[("due", d(due)), ("reading", a(actual))],
            ),
            Reason::Blocked { date } => {
                lang.fill("reported blocked on {date}", &[("date", d(date))])
            }
            Reason::DueSoon {
                days,
                actual,
                target,
            } => lang.fill(
                "due in {days} days, not met: {actual} of {target}",
                &[
                    ("days", days.to_string()),
                    ("actual", a(actual)),
                    ("target", a(target)),
                ],
            ),
            Reason::NotStarted { date } => {
                lang.fill("reported not started on {date}", &[("date", d(date))])
            }
            Reason::Behind { actual, expected } => lang.fill(
                "behind schedule: {actual} reported, {expected} expected by now",
                &[("actual", a(actual)), ("expected", s(expected))],
            ),
            Reason::Short { actual, target } => lang.fill(
                "not on target: {actual}, target {target}",
                &[("actual", a(actual)), ("target", s(target))],
            ),
            Reason::NoLine { actual, target } => lang.fill(
                "no baseline: progress cannot be judged ({actual} of {target})",
                &[("actual", a(actual)), ("target", s(target))],
            ),
            Reason::Stale { since, last } => lang.fill(
                "stale: no report since {since} (last {last})",
                &[("since", d(since)), ("last", d(last))],
            ),
            Reason::NoData => lang.t("no report yet").to_string(),
            Reason::Members {
                met,
                of,
                unreported,
                behind,
            } => {
                let mut parts = vec![lang.fill(
                    "{met} of {of} members met",
                    &[("met", met.to_string()), ("of", of.to_string())],
                )];
                let list =
                    |names: &[String]| names.join(if lang == Lang::Zh { "；" } else { "; " });
                if !unreported.is_empty() {
                    parts.push(lang.fill("not reported: {units}", &[("units", list(unreported))]));
                }
                if !behind.is_empty() {
                    parts.push(lang.fill("behind: {units}", &[("units", list(behind))]));
                }
                parts.join(if lang == Lang::Zh { ";" } else { "; " })
            }
            Reason::Parts {
                met,
                of,
                worst,
                why,
            } if met == of => lang.fill(
                "all {of} parts met (last: {worst}: {why})",
                &[
                    ("of", of.to_string()),
                    ("worst", s(worst)),
                    ("why", why.text(lang)),
                ],
            ),
            Reason::Parts {
                met,
                of,
                worst,
                why,
            } => lang.fill(
                "{met} of {of} parts met; {worst}: {why}",
                &[
                    ("met", met.to_string()),
                    ("of", of.to_string()),
                    ("worst", s(worst)),
                    ("why", why.text(lang)),
                ],
            ),
            Reason::OnTrack { actual, due } => lang.fill(
                "on track: latest {reading}, due {due}",
                &[("reading", a(actual)), ("due", d(due))],
            ),
        }
    }
}

/// The judgement of one item on one date.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub standing: Standing,
    pub light: Light,
    pub reason: Reason,
    /// The deadline that applies (the current year's, for a target set per year).
    pub due: NaiveDate,
    /// Days until the deadline, negative once it has passed; none once the item is met.
    pub days_left: Option<i64>,
    /// The value judged: the latest level, the running total of increments, the year's value,
    /// or the change from the baseline for a relative target.
    pub actual: Option<f64>,
    /// The level reported, for a relative target (whose `actual` is the change).
    pub level: Option<f64>,
    /// The date of the latest report counted.
    pub actual_date: Option<NaiveDate>,
    /// The year judged, for a target set per year.
    pub period: Option<i32>,
    /// Actual as a percentage of the target value (more-is-better targets only).
    pub percent: Option<f64>,
    /// The value expected by now (序时进度): on the straight line to the target, or the
    /// target itself for a target over a period.
    pub expected: Option<f64>,
    /// No update within the last reporting cycle.
    pub stale: bool,
}

impl Verdict {
    /// The place of a verdict not judged yet: no data, due on the as-of date, no figures.
    fn unjudged(as_of: NaiveDate) -> Verdict {
        Verdict {
            standing: Standing::NoData,
            light: Light::Yellow,
            reason: Reason::NoData,
            due: as_of,
            days_left: None,
            actual: None,
            level: None,
            actual_date: None,
            period: None,
            percent: None,
            expected: None,
            stale: false,
        }
    }
}

/// A reading as people write it: `92 %`, `done`.
pub fn reading_text(reading: Reading, unit: &str, lang: Lang) -> String {
    match reading {
        Reading::Value(v) => format!("{} {unit}", number(v)).trim_end().to_string(),
        Reading::Status(s) => lang.t(s.as_str()).to_string(),
    }
}

/// A target as people write it: `≥ 90 %`, `≈ 20 ± 1 亿斤`, `3–5 %`, `≤ -18 % vs 2020-01-01`.
pub fn target_text(t: &Target) -> String {
    let unit = if t.relative { "%" } else { t.unit.as_str() };
    let body = match (t.comparator, t.tolerance, t.upper) {
        (Comparator::Range, _, Some(hi)) => format!("{}–{} {unit}", number(t.value), number(hi)),
        (c, Some(tol), _) => format!(
            "{} {} ± {} {unit}",
            c.symbol(),
            number(t.value),
            number(tol)
        ),
        (c, _, _) => format!("{} {} {unit}", c.symbol(), number(t.value)),
    };
    let body = body.trim_end().to_string();
    match (t.relative, t.baseline) {
        (true, Some(b)) => format!("{body} vs {}", b.date),
        _ => body,
    }
}

/// A value of a target as people read it; a relative target's change is in percent.
fn value_text(t: &Target, v: f64) -> String {
    let unit = if t.relative { "%" } else { t.unit.as_str() };
    format!("{} {unit}", number(v)).trim_end().to_string()
}

/// The warning window before a deadline: one reporting cycle.
fn window_opens(plan: &Plan, due: NaiveDate) -> NaiveDate {
    due.checked_sub_months(Months::new(plan.meta.reporting_cycle.months()))
        .unwrap_or(due)
}

/// The standing's light. Blocked and not started turn red when the deadline is close.
fn light_of(standing: Standing, close: bool) -> Light {
    match standing {
        Standing::Met | Standing::Exceeded | Standing::MetLate | Standing::OnTrack => Light::Green,
        Standing::Overdue | Standing::Missed => Light::Red,
        Standing::Blocked | Standing::NotStarted if close => Light::Red,
        _ => Light::Yellow,
    }
}

/// Where the item's deadline (or current period) lies relative to the as-of date.
struct Clock {
    due: NaiveDate,
    as_of: NaiveDate,
    /// The deadline is within the warning window (one reporting cycle) and not yet past.
    close: bool,
    since: NaiveDate,
}

impl Clock {
    fn new(plan: &Plan, due: NaiveDate, as_of: NaiveDate) -> Clock {
        Clock {
            due,
            as_of,
            close: as_of >= window_opens(plan, due) && as_of <= due,
            since: window_start(plan.meta.reporting_cycle, as_of),
        }
    }

    fn past(&self) -> bool {
        self.as_of > self.due
    }

    fn days_left(&self) -> i64 {
        (self.due - self.as_of).num_days()
    }
}

/// Judges one item on `as_of` from what the ledger says about it.
pub fn judge(plan: &Plan, item: Item<'_>, facts: &ItemFacts, as_of: NaiveDate) -> Verdict {
    match item {
        Item::Target(t) => judge_target(plan, t, facts, as_of, None),
        _ => judge_status(plan, item, facts, as_of),
    }
}

/// Judges one item on `as_of` for the assessment of `year`: a target set per year is judged
/// on that year's values.
pub fn judge_in_year(
    plan: &Plan,
    item: Item<'_>,
    facts: &ItemFacts,
    as_of: NaiveDate,
    year: i32,
) -> Verdict {
    match item {
        Item::Target(t) => judge_target(plan, t, facts, as_of, Some(year)),
        _ => judge_status(plan, item, facts, as_of),
    }
}

fn verdict(standing: Standing, reason: Reason, clock: &Clock) -> Verdict {
    Verdict {
        light: light_of(standing, clock.close || clock.past()),
        days_left: (!standing.is_done()).then(|| clock.days_left()),
        standing,
        reason,
        // No figures yet: the judge adds those it has.
        ..Verdict::unjudged(clock.due)
    }
}

/// A milestone or measure, by the status reported.
fn judge_status(plan: &Plan, item: Item<'_>, facts: &ItemFacts, as_of: NaiveDate) -> Verdict {
    let clock = Clock::new(plan, plan.due(item), as_of);
    let latest = facts.latest;
    let status = latest.and_then(|f| f.status());
    let shown = status.map_or(Shown::Nothing, Shown::Status);
    let stale = latest.is_none_or(|f| f.date < clock.since);
    let mut v = match (latest, status) {
        (Some(f), Some(Status::Done)) if f.date <= clock.due => verdict(
            Standing::Met,
            Reason::Met {
                actual: shown,
                date: f.date,
            },
            &clock,
        ),
        (Some(f), Some(Status::Done)) => verdict(
            Standing::MetLate,
            Reason::MetLate {
                actual: shown,
                date: f.date,
                due: clock.due,
            },
            &clock,
        ),
        (None, _) if clock.past() => verdict(
            Standing::Overdue,
            Reason::OverdueNoData { due: clock.due },
            &clock,
        ),
        _ if clock.past() => verdict(
            Standing::Overdue,
            Reason::Overdue {
                due: clock.due,
                actual: shown,
            },
            &clock,
        ),
        (Some(f), Some(Status::Blocked)) => {
            verdict(Standing::Blocked, Reason::Blocked { date: f.date }, &clock)
        }
        (Some(f), Some(Status::NotStarted)) if clock.close => verdict(
            Standing::NotStarted,
            Reason::NotStarted { date: f.date },
            &clock,
        ),
        _ if clock.close => verdict(
            Standing::DueSoon,
            Reason::DueSoon {
                days: clock.days_left(),
                actual: shown,
                target: Shown::Status(Status::Done),
            },
            &clock,
        ),
        (Some(f), Some(Status::NotStarted)) => verdict(
            Standing::NotStarted,
            Reason::NotStarted { date: f.date },
            &clock,
        ),
        (None, _) => verdict(Standing::NoData, Reason::NoData, &clock),
        (Some(f), _) if stale => verdict(
            Standing::Stale,
            Reason::Stale {
                since: clock.since,
                last: f.date,
            },
            &clock,
        ),
        (Some(_), _) => verdict(
            Standing::OnTrack,
            Reason::OnTrack {
                actual: shown,
                due: clock.due,
            },
            &clock,
        ),
    };
    v.actual_date = latest.map(|f| f.date);
    v.stale = stale && !v.standing.is_done();
    v
}

/// The part of a target's life being judged: its whole course to the deadline, or the
/// current year of a target set per year.
struct Span {
    start: NaiveDate,
    due: NaiveDate,
    year: Option<i32>,
}

impl Span {
    fn of(plan: &Plan, t: &Target, as_of: NaiveDate, year: Option<i32>) -> Span {
        let issued = plan.meta.issued;
        let judged = match year {
            Some(y) if t.years.contains(&y) => Some(y),
            _ => year_judged(&t.years, as_of.year()),
        };
        if let Some(year) = judged {
            let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(issued);
            return Span {
                start: first.max(issued),
                due: NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(first),
                year: Some(year),
            };
        }
        Span {
            start: t.baseline.map_or(issued, |b| b.date),
            due: plan.due(Item::Target(t)),
            year: None,
        }
    }
}

/// The year of a target set per year that is judged in `year`: that one when listed, else the
/// next listed (not begun yet), else the last (over).
pub fn year_judged(years: &[i32], year: i32) -> Option<i32> {
    let next = years.iter().copied().filter(|y| *y >= year).min();
    next.or_else(|| years.iter().copied().max())
}

/// A value of a target with its date.
#[derive(Clone, Copy)]
struct Seen {
    value: f64,
    date: NaiveDate,
}

/// The target's value now, and at its deadline, as the target counts it.
fn seen(t: &Target, facts: &ItemFacts, span: &Span) -> (Option<Seen>, Option<Seen>) {
    let latest = facts.latest;
    if let Some(year) = span.year {
        let now = facts.year(year).map(|y| Seen {
            value: if t.reported == Reported::Increment {
                y.sum
            } else {
                y.last
            },
            date: y.last_date,
        });
        return (now, now);
    }
    let value_dated = |f: Option<Fact>, total: f64| {
        let f = f?;
        let value = match t.reported {
            Reported::Increment => total,
            _ => f.value()?,
        };
        Some(Seen {
            value,
            date: f.date,
        })
    };
    (
        value_dated(latest, facts.total),
        value_dated(facts.at_deadline, facts.total_at_deadline),
    )
}

/// The judged value: the change in percent from the baseline for a relative target.
fn judged_value(t: &Target, level: f64) -> f64 {
    match (t.relative, t.baseline) {
        (true, Some(b)) if b.value != 0.0 => (level - b.value) / b.value * 100.0,
        _ => level,
    }
}

fn met_standing(t: &Target, v: f64) -> Option<Standing> {
    match t.attainment(v) {
        Attainment::Short => None,
        Attainment::Met => Some(Standing::Met),
        Attainment::Exceeded => Some(Standing::Exceeded),
    }
}

/// The straight line to the target (序时进度) read at `as_of`: from the baseline, or from 0
/// for a count or increments, or from the first report when it came in the first cycle.
fn expected_value(
    plan: &Plan,
    t: &Target,
    facts: &ItemFacts,
    span: &Span,
    as_of: NaiveDate,
) -> Option<f64> {
    let start = if t.relative {
        Some(0.0)
    } else if let Some(b) = t.baseline {
        Some(b.value)
    } else if t.reported == Reported::Increment || t.is_count() {
        Some(0.0)
    } else {
        let first_cycle_ends = span
            .start
            .checked_add_months(Months::new(plan.meta.reporting_cycle.months()))?;
        facts
            .first
            .filter(|f| f.date < first_cycle_ends)
            .and_then(|f| f.value())
    }?;
    let days = (span.due - span.start).num_days();
    if days <= 0 || as_of < span.start {
        return None;
    }
    let f = ((as_of - span.start).num_days() as f64 / days as f64).clamp(0.0, 1.0);
    Some(start + (t.value - start) * f)
}

/// Whether `v` lags the line at `expected`, in the better direction.
fn lags(t: &Target, v: f64, expected: f64) -> bool {
    const EPS: f64 = 1e-9;
    match t.direction {
        Direction::More => v < expected - EPS,
        Direction::Less => v > expected + EPS,
        Direction::Neither => {
            (v - t.value).abs() > (expected - t.value).abs() + t.tolerance.unwrap_or(0.0) + EPS
        }
    }
}

fn judge_target(
    plan: &Plan,
    t: &Target,
    facts: &ItemFacts,
    as_of: NaiveDate,
    year: Option<i32>,
) -> Verdict {
    let span = Span::of(plan, t, as_of, year);
    let clock = Clock::new(plan, span.due, as_of);
    let (now, at_due) = seen(t, facts, &span);
    let target = target_text(t);
    let judged = |s: Option<Seen>| s.map(|s| judged_value(t, s.value));
    let shown = |s: Option<Seen>| match s {
        Some(s) => Shown::Value(value_text(t, judged_value(t, s.value))),
        None => Shown::Nothing,
    };
    let period = || match span.year {
        Some(y) => y.to_string(),
        None => format!("{}–{}", span.start, span.due),
    };
    let stale = facts.latest.as_ref().is_none_or(|e| e.date < clock.since);
    let mut expected = None;
    let mut v = if clock.past() {
        if t.is_for_a_period() {
            let x = judged(at_due);
            match x.and_then(|x| met_standing(t, x)) {
                Some(st) => met(st, t, at_due, &target, &clock),
                None => verdict(
                    Standing::Missed,
                    Reason::Missed {
                        actual: shown(at_due),
                        target: target.clone(),
                        period: period(),
                    },
                    &clock,
                ),
            }
        } else {
            let at = judged(at_due).and_then(|x| met_standing(t, x));
            let later = judged(now).and_then(|x| met_standing(t, x));
            match (at, later, now) {
                (Some(st), Some(_), _) | (Some(st), None, None) => {
                    met(st, t, at_due, &target, &clock)
                }
                (Some(_), None, Some(n)) => verdict(
                    Standing::FellBack,
                    Reason::FellBack {
                        at_due: shown(at_due),
                        due: clock.due,
                        actual: shown(now),
                        date: n.date,
                    },
                    &clock,
                ),
                (None, Some(_), Some(n)) => verdict(
                    Standing::MetLate,
                    Reason::MetLate {
                        actual: shown(now),
                        date: n.date,
                        due: clock.due,
                    },
                    &clock,
                ),
                (None, _, Some(_)) => verdict(
                    Standing::Overdue,
                    Reason::Overdue {
                        due: clock.due,
                        actual: shown(now),
                    },
                    &clock,
                ),
                (None, _, None) => verdict(
                    Standing::Overdue,
                    Reason::OverdueNoData { due: clock.due },
                    &clock,
                ),
            }
        }
    } else if let Some(st) = judged(now)
        .and_then(|x| met_standing(t, x))
        .filter(|_| !t.is_for_a_period())
    {
        met(st, t, now, &target, &clock)
    } else if t.is_for_a_period() {
        expected = Some(t.value);
        let satisfied = judged(now).is_some_and(|x| t.is_met_by(x));
        // Counts that only grow (increments, running counts) settle early: once over a cap
        // they cannot come back, and once at a floor they cannot fall below it.
        let monotone = t.reported != Reported::Level && now.is_some();
        let running_over_cap = monotone && t.direction == Direction::Less && !satisfied;
        let reached_floor = monotone && t.direction == Direction::More && satisfied;
        match now {
            _ if reached_floor => met(Standing::Met, t, now, &target, &clock),
            _ if running_over_cap => verdict(
                Standing::Missed,
                Reason::Missed {
                    actual: shown(now),
                    target: target.clone(),
                    period: period(),
                },
                &clock,
            ),
            Some(n) if satisfied && stale => verdict(
                Standing::Stale,
                Reason::Stale {
                    since: clock.since,
                    last: n.date,
                },
                &clock,
            ),
            Some(_) if satisfied => verdict(
                Standing::OnTrack,
                Reason::OnTrack {
                    actual: shown(now),
                    due: clock.due,
                },
                &clock,
            ),
            _ if clock.close => verdict(
                Standing::DueSoon,
                Reason::DueSoon {
                    days: clock.days_left(),
                    actual: shown(now),
                    target: Shown::Value(target.clone()),
                },
                &clock,
            ),
            Some(_) => verdict(
                Standing::Behind,
                Reason::Short {
                    actual: shown(now),
                    target: target.clone(),
                },
                &clock,
            ),
            None => verdict(Standing::NoData, Reason::NoData, &clock),
        }
    } else if clock.close {
        verdict(
            Standing::DueSoon,
            Reason::DueSoon {
                days: clock.days_left(),
                actual: shown(now),
                target: Shown::Value(target.clone()),
            },
            &clock,
        )
    } else if let Some(n) = now {
        let x = judged_value(t, n.value);
        expected = expected_value(plan, t, facts, &span, as_of);
        match expected {
            None => verdict(
                Standing::NoData,
                Reason::NoLine {
                    actual: shown(now),
                    target: target.clone(),
                },
                &clock,
            ),
            Some(e) if lags(t, x, e) => verdict(
                Standing::Behind,
                Reason::Behind {
                    actual: shown(now),
                    expected: value_text(t, e),
                },
                &clock,
            ),
            Some(_) if stale => verdict(
                Standing::Stale,
                Reason::Stale {
                    since: clock.since,
                    last: n.date,
                },
                &clock,
            ),
            Some(_) => verdict(
                Standing::OnTrack,
                Reason::OnTrack {
                    actual: shown(now),
                    due: clock.due,
                },
                &clock,
            ),
        }
    } else {
        verdict(Standing::NoData, Reason::NoData, &clock)
    };
    if clock.past() {
        // Past the deadline, the value expected is the target itself.
        expected = Some(t.value);
    }
    let counted = if clock.past() { at_due.or(now) } else { now };
    let counted = match v.standing {
        Standing::FellBack | Standing::MetLate | Standing::Overdue => now,
        _ => counted,
    };
    v.actual = judged(counted);
    v.level = counted.filter(|_| t.relative).map(|s| s.value);
    v.actual_date = counted.map(|s| s.date);
    v.period = span.year;
    v.expected = expected;
    v.percent = match (t.direction, v.actual) {
        (Direction::More, Some(x)) if t.value != 0.0 && !t.relative => Some(x / t.value * 100.0),
        _ => None,
    };
    v.stale = stale && !v.standing.is_done();
    v
}

/// Met (or exceeded) with the value that met it.
fn met(standing: Standing, t: &Target, s: Option<Seen>, target: &str, clock: &Clock) -> Verdict {
    let Some(s) = s else {
        return verdict(standing, Reason::NoData, clock);
    };
    let actual = Shown::Value(value_text(t, judged_value(t, s.value)));
    let reason = match standing {
        Standing::Exceeded => Reason::Exceeded {
            actual,
            target: target.to_string(),
            date: s.date,
        },
        _ => Reason::Met {
            actual,
            date: s.date,
        },
    };
    verdict(standing, reason, clock)
}

/// A snapshot with every item of the plan judged once: what most reports start from.
pub struct Judged<'p, 's> {
    pub plan: &'p Plan,
    pub snapshot: &'s Snapshot,
    /// What is kept once the ledger's facts are let go.
    pub verdicts: Verdicts<'p>,
}

/// Every item of a plan judged on one day, without the ledger's facts they were judged from.
pub struct Verdicts<'p> {
    plan: &'p Plan,
    as_of: NaiveDate,
    /// By the item's position in the plan ([`Plan::position`]).
    by_item: Vec<Verdict>,
    /// Each member's own verdict on an item assigned to its group.
    members: foldhash::HashMap<(ItemId, UnitId), Verdict>,
}

/// How bad a verdict is, for finding a group's worst member.
fn severity(v: &Verdict) -> (u8, bool) {
    let light = match v.light {
        Light::Green => 0,
        Light::Yellow => 1,
        Light::Red => 2,
    };
    (light, !v.standing.is_done())
}

/// A measure's verdict from its parts: met when all are met, otherwise the worst part decides,
/// named in the reason. No values are carried over from a part.
fn roll_up(parts: &[(&ItemId, &Verdict)]) -> Option<Verdict> {
    let (id, worst) = parts.iter().max_by_key(|(_, v)| severity(v))?;
    let met = parts.iter().filter(|(_, v)| v.standing.is_done()).count();
    Some(Verdict {
        reason: Reason::Parts {
            met,
            of: parts.len(),
            worst: id.to_string(),
            why: Box::new(worst.reason.clone()),
        },
        actual: None,
        level: None,
        percent: None,
        expected: None,
        period: None,
        ..(*worst).clone()
    })
}

/// An item assigned to a group with members: met when every member has met it, otherwise the
/// worst member decides; the reason names the members behind. No rate is averaged: the
/// values are each member's own.
fn combine(plan: &Plan, members: &[(&UnitId, Verdict)]) -> Option<Verdict> {
    let (_, worst) = members.iter().max_by_key(|(_, v)| severity(v))?;
    let name = |u: &UnitId| format!("{} ({u})", plan.unit_name(u));
    let met = members.iter().filter(|(_, v)| v.standing.is_done()).count();
    let unreported = members
        .iter()
        .filter(|(_, v)| v.actual_date.is_none() && !v.standing.is_done())
        .map(|(u, _)| name(u))
        .collect();
    let behind = members
        .iter()
        .filter(|(_, v)| {
            v.actual_date.is_some() && !v.standing.is_done() && v.light != Light::Green
        })
        .map(|(u, _)| name(u))
        .collect();
    Some(Verdict {
        reason: Reason::Members {
            met,
            of: members.len(),
            unreported,
            behind,
        },
        actual: None,
        level: None,
        percent: None,
        expected: None,
        ..worst.clone()
    })
}

/// The number of items from which a plan is judged on two cores: below it, a thread costs
/// more than it saves.
const JUDGED_IN_HALVES: usize = 10_000;

/// A member's own verdict on an item assigned to its group.
type MemberVerdict = ((ItemId, UnitId), Verdict);

/// Each of `items` judged on its own (a measure is rolled up from its parts later), into
/// `verdicts` in turn until they are filled, and each member's own verdict on those assigned
/// to its group.
fn judge_items<'p>(
    plan: &'p Plan,
    snapshot: &Snapshot,
    items: impl Iterator<Item = Item<'p>>,
    verdicts: &mut [Verdict],
) -> Vec<MemberVerdict> {
    let mut members = Vec::new();
    for (slot, i) in verdicts.iter_mut().zip(items) {
        let own: Vec<(&UnitId, Verdict)> = plan
            .members(i)
            .iter()
            .map(|u| {
                let facts = snapshot.member(i.id(), u);
                (u, judge(plan, i, facts, snapshot.as_of))
            })
            .collect();
        *slot = combine(plan, &own)
            .unwrap_or_else(|| judge(plan, i, snapshot.item(plan, i), snapshot.as_of));
        for (u, mv) in own {
            members.push(((i.id().clone(), u.clone()), mv));
        }
    }
    members
}

impl<'p, 's> Judged<'p, 's> {
    pub fn new(plan: &'p Plan, snapshot: &'s Snapshot) -> Judged<'p, 's> {
        let half = (plan.len() >= JUDGED_IN_HALVES).then_some(plan.len() / 2);
        Judged::in_halves(plan, snapshot, half)
    }

    /// [`Judged::new`], judging the items before position `half` and those from it at once,
    /// on two cores, or all in one go.
    fn in_halves(plan: &'p Plan, snapshot: &'s Snapshot, half: Option<usize>) -> Judged<'p, 's> {
        // Each verdict is judged into its place, so the halves are never copied together
        // (9 MB off a report's peak at 100,000 items).
        let mut verdicts = vec![Verdict::unjudged(snapshot.as_of); plan.len()];
        let members = match half {
            Some(half) => {
                let (first, rest) = verdicts.split_at_mut(half);
                let (mut members, rest) = crate::join(
                    || judge_items(plan, snapshot, plan.items(), first),
                    || judge_items(plan, snapshot, plan.items().skip(half), rest),
                );
                members.extend(rest);
                members
            }
            None => judge_items(plan, snapshot, plan.items(), &mut verdicts),
        };
        // A measure with targets or milestones takes its standing from them; a status
        // reported on the measure itself is a note on the whole and never hides a red part.
        // Measures come first in plan order (measure k at position k), before their parts.
        let first_part = plan.measures.len();
        let (measures, parts) = verdicts.split_at_mut(first_part);
        for (k, m) in plan.measures.iter().enumerate() {
            let of: Vec<(&ItemId, &Verdict)> = plan
                .children(Item::Measure(m))
                .filter_map(|c| {
                    Some((
                        c.id(),
                        parts.get(plan.position(c)?.checked_sub(first_part)?)?,
                    ))
                })
                .collect();
            if let Some(v) = roll_up(&of) {
                measures[k] = v;
            }
        }
        Judged {
            plan,
            snapshot,
            verdicts: Verdicts {
                plan,
                as_of: snapshot.as_of,
                by_item: verdicts,
                members: members.into_iter().collect(),
            },
        }
    }

    /// A member's own verdict on an item assigned to its group.
    pub fn member_verdict(&self, item: Item<'_>, unit: &UnitId) -> Option<&Verdict> {
        self.verdicts.member_verdict(item, unit)
    }

    /// The verdict that concerns `unit` for an item: its own as a group member, else the
    /// item's.
    pub fn verdict_for(&self, item: Item<'_>, unit: &UnitId) -> &Verdict {
        self.verdicts.verdict_for(item, unit)
    }

    pub fn as_of(&self) -> NaiveDate {
        self.snapshot.as_of
    }

    /// The verdict of an item of the judged plan (an item of another version of it is found
    /// by its id).
    pub fn verdict(&self, item: Item<'_>) -> &Verdict {
        self.verdicts.verdict(item)
    }

    pub fn latest(&self, item: Item<'_>) -> Option<Fact> {
        self.snapshot.latest(self.plan, item)
    }

    pub fn last_report(&self, unit: &UnitId) -> Option<NaiveDate> {
        self.snapshot.last_report(unit)
    }

    /// Whether the unit has reported in the calendar cycle that holds the as-of date.
    pub fn has_reported(&self, plan: &Plan, unit: &UnitId) -> bool {
        let start = cycle_start(plan.meta.reporting_cycle, self.as_of());
        self.snapshot
            .unit(unit)
            .reported_in(Month::of(start), Month::of(self.as_of()))
    }

    /// Units that owe a report: responsible for an item not yet met, and silent in the
    /// current cycle. The supervision office reports on others and owes nothing itself.
    pub fn silent_units<'q>(&self, plan: &'q Plan) -> Vec<&'q Unit> {
        let open: HashSet<&UnitId> = plan
            .items()
            .filter(|i| !self.verdict(*i).standing.is_done())
            .flat_map(|i| plan.answering(i))
            .collect();
        plan.units
            .iter()
            .filter(|u| !plan.is_supervisor(&u.id))
            .filter(|u| open.contains(&u.id) && !self.has_reported(plan, &u.id))
            .collect()
    }
}

impl Verdicts<'_> {
    /// A member's own verdict on an item assigned to its group.
    pub fn member_verdict(&self, item: Item<'_>, unit: &UnitId) -> Option<&Verdict> {
        if self.members.is_empty() {
            return None;
        }
        self.members.get(&(item.id().clone(), unit.clone()))
    }

    /// The verdict that concerns `unit` for an item: its own as a group member, else the
    /// item's.
    pub fn verdict_for(&self, item: Item<'_>, unit: &UnitId) -> &Verdict {
        self.member_verdict(item, unit)
            .unwrap_or_else(|| self.verdict(item))
    }

    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    /// The verdict of an item of the judged plan (an item of another version of it is found
    /// by its id).
    pub fn verdict(&self, item: Item<'_>) -> &Verdict {
        let at = self.plan.position_of(item);
        &self.by_item[at.expect("an item of the judged plan")]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(name: &str) -> Plan {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/plans")
            .join(name);
        crate::plan::load(&path)
            .expect("the example plan loads")
            .plan
    }

    #[test]
    fn an_item_of_another_copy_of_the_plan_is_found_by_its_id() {
        let p = plan("minimal.toml");
        let copy = p.clone();
        let (own, other) = (p.item("T-toilet").unwrap(), copy.item("T-toilet").unwrap());
        assert_eq!(
            p.position(other),
            None,
            "not this plan's item by its address"
        );
        assert_eq!(p.position_of(other), p.position(own));
        assert!(p.position(own).is_some());
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn judging_in_two_halves_gives_the_verdicts_of_one_go() {
        for name in ["judging.toml", "districts.toml"] {
            let p = plan(name);
            // Every item reported by each unit that answers for it, and by each member.
            let mut entries = Vec::new();
            for (k, item) in p.items().enumerate() {
                let units = p.answering(item).into_iter().chain(p.members(item));
                for (n, unit) in units.enumerate() {
                    entries.push(Entry {
                        id: entries.len() as i64 + 1,
                        item: item.id().to_string(),
                        date: d("2021-03-01") + chrono::Days::new((k * 7 + n * 3) as u64 % 400),
                        reading: match (k + n) % 3 {
                            0 => Reading::Status(Status::Done),
                            _ => Reading::Value((k * 11 + n) as f64 % 97.0),
                        },
                        note: String::new(),
                        unit: Some(unit.to_string()),
                        recorded_at: String::new(),
                        supersedes: None,
                        superseded_by: None,
                        plan_fingerprint: String::new(),
                    });
                }
            }
            let snapshot = Snapshot::from_entries(&p, d("2021-12-31"), entries);
            let whole = Judged::in_halves(&p, &snapshot, None).verdicts;
            assert!(!whole.members.is_empty() || name != "districts.toml");
            for half in 0..=p.len() {
                let halves = Judged::in_halves(&p, &snapshot, Some(half)).verdicts;
                assert_eq!(halves.by_item, whole.by_item, "{name} split at {half}");
                assert_eq!(halves.members, whole.members, "{name} split at {half}");
            }
        }
    }

    /// `item` judged on `as_of` after `updates` (date, value or status), recorded by u1 in
    /// order: an in-memory snapshot, no database.
    fn judged(p: &Plan, item: &str, updates: &[(&str, Reading)], as_of: &str) -> Verdict {
        let entries = updates
            .iter()
            .enumerate()
            .map(|(n, (date, reading))| Entry {
                id: n as i64 + 1,
                item: item.to_string(),
                date: d(date),
                reading: *reading,
                note: String::new(),
                unit: Some("u1".into()),
                recorded_at: String::new(),
                supersedes: None,
                superseded_by: None,
                plan_fingerprint: String::new(),
            });
        let snapshot = Snapshot::from_entries(p, d(as_of), entries);
        let i = p.item(item).expect("the item exists");
        judge(p, i, snapshot.item(p, i), d(as_of))
    }

    fn v(x: f64) -> Reading {
        Reading::Value(x)
    }

    fn st(s: Status) -> Reading {
        Reading::Status(s)
    }

    /// An item, its updates, the as-of date, and the standing and light it must have.
    type Case<'a> = (&'a str, &'a [(&'a str, Reading)], &'a str, Standing, Light);

    /// Every rule of the table, on the judging example plan.
    #[test]
    fn the_rules_table() {
        use Standing::*;
        let p = plan("judging.toml");
        #[rustfmt::skip]
        let cases: &[Case] = &[
            // No green without evidence: 85 of ≥ 90 in the last cycle is due soon, then overdue.
            ("T-due-soon", &[("2021-01-10", v(85.0))], "2021-01-20", DueSoon, Light::Yellow),
            ("T-due-soon", &[("2021-01-10", v(85.0))], "2021-02-01", Overdue, Light::Red),
            ("T-due-soon", &[("2021-01-10", v(92.0))], "2021-01-20", Met, Light::Green),
            ("T-due-soon", &[], "2020-06-01", NoData, Light::Yellow),
            // The line of a count starts at 0 on the issue date.
            ("T-pace", &[("2021-01-31", v(20.0)), ("2021-06-30", v(30.0))], "2021-07-05", Behind, Light::Yellow),
            ("T-pace", &[("2021-06-30", v(80.0))], "2021-07-05", OnTrack, Light::Green),
            // Periods: a cap is not met in July, and missed at once when broken.
            ("T-cap", &[("2021-06-30", v(3.0))], "2021-07-05", OnTrack, Light::Green),
            ("T-cap", &[("2021-06-30", v(3.0)), ("2021-08-31", v(12.0))], "2021-09-05", Missed, Light::Red),
            ("T-cap", &[("2021-11-30", v(8.0))], "2022-01-05", Met, Light::Green),
            ("T-ratio", &[("2021-06-30", v(85.0))], "2021-07-05", Behind, Light::Yellow),
            ("T-ratio", &[("2021-06-30", v(88.0))], "2021-07-05", OnTrack, Light::Green),
            ("T-ratio", &[("2021-12-31", v(85.0))], "2022-01-05", Missed, Light::Red),
            // Targets as plans state them.
            ("T-about", &[("2021-12-31", v(7.0))], "2022-01-05", Exceeded, Light::Green),
            ("T-about", &[("2021-12-31", v(6.3))], "2022-01-05", Met, Light::Green),
            ("T-about", &[("2021-12-31", v(5.0))], "2022-01-05", Overdue, Light::Red),
            ("T-range", &[("2021-12-31", v(4.0))], "2022-01-05", Met, Light::Green),
            ("T-range", &[("2021-12-31", v(6.0))], "2022-01-05", Overdue, Light::Red),
            ("T-relative", &[("2021-12-31", v(80.0))], "2022-01-05", Met, Light::Green),
            ("T-relative", &[("2021-12-31", v(90.0))], "2022-01-05", Overdue, Light::Red),
            ("T-sum", &[("2021-03-31", v(50.0)), ("2021-06-30", v(50.0)), ("2021-09-30", v(20.0))], "2022-01-05", Met, Light::Green),
            ("T-annual", &[("2021-06-30", v(6.0))], "2022-01-05", NoData, Light::Yellow),
            ("T-annual", &[("2021-06-30", v(6.0))], "2021-12-31", Met, Light::Green),
            ("T-annual", &[("2021-06-30", v(6.0))], "2023-01-05", Missed, Light::Red),
            // Deadlines, once: met by the deadline, later lower, fell back; met later, met late.
            ("T-yearend", &[("2020-12-20", v(92.0)), ("2021-01-10", v(85.0))], "2021-01-31", FellBack, Light::Yellow),
            ("T-yearend", &[("2020-12-20", v(85.0)), ("2021-01-10", v(91.0))], "2021-01-31", MetLate, Light::Green),
            ("T-yearend", &[("2020-12-20", v(85.0))], "2020-12-31", DueSoon, Light::Yellow),
            ("T-yearend", &[("2020-12-20", v(85.0))], "2021-01-01", Overdue, Light::Red),
            // Statuses of milestones.
            ("MS-blocked", &[("2021-03-01", st(Status::Blocked))], "2021-03-05", Blocked, Light::Yellow),
            ("MS-blocked", &[("2021-12-01", st(Status::Blocked))], "2021-12-05", Blocked, Light::Red),
            ("MS-blocked", &[("2021-03-01", st(Status::NotStarted))], "2021-03-05", NotStarted, Light::Yellow),
            ("MS-blocked", &[("2021-12-01", st(Status::NotStarted))], "2021-12-05", NotStarted, Light::Red),
            ("MS-blocked", &[("2021-12-01", st(Status::InProgress))], "2021-12-05", DueSoon, Light::Yellow),
            ("MS-blocked", &[("2021-03-01", st(Status::InProgress))], "2021-03-05", OnTrack, Light::Green),
            ("MS-blocked", &[("2021-01-01", st(Status::InProgress))], "2021-03-05", Stale, Light::Yellow),
            ("MS-blocked", &[("2021-03-01", st(Status::Done))], "2022-03-05", Met, Light::Green),
            ("MS-blocked", &[("2022-01-10", st(Status::Done))], "2022-03-05", MetLate, Light::Green),
            ("MS-blocked", &[("2021-03-01", st(Status::InProgress))], "2022-01-01", Overdue, Light::Red),
        ];
        for (id, updates, as_of, standing, light) in cases {
            let v = judged(&p, id, updates, as_of);
            assert_eq!(
                (v.standing, v.light),
                (*standing, *light),
                "{id} as of {as_of} after {updates:?}: {}",
                v.reason.text(Lang::En)
            );
        }
    }

    #[test]
    fn actual_is_what_the_target_counts() {
        let p = plan("judging.toml");
        let sum = [
            ("2021-03-31", v(50.0)),
            ("2021-06-30", v(50.0)),
            ("2021-09-30", v(20.0)),
        ];
        let t = judged(&p, "T-sum", &sum, "2022-01-05");
        assert_eq!(t.actual, Some(120.0));
        let r = judged(&p, "T-relative", &[("2021-12-31", v(80.0))], "2022-01-05");
        assert_eq!((r.actual, r.level), (Some(-20.0), Some(80.0)));
        assert_eq!(r.reason.text(Lang::En), "met: -20 % reported 2021-12-31");
        let due = judged(&p, "T-due-soon", &[("2021-01-10", v(85.0))], "2021-01-20");
        assert_eq!(
            due.reason.text(Lang::En),
            "due in 11 days, not met: 85 % of ≥ 90 %"
        );
        assert_eq!(due.days_left, Some(11));
        let met = judged(&p, "T-due-soon", &[("2021-01-10", v(92.0))], "2021-06-20");
        assert_eq!(met.days_left, None, "no days left for a met target");
        let annual = judged(&p, "T-annual", &[("2021-06-30", v(6.0))], "2021-12-31");
        assert_eq!((annual.period, annual.actual), (Some(2021), Some(6.0)));
    }

    #[test]
    fn a_target_without_a_line_is_never_green() {
        let p = plan("minimal.toml");
        let mut p2 = p.clone();
        p2.targets[0].baseline = None;
        // First report long after the first cycle: no line to judge by.
        let got = judged(&p2, "T-toilet", &[("2021-12-01", v(80.0))], "2021-12-05");
        assert_eq!((got.standing, got.light), (Standing::NoData, Light::Yellow));
        assert!(
            got.reason.text(Lang::En).starts_with("no baseline"),
            "{:?}",
            got.reason
        );
        // With the baseline of 70 on 2021-01-01, 75 a year on is behind the line to 90.
        let got = judged(&p, "T-toilet", &[("2021-12-31", v(75.0))], "2022-01-01");
        assert_eq!((got.standing, got.light), (Standing::Behind, Light::Yellow));
        assert!(
            (got.expected.unwrap() - 80.0).abs() < 0.1,
            "{:?}",
            got.expected
        );
    }

    #[test]
    fn reasons_read_in_both_languages() {
        let p = plan("judging.toml");
        let got = judged(&p, "T-yearend", &[("2020-12-20", v(85.0))], "2021-02-01");
        assert_eq!(
            got.reason.text(Lang::En),
            "overdue: due 2020-12-31, latest 85 %"
        );
        assert_eq!(
            got.reason.text(Lang::Zh),
            "超期:2020-12-31 到期,最新进展 85 %"
        );
        let got = judged(
            &p,
            "MS-blocked",
            &[("2021-12-01", st(Status::InProgress))],
            "2021-12-05",
        );
        assert_eq!(
            got.reason.text(Lang::Zh),
            "26 天后到期,尚未完成:推进中,目标 已完成"
        );
    }
}
