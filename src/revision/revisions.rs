//! The plan's history seen from one item: the revisions in which it changed (for `show`), and
//! targets whose definition changed since their latest entry was recorded (for `report
//! by-target`). Reading the versions out of git is the command's job; this is pure.

use std::collections::{HashMap, HashSet};

use super::{Change, FieldChange, PartDiff, compare, definition_changes, renamed};
use crate::model::{Item, ItemId, Plan, Target};

use super::entities::item_entity;

/// A committed version of the plan, with the one item followed through it ([`item_in`]):
/// what is kept of a version once it has been read.
pub struct Version {
    pub commit: String,
    pub date: String,
    pub subject: String,
    pub item: Option<super::Entity>,
}

/// A revision in which an item changed.
#[derive(Clone, Debug)]
pub struct ItemRevision {
    pub commit: String,
    pub date: String,
    pub subject: String,
    pub change: PartDiff,
}

/// The item known by `ids` (its current id and former ids) in one version of the plan.
fn find<'p>(plan: &'p Plan, ids: &[&str]) -> Option<Item<'p>> {
    ids.iter().find_map(|id| plan.item(id))
}

/// The item known by `ids` in one version of the plan, as [`item_revisions`] compares it.
pub fn item_in(plan: &Plan, ids: &[&str]) -> Option<super::Entity> {
    find(plan, ids).map(|i| item_entity(plan, i))
}

/// The revisions in which the item changed, newest first, from `versions` (newest first).
/// The revision that added it is listed too, but only once it has changed since: an item
/// never edited has no revisions to show.
pub fn item_revisions(versions: &[Version]) -> Vec<ItemRevision> {
    let mut out = Vec::new();
    let mut before: Option<&super::Entity> = None;
    for v in versions.iter().rev() {
        let now = v.item.as_ref();
        let change = match (before, now) {
            (None, Some(n)) => Some(whole(n, Change::Added)),
            (Some(o), None) => Some(whole(o, Change::Removed)),
            (Some(o), Some(n)) if o.id != n.id => Some(renamed(o, n, &|_| false)),
            (Some(o), Some(n)) => compare(o, n),
            (None, None) => None,
        };
        if let Some(change) = change {
            out.push(ItemRevision {
                commit: v.commit.clone(),
                date: v.date.clone(),
                subject: v.subject.clone(),
                change,
            });
        }
        before = now;
    }
    if out.iter().all(|r| r.change.change == Change::Added) {
        out.clear();
    }
    out.reverse();
    out
}

fn whole(e: &super::Entity, change: Change) -> PartDiff {
    super::whole(e, change, None)
}

/// Targets whose definition (value, comparator, tolerance, unit, deadline) differs between the
/// plan their latest entry was recorded against and `plan`, whose file has `fingerprint`.
/// `recorded` finds the plans with the fingerprints the entries carry (in git); one it does
/// not find tells nothing.
pub fn changed_since_reported<'e>(
    plan: &'e Plan,
    fingerprint: &str,
    latest: impl Fn(&'e Target) -> Option<(&'e str, &'e ItemId)>,
    recorded: impl FnOnce(&HashSet<String>) -> HashMap<String, Plan>,
) -> HashMap<ItemId, Vec<FieldChange>> {
    let latest: Vec<(&Target, (&str, &ItemId))> = plan
        .targets
        .iter()
        .filter_map(|t| latest(t).map(|e| (t, e)))
        .filter(|(_, (recorded_against, _))| *recorded_against != fingerprint)
        .collect();
    let wanted: HashSet<String> = latest
        .iter()
        .map(|(_, (against, _))| against.to_string())
        .collect();
    if wanted.is_empty() {
        return HashMap::new();
    }
    let plans = recorded(&wanted);
    latest
        .into_iter()
        .filter_map(|(t, (against, under))| {
            let then = plans.get(against)?;
            // The entry's own id finds the target even when it has been renamed since.
            let old = then.item(under.as_str())?;
            let changes = definition_changes(then, old, plan, Item::Target(t));
            (!changes.is_empty()).then(|| (t.id.clone(), changes))
        })
        .collect()
}

/// The item of `plan` that most likely replaced the item `id`, which the plan no longer has:
/// the newest earlier version (`versions`, newest first) that had `id` says what the item was,
/// and the current item of the same kind that shares most of its facts, and at least half of
/// them, is its successor. For `check`'s hint on ledger entries about a removed id.
pub fn likely_successor<'p, 'v>(
    plan: &'p Plan,
    id: &str,
    versions: impl IntoIterator<Item = &'v Plan>,
) -> Option<&'p ItemId> {
    let (then, old) = versions
        .into_iter()
        .find_map(|v| v.items().find(|i| i.id().as_str() == id).map(|i| (v, i)))?;
    let old = item_entity(then, old);
    let shared = |new: &super::Entity| {
        old.facts
            .iter()
            .filter(|f| f.key != "previous_ids" && new.fact(f.key) == Some(&f.value))
            .count()
    };
    plan.items()
        .filter(|i| then.item(i.id().as_str()).is_none())
        .map(|i| (i.id(), item_entity(plan, i)))
        .filter(|(_, e)| e.part == old.part)
        .map(|(id, e)| (shared(&e), id))
        .filter(|(n, _)| 2 * n >= old.facts.len())
        .max_by_key(|(n, _)| *n)
        .map(|(_, id)| id)
}
