//! The benchmark's data generator (`examples/synth.rs`) at a tiny size: it writes a plan that
//! `check` accepts and a ledger the reports read, and the same seed gives the same plan. How fast
//! plantrack is at scale is the benchmark's business (`examples/bench.rs`), not the tests'.

use std::path::Path;

use serde_json::Value;

use crate::support::{Case, repo};

/// `cargo run --example synth` into `out`.
fn synth(out: &Path) {
    let output = std::process::Command::new(env!("CARGO"))
        .current_dir(repo())
        .args(["run", "--quiet", "--example", "synth", "--"])
        .args(["--measures", "20", "--updates", "500", "--out"])
        .arg(out)
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "synth failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn synth_writes_a_valid_plan_and_a_ledger_the_reports_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    synth(dir.path());
    let plan = dir.path().join("plan.toml");
    let db = dir.path().join("ledger.db");

    let check = Case::new(&["check"]).plan(&plan).db(&db).run();
    assert_eq!(check.code, 0, "{}", check.transcript());
    assert!(
        check.stdout.contains("20 measures"),
        "{}",
        check.transcript()
    );
    assert!(
        !check.stderr.contains("warning"),
        "the ledger matches the plan:\n{}",
        check.transcript()
    );

    let report = Case::new(&[
        "--as-of",
        "2023-06-30",
        "report",
        "by-target",
        "--format",
        "json",
    ])
    .plan(&plan)
    .db(&db)
    .run();
    assert_eq!(report.code, 0, "{}", report.transcript());
    let rows = Value::Array(crate::support::rows_of(&report.stdout));
    let rows = rows.as_array().expect("an array of targets");
    // Two to four targets per measure: about 60.
    assert!((40..=80).contains(&rows.len()), "{} targets", rows.len());
    let reported = rows.iter().filter(|r| r["actual"].is_number()).count();
    assert!(
        reported * 2 > rows.len(),
        "most targets have a value by mid-2023: {reported} of {}",
        rows.len()
    );

    // The generator is reproducible: the same arguments write the same plan.
    let again = tempfile::tempdir().expect("temp dir");
    synth(again.path());
    let read = |p: &Path| std::fs::read(p.join("plan.toml")).expect("plan.toml");
    assert!(
        read(dir.path()) == read(again.path()),
        "same seed, same plan"
    );
}
