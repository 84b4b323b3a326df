//! The command layer: one file per subcommand, each of which loads what it needs, computes
//! a report and prints it, plus the context ([`Ctx`]) they share.

pub mod assess;
pub mod backup;
pub mod check;
mod ctx;
pub mod diff;
pub mod export;
pub mod fmt;
pub mod history;
pub mod list;
pub mod remind;
pub mod report;
pub mod schema;
pub mod shell;
pub mod show;
pub mod update;

use anyhow::Result;

use crate::i18n::Message;
use crate::model::{Item, Plan, Unit};
use crate::suggest;
pub use ctx::{Ctx, Failure, Outcome, UsageError, cannot_read, out, usage};

/// The unit a command-line argument names (id, name or alias), or a usage error with a hint.
pub fn unit_arg<'p>(plan: &'p Plan, key: &str) -> Result<&'p Unit> {
    match plan.find_unit(key) {
        Some(u) => Ok(u),
        None => {
            let keys = plan
                .units
                .iter()
                .flat_map(|u| [u.id.as_str(), u.name.as_str()]);
            usage(
                Message::new("no unit \"{key}\" in the plan{hint}")
                    .with_input("key", key)
                    .with_message("hint", not_found_hint(key, keys)),
            )
        }
    }
}

/// The measure, target or milestone a command-line argument names (current or former id).
pub fn item_arg<'p>(plan: &'p Plan, key: &str) -> Result<Item<'p>> {
    match plan.item(key) {
        Some(i) => Ok(i),
        None if let Some(message) = missing_measure(plan, key) => usage(message),
        None if plan.find_unit(key).is_some() => usage(
            Message::new(
                "\"{key}\" is a unit, not a measure, target or milestone; \
                 `plantrack report by-department --unit {key}` lists its items",
            )
            .with_input("key", key),
        ),
        None => {
            let keys = plan.items().map(|i| i.id().as_str());
            usage(
                Message::new("no measure, target or milestone \"{key}\" in the plan{hint}")
                    .with_input("key", key)
                    .with_message("hint", not_found_hint(key, keys)),
            )
        }
    }
}

/// Why `key` has no item, when it names a measure the source lacks (`M08`, `M8` or `8`).
pub fn missing_measure(plan: &Plan, key: &str) -> Option<Message> {
    let number = key
        .strip_prefix(['M', 'm'])
        .unwrap_or(key)
        .trim_start_matches('0');
    let missing = plan.meta.missing_measures.iter().find(|m| *m == number)?;
    Some(
        Message::new(
            "measure {missing} is missing from the source document (the plan records it under \
             missing_measures), so there is nothing to track",
        )
        .with("missing", missing),
    )
}

/// "did you mean" when something is close, else the list of what there is.
pub fn suggest_or_list<'a>(key: &str, keys: impl IntoIterator<Item = &'a str> + Clone) -> Message {
    match suggest::closest(key, keys.clone()) {
        Some(c) => suggest::did_you_mean(c),
        None => {
            let all: Vec<&str> = keys.into_iter().collect();
            Message::new("; expected one of: {all}").with("all", all.join(", "))
        }
    }
}

/// "did you mean" when something is close, else where to look the ids up.
pub fn not_found_hint<'a>(key: &str, keys: impl IntoIterator<Item = &'a str>) -> Message {
    match suggest::closest(key, keys) {
        Some(c) => suggest::did_you_mean(c),
        None => Message::new("; `plantrack list measures|targets|milestones|units` shows the ids"),
    }
}

pub use crate::join;
