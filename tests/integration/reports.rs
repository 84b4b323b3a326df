//! The core reports over the fixture ledger (`fixture.rs`): golden snapshots of `report overdue`,
//! `report by-department` (all units, one unit by id, one unit by alias), `report by-target`,
//! `history` and `show` in every format at the three as-of dates, then explicit checks of what
//! PRODUCT.md promises: the "done when" on T-toilet, the judgement of every fixture item
//! (every standing and every light), behind schedule against a baseline, the JSON contract
//! (`status`, `light`, the target keys) and byte-for-byte determinism.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde_json::Value;

use plantrack::judge;
use plantrack::model::{Light, Standing};
use plantrack::store::Store;

use crate::fixture::{self, run, run_on};
use crate::support::{Case, Output, shipped_plan};

fn ok(out: &Output, what: &str) {
    assert_eq!(out.code, 0, "{what}:\n{}", out.transcript());
    assert!(out.stderr.is_empty(), "{what}:\n{}", out.transcript());
}

fn json_of(out: &Output, what: &str) -> Vec<Value> {
    ok(out, what);
    crate::support::rows_of(&out.stdout)
}

/// The transcript with the plan's fingerprint (in history entries) replaced by a placeholder, so
/// that an edit of the shipped plan does not touch these snapshots.
fn redacted(out: &Output) -> String {
    let loaded = plantrack::plan::load(&shipped_plan()).expect("the shipped plan loads");
    out.transcript()
        .replace(&loaded.fingerprint, "[plan fingerprint]")
}

fn golden(name: &str, as_of: &str, lang: &str, format: &str, args: &[&str]) {
    let out = run(as_of, lang, format, args);
    ok(&out, &format!("{args:?} at {as_of}"));
    if format == "json" {
        let parsed: Result<Value, _> = serde_json::from_str(&out.stdout);
        assert!(parsed.is_ok(), "{name}: not JSON: {parsed:?}");
    }
    insta::assert_snapshot!(name, redacted(&out));
}

/// One test per golden case: `name => as_of, lang, format, [args]`.
macro_rules! golden {
    ($($name:ident => $as_of:literal, $lang:literal, $format:literal, [$($arg:literal),+];)*) => {
        $(
            #[test]
            fn $name() {
                golden(stringify!($name), $as_of, $lang, $format, &[$($arg),+]);
            }
        )*
    };
}

golden! {
    overdue_2020_11_30_table => "2020-11-30", "en", "table", ["report", "overdue"];
    overdue_2020_11_30_markdown => "2020-11-30", "en", "markdown", ["report", "overdue"];
    overdue_2020_11_30_csv => "2020-11-30", "en", "csv", ["report", "overdue"];
    overdue_2020_11_30_json => "2020-11-30", "en", "json", ["report", "overdue"];
    overdue_2021_01_31_table => "2021-01-31", "en", "table", ["report", "overdue"];
    overdue_2021_01_31_markdown => "2021-01-31", "en", "markdown", ["report", "overdue"];
    overdue_2021_01_31_csv => "2021-01-31", "en", "csv", ["report", "overdue"];
    overdue_2021_01_31_json => "2021-01-31", "en", "json", ["report", "overdue"];
    overdue_2026_01_31_table => "2026-01-31", "en", "table", ["report", "overdue"];
    overdue_2026_01_31_markdown => "2026-01-31", "en", "markdown", ["report", "overdue"];
    overdue_2026_01_31_csv => "2026-01-31", "en", "csv", ["report", "overdue"];
    overdue_2026_01_31_json => "2026-01-31", "en", "json", ["report", "overdue"];
    overdue_2026_01_31_table_zh => "2026-01-31", "zh", "table", ["report", "overdue"];
    overdue_2026_01_31_json_zh => "2026-01-31", "zh", "json", ["report", "overdue"];

    by_department_2020_11_30_table => "2020-11-30", "en", "table", ["report", "by-department"];
    by_department_2020_11_30_markdown => "2020-11-30", "en", "markdown", ["report", "by-department"];
    by_department_2020_11_30_csv => "2020-11-30", "en", "csv", ["report", "by-department"];
    by_department_2020_11_30_json => "2020-11-30", "en", "json", ["report", "by-department"];
    by_department_2021_01_31_table => "2021-01-31", "en", "table", ["report", "by-department"];
    by_department_2021_01_31_markdown => "2021-01-31", "en", "markdown", ["report", "by-department"];
    by_department_2021_01_31_csv => "2021-01-31", "en", "csv", ["report", "by-department"];
    by_department_2021_01_31_json => "2021-01-31", "en", "json", ["report", "by-department"];
    by_department_2026_01_31_table => "2026-01-31", "en", "table", ["report", "by-department"];
    by_department_2026_01_31_markdown => "2026-01-31", "en", "markdown", ["report", "by-department"];
    by_department_2026_01_31_csv => "2026-01-31", "en", "csv", ["report", "by-department"];
    by_department_2026_01_31_json => "2026-01-31", "en", "json", ["report", "by-department"];
    by_department_2021_01_31_table_zh => "2021-01-31", "zh", "table", ["report", "by-department"];

    by_department_agri_2020_11_30_table => "2020-11-30", "en", "table", ["report", "by-department", "--unit", "agri"];
    by_department_agri_2020_11_30_markdown => "2020-11-30", "en", "markdown", ["report", "by-department", "--unit", "agri"];
    by_department_agri_2020_11_30_csv => "2020-11-30", "en", "csv", ["report", "by-department", "--unit", "agri"];
    by_department_agri_2020_11_30_json => "2020-11-30", "en", "json", ["report", "by-department", "--unit", "agri"];
    by_department_agri_2021_01_31_table => "2021-01-31", "en", "table", ["report", "by-department", "--unit", "agri"];
    by_department_agri_2021_01_31_markdown => "2021-01-31", "en", "markdown", ["report", "by-department", "--unit", "agri"];
    by_department_agri_2021_01_31_csv => "2021-01-31", "en", "csv", ["report", "by-department", "--unit", "agri"];
    by_department_agri_2021_01_31_json => "2021-01-31", "en", "json", ["report", "by-department", "--unit", "agri"];
    by_department_agri_2026_01_31_table => "2026-01-31", "en", "table", ["report", "by-department", "--unit", "agri"];
    by_department_agri_2026_01_31_markdown => "2026-01-31", "en", "markdown", ["report", "by-department", "--unit", "agri"];
    by_department_agri_2026_01_31_csv => "2026-01-31", "en", "csv", ["report", "by-department", "--unit", "agri"];
    by_department_agri_2026_01_31_json => "2026-01-31", "en", "json", ["report", "by-department", "--unit", "agri"];
    by_department_agri_2021_01_31_markdown_zh => "2021-01-31", "zh", "markdown", ["report", "by-department", "--unit", "agri"];

    by_department_culture_alias_2020_11_30_table => "2020-11-30", "en", "table", ["report", "by-department", "--unit", "市文化广电局"];
    by_department_culture_alias_2021_01_31_table => "2021-01-31", "en", "table", ["report", "by-department", "--unit", "市文化广电局"];
    by_department_culture_alias_2021_01_31_json => "2021-01-31", "en", "json", ["report", "by-department", "--unit", "市文化广电局"];
    by_department_culture_alias_2026_01_31_table => "2026-01-31", "en", "table", ["report", "by-department", "--unit", "市文化广电局"];
    by_department_culture_alias_2021_01_31_table_zh => "2021-01-31", "zh", "table", ["report", "by-department", "--unit", "市文化广电局"];

    by_target_2020_11_30_table => "2020-11-30", "en", "table", ["report", "by-target"];
    by_target_2020_11_30_markdown => "2020-11-30", "en", "markdown", ["report", "by-target"];
    by_target_2020_11_30_csv => "2020-11-30", "en", "csv", ["report", "by-target"];
    by_target_2020_11_30_json => "2020-11-30", "en", "json", ["report", "by-target"];
    by_target_2021_01_31_table => "2021-01-31", "en", "table", ["report", "by-target"];
    by_target_2021_01_31_markdown => "2021-01-31", "en", "markdown", ["report", "by-target"];
    by_target_2021_01_31_csv => "2021-01-31", "en", "csv", ["report", "by-target"];
    by_target_2021_01_31_json => "2021-01-31", "en", "json", ["report", "by-target"];
    by_target_2026_01_31_table => "2026-01-31", "en", "table", ["report", "by-target"];
    by_target_2026_01_31_markdown => "2026-01-31", "en", "markdown", ["report", "by-target"];
    by_target_2026_01_31_csv => "2026-01-31", "en", "csv", ["report", "by-target"];
    by_target_2026_01_31_json => "2026-01-31", "en", "json", ["report", "by-target"];
    by_target_2021_01_31_table_zh => "2021-01-31", "zh", "table", ["report", "by-target"];
    by_target_2026_01_31_csv_zh => "2026-01-31", "zh", "csv", ["report", "by-target"];

    history_table => "2026-01-31", "en", "table", ["history"];
    history_markdown => "2026-01-31", "en", "markdown", ["history"];
    history_csv => "2026-01-31", "en", "csv", ["history"];
    history_json => "2026-01-31", "en", "json", ["history"];
    history_2020_11_30_table => "2020-11-30", "en", "table", ["history"];
    history_table_zh => "2026-01-31", "zh", "table", ["history"];

    history_toilet_table => "2026-01-31", "en", "table", ["history", "T-toilet"];
    history_toilet_markdown => "2026-01-31", "en", "markdown", ["history", "T-toilet"];
    history_toilet_csv => "2026-01-31", "en", "csv", ["history", "T-toilet"];
    history_toilet_json => "2026-01-31", "en", "json", ["history", "T-toilet"];
    history_toilet_table_zh => "2026-01-31", "zh", "table", ["history", "T-toilet"];

    show_toilet_2020_11_30_table => "2020-11-30", "en", "table", ["show", "T-toilet"];
    show_toilet_2021_01_31_table => "2021-01-31", "en", "table", ["show", "T-toilet"];
    show_toilet_2021_01_31_markdown => "2021-01-31", "en", "markdown", ["show", "T-toilet"];
    show_toilet_2021_01_31_csv => "2021-01-31", "en", "csv", ["show", "T-toilet"];
    show_toilet_2021_01_31_json => "2021-01-31", "en", "json", ["show", "T-toilet"];
    show_toilet_2026_01_31_table => "2026-01-31", "en", "table", ["show", "T-toilet"];
    show_toilet_2021_01_31_table_zh => "2021-01-31", "zh", "table", ["show", "T-toilet"];
}

/// The baseline plan: behind schedule by the straight line, in both directions.
fn golden_baseline(name: &str, as_of: &str, format: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = fixture::build_baseline(dir.path());
    let out = run_on(
        &fixture::baseline_plan(),
        &db,
        as_of,
        "en",
        format,
        &["report", "by-target"],
    );
    ok(&out, name);
    insta::assert_snapshot!(name, out.transcript());
}

#[test]
fn baseline_by_target_golden() {
    golden_baseline("baseline_by_target_2022_01_15_table", "2022-01-15", "table");
    golden_baseline("baseline_by_target_2022_04_15_table", "2022-04-15", "table");
    golden_baseline("baseline_by_target_2023_01_15_table", "2023-01-15", "table");
    golden_baseline("baseline_by_target_2022_01_15_json", "2022-01-15", "json");
}

// ---------------------------------------------------------------------------------------------
// The "done when".

/// The JSON row of `report overdue` about `id`, if it is listed.
fn overdue_row<'a>(rows: &'a [Value], id: &str) -> Option<&'a Value> {
    rows.iter()
        .find(|r| r["type"] == "overdue_item" && r["id"] == id)
}

fn target_row<'a>(rows: &'a [Value], id: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no row for {id}"))
}

#[test]
fn toilet_is_overdue_then_met_then_falls_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("ledger.db");
    let plan = shipped_plan();
    let overdue = || {
        json_of(
            &run_on(
                &plan,
                &db,
                "2021-01-31",
                "en",
                "json",
                &["report", "overdue"],
            ),
            "report overdue",
        )
    };
    let by_target = || {
        json_of(
            &run_on(
                &plan,
                &db,
                "2021-01-31",
                "en",
                "json",
                &["report", "by-target"],
            ),
            "report by-target",
        )
    };

    // An empty ledger: T-toilet (due 2020-12-31) is overdue with no data.
    let rows = overdue();
    let row = overdue_row(&rows, "T-toilet").expect("T-toilet is listed as overdue");
    assert_eq!(row["status"], "overdue");
    assert_eq!(row["light"], "red");
    assert_eq!(row["latest"], Value::Null);
    assert_eq!(row["latest_date"], Value::Null);
    assert_eq!(row["due"], "2020-12-31");
    assert_eq!(row["days_overdue"], 31);
    assert_eq!(row["reason"], "overdue: due 2020-12-31, never reported");
    let items: Vec<&Value> = rows
        .iter()
        .filter(|r| r["type"] == "overdue_item")
        .collect();
    assert_eq!(
        items.len(),
        1,
        "only T-toilet is due by 2021-01-31: {items:?}"
    );
    let t = target_row(&by_target(), "T-toilet").clone();
    assert_eq!(
        (&t["status"], &t["light"]),
        (&"overdue".into(), &"red".into())
    );
    assert_eq!(t["actual"], Value::Null);

    // 92 % reported on 2020-12-20: met, and no longer overdue.
    let out = Case::new(&[
        "update",
        "T-toilet",
        "--value",
        "92",
        "--date",
        "2020-12-20",
        "--by",
        "agri",
        "--as-of",
        "2021-01-31",
    ])
    .db(&db)
    .now("2021-01-31T10:00:00+08:00")
    .run();
    ok(&out, "update 92");
    assert_eq!(
        out.stdout,
        "recorded #1: T-toilet = 92 % on 2020-12-20 by agri (市农业农村局)\n"
    );
    assert!(overdue_row(&overdue(), "T-toilet").is_none());
    let t = target_row(&by_target(), "T-toilet").clone();
    assert_eq!(
        (&t["status"], &t["light"]),
        (&"met".into(), &"green".into())
    );
    assert_eq!(t["actual"], 92.0);
    assert_eq!(t["actual_date"], "2020-12-20");
    assert_eq!(t["reason"], "met: 92 % reported 2020-12-20");

    // A later report of 85 % (2021-01-15): the latest value no longer meets the target.
    let out = Case::new(&[
        "--as-of",
        "2021-01-31",
        "update",
        "T-toilet",
        "--value",
        "85",
        "--date",
        "2021-01-15",
        "--by",
        "counties",
    ])
    .db(&db)
    .now("2021-01-31T11:00:00+08:00")
    .run();
    ok(&out, "update 85");
    // Met on time, then lower: it fell back (回落), which is not overdue.
    assert!(overdue_row(&overdue(), "T-toilet").is_none());
    let t = target_row(&by_target(), "T-toilet").clone();
    assert_eq!(
        (&t["status"], &t["light"]),
        (&"fell_back".into(), &"yellow".into())
    );
    assert_eq!(t["actual"], 85.0);
    assert_eq!(t["actual_date"], "2021-01-15");
    assert_eq!(
        t["reason"],
        "fell back: met by 2020-12-31 (92 %), now 85 % (2021-01-15)"
    );

    // Before the deadline the same ledger reads differently: 2020-12-25 sees only the 92.
    let rows = json_of(
        &run_on(
            &plan,
            &db,
            "2020-12-25",
            "en",
            "json",
            &["report", "by-target"],
        ),
        "by-target 2020-12-25",
    );
    assert_eq!(target_row(&rows, "T-toilet")["status"], "met");
}

// ---------------------------------------------------------------------------------------------
// The fixture's judgements, item by item, as its documentation promises.

/// Every item's (standing, light) at `as_of`, through the library.
fn verdicts(as_of: &str) -> BTreeMap<String, (Standing, Light)> {
    let loaded = plantrack::plan::load(&shipped_plan()).expect("the shipped plan loads");
    let store = Store::open_existing(fixture::shared())
        .expect("the fixture opens")
        .expect("the fixture exists");
    let as_of = NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap();
    let snapshot = store.snapshot(&loaded.plan, as_of).expect("snapshot");
    let facts = judge::Judged::new(&loaded.plan, &snapshot);
    loaded
        .plan
        .items()
        .map(|i| {
            let v = facts.verdict(i);
            (i.id().to_string(), (v.standing, v.light))
        })
        .collect()
}

/// An item id with the standing and light it must have.
type Judged = (&'static str, Standing, Light);

#[test]
fn the_fixture_judges_as_documented() {
    use Light::*;
    use Standing::*;
    let expect: &[(&str, &[Judged])] = &[
        (
            "2020-11-30",
            &[
                ("MS-aid-plan", Met, Green),
                ("T-export-bases", Met, Green),
                // 88 % a month before its deadline: not yet met, so no green.
                ("T-toilet", DueSoon, Yellow),
                // Held at about 20 亿斤: 18.5 is below the band.
                ("T-grain", Behind, Yellow),
                ("MS-digital-culture", OnTrack, Green),
                // 61 % with no baseline: no line, so progress cannot be judged.
                ("T-agri-tech", NoData, Yellow),
                ("MS-industry-fund", Blocked, Yellow),
                ("T-elderly-care", NoData, Yellow),
                ("T-sewage", NoData, Yellow),
                ("MS-goal-2022", NoData, Yellow),
            ],
        ),
        (
            "2021-01-31",
            &[
                ("T-toilet", Met, Green),
                ("T-grain", OnTrack, Green),
                ("MS-kindergarten-funding", Met, Green),
                ("MS-aid-plan", Met, Green),
                // A count: its line starts at 0.
                ("T-sewage", OnTrack, Green),
                ("T-telemedicine", NoData, Yellow),
                ("MS-goal-2022", OnTrack, Green),
                ("MS-fupan-railway", NotStarted, Yellow),
                // A measure with parts stands as its worst part does: one has no data yet.
                ("M05", NoData, Yellow),
                ("T-agri-tech", NoData, Yellow),
                ("MS-digital-culture", Stale, Yellow),
                ("MS-industry-fund", Blocked, Yellow),
                ("T-elderly-care", NoData, Yellow),
            ],
        ),
        (
            "2026-01-31",
            &[
                ("T-toilet", Met, Green),
                ("T-sewage", Met, Green),
                ("T-export-bases", Met, Green),
                ("MS-class-one-county", Met, Green),
                ("MS-aid-plan", Met, Green),
                ("MS-kindergarten-funding", Met, Green),
                // Above the band at the horizon, more being better.
                ("T-grain", Exceeded, Green),
                ("T-agri-tech", Overdue, Red),
                ("T-telemedicine", Overdue, Red),
                ("MS-goal-2022", Overdue, Red),
                ("MS-industry-fund", Overdue, Red),
                ("T-elderly-care", Overdue, Red),
                ("M05", Overdue, Red),
            ],
        ),
    ];
    let mut standings = BTreeSet::new();
    let mut lights = BTreeSet::new();
    for (as_of, items) in expect {
        let got = verdicts(as_of);
        for (id, standing, light) in *items {
            assert_eq!(got[*id], (*standing, *light), "{id} at {as_of}");
        }
        // Nothing is overdue before a deadline; nothing is still without data after the horizon.
        let overdue = got.values().filter(|(s, _)| *s == Overdue).count();
        let no_data = got.values().filter(|(s, _)| *s == NoData).count();
        match *as_of {
            "2020-11-30" | "2021-01-31" => assert_eq!(overdue, 0, "at {as_of}"),
            _ => assert_eq!(no_data, 0, "at {as_of}"),
        }
        for (s, l) in got.values() {
            standings.insert(*s);
            lights.insert(*l);
        }
    }
    // The fixture exercises ten standings and every light; the judging example plan
    // (tests/integration/judging.rs) and the judge's table test cover the rest.
    assert_eq!(standings.len(), 10, "{standings:?}");
    assert_eq!(lights.len(), Light::ALL.len(), "{lights:?}");
}

#[test]
fn reasons_explain_the_light() {
    let rows = json_of(
        &run("2021-01-31", "en", "json", &["report", "by-target"]),
        "by-target",
    );
    let reason = |id: &str| {
        target_row(&rows, id)["reason"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(reason("T-toilet"), "met: 92 % reported 2020-12-20");
    assert_eq!(
        reason("T-grain"),
        "on track: latest 20.6 亿斤, due 2025-12-31"
    );
    assert_eq!(
        reason("T-agri-tech"),
        "no baseline: progress cannot be judged (61 % of ≥ 65 %)"
    );
    assert_eq!(reason("T-sewage"), "on track: latest 60 个, due 2025-12-31");
    assert_eq!(reason("T-elderly-care"), "no report yet");

    let rows = json_of(
        &run("2026-01-31", "en", "json", &["report", "by-target"]),
        "by-target 2026",
    );
    let grain = target_row(&rows, "T-grain");
    assert_eq!(
        grain["reason"],
        "exceeded: 21.5 亿斤 reported 2025-12-20, target ≈ 20 ± 1 亿斤"
    );
    assert_eq!(grain["comparator"], "about");
    assert_eq!(grain["tolerance"], 1.0);
    assert_eq!(
        target_row(&rows, "T-elderly-care")["reason"],
        "overdue: due 2025-12-31, never reported"
    );

    let rows = json_of(
        &run(
            "2020-11-30",
            "en",
            "json",
            &["report", "by-department", "--unit", "ndrc"],
        ),
        "by-department ndrc",
    );
    let fund = target_row(&rows, "MS-industry-fund");
    assert_eq!(
        (&fund["status"], &fund["light"], &fund["reason"]),
        (
            &"blocked".into(),
            &"yellow".into(),
            &"reported blocked on 2020-11-20".into()
        )
    );
}

/// T-grain is "about 20 亿斤, ±1", held to the horizon (稳定在), more being better: 18.5 lies
/// below the band (behind), 20.6 within it (on track until the horizon), and 21.5 after the
/// horizon lies above it (exceeded, not a miss).
#[test]
fn about_comparator_uses_the_tolerance() {
    let at = |as_of: &str| {
        let rows = json_of(
            &run(as_of, "en", "json", &["report", "by-target"]),
            "by-target",
        );
        let r = target_row(&rows, "T-grain").clone();
        (
            r["actual"].as_f64().unwrap(),
            r["status"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(at("2020-11-30"), (18.5, "behind".to_string()));
    assert_eq!(at("2021-01-31"), (20.6, "on_track".to_string()));
    assert_eq!(at("2026-01-31"), (21.5, "exceeded".to_string()));
}

/// The correction (#8 supersedes #7) counts, the typo does not.
#[test]
fn a_correction_replaces_the_corrected_value() {
    let rows = json_of(
        &run("2020-11-30", "en", "json", &["report", "by-target"]),
        "by-target",
    );
    let t = target_row(&rows, "T-toilet");
    assert_eq!(t["actual"], 88.0);
    assert_eq!(t["actual_date"], "2020-11-15");
    let history = json_of(
        &run("2026-01-31", "en", "json", &["history", "T-toilet"]),
        "history",
    );
    let ids: Vec<i64> = history
        .iter()
        .map(|e| e["entry"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [10, 8, 7, 2], "newest first");
    assert_eq!(history[1]["supersedes"], 7);
    assert_eq!(history[2]["superseded_by"], 8);
    assert_eq!(history[2]["value"], 8.8);
}

/// The supervision office may report on any item; it is never asked to report itself.
#[test]
fn the_supervisor_reports_but_owes_nothing() {
    let history = json_of(
        &run("2026-01-31", "en", "json", &["history", "T-telemedicine"]),
        "history",
    );
    assert_eq!(history.len(), 1);
    assert_eq!(history[0]["unit"], "dukaoban");
    for as_of in fixture::AS_OF {
        let rows = json_of(&run(as_of, "en", "json", &["report", "overdue"]), "overdue");
        let silent: Vec<&str> = rows
            .iter()
            .filter(|r| r["type"] == "unreported_unit")
            .map(|r| r["unit"].as_str().unwrap())
            .collect();
        assert!(!silent.contains(&"dukaoban"), "at {as_of}: {silent:?}");
        // A unit that reported within the month is not listed; one that did not, is.
        match as_of {
            "2020-11-30" => {
                assert!(!silent.contains(&"ndrc") && !silent.contains(&"counties"));
                assert!(silent.contains(&"sci-tech") && silent.contains(&"commerce"));
            }
            "2021-01-31" => {
                assert!(!silent.contains(&"agri") && !silent.contains(&"edu"));
                assert!(silent.contains(&"ndrc") && silent.contains(&"culture-tourism"));
            }
            _ => assert!(silent.contains(&"agri") && silent.contains(&"natural-resources")),
        }
    }
}

/// A unit named by its alias is the same unit: byte-for-byte the same report.
#[test]
fn a_unit_alias_gives_the_same_report() {
    for format in ["table", "json"] {
        let by_alias = run(
            "2021-01-31",
            "en",
            format,
            &["report", "by-department", "--unit", "市文化广电局"],
        );
        let by_id = run(
            "2021-01-31",
            "en",
            format,
            &["report", "by-department", "--unit", "culture-tourism"],
        );
        ok(&by_alias, "by alias");
        assert_eq!(by_alias.stdout, by_id.stdout);
    }
    let out = run(
        "2021-01-31",
        "en",
        "table",
        &["report", "by-department", "--unit", "agr"],
    );
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr.contains("did you mean \"agri\""),
        "{}",
        out.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// Behind schedule against a baseline.

#[test]
fn behind_by_the_baseline_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = fixture::build_baseline(dir.path());
    let at = |as_of: &str| {
        json_of(
            &run_on(
                &fixture::baseline_plan(),
                &db,
                as_of,
                "en",
                "json",
                &["report", "by-target"],
            ),
            "by-target",
        )
    };
    let expected = |r: &Value| r["expected"].as_f64().unwrap();

    let rows = at("2022-01-15");
    let toilet = target_row(&rows, "T-toilet");
    assert_eq!(
        (&toilet["status"], &toilet["light"]),
        (&"behind".into(), &"yellow".into())
    );
    // 70 + 20 × 379/729 days.
    assert!((expected(toilet) - (70.0 + 20.0 * 379.0 / 729.0)).abs() < 1e-9);
    assert!(
        toilet["reason"]
            .as_str()
            .unwrap()
            .starts_with("behind schedule: 75 % reported, 80.4 % expected"),
        "{}",
        toilet["reason"]
    );
    let fert = target_row(&rows, "T-fertilizer");
    assert_eq!(
        (&fert["status"], &fert["light"]),
        (&"behind".into(), &"yellow".into())
    );
    assert!((expected(fert) - (14.0 - 4.0 * 379.0 / 729.0)).abs() < 1e-9);
    assert_eq!(fert["percent"], Value::Null, "no % of an at-most target");

    let rows = at("2022-04-15");
    for id in ["T-toilet", "T-fertilizer"] {
        let r = target_row(&rows, id);
        assert_eq!(
            (&r["status"], &r["light"]),
            (&"on_track".into(), &"green".into()),
            "{id}"
        );
    }

    let rows = at("2023-01-15");
    let toilet = target_row(&rows, "T-toilet");
    assert_eq!(
        (&toilet["status"], &toilet["light"]),
        (&"met".into(), &"green".into())
    );
    let fert = target_row(&rows, "T-fertilizer");
    assert_eq!(
        (&fert["status"], &fert["light"]),
        (&"overdue".into(), &"red".into())
    );
    assert_eq!(expected(fert), 10.0, "the line ends at the target");

    // Before the baseline date there is no line to be behind.
    let rows = at("2020-12-31");
    assert_eq!(target_row(&rows, "T-toilet")["expected"], Value::Null);
}

// ---------------------------------------------------------------------------------------------
// The JSON contract and determinism.

const STANDINGS: [&str; 13] = [
    "met",
    "exceeded",
    "met_late",
    "fell_back",
    "on_track",
    "due_soon",
    "behind",
    "blocked",
    "not_started",
    "stale",
    "overdue",
    "missed",
    "no_data",
];
const LIGHTS: [&str; 3] = ["green", "yellow", "red"];

/// The light each standing has (README, "How an item is judged"): blocked and not started
/// turn red when the deadline is close.
fn light_fits(status: &str, light: &str) -> bool {
    matches!(
        (status, light),
        ("met" | "exceeded" | "met_late" | "on_track", "green")
            | (
                "due_soon" | "behind" | "fell_back" | "stale" | "no_data",
                "yellow"
            )
            | ("blocked" | "not_started", "yellow" | "red")
            | ("overdue" | "missed", "red")
    )
}

fn check_rows(rows: &[Value], what: &str) {
    for r in rows {
        let status = r["status"]
            .as_str()
            .unwrap_or_else(|| panic!("{what}: no status in {r}"));
        let light = r["light"]
            .as_str()
            .unwrap_or_else(|| panic!("{what}: no light in {r}"));
        assert!(STANDINGS.contains(&status), "{what}: status {status}");
        assert!(LIGHTS.contains(&light), "{what}: light {light}");
        assert!(
            light_fits(status, light),
            "{what}: {status} with {light}: {r}"
        );
        assert!(
            r["reason"].as_str().is_some_and(|s| !s.is_empty()),
            "{what}: every light has its reason: {r}"
        );
    }
}

#[test]
fn json_rows_carry_status_and_light() {
    for as_of in fixture::AS_OF {
        let rows = json_of(
            &run(as_of, "en", "json", &["report", "by-target"]),
            "by-target",
        );
        assert_eq!(rows.len(), 8, "one row per target of the shipped plan");
        check_rows(&rows, "by-target");
        for r in &rows {
            for key in [
                "id",
                "measure",
                "metric",
                "unit_of_measure",
                "comparator",
                "target",
                "due",
                "units",
            ] {
                assert!(r.get(key).is_some(), "by-target row lacks {key}: {r}");
            }
            assert!(r["units"].as_array().is_some_and(|u| !u.is_empty()));
            // `due` is the target's own deadline or null, as in `list`; `effective_due` is
            // always the date that applies.
            assert!(r["due"].is_null() || r["due"].is_string(), "{r}");
            let due = r["effective_due"].as_str().unwrap();
            assert!(NaiveDate::parse_from_str(due, "%Y-%m-%d").is_ok(), "{due}");
        }

        let rows = json_of(&run(as_of, "en", "json", &["report", "overdue"]), "overdue");
        let items: Vec<Value> = rows
            .iter()
            .filter(|r| r["type"] == "overdue_item")
            .cloned()
            .collect();
        check_rows(&items, "overdue");
        assert!(
            items
                .iter()
                .all(|r| r["status"] == "overdue" && r["light"] == "red")
        );
        assert!(
            rows.iter()
                .all(|r| r["type"] == "overdue_item" || r["type"] == "unreported_unit")
        );

        for unit in ["agri", "ndrc", "culture-tourism", "counties"] {
            let rows = json_of(
                &run(
                    as_of,
                    "en",
                    "json",
                    &["report", "by-department", "--unit", unit],
                ),
                unit,
            );
            assert!(!rows.is_empty());
            check_rows(&rows, unit);
        }

        let rows = json_of(
            &run(as_of, "en", "json", &["report", "by-department"]),
            "by-department",
        );
        for r in &rows {
            let n = r["item_count"].as_u64().unwrap();
            let lights: u64 = ["green", "yellow", "red"]
                .iter()
                .map(|l| r[*l].as_u64().unwrap())
                .sum();
            assert_eq!(n, lights, "every item has one light: {r}");
            assert_eq!(
                r["overdue_ids"].as_array().unwrap().len() as u64,
                r["red"].as_u64().unwrap(),
                "red means overdue: {r}"
            );
        }
    }
}

/// Keys and standings are the same words in every language; only reasons are translated.
#[test]
fn json_keys_and_values_do_not_depend_on_the_language() {
    for args in [
        &["report", "by-target"][..],
        &["report", "overdue"],
        &["report", "by-department", "--unit", "agri"],
    ] {
        let strip = |lang: &str| {
            let mut rows = json_of(&run("2026-01-31", lang, "json", args), lang);
            for r in &mut rows {
                r.as_object_mut().unwrap().remove("reason");
            }
            rows
        };
        assert_eq!(strip("en"), strip("zh"), "{args:?}");
    }
}

#[test]
fn reports_are_deterministic() {
    let cases: &[&[&str]] = &[
        &["report", "overdue"],
        &["report", "by-department"],
        &["report", "by-department", "--unit", "agri"],
        &["report", "by-target"],
        &["history"],
        &["show", "T-toilet"],
    ];
    for args in cases {
        for format in ["table", "markdown", "csv", "json"] {
            let first = run("2021-01-31", "zh", format, args);
            let second = run("2021-01-31", "zh", format, args);
            ok(&first, "first run");
            assert_eq!(
                first.stdout.as_bytes(),
                second.stdout.as_bytes(),
                "{args:?} {format}"
            );
        }
    }
    // The same entries recorded again into a new ledger give the same reports.
    let dir = tempfile::tempdir().expect("temp dir");
    let db = fixture::build(dir.path());
    for args in cases {
        let a = run("2026-01-31", "en", "json", args);
        let b = run_on(&shipped_plan(), &db, "2026-01-31", "en", "json", args);
        assert_eq!(a.stdout, b.stdout, "{args:?}");
    }
}

/// Reading a report never writes the ledger.
#[test]
fn reports_do_not_change_the_ledger() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = fixture::build(dir.path());
    let before = std::fs::read(&db).unwrap();
    for args in [
        &["report", "overdue"][..],
        &["report", "by-target"],
        &["report", "by-department"],
        &["history"],
    ] {
        ok(
            &run_on(&shipped_plan(), &db, "2026-01-31", "en", "json", args),
            "report",
        );
    }
    assert!(std::fs::read(&db).unwrap() == before);
}
