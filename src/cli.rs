//! The command line, declared with clap's derive API. The doc comments here *are* the help text.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::i18n::Lang;
use crate::render::{CsvHeaders, Format};

const EXIT_CODES: &str = "\
Examples:
  plantrack report overdue                     what is late today
  plantrack --as-of 2021-01-31 report by-target --format csv > targets.csv
  plantrack update T-toilet --value 92 --by agri
  plantrack --lang zh report monthly --out reports/

Exit codes:
  0  success
  1  the plan or the ledger is invalid, or a requested check failed
  2  usage error: a bad flag, an unknown id, a value that does not fit the item";

const UPDATE_EXAMPLES: &str = "\
Examples:
  plantrack update                                     pick the item, then answer each prompt
  plantrack update T-toilet --value 92 --by agri       92 % today, by 市农业农村局
  plantrack update T-toilet --value 92% --date 2020年12月20日 --by agri
  plantrack update MS-goal-2022 --status 推进中 --by zone-hightech --note \"已开工\"
  plantrack update --supersedes 3 --value 88 --by agri correct entry #3";

const REPORT_EXAMPLES: &str = "\
Examples:
  plantrack report overdue
  plantrack --as-of 2021-01-31 report by-department --unit agri
  plantrack report by-target --format json | jq '.rows[] | select(.light == \"red\")'
  plantrack report monthly --month 2021-01 --out reports/";

const ASSESS_EXAMPLES: &str = "\
Examples:
  plantrack assess --year 2020
  plantrack --as-of 2021-01-15 assess --year 2020 --unit agri   every point and its cause";

/// Track how a government work plan (工作方案) is carried out.
///
/// The plan is a TOML file in plan/; progress updates go to an append-only SQLite ledger
/// beside it; reports show what is overdue, who is behind, and how far each target is.
#[derive(Debug, Parser)]
#[command(name = "plantrack", version, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    /// The plan file [default: the only *.toml in ./plan]
    #[arg(
        long,
        global = true,
        env = "PLANTRACK_PLAN",
        hide_env_values = true,
        value_name = "PATH"
    )]
    pub plan: Option<PathBuf>,

    /// The ledger database [default: <plan dir>/<plan id>.db]
    #[arg(
        long,
        global = true,
        env = "PLANTRACK_DB",
        hide_env_values = true,
        value_name = "PATH"
    )]
    pub db: Option<PathBuf>,

    /// The date reports are computed for [default: today]
    #[arg(long, global = true, value_name = "YYYY-MM-DD", value_parser = crate::input::day_arg)]
    pub as_of: Option<NaiveDate>,

    /// Output format
    #[arg(long, short, global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Language of titles, headers and reasons [default: from LC_ALL/LANG: zh_* gives zh]
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,

    /// CSV headers: the column titles in the --lang language, for people in Excel; or the JSON
    /// keys, with codes as values whatever the language, for scripts
    #[arg(long, global = true, value_enum, default_value_t = CsvHeaders::Titles)]
    pub csv_headers: CsvHeaders,

    /// Start CSV on stdout with a UTF-8 byte order mark, so that Excel on Chinese Windows reads
    /// it as UTF-8 (files written with --out always have one)
    #[arg(long, global = true)]
    pub csv_bom: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the plan (and the ledger against it); errors as file:line:col
    Check(CheckArgs),
    /// List what the plan holds
    List(ListArgs),
    /// Show one item: its text, targets, units and update history
    Show(ShowArgs),
    /// Record a progress update (进展报送); prompts on a terminal for what the flags leave out
    #[command(after_help = UPDATE_EXAMPLES)]
    Update(UpdateArgs),
    /// The ledger, newest first; superseded entries are marked
    History(HistoryArgs),
    /// Write plan files in the one canonical layout, keeping comments; --check changes nothing
    ///
    /// Keys follow the order of plan/FORMAT.md, `key = value` with single spaces, dates as TOML
    /// dates, numbers plainly (90, not 90.0), arrays on one line, one blank line between tables.
    /// Formatting twice changes nothing. With --check, the files that would change are named and
    /// the exit code is 1: for a pre-commit hook or CI. A file that is not TOML is refused (1).
    #[command(verbatim_doc_comment)]
    Fmt(FmtArgs),
    /// What changed between two versions of a plan, in plan terms (see plan/GIT.md)
    ///
    /// OLD and NEW are plan files, or REV:PATH read with `git show` (for example
    /// HEAD~1:plan/regional.toml); REV:PATH is read only when no file has that name. Reported:
    /// items, units and sections added or removed; ids renamed (through previous_ids); a target's
    /// value, comparator, tolerance, unit or deadline as old → new; responsible units added or
    /// removed and lead units changed; text changes summarized. Exit code 0 (with --exit-code,
    /// 1 when the plans differ); 1 when a side is not a valid plan; 2 when a side cannot be read
    /// (no such file, no such revision or path in git, not a git repository).
    #[command(verbatim_doc_comment)]
    Diff(DiffArgs),
    /// Reports: overdue, by department, by target, the monthly bulletin
    #[command(subcommand, after_help = REPORT_EXAMPLES)]
    Report(ReportCommand),
    /// The annual department assessment (考核): a score and a rank per unit
    ///
    /// Every unit that leads an item or shares one jointly is scored; the plan's supervisor is
    /// not. Over the year, or up to --as-of while the year is not over, a unit scores
    ///
    ///     base                                     (default 100)
    ///     + reported_cycle × cycles reported       (default 1)
    ///     - missed_cycle   × cycles missed         (default 2)
    ///     + met_on_time    × items met on time     (default 5)
    ///     - overdue        × items overdue         (default 3)
    ///     - met_late       × items met late        (default 1)
    ///
    /// A reporting cycle counts once it has ended, and only if it began after the plan was
    /// issued; it is reported when the unit recorded an entry dated in it. An item is settled
    /// once, in the year of its deadline: met on time, met late within the year, or overdue
    /// when still unmet at the year's end; later years list it as carried over, with no points.
    /// An item's points go to its lead in full and are shared equally among units jointly
    /// responsible for it. A plan may change the numbers and the sharing in its [assessment]
    /// table (plan/FORMAT.md). Equal scores share a rank. The same ledger always gives the
    /// same score; --unit lists every point with its cause.
    #[command(verbatim_doc_comment, after_help = ASSESS_EXAMPLES)]
    Assess(AssessArgs),
    /// Reminders (催办): a notice for each unit that has not reported or has items falling due
    ///
    /// A unit is reminded when it is responsible for an item not yet met and has recorded no
    /// entry within the last reporting cycle before --as-of, or when one of its items not yet
    /// met falls due within --within days. Each notice says what is missing, what is due and
    /// when, and what is overdue, in the --lang language; --format json gives the notices to a
    /// script that sends them.
    Remind(RemindArgs),
    /// Print the JSON Schema of a --format json document
    ///
    /// Every --format json document is an object: schema ("plantrack/<report>/<version>"), plan,
    /// as_of, lang, the report's own header keys, then rows. Without REPORT, lists the documents.
    Schema(SchemaArgs),
    /// Copy the ledger to FILE, safely while others write (SQLite's online backup)
    ///
    /// The copy is a complete ledger: restore it by copying it back (or pass it as --db).
    Backup(BackupArgs),
    /// Write the whole ledger, every entry with its hash, as JSON (default) or --format csv
    ///
    /// The layout is stable (README: "The ledger an auditor can trust"); `plantrack import`
    /// loads it into an empty ledger.
    Export,
    /// Load a file written by `plantrack export` into a new, empty ledger, re-verifying the
    /// hash chain; nothing is written unless every entry verifies
    Import(ImportArgs),
    /// Print a shell completion script: plantrack completions bash > /etc/bash_completion.d/plantrack
    Completions(CompletionsArgs),
    /// Print the manual page (roff): plantrack man > plantrack.1 && man ./plantrack.1
    Man,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Prove that the ledger still extends the one a bulletin was made from: its 台账校验码,
    /// ENTRY:HASH
    #[arg(long, value_name = "ENTRY:HASH")]
    pub anchor: Option<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A file written by `plantrack export` (JSON or CSV)
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The document: overdue, by-target, by-department, by-department-unit, monthly, assess,
    /// assess-unit, remind, history, show, list-sections, list-measures, list-targets,
    /// list-milestones, list-units, check, diff
    pub report: Option<String>,
}

#[derive(Debug, Args)]
pub struct AssessArgs {
    /// The year to assess [default: the year of --as-of]
    #[arg(long, value_name = "YYYY")]
    pub year: Option<i32>,

    /// Explain one unit's score point by point (id, name or alias)
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
}

#[derive(Debug, Args)]
pub struct RemindArgs {
    /// Also remind units of items not met that fall due within N days of --as-of
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub within: u32,

    /// The reply deadline written into each notice [default: "as soon as possible"]
    #[arg(long, value_parser = crate::input::day_arg, value_name = "YYYY-MM-DD")]
    pub reply_by: Option<NaiveDate>,
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
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
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

    /// Record an update identical to the item's latest entry (same reading, date and unit),
    /// which is otherwise refused as a likely double entry
    #[arg(long)]
    pub allow_duplicate: bool,
}

#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Change nothing: name the files that are not formatted, and exit 1 if there is one
    #[arg(long)]
    pub check: bool,

    /// The plan files [default: the plan]
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old plan: a file, or REV:PATH from git (e.g. HEAD~1:plan/regional.toml)
    #[arg(required_unless_present = "textconv")]
    pub old: Option<String>,

    /// The new plan: a file, or REV:PATH from git (e.g. HEAD:plan/regional.toml)
    #[arg(required_unless_present = "textconv")]
    pub new: Option<String>,

    /// Exit 1 when the plans differ, as `git diff --exit-code` does
    #[arg(long)]
    pub exit_code: bool,

    /// Print one plan as sorted lines, one fact a line, for a git textconv driver (plan/GIT.md)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["old", "new", "exit_code"])]
    pub textconv: Option<PathBuf>,
}

impl Command {
    /// Whether the command names every file it reads, so that no default plan is needed.
    pub fn names_its_files(&self) -> bool {
        match self {
            Command::Diff(_) | Command::Schema(_) | Command::Completions(_) | Command::Man => true,
            Command::Fmt(args) => !args.files.is_empty(),
            _ => false,
        }
    }
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
    /// Only units of this kind: department, government, zone, enterprise, stationed, party or
    /// group (county governments, say, apart from city departments)
    #[arg(long, value_name = "KIND", conflicts_with = "unit")]
    pub kind: Option<String>,
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
