//! `plantrack history [ID]`: the ledger, newest first, with superseded entries marked.

use anyhow::Result;

use super::item_arg;
use crate::app::{Ctx, Outcome};
use crate::cli::HistoryArgs;
use crate::report::history::History;

pub fn run(ctx: &Ctx, args: &HistoryArgs) -> Result<Outcome> {
    let loaded = ctx.load_plan()?;
    let plan = &loaded.plan;
    let store = ctx.open_store(&loaded)?;
    let entries = match &args.id {
        Some(id) => {
            let item = item_arg(plan, id)?;
            store.history_of(&item.all_ids(), None)?
        }
        None => store.all()?,
    };
    ctx.print(&History {
        plan,
        entries: &entries,
    })?;
    Ok(Outcome::Ok)
}
