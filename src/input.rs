//! Values as a person types them, on the command line or at a prompt: a target's value and a
//! reporting date. Shared by `update`'s flags and its prompts, so both accept and refuse the
//! same input.

use chrono::NaiveDate;

use crate::model::{Plan, Target};

/// A target's value as typed: a finite, non-negative number; a percentage lies in 0–100.
/// Shared by the flags and the prompt, so both refuse the same values.
pub fn parse_value(t: &Target, text: &str) -> Result<f64, String> {
    let Ok(value) = text.trim().parse::<f64>() else {
        return Err(format!(
            "\"{text}\" for {} is not a number (the target is in {})",
            t.id, t.unit
        ));
    };
    if !value.is_finite() || value < 0.0 {
        return Err(format!(
            "{text} for {}: a value must be a finite, non-negative number",
            t.id
        ));
    }
    if t.is_percent() && value > 100.0 {
        return Err(format!(
            "{text} for {}: a percentage must lie in 0–100",
            t.id
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
