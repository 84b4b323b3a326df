//! Shared responsibility on `examples/plans/districts.toml`: a group whose members each answer
//! for their own district (T-d), and a measure with a lead and a cooperating unit (T-lead).

use std::path::PathBuf;

use serde_json::Value;

use crate::fixture::{self, Step};
use crate::support::{Case, repo, rows_of};

fn plan() -> PathBuf {
    repo().join("examples/plans/districts.toml")
}

const STEPS: &[Step] = &[
    Step {
        date: "2021-12-10",
        args: &["T-d", "--value", "95", "--by", "d1"],
    },
    Step {
        date: "2021-12-12",
        args: &["T-d", "--value", "92", "--by", "d2"],
    },
];

fn ledger() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("districts.db");
    fixture::record(&plan(), &db, STEPS);
    (dir, db)
}

fn json(db: &PathBuf, as_of: &str, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["--as-of", as_of, "--format", "json"];
    all.extend(args);
    let out = Case::new(&all).plan(plan()).db(db).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    rows_of(&out.stdout)
}

fn row<'a>(rows: &'a [Value], id: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no row {id} in {rows:?}"))
}

/// d1 at 95 and d2 at 92 meet 90 %, d3 never reports: T-d is red and not met, and says d3.
#[test]
fn a_group_target_is_met_only_when_every_member_meets_it() {
    let (_dir, db) = ledger();
    let targets = json(&db, "2022-01-05", &["report", "by-target"]);
    let t = row(&targets, "T-d");
    assert_eq!(t["light"], "red", "{t}");
    assert_ne!(t["status"], "met", "{t}");
    let reason = t["reason"].as_str().unwrap();
    assert!(
        reason.contains("d3") && !reason.contains("(d1)"),
        "{reason}"
    );
    // No rate is averaged into the group's row: each member's own value is listed.
    assert!(t["actual"].is_null(), "{t}");
    let members: Vec<(&str, Option<f64>)> = t["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["unit"].as_str().unwrap(), m["actual"].as_f64()))
        .collect();
    assert_eq!(
        members,
        [("d1", Some(95.0)), ("d2", Some(92.0)), ("d3", None)]
    );
    let overdue = json(&db, "2022-01-05", &["report", "overdue"]);
    assert!(
        row(&overdue, "T-d")["reason"]
            .as_str()
            .unwrap()
            .contains("d3")
    );
    let departments = json(&db, "2022-01-05", &["report", "by-department"]);
    let units: Vec<&str> = departments
        .iter()
        .map(|r| r["unit"].as_str().unwrap())
        .collect();
    for member in ["d1", "d2", "d3"] {
        assert!(units.contains(&member), "{member} in {units:?}");
    }
    assert!(!units.contains(&"districts"), "{units:?}");
}

/// When d3 reports 91 as well, every member has met it.
#[test]
fn the_group_target_is_met_when_the_last_member_meets_it() {
    let (_dir, db) = ledger();
    let out = Case::new(&[
        "--as-of",
        "2021-12-20",
        "update",
        "T-d",
        "--value",
        "91",
        "--by",
        "d3",
    ])
    .plan(plan())
    .db(&db)
    .now("2021-12-20T09:00:00+08:00")
    .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    let targets = json(&db, "2022-01-05", &["report", "by-target"]);
    assert_eq!(row(&targets, "T-d")["status"], "met");
}

/// The group itself may not report: its members do, and the refusal names them.
#[test]
fn the_group_itself_is_refused_with_its_members_named() {
    let (_dir, db) = ledger();
    let out = Case::new(&["update", "T-d", "--value", "93", "--by", "districts"])
        .plan(plan())
        .db(&db)
        .run();
    assert_eq!(out.code, 2, "{}", out.transcript());
    for member in ["(d1)", "(d2)", "(d3)"] {
        assert!(out.stderr.contains(member), "{}", out.stderr);
    }
}

/// T-lead, never reported: its overdue row names lead1 as lead; the 2021 assessment charges
/// lead1 for it and coop1 nothing.
#[test]
fn the_lead_is_charged_and_the_cooperating_unit_is_not() {
    let (_dir, db) = ledger();
    let overdue = json(&db, "2021-07-05", &["report", "overdue"]);
    let t = row(&overdue, "T-lead");
    assert_eq!(t["lead"], serde_json::json!(["lead1"]));
    assert_eq!(t["cooperating"], serde_json::json!(["coop1"]));
    let scores = json(&db, "2022-01-15", &["assess", "--year", "2021"]);
    let lead1 = scores
        .iter()
        .find(|r| r["unit"] == "lead1")
        .expect("lead1 is assessed");
    assert!(lead1["overdue_count"].as_u64().unwrap() >= 1, "{lead1}");
    let detail = json(
        &db,
        "2022-01-15",
        &["assess", "--year", "2021", "--unit", "lead1"],
    );
    assert!(detail.iter().any(|p| p["item"] == "T-lead"), "{detail:?}");
    if let Some(coop1) = scores.iter().find(|r| r["unit"] == "coop1") {
        assert_eq!(coop1["overdue_count"], 0, "{coop1}");
    }
}

/// `--kind government` lists the district governments apart from the departments.
#[test]
fn by_department_groups_by_kind() {
    let (_dir, db) = ledger();
    let rows = json(
        &db,
        "2022-01-05",
        &["report", "by-department", "--kind", "government"],
    );
    let units: Vec<&str> = rows.iter().map(|r| r["unit"].as_str().unwrap()).collect();
    assert_eq!(units.len(), 3, "{units:?}");
    assert!(rows.iter().all(|r| r["unit_kind"] == "government"));
}
