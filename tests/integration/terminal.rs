//! The terminal a Chinese officer works in: tables that read at 80 columns without breaking
//! ids or dates, control characters that never reach the screen raw, and notes that cannot
//! carry them.

use std::collections::BTreeSet;

use plantrack::model::{NewEntry, Reading};
use plantrack::store::Store;

use crate::fixture;
use crate::support::{Case, rows_of, shipped_plan};

const REPORTS: &[&[&str]] = &[
    &["report", "overdue"],
    &["report", "by-target"],
    &["report", "by-department"],
    &["report", "by-department", "--unit", "agri"],
    &["remind"],
    &["history"],
];

/// Every item id and date a report's JSON holds.
fn tokens(rows: &[serde_json::Value]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for r in rows {
        for key in [
            "id",
            "due",
            "effective_due",
            "actual_date",
            "date",
            "last_report",
        ] {
            if let Some(s) = r[key].as_str() {
                out.insert(s.to_string());
            }
        }
    }
    out
}

#[test]
fn no_id_or_date_is_split_at_80_columns() {
    for args in REPORTS {
        for lang in ["en", "zh"] {
            let mut all = vec!["--as-of", "2021-01-31", "--lang", lang];
            all.extend(*args);
            let text = Case::new(&all)
                .db(fixture::shared())
                .env("COLUMNS", "80")
                .run();
            assert_eq!(text.code, 0, "{}", text.transcript());
            assert!(
                text.stdout.lines().all(|l| unicode_width(l) <= 80),
                "{args:?} {lang}: a line wider than 80 columns:\n{}",
                text.stdout
            );
            let mut json_args = all.clone();
            json_args.extend(["--format", "json"]);
            let json = Case::new(&json_args).db(fixture::shared()).run();
            for token in tokens(&rows_of(&json.stdout)) {
                assert!(
                    text.stdout.contains(&token),
                    "{args:?} {lang}: {token} is split or missing at 80 columns:\n{}",
                    text.stdout
                );
            }
        }
    }
}

fn unicode_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

#[test]
fn reports_at_80_columns() {
    for (name, args) in [
        ("overdue_80", &["report", "overdue"][..]),
        ("by_target_80", &["report", "by-target"][..]),
    ] {
        let mut all = vec!["--as-of", "2021-01-31", "--lang", "zh"];
        all.extend(args);
        let out = Case::new(&all)
            .db(fixture::shared())
            .env("COLUMNS", "80")
            .run();
        insta::assert_snapshot!(name, out.stdout);
    }
}

#[test]
fn a_note_with_a_control_character_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    for note in ["\u{1b}]0;pwned\u{7}", "a\rb", "\u{202e}abc", "\u{9b}2J"] {
        let out = Case::new(&[
            "--as-of",
            "2021-01-31",
            "update",
            "T-toilet",
            "--value",
            "92",
            "--by",
            "agri",
            "--note",
            note,
        ])
        .db(&db)
        .run();
        assert_eq!(out.code, 2, "{note:?}: {}", out.transcript());
        assert!(out.stderr.contains("control character"), "{}", out.stderr);
        assert!(!db.exists(), "the ledger was created");
    }
    // Line breaks and tabs are text.
    let out = Case::new(&[
        "--as-of",
        "2021-01-31",
        "update",
        "T-toilet",
        "--value",
        "92",
        "--by",
        "agri",
        "--note",
        "第一行\n第二行\t完",
    ])
    .db(&db)
    .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
}

/// An ESC an older ledger holds never reaches stdout as an ESC byte.
#[test]
fn control_characters_in_the_ledger_are_shown_as_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let mut store = Store::open(&db).unwrap();
    let loaded = plantrack::plan::load(&shipped_plan()).unwrap();
    store
        .append(&NewEntry {
            item: "T-toilet",
            date: chrono::NaiveDate::from_ymd_opt(2021, 1, 10).unwrap(),
            reading: Reading::Value(92.0),
            note: "\u{1b}]0;pwned\u{7}\u{1b}[2J\r\u{202e}",
            unit: Some("agri"),
            recorded_at: "2021-01-10T09:00:00+08:00",
            supersedes: None,
            plan_fingerprint: &loaded.fingerprint,
        })
        .unwrap();
    drop(store);
    let hostile = |s: &str| {
        s.contains('\u{1b}') || s.contains('\r') || s.contains('\u{202e}') || s.contains('\u{7}')
    };
    let reads: &[&[&str]] = &[
        &["history"],
        &["show", "T-toilet"],
        &["report", "monthly", "--month", "2021-01"],
        &["report", "by-target"],
    ];
    for args in reads {
        for format in ["table", "markdown", "csv", "html", "json"] {
            let mut all = vec!["--as-of", "2021-01-31", "--format", format];
            all.extend(*args);
            let out = Case::new(&all).db(&db).run();
            assert_eq!(out.code, 0, "{}", out.transcript());
            // JSON escapes control characters itself, and keeps other text as it is.
            let raw = if format == "json" {
                out.stdout.contains(['\u{1b}', '\r', '\u{7}'])
            } else {
                hostile(&out.stdout)
            };
            assert!(!raw, "{args:?} {format}: raw control characters");
        }
    }
    let out = Case::new(&["--as-of", "2021-01-31", "history"])
        .db(&db)
        .run();
    assert!(
        out.stdout.contains("\\u{1b}"),
        "shown as an escape: {}",
        out.stdout
    );
}
