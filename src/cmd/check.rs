//! `plantrack check`: validate the plan and report every problem.

use anyhow::Result;

use crate::app::{Ctx, Outcome};
use crate::plan;

pub fn run(ctx: &Ctx) -> Result<Outcome> {
    match plan::load(&ctx.plan_path) {
        Ok(loaded) => {
            for w in &loaded.warnings {
                eprintln!("{w}");
            }
            let p = &loaded.plan;
            crate::app::out(&format!(
                "{}: ok: {} sections, {} measures, {} targets, {} milestones, {} units{}\n",
                ctx.plan_path.display(),
                p.sections.len(),
                p.measures.len(),
                p.targets.len(),
                p.milestones.len(),
                p.units.len(),
                match loaded.warnings.len() {
                    0 => String::new(),
                    n => format!(", {n} warning{}", if n == 1 { "" } else { "s" }),
                }
            ))?;
            Ok(Outcome::Ok)
        }
        Err(errors) => {
            eprintln!("{errors}");
            Ok(Outcome::Failed)
        }
    }
}
