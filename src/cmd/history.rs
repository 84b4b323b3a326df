//! `plantrack history [ID]`: the ledger, newest first, with superseded entries marked.

use anyhow::Result;

use super::item_arg;
use super::{Ctx, Outcome};
use crate::cli::HistoryArgs;
use crate::store::Scan;
use crate::view::history::History;

pub fn run(ctx: &Ctx, args: &HistoryArgs) -> Result<Outcome> {
    let loaded = ctx.load_plan()?;
    let plan = &loaded.plan;
    let ids = match &args.id {
        Some(id) => Some(item_arg(plan, id)?.all_ids()),
        None => None,
    };
    // The ledger as it stood on the as-of date: what was reported for dates up to it.
    let scan = Scan {
        ids: ids.as_deref(),
        to: Some(ctx.as_of),
        newest_first: true,
        ..Scan::default()
    };
    let entries = match ctx.read_store(&loaded)? {
        Some(store) => store.entries(&scan)?,
        None => Vec::new(),
    };
    ctx.print(&History {
        plan,
        as_of: ctx.as_of,
        entries: &entries,
    })?;
    Ok(Outcome::Ok)
}
