//! The plan file's SHA-256 without reading the file: remembered beside the cache with the
//! file's identity and times, as git's index remembers a file's stat.
//!
//! A province plan is tens of megabytes, and hashing it on every run cost more than
//! recording an update. The memo holds the file's device, inode, size, modification time
//! and change time (all to the nanosecond), and its digest. It answers only when all five
//! are what they were. Any write to the file changes its change time, which no tool can set
//! back, so an edit that keeps the size and resets the modification time is still seen.
//!
//! A memo is written only for a file whose times are at least [`SETTLED`] before the run's
//! clock: a file system stamps times coarsely (a few milliseconds), so a file written in the
//! same tick as it was hashed could change again without its times changing. Such a file is
//! hashed again on the next run, which then writes the memo.

use std::path::Path;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use super::Sha;

/// How long a file must have been left alone before its stat stands for its contents.
const SETTLED: Duration = Duration::from_secs(2);

const MAGIC: &[u8] = b"plantrack plan stamp 1\n";

/// What identifies a file's contents without reading them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Stat {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

#[cfg(unix)]
fn stat(path: &Path) -> Option<(Stat, SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    let stat = Stat {
        dev: m.dev(),
        ino: m.ino(),
        size: m.size(),
        mtime: (m.mtime(), m.mtime_nsec()),
        ctime: (m.ctime(), m.ctime_nsec()),
    };
    let ctime = SystemTime::UNIX_EPOCH
        + Duration::new(u64::try_from(m.ctime()).ok()?, m.ctime_nsec() as u32);
    // The later of the two times: the change time is never before the modification time
    // unless a tool set the latter into the future.
    Some((stat, m.modified().ok()?.max(ctime)))
}

#[cfg(not(unix))]
fn stat(_: &Path) -> Option<(Stat, SystemTime)> {
    None
}

/// The digest remembered for the file at `path`, if the file is as it was then.
pub(super) fn recall(memo: &Path, path: &Path) -> Option<Sha> {
    let bytes = std::fs::read(memo).ok()?;
    let (stat, digest): (Stat, Sha) = postcard::from_bytes(bytes.strip_prefix(MAGIC)?).ok()?;
    (stat == self::stat(path)?.0).then_some(digest)
}

/// Remembers `digest` for the file at `path` if the file has settled by `now`. Best effort.
pub(super) fn remember(memo: &Path, path: &Path, digest: &Sha, now: SystemTime) {
    let Some((stat, changed)) = stat(path) else {
        return;
    };
    if changed + SETTLED > now {
        return;
    }
    if let (Ok(bytes), Some(dir)) = (
        postcard::to_extend(&(stat, digest), MAGIC.to_vec()),
        memo.parent(),
    ) && std::fs::create_dir_all(dir).is_ok()
    {
        let _ = crate::files::write_atomic(memo, &bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memo_answers_until_the_file_changes_even_with_its_old_times() {
        let dir = tempfile::tempdir().unwrap();
        let (path, memo) = (dir.path().join("plan.toml"), dir.path().join("memo"));
        std::fs::write(&path, "value = 90\n").unwrap();
        let digest = [7; 32];
        let later = SystemTime::now() + Duration::from_secs(60);
        remember(&memo, &path, &digest, SystemTime::now());
        assert_eq!(
            recall(&memo, &path),
            None,
            "an unsettled file is not remembered"
        );
        remember(&memo, &path, &digest, later);
        assert_eq!(recall(&memo, &path), Some(digest));
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        // Past the file system's clock tick, as any later edit by a person is.
        std::thread::sleep(Duration::from_millis(50));
        std::fs::write(&path, "value = 91\n").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .and_then(|f| f.set_modified(modified))
            .unwrap();
        assert_eq!(recall(&memo, &path), None, "the change time moved");
        std::fs::write(&memo, b"garbage").unwrap();
        assert_eq!(recall(&memo, &path), None);
    }
}
