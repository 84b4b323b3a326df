//! `plantrack assess`: the annual department assessment, for every unit or one unit in detail.

use anyhow::Result;
use chrono::Datelike;

use super::unit_arg;
use super::{Ctx, Outcome, usage};
use crate::cli::AssessArgs;
use crate::i18n::Message;
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
        return usage(
            Message::new("{name} ({unit}) is not assessed: {why}")
                .with("name", &u.name)
                .with("unit", &u.id)
                .with_message("why", Message::new(why)),
        );
    }
    let year = args.year.unwrap_or(ctx.as_of.year());
    let issued = plan.meta.issued;
    if year < issued.year() {
        return usage(
            Message::new(
                "--year {year}: the plan was issued on {issued}, so there is nothing to assess",
            )
            .with("year", year)
            .with("issued", issued),
        );
    }
    let Some(period) = Period::new(year, ctx.as_of) else {
        return usage(
            Message::new(
                "--year {year} has not begun by {as_of}; pass an earlier --year or a later --as-of",
            )
            .with("year", year)
            .with("as_of", ctx.as_of),
        );
    };
    // The ledger's facts are let go before the assessment is drawn.
    let assess = Assess::compute(plan, &ctx.snapshot_at(loaded, period.end)?, period, unit);
    ctx.print(&assess)?;
    Ok(Outcome::Ok)
}
