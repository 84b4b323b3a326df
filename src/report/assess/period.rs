//! The calendar of an assessment: the assessed part of a year, and the plan's reporting
//! cycles that count in it.

use chrono::{Datelike, Months, NaiveDate};

use crate::i18n::Lang;
use crate::model::{Cycle, PlanMeta};

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

/// The plan's reporting cycles that count in the period: ended by its last day, begun on or
/// after the plan was issued (no unit owes a report for a cycle that began before), and
/// starting by the horizon.
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
            (end <= period.end && meta.issued <= start && start <= meta.horizon)
                .then_some(CycleSpan { label, start, end })
        })
        .collect()
}
