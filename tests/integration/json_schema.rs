//! JSON as an interface: every `--format json` document is an envelope (`schema`, `plan`,
//! `as_of`, `lang`, header keys, `rows`) that validates against the schema `plantrack schema`
//! prints; the README's vocabulary table matches the declared vocabulary; and
//! `--csv-headers keys` gives the same header line in both languages.

use std::collections::BTreeSet;

use serde_json::Value;

use plantrack::view::schema::{DOCUMENTS, VOCABULARY, type_text};

use crate::fixture::{run, run_on};
use crate::support::{Case, Output, repo, shipped_plan};

/// Each case: the document it must be, and its arguments.
const CASES: &[(&str, &[&str])] = &[
    ("overdue", &["report", "overdue"]),
    ("by-target", &["report", "by-target"]),
    ("by-department", &["report", "by-department"]),
    (
        "by-department-unit",
        &["report", "by-department", "--unit", "agri"],
    ),
    ("monthly", &["report", "monthly", "--month", "2021-01"]),
    ("assess", &["assess", "--year", "2020"]),
    (
        "assess-unit",
        &["assess", "--year", "2020", "--unit", "agri"],
    ),
    ("remind", &["remind"]),
    ("remind", &["remind", "--reply-by", "2026-02-10"]),
    ("history", &["history"]),
    ("history", &["history", "T-toilet"]),
    ("export", &["export"]),
    ("show", &["show", "T-toilet"]),
    ("show", &["show", "M01"]),
    ("show", &["show", "MS-goal-2022"]),
    ("show", &["show", "agri"]),
    ("list-sections", &["list", "sections"]),
    ("list-measures", &["list", "measures"]),
    ("list-targets", &["list", "targets"]),
    ("list-milestones", &["list", "milestones"]),
    ("list-units", &["list", "units"]),
    ("check", &["check"]),
];

fn json(out: &Output, what: &str) -> Value {
    assert_eq!(out.code, 0, "{what}: {}", out.transcript());
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{what}: {e}\n{}", out.stdout))
}

/// The schema `plantrack schema REPORT` prints.
fn schema(report: &str) -> Value {
    json(&Case::new(&["schema", report]).run(), report)
}

/// Checks `doc` against the schema of `report` and the envelope's fixed keys.
fn conforms(doc: &Value, report: &str, lang: &str, what: &str) {
    let schema = schema(report);
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
    // The schema is strict: a key it does not declare is refused.
    let mut extra = doc.clone();
    extra["undeclared"] = Value::Bool(true);
    assert!(
        !validator.is_valid(&extra),
        "{what}: an undeclared key passed"
    );
    if let Some(row) = doc["rows"].get(0) {
        let mut bad = doc.clone();
        let mut row = row.clone();
        row["undeclared"] = Value::Bool(true);
        bad["rows"][0] = row;
        assert!(
            !validator.is_valid(&bad),
            "{what}: an undeclared row key passed"
        );
    }
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(&keys[..4], ["schema", "plan", "as_of", "lang"], "{what}");
    assert_eq!(keys.last(), Some(&"rows"), "{what}");
    assert_eq!(doc["lang"], lang, "{what}");
    assert_eq!(doc["schema"], schema["$id"], "{what}");
}

#[test]
fn every_document_validates_against_its_schema() {
    let mut seen = BTreeSet::new();
    for (report, args) in CASES {
        for (as_of, lang) in [("2021-01-31", "en"), ("2026-01-31", "zh")] {
            let what = format!("{args:?} as of {as_of} in {lang}");
            let doc = json(&run(as_of, lang, "json", args), &what);
            conforms(&doc, report, lang, &what);
            if *report != "check" {
                assert_eq!(doc["plan"], "regional", "{what}");
                assert!(
                    !doc["rows"].as_array().unwrap().is_empty(),
                    "{what}: no rows"
                );
            }
            seen.insert(*report);
        }
    }
    // The plan diff compares two files.
    let plan = shipped_plan().display().to_string();
    let doc = json(
        &Case::new(&["--format", "json", "diff", &plan, &plan]).run(),
        "diff",
    );
    conforms(&doc, "diff", "en", "diff");
    seen.insert("diff");
    let declared: BTreeSet<&str> = DOCUMENTS.iter().map(|d| d.report).collect();
    assert_eq!(seen, declared, "every declared document is tried");
}

/// The documents that need no ids of the shipped plan.
const EXAMPLE_CASES: &[(&str, &[&str])] = &[
    ("overdue", &["report", "overdue"]),
    ("by-target", &["report", "by-target"]),
    ("by-department", &["report", "by-department"]),
    ("monthly", &["report", "monthly"]),
    ("assess", &["assess"]),
    ("remind", &["remind"]),
    ("list-sections", &["list", "sections"]),
    ("list-measures", &["list", "measures"]),
    ("list-targets", &["list", "targets"]),
    ("list-milestones", &["list", "milestones"]),
    ("list-units", &["list", "units"]),
    ("check", &["check"]),
];

/// The example plans, with no ledger yet.
#[test]
fn the_example_plans_give_valid_documents() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("none.db");
    for entry in std::fs::read_dir(repo().join("examples/plans")).unwrap() {
        let plan = entry.unwrap().path();
        if plan.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        for (report, args) in EXAMPLE_CASES {
            let what = format!("{} {args:?}", plan.display());
            let out = run_on(&plan, &db, "2022-06-30", "en", "json", args);
            conforms(&json(&out, &what), report, "en", &what);
        }
        assert!(!db.exists(), "reading created the ledger");
    }
}

/// A failed check is a document too, with a null plan.
#[test]
fn a_failed_check_is_a_document() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("bad.toml");
    std::fs::write(&plan, "[plan]\nid = 1\n").unwrap();
    let out = Case::new(&["--format", "json", "check"]).plan(&plan).run();
    assert_eq!(out.code, 1, "{}", out.transcript());
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    conforms(&doc, "check", "en", "a failed check");
    assert_eq!(doc["plan"], Value::Null);
    assert!(!doc["rows"].as_array().unwrap().is_empty());
}

#[test]
fn the_same_data_give_the_same_bytes() {
    let a = run("2021-01-31", "zh", "json", &["report", "monthly"]);
    let b = run("2021-01-31", "zh", "json", &["report", "monthly"]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn csv_with_keys_has_one_header_line_in_both_languages() {
    let header = |lang: &str| {
        let args = ["report", "by-target", "--csv-headers", "keys"];
        let out = run("2021-01-31", lang, "csv", &args);
        assert_eq!(out.code, 0, "{}", out.transcript());
        out.stdout.lines().next().unwrap_or_default().to_string()
    };
    let (zh, en) = (header("zh"), header("en"));
    assert_eq!(zh, en);
    assert!(zh.starts_with("id,measure,metric,unit_of_measure,"), "{zh}");
    // Codes, not words: the light of a row is `green`, not 绿.
    let out = run(
        "2021-01-31",
        "zh",
        "csv",
        &["report", "by-target", "--csv-headers", "keys"],
    );
    assert!(
        out.stdout.contains(",green,") || out.stdout.contains(",yellow,"),
        "{}",
        out.stdout
    );
    // For people, headers follow the language.
    let titles = run("2021-01-31", "zh", "csv", &["report", "by-target"]);
    assert!(!titles.stdout.starts_with("id,"), "{}", titles.stdout);
}

/// The README's vocabulary table is the declared vocabulary, key by key.
#[test]
fn the_readme_documents_the_vocabulary() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let table: Vec<String> = readme
        .lines()
        .skip_while(|l| !l.starts_with("| key | type | meaning |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(str::to_string)
        .collect();
    let expected: Vec<String> = VOCABULARY
        .iter()
        .map(|k| format!("| `{}` | {} | {} |", k.name, type_text(k), k.meaning))
        .collect();
    assert_eq!(
        table,
        expected,
        "the README's table should read:\n| key | type | meaning |\n|---|---|---|\n{}",
        expected.join("\n")
    );
}

#[test]
fn an_unknown_document_is_a_usage_error() {
    let out = Case::new(&["schema", "by-targt"]).run();
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr.contains("did you mean \"by-target\""),
        "{}",
        out.stderr
    );
}

/// Dates are ISO in every format and language, receipts included: never 2020年12月31日.
#[test]
fn dates_are_iso_in_chinese_too() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let out = Case::new(&[
        "--lang",
        "zh",
        "--as-of",
        "2021-01-31",
        "update",
        "T-toilet",
        "--value",
        "92",
        "--date",
        "2020-12-20",
        "--by",
        "agri",
    ])
    .db(&db)
    .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(out.stdout.contains("2020-12-20"), "{}", out.stdout);
    for format in ["table", "markdown", "csv", "html"] {
        let out = run_on(
            &shipped_plan(),
            &db,
            "2021-01-31",
            "zh",
            format,
            &["report", "by-target"],
        );
        assert!(
            out.stdout.contains("2020-12-31"),
            "{format}: {}",
            out.stdout
        );
        let written_out = ["年12月", "月31日", "2020/12"];
        assert!(
            written_out.iter().all(|d| !out.stdout.contains(d)),
            "{format}: a date not in ISO form"
        );
    }
}
