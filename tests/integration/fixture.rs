//! A ledger for the shipped plan (`plan/regional.toml`), built through the CLI exactly as an
//! officer would record it, for golden tests of the reports (overdue, by department, by target,
//! history, show; and the monthly bulletin and the assessment in later tests).
//!
//! Every entry is recorded with `plantrack update` and `PLANTRACK_NOW` pinned to a fixed time
//! (the morning after its reporting date, Beijing time), so the database and every report over
//! it are the same on every run. Entry numbers are stable: [`ENTRIES`] lists them in order.
//!
//! What the ledger holds ("by" is the unit id; units report in some months and not others):
//!
//! | #  | date       | item                    | reading     | by                        |
//! |----|------------|-------------------------|-------------|---------------------------|
//! |  1 | 2020-05-31 | MS-aid-plan             | done        | ndrc                      |
//! |  2 | 2020-06-30 | T-toilet                | 80 %        | agri                      |
//! |  3 | 2020-08-31 | T-export-bases          | 3 个        | commerce                  |
//! |  4 | 2020-09-30 | T-agri-tech             | 61 %        | sci-tech                  |
//! |  5 | 2020-10-31 | T-grain                 | 18.5 亿斤   | agri                      |
//! |  6 | 2020-11-10 | MS-digital-culture      | in_progress | culture-tourism (by alias 市文化广电局) |
//! |  7 | 2020-11-15 | T-toilet                | 8.8 %       | counties (a typo)         |
//! |  8 | 2020-11-15 | T-toilet                | 88 %        | counties, `--supersedes 7` |
//! |  9 | 2020-11-20 | MS-industry-fund        | blocked     | ndrc                      |
//! | 10 | 2020-12-20 | T-toilet                | 92 %        | agri                      |
//! | 11 | 2021-01-05 | MS-goal-2022            | in_progress | zone-hightech             |
//! | 12 | 2021-01-10 | T-grain                 | 20.6 亿斤   | procurement               |
//! | 13 | 2021-01-15 | MS-fupan-railway        | not_started | transport                 |
//! | 14 | 2021-01-20 | T-sewage                | 60 个       | eco-env                   |
//! | 15 | 2021-01-25 | T-telemedicine          | 45 %        | dukaoban (the supervisor) |
//! | 16 | 2021-01-28 | MS-kindergarten-funding | done        | edu                       |
//! | 17 | 2021-01-31 | M05 (a measure)         | in_progress | agri                      |
//! | 18 | 2025-10-31 | MS-class-one-county     | done        | counties                  |
//! | 19 | 2025-11-30 | T-sewage                | 118 个      | water                     |
//! | 20 | 2025-12-20 | T-grain                 | 21.5 亿斤   | natural-resources         |
//!
//! The plan reports monthly, so an item is stale when its latest report is a month or more old.
//! What that gives at the three as-of dates the golden tests use:
//!
//! - **2020-11-30** (nothing is due yet): met: MS-aid-plan, T-export-bases; on_track/green:
//!   T-toilet (88, the corrected value), T-grain (18.5, outside the ±1 band but not yet due),
//!   MS-digital-culture; on_track/yellow (stale): T-agri-tech; behind/yellow: MS-industry-fund
//!   (blocked); no_data/yellow: T-elderly-care and every other unreported item.
//! - **2021-01-31** (T-toilet was due 2020-12-31): met/green: T-toilet (92), T-grain (20.6,
//!   within the band), MS-kindergarten-funding; on_track/green: T-sewage, T-telemedicine,
//!   MS-goal-2022, MS-fupan-railway, M05; on_track/yellow (stale): T-agri-tech,
//!   MS-digital-culture; behind/yellow: MS-industry-fund; no_data/yellow: T-elderly-care.
//!   Nothing is overdue.
//! - **2026-01-31** (past the horizon 2025-12-31): met/green: T-toilet, T-sewage (118),
//!   T-export-bases, MS-class-one-county, MS-aid-plan, MS-kindergarten-funding; overdue/red:
//!   T-grain (21.5, outside the band), T-agri-tech (61), T-telemedicine (45), MS-goal-2022
//!   (in_progress, due 2022-12-31), MS-industry-fund (blocked), T-elderly-care (never reported).
//!
//! The shipped plan has no baseline, so "behind schedule" for a target needs the second plan,
//! [`BASELINE_PLAN`] (a copy of `examples/plans/minimal.toml` plus an at-most target); see
//! [`build_baseline`].

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use crate::support::{Case, Output, repo};

/// The as-of dates the golden tests use: before any deadline, just after the toilet deadline,
/// and after the plan horizon.
pub const AS_OF: [&str; 3] = ["2020-11-30", "2021-01-31", "2026-01-31"];

/// One `plantrack update`: its reporting date (also the as-of of the command, so `--date` may be
/// left out) and the arguments after `update`.
pub struct Step {
    pub date: &'static str,
    pub args: &'static [&'static str],
}

/// The entries of [`build`], in order (entry N is `ENTRIES[N - 1]`).
pub const ENTRIES: &[Step] = &[
    Step {
        date: "2020-05-31",
        args: &[
            "MS-aid-plan",
            "--status",
            "done",
            "--by",
            "ndrc",
            "--note",
            "对口支援综合规划已印发",
        ],
    },
    Step {
        date: "2020-06-30",
        args: &[
            "T-toilet",
            "--value",
            "80",
            "--by",
            "agri",
            "--note",
            "上半年摸底",
        ],
    },
    Step {
        date: "2020-08-31",
        args: &["T-export-bases", "--value", "3", "--by", "commerce"],
    },
    Step {
        date: "2020-09-30",
        args: &["T-agri-tech", "--value", "61", "--by", "sci-tech"],
    },
    Step {
        date: "2020-10-31",
        args: &[
            "T-grain",
            "--value",
            "18.5",
            "--by",
            "agri",
            "--note",
            "受旱灾影响",
        ],
    },
    Step {
        date: "2020-11-10",
        args: &[
            "MS-digital-culture",
            "--status",
            "in_progress",
            "--by",
            "市文化广电局",
        ],
    },
    Step {
        date: "2020-11-15",
        args: &["T-toilet", "--value", "8.8", "--by", "counties"],
    },
    // The correction: recorded the next day, its date defaults to the corrected entry's.
    Step {
        date: "2020-11-16",
        args: &[
            "--supersedes",
            "7",
            "--value",
            "88",
            "--by",
            "counties",
            "--note",
            "更正:误录为8.8",
        ],
    },
    Step {
        date: "2020-11-20",
        args: &[
            "MS-industry-fund",
            "--status",
            "blocked",
            "--by",
            "ndrc",
            "--note",
            "基金管理人未确定",
        ],
    },
    Step {
        date: "2020-12-20",
        args: &["T-toilet", "--value", "92", "--by", "agri"],
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
    Step {
        date: "2021-01-10",
        args: &["T-grain", "--value", "20.6", "--by", "procurement"],
    },
    Step {
        date: "2021-01-15",
        args: &[
            "MS-fupan-railway",
            "--status",
            "not_started",
            "--by",
            "transport",
        ],
    },
    Step {
        date: "2021-01-20",
        args: &["T-sewage", "--value", "60", "--by", "eco-env"],
    },
    Step {
        date: "2021-01-25",
        args: &[
            "T-telemedicine",
            "--value",
            "45",
            "--by",
            "dukaoban",
            "--note",
            "督考办核实",
        ],
    },
    Step {
        date: "2021-01-28",
        args: &["MS-kindergarten-funding", "--status", "done", "--by", "edu"],
    },
    Step {
        date: "2021-01-31",
        args: &["M05", "--status", "in_progress", "--by", "agri"],
    },
    Step {
        date: "2025-10-31",
        args: &[
            "MS-class-one-county",
            "--status",
            "done",
            "--by",
            "counties",
        ],
    },
    Step {
        date: "2025-11-30",
        args: &["T-sewage", "--value", "118", "--by", "water"],
    },
    Step {
        date: "2025-12-20",
        args: &["T-grain", "--value", "21.5", "--by", "natural-resources"],
    },
];

/// The time an entry made on `date` is recorded at: the next morning, Beijing time.
pub fn recorded_at(date: &str) -> String {
    let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("date");
    format!("{}T09:00:00+08:00", d.succ_opt().expect("a next day"))
}

/// Records `steps` with `plantrack update` into the ledger at `db` for `plan`, checking that each
/// one succeeds and gets the next entry number.
pub fn record(plan: &Path, db: &Path, steps: &[Step]) {
    assert!(
        !db.exists(),
        "record() starts a new ledger: {} exists",
        db.display()
    );
    for (n, step) in steps.iter().enumerate() {
        let mut args = vec!["--as-of", step.date, "update"];
        args.extend_from_slice(step.args);
        let out = Case::new(&args)
            .plan(plan)
            .db(db)
            .now(&recorded_at(step.date))
            .run();
        assert_eq!(
            out.code,
            0,
            "entry {}: {args:?}\n{}",
            n + 1,
            out.transcript()
        );
        assert!(
            out.stdout.starts_with(&format!("recorded #{}: ", n + 1)),
            "entry {}: {args:?}\n{}",
            n + 1,
            out.transcript()
        );
    }
}

/// Builds the ledger described at the top of this file in `dir` and returns its path.
pub fn build(dir: &Path) -> PathBuf {
    let db = dir.join("regional.db");
    record(&crate::support::shipped_plan(), &db, ENTRIES);
    db
}

/// The baseline plan: `examples/plans/minimal.toml` (quarterly reporting, T-toilet ≥ 90 % by
/// 2022-12-31 from a baseline of 70 % on 2021-01-01) plus T-fertilizer, an at-most target with a
/// baseline (≤ 10 万吨 by 2022-12-31 from 14 on 2021-01-01).
pub fn baseline_plan() -> PathBuf {
    repo().join(BASELINE_PLAN)
}

pub const BASELINE_PLAN: &str = "tests/fixtures/valid/baseline.toml";

/// Entries for the baseline plan (quarterly reporting). At 2022-01-15 the straight lines expect
/// 80.4 % toilets and 11.92 万吨 fertilizer, so T-toilet (75) and T-fertilizer (13.5) are both
/// behind/yellow; at 2022-04-15 they expect 82.87 % and 11.43 万吨, so T-toilet (85) and
/// T-fertilizer (11) are on track/green; at 2023-01-15 T-toilet (91) is met and T-fertilizer
/// (10.5) is overdue/red. T-fertilizer has one unit, so its updates need no `--by`.
pub const BASELINE_ENTRIES: &[Step] = &[
    Step {
        date: "2021-12-31",
        args: &["T-toilet", "--value", "75", "--by", "agri"],
    },
    Step {
        date: "2021-12-31",
        args: &["T-fertilizer", "--value", "13.5"],
    },
    Step {
        date: "2022-03-31",
        args: &["T-toilet", "--value", "85", "--by", "health"],
    },
    Step {
        date: "2022-03-31",
        args: &["T-fertilizer", "--value", "11"],
    },
    Step {
        date: "2022-12-31",
        args: &["T-toilet", "--value", "91", "--by", "counties"],
    },
    Step {
        date: "2022-12-31",
        args: &["T-fertilizer", "--value", "10.5"],
    },
];

/// Builds the baseline plan's ledger in `dir` and returns its path.
pub fn build_baseline(dir: &Path) -> PathBuf {
    let db = dir.join("baseline.db");
    record(&baseline_plan(), &db, BASELINE_ENTRIES);
    db
}

/// The regional ledger built once per test run, shared read-only by every test that only reads
/// it (reports never write). Tests that append entries must [`build`] their own.
pub fn shared() -> &'static Path {
    use std::sync::OnceLock;
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, db) = DIR.get_or_init(|| {
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
        let db = build(dir.path());
        (dir, db)
    });
    db
}

/// Runs `args` at `as_of` in `lang` and `format` against `plan` and the ledger `db`.
pub fn run_on(
    plan: &Path,
    db: &Path,
    as_of: &str,
    lang: &str,
    format: &str,
    args: &[&str],
) -> Output {
    let mut all = vec!["--as-of", as_of, "--lang", lang, "--format", format];
    all.extend_from_slice(args);
    Case::new(&all).plan(plan).db(db).run()
}

/// Runs `args` against the shipped plan and the [`shared`] fixture ledger.
pub fn run(as_of: &str, lang: &str, format: &str, args: &[&str]) -> Output {
    run_on(
        &crate::support::shipped_plan(),
        shared(),
        as_of,
        lang,
        format,
        args,
    )
}

/// One golden test per case against the shared fixture ledger: `name => as_of, lang, format,
/// [args]`. The calling module provides `rows`, which checks a JSON document's rows.
macro_rules! golden {
    ($($name:ident => $as_of:literal, $lang:literal, $format:literal, [$($arg:literal),+];)*) => {
        $(
            #[test]
            fn $name() {
                let out = crate::fixture::run($as_of, $lang, $format, &[$($arg),+]);
                assert_eq!(out.code, 0, "{}", out.transcript());
                if $format == "json" {
                    rows(&out);
                }
                insta::assert_snapshot!(stringify!($name), out.transcript());
            }
        )*
    };
}
pub(crate) use golden;
