//! `plantrack show ID`: one item or unit in full.

use anyhow::Result;

use crate::app::{Ctx, Outcome, usage};
use crate::cli::ShowArgs;
use crate::report::show::{ShowView, Subject};

pub fn run(ctx: &Ctx, args: &ShowArgs) -> Result<Outcome> {
    let loaded = ctx.load_plan()?;
    let plan = &loaded.plan;
    let Some(subject) = Subject::find(plan, &args.id) else {
        let hint = super::not_found_hint(&args.id, Subject::keys(plan));
        return usage(format!("no item or unit \"{}\" in the plan{hint}", args.id));
    };
    ctx.print(&ShowView {
        plan,
        subject,
        history: None,
    })?;
    Ok(Outcome::Ok)
}
