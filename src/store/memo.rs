//! The facts memo: the ledger's facts on an as-of date, kept in the user's cache directory
//! so that the next report on the same day reads them instead of folding the ledger again.
//!
//! Folding half a million entries is most of a report's time at province scale (a third of
//! a second on two cores); reading the kept facts back is a few hundredths.
//!
//! - **Keyed by what the facts depend on.** The plan's fingerprint, the as-of date, and the
//!   ledger's last entry with its link in the hash chain ([`super::chain`]). The ledger is
//!   append-only, and every link covers every entry before it, so facts kept at entry N hold
//!   for as long as entry N keeps its hash.
//! - **Brought up to date, not thrown away.** When entries were recorded since, only those
//!   are folded into the kept facts: a report after an update folds one entry. A report on a
//!   day with no kept facts starts from the latest earlier day's and folds in the entries
//!   dated since, through the date index: the first report of a day folds one day's entries.
//!   A correction of an entry the kept facts already counted folds everything again.
//! - **Verified.** A CRC-32 over the file: a torn or flipped file is a miss, never other
//!   facts. Written to a temporary file and renamed, never synced: losing it costs a fold.
//! - **Bounded.** One file per ledger and as-of slot (the day number modulo [`SLOTS`]): the
//!   reports of a few days at a time each find theirs, and the directory never grows.
//! - **Best effort.** Failing to read or write it is silent; `PLANTRACK_NO_CACHE=1` turns it
//!   off with the plan cache.

use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use foldhash::HashMap;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::read::{Corrections, Entries, Split};
use super::{Result, Store};
use crate::model::{ItemFacts, ItemId, Plan, Snapshot, UnitFacts, UnitId};

/// Bumped whenever the file's layout or what a snapshot holds changes.
const FORMAT: u32 = 2;

const MAGIC: &[u8; 16] = b"plantrack facts\n";

/// As-of days kept per ledger.
const SLOTS: i32 = 4;

/// Where the facts are kept: the user's cache directory for plantrack.
#[derive(Clone, Debug)]
pub struct FactsMemo {
    pub dir: PathBuf,
}

/// What the kept facts were folded from; read before the facts themselves.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Key {
    /// The plan's fingerprint.
    plan: String,
    as_of: i32,
    /// The ledger's last entry then, and its hash.
    last: i64,
    head: String,
}

impl FactsMemo {
    /// The file for the ledger at `ledger` on `as_of`.
    fn file(&self, ledger: &Path, as_of: NaiveDate) -> PathBuf {
        let absolute = std::path::absolute(ledger).unwrap_or_else(|_| ledger.to_path_buf());
        let key = Sha256::digest(absolute.as_os_str().as_encoded_bytes());
        let hex: String = key.iter().take(16).map(|b| format!("{b:02x}")).collect();
        let slot = as_of.num_days_from_ce().rem_euclid(SLOTS);
        self.dir.join(format!("facts-{hex}-{slot}.facts"))
    }

    /// The key and the facts in `file`, when it is whole and the key is `wanted` up to the
    /// last entry; the facts are decoded only then, the two halves of their items at once
    /// ([`Kept`]). (Read whole: the facts are decoded before the verdicts are made, so the
    /// bytes are gone before a report's peak.)
    fn read(file: &Path, wanted: impl Fn(&Key) -> bool) -> Option<(Key, Snapshot)> {
        let bytes = std::fs::read(file).ok()?;
        let (head, payload) = bytes.split_first_chunk::<HEAD>()?;
        let (magic, rest) = head.split_first_chunk::<16>()?;
        let (format, rest) = rest.split_first_chunk::<4>()?;
        let (crc, at) = rest.split_first_chunk::<4>()?;
        (magic == MAGIC && u32::from_le_bytes(*format) == FORMAT).then_some(())?;
        (checksum(payload, at) == *crc).then_some(())?;
        let (key, rest): (Key, _) = postcard::take_from_bytes(payload).ok()?;
        wanted(&key).then_some(())?;
        let (kept, first): (Kept, _) = postcard::take_from_bytes(rest).ok()?;
        let at = usize::try_from(u64::from_le_bytes(at.try_into().ok()?)).ok()?;
        let (first, second) =
            first.split_at_checked(at.checked_sub(payload.len() - first.len())?)?;
        let items = crate::halves::decode((first, kept.first), (second, kept.second))?;
        let snapshot = Snapshot {
            as_of: NaiveDate::from_num_days_from_ce_opt(kept.as_of)?,
            items,
            units: kept.units,
            members: kept.members,
            plans: kept.plans,
        };
        Some((key, snapshot))
    }

    /// The facts kept for the ledger at `ledger` whose key `fits` (which allows no day after
    /// `as_of`): those of the latest day, and of the latest entry on it.
    fn latest(
        &self,
        ledger: &Path,
        as_of: NaiveDate,
        fits: impl Fn(&Key) -> bool,
    ) -> Option<(Key, Snapshot)> {
        // Every slot's key, read without its facts, to choose one.
        let day = |k| {
            as_of
                .checked_sub_days(chrono::Days::new(k))
                .unwrap_or(as_of)
        };
        let files = (0..SLOTS as u64).map(|k| self.file(ledger, day(k)));
        let keyed = files.filter_map(|file| Some((FactsMemo::key(&file)?, file)));
        let best = keyed
            .filter(|(k, _)| fits(k))
            .max_by_key(|(k, _)| (k.as_of, k.last));
        FactsMemo::read(&best?.1, fits)
    }

    /// The key of the facts in `file`, unchecked: only to choose which file to read.
    fn key(file: &Path) -> Option<Key> {
        let mut head = Vec::with_capacity(512);
        std::fs::File::open(file)
            .ok()?
            .take(512)
            .read_to_end(&mut head)
            .ok()?;
        let payload = head.get(HEAD..)?;
        Some(postcard::take_from_bytes::<Key>(payload).ok()?.0)
    }

    /// Keeps `snapshot` under `key`, or nothing when it cannot. Written as it is encoded,
    /// never whole in memory (7 MB at 100,000 items, at a report's peak).
    fn write(&self, file: &Path, key: &Key, snapshot: &Snapshot) {
        let written = || -> Option<()> {
            std::fs::create_dir_all(&self.dir).ok()?;
            let mut tmp = tempfile::NamedTempFile::new_in(&self.dir).ok()?;
            let mut head = [0; HEAD];
            head[..16].copy_from_slice(MAGIC);
            head[16..20].copy_from_slice(&FORMAT.to_le_bytes());
            tmp.write_all(&head).ok()?;
            let (first, second) = snapshot.items.split_at(snapshot.items.len() / 2);
            let kept = KeptRef {
                as_of: snapshot.as_of.num_days_from_ce(),
                units: &snapshot.units,
                members: &snapshot.members,
                plans: &snapshot.plans,
                first: first.len(),
                second: second.len(),
            };
            let mut writer =
                std::io::BufWriter::with_capacity(1 << 16, Crc::new(tmp.as_file_mut()));
            writer = postcard::to_io(key, writer).ok()?;
            writer = postcard::to_io(&kept, writer).ok()?;
            writer = postcard::to_io(first, writer).ok()?;
            writer.flush().ok()?;
            let at = writer.get_ref().written.to_le_bytes();
            writer = postcard::to_io(second, writer).ok()?;
            let mut crc = writer.into_inner().ok()?.hasher;
            crc.update(&at);
            tmp.as_file_mut().seek(std::io::SeekFrom::Start(20)).ok()?;
            tmp.write_all(&crc.finalize().to_le_bytes()).ok()?;
            tmp.write_all(&at).ok()?;
            tmp.persist(file).ok().map(drop)
        };
        let _ = written();
    }
}

/// The bytes before the payload: the magic, the format, the CRC-32 of the payload and of
/// the offset after it, and the offset in the payload of the second half of the items.
const HEAD: usize = 32;

/// The CRC-32 that [`HEAD`] keeps: of the payload, then of the second half's offset.
fn checksum(payload: &[u8], second: &[u8]) -> [u8; 4] {
    let mut crc = crc32fast::Hasher::new();
    crc.update(payload);
    crc.update(second);
    crc.finalize().to_le_bytes()
}

/// A snapshot as kept, after its key: everything but its items, which follow it in two
/// halves, sequences of their own, to be decoded at the same time on two cores
/// ([`crate::halves`]).
#[derive(Serialize)]
struct KeptRef<'s> {
    as_of: i32,
    units: &'s HashMap<UnitId, UnitFacts>,
    members: &'s HashMap<(ItemId, UnitId), ItemFacts>,
    plans: &'s [String],
    /// How many items each half holds.
    first: usize,
    second: usize,
}

/// [`KeptRef`], read back.
#[derive(Deserialize)]
struct Kept {
    as_of: i32,
    units: HashMap<UnitId, UnitFacts>,
    members: HashMap<(ItemId, UnitId), ItemFacts>,
    plans: Vec<String>,
    first: usize,
    second: usize,
}

/// A writer that takes the CRC-32 of the bytes through it.
struct Crc<T> {
    inner: T,
    hasher: crc32fast::Hasher,
    /// How many bytes went through.
    written: u64,
}

impl<T> Crc<T> {
    fn new(inner: T) -> Crc<T> {
        Crc {
            inner,
            hasher: crc32fast::Hasher::new(),
            written: 0,
        }
    }
}

impl<W: Write> Write for Crc<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl Store {
    /// [`Store::snapshot`], from the facts kept in `memo` when they still hold, and kept
    /// there for the next run: this day's facts, with the entries recorded since folded in;
    /// else an earlier day's, with the entries dated since folded in too. `plan_key` is the
    /// fingerprint of the plan's text.
    pub fn snapshot_memo(
        &self,
        plan: &Plan,
        plan_key: &str,
        as_of: NaiveDate,
        memo: &FactsMemo,
    ) -> Result<Snapshot> {
        let corrections = self.corrections()?;
        let last = corrections.last;
        let fold = |ids, dated_after| -> Result<Snapshot> {
            let entries = Entries { ids, dated_after };
            let (mut one, _) =
                self.fold(plan, &[as_of], &corrections, entries, Split::BySize, false)?;
            Ok(one.pop().expect("one snapshot for one day"))
        };
        let Some(head) = self.hash_at(last)? else {
            return fold(0..=last, None);
        };
        let day = as_of.num_days_from_ce();
        let fits = |k: &Key| k.plan == plan_key && k.as_of <= day && k.last <= last;
        let snapshot = match memo.latest(&self.path, as_of, fits) {
            Some((key, kept)) if key.as_of == day && key.last == last && key.head == head => {
                return Ok(kept);
            }
            Some((key, mut kept))
                if self.hash_at(key.last)?.as_ref() == Some(&key.head)
                    && !corrects_before(&corrections, key.last) =>
            {
                // What the kept facts left out: the entries they counted from dated after
                // their day, and every entry recorded since.
                let onto = |kept, ids, dated_after| {
                    self.fold_onto(plan, kept, &corrections, Entries { ids, dated_after })
                };
                if key.as_of < day {
                    let since = NaiveDate::from_num_days_from_ce_opt(key.as_of);
                    kept.as_of = as_of;
                    kept = onto(kept, 0..=key.last, since)?;
                }
                if key.last < last {
                    kept = onto(kept, key.last + 1..=last, None)?;
                }
                kept
            }
            _ => fold(0..=last, None)?,
        };
        let key = Key {
            plan: plan_key.to_string(),
            as_of: day,
            last,
            head,
        };
        memo.write(&memo.file(&self.path, as_of), &key, &snapshot);
        Ok(snapshot)
    }

    /// The hash of entry `id`; `None` when there is no such entry or it has no hash (a
    /// ledger before the hash chain, whose facts are not kept).
    fn hash_at(&self, id: i64) -> Result<Option<String>> {
        if super::migrate::version(&self.conn)? < 4 {
            return Ok(None);
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT hash FROM entry WHERE id = ?1")?;
        Ok(stmt.query_row([id], |r| r.get(0)).optional()?.flatten())
    }
}

/// Whether an entry after `last` corrects one up to it: facts kept at `last` counted the
/// corrected entry, so they no longer hold.
fn corrects_before(corrections: &Corrections, last: i64) -> bool {
    let crossing =
        |(corrected, by): (&i64, &super::read::Correction)| *corrected <= last && by.entry > last;
    corrections.superseded.iter().any(crossing)
}

#[cfg(test)]
mod tests {
    use chrono::Days;
    use proptest::prelude::*;

    use super::super::read::tests::{Draft, append, draft, plan, start};
    use super::*;

    fn memo(dir: &tempfile::TempDir) -> FactsMemo {
        FactsMemo {
            dir: dir.path().join("cache"),
        }
    }

    /// A ledger in a temporary folder holding `drafts`, and a memo beside it.
    fn ledger(drafts: &[Draft]) -> (tempfile::TempDir, Store, FactsMemo) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("ledger.db")).unwrap();
        append(&mut store, drafts);
        let memo = memo(&dir);
        (dir, store, memo)
    }

    /// The one file of facts kept.
    fn kept(memo: &FactsMemo) -> PathBuf {
        let files: Vec<PathBuf> = std::fs::read_dir(&memo.dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        files[0].clone()
    }

    proptest! {
        #![proptest_config(crate::testing::proptest_config(64))]

        /// However the ledger grew between two reports (a few entries, none, or a
        /// correction of an entry already counted), and whatever day the second is as of
        /// (the same, a later one, an earlier one), the kept facts brought up to date equal
        /// the facts of one fold, and so does reading them back unchanged.
        #[test]
        fn kept_facts_equal_a_fold_however_the_ledger_grew(
            before in proptest::collection::vec(draft(), 0..25),
            after in proptest::collection::vec(draft(), 0..15),
            as_of in 0u64..1200,
            on_a_draft in any::<Option<proptest::sample::Index>>(),
            later in prop_oneof![Just(0u64), 1u64..3, 3u64..400],
            earlier in any::<bool>(),
        ) {
            let plan = plan();
            let (_dir, mut store, memo) = ledger(&[]);
            // Often the day of an entry, which the facts kept on it have counted.
            let drafted = on_a_draft.filter(|_| !before.is_empty()).map(|i| i.get(&before).1);
            let as_of = drafted.unwrap_or(as_of);
            let first = start() + Days::new(as_of);
            let second = match earlier {
                false => first + Days::new(later),
                true => first - Days::new(later.min(as_of)),
            };
            let grow = |store: &mut Store, drafts: &[Draft], day| {
                append(store, drafts);
                let fold = store.snapshot(&plan, day).unwrap();
                for _ in 0..2 {
                    let kept = store.snapshot_memo(&plan, "v1", day, &memo).unwrap();
                    prop_assert_eq!(&kept, &fold);
                }
                Ok(())
            };
            grow(&mut store, &before, first)?;
            grow(&mut store, &after, second)?;
            // The first day again, its facts kept or not.
            grow(&mut store, &[], first)?;
        }
    }

    /// Facts kept for another plan, another day or another ledger state are not used; facts
    /// kept for this one are used as they are, without folding (a doctored file shows it).
    #[test]
    fn only_facts_kept_for_this_plan_day_and_ledger_are_used() {
        let plan = plan();
        let (_dir, store, memo) = ledger(&[(1, 10, Some(4), 0, None), (0, 20, None, 1, None)]);
        let day = start() + Days::new(30);
        let fold = store.snapshot(&plan, day).unwrap();
        assert_eq!(store.snapshot_memo(&plan, "v1", day, &memo).unwrap(), fold);
        let file = kept(&memo);
        let (key, _) = FactsMemo::read(&file, |_| true).expect("kept");
        assert_eq!((key.plan.as_str(), key.last), ("v1", 2));

        // Doctored: the same key over other facts, which a hit returns as they are.
        let mut doctored = fold.clone();
        doctored.items[0].total = 1234.0;
        memo.write(&file, &key, &doctored);
        let read = |plan_key: &str, day| store.snapshot_memo(&plan, plan_key, day, &memo);
        assert_eq!(read("v1", day).unwrap(), doctored, "a hit is not folded");
        memo.write(&file, &key, &doctored);
        assert_eq!(read("v2", day).unwrap(), fold, "another plan");
        memo.write(&file, &key, &doctored);
        let before = day - Days::new(1);
        let fold_before = store.snapshot(&plan, before).unwrap();
        assert_eq!(read("v1", before).unwrap(), fold_before, "an earlier day");
        // A later day starts from the facts kept (nothing is dated between the two days).
        std::fs::remove_dir_all(&memo.dir).unwrap();
        memo.write(&file, &key, &doctored);
        let later = day + Days::new(SLOTS as u64);
        assert_eq!(
            read("v1", later).unwrap().items[0].total,
            1234.0,
            "a later day"
        );
        assert_eq!(kept(&memo), file, "kept in the same slot");
        let wrong_head = Key {
            head: "0".repeat(64),
            ..FactsMemo::read(&file, |_| true).unwrap().0
        };
        memo.write(&file, &wrong_head, &doctored);
        let fold_later = store.snapshot(&plan, later).unwrap();
        assert_eq!(read("v1", later).unwrap(), fold_later, "another chain");

        // Every flipped bit is a miss.
        memo.write(&file, &key, &doctored);
        let good = std::fs::read(&file).unwrap();
        for at in (0..good.len()).step_by(5) {
            let mut bad = good.clone();
            bad[at] ^= 0x04;
            std::fs::write(&file, &bad).unwrap();
            assert!(FactsMemo::read(&file, |_| true).is_none(), "bit at {at}");
        }
    }

    /// A later day's facts start from an earlier day's, with only the entries dated between
    /// folded in: an entry dated on the earlier day counts once.
    #[test]
    fn a_later_day_counts_each_entry_once() {
        let plan = plan();
        // T-toilet: 2.0 on day 10, 3.0 on day 12.
        let (_dir, store, memo) = ledger(&[(1, 10, Some(4), 0, None), (1, 12, Some(6), 0, None)]);
        for day in [10, 11, 12, 13] {
            let day = start() + Days::new(day);
            let kept = store.snapshot_memo(&plan, "v1", day, &memo).unwrap();
            assert_eq!(kept, store.snapshot(&plan, day).unwrap(), "{day}");
        }
        let total = |day| {
            let day = start() + Days::new(day);
            let kept = store.snapshot_memo(&plan, "v1", day, &memo).unwrap();
            kept.item(&plan, plan.item("T-toilet").unwrap()).total
        };
        assert_eq!((total(11), total(13)), (2.0, 5.0));
    }

    /// A cache directory that cannot be written costs the memo, not the report.
    #[test]
    fn an_unwritable_directory_is_silent() {
        let plan = plan();
        let (dir, store, _) = ledger(&[(1, 10, Some(4), 0, None)]);
        let day = start() + Days::new(30);
        let blocked = FactsMemo {
            dir: dir.path().join("ledger.db").join("cache"),
        };
        let kept = store.snapshot_memo(&plan, "v1", day, &blocked).unwrap();
        assert_eq!(kept, store.snapshot(&plan, day).unwrap());
    }
}

#[cfg(test)]
mod layout {
    use super::*;
    use crate::model::{Fact, ItemFacts, Reading, Recorded, Status, UnitFacts, YearValues};

    /// The bytes of a snapshot holding one of everything. When what a snapshot holds
    /// changes, so do they: bump [`FORMAT`] (so that no older file is read as the new
    /// layout), then update the expected bytes here.
    #[test]
    fn a_change_to_what_a_snapshot_holds_bumps_the_format() {
        let day = NaiveDate::from_ymd_opt(2022, 6, 30).unwrap();
        let fact = |entry, reading| Fact {
            entry,
            date: day,
            reading,
        };
        let mut snapshot = Snapshot::empty(day);
        snapshot.items.push(ItemFacts {
            latest: Some(fact(3, Reading::Value(1.5))),
            recorded: Recorded { plan: 0, under: 1 },
            first: Some(fact(1, Reading::Status(Status::Done))),
            at_deadline: None,
            total: 2.0,
            total_at_deadline: 0.5,
            years: Some(Box::new(vec![YearValues {
                year: 2022,
                last_date: day,
                last: 1.5,
                last_entry: 3,
                sum: 2.0,
            }])),
        });
        let mut unit = UnitFacts::default();
        unit.add(day);
        snapshot.units.insert("agri".into(), unit);
        snapshot.plans.push("v1".into());
        let bytes = postcard::to_allocvec(&snapshot).unwrap();
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let expected = "c0905a010106c0905a01000000000000f83f00010102c0905a000200000000000000004000\
                        0000000000e03f0101cc1fc0905a000000000000f83f0600000000000000400104616772\
                        6901cc1f06c0905a0001027631";
        assert_eq!(
            (FORMAT, hex.as_str()),
            (2, expected),
            "bump FORMAT, then update"
        );
    }
}
