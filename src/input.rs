//! Values as a person types them, on the command line or at a prompt: a target's value and a
//! reporting date. Shared by `update`'s flags and its prompts, so both accept and refuse the
//! same input.

use chrono::NaiveDate;

use crate::doc::number;
use crate::model::{Plan, Target};

/// A target's value as typed: a finite number within the target's bounds (a share in
/// percent lies in 0–100, a count is whole and not negative; see [`Target::bounds`]). Shared
/// by the flags and the prompt, so both refuse the same values.
pub fn parse_value(t: &Target, text: &str) -> Result<f64, String> {
    let typed = half_width(text);
    // `92%` or `60个` as an IME types it: the unit may follow the number.
    let bare = typed
        .trim()
        .trim_end_matches(t.unit.as_str())
        .trim_end_matches('%')
        .trim();
    let Ok(value) = bare.parse::<f64>() else {
        return Err(format!(
            "\"{text}\" for {} is not a number (the target is in {})",
            t.id, t.unit
        ));
    };
    let (min, max) = t.bounds();
    let non_negative = min.is_some_and(|lo| lo >= 0.0);
    if !value.is_finite() || (non_negative && min.is_some_and(|lo| value < lo) && min == Some(0.0))
    {
        let kind = if non_negative {
            "finite, non-negative"
        } else {
            "finite"
        };
        return Err(format!(
            "{text} for {}: a value must be a {kind} number",
            t.id
        ));
    }
    if min.is_some_and(|lo| value < lo) || max.is_some_and(|hi| value > hi) {
        let what = if t.is_percent() {
            "a percentage"
        } else {
            "a value"
        };
        let range = match (min, max) {
            (Some(lo), Some(hi)) => format!("in {}–{}", number(lo), number(hi)),
            (Some(lo), None) => format!("at least {}", number(lo)),
            (None, Some(hi)) => format!("at most {}", number(hi)),
            (None, None) => String::new(),
        };
        return Err(format!("{text} for {}: {what} must lie {range}", t.id));
    }
    if t.is_count() && value.fract() != 0.0 {
        return Err(format!(
            "{text} for {}: a count of {} takes whole numbers",
            t.id, t.unit
        ));
    }
    Ok(value)
}

/// A reporting date as typed: a real date, not before the plan was issued, and not after the
/// as-of date or today (progress cannot be reported ahead).
pub fn parse_date(
    plan: &Plan,
    text: &str,
    as_of: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, String> {
    let Some(date) = date_as_typed(text) else {
        return Err(format!(
            "\"{text}\" is not a date; write YYYY-MM-DD, e.g. 2020-12-20"
        ));
    };
    // Where the issue date is only inferred, earlier progress is accepted (`update` warns).
    if date < plan.meta.issued && !plan.meta.issued_inferred {
        return Err(format!(
            "{date} is before the plan was issued ({}); progress is reported from then on",
            plan.meta.issued
        ));
    }
    if date > as_of {
        return Err(format!(
            "{date} is after the as-of date {as_of}; progress cannot be reported ahead"
        ));
    }
    if date > today {
        return Err(format!("{date} is in the future (today is {today})"));
    }
    Ok(date)
}

/// Text as an IME may type it, with full-width digits and signs made half-width: `９２．５％`
/// reads `92.5%`.
pub fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            // Full-width ASCII (！ to ～): digits, letters, signs.
            '！'..='～' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            '。' => '.',
            '—' => '-',
            '　' => ' ',
            _ => c,
        })
        .collect()
}

/// A date as people write it: `2020-12-20`, `2020/12/20`, `2020.12.20`, `2020年12月20日`.
pub fn date_as_typed(text: &str) -> Option<NaiveDate> {
    let t = half_width(text);
    let t = t.trim().trim_end_matches('日');
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_an_ime_types_them() {
        let d = NaiveDate::from_ymd_opt(2020, 12, 20);
        for typed in [
            "2020-12-20",
            "2020/12/20",
            "2020年12月20日",
            "２０２０年１２月２０日",
            " 2020.12.20 ",
        ] {
            assert_eq!(date_as_typed(typed), d, "{typed}");
        }
        for bad in ["2020-13-01", "20201220", "2020年12月", "yesterday"] {
            assert_eq!(date_as_typed(bad), None, "{bad}");
        }
    }

    #[test]
    fn full_width_digits_are_read() {
        assert_eq!(half_width("９２．５％"), "92.5%");
    }
}
