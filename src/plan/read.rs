//! The first pass: TOML tables → plan items, each with the spans of its id, its dates and its
//! references, for the second pass ([`super::validate`]) to check. Missing or mistyped fields
//! are reported here and replaced by empty values, so that one run finds every problem.

use std::ops::Range;

use chrono::NaiveDate;
use toml::de::DeTable;

use super::fields::{At, Fields, Sink, What, about, shift, tables_of};
use crate::i18n::Message;
use crate::model::*;
use crate::suggest;

/// What a reference points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    Unit,
    /// A lead unit: a unit that must also be among the item's (inherited) units.
    Lead,
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
    pub what: What,
    pub id_span: Range<usize>,
    pub refs: Vec<Ref>,
    pub due: Option<At<NaiveDate>>,
    pub quotes: Vec<At<String>>,
    /// Whether `units` were given; otherwise they default to the measure's.
    pub has_units: bool,
    /// For a unit: whether its name (or an alias) must occur in the source document.
    pub named_in_source: bool,
    /// For a target: the numbers its quote must state (its value and upper bound).
    pub stated: Vec<At<f64>>,
}

impl<T> Read<T> {
    /// Moves every span `by` bytes on.
    fn shift(&mut self, by: usize) {
        shift(&mut self.id_span, by);
        self.refs.iter_mut().for_each(|r| shift(&mut r.span, by));
        self.due.iter_mut().for_each(|d| d.shift(by));
        self.quotes.iter_mut().for_each(|q| q.shift(by));
        self.stated.iter_mut().for_each(|s| s.shift(by));
    }

    /// An item with no references, deadline, quotes or units of its own.
    fn plain(item: T, what: What, id_span: Range<usize>) -> Read<T> {
        Read {
            item,
            what,
            id_span,
            refs: Vec::new(),
            due: None,
            quotes: Vec::new(),
            has_units: false,
            named_in_source: true,
            stated: Vec::new(),
        }
    }
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

/// The arrays of tables a plan's items are in: a file read in parts has some in each part.
const ITEM_ARRAYS: [&str; 5] = ["section", "measure", "target", "milestone", "unit"];

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
    let (raw, has_plan_key) = read_tables(doc, sink);
    with_plan(raw, has_plan_key, doc_span, sink)
}

/// [`read`] for a large file, parsed and read in about `parts` parts on two cores
/// ([`super::document::in_parts`]); `None` when its parts do not make the whole file's
/// document, which is then to be parsed whole.
pub fn read_in_parts(text: &str, parts: usize, sink: &mut Sink) -> Option<RawPlan> {
    let map = sink.map;
    let parts = super::document::in_parts(text, parts, &ITEM_ARRAYS, |doc, offset| {
        let mut sink = Sink::at(map, offset);
        let (mut raw, has_plan_key) = read_tables(doc, &mut sink);
        raw.shift(offset);
        (raw, has_plan_key, sink.diags)
    })?;
    let mut raw = RawPlan::default();
    let mut has_plan_key = false;
    for (part, has_plan, diags) in parts {
        raw.append(part);
        has_plan_key |= has_plan;
        sink.diags.extend(diags);
    }
    Some(with_plan(raw, has_plan_key, 0..0, sink))
}

/// The plan as read, once it is known to have a `[plan]` table.
fn with_plan(raw: RawPlan, has_plan_key: bool, doc_span: Range<usize>, sink: &mut Sink) -> RawPlan {
    // A `plan` that is not a table has been reported where it was read; "missing" would
    // repeat it.
    if raw.meta.is_none() && !has_plan_key {
        sink.error(
            doc_span.start..doc_span.start,
            Message::new("missing the [plan] table"),
        );
    }
    raw
}

impl RawPlan {
    /// Moves every span `by` bytes on: a part's spans count from the part's start.
    fn shift(&mut self, by: usize) {
        if let Some(source) = &mut self.source {
            source.file.shift(by);
            source.fixes.iter_mut().for_each(|(from, _)| from.shift(by));
        }
        self.meta.iter_mut().for_each(|r| r.shift(by));
        self.sections.iter_mut().for_each(|r| r.shift(by));
        self.measures.iter_mut().for_each(|r| r.shift(by));
        self.targets.iter_mut().for_each(|r| r.shift(by));
        self.milestones.iter_mut().for_each(|r| r.shift(by));
        self.units.iter_mut().for_each(|r| r.shift(by));
    }

    /// Adds what a later part of the same file held.
    fn append(&mut self, later: RawPlan) {
        self.meta = self.meta.take().or(later.meta);
        self.source = self.source.take().or(later.source);
        self.assessment = self.assessment.take().or(later.assessment);
        self.sections.extend(later.sections);
        self.measures.extend(later.measures);
        self.targets.extend(later.targets);
        self.milestones.extend(later.milestones);
        self.units.extend(later.units);
    }
}

/// The tables of one document (or part of one), and whether it has a `plan` key.
fn read_tables(doc: &DeTable, sink: &mut Sink) -> (RawPlan, bool) {
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
                    Message::new("`{name}` must be a table: write [{name}]").with("name", name),
                ),
            },
            "section" => raw.sections = each(sink, name, value, read_section),
            "measure" => raw.measures = each(sink, name, value, read_measure),
            "target" => raw.targets = each(sink, name, value, read_target),
            "milestone" => raw.milestones = each(sink, name, value, read_milestone),
            "unit" => raw.units = each(sink, name, value, read_unit),
            other => {
                let hint = suggest::hint(other, TOP_KEYS);
                sink.error(
                    key.span(),
                    Message::new("unknown table `{other}`{hint}")
                        .with("other", other)
                        .with_message("hint", hint),
                );
            }
        }
    }
    (raw, has_plan_key)
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
    kind: &'static str,
    sink: &mut Sink,
) -> (Fields<'t, 'i>, String, Range<usize>) {
    let mut f = Fields::new(table, span.clone(), What::Item(kind, None));
    let id = f.string(sink, "id", true);
    let (id, id_span) = id.map_or((String::new(), span), |a| (a.value, a.span));
    if !id.is_empty() {
        f.what = What::Item(kind, Some(id.clone()));
        if id
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == ',')
        {
            sink.error(
                id_span.clone(),
                Message::new("{kind} {id}: an id must not contain spaces, quotes or commas")
                    .with_message("kind", kind.into())
                    .with("id", format!("{id:?}")),
            );
        }
    }
    (f, id, id_span)
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
    ($($t:ty),*) => {$(impl From<String> for $t { fn from(s: String) -> Self { Self(s.into()) } })*};
}
from_string!(ItemId, SectionId);

fn read_meta(t: &DeTable, span: Range<usize>, sink: &mut Sink) -> Read<PlanMeta> {
    let (mut f, id, id_span) = start(t, span, "plan", sink);
    // The id names the ledger file beside the plan: nothing that could leave the folder.
    if !id.is_empty()
        && !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        sink.error(
            id_span.clone(),
            Message::new(
                "plan: id \"{id}\" may hold only a–z, 0–9 and -; it names the ledger file {id}.db",
            )
            .with("id", &id),
        );
    }
    let title = f.text(sink, "title");
    let issuer = f.text(sink, "issuer");
    let issued = f.date(sink, "issued", true);
    let issued_inferred = f.boolean(sink, "issued_inferred").unwrap_or(false);
    let horizon = f.date(sink, "horizon", true);
    let reporting_cycle = f.choice(sink, "reporting_cycle", true, Cycle::ALL, Cycle::as_str);
    let supervisor = f.string(sink, "supervisor", false);
    let units = f.strings(sink, "units", false).unwrap_or_default();
    let missing_measures = f
        .strings(sink, "missing_measures", false)
        .unwrap_or_default();
    let missing_sections = f
        .strings(sink, "missing_sections", false)
        .unwrap_or_default();
    let note = f.opt_text(sink, "note");
    let what = f.what.clone();
    if let (Some(i), Some(h)) = (&issued, &horizon)
        && h.value < i.value
    {
        sink.error(
            h.span.clone(),
            about(
                &what,
                "{what}: horizon {horizon} is before the issue date {issued}",
            )
            .with("horizon", h.value)
            .with("issued", i.value),
        );
    }
    f.finish(sink);
    let day = |d: &Option<At<NaiveDate>>| d.as_ref().map_or(NaiveDate::MIN, |a| a.value);
    let meta = PlanMeta {
        id,
        title,
        issuer,
        issued: day(&issued),
        issued_inferred,
        horizon: day(&horizon),
        reporting_cycle: reporting_cycle.unwrap_or(Cycle::Monthly),
        supervisor: supervisor.as_ref().map(|s| UnitId::from(s.value.as_str())),
        units: values(&units),
        missing_measures: missing_measures.into_iter().map(|a| a.value).collect(),
        missing_sections: missing_sections.into_iter().map(|a| a.value).collect(),
        note,
    };
    let mut all_refs = refs(supervisor.as_slice(), RefKind::Unit);
    all_refs.extend(refs(&units, RefKind::Unit));
    Read {
        refs: all_refs,
        ..Read::plain(meta, what, id_span)
    }
}

fn read_source(t: &DeTable, span: Range<usize>, sink: &mut Sink) -> SourceSpec {
    let mut f = Fields::new(t, span.clone(), What::Table("source"));
    let file = f.string(sink, "file", true).unwrap_or(At {
        value: String::new(),
        span,
    });
    let strip_chunk_numbers = f.boolean(sink, "strip_chunk_numbers").unwrap_or(false);
    let mut fixes = Vec::new();
    for (fix, fix_span) in f.tables(sink, "fix") {
        let mut g = Fields::new(fix, fix_span, What::Table("source fix"));
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
    let mut f = Fields::new(t, span, What::Table("assessment"));
    let d = Assessment::default();
    let mut points = |key, default| f.number(sink, key, false).map_or(default, |n| n.value);
    let rules = Assessment {
        base: points("base", d.base),
        reported_cycle: points("reported_cycle", d.reported_cycle),
        missed_cycle: points("missed_cycle", d.missed_cycle),
        met_on_time: points("met_on_time", d.met_on_time),
        overdue: points("overdue", d.overdue),
        met_late: points("met_late", d.met_late),
        cooperating_share: d.cooperating_share,
        joint_in_full: d.joint_in_full,
    };
    let share = f.number(sink, "cooperating_share", false);
    let rules = Assessment {
        cooperating_share: match share {
            Some(s) if s.value > 1.0 => {
                sink.error(
                    s.span.clone(),
                    Message::new(
                        "assessment: cooperating_share is a fraction from 0 to 1, found {n}",
                    )
                    .with("n", s.value),
                );
                0.0
            }
            Some(s) => s.value,
            None => rules.cooperating_share,
        },
        joint_in_full: f
            .boolean(sink, "joint_in_full")
            .unwrap_or(rules.joint_in_full),
        ..rules
    };
    f.finish(sink);
    rules
}

fn read_section(t: &DeTable, span: Range<usize>, sink: &mut Sink) -> Read<Section> {
    let (mut f, id, id_span) = start(t, span, "section", sink);
    let parent = f.string(sink, "parent", false);
    let number = f.text(sink, "number");
    let title = f.text(sink, "title");
    let text = f.opt_text(sink, "text");
    let units = f.strings(sink, "units", false).unwrap_or_default();
    let what = f.what.clone();
    f.finish(sink);
    let section = Section {
        id: SectionId::from(id),
        parent: parent.as_ref().map(|p| SectionId::from(p.value.clone())),
        number,
        title,
        text,
        units: values(&units),
    };
    let mut all_refs = refs(parent.as_slice(), RefKind::Section);
    all_refs.extend(refs(&units, RefKind::Unit));
    Read {
        refs: all_refs,
        has_units: !units.is_empty(),
        ..Read::plain(section, what, id_span)
    }
}

fn read_measure(t: &DeTable, span: Range<usize>, sink: &mut Sink) -> Read<Measure> {
    let (mut f, id, id_span) = start(t, span, "measure", sink);
    let section = f.string(sink, "section", false);
    let number = f.text(sink, "number");
    let title = f.text(sink, "title");
    let body = f.string(sink, "text", true);
    let units = f.strings(sink, "units", false).unwrap_or_default();
    let lead = f.strings(sink, "lead", false).unwrap_or_default();
    let lead_basis = f.choice(sink, "lead_basis", false, LeadBasis::ALL, LeadBasis::as_str);
    let due = f.date(sink, "due", false);
    let note = f.opt_text(sink, "note");
    let previous = f.strings(sink, "previous_ids", false).unwrap_or_default();
    let what = f.what.clone();
    check_lead_basis(
        &what,
        lead_basis,
        !lead.is_empty(),
        note.is_some(),
        f.span(),
        sink,
    );
    f.finish(sink);
    let mut all_refs = refs(section.as_slice(), RefKind::Section);
    all_refs.extend(refs(&units, RefKind::Unit));
    all_refs.extend(refs(&lead, RefKind::Lead));
    Read {
        item: Measure {
            id: ItemId::from(id),
            section: SectionId::from(section.map(|s| s.value).unwrap_or_default()),
            number: number.into(),
            title: title.into(),
            text: body.as_ref().map(|b| b.value.clone()).unwrap_or_default(),
            units: values(&units).into(),
            lead: values(&lead).into(),
            lead_basis: lead_basis.unwrap_or(LeadBasis::Text),
            due: due.as_ref().map(|d| d.value),
            note,
            previous_ids: values(&previous).into(),
        },
        what,
        id_span,
        refs: all_refs,
        due,
        quotes: body.into_iter().collect(),
        has_units: !units.is_empty(),
        named_in_source: true,
        stated: Vec::new(),
    }
}

/// A lead chosen by duty is an interpretation: it needs a lead to qualify, and a note saying why.
fn check_lead_basis(
    what: &What,
    basis: Option<LeadBasis>,
    has_lead: bool,
    has_note: bool,
    span: Range<usize>,
    sink: &mut Sink,
) {
    if basis != Some(LeadBasis::Duty) {
        return;
    }
    if !has_lead {
        sink.error(
            span,
            about(what, "{what}: lead_basis = \"duty\" needs a `lead`"),
        );
    } else if !has_note {
        sink.error(
            span,
            about(
                what,
                "{what}: a lead by duty is an interpretation: add a `note` saying why",
            ),
        );
    }
}

fn read_target(t: &DeTable, span: Range<usize>, sink: &mut Sink) -> Read<Target> {
    let (mut f, id, id_span) = start(t, span, "target", sink);
    let measure = f.string(sink, "measure", true);
    let metric = f.text(sink, "metric");
    let unit = f.text(sink, "unit");
    let comparator = f.choice(
        sink,
        "comparator",
        true,
        Comparator::ALL,
        Comparator::as_str,
    );
    let relative = f.boolean(sink, "relative").unwrap_or(false);
    // A relative target is a change, which may be a fall (比2020年下降18%: value = -18).
    let value = if relative {
        f.signed(sink, "value", true)
    } else {
        f.number(sink, "value", true)
    };
    let tolerance = f.number(sink, "tolerance", false);
    let upper = f.number(sink, "upper", false);
    let direction = f.choice(sink, "direction", false, Direction::ALL, Direction::as_str);
    let reported = f.choice(sink, "reported", false, Reported::ALL, Reported::as_str);
    let years = f.years(sink, "years").unwrap_or_default();
    let sustained = f.boolean(sink, "sustained").unwrap_or(false);
    let min = f.signed(sink, "min", false);
    let max = f.signed(sink, "max", false);
    let baseline = f.table(sink, "baseline").and_then(|(b, b_span)| {
        let mut g = Fields::new(
            b,
            b_span.clone(),
            What::Within(Box::new(f.what.clone()), "{what} baseline"),
        );
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
    let mut rest = InMeasure::read(&mut f, sink, measure, true);
    let what = f.what.clone();
    check_tolerance(&what, comparator, &tolerance, f.span(), sink);
    match (comparator, &upper, &value) {
        (Some(Comparator::Range), None, _) => sink.error(
            f.span(),
            about(
                &what,
                "{what}: comparator \"range\" needs an `upper` bound, e.g. value = 3 and upper = 5",
            ),
        ),
        (Some(Comparator::Range), Some(u), Some(v)) if u.value < v.value => sink.error(
            u.span.clone(),
            about(
                &what,
                "{what}: the range's `upper` bound {upper} is below its `value` {value}",
            )
            .with("upper", u.value)
            .with("value", v.value),
        ),
        (Some(c), Some(u), _) if c != Comparator::Range => sink.error(
            u.span.clone(),
            about(
                &what,
                "{what}: `upper` belongs to comparator \"range\", not \"{c}\"",
            )
            .with("c", c.as_str()),
        ),
        _ => {}
    }
    if relative && baseline.is_none() {
        sink.error(
            f.span(),
            about(
                &what,
                "{what}: a relative target (a change from a baseline) needs a `baseline`",
            ),
        );
    }
    if let (Some(lo), Some(hi)) = (&min, &max)
        && lo.value > hi.value
    {
        sink.error(
            hi.span.clone(),
            about(&what, "{what}: `max` {max} is below `min` {min}")
                .with("max", hi.value)
                .with("min", lo.value),
        );
    }
    if let (Some(c), Some(q)) = (comparator, &rest.quote) {
        check_wording(&what, c, relative, q, sink);
    }
    if !years.is_empty() && sustained {
        sink.error(
            f.span(),
            about(
                &what,
                "{what}: a target is set per year (`years`) or `sustained`, not both",
            ),
        );
    }
    if ["％", "percent", "pct"].contains(&unit.trim()) || (unit != "%" && unit.trim() == "%") {
        sink.error(
            f.span(),
            about(
                &what,
                "{what}: write the percentage unit as unit = \"%\", not \"{unit}\"",
            )
            .with("unit", &unit),
        );
    }
    if let (Some(v), "%") = (&value, unit.as_str())
        && v.value > 100.0
        && !relative
    {
        sink.error(
            v.span.clone(),
            about(&what, "{what}: a percentage must lie in 0–100, found {n}").with("n", v.value),
        );
    }
    f.finish(sink);
    if let Some(b) = &baseline {
        let (lo, hi) = match (min.as_ref(), max.as_ref(), unit.as_str()) {
            (lo, hi, "%") => (
                lo.map_or(Some(0.0), |m| Some(m.value)),
                hi.map_or(Some(100.0), |m| Some(m.value)),
            ),
            (lo, hi, _) => (lo.map(|m| m.value), hi.map(|m| m.value)),
        };
        let v = b.value.value;
        if lo.is_some_and(|lo| v < lo) || hi.is_some_and(|hi| v > hi) {
            sink.error(
                b.span.clone(),
                about(
                    &what,
                    "{what}: the baseline value {v} lies outside what the metric allows",
                )
                .with("v", v),
            );
        }
    }
    if let (Some(b), Some(d)) = (&baseline, &rest.due)
        && b.value.date > d.value
    {
        sink.error(
            b.span.clone(),
            about(
                &what,
                "{what}: the baseline date {date} is after the deadline {due}",
            )
            .with("date", b.value.date)
            .with("due", d.value),
        );
    }
    let target = Target {
        id: ItemId::from(id),
        measure: rest.measure_id(),
        metric: metric.into(),
        unit: unit.into(),
        comparator: comparator.unwrap_or(Comparator::AtLeast),
        value: value.as_ref().map_or(0.0, |v| v.value),
        tolerance: tolerance.map(|t| t.value),
        upper: upper.as_ref().map(|u| u.value),
        direction: direction
            .unwrap_or_else(|| comparator.unwrap_or(Comparator::AtLeast).direction()),
        relative,
        reported: reported.unwrap_or(Reported::Level),
        years: years.iter().map(|y| y.value).collect(),
        sustained,
        min: min.map(|m| m.value),
        max: max.map(|m| m.value),
        baseline: baseline.map(|b| b.value),
        // A target set per year falls due at the end of its last year.
        due: rest.due().or_else(|| {
            let last = years.iter().map(|y| y.value).max()?;
            NaiveDate::from_ymd_opt(last, 12, 31)
        }),
        quote: rest.quote().unwrap_or_default(),
        units: rest.unit_ids().into(),
        lead: rest.lead_ids().into(),
        lead_basis: rest.lead_basis.unwrap_or(LeadBasis::Text),
        note: rest.note.take(),
        previous_ids: rest.previous_ids().into(),
    };
    Read {
        stated: [value, upper].into_iter().flatten().collect(),
        ..rest.into_read(target, what, id_span)
    }
}

/// The comparators a quote's wording allows, by the words that say it: 以上 means at least,
/// 以内 at most, 左右 about, 超过 and 低于 strictly more or less.
pub(super) const WORDING: &[(&[&str], &[Comparator], &str)] = &[
    // 不超过 and 不低于 before 超过 and 低于, which they contain.
    (
        &["以下", "不超过", "以内"],
        &[Comparator::AtMost, Comparator::LessThan],
        "at most",
    ),
    (
        &["以上", "不低于", "至少", "不少于"],
        &[Comparator::AtLeast, Comparator::MoreThan],
        "at least",
    ),
    (
        &["控制在"],
        &[Comparator::AtMost, Comparator::Range, Comparator::About],
        "at most, a range or about",
    ),
    (&["左右"], &[Comparator::About], "about"),
    (
        &["超过", "高于"],
        &[Comparator::MoreThan, Comparator::AtLeast],
        "more than",
    ),
    (
        &["低于"],
        &[Comparator::LessThan, Comparator::AtMost],
        "less than",
    ),
];

/// Warns when a target's quote says one comparison and the target another (a quote saying
/// 90%以上 under `comparator = "at_most"`). A relative target's fall (下降18%以上, at most -18)
/// reads 以上 as "a fall of at least", so its direction is not checked against 以上/以下.
fn check_wording(what: &What, c: Comparator, relative: bool, quote: &At<String>, sink: &mut Sink) {
    for (words, allowed, meaning) in WORDING {
        let Some(word) = words.iter().find(|w| quote.value.contains(**w)) else {
            continue;
        };
        let by_size = matches!(*meaning, "at least" | "at most");
        let fits = allowed.contains(&c) || (relative && by_size);
        if !fits {
            sink.warning(
                quote.span.clone(),
                about(
                    what,
                    "{what}: the quote says {word} ({meaning}), but the comparator is \"{c}\"",
                )
                .with("word", word)
                .with_message("meaning", Message::new(meaning))
                .with("c", c.as_str()),
            );
        }
        return;
    }
}

fn check_tolerance(
    what: &What,
    comparator: Option<Comparator>,
    tolerance: &Option<At<f64>>,
    span: Range<usize>,
    sink: &mut Sink,
) {
    match (comparator, tolerance) {
        (Some(Comparator::About), None) => sink.error(
            span,
            about(
                what,
                "{what}: comparator \"about\" needs a `tolerance`, e.g. tolerance = 1",
            ),
        ),
        (Some(c), Some(t)) if c != Comparator::About => sink.error(
            t.span.clone(),
            about(
                what,
                "{what}: `tolerance` applies only to comparator \"about\", not \"{c}\"",
            )
            .with("c", c),
        ),
        _ => {}
    }
}

fn read_milestone(t: &DeTable, span: Range<usize>, sink: &mut Sink) -> Read<Milestone> {
    let (mut f, id, id_span) = start(t, span, "milestone", sink);
    let measure = f.string(sink, "measure", true);
    let title = f.text(sink, "title");
    let mut rest = InMeasure::read(&mut f, sink, measure, false);
    let what = f.what.clone();
    f.finish(sink);
    let milestone = Milestone {
        id: ItemId::from(id),
        measure: rest.measure_id(),
        title: title.into(),
        due: rest.due(),
        quote: rest.quote(),
        units: rest.unit_ids().into(),
        lead: rest.lead_ids().into(),
        lead_basis: rest.lead_basis.unwrap_or(LeadBasis::Text),
        note: rest.note.take(),
        previous_ids: rest.previous_ids().into(),
    };
    rest.into_read(milestone, what, id_span)
}

/// What a target and a milestone share: the measure they belong to (read first), then the keys
/// that close both, in this order: a deadline, a quote, their own units (the measure's when
/// left out), a note and former ids.
struct InMeasure {
    measure: Option<At<String>>,
    due: Option<At<NaiveDate>>,
    quote: Option<At<String>>,
    units: Option<Vec<At<String>>>,
    lead: Option<Vec<At<String>>>,
    lead_basis: Option<LeadBasis>,
    note: Option<String>,
    previous: Vec<At<String>>,
}

impl InMeasure {
    /// Reads the closing keys, after the item's own: missing required keys are reported in the
    /// order they were read.
    fn read(
        f: &mut Fields,
        sink: &mut Sink,
        measure: Option<At<String>>,
        quote_required: bool,
    ) -> InMeasure {
        let due = f.date(sink, "due", false);
        let quote = f.string(sink, "quote", quote_required);
        if let Some(q) = quote.as_ref().filter(|q| q.value.trim().is_empty()) {
            sink.error(
                q.span.clone(),
                f.on_key("{what}: `quote` must not be empty", "quote"),
            );
        }
        InMeasure {
            measure,
            due,
            quote,
            units: f.strings(sink, "units", false),
            lead: f.strings(sink, "lead", false),
            lead_basis: f.choice(sink, "lead_basis", false, LeadBasis::ALL, LeadBasis::as_str),
            note: f.opt_text(sink, "note"),
            previous: f.strings(sink, "previous_ids", false).unwrap_or_default(),
        }
    }

    fn measure_id(&self) -> ItemId {
        ItemId::from(
            self.measure
                .as_ref()
                .map(|m| m.value.clone())
                .unwrap_or_default(),
        )
    }

    fn due(&self) -> Option<NaiveDate> {
        self.due.as_ref().map(|d| d.value)
    }

    fn quote(&self) -> Option<String> {
        self.quote.as_ref().map(|q| q.value.clone())
    }

    fn own_units(&self) -> &[At<String>] {
        self.units.as_deref().unwrap_or_default()
    }

    fn unit_ids(&self) -> Vec<UnitId> {
        values(self.own_units())
    }

    fn lead_ids(&self) -> Vec<UnitId> {
        values(self.lead.as_deref().unwrap_or_default())
    }

    fn previous_ids(&self) -> Vec<ItemId> {
        values(&self.previous)
    }

    /// `item` with what the validator checks: its measure and own units as references, its
    /// deadline and its quote.
    fn into_read<T>(self, item: T, what: What, id_span: Range<usize>) -> Read<T> {
        let mut all_refs = refs(self.measure.as_slice(), RefKind::Measure);
        all_refs.extend(refs(self.own_units(), RefKind::Unit));
        all_refs.extend(refs(
            self.lead.as_deref().unwrap_or_default(),
            RefKind::Lead,
        ));
        Read {
            item,
            what,
            id_span,
            refs: all_refs,
            has_units: self.units.is_some(),
            due: self.due,
            quotes: self.quote.into_iter().collect(),
            named_in_source: true,
            stated: Vec::new(),
        }
    }
}

fn read_unit(t: &DeTable, span: Range<usize>, sink: &mut Sink) -> Read<Unit> {
    let (mut f, id, id_span) = start(t, span, "unit", sink);
    let name = f.text(sink, "name");
    let aliases = f.strings(sink, "aliases", false).unwrap_or_default();
    let kind = f.choice(sink, "kind", true, UnitKind::ALL, UnitKind::as_str);
    let members = f.strings(sink, "members", false).unwrap_or_default();
    let source_name = f.boolean(sink, "source_name");
    let note = f.opt_text(sink, "note");
    let what = f.what.clone();
    if source_name == Some(false) && note.is_none() {
        sink.error(
            f.span(),
            about(&what, "{what}: `source_name = false` needs a `note` saying why the source never names the unit"),
        );
    }
    f.finish(sink);
    let unit = Unit {
        id: UnitId::from(id),
        name,
        aliases: aliases.into_iter().map(|a| a.value).collect(),
        kind: kind.unwrap_or(UnitKind::Department),
        members: values(&members),
        note,
    };
    Read {
        refs: refs(&members, RefKind::Unit),
        named_in_source: source_name != Some(false),
        ..Read::plain(unit, what, id_span)
    }
}
