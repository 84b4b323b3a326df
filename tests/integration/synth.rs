//! The benchmark's data generator (`examples/synth.rs`) at a tiny size: it writes a plan that
//! `check` accepts and a ledger the reports read, and the same seed gives the same plan. How fast
//! plantrack is at scale is the benchmark's business (`examples/bench.rs`), not the tests'.

use std::path::Path;

use serde_json::Value;

use crate::support::{Case, repo};

/// `cargo run --example synth` into `out`.
fn synth(out: &Path) {
    synth_sized(out, 20, 500);
}

/// `cargo run --example synth` into `out`, with `measures` measures and `updates` updates.
fn synth_sized(out: &Path, measures: usize, updates: usize) {
    let output = std::process::Command::new(env!("CARGO"))
        .current_dir(repo())
        .args(["run", "--quiet", "--example", "synth", "--"])
        .args(["--measures", &measures.to_string()])
        .args(["--updates", &updates.to_string(), "--out"])
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

/// A bulletin of more targets than a page shows: the HTML page and the Markdown keep the first
/// 200 rows of each long table and say how many there are; the CSV and xlsx hold every row.
#[test]
fn a_large_bulletin_page_is_summarised_and_its_files_hold_every_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    synth_sized(dir.path(), 120, 3000);
    let out = dir.path().join("out");
    let run = Case::new(&[
        "--lang",
        "en",
        "report",
        "monthly",
        "--month",
        "2023-05",
        "--out",
        &out.to_string_lossy(),
    ])
    .plan(dir.path().join("plan.toml"))
    .db(dir.path().join("ledger.db"))
    .run();
    assert_eq!(run.code, 0, "{}", run.transcript());
    let csv = std::fs::read_to_string(out.join("2023-05.targets.csv")).expect("targets.csv");
    let targets = csv.lines().count() - 1;
    assert!(targets > 200, "{targets} targets: more than a page shows");
    let html = std::fs::read_to_string(out.join("2023-05.html")).expect("the page");
    let note = format!("Showing the first 200 of {targets}.");
    assert!(html.contains(&note), "the page says what it left out");
    let after_table = format!("</table>\n<p>{note}");
    let section = html
        .split(&after_table)
        .next()
        .expect("the table before its note");
    let table = section.rsplit("<table").next().expect("the targets table");
    assert_eq!(table.matches("<tr").count(), 201, "a header and 200 rows");
    assert!(
        html.contains("Trend charts for the first 24 of"),
        "trends are capped"
    );
    // The Markdown beside them is for reading, as the page is.
    let md = std::fs::read_to_string(out.join("2023-05.md")).expect("markdown");
    assert!(md.contains(&note), "the Markdown says what it left out");
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(out.join("2023-05.xlsx")).expect("the workbook");
    use calamine::Reader;
    let sheets = book.sheet_names();
    let rows = sheets
        .iter()
        .filter_map(|s| book.worksheet_range(s).ok())
        .map(|r| r.height())
        .max();
    assert!(
        rows.is_some_and(|r| r > targets),
        "a sheet holds every target: {rows:?}"
    );
}
