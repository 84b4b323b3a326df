//! What a newcomer copies must work: every plan under `examples/` and every plan in `plan/`
//! passes `check`.

use std::path::{Path, PathBuf};

use crate::support::{Case, repo};

/// The `*.toml` files under `dir`, recursively, relative to the repository root, sorted.
pub fn plans_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(repo().join(dir)).unwrap_or_else(|e| panic!("{dir:?}: {e}")) {
        let path = dir.join(entry.expect("directory entry").file_name());
        if repo().join(&path).is_dir() {
            found.extend(plans_under(&path));
        } else if path.extension().is_some_and(|x| x == "toml") {
            found.push(path);
        }
    }
    found.sort();
    found
}

fn assert_checks(plans: &[PathBuf]) {
    for plan in plans {
        let rel = plan.to_string_lossy();
        let out = Case::new(&["--plan", &rel, "check"]).plan(plan).run();
        assert_eq!(out.code, 0, "{rel}:\n{}", out.transcript());
        assert!(
            out.stdout.starts_with(&format!("{rel}: ok: ")),
            "{rel}:\n{}",
            out.transcript()
        );
        assert!(
            !out.stderr.contains("warning"),
            "{rel} has warnings:\n{}",
            out.transcript()
        );
    }
}

#[test]
fn every_example_plan_checks() {
    let plans = plans_under(Path::new("examples"));
    assert!(
        plans.contains(&PathBuf::from("examples/plans/minimal.toml")),
        "{plans:?}"
    );
    assert_checks(&plans);
}

#[test]
fn every_shipped_plan_checks() {
    let plans: Vec<PathBuf> = plans_under(Path::new("plan"))
        .into_iter()
        .filter(|p| p.parent() == Some(Path::new("plan")))
        .collect();
    assert!(
        plans.contains(&PathBuf::from("plan/regional.toml")),
        "{plans:?}"
    );
    assert_checks(&plans);
}
