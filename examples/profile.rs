//! Where the time goes (in process, phase by phase) on a plan and ledger written by `examples/synth.rs`.
//!
//! ```text
//! cargo run --release --example synth -- --out /tmp/synth
//! cargo build --release && cargo run --release --example profile -- /tmp/synth
//! ```
//!
//! In process, through the library: loading the plan, in full and from its cache; each report (overdue, by-department,
//! by-department --unit, by-target) at several as-of dates, from opening the ledger through
//! gathering the facts to the rendered table or JSON; and recording one update
//! (`Store::append`, one transaction each). End to end, through the release binary: one run of
//! each report and of `update`, as users run them. The updates go to a copy of the ledger, so
//! the generated one stays as it was. Targets, the budget's at 100k items (`examples/bench.rs`):
//! any report under 500 ms, an update under 20 ms.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use chrono::NaiveDate;
use clap::Parser;
use plantrack::doc::View;
use plantrack::i18n::Lang;
use plantrack::judge::Judged;
use plantrack::model::{NewEntry, Reading, Snapshot};
use plantrack::model::{Plan, Unit};
use plantrack::render::{CsvHeaders, Format, Options, render};
use plantrack::report::by_department::ByDepartment;
use plantrack::report::by_target::ByTarget;
use plantrack::report::overdue::Overdue;
use plantrack::store::Store;

/// The allocator the binary uses, so that in-process timings match the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Time plan loading, reports and updates on a synthetic plan and ledger.
#[derive(Debug, Parser)]
struct Args {
    /// Directory with plan.toml and ledger.db (from `cargo run --release --example synth`)
    dir: PathBuf,
    /// Runs of each measurement
    #[arg(long, default_value_t = 7)]
    runs: usize,
    /// Updates to record, one transaction each
    #[arg(long, default_value_t = 50)]
    updates: usize,
    /// As-of dates of the reports
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "2021-06-30,2023-06-30,2025-12-31"
    )]
    as_of: Vec<NaiveDate>,
    /// Skip the end-to-end runs of the binary
    #[arg(long)]
    in_process: bool,
    /// The plantrack binary for the end-to-end runs [default: beside this example's directory]
    #[arg(long, value_name = "PATH")]
    bin: Option<PathBuf>,
}

const REPORT_TARGET: Duration = Duration::from_millis(500);
const UPDATE_TARGET: Duration = Duration::from_millis(20);

/// One line of the results table.
struct Line {
    what: String,
    as_of: String,
    times: Vec<Duration>,
    /// Medians of the phases, shown beside the total.
    phases: String,
    target: Option<Duration>,
}

fn median(times: &[Duration]) -> Duration {
    let mut t = times.to_vec();
    t.sort();
    t[t.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn time<T>(f: impl FnOnce() -> Result<T>) -> Result<(T, Duration)> {
    let start = Instant::now();
    let value = f()?;
    Ok((value, start.elapsed()))
}

#[derive(Clone, Copy, Debug)]
enum Report {
    Overdue,
    ByDepartment,
    ByDepartmentUnit,
    ByTarget,
}

impl Report {
    const ALL: [Report; 4] = [
        Report::Overdue,
        Report::ByDepartment,
        Report::ByDepartmentUnit,
        Report::ByTarget,
    ];

    fn name(self) -> &'static str {
        match self {
            Report::Overdue => "overdue",
            Report::ByDepartment => "by-department",
            Report::ByDepartmentUnit => "by-department --unit",
            Report::ByTarget => "by-target",
        }
    }

    /// Computes the report and renders it; returns the compute and render times and the size.
    fn run(
        self,
        plan: &Plan,
        snapshot: &Snapshot,
        unit: &Unit,
        format: Format,
    ) -> Result<(Duration, Duration, usize)> {
        let start = Instant::now();
        let facts = &Judged::new(plan, snapshot);
        let view: Box<dyn View + '_> = match self {
            Report::Overdue => Box::new(Overdue::compute(plan, facts)),
            Report::ByDepartment => Box::new(ByDepartment::compute(plan, facts, None)),
            Report::ByDepartmentUnit => Box::new(ByDepartment::compute(plan, facts, Some(unit))),
            Report::ByTarget => Box::new(ByTarget::compute(plan, &facts.verdicts)),
        };
        let computed = start.elapsed();
        let options = Options {
            lang: Lang::En,
            width: None,
            csv_headers: CsvHeaders::Titles,
            csv_bom: false,
        };
        let bytes = render(view.as_ref(), format, options)?;
        Ok((computed, start.elapsed() - computed, bytes.len()))
    }

    fn cli_args(self, unit: &str) -> Vec<String> {
        let mut args = vec!["report".to_string()];
        match self {
            Report::ByDepartmentUnit => {
                args.extend(["by-department".into(), "--unit".into(), unit.into()])
            }
            r => args.push(r.name().into()),
        }
        args
    }
}

/// Copies the ledger (and its WAL, if any) so that the updates leave the original as it was.
fn copy_ledger(from: &Path, to: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let src = PathBuf::from(format!("{}{suffix}", from.display()));
        let dst = PathBuf::from(format!("{}{suffix}", to.display()));
        if dst.exists() {
            std::fs::remove_file(&dst)?;
        }
        if src.exists() {
            std::fs::copy(&src, &dst)
                .with_context(|| format!("cannot copy {} to {}", src.display(), dst.display()))?;
        }
    }
    Ok(())
}

fn remove_ledger(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

fn binary(args: &Args) -> Result<PathBuf> {
    let bin = match &args.bin {
        Some(b) => b.clone(),
        None => {
            let exe = std::env::current_exe()?;
            // target/release/examples/bench → target/release/plantrack
            let dir = exe
                .parent()
                .and_then(Path::parent)
                .context("cannot locate the target directory")?;
            dir.join(format!("plantrack{}", std::env::consts::EXE_SUFFIX))
        }
    };
    if !bin.exists() {
        bail!(
            "{} does not exist: run `cargo build --release` first, or pass --bin",
            bin.display()
        );
    }
    Ok(bin)
}

/// Runs the binary once and returns its wall time; it must succeed.
fn run_cli(bin: &Path, common: &[String], args: &[String]) -> Result<Duration> {
    let start = Instant::now();
    let out = Command::new(bin)
        .args(common)
        .args(args)
        .env("LANG", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .with_context(|| format!("cannot run {}", bin.display()))?;
    let elapsed = start.elapsed();
    ensure!(
        out.status.success(),
        "plantrack {} {} failed: {}",
        common.join(" "),
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(elapsed)
}

fn main() -> Result<()> {
    let args = Args::parse();
    ensure!(
        args.runs > 0 && args.updates > 0,
        "--runs and --updates must be positive"
    );
    let plan_path = args.dir.join("plan.toml");
    let db_path = args.dir.join("ledger.db");
    ensure!(
        db_path.exists(),
        "{} does not exist: run `cargo run --release --example synth -- --out {}` first",
        db_path.display(),
        args.dir.display()
    );
    let bin = if args.in_process {
        PathBuf::new()
    } else {
        binary(&args)?
    };
    let mut lines: Vec<Line> = Vec::new();

    // Loading the plan.
    let mut times = Vec::new();
    let mut loaded = None;
    for _ in 0..args.runs {
        let (l, t) = time(|| Ok(plantrack::plan::load(&plan_path)?))?;
        times.push(t);
        loaded = Some(l);
    }
    let loaded = loaded.context("no run")?;
    let plan = &loaded.plan;
    println!(
        "{}: {} measures, {} targets, {} milestones, {} units",
        plan_path.display(),
        plan.measures.len(),
        plan.targets.len(),
        plan.milestones.len(),
        plan.units.len()
    );
    lines.push(Line {
        what: "plan::load".into(),
        as_of: String::new(),
        times,
        phases: String::new(),
        target: None,
    });

    // Loading the plan from its cache, as every command but `check` and `fmt` does; the first
    // call (untimed) writes the cache, here in a temporary directory.
    let dir = tempfile::tempdir()?;
    let cache = plantrack::plan::PlanCache {
        dir: dir.path().to_path_buf(),
        now: std::time::SystemTime::now(),
    };
    plantrack::plan::load_cached(&plan_path, &cache)?;
    let mut times = Vec::new();
    for _ in 0..args.runs {
        let (_, t) = time(|| Ok(plantrack::plan::load_cached(&plan_path, &cache)?))?;
        times.push(t);
    }
    lines.push(Line {
        what: "plan::load_cached".into(),
        as_of: String::new(),
        times,
        phases: String::new(),
        target: None,
    });

    // The unit with the most items, for `by-department --unit`.
    let unit = plan
        .units
        .iter()
        .max_by_key(|u| plan.items_of(&u.id).count())
        .context("the plan has no units")?;

    // Reports in process: open + gather, then compute + render, per format.
    for &as_of in &args.as_of {
        let mut gathers = Vec::new();
        for report in Report::ALL {
            for format in [Format::Table, Format::Json] {
                let (mut totals, mut g, mut c, mut r) = (vec![], vec![], vec![], vec![]);
                let mut size = 0;
                for _ in 0..args.runs {
                    let start = Instant::now();
                    let store = Store::open_existing(&db_path)?.context("no ledger")?;
                    let facts = store.snapshot(plan, as_of)?;
                    let gathered = start.elapsed();
                    let (computed, rendered, bytes) = report.run(plan, &facts, unit, format)?;
                    totals.push(start.elapsed());
                    g.push(gathered);
                    c.push(computed);
                    r.push(rendered);
                    size = bytes;
                }
                gathers.extend(&g);
                lines.push(Line {
                    what: format!(
                        "report {} ({})",
                        report.name(),
                        format!("{format:?}").to_lowercase()
                    ),
                    as_of: as_of.to_string(),
                    phases: format!(
                        "gather {} + compute {} + render {} ms; {} KB",
                        ms(median(&g)),
                        ms(median(&c)),
                        ms(median(&r)),
                        size / 1024
                    ),
                    times: totals,
                    target: Some(REPORT_TARGET),
                });
            }
        }
        lines.push(Line {
            what: "  of which open + Store::snapshot".into(),
            as_of: as_of.to_string(),
            times: gathers,
            phases: String::new(),
            target: None,
        });
    }

    // Recording updates in process, on a copy of the ledger.
    let copy = args.dir.join("bench-ledger.db");
    copy_ledger(&db_path, &copy)?;
    let result = record_updates(&args, plan, &loaded.fingerprint, &copy, &bin, &mut lines);
    remove_ledger(&copy);
    result?;

    println!();
    println!(
        "{:<40} {:<10} {:>9} {:>9} {:>9}  {:<6} breakdown (medians)",
        "what", "as of", "median ms", "min ms", "max ms", "target"
    );
    let mut missed = 0;
    for l in &lines {
        let med = median(&l.times);
        let max = *l.times.iter().max().unwrap_or(&Duration::ZERO);
        let min = *l.times.iter().min().unwrap_or(&Duration::ZERO);
        let verdict = match l.target {
            Some(t) if max <= t => format!("ok<{}", t.as_millis()),
            Some(t) => {
                missed += 1;
                format!("MISS>{}", t.as_millis())
            }
            None => String::new(),
        };
        println!(
            "{:<40} {:<10} {:>9} {:>9} {:>9}  {:<8} {}",
            l.what,
            l.as_of,
            ms(med),
            ms(min),
            ms(max),
            verdict,
            l.phases
        );
    }
    println!(
        "\n{} runs each ({} for updates); a target is met when the maximum is under it. {}",
        args.runs,
        args.updates,
        match missed {
            0 => "Every target met.".to_string(),
            n => format!("{n} target(s) missed."),
        }
    );
    Ok(())
}

fn record_updates(
    args: &Args,
    plan: &Plan,
    fingerprint: &str,
    db: &Path,
    bin: &Path,
    lines: &mut Vec<Line>,
) -> Result<()> {
    let target = plan.targets.first().context("the plan has no targets")?;
    let by = target.units.first().context("the target has no units")?;
    let as_of = *args.as_of.last().context("no as-of date")?;
    let mut store = Store::open(db)?;
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut times = Vec::new();
    for i in 0..args.updates {
        let note = format!("benchmark update {i}");
        let entry = NewEntry {
            item: target.id.as_str(),
            date: as_of,
            reading: Reading::Value(target.value),
            note: &note,
            unit: Some(by.as_str()),
            recorded_at: &now,
            supersedes: None,
            plan_fingerprint: fingerprint,
        };
        let (_, t) = time(|| Ok(store.append(&entry)?))?;
        times.push(t);
    }
    drop(store);
    lines.push(Line {
        what: "Store::append (one transaction)".into(),
        as_of: String::new(),
        times,
        phases: String::new(),
        target: Some(UPDATE_TARGET),
    });

    // End to end through the binary, as users run it.
    if args.in_process {
        return Ok(());
    }
    let as_of_mid = args.as_of[args.as_of.len() / 2];
    let common: Vec<String> = vec![
        "--plan".into(),
        args.dir.join("plan.toml").display().to_string(),
        "--db".into(),
        db.display().to_string(),
        "--as-of".into(),
        as_of_mid.to_string(),
    ];
    let unit = plan
        .units
        .iter()
        .max_by_key(|u| plan.items_of(&u.id).count())
        .context("the plan has no units")?;
    for report in Report::ALL {
        for format in ["table", "json"] {
            let mut cli = report.cli_args(unit.id.as_str());
            cli.extend(["--format".into(), format.into()]);
            let times = (0..args.runs)
                .map(|_| run_cli(bin, &common, &cli))
                .collect::<Result<Vec<_>>>()?;
            lines.push(Line {
                what: format!("CLI report {} ({format})", report.name()),
                as_of: as_of_mid.to_string(),
                times,
                phases: String::new(),
                target: Some(REPORT_TARGET),
            });
        }
    }
    let update: Vec<String> = vec![
        "update".into(),
        target.id.to_string(),
        "--value".into(),
        plantrack::doc::number(target.value),
        "--by".into(),
        by.to_string(),
        "--note".into(),
        "benchmark".into(),
        "--yes".into(),
    ];
    let times = (0..args.runs)
        .map(|_| run_cli(bin, &common, &update))
        .collect::<Result<Vec<_>>>()?;
    lines.push(Line {
        what: "CLI update (incl. plan load)".into(),
        as_of: as_of_mid.to_string(),
        times,
        phases: String::new(),
        target: Some(UPDATE_TARGET),
    });
    Ok(())
}
