//! The validated-plan cache, so that commands other than `check`, `fmt` and `diff` skip
//! parsing and validating a plan that has not changed since the last run.
//!
//! Measured end to end on `report overdue` (see the README): on the shipped plan it saves
//! under a millisecond, but on a synthetic plan of about 100,000 items it saves more than half
//! of the run, so it stays.
//!
//! Design:
//!
//! - **Where.** In the user's cache directory, which the caller passes in (`app` resolves
//!   `$XDG_CACHE_HOME/plantrack` or `~/.cache/plantrack`): never beside the plan, so read-only
//!   commands change nothing in the plan's folder. One file per plan path, named by the
//!   SHA-256 of that path, so editing a plan replaces its cache instead of adding another.
//! - **Keyed by content.** The header holds the SHA-256 of the plan's bytes and, when the
//!   plan names a source document, of the source text the quotes were checked against. A hit
//!   needs both to match what is on disk now: no modification times, no clock.
//! - **Verified.** The header also holds the SHA-256 of the encoded plan, checked before it
//!   is decoded: a flipped bit is a miss, never a different plan.
//! - **Best effort.** Failing to write the cache (a read-only home, a full disk) is ignored;
//!   a cache that is missing, corrupt, or from another version of plantrack is ignored and
//!   rewritten. A plan with errors is never cached. Warnings are not stored: only `check`
//!   shows them, and `check` always loads in full.
//! - **Layout.** A text line naming the cache format and plantrack's version, then, in
//!   `postcard`, the [`Header`] and the validated [`Plan`]. The plan's lookup index is not
//!   stored: deserializing a `Plan` rebuilds it through `Plan::new`.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Loaded, PlanErrors, fingerprint, load_bytes, read_plan};
use crate::files::write_atomic;
use crate::model::Plan;

/// Bumped whenever the layout of the cache or of the model changes within one version.
const FORMAT: u32 = 2;

type Sha = [u8; 32];

fn sha(bytes: &[u8]) -> Sha {
    Sha256::digest(bytes).into()
}

/// The first line of a cache file.
fn magic() -> String {
    format!(
        "plantrack plan cache {FORMAT} {}\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// What the cached plan was validated against, and a checksum of the plan that follows.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    plan: Sha,
    /// The source document as the load resolved it, and the SHA-256 of its text.
    source: Option<(PathBuf, Sha)>,
    payload: Sha,
}

/// The cache file for the plan at `path`, in `dir`.
fn cache_path(path: &Path, dir: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let key = sha(absolute.as_os_str().as_encoded_bytes());
    let hex: String = key.iter().take(16).map(|b| format!("{b:02x}")).collect();
    dir.join(format!("plan-{hex}.bin"))
}

/// Like [`super::load`], but answered from the cache in `dir` when the plan file (and its
/// source document) have the contents they had when the cache was written; otherwise loads
/// in full and rewrites the cache. The result has no warnings.
pub fn load_cached(path: &Path, dir: &Path) -> Result<Loaded, PlanErrors> {
    let (shown, bytes) = read_plan(path)?;
    let digest = sha(&bytes);
    let cache = cache_path(path, dir);
    if let Some(plan) = read(&cache, &digest) {
        return Ok(loaded(plan, path, &bytes));
    }
    // The source text the quotes are checked against, remembered so that the cache is keyed
    // by exactly what was validated.
    let seen: RefCell<Option<(PathBuf, Sha)>> = RefCell::new(None);
    let read_source = |p: &Path| {
        let text = crate::files::read_input_text(p)?;
        *seen.borrow_mut() = Some((p.to_path_buf(), sha(text.as_bytes())));
        Ok(text)
    };
    let mut full = load_bytes(&shown, &bytes, path, Some(&read_source))?;
    let seen = seen.take();
    // A source that was named but not read cannot key the cache.
    let keyed = full.source.is_none() || seen.is_some();
    if let Some(encoded) = encode(&full.plan, digest, seen).filter(|_| keyed) {
        // Best effort: a cache directory we cannot write to only means no cache.
        let _ = std::fs::create_dir_all(dir).map(|()| write_atomic(&cache, &encoded));
    }
    full.warnings.clear();
    Ok(full)
}

fn loaded(plan: (Plan, Option<PathBuf>), path: &Path, bytes: &[u8]) -> Loaded {
    Loaded {
        plan: plan.0,
        path: path.to_path_buf(),
        warnings: Vec::new(),
        fingerprint: fingerprint(bytes),
        source: plan.1,
    }
}

/// The cached plan and its source path, if the cache is intact and was written for a plan
/// whose bytes hash to `digest` and whose source still has the text it had.
fn read(cache: &Path, digest: &Sha) -> Option<(Plan, Option<PathBuf>)> {
    let bytes = std::fs::read(cache).ok()?;
    let rest = bytes.strip_prefix(magic().as_bytes())?;
    let (header, payload) = postcard::take_from_bytes::<Header>(rest).ok()?;
    if header.plan != *digest || sha(payload) != header.payload {
        return None;
    }
    let source = match header.source {
        Some((source, stamp)) => {
            let text = crate::files::read_input(&source).ok()?;
            (sha(&text) == stamp).then_some(Some(source))?
        }
        None => None,
    };
    let (plan, rest) = postcard::take_from_bytes::<Plan>(payload).ok()?;
    rest.is_empty().then_some((plan, source))
}

/// The cache's bytes for a plan whose file hashes to `digest`, validated against `source`.
fn encode(plan: &Plan, digest: Sha, source: Option<(PathBuf, Sha)>) -> Option<Vec<u8>> {
    let payload = postcard::to_stdvec(plan).ok()?;
    let header = Header {
        plan: digest,
        source,
        payload: sha(&payload),
    };
    let mut bytes = postcard::to_extend(&header, magic().into_bytes()).ok()?;
    bytes.extend_from_slice(&payload);
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::UnitId;

    /// A copy of the minimal example plan in a temporary directory, and a cache directory.
    fn minimal() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("plan.toml");
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/plans/minimal.toml");
        std::fs::copy(example, &path).expect("copy the plan");
        let cache = dir.path().join("cache");
        (dir, path, cache)
    }

    fn digest_of(path: &Path) -> Sha {
        sha(&std::fs::read(path).unwrap())
    }

    #[test]
    fn a_round_trip_rebuilds_the_index() {
        let (_dir, path, dir) = minimal();
        let full = super::super::load(&path).expect("the plan loads");
        let fresh = load_cached(&path, &dir).expect("the plan loads");
        let cache = cache_path(&path, &dir);
        assert!(cache.exists(), "the cache is written");
        assert_eq!(fresh.fingerprint, full.fingerprint);

        let (b, source) = read(&cache, &digest_of(&path)).expect("the cache is valid");
        assert_eq!(source, None);
        let cached = load_cached(&path, &dir).expect("a hit");
        assert_eq!(cached.fingerprint, full.fingerprint);
        assert_eq!(cached.path, path);
        assert!(cached.warnings.is_empty());
        let a = &full.plan;
        assert_eq!(
            serde_json::to_value(a).unwrap(),
            serde_json::to_value(&b).unwrap()
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
            b.unit("counties").map(|u| u.name.as_str()),
            Some("各县、区人民政府")
        );
        assert!(b.measure("M01").is_some());
        let agri = UnitId("agri".into());
        let ids =
            |p: &Plan| -> Vec<String> { p.items_of(&agri).map(|i| i.id().to_string()).collect() };
        assert_eq!(ids(&b), ids(a));
        assert_eq!(ids(&b), ["M01", "T-toilet", "MS-toilet-survey"]);
        let beside: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            beside.len(),
            2,
            "nothing is written beside the plan: {beside:?}"
        );
    }

    #[test]
    fn a_changed_plan_misses_even_at_the_same_length_and_time() {
        let (_dir, path, dir) = minimal();
        load_cached(&path, &dir).expect("the plan loads");
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("value = 90", "value = 91")).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .and_then(|f| f.set_modified(modified))
            .unwrap();
        assert!(read(&cache_path(&path, &dir), &digest_of(&path)).is_none());
        let loaded = load_cached(&path, &dir).expect("the plan loads");
        assert_eq!(loaded.plan.targets[0].value, 91.0);
    }

    #[test]
    fn a_changed_source_misses() {
        let (tmp, path, dir) = minimal();
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replace(
            "\n[[section]]",
            "\n[source]\nfile = \"doc.txt\"\n\n[[section]]",
        );
        std::fs::write(&path, text).unwrap();
        let source = tmp.path().join("doc.txt");
        let doc = "推进农村厕所改造工程,确保无害化卫生厕所普及率在2022年底前达到90%以上。\n\
                   市农业农村局 市卫生健康委 各县、区人民政府 市政府督考办\n";
        std::fs::write(&source, doc).unwrap();
        let full = load_cached(&path, &dir).expect("the plan loads");
        assert_eq!(full.source.as_deref(), Some(source.as_path()));
        let cached = load_cached(&path, &dir).expect("a hit");
        assert_eq!(cached.source.as_deref(), Some(source.as_path()));
        assert!(read(&cache_path(&path, &dir), &digest_of(&path)).is_some());
        std::fs::write(&source, doc.replace("90%", "95%")).unwrap();
        assert!(read(&cache_path(&path, &dir), &digest_of(&path)).is_none());
        let errors = load_cached(&path, &dir).expect_err("the quote is no longer in the source");
        assert!(errors.to_string().contains("quote"), "{errors}");
    }

    #[test]
    fn any_flipped_bit_misses_and_the_cache_is_rewritten() {
        let (_dir, path, dir) = minimal();
        load_cached(&path, &dir).expect("the plan loads");
        let cache = cache_path(&path, &dir);
        let good = std::fs::read(&cache).unwrap();
        let digest = digest_of(&path);
        // Every byte of the header and a spread of the payload.
        for at in (0..good.len()).step_by(7) {
            let mut bad = good.clone();
            bad[at] ^= 0x10;
            std::fs::write(&cache, &bad).unwrap();
            assert!(
                read(&cache, &digest).is_none(),
                "a flipped bit at {at} is a miss"
            );
        }
        for bad in [
            b"garbage".to_vec(),
            Vec::new(),
            good[..good.len() - 1].to_vec(),
        ] {
            std::fs::write(&cache, &bad).unwrap();
            assert!(read(&cache, &digest).is_none());
            load_cached(&path, &dir).expect("the plan loads");
            assert_eq!(
                std::fs::read(&cache).unwrap(),
                good,
                "the cache is rewritten"
            );
        }
    }

    #[test]
    fn an_unwritable_cache_directory_is_silent() {
        let (_dir, path, _) = minimal();
        let loaded = load_cached(&path, &path.join("not-a-dir")).expect("the plan loads");
        assert_eq!(loaded.plan.targets[0].id.as_str(), "T-toilet");
    }
}
