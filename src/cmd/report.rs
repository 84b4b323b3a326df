//! `plantrack report …`: the overdue, by-department and by-target reports.

use anyhow::Result;

use crate::app::{Ctx, Outcome};
use crate::cli::ReportCommand;
use crate::report::by_department::ByDepartment;
use crate::report::by_target::ByTarget;
use crate::report::overdue::Overdue;

pub fn run(ctx: &Ctx, command: &ReportCommand) -> Result<Outcome> {
    let loaded = ctx.load_plan()?;
    let plan = &loaded.plan;
    let facts = ctx.facts(&loaded)?;
    match command {
        ReportCommand::Overdue => ctx.print(&Overdue::compute(plan, &facts))?,
        ReportCommand::ByTarget => ctx.print(&ByTarget::compute(plan, &facts))?,
        ReportCommand::ByDepartment(args) => {
            let unit = args
                .unit
                .as_deref()
                .map(|key| super::unit_arg(plan, key))
                .transpose()?;
            ctx.print(&ByDepartment::compute(plan, &facts, unit))?
        }
    }
    Ok(Outcome::Ok)
}
