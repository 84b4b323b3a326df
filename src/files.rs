//! Writing whole files safely: report files (`--out`), `fmt`, and the plan cache. A file is
//! written to a temporary file beside it, synced, and renamed over the old one, so a reader
//! never sees it half-written and a crash leaves the old file or the new one.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a file could not be written; names the file.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {source}", path.display())]
pub struct FileError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// Writes `bytes` to `path` atomically. A new file gets the usual permissions (0666 less the
/// umask); a rewritten file keeps its mode.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    write(path, bytes).map_err(|source| FileError {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes a set of files so that they are replaced together: every file is written to a
/// temporary file beside it first, and only when all are written are they renamed into place.
/// On failure the temporary files are removed and the old files stay as they were.
pub fn write_set(files: &[(PathBuf, Vec<u8>)]) -> Result<(), FileError> {
    let fail = |path: &Path| {
        let path = path.to_path_buf();
        move |source| FileError { path, source }
    };
    for (path, _) in files {
        if path.is_dir() {
            let source = std::io::Error::other("a folder is in the way");
            return Err(fail(path)(source));
        }
    }
    let mut written = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        written.push((path, prepare(path, bytes).map_err(fail(path))?));
    }
    for (path, tmp) in written {
        tmp.persist(path).map_err(|e| fail(path)(e.error))?;
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    prepare(path, bytes)?.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// `bytes` in a synced temporary file beside `path`, with the mode `path` will have.
fn prepare(path: &Path, bytes: &[u8]) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".plantrack-").suffix(".tmp");
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
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
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
    fn names_the_file_it_cannot_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("a.txt");
        let e = write_atomic(&path, b"x").unwrap_err();
        assert!(e.to_string().contains("missing/a.txt"), "{e}");
    }
}
