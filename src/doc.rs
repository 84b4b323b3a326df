//! The neutral document model between reports and renderers: titles, headings, paragraphs,
//! typed tables with their columns declared once, and chart data. Views build it from a
//! report's value; renderers draw it. It knows nothing of plans, ledgers or output formats.

use chrono::NaiveDate;
use serde_json::Value;

use crate::i18n::Lang;

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
    /// A stable name in every language (`overdue-items`), for the file a table is written to.
    pub name: Option<&'static str>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(title: Option<String>, headers: &[&str]) -> Table {
        Table {
            title,
            name: None,
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
        /// The accepted band around or above the target (≈ 20 ± 1, a 3–5 % range).
        band: Option<(f64, f64)>,
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

/// Whether `c` must never reach a terminal or a file as itself: C0 and C1 control characters
/// other than newline and tab (ESC retitles or clears a terminal), and the bidi controls that
/// reorder a line (U+202A–U+202E, U+2066–U+2069).
pub fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `s` with every hostile character written as a visible escape (`\u{1b}`).
pub fn visible(s: &str) -> String {
    if !s.chars().any(is_hostile) {
        return s.to_string();
    }
    s.chars()
        .map(|c| {
            if is_hostile(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// What a page for reading (HTML) shows of a long table or chart: tens of thousands of rows
/// make a page nobody reads, print or opens quickly. The full tables are in the CSV and xlsx.
pub const SHOWN_ROWS: usize = 200;
/// Trend charts on such a page: one per target is readable for a city, not for a province.
pub const SHOWN_TRENDS: usize = 24;

const ROWS_LEFT_OUT: &str =
    "Showing the first {shown} of {total}. Every row is in the CSV and Excel (xlsx) versions.";
const TRENDS_LEFT_OUT: &str = "Trend charts for the first {shown} of {total} targets. Every value is in the CSV and Excel (xlsx) versions.";

impl Doc {
    /// The document for a page to read: a table of more than [`SHOWN_ROWS`] rows keeps its
    /// first ones, followed by a line that says how many there are and where the rest is; bar
    /// charts keep as many bars, and at most [`SHOWN_TRENDS`] trend charts are drawn.
    pub fn summarised(&self, lang: Lang) -> Doc {
        let note = |template: &'static str, (shown, total): (usize, usize)| {
            let args = [("shown", shown.to_string()), ("total", total.to_string())];
            Block::Text(lang.fill(template, &args))
        };
        let trends = self
            .blocks
            .iter()
            .filter(|b| matches!(b, Block::Chart(Chart::Trend { .. })))
            .count();
        let mut blocks = Vec::with_capacity(self.blocks.len());
        let mut trend = 0;
        for block in &self.blocks {
            let (block, cut) = match block {
                Block::Table(t) => {
                    let (rows, cut) = first(&t.rows);
                    let table = Table {
                        title: t.title.clone(),
                        name: t.name,
                        headers: t.headers.clone(),
                        rows,
                    };
                    (Block::Table(table), cut)
                }
                Block::Chart(Chart::Progress { title, bars }) => {
                    let (bars, cut) = first(bars);
                    let title = title.clone();
                    (Block::Chart(Chart::Progress { title, bars }), cut)
                }
                Block::Chart(Chart::Counts { title, bars }) => {
                    let (bars, cut) = first(bars);
                    let title = title.clone();
                    (Block::Chart(Chart::Counts { title, bars }), cut)
                }
                Block::Chart(Chart::Trend { .. }) => {
                    trend += 1;
                    if trend > SHOWN_TRENDS {
                        continue;
                    }
                    blocks.push(block.clone());
                    if trend == SHOWN_TRENDS && trends > SHOWN_TRENDS {
                        blocks.push(note(TRENDS_LEFT_OUT, (SHOWN_TRENDS, trends)));
                    }
                    continue;
                }
                _ => (block.clone(), None),
            };
            blocks.push(block);
            blocks.extend(cut.map(|c| note(ROWS_LEFT_OUT, c)));
        }
        Doc {
            title: self.title.clone(),
            blocks,
        }
    }
}

/// The first [`SHOWN_ROWS`] of `rows`; how many are shown of how many, if any were left out.
fn first<T: Clone>(rows: &[T]) -> (Vec<T>, Option<(usize, usize)>) {
    let shown = rows[..rows.len().min(SHOWN_ROWS)].to_vec();
    let cut = (rows.len() > SHOWN_ROWS).then_some((SHOWN_ROWS, rows.len()));
    (shown, cut)
}

impl Doc {
    /// The document with every text made [`visible`]: what terminals, Markdown, CSV, HTML and
    /// workbooks show. (JSON keeps the raw text, which JSON escapes.)
    pub fn visible(mut self) -> Doc {
        // Only a text that holds a control character is copied.
        let fix = |t: &mut String| {
            if t.chars().any(is_hostile) {
                *t = visible(t);
            }
        };
        fix(&mut self.title);
        for block in &mut self.blocks {
            match block {
                Block::Heading(t) | Block::Text(t) => fix(t),
                Block::Table(table) => {
                    if let Some(t) = &mut table.title {
                        fix(t);
                    }
                    table.headers.iter_mut().for_each(fix);
                    for cell in table.rows.iter_mut().flatten() {
                        if let Cell::Text(t) | Cell::Badge(t, _) = cell {
                            fix(t);
                        }
                    }
                }
                Block::Chart(_) => {}
            }
        }
        self
    }
}

/// Something that can be shown: as a document for people, as JSON for scripts.
pub trait View {
    fn doc(&self, lang: Lang) -> Doc;
    fn json(&self, lang: Lang) -> JsonDoc<'_>;
}

/// A JSON document: its envelope, and its rows made one at a time as they are written, so
/// that a report of 100,000 rows never holds them all as JSON values.
pub struct JsonDoc<'a> {
    /// The envelope's keys, in order; `rows` comes last.
    pub head: serde_json::Map<String, Value>,
    pub rows: Box<dyn Iterator<Item = Value> + 'a>,
}

impl JsonDoc<'_> {
    /// The whole document as one value.
    pub fn into_value(self) -> Value {
        let mut head = self.head;
        head.insert("rows".into(), Value::Array(self.rows.collect()));
        Value::Object(head)
    }
}

/// A column of a table: its header (English, translated for the reader) and how a row fills
/// it. A table's columns are declared once, as a list of these.
pub struct Column<R: ?Sized> {
    pub header: &'static str,
    pub cell: fn(&R, Lang) -> Cell,
}

impl<R: ?Sized> Column<R> {
    pub const fn new(header: &'static str, cell: fn(&R, Lang) -> Cell) -> Column<R> {
        Column { header, cell }
    }
}

impl Table {
    /// The table with a stable name, for the file it is written to.
    pub fn named(mut self, name: &'static str) -> Table {
        self.name = Some(name);
        self
    }

    /// A table of `rows`, one cell per column.
    pub fn of<'r, R: 'r + ?Sized>(
        title: Option<String>,
        columns: &[Column<R>],
        rows: impl IntoIterator<Item = &'r R>,
        lang: Lang,
    ) -> Table {
        Table {
            title,
            name: None,
            headers: columns
                .iter()
                .map(|c| lang.t(c.header).to_string())
                .collect(),
            rows: rows
                .into_iter()
                .map(|r| columns.iter().map(|c| (c.cell)(r, lang)).collect())
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_characters_are_shown_as_escapes() {
        assert_eq!(visible("a\u{1b}]0;x\u{7}b"), "a\\u{1b}]0;x\\u{7}b");
        assert_eq!(visible("行\n二\t三"), "行\n二\t三");
        assert_eq!(visible("\u{202e}abc"), "\\u{202e}abc");
        assert_eq!(visible("\r"), "\\u{d}");
    }

    #[test]
    fn numbers_are_written_plainly() {
        assert_eq!(number(90.0), "90");
        assert_eq!(number(92.5), "92.5");
        assert_eq!(number(1.0 / 3.0), "0.33");
        assert_eq!(number(-0.001), "0");
    }

    #[test]
    fn tables_fill_their_declared_columns() {
        let columns = [
            Column::new("Id", |r: &(i64, &str), _| Cell::Int(r.0)),
            Column::new("Title", |r: &(i64, &str), _| Cell::text(r.1)),
        ];
        let t = Table::of(None, &columns, &[(1, "a"), (2, "b")], Lang::Zh);
        assert_eq!(t.headers, ["编号", "标题"]);
        assert_eq!(t.rows[1], [Cell::Int(2), Cell::text("b")]);
    }
}
