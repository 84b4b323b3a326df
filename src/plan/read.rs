//! The first pass: TOML tables → plan items, each with the spans of its id, its dates and its
//! references, for the second pass ([`super::validate`]) to check. Missing or mistyped fields
//! are reported here and replaced by empty values, so that one run finds every problem.

use std::ops::Range;

use chrono::NaiveDate;
use toml::de::DeTable;

use super::fields::{At, Fields, Sink, tables_of};
use crate::model::*;
use crate::suggest;

/// What a reference points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    Unit,
    Section,
    Measure,
}

#[derive(Clone, Debug)]
pub struct Ref {
    pub kind: RefKind,
    pub id: String,
    pub span: Range<usize>,
}

/// One item as read, with what the validator needs to point at.
#[derive(Debug)]
pub struct Read<T> {
    pub item: T,
    pub what: String,
    pub id_span: Range<usize>,
    pub refs: Vec<Ref>,
    pub due: Option<At<NaiveDate>>,
    pub quotes: Vec<At<String>>,
    /// Whether `units` were given; otherwise they default to the measure's.
    pub has_units: bool,
}

#[derive(Debug)]
pub struct SourceSpec {
    pub file: At<String>,
    pub strip_chunk_numbers: bool,
    pub fixes: Vec<(At<String>, String)>,
}

/// The whole file as read.
#[derive(Default, Debug)]
pub struct RawPlan {
    pub meta: Option<Read<PlanMeta>>,
    pub source: Option<SourceSpec>,
    pub sections: Vec<Read<Section>>,
    pub measures: Vec<Read<Measure>>,
    pub targets: Vec<Read<Target>>,
    pub milestones: Vec<Read<Milestone>>,
    pub units: Vec<Read<Unit>>,
    pub assessment: Option<Assessment>,
}

const TOP_KEYS: [&str; 8] = [
    "plan",
    "source",
    "assessment",
    "section",
    "measure",
    "target",
    "milestone",
    "unit",
];

pub fn read(doc: &DeTable, doc_span: Range<usize>, sink: &mut Sink) -> RawPlan {
    let mut raw = RawPlan::default();
    let mut has_plan_key = false;
    for (key, value) in doc.iter() {
        let name = key.get_ref().as_ref();
        has_plan_key |= name == "plan";
        match name {
            "plan" | "source" | "assessment" => match value.get_ref().as_table() {
                Some(t) if name == "plan" => raw.meta = Some(read_meta(t, value.span(), sink)),
                Some(t) if name == "assessment" => {
                    raw.assessment = Some(read_assessment(t, value.span(), sink))
                }
                Some(t) => raw.source = Some(read_source(t, value.span(), sink)),
                None => sink.error(
                    value.span(),
                    format!("`{name}` must be a table: write [{name}]"),
                ),
            },
            "section" => raw.sections = each(sink, name, value, read_section),
            "measure" => raw.measures = each(sink, name, value, read_measure),
            "target" => raw.targets = each(sink, name, value, read_target),
            "milestone" => raw.milestones = each(sink, name, value, read_milestone),
            "unit" => raw.units = each(sink, name, value, read_unit),
            other => {
                let hint = suggest::hint(other, TOP_KEYS);
                sink.error(key.span(), format!("unknown table `{other}`{hint}"));
            }
        }
    }
    // A `plan` that is not a table has been reported above; "missing" would repeat it.
    if raw.meta.is_none() && !has_plan_key {
        sink.error(doc_span.start..doc_span.start, "missing the [plan] table");
    }
    raw
}

fn each<T>(
    sink: &mut Sink,
    key: &str,
    value: &super::fields::Val,
    reader: fn(&DeTable, Range<usize>, &mut Sink) -> Read<T>,
) -> Vec<Read<T>> {
    tables_of(sink, key, value)
        .into_iter()
        .map(|(t, span)| reader(t, span, sink))
        .collect()
}

/// Reads the `id` first, so that every later message can name the item.
fn start<'t, 'i>(
    table: &'t DeTable<'i>,
    span: Range<usize>,
    kind: &str,
    sink: &mut Sink,
) -> (Fields<'t, 'i>, String, Range<usize>) {
    let mut f = Fields::new(table, span.clone(), format!("{kind} (no id)"));
    let id = f.string(sink, "id", true);
    let (id, id_span) = id.map_or((String::new(), span), |a| (a.value, a.span));
    if !id.is_empty() {
        f.what = format!("{kind} {id}");
        if id
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == ',')
        {
            sink.error(
                id_span.clone(),
                format!("{kind} {id:?}: an id must not contain spaces, quotes or commas"),
            );
        }
    }
    (f, id, id_span)
}

fn text(f: &mut Fields, sink: &mut Sink, key: &'static str) -> String {
    f.string(sink, key, true)
        .map(|a| a.value)
        .unwrap_or_default()
}

fn opt_text(f: &mut Fields, sink: &mut Sink, key: &'static str) -> Option<String> {
    f.string(sink, key, false).map(|a| a.value)
}

/// Reads an enum field with its single string mapping; reports the choices when it is wrong.
fn choice<T: Copy>(
    f: &mut Fields,
    sink: &mut Sink,
    key: &'static str,
    parse: fn(&str) -> Option<T>,
    choices: &[&str],
) -> Option<T> {
    let s = f.string(sink, key, true)?;
    let parsed = parse(&s.value);
    if parsed.is_none() {
        let hint = suggest::hint(&s.value, choices.iter().copied());
        sink.error(
            s.span,
            format!(
                "{}: unknown {key} \"{}\"{hint}; expected one of: {}",
                f.what,
                s.value,
                choices.join(", ")
            ),
        );
    }
    parsed
}

fn refs(list: &[At<String>], kind: RefKind) -> Vec<Ref> {
    list.iter()
        .map(|a| Ref {
            kind,
            id: a.value.clone(),
            span: a.span.clone(),
        })
        .collect()
}

fn values<T: From<String>>(list: &[At<String>]) -> Vec<T> {
    list.iter().map(|a| T::from(a.value.clone())).collect()
}

macro_rules! from_string {
    ($($t:ty),*) => {$(impl From<String> for $t { fn from(s: String) -> Self { Self(s) } })*};
}
from_string!(ItemId, UnitId, SectionId);

fn enum_names<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| name(*v)).collect()
}

fn read_meta(t: &DeTable, span: Range<usize>, sink: &mut Sink) -> Read<PlanMeta> {
    let (mut f, id, id_span) = start(t, span, "plan", sink);
    let title = text(&mut f, sink, "title");
    let issuer = text(&mut f, sink, "issuer");
    let issued = f.date(sink, "issued", true);
    let issued_inferred = f.boolean(sink, "issued_inferred").unwrap_or(false);
    let horizon = f.date(sink, "horizon", true);
    let cycles = enum_names(Cycle::ALL, Cycle::as_str);
    let reporting_cycle = choice(&mut f, sink, "reporting_cycle", Cycle::parse, &cycles);
    let supervisor = f.string(sink, "supervisor", false);
    let missing_measures = f
        .strings(sink, "missing_measures", false)
        .unwrap_or_default();
    let missing_sections = f
        .strings(sink, "missing_sections", false)
        .unwrap_or_default();
    let note = opt_text(&mut f, sink, "note");
    let what = f.what.clone();
    if let (Some(i), Some(h)) = (&issued, &horizon)
        && h.value < i.value
    {
        sink.error(
            h.span.clone(),
            format!(
                "{what}: horizon {} is before the issue date {}",
                h.value, i.value
            ),
        );
    }
    f.finish(sink);
    let day = |d: &Option<At<NaiveDate>>| d.as_ref().map_or(NaiveDate::MIN, |a| a.value);
    Read {
        item: PlanMeta {
            id,
            title,
            issuer,
            issued: day(&issued),
            issued_inferred,
            horizon: day(&horizon),
            reporting_cycle: reporting_cycle.unwrap_or(Cycle::Monthly),
            supervisor: supervisor.as_ref().map(|s| UnitId(s.value.clone())),
            missing_measures: missing_measures.into_iter().map(|a| a.value).collect(),
            missing_sections: missing_sections.into_iter().map(|a| a.value).collect(),
            note,
        },
        what,
        id_span,
        refs: refs(supervisor.as_slice(), RefKind::Unit),
        due: None,
        quotes: Vec::new(),
        has_units: false,
    }
}

fn read_source(t: &DeTable, span: Range<usize>, sink: &mut Sink) -> SourceSpec {
    let mut f = Fields::new(t, span.clone(), "source");
    let file = f.string(sink, "file", true).unwrap_or(At {
        value: String::new(),
        span,
    });
    let strip_chunk_numbers = f.boolean(sink, "strip_chunk_numbers").unwrap_or(false);
    let mut fixes = Vec::new();
    for (fix, fix_span) in f.tables(sink, "fix") {
        let mut g = Fields::new(fix, fix_span, "source fix");
        let from = g.string(sink, "from", true);
        let to = g.string(sink, "to", true);
        let _note = g.string(sink, "note", true);
        g.finish(sink);
        if let (Some(from), Some(to)) = (from, to) {
            fixes.push((from, to.value));
        }
    }
    f.finish(sink);
    SourceSpec {
        file,
        strip_chunk_numbers,
        fixes,
    }
}

/// `[assessment]`: every key is optional and falls back to [`Assessment::default`].
fn read_assessment(t: &DeTable, span: Range<usize>, sink: &mut Sink) -> Assessment {
    let mut f = Fields::new(t, span, "assessment");
    let d = Assessment::default();
    let mut points = |key, default| f.number(sink, key, false).map_or(default, |n| n.value);
    let rules = Assessment {
        base: points("base", d.base),
        reported_cycle: points("reported_cycle", d.reported_cycle),
        missed_cycle: points("missed_cycle", d.missed_cycle),
        met_on_time: points("met_on_time", d.met_on_time),
        overdue: points("overdue", d.overdue),
    };
    f.finish(sink);
    rules
}

fn read_section(t: &DeTable, span: Range<usize>, sink: &mut Sink) -> Read<Section> {
    let (mut f, id, id_span) = start(t, span, "section", sink);
    let number = text(&mut f, sink, "number");
    let title = text(&mut f, sink, "title");
    let what = f.what.clone();
    f.finish(sink);
    Read {
        item: Section {
            id: SectionId(id),
            number,
            title,
        },
        what,
        id_span,
        refs: Vec::new(),
        due: None,
        quotes: Vec::new(),
        has_units: false,
    }
}

fn read_measure(t: &DeTable, span: Range<usize>, sink: &mut Sink) -> Read<Measure> {
    let (mut f, id, id_span) = start(t, span, "measure", sink);
    let section = f.string(sink, "section", true);
    let number = text(&mut f, sink, "number");
    let title = text(&mut f, sink, "title");
    let body = f.string(sink, "text", true);
    let units = f.strings(sink, "units", true).unwrap_or_default();
    let lead = f.strings(sink, "lead", false).unwrap_or_default();
    let due = f.date(sink, "due", false);
    let note = opt_text(&mut f, sink, "note");
    let previous = f.strings(sink, "previous_ids", false).unwrap_or_default();
    let what = f.what.clone();
    f.finish(sink);
    let mut all_refs = refs(section.as_slice(), RefKind::Section);
    all_refs.extend(refs(&units, RefKind::Unit));
    all_refs.extend(refs(&lead, RefKind::Unit));
    Read {
        item: Measure {
            id: ItemId(id),
            section: SectionId(section.map(|s| s.value).unwrap_or_default()),
            number,
            title,
            text: body.as_ref().map(|b| b.value.clone()).unwrap_or_default(),
            units: values(&units),
            lead: values(&lead),
            due: due.as_ref().map(|d| d.value),
            note,
            previous_ids: values(&previous),
        },
        what,
        id_span,
        refs: all_refs,
        due,
        quotes: body.into_iter().collect(),
        has_units: true,
    }
}

fn read_target(t: &DeTable, span: Range<usize>, sink: &mut Sink) -> Read<Target> {
    let (mut f, id, id_span) = start(t, span, "target", sink);
    let measure = f.string(sink, "measure", true);
    let metric = text(&mut f, sink, "metric");
    let unit = text(&mut f, sink, "unit");
    let comparators = enum_names(Comparator::ALL, Comparator::as_str);
    let comparator = choice(&mut f, sink, "comparator", Comparator::parse, &comparators);
    let value = f.number(sink, "value", true);
    let tolerance = f.number(sink, "tolerance", false);
    let baseline = f.table(sink, "baseline").and_then(|(b, b_span)| {
        let mut g = Fields::new(b, b_span.clone(), format!("{} baseline", f.what));
        let value = g.number(sink, "value", true);
        let date = g.date(sink, "date", true);
        g.finish(sink);
        Some(At {
            value: Baseline {
                value: value?.value,
                date: date?.value,
            },
            span: b_span,
        })
    });
    let due = f.date(sink, "due", false);
    let quote = f.string(sink, "quote", true);
    let units = f.strings(sink, "units", false);
    let note = opt_text(&mut f, sink, "note");
    let previous = f.strings(sink, "previous_ids", false).unwrap_or_default();
    let what = f.what.clone();
    check_tolerance(&what, comparator, &tolerance, f.span(), sink);
    if let (Some(v), "%") = (&value, unit.as_str())
        && v.value > 100.0
    {
        sink.error(
            v.span.clone(),
            format!("{what}: a percentage must lie in 0–100, found {}", v.value),
        );
    }
    f.finish(sink);
    let mut all_refs = refs(measure.as_slice(), RefKind::Measure);
    all_refs.extend(refs(units.as_deref().unwrap_or_default(), RefKind::Unit));
    if let (Some(b), Some(d)) = (&baseline, &due)
        && b.value.date > d.value
    {
        sink.error(
            b.span.clone(),
            format!(
                "{what}: the baseline date {} is after the deadline {}",
                b.value.date, d.value
            ),
        );
    }
    Read {
        item: Target {
            id: ItemId(id),
            measure: ItemId(measure.map(|m| m.value).unwrap_or_default()),
            metric,
            unit,
            comparator: comparator.unwrap_or(Comparator::AtLeast),
            value: value.map_or(0.0, |v| v.value),
            tolerance: tolerance.map(|t| t.value),
            baseline: baseline.map(|b| b.value),
            due: due.as_ref().map(|d| d.value),
            quote: quote.as_ref().map(|q| q.value.clone()).unwrap_or_default(),
            units: values(units.as_deref().unwrap_or_default()),
            note,
            previous_ids: values(&previous),
        },
        what,
        id_span,
        refs: all_refs,
        due,
        quotes: quote.into_iter().collect(),
        has_units: units.is_some(),
    }
}

fn check_tolerance(
    what: &str,
    comparator: Option<Comparator>,
    tolerance: &Option<At<f64>>,
    span: Range<usize>,
    sink: &mut Sink,
) {
    match (comparator, tolerance) {
        (Some(Comparator::About), None) => sink.error(
            span,
            format!("{what}: comparator \"about\" needs a `tolerance`, e.g. tolerance = 1"),
        ),
        (Some(c), Some(t)) if c != Comparator::About => sink.error(
            t.span.clone(),
            format!("{what}: `tolerance` applies only to comparator \"about\", not \"{c}\""),
        ),
        _ => {}
    }
}

fn read_milestone(t: &DeTable, span: Range<usize>, sink: &mut Sink) -> Read<Milestone> {
    let (mut f, id, id_span) = start(t, span, "milestone", sink);
    let measure = f.string(sink, "measure", true);
    let title = text(&mut f, sink, "title");
    let due = f.date(sink, "due", false);
    let quote = f.string(sink, "quote", false);
    let units = f.strings(sink, "units", false);
    let note = opt_text(&mut f, sink, "note");
    let previous = f.strings(sink, "previous_ids", false).unwrap_or_default();
    let what = f.what.clone();
    f.finish(sink);
    let mut all_refs = refs(measure.as_slice(), RefKind::Measure);
    all_refs.extend(refs(units.as_deref().unwrap_or_default(), RefKind::Unit));
    Read {
        item: Milestone {
            id: ItemId(id),
            measure: ItemId(measure.map(|m| m.value).unwrap_or_default()),
            title,
            due: due.as_ref().map(|d| d.value),
            quote: quote.as_ref().map(|q| q.value.clone()),
            units: values(units.as_deref().unwrap_or_default()),
            note,
            previous_ids: values(&previous),
        },
        what,
        id_span,
        refs: all_refs,
        due,
        quotes: quote.into_iter().collect(),
        has_units: units.is_some(),
    }
}

fn read_unit(t: &DeTable, span: Range<usize>, sink: &mut Sink) -> Read<Unit> {
    let (mut f, id, id_span) = start(t, span, "unit", sink);
    let name = text(&mut f, sink, "name");
    let aliases = f.strings(sink, "aliases", false).unwrap_or_default();
    let kinds = enum_names(UnitKind::ALL, UnitKind::as_str);
    let kind = choice(&mut f, sink, "kind", UnitKind::parse, &kinds);
    let note = opt_text(&mut f, sink, "note");
    let what = f.what.clone();
    f.finish(sink);
    Read {
        item: Unit {
            id: UnitId(id),
            name,
            aliases: aliases.into_iter().map(|a| a.value).collect(),
            kind: kind.unwrap_or(UnitKind::Department),
            note,
        },
        what,
        id_span,
        refs: Vec::new(),
        due: None,
        quotes: Vec::new(),
        has_units: false,
    }
}
