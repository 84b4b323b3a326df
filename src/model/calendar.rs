//! The calendar the rules count in: months, reporting cycles and the rolling window.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::Cycle;

/// A `YYYY-MM-DD` date as the ledger stores it. That shape is read directly: a report reads many dates, and
/// chrono's general parser was a visible share of its time.
pub fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        return chrono::NaiveDate::from_ymd_opt(y as i32, m, d);
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// A calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// The month holding `date`.
    pub fn of(date: NaiveDate) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

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
        if date
            .succ_opt()
            .is_none_or(|next| next.month() != date.month())
        {
            Month::of(date)
        } else {
            Month::of(date).prev()
        }
    }

    pub fn prev(self) -> Month {
        Month::of(self.first_day().pred_opt().unwrap_or(NaiveDate::MIN))
    }

    pub fn next(self) -> Month {
        Month::of(self.last_day().succ_opt().unwrap_or(NaiveDate::MAX))
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        let next = if self.month == 12 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year, self.month + 1, 1)
        };
        next.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The first day of the rolling window that ends on `as_of`: an item is stale when its latest
/// report is older. Rolling, so that items do not all turn yellow on the 1st of a month.
pub fn window_start(cycle: Cycle, as_of: NaiveDate) -> NaiveDate {
    as_of
        .checked_sub_months(chrono::Months::new(cycle.months()))
        .and_then(|d| d.succ_opt())
        .unwrap_or(NaiveDate::MIN)
}

/// The first day of the calendar cycle (month, quarter, half year, year) holding `as_of`: a
/// unit "has reported this cycle" with an entry dated from then on. Calendar cycles, like the
/// bulletin and the assessment.
pub fn cycle_start(cycle: Cycle, as_of: NaiveDate) -> NaiveDate {
    let months = cycle.months();
    let month = (as_of.month0() / months) * months + 1;
    NaiveDate::from_ymd_opt(as_of.year(), month, 1).unwrap_or(as_of)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn months_parse_and_step() {
        let m = Month::parse("2021-01").unwrap();
        assert_eq!(m.prev().to_string(), "2020-12");
        assert_eq!(m.next().to_string(), "2021-02");
        assert_eq!(m.last_day().to_string(), "2021-01-31");
        assert_eq!(Month::parse("2020-02").unwrap().last_day(), d("2020-02-29"));
        assert_eq!(Month::parse("2020-12").unwrap().last_day(), d("2020-12-31"));
        assert!(Month::parse("2021-13").is_none());
        assert!(Month::parse("January").is_none());
        assert_eq!(Month::completed_by(d("2021-01-31")).to_string(), "2021-01");
        assert_eq!(Month::completed_by(d("2021-02-01")).to_string(), "2021-01");
        assert_eq!(Month::completed_by(d("2021-02-27")).to_string(), "2021-01");
    }

    #[test]
    fn cycles_are_calendar_windows_are_rolling() {
        assert_eq!(
            cycle_start(Cycle::Quarterly, d("2021-05-20")),
            d("2021-04-01")
        );
        assert_eq!(
            cycle_start(Cycle::Monthly, d("2021-05-20")),
            d("2021-05-01")
        );
        assert_eq!(
            window_start(Cycle::Monthly, d("2021-05-20")),
            d("2021-04-21")
        );
    }
}
