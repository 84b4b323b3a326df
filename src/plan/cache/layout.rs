//! The cache file's bytes: a header, the plan's core, each item encoded on its own, and a
//! table that finds one item by id without decoding the others.
//!
//! ```text
//! magic line            "plantrack plan cache FORMAT VERSION\n"
//! u32, little-endian    the header's length
//! header                postcard: Header
//! 32 bytes              the header's SHA-256
//! payload               core | items | table | warnings   (offsets into the payload)
//! ```
//!
//! - The **core** is the plan without its items: meta, sections, units, assessment.
//! - The **items** are every measure, then every target, then every milestone, each one
//!   postcard value, so that the full decode reserves each list exactly once.
//! - The **table** has one fixed-size [`Record`] per id an item answers to (its id and the
//!   former ids no current id shadows), sorted by a hash of the id.
//! - The **warnings** the validation found, for `check`, with the plan's path as they name it.
//!
//! Checksums: the header has its own. It holds the CRC-32 of the whole payload, checked
//! before a full decode (a SHA-256 of 20 MB cost a province's plan 10 ms a run, and guards
//! against nothing more: the file is not a security boundary), and the SHA-256 of the core,
//! checked before a one-item decode; each table record holds the first 16 bytes of the
//! SHA-256 of its item's bytes. A flipped bit is a miss, never a different plan.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::halves::{Halves, Slots};
use serde::{Deserialize, Serialize};

use super::{Sha, sha};
use crate::model::{
    Assessment, Item, ItemId, Measure, Milestone, Plan, PlanMeta, Section, Target, Unit,
};
use crate::plan::Diagnostic;

/// Bumped whenever the layout of the cache or of the model changes within one version.
const FORMAT: u32 = 8;

/// The first line of a cache file.
fn magic() -> String {
    format!(
        "plantrack plan cache {FORMAT} {}\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// A run of bytes in the payload.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
struct Span {
    offset: u64,
    len: u64,
}

/// What the cached plan was validated against, and where its parts are.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Header {
    /// The SHA-256 of the plan file's bytes.
    pub plan: Sha,
    /// The source document as the load resolved it, and the SHA-256 of its text.
    pub source: Option<(PathBuf, Sha)>,
    /// The CRC-32 of the payload.
    payload: u32,
    core: Span,
    core_sha: Sha,
    items: Span,
    /// Measures, targets, milestones.
    counts: [u32; 3],
    /// Where the items are cut in two, about halfway through their bytes, so that a large
    /// plan is decoded on two cores: how many items (in plan order) come before the cut, and
    /// the cut's offset.
    cut: (u32, u64),
    table: Span,
    warnings: Span,
}

/// The plan without its items.
type Core = (PlanMeta, Vec<Section>, Vec<Unit>, Assessment);

/// The validation's warnings, and the plan's path as they name it.
pub(super) type Warnings = (String, Vec<Diagnostic>);

/// Which list an item is in, in a [`Record`].
const MEASURE: u8 = 0;
const TARGET: u8 = 1;
const MILESTONE: u8 = 2;

/// One table row: an id's hash, and its item's bytes (offset into the items, length, list,
/// checksum).
struct Record {
    key: u64,
    offset: u32,
    len: u32,
    kind: u8,
    check: [u8; 16],
}

const RECORD: usize = 8 + 4 + 4 + 1 + 16;

impl Record {
    fn to_bytes(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.key.to_le_bytes());
        out.extend_from_slice(&self.offset.to_le_bytes());
        out.extend_from_slice(&self.len.to_le_bytes());
        out.push(self.kind);
        out.extend_from_slice(&self.check);
    }

    fn from_bytes(b: &[u8; RECORD]) -> Record {
        let u32_at = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().expect("4 bytes"));
        Record {
            key: u64::from_le_bytes(b[..8].try_into().expect("8 bytes")),
            offset: u32_at(8),
            len: u32_at(12),
            kind: b[16],
            check: b[17..].try_into().expect("16 bytes"),
        }
    }
}

/// The table's key of an id: stable across runs and machines.
fn key(id: &str) -> u64 {
    u64::from_le_bytes(sha(id.as_bytes())[..8].try_into().expect("8 bytes"))
}

fn check(bytes: &[u8]) -> [u8; 16] {
    sha(bytes)[..16].try_into().expect("16 bytes")
}

/// Items encoded one after another: their bytes, the table's records for them, and where
/// each starts (from the first one's start).
#[derive(Default)]
struct Encoded {
    bytes: Vec<u8>,
    records: Vec<Record>,
    starts: Vec<u64>,
}

impl Encoded {
    fn add(&mut self, plan: &Plan, kind: u8, item: Item) -> Option<()> {
        let start = self.bytes.len();
        self.starts.push(start as u64);
        match item {
            Item::Measure(m) => postcard::to_io(m, &mut self.bytes).ok()?,
            Item::Target(t) => postcard::to_io(t, &mut self.bytes).ok()?,
            Item::Milestone(m) => postcard::to_io(m, &mut self.bytes).ok()?,
        };
        let bytes = &self.bytes[start..];
        let ids = std::iter::once(item.id()).chain(item.previous_ids());
        for id in ids.filter(|id| {
            plan.item(id.as_str())
                .is_some_and(|i| std::ptr::eq(i.id(), item.id()))
        }) {
            self.records.push(Record {
                key: key(id.as_str()),
                offset: u32::try_from(start).ok()?,
                len: u32::try_from(bytes.len()).ok()?,
                kind,
                check: check(bytes),
            });
        }
        Some(())
    }

    /// Adds the items of `later` after these.
    fn append(&mut self, later: Encoded) -> Option<()> {
        let shift = u32::try_from(self.bytes.len()).ok()?;
        for mut r in later.records {
            r.offset = r.offset.checked_add(shift)?;
            self.records.push(r);
        }
        (self.starts).extend(later.starts.iter().map(|s| s + u64::from(shift)));
        self.bytes.extend_from_slice(&later.bytes);
        Some(())
    }
}

/// Every measure, then every target, then every milestone, encoded in two halves at once
/// (the SHA-256 of each item's bytes and of each id made this a fifth of a second of a
/// province plan's first run).
fn encode_items(plan: &Plan) -> Option<Encoded> {
    let all: Vec<(u8, Item)> = (plan.measures.iter().map(|m| (MEASURE, Item::Measure(m))))
        .chain(plan.targets.iter().map(|t| (TARGET, Item::Target(t))))
        .chain(
            plan.milestones
                .iter()
                .map(|m| (MILESTONE, Item::Milestone(m))),
        )
        .collect();
    let (first, second) = all.split_at(all.len() / 2);
    let each = |items: &[(u8, Item)]| -> Option<Encoded> {
        let mut encoded = Encoded::default();
        for &(kind, item) in items {
            encoded.add(plan, kind, item)?;
        }
        Some(encoded)
    };
    let (mut first, second) = crate::join(|| each(first), || each(second));
    first.as_mut()?.append(second?)?;
    first
}

/// The cache file's bytes for a plan whose file hashes to `digest`, validated against
/// `source`.
pub(super) fn encode(
    plan: &Plan,
    warnings: &Warnings,
    digest: Sha,
    source: Option<(PathBuf, Sha)>,
) -> Option<Vec<u8>> {
    let core: (&PlanMeta, &Vec<Section>, &Vec<Unit>, &Assessment) =
        (&plan.meta, &plan.sections, &plan.units, &plan.assessment);
    let mut payload = postcard::to_stdvec(&core).ok()?;
    let core = Span {
        offset: 0,
        len: payload.len() as u64,
    };
    let core_sha = sha(&payload);
    let items_start = payload.len();
    let Encoded {
        bytes,
        mut records,
        starts,
    } = encode_items(plan)?;
    payload.extend_from_slice(&bytes);
    drop(bytes);
    let starts: Vec<u64> = starts.iter().map(|s| s + items_start as u64).collect();
    let items = Span {
        offset: items_start as u64,
        len: (payload.len() - items_start) as u64,
    };
    let half = items.offset + items.len / 2;
    let before = starts.partition_point(|&at| at < half);
    let cut = (
        u32::try_from(before).ok()?,
        starts
            .get(before)
            .copied()
            .unwrap_or(items.offset + items.len),
    );
    records.sort_by_key(|r| r.key);
    let table_start = payload.len();
    for r in &records {
        r.to_bytes(&mut payload);
    }
    let table = Span {
        offset: table_start as u64,
        len: (payload.len() - table_start) as u64,
    };
    let warnings_start = payload.len();
    postcard::to_io(warnings, &mut payload).ok()?;
    let header = Header {
        plan: digest,
        source,
        payload: crc32fast::hash(&payload),
        core,
        core_sha,
        items,
        counts: [
            u32::try_from(plan.measures.len()).ok()?,
            u32::try_from(plan.targets.len()).ok()?,
            u32::try_from(plan.milestones.len()).ok()?,
        ],
        cut,
        table,
        warnings: Span {
            offset: warnings_start as u64,
            len: (payload.len() - warnings_start) as u64,
        },
    };
    let header = postcard::to_stdvec(&header).ok()?;
    let mut bytes = magic().into_bytes();
    bytes.extend_from_slice(&u32::try_from(header.len()).ok()?.to_le_bytes());
    bytes.extend_from_slice(&header);
    bytes.extend_from_slice(&sha(&header));
    bytes.extend_from_slice(&payload);
    Some(bytes)
}

/// The header of an open cache file, and where its payload starts.
pub(super) fn header(file: &mut File) -> Option<(Header, u64)> {
    let magic = magic();
    let mut head = vec![0; magic.len() + 4];
    file.read_exact(&mut head).ok()?;
    let len = head.strip_prefix(magic.as_bytes())?;
    let len = u32::from_le_bytes(len.try_into().ok()?) as usize;
    // A header is a few hundred bytes; a larger length is a damaged file.
    if len > 1 << 16 {
        return None;
    }
    let mut header = vec![0; len + 32];
    file.read_exact(&mut header).ok()?;
    let (header, check) = header.split_at(len);
    (sha(header) == check).then_some(())?;
    let header = postcard::from_bytes(header).ok()?;
    Some((header, (magic.len() + 4 + len + 32) as u64))
}

fn read_at(file: &mut File, at: u64, len: u64) -> Option<Vec<u8>> {
    file.seek(SeekFrom::Start(at)).ok()?;
    let mut bytes = vec![0; usize::try_from(len).ok()?];
    file.read_exact(&mut bytes).ok()?;
    Some(bytes)
}

/// Decodes a value that fills `bytes` exactly.
fn whole<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    let (value, rest) = postcard::take_from_bytes(bytes).ok()?;
    rest.is_empty().then_some(value)
}

/// The payload read a block at a time and checksummed as it is read, so that decoding a
/// province's 20 MB cache needs a block of memory, not a copy of the file (nor a mapping of it,
/// which counts as much).
struct Stream<'f> {
    file: &'f mut File,
    /// How much is read at a time.
    block: usize,
    buf: Vec<u8>,
    /// Where the next value starts in `buf`.
    at: usize,
    /// Bytes of the payload not read yet.
    left: u64,
    crc: crc32fast::Hasher,
}

impl<'f> Stream<'f> {
    /// The `len` bytes of `file` from `at`, read `block` bytes at a time.
    fn of(file: &'f mut File, at: u64, len: u64, block: usize) -> Option<Stream<'f>> {
        file.seek(SeekFrom::Start(at)).ok()?;
        Some(Stream {
            file,
            block,
            buf: Vec::with_capacity(block),
            at: 0,
            left: len,
            crc: crc32fast::Hasher::new(),
        })
    }

    /// Reads the next block onto the unread rest; `None` at the end of the payload.
    fn fill(&mut self) -> Option<()> {
        (self.left > 0).then_some(())?;
        self.buf.drain(..self.at);
        self.at = 0;
        let n = self.block.min(usize::try_from(self.left).ok()?);
        let old = self.buf.len();
        self.buf.resize(old + n, 0);
        self.file.read_exact(&mut self.buf[old..]).ok()?;
        self.crc.update(&self.buf[old..]);
        self.left -= n as u64;
        Some(())
    }

    /// The next value; a value cut by the end of a block is decoded again after the next.
    fn next<T: DeserializeOwned>(&mut self) -> Option<T> {
        loop {
            match postcard::take_from_bytes::<T>(&self.buf[self.at..]) {
                Ok((value, rest)) => {
                    self.at = self.buf.len() - rest.len();
                    return Some(value);
                }
                Err(postcard::Error::DeserializeUnexpectedEnd) => self.fill()?,
                Err(_) => return None,
            }
        }
    }

    /// The next `n` bytes.
    fn bytes(&mut self, n: u64) -> Option<Vec<u8>> {
        let n = usize::try_from(n).ok()?;
        while self.buf.len() - self.at < n {
            self.fill()?;
        }
        self.at += n;
        Some(self.buf[self.at - n..self.at].to_vec())
    }

    /// Skips the next `n` bytes (they are still checksummed).
    fn skip(&mut self, n: u64) -> Option<()> {
        let mut n = n;
        loop {
            let here = (self.buf.len() - self.at) as u64;
            if here >= n {
                self.at += n as usize;
                return Some(());
            }
            n -= here;
            self.at = self.buf.len();
            self.fill()?;
        }
    }

    /// A value into each of the slots.
    fn fill_slots<T: DeserializeOwned>(&mut self, slots: &mut Slots<T>) -> Option<()> {
        for _ in 0..slots.len() {
            slots.push(self.next()?)?;
        }
        Some(())
    }

    /// How many bytes of the payload have been taken.
    fn position(&self, total: u64) -> u64 {
        total - self.left - (self.buf.len() - self.at) as u64
    }

    /// The CRC-32 of what the stream read, once every byte of it has been read.
    fn finish(mut self) -> Option<crc32fast::Hasher> {
        while self.left > 0 {
            self.at = self.buf.len();
            self.fill()?;
        }
        Some(self.crc)
    }

    /// The items of one half of the plan, in plan order (measures, then targets, then
    /// milestones), into their slots.
    fn items(&mut self, (measures, targets, milestones): &mut ItemSlots) -> Option<()> {
        self.fill_slots(measures)?;
        self.fill_slots(targets)?;
        self.fill_slots(milestones)
    }
}

/// One half's slots of each list of items.
type ItemSlots<'v> = (Slots<'v, Measure>, Slots<'v, Target>, Slots<'v, Milestone>);

/// The number of items from which the cache is decoded on two cores.
const DECODED_ON_TWO_CORES: u32 = 10_000;

/// The whole plan and the warnings of its validation, from the cache file at `path`, open
/// in `file`. The payload is checked against the header's checksum before the plan is built
/// from what was decoded.
pub(super) fn plan(
    file: &mut File,
    path: &Path,
    header: &Header,
    start: u64,
) -> Option<(Plan, Warnings)> {
    let two_cores = header.counts.iter().sum::<u32>() >= DECODED_ON_TWO_CORES;
    plan_in_blocks(file, two_cores.then_some(path), header, start, 1 << 20)
}

/// [`plan`], reading `block` bytes at a time (tests use a few bytes, to cut every value);
/// the items after the cut are decoded on another core, from the file at `path` opened
/// again, when there is one.
pub(super) fn plan_in_blocks(
    file: &mut File,
    path: Option<&Path>,
    header: &Header,
    start: u64,
    block: usize,
) -> Option<(Plan, Warnings)> {
    let total = header.warnings.offset + header.warnings.len;
    let n = header.counts.iter().sum::<u32>();
    let (cut, cut_at) = match path {
        Some(_) => header.cut,
        None => (n, header.items.offset + header.items.len),
    };
    (cut <= n && cut_at <= header.table.offset).then_some(())?;
    // The parts are in payload order: core, items, table, warnings. Before the cut: the
    // core and the first items; after it: the other items, the table and the warnings.
    // Each list of items is one vector, written in two halves at once.
    let [m, t, k] = header.counts.map(|n| n as usize);
    let (mut measures, mut targets) = (Halves::with_len(m), Halves::with_len(t));
    let mut milestones = Halves::with_len(k);
    let cut = cut as usize;
    let (m1, m2) = measures.split(cut);
    let (t1, t2) = targets.split(cut.saturating_sub(m));
    let (k1, k2) = milestones.split(cut.saturating_sub(m + t));
    let first = |file: &mut File, mut items: ItemSlots| -> Option<(Vec<u8>, crc32fast::Hasher)> {
        let mut s = Stream::of(file, start, cut_at, block)?;
        let core = s.bytes(header.core.len)?;
        s.items(&mut items)?;
        (s.position(cut_at) == cut_at).then_some(())?;
        Some((core, s.finish()?))
    };
    let rest = |file: &mut File, mut items: ItemSlots| -> Option<(Vec<u8>, crc32fast::Hasher)> {
        let mut s = Stream::of(file, start + cut_at, total - cut_at, block)?;
        s.items(&mut items)?;
        // The items end where the table starts, which the warnings follow.
        let at = |s: &Stream| cut_at + s.position(total - cut_at);
        (at(&s) == header.table.offset).then_some(())?;
        s.skip(header.table.len)?;
        (at(&s) == header.warnings.offset).then_some(())?;
        let warnings = s.bytes(header.warnings.len)?;
        Some((warnings, s.finish()?))
    };
    let (a, b) = ((m1, t1, k1), (m2, t2, k2));
    let ((core, mut crc), (warnings, rest_crc)) = match path {
        Some(path) => {
            let (first, other) =
                crate::join(|| first(file, a), || rest(&mut File::open(path).ok()?, b));
            (first?, other?)
        }
        None => (first(file, a)?, rest(file, b)?),
    };
    crc.combine(&rest_crc);
    (crc.finalize() == header.payload && sha(&core) == header.core_sha).then_some(())?;
    let items = (
        measures.into_vec()?,
        targets.into_vec()?,
        milestones.into_vec()?,
    );
    let (measures, targets, milestones) = items;
    let (meta, sections, units, assessment): Core = whole(&core)?;
    let plan = Plan::new(
        meta, sections, measures, targets, milestones, units, assessment,
    );
    Some((plan, whole(&warnings)?))
}

/// Ids up to which [`some_items`] probes the file for table rows; beyond, it reads the table.
pub(super) const PROBED: usize = 16;

/// The plan's core and the items that answer to `ids` (by their id or a former one), as the
/// full plan would resolve them: an id the table does not have is not in the plan. `None`
/// when the file does not hold up.
pub(super) fn some_items(
    file: &mut File,
    header: &Header,
    start: u64,
    ids: &[&str],
) -> Option<Plan> {
    let core = read_at(file, start + header.core.offset, header.core.len)?;
    if sha(&core) != header.core_sha {
        return None;
    }
    let (meta, sections, units, assessment): Core = whole(&core)?;
    let table_at = start + header.table.offset;
    let rows = header.table.len / RECORD as u64;
    // A few ids are found by probing the file, more in the table read at once.
    let table = match ids.len() > PROBED {
        true => Some(read_at(file, table_at, header.table.len)?),
        false => None,
    };
    let row = |file: &mut File, i: u64| -> Option<Record> {
        let from_file;
        let bytes = match &table {
            Some(t) => {
                let at = usize::try_from(i).ok()? * RECORD;
                t.get(at..at + RECORD)?
            }
            None => {
                from_file = read_at(file, table_at + i * RECORD as u64, RECORD as u64)?;
                from_file.as_slice()
            }
        };
        Some(Record::from_bytes(bytes.try_into().ok()?))
    };
    let mut found = Vec::new();
    for id in ids {
        let wanted = key(id);
        // The first row whose key is not below the id's.
        let (mut lo, mut hi) = (0, rows);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if row(file, mid)?.key < wanted {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for i in lo..rows {
            let r = row(file, i)?;
            if r.key != wanted {
                break;
            }
            found.push(r);
        }
    }
    // Each item once, read in file order.
    found.sort_unstable_by_key(|r| r.offset);
    found.dedup_by_key(|r| r.offset);
    let wanted: std::collections::HashSet<&str> = ids.iter().copied().collect();
    // Two ids with the same key: only the items that answer to a wanted id are kept.
    let answers = |own: &ItemId, former: &[ItemId]| {
        wanted.contains(own.as_str()) || former.iter().any(|f| wanted.contains(f.as_str()))
    };
    let (mut measures, mut targets, mut milestones) = (Vec::new(), Vec::new(), Vec::new());
    for r in found {
        let at = start + header.items.offset + u64::from(r.offset);
        let bytes = read_at(file, at, u64::from(r.len))?;
        if check(&bytes) != r.check {
            return None;
        }
        match r.kind {
            MEASURE => Some(whole::<Measure>(&bytes)?)
                .filter(|m| answers(&m.id, &m.previous_ids))
                .map(|m| measures.push(m)),
            TARGET => Some(whole::<Target>(&bytes)?)
                .filter(|t| answers(&t.id, &t.previous_ids))
                .map(|t| targets.push(t)),
            MILESTONE => Some(whole::<Milestone>(&bytes)?)
                .filter(|m| answers(&m.id, &m.previous_ids))
                .map(|m| milestones.push(m)),
            _ => return None,
        };
    }
    Some(Plan::new(
        meta, sections, measures, targets, milestones, units, assessment,
    ))
}
