//! `plantrack completions SHELL` and `plantrack man`: generated from the command line itself,
//! so they cannot drift from it.

use anyhow::Result;
use clap::CommandFactory;

use super::{Outcome, out};
use crate::cli::Cli;

pub fn completions(shell: clap_complete::Shell) -> Result<Outcome> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "plantrack", &mut buf);
    out(&String::from_utf8_lossy(&buf))?;
    Ok(Outcome::Ok)
}

pub fn man() -> Result<Outcome> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut buf)?;
    out(&String::from_utf8_lossy(&buf))?;
    Ok(Outcome::Ok)
}
