//! One item in full: its text, target, units, and (with a ledger) its update history.

use crate::model::*;
use crate::revision::ItemRevision;

/// What `show` is about.
#[derive(Clone, Copy, Debug)]
pub enum Subject<'p> {
    Item(Item<'p>),
    Unit(&'p Unit),
}

impl<'p> Subject<'p> {
    /// Finds an item by id (or former id), or a unit by id, name or alias.
    pub fn find(plan: &'p Plan, key: &str) -> Option<Subject<'p>> {
        plan.item(key)
            .map(Subject::Item)
            .or_else(|| plan.find_unit(key).map(Subject::Unit))
    }

    /// Every key `find` accepts, for "did you mean".
    pub fn keys(plan: &Plan) -> Vec<&str> {
        plan.items()
            .map(|i| i.id().as_str())
            .chain(plan.units.iter().flat_map(|u| {
                [u.id.as_str(), u.name.as_str()]
                    .into_iter()
                    .chain(u.aliases.iter().map(String::as_str))
            }))
            .collect()
    }
}

pub struct ShowView<'p> {
    pub plan: &'p Plan,
    pub as_of: chrono::NaiveDate,
    pub subject: Subject<'p>,
    /// The item's ledger entries, newest first (items only).
    pub history: Option<&'p [Entry]>,
    /// The plan revisions in which the item changed, newest first (from git; may be empty).
    pub revisions: &'p [ItemRevision],
}
