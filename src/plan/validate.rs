//! The second pass: cross-checks of the items read by [`super::read`]: duplicate ids,
//! references to undeclared units, sections and measures, deadlines against the plan's dates,
//! and quotes against the source document. Produces the trusted [`Plan`].

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::fields::{Sink, What, about};
use super::read::{RawPlan, Read, RefKind};
use super::structure;
use crate::i18n::Message;
use crate::model::*;
use crate::suggest;

pub fn validate(raw: RawPlan, source: Option<&str>, sink: &mut Sink) -> Option<Plan> {
    let meta = raw.meta?;
    let (sections, measures, targets) = (raw.sections, raw.measures, raw.targets);
    let (milestones, units, assessment) = (raw.milestones, raw.units, raw.assessment);

    check_unique(sink, sections.iter().map(|r| (r.item.id.as_str(), r)));
    check_unique(sink, units.iter().map(|r| (r.item.id.as_str(), r)));
    let items: Vec<(&str, &What, Range<usize>)> = measures
        .iter()
        .map(|r| (r.item.id.as_str(), &r.what, r.id_span.clone()))
        .chain(
            targets
                .iter()
                .map(|r| (r.item.id.as_str(), &r.what, r.id_span.clone())),
        )
        .chain(
            milestones
                .iter()
                .map(|r| (r.item.id.as_str(), &r.what, r.id_span.clone())),
        )
        .collect();
    check_unique_spans(sink, &items);
    // (former id, the item that lists it, where its id is)
    let previous: Vec<(&ItemId, &What, &Range<usize>)> = measures
        .iter()
        .flat_map(|r| r.item.previous_ids.iter().map(|p| (p, &r.what, &r.id_span)))
        .chain(
            targets
                .iter()
                .flat_map(|r| r.item.previous_ids.iter().map(|p| (p, &r.what, &r.id_span))),
        )
        .chain(
            milestones
                .iter()
                .flat_map(|r| r.item.previous_ids.iter().map(|p| (p, &r.what, &r.id_span))),
        )
        .collect();
    let mut owners: HashMap<&str, &What> = HashMap::new();
    let other_ids: HashSet<&str> = units
        .iter()
        .map(|u| u.item.id.as_str())
        .chain(sections.iter().map(|s| s.item.id.as_str()))
        .collect();
    for &(p, what, span) in &previous {
        if let Some(first) = owners.get(p.as_str()) {
            sink.error(
                span.clone(),
                about(
                    what,
                    "{what}: former id \"{p}\" is already claimed by {first}",
                )
                .with("p", p)
                .with_message("first", first.message()),
            );
        } else if other_ids.contains(p.as_str()) {
            sink.error(
                span.clone(),
                about(
                    what,
                    "{what}: former id \"{p}\" is the id of a unit or a section",
                )
                .with("p", p),
            );
        }
        owners.entry(p.as_str()).or_insert(what);
    }
    for (id, what, span) in &items {
        if let Some(owner) = owners.get(id) {
            sink.error(
                span.clone(),
                about(
                    what,
                    "{what}: id \"{id}\" is also listed as a former id (previous_ids) of {owner}",
                )
                .with("id", id)
                .with_message("owner", owner.message()),
            );
        }
    }

    let names = Names {
        hinted: std::cell::Cell::new(0),
        units: &units,
        unit_ids: units.iter().map(|u| u.item.id.as_str()).collect(),
        sections: sections.iter().map(|s| s.item.id.as_str()).collect(),
        measures: measures.iter().map(|m| m.item.id.as_str()).collect(),
    };
    names.check(sink, &meta);
    for r in &sections {
        names.check(sink, r);
    }
    for r in &units {
        names.check(sink, r);
    }
    for r in &measures {
        names.check(sink, r);
        check_dates(sink, r, &meta.item);
    }
    structure::check(
        sink,
        &meta,
        &sections,
        &measures,
        &targets,
        &milestones,
        &units,
        source,
    );
    for r in &targets {
        names.check(sink, r);
        check_dates(sink, r, &meta.item);
    }
    for r in &milestones {
        names.check(sink, r);
        check_dates(sink, r, &meta.item);
    }
    if let Some(source) = source {
        let quoted = measures
            .iter()
            .flat_map(|r| r.quotes.iter().map(move |q| (r, q)))
            .map(|(r, q)| (&r.what, q))
            .chain(
                targets
                    .iter()
                    .flat_map(|r| r.quotes.iter().map(move |q| (&r.what, q))),
            )
            .chain(
                milestones
                    .iter()
                    .flat_map(|r| r.quotes.iter().map(move |q| (&r.what, q))),
            );
        for (what, quote) in quoted {
            if !source.contains(quote.value.as_str()) {
                sink.error(
                    quote.span.clone(),
                    about(
                        what,
                        "{what}: text not found verbatim in the source document{hint}",
                    )
                    .with_message("hint", mismatch_hint(source, &quote.value)),
                );
            }
        }
    }
    if sink.diags.iter().any(|d| d.is_error()) {
        return None;
    }

    let inherited = structure::section_units(&meta.item, &sections);
    let measures: Vec<Measure> = measures
        .into_iter()
        .map(|r| {
            let mut m = r.item;
            if m.units.is_empty() {
                m.units = inherited
                    .get(m.section.as_str())
                    .map_or_else(Box::default, |units| units.as_slice().into());
            }
            m
        })
        .collect();
    let mut by_id: HashMap<&ItemId, &Measure> = HashMap::with_capacity(measures.len());
    for m in &measures {
        by_id.entry(&m.id).or_insert(m);
    }
    // An item without units of its own takes its measure's units and lead.
    let roles_of = |m: &ItemId| -> (Box<[UnitId]>, Box<[UnitId]>, LeadBasis) {
        by_id
            .get(m)
            .map_or((Box::default(), Box::default(), LeadBasis::Text), |x| {
                (x.units.clone(), x.lead.clone(), x.lead_basis)
            })
    };
    let targets = targets
        .into_iter()
        .map(|r| {
            let mut t = r.item;
            if !r.has_units {
                let (units, lead, basis) = roles_of(&t.measure);
                t.units = units;
                if t.lead.is_empty() {
                    t.lead = lead;
                    t.lead_basis = basis;
                }
            }
            t
        })
        .collect();
    let milestones = milestones
        .into_iter()
        .map(|r| {
            let mut m = r.item;
            if !r.has_units {
                let (units, lead, basis) = roles_of(&m.measure);
                m.units = units;
                if m.lead.is_empty() {
                    m.lead = lead;
                    m.lead_basis = basis;
                }
            }
            m
        })
        .collect();
    Some(Plan::new(
        meta.item,
        sections.into_iter().map(|r| r.item).collect(),
        measures,
        targets,
        milestones,
        units.into_iter().map(|r| r.item).collect(),
        assessment.unwrap_or_default(),
    ))
}

trait HasId {
    fn what(&self) -> &What;
    fn id_span(&self) -> Range<usize>;
}

impl<T> HasId for Read<T> {
    fn what(&self) -> &What {
        &self.what
    }
    fn id_span(&self) -> Range<usize> {
        self.id_span.clone()
    }
}

fn check_unique<'a, R: HasId + 'a>(sink: &mut Sink, ids: impl Iterator<Item = (&'a str, &'a R)>) {
    let list: Vec<(&str, &What, Range<usize>)> =
        ids.map(|(id, r)| (id, r.what(), r.id_span())).collect();
    check_unique_spans(sink, &list);
}

fn check_unique_spans(sink: &mut Sink, ids: &[(&str, &What, Range<usize>)]) {
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(ids.len());
    for (id, what, span) in ids {
        if id.is_empty() {
            continue;
        }
        if let Some(prev) = first.get(id) {
            let line = sink.map.line_of(*prev);
            sink.error(
                span.clone(),
                about(
                    what,
                    "{what}: duplicate id \"{id}\" (first defined on line {line})",
                )
                .with("id", id)
                .with("line", line),
            );
        } else {
            first.insert(id, span.start);
        }
    }
}

/// Everything a reference can name: sets to look ids up, lists in file order for the hints.
struct Names<'a> {
    /// How many unknown references have had a "did you mean" looked up: each lookup compares
    /// with every known id, so only the first [`HINTED`] get one (3,000 unknown references in
    /// a 100k-item plan took 12 s otherwise).
    hinted: std::cell::Cell<usize>,
    units: &'a [Read<Unit>],
    unit_ids: Known<'a>,
    sections: Known<'a>,
    measures: Known<'a>,
}

/// How many unknown references get a "did you mean".
const HINTED: usize = 100;

/// Known ids, in file order.
struct Known<'a> {
    order: Vec<&'a str>,
    set: HashSet<&'a str>,
}

impl<'a> FromIterator<&'a str> for Known<'a> {
    fn from_iter<I: IntoIterator<Item = &'a str>>(ids: I) -> Self {
        let order: Vec<&str> = ids.into_iter().collect();
        let set = order.iter().copied().collect();
        Known { order, set }
    }
}

impl Names<'_> {
    fn check<T>(&self, sink: &mut Sink, r: &Read<T>) {
        for x in &r.refs {
            let (known, kind) = match x.kind {
                RefKind::Unit | RefKind::Lead => (&self.unit_ids, "unit"),
                RefKind::Section => (&self.sections, "section"),
                RefKind::Measure => (&self.measures, "measure"),
            };
            if known.set.contains(x.id.as_str()) {
                continue;
            }
            let by_name = (x.kind == RefKind::Unit)
                .then(|| {
                    self.units
                        .iter()
                        .find(|u| u.item.name == x.id || u.item.aliases.contains(&x.id))
                })
                .flatten();
            let hint = match by_name {
                Some(u) => Message::new(" (write its id: \"{id}\")").with("id", &u.item.id),
                None if self.hinted.get() < HINTED => {
                    self.hinted.set(self.hinted.get() + 1);
                    suggest::hint(&x.id, known.order.iter().copied())
                }
                None => Message::new(""),
            };
            let message = about(&r.what, "{what}: unknown {kind} \"{id}\"{hint}")
                .with_message("kind", kind.into())
                .with("id", &x.id)
                .with_message("hint", hint);
            sink.error(x.span.clone(), message);
        }
    }
}

fn check_dates<T>(sink: &mut Sink, r: &Read<T>, meta: &PlanMeta) {
    let Some(due) = &r.due else { return };
    // A missing issue date or horizon has been reported; its placeholder is no date to cite.
    if meta.issued == chrono::NaiveDate::MIN || meta.horizon == chrono::NaiveDate::MIN {
        return;
    }
    if due.value < meta.issued {
        sink.error(
            due.span.clone(),
            about(
                &r.what,
                "{what}: deadline {due} is before the plan was issued ({issued})",
            )
            .with("due", due.value)
            .with("issued", meta.issued),
        );
    } else if due.value > meta.horizon {
        sink.error(
            due.span.clone(),
            about(
                &r.what,
                "{what}: deadline {due} is after the plan horizon {horizon}; the horizon is the plan's last deadline",
            )
            .with("due", due.value)
            .with("horizon", meta.horizon),
        );
    }
}

/// Where a quote stops matching the source, so the officer knows which character to fix.
fn mismatch_hint(source: &str, quote: &str) -> Message {
    let ends: Vec<usize> = quote
        .char_indices()
        .map(|(i, _)| i)
        .skip(1)
        .chain([quote.len()])
        .collect();
    let matched = ends.partition_point(|&end| source.contains(&quote[..end]));
    if matched == 0 {
        return Message::new("");
    }
    let good = &quote[..ends[matched - 1]];
    let rest: String = quote[good.len()..].chars().take(8).collect();
    Message::new("; the first {matched} characters match, then it differs at \"{rest}\"")
        .with("matched", matched)
        .with("rest", &rest)
}
