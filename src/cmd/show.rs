//! `plantrack show ID`: one item or unit in full.

use anyhow::Result;

use crate::app::{Ctx, Outcome, usage};
use crate::cli::ShowArgs;
use crate::git;
use crate::report::plan_diff::{self, ItemRevision, Version};
use crate::report::show::{ShowView, Subject};

pub fn run(ctx: &Ctx, args: &ShowArgs) -> Result<Outcome> {
    let loaded = ctx.load_plan()?;
    let plan = &loaded.plan;
    let Some(subject) = Subject::find(plan, &args.id) else {
        if let Some(message) = super::missing_measure(plan, &args.id) {
            return usage(message);
        }
        let hint = super::not_found_hint(&args.id, Subject::keys(plan));
        return usage(format!("no item or unit \"{}\" in the plan{hint}", args.id));
    };
    let (history, revisions) = match subject {
        Subject::Item(item) => (
            Some(ctx.open_store(&loaded)?.history_of(&item.all_ids(), None)?),
            item_revisions(&loaded.path, &item.all_ids()),
        ),
        Subject::Unit(_) => (None, Vec::new()),
    };
    ctx.print(&ShowView {
        plan,
        subject,
        history: history.as_deref(),
        revisions: &revisions,
    })?;
    Ok(Outcome::Ok)
}

/// The revisions of the plan file in which the item (known by `ids`) changed; none outside git.
fn item_revisions(path: &std::path::Path, ids: &[&str]) -> Vec<ItemRevision> {
    let versions = git::plan_versions(path);
    let versions: Vec<Version> = versions
        .iter()
        .map(|(r, plan)| Version {
            commit: &r.short,
            date: &r.date,
            subject: &r.subject,
            plan,
        })
        .collect();
    plan_diff::item_revisions(ids, &versions)
}
