//! The ledger store through the library: schema migrations step by step, a ledger from a newer
//! plantrack refused, WAL mode, and the reads reports rely on: the snapshot (the latest entry
//! skipping superseded ones and following former ids, units' last reports) and the scan of
//! entries (`history`, the bulletin's updates).

use std::path::Path;

use chrono::NaiveDate;
use rusqlite::Connection;
use sha2::Digest;

use plantrack::model::{NewEntry, Plan, Reading, Snapshot, Status, UnitId};
use plantrack::store::migrate::{self, STEPS};
use plantrack::store::{Scan, Store};

use crate::support::Case;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The items these tests record about; T-new was once called T-old.
const PLAN: &str = r#"
[plan]
id = "t"
title = "测试方案"
issuer = "市人民政府"
issued = 2020-01-01
horizon = 2023-12-31
reporting_cycle = "monthly"
supervisor = "office"

[[section]]
id = "S1"
number = "一"
title = "测试"

[[measure]]
id = "M01"
section = "S1"
number = "1"
title = "测试措施"
text = "测试措施。"
units = ["agri", "health", "ndrc"]

[[target]]
id = "T-a"
measure = "M01"
metric = "a"
unit = "个"
comparator = "at_least"
value = 10
quote = "测试措施"

[[target]]
id = "T-b"
measure = "M01"
metric = "b"
unit = "个"
comparator = "at_least"
value = 10
quote = "测试措施"

[[target]]
id = "T-new"
previous_ids = ["T-old"]
measure = "M01"
metric = "new"
unit = "个"
comparator = "at_least"
value = 10
quote = "测试措施"

[[target]]
id = "T-other"
measure = "M01"
metric = "other"
unit = "个"
comparator = "at_least"
value = 10
quote = "测试措施"

[[unit]]
id = "agri"
name = "市农业农村局"
kind = "department"

[[unit]]
id = "health"
name = "市卫生健康委"
kind = "department"

[[unit]]
id = "ndrc"
name = "市发展改革委"
kind = "department"

[[unit]]
id = "office"
name = "市政府督考办"
kind = "department"
"#;

fn plan() -> Plan {
    let path = Path::new("t.toml");
    match plantrack::plan::load_bytes("t.toml", PLAN.as_bytes(), path, None) {
        Ok(loaded) => loaded.plan,
        Err(e) => panic!("{e}"),
    }
}

fn snapshot(s: &Store, as_of: &str) -> Snapshot {
    s.snapshot(&plan(), date(as_of)).unwrap()
}

/// The number and value of an item's latest live entry.
fn latest(s: &Store, id: &str, as_of: &str) -> Option<(i64, Option<f64>)> {
    let plan = plan();
    let item = plan.item(id).expect("an item of the plan");
    s.snapshot(&plan, date(as_of))
        .unwrap()
        .latest(&plan, item)
        .map(|e| (e.entry, e.value()))
}

fn numbers(s: &Store, scan: &Scan) -> Vec<i64> {
    s.entries(scan).unwrap().iter().map(|e| e.id).collect()
}

fn all(s: &Store) -> Vec<plantrack::model::Entry> {
    s.entries(&Scan {
        newest_first: true,
        ..Scan::default()
    })
    .unwrap()
}

fn user_version(conn: &Connection) -> i64 {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

/// The schema's tables, triggers and indexes, and the entry table's columns.
fn tables(conn: &Connection) -> Vec<String> {
    let mut names = schema_names(conn);
    if let Ok(mut stmt) = conn.prepare("SELECT name FROM pragma_table_info('entry')") {
        let columns = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
        names.extend(columns.map(|c| format!("entry.{}", c.unwrap())));
    }
    names
}

fn schema_names(conn: &Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger', 'index') AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn a_fresh_ledger_reaches_the_latest_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/dir/fresh.db");
    let store = Store::open(&path).expect("open creates the file and its directories");
    assert!(path.exists());
    assert_eq!(migrate::version(store.connection()).unwrap(), STEPS.len());
    assert_eq!(user_version(store.connection()), STEPS.len() as i64);
    let names = tables(store.connection());
    for name in [
        "entry",
        "entry_no_update",
        "entry_no_delete",
        "entry_supersedes",
    ] {
        assert!(names.iter().any(|n| n == name), "{name} missing: {names:?}");
    }
    drop(store);
    // Opening again is a no-op.
    let store = Store::open(&path).unwrap();
    assert_eq!(migrate::version(store.connection()).unwrap(), STEPS.len());
    let store = Store::in_memory().unwrap();
    assert_eq!(migrate::version(store.connection()).unwrap(), STEPS.len());
}

#[test]
fn each_step_moves_the_version_by_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut conn = Connection::open(dir.path().join("steps.db")).unwrap();
    assert_eq!(user_version(&conn), 0);
    assert!(tables(&conn).is_empty());
    let mut seen = Vec::new();
    for step in 1..=STEPS.len() {
        migrate::migrate_to(&mut conn, step).unwrap_or_else(|e| panic!("step {step}: {e:#}"));
        assert_eq!(user_version(&conn), step as i64, "after step {step}");
        let now = tables(&conn);
        assert_ne!(now, seen, "step {step} changed nothing");
        seen = now;
        // Migrating to the same version again changes nothing.
        migrate::migrate_to(&mut conn, step).unwrap();
        assert_eq!(user_version(&conn), step as i64);
        assert_eq!(tables(&conn), seen);
    }
    migrate::migrate(&mut conn).unwrap();
    assert_eq!(user_version(&conn), STEPS.len() as i64);
}

/// A ledger written by a newer plantrack (a higher schema version) is refused, not misread.
#[test]
fn a_newer_ledger_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    drop(Store::open(&path).unwrap());
    let newer = STEPS.len() + 1;
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", newer as i64)
        .unwrap();
    let before = std::fs::read(&path).unwrap();

    let err = match Store::open(&path) {
        Ok(_) => panic!("a newer ledger must be refused"),
        Err(e) => format!("{e:#}"),
    };
    assert!(err.contains("upgrade plantrack"), "{err}");
    assert!(
        err.contains(&format!("schema version {newer}"))
            && err.contains(&path.display().to_string()),
        "{err}"
    );
    let mut conn = Connection::open(&path).unwrap();
    let err = migrate::migrate(&mut conn).expect_err("refused");
    assert!(format!("{err:#}").contains("upgrade plantrack"));
    assert_eq!(user_version(&conn), newer as i64, "left as it was");
    drop(conn);

    // Through the CLI: the data is not usable, exit 1, with the same message; file untouched.
    let out = Case::new(&["--as-of", "2021-01-31", "report", "overdue"])
        .db(&path)
        .run();
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("upgrade plantrack"), "{}", out.stderr);
    assert!(std::fs::read(&path).unwrap() == before);
}

#[test]
fn the_ledger_uses_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wal.db");
    let store = Store::open(&path).unwrap();
    let mode: String = store
        .connection()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(store);
    // WAL is persistent: a plain connection sees it too.
    let conn = Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

fn entry<'a>(item: &'a str, day: &str, reading: Reading, unit: &'a str) -> NewEntry<'a> {
    NewEntry {
        item,
        date: date(day),
        reading,
        note: "",
        unit: Some(unit),
        recorded_at: "2021-02-01T09:00:00+08:00",
        supersedes: None,
        plan_fingerprint: "test",
    }
}

fn value(v: f64) -> Reading {
    Reading::Value(v)
}

#[test]
fn latest_is_the_newest_live_entry() {
    let mut s = Store::in_memory().unwrap();
    let a = s
        .append(&entry("T-a", "2021-01-10", value(1.0), "agri"))
        .unwrap();
    let b = s
        .append(&entry("T-a", "2021-01-20", value(2.0), "agri"))
        .unwrap();
    // Recorded later but dated earlier: not the latest.
    let c = s
        .append(&entry("T-a", "2021-01-15", value(3.0), "agri"))
        .unwrap();
    assert_eq!((a, b, c), (1, 2, 3));
    assert_eq!(latest(&s, "T-a", "2021-01-31"), Some((2, Some(2.0))));
    assert_eq!(latest(&s, "T-a", "2021-01-19"), Some((3, Some(3.0))));
    assert_eq!(
        latest(&s, "T-a", "2021-01-10"),
        Some((1, Some(1.0))),
        "as-of is inclusive"
    );
    assert_eq!(latest(&s, "T-a", "2021-01-09"), None);
    assert_eq!(latest(&s, "T-b", "2021-01-31"), None);

    // Two entries on one date: the one recorded last.
    s.append(&entry("T-a", "2021-01-20", value(4.0), "health"))
        .unwrap();
    assert_eq!(latest(&s, "T-a", "2021-01-31"), Some((4, Some(4.0))));

    // Superseding #4 (with an earlier date) makes #2 the latest again, then the correction.
    let mut fix = entry("T-a", "2021-01-05", value(5.0), "health");
    fix.supersedes = Some(4);
    assert_eq!(s.append(&fix).unwrap(), 5);
    assert_eq!(latest(&s, "T-a", "2021-01-31"), Some((2, Some(2.0))));
    assert_eq!(latest(&s, "T-a", "2021-01-07"), Some((5, Some(5.0))));
    let old = s.entry(4).unwrap().unwrap();
    assert_eq!(old.superseded_by, Some(5));
    assert_eq!(s.entry(5).unwrap().unwrap().supersedes, Some(4));

    // Superseding #2 leaves #3 (a chain of corrections ends at the live one).
    let mut fix = entry("T-a", "2021-01-20", value(6.0), "agri");
    fix.supersedes = Some(2);
    s.append(&fix).unwrap();
    assert_eq!(latest(&s, "T-a", "2021-01-31"), Some((6, Some(6.0))));
    let mut fix = entry("T-a", "2021-01-12", value(7.0), "agri");
    fix.supersedes = Some(6);
    s.append(&fix).unwrap();
    assert_eq!(latest(&s, "T-a", "2021-01-31"), Some((3, Some(3.0))));

    // A second correction of one entry, or of a missing one, is refused.
    let mut twice = entry("T-a", "2021-01-20", value(8.0), "agri");
    twice.supersedes = Some(6);
    let err = s.append(&twice).expect_err("already superseded");
    assert!(
        format!("{err:#}").contains("already superseded by #7"),
        "{err:#}"
    );
    twice.supersedes = Some(99);
    let err = s.append(&twice).expect_err("no such entry");
    assert!(format!("{err:#}").contains("#99 does not exist"), "{err:#}");
    assert_eq!(all(&s).len(), 7, "nothing appended by the refusals");
}

/// An item renamed in the plan keeps its entries under the former id; its latest entry is the
/// newest under either id.
#[test]
fn latest_follows_former_ids() {
    let mut s = Store::in_memory().unwrap();
    s.append(&entry("T-old", "2021-01-10", value(1.0), "agri"))
        .unwrap();
    s.append(&entry("T-new", "2021-01-05", value(2.0), "agri"))
        .unwrap();
    s.append(&entry("T-old", "2021-01-20", value(3.0), "agri"))
        .unwrap();
    s.append(&entry("T-new", "2021-01-20", value(4.0), "agri"))
        .unwrap();
    s.append(&entry("T-other", "2021-01-30", value(9.0), "agri"))
        .unwrap();
    let latest = |s: &Store, as_of: &str| latest(s, "T-new", as_of).map(|(n, _)| n);
    assert_eq!(
        latest(&s, "2021-01-31"),
        Some(4),
        "same date: recorded last"
    );
    assert_eq!(latest(&s, "2021-01-15"), Some(1), "the former id is newer");
    assert_eq!(latest(&s, "2021-01-07"), Some(2));
    assert_eq!(latest(&s, "2021-01-04"), None);
    let mut fix = entry("T-new", "2021-01-20", value(5.0), "agri");
    fix.supersedes = Some(4);
    s.append(&fix).unwrap();
    assert_eq!(latest(&s, "2021-01-31"), Some(6));

    let ids = ["T-new", "T-old"];
    let mut scan = Scan {
        ids: Some(&ids),
        newest_first: true,
        ..Scan::default()
    };
    let history = numbers(&s, &scan);
    assert_eq!(
        history,
        [6, 4, 3, 2, 1],
        "both ids, superseded included, newest first"
    );
    scan.to = Some(date("2021-01-10"));
    assert_eq!(numbers(&s, &scan), [2, 1]);
    scan.live_only = true;
    scan.to = None;
    assert_eq!(
        numbers(&s, &scan),
        [6, 3, 2, 1],
        "without the superseded #4"
    );
}

#[test]
fn entries_round_trip() {
    let mut s = Store::in_memory().unwrap();
    let mut e = entry(
        "MS-x",
        "2021-01-10",
        Reading::Status(Status::Blocked),
        "ndrc",
    );
    e.note = "资金未到位";
    s.append(&e).unwrap();
    s.append(&entry("T-x", "2021-01-11", value(18.5), "agri"))
        .unwrap();
    let both = all(&s);
    assert_eq!(both.len(), 2);
    assert_eq!(both[0].id, 2, "newest first");
    let ms = &both[1];
    assert_eq!(ms.item, "MS-x");
    assert_eq!(ms.date, date("2021-01-10"));
    assert_eq!(ms.reading, Reading::Status(Status::Blocked));
    assert_eq!(ms.status(), Some(Status::Blocked));
    assert_eq!(ms.value(), None);
    assert_eq!(ms.note, "资金未到位");
    assert_eq!(ms.unit.as_deref(), Some("ndrc"));
    assert_eq!(ms.recorded_at, "2021-02-01T09:00:00+08:00");
    assert_eq!(ms.plan_fingerprint, "test");
    assert_eq!(both[0].value(), Some(18.5));
    assert_eq!(
        s.item_ids().unwrap(),
        [("MS-x".to_string(), 1), ("T-x".to_string(), 1)]
    );
    let between = Scan {
        from: Some(date("2021-01-11")),
        to: Some(date("2021-01-31")),
        live_only: true,
        ..Scan::default()
    };
    assert_eq!(numbers(&s, &between), [2]);
    // append_all is one transaction: a bad entry in the batch leaves nothing behind.
    let mut bad = entry("T-x", "2021-01-12", value(1.0), "agri");
    bad.supersedes = Some(42);
    let good = entry("T-x", "2021-01-12", value(2.0), "agri");
    assert!(s.append_all([good.clone(), bad]).is_err());
    assert_eq!(all(&s).len(), 2);
    assert_eq!(s.append_all([good.clone(), good]).unwrap(), 2);
    assert_eq!(all(&s).len(), 4);
}

/// A unit's last report is the date of its latest live entry: an entry corrected to an earlier
/// date no longer counts at its old date.
#[test]
fn last_reports_count_live_entries() {
    let mut s = Store::in_memory().unwrap();
    s.append(&entry("T-a", "2021-01-10", value(1.0), "agri"))
        .unwrap();
    s.append(&entry("T-a", "2021-01-25", value(2.0), "agri"))
        .unwrap();
    s.append(&entry("T-b", "2021-01-28", value(2.0), "ndrc"))
        .unwrap();
    let last =
        |s: &Store, unit: &str, as_of: &str| snapshot(s, as_of).last_report(&UnitId::from(unit));
    assert_eq!(last(&s, "agri", "2021-01-31"), Some(date("2021-01-25")));
    assert_eq!(last(&s, "agri", "2021-01-20"), Some(date("2021-01-10")));
    assert_eq!(last(&s, "agri", "2021-01-09"), None);
    assert_eq!(last(&s, "health", "2021-01-31"), None);
    // #2 was mis-dated: corrected to 2020-12-25.
    let mut fix = entry("T-a", "2020-12-25", value(2.0), "agri");
    fix.supersedes = Some(2);
    s.append(&fix).unwrap();
    assert_eq!(last(&s, "agri", "2021-01-31"), Some(date("2021-01-10")));
}

/// Reading an existing ledger does not write to it, nor beside it.
#[test]
fn reading_does_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ro.db");
    {
        let mut s = Store::open(&path).unwrap();
        s.append(&entry("T-a", "2021-01-10", value(1.0), "agri"))
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let listing = || -> Vec<_> {
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let files = listing();
    for _ in 0..3 {
        let s = Store::open_existing(&path)
            .unwrap()
            .expect("the ledger exists");
        assert_eq!(all(&s).len(), 1);
        assert_eq!(latest(&s, "T-a", "2021-01-31"), Some((1, Some(1.0))));
    }
    assert!(std::fs::read(&path).unwrap() == before);
    assert_eq!(listing(), files, "no -wal or -shm file is left behind");
    let missing = dir.path().join("missing.db");
    assert!(Store::open_existing(&missing).unwrap().is_none());
    assert!(!missing.exists(), "a missing ledger is not created");
}

/// Step 2 added the `latest` table, filled from the entries a version-1 ledger already held
/// and kept by a trigger; step 3 drops both. A ledger of any earlier version is read as it is,
/// with the same facts, and the first write migrates it.
#[test]
fn earlier_ledgers_are_read_as_they_are_and_migrated_by_the_first_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    let mut conn = Connection::open(&path).unwrap();
    migrate::migrate_to(&mut conn, 1).unwrap();
    let insert =
        "INSERT INTO entry (item, report_date, value, unit, recorded_at, supersedes, plan_fingerprint)
                  VALUES (?1, ?2, ?3, 'agri', 't', ?4, 'f')";
    for (item, day, v, sup) in [
        ("T-a", "2021-01-10", 1.0, None),
        ("T-a", "2021-02-10", 2.0, None),
        ("T-b", "2021-01-05", 5.0, None),
        ("T-a", "2021-02-10", 20.0, Some(2)),
    ] {
        conn.execute(insert, rusqlite::params![item, day, v, sup])
            .unwrap();
    }
    let v1 = std::fs::read(&path).unwrap();
    let store = Store::open_existing(&path)
        .unwrap()
        .expect("a version-1 ledger");
    assert_eq!(latest(&store, "T-a", "2021-12-31"), Some((4, Some(20.0))));
    drop(store);
    assert!(
        std::fs::read(&path).unwrap() == v1,
        "reading did not migrate"
    );

    migrate::migrate_to(&mut conn, 2).unwrap();
    let backfilled: Vec<(String, i64)> = conn
        .prepare("SELECT item, entry FROM latest ORDER BY item")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(backfilled, [("T-a".to_string(), 4), ("T-b".to_string(), 3)]);
    drop(conn);
    let store = Store::open_existing(&path)
        .unwrap()
        .expect("a version-2 ledger");
    assert_eq!(latest(&store, "T-b", "2021-12-31"), Some((3, Some(5.0))));
    assert_eq!(migrate::version(store.connection()).unwrap(), 2);
    drop(store);

    let mut store = Store::open(&path).unwrap();
    store
        .append(&entry("T-b", "2021-03-01", value(6.0), "agri"))
        .unwrap();
    assert_eq!(migrate::version(store.connection()).unwrap(), STEPS.len());
    let names = tables(store.connection());
    assert!(
        !names
            .iter()
            .any(|n| n.starts_with("latest") || n == "entry_latest"),
        "{names:?}"
    );
    assert_eq!(latest(&store, "T-a", "2021-12-31"), Some((4, Some(20.0))));
    assert_eq!(latest(&store, "T-b", "2021-12-31"), Some((5, Some(6.0))));
    // Step 4 chained the entries it found in entry order, and the new one extends the chain.
    assert!(store.verify().unwrap().is_empty());
    let first: String = store
        .connection()
        .query_row("SELECT hash FROM entry WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    let canonical = "1\u{1f}T-a\u{1f}2021-01-10\u{1f}1.0\u{1f}agri\u{1f}\u{1f}t\u{1f}";
    let expected = sha2::Sha256::digest(format!("{}{canonical}", "0".repeat(64)));
    let expected: String = expected.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        first, expected,
        "the canonical content the README documents"
    );
    assert_eq!(store.chain_head().unwrap().map(|h| h.0), Some(5));
}
