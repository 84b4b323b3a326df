//! Where a report's memory goes, phase by phase, in process: the live heap and the resident
//! set after loading the plan from its cache, reading the snapshot, judging, and making and
//! writing `report overdue` and `report by-target`.
//!
//! ```text
//! cargo run --release --example synth -- --out /tmp/synth
//! cargo run --release --example memory -- /tmp/synth
//! ```
//!
//! The live heap is counted by a wrapper around the binary's allocator (mimalloc), so it shows
//! what each structure holds; the resident set (`VmRSS`, Linux only) adds the allocator's
//! pages and the program itself, which is what the benchmark's peak memory measures.

use std::alloc::{GlobalAlloc, Layout};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::Parser;
use plantrack::doc::View;
use plantrack::i18n::Lang;
use plantrack::judge::Judged;
use plantrack::render::{CsvHeaders, Format, Options, write_doc};
use plantrack::report::by_target::ByTarget;
use plantrack::report::overdue::Overdue;
use plantrack::store::Store;

/// The binary's allocator, counting the bytes it holds.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static INNER: mimalloc::MiMalloc = mimalloc::MiMalloc;

// SAFETY: every call is passed on unchanged to mimalloc; the counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        // SAFETY: the caller's layout, as GlobalAlloc::alloc requires.
        unsafe { INNER.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by INNER with this layout.
        unsafe { INNER.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Live heap and resident set after each phase of a report.
#[derive(Debug, Parser)]
struct Args {
    /// Directory with plan.toml and ledger.db (from `cargo run --release --example synth`)
    dir: PathBuf,
    /// The reports' as-of date
    #[arg(long, default_value = "2025-06-30")]
    as_of: NaiveDate,
    /// Only write the plan's cache into this folder (run in a child process, so that the
    /// parse's memory is not counted)
    #[arg(long, hide = true)]
    write_cache: Option<PathBuf>,
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

/// The resident set now and at its highest, in MB (zero where /proc is missing).
fn resident() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches(" kB").parse::<f64>().ok())
            .map_or(0.0, |kb| kb * 1024.0 / 1e6)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn phase(what: &str) {
    let (rss, hwm) = resident();
    println!(
        "{what:<24} {:>9.1} {:>9.1} {rss:>9.1} {hwm:>9.1}",
        mb(LIVE.load(Ordering::Relaxed)),
        mb(PEAK.load(Ordering::Relaxed)),
    );
}

fn main() -> Result<()> {
    let args = Args::parse();
    let plan_path = args.dir.join("plan.toml");
    let cache = |dir: PathBuf| plantrack::plan::PlanCache {
        dir,
        now: std::time::SystemTime::now(),
    };
    if let Some(dir) = args.write_cache {
        plantrack::plan::load_cached(&plan_path, &cache(dir))?;
        return Ok(());
    }
    // The first load parses the plan and writes its cache, in a child process; reports load
    // it from there.
    let cache_dir = tempfile::tempdir()?;
    let status = std::process::Command::new(std::env::current_exe()?)
        .arg(&args.dir)
        .arg("--write-cache")
        .arg(cache_dir.path())
        .status()?;
    anyhow::ensure!(status.success(), "could not write the plan's cache");
    let cache = cache(cache_dir.path().to_path_buf());
    println!(
        "{:<24} {:>9} {:>9} {:>9} {:>9}",
        "after (MB)", "live", "peak", "resident", "res. peak"
    );
    phase("start");
    let loaded = plantrack::plan::load_cached(&plan_path, &cache)?;
    let plan = &loaded.plan;
    phase("plan (from its cache)");
    let store = Store::open_existing(&args.dir.join("ledger.db"))?.context("no ledger")?;
    let snapshot = store.snapshot(plan, args.as_of)?;
    phase("snapshot");
    let judged = Judged::new(plan, &snapshot);
    phase("verdicts");
    let options = Options {
        lang: Lang::En,
        width: None,
        csv_headers: CsvHeaders::Titles,
        csv_bom: false,
    };
    // The overdue report is dropped before by-target is made.
    drawn("overdue", &Overdue::compute(plan, &judged), options)?;
    // by-target lets the ledger's facts go before its rows are made, as the binary does.
    let verdicts = judged.verdicts;
    drop(snapshot);
    phase("by-target: facts let go");
    drawn("by-target", &ByTarget::compute(plan, &verdicts), options)?;
    Ok(())
}

/// A report's document made and drawn as a table, after its rows were made.
fn drawn(report: &str, view: &dyn View, options: Options) -> Result<()> {
    phase(&format!("{report}: rows"));
    let doc = view.doc(Lang::En).visible();
    phase(&format!("{report}: document"));
    write_doc(&doc, Format::Table, options, &mut std::io::sink())?;
    phase(&format!("{report}: written"));
    Ok(())
}
