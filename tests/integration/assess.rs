//! `plantrack assess`: golden snapshots of the assessment over the fixture ledger (`fixture.rs`)
//! for 2020 (a whole year) and 2021 (to 2021-06-30) in every text format and both languages,
//! and of `--unit` explaining each point; then explicit checks: one score worked out by hand,
//! the points of every unit adding up to its score, competition ranking, determinism across
//! two ledgers built alike, the plan's own `[assessment]` rules, and every usage error.
//!
//! What the fixture gives in 2020 (monthly cycles, all twelve counted): agri reported in June,
//! October and December; T-toilet (due 2020-12-31) was 92 % on 2020-12-20, so each unit of M05
//! gains `met_on_time`; nothing is overdue on 2020-12-31. In 2023 MS-goal-2022 (in progress,
//! due 2022-12-31) is overdue for its four units.

use std::path::Path;

use serde_json::Value;

use crate::fixture::{self, run, run_on};
use crate::support::{Case, Output, shipped_plan};

fn rows(out: &Output) -> Vec<Value> {
    assert_eq!(out.code, 0, "{}", out.transcript());
    crate::support::rows_of(&out.stdout)
}

/// The JSON row of `unit` in `assess --year year` at `as_of`.
fn row_of(as_of: &str, year: &str, unit: &str) -> Value {
    rows(&run(as_of, "en", "json", &["assess", "--year", year]))
        .into_iter()
        .find(|r| r["unit"] == unit)
        .unwrap_or_else(|| panic!("no row for {unit}"))
}

crate::fixture::golden! {
    assess_2020_table_en => "2021-01-31", "en", "table", ["assess", "--year", "2020"];
    assess_2020_markdown_en => "2021-01-31", "en", "markdown", ["assess", "--year", "2020"];
    assess_2020_csv_en => "2021-01-31", "en", "csv", ["assess", "--year", "2020"];
    assess_2020_json_en => "2021-01-31", "en", "json", ["assess", "--year", "2020"];
    assess_2020_table_zh => "2021-01-31", "zh", "table", ["assess", "--year", "2020"];
    assess_2020_markdown_zh => "2021-01-31", "zh", "markdown", ["assess", "--year", "2020"];
    assess_2020_csv_zh => "2021-01-31", "zh", "csv", ["assess", "--year", "2020"];
    assess_2020_json_zh => "2021-01-31", "zh", "json", ["assess", "--year", "2020"];
    // The year is not over: assessed up to the as-of date, and the title says so.
    assess_2021_table_en => "2021-06-30", "en", "table", ["assess", "--year", "2021"];
    assess_2021_markdown_en => "2021-06-30", "en", "markdown", ["assess", "--year", "2021"];
    assess_2021_csv_en => "2021-06-30", "en", "csv", ["assess", "--year", "2021"];
    assess_2021_json_en => "2021-06-30", "en", "json", ["assess", "--year", "2021"];
    assess_2021_table_zh => "2021-06-30", "zh", "table", ["assess", "--year", "2021"];
    assess_2021_markdown_zh => "2021-06-30", "zh", "markdown", ["assess", "--year", "2021"];
    assess_2021_csv_zh => "2021-06-30", "zh", "csv", ["assess", "--year", "2021"];
    assess_2021_json_zh => "2021-06-30", "zh", "json", ["assess", "--year", "2021"];
    // Every point of one unit, with its cause.
    assess_2020_agri_table_en => "2021-01-31", "en", "table", ["assess", "--year", "2020", "--unit", "agri"];
    assess_2020_agri_markdown_en => "2021-01-31", "en", "markdown", ["assess", "--year", "2020", "--unit", "agri"];
    assess_2020_agri_csv_en => "2021-01-31", "en", "csv", ["assess", "--year", "2020", "--unit", "agri"];
    assess_2020_agri_json_en => "2021-01-31", "en", "json", ["assess", "--year", "2020", "--unit", "agri"];
    assess_2020_agri_table_zh => "2021-01-31", "zh", "table", ["assess", "--year", "2020", "--unit", "市农业农村局"];
    assess_2020_agri_json_zh => "2021-01-31", "zh", "json", ["assess", "--year", "2020", "--unit", "agri"];
    // An item overdue at the end of the year: MS-goal-2022 for zone-hightech in 2023.
    assess_2023_zone_hightech_table_en => "2024-01-31", "en", "table", ["assess", "--year", "2023", "--unit", "zone-hightech"];
    assess_2023_zone_hightech_table_zh => "2024-01-31", "zh", "table", ["assess", "--year", "2023", "--unit", "zone-hightech"];
}

#[test]
fn agri_2020_worked_out_by_hand() {
    let agri = row_of("2021-01-31", "2020", "agri");
    // Reported in 2020-06, 2020-10 and 2020-12 (three cycles), missed the other nine; T-toilet
    // was 92 % on 2020-12-20, before its deadline 2020-12-31, and its 5 points are shared by
    // its six jointly responsible units: 100 + 3 - 18 + 5/6 = 85.83.
    assert_eq!(agri["score"], 85.83);
    assert_eq!(agri["cycles_reported"], 3);
    assert_eq!(agri["cycles_missed"], 9);
    assert_eq!(agri["met_on_time"], 1);
    assert_eq!(agri["overdue_count"], 0);
    // counties reported only through the correction #8 (#7 is superseded): still 2020-11.
    let counties = row_of("2021-01-31", "2020", "counties");
    assert_eq!(counties["score"], 79.83, "100 + 1 - 22 + 5/6");
    // A unit with no report and no deadline in the year: every cycle missed.
    let finance = row_of("2021-01-31", "2020", "finance");
    assert_eq!(finance["score"], 100 - 24);
}

#[test]
fn every_point_adds_up_to_the_score() {
    for (as_of, year) in [
        ("2021-01-31", "2020"),
        ("2021-06-30", "2021"),
        ("2024-01-31", "2023"),
    ] {
        for row in rows(&run(as_of, "en", "json", &["assess", "--year", year])) {
            let unit = row["unit"].as_str().unwrap();
            let points = rows(&run(
                as_of,
                "en",
                "json",
                &["assess", "--year", year, "--unit", unit],
            ));
            let sum: f64 = points.iter().map(|p| p["points"].as_f64().unwrap()).sum();
            assert_eq!(Some(sum), row["score"].as_f64(), "{unit} in {year}");
            assert_eq!(points[0]["rule"], "base", "{unit}");
            let count = |rule: &str| points.iter().filter(|p| p["rule"] == rule).count() as u64;
            assert_eq!(row["cycles_reported"], count("reported_cycle"), "{unit}");
            assert_eq!(row["cycles_missed"], count("missed_cycle"), "{unit}");
            assert_eq!(row["met_on_time"], count("met_on_time"), "{unit}");
            assert_eq!(row["overdue_count"], count("overdue"), "{unit}");
        }
    }
}

#[test]
fn overdue_item_is_traced_to_its_deadline() {
    // Due 2022-12-31: charged in 2022, the year of its deadline.
    let points = rows(&run(
        "2023-01-31",
        "en",
        "json",
        &["assess", "--year", "2022", "--unit", "zone-hightech"],
    ));
    let overdue: Vec<&Value> = points.iter().filter(|p| p["rule"] == "overdue").collect();
    assert_eq!(overdue.len(), 1, "{points:?}");
    assert_eq!(overdue[0]["item"], "MS-goal-2022");
    // Its 3 points are shared by its four jointly responsible units.
    assert_eq!(overdue[0]["points"], -0.75);
    assert_eq!(
        overdue[0]["reason"],
        "MS-goal-2022 overdue since 2023-01-01"
    );
}

#[test]
fn ranks_are_competition_ranks_best_first() {
    let rows = rows(&run(
        "2021-01-31",
        "en",
        "json",
        &["assess", "--year", "2020"],
    ));
    let scores: Vec<f64> = rows.iter().map(|r| r["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    for r in &rows {
        let own = r["score"].as_f64().unwrap();
        let better = scores.iter().filter(|s| **s > own).count() as u64;
        assert_eq!(r["rank"], better + 1, "{r}");
    }
    // The units of M05 (T-toilet met on time, 5 points shared by six) that did not report
    // tie: one rank, then a gap.
    let tied: Vec<&Value> = rows.iter().filter(|r| r["score"] == 76.83).collect();
    assert!(tied.len() >= 3, "{rows:?}");
    assert!(tied.iter().all(|r| r["rank"] == tied[0]["rank"]));
    let next = rows
        .iter()
        .find(|r| r["score"].as_f64() < Some(76.83))
        .unwrap();
    assert_eq!(
        next["rank"],
        tied[0]["rank"].as_u64().unwrap() + tied.len() as u64
    );
}

#[test]
fn the_supervisor_and_idle_units_are_not_assessed() {
    let rows = rows(&run(
        "2021-01-31",
        "en",
        "json",
        &["assess", "--year", "2020"],
    ));
    assert!(rows.iter().all(|r| r["unit"] != "dukaoban"));
    // Every other unit of the plan has items: 30 units, the supervisor left out.
    assert_eq!(rows.len(), 29);
}

#[test]
fn same_ledger_same_scores() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let again = fixture::build(dir.path());
    for format in ["table", "json"] {
        for args in [
            &["assess", "--year", "2020"][..],
            &["assess", "--year", "2020", "--unit", "agri"],
        ] {
            let first = run("2021-01-31", "en", format, args);
            let second = run("2021-01-31", "en", format, args);
            let rebuilt = run_on(&shipped_plan(), &again, "2021-01-31", "en", format, args);
            assert_eq!(first.stdout, second.stdout);
            assert_eq!(
                first.stdout, rebuilt.stdout,
                "a ledger built alike scores alike"
            );
        }
    }
}

#[test]
fn the_year_defaults_to_the_as_of_year() {
    let default = run("2021-06-30", "en", "table", &["assess"]);
    assert_eq!(default.code, 0, "{}", default.transcript());
    assert!(
        default
            .stdout
            .starts_with("Assessment 2021 (to 2021-06-30)\n"),
        "{}",
        default.stdout
    );
    assert_eq!(
        default.stdout,
        run("2021-06-30", "en", "table", &["assess", "--year", "2021"]).stdout
    );
}

#[test]
fn help_documents_the_rule() {
    let out = Case::new(&["assess", "--help"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    for line in [
        "base                                     (default 100)",
        "+ reported_cycle × cycles reported       (default 1)",
        "- missed_cycle   × cycles missed         (default 2)",
        "+ met_on_time    × items met on time     (default 5)",
        "- overdue        × items overdue         (default 3)",
        "[assessment]",
    ] {
        assert!(out.stdout.contains(line), "{line}:\n{}", out.stdout);
    }
}

#[test]
fn usage_errors_exit_2() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["assess", "--year", "2020", "--unit", "agr"],
            "no unit \"agr\" in the plan (did you mean \"agri\"?)",
        ),
        (
            &["assess", "--year", "2020", "--unit", "dukaoban"],
            "市政府督考办 (dukaoban) is not assessed: it is the plan's supervisor",
        ),
        (
            &["assess", "--year", "2019"],
            "--year 2019: the plan was issued on 2020-01-01",
        ),
        (
            &["assess", "--year", "2022"],
            "--year 2022 has not begun by 2021-01-31",
        ),
    ];
    for (args, message) in cases {
        let out = run("2021-01-31", "en", "table", args);
        assert_eq!(out.code, 2, "{args:?}\n{}", out.transcript());
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
        assert!(out.stderr.contains(message), "{args:?}: {}", out.stderr);
    }
}

/// `examples/plans/minimal.toml` (quarterly, issued 2021-03-01) with `extra` appended, written
/// to `dir`.
fn minimal_with(dir: &Path, extra: &str) -> std::path::PathBuf {
    let minimal =
        std::fs::read_to_string(crate::support::repo().join("examples/plans/minimal.toml"))
            .unwrap();
    let path = dir.join("minimal.toml");
    std::fs::write(&path, format!("{minimal}\n{extra}")).unwrap();
    path
}

#[test]
fn a_plan_sets_its_own_rules() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let plan = minimal_with(
        dir.path(),
        "[assessment]\nbase = 60\nreported_cycle = 0.5\nmissed_cycle = 1.5\nmet_on_time = 4\n# overdue keeps its default, 3\n",
    );
    // All three units jointly responsible (no lead), so that each is scored in full.
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, text.replace("lead = [\"agri\"]\n", "")).unwrap();
    let db = dir.path().join("minimal.db");
    fixture::record(
        &plan,
        &db,
        &[
            fixture::Step {
                date: "2021-06-30",
                args: &["MS-toilet-survey", "--status", "done"],
            },
            fixture::Step {
                date: "2021-08-15",
                args: &["T-toilet", "--value", "78", "--by", "health"],
            },
            fixture::Step {
                date: "2021-11-30",
                args: &["M01", "--status", "in_progress", "--by", "counties"],
            },
        ],
    );
    let scores = |as_of: &str, year: &str| -> Vec<(String, u64, f64)> {
        rows(&run_on(
            &plan,
            &db,
            as_of,
            "en",
            "json",
            &["assess", "--year", year],
        ))
        .iter()
        .map(|r| {
            (
                r["unit"].as_str().unwrap().to_string(),
                r["rank"].as_u64().unwrap(),
                r["score"].as_f64().unwrap(),
            )
        })
        .collect()
    };
    let s = |u: &str, rank, score| (u.to_string(), rank, score);
    // 2021, three quarters (Q1 began before the plan was issued on 2021-03-01). agri: 60 +
    // 0.5 (Q2) - 2 × 1.5 + 4 (MS-toilet-survey done by 2021-06-30) = 61.5; health and
    // counties reported once: 60 + 0.5 - 3 = 57.5, sharing rank 2.
    assert_eq!(
        scores("2021-12-31", "2021"),
        [
            s("agri", 1, 61.5),
            s("health", 2, 57.5),
            s("counties", 2, 57.5)
        ]
    );
    // 2023 to 2023-06-30: T-toilet (78 %, due 2022-12-31) was charged in 2022 and is only
    // carried over: 60 - 2 × 1.5 = 57 for all three.
    assert_eq!(
        scores("2023-06-30", "2023"),
        [
            s("agri", 1, 57.0),
            s("health", 1, 57.0),
            s("counties", 1, 57.0)
        ]
    );
    let text = run_on(
        &plan,
        &db,
        "2021-12-31",
        "en",
        "table",
        &["assess", "--unit", "health"],
    );
    assert!(
        text.stdout
            .contains("+0.5 for each cycle in which it reported, −1.5 for each cycle it missed"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_misspelt_rule_is_a_plan_error() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let plan = minimal_with(
        dir.path(),
        "[assessment]\nmised_cycle = 2\noverdue = \"3\"\n",
    );
    let out = Case::new(&["check"]).plan(&plan).run();
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stderr
            .contains("assessment: unknown key `mised_cycle` (did you mean \"missed_cycle\"?)"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("assessment: `overdue` must be a number, found string"),
        "{}",
        out.stderr
    );
}
