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

/// Whether `text` holds an English sentence: three English words in a row, outside `code`
/// and the lists of codes to choose from (可选).
fn english_sentence(text: &str) -> Option<String> {
    let text: String = text
        .lines()
        .map(|l| l.split("可选").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let mut outside = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 0 {
            outside.push_str(part);
            outside.push(' ');
        }
    }
    let words: Vec<&str> = outside
        .split(|c: char| !(c.is_ascii_alphabetic() || c == '\''))
        .collect();
    let mut run: Vec<&str> = Vec::new();
    for w in outside.split_whitespace() {
        let english = w
            .chars()
            .all(|c| c.is_ascii_alphabetic() || ",.;:'()".contains(c))
            && w.chars().filter(char::is_ascii_alphabetic).count() >= 2;
        if english {
            run.push(w);
            if run.len() >= 3 {
                return Some(run.join(" "));
            }
        } else {
            run.clear();
        }
    }
    let _ = words;
    None
}

#[test]
fn errors_in_chinese_hold_no_english_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let first = Case::new(&[
        "--as-of",
        "2021-01-31",
        "update",
        "T-toilet",
        "--value",
        "88",
        "--by",
        "agri",
    ])
    .db(&db)
    .run();
    assert_eq!(first.code, 0, "{}", first.transcript());
    let cases: &[&[&str]] = &[
        &["update", "T-toliet", "--value", "91", "--by", "agri"],
        &["update", "T-toilet", "--value", "abc", "--by", "agri"],
        &["update", "T-toilet", "--value", "101", "--by", "agri"],
        &[
            "update",
            "T-toilet",
            "--value",
            "91",
            "--date",
            "2020-13-01",
            "--by",
            "agri",
        ],
        &["update", "T-toilet", "--value", "91", "--by", "argi"],
        &["update", "T-toilet", "--value", "91", "--by", "ndrc"],
        &["update", "T-toilet", "--status", "done", "--by", "agri"],
        &[
            "update",
            "MS-goal-2022",
            "--status",
            "xx",
            "--by",
            "zone-hightech",
        ],
        &[
            "update",
            "--supersedes",
            "99",
            "--value",
            "91",
            "--by",
            "agri",
        ],
        &["show", "T-toliet"],
        &["report", "monthly", "--month", "2021-13"],
        &["assess", "--year", "2019"],
        &["--as-of", "2021-02-30", "report", "overdue"],
        &["report", "by-department", "--unit", "argi"],
        &["--format", "xyz", "report", "overdue"],
        &["report", "overdue", "--bogus"],
    ];
    for args in cases {
        let mut all = vec!["--lang", "zh"];
        if !args.contains(&"--as-of") {
            all.extend(["--as-of", "2021-01-31"]);
        }
        all.extend(*args);
        let out = Case::new(&all).db(&db).run();
        assert_eq!(out.code, 2, "{args:?}: {}", out.transcript());
        assert!(out.stderr.starts_with("错误"), "{args:?}: {}", out.stderr);
        if let Some(sentence) = english_sentence(&out.stderr) {
            panic!("{args:?}: English in \"{sentence}\":\n{}", out.stderr);
        }
    }
}

#[test]
fn statuses_are_accepted_in_either_language() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let out = Case::new(&[
        "--as-of",
        "2021-01-31",
        "update",
        "MS-goal-2022",
        "--status",
        "已完成",
        "--by",
        "zone-hightech",
    ])
    .db(&db)
    .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(out.stdout.contains("= done"), "{}", out.stdout);
}

/// The same update twice is most likely a double entry: a script is refused unless it says
/// --allow-duplicate.
#[test]
fn an_identical_update_is_refused_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let args = [
        "--as-of",
        "2021-01-31",
        "update",
        "T-toilet",
        "--value",
        "92",
        "--by",
        "agri",
    ];
    assert_eq!(Case::new(&args).db(&db).run().code, 0);
    let before = std::fs::read(&db).unwrap();
    let again = Case::new(&args).db(&db).run();
    assert_eq!(again.code, 2, "{}", again.transcript());
    assert!(
        again.stderr.contains("same as entry #1"),
        "{}",
        again.stderr
    );
    assert!(std::fs::read(&db).unwrap() == before, "the ledger changed");
    let mut allowed = args.to_vec();
    allowed.push("--allow-duplicate");
    let out = Case::new(&allowed).db(&db).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(out.stdout.contains("#2"), "{}", out.stdout);
}

/// The help text is snapshotted, so that documentation cannot drift unnoticed.
#[test]
fn help_texts() {
    for (name, args) in [
        ("help", &["--help"][..]),
        ("help_update", &["update", "--help"][..]),
        ("help_report", &["report", "--help"][..]),
        ("help_assess", &["assess", "--help"][..]),
        // Under --lang zh the help is Chinese, headings and examples included.
        ("help_zh", &["--lang", "zh", "--help"][..]),
        ("help_update_zh", &["--lang", "zh", "update", "--help"][..]),
        ("help_report_zh", &["--lang", "zh", "help", "report"][..]),
    ] {
        let out = Case::new(args).run();
        assert_eq!(out.code, 0, "{}", out.transcript());
        insta::assert_snapshot!(name, out.stdout);
    }
}

#[test]
fn completions_and_a_manual_page() {
    let bash = Case::new(&["completions", "bash"]).run();
    assert_eq!(bash.code, 0, "{}", bash.transcript());
    assert!(bash.stdout.contains("plantrack") && bash.stdout.contains("--as-of"));
    let man = Case::new(&["man"]).run();
    assert_eq!(man.code, 0, "{}", man.transcript());
    assert!(man.stdout.contains(".TH plantrack 1"), "{}", man.stdout);
}
