//! `plantrack fmt`: one canonical layout for plan files, so that a diff shows only real changes.
//!
//! The file is edited in place with toml_edit, which keeps every comment where the plain toml
//! crate would drop them. What becomes canonical:
//! - the keys of each table follow the order of `plan/FORMAT.md` ([`KEY_ORDER`]); a key the
//!   format does not know keeps its place among the others after the known ones;
//! - `key = value` with one space either side and no indentation; a trailing comment follows
//!   the value after one space;
//! - dates are TOML dates (`due = "2020-12-31"` becomes `due = 2020-12-31`); numbers are written
//!   plainly (`90`, not `90.0`, `+90` or `9_0`);
//! - arrays and inline tables sit on one line; an array that holds comments keeps one element
//!   a line instead, so that no comment is lost;
//! - exactly one blank line before every table header, none inside a table.
//!
//! Tables (and so measures, targets and milestones) and comments keep their order, strings keep
//! their quoting, and a byte-order mark or CRLF line endings stay as they were: those belong to
//! the editor, and a fixture may depend on them.

use toml_edit::{Array, Datetime, Decor, DocumentMut, InlineTable, Item, Table, Value};

use super::diag::{Diagnostic, Severity, SourceMap};
use super::text;
use crate::i18n::Message;

/// The canonical key order of each kind of table, as documented in `plan/FORMAT.md`. A nested
/// table is named by its path: `source.fix`, `target.baseline`.
pub const KEY_ORDER: &[(&str, &[&str])] = &[
    (
        "plan",
        &[
            "id",
            "title",
            "issuer",
            "issued",
            "issued_inferred",
            "horizon",
            "reporting_cycle",
            "supervisor",
            "units",
            "missing_measures",
            "missing_sections",
            "note",
        ],
    ),
    ("source", &["file", "strip_chunk_numbers"]),
    ("source.fix", &["from", "to", "note"]),
    (
        "section",
        &["id", "parent", "number", "title", "text", "units"],
    ),
    (
        "measure",
        &[
            "id",
            "previous_ids",
            "section",
            "number",
            "title",
            "text",
            "units",
            "lead",
            "lead_basis",
            "due",
            "note",
        ],
    ),
    (
        "target",
        &[
            "id",
            "previous_ids",
            "measure",
            "metric",
            "unit",
            "comparator",
            "value",
            "upper",
            "tolerance",
            "direction",
            "relative",
            "reported",
            "years",
            "sustained",
            "min",
            "max",
            "baseline",
            "due",
            "quote",
            "units",
            "lead",
            "lead_basis",
            "note",
        ],
    ),
    ("target.baseline", &["value", "date"]),
    (
        "milestone",
        &[
            "id",
            "previous_ids",
            "measure",
            "title",
            "due",
            "quote",
            "units",
            "lead",
            "lead_basis",
            "note",
        ],
    ),
    (
        "unit",
        &[
            "id",
            "name",
            "aliases",
            "kind",
            "members",
            "source_name",
            "note",
        ],
    ),
    (
        "assessment",
        &[
            "base",
            "reported_cycle",
            "missed_cycle",
            "met_on_time",
            "overdue",
            "met_late",
            "cooperating_share",
            "joint_in_full",
        ],
    ),
];

/// Keys whose value is a date: a string that reads as one becomes a TOML date.
const DATE_KEYS: [&str; 4] = ["issued", "horizon", "due", "date"];

/// Indentation of the elements of an array that keeps one element a line.
const INDENT: &str = "    ";

/// The file's bytes in canonical layout. A file that is not UTF-8 or not TOML is refused with
/// the diagnostics `check` would give; whether it is a valid *plan* is not checked here.
pub fn format(shown: &str, bytes: &[u8]) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let text = text::decode(shown, bytes).map_err(|d| vec![*d])?;
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        let map = SourceMap::new(shown, &text);
        let span = e.span().unwrap_or(0..0);
        let message = Message::new("TOML syntax: {why}").with("why", e.message().trim_end());
        vec![map.at(Severity::Error, span, message)]
    })?;
    format_table(doc.as_table_mut(), "");
    let trailing = trailing_lines(doc.trailing().as_str().unwrap_or_default());
    doc.set_trailing(trailing);
    let out = doc.to_string();
    let mut out = out.trim_start_matches('\n').to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(restore_encoding(bytes, out))
}

/// Puts back the byte-order mark and CRLF line endings that [`text::decode`] removed.
fn restore_encoding(original: &[u8], text: String) -> Vec<u8> {
    let bom = b"\xEF\xBB\xBF";
    let body = original.strip_prefix(bom).unwrap_or(original);
    let crlf = body.windows(2).any(|w| w == b"\r\n");
    let text = if crlf {
        text.replace('\n', "\r\n")
    } else {
        text
    };
    let mut out = Vec::with_capacity(text.len() + bom.len());
    if original.starts_with(bom) {
        out.extend_from_slice(bom);
    }
    out.extend_from_slice(text.as_bytes());
    out
}

fn key_order(kind: &str) -> &'static [&'static str] {
    KEY_ORDER
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(&[], |(_, keys)| keys)
}

/// Where a key goes: known keys by their documented place, then the others (stable sort keeps
/// them as they were), then sub-tables, whose place in the file is their own.
fn rank(order: &[&str], key: &str, item: &Item) -> usize {
    match item {
        Item::Value(_) => order.iter().position(|k| *k == key).unwrap_or(order.len()),
        _ => usize::MAX,
    }
}

fn child(kind: &str, key: &str) -> String {
    if kind.is_empty() {
        key.to_string()
    } else {
        format!("{kind}.{key}")
    }
}

fn format_table(table: &mut Table, kind: &str) {
    // `baseline.value = 80` (a dotted key) is written as `baseline = { value = 80, … }`.
    // A dotted key with a comment on it stays dotted: every comment is kept.
    let dotted: Vec<String> = table
        .iter()
        .filter(|(_, item)| {
            item.as_table()
                .is_some_and(|t| t.is_dotted() && !dotted_has_comment(t))
        })
        .map(|(k, _)| k.to_string())
        .collect();
    for key in dotted {
        if let Some(item) = table.get_mut(&key)
            && let Item::Table(t) = item
        {
            let inline = std::mem::take(t).into_inline_table();
            *item = Item::Value(Value::InlineTable(inline));
        }
    }
    let order = key_order(kind);
    table
        .sort_values_by(|k1, v1, k2, v2| rank(order, k1.get(), v1).cmp(&rank(order, k2.get(), v2)));
    for (mut key, item) in table.iter_mut() {
        let name = key.get().to_string();
        let comments = key_prefix(raw(key.leaf_decor().prefix()));
        key.fmt();
        match item {
            Item::Value(value) => {
                key.leaf_decor_mut().set_prefix(comments);
                key.leaf_decor_mut().set_suffix(" ");
                format_value(value, &child(kind, &name));
                let suffix = trailing_comment(raw(value.decor().suffix()));
                *value.decor_mut() = Decor::new(" ", suffix);
            }
            Item::Table(t) => {
                key.leaf_decor_mut().set_prefix("");
                key.leaf_decor_mut().set_suffix("");
                format_header(t);
                format_table(t, &child(kind, &name));
            }
            Item::ArrayOfTables(tables) => {
                key.leaf_decor_mut().set_prefix("");
                key.leaf_decor_mut().set_suffix("");
                for t in tables.iter_mut() {
                    format_header(t);
                    format_table(t, &child(kind, &name));
                }
            }
            Item::None => {}
        }
    }
}

/// Whether a dotted-key table carries a comment on any of its keys or values.
fn dotted_has_comment(t: &Table) -> bool {
    t.iter().any(|(k, item)| {
        let key = t.key(k);
        let on_key =
            key.is_some_and(|k| has_comment(k.leaf_decor()) || has_comment(k.dotted_decor()));
        let on_value = match item {
            Item::Value(v) => has_comment(v.decor()),
            Item::Table(inner) => dotted_has_comment(inner),
            _ => false,
        };
        on_key || on_value
    })
}

fn raw(part: Option<&toml_edit::RawString>) -> &str {
    part.and_then(|r| r.as_str()).unwrap_or_default()
}

/// The lines before and on a table's header line.
fn format_header(table: &mut Table) {
    let prefix = header_prefix(raw(table.decor().prefix()));
    let suffix = trailing_comment(raw(table.decor().suffix()));
    *table.decor_mut() = Decor::new(prefix, suffix);
}

/// Rewrites one value in canonical form; `kind` names it (`target.baseline`) for key order
/// and date keys. Its own decor is left to the caller.
fn format_value(value: &mut Value, kind: &str) {
    let decor = value.decor().clone();
    let key = kind.rsplit('.').next().unwrap_or(kind);
    let canonical = match value {
        Value::Integer(i) => Some(Value::from(*i.value())),
        Value::Float(f) => Some(plain_number(*f.value())),
        Value::Datetime(d) => Some(Value::from(*d.value())),
        Value::String(s) if DATE_KEYS.contains(&key) => date_of(s.value()).map(Value::from),
        Value::Array(a) => {
            format_array(a, kind);
            None
        }
        Value::InlineTable(t) => {
            format_inline_table(t, kind);
            None
        }
        _ => None,
    };
    if let Some(mut canonical) = canonical {
        *canonical.decor_mut() = decor;
        *value = canonical;
    }
}

/// `90.0` is written `90`; other numbers in their shortest exact form.
fn plain_number(n: f64) -> Value {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: every integer below is a float exactly
    if n.is_finite() && n.fract() == 0.0 && n.abs() < EXACT {
        Value::from(n as i64)
    } else {
        Value::from(n)
    }
}

/// A string that reads as a calendar date (`2020-12-31`), as a TOML date.
fn date_of(s: &str) -> Option<Datetime> {
    let d: Datetime = s.trim().parse().ok()?;
    (d.date.is_some() && d.time.is_none() && d.offset.is_none()).then_some(d)
}

fn has_comment(decor: &Decor) -> bool {
    raw(decor.prefix()).contains('#') || raw(decor.suffix()).contains('#')
}

fn format_array(array: &mut Array, kind: &str) {
    for v in array.iter_mut() {
        format_value(v, kind);
    }
    let commented = array.iter().any(|v| has_comment(v.decor()))
        || array.trailing().as_str().is_some_and(|t| t.contains('#'));
    if !commented {
        for (i, v) in array.iter_mut().enumerate() {
            *v.decor_mut() = Decor::new(if i == 0 { "" } else { " " }, "");
        }
        array.set_trailing_comma(false);
        array.set_trailing("");
        return;
    }
    // One element a line. A comment on the line of the element before (after its comma) is
    // stored before the next element; it stays on that line.
    for v in array.iter_mut() {
        let prefix = raw(v.decor().prefix()).to_string() + raw(v.decor().suffix());
        *v.decor_mut() = Decor::new(element_prefix(&prefix), "");
    }
    let trailing = element_prefix(array.trailing().as_str().unwrap_or_default());
    array.set_trailing_comma(true);
    array.set_trailing(trailing.trim_end_matches(' ').to_string());
}

/// What goes before an element of a one-element-a-line array: a comment left on the previous
/// line, the comment lines, then the indentation.
fn element_prefix(raw: &str) -> String {
    let mut parts = raw.split('\n');
    let first = parts.next().unwrap_or_default().trim();
    let mut out = if first.is_empty() {
        String::new()
    } else {
        format!(" {first}")
    };
    out.push('\n');
    for line in parts.map(str::trim).filter(|l| !l.is_empty()) {
        out.push_str(INDENT);
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(INDENT);
    out
}

fn format_inline_table(table: &mut InlineTable, kind: &str) {
    // TOML 1.1 lets an inline table span lines with comments; such a table is left as written.
    // A comment may sit on a value, on a key (the lines before it), or after the last entry.
    let on_key = |k: &str| {
        table
            .key(k)
            .is_some_and(|k| has_comment(k.leaf_decor()) || has_comment(k.dotted_decor()))
    };
    if table
        .iter()
        .any(|(k, v)| has_comment(v.decor()) || on_key(k))
        || table.trailing().as_str().is_some_and(|t| t.contains('#'))
    {
        return;
    }
    let order = key_order(kind);
    table.sort_values_by(|k1, _, k2, _| {
        let at = |k: &str| order.iter().position(|o| *o == k).unwrap_or(order.len());
        at(k1.get()).cmp(&at(k2.get()))
    });
    for (_, v) in table.iter_mut() {
        format_value(v, kind);
    }
    table.set_trailing_comma(false);
    table.set_trailing("");
    table.fmt();
    for (mut key, _) in table.iter_mut() {
        key.fmt();
    }
}

/// Comment lines before a key: kept, unindented; blank lines inside a table are dropped.
fn key_prefix(raw: &str) -> String {
    raw.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Comment and blank lines before a table header. A run of blank lines becomes one, and there
/// is always one, so that tables stand apart. A comment right below the previous table (no
/// blank line between) stays with it.
fn header_prefix(raw: &str) -> String {
    let mut lines: Vec<&str> = Vec::new();
    // The text after the last newline is the header's own indentation.
    if let Some((before, _)) = raw.rsplit_once('\n') {
        for line in before.split('\n').map(str::trim) {
            if !(line.is_empty() && lines.last() == Some(&"")) {
                lines.push(line);
            }
        }
    }
    if !lines.contains(&"") {
        lines.insert(0, "");
    }
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// What follows the last table: its comments, blank runs folded, no blank lines at the end.
fn trailing_lines(raw: &str) -> String {
    let mut lines: Vec<&str> = Vec::new();
    for line in raw.split('\n').map(str::trim) {
        if !(line.is_empty() && lines.last() == Some(&"")) {
            lines.push(line);
        }
    }
    while lines.last() == Some(&"") {
        lines.pop();
    }
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// A comment after a value or a header, one space after it; or nothing.
fn trailing_comment(raw: &str) -> String {
    match raw.trim() {
        "" => String::new(),
        comment => format!(" {comment}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        String::from_utf8(format("t.toml", text.as_bytes()).expect("formats")).expect("utf-8")
    }

    #[test]
    fn comments_in_inline_tables_and_on_dotted_keys_are_kept() {
        let cases = [
            "[[target]]\nid = \"T\"\nbaseline = {\n    value = 70, # from the survey\n    # closed on New Year\n    date = 2021-01-01,\n}\n",
            "[[target]]\nid = \"T\"\nbaseline.value = 70 # from the survey\n# closed on New Year\nbaseline.date = 2021-01-01 # New Year\n",
        ];
        for text in cases {
            let once = fmt(text);
            for comment in ["# from the survey", "# closed on New Year"] {
                assert!(once.contains(comment), "{comment} lost:\n{once}");
            }
            assert_eq!(fmt(&once), once, "idempotent");
        }
    }

    #[test]
    fn orders_keys_and_spaces_them() {
        let text = "[[target]]\n  value=90.0   # why\nid  =  \"T\"\n\n# about the unit\nunit = '%'\nextra = 1\nmeasure = \"M\"\n";
        assert_eq!(
            fmt(text),
            "[[target]]\nid = \"T\"\nmeasure = \"M\"\n# about the unit\nunit = '%'\nvalue = 90 # why\nextra = 1\n"
        );
    }

    #[test]
    fn dates_numbers_arrays_and_inline_tables() {
        let text = "[[target]]\nid = \"T\"\ndue = \"2020-12-31\"\nvalue = +1_000\nunits = [\n  \"a\",\n  \"b\",\n]\nbaseline = {date=2020-01-01,value=7.50}\nnote = \"2020-12-31\"\n";
        assert_eq!(
            fmt(text),
            "[[target]]\nid = \"T\"\nvalue = 1000\nbaseline = { value = 7.5, date = 2020-01-01 }\ndue = 2020-12-31\nunits = [\"a\", \"b\"]\nnote = \"2020-12-31\"\n"
        );
    }

    #[test]
    fn dotted_keys_become_an_inline_table() {
        let text = "[[target]]\nid = \"T\"\nbaseline.date = 2020-01-01\nbaseline.value = 7\n";
        assert_eq!(
            fmt(text),
            "[[target]]\nid = \"T\"\nbaseline = { value = 7, date = 2020-01-01 }\n"
        );
    }

    #[test]
    fn arrays_with_comments_keep_one_element_a_line() {
        let text = "[[measure]]\nid = \"M\"\nunits = [\"a\", # the lead\n # then\n \"b\"]\n";
        let once = fmt(text);
        assert_eq!(
            once,
            "[[measure]]\nid = \"M\"\nunits = [\n    \"a\", # the lead\n    # then\n    \"b\",\n]\n"
        );
        assert_eq!(fmt(&once), once);
    }

    #[test]
    fn one_blank_line_between_tables_and_comments_kept() {
        let text = "# head\n\n\n[plan]\nid = \"p\"\n# about p\n[[section]]\nid = \"S1\"\n# group banner\n\n\n\n  [[section]] # second\nid = \"S2\"\n\n\n# end\n\n";
        let once = fmt(text);
        assert_eq!(
            once,
            "# head\n\n[plan]\nid = \"p\"\n\n# about p\n[[section]]\nid = \"S1\"\n# group banner\n\n[[section]] # second\nid = \"S2\"\n\n# end\n"
        );
        assert_eq!(fmt(&once), once);
    }

    #[test]
    fn keeps_bom_and_crlf() {
        let text = b"\xEF\xBB\xBF[plan]\r\nid=\"p\"\r\n";
        assert_eq!(
            format("t.toml", text).unwrap(),
            b"\xEF\xBB\xBF[plan]\r\nid = \"p\"\r\n"
        );
    }

    #[test]
    fn refuses_what_is_not_toml() {
        let err = format("t.toml", b"[plan]\nid = \n").unwrap_err();
        assert_eq!((err[0].line, err[0].col), (2, 6), "{}", err[0]);
        assert!(
            err[0].message.to_string().starts_with("TOML syntax:"),
            "{}",
            err[0]
        );
    }

    /// The key order here and the tables of plan/FORMAT.md cannot drift apart.
    #[test]
    fn key_order_follows_the_format_document() {
        let doc = include_str!("../../plan/FORMAT.md");
        let mut documented: Vec<(String, Vec<String>)> = Vec::new();
        let mut current: Option<String> = None;
        let mut in_table = false;
        for line in doc.lines() {
            if let Some(key) = line
                .strip_prefix("| `")
                .and_then(|rest| rest.split('`').next())
            {
                if !in_table && let Some(name) = current.take() {
                    documented.push((name, Vec::new()));
                }
                in_table = true;
                if let Some((_, keys)) = documented.last_mut() {
                    keys.push(key.to_string());
                }
                continue;
            }
            in_table = false;
            // The last `[name]` or `[[name]]` written before a table names it.
            for part in line.split('`').skip(1).step_by(2) {
                let name = part.trim_start_matches('[').trim_end_matches(']');
                if part.starts_with('[') && !name.contains(' ') {
                    current = Some(name.to_string());
                }
            }
        }
        let inline_only = ["target.baseline"];
        for (kind, keys) in KEY_ORDER.iter().filter(|(k, _)| !inline_only.contains(k)) {
            let found = documented.iter().find(|(name, _)| name == kind);
            let Some((_, doc_keys)) = found else {
                panic!("plan/FORMAT.md documents no table [{kind}]: {documented:?}");
            };
            assert_eq!(doc_keys, keys, "key order of [{kind}]");
        }
        assert_eq!(documented.len(), KEY_ORDER.len() - inline_only.len());
    }
}
