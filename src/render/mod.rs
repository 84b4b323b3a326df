//! Renderers: a report's [`Doc`] (titles, paragraphs and typed tables) or its JSON value
//! becomes bytes in one format. Nothing here knows about plans, ledgers or SQL, so a new
//! format touches only this module.

mod csv;
mod markdown;
mod table;

use chrono::NaiveDate;
use clap::ValueEnum;
use serde_json::Value;

use crate::i18n::Lang;

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
}

/// One cell of a table, typed so that spreadsheets get real numbers and dates.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Num(f64),
    Date(NaiveDate),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn opt_date(d: Option<NaiveDate>) -> Cell {
        d.map_or(Cell::Empty, Cell::Date)
    }

    pub fn opt_num(n: Option<f64>) -> Cell {
        n.map_or(Cell::Empty, Cell::Num)
    }
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Text(s) => f.write_str(s),
            Cell::Int(i) => write!(f, "{i}"),
            Cell::Num(n) => f.write_str(&number(*n)),
            Cell::Date(d) => write!(f, "{d}"),
            Cell::Empty => Ok(()),
        }
    }
}

/// A number as people write it: `90`, `92.5`, `0.33` (at most two decimals).
pub fn number(n: f64) -> String {
    let s = format!("{n:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

#[derive(Clone, Debug, Default)]
pub struct Table {
    pub title: Option<String>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(title: Option<String>, headers: &[&str]) -> Table {
        Table {
            title,
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }
}

/// A block of a document, in reading order.
#[derive(Clone, Debug)]
pub enum Block {
    /// A heading below the document title.
    Heading(String),
    /// A paragraph of prose; not part of the CSV output.
    Text(String),
    Table(Table),
}

/// What a report or listing looks like to a reader: a title and blocks.
#[derive(Clone, Debug, Default)]
pub struct Doc {
    pub title: String,
    pub blocks: Vec<Block>,
}

impl Doc {
    pub fn new(title: impl Into<String>) -> Doc {
        Doc {
            title: title.into(),
            blocks: Vec::new(),
        }
    }

    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }
}

/// Something that can be shown: as a document for people, as JSON for scripts.
pub trait View {
    fn doc(&self, lang: Lang) -> Doc;
    fn json(&self, lang: Lang) -> Value;
}

/// Renders `view` in a text format. `width` is the terminal width, when there is one.
pub fn render(view: &dyn View, format: Format, lang: Lang, width: Option<u16>) -> String {
    match format {
        Format::Table => table::render(&view.doc(lang), width),
        Format::Markdown => markdown::render(&view.doc(lang)),
        Format::Csv => csv::render(&view.doc(lang)),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&view.json(lang)).unwrap_or_default();
            s.push('\n');
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_plainly() {
        assert_eq!(number(90.0), "90");
        assert_eq!(number(92.5), "92.5");
        assert_eq!(number(1.0 / 3.0), "0.33");
        assert_eq!(number(-0.001), "0");
    }
}
