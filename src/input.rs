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
    let Ok(value) = text.trim().parse::<f64>() else {
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
    let Ok(date) = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") else {
        return Err(format!(
            "\"{text}\" is not a date; write YYYY-MM-DD, e.g. 2020-12-20"
        ));
    };
    if date < plan.meta.issued {
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
