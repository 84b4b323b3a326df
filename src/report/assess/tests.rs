//! Unit tests of the assessment on the minimal example plan, with ledger facts made by hand.

use super::*;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// `examples/plans/minimal.toml`: quarterly reporting, issued 2021-03-01; agri, health and
/// counties share M01 and T-toilet (due 2022-12-31); agri alone owns MS-toilet-survey (due
/// 2021-06-30).
fn minimal() -> Plan {
    crate::plan::example("minimal")
}

/// The minimal plan with M01's units jointly responsible (no lead): each is charged fully.
fn joint() -> Plan {
    let mut plan = minimal();
    plan.measures
        .iter_mut()
        .for_each(|m| m.lead = Box::default());
    plan.targets
        .iter_mut()
        .for_each(|t| t.lead = Box::default());
    plan.milestones
        .iter_mut()
        .for_each(|m| m.lead = Box::default());
    plan
}

fn entry(item: &str, date: &str, reading: Reading, unit: &str) -> Entry {
    Entry {
        id: 0,
        item: item.into(),
        date: day(date),
        reading,
        note: String::new(),
        unit: Some(unit.into()),
        recorded_at: String::new(),
        supersedes: None,
        superseded_by: None,
        plan_fingerprint: String::new(),
    }
}

/// The ledger's snapshot at the end of `period` as if it held `entries`.
fn facts(plan: &Plan, period: Period, entries: &[Entry]) -> Snapshot {
    Snapshot::from_entries(plan, period.end, entries.to_vec())
}

#[test]
fn periods_stop_at_the_as_of_date() {
    let p = Period::new(2021, day("2021-06-30")).unwrap();
    assert_eq!((p.start, p.end), (day("2021-01-01"), day("2021-06-30")));
    assert!(!p.is_complete());
    assert_eq!(p.title(Lang::En), "Assessment 2021 (to 2021-06-30)");
    let whole = Period::new(2020, day("2021-06-30")).unwrap();
    assert!(whole.is_complete());
    assert_eq!(whole.title(Lang::Zh), "2020年度考核");
    assert_eq!(Period::new(2022, day("2021-06-30")), None);
}

#[test]
fn cycles_follow_the_calendar_and_the_plan_dates() {
    let mut plan = minimal();
    let labels = |plan: &Plan, as_of: &str| -> Vec<String> {
        let period = Period::new(2021, day(as_of)).unwrap();
        cycles(&plan.meta, &period)
            .into_iter()
            .map(|c| c.label)
            .collect()
    };
    // Issued 2021-03-01: Q1 began before the plan and is owed by nobody; Q3 has not ended.
    assert_eq!(labels(&plan, "2021-09-29"), ["2021-Q2"]);
    assert_eq!(labels(&plan, "2021-09-30"), ["2021-Q2", "2021-Q3"]);
    plan.meta.reporting_cycle = Cycle::Monthly;
    assert_eq!(labels(&plan, "2021-04-30"), ["2021-03", "2021-04"]);
    plan.meta.reporting_cycle = Cycle::HalfYearly;
    assert_eq!(labels(&plan, "2021-12-31"), ["2021-H2"]);
    plan.meta.reporting_cycle = Cycle::Yearly;
    assert_eq!(labels(&plan, "2021-12-31"), Vec::<String>::new());
    let whole = |y| Period::new(y, day("2022-12-31")).unwrap();
    let c = &cycles(&plan.meta, &whole(2022))[0];
    assert_eq!((c.start, c.end), (day("2022-01-01"), day("2022-12-31")));
}

#[test]
fn scores_add_up_point_by_point() {
    let plan = joint();
    let period = Period::new(2021, day("2021-12-31")).unwrap();
    let facts = facts(
        &plan,
        period,
        &[
            entry(
                "MS-toilet-survey",
                "2021-06-30",
                Reading::Status(Status::Done),
                "agri",
            ),
            entry("T-toilet", "2021-08-15", Reading::Value(78.0), "health"),
            entry(
                "M01",
                "2021-11-30",
                Reading::Status(Status::InProgress),
                "counties",
            ),
        ],
    );
    let a = Assess::compute(&plan, &facts, period, None);
    let ids: Vec<&str> = a.scores.iter().map(|s| s.unit.id.as_str()).collect();
    // The supervisor (dukaoban) owns no item and is not assessed anyway.
    assert_eq!(ids, ["agri", "health", "counties"]);
    let agri = a.score_of(&UnitId::from("agri")).unwrap();
    // 100 + 1 (Q2) - 2 × 2 (Q3, Q4) + 5 (MS-toilet-survey by 2021-06-30) = 102; Q1 began
    // before the plan was issued.
    assert_eq!(shown(agri.total), 102.0);
    assert_eq!(
        (agri.reported, agri.missed, agri.met_on_time, agri.overdue),
        (1, 2, 1, 0)
    );
    assert_eq!(
        agri.points.iter().map(|p| p.cents).sum::<Cents>(),
        agri.total
    );
    assert_eq!(
        agri.points[4].cause,
        Cause::MetOnTime {
            item: &ItemId("MS-toilet-survey".into()),
            title: "完成全市农村厕所摸底调查",
            due: day("2021-06-30"),
        }
    );
    assert_eq!(agri.points[1].cause.text(Lang::En), "reported in 2021-Q2");
    assert_eq!(agri.points[2].cause.text(Lang::Zh), "2021-Q3 未报送");
    // health and counties each reported once: 100 + 1 - 4 = 97, sharing rank 2.
    let ranks: Vec<(usize, f64)> = a.scores.iter().map(|s| (s.rank, shown(s.total))).collect();
    assert_eq!(ranks, [(1, 102.0), (2, 97.0), (2, 97.0)]);
    // Scored on two cores, every unit's score is the same, in the same order.
    let end = Judged::new(&plan, &facts);
    let cycles = cycles(&plan.meta, &period);
    let each = |two_cores| -> Vec<(String, Cents, Vec<Point>)> {
        scores(&plan, &end, &period, &cycles, two_cores)
            .into_iter()
            .map(|s| (s.unit.id.to_string(), s.total, s.points))
            .collect()
    };
    assert_eq!(each(true), each(false));
    assert_eq!(each(true).len(), 3);
}

#[test]
fn overdue_items_cost_every_responsible_unit() {
    let mut plan = joint();
    plan.assessment = Assessment {
        base: 60.0,
        reported_cycle: 0.5,
        missed_cycle: 1.5,
        met_on_time: 4.0,
        overdue: 2.5,
        met_late: 1.0,
        cooperating_share: 0.0,
        joint_in_full: true,
    };
    // T-toilet, due 2022-12-31, at 80 % on 2022-11-30: charged in 2022, the year of its
    // deadline, to every unit responsible for it.
    let period = Period::new(2022, day("2023-06-30")).unwrap();
    let facts = facts(
        &plan,
        period,
        &[entry(
            "T-toilet",
            "2022-11-30",
            Reading::Value(80.0),
            "counties",
        )],
    );
    let a = Assess::compute(&plan, &facts, period, None);
    let rows: Vec<(&str, usize, f64, usize)> = a
        .scores
        .iter()
        .map(|s| (s.unit.id.as_str(), s.rank, shown(s.total), s.overdue))
        .collect();
    // counties reported in Q4: 60 + 0.5 - 3 × 1.5 - 2.5 = 53.5; agri and health reported in no
    // quarter: 60 - 4 × 1.5 - 2.5 = 51.5. MS-toilet-survey (due 2021) was charged in 2021.
    assert_eq!(
        rows,
        [
            ("counties", 1, 53.5, 1),
            ("agri", 2, 51.5, 1),
            ("health", 2, 51.5, 1)
        ]
    );
    for s in &a.scores {
        let last = s.points.last().unwrap();
        assert_eq!(last.cents, -250);
        assert_eq!(
            last.cause.text(Lang::En),
            "T-toilet overdue since 2023-01-01"
        );
    }
    let agri = a.score_of(&UnitId::from("agri")).unwrap();
    assert!(
        agri.points
            .iter()
            .any(|p| p.cents == 0 && p.cause.rule() == "carried_over"),
        "MS-toilet-survey is listed as carried over"
    );
    // The next year lists T-toilet as carried over, and charges nothing for it.
    let period = Period::new(2023, day("2023-06-30")).unwrap();
    let a = Assess::compute(&plan, &facts, period, None);
    assert!(a.scores.iter().all(|s| s.overdue == 0));
}

/// With a lead, the lead is charged and credited; a unit that only cooperates is neither
/// charged nor chased for missed cycles, and is not ranked.
#[test]
fn the_lead_is_charged_and_cooperating_units_are_not() {
    let plan = minimal();
    let period = Period::new(2022, day("2023-06-30")).unwrap();
    let facts = facts(
        &plan,
        period,
        &[entry(
            "T-toilet",
            "2022-11-30",
            Reading::Value(80.0),
            "agri",
        )],
    );
    let a = Assess::compute(&plan, &facts, period, None);
    let rows: Vec<(&str, usize)> = a
        .scores
        .iter()
        .map(|s| (s.unit.id.as_str(), s.overdue))
        .collect();
    assert_eq!(rows, [("agri", 1)]);
}

/// Units jointly responsible share an item's points equally by default: T-toilet overdue (3
/// points) costs each of its three joint units 1.
#[test]
fn joint_units_share_an_items_points_equally() {
    let plan = joint();
    let period = Period::new(2022, day("2023-06-30")).unwrap();
    let facts = facts(
        &plan,
        period,
        &[entry(
            "T-toilet",
            "2022-11-30",
            Reading::Value(80.0),
            "agri",
        )],
    );
    let a = Assess::compute(&plan, &facts, period, None);
    for s in &a.scores {
        let overdue: Vec<Cents> = s
            .points
            .iter()
            .filter(|p| matches!(p.cause, Cause::Overdue { .. }))
            .map(|p| p.cents)
            .collect();
        assert_eq!(overdue, [-100], "{}", s.unit.id);
    }
}
