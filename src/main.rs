//! The plantrack binary: parse the command line, run it, turn the outcome into an exit code.

use std::process::ExitCode;

use clap::Parser;
use plantrack::app;
use plantrack::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    app::exit(app::run(cli, &app::Env::from_process()))
}
