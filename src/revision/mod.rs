//! Plan revisions: what changed between two versions of a plan, in plan terms (`plantrack
//! diff`), and the versions a plan has had in git ([`git`]). The comparison is a pure function
//! of two validated plans; reading them (from files or git) is the command's job.
//!
//! Parts are matched by id. An item of the new plan whose `previous_ids` holds an id that the
//! old plan had and the new one no longer has is that item renamed, not a removal and an
//! addition; its facts are then compared with the old item's.

mod entities;
pub mod git;
mod revisions;

use std::collections::HashSet;

pub use entities::{Entity, FactValue, Part, item_entity, plan_text};
pub use revisions::{
    ItemRevision, Version, changed_since_reported, item_in, item_revisions, likely_successor,
};

use crate::model::{Item, Plan, str_enum};

str_enum! {
    /// How a part of the plan changed.
    pub enum Change { Added = "added", Removed = "removed", Renamed = "renamed", Changed = "changed" }
}

/// One fact that differs; `None` is a fact the plan does not state (no deadline of its own,
/// no note).
#[derive(Clone, Debug, PartialEq)]
pub struct FieldChange {
    pub key: &'static str,
    pub old: Option<FactValue>,
    pub new: Option<FactValue>,
}

/// What happened to one part of the plan.
#[derive(Clone, Debug)]
pub struct PartDiff {
    pub part: Part,
    /// The id in the new plan (in the old one for a removal).
    pub id: String,
    pub title: String,
    pub change: Change,
    /// For a rename: the id in the old plan.
    pub previous_id: Option<String>,
    /// For a removal: the item that now lists the removed id among its former ids.
    pub successor: Option<String>,
    pub fields: Vec<FieldChange>,
}

/// Every change from `old` to `new`: by kind of part (plan, sections, measures, targets,
/// milestones, units), each in the new plan's order, then what was removed.
pub fn diff(old: &Plan, new: &Plan) -> Vec<PartDiff> {
    let olds = entities::entities(old);
    let news = entities::entities(new);
    let new_ids: HashSet<(bool, &str)> = news.iter().map(|e| key(e, &e.id)).collect();
    let mut matched: HashSet<(Part, &str)> = HashSet::new();
    let mut out = Vec::new();
    for part in Part::ALL {
        for n in news.iter().filter(|n| n.part == *part) {
            if let Some(o) = olds.iter().find(|o| o.part == n.part && o.id == n.id) {
                matched.insert((o.part, &o.id));
                out.extend(compare(o, n));
                continue;
            }
            // Former ids that were current in the old plan and are gone from the new one.
            let mut sources = n.previous_ids.iter().filter_map(|p| {
                olds.iter()
                    .find(|o| key(o, &o.id) == key(n, p) && !new_ids.contains(&key(o, &o.id)))
            });
            match sources.next() {
                Some(o) => {
                    matched.insert((o.part, &o.id));
                    out.push(renamed(o, n, &|id| {
                        olds.iter().any(|o| o.part.is_item() && o.id == id)
                    }));
                }
                None => out.push(whole(n, Change::Added, None)),
            }
        }
    }
    for o in &olds {
        if matched.contains(&(o.part, o.id.as_str())) {
            continue;
        }
        // Listed as a former id, but another former id was the rename: the items merged.
        let successor = news
            .iter()
            .find(|n| n.part.is_item() == o.part.is_item() && n.previous_ids.contains(&o.id))
            .map(|n| n.id.clone());
        out.push(whole(o, Change::Removed, successor));
    }
    out.sort_by_key(|d| d.part);
    out
}

/// Items share one namespace of ids; sections and units each have their own.
fn key<'a>(e: &Entity, id: &'a str) -> (bool, &'a str) {
    (e.part.is_item(), id)
}

fn whole(e: &Entity, change: Change, successor: Option<String>) -> PartDiff {
    PartDiff {
        part: e.part,
        id: e.id.clone(),
        title: e.title.clone(),
        change,
        previous_id: None,
        successor,
        fields: Vec::new(),
    }
}

/// `old` renamed to `new`. `was_current` tells the ids that were current in the old plan.
fn renamed(old: &Entity, new: &Entity, was_current: &dyn Fn(&str) -> bool) -> PartDiff {
    let mut fields = fields(old, new);
    // Former ids that were current in the old plan are this rename, or items merged into this
    // one (reported as removed): listing them again would say the same twice.
    let added = new
        .previous_ids
        .iter()
        .any(|p| *p != old.id && !old.previous_ids.contains(p) && !was_current(p));
    let dropped = old
        .previous_ids
        .iter()
        .any(|p| !new.previous_ids.contains(p));
    if !added && !dropped {
        fields.retain(|f| f.key != "previous_ids");
    }
    PartDiff {
        part: new.part,
        id: new.id.clone(),
        title: new.title.clone(),
        change: Change::Renamed,
        previous_id: Some(old.id.clone()),
        successor: None,
        fields,
    }
}

/// The changes between two versions of the same part, if any.
pub fn compare(old: &Entity, new: &Entity) -> Option<PartDiff> {
    let fields = fields(old, new);
    (!fields.is_empty()).then(|| PartDiff {
        part: new.part,
        id: new.id.clone(),
        title: new.title.clone(),
        change: Change::Changed,
        previous_id: None,
        successor: None,
        fields,
    })
}

/// The facts that differ, in the new part's order, then facts only the old part had.
fn fields(old: &Entity, new: &Entity) -> Vec<FieldChange> {
    let keys = new
        .facts
        .iter()
        .chain(&old.facts)
        .map(|f| f.key)
        .fold(Vec::new(), |mut keys, k| {
            if !keys.contains(&k) {
                keys.push(k);
            }
            keys
        });
    keys.into_iter()
        .filter_map(|key| {
            let (o, n) = (old.fact(key), new.fact(key));
            (o != n).then(|| FieldChange {
                key,
                old: o.cloned(),
                new: n.cloned(),
            })
        })
        .collect()
}

/// The keys that define what a target asks for.
pub const TARGET_DEFINITION: [&str; 5] = ["value", "comparator", "tolerance", "unit", "due"];

/// How a target's definition (value, comparator, tolerance, unit, deadline) differs between
/// two plans; empty when it is the same.
pub fn definition_changes(
    old_plan: &Plan,
    old: Item<'_>,
    new_plan: &Plan,
    new: Item<'_>,
) -> Vec<FieldChange> {
    let mut changes = fields(&item_entity(old_plan, old), &item_entity(new_plan, new));
    changes.retain(|c| TARGET_DEFINITION.contains(&c.key));
    changes
}

#[cfg(test)]
mod tests;
