//! Wiring: reads the environment and the clock once, resolves the defaults (plan path,
//! database, as-of date, language), dispatches each command and maps the outcome to an exit
//! code. Nothing below it reads the clock or the environment, so everything can be tested
//! with pinned values.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use chrono::{DateTime, Local, SecondsFormat};

use crate::cli::{Cli, Command};
use crate::cmd::{self, Ctx, Outcome, UsageError, usage};
use crate::i18n::Lang;
use crate::plan::PlanErrors;

/// What the process environment supplies.
#[derive(Clone, Debug)]
pub struct Env {
    /// The instant of the run in the local time zone (honouring `TZ`), read once at start-up.
    /// `PLANTRACK_NOW` (RFC 3339) pins it for tests; a value that is not a time is kept as
    /// written, to be refused as a usage error.
    pub now: Result<DateTime<Local>, String>,
    /// `LC_ALL`, else `LC_MESSAGES`, else `LANG`.
    pub locale: Option<String>,
    /// Whether stdin is a terminal, so that prompting is allowed.
    pub interactive: bool,
    /// The terminal width, when stdout is a terminal.
    pub width: Option<u16>,
    /// The user's cache directory for plantrack (`$XDG_CACHE_HOME/plantrack`, else
    /// `~/.cache/plantrack`); `None` when there is none, or `PLANTRACK_NO_CACHE=1` turns the
    /// plan cache off.
    pub plan_cache: Option<PathBuf>,
}

impl Env {
    pub fn from_process() -> Env {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].into_iter().find_map(var);
        let tty = std::io::stdout().is_terminal();
        let now = match std::env::var("PLANTRACK_NOW") {
            Ok(pinned) => DateTime::parse_from_rfc3339(&pinned)
                .map(|t| t.with_timezone(&Local))
                .map_err(|_| pinned),
            // The one place that reads the clock.
            Err(_) => Ok(Local::now()),
        };
        let no_cache = var("PLANTRACK_NO_CACHE").is_some_and(|v| v != "0");
        let cache_home = var("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| var("HOME").map(|h| Path::new(&h).join(".cache")));
        Env {
            now,
            locale,
            // Prompting depends on stdin alone: `plantrack update | cat` still asks.
            interactive: std::io::stdin().is_terminal(),
            width: terminal_width(tty),
            plan_cache: cache_home
                .filter(|_| !no_cache)
                .map(|d| d.join("plantrack")),
        }
    }
}

/// The width tables fit: `COLUMNS` when set (also when piped, so a script can ask for a
/// width); else, on a terminal, its own width (comfy-table asks it), else 100; piped without
/// `COLUMNS`, none (every cell in full).
fn terminal_width(tty: bool) -> Option<u16> {
    let columns = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok());
    match (columns, tty) {
        (Some(w), _) => Some(w),
        (None, true) => comfy_table::Table::new().width().or(Some(100)),
        (None, false) => None,
    }
}

pub fn run(cli: Cli, env: &Env) -> Result<Outcome> {
    let now = match &env.now {
        Ok(now) => now,
        Err(pinned) => {
            return usage(format!(
                "PLANTRACK_NOW=\"{pinned}\" is not an RFC 3339 time such as 2021-01-31T09:00:00+08:00"
            ));
        }
    };
    // Today is the local date of the one instant: the default as-of date, and the last day
    // `update` accepts.
    let today = now.date_naive();
    let ctx = Ctx {
        plan_path: match cli.plan {
            Some(p) => p,
            // `diff` and `fmt FILE…` read only the files they are given.
            None if cli.command.names_its_files() => PathBuf::new(),
            None => default_plan(Path::new("plan"))?,
        },
        db: cli.db,
        as_of: cli.as_of.unwrap_or(today),
        format: cli.format,
        csv_headers: cli.csv_headers,
        lang: cli
            .lang
            .unwrap_or_else(|| Lang::from_locale(env.locale.as_deref())),
        width: env.width,
        interactive: env.interactive,
        // Stored with the local offset (`+08:00` in Beijing, `Z` in UTC).
        now: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        today,
        plan_cache: env.plan_cache.clone(),
    };
    match cli.command {
        Command::Check => cmd::check::run(&ctx),
        Command::List(args) => cmd::list::run(&ctx, &args),
        Command::Show(args) => cmd::show::run(&ctx, &args),
        Command::Update(args) => cmd::update::run(&ctx, &args),
        Command::History(args) => cmd::history::run(&ctx, &args),
        Command::Fmt(args) => cmd::fmt::run(&ctx, &args),
        Command::Diff(args) => cmd::diff::run(&ctx, &args),
        Command::Report(report) => cmd::report::run(&ctx, &report),
        Command::Assess(args) => cmd::assess::run(&ctx, &args),
        Command::Remind(args) => cmd::remind::run(&ctx, &args),
        Command::Schema(args) => cmd::schema::run(&args),
    }
}

/// The only `*.toml` in `dir`.
fn default_plan(dir: &Path) -> Result<PathBuf> {
    let mut plans: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| {
            UsageError(format!(
                "no --plan given and cannot read {dir}/: {e}; pass --plan PATH, or run from the \
                 folder that holds {dir}/",
                dir = dir.display()
            ))
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    plans.sort();
    match plans.len() {
        1 => Ok(plans.remove(0)),
        0 => usage(format!(
            "no plan file (*.toml) in {}/; pass --plan PATH",
            dir.display()
        )),
        _ => usage(format!(
            "several plans in {}/ ({}); pass --plan PATH",
            dir.display(),
            plans
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Prints an error the way users read it and picks the exit code: 0, 1 or 2.
pub fn exit(result: Result<Outcome>) -> ExitCode {
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Failed) => ExitCode::from(1),
        Err(e) => {
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            if let Some(plan) = e.downcast_ref::<PlanErrors>() {
                eprintln!("{plan}; run `plantrack check` to see them");
                return ExitCode::from(1);
            }
            eprintln!("error: {e:#}");
            if e.chain().any(|c| c.is::<UsageError>()) {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
