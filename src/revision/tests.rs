//! Unit tests of the plan diff: small edits of one base plan, each change checked in words.

use std::path::Path;

use super::*;
use crate::i18n::Lang;
use crate::model::Plan;

const BASE: &str = r#"
[plan]
id = "p"
title = "示例工作方案"
issuer = "市人民政府"
issued = 2021-03-01
horizon = 2023-12-31
reporting_cycle = "quarterly"

[[section]]
id = "S1"
number = "一"
title = "改善农村人居环境"

[[measure]]
id = "M01"
section = "S1"
number = "1"
title = "推进厕所革命"
text = "推进农村厕所改造工程,确保无害化卫生厕所普及率在2022年底前达到90%以上。"
units = ["agri", "health"]

[[target]]
id = "T-toilet"
measure = "M01"
metric = "农村无害化卫生厕所普及率"
unit = "%"
comparator = "at_least"
value = 90
due = 2022-12-31
quote = "确保无害化卫生厕所普及率在2022年底前达到90%以上"

[[milestone]]
id = "MS-survey"
measure = "M01"
title = "完成全市农村厕所摸底调查"
due = 2021-06-30
units = ["agri"]

[[unit]]
id = "agri"
name = "市农业农村局"
kind = "department"

[[unit]]
id = "health"
name = "市卫生健康委"
kind = "department"
"#;

fn plan(text: &str) -> Plan {
    crate::plan::load_bytes("t.toml", text.as_bytes(), Path::new("t.toml"), None)
        .unwrap_or_else(|e| panic!("{e}"))
        .plan
}

/// Each change as `kind id: summary`.
fn lines(old: &str, new: &str) -> Vec<String> {
    diff(&plan(old), &plan(new))
        .iter()
        .map(|d| format!("{} {}: {}", d.part, d.id, d.describe(Lang::En)))
        .collect()
}

#[test]
fn the_same_plan_has_no_changes() {
    assert!(lines(BASE, BASE).is_empty());
}

#[test]
fn a_target_value_and_deadline_show_as_old_to_new() {
    let new = BASE
        .replace("value = 90", "value = 95")
        .replace("due = 2022-12-31", "due = 2023-06-30");
    assert_eq!(
        lines(BASE, &new),
        ["target T-toilet: target 90 % → 95 %, deadline 2022-12-31 → 2023-06-30"]
    );
}

#[test]
fn comparator_tolerance_and_a_deadline_left_to_the_horizon() {
    let new = BASE
        .replace(
            "comparator = \"at_least\"",
            "comparator = \"about\"\ntolerance = 2",
        )
        .replace("due = 2022-12-31\n", "");
    assert_eq!(
        lines(BASE, &new),
        [
            "target T-toilet: comparator at_least → about, tolerance (none) → 2 %, deadline 2022-12-31 → (plan horizon)"
        ]
    );
}

#[test]
fn a_rename_through_previous_ids_is_not_a_removal() {
    let new = BASE.replace(
        "id = \"T-toilet\"\n",
        "id = \"T-sanitary\"\nprevious_ids = [\"T-toilet\"]\n",
    );
    assert_eq!(
        lines(BASE, &new),
        ["target T-sanitary: renamed from T-toilet"]
    );
    let changed = new.replace("value = 90", "value = 92");
    assert_eq!(
        lines(BASE, &changed),
        ["target T-sanitary: renamed from T-toilet; target 90 % → 92 %"]
    );
}

#[test]
fn two_items_merged_into_one() {
    let old = BASE.replace(
        "[[unit]]\nid = \"agri\"",
        "[[milestone]]\nid = \"MS-plan\"\nmeasure = \"M01\"\ntitle = \"编制方案\"\n\n[[unit]]\nid = \"agri\"",
    );
    let new = BASE.replace(
        "id = \"MS-survey\"\n",
        "id = \"MS-prep\"\nprevious_ids = [\"MS-survey\", \"MS-plan\"]\n",
    );
    assert_eq!(
        lines(&old, &new),
        [
            "milestone MS-prep: renamed from MS-survey",
            "milestone MS-plan: removed: now a former id of MS-prep",
        ]
    );
}

#[test]
fn parts_added_and_removed() {
    let new = BASE
        .replace(
            "[[unit]]\nid = \"health\"\nname = \"市卫生健康委\"\nkind = \"department\"\n",
            "[[unit]]\nid = \"water\"\nname = \"市水利局\"\nkind = \"department\"\n",
        )
        .replace("units = [\"agri\", \"health\"]", "units = [\"agri\", \"water\"]")
        .replace(
            "[[milestone]]\nid = \"MS-survey\"",
            "[[section]]\nid = \"S2\"\nnumber = \"二\"\ntitle = \"新章节\"\n\n[[milestone]]\nid = \"MS-new\"",
        );
    assert_eq!(
        lines(BASE, &new),
        [
            "section S2: added: 二 新章节",
            "measure M01: units +water −health",
            "milestone MS-new: added: 完成全市农村厕所摸底调查",
            "milestone MS-survey: removed: 完成全市农村厕所摸底调查",
            "unit water: added: 市水利局",
            "unit health: removed: 市卫生健康委",
        ]
    );
}

#[test]
fn responsibility_changes() {
    // A unit added to the measure is reported once, not again for the target that inherits it;
    // the milestone's own units and the lead are its own facts.
    let new = BASE
        .replace(
            "units = [\"agri\", \"health\"]",
            "units = [\"agri\", \"health\", \"water\"]\nlead = [\"agri\"]",
        )
        .replace("units = [\"agri\"]\n", "units = [\"health\"]\n")
        .replace(
            "[[unit]]\nid = \"agri\"",
            "[[unit]]\nid = \"water\"\nname = \"市水利局\"\nkind = \"department\"\n\n[[unit]]\nid = \"agri\"",
        );
    assert_eq!(
        lines(BASE, &new),
        [
            "measure M01: units +water, lead +agri",
            "milestone MS-survey: units +health −agri",
            "unit water: added: 市水利局",
        ]
    );
    let own = BASE.replace(
        "quote = \"确保无害化卫生厕所普及率在2022年底前达到90%以上\"\n",
        "quote = \"确保无害化卫生厕所普及率在2022年底前达到90%以上\"\nunits = [\"health\"]\n",
    );
    assert_eq!(
        lines(BASE, &own),
        ["target T-toilet: units (the measure's units) → health"]
    );
}

#[test]
fn text_changes_are_summarized() {
    let new = BASE.replace("在2022年底前达到90%以上。", "在2022年底前达到95%以上。");
    assert_eq!(
        lines(BASE, &new),
        [
            "measure M01: text changed (+1/−1 characters): “…年底前达到90%以上。” → “…年底前达到95%以上。”"
        ]
    );
    let long = "新的措施原文".repeat(10);
    let new = BASE.replace(
        "推进农村厕所改造工程,确保无害化卫生厕所普及率在2022年底前达到90%以上。",
        &long,
    );
    assert_eq!(
        lines(BASE, &new),
        ["measure M01: text changed (+60/−39 characters)"]
    );
}

#[test]
fn plan_settings_are_compared() {
    let new = BASE.replace("horizon = 2023-12-31", "horizon = 2024-12-31");
    assert_eq!(
        lines(BASE, &new),
        ["plan p: horizon 2023-12-31 → 2024-12-31"]
    );
}

#[test]
fn the_definition_of_a_target() {
    let old = plan(BASE);
    let new = plan(
        &BASE
            .replace("value = 90", "value = 95")
            .replace("metric = \"农村", "metric = \"全市农村"),
    );
    let (o, n) = (old.item("T-toilet").unwrap(), new.item("T-toilet").unwrap());
    let changes = definition_changes(&old, o, &new, n);
    let keys: Vec<&str> = changes.iter().map(|c| c.key).collect();
    assert_eq!(
        keys,
        ["value"],
        "the metric's wording is not the definition"
    );
}

#[test]
fn plan_text_is_sorted_and_ignores_table_order() {
    let text = plan_text(&plan(BASE));
    assert!(text.contains("target T-toilet: value = 90 %\n"), "{text}");
    assert!(
        text.contains("measure M01: units = agri, health\n"),
        "{text}"
    );
    // By kind of part in reading order, then by id.
    let subjects: Vec<&str> = text.lines().filter_map(|l| l.split(':').next()).collect();
    let position = |s: &str| subjects.iter().position(|x| *x == s).unwrap();
    assert!(position("plan p") < position("section S1"));
    assert!(position("target T-toilet") < position("milestone MS-survey"));
    assert!(position("unit agri") < position("unit health"));
    // The two units swapped in the file: the same text.
    let swapped = BASE.replace(
        "[[unit]]\nid = \"agri\"\nname = \"市农业农村局\"\nkind = \"department\"\n\n[[unit]]\nid = \"health\"\nname = \"市卫生健康委\"\nkind = \"department\"\n",
        "[[unit]]\nid = \"health\"\nname = \"市卫生健康委\"\nkind = \"department\"\n\n[[unit]]\nid = \"agri\"\nname = \"市农业农村局\"\nkind = \"department\"\n",
    );
    assert_ne!(swapped, BASE);
    assert_eq!(plan_text(&plan(&swapped)), text);
}

#[test]
fn numbers_show_as_written() {
    let new = BASE.replace("value = 90", "value = 90.001");
    assert_eq!(
        lines(BASE, &new),
        ["target T-toilet: target 90 % → 90.001 %"]
    );
}
