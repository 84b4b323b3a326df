//! Values as a person types them, on the command line or at a prompt: a target's value and a
//! reporting date. Shared by `update`'s flags and its prompts, so both accept and refuse the
//! same input.

use chrono::NaiveDate;

use crate::doc::number;
use crate::i18n::Message;
use crate::model::{Plan, Target};

/// A target's value as typed: a finite number within the target's bounds (a share in
/// percent lies in 0–100, a count is whole and not negative; see [`Target::bounds`]). Shared
/// by the flags and the prompt, so both refuse the same values.
pub fn parse_value(t: &Target, text: &str) -> Result<f64, Message> {
    let typed = half_width(text);
    // `92%` or `60个` as an IME types it: the unit may follow the number.
    let bare = typed
        .trim()
        .trim_end_matches(t.unit.as_str())
        .trim_end_matches('%')
        .trim();
    let Ok(value) = bare.parse::<f64>() else {
        return Err(
            Message::new("\"{text}\" for {id} is not a number (the target is in {unit})")
                .with_input("text", text)
                .with("id", &t.id)
                .with("unit", &t.unit),
        );
    };
    let (min, max) = t.bounds();
    let non_negative = min.is_some_and(|lo| lo >= 0.0);
    let value_of = |m: &'static str| Message::new(m).with_input("text", text).with("id", &t.id);
    if !value.is_finite() || (non_negative && min == Some(0.0) && value < 0.0) {
        return Err(value_of(if non_negative {
            "{text} for {id}: a value must be a finite, non-negative number"
        } else {
            "{text} for {id}: a value must be a finite number"
        }));
    }
    if min.is_some_and(|lo| value < lo) || max.is_some_and(|hi| value > hi) {
        let (lo, hi) = (min.map(number), max.map(number));
        let message = match (t.is_percent(), &lo, &hi) {
            (true, Some(_), Some(_)) => "{text} for {id}: a percentage must lie in {lo}–{hi}",
            (false, Some(_), Some(_)) => "{text} for {id}: a value must lie in {lo}–{hi}",
            (_, Some(_), None) => "{text} for {id}: a value must be at least {lo}",
            _ => "{text} for {id}: a value must be at most {hi}",
        };
        return Err(value_of(message)
            .with("lo", lo.unwrap_or_default())
            .with("hi", hi.unwrap_or_default()));
    }
    // Without a stated `max`, a figure a thousand times the target (or beyond 10^15, past
    // which no plan counts anything) is a slip of the keyboard, not progress: `--value 1e308`
    // for 118 facilities would otherwise be judged met.
    let implausible = value.abs() > SANE_LIMIT
        || (max.is_none() && !t.relative && t.value > 0.0 && value > 1000.0 * t.value);
    if implausible {
        return Err(value_of(
            "{text} for {id} is implausible for a target of {target}; if it is right, set the target's max in the plan",
        )
        .with("target", number(t.value)));
    }
    if t.is_count() && value.fract() != 0.0 {
        return Err(
            value_of("{text} for {id}: a count of {unit} takes whole numbers")
                .with("unit", &t.unit),
        );
    }
    Ok(value)
}

/// The largest figure an update may report where the plan states no `max`.
const SANE_LIMIT: f64 = 1e15;

/// A reporting date as typed: a real date, not before the plan was issued, and not after the
/// as-of date or today (progress cannot be reported ahead).
pub fn parse_date(
    plan: &Plan,
    text: &str,
    as_of: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, Message> {
    let date = day_as_typed(text)?;
    let dated = |m: &'static str| Message::new(m).with("date", date);
    // Where the issue date is only inferred, earlier progress is accepted (`update` warns).
    if date < plan.meta.issued && !plan.meta.issued_inferred {
        return Err(dated(
            "{date} is before the plan was issued ({issued}); progress is reported from then on",
        )
        .with("issued", plan.meta.issued));
    }
    if date > as_of {
        return Err(dated(
            "{date} is after the as-of date {as_of}; progress cannot be reported ahead",
        )
        .with("as_of", as_of));
    }
    if date > today {
        return Err(dated("{date} is in the future (today is {today})").with("today", today));
    }
    Ok(date)
}

/// A day as typed, or the message that lists the forms accepted: the one parser of `--date`,
/// `--as-of` and the prompts.
pub fn day_as_typed(text: &str) -> Result<NaiveDate, Message> {
    date_as_typed(text).ok_or_else(|| {
        Message::new(
            "\"{text}\" is not a date; write YYYY-MM-DD (also 2020/12/20, 20201220, 2020年12月20日)",
        )
        .with_input("text", text)
    })
}

/// `--as-of` and `--date` as clap reads them.
pub fn day_arg(text: &str) -> Result<NaiveDate, String> {
    day_as_typed(text).map_err(|m| m.to_string())
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
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        let n = |r: std::ops::Range<usize>| t[r].parse().ok();
        return NaiveDate::from_ymd_opt(n(0..4)? as i32, n(4..6)?, n(6..8)?);
    }
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
        assert_eq!(date_as_typed("20201220"), d);
        assert_eq!(
            date_as_typed("2020-1-5"),
            NaiveDate::from_ymd_opt(2020, 1, 5)
        );
        for bad in ["2020-13-01", "2020122", "2020年12月", "yesterday"] {
            assert_eq!(date_as_typed(bad), None, "{bad}");
        }
    }

    #[test]
    fn full_width_digits_are_read() {
        assert_eq!(half_width("９２．５％"), "92.5%");
    }
}
