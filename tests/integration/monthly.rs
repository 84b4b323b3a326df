//! The monthly bulletin: goldens in every text format, `--out` writing all five formats, the
//! XLSX read back cell by cell, HTML escaping, and formula injection in CSV and XLSX.

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::fixture;
use crate::support::{Case, Output};

fn monthly(db: &std::path::Path, lang: &str, format: &str, month: &str) -> Output {
    let out = Case::new(&[
        "--lang", lang, "--format", format, "report", "monthly", "--month", month,
    ])
    .db(db)
    .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    out
}

#[test]
fn bulletin_goldens() {
    let db = fixture::shared();
    for month in ["2020-11", "2021-01"] {
        for format in ["table", "markdown", "csv", "json", "html"] {
            let out = monthly(db, "en", format, month);
            insta::assert_snapshot!(format!("monthly_{month}_{format}_en"), out.stdout);
        }
    }
    for format in ["markdown", "html"] {
        let out = monthly(db, "zh", format, "2021-01");
        insta::assert_snapshot!(format!("monthly_2021-01_{format}_zh"), out.stdout);
    }
}

#[test]
fn bulletin_json_has_every_section() {
    let out = monthly(fixture::shared(), "en", "json", "2021-01");
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(doc["month"], "2021-01");
    assert_eq!(doc["as_of"], "2021-01-31");
    let rows = doc["rows"].clone();
    let types: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    for t in [
        "summary",
        "update",
        "light_change",
        "target_move",
        "unreported_unit",
        "target",
    ] {
        assert!(types.contains(&t), "no {t} in {types:?}");
    }
    let summary = &rows[0];
    // Entries 11–17 are dated in January 2021.
    assert_eq!(summary["updates"], 7);
    let toilet = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "target" && r["id"] == "T-toilet")
        .unwrap();
    assert_eq!(toilet["status"], "met");
    assert_eq!(toilet["light"], "green");
}

#[test]
fn out_writes_all_five_formats_and_the_workbook_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    let out = Case::new(&[
        "--lang",
        "en",
        "report",
        "monthly",
        "--month",
        "2021-01",
        "--out",
        reports.to_str().unwrap(),
    ])
    .db(fixture::shared())
    .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    let mut names: Vec<String> = std::fs::read_dir(&reports)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "2021-01.html",
            "2021-01.json",
            "2021-01.light-changes.csv",
            "2021-01.lights.csv",
            "2021-01.md",
            "2021-01.overdue-items.csv",
            "2021-01.standings.csv",
            "2021-01.target-moves.csv",
            "2021-01.targets.csv",
            "2021-01.units-not-reported.csv",
            "2021-01.updates.csv",
            "2021-01.whom-to-call.csv",
            "2021-01.xlsx"
        ]
    );
    // Each table is its own CSV, which Excel on Chinese Windows opens as UTF-8.
    for name in names.iter().filter(|n| n.ends_with(".csv")) {
        let bytes = std::fs::read(reports.join(name)).unwrap();
        assert!(
            bytes.starts_with("\u{feff}".as_bytes()),
            "{name} has no BOM"
        );
    }

    let mut book: Xlsx<_> = open_workbook(reports.join("2021-01.xlsx")).expect("xlsx");
    let sheets = book.sheet_names();
    assert!(sheets.iter().any(|s| s == "Target progress"), "{sheets:?}");
    let range = book.worksheet_range("Target progress").unwrap();
    assert_eq!(range.get((0, 0)), Some(&Data::String("Id".into())));
    let toilet = range
        .rows()
        .find(|r| r[0] == Data::String("T-toilet".into()))
        .expect("T-toilet row");
    // Actual is a number cell, the reporting date a date cell.
    assert_eq!(toilet[3], Data::Float(92.0));
    assert!(matches!(toilet[4], Data::DateTime(_)), "{:?}", toilet[4]);
    // % of target is a number cell formatted as a percentage.
    assert!(
        matches!(toilet[5], Data::Float(p) if (p - 92.0 / 90.0).abs() < 1e-9),
        "{:?}",
        toilet[5]
    );
}

#[test]
fn identical_inputs_give_identical_bytes_in_every_format() {
    let run = || {
        let dir = tempfile::tempdir().unwrap();
        let out = Case::new(&[
            "report",
            "monthly",
            "--month",
            "2021-01",
            "--out",
            dir.path().to_str().unwrap(),
        ])
        .db(fixture::shared())
        .run();
        assert_eq!(out.code, 0, "{}", out.transcript());
        ["md", "targets.csv", "json", "html", "xlsx"]
            .map(|ext| std::fs::read(dir.path().join(format!("2021-01.{ext}"))).unwrap())
    };
    assert_eq!(run(), run());
}

/// Notes typed by a department end up in every format: they must stay text.
#[test]
fn notes_cannot_inject_scripts_or_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    for (item, value, note) in [
        ("T-sewage", "10", "<script>alert('x')</script>"),
        ("T-agri-tech", "60", "=HYPERLINK(\"http://evil\",\"x\")"),
        ("T-grain", "19", "@SUM(A1:A9)"),
        ("T-export-bases", "1", "-1+2"),
    ] {
        let by = match item {
            "T-sewage" => "water",
            "T-agri-tech" => "sci-tech",
            "T-grain" => "agri",
            _ => "commerce",
        };
        let out = Case::new(&[
            "--as-of",
            "2021-01-31",
            "update",
            item,
            "--value",
            value,
            "--by",
            by,
            "--date",
            "2021-01-10",
            "--note",
            note,
        ])
        .db(&db)
        .run();
        assert_eq!(out.code, 0, "{}", out.transcript());
    }
    let html = monthly(&db, "en", "html", "2021-01").stdout;
    assert!(!html.contains("<script>"), "a note became a script");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(
        !html.contains(" src=") && !html.contains("<link"),
        "the page fetches something"
    );

    let csv = monthly(&db, "en", "csv", "2021-01").stdout;
    assert!(
        csv.contains("'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")"),
        "{csv}"
    );
    assert!(
        csv.contains("'@SUM(A1:A9)") && csv.contains("'-1+2"),
        "{csv}"
    );
    for line in csv.lines() {
        for field in line.split(',') {
            assert!(
                !field.starts_with(['=', '+', '@']),
                "live formula in CSV: {line}"
            );
        }
    }

    let out = dir.path().join("out");
    let run = Case::new(&[
        "report",
        "monthly",
        "--month",
        "2021-01",
        "--out",
        out.to_str().unwrap(),
    ])
    .db(&db)
    .run();
    assert_eq!(run.code, 0, "{}", run.transcript());
    let mut book: Xlsx<_> = open_workbook(out.join("2021-01.xlsx")).expect("xlsx");
    let updates = book.worksheet_range("New updates").unwrap();
    let formulas = book.worksheet_formula("New updates").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "the workbook holds formulas"
    );
    assert!(
        updates
            .used_cells()
            .any(|(_, _, c)| *c == Data::String("=HYPERLINK(\"http://evil\",\"x\")".into()))
    );
}

#[test]
fn a_bad_month_is_a_usage_error() {
    let out = Case::new(&["report", "monthly", "--month", "2021-13"])
        .db(fixture::shared())
        .run();
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr.contains("is not a month; write YYYY-MM"),
        "{}",
        out.stderr
    );
}

/// The bulletin's "did not report" list is the calendar month: a report dated on the last days
/// of January does not count for February.
#[test]
fn a_unit_is_silent_in_a_month_without_an_entry_dated_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    let out = Case::new(&[
        "--as-of",
        "2021-01-30",
        "update",
        "T-export-bases",
        "--value",
        "1",
        "--by",
        "commerce",
        "--date",
        "2021-01-30",
    ])
    .db(&db)
    .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    let silent = |month: &str, as_of: &str| -> Vec<String> {
        let out = Case::new(&[
            "--as-of", as_of, "--format", "json", "report", "monthly", "--month", month,
        ])
        .db(&db)
        .run();
        assert_eq!(out.code, 0, "{}", out.transcript());
        let rows = serde_json::Value::Array(crate::support::rows_of(&out.stdout));
        rows.as_array()
            .unwrap()
            .iter()
            .filter(|r| r["type"] == "unreported_unit")
            .map(|r| r["unit"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!silent("2021-01", "2021-02-01").contains(&"commerce".to_string()));
    assert!(silent("2021-02", "2021-03-01").contains(&"commerce".to_string()));
}

#[test]
fn a_month_that_has_not_ended_is_a_usage_error() {
    for (month, says) in [
        (
            "2021-06",
            "2021-06 is not over on the as-of date 2021-02-01",
        ),
        ("2019-12", "before the plan was issued"),
    ] {
        let out = Case::new(&[
            "--as-of",
            "2021-02-01",
            "report",
            "monthly",
            "--month",
            month,
        ])
        .db(fixture::shared())
        .run();
        assert_eq!(out.code, 2, "{}", out.transcript());
        assert!(out.stderr.contains(says), "{}", out.stderr);
    }
}
