//! Plan edits through git (issue 5): `fmt` on every plan file we ship, `diff` between files and
//! git revisions with each kind of change and each kind of bad input, the textconv driver of
//! `plan/GIT.md`, renames that keep the ledger's history, orphaned entries in `check`, the plan
//! revisions in `show`, and targets changed since they were last reported.
//!
//! Each git case builds a small repository in a temporary folder and commits successive
//! versions of a plan, with the author and the dates pinned.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tempfile::TempDir;

use crate::examples::plans_under;
use crate::support::{Case, Output, repo as root, shipped_plan};

/// The minimal example plan: small, with no source document to carry along.
fn minimal() -> String {
    std::fs::read_to_string(root().join("examples/plans/minimal.toml")).expect("minimal plan")
}

/// `text` with `from` replaced by `to`, which must occur exactly once.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    text.replacen(from, to, 1)
}

/// A git repository in a temporary folder holding `plan/<name>`, with a ledger outside it.
struct Repo {
    dir: TempDir,
    ledger: TempDir,
    plan: PathBuf,
    commits: u32,
}

impl Repo {
    /// An empty repository that will hold `plan/<name>`.
    fn new(name: &str) -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().expect("temp dir"),
            ledger: tempfile::tempdir().expect("temp dir"),
            plan: PathBuf::from("plan").join(name),
            commits: 0,
        };
        std::fs::create_dir_all(repo.dir.path().join("plan")).expect("plan dir");
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    /// A repository with the minimal plan committed.
    fn minimal() -> Repo {
        let mut repo = Repo::new("minimal.toml");
        repo.write_plan(&minimal());
        repo.commit("Add the plan");
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn plan_text(&self) -> String {
        std::fs::read_to_string(self.path().join(&self.plan)).expect("read plan")
    }

    fn write_plan(&self, text: &str) {
        self.write(&self.plan.to_string_lossy(), text);
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.path().join(rel), text).expect("write");
    }

    fn git(&self, args: &[&str]) -> String {
        let n = self.commits + 1;
        let date = format!("2021-01-{n:02}T10:00:00+08:00");
        let out = Command::new("git")
            .current_dir(self.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Planning Officer")
            .env("GIT_AUTHOR_EMAIL", "officer@example.org")
            .env("GIT_COMMITTER_NAME", "Planning Officer")
            .env("GIT_COMMITTER_EMAIL", "officer@example.org")
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .args(args)
            .output()
            .expect("run git");
        assert!(out.status.success(), "git {args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn commit(&mut self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
        self.commits += 1;
    }

    /// Applies `f` to the plan and commits it.
    fn change(&mut self, message: &str, f: impl FnOnce(String) -> String) {
        self.write_plan(&f(self.plan_text()));
        self.commit(message);
    }

    /// plantrack in the repository, on its plan and ledger.
    fn run(&self, args: &[&str]) -> Output {
        Case::new(args)
            .cwd(self.path())
            .plan(self.path().join(&self.plan))
            .db(self.ledger.path().join("ledger.db"))
            .run()
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert_eq!(out.code, 0, "{args:?}:\n{}", out.transcript());
        Value::Array(crate::support::rows_of(&out.stdout))
    }

    /// Records the survey milestone as done on 2021-06-30, as the agriculture bureau.
    fn survey_done(&self) {
        let args = [
            "--as-of",
            "2021-06-30",
            "update",
            "MS-toilet-survey",
            "--status",
            "done",
        ];
        let out = self.run(&[&args[..], &["--by", "agri"]].concat());
        assert_eq!(out.code, 0, "{}", out.transcript());
    }

    /// Records a value for T-toilet (or whatever `id` names) as the agriculture bureau.
    fn record(&self, id: &str, value: &str, date: &str) {
        let args = [
            "--as-of", date, "update", id, "--value", value, "--date", date, "--by", "agri",
        ];
        let out = self.run(&args);
        assert_eq!(out.code, 0, "{}", out.transcript());
    }
}

/// `diff` summaries by id, from its JSON.
fn summaries(diff: &Value) -> Vec<(String, String)> {
    diff.as_array()
        .expect("an array")
        .iter()
        .map(|c| {
            let text = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            (text("id"), text("summary"))
        })
        .collect()
}

/// Asserts that `out` says `text`, on stdout or stderr.
fn says(out: &Output, text: &str) {
    let said = out.stdout.contains(text) || out.stderr.contains(text);
    assert!(said, "expected {text:?}:\n{}", out.transcript());
}

/// Asserts that `out` does not say `text`.
fn lacks(out: &Output, text: &str) {
    let said = out.stdout.contains(text) || out.stderr.contains(text);
    assert!(!said, "unexpected {text:?}:\n{}", out.transcript());
}

// ---- fmt ---------------------------------------------------------------------------------

/// Every plan file we ship: plan/, examples/ (recursively) and the valid fixtures.
fn shipped_plan_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ["plan", "examples", "tests/fixtures/valid"]
        .iter()
        .flat_map(|d| plans_under(Path::new(d)))
        .collect();
    files.sort();
    assert!(
        files.contains(&PathBuf::from("plan/regional.toml")),
        "{files:?}"
    );
    assert!(
        files.contains(&PathBuf::from("examples/plans/minimal.toml")),
        "{files:?}"
    );
    files
}

/// The comment lines of a file, trimmed and sorted: formatting keeps every one.
fn comments(text: &str) -> Vec<String> {
    let mut c: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('#'))
        .map(str::to_string)
        .collect();
    c.sort();
    c
}

#[test]
fn every_shipped_plan_file_is_formatted_and_formatting_is_idempotent() {
    let files = shipped_plan_files();
    for rel in &files {
        let original = std::fs::read(root().join(rel)).expect("read");
        let shown = rel.to_string_lossy();
        let once = plantrack::plan::format::format(&shown, &original).expect("formats");
        let twice = plantrack::plan::format::format(&shown, &once).expect("formats");
        assert_eq!(
            String::from_utf8_lossy(&once),
            String::from_utf8_lossy(&twice),
            "{shown}: a second pass changed it"
        );
        assert_eq!(
            comments(&String::from_utf8_lossy(&original)),
            comments(&String::from_utf8_lossy(&once)),
            "{shown}: comments"
        );
    }
    // The committed files are already formatted: `fmt --check` passes on them.
    let rels: Vec<String> = files
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let mut args = vec!["fmt", "--check"];
    args.extend(rels.iter().map(String::as_str));
    let out = Case::new(&args).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(out.stdout.is_empty(), "{}", out.transcript());
}

#[test]
fn fmt_check_names_what_would_change_and_fmt_rewrites_it_in_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("minimal.toml");
    // Keys out of order, odd spacing, a float that is a whole number, a date in quotes, an
    // array over several lines, blank lines run together.
    let messy = edit(
        &edit(
            &edit(
                &edit(
                    &minimal(),
                    "value = 90\n",
                    "value   =   90.0 # the 2022 goal\n",
                ),
                "due = 2021-06-30\n",
                "due = \"2021-06-30\"\n",
            ),
            "units = [\"agri\", \"health\", \"counties\"]\nlead = [\"agri\"]\n",
            "lead = [\"agri\"]\nunits = [\n  \"agri\",\n  \"health\",\n  \"counties\",\n]\n",
        ),
        "\n[[unit]]\nid = \"agri\"",
        "\n\n\n[[unit]]\nid = \"agri\"",
    );
    std::fs::write(&path, &messy).expect("write");
    let rel = "minimal.toml";
    let check = Case::new(&["fmt", "--check", rel]).cwd(dir.path()).run();
    assert_eq!(check.code, 1, "{}", check.transcript());
    assert_eq!(
        check.stdout,
        "minimal.toml: not formatted; run `plantrack fmt minimal.toml`\n"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        messy,
        "--check writes nothing"
    );

    let fmt = Case::new(&["fmt", rel]).cwd(dir.path()).run();
    assert_eq!(fmt.code, 0, "{}", fmt.transcript());
    assert_eq!(fmt.stdout, "minimal.toml: formatted\n");
    let formatted = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        formatted,
        edit(&minimal(), "value = 90\n", "value = 90 # the 2022 goal\n")
    );
    let again = Case::new(&["fmt", "--check", rel]).cwd(dir.path()).run();
    assert_eq!(
        (again.code, again.stdout.as_str()),
        (0, ""),
        "{}",
        again.transcript()
    );
    // No temporary file is left behind.
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "{left:?}");
}

#[test]
fn fmt_without_a_file_formats_the_plan() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("minimal.toml");
    std::fs::write(&path, edit(&minimal(), "value = 90\n", "value=90\n")).unwrap();
    let out = Case::new(&["fmt", "--check"]).plan(&path).run();
    assert_eq!(out.code, 1, "{}", out.transcript());
    says(&out, "minimal.toml: not formatted");
}

#[test]
fn fmt_refuses_a_file_that_is_not_toml() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("broken.toml");
    let broken = edit(&minimal(), "value = 90\n", "value = \n");
    std::fs::write(&path, &broken).unwrap();
    for args in [
        &["fmt", "broken.toml"][..],
        &["fmt", "--check", "broken.toml"],
    ] {
        let out = Case::new(args).cwd(dir.path()).run();
        assert_eq!(out.code, 1, "{}", out.transcript());
        assert!(
            out.stderr
                .starts_with("broken.toml:33:9: error: TOML syntax:"),
            "{}",
            out.transcript()
        );
        says(&out, "broken.toml: not formatted: it is not valid TOML");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
    }
}

// ---- diff --------------------------------------------------------------------------------

/// The "done when": a test edit of the shipped plan shows as exactly its changes.
#[test]
fn diff_of_an_edit_to_the_shipped_plan_shows_exactly_its_changes() {
    let mut repo = Repo::new("regional.toml");
    repo.write_plan(&std::fs::read_to_string(shipped_plan()).unwrap());
    repo.write(
        "plan/regional.source.txt",
        &std::fs::read_to_string(root().join("plan/regional.source.txt")).unwrap(),
    );
    repo.commit("The plan as issued");
    repo.change("Raise the toilet target and move its deadline", |text| {
        let at = text.find("id = \"T-toilet\"").expect("T-toilet");
        let (head, tail) = text.split_at(at);
        let tail = edit(tail, "value = 90\n", "value = 95\n");
        let tail = edit(&tail, "due = 2020-12-31\n", "due = 2021-06-30\n");
        format!("{head}{tail}")
    });
    let old = "HEAD~1:plan/regional.toml";
    for new in ["HEAD:plan/regional.toml", "plan/regional.toml"] {
        let diff = repo.json(&["diff", old, new]);
        assert_eq!(
            summaries(&diff),
            [(
                "T-toilet".to_string(),
                "target 90 % → 95 %, deadline 2020-12-31 → 2021-06-30".to_string()
            )]
        );
    }
    for format in ["table", "markdown", "json"] {
        // The date pinned: the JSON envelope states it, and a test never depends on today.
        let args = ["--as-of", "2021-01-31", "--format", format, "diff", old];
        let out = repo.run(&[&args[..], &["plan/regional.toml"]].concat());
        insta::assert_snapshot!(format!("diff_done_when_{format}"), out.transcript());
    }
    let out = repo.run(&["diff", "--exit-code", old, "plan/regional.toml"]);
    assert_eq!(
        out.code,
        1,
        "--exit-code with changes:\n{}",
        out.transcript()
    );
    let out = repo.run(&[
        "diff",
        "--exit-code",
        "HEAD:plan/regional.toml",
        "plan/regional.toml",
    ]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    says(&out, "No plan-level changes.");
}

#[test]
fn diff_reports_each_kind_of_change() {
    let mut repo = Repo::minimal();
    repo.change("Rework measure 1", |text| {
        let text = edit(
            &text,
            "comparator = \"at_least\"\nvalue = 90\n",
            "comparator = \"about\"\nvalue = 92\ntolerance = 2\n",
        );
        let text = edit(&text, "达到90%以上。\"", "达到92%左右。\"");
        let text = edit(
            &text,
            "units = [\"agri\", \"health\", \"counties\"]\nlead = [\"agri\"]\n",
            "units = [\"agri\", \"health\", \"water\"]\nlead = [\"health\"]\n",
        );
        let text = edit(&text, "id = \"MS-toilet-survey\"", "id = \"MS-toilet-plan\"");
        let text = edit(
            &text,
            "[[unit]]\nid = \"counties\"\nname = \"各县、区人民政府\"\nkind = \"group\"\n",
            "[[unit]]\nid = \"water\"\nname = \"市水利局\"\nkind = \"department\"\n",
        );
        edit(
            &text,
            "[[target]]",
            "[[section]]\nid = \"S2\"\nnumber = \"二\"\ntitle = \"加强组织保障\"\n\n[[measure]]\nid = \"M02\"\nsection = \"S2\"\nnumber = \"2\"\ntitle = \"强化督查考核\"\ntext = \"按季度通报推进情况。\"\nunits = [\"dukaoban\"]\n\n[[target]]",
        )
    });
    repo.change("Rename the toilet target", |text| {
        edit(
            &text,
            "id = \"T-toilet\"\n",
            "id = \"T-sanitary\"\nprevious_ids = [\"T-toilet\"]\n",
        )
    });
    let diff = repo.json(&[
        "diff",
        "HEAD~2:plan/minimal.toml",
        "HEAD~1:plan/minimal.toml",
    ]);
    let expected = [
        ("S2", "added: 二 加强组织保障"),
        (
            "M01",
            "text changed (+4/−4 characters): “…年底前达到90%以上。” → “…年底前达到92%左右。”, units +water −counties, lead +health −agri",
        ),
        ("M02", "added: 强化督查考核"),
        (
            "T-toilet",
            "comparator at_least → about, target 90 % → 92 %, tolerance (none) → 2 %",
        ),
        ("MS-toilet-plan", "added: 完成全市农村厕所摸底调查"),
        ("MS-toilet-survey", "removed: 完成全市农村厕所摸底调查"),
        ("water", "added: 市水利局"),
        ("counties", "removed: 各县、区人民政府"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(summaries(&diff), expected);
    // Old and new values are there for scripts.
    let target = &diff[3];
    assert_eq!(target["kind"], "target");
    assert_eq!(target["change"], "changed");
    assert_eq!(target["fields"][1]["field"], "value");
    assert_eq!(target["fields"][1]["old"], 90.0);
    assert_eq!(target["fields"][1]["new"], 92.0);
    assert_eq!(target["fields"][2]["old"], Value::Null);

    let renamed = repo.json(&["diff", "HEAD~1:plan/minimal.toml", "plan/minimal.toml"]);
    assert_eq!(
        summaries(&renamed),
        [(
            "T-sanitary".to_string(),
            "renamed from T-toilet".to_string()
        )]
    );
    assert_eq!(renamed[0]["change"], "renamed");
    assert_eq!(renamed[0]["previous_id"], "T-toilet");
}

#[test]
fn diff_bad_input_gets_a_clear_error() {
    let mut repo = Repo::minimal();
    repo.write("plan/other.toml", "[package]\nname = \"x\"\n");
    repo.commit("Not a plan");
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["diff", "v9:plan/minimal.toml", "plan/minimal.toml"],
            2,
            "error: v9:plan/minimal.toml: no revision \"v9\" in the git repository\n",
        ),
        (
            &["diff", "HEAD:plan/nope.toml", "plan/minimal.toml"],
            2,
            "error: HEAD:plan/nope.toml: revision \"HEAD\" has no file \"plan/nope.toml\"",
        ),
        (
            &["diff", "nope.toml", "plan/minimal.toml"],
            2,
            "error: nope.toml: no such file (a plan in git is written REV:PATH",
        ),
        (
            &["diff", "HEAD:plan/other.toml", "plan/minimal.toml"],
            1,
            "HEAD:plan/other.toml:1:1: error: missing the [plan] table",
        ),
        (
            &["diff", "plan/minimal.toml", "HEAD:.gitattributes"],
            1,
            "error: HEAD:.gitattributes is not a valid plan; nothing compared",
        ),
    ];
    repo.write(".gitattributes", "not = [toml\n");
    repo.commit("Not TOML");
    for (args, code, message) in cases {
        let out = repo.run(args);
        assert_eq!(out.code, *code, "{args:?}:\n{}", out.transcript());
        assert!(out.stdout.is_empty(), "{args:?}:\n{}", out.transcript());
        assert!(
            out.stderr.contains(message),
            "{args:?}:\n{}",
            out.transcript()
        );
    }
    // Outside a git repository.
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("minimal.toml"), minimal()).unwrap();
    let out = Case::new(&["diff", "HEAD:minimal.toml", "minimal.toml"])
        .cwd(dir.path())
        .run();
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert_eq!(
        out.stderr,
        "error: HEAD:minimal.toml: the current folder is not in a git repository\n"
    );
    // OLD and NEW are both required.
    let out = Case::new(&["diff", "minimal.toml"]).cwd(dir.path()).run();
    assert_eq!(out.code, 2, "{}", out.transcript());
}

/// The textconv driver set up exactly as plan/GIT.md says makes `git diff` show facts.
#[test]
fn git_diff_through_the_textconv_driver_of_git_md() {
    let doc = std::fs::read_to_string(root().join("plan/GIT.md")).unwrap();
    let attributes = "plan/*.toml diff=plantrack";
    let config = "git config diff.plantrack.textconv \"plantrack diff --textconv\"";
    assert!(
        doc.contains(&format!("\n{attributes}\n")),
        "GIT.md: {attributes}"
    );
    assert!(doc.contains(&format!("\n{config}\n")), "GIT.md: {config}");
    assert_eq!(
        std::fs::read_to_string(root().join(".gitattributes")).unwrap(),
        format!("{attributes}\n")
    );

    let mut repo = Repo::minimal();
    repo.write(".gitattributes", &format!("{attributes}\n"));
    let bin = assert_cmd::cargo::cargo_bin("plantrack");
    let driver = format!("{} diff --textconv", bin.display());
    repo.git(&["config", "diff.plantrack.textconv", &driver]);
    repo.commit("Add the diff driver");
    repo.write_plan(&edit(&repo.plan_text(), "value = 90\n", "value = 95\n"));
    let diff = repo.git(&["diff"]);
    assert!(
        diff.contains("\n-target T-toilet: value = 90 %\n"),
        "{diff}"
    );
    assert!(
        diff.contains("\n+target T-toilet: value = 95 %\n"),
        "{diff}"
    );
    assert_eq!(
        diff.lines().filter(|l| l.starts_with(['+', '-'])).count(),
        4,
        "{diff}"
    );

    // A file that is not a plan is shown as written.
    let out = repo.run(&["diff", "--textconv", ".gitattributes"]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert_eq!(
        out.stdout,
        format!("# plantrack: not a valid plan, shown as written\n{attributes}\n")
    );
}

// ---- renames and the ledger ----------------------------------------------------------------

#[test]
fn a_renamed_target_keeps_its_history_in_every_report() {
    let mut repo = Repo::minimal();
    repo.record("T-toilet", "80", "2021-06-30");
    repo.change("Rename the toilet target", |text| {
        edit(
            &text,
            "id = \"T-toilet\"\n",
            "id = \"T-sanitary\"\nprevious_ids = [\"T-toilet\"]\n",
        )
    });
    fn with<'a>(args: &[&'a str]) -> Vec<&'a str> {
        [&["--as-of", "2021-07-01"][..], args].concat()
    }

    let history = repo.json(&with(&["history", "T-sanitary"]));
    assert_eq!(history[0]["id"], "T-sanitary");
    assert_eq!(history[0]["recorded_id"], "T-toilet");
    assert_eq!(history[0]["value"], 80.0);
    let table = repo.run(&with(&["history"]));
    says(&table, "T-sanitary (was T-toilet)");

    let by_target = repo.json(&with(&["report", "by-target"]));
    assert_eq!(by_target[0]["id"], "T-sanitary");
    assert_eq!(by_target[0]["actual"], 80.0);
    assert_eq!(by_target[0]["actual_date"], "2021-06-30");

    let by_unit = repo.json(&with(&["report", "by-department", "--unit", "agri"]));
    let row = by_unit
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "T-sanitary");
    assert_eq!(
        row.unwrap()["reason"],
        "on track: latest 80 %, due 2022-12-31"
    );
    let overdue = repo.json(&["--as-of", "2023-01-31", "report", "overdue"]);
    let row = overdue
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "T-sanitary");
    assert_eq!(row.unwrap()["actual"], 80.0);

    // The old id still finds the item, and an update under it goes to the new id.
    let show = repo.json(&with(&["show", "T-toilet"]));
    assert_eq!(show[0]["id"], "T-sanitary");
    repo.record("T-toilet", "85", "2021-07-01");
    let history = repo.json(&with(&["history", "T-sanitary"]));
    assert_eq!(history.as_array().map(Vec::len), Some(2));
    assert_eq!(history[0]["recorded_id"], "T-sanitary");

    let check = repo.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.transcript());
    lacks(&check, "warning");
}

#[test]
fn check_warns_about_entries_whose_item_is_gone_and_suggests_its_successor() {
    let mut repo = Repo::minimal();
    repo.survey_done();

    // Renamed without previous_ids: the plan's history names the likely new id.
    repo.change("Rename the survey", |text| {
        edit(&text, "id = \"MS-toilet-survey\"", "id = \"MS-census\"")
    });
    let check = repo.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.transcript());
    assert!(
        check.stdout.ends_with(", 1 warning\n"),
        "{}",
        check.transcript()
    );
    says(
        &check,
        "warning: 1 ledger entry about \"MS-toilet-survey\", which is not in the plan; \
             if it was renamed, add previous_ids = [\"MS-toilet-survey\"] to MS-census",
    );

    // Removed outright: still a warning, and the entry is kept.
    repo.change("Drop the survey", |text| {
        let start = text.find("[[milestone]]").unwrap();
        let end = text.find("[[unit]]").unwrap();
        format!("{}{}", &text[..start], &text[end..])
    });
    let check = repo.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.transcript());
    says(
        &check,
        "1 ledger entry about \"MS-toilet-survey\", which is not in the plan",
    );
    let history = repo.run(&["--as-of", "2021-07-01", "history"]);
    says(&history, "MS-toilet-survey (not in plan)");
}

#[test]
fn an_item_renamed_twice_is_found_where_its_old_id_was_current() {
    let mut repo = Repo::minimal();
    repo.survey_done();
    // Renamed with its old id kept, then renamed again keeping only the second id: the
    // newest version that names the old id holds it as a former id only, and the one before
    // (where it was the current id) tells what replaced it.
    repo.change("Rename the survey", |text| {
        let to = "id = \"MS-census\"\nprevious_ids = [\"MS-toilet-survey\"]";
        edit(&text, "id = \"MS-toilet-survey\"", to)
    });
    repo.change("Rename the census", |text| {
        let from = "id = \"MS-census\"\nprevious_ids = [\"MS-toilet-survey\"]";
        edit(&text, from, "id = \"MS-q\"\nprevious_ids = [\"MS-census\"]")
    });
    let check = repo.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.transcript());
    says(
        &check,
        "warning: 1 ledger entry about \"MS-toilet-survey\", which is not in the plan; \
             if it was renamed, add previous_ids = [\"MS-toilet-survey\"] to MS-q",
    );
}

// ---- targets that change over time ---------------------------------------------------------

#[test]
fn show_lists_the_plan_revisions_in_which_an_item_changed() {
    let mut repo = Repo::minimal();
    repo.change("Raise the toilet target", |text| {
        edit(&text, "value = 90\n", "value = 95\n")
    });
    repo.change("Rename the toilet target", |text| {
        edit(
            &text,
            "id = \"T-toilet\"\n",
            "id = \"T-sanitary\"\nprevious_ids = [\"T-toilet\"]\n",
        )
    });
    repo.change("Give the survey more time", |text| {
        edit(&text, "due = 2021-06-30", "due = 2021-09-30")
    });
    let show = repo.json(&["show", "T-sanitary"]);
    let revisions: Vec<(String, String, String)> = show[0]["plan_revisions"]
        .as_array()
        .expect("plan_revisions")
        .iter()
        .map(|r| {
            let text = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (text("date"), text("subject"), text("summary"))
        })
        .collect();
    let expected = [
        (
            "2021-01-03",
            "Rename the toilet target",
            "renamed from T-toilet",
        ),
        (
            "2021-01-02",
            "Raise the toilet target",
            "target 90 % → 95 %",
        ),
        (
            "2021-01-01",
            "Add the plan",
            "added: 农村无害化卫生厕所普及率",
        ),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(revisions, expected);
    let commit = show[0]["plan_revisions"][0]["commit"].as_str().unwrap();
    assert_eq!(repo.git(&["rev-parse", "--short", "HEAD~1"]).trim(), commit);

    let table = repo.run(&["show", "MS-toilet-survey"]);
    says(&table, "Plan revisions");
    says(&table, "deadline 2021-06-30 → 2021-09-30");
    // An item never edited since it was added has no revisions to list.
    let measure = repo.run(&["show", "M01"]);
    lacks(&measure, "Plan revisions");
    assert!(repo.json(&["show", "M01"]).get("plan_revisions").is_none());

    // Outside git: nothing, silently.
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("minimal.toml");
    std::fs::write(&plan, repo.plan_text()).unwrap();
    let out = Case::new(&["show", "MS-toilet-survey"])
        .plan(&plan)
        .cwd(dir.path())
        .run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(out.stderr.is_empty(), "{}", out.transcript());
    lacks(&out, "Plan revisions");
}

#[test]
fn by_target_notes_a_target_changed_since_it_was_last_reported() {
    let mut repo = Repo::minimal();
    repo.record("T-toilet", "80", "2021-06-30");
    let as_of = ["--as-of", "2021-07-01"];
    let report = |repo: &Repo| repo.json(&[&as_of[..], &["report", "by-target"]].concat());
    assert!(report(&repo)[0].get("target_changed").is_none());

    repo.change("Raise the toilet target", |text| {
        edit(&text, "value = 90\n", "value = 95\n")
    });
    let rows = report(&repo);
    assert_eq!(rows[0]["target_changed"], "target 90 % → 95 %");
    let reason = rows[0]["reason"].as_str().unwrap();
    assert!(
        reason.ends_with("; target changed since the last report: target 90 % → 95 %"),
        "{reason}"
    );
    let table = repo.run(&[&as_of[..], &["report", "by-target"]].concat());
    says(&table, "target changed since the last report");

    // An edit not committed yet: the entry's version is still found in git.
    repo.write_plan(&edit(
        &repo.plan_text(),
        "due = 2022-12-31",
        "due = 2023-06-30",
    ));
    let rows = report(&repo);
    assert_eq!(
        rows[0]["target_changed"],
        "target 90 % → 95 %, deadline 2022-12-31 → 2023-06-30"
    );

    // Reported again against the plan as it is: no note.
    repo.record("T-toilet", "88", "2021-07-01");
    assert!(report(&repo)[0].get("target_changed").is_none());
}
