//! Judging an item on a date, following "Judging an item on a date" in PRODUCT.md:
//! met, on track, behind (落后序时进度), overdue (超期) or no data, plus stale (未按时报送),
//! folded into a traffic light that always comes with its reason.

use chrono::NaiveDate;

use crate::i18n::Lang;
use crate::model::*;
use crate::render::{Cell, Tone, number};
use crate::store::{Entry, Reading};

str_enum! {
    /// Where an item stands.
    pub enum Standing { Met = "met", OnTrack = "on_track", Behind = "behind", Overdue = "overdue", NoData = "no_data" }
}

str_enum! {
    /// The traffic light.
    pub enum Light { Green = "green", Yellow = "yellow", Red = "red" }
}

impl Light {
    pub fn tone(self) -> Tone {
        match self {
            Light::Green => Tone::Good,
            Light::Yellow => Tone::Warn,
            Light::Red => Tone::Bad,
        }
    }

    /// The light as a coloured cell.
    pub fn cell(self, lang: Lang) -> Cell {
        Cell::Badge(lang.t(self.as_str()).to_string(), self.tone())
    }
}

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
            Reason::Behind { actual, expected } => lang.fill(
                "behind schedule: {actual} reported, {expected} expected by now",
                &[("actual", number(*actual)), ("expected", number(*expected))],
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

/// The start of the reporting window that ends on `as_of`: one cycle back.
pub fn window_start(cycle: Cycle, as_of: NaiveDate) -> NaiveDate {
    as_of
        .checked_sub_months(chrono::Months::new(cycle.months()))
        .unwrap_or(NaiveDate::MIN)
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

pub fn judge(plan: &Plan, item: Item<'_>, latest: Option<&Entry>, as_of: NaiveDate) -> Verdict {
    let due = plan.due(item);
    let days_left = (due - as_of).num_days();
    let unit = item.as_target().map_or("", |t| t.unit.as_str()).to_string();
    let target = item.as_target();
    let value = latest.and_then(Entry::value);
    let percent = target.zip(value).and_then(|(t, v)| percent_of(t, v));
    let expected = target.and_then(|t| expected_value(t, due, as_of));
    let since = window_start(plan.meta.reporting_cycle, as_of);
    let stale = latest.is_none_or(|e| e.date <= since);
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
