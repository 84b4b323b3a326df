//! `plantrack diff OLD NEW`: two versions of a plan compared in plan terms. Each side is a file,
//! or `REV:PATH` read from git. `--textconv FILE` prints one plan as sorted facts, for git.

use std::path::Path;

use anyhow::Result;

use super::{Ctx, Outcome, UsageError, cannot_read, out, usage};
use crate::cli::DiffArgs;
use crate::i18n::{Lang, Message};
use crate::plan::{self, Loaded};
use crate::revision::{self, git};
use crate::view::revision::PlanDiffView;

pub fn run(ctx: &Ctx, args: &DiffArgs) -> Result<Outcome> {
    if let Some(file) = &args.textconv {
        return textconv(file);
    }
    let old = args.old.as_deref().unwrap_or_default();
    let new = args.new.as_deref().unwrap_or_default();
    // Both sides are read before giving up, so that every problem shows in one run.
    let (old_plan, new_plan) = (read_side(old, ctx.lang)?, read_side(new, ctx.lang)?);
    let (Some(old_plan), Some(new_plan)) = (old_plan, new_plan) else {
        return Ok(Outcome::Failed);
    };
    let changes = revision::diff(&old_plan.plan, &new_plan.plan);
    ctx.print(&PlanDiffView {
        plan: &new_plan.plan.meta.id,
        as_of: ctx.as_of,
        old,
        new,
        changes: &changes,
    })?;
    Ok(if args.exit_code && !changes.is_empty() {
        Outcome::Failed
    } else {
        Outcome::Ok
    })
}

/// One side of the diff, validated; `None` (after printing every diagnostic) when it is not a
/// valid plan. A side that cannot be read at all is a usage error.
fn read_side(arg: &str, lang: Lang) -> Result<Option<Loaded>> {
    let path = Path::new(arg);
    // A diff compares plan facts: it needs neither side's source document (`check` is where
    // quotes are verified against it), so a revision whose source is gone still compares.
    let loaded = if path.is_file() {
        let bytes = crate::files::read_input(path).map_err(cannot_read(arg))?;
        plan::load_bytes(arg, &bytes, path, None)
    } else {
        let Some((rev, file)) = arg.split_once(':') else {
            return usage(
                Message::new(
                    "{arg}: no such file (a plan in git is written REV:PATH, e.g. HEAD~1:plan/regional.toml)",
                )
                .with("arg", arg),
            );
        };
        let here = Path::new(".");
        let bytes = git::show(here, rev, file).map_err(|e| {
            let message = Message::new("{arg}: {why}").with("arg", arg);
            UsageError(message.with_message("why", e.message()))
        })?;
        plan::load_bytes(arg, &bytes, Path::new(file), None)
    };
    match loaded {
        Ok(loaded) => Ok(Some(loaded)),
        Err(errors) => {
            let refused = Message::new("{arg} is not a valid plan; nothing compared");
            crate::errln!("{}", errors.text(lang));
            crate::errln!(
                "{}: {}",
                lang.t("error"),
                refused.with("arg", arg).text(lang)
            );
            Ok(None)
        }
    }
}

/// For `git diff` through a textconv driver (plan/GIT.md): the plan as sorted facts. git shows
/// whatever this prints, so a file that is not a valid plan is printed as it is.
fn textconv(file: &Path) -> Result<Outcome> {
    let shown = file.display().to_string();
    let bytes = std::fs::read(file).map_err(cannot_read(&shown))?;
    // git hands over a copy in a temporary folder: the source document is out of reach.
    match plan::load_bytes(&shown, &bytes, file, None) {
        Ok(loaded) => out(&revision::plan_text(&loaded.plan))?,
        Err(_) => out(&format!(
            "# plantrack: not a valid plan, shown as written\n{}",
            String::from_utf8_lossy(&bytes)
        ))?,
    }
    Ok(Outcome::Ok)
}
