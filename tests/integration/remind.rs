//! `plantrack remind`: golden snapshots of the reminder notices over the fixture ledger
//! (`fixture.rs`) at fixed dates in both languages and every text format, then explicit checks:
//! who is reminded (the units `report overdue` lists as not reporting, plus units with items
//! falling due within `--within` days), the exact wording of a notice, and usage errors.
//!
//! The dates: on 2020-12-15 T-toilet (due 2020-12-31, 88 % so far) falls due within 30 days
//! and agri last reported on 2020-10-31; on 2021-01-31 six units reported in January; on
//! 2023-01-31 nobody reported for a year and MS-goal-2022 (due 2022-12-31) is overdue.

use serde_json::Value;

use crate::fixture::run;
use crate::support::Output;

fn rows(out: &Output) -> Vec<Value> {
    assert_eq!(out.code, 0, "{}", out.transcript());
    crate::support::rows_of(&out.stdout)
}

fn notices(as_of: &str, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["remind"];
    all.extend_from_slice(args);
    rows(&run(as_of, "en", "json", &all))
}

fn notice_of<'a>(rows: &'a [Value], unit: &str) -> Option<&'a Value> {
    rows.iter().find(|r| r["unit"] == unit)
}

crate::fixture::golden! {
    remind_2020_12_15_table_en => "2020-12-15", "en", "table", ["remind"];
    remind_2020_12_15_table_zh => "2020-12-15", "zh", "table", ["remind"];
    remind_2020_12_15_markdown_zh => "2020-12-15", "zh", "markdown", ["remind"];
    remind_2020_12_15_csv_en => "2020-12-15", "en", "csv", ["remind"];
    remind_2020_12_15_json_en => "2020-12-15", "en", "json", ["remind"];
    remind_2020_12_15_json_zh => "2020-12-15", "zh", "json", ["remind"];
    remind_2021_01_31_table_en => "2021-01-31", "en", "table", ["remind"];
    remind_2021_01_31_json_en => "2021-01-31", "en", "json", ["remind"];
    remind_2023_01_31_markdown_zh => "2023-01-31", "zh", "markdown", ["remind", "--reply-by", "2023-02-10"];
    remind_2023_01_31_json_en => "2023-01-31", "en", "json", ["remind", "--reply-by", "2023-02-10"];
}

#[test]
fn the_notice_says_what_is_missing_and_what_is_due() {
    let zh = rows(&run(
        "2020-12-15",
        "zh",
        "json",
        &["remind", "--reply-by", "2020-12-20"],
    ));
    assert_eq!(
        notice_of(&zh, "agri").unwrap()["notice"],
        "【催办】市农业农村局:截至2020-12-15,本期未报送进展(最近报送:2020-10-31)。\
         以下事项将于30天内到期:T-toilet 农村无害化卫生厕所普及率(2020-12-31到期)。请于2020-12-20前报送。"
    );
    let en = notices("2020-12-15", &[]);
    let agri = notice_of(&en, "agri").unwrap();
    assert_eq!(
        agri["notice"],
        "[Reminder] 市农业农村局, as of 2020-12-15: no progress report this cycle (last report: \
         2020-10-31). Due within 30 days: T-toilet 农村无害化卫生厕所普及率 (due 2020-12-31). \
         Please report as soon as possible."
    );
    assert_eq!(agri["last_report"], "2020-10-31");
    assert_eq!(agri["reported_this_cycle"], false);
    assert_eq!(agri["due_soon"][0]["id"], "T-toilet");
    assert_eq!(agri["due_soon"][0]["due"], "2020-12-31");
    assert_eq!(agri["overdue"], Value::Array(vec![]));
    let never = notice_of(&en, "women").unwrap();
    assert!(
        never["notice"]
            .as_str()
            .unwrap()
            .contains("(never reported)"),
        "{never}"
    );
    assert_eq!(never["last_report"], Value::Null);
}

#[test]
fn overdue_items_are_named() {
    let rows = notices("2023-01-31", &[]);
    let hightech = notice_of(&rows, "zone-hightech").unwrap();
    assert_eq!(hightech["overdue"][0]["id"], "MS-goal-2022");
    assert!(
        hightech["notice"]
            .as_str()
            .unwrap()
            .contains("Overdue: MS-goal-2022 "),
        "{hightech}"
    );
}

#[test]
fn silent_units_are_those_report_overdue_lists() {
    for as_of in ["2020-11-30", "2020-12-15", "2021-01-31", "2023-01-31"] {
        let overdue = rows(&run(as_of, "en", "json", &["report", "overdue"]));
        let mut silent: Vec<&str> = overdue
            .iter()
            .filter(|r| r["type"] == "unreported_unit")
            .map(|r| r["unit"].as_str().unwrap())
            .collect();
        let reminded = notices(as_of, &[]);
        let mut not_reported: Vec<&str> = reminded
            .iter()
            .filter(|r| r["reported_this_cycle"] == false)
            .map(|r| r["unit"].as_str().unwrap())
            .collect();
        silent.sort();
        not_reported.sort();
        assert_eq!(silent, not_reported, "at {as_of}");
        // Whoever reported is reminded only of what falls due.
        for r in reminded.iter().filter(|r| r["reported_this_cycle"] == true) {
            assert!(!r["due_soon"].as_array().unwrap().is_empty(), "{r}");
        }
        assert!(
            notice_of(&reminded, "dukaoban").is_none(),
            "the supervisor owes nothing"
        );
    }
}

#[test]
fn within_widens_the_horizon() {
    // T-toilet is due 31 days after 2020-11-30: not within the default 30 days.
    let default = notices("2020-11-30", &[]);
    assert!(
        default
            .iter()
            .all(|r| r["due_soon"] == Value::Array(vec![]))
    );
    // counties reported (the correction of 2020-11-15), so only --within 31 brings it in.
    assert!(notice_of(&default, "counties").is_none());
    let wider = notices("2020-11-30", &["--within", "31"]);
    let counties = notice_of(&wider, "counties").expect("counties has T-toilet due");
    assert_eq!(counties["reported_this_cycle"], true);
    assert_eq!(counties["due_soon"][0]["id"], "T-toilet");
    assert!(
        counties["notice"].as_str().unwrap().starts_with(
            "[Reminder] 各县、区人民政府, as of 2020-11-30: Due within 31 days: T-toilet"
        ),
        "{counties}"
    );
}

#[test]
fn nobody_is_reminded_of_what_is_met() {
    // On 2020-12-25 T-toilet is met (92 % on 2020-12-20): due in 6 days, but nobody is asked.
    let rows = notices("2020-12-25", &[]);
    assert!(
        rows.iter().all(|r| r["due_soon"] == Value::Array(vec![])),
        "{rows:?}"
    );
    assert!(notice_of(&rows, "agri").is_none());
}

#[test]
fn a_reply_deadline_in_the_past_is_a_usage_error() {
    let out = run(
        "2021-01-31",
        "en",
        "table",
        &["remind", "--reply-by", "2021-01-30"],
    );
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(
        out.stderr
            .contains("--reply-by 2021-01-30 is before the as-of date 2021-01-31"),
        "{}",
        out.stderr
    );
}
