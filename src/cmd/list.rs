//! `plantrack list`: what the plan holds.

use anyhow::Result;

use super::{Ctx, Outcome};
use crate::cli::{ListArgs, ListWhat};
use crate::view::listing::Listing;

pub fn run(ctx: &Ctx, args: &ListArgs) -> Result<Outcome> {
    let loaded = ctx.load_plan()?;
    let p = &loaded.plan;
    let listing = match args.what {
        ListWhat::Sections => Listing::Sections(p),
        ListWhat::Measures => Listing::Measures(p),
        ListWhat::Targets => Listing::Targets(p),
        ListWhat::Milestones => Listing::Milestones(p),
        ListWhat::Units => Listing::Units(p),
    };
    ctx.print(&listing)?;
    Ok(Outcome::Ok)
}
