//! The judging rules, the heart of the product: an item on a date is met, on track, behind
//! (落后序时进度), overdue (超期) or without data, and maybe stale (未按时报送), folded into a
//! traffic light that always comes with its reason (README, "How an item is judged on the
//! as-of date"). Pure functions of the plan and a ledger [`Snapshot`]; every report judges
//! through this module, so a rule changes in one place.

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::doc::number;
use crate::i18n::Lang;
use crate::model::*;

/// Why an item has its light. Each variant renders as one sentence in either language.
#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    Met {
        reading: Reading,
        unit: String,
        date: NaiveDate,
    },
    OverdueNoData {
        due: NaiveDate,
    },
    Overdue {
        due: NaiveDate,
        reading: Reading,
        unit: String,
    },
    Behind {
        actual: f64,
        expected: f64,
        /// The target's unit, so the numbers read "75 %", "80.4 %".
        unit: String,
    },
    Blocked {
        date: NaiveDate,
    },
    NoData,
    Stale {
        since: NaiveDate,
        last: NaiveDate,
    },
    OnTrack {
        reading: Reading,
        unit: String,
        due: NaiveDate,
    },
}

impl Reason {
    pub fn text(&self, lang: Lang) -> String {
        let d = |d: &NaiveDate| d.to_string();
        match self {
            Reason::Met {
                reading,
                unit,
                date,
            } => lang.fill(
                "met: {reading} reported {date}",
                &[
                    ("reading", reading_text(*reading, unit, lang)),
                    ("date", d(date)),
                ],
            ),
            Reason::OverdueNoData { due } => {
                lang.fill("overdue: due {due}, never reported", &[("due", d(due))])
            }
            Reason::Overdue { due, reading, unit } => lang.fill(
                "overdue: due {due}, latest {reading}",
                &[
                    ("due", d(due)),
                    ("reading", reading_text(*reading, unit, lang)),
                ],
            ),
            Reason::Behind {
                actual,
                expected,
                unit,
            } => lang.fill(
                "behind schedule: {actual} reported, {expected} expected by now",
                &[
                    ("actual", reading_text(Reading::Value(*actual), unit, lang)),
                    (
                        "expected",
                        reading_text(Reading::Value(*expected), unit, lang),
                    ),
                ],
            ),
            Reason::Blocked { date } => {
                lang.fill("reported blocked on {date}", &[("date", d(date))])
            }
            Reason::NoData => lang.t("no report yet").to_string(),
            Reason::Stale { since, last } => lang.fill(
                "stale: no report since {since} (last {last})",
                &[("since", d(since)), ("last", d(last))],
            ),
            Reason::OnTrack { reading, unit, due } => lang.fill(
                "on track: latest {reading}, due {due}",
                &[
                    ("reading", reading_text(*reading, unit, lang)),
                    ("due", d(due)),
                ],
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
    pub due: NaiveDate,
    /// Days until the deadline; negative once it has passed.
    pub days_left: i64,
    /// Actual as a percentage of the target value (targets with a value only).
    pub percent: Option<f64>,
    /// The value expected by now on the straight line from the baseline (targets with a baseline).
    pub expected: Option<f64>,
    /// No update within the last reporting cycle.
    pub stale: bool,
}

/// A reading as people write it: `92 %`, `done`.
pub fn reading_text(reading: Reading, unit: &str, lang: Lang) -> String {
    match reading {
        Reading::Value(v) => format!("{} {unit}", number(v)).trim_end().to_string(),
        Reading::Status(s) => lang.t(s.as_str()).to_string(),
    }
}

/// The straight line from the baseline to the target, read at `as_of`.
pub fn expected_value(t: &Target, due: NaiveDate, as_of: NaiveDate) -> Option<f64> {
    let b = t.baseline?;
    let span = (due - b.date).num_days();
    if span <= 0 || as_of < b.date {
        return None;
    }
    let f = ((as_of - b.date).num_days() as f64 / span as f64).clamp(0.0, 1.0);
    Some(b.value + (t.value - b.value) * f)
}

fn percent_of(t: &Target, actual: f64) -> Option<f64> {
    match t.comparator {
        Comparator::AtMost => None,
        _ if t.value == 0.0 => None,
        _ => Some(actual / t.value * 100.0),
    }
}

/// Whether `actual` lags the line at `expected`, in the comparator's direction.
fn lags(t: &Target, actual: f64, expected: f64) -> bool {
    match t.comparator {
        Comparator::AtLeast => actual < expected - 1e-9,
        Comparator::AtMost => actual > expected + 1e-9,
        Comparator::Equal | Comparator::About => {
            (actual - t.value).abs()
                > (expected - t.value).abs() + t.tolerance.unwrap_or(0.0) + 1e-9
        }
    }
}

pub fn judge(plan: &Plan, item: Item<'_>, latest: Option<Fact>, as_of: NaiveDate) -> Verdict {
    let due = plan.due(item);
    let days_left = (due - as_of).num_days();
    let unit = item.value_unit().to_string();
    let target = item.as_target();
    let value = latest.and_then(|f| f.value());
    let percent = target.zip(value).and_then(|(t, v)| percent_of(t, v));
    let expected = target.and_then(|t| expected_value(t, due, as_of));
    let since = window_start(plan.meta.reporting_cycle, as_of);
    let stale = latest.is_none_or(|e| e.date < since);
    let verdict = |standing, light, reason| Verdict {
        standing,
        light,
        reason,
        due,
        days_left,
        percent,
        expected,
        stale,
    };

    let Some(entry) = latest else {
        return if as_of > due {
            verdict(Standing::Overdue, Light::Red, Reason::OverdueNoData { due })
        } else {
            verdict(Standing::NoData, Light::Yellow, Reason::NoData)
        };
    };
    let reading = entry.reading;
    let met = match (target, entry.reading) {
        (Some(t), Reading::Value(v)) => t.is_met_by(v),
        (_, Reading::Status(s)) => s == Status::Done,
        (None, Reading::Value(_)) => false,
    };
    if met {
        return verdict(
            Standing::Met,
            Light::Green,
            Reason::Met {
                reading,
                unit,
                date: entry.date,
            },
        );
    }
    if as_of > due {
        return verdict(
            Standing::Overdue,
            Light::Red,
            Reason::Overdue { due, reading, unit },
        );
    }
    if let (Some(t), Some(v), Some(x)) = (target, value, expected)
        && lags(t, v, x)
    {
        return verdict(
            Standing::Behind,
            Light::Yellow,
            Reason::Behind {
                actual: v,
                expected: x,
                unit,
            },
        );
    }
    if entry.status() == Some(Status::Blocked) {
        return verdict(
            Standing::Behind,
            Light::Yellow,
            Reason::Blocked { date: entry.date },
        );
    }
    if stale {
        return verdict(
            Standing::OnTrack,
            Light::Yellow,
            Reason::Stale {
                since,
                last: entry.date,
            },
        );
    }
    verdict(
        Standing::OnTrack,
        Light::Green,
        Reason::OnTrack { reading, unit, due },
    )
}

/// A snapshot with every item of the plan judged once: what most reports start from.
pub struct Judged<'s> {
    pub snapshot: &'s Snapshot,
    verdicts: foldhash::HashMap<ItemId, Verdict>,
}

impl<'s> Judged<'s> {
    pub fn new(plan: &Plan, snapshot: &'s Snapshot) -> Judged<'s> {
        let verdicts = plan
            .items()
            .map(|i| {
                let latest = snapshot.latest(i.id()).map(Entry::fact);
                (i.id().clone(), judge(plan, i, latest, snapshot.as_of))
            })
            .collect();
        Judged { snapshot, verdicts }
    }

    pub fn as_of(&self) -> NaiveDate {
        self.snapshot.as_of
    }

    /// The verdict of an item of the plan the snapshot was judged for.
    pub fn verdict(&self, id: &ItemId) -> &Verdict {
        &self.verdicts[id]
    }

    pub fn latest(&self, id: &ItemId) -> Option<&Entry> {
        self.snapshot.latest(id)
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
    pub fn silent_units<'p>(&self, plan: &'p Plan) -> Vec<&'p Unit> {
        let open: HashSet<&UnitId> = plan
            .items()
            .filter(|i| self.verdict(i.id()).standing != Standing::Met)
            .flat_map(|i| i.units())
            .collect();
        plan.units
            .iter()
            .filter(|u| !plan.is_supervisor(&u.id))
            .filter(|u| open.contains(&u.id) && !self.has_reported(plan, &u.id))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/plans/minimal.toml");
        crate::plan::load(&path).expect("minimal plan").plan
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn entry(date: &str, reading: Reading) -> Entry {
        Entry {
            id: 1,
            item: String::new(),
            date: d(date),
            reading,
            note: String::new(),
            unit: None,
            recorded_at: String::new(),
            supersedes: None,
            superseded_by: None,
            plan_fingerprint: String::new(),
        }
    }

    /// T-toilet: ≥ 90 % by 2022-12-31 from a baseline of 70 % on 2021-01-01; quarterly reports.
    fn toilet(p: &Plan, latest: Option<Entry>, as_of: &str) -> Verdict {
        judge(
            p,
            p.item("T-toilet").unwrap(),
            latest.as_ref().map(Entry::fact),
            d(as_of),
        )
    }

    #[test]
    fn targets_follow_the_product_rules() {
        let p = plan();
        let v = toilet(&p, None, "2021-06-30");
        assert_eq!(
            (v.standing, v.light, v.reason),
            (Standing::NoData, Light::Yellow, Reason::NoData)
        );
        let v = toilet(&p, None, "2023-01-01");
        assert_eq!((v.standing, v.light), (Standing::Overdue, Light::Red));
        assert_eq!(
            v.reason,
            Reason::OverdueNoData {
                due: d("2022-12-31")
            }
        );
        assert_eq!(v.days_left, -1);

        // Half way along the baseline line (2022-01-01) 80 % is expected.
        let v = toilet(
            &p,
            Some(entry("2021-12-31", Reading::Value(75.0))),
            "2022-01-01",
        );
        assert_eq!((v.standing, v.light), (Standing::Behind, Light::Yellow));
        assert!((v.expected.unwrap() - 80.0).abs() < 0.1, "{:?}", v.expected);
        let v = toilet(
            &p,
            Some(entry("2021-12-31", Reading::Value(85.0))),
            "2022-01-01",
        );
        assert_eq!((v.standing, v.light), (Standing::OnTrack, Light::Green));
        // A year later with no report it is stale, though still on track.
        let v = toilet(
            &p,
            Some(entry("2021-06-30", Reading::Value(85.0))),
            "2022-01-01",
        );
        assert_eq!((v.standing, v.light), (Standing::OnTrack, Light::Yellow));
        assert!(v.stale);

        let v = toilet(
            &p,
            Some(entry("2022-12-20", Reading::Value(92.0))),
            "2023-06-30",
        );
        assert_eq!((v.standing, v.light), (Standing::Met, Light::Green));
        assert!((v.percent.unwrap() - 102.22).abs() < 0.01);
        let v = toilet(
            &p,
            Some(entry("2023-01-20", Reading::Value(85.0))),
            "2023-06-30",
        );
        assert_eq!((v.standing, v.light), (Standing::Overdue, Light::Red));
        assert_eq!(
            v.reason.text(Lang::En),
            "overdue: due 2022-12-31, latest 85 %"
        );
        assert_eq!(
            v.reason.text(Lang::Zh),
            "超期:2022-12-31 到期,最新进展 85 %"
        );
    }

    #[test]
    fn milestones_follow_the_product_rules() {
        let p = plan();
        let ms = p.item("MS-toilet-survey").unwrap();
        let j =
            |e: Option<Entry>, as_of: &str| judge(&p, ms, e.as_ref().map(Entry::fact), d(as_of));
        let v = j(
            Some(entry("2021-04-01", Reading::Status(Status::Blocked))),
            "2021-05-01",
        );
        assert_eq!((v.standing, v.light), (Standing::Behind, Light::Yellow));
        let v = j(
            Some(entry("2021-04-01", Reading::Status(Status::InProgress))),
            "2021-05-01",
        );
        assert_eq!((v.standing, v.light), (Standing::OnTrack, Light::Green));
        let v = j(
            Some(entry("2021-04-01", Reading::Status(Status::InProgress))),
            "2021-07-01",
        );
        assert_eq!((v.standing, v.light), (Standing::Overdue, Light::Red));
        let v = j(
            Some(entry("2021-08-01", Reading::Status(Status::Done))),
            "2021-09-01",
        );
        assert_eq!((v.standing, v.light), (Standing::Met, Light::Green));
    }

    #[test]
    fn about_targets_accept_the_tolerance_band() {
        let mut p = plan();
        let t = &mut p.targets[0];
        t.comparator = Comparator::About;
        t.value = 20.0;
        t.tolerance = Some(1.0);
        t.baseline = None;
        assert_eq!(
            toilet(
                &p,
                Some(entry("2022-01-01", Reading::Value(19.2))),
                "2022-01-02"
            )
            .standing,
            Standing::Met
        );
        assert_eq!(
            toilet(
                &p,
                Some(entry("2022-01-01", Reading::Value(18.5))),
                "2022-01-02"
            )
            .standing,
            Standing::OnTrack
        );
        assert_eq!(
            toilet(
                &p,
                Some(entry("2023-01-01", Reading::Value(22.0))),
                "2023-01-02"
            )
            .standing,
            Standing::Overdue
        );
    }
}
