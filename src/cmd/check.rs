//! `plantrack check`: validate the plan, then the ledger against it, and report every problem.

use anyhow::Result;

use crate::app::{Ctx, Outcome, out};
use crate::model::Plan;
use crate::plan;
use crate::store::Store;
use crate::suggest;

pub fn run(ctx: &Ctx) -> Result<Outcome> {
    let loaded = match plan::load(&ctx.plan_path) {
        Ok(loaded) => loaded,
        Err(errors) => {
            eprintln!("{errors}");
            return Ok(Outcome::Failed);
        }
    };
    for w in &loaded.warnings {
        eprintln!("{w}");
    }
    let p = &loaded.plan;
    let db = ctx.db_path(&loaded);
    let ledger_warnings = if db.exists() {
        let store = Store::open(&db)?;
        let warnings = orphans(p, &store)?;
        for w in &warnings {
            eprintln!("{}: warning: {w}", db.display());
        }
        warnings.len()
    } else {
        0
    };
    let warnings = loaded.warnings.len() + ledger_warnings;
    out(&format!(
        "{}: ok: {} sections, {} measures, {} targets, {} milestones, {} units{}\n",
        ctx.plan_path.display(),
        p.sections.len(),
        p.measures.len(),
        p.targets.len(),
        p.milestones.len(),
        p.units.len(),
        match warnings {
            0 => String::new(),
            n => format!(", {n} warning{}", if n == 1 { "" } else { "s" }),
        }
    ))?;
    Ok(Outcome::Ok)
}

/// Ledger entries recorded under an id that is neither a current nor a former id of any item.
/// They are never deleted; the officer either restores the item or lists the old id under the
/// new item's `previous_ids`.
pub fn orphans(plan: &Plan, store: &Store) -> Result<Vec<String>> {
    let known = plan.all_ids();
    let current: Vec<&str> = plan.items().map(|i| i.id().as_str()).collect();
    Ok(store
        .item_ids()?
        .into_iter()
        .filter(|(id, _)| !known.iter().any(|(k, _)| k == id))
        .map(|(id, n)| {
            let hint = match suggest::closest(&id, current.iter().copied()) {
                Some(c) => format!("; if it was renamed, add previous_ids = [\"{id}\"] to {c}"),
                None => "; restore the item, or list the id under previous_ids of the item that replaces it".into(),
            };
            format!("{n} ledger entr{} about \"{id}\", which is not in the plan{hint}", if n == 1 { "y" } else { "ies" })
        })
        .collect())
}
