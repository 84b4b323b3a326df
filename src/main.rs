//! The plantrack binary: parse the command line, run it, turn the outcome into an exit code.

use std::process::ExitCode;

/// mimalloc rather than the system allocator: a province-sized plan is tens of thousands of
/// small strings, and glibc's malloc spent a third of a report's time consolidating them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use plantrack::app;
use plantrack::cli::Cli;

fn main() -> ExitCode {
    let env = app::Env::from_process();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return app::command_line_error(e, &env),
    };
    let lang = app::lang_of(&cli, &env);
    app::exit(app::run(cli, &env), lang)
}
