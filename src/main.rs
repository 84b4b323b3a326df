//! The plantrack binary: parse the command line, run it, turn the outcome into an exit code.

use std::process::ExitCode;

/// mimalloc rather than the system allocator: a province-sized plan is tens of thousands of
/// small strings, and glibc's malloc spent a third of a report's time consolidating them.
/// Built without huge pages (`no_thp`, Cargo.toml): they cost 15 MiB of resident memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::FromArgMatches;
use plantrack::cli::Cli;
use plantrack::{app, help, memory};

fn main() -> ExitCode {
    // Freed memory goes back at once: see `plantrack::memory`.
    memory::return_freed_at_once();
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
    memory::keep_freed_to_exit();
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Here, where mimalloc is the allocator and no other test runs at the same time.
    #[test]
    fn the_purge_delay_is_mimallocs_option() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            eprintln!("skipped: MIMALLOC_PURGE_DELAY is set, so the default cannot be seen");
            return;
        }
        assert_eq!(
            memory::delay(),
            1000,
            "mimalloc's default purge delay: has the option's number moved?"
        );
        memory::return_freed_at_once();
        assert_eq!(memory::delay(), 0);
        memory::keep_freed_to_exit();
        assert_eq!(memory::delay(), -1);
        // A province's plan returns freed memory at once; a city's keeps it.
        memory::return_freed_at_once();
        memory::fit_to_plan(memory::SMALL_PLAN);
        assert_eq!(memory::delay(), 0);
        memory::fit_to_plan(memory::SMALL_PLAN - 1);
        assert_eq!(memory::delay(), -1);
    }
}
