//! Reading plan files out of git, which runs as a subprocess: one file at a revision
//! (`REV:PATH`), and the committed versions of a plan, newest first, for `show` (the revisions
//! in which an item changed) and `report by-target` (the plan an entry was recorded against,
//! found by its fingerprint). Nothing here writes to a repository.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

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

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GitError::NotInstalled(e) => write!(f, "cannot run git: {e}"),
            GitError::NotARepository(dir) if dir == Path::new(".") => {
                write!(f, "the current folder is not in a git repository")
            }
            GitError::NotARepository(dir) => {
                write!(f, "{} is not in a git repository", dir.display())
            }
            GitError::NoRevision(rev) => {
                write!(f, "no revision \"{rev}\" in the git repository")
            }
            GitError::NoPath { rev, path } => write!(
                f,
                "revision \"{rev}\" has no file \"{path}\" (paths are relative to the \
                 repository's top folder, or start with ./ for the current folder)"
            ),
            GitError::Failed(message) => write!(f, "git: {message}"),
        }
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

/// The committed versions of `path`, newest first, at most `limit` of them; `None` when the
/// file is not in a git repository (or git is missing). Commits that deleted the file are
/// left out.
pub fn history(path: &Path, limit: usize) -> Option<Vec<Revision>> {
    let dir = dir_of(path);
    let name = path.file_name()?.to_string_lossy().into_owned();
    let prefix = git(dir, &["rev-parse", "--show-prefix"], None).ok()?;
    let full = format!("{}{name}", String::from_utf8_lossy(&prefix).trim());
    let log = git(
        dir,
        &[
            "log",
            &format!("-n{limit}"),
            "--format=%H%x1f%h%x1f%ad%x1f%s",
            "--date=short",
            "--",
            &name,
        ],
        None,
    )
    .ok()?;
    let commits: Vec<Vec<String>> = String::from_utf8_lossy(&log)
        .lines()
        .map(|l| l.split('\x1f').map(str::to_string).collect())
        .filter(|fields: &Vec<String>| fields.len() == 4)
        .collect();
    if commits.is_empty() {
        return Some(Vec::new());
    }
    // One `git cat-file --batch` for every version instead of one process each.
    let request: String = commits
        .iter()
        .map(|c| format!("{}:{full}\n", c[0]))
        .collect();
    let blobs = git(dir, &["cat-file", "--batch"], Some(request.as_bytes())).ok()?;
    let mut rest = blobs.as_slice();
    let mut out = Vec::new();
    for c in commits {
        let (header, after) = split_line(rest)?;
        rest = after;
        // `<oid> blob <size>`, or `<object> missing` for a commit that deleted the file.
        let size: Option<usize> = header.split(' ').nth(2).and_then(|s| s.parse().ok());
        let Some(size) = size else { continue };
        let bytes = rest.get(..size)?.to_vec();
        rest = rest.get(size + 1..).unwrap_or_default();
        let [commit, short, date, subject] = <[String; 4]>::try_from(c).ok()?;
        out.push(Revision {
            commit,
            short,
            date,
            subject,
            bytes,
        });
    }
    Some(out)
}

fn split_line(bytes: &[u8]) -> Option<(String, &[u8])> {
    let end = bytes.iter().position(|&b| b == b'\n')?;
    Some((
        String::from_utf8_lossy(&bytes[..end]).into_owned(),
        &bytes[end + 1..],
    ))
}

/// How many commits of a plan file `show` and `report by-target` look back through.
pub const HISTORY_LIMIT: usize = 100;

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

/// The committed versions of the plan at `path` that were valid plans, newest first, with
/// their revisions; empty outside a git repository.
pub fn plan_versions(path: &Path) -> Vec<(Revision, Plan)> {
    history(path, HISTORY_LIMIT)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|r| r.plan(path).map(|p| (r, p)))
        .collect()
}

/// The committed versions of the plan at `path` whose file had one of the `wanted`
/// fingerprints ([`plan::fingerprint`]), by fingerprint. A version never committed (edited and
/// recorded against, then edited again) cannot be found.
pub fn plans_by_fingerprint(path: &Path, wanted: &HashSet<String>) -> HashMap<String, Plan> {
    if wanted.is_empty() {
        return HashMap::new();
    }
    let mut found = HashMap::new();
    for r in history(path, HISTORY_LIMIT).unwrap_or_default() {
        let fingerprint = plan::fingerprint(&r.bytes);
        if wanted.contains(&fingerprint)
            && !found.contains_key(&fingerprint)
            && let Some(p) = r.plan(path)
        {
            found.insert(fingerprint, p);
        }
    }
    found
}
