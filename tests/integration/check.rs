//! `plantrack check` against the corpus of plan files in `tests/fixtures`: every invalid file
//! breaks one rule, exits 1 and says so at `file:line:col`; every valid file passes. Each
//! transcript is pinned by a snapshot, so the snapshot diff is the review of a message change.
//!
//! Plans are passed as paths relative to the repository root, the working directory of every
//! case, so that the paths in the messages (and the snapshots) do not depend on the checkout.

use std::path::Path;

use crate::support::{Case, Output, repo};

const INVALID: &str = "tests/fixtures/invalid";
const VALID: &str = "tests/fixtures/valid";

/// `plantrack --plan <rel> check`, from the repository root.
fn check(rel: &str) -> Output {
    Case::new(&["--plan", rel, "check"]).plan(rel).run()
}

/// The `*.toml` files in a fixture directory, by file stem, sorted.
fn fixtures(dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join(dir))
        .unwrap_or_else(|e| panic!("read {dir}: {e}"))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Whether `line` starts with `<rel>:<line>:<col>: error: `.
fn is_located_error(line: &str, rel: &str) -> bool {
    let Some(rest) = line.strip_prefix(rel).and_then(|r| r.strip_prefix(':')) else {
        return false;
    };
    let mut parts = rest.splitn(3, ':');
    let number =
        |p: Option<&str>| p.is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    number(parts.next())
        && number(parts.next())
        && parts.next().is_some_and(|m| m.starts_with(" error: "))
}

/// Checks one invalid fixture: exit 1, nothing on stdout, every error located, the rule's
/// essential words present, and the whole transcript as a snapshot.
fn invalid(name: &str, expected: &str) {
    let rel = format!("{INVALID}/{name}.toml");
    let out = check(&rel);
    let transcript = out.transcript();
    assert_eq!(out.code, 1, "{rel} must be rejected:\n{transcript}");
    assert!(
        out.stdout.is_empty(),
        "{rel}: nothing on stdout:\n{transcript}"
    );
    assert!(out.stderr.contains("error:"), "{rel}:\n{transcript}");
    // A CRLF file must not leak its carriage returns into the quoted lines.
    assert!(
        !out.stderr.contains('\r'),
        "{rel}: a CR in:\n{transcript:?}"
    );
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert!(!errors.is_empty(), "{rel}: no error line:\n{transcript}");
    for line in &errors {
        assert!(
            is_located_error(line, &rel),
            "{rel}: an error without its file:line:col: {line}"
        );
    }
    assert!(
        out.stderr.contains(expected),
        "{rel}: expected {expected:?} in:\n{transcript}"
    );
    insta::assert_snapshot!(format!("invalid_{name}"), transcript);
}

/// One test per invalid fixture, named after the rule it breaks, with the words its message
/// must contain. `every_fixture_has_a_test` keeps this list and the directory in step.
macro_rules! invalid {
    ($($name:ident => $expected:expr,)*) => {
        $(
            #[test]
            fn $name() {
                invalid(stringify!($name), $expected);
            }
        )*
        const INVALID_CASES: &[&str] = &[$(stringify!($name)),*];
    };
}

invalid! {
    syntax => "TOML syntax: key with no value, expected `=`",
    not_utf8 => "not valid UTF-8 (byte 0xC0); save it as UTF-8",
    bom_crlf_unknown_unit => "bom_crlf_unknown_unit.toml:25:18: error: measure M01: unknown unit \"helth\"",
    missing_plan_table => "missing the [plan] table",
    plan_as_array => "`plan` must be a table: write [plan]",
    single_bracket_table => "`measure` must be an array of tables: write [[measure]], not [measure]",
    unknown_table => "unknown table `measures` (did you mean \"measure\"?)",
    unknown_key => "plan minimal: unknown key `titel` (did you mean \"title\"?)",
    missing_field => "target T-toilet: missing required field `metric`",
    empty_field => "milestone MS-toilet-survey: `title` must not be empty",
    wrong_type => "measure M01: `number` must be a string, found integer",
    units_not_strings => "measure M01: `units` must be an array of strings, found integer",
    id_with_space => "milestone \"MS toilet survey\": an id must not contain spaces",
    duplicate_id => "milestone T-toilet: duplicate id \"T-toilet\" (first defined on line 28)",
    previous_id_reused => "measure M01: id \"M01\" is also listed as a former id (previous_ids) of milestone MS-toilet-survey",
    unknown_unit => "measure M01: unknown unit \"helth\" (did you mean \"health\"?)",
    unit_by_name => "milestone MS-toilet-survey: unknown unit \"市农业农村局\" (write its id: \"agri\")",
    unknown_supervisor => "plan minimal: unknown unit \"dukaoba\" (did you mean \"dukaoban\"?)",
    unknown_section => "measure M01: unknown section \"s1\" (did you mean \"S1\"?)",
    unknown_measure => "target T-toilet: unknown measure \"M1\" (did you mean \"M01\"?)",
    lead_not_in_units => "measure M01: lead unit \"health\" is not among its responsible units",
    unknown_cycle => "plan minimal: unknown reporting_cycle \"quartely\" (did you mean \"quarterly\"?)",
    unknown_kind => "unit agri: unknown kind \"departement\" (did you mean \"department\"?)",
    impossible_date => "milestone MS-toilet-survey: `due` is not a real date: 2021-02-30 (2021-02 has 28 days)",
    date_as_string => "milestone MS-toilet-survey: `due` must be a date such as 2020-12-31, found string (write it unquoted: due = 2021-06-30)",
    date_with_time => "milestone MS-toilet-survey: `due` must be a date without a time",
    horizon_before_issue => "plan minimal: horizon 2020-12-31 is before the issue date 2021-03-01",
    due_before_issue => "milestone MS-toilet-survey: deadline 2020-06-30 is before the plan was issued (2021-03-01)",
    baseline_after_due => "target T-toilet: the baseline date 2023-01-01 is after the deadline 2022-12-31",
    bad_comparator => "target T-toilet: unknown comparator \"atleast\" (did you mean \"at_least\"?)",
    non_numeric_value => "target T-toilet: `value` must be a number, found string",
    negative_value => "target T-toilet: `value` must not be negative, found -90",
    percent_over_100 => "target T-toilet: a percentage must lie in 0–100, found 900",
    about_without_tolerance => "target T-toilet: comparator \"about\" needs a `tolerance`",
    tolerance_without_about => "target T-toilet: `tolerance` applies only to comparator \"about\", not \"at_least\"",
    source_missing => "source: cannot read tests/fixtures/invalid/no-such-source.txt",
    source_fix_not_found => "source fix: \"厕所革明\" does not occur in the source document",
    quote_not_in_source => "target T-toilet: text not found verbatim in the source document; the first 23 characters match, then it differs at \"5%以上\"",
    multiple_errors => "5 errors in the plan",
    deadline_after_horizon => "milestone MS-toilet-survey: deadline 2024-06-30 is after the plan horizon 2023-12-31",
    plan_id_outside_charset => "plan: id \"../escaped\" may hold only a–z, 0–9 and -",
    duplicate_unit_in_list => "measure M01: \"agri\" is listed twice in `units`",
    former_id_claimed_twice => "milestone MS-toilet-survey: former id \"T-old\" is already claimed by target T-toilet",
    former_id_is_a_unit => "target T-toilet: former id \"agri\" is the id of a unit or a section",
    percent_spelled_fullwidth => "target T-toilet: write the percentage unit as unit = \"%\", not \"％\"",
    baseline_outside_range => "target T-toilet: the baseline value 170 lies outside what the metric allows",
    baseline_after_horizon => "target T-toilet: the baseline date 2024-01-01 is after the plan horizon 2023-12-31",
    empty_quote => "milestone MS-toilet-survey: `quote` must not be empty",
    quote_not_in_its_measure => "target T-toilet: the quote is not part of its measure M01's text",
    missing_measure_exists => "plan: missing_measures lists \"1\", but M01 has that number",
    duplicate_measure_number => "measure M02: measure number 1 is already used by M01 in the same section",
    control_character => "milestone MS-toilet-survey: `title` holds the control character \\u{1b}",
    value_not_in_quote => "target T-toilet: the quote does not state 95 %",
    unit_renamed => "unit agri: neither its name \"市农业局\" nor an alias occurs in the source document",
    full_width_quotes => "the line holds full-width punctuation, which TOML reads only in ASCII: “ → \", ” → \"",
    chinese_date => "write 2021-06-30 (a TOML date is YYYY-MM-DD)",
    chinese_year_end => "(write due = 2022-12-31, unquoted; 年底 means 12-31)",
    lead_by_duty_without_note => "measure M01: a lead by duty is an interpretation: add a `note` saying why",
    no_responsible_unit => "measure M01: no responsible unit: give `units` here, on its section, or on [plan]",
}

#[test]
fn every_fixture_has_a_test() {
    let mut cases: Vec<&str> = INVALID_CASES.to_vec();
    cases.sort();
    assert_eq!(
        fixtures(INVALID),
        cases,
        "tests/fixtures/invalid and the invalid! list differ"
    );
    assert!(cases.len() >= 18);
}

/// One `check` run reports every problem in the file, not just the first: the impossible date,
/// which the TOML parser itself rejects, does not hide the others.
#[test]
fn multiple_errors_are_reported_in_one_run() {
    let rel = format!("{INVALID}/multiple_errors.toml");
    let out = check(&rel);
    assert_eq!(out.code, 1);
    let expected = [
        (10, "unknown key `titel`"),
        (29, "unknown unit \"helth\""),
        (36, "unknown comparator \"atleast\""),
        (43, "duplicate id \"T-toilet\""),
        (46, "`due` is not a real date"),
    ];
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(errors.len(), expected.len(), "{}", out.stderr);
    for ((line, words), error) in expected.iter().zip(&errors) {
        assert!(
            error.starts_with(&format!("{rel}:{line}:")) && error.contains(words),
            "expected line {line} with {words:?}, found: {error}"
        );
    }
}

/// Every valid fixture passes, including those other tests use as their plan.
#[test]
fn valid_fixtures_pass() {
    for name in fixtures(VALID) {
        let rel = format!("{VALID}/{name}.toml");
        let out = check(&rel);
        assert_eq!(out.code, 0, "{rel}:\n{}", out.transcript());
        assert!(
            out.stdout.starts_with(&format!("{rel}: ok: ")),
            "{rel}:\n{}",
            out.transcript()
        );
    }
}

/// A file saved by WPS or Excel, with a byte-order mark and CRLF line endings, is accepted.
#[test]
fn bom_and_crlf_are_accepted() {
    let rel = format!("{VALID}/bom_crlf.toml");
    let bytes = std::fs::read(repo().join(&rel)).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "the fixture lost its BOM"
    );
    assert!(
        bytes.windows(2).any(|w| w == b"\r\n"),
        "the fixture lost its CRLF line endings"
    );
    let out = check(&rel);
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(out.stderr.is_empty(), "{}", out.transcript());
    insta::assert_snapshot!("valid_bom_crlf", out.transcript());
}

/// The GBK fixture must stay invalid UTF-8, or `not_utf8` tests nothing.
#[test]
fn not_utf8_fixture_is_not_utf8() {
    let bytes = std::fs::read(repo().join(INVALID).join("not_utf8.toml")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err());
}

/// The shipped plan holds exactly what the encoded source has.
#[test]
fn shipped_plan_counts() {
    let out = check("plan/regional.toml");
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert_eq!(
        out.stdout,
        "plan/regional.toml: ok: 7 sections, 20 measures, 8 targets, 37 milestones, 30 units\n"
    );
    assert!(out.stderr.is_empty(), "{}", out.transcript());
}

/// Other commands refuse an invalid plan too, with exit 1, and point to `check`.
#[test]
fn other_commands_refuse_an_invalid_plan() {
    let rel = format!("{INVALID}/unknown_unit.toml");
    let out = Case::new(&["--plan", &rel, "list", "targets"])
        .plan(&rel)
        .run();
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(out.stdout.is_empty(), "{}", out.transcript());
    assert!(
        out.stderr.contains("unknown unit \"helth\""),
        "{}",
        out.transcript()
    );
    assert!(
        out.stderr
            .trim_end()
            .ends_with("1 error in the plan; run `plantrack check` to see them"),
        "{}",
        out.transcript()
    );
}

#[test]
fn a_missing_plan_file_is_an_error() {
    let rel = "tests/fixtures/no-such-plan.toml";
    assert!(!Path::new(&repo().join(rel)).exists());
    let out = check(rel);
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stderr
            .starts_with(&format!("{rel}:1:1: error: cannot read the plan: ")),
        "{}",
        out.transcript()
    );
}

/// The shipped plan, edited the ways a careless edit would: each is refused at its location.
#[test]
fn the_shipped_plan_ties_values_and_names_to_its_source() {
    let original = std::fs::read_to_string(repo().join("plan/regional.toml")).unwrap();
    let toilet = original.find("id = \"T-toilet\"").unwrap();
    let value = toilet + original[toilet..].find("value = 90").unwrap();
    let mut raised = original.clone();
    raised.replace_range(value..value + 10, "value = 95");
    let no_units: String = original
        .lines()
        .filter(|l| !l.starts_with("units = "))
        .map(|l| format!("{l}\n"))
        .collect();
    let cases = [
        (raised, "target T-toilet: the quote does not state 95 %"),
        (
            original.replace("name = \"市农业农村局\"", "name = \"市农业局\""),
            "unit agri: neither its name \"市农业局\" nor an alias occurs in the source document",
        ),
        (no_units, "measure M01: no responsible unit"),
    ];
    for (text, says) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(
            repo().join("plan/regional.source.txt"),
            dir.path().join("regional.source.txt"),
        )
        .unwrap();
        let plan = dir.path().join("regional.toml");
        std::fs::write(&plan, text).unwrap();
        let out = Case::new(&["check"]).plan(&plan).run();
        assert_eq!(out.code, 1, "{says}: {}", out.transcript());
        let line = out
            .stderr
            .lines()
            .find(|l| l.contains(says))
            .unwrap_or_else(|| panic!("{says}: {}", out.stderr));
        assert!(
            is_located_error(line, &plan.display().to_string()),
            "{line}"
        );
    }
}

/// With stderr closed (`2>&-`), a failed check still exits 1: no panic's 101.
#[test]
fn a_closed_stderr_does_not_turn_an_error_into_a_panic() {
    let bin = assert_cmd::cargo::cargo_bin("plantrack");
    let plan = repo().join(INVALID).join("syntax.toml");
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' check --plan '{}' 2>&-",
            bin.display(),
            plan.display()
        ))
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
}

/// The diagnostic lines of a transcript: `file:line:col: label: message`, as (place, label,
/// message).
fn diagnostics(stderr: &str) -> Vec<(String, String, String)> {
    stderr
        .lines()
        .filter_map(|l| {
            let (place, rest) = l.split_once(": ")?;
            let (label, message) = rest.split_once(": ")?;
            (place.matches(':').count() == 2).then(|| (place.into(), label.into(), message.into()))
        })
        .collect()
}

fn is_chinese(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Under `--lang zh` every invalid fixture is refused at the same places as in English, each
/// problem labelled and said in Chinese, and the count of errors too. What comes from outside
/// plantrack stays as it is: the TOML parser's own words after 「TOML 语法错误」, and the
/// operating system's after 「无法读取」.
#[test]
fn check_speaks_chinese_under_lang_zh() {
    let english_words = [
        " must ", " the ", " is ", "unknown ", "missing ", " not ", "did you",
    ];
    for name in INVALID_CASES {
        let rel = format!("{INVALID}/{name}.toml");
        let en = check(&rel);
        let zh = Case::new(&["--lang", "zh", "--plan", &rel, "check"])
            .plan(&rel)
            .run();
        let transcript = zh.transcript();
        assert_eq!(zh.code, en.code, "{rel}:\n{transcript}");
        let (en_lines, zh_lines) = (diagnostics(&en.stderr), diagnostics(&zh.stderr));
        let places = |d: &[(String, String, String)]| d.iter().map(|x| x.0.clone()).collect();
        let (en_places, zh_places): (Vec<String>, Vec<String>) =
            (places(&en_lines), places(&zh_lines));
        assert_eq!(zh_places, en_places, "{rel}:\n{transcript}");
        for (_, label, message) in &zh_lines {
            assert!(label == "错误" || label == "警告", "{rel}: {label}");
            assert!(message.chars().any(is_chinese), "{rel}: {message}");
            let outside = message.starts_with("TOML 语法错误") || message.contains("(os error");
            if !outside {
                for word in english_words {
                    assert!(
                        !message.contains(word),
                        "{rel}: English {word:?} in: {message}"
                    );
                }
            }
        }
        let last = zh.stderr.trim_end().lines().last().unwrap_or_default();
        assert!(
            last.starts_with("方案中有 ") && last.ends_with(" 处错误"),
            "{rel}:\n{transcript}"
        );
    }
    let rel = format!("{INVALID}/multiple_errors.toml");
    let zh = Case::new(&["--lang", "zh", "--plan", &rel, "check"])
        .plan(&rel)
        .run();
    insta::assert_snapshot!("invalid_multiple_errors_zh", zh.transcript());
}

/// The line that sums up a plan that passes, and the JSON messages, in Chinese.
#[test]
fn the_check_line_and_json_are_chinese_under_lang_zh() {
    let out = Case::new(&["--lang", "zh", "--plan", "plan/regional.toml", "check"])
        .plan("plan/regional.toml")
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert_eq!(
        out.stdout,
        "plan/regional.toml:检查通过:7 个章节、20 项措施、8 项指标、37 个里程碑、30 个责任单位\n"
    );
    let rel = format!("{INVALID}/unknown_unit.toml");
    let out = Case::new(&["--lang", "zh", "--format", "json", "--plan", &rel, "check"])
        .plan(&rel)
        .run();
    assert_eq!(out.code, 1, "{}", out.transcript());
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let message = doc["rows"][0]["message"].as_str().unwrap_or_default();
    assert_eq!(
        message, "措施 M01:未知的责任单位“helth”(是否想输入“health”?)",
        "{}",
        out.stdout
    );
    // Other commands refuse the plan in Chinese too, pointing to check.
    let out = Case::new(&["--lang", "zh", "--plan", &rel, "list", "targets"])
        .plan(&rel)
        .run();
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(
        out.stderr.contains("方案中有 1 处错误;"),
        "{}",
        out.transcript()
    );
}
