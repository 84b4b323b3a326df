//! `plantrack update` and the ledger: every bad input is refused with a clear message and exit
//! code 2 and leaves the database byte-for-byte as it was; a script is never prompted; a
//! correction marks the entry it corrects; and the ledger itself refuses UPDATE and DELETE.

use std::path::{Path, PathBuf};

use serde_json::Value;

use plantrack::store::Store;

use crate::fixture::{self, Step};
use crate::support::{Case, Output};

/// The as-of date of every update below.
const AS_OF: &str = "2021-01-31";

/// A small ledger with a superseded entry: #1 T-toilet 92 (superseded by #3), #2 T-grain 20,
/// #3 T-toilet 93 correcting #1, #4 MS-goal-2022 in progress.
const ENTRIES: &[Step] = &[
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
            "--supersedes",
            "1",
            "--value",
            "93",
            "--by",
            "agri",
            "--note",
            "更正",
        ],
    },
    Step {
        date: "2021-01-05",
        args: &[
            "MS-goal-2022",
            "--status",
            "in_progress",
            "--by",
            "zone-hightech",
        ],
    },
];

fn ledger(dir: &Path) -> PathBuf {
    let db = dir.join("ledger.db");
    fixture::record(&crate::support::shipped_plan(), &db, ENTRIES);
    db
}

fn update(db: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--as-of", AS_OF, "update"];
    all.extend_from_slice(args);
    Case::new(&all)
        .db(db)
        .now("2021-01-31T12:00:00+08:00")
        .run()
}

/// `update args` is refused: exit 2, one error line on stderr holding `words`, nothing on
/// stdout, and the ledger file unchanged to the byte (and its history too).
fn refused(args: &[&str], words: &[&str]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = ledger(dir.path());
    let before = std::fs::read(&db).unwrap();
    let history = Case::new(&["--format", "json", "history"]).db(&db).run();
    let out = update(&db, args);
    assert_eq!(out.code, 2, "{args:?}:\n{}", out.transcript());
    assert!(out.stdout.is_empty(), "{args:?}:\n{}", out.transcript());
    assert!(
        out.stderr.starts_with("error: ") && out.stderr.lines().count() == 1,
        "{args:?}: one clear error line:\n{}",
        out.stderr
    );
    for w in words {
        assert!(
            out.stderr.contains(w),
            "{args:?}: expected {w:?} in:\n{}",
            out.stderr
        );
    }
    assert!(
        std::fs::read(&db).unwrap() == before,
        "{args:?} changed the ledger file"
    );
    let after = Case::new(&["--format", "json", "history"]).db(&db).run();
    assert_eq!(history.stdout, after.stdout, "{args:?} changed the history");
}

/// One test per refused update: `name => [args], [words the message must hold]`.
macro_rules! refused {
    ($($name:ident => [$($arg:literal),*], [$($word:literal),+];)*) => {
        $(
            #[test]
            fn $name() {
                refused(&[$($arg),*], &[$($word),+]);
            }
        )*
    };
}

refused! {
    unknown_id => ["T-toliet", "--value", "91", "--by", "agri"],
        ["no measure, target or milestone \"T-toliet\"", "did you mean \"T-toilet\"?"];
    value_not_a_number => ["T-toilet", "--value", "九十", "--by", "agri"],
        ["--value \"九十\" for T-toilet is not a number", "%"];
    value_with_another_unit => ["T-toilet", "--value", "91个", "--by", "agri"],
        ["is not a number"];
    value_not_finite => ["T-toilet", "--value", "NaN", "--by", "agri"],
        ["finite, non-negative"];
    value_infinite => ["T-sewage", "--value", "inf", "--by", "agri"],
        ["finite, non-negative"];
    status_on_a_target => ["T-toilet", "--status", "done", "--by", "agri"],
        ["T-toilet is a numeric target", "--value"];
    value_on_a_milestone => ["MS-goal-2022", "--value", "1", "--by", "zone-hightech"],
        ["milestone MS-goal-2022 is tracked by status", "--status"];
    value_on_a_measure => ["M05", "--value", "1", "--by", "agri"],
        ["measure M05 is tracked by status"];
    unknown_status => ["MS-goal-2022", "--status", "in-progress", "--by", "zone-hightech"],
        ["unknown status \"in-progress\"", "did you mean \"in_progress\"?", "not_started, in_progress, done, blocked"];
    unknown_status_typo => ["MS-goal-2022", "--status", "don", "--by", "zone-hightech"],
        ["did you mean \"done\"?"];
    date_not_a_date => ["T-toilet", "--value", "91", "--date", "2020-12-32", "--by", "agri"],
        ["--date \"2020-12-32\" is not a date", "YYYY-MM-DD"];
    date_in_words => ["T-toilet", "--value", "91", "--date", "yesterday", "--by", "agri"],
        ["--date \"yesterday\" is not a date"];
    date_without_a_day => ["T-toilet", "--value", "91", "--date", "2020-12", "--by", "agri"],
        ["is not a date"];
    date_in_chinese_not_a_date => ["T-toilet", "--value", "91", "--date", "2020年13月1日", "--by", "agri"],
        ["is not a date"];
    date_after_as_of => ["T-toilet", "--value", "91", "--date", "2021-02-01", "--by", "agri"],
        ["--date 2021-02-01 is after the as-of date 2021-01-31"];
    percent_over_100 => ["T-toilet", "--value", "100.5", "--by", "agri"],
        ["a percentage must lie in 0–100"];
    negative_value => ["T-sewage", "--value", "-3", "--by", "agri"],
        ["--value -3 for T-sewage", "non-negative"];
    unit_not_responsible => ["T-toilet", "--value", "91", "--by", "ndrc"],
        ["市发展改革委 (ndrc) is not responsible for T-toilet", "市农业农村局 (agri), 市妇联 (women)", "各县、区人民政府 (counties)"];
    unit_not_responsible_by_name => ["T-toilet", "--value", "91", "--by", "市财政局"],
        ["(finance) is not responsible for T-toilet"];
    unit_unknown => ["T-toilet", "--value", "91", "--by", "argi"],
        ["no unit \"argi\"", "did you mean \"agri\"?"];
    unit_missing_with_several_units => ["T-toilet", "--value", "91"],
        ["--by is required", "6 responsible units"];
    supersedes_missing_entry => ["T-toilet", "--value", "91", "--by", "agri", "--supersedes", "99"],
        ["--supersedes 99: there is no entry #99"];
    supersedes_another_item => ["T-grain", "--value", "20.5", "--by", "agri", "--supersedes", "3"],
        ["entry #3 is about T-toilet, not T-grain"];
    supersedes_a_superseded_entry => ["--value", "91", "--by", "agri", "--supersedes", "1"],
        ["entry #1 is already superseded by #3"];
    missing_value => ["T-toilet", "--by", "agri"],
        ["no value for T-toilet", "--value"];
    missing_status => ["MS-goal-2022", "--by", "zone-hightech"],
        ["no status for milestone MS-goal-2022", "--status"];
    missing_id => ["--value", "91", "--by", "agri"],
        ["which item?"];
}

/// Run by a script (stdin is not a terminal), `update` never prompts: even with answers waiting
/// on stdin it fails at once with a clear error, and nothing is recorded. A complete update
/// needs no confirmation.
#[test]
fn a_script_is_never_prompted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = ledger(dir.path());
    let before = std::fs::read(&db).unwrap();
    for (args, words) in [
        (&["T-toilet", "--by", "agri"][..], "no value for T-toilet"),
        (
            &["MS-goal-2022", "--by", "zone-hightech"],
            "no status for milestone MS-goal-2022",
        ),
        (&[], "which item?"),
    ] {
        let mut all = vec!["--as-of", AS_OF, "update"];
        all.extend_from_slice(args);
        let out = Case::new(&all).db(&db).stdin("91\ny\n").run();
        assert_eq!(out.code, 2, "{args:?}:\n{}", out.transcript());
        assert!(out.stdout.is_empty(), "no prompt:\n{}", out.transcript());
        assert!(out.stderr.contains(words), "{args:?}:\n{}", out.stderr);
        assert!(
            !out.stderr.contains("Value of"),
            "no prompt:\n{}",
            out.stderr
        );
        assert!(std::fs::read(&db).unwrap() == before);
    }
    let out = Case::new(&[
        "--as-of", AS_OF, "update", "T-toilet", "--value", "91", "--by", "agri",
    ])
    .db(&db)
    .stdin("n\n")
    .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(out.stdout.starts_with("recorded #5: "), "{}", out.stdout);
}

/// Bad input against a ledger that does not exist yet does not create it.
#[test]
fn bad_input_creates_no_ledger() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("new.db");
    for args in [
        &["T-toilet", "--value", "101", "--by", "agri"][..],
        &[
            "T-toilet",
            "--value",
            "91",
            "--by",
            "agri",
            "--supersedes",
            "1",
        ],
    ] {
        let out = update(&db, args);
        assert_eq!(out.code, 2, "{}", out.transcript());
        assert!(!db.exists(), "{args:?} created {}", db.display());
    }
    let out = update(
        &db,
        &[
            "T-toilet",
            "--value",
            "91",
            "--by",
            "agri",
            "--supersedes",
            "1",
        ],
    );
    assert!(out.stderr.contains("does not exist yet"), "{}", out.stderr);
}

fn history_json(db: &Path, id: &str) -> Vec<Value> {
    let out = Case::new(&["--format", "json", "history", id]).db(db).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    crate::support::rows_of(&out.stdout)
}

#[test]
fn an_update_records_what_it_says() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = ledger(dir.path());
    // The supervision office may report on any item; the date defaults to --as-of.
    let out = update(
        &db,
        &[
            "T-sewage",
            "--value",
            "12",
            "--by",
            "市政府督考办",
            "--note",
            "抽查",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert_eq!(
        out.stdout,
        "recorded #5: T-sewage = 12 个 on 2021-01-31 by dukaoban (市政府督考办): 抽查\n"
    );
    let h = history_json(&db, "T-sewage");
    assert_eq!(h.len(), 1);
    let e = &h[0];
    assert_eq!(e["entry"], 5);
    assert_eq!(e["id"], "T-sewage");
    assert_eq!(e["date"], "2021-01-31");
    assert_eq!(e["value"], 12.0);
    assert_eq!(e["reported_status"], Value::Null);
    assert_eq!(e["unit"], "dukaoban");
    assert_eq!(e["note"], "抽查");
    assert_eq!(e["recorded_at"], "2021-01-31T12:00:00+08:00");
    assert_eq!(e["supersedes"], Value::Null);
    assert_eq!(e["superseded_by"], Value::Null);
    // A unit by its alias; a milestone by status.
    let out = update(
        &db,
        &[
            "MS-digital-culture",
            "--status",
            "done",
            "--by",
            "市文化广电局",
            "--date",
            "2021-01-30",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    let e = &history_json(&db, "MS-digital-culture")[0];
    assert_eq!(
        (&e["unit"], &e["reported_status"], &e["value"]),
        (&"culture-tourism".into(), &"done".into(), &Value::Null)
    );
}

#[test]
fn a_correction_marks_the_old_entry_superseded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = ledger(dir.path());
    // #2 (T-grain 20 on 2021-01-10) corrected: the item and the date default to #2's.
    let out = update(
        &db,
        &[
            "--supersedes",
            "2",
            "--value",
            "19.5",
            "--by",
            "procurement",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert_eq!(
        out.stdout,
        "recorded #5: T-grain = 19.5 亿斤 on 2021-01-10 by procurement (市采购交易中心), superseding #2\n"
    );
    let h = history_json(&db, "T-grain");
    let ids: Vec<i64> = h.iter().map(|e| e["entry"].as_i64().unwrap()).collect();
    assert_eq!(ids, [5, 2], "both kept, newest first");
    assert_eq!(h[0]["supersedes"], 2);
    assert_eq!(h[0]["superseded_by"], Value::Null);
    assert_eq!(h[1]["superseded_by"], 5);
    assert_eq!(h[1]["value"], 20.0, "the old entry is kept as it was");

    // The table marks both ends of the correction.
    let out = Case::new(&["--lang", "en", "history", "T-grain"])
        .db(&db)
        .run();
    assert!(out.stdout.contains("corrects #2"), "{}", out.stdout);
    assert!(out.stdout.contains("superseded by #5"), "{}", out.stdout);

    // Reports read the correction.
    let out = Case::new(&["--as-of", AS_OF, "--format", "json", "report", "by-target"])
        .db(&db)
        .run();
    let rows: Vec<Value> = crate::support::rows_of(&out.stdout);
    let grain = rows.iter().find(|r| r["id"] == "T-grain").unwrap();
    assert_eq!(grain["actual"], 19.5);
    // About 20 ± 1, held to the horizon: within the band, on track.
    assert_eq!(grain["status"], "on_track");

    // A correction of the correction is fine; of the corrected entry, not.
    assert_eq!(
        update(
            &db,
            &["--supersedes", "5", "--value", "19.8", "--by", "agri"]
        )
        .code,
        0
    );
    let out = update(
        &db,
        &["--supersedes", "5", "--value", "19.9", "--by", "agri"],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("entry #5 is already superseded by #6"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_ledger_is_append_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = ledger(dir.path());
    let before = std::fs::read(&db).unwrap();
    {
        let store = Store::open(&db).expect("open");
        let conn = store.connection();
        let err = conn
            .execute("UPDATE entry SET value = 50 WHERE id = 2", [])
            .expect_err("UPDATE must fail");
        assert!(err.to_string().contains("append-only"), "{err}");
        let err = conn
            .execute("DELETE FROM entry WHERE id = 2", [])
            .expect_err("DELETE must fail");
        assert!(err.to_string().contains("append-only"), "{err}");
        let err = conn
            .execute("DELETE FROM entry", [])
            .expect_err("DELETE must fail");
        assert!(err.to_string().contains("never deleted"), "{err}");
        // Two corrections of one entry are refused by the database itself.
        let err = conn
            .execute(
                "INSERT INTO entry (item, report_date, value, recorded_at, supersedes, plan_fingerprint)
                 VALUES ('T-toilet', '2020-12-20', 94, 'now', 1, 'x')",
                [],
            )
            .expect_err("a second correction of #1 must fail");
        assert!(err.to_string().contains("UNIQUE"), "{err}");
        let n: i64 = conn
            .query_row("SELECT count(*) FROM entry", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 4);
        let v: f64 = conn
            .query_row("SELECT value FROM entry WHERE id = 2", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, 20.0);
    }
    assert!(std::fs::read(&db).unwrap() == before);
}

/// `--as-of` may be set ahead for a report, but progress cannot be recorded for a day that has
/// not come: the recording time bounds the reporting date too.
#[test]
fn an_update_cannot_be_dated_in_the_future() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = ledger(dir.path());
    let before = std::fs::read(&db).unwrap();
    let out = Case::new(&[
        "--as-of",
        "2030-01-01",
        "update",
        "T-grain",
        "--value",
        "20",
        "--by",
        "agri",
        "--date",
        "2026-06-01",
    ])
    .db(&db)
    .now("2026-05-01T09:00:00+08:00")
    .run();
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr
            .contains("--date 2026-06-01 is in the future (today is 2026-05-01)"),
        "{}",
        out.stderr
    );
    assert!(std::fs::read(&db).unwrap() == before, "the ledger changed");
}

/// The recording time is stored as written, so a malformed `PLANTRACK_NOW` is refused.
#[test]
fn a_malformed_recording_time_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = ledger(dir.path());
    let before = std::fs::read(&db).unwrap();
    for now in ["", "garbage", "2021-01-31"] {
        let out = Case::new(&[
            "--as-of", AS_OF, "update", "T-toilet", "--value", "91", "--by", "agri",
        ])
        .db(&db)
        .now(now)
        .run();
        assert_eq!(out.code, 2, "{now:?}: {}", out.transcript());
        assert!(
            out.stderr.contains("is not an RFC 3339 time"),
            "{}",
            out.stderr
        );
    }
    assert!(std::fs::read(&db).unwrap() == before, "the ledger changed");
}

/// A mistyped `--db` in a scheduled job must not report on a new, empty ledger elsewhere.
#[test]
fn a_ledger_in_a_missing_folder_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("no-such-folder/ledger.db");
    let out = Case::new(&["report", "overdue"]).db(&db).run();
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stderr.contains("no folder for the ledger"),
        "{}",
        out.stderr
    );
    assert!(!db.parent().unwrap().exists(), "the folder was created");
}

/// Errors from outside the command line (a missing folder, a file that is not a ledger, an
/// import file that cannot be read, a git revision that does not exist) are said in the
/// reader's language, with what the system says quoted as it is, and exit 1 (2 for the
/// revision, which the user typed).
#[test]
fn errors_beyond_the_command_line_speak_chinese_under_lang_zh() {
    let dir = tempfile::tempdir().expect("temp dir");
    let not_a_ledger = dir.path().join("notes.db");
    std::fs::write(&not_a_ledger, "garbage, not SQLite").unwrap();
    let missing = dir.path().join("no-such-folder/ledger.db");
    let import = dir.path().join("no-such-export.json");
    let fresh = dir.path().join("fresh.db");
    let import = import.to_str().unwrap();
    let folder = dir.path().to_str().unwrap();
    let cases: [(&[&str], &std::path::Path, i32, &str); 5] = [
        // plantrack's own reason inside a system error is Chinese too.
        (
            &["--plan", folder, "check"],
            &fresh,
            1,
            ": 错误: 无法读取方案文件:不是普通文件(而是文件夹、设备或管道)",
        ),
        (&["report", "overdue"], &missing, 1, "错误: 台账 "),
        (&["history"], &not_a_ledger, 1, "错误: 无法打开台账 "),
        (&["import", import], &fresh, 1, "错误: 无法读取 "),
        (
            &[
                "diff",
                "no-such-rev:plan/regional.toml",
                "plan/regional.toml",
            ],
            &fresh,
            2,
            "git 仓库中没有版本“no-such-rev”",
        ),
    ];
    for (args, db, code, says) in cases {
        let mut all = vec!["--lang", "zh"];
        all.extend(args);
        let out = Case::new(&all).db(db).run();
        if args[0] == "diff" && out.stderr.contains("git") && !out.stderr.contains("仓库") {
            eprintln!("skipped: git is not installed ({})", out.stderr.trim());
            continue;
        }
        assert_eq!(out.code, code, "{args:?}: {}", out.transcript());
        assert!(out.stderr.contains(says), "{args:?}: {}", out.stderr);
    }
}

/// A ledger longer than one chunk is written as it is read, and still reads as one document:
/// one JSON document with every row, one CSV header, one Markdown header. Every page is read
/// against the plan: the first against the items it names (from the plan's cache), the rest
/// against the whole plan, so an item first seen on a later page is still the plan's.
#[test]
fn a_long_history_streams_as_one_document() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("long.db");
    let n = 4_500;
    {
        let mut store = Store::open(&db).unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2020, 12, 20).unwrap();
        let values: Vec<String> = (0..n).map(|i| format!("note {i}")).collect();
        let entries = values
            .iter()
            .enumerate()
            .map(|(i, note)| plantrack::model::NewEntry {
                item: if i < 2_500 { "T-grain" } else { "T-toilet" },
                date: day,
                reading: plantrack::model::Reading::Value((i % 100) as f64),
                note,
                unit: Some("agri"),
                recorded_at: "2020-12-21T09:00:00+08:00",
                supersedes: None,
                plan_fingerprint: "f",
            });
        assert_eq!(store.append_all(entries).unwrap(), n);
    }
    // The plan's cache written, so that the first page is read from it.
    assert_eq!(Case::new(&["list", "units"]).db(&db).run().code, 0);
    let run = |format: &str| {
        let out = Case::new(&["--as-of", AS_OF, "history", "--format", format])
            .db(&db)
            .run();
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    let doc: Value = serde_json::from_str(&run("json")).expect("one JSON document");
    let rows = doc["rows"].as_array().unwrap();
    assert_eq!(rows.len(), n);
    assert_eq!(rows[0]["entry"], n as i64, "newest first");
    assert_eq!(rows[n - 1]["entry"], 1);
    assert_eq!(rows[n - 1]["id"], "T-grain");
    let csv = run("csv");
    assert_eq!(csv.lines().count(), n + 1);
    assert!(!csv.contains("not in plan"), "{csv}");
    assert_eq!(
        csv.lines().filter(|l| l.contains(",T-grain,")).count(),
        2_500
    );
    assert_eq!(
        csv.lines().filter(|l| l.starts_with('#')).count(),
        1,
        "one header"
    );
    let md = run("markdown");
    assert_eq!(md.lines().filter(|l| l.starts_with("| ---")).count(), 1);
    assert_eq!(md.lines().filter(|l| l.starts_with("| ")).count(), n + 2);
    let table = run("table");
    assert_eq!(table.lines().filter(|l| l.contains("note ")).count(), n);
}
