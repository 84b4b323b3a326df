//! Reading typed fields out of one TOML table while collecting every problem: wrong types,
//! missing required keys and unknown keys (with a "did you mean"), so that one `check` run
//! reports them all.

use std::ops::Range;

use chrono::{Datelike, NaiveDate};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diag::{Diagnostic, Severity, SourceMap};
use crate::i18n::Message;
use crate::suggest;

/// Where diagnostics are collected while a file is read.
pub struct Sink<'a> {
    pub map: &'a SourceMap<'a>,
    pub diags: Vec<Diagnostic>,
    /// Impossible dates (`2021-02-30`) the TOML parser rejected, with its message, waiting for
    /// the date field that holds them to report them with the item's name. Only for a file
    /// read whole: a part with a syntax error is never read, so its spans need no moving.
    pub bad_dates: Vec<(Range<usize>, String)>,
    /// Where in the file the spans it is given count from: the start of the part of the file
    /// being read ([`super::document::in_parts`]).
    offset: usize,
}

impl<'a> Sink<'a> {
    pub fn new(map: &'a SourceMap<'a>) -> Self {
        Sink::at(map, 0)
    }

    /// A sink for the part of the file that starts at byte `offset`.
    pub fn at(map: &'a SourceMap<'a>, offset: usize) -> Self {
        Sink {
            map,
            diags: Vec::new(),
            bad_dates: Vec::new(),
            offset,
        }
    }

    pub fn error(&mut self, span: Range<usize>, message: impl Into<Message>) {
        self.report(Severity::Error, span, message.into());
    }

    pub fn warning(&mut self, span: Range<usize>, message: impl Into<Message>) {
        self.report(Severity::Warning, span, message.into());
    }

    fn report(&mut self, severity: Severity, span: Range<usize>, message: Message) {
        let mut span = span;
        shift(&mut span, self.offset);
        let d = self.map.at(severity, span, message);
        self.diags.push(d);
    }
}

pub type Val<'i> = Spanned<DeValue<'i>>;

/// What a table is, as its messages name it (`target T-1`): made into a message only when a
/// message is made, as a million fields are read without one.
#[derive(Clone, Debug)]
pub enum What {
    /// A table a plan has one of: `source`, `assessment`.
    Table(&'static str),
    /// An item of a kind (`target`), by its id once it is read.
    Item(&'static str, Option<String>),
    /// A table within another (`{what} baseline`), which `{what}` names.
    Within(Box<What>, &'static str),
}

impl What {
    pub fn message(&self) -> Message {
        match self {
            What::Table(name) => Message::new(name),
            What::Item(kind, None) => {
                Message::new("{kind} (no id)").with_message("kind", Message::new(kind))
            }
            What::Item(kind, Some(id)) => Message::new("{kind} {id}")
                .with_message("kind", Message::new(kind))
                .with("id", id),
            What::Within(outer, template) => about(outer, template),
        }
    }
}

/// `template` about the table `what` names, which `{what}` stands for.
pub fn about(what: &What, template: &'static str) -> Message {
    Message::new(template).with_message("what", what.message())
}

/// A value with the byte range it came from.
#[derive(Clone, Debug)]
pub struct At<T> {
    pub value: T,
    pub span: Range<usize>,
}

impl<T> At<T> {
    /// Moves the span `by` bytes on.
    pub fn shift(&mut self, by: usize) {
        shift(&mut self.span, by);
    }
}

/// Moves `span` `by` bytes on.
pub fn shift(span: &mut Range<usize>, by: usize) {
    *span = span.start + by..span.end + by;
}

/// One TOML table being read. `what` names it in messages, e.g. `target T-toilet`.
pub struct Fields<'t, 'i> {
    table: &'t DeTable<'i>,
    span: Range<usize>,
    pub what: What,
    asked: Vec<&'static str>,
    /// Required keys found missing; reported by [`Fields::finish`] unless a misspelt key
    /// explains them.
    missing_keys: Vec<&'static str>,
}

impl<'t, 'i> Fields<'t, 'i> {
    pub fn new(table: &'t DeTable<'i>, span: Range<usize>, what: What) -> Self {
        Fields {
            table,
            span,
            what,
            asked: Vec::new(),
            missing_keys: Vec::new(),
        }
    }

    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    fn get(&mut self, key: &'static str) -> Option<&'t Val<'i>> {
        self.asked.push(key);
        self.table.get(key)
    }

    fn missing(&mut self, key: &'static str) {
        self.missing_keys.push(key);
    }

    /// `template` about this table's `key`: `{what}` names the table, `{key}` the key.
    pub fn on_key(&self, template: &'static str, key: &str) -> Message {
        about(&self.what, template).with("key", key)
    }

    fn wrong_type(&self, sink: &mut Sink, key: &str, v: &Val, expected: &'static str) {
        let message = self
            .on_key("{what}: `{key}` must be {expected}, found {found}", key)
            .with_message("expected", expected.into())
            .with_message("found", v.get_ref().type_str().into());
        sink.error(v.span(), message);
    }

    /// Reads `key` with `convert`; reports a missing required key or a value of the wrong type.
    fn read<T>(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        required: bool,
        expected: &'static str,
        convert: impl FnOnce(&DeValue<'i>) -> Option<T>,
    ) -> Option<At<T>> {
        let Some(v) = self.get(key) else {
            if required {
                self.missing(key);
            }
            return None;
        };
        match convert(v.get_ref()) {
            Some(value) => Some(At {
                value,
                span: v.span(),
            }),
            None => {
                self.wrong_type(sink, key, v, expected);
                None
            }
        }
    }

    pub fn string(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        required: bool,
    ) -> Option<At<String>> {
        let s = self.read(sink, key, required, "a string", |v| {
            v.as_str().map(str::to_string)
        })?;
        self.refuse_control(sink, key, &s);
        if s.value.trim().is_empty() && required {
            sink.error(
                s.span.clone(),
                self.on_key("{what}: `{key}` must not be empty", key),
            );
            return None;
        }
        Some(s)
    }

    /// A required string, empty when it is missing or wrong (the problem is reported).
    pub fn text(&mut self, sink: &mut Sink, key: &'static str) -> String {
        self.string(sink, key, true)
            .map(|a| a.value)
            .unwrap_or_default()
    }

    pub fn opt_text(&mut self, sink: &mut Sink, key: &'static str) -> Option<String> {
        self.string(sink, key, false).map(|a| a.value)
    }

    /// A string that names one of `all` (by `name`, the enum's one string mapping); anything
    /// else is reported with the choices.
    pub fn choice<T: Copy>(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        required: bool,
        all: &[T],
        name: fn(T) -> &'static str,
    ) -> Option<T> {
        let s = self.string(sink, key, required)?;
        let found = all.iter().copied().find(|v| name(*v) == s.value);
        if found.is_none() {
            let names: Vec<&str> = all.iter().map(|v| name(*v)).collect();
            let hint = suggest::hint(&s.value, names.iter().copied());
            let message = self
                .on_key(
                    "{what}: unknown {key} \"{value}\"{hint}; expected one of: {names}",
                    key,
                )
                .with("value", &s.value)
                .with_message("hint", hint)
                .with("names", names.join(", "));
            sink.error(s.span, message);
        }
        found
    }

    pub fn boolean(&mut self, sink: &mut Sink, key: &'static str) -> Option<bool> {
        self.read(sink, key, false, "true or false", DeValue::as_bool)
            .map(|b| b.value)
    }

    pub fn strings(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        required: bool,
    ) -> Option<Vec<At<String>>> {
        let Some(v) = self.get(key) else {
            if required {
                self.missing(key);
            }
            return None;
        };
        let Some(items) = v.get_ref().as_array() else {
            self.wrong_type(sink, key, v, "an array of strings");
            return None;
        };
        let mut out: Vec<At<String>> = Vec::new();
        for item in items.iter() {
            match item.get_ref().as_str() {
                Some(s) => {
                    let at = At {
                        value: s.to_string(),
                        span: item.span(),
                    };
                    self.refuse_control(sink, key, &at);
                    // A unit listed twice would be charged twice by the assessment.
                    if out.iter().any(|o| o.value == at.value) {
                        let message = self
                            .on_key("{what}: \"{value}\" is listed twice in `{key}`", key)
                            .with("value", &at.value);
                        sink.error(at.span.clone(), message);
                    }
                    out.push(at);
                }
                None => self.wrong_type(sink, key, item, "an array of strings"),
            }
        }
        Some(out)
    }

    /// Control characters (ESC, NUL) and bidirectional overrides have no place in a plan:
    /// they would reach every terminal, report and file.
    fn refuse_control(&self, sink: &mut Sink, key: &str, s: &At<String>) {
        if let Some(c) = s
            .value
            .chars()
            .find(|&c| crate::doc::is_hostile(c) && c != '\n')
        {
            let message = self
                .on_key(
                    "{what}: `{key}` holds the control character {c}; remove it",
                    key,
                )
                .with("c", c.escape_unicode());
            sink.error(s.span.clone(), message);
        }
    }

    /// A finite number of either sign (a change, a bound).
    pub fn signed(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        required: bool,
    ) -> Option<At<f64>> {
        let n = self.read(sink, key, required, "a number", number_of)?;
        if !n.value.is_finite() {
            sink.error(
                n.span.clone(),
                self.on_key("{what}: `{key}` must be a finite number", key),
            );
            return None;
        }
        Some(n)
    }

    /// Calendar years, such as `[2021, 2022]`.
    pub fn years(&mut self, sink: &mut Sink, key: &'static str) -> Option<Vec<At<i32>>> {
        let v = self.get(key)?;
        let Some(items) = v.get_ref().as_array() else {
            self.wrong_type(sink, key, v, "an array of years, e.g. [2021, 2022]");
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match number_of(item.get_ref())
                .filter(|y| y.fract() == 0.0 && (1900.0..=2200.0).contains(y))
            {
                Some(y) => out.push(At {
                    value: y as i32,
                    span: item.span(),
                }),
                None => self.wrong_type(sink, key, item, "an array of years, e.g. [2021, 2022]"),
            }
        }
        Some(out)
    }

    /// A non-negative, finite number (integer or float).
    pub fn number(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        required: bool,
    ) -> Option<At<f64>> {
        let n = self.signed(sink, key, required)?;
        if n.value < 0.0 {
            let message = self
                .on_key("{what}: `{key}` must not be negative, found {n}", key)
                .with("n", n.value);
            sink.error(n.span.clone(), message);
            return None;
        }
        Some(n)
    }

    /// A TOML local date such as `2020-12-31`, checked against the calendar.
    pub fn date(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        required: bool,
    ) -> Option<At<NaiveDate>> {
        let Some(v) = self.get(key) else {
            if required {
                self.missing(key);
            }
            return None;
        };
        if let Some(i) = sink.bad_dates.iter().position(|(s, _)| *s == v.span()) {
            let (span, detail) = sink.bad_dates.remove(i);
            let text = sink.map.slice(span.clone()).to_string();
            let detail = why_not_a_date(&text).unwrap_or_else(|| {
                // "invalid date, expected day between 01 and 28": keep what was expected.
                let expected = detail.split_once(", ").map_or(detail.as_str(), |(_, d)| d);
                Message::from(expected.to_string())
            });
            let message = self
                .on_key("{what}: `{key}` is not a real date: {text} ({detail})", key)
                .with("text", text)
                .with_message("detail", detail);
            sink.error(span, message);
            return None;
        }
        let Some(dt) = v.get_ref().as_datetime() else {
            let hint = match v.get_ref().as_str() {
                Some(s) => match super::numbers::chinese_date(s) {
                    Some((date, how)) => Message::new(" (write {key} = {date}, unquoted; {how})")
                        .with("date", date)
                        .with_message("how", how.into()),
                    None => Message::new(" (write it unquoted: {key} = {s})").with("s", s),
                },
                None => Message::new(""),
            };
            let message = self
                .on_key(
                    "{what}: `{key}` must be a date such as 2020-12-31, found {found}{hint}",
                    key,
                )
                .with_message("found", v.get_ref().type_str().into())
                .with_message("hint", hint.with("key", key));
            sink.error(v.span(), message);
            return None;
        };
        let (Some(d), None) = (dt.date, dt.time) else {
            let message = self
                .on_key(
                    "{what}: `{key}` must be a date without a time, found {dt}",
                    key,
                )
                .with("dt", dt);
            sink.error(v.span(), message);
            return None;
        };
        match NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into()) {
            Some(date) => Some(At {
                value: date,
                span: v.span(),
            }),
            None => {
                let message = self
                    .on_key("{what}: `{key}` is not a real date: {d}", key)
                    .with("d", d);
                sink.error(v.span(), message);
                None
            }
        }
    }

    /// A sub-table such as `baseline = { value = 1, date = 2020-01-01 }`.
    pub fn table(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
    ) -> Option<(&'t DeTable<'i>, Range<usize>)> {
        let v = self.get(key)?;
        match v.get_ref().as_table() {
            Some(t) => Some((t, v.span())),
            None => {
                self.wrong_type(sink, key, v, "a table");
                None
            }
        }
    }

    /// An array of tables such as `[[source.fix]]`.
    pub fn tables(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
    ) -> Vec<(&'t DeTable<'i>, Range<usize>)> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        tables_of(sink, key, v)
    }

    /// Reports every key that no reader asked for, and every missing required key, except
    /// one that an unknown key is a misspelling of: `titel` reads as one mistake, not two.
    pub fn finish(self, sink: &mut Sink) {
        let mut explained = Vec::new();
        for (key, _) in self.table.iter() {
            let name = key.get_ref().as_ref();
            if !self.asked.contains(&name) {
                let closest = suggest::closest(name, self.asked.iter().copied());
                let hint = closest.map_or_else(|| Message::new(""), suggest::did_you_mean);
                explained.extend(closest);
                let message = self
                    .on_key("{what}: unknown key `{key}`{hint}", name)
                    .with_message("hint", hint);
                sink.error(key.span(), message);
            }
        }
        for key in &self.missing_keys {
            if !explained.contains(key) {
                sink.error(
                    self.span.clone(),
                    self.on_key("{what}: missing required field `{key}`", key),
                );
            }
        }
    }
}

/// Why `YYYY-MM-DD` is no day of the calendar, in words a reader of either language takes in:
/// a month beyond 12, or a day beyond its month's last. `None` for anything else, which the
/// parser's own words describe.
fn why_not_a_date(text: &str) -> Option<Message> {
    let mut parts = text.splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
    if !(1..=12).contains(&month) {
        return Some(Message::new("a year has 12 months"));
    }
    let first_of_next = match month {
        12 => NaiveDate::from_ymd_opt(year as i32 + 1, 1, 1),
        _ => NaiveDate::from_ymd_opt(year as i32, month + 1, 1),
    }?;
    let days = first_of_next.pred_opt()?.day();
    (day == 0 || day > days).then(|| {
        Message::new("{year}-{month} has {days} days")
            .with("year", year)
            .with("month", format!("{month:02}"))
            .with("days", days)
    })
}

/// The tables of an array of tables, with a hint when a single `[x]` was written for `[[x]]`.
pub fn tables_of<'t, 'i>(
    sink: &mut Sink,
    key: &str,
    v: &'t Val<'i>,
) -> Vec<(&'t DeTable<'i>, Range<usize>)> {
    match v.get_ref() {
        DeValue::Array(items) => items
            .iter()
            .filter_map(|item| match item.get_ref().as_table() {
                Some(t) => Some((t, item.span())),
                None => {
                    sink.error(
                        item.span(),
                        Message::new("`{key}` entries must be tables: write [[{key}]]")
                            .with("key", key),
                    );
                    None
                }
            })
            .collect(),
        DeValue::Table(t) => {
            sink.error(
                v.span(),
                Message::new("`{key}` must be an array of tables: write [[{key}]], not [{key}]")
                    .with("key", key),
            );
            // Still read the one table, so that references to its id do not fail as well.
            vec![(t, v.span())]
        }
        other => {
            let message = Message::new("`{key}` must be an array of tables, found {found}")
                .with("key", key)
                .with_message("found", other.type_str().into());
            sink.error(v.span(), message);
            Vec::new()
        }
    }
}

/// The spans of the empty dates the TOML parser leaves in place of values it rejected, such
/// as `2021-02-30`.
pub fn empty_dates(table: &DeTable) -> Vec<Range<usize>> {
    fn walk(v: &Val, out: &mut Vec<Range<usize>>) {
        match v.get_ref() {
            DeValue::Datetime(d) if d.date.is_none() && d.time.is_none() => out.push(v.span()),
            DeValue::Table(t) => t.values().for_each(|x| walk(x, out)),
            DeValue::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    table.values().for_each(|x| walk(x, &mut out));
    out
}

fn number_of(v: &DeValue) -> Option<f64> {
    match v {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .ok()
            .map(|n| n as f64),
        DeValue::Float(f) => f.as_str().replace('_', "").parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_impossible_date_is_explained_by_its_calendar() {
        let why = |text| why_not_a_date(text).map(|m| m.to_string());
        assert_eq!(why("2021-02-30").as_deref(), Some("2021-02 has 28 days"));
        assert_eq!(why("2024-02-30").as_deref(), Some("2024-02 has 29 days"));
        assert_eq!(why("2021-04-31").as_deref(), Some("2021-04 has 30 days"));
        assert_eq!(why("2021-12-32").as_deref(), Some("2021-12 has 31 days"));
        assert_eq!(why("2021-12-00").as_deref(), Some("2021-12 has 31 days"));
        assert_eq!(why("2021-13-01").as_deref(), Some("a year has 12 months"));
        assert_eq!(why("2021-02-28"), None);
        assert_eq!(why("2021-02"), None);
        assert_eq!(why("tomorrow"), None);
        let zh = why_not_a_date("2021-02-30").map(|m| m.text(crate::i18n::Lang::Zh));
        assert_eq!(zh.as_deref(), Some("2021 年 02 月只有 28 天"));
    }
}
