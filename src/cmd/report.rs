//! `plantrack report …`: the overdue, by-department, by-target and monthly reports.

use anyhow::Result;

use super::{Ctx, Failure, Outcome, out, usage};
use crate::cli::{ByDepartmentArgs, MonthlyArgs, ReportCommand};
use crate::doc::View;
use crate::files::FileSet;
use crate::i18n::Message;
use crate::judge::Judged;
use crate::model::Item;
use crate::model::{Month, Snapshot, UnitKind};
use crate::plan::Loaded;
use crate::render::{self, Format};
use crate::report::by_department::ByDepartment;
use crate::report::by_target::ByTarget;
use crate::report::monthly::{Before, Monthly, Trail};
use crate::report::overdue::Late;
use crate::revision::{changed_since_reported, git};
use crate::store::Scan;

pub fn run(ctx: &Ctx, command: &ReportCommand) -> Result<Outcome> {
    let loaded = ctx.load_plan()?;
    match command {
        ReportCommand::Overdue => {
            // The ledger's facts are let go before the rows are made, and the verdicts before
            // the report is drawn.
            let view = {
                let snapshot = ctx.snapshot(loaded)?;
                let judged = Judged::new(&loaded.plan, &snapshot);
                let late = Late::read(&loaded.plan, &judged);
                let verdicts = judged.verdicts;
                drop(snapshot);
                late.rows(&verdicts)
            };
            ctx.print(&view)?;
        }
        ReportCommand::ByTarget => by_target(ctx, loaded)?,
        ReportCommand::ByDepartment(args) => by_department(ctx, loaded, args)?,
        // The bulletin compares two dates of its own, and may write files.
        ReportCommand::Monthly(args) => monthly(ctx, loaded, args)?,
    }
    Ok(Outcome::Ok)
}

fn by_target(ctx: &Ctx, loaded: &Loaded) -> Result<()> {
    let plan = &loaded.plan;
    let snapshot = ctx.snapshot(loaded)?;
    // Targets changed since their latest entry, found through the plan's git history.
    let versions = |wanted: &_| git::plans_by_fingerprint(&loaded.path, wanted);
    let latest = |t| snapshot.latest_recorded(plan, Item::Target(t));
    let changed = changed_since_reported(plan, &loaded.fingerprint, latest, versions);
    // The ledger's facts are let go before the rows are made, and the verdicts once they
    // are: never more than two of the three are held (the peak at 100,000 items).
    let verdicts = Judged::new(plan, &snapshot).verdicts;
    drop(snapshot);
    let mut view = ByTarget::compute(plan, &verdicts);
    drop(verdicts);
    view.note_changed_targets(changed);
    ctx.print(&view)
}

fn by_department(ctx: &Ctx, loaded: &Loaded, args: &ByDepartmentArgs) -> Result<()> {
    let plan = &loaded.plan;
    let snapshot = ctx.snapshot(loaded)?;
    let unit = args
        .unit
        .as_deref()
        .map(|key| super::unit_arg(plan, key))
        .transpose()?;
    let kind = match args.kind.as_deref() {
        None => None,
        Some(k) => {
            match UnitKind::parse(k) {
                Some(kind) => Some(kind),
                None => {
                    let names = UnitKind::ALL.iter().map(|k| k.as_str());
                    return usage(
                    Message::new("--kind \"{k}\" is not a kind of unit{hint}; expected one of: {choices}")
                        .with_input("k", k)
                        .with_message("hint", crate::suggest::hint(k, names.clone()))
                        .with("choices", names.collect::<Vec<_>>().join(", ")),
                );
                }
            }
        }
    };
    let mut view = ByDepartment::compute(plan, &Judged::new(plan, &snapshot), unit);
    // The ledger's facts are let go before the report is drawn.
    drop(snapshot);
    if let Some(kind) = kind {
        view.keep_kind(kind);
    }
    ctx.print(&view)
}

/// The monthly bulletin, printed or written as every format into a folder.
fn monthly(ctx: &Ctx, loaded: &Loaded, args: &MonthlyArgs) -> Result<()> {
    let plan = &loaded.plan;
    let month = match &args.month {
        Some(m) => match Month::parse(m) {
            Some(month) => month,
            None => {
                return usage(
                    Message::new("--month \"{m}\" is not a month; write YYYY-MM, e.g. 2021-01")
                        .with_input("m", m),
                );
            }
        },
        None => Month::completed_by(ctx.as_of),
    };
    if month.last_day() > ctx.as_of {
        return usage(
            Message::new(
                "{month} is not over on the as-of date {as_of}; report a month that has ended, or pass a later --as-of",
            )
            .with("month", month)
            .with("as_of", ctx.as_of),
        );
    }
    if month.last_day() < plan.meta.issued {
        return usage(
            Message::new("{month} ended before the plan was issued ({issued})")
                .with("month", month)
                .with("issued", plan.meta.issued),
        );
    }
    let end = month.last_day();
    let store = ctx.read_store(loaded)?;
    // Both months' facts, and every value up to the month's end for the trends, are read
    // in one scan, on two cores ([`crate::store::Store::snapshot`]). Of the previous month,
    // only each item's light and value are kept, so that two months' verdicts are never
    // held at once.
    let days = [month.prev().last_day(), end];
    let (facts, values) = match &store {
        Some(store) => store.snapshots_with_values(plan, &days)?,
        None => (days.map(Snapshot::empty).into(), Vec::new()),
    };
    let [at_start, at_end]: [Snapshot; 2] = facts.try_into().expect("a snapshot for each day");
    let before = Before::of(plan, &Judged::new(plan, &at_start));
    drop(at_start);
    let scan = Scan {
        from: Some(month.first_day()),
        to: Some(end),
        live_only: true,
        ..Scan::default()
    };
    let mut trail = Trail::new(plan, month, values);
    if let Some(store) = &store {
        store.scan(&scan, |e| {
            trail.add(e);
            std::ops::ControlFlow::Continue(())
        })?;
    }
    let now = Judged::new(plan, &at_end);
    let head = match &store {
        Some(store) => store.chain_head()?,
        None => None,
    };
    let report = Monthly::compute(plan, month, &now, &before, trail).with_ledger_head(head);
    // The bulletin holds what it shows: the verdicts and the ledger's facts are let go
    // before its files are drawn (35 MB at 100,000 items).
    drop(now);
    drop((at_end, before));
    match &args.out {
        None => ctx.print(&report)?,
        Some(dir) => {
            if dir.exists() && !dir.is_dir() {
                return usage(
                    Message::new(
                        "--out {dir} is not a folder; name a folder for the bulletin's files",
                    )
                    .with("dir", dir.display()),
                );
            }
            std::fs::create_dir_all(dir).map_err(|why| {
                let cannot = Message::new("cannot create {dir}: {why}").with("dir", dir.display());
                Failure(cannot.with_message("why", (&why).into()))
            })?;
            let options = render::Options {
                width: None,
                csv_bom: true,
                ..ctx.render_options()
            };
            // The JSON, then the document in each format for people (the HTML page
            // summarised) and each table as its own CSV for Excel; all replaced together, or
            // none. The document is built once, and each file is written out as it is made.
            ctx.sweep(dir);
            let mut files = FileSet::default();
            let path = |ext: &str| dir.join(format!("{month}.{ext}"));
            // Drawn in five formats: each row is made once, not once per format.
            let doc = report.doc(ctx.lang).visible().made();
            // Each file is written as it is made, on two cores, about evenly at 100,000 items:
            // the JSON, each table as CSV and the Markdown on this one; the page and the
            // workbook on the other, into a set of files of its own, committed with the rest.
            // The Markdown, like the page, is for reading: beside the CSV and the workbook,
            // which hold every row, it shows the first rows of a long table (at 100,000 items
            // it was 16 MB that no viewer shows, and 0.3 s).
            let (written, drawn) = super::join(
                || -> Result<()> {
                    files.add_with(path("json"), |w| render::write_json(&report, ctx.lang, w))?;
                    for (name, table) in render::csv_tables(&doc) {
                        let path = path(&format!("{name}.csv"));
                        files.add_with(path, |w| render::write_csv_table(table, w))?;
                    }
                    let summary = doc.summarised(ctx.lang);
                    files.add_with(path("md"), |w| {
                        Ok(render::write_doc(&summary, Format::Markdown, options, w)?)
                    })?;
                    Ok(())
                },
                || -> Result<FileSet> {
                    let mut drawn = FileSet::default();
                    let page = render::render_doc(&doc, Format::Html, options)?;
                    drawn.add(path("html"), &page)?;
                    drawn.add_with(path("xlsx"), |w| Ok(render::write_xlsx(&doc, w)?))?;
                    Ok(drawn)
                },
            );
            written?;
            files.absorb(drawn?);
            // Named in the order of their names, as a folder lists them.
            let mut written = files.commit()?;
            written.sort();
            for written in written {
                let wrote = Message::new("wrote {path}").with("path", written.display());
                out(&format!("{}\n", wrote.text(ctx.lang)))?;
            }
        }
    }
    Ok(())
}
