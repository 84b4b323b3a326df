//! One clock, read once in the local time zone: at 02:00 on 31 December in Beijing (18:00 UTC
//! the day before), `update` records 2020-12-31, accepts `--date 2020-12-31`, stores the
//! recording time with its `+08:00` offset, and `report` without `--as-of` counts the entry.

use std::path::Path;

use serde_json::Value;

use crate::support::{Case, Output};

/// 02:00 on 2020-12-31 in Beijing.
const INSTANT: &str = "2020-12-30T18:00:00Z";

fn run(tz: &str, db: &Path, args: &[&str]) -> Output {
    Case::new(args).db(db).env("TZ", tz).now(INSTANT).run()
}

fn json(out: &Output) -> Value {
    assert_eq!(out.code, 0, "{}", out.transcript());
    Value::Array(crate::support::rows_of(&out.stdout))
}

/// The whole case in one time zone: `tz` must be Beijing time.
fn beijing(tz: &str) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let first = run(
        tz,
        &db,
        &["update", "T-toilet", "--value", "91", "--by", "agri"],
    );
    assert_eq!(first.code, 0, "{}", first.transcript());
    assert!(
        first
            .stdout
            .contains("T-toilet = 91 % on 2020-12-31 by agri"),
        "{}",
        first.transcript()
    );
    let second = run(
        tz,
        &db,
        &[
            "update",
            "T-toilet",
            "--value",
            "92",
            "--date",
            "2020-12-31",
            "--by",
            "agri",
        ],
    );
    assert_eq!(second.code, 0, "{}", second.transcript());

    let history = json(&run(tz, &db, &["history", "T-toilet", "--format", "json"]));
    let recorded: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["recorded_at"].as_str().unwrap())
        .collect();
    assert_eq!(recorded, ["2020-12-31T02:00:00+08:00"; 2]);

    // No --as-of: the report judges as of the same local date and counts both entries.
    let report = json(&run(tz, &db, &["report", "by-target", "--format", "json"]));
    let toilet = report
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "T-toilet")
        .expect("T-toilet");
    assert_eq!(toilet["actual"], 92.0, "{toilet}");
    assert_eq!(toilet["actual_date"], "2020-12-31", "{toilet}");
}

#[test]
fn beijing_at_two_in_the_morning_as_a_posix_rule() {
    beijing("CST-8");
}

#[test]
fn beijing_at_two_in_the_morning_from_the_time_zone_database() {
    if !Path::new("/usr/share/zoneinfo/Asia/Shanghai").exists() {
        eprintln!(
            "skipped: no time zone database (/usr/share/zoneinfo/Asia/Shanghai); the POSIX-rule \
             case covers the same ground"
        );
        return;
    }
    beijing("Asia/Shanghai");
}

/// The same instant in UTC is still 30 December: the date follows the machine's zone.
#[test]
fn the_same_instant_in_utc_is_the_day_before() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let out = run(
        "UTC0",
        &db,
        &[
            "update",
            "T-toilet",
            "--value",
            "92",
            "--date",
            "2020-12-31",
            "--by",
            "agri",
        ],
    );
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr.contains("as-of date 2020-12-30"),
        "{}",
        out.transcript()
    );
    assert!(!db.exists(), "a refused update creates no ledger");
    let out = run(
        "UTC0",
        &db,
        &["update", "T-toilet", "--value", "91", "--by", "agri"],
    );
    assert!(out.stdout.contains("on 2020-12-30"), "{}", out.transcript());
    let history = json(&run("UTC0", &db, &["history", "--format", "json"]));
    assert_eq!(history[0]["recorded_at"], "2020-12-30T18:00:00Z");
}
