//! The plan file's TOML, parsed into documents whose every value keeps its span: in parts, on
//! two cores, when the file is large.
//!
//! The TOML parser reads about 25 MB a second, and holds a file's tokens and events (ten
//! times its size) until its document is built: a province's plan of 24 MB spent most of the
//! first `check` after an edit parsing, and peaked at 600 MiB. A large file is cut at
//! `[[measure]]`-style headers into parts of about a megabyte ([`PART_BYTES`]). The two cores
//! take the parts in turn; each part is parsed on its own, read into plan items at once, and
//! let go of before the core takes the next. A part's spans count from its own start; the
//! reader is told where that is.
//!
//! The parts are used only where they make the document that the whole file parses to:
//! - no part has a syntax error; a cut inside a multi-line string or an open bracket leaves
//!   a part unterminated, which is one;
//! - no two parts share a top-level key but arrays of tables that both extend with `[[key]]`
//!   headers, which follow one another in file order; a `[plan]` in two parts, a
//!   `[key.sub]` that continues an element of an earlier part, or an inline array a header
//!   extends is not joined.
//!
//! Anything else parses the whole file on one core, so that a broken file's errors are
//! always the parser's own.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use toml::Spanned;
use toml::de::{DeTable, DeValue, Error};

/// Files from this size are parsed in parts on two cores; below it a thread costs more than it
/// saves.
pub const PARTS_FROM: usize = 1 << 20;

/// About how large a part is.
pub const PART_BYTES: usize = 1 << 20;

/// A parsed document with the parser's errors (with recovery, as [`DeTable::parse_recoverable`]).
pub type Parsed<'i> = (Spanned<DeTable<'i>>, Vec<Error>);

/// How many parts a file of `len` bytes is parsed in: one below [`PARTS_FROM`].
pub fn parts_for(len: usize) -> usize {
    match len < PARTS_FROM {
        true => 1,
        false => (len / PART_BYTES).max(2),
    }
}

/// What `read` makes of each part of `text`, in file order, when the file is cut into about
/// `parts` parts ([`parts_for`] but in tests) and the parts make the whole file's document;
/// `None` otherwise (or when there is only one part), for the caller to parse the whole file.
/// Only the arrays of tables named in `arrays` may go on from one part to the next: any other
/// key in two parts (an unknown `[[measures]]` among them) would be read, and reported, once a
/// part.
///
/// `read` is given a part's document and the byte where the part starts in `text`, from
/// which the document's spans count. It runs on both cores, each taking the next part when it
/// is done with one; the part's document is let go of as soon as it is read.
pub fn in_parts<R: Send>(
    text: &str,
    parts: usize,
    arrays: &[&str],
    read: impl Fn(&DeTable, usize) -> R + Sync,
) -> Option<Vec<R>> {
    let cuts = cuts(text, parts);
    if cuts.len() < 3 {
        return None;
    }
    let next = AtomicUsize::new(0);
    let broken = AtomicBool::new(false);
    let work = || {
        let mut done = Vec::new();
        while !broken.load(Ordering::Relaxed) {
            let k = next.fetch_add(1, Ordering::Relaxed);
            let Some(&[start, end]) = cuts.get(k..k + 2) else {
                break;
            };
            let part = &text[start..end];
            let (doc, errors) = DeTable::parse_recoverable(part);
            if !errors.is_empty() {
                broken.store(true, Ordering::Relaxed);
                break;
            }
            done.push((k, keys(doc.get_ref(), part), read(doc.get_ref(), start)));
        }
        done
    };
    let (mine, theirs) = crate::join(work, work);
    if broken.load(Ordering::Relaxed) {
        return None;
    }
    let mut done: Vec<_> = mine.into_iter().chain(theirs).collect();
    done.sort_unstable_by_key(|(k, ..)| *k);
    follow_one_another(done.iter().map(|(_, keys, _)| keys), arrays)
        .then(|| done.into_iter().map(|(.., read)| read).collect())
}

/// The start of each part of `text` cut into about `parts` parts at `[[key]]` headers, and
/// its end: `0`, the cuts in order, `text.len()`.
fn cuts(text: &str, parts: usize) -> Vec<usize> {
    let mut cuts = vec![0];
    let mut last = 0;
    for k in 1..parts {
        match cut_near(text, (text.len() / parts * k).max(last)) {
            Some(cut) if cut > last => {
                cuts.push(cut);
                last = cut;
            }
            Some(_) => {}
            None => break,
        }
    }
    cuts.push(text.len());
    cuts
}

/// The start of the first line after `from` that is a plain `[[key]]` header.
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

/// A part's top-level keys, each with whether it is an array of tables made by `[[key]]`
/// headers in `part`, the text the document was parsed from.
type Keys = Vec<(String, bool)>;

fn keys(doc: &DeTable, part: &str) -> Keys {
    doc.iter()
        .map(|(key, value)| (key.get_ref().to_string(), of_headers(value, part)))
        .collect()
}

/// Whether parts with these keys, in this order, make one document as the whole file would:
/// a key an earlier part has is one of `arrays`, and in both an array of tables that headers
/// extend.
fn follow_one_another<'k>(parts: impl Iterator<Item = &'k Keys>, arrays: &[&str]) -> bool {
    let mut seen: HashMap<&str, bool> = HashMap::new();
    for keys in parts {
        for (key, headers) in keys {
            let goes_on = |before: bool| before && *headers && arrays.contains(&key.as_str());
            match seen.get(key.as_str()) {
                Some(&before) if !goes_on(before) => return false,
                Some(_) => {}
                None => {
                    seen.insert(key, *headers);
                }
            }
        }
    }
    true
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

    /// Every key and value of `doc` with its span counted from `offset`, a line each: the same
    /// lines, sorted, whether a document is read whole or in parts, when the parts make it.
    /// A top-level array of tables is spelled by its elements alone, as parts hold some each.
    fn spelled(doc: &DeTable, offset: usize) -> Vec<String> {
        fn value(out: &mut Vec<String>, path: &str, v: &Spanned<DeValue>, offset: usize) {
            let span = v.span();
            let at = format!("{path}@{:?}", span.start + offset..span.end + offset);
            match v.get_ref() {
                DeValue::Table(t) => {
                    out.push(at);
                    table(out, path, t, offset);
                }
                DeValue::Array(items) => {
                    out.push(at);
                    for item in items.iter() {
                        value(out, &format!("{path}[]"), item, offset);
                    }
                }
                other => out.push(format!("{at}={other:?}")),
            }
        }
        fn table(out: &mut Vec<String>, path: &str, t: &DeTable, offset: usize) {
            for (k, v) in t {
                let key = format!("{path}.{}", k.get_ref());
                if let (true, DeValue::Array(items)) = (path.is_empty(), v.get_ref()) {
                    for item in items.iter() {
                        value(out, &format!("{key}[]"), item, offset);
                    }
                    continue;
                }
                let span = k.span();
                out.push(format!(
                    "{key}#{:?}",
                    span.start + offset..span.end + offset
                ));
                value(out, &key, v, offset);
            }
        }
        let mut out = Vec::new();
        table(&mut out, "", doc, offset);
        out
    }

    fn whole(text: &str) -> Vec<String> {
        let mut lines = spelled(DeTable::parse_recoverable(text).0.get_ref(), 0);
        lines.sort();
        lines
    }

    /// What the parts of `text` spell, when they make the whole file's document.
    fn parted(text: &str, parts: usize) -> Option<Vec<String>> {
        let arrays = ["measure", "target", "unit", "section", "milestone"];
        let mut lines: Vec<String> = in_parts(text, parts, &arrays, spelled)?.concat();
        lines.sort();
        Some(lines)
    }

    /// Every plain `[[key]]` header's line start.
    fn headers(text: &str) -> Vec<usize> {
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(cut) = cut_near(text, from) {
            found.push(cut);
            from = cut;
        }
        found
    }

    /// Every example plan and the shipped plan, in any number of parts, is the whole file's
    /// document, span for span.
    #[test]
    fn the_parts_of_the_plans_make_the_whole_files_document() {
        let examples = ["districts", "judging", "minimal"]
            .map(|name| format!("{}/examples/plans/{name}.toml", env!("CARGO_MANIFEST_DIR")));
        let shipped = format!("{}/plan/regional.toml", env!("CARGO_MANIFEST_DIR"));
        for path in examples.iter().chain([&shipped]) {
            let text = std::fs::read_to_string(path).unwrap();
            let expected = whole(&text);
            let headers = headers(&text).len();
            assert!(headers > 3, "{path}: {headers} headers");
            for parts in (2..=headers + 1).chain([1000]) {
                let got = parted(&text, parts).unwrap_or_else(|| panic!("{path}: {parts}"));
                assert_eq!(got.len(), expected.len(), "{path} in {parts} parts");
                assert_eq!(got, expected, "{path} in {parts} parts");
            }
        }
    }

    #[test]
    fn parts_that_do_not_make_the_whole_document_are_refused() {
        let cases = [
            // The cut is inside a multi-line string.
            "[plan]\nnote = \"\"\"\n[[measure]]\nid = \"M1\"\n\"\"\"\n",
            // A table in two parts: a duplicate the whole file reports.
            "[plan]\nid = \"a\"\n[[measure]]\nid = \"M1\"\n[plan]\nid = \"b\"\n",
            // An inline array that a header in a later part extends.
            "measure = [{ id = \"M0\" }]\n[[measure]]\nid = \"M1\"\n",
            // A sub-table of an earlier part's last element.
            "[[measure]]\nid = \"M1\"\n[[unit]]\nid = \"u\"\n[measure.extra]\nx = 1\n",
            // An array of tables within an earlier part's last element.
            "[[measure]]\nid = \"M1\"\n[[unit]]\nid = \"u\"\n[[measure.sub]]\nx = 1\n",
            // An array of arrays written inline.
            "measure = [[1]]\n[[measure]]\nid = \"M1\"\n",
            // A syntax error in the last part.
            "[[measure]]\nid = \"M1\"\n[[measure]]\nid = = 2\n",
            // An array of tables the plan does not have, in two parts: one error, not two.
            "[[measures]]\nid = \"M1\"\n[[measure]]\nid = \"M2\"\n[[measures]]\nid = \"M3\"\n",
        ];
        for text in cases {
            for parts in 2..=6 {
                assert_eq!(parted(text, parts), None, "{text:?} in {parts} parts");
            }
        }
        let duplicate = DeTable::parse_recoverable(cases[1]).1;
        assert!(
            format!("{duplicate:?}").contains("duplicate"),
            "{duplicate:?}"
        );
    }

    #[test]
    fn a_cut_is_at_a_plain_array_header() {
        let text = "[plan]\n[[measure.sub]]\n[measure]\n  [[target]] # t\n[[target]] # t\n";
        assert_eq!(headers(text), [text.rfind("[[target]] #").unwrap()]);
        assert_eq!(
            cut_near("[[a]]\n", 0),
            None,
            "the first line has no newline before it"
        );
        let mut text = String::new();
        for k in 0..100 {
            let _ = write!(text, "[[measure]]\nid = \"M{k}\"\n");
        }
        let cuts = cuts(&text, 7);
        assert_eq!(cuts.len(), 8, "{cuts:?}");
        assert!(cuts.windows(2).all(|w| w[0] < w[1]), "{cuts:?}");
        assert_eq!((cuts[0], cuts[7]), (0, text.len()));
    }
}
