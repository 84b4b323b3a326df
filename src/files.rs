//! Writing whole files safely: report files (`--out`), `fmt`, and the caches. A file is
//! written to a temporary file beside it, synced (but for a cache, which checks its bytes when
//! read), and renamed over the old one, so a reader never sees it half-written and a crash
//! leaves the old file or the new one.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::i18n::{Message, Said};

/// The prefix and suffix of every temporary file plantrack writes beside a file.
const TEMP_PREFIX: &str = ".plantrack-";
const TEMP_SUFFIX: &str = ".tmp";

/// The largest plan or source document read: far beyond any real plan (a province's 100,000
/// items make 24 MB), and a guard against `--plan /dev/zero`.
pub const READ_LIMIT: u64 = 64 * 1024 * 1024;

/// Opens an input file (a plan, its source document), refusing what is not a regular file or
/// is larger than [`READ_LIMIT`].
pub fn open_input(path: &Path) -> std::io::Result<std::fs::File> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(Said::io(Message::new(
            "not a regular file (a folder, a device or a pipe)",
        )));
    }
    if meta.len() > READ_LIMIT {
        return Err(too_big());
    }
    std::fs::File::open(path)
}

fn too_big() -> std::io::Error {
    let limit = READ_LIMIT / 1024 / 1024;
    Said::io(Message::new("larger than {n} MB, more than any plan").with("n", limit))
}

/// Reads a whole input file, as [`open_input`] allows it.
pub fn read_input(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = open_input(path)?;
    let len = file.metadata().map_or(0, |m| m.len());
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(READ_LIMIT + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > READ_LIMIT {
        return Err(too_big());
    }
    Ok(bytes)
}

/// [`read_input`] as UTF-8 text.
pub fn read_input_text(path: &Path) -> std::io::Result<String> {
    String::from_utf8(read_input(path)?)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// Removes plantrack's own temporary files in `dir` that are more than an hour older than
/// `now`: left by a write that was killed (a crash cannot run the clean-up that every other
/// path runs). Best effort: what cannot be removed stays.
pub fn sweep_stale(dir: &Path, now: std::time::SystemTime) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let hour = std::time::Duration::from_secs(3600);
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > hour));
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Why a file could not be written; names the file.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub struct FileError {
    pub path: PathBuf,
    /// What the system said (not named `source`, which would make it the error's source and
    /// print it twice).
    pub why: std::io::Error,
}

impl FileError {
    /// The error as the user reads it, in any language; the system's words as they are.
    pub fn message(&self) -> Message {
        Message::new("cannot write {path}: {why}")
            .with("path", self.path.display())
            .with_message("why", (&self.why).into())
    }
}

/// Writes `bytes` to `path` atomically. A new file gets the usual permissions (0666 less the
/// umask); a rewritten file keeps its mode.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    write(path, bytes).map_err(|why| FileError {
        path: path.to_path_buf(),
        why,
    })
}

/// The bytes gathered before each write(2) to a file or stdout: a bulletin at 100,000 items
/// is 96 MB of files, 17,000 writes at the default 8 KiB.
pub const WRITE_BUFFER: usize = 1 << 16;

/// A set of files replaced together: each is written to a temporary file beside it as it is
/// added (so its bytes need not be kept), and only [`FileSet::commit`] renames them all into
/// place. Dropped without a commit, or on any failure, the temporary files are removed and
/// the old files stay as they were.
#[derive(Default)]
pub struct FileSet {
    written: Vec<(PathBuf, tempfile::NamedTempFile)>,
}

impl FileSet {
    /// Takes in the files of `other`, written elsewhere (on another thread), to be committed
    /// with these.
    pub fn absorb(&mut self, other: FileSet) {
        self.written.extend(other.written);
    }

    /// Writes `bytes` beside `path`, to be renamed into place by [`FileSet::commit`].
    pub fn add(&mut self, path: PathBuf, bytes: &[u8]) -> Result<(), FileError> {
        self.add_with(path, |w| w.write_all(bytes))
    }

    /// [`FileSet::add`] for a file written a piece at a time, never whole in memory.
    pub fn add_with(
        &mut self,
        path: PathBuf,
        write: impl FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
    ) -> Result<(), FileError> {
        let fail = |why| FileError {
            path: path.clone(),
            why,
        };
        if path.is_dir() {
            return Err(fail(Said::io(Message::new("a folder is in the way"))));
        }
        let tmp = prepare_with(&path, write).map_err(fail)?;
        self.written.push((path, tmp));
        Ok(())
    }

    /// Renames every file into place; the paths written, in the order they were added.
    pub fn commit(self) -> Result<Vec<PathBuf>, FileError> {
        let mut done = Vec::with_capacity(self.written.len());
        for (path, tmp) in self.written {
            tmp.persist(&path).map_err(|e| FileError {
                path: path.clone(),
                why: e.error,
            })?;
            done.push(path);
        }
        Ok(done)
    }
}

/// Writes a cache file atomically, but does not sync it: a cache checks its bytes when it is
/// read, so a file torn by a crash is a miss, and syncing the plan cache of a province's plan
/// (22 MB) took a fifth of a second.
pub fn write_cache(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    unsynced(path, |w| w.write_all(bytes))?
        .persist(path)
        .map_err(|e| e.error)?;
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    prepare(path, bytes)?.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// `bytes` in a synced temporary file beside `path`, with the mode `path` will have.
fn prepare(path: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    prepare_with(path, |w| w.write_all(bytes))
}

/// What `write` writes, in a synced temporary file beside `path`, with the mode `path` will
/// have.
fn prepare_with(
    path: &Path,
    write: impl FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
) -> std::io::Result<tempfile::NamedTempFile> {
    let tmp = unsynced(path, write)?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// [`prepare_with`] but for the sync.
fn unsynced(
    path: &Path,
    write: impl FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The mode passed to open(2), which the umask then narrows, as for any new file.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    if let Ok(old) = std::fs::metadata(path) {
        tmp.as_file().set_permissions(old.permissions())?;
    }
    let mut buffered = std::io::BufWriter::with_capacity(WRITE_BUFFER, tmp.as_file_mut());
    write(&mut buffered)?;
    buffered.flush()?;
    drop(buffered);
    Ok(tmp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replaces_and_keeps_the_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        write_atomic(&path, b"one").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            // Never narrower than the owner's read and write, never the 0600 of a temp file
            // unless the umask says so.
            assert_eq!(mode(&path) & 0o600, 0o600);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
            write_atomic(&path, b"two").unwrap();
            assert_eq!(mode(&path), 0o640);
        }
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn stale_temporary_files_are_swept_and_fresh_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".plantrack-abc.tmp");
        let fresh = dir.path().join(".plantrack-def.tmp");
        let other = dir.path().join(".someone-else.tmp");
        for p in [&stale, &fresh, &other] {
            std::fs::write(p, b"x").unwrap();
        }
        let made = std::fs::metadata(&fresh).unwrap().modified().unwrap();
        let later = made + std::time::Duration::from_secs(90 * 60);
        // Only the stale one is older than an hour at `later`: make `fresh` newer.
        std::fs::File::options()
            .write(true)
            .open(&fresh)
            .unwrap()
            .set_modified(later - std::time::Duration::from_secs(60))
            .unwrap();
        sweep_stale(dir.path(), later);
        assert!(!stale.exists());
        assert!(fresh.exists() && other.exists());
    }

    #[test]
    fn input_that_is_not_a_regular_file_is_refused() {
        let e = read_input(Path::new("/dev/zero")).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        assert!(read_input(dir.path()).is_err());
    }

    #[test]
    fn names_the_file_it_cannot_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("a.txt");
        let e = write_atomic(&path, b"x").unwrap_err();
        assert!(e.to_string().contains("missing/a.txt"), "{e}");
    }
}
