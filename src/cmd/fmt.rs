//! `plantrack fmt [--check] [FILE...]`: write plan files in the canonical layout
//! ([`crate::plan::format`]), each replaced in one step, or with `--check` only name the files
//! that are not in it.

use anyhow::Result;

use super::{Ctx, Outcome, cannot_read, out};
use crate::cli::FmtArgs;
use crate::files::write_atomic;
use crate::i18n::Message;
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
        let bytes = std::fs::read(path).map_err(cannot_read(&shown))?;
        let formatted = match format::format(&shown, &bytes) {
            Ok(formatted) => formatted,
            Err(diags) => {
                for d in diags {
                    crate::errln!("{}", d.text(ctx.lang));
                }
                let refused = Message::new("{path}: not formatted: it is not valid TOML");
                crate::errln!("{}", refused.with("path", &shown).text(ctx.lang));
                failed = true;
                continue;
            }
        };
        if formatted == bytes {
            continue;
        }
        if args.check {
            let unformatted = Message::new("{path}: not formatted; run `plantrack fmt {path}`");
            out(&format!(
                "{}\n",
                unformatted.with("path", &shown).text(ctx.lang)
            ))?;
            failed = true;
        } else {
            // Through a symbolic link, the file it points to is the one to replace.
            let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            ctx.sweep(target.parent().unwrap_or(&target));
            write_atomic(&target, &formatted)?;
            let formatted = Message::new("{path}: formatted").with("path", &shown);
            out(&format!("{}\n", formatted.text(ctx.lang)))?;
        }
    }
    Ok(if failed { Outcome::Failed } else { Outcome::Ok })
}
