//! What every command receives and returns: its context with the defaults resolved, its
//! outcome, and the usage error that means "you typed something wrong" (exit code 2).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::NaiveDate;

use crate::doc::View;
use crate::i18n::{Lang, Message};
use crate::model::Snapshot;
use crate::plan::{self, Loaded};
use crate::render::{self, CsvHeaders, Format};
use crate::store::{FactsMemo, Store};

/// A mistake in what the user typed: exit code 2. The message is printed in the reader's
/// language.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub Message);

/// Shorthand for returning a [`UsageError`].
pub fn usage<T>(message: impl Into<Message>) -> Result<T> {
    Err(UsageError(message.into()).into())
}

/// A command that could not do what was asked for a reason outside the command line (a file
/// that cannot be read, a folder that is missing): exit 1, printed in the reader's language.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Failure(pub Message);

/// `cannot read {path}: {why}`, for reading a file the user named.
pub fn cannot_read(path: impl std::fmt::Display) -> impl FnOnce(std::io::Error) -> Failure {
    move |why| {
        Failure(
            Message::new("cannot read {path}: {why}")
                .with("path", path)
                .with_message("why", (&why).into()),
        )
    }
}

/// Whether the command did what was asked, or found what it was asked to look for.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// A check ran and failed: exit code 1.
    Failed,
}

/// Everything a command needs, with the defaults resolved. Built once by `app` from the
/// command line and the environment; commands never read the clock or the environment.
pub struct Ctx {
    pub plan_path: PathBuf,
    pub db: Option<PathBuf>,
    pub as_of: NaiveDate,
    pub format: Format,
    pub csv_headers: CsvHeaders,
    pub csv_bom: bool,
    pub lang: Lang,
    pub width: Option<u16>,
    pub interactive: bool,
    /// The instant of the run, as the ledger stores it: RFC 3339 with the local offset.
    pub now: String,
    /// The local date of `now`: nothing can be reported as of a later day.
    pub today: NaiveDate,
    /// The plan cache in the user's cache directory; `None` turns the cache off.
    pub plan_cache: Option<plan::PlanCache>,
    /// The ledger's facts kept between runs in the same directory; `None` turns it off.
    pub facts_memo: Option<FactsMemo>,
}

impl Ctx {
    /// Loads the plan, from its cache when the file has not changed (no warnings then: `check`
    /// loads in full); an invalid plan is an error that lists every problem.
    ///
    /// The plan is kept until the process ends: a run is one command, and the system takes
    /// its memory back at once, where freeing a province's 100,000 items one by one cost
    /// 10–20 ms of every run.
    pub fn load_plan(&self) -> Result<&'static Loaded> {
        let loaded = match &self.plan_cache {
            Some(cache) => plan::load_cached(&self.plan_path, cache)?,
            None => plan::load(&self.plan_path)?,
        };
        let plan = &loaded.plan;
        crate::memory::fit_to_plan(
            plan.measures.len() + plan.targets.len() + plan.milestones.len(),
        );
        Ok(Box::leak(Box::new(loaded)))
    }

    /// The plan's core and the one item `id` names, from the cache, for a command about one
    /// item (`update`); the whole plan when the cache cannot answer, so that an unknown id
    /// still gets its "did you mean".
    pub fn load_plan_for(&self, id: &str) -> Result<&'static Loaded> {
        if let Some(cache) = &self.plan_cache
            && let Some(loaded) = plan::load_cached_item(&self.plan_path, cache, id)?
        {
            return Ok(Box::leak(Box::new(loaded)));
        }
        self.load_plan()
    }

    /// The plan's core and the items that answer to `ids`, from the cache, for a command
    /// that reads only some items (the first page of `history`); `None` when the cache cannot
    /// answer.
    pub fn load_plan_part(&self, ids: &[&str]) -> Result<Option<&'static Loaded>> {
        let Some(cache) = &self.plan_cache else {
            return Ok(None);
        };
        let part = plan::load_cached_items(&self.plan_path, cache, ids)?;
        Ok(part.map(|loaded| &*Box::leak(Box::new(loaded))))
    }

    /// Removes plantrack's stale temporary files from `dir` before a command writes there
    /// (see [`crate::files::sweep_stale`]); the age is measured on the run's clock.
    pub fn sweep(&self, dir: &Path) {
        if let Ok(now) = chrono::DateTime::parse_from_rfc3339(&self.now) {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            crate::files::sweep_stale(dir, now.into());
        }
    }

    /// The ledger's path: `--db`, `PLANTRACK_DB`, or `<plan dir>/<plan id>.db`.
    pub fn db_path(&self, loaded: &Loaded) -> PathBuf {
        self.db.clone().unwrap_or_else(|| {
            let dir = self.plan_path.parent().unwrap_or(Path::new("."));
            dir.join(format!("{}.db", loaded.plan.meta.id))
        })
    }

    /// The ledger's path, when it may be used. A ledger named by `--db` or `PLANTRACK_DB`
    /// must be in an existing folder: a mistyped path in a scheduled job fails instead of
    /// silently reporting on, or writing, a new ledger somewhere else.
    fn usable_db_path(&self, loaded: &Loaded) -> Result<PathBuf> {
        let path = self.db_path(loaded);
        let folder = path.parent().filter(|d| !d.as_os_str().is_empty());
        if self.db.is_some() && folder.is_some_and(|d| !d.is_dir()) {
            let missing =
                Message::new("no folder for the ledger {path}; check --db or PLANTRACK_DB");
            return Err(Failure(missing.with("path", path.display())).into());
        }
        Ok(path)
    }

    /// Opens the plan's ledger to write, creating it on first use.
    pub fn open_store(&self, loaded: &Loaded) -> Result<Store> {
        Ok(Store::open(&self.usable_db_path(loaded)?)?)
    }

    /// The plan's ledger to read, changing nothing; `None` when nobody has written to it yet.
    pub fn read_store(&self, loaded: &Loaded) -> Result<Option<Store>> {
        Ok(Store::open_existing(&self.usable_db_path(loaded)?)?)
    }

    /// The ledger's facts about the plan as of `as_of`; empty when there is no ledger yet.
    pub fn snapshot_at(&self, loaded: &Loaded, as_of: NaiveDate) -> Result<Snapshot> {
        Ok(match self.read_store(loaded)? {
            Some(store) => match &self.facts_memo {
                Some(memo) => {
                    store.snapshot_memo(&loaded.plan, &loaded.fingerprint, as_of, memo)?
                }
                None => store.snapshot(&loaded.plan, as_of)?,
            },
            None => Snapshot::empty(as_of),
        })
    }

    /// The ledger's facts as of the as-of date.
    pub fn snapshot(&self, loaded: &Loaded) -> Result<Snapshot> {
        self.snapshot_at(loaded, self.as_of)
    }

    /// Renders `view` in the chosen format and writes it to stdout.
    pub fn print(&self, view: &dyn View) -> Result<()> {
        if self.format == Format::Xlsx && std::io::stdout().is_terminal() {
            return usage(
                "--format xlsx writes a binary workbook: redirect it to a file (> report.xlsx) or use --out DIR",
            );
        }
        // Written as it is made: a report of 100,000 rows never holds its whole text.
        let mut stdout =
            std::io::BufWriter::with_capacity(crate::files::WRITE_BUFFER, std::io::stdout().lock());
        render::write(view, self.format, self.render_options(), &mut stdout)?;
        stdout.flush()?;
        Ok(())
    }

    /// How documents are rendered for this run.
    pub fn render_options(&self) -> render::Options {
        render::Options {
            lang: self.lang,
            width: self.width,
            csv_headers: self.csv_headers,
            csv_bom: self.csv_bom,
        }
    }
}

/// Writes to stdout; a closed pipe (`plantrack … | head`) surfaces as an error that exits quietly.
pub fn out(text: &str) -> Result<()> {
    out_bytes(text.as_bytes())
}

fn out_bytes(bytes: &[u8]) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(bytes)?;
    stdout.flush()?;
    Ok(())
}
