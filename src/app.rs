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
use crate::cmd::{self, Ctx, Failure, Outcome, UsageError, usage};
use crate::files::FileError;
use crate::i18n::{Lang, Message};
use crate::plan::PlanErrors;
use crate::render::RenderError;
use crate::revision::git::GitError;
use crate::store::{FactsMemo, StoreError};

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
    /// `~/.cache/plantrack`), which holds the plan cache and the facts memo; `None` when there
    /// is none, or `PLANTRACK_NO_CACHE=1` turns both off.
    pub cache: Option<PathBuf>,
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
            cache: cache_home
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
            return usage(
                Message::new(
                    "PLANTRACK_NOW=\"{pinned}\" is not an RFC 3339 time such as 2021-01-31T09:00:00+08:00",
                )
                .with("pinned", pinned),
            );
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
        csv_bom: cli.csv_bom,
        lang: cli
            .lang
            .unwrap_or_else(|| Lang::from_locale(env.locale.as_deref())),
        width: env.width,
        interactive: env.interactive,
        // Stored with the local offset (`+08:00` in Beijing, `Z` in UTC).
        now: now.to_rfc3339_opts(SecondsFormat::Secs, true),
        today,
        plan_cache: env.cache.clone().map(|dir| crate::plan::PlanCache {
            dir,
            now: (*now).into(),
        }),
        facts_memo: env.cache.clone().map(|dir| FactsMemo { dir }),
    };
    match cli.command {
        Command::Check(args) => cmd::check::run(&ctx, &args),
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
        Command::Completions(args) => cmd::shell::completions(args.shell),
        Command::Backup(args) => cmd::backup::run(&ctx, &args),
        Command::Export => cmd::export::export(&ctx),
        Command::Import(args) => cmd::export::import(&ctx, &args),
        Command::Man => cmd::shell::man(),
    }
}

/// The only `*.toml` in `dir`.
fn default_plan(dir: &Path) -> Result<PathBuf> {
    let mut plans: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| {
            UsageError(
                Message::new(
                    "no --plan given and cannot read {dir}/: {e}; pass --plan PATH, or run from \
                     the folder that holds {dir}/",
                )
                .with("dir", dir.display())
                .with("e", e),
            )
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    plans.sort();
    match plans.len() {
        1 => Ok(plans.remove(0)),
        0 => usage(
            Message::new("no plan file (*.toml) in {dir}/; pass --plan PATH")
                .with("dir", dir.display()),
        ),
        _ => {
            let names: Vec<String> = plans.iter().map(|p| p.display().to_string()).collect();
            usage(
                Message::new("several plans in {dir}/ ({plans}); pass --plan PATH")
                    .with("dir", dir.display())
                    .with("plans", names.join(", ")),
            )
        }
    }
}

/// The language of the run: `--lang`, else the locale.
pub fn lang_of(cli: &Cli, env: &Env) -> Lang {
    cli.lang
        .unwrap_or_else(|| Lang::from_locale(env.locale.as_deref()))
}

/// The language of the run read from the raw arguments (`--lang zh`, `--lang=zh`), else the
/// locale: what the help and the errors of a command line not parsed yet are written in.
pub fn lang_before_parsing(env: &Env) -> Lang {
    let args: Vec<String> = std::env::args().collect();
    let given = args
        .windows(2)
        .find_map(|w| (w[0] == "--lang").then(|| w[1].clone()));
    let given = given.or_else(|| {
        args.iter()
            .find_map(|a| a.strip_prefix("--lang=").map(str::to_string))
    });
    match given.as_deref() {
        Some("zh") => Lang::Zh,
        Some(_) => Lang::En,
        None => Lang::from_locale(env.locale.as_deref()),
    }
}

/// Prints a command-line error of clap's in the reader's language (taken from the raw
/// arguments, as the command line did not parse) and exits 2. Help and the version print as
/// clap writes them.
pub fn command_line_error(e: clap::Error, env: &Env) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let chinese = lang_before_parsing(env) == Lang::Zh;
    let plain = matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if !chinese || plain {
        e.exit();
    }
    let context = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let arg = context(ContextKind::InvalidArg);
    let value = context(ContextKind::InvalidValue);
    let message = match e.kind() {
        ErrorKind::UnknownArgument => {
            let suggested = context(ContextKind::SuggestedArg);
            let hint = if suggested.is_empty() {
                String::new()
            } else {
                format!("(是否想输入 {suggested}?)")
            };
            format!("未知参数 {arg}{hint}")
        }
        ErrorKind::InvalidSubcommand => {
            let suggested = context(ContextKind::SuggestedSubcommand);
            let hint = if suggested.is_empty() {
                String::new()
            } else {
                format!("(是否想输入 {suggested}?)")
            };
            format!("未知命令 {}{hint}", context(ContextKind::InvalidSubcommand))
        }
        ErrorKind::InvalidValue => format!(
            "参数 {arg} 的值“{value}”无效;可选值:{}",
            context(ContextKind::ValidValue)
        ),
        ErrorKind::ValueValidation => match crate::input::day_as_typed(&value) {
            Err(m) => format!("参数 {arg}:{}", m.text(Lang::Zh)),
            Ok(_) => format!("参数 {arg} 的值“{value}”无效"),
        },
        ErrorKind::MissingRequiredArgument => {
            format!("缺少必需的参数:{}", context(ContextKind::InvalidArg))
        }
        ErrorKind::MissingSubcommand => "缺少命令;运行 plantrack --help 查看全部命令".to_string(),
        ErrorKind::TooManyValues | ErrorKind::ArgumentConflict => {
            format!("参数 {arg} 用法有误")
        }
        _ => "命令行有误".to_string(),
    };
    crate::errln!("错误:{message}\n运行 plantrack --help 查看用法");
    ExitCode::from(2)
}

/// What an error says, when it is one of plantrack's own, which say it in either language;
/// anything else (a driver's error reaching this far) is printed in its own words.
fn said(e: &anyhow::Error) -> Option<Message> {
    if let Some(Failure(message)) = e.downcast_ref() {
        return Some(message.clone());
    }
    if let Some(e) = e.downcast_ref::<StoreError>() {
        return Some(e.message());
    }
    if let Some(e) = e.downcast_ref::<FileError>() {
        return Some(e.message());
    }
    if let Some(e) = e.downcast_ref::<GitError>() {
        return Some(e.message());
    }
    e.downcast_ref::<RenderError>().map(RenderError::message)
}

/// Prints an error the way users read it and picks the exit code: 0, 1 or 2.
pub fn exit(result: Result<Outcome>, lang: Lang) -> ExitCode {
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
                let hint = lang.t("run `plantrack check` to see them");
                crate::errln!("{}; {hint}", plan.text(lang));
                return ExitCode::from(1);
            }
            let label = lang.t("error");
            match e.chain().find_map(|c| c.downcast_ref::<UsageError>()) {
                Some(UsageError(message)) => {
                    crate::errln!("{label}: {}", message.text(lang));
                    ExitCode::from(2)
                }
                None => {
                    let message = said(&e).map_or_else(|| format!("{e:#}"), |m| m.text(lang));
                    crate::errln!("{label}: {message}");
                    ExitCode::from(1)
                }
            }
        }
    }
}
