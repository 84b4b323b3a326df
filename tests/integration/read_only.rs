//! Read-only commands write nothing: `check`, `list`, `show`, every `report` (printed),
//! `assess`, `remind`, `history` and `diff` leave the plan's folder and the ledger's folder
//! byte-for-byte as they were, and a ledger that does not exist yet reads as empty and is not
//! created.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::fixture::{self, Step};
use crate::support::{Case, repo};

/// Every file below `dir` with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            for (inner, bytes) in contents(&path) {
                out.insert(format!("{name}/{inner}"), bytes);
            }
        } else {
            out.insert(name, std::fs::read(&path).unwrap());
        }
    }
    out
}

const READS: &[&[&str]] = &[
    &["check"],
    &["list", "targets"],
    &["show", "T-toilet"],
    &["show", "agri"],
    &["report", "overdue"],
    &["report", "by-target", "--format", "json"],
    &["report", "by-department"],
    &["report", "by-department", "--unit", "agri"],
    &["report", "monthly", "--format", "html"],
    &["assess", "--year", "2020"],
    &["assess", "--year", "2020", "--unit", "agri"],
    &["remind"],
    &["history"],
    &["history", "T-toilet", "--format", "csv"],
];

/// The shipped plan and its source copied to a folder of their own.
fn plan_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["regional.toml", "regional.source.txt"] {
        std::fs::copy(repo().join("plan").join(name), dir.path().join(name)).unwrap();
    }
    dir
}

/// The shipped plan in a folder of its own, and a ledger with one entry in another: the
/// plan's folder, the plan, the ledger's folder and the ledger.
fn plan_and_ledger() -> (tempfile::TempDir, PathBuf, tempfile::TempDir, PathBuf) {
    let plans = plan_folder();
    let plan = plans.path().join("regional.toml");
    let ledgers = tempfile::tempdir().unwrap();
    let db = ledgers.path().join("ledger.db");
    let steps = [Step {
        date: "2020-12-20",
        args: &["T-toilet", "--value", "92", "--by", "agri"],
    }];
    fixture::record(&plan, &db, &steps);
    (plans, plan, ledgers, db)
}

fn run_reads(plan: &Path, db: Option<&Path>) {
    let diff = plan.to_string_lossy().into_owned();
    let diff_args: &[&str] = &["diff", &diff, &diff];
    for args in READS.iter().copied().chain([diff_args]) {
        let mut all = vec!["--as-of", "2021-01-31"];
        all.extend(args);
        let mut case = Case::new(&all).plan(plan);
        if let Some(db) = db {
            case = case.db(db);
        }
        let out = case.run();
        assert_eq!(out.code, 0, "{args:?}: {}", out.transcript());
    }
}

#[test]
fn read_only_commands_leave_both_folders_as_they_were() {
    let (plans, plan, ledgers, db) = plan_and_ledger();
    let (plan_before, ledger_before) = (contents(plans.path()), contents(ledgers.path()));
    assert_eq!(ledger_before.len(), 1, "{:?}", ledger_before.keys());
    run_reads(&plan, Some(&db));
    assert!(
        contents(plans.path()) == plan_before,
        "the plan's folder changed"
    );
    let after = contents(ledgers.path());
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        ledger_before.keys().collect::<Vec<_>>()
    );
    assert!(after == ledger_before, "the ledger changed");
}

#[test]
fn a_ledger_that_does_not_exist_reads_as_empty_and_is_not_created() {
    let plans = plan_folder();
    let plan = plans.path().join("regional.toml");
    let before = contents(plans.path());
    // The default ledger, <plan dir>/regional.db, does not exist.
    run_reads(&plan, None);
    assert!(
        contents(plans.path()) == before,
        "the plan's folder changed"
    );
    let out = Case::new(&[
        "--as-of",
        "2021-01-31",
        "report",
        "by-target",
        "--format",
        "json",
    ])
    .plan(&plan)
    .run();
    let rows = serde_json::Value::Array(crate::support::rows_of(&out.stdout));
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["actual"].is_null()),
        "an empty ledger"
    );
}

/// `check` with `--db` starts SQLite's check of the ledger while the plan loads; when the
/// plan does not load, that check's connection is still closed, and leaves no `-wal` or
/// `-shm` file beside the ledger.
#[test]
fn a_check_whose_plan_does_not_load_leaves_the_ledger_folder_as_it_was() {
    let (_plans, plan, ledgers, db) = plan_and_ledger();
    let before = contents(ledgers.path());
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, text.replacen("[plan]", "[plan", 1)).unwrap();
    for _ in 0..5 {
        let out = Case::new(&["check"]).plan(&plan).db(&db).run();
        assert_eq!(out.code, 1, "{}", out.transcript());
        assert!(
            contents(ledgers.path()) == before,
            "the ledger's folder changed"
        );
    }
}
