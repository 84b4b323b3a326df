//! `plantrack history [ID]`: the ledger, newest first, with superseded entries marked.
//!
//! The ledger can hold millions of entries, so it is written as it is read, a chunk of
//! [`CHUNK`] entries at a time: `history | head -1` answers at once, and memory stays that of
//! one chunk. A ledger of one chunk prints exactly as any other document; a longer one prints
//! its JSON and CSV identically too, and its terminal table as one table per chunk (HTML and
//! XLSX, which are written whole, are built whole).

use std::ops::ControlFlow;

use anyhow::Result;

use super::item_arg;
use super::{Ctx, Outcome, out};
use crate::cli::HistoryArgs;
use crate::doc::View;
use crate::i18n::Lang;
use crate::model::{Entry, Plan};
use crate::render::{self, Format, JsonRows};
use crate::store::Scan;
use crate::view::history::History;

/// Entries rendered at a time.
const CHUNK: usize = 2_000;

pub fn run(ctx: &Ctx, args: &HistoryArgs) -> Result<Outcome> {
    let whole = matches!(ctx.format, Format::Html | Format::Xlsx);
    // The ledger's first page needs only the items on it: the whole plan is read for the
    // pages after it, or when its cache cannot answer (`Pages`).
    let core = match (&args.id, whole) {
        (None, false) => ctx.load_plan_part(&[])?,
        _ => None,
    };
    let loaded = match (&args.id, core) {
        (_, Some(core)) => core,
        // One item's history needs that item only.
        (Some(id), None) => ctx.load_plan_for(id)?,
        (None, None) => ctx.load_plan()?,
    };
    let plan = &loaded.plan;
    let ids = match &args.id {
        Some(id) => Some(item_arg(plan, id)?.all_ids()),
        None => None,
    };
    // The ledger as it stood on the as-of date: what was reported for dates up to it.
    let scan = Scan {
        ids: ids.as_deref(),
        to: Some(ctx.as_of),
        newest_first: true,
        ..Scan::default()
    };
    let Some(store) = ctx.read_store(loaded)? else {
        return print_whole(
            ctx,
            &History {
                plan,
                as_of: ctx.as_of,
                entries: &[],
            },
        );
    };
    if whole {
        let entries = store.entries(&scan)?;
        return print_whole(
            ctx,
            &History {
                plan,
                as_of: ctx.as_of,
                entries: &entries,
            },
        );
    }
    let mut pages = Pages {
        ctx,
        whole: core.is_none().then_some(plan),
        read: false,
    };
    let mut writer = Chunks::new(ctx);
    let mut chunk: Vec<Entry> = Vec::with_capacity(CHUNK);
    let mut failed = None;
    store.scan(&scan, |e| {
        chunk.push(e);
        if chunk.len() == CHUNK {
            // A reader that has gone (`| head`) stops the scan.
            let written = pages.plan_for(&chunk).and_then(|plan| {
                let view = History {
                    plan,
                    as_of: ctx.as_of,
                    entries: &chunk,
                };
                writer.write(&view, false)
            });
            chunk.clear();
            if let Err(e) = written {
                failed = Some(e);
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    })?;
    if let Some(e) = failed {
        return Err(e);
    }
    writer.write(
        &History {
            plan: pages.plan_for(&chunk)?,
            as_of: ctx.as_of,
            entries: &chunk,
        },
        true,
    )?;
    Ok(Outcome::Ok)
}

/// The plan each page of the history is read against: for the first, the plan's core and
/// the items its entries name, from the plan's cache, which `history | head -1` answers in
/// a few milliseconds where a province's whole plan takes a tenth of a second; for the rest,
/// the whole plan, read once.
struct Pages<'c> {
    ctx: &'c Ctx,
    /// The whole plan, once read.
    whole: Option<&'static Plan>,
    /// Whether a page has been read.
    read: bool,
}

impl Pages<'_> {
    fn plan_for(&mut self, page: &[Entry]) -> Result<&'static Plan> {
        if let Some(plan) = self.whole {
            return Ok(plan);
        }
        if !std::mem::replace(&mut self.read, true) {
            let mut ids: Vec<&str> = page.iter().map(|e| e.item.as_str()).collect();
            ids.sort_unstable();
            ids.dedup();
            if let Some(part) = self.ctx.load_plan_part(&ids)? {
                return Ok(&part.plan);
            }
        }
        let plan = &self.ctx.load_plan()?.plan;
        self.whole = Some(plan);
        Ok(plan)
    }
}

fn print_whole(ctx: &Ctx, view: &History) -> Result<Outcome> {
    ctx.print(view)?;
    Ok(Outcome::Ok)
}

/// Writes a document chunk by chunk so that the chunks read as one document.
struct Chunks<'c> {
    ctx: &'c Ctx,
    written: usize,
    /// The JSON document's rows, once its envelope is open.
    json: Option<JsonRows>,
}

impl<'c> Chunks<'c> {
    fn new(ctx: &'c Ctx) -> Self {
        Chunks {
            ctx,
            written: 0,
            json: None,
        }
    }

    /// Writes one chunk; `last` closes the document.
    fn write(&mut self, view: &History, last: bool) -> Result<()> {
        let first = self.written == 0;
        self.written += 1;
        if first && last {
            // One chunk: the document exactly as any other is printed.
            return self.ctx.print(view);
        }
        if !first && view.entries.is_empty() && self.ctx.format != Format::Json {
            return Ok(());
        }
        let options = render::Options {
            csv_bom: self.ctx.csv_bom && first,
            ..self.ctx.render_options()
        };
        match self.ctx.format {
            Format::Json => {
                let part = json_part(view, self.ctx.lang, &mut self.json, last)?;
                out(&String::from_utf8(part)?)
            }
            Format::Csv | Format::Markdown => {
                let text = String::from_utf8(render::render(view, self.ctx.format, options)?)?;
                // Later chunks continue the one table: their header lines are dropped.
                let skip = match (first, self.ctx.format) {
                    (true, _) => 0,
                    (false, Format::Csv) => 1,
                    (false, _) => table_start(&text) + 2,
                };
                let body: String = text.split_inclusive('\n').skip(skip).collect();
                out(&body)
            }
            _ => {
                let text = String::from_utf8(render::render(view, self.ctx.format, options)?)?;
                // Later chunks are tables of their own, without the document's title.
                let skip = match first {
                    true => 0,
                    false => text
                        .lines()
                        .position(|l| l.starts_with('┌'))
                        .map_or(0, |i| i.saturating_sub(1)),
                };
                out(&text.split_inclusive('\n').skip(skip).collect::<String>())
            }
        }
    }
}

/// The line where a Markdown document's table starts.
fn table_start(text: &str) -> usize {
    text.lines().position(|l| l.starts_with('|')).unwrap_or(0)
}

/// A chunk of the JSON document, as `serde_json`'s pretty printer writes the whole: the
/// envelope opens before the first chunk's rows and closes after the last's.
fn json_part(
    view: &History,
    lang: Lang,
    rows: &mut Option<JsonRows>,
    last: bool,
) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut open = match rows.take() {
        Some(open) => open,
        None => {
            let empty = History {
                entries: &[],
                ..*view
            };
            JsonRows::open(&mut out, &empty.json(lang).head)?
        }
    };
    for row in view.json_entries() {
        open.row(&mut out, &row)?;
    }
    if last {
        open.close(&mut out)?;
    } else {
        *rows = Some(open);
    }
    Ok(out)
}
