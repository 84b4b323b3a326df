//! A small builder for CLI cases: run `plantrack` with pinned date and language against the
//! shipped plan (or a given one) and a temporary ledger, and capture stdout, stderr and status.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn shipped_plan() -> PathBuf {
    repo().join("plan/regional.toml")
}

/// What a run produced.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// stdout, stderr and the exit code in one string, for snapshots.
    pub fn transcript(&self) -> String {
        let mut s = format!("exit: {}\n", self.code);
        if !self.stdout.is_empty() {
            s.push_str("--- stdout\n");
            s.push_str(&self.stdout);
        }
        if !self.stderr.is_empty() {
            s.push_str("--- stderr\n");
            s.push_str(&self.stderr);
        }
        s
    }
}

/// One CLI case.
pub struct Case {
    args: Vec<String>,
    /// `PLANTRACK_PLAN`; `None` lets plantrack find the plan in `./plan` itself.
    plan: Option<PathBuf>,
    db: Option<PathBuf>,
    cwd: PathBuf,
    stdin: String,
    env: Vec<(String, String)>,
}

impl Case {
    pub fn new(args: &[&str]) -> Case {
        Case {
            args: args.iter().map(|a| a.to_string()).collect(),
            plan: Some(shipped_plan()),
            db: None,
            cwd: repo(),
            stdin: String::new(),
            env: Vec::new(),
        }
    }

    pub fn plan(mut self, plan: impl AsRef<Path>) -> Case {
        self.plan = Some(plan.as_ref().to_path_buf());
        self
    }

    /// Runs without `PLANTRACK_PLAN`, as a user in the repository would.
    pub fn default_plan(mut self) -> Case {
        self.plan = None;
        self
    }

    pub fn db(mut self, db: impl AsRef<Path>) -> Case {
        self.db = Some(db.as_ref().to_path_buf());
        self
    }

    pub fn cwd(mut self, dir: impl AsRef<Path>) -> Case {
        self.cwd = dir.as_ref().to_path_buf();
        self
    }

    pub fn stdin(mut self, input: &str) -> Case {
        self.stdin = input.to_string();
        self
    }

    /// Sets an environment variable for the run (after the defaults, so it wins).
    pub fn env(mut self, key: &str, value: &str) -> Case {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// Pins the time an update is recorded at (`PLANTRACK_NOW`, RFC 3339).
    pub fn now(self, rfc3339: &str) -> Case {
        self.env("PLANTRACK_NOW", rfc3339)
    }

    pub fn run(self) -> Output {
        let mut cmd = Command::cargo_bin("plantrack").expect("binary");
        cmd.current_dir(&self.cwd)
            .env_remove("PLANTRACK_PLAN")
            .env_remove("PLANTRACK_DB")
            .env("LANG", "C")
            // Beijing time, as a POSIX rule that needs no time zone database.
            .env("TZ", "CST-8")
            // The plan cache goes to the build's scratch folder, not the user's home.
            .env("XDG_CACHE_HOME", env!("CARGO_TARGET_TMPDIR"))
            .env_remove("PLANTRACK_NO_CACHE")
            // Piped, tables are as wide as their cells unless a test asks for a width.
            .env_remove("COLUMNS")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .write_stdin(self.stdin);
        if let Some(plan) = &self.plan {
            cmd.env("PLANTRACK_PLAN", plan);
        }
        if let Some(db) = &self.db {
            cmd.env("PLANTRACK_DB", db);
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let out = cmd.args(&self.args).output().expect("run plantrack");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// The rows of a `--format json` document (the envelope's `rows`).
pub fn rows_of(stdout: &str) -> Vec<serde_json::Value> {
    let doc: serde_json::Value =
        serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON: {e}\n{stdout}"));
    match &doc["rows"] {
        serde_json::Value::Array(rows) => rows.clone(),
        _ => panic!("no rows in the document:\n{stdout}"),
    }
}
