//! The performance budget, measured end to end: the release binary run as users run it, on
//! synthetic plans of about 1k, 10k and 100k items with 5 updates per item, beside the floor
//! of what SQLite itself takes for the same data.
//!
//! ```text
//! cargo build --release --examples && cargo build --release
//! cargo run --release --example bench -- --work /tmp/bench
//! ```
//!
//! For each size it generates the data with `examples/synth` (kept in `--work` and reused),
//! then times each operation `--runs` times (median wall time; peak memory is the largest
//! resident set of the child, from `wait4`'s rusage). The floor is one `sqlite3` command-line
//! run of a `GROUP BY` selecting the latest update per item from a plain table of the same
//! updates (item, date, value, note) with an index on the item; one update is compared with
//! one `sqlite3` `INSERT` into that table. Without `sqlite3` the floor is left out, and the
//! table says so. The results are printed and written to `--out` as Markdown.
//!
//! Output goes to `/dev/null`, as a scheduled script's goes to a file: tables are drawn
//! unwrapped. One line runs `report overdue` with `COLUMNS=120`, as a terminal user sees it,
//! its tables fitted to the width by comfy-table. Two lines run a report as the first of the
//! day: without the ledger's facts an earlier report kept (the facts memo), so that every
//! entry is folded; the other reports find the facts the one before them kept. One line runs
//! `check` as the first run after a plan edit: without the plan's cache, so that the plan is
//! parsed and validated in full; every other run finds the cache.
//!
//! Not a test: timings on a shared 2-core machine are noisy, so nothing here passes or fails.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Parser;
use rusqlite::Connection;

#[derive(Debug, Parser)]
struct Args {
    /// Item counts to measure at (about 4.5 items per synthetic measure)
    #[arg(long, value_delimiter = ',', default_value = "1000,10000,100000")]
    sizes: Vec<usize>,
    /// Where the generated plans, ledgers and outputs live (reused between runs)
    #[arg(long, default_value = "/tmp/plantrack-bench")]
    work: PathBuf,
    /// Runs of each operation; the median is reported
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// The Markdown file the results are written to
    #[arg(long, default_value = "examples/bench-results.md")]
    out: PathBuf,
}

/// One run of a child process: wall time and peak resident memory.
#[derive(Clone, Copy, Debug)]
struct Run {
    wall: Duration,
    peak_kib: i64,
}

/// Runs `cmd` to completion, its output discarded, and measures it with `wait4`.
fn measure(cmd: &mut Command) -> Result<Run> {
    let start = Instant::now();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {cmd:?}"))?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet waited for; the pointers are valid for the call.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    if waited != pid {
        bail!("wait4 failed for {cmd:?}");
    }
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) > 1 {
        let mut err = String::new();
        if let Some(mut e) = child.stderr {
            use std::io::Read;
            let _ = e.read_to_string(&mut err);
        }
        bail!("{cmd:?} failed ({status}): {err}");
    }
    Ok(Run {
        wall,
        peak_kib: usage.ru_maxrss,
    })
}

/// The median wall time and the largest peak of `runs` runs of `make()`, after `prepare()`.
fn median_of(
    runs: usize,
    mut prepare: impl FnMut() -> Result<()>,
    mut make: impl FnMut() -> Command,
) -> Result<Run> {
    let mut all = Vec::with_capacity(runs);
    for _ in 0..runs {
        prepare()?;
        all.push(measure(&mut make())?);
    }
    all.sort_by_key(|r| r.wall);
    let peak = all.iter().map(|r| r.peak_kib).max().unwrap_or(0);
    Ok(Run {
        wall: all[all.len() / 2].wall,
        peak_kib: peak,
    })
}

/// One operation of the budget: its arguments and its limits at 100k items.
struct Op {
    name: &'static str,
    args: Vec<String>,
    wall: Duration,
    mib: i64,
    /// Whether it is a report, held to within 2× the floor.
    report: bool,
    /// A shell pipeline instead of a plain run (`history | head -1`).
    shell: Option<&'static str>,
    /// An environment variable set for this run only.
    env: Option<(&'static str, &'static str)>,
    /// Run as the first report of the day: without the ledger's facts kept by an earlier
    /// report (the facts memo), so that every entry is folded; or, when `day_after`, with
    /// only those kept by the same report the day before.
    first_of_day: bool,
    day_after: bool,
    /// Run as the first run after the plan was edited: without the plan's cache, so that
    /// the plan is parsed and validated in full.
    plan_edited: bool,
    /// The as-of date of the run.
    as_of: &'static str,
}

/// The as-of date of every run but those that name theirs: within the synthetic plans'
/// years, when some items are met, some due and some overdue.
const AS_OF: &str = "2023-06-30";

fn op(name: &'static str, args: &[&str], wall_ms: u64, mib: i64, report: bool) -> Op {
    Op {
        name,
        args: args.iter().map(|s| s.to_string()).collect(),
        wall: Duration::from_millis(wall_ms),
        mib,
        report,
        shell: None,
        env: None,
        first_of_day: false,
        day_after: false,
        plan_edited: false,
        as_of: AS_OF,
    }
}

/// `op` as the first report of the day.
fn first_of_day(name: &'static str, args: &[&str]) -> Op {
    Op {
        first_of_day: true,
        ..op(name, args, 500, 100, true)
    }
}

/// Forgets the plan cache kept in the cache home `cache`, as an edit of the plan does.
fn forget_plan(cache: &Path) -> Result<()> {
    forget(cache, |name| name.starts_with("plan-"))
}

/// Forgets the ledger's facts kept in the cache home `cache` (the facts memo).
fn forget_facts(cache: &Path) -> Result<()> {
    forget(cache, |name| name.ends_with(".facts"))
}

/// Removes the files of plantrack's cache in `cache` whose names `which` picks.
fn forget(cache: &Path, which: impl Fn(&str) -> bool) -> Result<()> {
    let Ok(files) = std::fs::read_dir(cache.join("plantrack")) else {
        return Ok(());
    };
    for file in files {
        let path = file?.path();
        if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(&which)
        {
            std::fs::remove_file(path)?;
        }
    }
    Ok(())
}

fn ops(unit: &str, out_dir: &Path) -> Vec<Op> {
    let out = out_dir.to_string_lossy().into_owned();
    let mut v = vec![
        op("check", &["check"], 1000, 100, false),
        // No memory budget is set for a full parse: 1 GiB bounds it.
        Op {
            plan_edited: true,
            ..op(
                "check, first after a plan edit",
                &["check"],
                1000,
                1024,
                false,
            )
        },
        first_of_day("report overdue, first of the day", &["report", "overdue"]),
        Op {
            day_after: true,
            ..first_of_day(
                "report overdue, first of the day after a report",
                &["report", "overdue"],
            )
        },
        op("report overdue", &["report", "overdue"], 500, 100, true),
        // Past the plans' horizon every item not met is overdue: the longest overdue report.
        Op {
            as_of: "2026-12-31",
            ..op(
                "report overdue, as of a day past the horizon",
                &["report", "overdue"],
                500,
                100,
                true,
            )
        },
        // As a terminal user sees it: tables fitted to 120 columns by comfy-table.
        Op {
            env: Some(("COLUMNS", "120")),
            ..op(
                "report overdue, COLUMNS=120",
                &["report", "overdue"],
                500,
                100,
                true,
            )
        },
        first_of_day(
            "report by-target, first of the day",
            &["report", "by-target"],
        ),
        op("report by-target", &["report", "by-target"], 500, 100, true),
        op(
            "report by-target --format json",
            &["report", "by-target", "--format", "json"],
            500,
            100,
            true,
        ),
        op(
            "report by-department",
            &["report", "by-department"],
            500,
            100,
            true,
        ),
        op(
            "report by-department --unit",
            &["report", "by-department", "--unit", unit],
            500,
            100,
            true,
        ),
        op("assess", &["assess", "--year", "2023"], 500, 100, true),
        op("remind", &["remind"], 500, 100, true),
        op("history (all of it)", &["history"], 60_000, 100, false),
        op(
            "report monthly --out",
            &["report", "monthly", "--month", "2023-05", "--out", &out],
            2000,
            200,
            false,
        ),
    ];
    v.push(Op {
        shell: Some("history | head -1"),
        ..op("history | head -1", &["history"], 100, 100, false)
    });
    v
}

/// The synthetic data set for about `items` items, generated once.
fn data(bin_dir: &Path, work: &Path, items: usize) -> Result<PathBuf> {
    let dir = work.join(format!("{items}"));
    if dir.join("plan.toml").exists() && dir.join("ledger.db").exists() {
        return Ok(dir);
    }
    let measures = (items * 2 / 9).max(1);
    let status = Command::new(bin_dir.join("examples/synth"))
        .args(["--measures", &measures.to_string()])
        .args(["--updates", &(items * 5).to_string()])
        .arg("--out")
        .arg(&dir)
        .status()
        .context("cannot run examples/synth: cargo build --release --examples")?;
    if !status.success() {
        bail!("examples/synth failed");
    }
    Ok(dir)
}

/// The floor's table: the same updates as plain rows, with an index on the item.
fn floor_db(dir: &Path) -> Result<PathBuf> {
    let path = dir.join("floor.db");
    if path.exists() {
        return Ok(path);
    }
    let conn = Connection::open(&path)?;
    conn.execute_batch(&format!(
        "ATTACH '{}' AS ledger;
         CREATE TABLE updates (item TEXT, date TEXT, value REAL, note TEXT);
         INSERT INTO updates SELECT item, report_date, value, note FROM ledger.entry;
         CREATE INDEX updates_item ON updates (item);
         DETACH ledger;",
        dir.join("ledger.db").display()
    ))?;
    Ok(path)
}

const FLOOR_QUERY: &str = "SELECT item, max(date), value FROM updates GROUP BY item;";

fn has_sqlite3() -> bool {
    Command::new("sqlite3")
        .arg("-version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A unit with many items: the `--unit` report's subject.
fn busiest_unit(dir: &Path) -> Result<String> {
    let conn = Connection::open(dir.join("ledger.db"))?;
    Ok(conn.query_row(
        "SELECT unit FROM entry GROUP BY unit ORDER BY count(*) DESC LIMIT 1",
        [],
        |r| r.get(0),
    )?)
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

fn mib(kib: i64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}

fn main() -> Result<()> {
    let args = Args::parse();
    let exe = std::env::current_exe()?;
    // target/release/examples/bench → target/release
    let bin_dir = exe
        .parent()
        .and_then(Path::parent)
        .context("where is target/release?")?
        .to_path_buf();
    let plantrack = bin_dir.join("plantrack");
    if !plantrack.exists() {
        bail!("build the binary first: cargo build --release");
    }
    std::fs::create_dir_all(&args.work)?;
    let sqlite3 = has_sqlite3();
    let mut md = String::new();
    writeln!(
        md,
        "# plantrack benchmark\n\nRelease binary, end to end; median of {} runs, peak resident \
         memory of the child (wait4). Written by `cargo run --release --example bench`.\n",
        args.runs
    )?;
    if !sqlite3 {
        writeln!(md, "sqlite3 is not installed: the floor is left out.\n")?;
    }
    for &items in &args.sizes {
        let dir = data(&bin_dir, &args.work, items)?;
        let unit = busiest_unit(&dir)?;
        let cache = dir.join("cache");
        let out_dir = dir.join("out");
        let ledger_copy = dir.join("ledger-copy.db");
        let plantrack_on = |as_of: &str, extra: &[String]| {
            let mut c = Command::new(&plantrack);
            c.args(["--as-of", as_of])
                .args(extra)
                .env("PLANTRACK_PLAN", dir.join("plan.toml"))
                .env("PLANTRACK_DB", dir.join("ledger.db"))
                .env("XDG_CACHE_HOME", &cache)
                .env("TZ", "Asia/Shanghai");
            c
        };
        let plantrack_cmd = |extra: &[String]| plantrack_on(AS_OF, extra);
        // Warm the plan cache, as any second run after a plan edit finds it.
        measure(&mut plantrack_cmd(&["report".into(), "overdue".into()]))?;
        let floor = match sqlite3 {
            true => {
                let db = floor_db(&dir)?;
                let run = median_of(
                    args.runs,
                    || Ok(()),
                    || {
                        let mut c = Command::new("sqlite3");
                        c.arg(&db).arg(FLOOR_QUERY);
                        c
                    },
                )?;
                Some(run)
            }
            false => None,
        };
        writeln!(md, "## About {items} items ({})\n", dir.display())?;
        writeln!(
            md,
            "| operation | wall | peak memory | × floor | budget | within |\n|---|---|---|---|---|---|"
        )?;
        if let Some(f) = floor {
            writeln!(
                md,
                "| floor: sqlite3, latest update per item (`GROUP BY`) | {} | {} | 1 | | |",
                ms(f.wall),
                mib(f.peak_kib)
            )?;
        }
        let ratio = |run: &Run| match floor {
            Some(f) => format!("{:.1}", run.wall.as_secs_f64() / f.wall.as_secs_f64()),
            None => "–".into(),
        };
        for op in ops(&unit, &out_dir) {
            let run = match op.shell {
                None => median_of(
                    args.runs,
                    || {
                        if op.first_of_day {
                            forget_facts(&cache)?;
                        }
                        if op.plan_edited {
                            forget_plan(&cache)?;
                        }
                        if op.day_after {
                            measure(&mut plantrack_on("2023-06-29", &op.args))?;
                        }
                        Ok(())
                    },
                    || {
                        let mut c = plantrack_on(op.as_of, &op.args);
                        c.envs(op.env);
                        c
                    },
                )?,
                Some(pipeline) => median_of(
                    args.runs,
                    || Ok(()),
                    || {
                        let mut c = Command::new("sh");
                        let shown = plantrack_cmd(&[]).get_program().to_owned();
                        c.arg("-c")
                            .arg(pipeline.replace(
                                "history",
                                &format!("'{}' --as-of {AS_OF} history", shown.display()),
                            ))
                            .env("PLANTRACK_PLAN", dir.join("plan.toml"))
                            .env("PLANTRACK_DB", dir.join("ledger.db"))
                            .env("XDG_CACHE_HOME", &cache);
                        c
                    },
                )?,
            };
            let limit = if items <= 1000 {
                Duration::from_millis(30)
            } else {
                op.wall
            };
            let within_floor = !op.report || floor.is_none_or(|f| run.wall <= f.wall * 2);
            let ok = run.wall <= limit && run.peak_kib <= op.mib * 1024 && within_floor;
            writeln!(
                md,
                "| {} | {} | {} | {} | ≤ {}, ≤ {} MiB{} | {} |",
                op.name.replace('|', "\\|"),
                ms(run.wall),
                mib(run.peak_kib),
                ratio(&run),
                ms(limit),
                op.mib,
                if op.report { ", ≤ 2× floor" } else { "" },
                if ok { "yes" } else { "**no**" }
            )?;
            println!(
                "{items:>7} {:<32} {:>9} {:>8}",
                op.name,
                ms(run.wall),
                mib(run.peak_kib)
            );
        }
        // One update with every flag, on a fresh copy of the ledger each run.
        let ledger = dir.join("ledger.db");
        let item: String = Connection::open(&ledger)?.query_row(
            "SELECT item FROM entry WHERE value IS NOT NULL AND unit = ?1 LIMIT 1",
            [&unit],
            |r| r.get(0),
        )?;
        let update_args: Vec<String> = [
            "update",
            &item,
            "--value",
            "1",
            "--date",
            "2023-06-30",
            "--by",
            &unit,
            "--note",
            "bench",
            "--allow-duplicate",
            "--yes",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let update = median_of(
            args.runs,
            || {
                std::fs::copy(&ledger, &ledger_copy)?;
                // Flushed before the run: otherwise the update's own fsync waits for the
                // copy's 100 MB to reach the disk, which is the copy's cost, not the update's.
                std::fs::File::open(&ledger_copy)?.sync_all()?;
                // SAFETY: sync(2) takes no arguments and cannot fail.
                unsafe { libc::sync() };
                Ok(())
            },
            || {
                let mut c = plantrack_cmd(&update_args);
                c.env("PLANTRACK_DB", &ledger_copy)
                    .env("PLANTRACK_NOW", "2023-06-30T10:00:00+08:00");
                c
            },
        )?;
        let insert = match sqlite3 {
            true => Some(median_of(
                args.runs,
                || Ok(()),
                || {
                    let mut c = Command::new("sqlite3");
                    c.arg(dir.join("floor.db"))
                        .arg("INSERT INTO updates VALUES ('bench', '2023-06-30', 1, 'bench');");
                    c
                },
            )?),
            false => None,
        };
        if let Some(i) = insert {
            writeln!(
                md,
                "| floor: one sqlite3 `INSERT` | {} | {} | | | |",
                ms(i.wall),
                mib(i.peak_kib)
            )?;
        }
        let limit = if items <= 1000 { 30 } else { 20 };
        let within = update.wall <= Duration::from_millis(limit)
            && insert.is_none_or(|i| update.wall <= i.wall * 4);
        writeln!(
            md,
            "| update (every flag) | {} | {} | {} | ≤ {limit} ms, ≤ 4× one INSERT | {} |\n",
            ms(update.wall),
            mib(update.peak_kib),
            match insert {
                Some(i) => format!(
                    "{:.1} × INSERT",
                    update.wall.as_secs_f64() / i.wall.as_secs_f64()
                ),
                None => "–".into(),
            },
            if within { "yes" } else { "**no**" }
        )?;
        println!(
            "{items:>7} {:<32} {:>9} {:>8}",
            "update",
            ms(update.wall),
            mib(update.peak_kib)
        );
        let _ = std::fs::remove_file(&ledger_copy);
    }
    std::fs::write(&args.out, &md)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    println!("\n{md}");
    Ok(())
}
