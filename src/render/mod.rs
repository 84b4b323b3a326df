//! Renderers: a report's [`Doc`] (titles, paragraphs and typed tables) or its JSON value
//! becomes bytes in one format. Nothing here knows about plans, ledgers or SQL, so a new
//! format touches only this module.

mod csv;
mod html;
mod markdown;
mod table;
mod xlsx;

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

/// How a badge cell should look: a traffic-light tone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Good,
    Warn,
    Bad,
}

impl Tone {
    pub fn css(self) -> &'static str {
        match self {
            Tone::Good => "good",
            Tone::Warn => "warn",
            Tone::Bad => "bad",
        }
    }

    pub fn rgb(self) -> u32 {
        match self {
            Tone::Good => 0x2E7D32,
            Tone::Warn => 0xF9A825,
            Tone::Bad => 0xC62828,
        }
    }
}

/// One cell of a table, typed so that spreadsheets get real numbers and dates.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Num(f64),
    /// A percentage, 102.5 for 102.5 %: a number in spreadsheets, `102.5%` in text.
    Percent(f64),
    Date(NaiveDate),
    /// Text shown with a traffic-light colour where the format allows.
    Badge(String, Tone),
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
            Cell::Percent(p) => write!(f, "{}%", number(*p)),
            Cell::Date(d) => write!(f, "{d}"),
            Cell::Badge(s, _) => f.write_str(s),
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
    /// A chart; only HTML draws it, the other formats carry its data in tables.
    Chart(Chart),
}

/// A bar of a progress chart.
#[derive(Clone, Debug)]
pub struct Bar {
    pub label: String,
    /// The length, as a percentage of the full bar (values over 100 are drawn full).
    pub percent: Option<f64>,
    pub caption: String,
    pub tone: Tone,
}

/// Chart data. Renderers decide how to draw it.
#[derive(Clone, Debug)]
pub enum Chart {
    /// One horizontal bar per row, filled to a percentage.
    Progress { title: String, bars: Vec<Bar> },
    /// Reported values over time against a target line and a deadline.
    Trend {
        title: String,
        unit: String,
        points: Vec<(NaiveDate, f64)>,
        target: f64,
        start: NaiveDate,
        due: NaiveDate,
    },
    /// Horizontal bars of counts.
    Counts {
        title: String,
        bars: Vec<(String, f64)>,
    },
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

    /// The heading level of table and chart titles: below the section headings when there
    /// are any, else right below the document title.
    pub fn table_title_level(&self) -> usize {
        if self.blocks.iter().any(|b| matches!(b, Block::Heading(_))) {
            3
        } else {
            2
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

/// Renders `view` in `format`. `width` is the terminal width, when there is one.
pub fn render(
    view: &dyn View,
    format: Format,
    lang: Lang,
    width: Option<u16>,
) -> anyhow::Result<Vec<u8>> {
    Ok(match format {
        Format::Table => table::render(&view.doc(lang), width, lang).into_bytes(),
        Format::Markdown => markdown::render(&view.doc(lang), lang).into_bytes(),
        Format::Csv => csv::render(&view.doc(lang)).into_bytes(),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&view.json(lang))?;
            s.push('\n');
            s.into_bytes()
        }
        Format::Html => html::render(&view.doc(lang), lang).into_bytes(),
        Format::Xlsx => xlsx::render(&view.doc(lang))?,
    })
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
