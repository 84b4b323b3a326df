//! The command line, declared with clap's derive API. The doc comments here *are* the help text.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::i18n::Lang;
use crate::render::Format;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  the plan or the ledger is invalid, or a requested check failed
  2  usage error: a bad flag, an unknown id, a value that does not fit the item";

/// Track how a government work plan (工作方案) is carried out.
///
/// The plan is a TOML file in plan/; progress updates go to an append-only SQLite ledger
/// beside it; reports show what is overdue, who is behind, and how far each target is.
#[derive(Debug, Parser)]
#[command(name = "plantrack", version, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    /// The plan file [default: the only *.toml in ./plan]
    #[arg(long, global = true, env = "PLANTRACK_PLAN", value_name = "PATH")]
    pub plan: Option<PathBuf>,

    /// The ledger database [default: <plan dir>/<plan id>.db]
    #[arg(long, global = true, env = "PLANTRACK_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// The date reports are computed for [default: today]
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,

    /// Output format
    #[arg(long, short, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Language of titles, headers and reasons [default: from LC_ALL/LANG: zh_* gives zh]
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the plan (and the ledger against it); errors as file:line:col
    Check,
    /// List what the plan holds
    List(ListArgs),
    /// Show one item: its text, targets, units and update history
    Show(ShowArgs),
    /// Record a progress update (进展报送); prompts on a terminal for what the flags leave out
    Update(UpdateArgs),
    /// The ledger, newest first; superseded entries are marked
    History(HistoryArgs),
    /// Reports: overdue, by department, by target
    #[command(subcommand)]
    Report(ReportCommand),
}

#[derive(Debug, Clone, Args)]
pub struct UpdateArgs {
    /// The measure, target or milestone to report on [prompted on a terminal]
    pub id: Option<String>,

    /// The actual value of a numeric target, in the target's unit (e.g. 92 for 92 %)
    #[arg(
        long,
        value_name = "V",
        conflicts_with = "status",
        allow_hyphen_values = true
    )]
    pub value: Option<String>,

    /// The status of a milestone or measure: not_started, in_progress, done, blocked
    #[arg(long, value_name = "S")]
    pub status: Option<String>,

    /// The reporting date (the "as of" of the report) [default: --as-of, or today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,

    /// A note on the progress
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,

    /// The reporting unit: id, name or alias [default: the item's only unit]
    #[arg(long, value_name = "UNIT")]
    pub by: Option<String>,

    /// Correct an earlier entry: the new entry supersedes entry N (the ledger keeps both)
    #[arg(long, value_name = "N")]
    pub supersedes: Option<i64>,

    /// Record without asking for confirmation on a terminal
    #[arg(long, short)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only entries about this item (its former ids included)
    pub id: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// What is past due and not met, who is responsible, and units that have not reported
    Overdue,
    /// Per unit: items, lights, overdue count, last report date; worst first
    ByDepartment(ByDepartmentArgs),
    /// Per target: target, latest actual, % of target, expected by now, deadline, light, reason
    ByTarget,
    /// The monthly bulletin (月报): summary, changes, overdue by department, silent units, targets
    Monthly(MonthlyArgs),
}

#[derive(Debug, Args)]
pub struct MonthlyArgs {
    /// The month to report [default: the last complete month on --as-of]
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,

    /// Write every format (md, csv, json, html, xlsx) into DIR as YYYY-MM.<ext>
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ByDepartmentArgs {
    /// Show one unit's items in detail (id, name or alias)
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// What to list
    #[arg(value_enum)]
    pub what: ListWhat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListWhat {
    Sections,
    Measures,
    Targets,
    Milestones,
    Units,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A measure, target, milestone or unit id; a unit may also be named by its Chinese name or alias
    pub id: String,
}
