//! The validated-plan cache, so that commands other than `check`, `fmt` and `diff` skip
//! parsing and validating a plan that has not changed since the last run.
//!
//! Measured end to end (see `examples/bench-results.md`): on the shipped plan it saves under
//! a millisecond, but on a synthetic plan of about 100,000 items it saves more than half of
//! every run, and `update` reads only the one item it records.
//!
//! Design:
//!
//! - **Where.** In the user's cache directory, which the caller passes in (`app` resolves
//!   `$XDG_CACHE_HOME/plantrack` or `~/.cache/plantrack`): never beside the plan, so read-only
//!   commands change nothing in the plan's folder. One file per plan path, named by the
//!   SHA-256 of that path, so editing a plan replaces its cache instead of adding another.
//! - **Keyed by content.** The header holds the SHA-256 of the plan's bytes and, when the
//!   plan names a source document, of the source text the quotes were checked against. A hit
//!   needs both to match what is on disk now. The plan's digest is remembered with the
//!   file's stat ([`stamp`]), so an unchanged plan is not read at all.
//! - **Verified.** Checksums in the file ([`layout`]) are checked before anything is
//!   decoded: a flipped bit is a miss, never a different plan.
//! - **One item.** [`load_cached_item`] decodes the plan's core and one item, found through
//!   a table sorted by id: what `update` needs, in a fraction of a millisecond.
//! - **Validated once.** The warnings the validation found are stored with the plan:
//!   `check` ([`load_checked`]) shows them without parsing an unchanged plan again. A plan
//!   with errors is never cached, so `check` parses it in full every time until it is fixed.
//! - **Best effort.** Failing to write the cache (a read-only home, a full disk) is ignored;
//!   a cache that is missing, corrupt, or from another version of plantrack is ignored and
//!   rewritten. The plan's lookup index is not stored: `Plan::new` rebuilds it.

mod layout;
mod stamp;

use std::cell::RefCell;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use sha2::{Digest, Sha256};

use super::{Loaded, PlanErrors, fingerprint_of, load_digested, read_plan};
use crate::files::write_cache;
use crate::model::Plan;

type Sha = [u8; 32];

fn sha(bytes: &[u8]) -> Sha {
    Sha256::digest(bytes).into()
}

/// Where plans are cached, and the run's clock, which decides when a plan file has settled.
#[derive(Clone, Debug)]
pub struct PlanCache {
    pub dir: PathBuf,
    pub now: SystemTime,
}

impl PlanCache {
    /// The cache file for the plan at `path`, and its stat memo.
    fn paths(&self, path: &Path) -> (PathBuf, PathBuf) {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let key = sha(absolute.as_os_str().as_encoded_bytes());
        let hex: String = key.iter().take(16).map(|b| format!("{b:02x}")).collect();
        (
            self.dir.join(format!("plan-{hex}.bin")),
            self.dir.join(format!("plan-{hex}.stamp")),
        )
    }

    /// The SHA-256 of the plan file: remembered, or read and hashed (and then remembered).
    fn digest(&self, path: &Path, memo: &Path) -> Result<Sha, PlanErrors> {
        if let Some(digest) = stamp::recall(memo, path) {
            return Ok(digest);
        }
        let digest = hash_file(path)?;
        stamp::remember(memo, path, &digest, self.now);
        Ok(digest)
    }
}

/// The SHA-256 of a plan file, read a block at a time.
fn hash_file(path: &Path) -> Result<Sha, PlanErrors> {
    let hashed = || -> std::io::Result<Sha> {
        let mut file = crate::files::open_input(path)?;
        let mut hasher = Sha256::new();
        let mut block = vec![0; 1 << 20];
        loop {
            match file.read(&mut block)? {
                0 => return Ok(hasher.finalize().into()),
                n => hasher.update(&block[..n]),
            }
        }
    };
    // Any failure to read is reported by reading the file the ordinary way.
    hashed().or_else(|_| read_plan(path).map(|(_, bytes)| sha(&bytes)))
}

/// Like [`super::load`], but answered from the cache when the plan file (and its source
/// document) have the contents they had when the cache was written; otherwise loads in full
/// and rewrites the cache. The result has no warnings.
pub fn load_cached(path: &Path, cache: &PlanCache) -> Result<Loaded, PlanErrors> {
    let mut loaded = load_checked(path, cache)?;
    loaded.warnings.clear();
    Ok(loaded)
}

/// [`load_cached`] with the warnings the plan's validation found, for `check`: a plan that
/// has not changed since it was last validated is not validated again.
pub fn load_checked(path: &Path, cache: &PlanCache) -> Result<Loaded, PlanErrors> {
    let (file, memo) = cache.paths(path);
    let digest = cache.digest(path, &memo)?;
    if let Some((mut f, header, start)) = open(&file, &digest)
        && let Some((plan, (named, mut warnings))) = layout::plan(&mut f, &file, &header, start)
    {
        // Named by the path as it is typed now.
        let shown = path.display().to_string();
        for w in warnings.iter_mut().filter(|w| w.path == named) {
            w.path.clone_from(&shown);
        }
        let mut loaded = loaded(plan, path, &digest, header.source);
        loaded.warnings = warnings;
        return Ok(loaded);
    }
    load_and_cache(path, cache, &file)
}

/// A plan of only the plan's core (meta, sections, units, assessment) and the one item that
/// answers to `id` as the full plan would resolve it, from the cache; `None` when the cache
/// cannot answer (a miss, or no such id: the full plan then says "did you mean").
pub fn load_cached_item(
    path: &Path,
    cache: &PlanCache,
    id: &str,
) -> Result<Option<Loaded>, PlanErrors> {
    let part = load_cached_items(path, cache, &[id])?;
    Ok(part.filter(|loaded| loaded.plan.item(id).is_some()))
}

/// A plan of only the plan's core and the items that answer to `ids` as the full plan would
/// resolve them (an id that none answers to is not in the plan), from the cache; `None` when
/// the cache cannot answer.
pub fn load_cached_items(
    path: &Path,
    cache: &PlanCache,
    ids: &[&str],
) -> Result<Option<Loaded>, PlanErrors> {
    let (file, memo) = cache.paths(path);
    let digest = cache.digest(path, &memo)?;
    Ok(open(&file, &digest).and_then(|(mut f, header, start)| {
        let plan = layout::some_items(&mut f, &header, start, ids)?;
        Some(loaded(plan, path, &digest, header.source))
    }))
}

/// Loads the plan in full and writes its cache.
fn load_and_cache(path: &Path, cache: &PlanCache, file: &Path) -> Result<Loaded, PlanErrors> {
    let (shown, bytes) = read_plan(path)?;
    let digest = sha(&bytes);
    // The source text the quotes are checked against, remembered so that the cache is keyed
    // by exactly what was validated.
    let seen: RefCell<Option<(PathBuf, Sha)>> = RefCell::new(None);
    let read_source = |p: &Path| {
        let text = crate::files::read_input_text(p)?;
        *seen.borrow_mut() = Some((p.to_path_buf(), sha(text.as_bytes())));
        Ok(text)
    };
    // What the parser frees is kept for what comes after it: its peak is the process's.
    crate::memory::keep_freed_to_exit();
    let mut full = load_digested(&shown, &bytes, &digest, path, Some(&read_source))?;
    let seen = seen.take();
    // A source that was named but not read cannot key the cache.
    let keyed = full.source.is_none() || seen.is_some();
    let warnings = (shown, std::mem::take(&mut full.warnings));
    if let Some(encoded) = layout::encode(&full.plan, &warnings, digest, seen).filter(|_| keyed) {
        // Best effort: a cache directory we cannot write to only means no cache.
        let _ = std::fs::create_dir_all(&cache.dir).map(|()| write_cache(file, &encoded));
    }
    full.warnings = warnings.1;
    Ok(full)
}

fn loaded(plan: Plan, path: &Path, digest: &Sha, source: Option<(PathBuf, Sha)>) -> Loaded {
    Loaded {
        plan,
        path: path.to_path_buf(),
        warnings: Vec::new(),
        fingerprint: fingerprint_of(digest),
        source: source.map(|(p, _)| p),
    }
}

/// The cache file and its header, if it was written for a plan whose bytes hash to `digest`
/// and whose source still has the text it had.
fn open(cache: &Path, digest: &Sha) -> Option<(File, layout::Header, u64)> {
    let mut file = File::open(cache).ok()?;
    let (header, start) = layout::header(&mut file)?;
    if header.plan != *digest {
        return None;
    }
    if let Some((source, stamp)) = &header.source {
        let text = crate::files::read_input(source).ok()?;
        (sha(&text) == *stamp).then_some(())?;
    }
    Some((file, header, start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::UnitId;

    /// A copy of the minimal example plan in a temporary directory, and a cache directory.
    fn minimal() -> (tempfile::TempDir, PathBuf, PlanCache) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("plan.toml");
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/plans/minimal.toml");
        std::fs::copy(example, &path).expect("copy the plan");
        let cache = PlanCache {
            dir: dir.path().join("cache"),
            now: SystemTime::now(),
        };
        (dir, path, cache)
    }

    fn cache_path(path: &Path, cache: &PlanCache) -> PathBuf {
        cache.paths(path).0
    }

    /// The whole plan from the cache file, and its source, if the cache answers.
    fn read(file: &Path, digest: &Sha) -> Option<(Plan, Option<PathBuf>)> {
        let (mut f, header, start) = open(file, digest)?;
        let (plan, _) = layout::plan(&mut f, file, &header, start)?;
        Some((plan, header.source.map(|(p, _)| p)))
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
        let agri = UnitId::from("agri");
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
        let loaded = load_cached(
            &path,
            &PlanCache {
                dir: path.join("not-a-dir"),
                now: SystemTime::now(),
            },
        )
        .expect("the plan loads");
        assert_eq!(loaded.plan.targets[0].id.as_str(), "T-toilet");
    }

    #[test]
    fn one_item_is_read_as_the_full_plan_resolves_it() {
        let (_dir, path, cache) = minimal();
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replace(
            "id = \"T-toilet\"\n",
            "id = \"T-toilet\"\nprevious_ids = [\"T-old\"]\n",
        );
        std::fs::write(&path, text).unwrap();
        assert!(
            load_cached_item(&path, &cache, "T-toilet")
                .unwrap()
                .is_none(),
            "no cache yet"
        );
        let full = load_cached(&path, &cache).expect("the plan loads");
        for key in ["T-toilet", "T-old", "M01", "MS-toilet-survey"] {
            let one = load_cached_item(&path, &cache, key)
                .unwrap()
                .expect("a hit");
            let item = one.plan.item(key).expect("the item answers to its key");
            let expected = full.plan.item(key).unwrap();
            assert_eq!(item.id(), expected.id());
            assert_eq!(item.units(), expected.units());
            assert_eq!(one.plan.items().count(), 1);
            assert_eq!(one.plan.units.len(), full.plan.units.len());
            assert_eq!(one.fingerprint, full.fingerprint);
        }
        assert!(load_cached_item(&path, &cache, "T-nope").unwrap().is_none());
        // A flipped bit anywhere gives no plan or the right one, never another item.
        let file = cache_path(&path, &cache);
        let good = std::fs::read(&file).unwrap();
        for at in (0..good.len()).step_by(3) {
            let mut bad = good.clone();
            bad[at] ^= 0x04;
            std::fs::write(&file, &bad).unwrap();
            if let Some(one) = load_cached_item(&path, &cache, "T-toilet").unwrap() {
                let t = &one.plan.targets[0];
                assert_eq!(
                    serde_json::to_value(t).unwrap(),
                    serde_json::to_value(&full.plan.targets[0]).unwrap(),
                    "flipped bit at {at}"
                );
                assert_eq!(one.plan.units.len(), full.plan.units.len());
            }
        }
    }

    /// Asked for a few ids or many (the table probed in the file, or read whole), the items
    /// that answer are the full plan's, each once, and ids no item answers to are not there.
    #[test]
    fn some_items_are_read_as_the_full_plan_resolves_them() {
        let (_dir, path, cache) = minimal();
        let full = load_cached(&path, &cache).expect("the plan loads");
        let all: Vec<&str> = full.plan.items().map(|i| i.id().as_str()).collect();
        let few = ["M01", "T-toilet", "T-nope", "T-toilet"];
        let many: Vec<&str> = all.iter().chain(&few).copied().cycle().take(40).collect();
        assert!(many.len() > layout::PROBED && few.len() <= layout::PROBED);
        for ids in [&few[..], &many[..], &[]] {
            let part = load_cached_items(&path, &cache, ids)
                .unwrap()
                .expect("a hit");
            let mut expected: Vec<&str> = ids
                .iter()
                .filter_map(|id| full.plan.item(id))
                .map(|i| i.id().as_str())
                .collect();
            expected.sort_unstable();
            expected.dedup();
            let mut got: Vec<&str> = part.plan.items().map(|i| i.id().as_str()).collect();
            got.sort_unstable();
            assert_eq!(got, expected, "{ids:?}");
            assert!(part.plan.item("T-nope").is_none());
            assert_eq!(part.plan.units.len(), full.plan.units.len());
        }
    }

    /// Read a few bytes at a time, so that nearly every value is cut by a block's end, the
    /// cache decodes to the same plan and warnings.
    #[test]
    fn a_plan_read_in_small_blocks_is_the_same_plan() {
        let (_dir, path, cache) = minimal();
        let full = load_cached(&path, &cache).expect("the plan loads");
        let (mut f, header, start) =
            open(&cache_path(&path, &cache), &digest_of(&path)).expect("a hit");
        let file = cache_path(&path, &cache);
        for block in [1, 3, 7, 64, 1000] {
            // In one go, and cut in two, the second part on another core.
            for path in [None, Some(file.as_path())] {
                let (plan, _) =
                    layout::plan_in_blocks(&mut f, path, &header, start, block).expect("decodes");
                assert_eq!(
                    serde_json::to_value(&plan).unwrap(),
                    serde_json::to_value(&full.plan).unwrap(),
                    "block of {block}, {path:?}"
                );
            }
        }
    }
}
