//! The validated-plan cache (`src/plan/cache.rs`): written to the user's cache directory
//! (`XDG_CACHE_HOME`) by a report, never beside the plan, used while the plan's bytes are
//! unchanged, never trusted after an edit or a flipped bit, and never required: a cache
//! directory that cannot be written works as before.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tempfile::TempDir;

use crate::support::{Case, Output, repo};

/// A copy of the minimal example plan in a temporary folder, a ledger in another folder, and
/// a cache home in a third.
struct Setup {
    dir: TempDir,
    ledger: TempDir,
    home: TempDir,
    plan: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().expect("temp dir");
        let plan = dir.path().join("minimal.toml");
        std::fs::copy(repo().join("examples/plans/minimal.toml"), &plan).expect("copy plan");
        Setup {
            dir,
            ledger: tempfile::tempdir().expect("temp dir"),
            home: tempfile::tempdir().expect("temp dir"),
            plan,
        }
    }

    /// The files in the cache home whose names end in `ext`.
    fn files(&self, ext: &str) -> Vec<PathBuf> {
        let dir = self.home.path().join("plantrack");
        match std::fs::read_dir(dir) {
            Ok(entries) => entries
                .map(|e| e.expect("entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == ext))
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    /// The cache files in the cache home.
    fn caches(&self) -> Vec<PathBuf> {
        self.files("bin")
    }

    /// The one cache file.
    fn cache(&self) -> PathBuf {
        let caches = self.caches();
        assert_eq!(caches.len(), 1, "one cache file: {caches:?}");
        caches[0].clone()
    }

    fn case(&self, args: &[&str]) -> Case {
        Case::new(args)
            .plan(&self.plan)
            .db(self.ledger.path().join("ledger.db"))
            .env("XDG_CACHE_HOME", &self.home.path().to_string_lossy())
    }

    /// `report by-target` as JSON; it must succeed.
    fn by_target(&self) -> Value {
        let out = self.report().run();
        assert_eq!(out.code, 0, "{}", out.transcript());
        Value::Array(crate::support::rows_of(&out.stdout))
    }

    fn report(&self) -> Case {
        self.case(&[
            "--as-of",
            "2022-06-30",
            "report",
            "by-target",
            "--format",
            "json",
        ])
    }

    /// Replaces `from` (which must occur once) in the plan, keeping its modification time.
    fn edit(&self, from: &str, to: &str) {
        let text = std::fs::read_to_string(&self.plan).expect("read plan");
        assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
        let modified = std::fs::metadata(&self.plan).unwrap().modified().unwrap();
        std::fs::write(&self.plan, text.replacen(from, to, 1)).expect("write plan");
        std::fs::File::options()
            .write(true)
            .open(&self.plan)
            .and_then(|f| f.set_modified(modified))
            .expect("set the modification time");
    }

    /// The names in the plan's folder.
    fn plan_folder(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

fn target_value(report: &Value) -> f64 {
    report[0]["target"].as_f64().expect("a target value")
}

fn inode(path: &Path) -> u64 {
    std::fs::metadata(path).expect("the cache exists").ino()
}

#[test]
fn a_report_writes_the_cache_in_the_cache_home_and_then_uses_it() {
    let s = Setup::new();
    assert!(s.caches().is_empty());
    assert_eq!(target_value(&s.by_target()), 90.0);
    let cache = s.cache();
    let bytes = std::fs::read(&cache).expect("the cache is written");
    assert!(bytes.starts_with(b"plantrack plan cache "));
    assert_eq!(s.plan_folder(), ["minimal.toml"], "nothing beside the plan");
    // A hit reads the cache and leaves it in place: a miss would replace the file.
    let before = inode(&cache);
    assert_eq!(target_value(&s.by_target()), 90.0);
    assert_eq!(inode(&s.cache()), before, "answered from the cache");
    // PLANTRACK_NO_CACHE=1 neither reads nor writes it.
    std::fs::remove_file(&cache).unwrap();
    let out = s.report().env("PLANTRACK_NO_CACHE", "1").run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(s.caches().is_empty());
}

#[test]
fn an_edit_that_keeps_the_length_and_the_time_is_still_seen() {
    let s = Setup::new();
    assert_eq!(target_value(&s.by_target()), 90.0);
    s.edit("value = 90\n", "value = 95\n");
    assert_eq!(target_value(&s.by_target()), 95.0);
    assert_eq!(
        s.caches().len(),
        1,
        "the plan's cache is replaced, not added to"
    );
}

/// A plan that has settled by the run's clock is not read at all: its digest is remembered
/// with its stat. An edit that keeps its length and modification time still changes its
/// change time, so it is seen.
#[test]
fn a_settled_plan_is_not_read_again_and_an_edit_is_still_seen() {
    let s = Setup::new();
    assert_eq!(target_value(&s.by_target()), 90.0);
    assert!(
        s.files("stamp").is_empty(),
        "just copied: hashed, not remembered"
    );
    let later = (chrono::Local::now() + chrono::Duration::hours(1)).to_rfc3339();
    let report = || {
        let out = s.report().now(&later).run();
        assert_eq!(out.code, 0, "{}", out.transcript());
        target_value(&Value::Array(crate::support::rows_of(&out.stdout)))
    };
    assert_eq!(report(), 90.0);
    assert_eq!(s.files("stamp").len(), 1, "remembered once it has settled");
    assert_eq!(report(), 90.0);
    std::thread::sleep(std::time::Duration::from_millis(50));
    s.edit("value = 90\n", "value = 95\n");
    assert_eq!(report(), 95.0);
    assert_eq!(s.caches().len(), 1);
}

/// `update` reads the plan's core and its one item from the cache; an id the cache does
/// not know still gets the full plan's "did you mean".
#[test]
fn update_reads_one_item_and_a_typo_still_gets_its_hint() {
    let s = Setup::new();
    assert_eq!(target_value(&s.by_target()), 90.0);
    let update = |id: &str, value: &str| {
        s.case(&[
            "--as-of",
            "2022-06-30",
            "update",
            id,
            "--value",
            value,
            "--date",
            "2022-06-01",
            "--by",
            "agri",
        ])
        .now("2022-06-30T09:00:00+08:00")
        .run()
    };
    let out = update("T-toilet", "91");
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert!(out.stdout.contains("T-toilet = 91"), "{}", out.transcript());
    let out = update("T-toliet", "92");
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(out.stderr.contains("T-toilet"), "{}", out.transcript());
    let out = update("MS-toilet-survey", "92");
    assert_eq!(out.code, 2, "{}", out.transcript());
    assert!(out.stderr.contains("--status"), "{}", out.transcript());
    let rows = s.by_target();
    assert_eq!(rows[0]["actual"], 91.0, "{rows}");
}

/// `check` on an unchanged plan is answered from the cache, warnings included, each naming
/// the plan by the path as it is typed now; after an edit it validates again.
#[test]
fn check_shows_the_cached_warnings_under_the_path_as_typed() {
    let s = Setup::new();
    s.edit("comparator = \"at_least\"", "comparator = \"at_most\"");
    let check = |plan: &Path| {
        let out = Case::new(&["check"])
            .plan(plan)
            .db(s.ledger.path().join("ledger.db"))
            .env("XDG_CACHE_HOME", &s.home.path().to_string_lossy())
            .run();
        assert_eq!(out.code, 0, "{}", out.transcript());
        out.stderr
    };
    let first = check(&s.plan);
    assert!(
        first.contains("warning:") && first.contains("以上"),
        "{first}"
    );
    let cache = s.cache();
    let before = inode(&cache);
    assert_eq!(check(&s.plan), first, "the same warnings from the cache");
    assert_eq!(inode(&cache), before, "answered from the cache");
    let typed = s.dir.path().join(".").join("minimal.toml");
    let again = check(&typed);
    assert_eq!(
        again,
        first.replace(&s.plan.display().to_string(), &typed.display().to_string())
    );
    s.edit("comparator = \"at_most\"", "comparator = \"at_least\"");
    assert!(
        !check(&s.plan).contains("warning:"),
        "validated again after the edit"
    );
}

#[test]
fn a_plan_with_an_error_is_not_answered_from_the_cache() {
    let s = Setup::new();
    assert_eq!(target_value(&s.by_target()), 90.0);
    s.edit("value = 90\n", "value = \"x\"\n");
    let out: Output = s.report().run();
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(out.stdout.is_empty(), "{}", out.transcript());
    assert!(
        out.stderr.contains("run `plantrack check` to see them"),
        "{}",
        out.transcript()
    );
    // Fixed again, the plan is loaded and cached anew.
    s.edit("value = \"x\"\n", "value = 80\n");
    assert_eq!(target_value(&s.by_target()), 80.0);
}

/// One flipped bit anywhere in the cache is a miss: the plan is read in full and the cache
/// rewritten, never a different plan.
#[test]
fn a_corrupt_cache_is_ignored_and_rewritten() {
    let s = Setup::new();
    let expected = s.by_target();
    let cache = s.cache();
    let good = std::fs::read(&cache).expect("cache");
    let middle = good.len() / 2;
    let mut flipped = good.clone();
    flipped[middle] ^= 0x01;
    for bad in [
        b"garbage".to_vec(),
        Vec::new(),
        flipped,
        good[..middle].to_vec(),
    ] {
        std::fs::write(&cache, &bad).expect("write garbage");
        assert_eq!(s.by_target(), expected);
        assert_eq!(std::fs::read(&cache).expect("cache"), good, "rewritten");
    }
}

#[test]
fn a_cache_that_cannot_be_written_is_no_error() {
    let s = Setup::new();
    // A file where the cache folder would go.
    std::fs::write(s.home.path().join("plantrack"), "not a folder").unwrap();
    assert_eq!(target_value(&s.by_target()), 90.0);
    assert_eq!(target_value(&s.by_target()), 90.0);
    let out = s.case(&["check"]).run();
    assert_eq!(out.code, 0, "{}", out.transcript());
    assert_eq!(s.plan_folder(), ["minimal.toml"]);
}

/// The ledger's facts on an as-of date are kept in the cache home (`src/store/memo.rs`):
/// a second report reads them instead of folding the ledger again; an update is folded in;
/// a correction of an entry they counted folds everything again. Every report equals the
/// same report with the cache off.
#[test]
fn the_ledgers_facts_are_kept_and_brought_up_to_date() {
    let s = Setup::new();
    let update = |args: &[&str]| {
        let mut all = vec!["update", "T-toilet", "--by", "agri"];
        all.extend_from_slice(args);
        let out = s.case(&all).now("2022-06-30T09:00:00+08:00").run();
        assert_eq!(out.code, 0, "{}", out.transcript());
    };
    let report = || {
        let kept = s.by_target();
        let out = s.report().env("PLANTRACK_NO_CACHE", "1").run();
        assert_eq!(out.code, 0, "{}", out.transcript());
        let folded = Value::Array(crate::support::rows_of(&out.stdout));
        assert_eq!(kept, folded, "the kept facts give the report a fold gives");
        kept[0]["actual"].clone()
    };
    update(&["--value", "50", "--date", "2022-03-01"]);
    assert_eq!(report(), 50.0);
    let facts = s.files("facts");
    assert_eq!(facts.len(), 1, "one file of facts: {facts:?}");
    let before = inode(&facts[0]);
    assert_eq!(report(), 50.0);
    assert_eq!(inode(&facts[0]), before, "answered from the kept facts");
    // A later entry, and one dated after the as-of date: folded in.
    update(&["--value", "70", "--date", "2022-05-01"]);
    update(&["--value", "99", "--date", "2022-06-30"]);
    assert_eq!(report(), 99.0);
    assert_ne!(inode(&facts[0]), before, "the facts are brought up to date");
    // Entry #1 corrected: the kept facts counted it.
    update(&["--value", "60", "--date", "2022-03-01", "--supersedes", "1"]);
    assert_eq!(report(), 99.0);
    update(&["--value", "80", "--date", "2022-06-30", "--supersedes", "3"]);
    assert_eq!(report(), 80.0);
    // Another as-of day is kept beside it.
    let out = s
        .case(&[
            "--as-of",
            "2022-05-31",
            "report",
            "by-target",
            "--format",
            "json",
        ])
        .run();
    assert_eq!(crate::support::rows_of(&out.stdout)[0]["actual"], 70.0);
    assert_eq!(s.files("facts").len(), 2);
    assert_eq!(s.plan_folder(), ["minimal.toml"], "nothing beside the plan");
}
