//! The validated-plan cache (`src/plan/cache.rs`): written beside the plan by a report, used
//! while the plan is unchanged, never trusted after an edit, rewritten when corrupt, and never
//! required: a directory that cannot hold it works as before.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde_json::Value;
use tempfile::TempDir;

use crate::support::{Case, Output, repo};

/// A copy of the minimal example plan in a temporary folder, modified an hour ago (a plan
/// modified within the last seconds is not cached, lest a second edit in the same timestamp
/// tick go unseen), and a ledger in another folder.
struct Setup {
    dir: TempDir,
    ledger: TempDir,
    plan: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().expect("temp dir");
        let plan = dir.path().join("minimal.toml");
        std::fs::copy(repo().join("examples/plans/minimal.toml"), &plan).expect("copy plan");
        set_mtime(&plan, hours_ago(1));
        Setup {
            dir,
            ledger: tempfile::tempdir().expect("temp dir"),
            plan,
        }
    }

    fn cache(&self) -> PathBuf {
        self.dir.path().join(".minimal.toml.cache")
    }

    fn case(&self, args: &[&str]) -> Case {
        Case::new(args)
            .plan(&self.plan)
            .db(self.ledger.path().join("ledger.db"))
    }

    /// `report by-target` as JSON; it must succeed.
    fn by_target(&self) -> Value {
        let out = self.report().run();
        assert_eq!(out.code, 0, "{}", out.transcript());
        serde_json::from_str(&out.stdout).expect("JSON")
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

    /// Replaces `from` (which must occur once) in the plan; the file's modification time is
    /// then `mtime`.
    fn edit(&self, from: &str, to: &str, mtime: SystemTime) {
        let text = std::fs::read_to_string(&self.plan).expect("read plan");
        assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
        std::fs::write(&self.plan, text.replacen(from, to, 1)).expect("write plan");
        set_mtime(&self.plan, mtime);
    }
}

fn hours_ago(n: u64) -> SystemTime {
    SystemTime::now() - Duration::from_secs(3600 * n)
}

fn set_mtime(path: &Path, mtime: SystemTime) {
    File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(mtime))
        .expect("set the modification time");
}

fn mtime(path: &Path) -> SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("modification time")
}

fn target_value(report: &Value) -> f64 {
    report[0]["target"].as_f64().expect("a target value")
}

fn assert_is_cache(path: &Path) {
    let bytes = std::fs::read(path).expect("the cache is written");
    assert!(
        bytes.starts_with(b"plantrack plan cache "),
        "{:?}",
        String::from_utf8_lossy(&bytes[..bytes.len().min(40)])
    );
}

#[test]
fn a_report_writes_the_cache_and_then_uses_it() {
    let s = Setup::new();
    assert!(!s.cache().exists());
    assert_eq!(target_value(&s.by_target()), 90.0);
    assert_is_cache(&s.cache());

    // An edit that keeps the file's length and, set back on purpose, its modification time is
    // the one change the cache cannot see: the report still shows the cached plan, which
    // proves it was answered from the cache.
    let before = mtime(&s.plan);
    s.edit("value = 90\n", "value = 95\n", before);
    assert_eq!(target_value(&s.by_target()), 90.0);
    // `check` and PLANTRACK_NO_CACHE=1 always read the file itself.
    let no_cache = s.report().env("PLANTRACK_NO_CACHE", "1").run();
    assert_eq!(no_cache.code, 0, "{}", no_cache.transcript());
    let report: Value = serde_json::from_str(&no_cache.stdout).expect("JSON");
    assert_eq!(target_value(&report), 95.0);
    s.edit("value = 95\n", "value = ?5\n", before);
    let check = s.case(&["check"]).run();
    assert_eq!(check.code, 1, "{}", check.transcript());
}

#[test]
fn an_edited_plan_is_read_again() {
    let s = Setup::new();
    assert_eq!(target_value(&s.by_target()), 90.0);
    assert_is_cache(&s.cache());
    // Same length, fresh modification time: as an editor saves it.
    s.edit("value = 90\n", "value = 95\n", SystemTime::now());
    assert_eq!(target_value(&s.by_target()), 95.0);
    // Once the edit is older than a few seconds, the cache holds the new plan.
    set_mtime(&s.plan, hours_ago(2));
    assert_eq!(target_value(&s.by_target()), 95.0);
    let before = mtime(&s.plan);
    s.edit("value = 95\n", "value = 97\n", before);
    assert_eq!(
        target_value(&s.by_target()),
        95.0,
        "answered from the new cache"
    );
}

#[test]
fn a_plan_with_an_error_is_not_answered_from_the_cache() {
    let s = Setup::new();
    assert_eq!(target_value(&s.by_target()), 90.0);
    assert_is_cache(&s.cache());
    s.edit("value = 90\n", "value = \"x\"\n", hours_ago(2));
    let out: Output = s.report().run();
    assert_eq!(out.code, 1, "{}", out.transcript());
    assert!(out.stdout.is_empty(), "{}", out.transcript());
    assert!(
        out.stderr.contains("run `plantrack check` to see them"),
        "{}",
        out.transcript()
    );
    // Fixed again, the plan is loaded and cached anew.
    s.edit("value = \"x\"\n", "value = 80\n", hours_ago(3));
    assert_eq!(target_value(&s.by_target()), 80.0);
}

#[test]
fn a_corrupt_cache_is_ignored_and_rewritten() {
    let s = Setup::new();
    s.by_target();
    let good = std::fs::read(s.cache()).expect("cache");
    for garbage in [&b"garbage"[..], b"", &good[..good.len() / 2]] {
        std::fs::write(s.cache(), garbage).expect("write garbage");
        assert_eq!(target_value(&s.by_target()), 90.0);
        assert_eq!(std::fs::read(s.cache()).expect("cache"), good, "rewritten");
    }
}

#[test]
fn a_cache_that_cannot_be_written_is_no_error() {
    let s = Setup::new();
    // A directory where the cache would go: neither read nor replaced, even by root.
    std::fs::create_dir(s.cache()).expect("mkdir");
    assert_eq!(target_value(&s.by_target()), 90.0);
    assert_eq!(target_value(&s.by_target()), 90.0);
    assert!(s.cache().is_dir());
    let left: Vec<_> = std::fs::read_dir(s.dir.path()).unwrap().collect();
    assert_eq!(left.len(), 2, "no temporary file is left behind: {left:?}");
}

#[cfg(unix)]
#[test]
fn a_read_only_plan_directory_works() {
    use std::os::unix::fs::PermissionsExt;

    let s = Setup::new();
    let dir = s.dir.path();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    // Root writes to a read-only directory anyway; then only the report itself is checked.
    let probe = dir.join("probe");
    let writable = File::create(&probe).is_ok();
    let _ = std::fs::remove_file(&probe);
    let first = s.by_target();
    let second = s.by_target();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    assert_eq!(target_value(&first), 90.0);
    assert_eq!(first, second);
    if !writable {
        assert!(!s.cache().exists());
    }
}
