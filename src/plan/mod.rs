//! Loading a plan file: bytes → text → TOML → items → validated [`Plan`].
//!
//! Every problem in the file is collected and returned together, each pointing at its file,
//! line and column. Downstream code only ever sees a validated plan.

mod cache;
mod diag;
mod document;
mod fields;
pub mod format;
mod numbers;
mod read;
mod source;
mod structure;
mod text;
mod validate;

use std::fmt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use cache::{PlanCache, load_cached, load_cached_item, load_cached_items, load_checked};
pub use diag::{Diagnostic, Severity, SourceMap};

use crate::i18n::{Lang, Message};
use crate::model::Plan;
use document::Parsed;
use read::RawPlan;
use toml::de::DeTable;

/// A validated plan, with its warnings and the fingerprint of the file it came from.
#[derive(Debug)]
pub struct Loaded {
    pub plan: Plan,
    pub path: PathBuf,
    /// Empty from [`load_cached`]: only `check` shows warnings ([`load_checked`]).
    pub warnings: Vec<Diagnostic>,
    /// The first 16 hex digits of the SHA-256 of the file's bytes.
    pub fingerprint: String,
    /// The source document the plan's `[source]` table names, resolved against the plan's
    /// directory; `None` when it names none.
    pub source: Option<PathBuf>,
}

/// A plan that failed to load: every diagnostic found, errors and warnings.
#[derive(Debug)]
pub struct PlanErrors(pub Vec<Diagnostic>);

impl PlanErrors {
    /// Every diagnostic, then how many errors there are, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let mut text = String::new();
        for d in &self.0 {
            text += &d.text(lang);
            text.push('\n');
        }
        let errors = self.0.iter().filter(|d| d.is_error()).count();
        let sum = Message::count("1 error in the plan", "{n} errors in the plan", errors);
        text + &sum.text(lang)
    }
}

/// In English, as logs and tests read it.
impl fmt::Display for PlanErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for PlanErrors {}

pub fn fingerprint(bytes: &[u8]) -> String {
    fingerprint_of(&Sha256::digest(bytes).into())
}

/// The fingerprint of a plan file whose bytes hash to `digest`.
fn fingerprint_of(digest: &[u8; 32]) -> String {
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The plan file's bytes, and its path as diagnostics show it.
fn read_plan(path: &Path) -> Result<(String, Vec<u8>), PlanErrors> {
    let shown = path.display().to_string();
    match crate::files::read_input(path) {
        Ok(bytes) => Ok((shown, bytes)),
        Err(e) => {
            let message =
                Message::new("cannot read the plan: {why}").with_message("why", (&e).into());
            Err(PlanErrors(vec![Diagnostic::file_level(&shown, message)]))
        }
    }
}

/// Reads and validates the plan at `path`.
pub fn load(path: &Path) -> Result<Loaded, PlanErrors> {
    let (shown, bytes) = read_plan(path)?;
    load_bytes(
        &shown,
        &bytes,
        path,
        Some(&|p: &Path| crate::files::read_input_text(p)),
    )
}

/// Reads the source document a plan names (relative to the plan's own path); `None` skips the
/// check of quotes against it, for a plan read where its source is out of reach.
pub type ReadSource<'a> = Option<&'a dyn Fn(&Path) -> std::io::Result<String>>;

/// Validates a plan's bytes that did not come from a file of their own (a git revision, a
/// copy in a temporary file). `shown` names it in diagnostics; `path` locates the source.
pub fn load_bytes(
    shown: &str,
    bytes: &[u8],
    path: &Path,
    read_source: ReadSource,
) -> Result<Loaded, PlanErrors> {
    load_digested(
        shown,
        bytes,
        &Sha256::digest(bytes).into(),
        path,
        read_source,
    )
}

/// [`load_bytes`] for bytes whose SHA-256 the caller has taken (a province's plan is 24 MB).
fn load_digested(
    shown: &str,
    bytes: &[u8],
    digest: &[u8; 32],
    path: &Path,
    read_source: ReadSource,
) -> Result<Loaded, PlanErrors> {
    let text = text::decode(shown, bytes).map_err(|d| PlanErrors(vec![*d]))?;
    let map = SourceMap::new(shown, &text);
    let mut sink = fields::Sink::new(&map);
    let plan = parse(&text, path, read_source, &mut sink);
    let mut diags = sink.diags;
    diags.sort_by_key(|d| (d.line, d.col));
    match plan {
        Some((plan, source)) if !diags.iter().any(Diagnostic::is_error) => Ok(Loaded {
            plan,
            path: path.to_path_buf(),
            warnings: diags,
            fingerprint: fingerprint_of(digest),
            source,
        }),
        _ => Err(PlanErrors(diags)),
    }
}

/// What a Chinese user most likely meant on the line of a syntax error: ASCII for full-width
/// punctuation, a TOML date for a date written in Chinese.
fn syntax_hint(text: &str, span: &std::ops::Range<usize>) -> Message {
    let start = text[..span.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = &text[start..end];
    let found: Vec<String> = numbers::FULL_WIDTH
        .iter()
        .filter(|(c, _)| line.contains(*c))
        .map(|(c, ascii)| format!("{c} → {ascii}"))
        .collect();
    if !found.is_empty() {
        return Message::new(
            "; the line holds full-width punctuation, which TOML reads only in ASCII: {found}",
        )
        .with("found", found.join(", "));
    }
    let value = line
        .split_once('=')
        .map(|(_, v)| v.trim())
        .unwrap_or_default();
    let value = value.split(" #").next().unwrap_or(value).trim();
    match numbers::chinese_date(value) {
        Some((date, how)) => Message::new("; write {date} ({how})")
            .with("date", date)
            .with_message("how", how.into()),
        None => Message::new(""),
    }
}

/// Reads a document parsed whole; `None` after a syntax error that leaves it unreliable.
fn read_whole(text: &str, (doc, syntax): Parsed, sink: &mut fields::Sink) -> Option<RawPlan> {
    let message = |e: &toml::de::Error| e.message().trim_end().to_string();
    // The parser rejects an impossible date such as 2021-02-30 as a syntax error, yet recovers
    // the rest of the document intact, with an empty date in its place. Then the date field can
    // name its item and the rest of the file is still checked. After any other syntax error the
    // recovered document is unreliable, so checking stops there.
    let empty_dates = fields::empty_dates(doc.get_ref());
    if syntax
        .iter()
        .any(|e| e.span().is_none_or(|s| !empty_dates.contains(&s)))
    {
        for e in &syntax {
            let span = e.span().unwrap_or(0..0);
            let hint = syntax_hint(text, &span);
            let syntax = Message::new("TOML syntax: {why}{hint}").with("why", message(e));
            sink.error(span, syntax.with_message("hint", hint));
        }
        return None;
    }
    sink.bad_dates = syntax
        .iter()
        .map(|e| (e.span().unwrap_or(0..0), message(e)))
        .collect();
    Some(read::read(doc.get_ref(), doc.span(), sink))
}

/// Parses already-decoded text; `path` locates the source document, whose path is returned
/// with the plan.
fn parse(
    text: &str,
    path: &Path,
    read_source: ReadSource,
    sink: &mut fields::Sink,
) -> Option<(Plan, Option<PathBuf>)> {
    let raw = match read::read_in_parts(text, document::parts_for(text.len()), sink) {
        Some(raw) => raw,
        None => read_whole(text, DeTable::parse_recoverable(text), sink)?,
    };
    checked(raw, path, read_source, sink)
}

/// The plan as read, once validated.
fn checked(
    raw: RawPlan,
    path: &Path,
    read_source: ReadSource,
    sink: &mut fields::Sink,
) -> Option<(Plan, Option<PathBuf>)> {
    let source_path = raw
        .source
        .as_ref()
        .and_then(|spec| source::path(spec, path));
    let source = raw
        .source
        .as_ref()
        .and_then(|spec| source::load(spec, path, read_source?, sink));
    let plan = validate::validate(raw, source.as_deref(), sink);
    // An impossible date where no date belongs: no date field reported it.
    for (span, message) in std::mem::take(&mut sink.bad_dates) {
        sink.error(
            span,
            Message::new("TOML syntax: {why}").with("why", message),
        );
    }
    plan.map(|plan| (plan, source_path))
}

/// The example plan `examples/plans/{name}.toml`, for unit tests.
#[cfg(test)]
pub fn example(name: &str) -> Plan {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("examples/plans/{name}.toml"));
    match load(&path) {
        Ok(loaded) => loaded.plan,
        Err(e) => panic!("{e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan and every diagnostic, from `text` parsed whole (one part), or in `parts`.
    fn outcome(text: &str, parts: usize) -> String {
        let map = SourceMap::new("p.toml", text);
        let mut sink = fields::Sink::new(&map);
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/plans/p.toml");
        let raw = match parts {
            1 => read_whole(text, DeTable::parse_recoverable(text), &mut sink).unwrap(),
            n => read::read_in_parts(text, n, &mut sink).expect("the parts join"),
        };
        let read: &dyn Fn(&Path) -> std::io::Result<String> = &|p| std::fs::read_to_string(p);
        let plan = checked(raw, &dir, Some(read), &mut sink);
        // Every part but the lookup index, a hash map whose order differs from run to run.
        let parts = plan.map(|(p, _)| {
            let parts = (&p.meta, &p.sections, &p.measures, &p.targets, &p.milestones);
            format!("{parts:#?}{:#?}{:#?}", p.units, p.assessment)
        });
        format!("{parts:#?}\n{:#?}", sink.diags)
    }

    /// The words a diagnostic is made of at run time, which the coverage test of templates
    /// cannot see: what a table is, what a value should be and is, what a quote's wording
    /// means, how a Chinese date is written.
    #[test]
    fn words_put_into_diagnostics_at_run_time_are_translated() {
        let kinds = ["plan", "section", "measure", "target", "milestone", "unit"];
        let tables = ["source", "source fix", "assessment"];
        let expected = [
            "a string",
            "a number",
            "true or false",
            "an array of strings",
            "an array of years, e.g. [2021, 2022]",
            "a table",
        ];
        let found = [
            "string", "integer", "float", "boolean", "datetime", "array", "table",
        ];
        let meanings = read::WORDING.iter().map(|(_, _, meaning)| *meaning);
        let hows = ["2022年底", "2021年6月底", "2021年6月30日"].map(|date| {
            numbers::chinese_date(date)
                .map(|(_, how)| how)
                .unwrap_or(date)
        });
        let words = kinds.into_iter().chain(tables).chain(expected).chain(found);
        for word in words.chain(meanings).chain(hows) {
            assert!(
                Lang::Zh.t_or_none(word).is_some(),
                "no Chinese for {word:?}"
            );
        }
    }

    #[test]
    fn a_plan_read_in_parts_is_the_plan_read_whole() {
        for name in ["districts", "judging", "minimal"] {
            let path = format!("{}/examples/plans/{name}.toml", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(path).unwrap();
            // Problems in the first part and the last: an unknown table first; a duplicate id,
            // an unknown field, a deadline past the horizon, unknown references, a quote not
            // in the source and a value the quote does not state last.
            let broken = format!(
                "[nonsense]\nx = 1\n{text}\n[[measure]]\nid = \"M1\"\ntitel = \"?\"\n\
                 [[milestone]]\nid = \"MS-late\"\nmeasure = \"M-nowhere\"\ntitle = \"?\"\n\
                 due = 2099-12-31\nunits = [\"nobody\"]\nquote = \"不在原文中\"\n\
                 [[target]]\nid = \"T-late\"\nmeasure = \"M-nowhere\"\nmetric = \"m\"\n\
                 unit = \"%\"\ncomparator = \"at_least\"\nvalue = 50\nquote = \"不在原文中\"\n"
            );
            for text in [text.as_str(), &broken] {
                let read_whole = outcome(text, 1);
                assert_eq!(text == broken, read_whole.contains("nonsense"), "{name}");
                let sourced = text.contains("[source]");
                let expected = ["after the plan horizon", "nobody", "M-nowhere", "verbatim"];
                for says in expected.into_iter().take(if sourced { 4 } else { 3 }) {
                    let found = read_whole.contains(says);
                    assert_eq!(found, text == broken, "{name}: {says}: {read_whole}");
                }
                for parts in [2, 3, 7, 1000] {
                    assert_eq!(outcome(text, parts), read_whole, "{name} in {parts} parts");
                }
            }
        }
    }
}
