//! `plantrack show ID`: one item or unit in full.

use anyhow::Result;

use super::{Ctx, Outcome, usage};
use crate::cli::ShowArgs;
use crate::i18n::Message;
use crate::report::show::{ShowView, Subject};
use crate::revision::{self, ItemRevision, Version, git};
use crate::store::Scan;

pub fn run(ctx: &Ctx, args: &ShowArgs) -> Result<Outcome> {
    let loaded = ctx.load_plan()?;
    let plan = &loaded.plan;
    let Some(subject) = Subject::find(plan, &args.id) else {
        if let Some(message) = super::missing_measure(plan, &args.id) {
            return usage(message);
        }
        let hint = super::not_found_hint(&args.id, Subject::keys(plan));
        return usage(
            Message::new("no item or unit \"{key}\" in the plan{hint}")
                .with_input("key", &args.id)
                .with_message("hint", hint),
        );
    };
    let (history, revisions) = match subject {
        Subject::Item(item) => {
            let ids = item.all_ids();
            let scan = Scan {
                ids: Some(&ids),
                newest_first: true,
                ..Scan::default()
            };
            let history = match ctx.read_store(loaded)? {
                Some(store) => store.entries(&scan)?,
                None => Vec::new(),
            };
            (Some(history), item_revisions(ctx, &loaded.path, &ids))
        }
        Subject::Unit(_) => (None, Vec::new()),
    };
    ctx.print(&ShowView {
        plan,
        as_of: ctx.as_of,
        subject,
        history: history.as_deref(),
        revisions: &revisions,
    })?;
    Ok(Outcome::Ok)
}

/// The revisions of the plan file in which the item (known by `ids`) changed; none outside git.
fn item_revisions(ctx: &Ctx, path: &std::path::Path, ids: &[&str]) -> Vec<ItemRevision> {
    let mut versions = Vec::new();
    let lookback = git::each_plan_version(path, |r, plan| {
        versions.push(Version {
            commit: r.short.clone(),
            date: r.date.clone(),
            subject: r.subject.clone(),
            item: revision::item_in(plan, ids),
        });
        std::ops::ControlFlow::Continue(())
    });
    if let Some(lookback) = lookback.filter(|l| l.cut) {
        let note = ctx.lang.fill(
            "note: the item's changes were looked for in the {n} latest versions of the plan only; older versions of a plan this large are not read",
            &[("n", lookback.read.to_string())],
        );
        crate::errln!("{note}");
    }
    revision::item_revisions(&versions)
}
