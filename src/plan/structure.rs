//! The checks of a plan's structure that need every table at once: who is responsible for each
//! item (stated on the item, its section, or the plan), lead units among the responsible
//! ones, groups and their members, nested sections, measure numbers, and how quotes and unit
//! names tie the plan to its source document.

use std::collections::{HashMap, HashSet};

use chrono::Datelike;

use super::fields::{Sink, about};
use super::numbers;
use super::read::{Read, RefKind};
use crate::i18n::Message;
use crate::model::*;

/// Each section's responsible units (its own, else its parent's, up to the plan's), keyed by
/// section id; the key "" holds the plan's, for measures outside any section.
pub fn section_units(meta: &PlanMeta, sections: &[Read<Section>]) -> HashMap<String, Vec<UnitId>> {
    let by_id: HashMap<&str, &Section> = sections
        .iter()
        .map(|s| (s.item.id.as_str(), &s.item))
        .collect();
    let mut out = HashMap::with_capacity(sections.len() + 1);
    out.insert(String::new(), meta.units.clone());
    for s in sections {
        let mut at = Some(&s.item);
        let mut seen = HashSet::new();
        let mut units = meta.units.clone();
        while let Some(section) = at {
            if !seen.insert(section.id.as_str()) {
                break;
            }
            if !section.units.is_empty() {
                units = section.units.clone();
                break;
            }
            at = section
                .parent
                .as_ref()
                .and_then(|p| by_id.get(p.as_str()).copied());
        }
        out.insert(s.item.id.as_str().to_string(), units);
    }
    out
}

/// Every structural problem, each at its location.
#[allow(clippy::too_many_arguments)]
pub fn check(
    sink: &mut Sink,
    meta: &Read<PlanMeta>,
    sections: &[Read<Section>],
    measures: &[Read<Measure>],
    targets: &[Read<Target>],
    milestones: &[Read<Milestone>],
    units: &[Read<Unit>],
    source: Option<&str>,
) {
    let inherited = section_units(&meta.item, sections);
    let measure_units = |m: &Measure| -> Vec<UnitId> {
        if m.units.is_empty() {
            inherited
                .get(m.section.as_str())
                .cloned()
                .unwrap_or_default()
        } else {
            m.units.to_vec()
        }
    };
    let by_id: HashMap<&str, &Read<Measure>> =
        measures.iter().map(|m| (m.item.id.as_str(), m)).collect();
    for r in measures {
        let responsible = measure_units(&r.item);
        if responsible.is_empty() {
            sink.error(
                r.id_span.clone(),
                about(
                    &r.what,
                    "{what}: no responsible unit: give `units` here, on its section, or on [plan]",
                ),
            );
        }
        leads_among(sink, r, &responsible);
    }
    // Targets and milestones: their own units, else their measure's.
    let item_units = |has_units: bool, own: &[UnitId], measure: &ItemId| -> Vec<UnitId> {
        match (has_units, by_id.get(measure.as_str())) {
            (true, _) => own.to_vec(),
            (false, Some(m)) => measure_units(&m.item),
            (false, None) => Vec::new(),
        }
    };
    for r in targets {
        let measure = by_id.get(r.item.measure.as_str());
        let responsible = item_units(r.has_units, &r.item.units, &r.item.measure);
        part(sink, source, r, &responsible, measure);
        if source.is_some() {
            quote_states(sink, r);
        }
        if let Some(b) = &r.item.baseline
            && meta.item.horizon >= meta.item.issued
            && b.date > meta.item.horizon
        {
            sink.error(
                r.id_span.clone(),
                about(
                    &r.what,
                    "{what}: the baseline date {date} is after the plan horizon {horizon}",
                )
                .with("date", b.date)
                .with("horizon", meta.item.horizon),
            );
        }
    }
    for r in milestones {
        let measure = by_id.get(r.item.measure.as_str());
        let responsible = item_units(r.has_units, &r.item.units, &r.item.measure);
        part(sink, source, r, &responsible, measure);
    }
    numbers(sink, meta, measures);
    groups(sink, units);
    nesting(sink, sections);
    if let Some(source) = source {
        names_in_source(sink, units, source);
    }
}

/// What a target and a milestone share: leads among the responsible units, and (with a
/// source) a quote that lies in the measure's text.
fn part<T>(
    sink: &mut Sink,
    source: Option<&str>,
    r: &Read<T>,
    responsible: &[UnitId],
    measure: Option<&&Read<Measure>>,
) {
    leads_among(sink, r, responsible);
    if let Some(source) = source {
        quote_in_measure(sink, source, r, r.quotes.first(), measure);
    }
}

/// A target's quote states its value (and upper bound) as the document writes numbers, and
/// names its deadline's year where it names a year at all.
fn quote_states(sink: &mut Sink, r: &Read<Target>) {
    let Some(q) = r.quotes.first() else { return };
    let unit = &r.item.unit;
    for bound in &r.stated {
        if !numbers::states(&q.value, bound.value, unit) {
            sink.error(
                bound.span.clone(),
                about(
                    &r.what,
                    "{what}: the quote does not state {n} {unit}; it says \"{quote}\"",
                )
                .with("n", bound.value)
                .with("unit", unit)
                .with("quote", q.value.chars().take(60).collect::<String>()),
            );
        }
    }
    let years = numbers::years(&q.value);
    if let Some(d) = &r.due
        && !years.is_empty()
        && !years.contains(&d.value.year())
    {
        let named: Vec<String> = years.iter().map(i32::to_string).collect();
        sink.error(
            d.span.clone(),
            about(
                &r.what,
                "{what}: the deadline {due} is not in a year the quote names ({years})",
            )
            .with("due", d.value)
            .with("years", named.join(", ")),
        );
    }
}

/// Lead units must be among the item's responsible units.
fn leads_among<T>(sink: &mut Sink, r: &Read<T>, responsible: &[UnitId]) {
    for x in r.refs.iter().filter(|x| x.kind == RefKind::Lead) {
        if !responsible.iter().any(|u| u.as_str() == x.id) {
            sink.error(
                x.span.clone(),
                about(
                    &r.what,
                    "{what}: lead unit \"{id}\" is not among its responsible units",
                )
                .with("id", &x.id),
            );
        }
    }
}

/// A target's or milestone's quote is a sentence of its own measure's text.
fn quote_in_measure<T>(
    sink: &mut Sink,
    source: &str,
    r: &Read<T>,
    quote: Option<&super::fields::At<String>>,
    measure: Option<&&Read<Measure>>,
) {
    let (Some(q), Some(m)) = (quote, measure) else {
        return;
    };
    if q.value.trim().is_empty() {
        sink.error(q.span.clone(), about(&r.what, "{what}: the quote is empty"));
    } else if source.contains(q.value.as_str())
        && !m.item.text.contains(q.value.as_str())
        && !m.item.title.contains(q.value.as_str())
    {
        sink.error(
            q.span.clone(),
            about(
                &r.what,
                "{what}: the quote is not part of its measure {id}'s text",
            )
            .with("id", &m.item.id),
        );
    }
}

/// Measure numbers are unique within a section, and `missing_measures` names only numbers no
/// measure has.
fn numbers(sink: &mut Sink, meta: &Read<PlanMeta>, measures: &[Read<Measure>]) {
    let mut seen: HashMap<(&str, &str), &str> = HashMap::new();
    for r in measures {
        let key = (r.item.section.as_str(), r.item.number.as_str());
        if r.item.number.is_empty() {
            continue;
        }
        if let Some(first) = seen.get(&key) {
            sink.error(
                r.id_span.clone(),
                about(
                    &r.what,
                    "{what}: measure number {n} is already used by {first} in the same section",
                )
                .with("n", &r.item.number)
                .with("first", first),
            );
        } else {
            seen.insert(key, r.item.id.as_str());
        }
    }
    for n in &meta.item.missing_measures {
        if let Some(m) = measures.iter().find(|m| m.item.number == n) {
            sink.error(
                meta.id_span.clone(),
                Message::new("plan: missing_measures lists \"{n}\", but {id} has that number")
                    .with("n", n)
                    .with("id", &m.item.id),
            );
        }
    }
}

/// A group's members are other units that are not groups with members themselves.
fn groups(sink: &mut Sink, units: &[Read<Unit>]) {
    let with_members: HashSet<&str> = units
        .iter()
        .filter(|u| !u.item.members.is_empty())
        .map(|u| u.item.id.as_str())
        .collect();
    for r in units {
        for x in r.refs.iter().filter(|x| x.kind == RefKind::Unit) {
            if x.id == r.item.id.as_str() || with_members.contains(x.id.as_str()) {
                sink.error(
                    x.span.clone(),
                    about(
                        &r.what,
                        "{what}: member \"{id}\" is a group with members itself; list its members instead",
                    )
                    .with("id", &x.id),
                );
            }
        }
    }
}

/// Sections nest without cycles.
fn nesting(sink: &mut Sink, sections: &[Read<Section>]) {
    let parent: HashMap<&str, &str> = sections
        .iter()
        .filter_map(|s| Some((s.item.id.as_str(), s.item.parent.as_ref()?.as_str())))
        .collect();
    for s in sections {
        let mut at = s.item.id.as_str();
        for _ in 0..=sections.len() {
            match parent.get(at) {
                Some(&p) if p == s.item.id.as_str() => {
                    sink.error(
                        s.id_span.clone(),
                        about(
                            &s.what,
                            "{what}: sections nest in a circle through `parent`",
                        ),
                    );
                    break;
                }
                Some(&p) => at = p,
                None => break,
            }
        }
    }
}

/// Every unit's name, or one of its aliases, occurs in the source: a renamed unit is caught.
fn names_in_source(sink: &mut Sink, units: &[Read<Unit>], source: &str) {
    for r in units.iter().filter(|r| r.named_in_source) {
        let u = &r.item;
        if u.name.is_empty() || source.contains(u.name.as_str()) {
            continue;
        }
        if u.aliases.iter().any(|a| source.contains(a.as_str())) {
            continue;
        }
        sink.error(
            r.id_span.clone(),
            about(
                &r.what,
                "{what}: neither its name \"{name}\" nor an alias occurs in the source document; \
                 correct the name, or set source_name = false with a note saying why",
            )
            .with("name", &u.name),
        );
    }
}
