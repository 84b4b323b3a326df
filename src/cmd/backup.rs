//! `plantrack backup FILE`: a consistent copy of the ledger, safe while others write.

use std::path::Path;

use anyhow::Result;

use super::{Ctx, Outcome, out, usage};
use crate::cli::BackupArgs;
use crate::i18n::Message;

pub fn run(ctx: &Ctx, args: &BackupArgs) -> Result<Outcome> {
    let loaded = ctx.load_plan()?;
    let Some(store) = ctx.read_store(loaded)? else {
        return usage(
            Message::new("there is no ledger to back up yet at {path}")
                .with("path", ctx.db_path(loaded).display()),
        );
    };
    ctx.sweep(args.file.parent().unwrap_or(Path::new(".")));
    store.backup(&args.file)?;
    let done = Message::new("backed up the ledger to {file}").with("file", args.file.display());
    out(&format!("{}\n", done.text(ctx.lang)))?;
    Ok(Outcome::Ok)
}
