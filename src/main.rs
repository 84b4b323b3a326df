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
    let cli = Cli::parse();
    app::exit(app::run(cli, &app::Env::from_process()))
}
