//! The plan file's TOML, parsed into a document whose every value keeps its span: on two
//! cores when the file is large.
//!
//! The TOML parser reads about 25 MB a second, so a province's plan of 24 MB spent most of
//! the first `check` after an edit in it. A large file is cut at a `[[measure]]`-style header
//! near its middle, and the halves are parsed at once. The second half is parsed behind as
//! many spaces as the first half has bytes (indentation, to TOML), so its spans are the whole
//! file's.
//!
//! The halves are joined only into the document that the whole file parses to:
//! - neither half has a syntax error; a cut inside a multi-line string or an open bracket
//!   leaves the first half unterminated, which is one;
//! - the halves share no top-level key but arrays of tables that both extend with `[[key]]`
//!   headers, which the join concatenates; a `[plan]` in both halves, a `[key.sub]` that
//!   continues an element of the first half, or an inline array a header extends is not
//!   joined.
//!
//! Anything else parses the whole file again on one core, so that a broken file's errors are
//! always the parser's own.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue, Error};

/// Files from this size are parsed on two cores; below it a thread costs more than it saves.
pub const TWO_CORES_FROM: usize = 1 << 20;

/// A parsed document with the parser's errors (with recovery, as [`DeTable::parse_recoverable`]).
pub type Parsed<'i> = (Spanned<DeTable<'i>>, Vec<Error>);

/// A plan file's document.
pub enum Document<'i> {
    /// Parsed whole, with the parser's errors.
    Whole(Parsed<'i>),
    /// Parsed in two halves without an error, which together are the whole file's document:
    /// the second's arrays of tables continue the first's.
    Halves(DeTable<'i>, DeTable<'i>),
}

/// Parses `text`, in halves from `two_cores_from` bytes ([`TWO_CORES_FROM`] but in tests);
/// `tail` is storage for the second half's padded copy, which the document borrows from.
pub fn parse<'i>(text: &'i str, tail: &'i mut String, two_cores_from: usize) -> Document<'i> {
    let cut = (text.len() >= two_cores_from)
        .then(|| cut_near(text, text.len() / 2))
        .flatten();
    match cut {
        Some(cut) => parse_cut(text, cut, tail),
        None => Document::Whole(DeTable::parse_recoverable(text)),
    }
}

/// Parses `text` as two halves cut at byte `cut` (the start of a line), or whole when the
/// halves are not the whole file's document.
fn parse_cut<'i>(text: &'i str, cut: usize, tail: &'i mut String) -> Document<'i> {
    *tail = " ".repeat(cut) + &text[cut..];
    let tail: &'i String = tail;
    let (head, rest) = crate::join(
        || DeTable::parse_recoverable(&text[..cut]),
        || DeTable::parse_recoverable(tail),
    );
    let halves = match (head, rest) {
        ((head, e1), (rest, e2))
            if e1.is_empty()
                && e2.is_empty()
                && continues(head.get_ref(), rest.get_ref(), text) =>
        {
            Some(Document::Halves(head.into_inner(), rest.into_inner()))
        }
        // The halves are let go of here, before the whole file is parsed.
        _ => None,
    };
    halves.unwrap_or_else(|| Document::Whole(DeTable::parse_recoverable(text)))
}

/// The start of the first line at or after `from` that is a plain `[[key]]` header.
fn cut_near(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    loop {
        let line = at + memchr_newline(&bytes[at.min(bytes.len())..])? + 1;
        let end = line + memchr_newline(&bytes[line..]).unwrap_or(bytes.len() - line);
        if is_array_header(&text[line..end]) {
            return Some(line);
        }
        at = line;
    }
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

/// `[[key]]` with a bare key, alone on its line but for a comment.
fn is_array_header(line: &str) -> bool {
    let line = line.split('#').next().unwrap_or(line).trim_end();
    line.strip_prefix("[[")
        .and_then(|l| l.strip_suffix("]]"))
        .is_some_and(|key| {
            !key.is_empty()
                && key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        })
}

/// Whether `rest` continues `head` as the whole file would: the only keys both have are
/// arrays of tables that both extend with headers.
fn continues(head: &DeTable, rest: &DeTable, text: &str) -> bool {
    rest.iter().all(|(key, value)| {
        head.get(key.get_ref().as_ref())
            .is_none_or(|have| of_headers(have, text) && of_headers(value, text))
    })
}

/// The halves as one document, the second's arrays of tables after the first's.
#[cfg(test)]
fn joined<'i>(head: DeTable<'i>, rest: DeTable<'i>) -> DeTable<'i> {
    let mut head = head;
    for (key, value) in rest {
        match head.get_mut(key.get_ref().as_ref()).map(Spanned::get_mut) {
            Some(DeValue::Array(have)) => {
                if let DeValue::Array(more) = value.into_inner() {
                    more.into_iter().for_each(|item| have.push(item));
                }
            }
            _ => {
                head.insert(key, value);
            }
        }
    }
    head
}

/// Whether `value` is an array of tables made by `[[key]]` headers: its tables' spans are
/// their headers, where an inline table's is its braces.
fn of_headers(value: &Spanned<DeValue>, text: &str) -> bool {
    let starts_header = |span: Range<usize>| text.get(span).is_some_and(|s| s.starts_with("[["));
    match value.get_ref() {
        DeValue::Array(items) => items
            .first()
            .is_some_and(|t| t.get_ref().is_table() && starts_header(t.span())),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write;

    use super::*;

    /// Every value with its span, and every key with its span, in document order.
    fn spelled(doc: &Parsed) -> String {
        fn value(out: &mut String, v: &Spanned<DeValue>) {
            let _ = write!(out, "@{:?}", v.span());
            match v.get_ref() {
                DeValue::Table(t) => table(out, t),
                DeValue::Array(items) => {
                    out.push('[');
                    for item in items.iter() {
                        value(out, item);
                        out.push(',');
                    }
                    out.push(']');
                }
                other => {
                    let _ = write!(out, "{other:?}");
                }
            }
        }
        fn table(out: &mut String, t: &DeTable) {
            out.push('{');
            for (k, v) in t {
                let _ = write!(out, "{:?}@{:?}=", k.get_ref(), k.span());
                value(out, v);
                out.push(';');
            }
            out.push('}');
        }
        let mut out = format!("{:?} errors: ", doc.0.span());
        for e in &doc.1 {
            let _ = write!(out, "{:?} {:?}; ", e.span(), e.message());
        }
        value(
            &mut out,
            &Spanned::new(doc.0.span(), DeValue::Table(doc.0.get_ref().clone())),
        );
        out
    }

    fn whole(text: &str) -> String {
        spelled(&DeTable::parse_recoverable(text))
    }

    fn cut_at(text: &str, cut: usize) -> String {
        let mut tail = String::new();
        match parse_cut(text, cut, &mut tail) {
            Document::Whole(parsed) => spelled(&parsed),
            Document::Halves(head, rest) => {
                spelled(&(Spanned::new(0..0, joined(head, rest)), Vec::new()))
            }
        }
    }

    /// Every line start that `cut_near` would pick.
    fn cuts(text: &str) -> Vec<usize> {
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(cut) = cut_near(text, from) {
            found.push(cut);
            from = cut;
        }
        found
    }

    #[test]
    fn every_cut_of_the_example_plans_joins_into_the_whole_files_document() {
        for name in ["districts", "judging", "minimal"] {
            let path = format!("{}/examples/plans/{name}.toml", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(path).unwrap();
            let expected = whole(&text);
            let cuts = cuts(&text);
            assert!(cuts.len() > 3, "{name}: {cuts:?}");
            for cut in cuts {
                assert_eq!(cut_at(&text, cut), expected, "{name} cut at byte {cut}");
            }
        }
    }

    #[test]
    fn the_shipped_plan_joins_at_every_cut() {
        let dir = format!("{}/plan", env!("CARGO_MANIFEST_DIR"));
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path).unwrap();
                let expected = whole(&text);
                for cut in cuts(&text) {
                    assert_eq!(cut_at(&text, cut), expected, "{path:?} cut at {cut}");
                }
            }
        }
    }

    #[test]
    fn halves_that_do_not_join_are_parsed_whole() {
        let cases = [
            // The cut is inside a multi-line string.
            "[plan]\nnote = \"\"\"\n[[measure]]\nid = \"M1\"\n\"\"\"\n",
            // A table in both halves: a duplicate the whole file reports.
            "[plan]\nid = \"a\"\n[[measure]]\nid = \"M1\"\n[plan]\nid = \"b\"\n",
            // An inline array that a header in the second half extends.
            "measure = [{ id = \"M0\" }]\n[[measure]]\nid = \"M1\"\n",
            // A sub-table of the first half's last element.
            "[[measure]]\nid = \"M1\"\n[[unit]]\nid = \"u\"\n[measure.extra]\nx = 1\n",
            // An array of arrays written inline.
            "measure = [[1]]\n[[measure]]\nid = \"M1\"\n",
            // A syntax error in the second half.
            "[[measure]]\nid = \"M1\"\n[[measure]]\nid = = 2\n",
        ];
        for text in cases {
            let expected = whole(text);
            for cut in cuts(text) {
                assert_eq!(cut_at(text, cut), expected, "{text:?} cut at {cut}");
            }
        }
        assert!(whole(cases[1]).contains("duplicate"), "{}", whole(cases[1]));
    }

    #[test]
    fn a_cut_is_at_a_plain_array_header() {
        let text = "[plan]\n[[measure.sub]]\n[measure]\n  [[target]] # t\n[[target]] # t\n";
        assert_eq!(cuts(text), [text.rfind("[[target]] #").unwrap()]);
        assert_eq!(
            cut_near("[[a]]\n", 0),
            None,
            "the first line has no newline before it"
        );
    }
}
