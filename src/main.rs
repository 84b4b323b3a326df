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
    let lang = app::lang_of(&cli, &env);
    app::exit(app::run(cli, &env), lang)
}
