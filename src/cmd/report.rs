//! `plantrack report …`: the overdue, by-department, by-target and monthly reports.

use anyhow::{Context, Result};

use crate::app::{Ctx, Outcome, out, usage, write_atomic};
use crate::cli::{ByDepartmentArgs, MonthlyArgs, ReportCommand};
use crate::git;
use crate::model::Item;
use crate::plan::Loaded;
use crate::render::{self, Format};
use crate::report::by_department::ByDepartment;
use crate::report::by_target::ByTarget;
use crate::report::facts::Facts;
use crate::report::monthly::{Month, Monthly, MonthlyInput};
use crate::report::overdue::Overdue;
use crate::report::plan_diff::changed_since_reported;

pub fn run(ctx: &Ctx, command: &ReportCommand) -> Result<Outcome> {
    let loaded = ctx.load_plan()?;
    match command {
        ReportCommand::Overdue => {
            let facts = ctx.facts(&loaded)?;
            ctx.print(&Overdue::compute(&loaded.plan, &facts))?;
        }
        ReportCommand::ByTarget => by_target(ctx, &loaded)?,
        ReportCommand::ByDepartment(args) => by_department(ctx, &loaded, args)?,
        // The bulletin compares two dates of its own, and may write files.
        ReportCommand::Monthly(args) => monthly(ctx, &loaded, args)?,
    }
    Ok(Outcome::Ok)
}

fn by_target(ctx: &Ctx, loaded: &Loaded) -> Result<()> {
    let plan = &loaded.plan;
    let facts = ctx.facts(loaded)?;
    let mut view = ByTarget::compute(plan, &facts);
    // Targets changed since their latest entry, found through the plan's git history.
    let versions = |wanted: &_| git::plans_by_fingerprint(&loaded.path, wanted);
    let changed = changed_since_reported(plan, &loaded.fingerprint, &facts, versions);
    view.note_changed_targets(changed);
    ctx.print(&view)
}

fn by_department(ctx: &Ctx, loaded: &Loaded, args: &ByDepartmentArgs) -> Result<()> {
    let plan = &loaded.plan;
    let facts = ctx.facts(loaded)?;
    let unit = args
        .unit
        .as_deref()
        .map(|key| super::unit_arg(plan, key))
        .transpose()?;
    ctx.print(&ByDepartment::compute(plan, &facts, unit))
}

/// The monthly bulletin, printed or written as every format into a folder.
fn monthly(ctx: &Ctx, loaded: &Loaded, args: &MonthlyArgs) -> Result<()> {
    let plan = &loaded.plan;
    let month = match &args.month {
        Some(m) => match Month::parse(m) {
            Some(month) => month,
            None => {
                return usage(format!(
                    "--month \"{m}\" is not a month; write YYYY-MM, e.g. 2021-01"
                ));
            }
        },
        None => Month::completed_by(ctx.as_of),
    };
    if month.last_day() > ctx.as_of {
        return usage(format!(
            "{month} is not over on the as-of date {}; report a month that has ended, or pass a later --as-of",
            ctx.as_of
        ));
    }
    if month.last_day() < plan.meta.issued {
        return usage(format!(
            "{month} ended before the plan was issued ({})",
            plan.meta.issued
        ));
    }
    let store = ctx.open_store(loaded)?;
    let end = month.last_day();
    let now = Facts::gather(plan, &store, end)?;
    let prev = Facts::gather(plan, &store, month.prev().last_day())?;
    let entries = store.between(month.first_day(), end)?;
    let mut trends = Vec::new();
    for t in &plan.targets {
        let mut points: Vec<_> = store
            .history_of(&Item::Target(t).all_ids(), Some(end))?
            .into_iter()
            .filter(|e| e.superseded_by.is_none())
            .filter_map(|e| e.value().map(|v| (e.date, v)))
            .collect();
        points.reverse();
        points.sort_by_key(|p| p.0);
        trends.push((t.id.clone(), points));
    }
    let report = Monthly::compute(
        plan,
        month,
        MonthlyInput {
            now: &now,
            prev: &prev,
            entries: &entries,
            trends,
        },
    );
    match &args.out {
        None => ctx.print(&report)?,
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            for format in Format::ALL {
                let path = dir.join(format!("{month}.{}", format.extension()));
                let bytes = render::render(&report, format, ctx.lang, None)?;
                write_atomic(&path, &bytes)?;
                out(&format!("wrote {}\n", path.display()))?;
            }
        }
    }
    Ok(())
}
