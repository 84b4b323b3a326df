//! The validated-plan cache, so that commands other than `check`, `fmt` and `diff` skip
//! parsing and validating a plan that has not changed since the last run.
//!
//! Design:
//!
//! - **Where.** One file beside the plan: `<plan dir>/.<plan file name>.cache` (git-ignored by
//!   the pattern `.*.cache`). It is written with a temporary file and a rename, so a reader
//!   never sees half of it.
//! - **Best effort.** The cache only ever saves time. Failing to write it (a read-only
//!   directory, a full disk) is ignored; a cache that is missing, unreadable, corrupt, from
//!   another version of plantrack or for another state of the files is ignored, the plan is
//!   loaded in full and the cache rewritten. A plan with errors is never cached, and never
//!   answered from the cache: its stamp differs from the one of the last valid version.
//! - **Layout.** A text line naming the cache format and plantrack's version (any difference
//!   is a miss before anything is decoded), then, in `postcard`: the [`Header`] (validity key
//!   and fingerprint) and the validated [`Plan`]'s parts. The plan's lookup index is not
//!   stored: deserializing a `Plan` rebuilds it through `Plan::new`. Warnings are not stored
//!   either: only `check` shows them, and `check` always loads in full.
//! - **Validity key.** The length and modification time (in nanoseconds) of the plan file and,
//!   when the plan's `[source]` table names a document, of that document too (its path is kept
//!   relative to the plan's directory, as the plan writes it). Both are checked with one
//!   `stat` each; the plan is not read or hashed on a hit. The fingerprint (the SHA-256 prefix
//!   of the plan's bytes) is stored, so updates still record the right one.
//! - **Racy writes.** A file changed twice within its file system's timestamp granularity can
//!   keep its length and modification time. So, as git does for its index, a load does not
//!   write the cache while any keyed file was modified less than [`RACY`] before the load
//!   began: a plan just saved is cached by the first load a moment later. What stays out of
//!   reach is a file rewritten with the same length *and* its old modification time set back
//!   on purpose (`touch -d`), or a network file system whose clock is far off this machine's;
//!   for those, `PLANTRACK_NO_CACHE=1` turns the cache off (read in `app`, which then calls
//!   [`super::load`] instead of [`load_cached`]).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::{Loaded, PlanErrors, load};
use crate::model::Plan;

/// Bumped whenever the layout of the cache or of the model changes within one version.
const FORMAT: u32 = 1;

/// A load does not write the cache when a keyed file was modified less than this before the
/// load began: more than the timestamp granularity of common file systems (FAT's is 2 s).
const RACY: Duration = Duration::from_secs(3);

/// The first line of a cache file.
fn magic() -> String {
    format!(
        "plantrack plan cache {FORMAT} {}\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// A file's length and modification time, nanoseconds from the Unix epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    len: u64,
    mtime_ns: i128,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = meta.modified().ok()?;
        Some(Stamp {
            len: meta.len(),
            mtime_ns: match modified.duration_since(UNIX_EPOCH) {
                Ok(d) => d.as_nanos() as i128,
                Err(e) => -(e.duration().as_nanos() as i128),
            },
        })
    }

    /// Whether the file was modified less than [`RACY`] before `started` (or after it).
    fn is_racy(self, started: SystemTime) -> bool {
        let started = match started.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(_) => return true,
        };
        self.mtime_ns > started - RACY.as_nanos() as i128
    }
}

/// What the cached plan was loaded from, and the plan file's fingerprint.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    plan: Stamp,
    /// The source document, relative to the plan's directory (or absolute, as the plan names
    /// it), and its stamp.
    source: Option<(PathBuf, Stamp)>,
    fingerprint: String,
}

/// `<plan dir>/.<plan file name>.cache`; `None` for a path without a file name.
fn cache_path(plan: &Path) -> Option<PathBuf> {
    let name = plan.file_name()?.to_string_lossy();
    Some(dir_of(plan).join(format!(".{name}.cache")))
}

fn dir_of(plan: &Path) -> &Path {
    plan.parent().unwrap_or(Path::new(""))
}

/// Like [`load`], but answered from the plan's cache when the plan file (and its source
/// document) have not changed since the cache was written; otherwise loads in full and
/// rewrites the cache. The result has no warnings.
pub fn load_cached(path: &Path) -> Result<Loaded, PlanErrors> {
    let Some(cache) = cache_path(path) else {
        return load(path);
    };
    if let Some(loaded) = read(path, &cache) {
        return Ok(loaded);
    }
    let started = SystemTime::now();
    let loaded = load(path)?;
    if let Some(bytes) = encode(&loaded, started) {
        // Best effort: a directory we cannot write to only means no cache.
        let _ = crate::app::write_atomic(&cache, &bytes);
    }
    Ok(loaded)
}

/// The cached plan, if the cache is readable, intact and still valid for `path`.
fn read(path: &Path, cache: &Path) -> Option<Loaded> {
    let bytes = std::fs::read(cache).ok()?;
    let rest = bytes.strip_prefix(magic().as_bytes())?;
    let (header, rest) = postcard::take_from_bytes::<Header>(rest).ok()?;
    if Stamp::of(path)? != header.plan {
        return None;
    }
    let source = match header.source {
        Some((relative, stamp)) => {
            let source = dir_of(path).join(relative);
            if Stamp::of(&source)? != stamp {
                return None;
            }
            Some(source)
        }
        None => None,
    };
    let (plan, rest) = postcard::take_from_bytes::<Plan>(rest).ok()?;
    if !rest.is_empty() {
        return None;
    }
    Some(Loaded {
        plan,
        path: path.to_path_buf(),
        warnings: Vec::new(),
        fingerprint: header.fingerprint,
        source,
    })
}

/// The cache's bytes for a plan loaded in full by a load that began at `started`; `None` when
/// a keyed file is missing or was modified too recently to be trusted.
fn encode(loaded: &Loaded, started: SystemTime) -> Option<Vec<u8>> {
    let plan = Stamp::of(&loaded.path)?;
    let source = match &loaded.source {
        Some(source) => {
            let stamp = Stamp::of(source)?;
            let relative = source.strip_prefix(dir_of(&loaded.path)).unwrap_or(source);
            Some((relative.to_path_buf(), stamp))
        }
        None => None,
    };
    if plan.is_racy(started) || source.as_ref().is_some_and(|(_, s)| s.is_racy(started)) {
        return None;
    }
    let header = Header {
        plan,
        source,
        fingerprint: loaded.fingerprint.clone(),
    };
    let bytes = postcard::to_extend(&header, magic().into_bytes()).ok()?;
    postcard::to_extend(&loaded.plan, bytes).ok()
}

#[cfg(test)]
mod tests {
    use std::fs::File;

    use super::*;
    use crate::model::UnitId;

    /// A copy of the minimal example plan in a temporary directory, modified an hour ago.
    fn minimal() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("plan.toml");
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/plans/minimal.toml");
        std::fs::copy(example, &path).expect("copy the plan");
        backdate(&path);
        (dir, path)
    }

    fn backdate(path: &Path) {
        let hour_ago = SystemTime::now() - Duration::from_secs(3600);
        File::options()
            .write(true)
            .open(path)
            .and_then(|f| f.set_modified(hour_ago))
            .expect("set the modification time");
    }

    #[test]
    fn a_round_trip_rebuilds_the_index() {
        let (_dir, path) = minimal();
        let full = load(&path).expect("the plan loads");
        let cache = cache_path(&path).expect("a cache path");
        assert_eq!(cache.file_name().unwrap(), ".plan.toml.cache");
        let fresh = load_cached(&path).expect("the plan loads");
        assert!(cache.exists(), "the cache is written");
        assert_eq!(fresh.fingerprint, full.fingerprint);

        let cached = read(&path, &cache).expect("the cache is valid");
        assert_eq!(cached.fingerprint, full.fingerprint);
        assert_eq!(cached.path, path);
        assert!(cached.warnings.is_empty());
        let (a, b) = (&full.plan, &cached.plan);
        assert_eq!(
            serde_json::to_value(a).unwrap(),
            serde_json::to_value(b).unwrap()
        );
        for item in a.items() {
            let found = b.item(item.id().as_str()).expect("item found");
            assert_eq!(found.id(), item.id());
            assert_eq!(found.kind(), item.kind());
        }
        assert_eq!(
            b.item("T-toilet").map(|i| i.title()),
            Some("农村无害化卫生厕所普及率")
        );
        assert!(b.item("nope").is_none());
        assert_eq!(
            b.find_unit("市卫健委").map(|u| u.id.as_str()),
            Some("health")
        );
        assert_eq!(
            b.find_unit("市农业农村局").map(|u| u.id.as_str()),
            Some("agri")
        );
        assert_eq!(
            b.unit("counties").map(|u| u.name.as_str()),
            Some("各县、区人民政府")
        );
        assert!(b.measure("M01").is_some());
        let agri = UnitId("agri".into());
        let ids =
            |p: &Plan| -> Vec<String> { p.items_of(&agri).map(|i| i.id().to_string()).collect() };
        assert_eq!(ids(b), ids(a));
        assert_eq!(ids(b), ["M01", "T-toilet", "MS-toilet-survey"]);
    }

    #[test]
    fn a_changed_plan_misses() {
        let (_dir, path) = minimal();
        let cache = cache_path(&path).unwrap();
        load_cached(&path).expect("the plan loads");
        assert!(read(&path, &cache).is_some());
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("value = 90", "value = 95")).unwrap();
        assert!(
            read(&path, &cache).is_none(),
            "a new modification time misses"
        );
        let loaded = load_cached(&path).expect("the plan loads");
        assert_eq!(loaded.plan.targets[0].value, 95.0);
    }

    #[test]
    fn a_plan_just_modified_is_not_cached() {
        let (_dir, path) = minimal();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text).unwrap();
        load_cached(&path).expect("the plan loads");
        assert!(!cache_path(&path).unwrap().exists());
    }

    #[test]
    fn a_changed_source_misses() {
        let (dir, path) = minimal();
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replace(
            "\n[[section]]",
            "\n[source]\nfile = \"doc.txt\"\n\n[[section]]",
        );
        std::fs::write(&path, text).unwrap();
        backdate(&path);
        let source = dir.path().join("doc.txt");
        let doc = "推进农村厕所改造工程,确保无害化卫生厕所普及率在2022年底前达到90%以上。\n";
        std::fs::write(&source, doc).unwrap();
        backdate(&source);
        let cache = cache_path(&path).unwrap();
        let full = load_cached(&path).expect("the plan loads");
        assert_eq!(full.source.as_deref(), Some(source.as_path()));
        let cached = read(&path, &cache).expect("the cache is valid");
        assert_eq!(cached.source.as_deref(), Some(source.as_path()));
        std::fs::write(&source, doc.replace("90%", "95%")).unwrap();
        assert!(read(&path, &cache).is_none(), "a changed source misses");
        let errors = load_cached(&path).expect_err("the quote is no longer in the source");
        assert!(errors.to_string().contains("quote"), "{errors}");
    }

    #[test]
    fn garbage_and_other_versions_miss() {
        let (_dir, path) = minimal();
        let cache = cache_path(&path).unwrap();
        load_cached(&path).expect("the plan loads");
        let good = std::fs::read(&cache).unwrap();
        for bad in [
            b"garbage".to_vec(),
            Vec::new(),
            good[..good.len() - 1].to_vec(),
            [good.as_slice(), b"x"].concat(),
            [
                b"plantrack plan cache 0 0.0.0\n".as_slice(),
                &good[magic().len()..],
            ]
            .concat(),
        ] {
            std::fs::write(&cache, &bad).unwrap();
            assert!(read(&path, &cache).is_none());
            load_cached(&path).expect("the plan loads");
            assert_eq!(
                std::fs::read(&cache).unwrap(),
                good,
                "the cache is rewritten"
            );
        }
    }
}
