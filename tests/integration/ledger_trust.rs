//! A ledger an auditor can trust: tampering by edit, delete, insert and reorder is found by
//! `check` with the entry number; a damaged page is found; concurrent writers all land; a
//! foreign SQLite file is refused and left alone; a backup restores to the same reports.

use std::path::{Path, PathBuf};
use std::process::Command;

use rusqlite::Connection;

use crate::fixture::{self, Step};
use crate::support::{Case, Output, shipped_plan};

const STEPS: &[Step] = &[
    Step {
        date: "2020-12-20",
        args: &["T-toilet", "--value", "92", "--by", "agri"],
    },
    Step {
        date: "2021-01-10",
        args: &["T-grain", "--value", "20", "--by", "agri"],
    },
    Step {
        date: "2021-01-11",
        args: &[
            "MS-goal-2022",
            "--status",
            "in_progress",
            "--by",
            "zone-hightech",
        ],
    },
    Step {
        date: "2021-01-20",
        args: &["T-sewage", "--value", "12", "--by", "agri"],
    },
];

fn ledger() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    fixture::record(&shipped_plan(), &db, STEPS);
    (dir, db)
}

fn check(db: &Path) -> Output {
    Case::new(&["check"]).db(db).run()
}

/// Runs SQL on the ledger the way an attacker with write access would: triggers dropped.
fn tamper(db: &Path, sql: &str) {
    let conn = Connection::open(db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER IF EXISTS entry_no_update; DROP TRIGGER IF EXISTS entry_no_delete;",
    )
    .unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn an_untouched_ledger_checks() {
    let (_dir, db) = ledger();
    let out = check(&db);
    assert_eq!(out.code, 0, "{}", out.transcript());
}

#[test]
fn tampering_is_found_with_the_entry_number() {
    for (what, sql, entry) in [
        ("edited", "UPDATE entry SET value = 99 WHERE id = 2", 2),
        ("deleted", "DELETE FROM entry WHERE id = 2", 3),
        (
            "inserted",
            "INSERT INTO entry (id, item, report_date, value, note, unit, recorded_at, plan_fingerprint, hash)
             VALUES (5, 'T-toilet', '2021-01-25', 95, '', 'agri', '2021-01-25T09:00:00+08:00', 'x', 'forged')",
            5,
        ),
        (
            "reordered",
            "UPDATE entry SET id = 100 WHERE id = 2; UPDATE entry SET id = 2 WHERE id = 3; UPDATE entry SET id = 3 WHERE id = 100",
            2,
        ),
        ("unit changed", "UPDATE entry SET unit = 'ndrc' WHERE id = 4", 4),
    ] {
        let (_dir, db) = ledger();
        tamper(&db, sql);
        let out = check(&db);
        assert_eq!(out.code, 1, "{what}: {}", out.transcript());
        assert!(
            out.stderr.contains(&format!("the hash chain breaks at entry #{entry}")),
            "{what}: {}",
            out.stderr
        );
    }
}

#[test]
fn a_damaged_page_is_found() {
    let (_dir, db) = ledger();
    // Checkpoint the WAL into the file, then scribble over the page that holds the entries.
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
        .unwrap();
    let (page_size, root): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT page_size FROM pragma_page_size), rootpage FROM sqlite_master WHERE name = 'entry'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    drop(conn);
    let mut bytes = std::fs::read(&db).unwrap();
    let (page_size, root) = (page_size as usize, root as usize);
    let start = (root - 1) * page_size;
    for b in &mut bytes[start + 8..start + page_size] {
        *b = 0xA5;
    }
    std::fs::write(&db, bytes).unwrap();
    let out = check(&db);
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stderr.contains("damaged") || out.stderr.contains("malformed"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_foreign_sqlite_file_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("other.db");
    Connection::open(&db)
        .unwrap()
        .execute_batch("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('keep me');")
        .unwrap();
    let before = std::fs::read(&db).unwrap();
    for args in [
        &["report", "overdue"][..],
        &["update", "T-toilet", "--value", "92", "--by", "agri"][..],
    ] {
        let out = Case::new(args).db(&db).run();
        assert_eq!(out.code, 1, "{args:?}: {}", out.transcript());
        assert!(
            out.stderr.contains("not a plantrack ledger"),
            "{}",
            out.stderr
        );
        assert!(
            std::fs::read(&db).unwrap() == before,
            "{args:?} changed the file"
        );
    }
}

fn update(db: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("plantrack"));
    cmd.args(["--as-of", "2021-01-31", "update"])
        .args(args)
        .env("PLANTRACK_PLAN", shipped_plan())
        .env("PLANTRACK_DB", db)
        .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
        .env("TZ", "CST-8");
    cmd
}

/// Eight processes starting together on a new ledger, then three concurrent corrections of
/// different entries: every write lands, and the chain holds.
#[test]
fn concurrent_writers_all_land() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let values: Vec<String> = (0..8).map(|i| format!("{}", 80 + i)).collect();
    let children: Vec<_> = values
        .iter()
        .map(|v| {
            update(&db, &["T-toilet", "--value", v, "--by", "agri"])
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let corrections: Vec<_> = (1..=3)
        .map(|n| {
            let n = n.to_string();
            update(
                &db,
                &[
                    "--supersedes",
                    &n,
                    "--value",
                    "91",
                    "--by",
                    "agri",
                    "--allow-duplicate",
                ],
            )
            .spawn()
            .unwrap()
        })
        .collect();
    for c in corrections {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let count: i64 = Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM entry", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, 11);
    let out = check(&db);
    assert_eq!(out.code, 0, "{}", out.transcript());
}

/// The loser of a race to correct the same entry is told it is already superseded (exit 2).
#[test]
fn two_corrections_of_one_entry_one_wins() {
    let (_dir, db) = ledger();
    let racers: Vec<_> = ["93", "94"]
        .iter()
        .map(|v| {
            update(&db, &["--supersedes", "1", "--value", v, "--by", "agri"])
                .spawn()
                .unwrap()
        })
        .collect();
    let codes: Vec<i32> = racers
        .into_iter()
        .map(|c| c.wait_with_output().unwrap().status.code().unwrap())
        .collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, [0, 2], "{codes:?}");
}

/// backup → restore → the same reports, byte for byte.
#[test]
fn a_backup_restores_to_the_same_reports() {
    let (dir, db) = ledger();
    let copy = dir.path().join("copy.db");
    let out = Case::new(&["backup", copy.to_str().unwrap()]).db(&db).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    let restored = dir.path().join("restored.db");
    std::fs::copy(&copy, &restored).unwrap();
    for args in [
        &["report", "by-target", "--format", "json"][..],
        &["history"][..],
        &["assess", "--year", "2021"][..],
    ] {
        let mut all = vec!["--as-of", "2021-01-31"];
        all.extend(args);
        let a = Case::new(&all).db(&db).run();
        let b = Case::new(&all).db(&restored).run();
        assert_eq!(a.code, 0, "{}", a.transcript());
        assert_eq!(a.stdout, b.stdout, "{args:?}");
    }
    assert_eq!(check(&restored).code, 0);
}
