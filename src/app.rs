//! Wiring: resolves the defaults (plan path, database, as-of date, language), dispatches each
//! command and maps the outcome to an exit code. The only place that reads the clock or the
//! environment, so everything below it can be tested with pinned values.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::NaiveDate;

use crate::cli::{Cli, Command};
use crate::cmd;
use crate::i18n::Lang;
use crate::plan::{self, Loaded, PlanErrors};
use crate::render::{self, Format, View};
use crate::report::facts::Facts;
use crate::store::Store;

/// What the process environment supplies.
#[derive(Clone, Debug)]
pub struct Env {
    pub today: NaiveDate,
    /// `LC_ALL`, else `LC_MESSAGES`, else `LANG`.
    pub locale: Option<String>,
    /// Whether stdin and stdout are terminals, so that prompting is allowed.
    pub interactive: bool,
    /// The terminal width, when stdout is a terminal.
    pub width: Option<u16>,
    /// The time an update is recorded at (RFC 3339). `PLANTRACK_NOW` pins it for tests.
    pub now: String,
    /// Whether commands may load the plan from its cache; `PLANTRACK_NO_CACHE=1` turns it off.
    pub plan_cache: bool,
}

impl Env {
    pub fn from_process() -> Env {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty());
        let tty = std::io::stdout().is_terminal();
        Env {
            today: chrono::Local::now().date_naive(),
            locale,
            interactive: tty && std::io::stdin().is_terminal(),
            width: tty.then(terminal_width).flatten(),
            now: std::env::var("PLANTRACK_NOW").unwrap_or_else(|_| {
                chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            }),
            plan_cache: std::env::var_os("PLANTRACK_NO_CACHE")
                .is_none_or(|v| v.is_empty() || v == "0"),
        }
    }
}

/// `COLUMNS` when set, else the terminal's own width (comfy-table asks the terminal), else 100.
fn terminal_width() -> Option<u16> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .or_else(|| comfy_table::Table::new().width())
        .or(Some(100))
}

/// A mistake in what the user typed: exit code 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Shorthand for returning a [`UsageError`].
pub fn usage<T>(message: impl Into<String>) -> Result<T> {
    Err(UsageError(message.into()).into())
}

/// Whether the command did what was asked, or found what it was asked to look for.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// A check ran and failed: exit code 1.
    Failed,
}

/// Everything a command needs, with the defaults resolved.
pub struct Ctx {
    pub plan_path: PathBuf,
    pub db: Option<PathBuf>,
    pub as_of: NaiveDate,
    pub format: Format,
    pub lang: Lang,
    pub width: Option<u16>,
    pub interactive: bool,
    pub now: String,
    /// Whether [`Ctx::load_plan`] may use the plan's cache.
    pub plan_cache: bool,
    /// The date of `now`: nothing can be reported as of a later day.
    pub today: NaiveDate,
}

impl Ctx {
    /// Loads the plan, from its cache when the file has not changed (no warnings then: `check`
    /// loads in full); an invalid plan is an error that lists every problem.
    pub fn load_plan(&self) -> Result<Loaded> {
        if self.plan_cache {
            Ok(plan::load_cached(&self.plan_path)?)
        } else {
            Ok(plan::load(&self.plan_path)?)
        }
    }

    /// The ledger's path: `--db`, `PLANTRACK_DB`, or `<plan dir>/<plan id>.db`.
    pub fn db_path(&self, loaded: &Loaded) -> PathBuf {
        self.db.clone().unwrap_or_else(|| {
            let dir = self.plan_path.parent().unwrap_or(Path::new("."));
            dir.join(format!("{}.db", loaded.plan.meta.id))
        })
    }

    /// Opens the plan's ledger, creating it on first use. A ledger named by `--db` or
    /// `PLANTRACK_DB` must be in an existing folder: a mistyped path in a scheduled job fails
    /// instead of silently reporting on a new, empty ledger somewhere else.
    pub fn open_store(&self, loaded: &Loaded) -> Result<Store> {
        let path = self.db_path(loaded);
        let folder = path.parent().filter(|d| !d.as_os_str().is_empty());
        if self.db.is_some() && folder.is_some_and(|d| !d.is_dir()) {
            anyhow::bail!(
                "no folder for the ledger {}; check --db or PLANTRACK_DB",
                path.display()
            );
        }
        Store::open(&path)
    }

    /// The ledger facts for the as-of date.
    pub fn facts(&self, loaded: &Loaded) -> Result<Facts> {
        let store = self.open_store(loaded)?;
        Facts::gather(&loaded.plan, &store, self.as_of)
    }

    /// Renders `view` in the chosen format and writes it to stdout.
    pub fn print(&self, view: &dyn View) -> Result<()> {
        if self.format == Format::Xlsx && std::io::stdout().is_terminal() {
            return usage(
                "--format xlsx writes a binary workbook: redirect it to a file (> report.xlsx) or use --out DIR",
            );
        }
        out_bytes(&render::render(view, self.format, self.lang, self.width)?)
    }
}

/// Writes to stdout; a closed pipe (`plantrack … | head`) surfaces as an error that exits quietly.
pub fn out(text: &str) -> Result<()> {
    out_bytes(text.as_bytes())
}

fn out_bytes(bytes: &[u8]) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(bytes)?;
    stdout.flush()?;
    Ok(())
}

pub fn run(cli: Cli, env: &Env) -> Result<Outcome> {
    // The ledger stores `now` as written: refuse anything that is not a time.
    let Ok(now) = chrono::DateTime::parse_from_rfc3339(&env.now) else {
        return usage(format!(
            "PLANTRACK_NOW=\"{}\" is not an RFC 3339 time such as 2021-01-31T09:00:00+08:00",
            env.now
        ));
    };
    let today = now.date_naive();
    let ctx = Ctx {
        plan_path: match cli.plan {
            Some(p) => p,
            // `diff` and `fmt FILE…` read only the files they are given.
            None if cli.command.names_its_files() => PathBuf::new(),
            None => default_plan(Path::new("plan"))?,
        },
        db: cli.db,
        as_of: cli.as_of.unwrap_or(env.today),
        format: cli.format,
        lang: cli
            .lang
            .unwrap_or_else(|| Lang::from_locale(env.locale.as_deref())),
        width: env.width,
        interactive: env.interactive,
        now: env.now.clone(),
        today,
        plan_cache: env.plan_cache,
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

/// Writes a file so that readers never see it half-written: a temporary file beside it, then
/// a rename over the old one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write {}", path.display()))
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
