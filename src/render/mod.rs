//! Renderers: a [`Doc`] (titles, paragraphs, typed tables, charts) or a JSON value becomes
//! bytes in one format. Nothing here knows about plans, ledgers, reports or SQL, so a new
//! format touches only this module.

mod csv;
mod html;
mod json_doc;
mod markdown;
mod table;
mod xlsx;

use clap::ValueEnum;

use crate::doc::{Doc, Table, View};
use crate::i18n::{Lang, Message};
pub use json_doc::Rows as JsonRows;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned terminal tables (CJK characters count two columns)
    Table,
    /// GitHub-flavoured Markdown
    Markdown,
    /// Comma-separated values, one header row per table
    Csv,
    /// One JSON document with stable snake_case keys
    Json,
    /// One self-contained, printable HTML page with inline SVG charts
    Html,
    /// An Excel workbook, one sheet per table (binary: use with --out or redirect to a file)
    Xlsx,
}

impl Format {
    /// Every format, in the order `--out` writes them.
    pub const ALL: [Format; 5] = [
        Format::Markdown,
        Format::Csv,
        Format::Json,
        Format::Html,
        Format::Xlsx,
    ];

    /// The file extension for this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Table => "txt",
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Html => "html",
            Format::Xlsx => "xlsx",
        }
    }
}

/// Why a document could not be rendered.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub enum RenderError {
    Json(#[from] serde_json::Error),
    Io(#[from] std::io::Error),
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// JSON is written from a view's data, never from its document for people.
    NotADocument,
}

impl RenderError {
    /// The error as the user reads it, in any language.
    pub fn message(&self) -> Message {
        match self {
            RenderError::Json(e) => Message::new("cannot write JSON: {why}").with("why", e),
            RenderError::Io(e) => Message::new("cannot write the report: {why}").with("why", e),
            RenderError::Xlsx(e) => Message::new("cannot write the workbook: {why}").with("why", e),
            RenderError::NotADocument => {
                Message::new("JSON is written from the report's data, not from its document")
            }
        }
    }
}

impl From<RenderError> for std::io::Error {
    fn from(e: RenderError) -> std::io::Error {
        match e {
            RenderError::Io(e) => e,
            other => std::io::Error::other(other),
        }
    }
}

/// What CSV's header row holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CsvHeaders {
    /// Column titles in the reader's language, for people (Excel, WPS)
    Titles,
    /// The JSON keys, with codes as values, for scripts
    Keys,
}

/// How to render: the reader's language, the terminal width (when there is one), and the CSV
/// headers.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub lang: Lang,
    pub width: Option<u16>,
    pub csv_headers: CsvHeaders,
    /// Start CSV with a byte order mark, as files for Excel need.
    pub csv_bom: bool,
}

/// Every table of `doc`, to be written as its own CSV file for Excel ([`write_csv_table`]):
/// the table's stable name (`overdue-items`), or `table-N`, and the table.
pub fn csv_tables<'d>(doc: &'d Doc) -> impl Iterator<Item = (String, &'d Table<'d>)> {
    doc.tables().enumerate().map(|(i, t)| {
        let name = t
            .name
            .map_or_else(|| format!("table-{}", i + 1), str::to_string);
        (name, t)
    })
}

/// One table as a CSV file for Excel, with a byte order mark, written a row at a time.
pub fn write_csv_table(table: &Table, to: &mut dyn std::io::Write) -> std::io::Result<()> {
    to.write_all(csv::BOM.as_bytes())?;
    csv::write_table(table, to)
}

/// Renders `view` in `format`.
pub fn render(view: &dyn View, format: Format, o: Options) -> Result<Vec<u8>, RenderError> {
    match (format, o.csv_headers) {
        (Format::Json, _) => json(view, o.lang),
        (Format::Csv, CsvHeaders::Keys) => {
            let bom = if o.csv_bom { csv::BOM } else { "" };
            Ok(format!("{bom}{}", csv::render_keys(&view.json(o.lang).into_value())).into_bytes())
        }
        // Notes may hold control characters an older ledger accepted: every format for
        // people shows them as escapes, never raw.
        _ => render_doc(&view.doc(o.lang).visible(), format, o),
    }
}

/// Writes `view` in `format` to `to`: JSON and tables as they are made, a piece at a time.
pub fn write(
    view: &dyn View,
    format: Format,
    o: Options,
    to: &mut dyn std::io::Write,
) -> Result<(), RenderError> {
    match (format, o.csv_headers) {
        (Format::Json, _) => write_json(view, o.lang, to)?,
        (Format::Csv, CsvHeaders::Keys) => to.write_all(&render(view, format, o)?)?,
        _ => write_doc(&view.doc(o.lang).visible(), format, o, to)?,
    }
    Ok(())
}

/// [`render_doc`] written to `to`: tables, Markdown and CSV a piece at a time.
pub fn write_doc(
    doc: &Doc,
    format: Format,
    o: Options,
    to: &mut dyn std::io::Write,
) -> Result<(), RenderError> {
    match format {
        Format::Table => table::write(doc, o.width, o.lang, to)?,
        Format::Markdown => markdown::write(doc, o.lang, to)?,
        Format::Csv => {
            if o.csv_bom {
                to.write_all(csv::BOM.as_bytes())?;
            }
            csv::write(doc, to)?;
        }
        _ => to.write_all(&render_doc(doc, format, o)?)?,
    }
    Ok(())
}

/// `view` as its JSON document.
pub fn json(view: &dyn View, lang: Lang) -> Result<Vec<u8>, RenderError> {
    Ok(json_doc::render(view.json(lang))?)
}

/// Writes `view`'s JSON document to `out` a row at a time.
pub fn write_json(
    view: &dyn View,
    lang: Lang,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    json_doc::write(view.json(lang), out)
}

/// Writes a document (already made [`Doc::visible`]) as a workbook to `out`, as it is zipped.
pub fn write_xlsx(doc: &Doc, out: &mut (dyn std::io::Write + Send)) -> Result<(), RenderError> {
    Ok(xlsx::write(doc, out)?)
}

/// Renders a document (already made [`Doc::visible`]) in a format for people; JSON and CSV
/// with keys come from the view's JSON instead ([`render`]).
pub fn render_doc(doc: &Doc, format: Format, o: Options) -> Result<Vec<u8>, RenderError> {
    let lang = o.lang;
    Ok(match format {
        Format::Table => table::render(doc, o.width, lang).into_bytes(),
        Format::Markdown => markdown::render(doc, lang).into_bytes(),
        Format::Csv => {
            let bom = if o.csv_bom { csv::BOM } else { "" };
            format!("{bom}{}", csv::render(doc)).into_bytes()
        }
        Format::Json => return Err(RenderError::NotADocument),
        Format::Html => html::render(&doc.summarised(lang), lang).into_bytes(),
        Format::Xlsx => xlsx::render(doc)?,
    })
}
