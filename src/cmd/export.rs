//! `plantrack export` and `plantrack import`: the whole ledger in a stable layout, and back.

use anyhow::Result;

use super::{Ctx, Outcome, cannot_read, out, usage};
use crate::cli::ImportArgs;
use crate::i18n::Message;
use crate::render::Format;
use crate::store::{EXPORT_FIELDS, Exported, Store};
use crate::view::envelope;

pub fn export(ctx: &Ctx) -> Result<Outcome> {
    let loaded = ctx.load_plan()?;
    let rows = match ctx.read_store(loaded)? {
        Some(store) => store.export()?,
        None => Vec::new(),
    };
    match ctx.format {
        Format::Json | Format::Table => {
            let rows = rows.iter().map(serde_json::to_value);
            let rows: Vec<_> = rows.collect::<Result<_, _>>()?;
            let doc = envelope(
                "export",
                &loaded.plan.meta.id,
                ctx.as_of,
                ctx.lang,
                [],
                rows,
            );
            out(&format!("{}\n", serde_json::to_string_pretty(&doc)?))?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            // Headers are the JSON keys whatever --lang says: this file is for machines.
            if rows.is_empty() {
                w.write_record(EXPORT_FIELDS)?;
            }
            for r in &rows {
                w.serialize(r)?;
            }
            out(&String::from_utf8(w.into_inner()?)?)?;
        }
        other => {
            return usage(
                Message::new("export writes json or csv, not {format}")
                    .with("format", other.extension()),
            );
        }
    }
    Ok(Outcome::Ok)
}

/// The rows of an export file: a JSON document (its `rows`) or CSV with the export's header.
/// The rows of an export file: a JSON document (its `rows`) or CSV with the export's header;
/// why it is not one, where the parser's own words are echoed as typed input.
fn read_export(bytes: &[u8]) -> Result<Vec<Exported>, Message> {
    let quoted =
        |e: &dyn std::fmt::Display| Message::new("{text}").with_input("text", &e.to_string());
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'{') {
        let doc: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| quoted(&e))?;
        let schema = doc["schema"].as_str().unwrap_or_default();
        if !schema.starts_with("plantrack/export/") {
            return Err(
                Message::new("a JSON document of schema {schema}, not an export")
                    .with_input("schema", &format!("{schema:?}")),
            );
        }
        return serde_json::from_value(doc["rows"].clone()).map_err(|e| quoted(&e));
    }
    let mut r = csv::Reader::from_reader(bytes);
    let header: Vec<String> = r
        .headers()
        .map_err(|e| quoted(&e))?
        .iter()
        .map(String::from)
        .collect();
    if header != EXPORT_FIELDS {
        return Err(
            Message::new("the CSV header is not the export's: expected {fields}")
                .with("fields", EXPORT_FIELDS.join(",")),
        );
    }
    r.deserialize()
        .enumerate()
        .map(|(n, row)| {
            row.map_err(|e| {
                Message::new("row {n}: {why}")
                    .with("n", n + 1)
                    .with_message("why", quoted(&e))
            })
        })
        .collect()
}

pub fn import(ctx: &Ctx, args: &ImportArgs) -> Result<Outcome> {
    let loaded = ctx.load_plan()?;
    let path = ctx.db_path(loaded);
    if let Some(store) = ctx.read_store(loaded)? {
        let held = store.item_ids()?.iter().map(|(_, n)| n).sum::<i64>();
        if held > 0 {
            return usage(
                Message::new(
                    "the ledger {path} already holds {n} entries; import loads into an empty ledger: pass --db NEW.db",
                )
                .with("path", path.display())
                .with("n", held),
            );
        }
    }
    let bytes = crate::files::read_input(&args.file).map_err(cannot_read(args.file.display()))?;
    let rows = match read_export(&bytes) {
        Ok(rows) => rows,
        Err(why) => {
            return usage(
                Message::new("{file} is not a plantrack export: {why}")
                    .with("file", args.file.display())
                    .with_message("why", why),
            );
        }
    };
    let n = Store::import(&path, &rows)?;
    let done = Message::new("imported {n} entries into {path}; the hash chain verifies")
        .with("n", n)
        .with("path", path.display());
    out(&format!("{}\n", done.text(ctx.lang)))?;
    Ok(Outcome::Ok)
}
