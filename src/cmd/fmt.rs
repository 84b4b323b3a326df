//! `plantrack fmt [--check] [FILE...]`: write plan files in the canonical layout
//! ([`crate::plan::format`]), each replaced in one step, or with `--check` only name the files
//! that are not in it.

use anyhow::{Context, Result};

use super::{Ctx, Outcome, out};
use crate::cli::FmtArgs;
use crate::files::write_atomic;
use crate::plan::format;

pub fn run(ctx: &Ctx, args: &FmtArgs) -> Result<Outcome> {
    let files = if args.files.is_empty() {
        vec![ctx.plan_path.clone()]
    } else {
        args.files.clone()
    };
    let mut failed = false;
    for path in &files {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {shown}"))?;
        let formatted = match format::format(&shown, &bytes) {
            Ok(formatted) => formatted,
            Err(diags) => {
                for d in diags {
                    crate::errln!("{d}");
                }
                crate::errln!("{shown}: not formatted: it is not valid TOML");
                failed = true;
                continue;
            }
        };
        if formatted == bytes {
            continue;
        }
        if args.check {
            out(&format!(
                "{shown}: not formatted; run `plantrack fmt {shown}`\n"
            ))?;
            failed = true;
        } else {
            // Through a symbolic link, the file it points to is the one to replace.
            let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            ctx.sweep(target.parent().unwrap_or(&target));
            write_atomic(&target, &formatted)?;
            out(&format!("{shown}: formatted\n"))?;
        }
    }
    Ok(if failed { Outcome::Failed } else { Outcome::Ok })
}
