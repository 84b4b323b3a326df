//! `plantrack remind`: the reminder notices (催办) for the as-of date.

use anyhow::Result;

use super::{Ctx, Outcome, usage};
use crate::cli::RemindArgs;
use crate::i18n::Message;
use crate::judge::Judged;
use crate::report::remind::Remind;

pub fn run(ctx: &Ctx, args: &RemindArgs) -> Result<Outcome> {
    if let Some(d) = args.reply_by.filter(|d| *d < ctx.as_of) {
        return usage(
            Message::new(
                "--reply-by {d} is before the as-of date {as_of}: a notice cannot ask for a report in the past",
            )
            .with("d", d)
            .with("as_of", ctx.as_of),
        );
    }
    let loaded = ctx.load_plan()?;
    // The ledger's facts and the verdicts are let go before the notices are drawn.
    let remind = {
        let snapshot = ctx.snapshot(loaded)?;
        let judged = Judged::new(&loaded.plan, &snapshot);
        Remind::compute(&loaded.plan, &judged, args.within, args.reply_by)
    };
    ctx.print(&remind)?;
    Ok(Outcome::Ok)
}
