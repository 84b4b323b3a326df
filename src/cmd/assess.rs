//! `plantrack assess`: the annual department assessment, for every unit or one unit in detail.

use anyhow::Result;
use chrono::Datelike;

use super::unit_arg;
use super::{Ctx, Outcome, usage};
use crate::cli::AssessArgs;
use crate::report::assess::{Assess, Period, assessed_units};

pub fn run(ctx: &Ctx, args: &AssessArgs) -> Result<Outcome> {
    let loaded = ctx.load_plan()?;
    let plan = &loaded.plan;
    let unit = args
        .unit
        .as_deref()
        .map(|key| unit_arg(plan, key))
        .transpose()?;
    if let Some(u) = unit
        && !assessed_units(plan).any(|a| a.id == u.id)
    {
        let why = if plan.is_supervisor(&u.id) {
            "it is the plan's supervisor"
        } else {
            "it is responsible for no item"
        };
        return usage(format!("{} ({}) is not assessed: {why}", u.name, u.id));
    }
    let year = args.year.unwrap_or(ctx.as_of.year());
    let issued = plan.meta.issued;
    if year < issued.year() {
        return usage(format!(
            "--year {year}: the plan was issued on {issued}, so there is nothing to assess"
        ));
    }
    let Some(period) = Period::new(year, ctx.as_of) else {
        return usage(format!(
            "--year {year} has not begun by {}; pass an earlier --year or a later --as-of",
            ctx.as_of
        ));
    };
    let snapshot = ctx.snapshot_at(&loaded, period.end)?;
    ctx.print(&Assess::compute(plan, &snapshot, period, unit))?;
    Ok(Outcome::Ok)
}
