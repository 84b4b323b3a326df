//! The plantrack binary: parse the command line, run it, turn the outcome into an exit code.

use std::process::ExitCode;

/// mimalloc rather than the system allocator: a province-sized plan is tens of thousands of
/// small strings, and glibc's malloc spent a third of a report's time consolidating them.
/// Built without huge pages (`no_thp`, Cargo.toml): they cost 15 MiB of resident memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::FromArgMatches;
use plantrack::cli::{Cli, Command, MonthlyArgs, ReportCommand};
use plantrack::{app, help};

/// mimalloc's option `mi_option_purge_delay` (its number in mimalloc.h, version 3): how many
/// milliseconds freed memory stays resident before it is returned to the system (1000).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long, in milliseconds, memory freed while `cli` runs stays resident.
///
/// A report returns it at once: it lets go of the ledger's facts and the verdicts (33 MB at
/// 100,000 items) before it is drawn, and the drawing then does not add to the peak (report
/// overdue at 100k: 109 → 98 MiB). The bulletin's folder is written on several threads at
/// once, where returning every freed page at once costs more than it saves (each return
/// interrupts the other threads): with a delay of 10 ms it takes 43 → 39 ms of CPU at 1k
/// (median of 21), and at 100k stays under 200 MiB (173 → 180 MiB).
fn purge_delay(cli: &Cli) -> i64 {
    match &cli.command {
        Command::Report(ReportCommand::Monthly(MonthlyArgs { out: Some(_), .. })) => 10,
        _ => 0,
    }
}

fn main() -> ExitCode {
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
    // Unless the user set it: MIMALLOC_PURGE_DELAY.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's options, which takes any number.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, purge_delay(&cli)) };
    }
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
    fn only_the_bulletins_folder_keeps_freed_memory_a_while() {
        use clap::Parser;
        let delay = |args: &[&str]| purge_delay(&Cli::try_parse_from(args).unwrap());
        assert_eq!(
            delay(&["plantrack", "report", "monthly", "--out", "bulletin"]),
            10
        );
        assert_eq!(delay(&["plantrack", "report", "monthly"]), 0);
        assert_eq!(delay(&["plantrack", "report", "overdue"]), 0);
        assert_eq!(delay(&["plantrack", "check"]), 0);
    }

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
