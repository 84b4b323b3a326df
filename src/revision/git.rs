//! Reading plan files out of git, which runs as a subprocess: one file at a revision
//! (`REV:PATH`), and the committed versions of a plan, newest first, for `show` (the revisions
//! in which an item changed) and `report by-target` (the plan an entry was recorded against,
//! found by its fingerprint). Nothing here writes to a repository.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::i18n::Message;
use crate::model::Plan;
use crate::plan;

/// Why git could not give what was asked. Each names what the user typed.
#[derive(Debug)]
pub enum GitError {
    /// git could not be started.
    NotInstalled(String),
    NotARepository(PathBuf),
    NoRevision(String),
    NoPath {
        rev: String,
        path: String,
    },
    /// Any other failure, with git's own message.
    Failed(String),
}

impl GitError {
    /// The error as the user reads it, in any language; git's own words quoted as they are.
    pub fn message(&self) -> Message {
        match self {
            GitError::NotInstalled(e) => Message::new("cannot run git: {why}").with("why", e),
            GitError::NotARepository(dir) if dir == Path::new(".") => {
                Message::new("the current folder is not in a git repository")
            }
            GitError::NotARepository(dir) => {
                Message::new("{dir} is not in a git repository").with("dir", dir.display())
            }
            GitError::NoRevision(rev) => {
                Message::new("no revision \"{rev}\" in the git repository").with("rev", rev)
            }
            GitError::NoPath { rev, path } => Message::new(
                "revision \"{rev}\" has no file \"{path}\" (paths are relative to the \
                 repository's top folder, or start with ./ for the current folder)",
            )
            .with("rev", rev)
            .with("path", path),
            GitError::Failed(message) => Message::new("git: {why}").with("why", message),
        }
    }
}

/// In English, as logs read it.
impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().to_string())
    }
}

impl std::error::Error for GitError {}

/// Runs `git args…` in `dir` and returns its standard output.
fn git(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Result<Vec<u8>, GitError> {
    let mut cmd = Command::new("git");
    cmd.arg("-C")
        .arg(dir)
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|e| GitError::NotInstalled(e.to_string()))?;
    // Written from another thread: git answers while it reads, and a full output pipe would
    // otherwise stop both sides.
    let pipe = child.stdin.take();
    let out = std::thread::scope(|scope| {
        if let (Some(input), Some(mut pipe)) = (stdin, pipe) {
            scope.spawn(move || pipe.write_all(input));
        }
        child.wait_with_output()
    })
    .map_err(|e| GitError::Failed(e.to_string()))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        let message = String::from_utf8_lossy(&out.stderr).trim().to_string();
        Err(GitError::Failed(message))
    }
}

fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// The bytes of `path` at revision `rev`, as `git show REV:PATH` gives them, from the
/// repository around `dir`. `path` is relative to the repository's top folder, or to `dir`
/// when it starts with `./`. The blob is read raw (`git cat-file blob`), so that a textconv
/// driver set up for plan files (plan/GIT.md) cannot change what is read.
pub fn show(dir: &Path, rev: &str, path: &str) -> Result<Vec<u8>, GitError> {
    match git(dir, &["rev-parse", "--is-inside-work-tree"], None) {
        Ok(out) if out.starts_with(b"true") => {}
        Err(e @ GitError::NotInstalled(_)) => return Err(e),
        _ => return Err(GitError::NotARepository(dir.to_path_buf())),
    }
    // An empty revision (`:PATH`) is the index.
    if !rev.is_empty() {
        let commit = format!("{rev}^{{commit}}");
        git(dir, &["rev-parse", "--verify", "--quiet", &commit], None)
            .map_err(|_| GitError::NoRevision(rev.to_string()))?;
    }
    git(dir, &["cat-file", "blob", &format!("{rev}:{path}")], None).map_err(|_| GitError::NoPath {
        rev: rev.to_string(),
        path: path.to_string(),
    })
}

/// One commit that touched a file, with the file as it was then.
#[derive(Clone, Debug)]
pub struct Revision {
    pub commit: String,
    pub short: String,
    /// The author date, `YYYY-MM-DD`.
    pub date: String,
    pub subject: String,
    pub bytes: Vec<u8>,
}

/// How far back [`each_revision`] read the plan's history.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Lookback {
    /// The versions read.
    pub read: usize,
    /// Whether older versions were left unread ([`HISTORY_BYTES`]).
    pub cut: bool,
}

/// Streams the committed versions of `path` to `each`, newest first and one at a time, until
/// it breaks: at most [`HISTORY_LIMIT`] commits and [`HISTORY_BYTES`] of plan text (the newest
/// version is always read). Commits that deleted the file are left out. `None` when the file
/// is not in a git repository (or git is missing).
pub fn each_revision(
    path: &Path,
    each: impl FnMut(Revision) -> ControlFlow<()>,
) -> Option<Lookback> {
    each_revision_within(path, HISTORY_BYTES, each)
}

/// [`each_revision`] reading at most `budget` bytes of plan text.
fn each_revision_within(
    path: &Path,
    budget: usize,
    mut each: impl FnMut(Revision) -> ControlFlow<()>,
) -> Option<Lookback> {
    let dir = dir_of(path);
    let name = path.file_name()?.to_string_lossy().into_owned();
    let prefix = git(dir, &["rev-parse", "--show-prefix"], None).ok()?;
    let full = format!("{}{name}", String::from_utf8_lossy(&prefix).trim());
    let log = git(
        dir,
        &[
            "log",
            &format!("-n{HISTORY_LIMIT}"),
            "--format=%H%x1f%h%x1f%ad%x1f%s",
            "--date=short",
            "--",
            &name,
        ],
        None,
    )
    .ok()?;
    let commits: Vec<[String; 4]> = String::from_utf8_lossy(&log)
        .lines()
        .filter_map(|l| {
            <[String; 4]>::try_from(l.split('\x1f').map(str::to_string).collect::<Vec<_>>()).ok()
        })
        .collect();
    let mut lookback = Lookback::default();
    if commits.is_empty() {
        return Some(lookback);
    }
    // One `git cat-file --batch` for every version, read a version at a time: a province's
    // plan is 24 MB, and 100 versions of it must never be in memory at once.
    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    // One version asked for at a time, and read before the next is asked for (git answers
    // each at once): neither side waits on a full pipe, however long the path.
    let mut ask = child.stdin.take()?;
    let mut out = BufReader::new(child.stdout.take()?);
    let mut bytes_read = 0;
    let read = (|| {
        for [commit, short, date, subject] in commits {
            ask.write_all(format!("{commit}:{full}\n").as_bytes())
                .ok()?;
            let mut header = String::new();
            // Nothing more: git stopped.
            if out.read_line(&mut header).ok()? == 0 {
                return None;
            }
            // `<oid> blob <size>`, or `<object> missing` for a commit that deleted the file.
            let Some(size) = header
                .split(' ')
                .nth(2)
                .and_then(|s| s.trim().parse::<usize>().ok())
            else {
                continue;
            };
            if lookback.read > 0 && bytes_read + size > budget {
                lookback.cut = true;
                break;
            }
            let mut bytes = vec![0; size + 1];
            out.read_exact(&mut bytes).ok()?;
            bytes.pop();
            bytes_read += size;
            lookback.read += 1;
            let revision = Revision {
                commit,
                short,
                date,
                subject,
                bytes,
            };
            if each(revision).is_break() {
                break;
            }
        }
        Some(())
    })();
    drop(ask);
    let _ = child.kill();
    let _ = child.wait();
    read.map(|()| lookback)
}

/// How many commits of a plan file `show`, `check` and `report by-target` look back through.
pub const HISTORY_LIMIT: usize = 100;

/// How much of a plan's history they read, at most: each version read is parsed in full
/// (about 50 ms a MB), so a city plan's 100 versions are all read, and a province plan's
/// (24 MB) only the latest two.
pub const HISTORY_BYTES: usize = 64 << 20;

impl Revision {
    /// The plan as it was in this revision, validated without its source document (the quotes
    /// are not checked); `None` when it was not a valid plan then.
    pub fn plan(&self, path: &Path) -> Option<Plan> {
        let shown = format!("{}:{}", self.short, path.display());
        plan::load_bytes(&shown, &self.bytes, path, None)
            .ok()
            .map(|l| l.plan)
    }
}

/// Streams the committed versions of the plan at `path` that were valid plans to `each`,
/// newest first with their revisions, one at a time ([`each_revision`]).
pub fn each_plan_version(
    path: &Path,
    mut each: impl FnMut(&Revision, &Plan) -> ControlFlow<()>,
) -> Option<Lookback> {
    each_revision(path, |r| match r.plan(path) {
        Some(plan) => each(&r, &plan),
        None => ControlFlow::Continue(()),
    })
}

/// The committed versions of the plan at `path` whose file had one of the `wanted`
/// fingerprints ([`plan::fingerprint`]), by fingerprint. A version never committed (edited and
/// recorded against, then edited again) cannot be found.
pub fn plans_by_fingerprint(path: &Path, wanted: &HashSet<String>) -> HashMap<String, Plan> {
    if wanted.is_empty() {
        return HashMap::new();
    }
    let mut found = HashMap::new();
    each_revision(path, |r| {
        let fingerprint = plan::fingerprint(&r.bytes);
        if wanted.contains(&fingerprint)
            && !found.contains_key(&fingerprint)
            && let Some(p) = r.plan(path)
        {
            found.insert(fingerprint, p);
        }
        match found.len() == wanted.len() {
            true => ControlFlow::Break(()),
            false => ControlFlow::Continue(()),
        }
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A repository whose `plan.toml` was committed as each of `versions`, in order.
    fn repo(versions: &[String]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        let run = |args: &[&str]| {
            let out = Command::new("git")
                .current_dir(dir.path())
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
                .args(args)
                .output()
                .expect("git runs");
            assert!(out.status.success(), "git {args:?}: {out:?}");
        };
        run(&["init", "-q"]);
        for (n, text) in versions.iter().enumerate() {
            std::fs::write(dir.path().join("plan.toml"), text).expect("write");
            run(&["add", "plan.toml"]);
            run(&["commit", "-q", "-m", &format!("v{n}")]);
        }
        dir
    }

    /// What [`each_revision_within`] streams: each version's subject and text.
    fn read(dir: &Path, budget: usize, stop_after: usize) -> (Vec<(String, String)>, Lookback) {
        let mut seen = Vec::new();
        let lookback = each_revision_within(&dir.join("plan.toml"), budget, |r| {
            seen.push((r.subject, String::from_utf8(r.bytes).expect("text")));
            match seen.len() == stop_after {
                true => ControlFlow::Break(()),
                false => ControlFlow::Continue(()),
            }
        })
        .expect("a repository");
        (seen, lookback)
    }

    #[test]
    fn versions_are_read_one_at_a_time_within_the_budget() {
        if Command::new("git").arg("--version").output().is_err() {
            eprintln!("skipped: git is not installed");
            return;
        }
        // Texts of different lengths, each ending without a newline, so that the framing of
        // `git cat-file --batch` is checked.
        let versions: Vec<String> = (0..3).map(|n| "x".repeat(1000 + n * 10)).collect();
        let dir = repo(&versions);
        let newest_first: Vec<(String, String)> = (0..3)
            .rev()
            .map(|n| (format!("v{n}"), versions[n].clone()))
            .collect();
        let (all, lookback) = read(dir.path(), 1 << 20, 99);
        assert_eq!(all, newest_first);
        assert_eq!(
            lookback,
            Lookback {
                read: 3,
                cut: false
            }
        );
        // Room for two versions: the third is left unread, and said to be.
        let (two, lookback) = read(dir.path(), 2100, 99);
        assert_eq!(two, newest_first[..2]);
        assert_eq!(lookback, Lookback { read: 2, cut: true });
        // The newest version is read whatever its size.
        let (one, lookback) = read(dir.path(), 10, 99);
        assert_eq!(one, newest_first[..1]);
        assert_eq!(lookback, Lookback { read: 1, cut: true });
        // A reader that stops early leaves git to be stopped.
        let (first, lookback) = read(dir.path(), 1 << 20, 1);
        assert_eq!(first, newest_first[..1]);
        assert_eq!(
            lookback,
            Lookback {
                read: 1,
                cut: false
            }
        );
    }
}
