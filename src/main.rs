//! The plantrack binary: parse the command line, run it, turn the outcome into an exit code.

use std::process::ExitCode;

/// mimalloc rather than the system allocator: a province-sized plan is tens of thousands of
/// small strings, and glibc's malloc spent a third of a report's time consolidating them.
/// Built without huge pages (`no_thp`, Cargo.toml): they cost 15 MiB of resident memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::FromArgMatches;
use plantrack::cli::Cli;
use plantrack::{app, help};

/// mimalloc's option `mi_option_purge_delay` (its number in mimalloc.h, version 3): how many
/// milliseconds freed memory stays resident before it is returned to the system (1000).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // Memory is returned as soon as it is freed, not a second later: a report lets go of the
    // ledger's facts and the verdicts (33 MB at 100,000 items) before it is drawn, and the
    // drawing then does not add to the peak (report overdue at 100k: 109 → 98 MiB).
    // (Unless the user set it: MIMALLOC_PURGE_DELAY.) A delay of 10 ms made the bulletin's
    // folder 4 ms of CPU quicker at 1k, and its peak at 100k 173 → 189 MiB, near its budget.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's options, which takes any number.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    }
    let env = app::Env::from_process();
    // Help and errors in the reader's language: the command line is built for it.
    let command = help::command(app::lang_before_parsing(&env));
    let matches = match command.clone().try_get_matches() {
        Ok(m) => m,
        Err(e) => return app::command_line_error(e, &env),
    };
    if let Some(("help", asked)) = matches.subcommand() {
        return help::print(command, asked);
    }
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return app::command_line_error(e, &env),
    };
    let lang = app::lang_of(&cli, &env);
    let code = app::exit(app::run(cli, &env), lang);
    // The system takes every page back when the process ends: without this, mimalloc returns
    // them one by one at exit (86 calls to the kernel after the 1k bulletin, 3 ms).
    // SAFETY: sets one of mimalloc's options, which takes any number.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_is_mimallocs_option() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            eprintln!("skipped: MIMALLOC_PURGE_DELAY is set, so the default cannot be seen");
            return;
        }
        // SAFETY: reads one of mimalloc's options.
        let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(
            delay, 1000,
            "mimalloc's default purge delay: has the option's number moved?"
        );
    }
}
