//! `plantrack check`: validate the plan, then the ledger against it, and report every problem.

use std::collections::{HashMap, HashSet};
use std::ops::{ControlFlow, RangeInclusive};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::thread::JoinHandle;

use anyhow::Result;
use serde_json::json;

use super::{Ctx, Outcome, out, usage};
use crate::cli::CheckArgs;
use crate::i18n::{Lang, Message};
use crate::model::{ItemId, Plan};
use crate::plan::{self, Diagnostic};
use crate::render::Format;
use crate::report::audit::{Audit, Finding, Orphans};
use crate::revision::{git, likely_successor};
use crate::store::{Store, chain};
use crate::suggest;
use crate::view::envelope;

/// The ledger's damage (the file, then the hash chain), the findings of the audit of its rows
/// against `plan`, in entry order, and the ids its rows name that no item answers to (read in
/// the same pass: a query of its own took 0.1-0.2 s at 500,000 entries); no findings or
/// orphans when it is damaged, as what its rows say cannot be trusted.
///
/// The rows are read once, on two connections, in chunks from both ends until they meet;
/// each chunk's rows are audited and their chain links checked as they are read. The second
/// connection is the one SQLite's check of the file ran on ([`FileCheck`]). The first break in
/// the chain is the lowest any chunk finds (see [`Ends::work`]).
fn audit_and_verify(
    store: &Store,
    file_check: FileCheck,
    db: &Path,
    plan: &Plan,
    fingerprint: &str,
) -> Result<(Vec<Message>, Vec<Finding>, Orphans)> {
    let ids = Ends::new(store.last_entry()?);
    let auditor = Audit::new(plan, fingerprint);
    let audit = |store: &Store, from_top: bool| {
        let mut orphans = Orphans::new();
        let side = ids.work(from_top, |chunk| {
            let mut findings = Vec::new();
            let broken = store.stored_rows(chunk, |row| {
                findings.extend(auditor.row(row, &mut orphans));
            })?;
            Ok((findings, broken))
        })?;
        Ok::<_, anyhow::Error>(Side { orphans, ..side })
    };
    let (low, high) = super::join(
        || audit(store, false),
        || -> Result<_> {
            let Some((other, damage)) = file_check.finish(db)? else {
                return Ok((Vec::new(), Side::default()));
            };
            if !damage.is_empty() {
                ids.stop();
                return Ok((damage, Side::default()));
            }
            Ok((damage, audit(&other, true)?))
        },
    );
    let (damage, high) = high?;
    if !damage.is_empty() {
        return Ok((damage, Vec::new(), Orphans::new()));
    }
    match Side::join(low?, high) {
        Ok((findings, orphans)) => Ok((damage, findings, orphans)),
        Err((id, why)) => Ok((
            vec![chain::break_message(id, why)],
            Vec::new(),
            Orphans::new(),
        )),
    }
}

/// SQLite's check of the ledger file (0.3 s at 500,000 entries), on a connection of its own
/// that then reads rows from the top. With `--db`, the ledger's path is known before the plan
/// is loaded, and the check runs while it loads. A check not finished (the plan did not load)
/// is waited for when dropped: its connection closes, and removes the `-wal` and `-shm` files
/// it made beside the ledger.
struct FileCheck(Option<(PathBuf, JoinHandle<Result<Checked>>)>);

/// A ledger's connection and the damage SQLite found in its file; none when there is no
/// ledger.
type Checked = Option<(Store, Vec<Message>)>;

impl FileCheck {
    fn start(db: Option<&Path>) -> FileCheck {
        FileCheck(db.map(|db| {
            let path = db.to_path_buf();
            (path.clone(), std::thread::spawn(move || Self::run(&path)))
        }))
    }

    fn run(db: &Path) -> Result<Checked> {
        let Some(store) = Store::open_existing(db)? else {
            return Ok(None);
        };
        let damage = store.file_damage()?;
        Ok(Some((store, damage)))
    }

    /// The check of the ledger at `db`: the one started, or one run now.
    fn finish(mut self, db: &Path) -> Result<Checked> {
        match self.0.take() {
            Some((path, check)) if path == db => check
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            _ => Self::run(db),
        }
    }
}

impl Drop for FileCheck {
    fn drop(&mut self) {
        if let Some((_, check)) = self.0.take() {
            let _ = check.join();
        }
    }
}

/// The entry numbers from 1 to the last, handed out in chunks from both ends until they meet.
struct Ends(Mutex<RangeInclusive<i64>>);

impl Ends {
    /// Entries audited at a time: a chunk is one query.
    const CHUNK: i64 = 8192;

    fn new(last: i64) -> Ends {
        Ends(Mutex::new(1..=last))
    }

    fn take(&self, from_top: bool) -> Option<RangeInclusive<i64>> {
        let mut left = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (lo, hi) = (*left.start(), *left.end());
        if lo > hi {
            return None;
        }
        let (chunk, rest) = match from_top {
            false => (lo..=hi.min(lo + Self::CHUNK - 1), lo + Self::CHUNK..=hi),
            true => ((hi - Self::CHUNK + 1).max(lo)..=hi, lo..=hi - Self::CHUNK),
        };
        *left = rest;
        Some(chunk)
    }

    /// One side's work: chunks taken from its end and read by `read` (into their findings,
    /// and the first break in the chain they hold) until none is left or one breaks. A break
    /// found from the bottom ends both sides' work, as every entry below it has been read; one
    /// found from the top ends only this side's: the middle, left to the other, may break
    /// earlier.
    fn work(
        &self,
        from_top: bool,
        mut read: impl FnMut(RangeInclusive<i64>) -> Result<(Vec<Finding>, Option<Break>)>,
    ) -> Result<Side> {
        let mut side = Side::default();
        while let Some(chunk) = self.take(from_top) {
            let (findings, broken) = read(chunk)?;
            side.chunks.push(findings);
            if broken.is_some() {
                if !from_top {
                    self.stop();
                }
                side.broken = broken;
                break;
            }
        }
        if from_top {
            // Read last entry first.
            side.chunks.reverse();
        }
        Ok(side)
    }

    /// Hands out nothing more.
    fn stop(&self) {
        let mut left = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *left = *left.end() + 1..=*left.end();
    }
}

/// An entry that breaks the hash chain, and why.
type Break = (i64, &'static str);

/// What one side of [`Ends`] read: its chunks' findings, in entry order, the ids of its rows
/// that no item answers to, and the break that ended its work.
#[derive(Default)]
struct Side {
    chunks: Vec<Vec<Finding>>,
    orphans: Orphans,
    broken: Option<Break>,
}

impl Side {
    /// Both sides' findings in entry order, and their orphans; the first break instead, when
    /// either found one.
    fn join(low: Side, high: Side) -> Result<(Vec<Finding>, Orphans), Break> {
        match low
            .broken
            .into_iter()
            .chain(high.broken)
            .min_by_key(|b| b.0)
        {
            Some(first) => Err(first),
            None => {
                let mut orphans = low.orphans;
                for (id, n) in high.orphans {
                    *orphans.entry(id).or_default() += n;
                }
                let findings = low.chunks.into_iter().chain(high.chunks).flatten();
                Ok((findings.collect(), orphans))
            }
        }
    }
}

/// One problem as a script reads it (`--format json`): the message in the run's language.
fn problem_json(d: &Diagnostic, lang: Lang) -> serde_json::Value {
    let level = if d.is_error() { "error" } else { "warning" };
    let message = d.message.text(lang);
    json!({"severity": level, "file": d.path, "line": d.line, "col": d.col, "message": message})
}

/// The problems as a JSON document; `plan` is null when the plan could not be read.
fn print_json(
    ctx: &Ctx,
    plan: Option<&str>,
    problems: impl IntoIterator<Item = serde_json::Value>,
) -> Result<()> {
    let mut doc = envelope(
        "check",
        plan.unwrap_or_default(),
        ctx.as_of,
        ctx.lang,
        [],
        problems,
    );
    doc["plan"] = json!(plan);
    out(&format!("{}\n", serde_json::to_string_pretty(&doc)?))
}

/// `ENTRY:HASH` as the bulletin prints it (also `#ENTRY:HASH`, or with a full-width colon as
/// an IME types it).
fn anchor_arg(text: &str) -> Result<(i64, String)> {
    let typed = text.trim().replace('：', ":");
    let parsed = typed.split_once(':').and_then(|(n, h)| {
        let n = n.trim().trim_start_matches('#').parse::<i64>().ok()?;
        let h = h.trim().to_ascii_lowercase();
        (h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit())).then_some((n, h))
    });
    match parsed {
        Some(anchor) => Ok(anchor),
        None => usage(
            Message::new(
                "--anchor \"{text}\" is not a ledger checksum; copy the bulletin's 台账校验码, ENTRY:HASH (64 hex digits)",
            )
            .with_input("text", text),
        ),
    }
}

pub fn run(ctx: &Ctx, args: &CheckArgs) -> Result<Outcome> {
    let anchor = args.anchor.as_deref().map(anchor_arg).transpose()?;
    let json = ctx.format == Format::Json;
    let file_check = FileCheck::start(ctx.db.as_deref());
    // An unchanged plan is not validated again: the cache holds its warnings.
    let loaded = match &ctx.plan_cache {
        Some(cache) => plan::load_checked(&ctx.plan_path, cache),
        None => plan::load(&ctx.plan_path),
    };
    let loaded = match loaded {
        // Kept until the process ends, as `Ctx::load_plan` keeps it.
        Ok(loaded) => Box::leak(Box::new(loaded)),
        Err(errors) if json => {
            let problems = errors.0.iter().map(|d| problem_json(d, ctx.lang));
            print_json(ctx, None, problems)?;
            return Ok(Outcome::Failed);
        }
        Err(errors) => {
            crate::errln!("{}", errors.text(ctx.lang));
            return Ok(Outcome::Failed);
        }
    };
    let lang = ctx.lang;
    let mut problems: Vec<_> = loaded
        .warnings
        .iter()
        .map(|d| problem_json(d, lang))
        .collect();
    if !json {
        for w in &loaded.warnings {
            crate::errln!("{}", w.text(lang));
        }
    }
    let p = &loaded.plan;
    let db = ctx.db_path(loaded);
    let mut ledger_errors = 0;
    let ledger_warnings = if let Some(store) = ctx.read_store(loaded)? {
        // The file and the hash chain first: a ledger that fails them is not to be trusted;
        // then every row, against the plan.
        let file = db.display().to_string();
        let mut report = |error: bool, message: Message| {
            let level = if error { "error" } else { "warning" };
            let message = message.text(lang);
            if json {
                problems.push(json!({"severity": level, "file": file, "line": null, "col": null, "message": message}));
            } else {
                crate::errln!("{file}: {}: {message}", lang.t(level));
            }
        };
        let (damage, findings, orphaned) =
            audit_and_verify(&store, file_check, &db, p, &loaded.fingerprint)?;
        let anchored = match (&anchor, damage.is_empty()) {
            (Some((n, hash)), true) => store.anchor_problem(*n, hash)?,
            _ => None,
        };
        for e in damage.into_iter().chain(anchored) {
            ledger_errors += 1;
            report(true, e);
        }
        let mut row_warnings = 0;
        for f in findings {
            match f.error {
                true => ledger_errors += 1,
                false => row_warnings += 1,
            }
            let about = Message::new("entry #{n}: {finding}").with("n", f.entry);
            report(f.error, about.with_message("finding", f.message));
        }
        let successors = |ids: &[&str]| successors(p, &loaded.path, ids);
        let warnings = orphans(p, orphaned, &successors);
        for w in &warnings {
            report(false, w.clone());
        }
        warnings.len() + row_warnings
    } else {
        0
    };
    let outcome = if ledger_errors > 0 {
        Outcome::Failed
    } else {
        Outcome::Ok
    };
    if json {
        print_json(ctx, Some(&p.meta.id), problems)?;
        return Ok(outcome);
    }
    if ledger_errors > 0 {
        return Ok(outcome);
    }
    let warnings = loaded.warnings.len() + ledger_warnings;
    let mut counts = vec![
        Message::count("1 section", "{n} sections", p.sections.len()),
        Message::count("1 measure", "{n} measures", p.measures.len()),
        Message::count("1 target", "{n} targets", p.targets.len()),
        Message::count("1 milestone", "{n} milestones", p.milestones.len()),
        Message::count("1 unit", "{n} units", p.units.len()),
    ];
    if warnings > 0 {
        counts.push(Message::count("1 warning", "{n} warnings", warnings));
    }
    let counts: Vec<String> = counts.iter().map(|c| c.text(lang)).collect();
    let ok = Message::new("{plan}: ok: {counts}")
        .with("plan", ctx.plan_path.display())
        .with("counts", counts.join(lang.t(", ")));
    out(&format!("{}\n", ok.text(lang)))?;
    Ok(Outcome::Ok)
}

/// The likely successors of ids that are no longer in `plan`: for each, judged against the
/// newest committed version of the plan that still had it ([`likely_successor`]). The
/// versions are read one at a time, newest first, until every id has been found.
fn successors(plan: &Plan, path: &Path, ids: &[&str]) -> HashMap<String, ItemId> {
    let mut found = HashMap::new();
    let mut settled: HashSet<&str> = HashSet::new();
    git::each_plan_version(path, |_, version| {
        for &id in ids {
            // A version that has the id as an item's current id, as likely_successor reads it
            // (one that lists it among former ids only is not that version).
            let current = version.item(id).is_some_and(|i| i.id().as_str() == id);
            if !settled.contains(id) && current {
                settled.insert(id);
                if let Some(s) = likely_successor(plan, id, [version]) {
                    found.insert(id.to_string(), s.clone());
                }
            }
        }
        match settled.len() == ids.len() {
            true => ControlFlow::Break(()),
            false => ControlFlow::Continue(()),
        }
    });
    found
}

/// Ledger entries recorded under an id that is neither a current nor a former id of any item
/// (`orphaned`: how many entries each such id has, found by the audit of every row).
/// They are never deleted; the officer either restores the item or lists the old id under the
/// new item's `previous_ids`. `successors` names the items that likely replaced the ids (from the
/// plan's history); otherwise the closest id by spelling is suggested.
pub fn orphans(
    plan: &Plan,
    orphaned: Orphans,
    successors: &dyn Fn(&[&str]) -> HashMap<String, ItemId>,
) -> Vec<Message> {
    let current: Vec<&str> = plan.items().map(|i| i.id().as_str()).collect();
    // The plan's git history is read only when an entry's id is not in the plan.
    let likely = match orphaned.is_empty() {
        true => HashMap::new(),
        false => successors(&orphaned.keys().map(String::as_str).collect::<Vec<_>>()),
    };
    orphaned
        .into_iter()
        .map(|(id, n)| {
            let likely = likely.get(&id).map(|c| c.to_string());
            let renamed_to = likely
                .as_deref()
                .or_else(|| suggest::closest(&id, current.iter().copied()));
            let hint = match renamed_to {
                Some(c) => {
                    Message::new("; if it was renamed, add previous_ids = [\"{id}\"] to {c}")
                        .with("id", &id)
                        .with("c", c)
                }
                None => Message::new(
                    "; restore the item, or list the id under previous_ids of the item that \
                     replaces it",
                ),
            };
            let entries = Message::count("1 ledger entry", "{n} ledger entries", n as usize);
            Message::new("{entries} about \"{id}\", which is not in the plan{hint}")
                .with_message("entries", entries)
                .with("id", id)
                .with_message("hint", hint)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Taken from both ends, in any interleaving, the chunks cover every entry once.
    #[test]
    fn the_ends_meet_with_every_entry_taken_once() {
        for last in [0, 1, Ends::CHUNK - 1, Ends::CHUNK, 3 * Ends::CHUNK + 5] {
            for pattern in [0b0101u32, 0b0011, 0b1111, 0] {
                let ends = Ends::new(last);
                let mut taken = Vec::new();
                for k in 0.. {
                    let from_top = pattern >> (k % 4) & 1 == 1;
                    let Some(chunk) = ends.take(from_top) else {
                        break;
                    };
                    assert!(chunk.clone().count() as i64 <= Ends::CHUNK);
                    taken.extend(chunk);
                }
                taken.sort_unstable();
                assert_eq!(taken, (1..=last).collect::<Vec<_>>(), "{last}, {pattern:b}");
            }
        }
        let ends = Ends::new(10);
        ends.stop();
        assert_eq!((ends.take(false), ends.take(true)), (None, None));
    }

    /// Entries about one id, read by both sides, are counted once each.
    #[test]
    fn both_sides_orphans_are_summed() {
        let side = |pairs: &[(&str, i64)]| Side {
            orphans: pairs.iter().map(|&(id, n)| (id.to_string(), n)).collect(),
            ..Side::default()
        };
        let low = side(&[("T-a", 2), ("T-b", 1)]);
        let high = side(&[("T-b", 3), ("M-c", 1)]);
        let (_, orphans) = Side::join(low, high).unwrap_or_default();
        let expected = [("M-c", 1), ("T-a", 2), ("T-b", 4)];
        assert_eq!(orphans, side(&expected).orphans);
    }

    /// Reads the chunks of `ends` from one side, with chain breaks at the entries `breaks`
    /// and a finding for each chunk, named by its first entry.
    fn side(ends: &Ends, from_top: bool, breaks: &[i64]) -> Side {
        ends.work(from_top, |chunk| {
            let finding = Finding {
                entry: *chunk.start(),
                error: false,
                message: Message::new(""),
            };
            let broken = breaks.iter().find(|b| chunk.contains(b));
            Ok((vec![finding], broken.map(|&b| (b, ""))))
        })
        .unwrap()
    }

    /// Whichever side runs first, the break named is the lowest in the ledger, and findings
    /// come in entry order.
    #[test]
    fn the_first_break_is_the_lowest_whichever_side_reads_first() {
        let c = Ends::CHUNK;
        for (breaks, first) in [
            (vec![3 * c + 5, c + 5], Some(c + 5)),
            (vec![3 * c + 5], Some(3 * c + 5)),
            (vec![5, 3 * c + 5], Some(5)),
            (vec![], None),
        ] {
            for top_first in [true, false] {
                let ends = Ends::new(4 * c);
                let (low, high) = match top_first {
                    true => {
                        let high = side(&ends, true, &breaks);
                        (side(&ends, false, &breaks), high)
                    }
                    false => (side(&ends, false, &breaks), side(&ends, true, &breaks)),
                };
                match Side::join(low, high) {
                    Err((entry, _)) => assert_eq!(Some(entry), first, "{breaks:?}, {top_first}"),
                    Ok((findings, _)) => {
                        assert_eq!(first, None);
                        let starts: Vec<i64> = findings.iter().map(|f| f.entry).collect();
                        assert_eq!(starts, [1, c + 1, 2 * c + 1, 3 * c + 1], "{top_first}");
                    }
                }
            }
        }
    }
}
