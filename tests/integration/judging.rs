//! Judging the way a supervision office does, checked from outside on the judging example plan
//! (examples/plans/judging.toml) and the shipped plan: the issue's "done when", case by case.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{Case, Output, repo, rows_of, shipped_plan};

fn judging_plan() -> PathBuf {
    repo().join("examples/plans/judging.toml")
}

/// A fresh ledger for `plan`, and a way to record into it and to read it.
struct Ledger {
    _dir: tempfile::TempDir,
    db: PathBuf,
    plan: PathBuf,
}

impl Ledger {
    fn new(plan: &Path) -> Ledger {
        let dir = tempfile::tempdir().unwrap();
        Ledger {
            db: dir.path().join("ledger.db"),
            _dir: dir,
            plan: plan.to_path_buf(),
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        Case::new(args).plan(&self.plan).db(&self.db).run()
    }

    fn record(&self, id: &str, flag: &str, value: &str, date: &str, by: &str) -> Output {
        self.run(&[
            "--as-of", date, "update", id, flag, value, "--date", date, "--by", by,
        ])
    }

    fn value(&self, id: &str, value: &str, date: &str) {
        let out = self.record(id, "--value", value, date, "u1");
        assert_eq!(out.code, 0, "{}", out.transcript());
    }

    /// `(status, light)` of `id` in `report by-target` (or by-department for an item that is
    /// not a target) as of `as_of`.
    fn judged(&self, id: &str, as_of: &str) -> (String, String, Value) {
        let out = self.run(&["--as-of", as_of, "--format", "json", "report", "by-target"]);
        assert_eq!(out.code, 0, "{}", out.transcript());
        let mut rows = rows_of(&out.stdout);
        if !rows.iter().any(|r| r["id"] == id) {
            let unit = ["report", "by-department", "--unit", "u1"];
            let mut args = vec!["--as-of", as_of, "--format", "json"];
            args.extend(unit);
            rows = rows_of(&self.run(&args).stdout);
        }
        let row = rows.into_iter().find(|r| r["id"] == id).expect("the item");
        let text = |k: &str| row[k].as_str().unwrap_or_default().to_string();
        (text("status"), text("light"), row)
    }
}

fn is(got: (String, String, Value), status: &str, light: &str) {
    assert_eq!(
        (got.0.as_str(), got.1.as_str()),
        (status, light),
        "{}",
        got.2
    );
}

#[test]
fn the_example_plan_checks() {
    let out = Case::new(&["check"]).plan(judging_plan()).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
}

#[test]
fn due_soon_then_overdue_and_a_negative_share_refused() {
    let l = Ledger::new(&judging_plan());
    l.value("T-due-soon", "85", "2021-01-10");
    is(l.judged("T-due-soon", "2021-01-20"), "due_soon", "yellow");
    let (_, _, row) = l.judged("T-due-soon", "2021-01-20");
    assert_eq!(row["reason"], "due in 11 days, not met: 85 % of ≥ 90 %");
    is(l.judged("T-due-soon", "2021-02-01"), "overdue", "red");
    let before = std::fs::read(&l.db).unwrap();
    let out = l.record("T-due-soon", "--value", "-5", "2021-01-15", "u1");
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        std::fs::read(&l.db).unwrap() == before,
        "the ledger changed"
    );
}

#[test]
fn a_count_without_a_baseline_has_a_line_from_zero() {
    let l = Ledger::new(&judging_plan());
    l.value("T-pace", "20", "2021-01-31");
    l.value("T-pace", "30", "2021-06-30");
    is(l.judged("T-pace", "2021-07-05"), "behind", "yellow");
}

#[test]
fn caps_and_ratios_over_a_year() {
    let l = Ledger::new(&judging_plan());
    l.value("T-cap", "3", "2021-06-30");
    let got = l.judged("T-cap", "2021-07-05");
    assert_eq!(got.1, "green", "{}", got.2);
    assert_ne!(got.0, "met", "a cap is not met before its year is over");
    l.value("T-cap", "12", "2021-08-31");
    let got = l.judged("T-cap", "2021-09-05");
    assert_eq!(got.1, "red", "{}", got.2);
    l.value("T-ratio", "85", "2021-06-30");
    is(l.judged("T-ratio", "2021-07-05"), "behind", "yellow");
}

#[test]
fn growth_rates_may_be_negative_and_blocked_is_blocked() {
    let l = Ledger::new(&judging_plan());
    l.value("T-growth", "-1.5", "2021-03-31");
    let out = l.record("MS-blocked", "--status", "blocked", "2021-03-31", "u1");
    assert_eq!(out.code, 0, "{}", out.transcript());
    is(l.judged("MS-blocked", "2021-04-05"), "blocked", "yellow");
}

#[test]
fn targets_as_plans_state_them_are_met() {
    let l = Ledger::new(&judging_plan());
    l.value("T-about", "7", "2021-12-31");
    l.value("T-range", "4", "2021-12-31");
    l.value("T-relative", "80", "2021-12-31");
    for (v, date) in [
        ("50", "2021-10-31"),
        ("50", "2021-11-30"),
        ("20", "2021-12-31"),
    ] {
        l.value("T-sum", v, date);
    }
    for id in ["T-about", "T-range", "T-relative", "T-sum"] {
        let (status, light, row) = l.judged(id, "2022-01-05");
        assert_eq!(light, "green", "{id}: {row}");
        assert!(status == "met" || status == "exceeded", "{id}: {row}");
    }
    assert_eq!(l.judged("T-about", "2022-01-05").0, "exceeded");
    let (_, _, sum) = l.judged("T-sum", "2022-01-05");
    assert_eq!(sum["actual"], 120.0);
    let (_, _, relative) = l.judged("T-relative", "2022-01-05");
    assert_eq!(
        (&relative["actual"], &relative["level"]),
        (&Value::from(-20.0), &Value::from(80.0))
    );
}

/// `(rule, item)` of every point of u1 in `assess --year year`.
fn points(l: &Ledger, year: &str, as_of: &str) -> Vec<(String, String)> {
    let out = l.run(&[
        "--as-of", as_of, "--format", "json", "assess", "--year", year, "--unit", "u1",
    ]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    rows_of(&out.stdout)
        .iter()
        .map(|p| {
            let s = |k: &str| p[k].as_str().unwrap_or_default().to_string();
            (s("rule"), s("item"))
        })
        .collect()
}

fn charged(points: &[(String, String)], item: &str) -> bool {
    points
        .iter()
        .any(|(rule, i)| rule == "overdue" && i == item)
}

#[test]
fn each_item_is_charged_once_in_the_year_of_its_deadline() {
    let l = Ledger::new(&judging_plan());
    l.value("T-yearend", "85", "2020-12-20");
    l.value("T-annual", "6", "2021-06-30");
    let y2020 = points(&l, "2020", "2021-01-15");
    assert!(charged(&y2020, "T-yearend"), "{y2020:?}");
    let y2021 = points(&l, "2021", "2022-01-15");
    assert!(!charged(&y2021, "T-yearend"), "charged again: {y2021:?}");
    assert!(
        y2021
            .iter()
            .any(|(r, i)| r == "carried_over" && i == "T-yearend"),
        "{y2021:?}"
    );
    assert!(!charged(&y2021, "T-annual"), "{y2021:?}");
    let y2022 = points(&l, "2022", "2023-01-15");
    assert!(
        charged(&y2022, "T-annual"),
        "nothing reported for 2022: {y2022:?}"
    );
}

#[test]
fn the_shipped_toilet_target_on_its_deadline_and_after() {
    let l = Ledger::new(&shipped_plan());
    let out = l.record("T-toilet", "--value", "85", "2020-12-20", "agri");
    assert_eq!(out.code, 0, "{}", out.transcript());
    let (_, light, row) = l.judged("T-toilet", "2020-12-31");
    assert_ne!(light, "green", "{row}");
    let agri = |year: &str, as_of: &str| {
        let args = [
            "--as-of", as_of, "--format", "json", "assess", "--year", year, "--unit", "agri",
        ];
        let out = l.run(&args);
        assert_eq!(out.code, 0, "{}", out.transcript());
        rows_of(&out.stdout)
            .iter()
            .any(|p| p["rule"] == "overdue" && p["item"] == "T-toilet")
    };
    assert!(agri("2020", "2021-01-15"), "charged in 2020");
    assert!(!agri("2021", "2022-01-15"), "not again in 2021");

    let l = Ledger::new(&shipped_plan());
    for (v, date) in [("92", "2020-12-20"), ("85", "2021-01-10")] {
        let out = l.record("T-toilet", "--value", v, date, "agri");
        assert_eq!(out.code, 0, "{}", out.transcript());
    }
    is(l.judged("T-toilet", "2021-01-31"), "fell_back", "yellow");
}

/// `check` warns when a quote's wording and the comparator disagree.
#[test]
fn check_reads_the_quote_against_the_comparator() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["judging.toml", "judging.source.txt"] {
        std::fs::copy(
            repo().join("examples/plans").join(name),
            dir.path().join(name),
        )
        .unwrap();
    }
    let plan = dir.path().join("judging.toml");
    let text = std::fs::read_to_string(&plan).unwrap();
    let flipped = text.replacen(
        "comparator = \"at_least\"\nvalue = 90\ndue = 2021-01-31",
        "comparator = \"at_most\"\nvalue = 90\ndue = 2021-01-31",
        1,
    );
    assert_ne!(flipped, text);
    std::fs::write(&plan, flipped).unwrap();
    let out = Case::new(&["check"]).plan(&plan).run();
    assert_eq!(out.code, 0, "a warning, not an error: {}", out.transcript());
    assert!(
        out.stderr.contains(
            "T-due-soon: the quote says 以上 (at least), but the comparator is \"at_most\""
        ),
        "{}",
        out.stderr
    );
}

/// Dates and values as an IME types them, and progress before an inferred issue date.
#[test]
fn input_as_an_ime_types_it() {
    let l = Ledger::new(&shipped_plan());
    let out = l.run(&[
        "--as-of",
        "2021-01-31",
        "update",
        "T-toilet",
        "--value",
        "９２％",
        "--date",
        "2020年12月20日",
        "--by",
        "agri",
    ]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(
        out.stdout.contains("T-toilet = 92 % on 2020-12-20"),
        "{}",
        out.stdout
    );
    // The shipped plan's issue date is inferred: earlier progress is recorded, with a warning.
    let out = l.run(&[
        "--as-of",
        "2021-01-31",
        "update",
        "T-toilet",
        "--value",
        "80",
        "--date",
        "2019/06/30",
        "--by",
        "agri",
    ]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(out.stderr.contains("only infers"), "{}", out.stderr);
}

/// A plan with a stated issue date refuses progress dated before it.
#[test]
fn progress_before_a_stated_issue_date_is_refused() {
    let l = Ledger::new(&repo().join("examples/plans/minimal.toml"));
    let out = l.run(&[
        "--as-of",
        "2021-06-30",
        "update",
        "T-toilet",
        "--value",
        "80",
        "--date",
        "2021-02-01",
        "--by",
        "agri",
    ]);
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr
            .contains("before the plan was issued (2021-03-01)"),
        "{}",
        out.stderr
    );
    assert!(!l.db.exists());
}
