//! `plantrack list`: what the plan holds.

use anyhow::Result;

use super::{Ctx, Outcome};
use crate::cli::{ListArgs, ListWhat};
use crate::view::listing::{Listed, Listing};

pub fn run(ctx: &Ctx, args: &ListArgs) -> Result<Outcome> {
    let loaded = ctx.load_plan()?;
    let p = &loaded.plan;
    let list = match args.what {
        ListWhat::Sections => Listed::Sections(p),
        ListWhat::Measures => Listed::Measures(p),
        ListWhat::Targets => Listed::Targets(p),
        ListWhat::Milestones => Listed::Milestones(p),
        ListWhat::Units => Listed::Units(p),
    };
    ctx.print(&Listing {
        list,
        as_of: ctx.as_of,
    })?;
    Ok(Outcome::Ok)
}
