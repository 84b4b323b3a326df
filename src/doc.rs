//! The neutral document model between reports and renderers: titles, headings, paragraphs,
//! typed tables with their columns declared once, and chart data. Views build it from a
//! report's value; renderers draw it. It knows nothing of plans, ledgers or output formats.

use std::borrow::{Borrow, Cow};
use std::sync::Arc;

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
    // Hundredths counted in integers: `{:.2}` falls back to exact big-number arithmetic,
    // which was 5 % of drawing 66,000 targets. Close to a half-hundredth, where rounding the
    // scaled value could differ from rounding the exact one, the exact way decides.
    let hundredths = n * 100.0;
    let near_half = ((hundredths - hundredths.trunc()).abs() - 0.5).abs() < 1e-6;
    if hundredths.abs() >= 1e15 || near_half || !n.is_finite() {
        return exact_number(n);
    }
    let h = hundredths.round() as i64;
    let (units, cents) = (h.unsigned_abs() / 100, h.unsigned_abs() % 100);
    let sign = if h < 0 { "-" } else { "" };
    match cents {
        0 => format!("{sign}{units}"),
        c if c % 10 == 0 => format!("{sign}{units}.{}", c / 10),
        c => format!("{sign}{units}.{c:02}"),
    }
}

/// [`number`] through `{:.2}`.
fn exact_number(n: f64) -> String {
    let s = format!("{n:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

#[derive(Clone, Debug, Default)]
pub struct Table<'a> {
    pub title: Option<String>,
    /// A stable name in every language (`overdue-items`), for the file a table is written to.
    pub name: Option<&'static str>,
    pub headers: Vec<String>,
    pub rows: Rows<'a>,
}

impl Table<'_> {
    pub fn new(title: Option<String>, headers: &[&str]) -> Table<'static> {
        Table {
            title,
            name: None,
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Rows::default(),
        }
    }
}

/// Makes `count` pieces, the k-th by `make(k)`, and passes them in order to `take`. On
/// `two_cores`, another core makes every other piece while this one makes the rest and takes
/// them all.
pub fn in_order<T: Send, E>(
    count: usize,
    two_cores: bool,
    make: impl Fn(usize) -> T + Sync,
    mut take: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    if !two_cores {
        return (0..count).map(make).try_for_each(take);
    }
    std::thread::scope(|s| {
        let (made, ready) = std::sync::mpsc::sync_channel(2);
        let make = &make;
        s.spawn(move || {
            for k in (1..count).step_by(2) {
                if made.send(make(k)).is_err() {
                    return;
                }
            }
        });
        for k in 0..count {
            let piece = match k % 2 {
                0 => make(k),
                // The other core ended early only by panicking, which the scope raises.
                _ => match ready.recv() {
                    Ok(piece) => piece,
                    Err(_) => break,
                },
            };
            take(piece)?;
        }
        Ok(())
    })
}

/// How many rows [`Rows::in_runs`] makes at a time.
pub const RUN: usize = 512;

/// The number of rows from which [`Rows::in_runs`] makes them on two cores.
pub const ON_TWO_CORES: usize = 4 * RUN;

/// Makes row `k` of a table whose rows are made as they are drawn.
type MakeRow<'a> = Arc<dyn Fn(usize) -> Vec<Cell> + Send + Sync + 'a>;

/// A table's rows: made once and kept, or made each time they are read, from the report's
/// own rows ([`Table::lazy`]). A table of 66,000 targets made and kept is 36 MB of cells;
/// made as it is drawn, it is one row at a time (each renderer reads the rows once or twice).
#[derive(Clone)]
pub enum Rows<'a> {
    Made(Vec<Vec<Cell>>),
    Lazy { len: usize, make: MakeRow<'a> },
}

impl Default for Rows<'_> {
    fn default() -> Self {
        Rows::Made(Vec::new())
    }
}

impl std::fmt::Debug for Rows<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'r, 'a> IntoIterator for &'r Rows<'a> {
    type Item = Cow<'r, [Cell]>;
    type IntoIter = Box<dyn Iterator<Item = Cow<'r, [Cell]>> + 'r>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl<'a> Rows<'a> {
    pub fn len(&self) -> usize {
        match self {
            Rows::Made(rows) => rows.len(),
            Rows::Lazy { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every row in order: borrowed when made, else made now.
    pub fn iter(&self) -> impl Iterator<Item = Cow<'_, [Cell]>> + '_ {
        let (made, lazy) = match self {
            Rows::Made(rows) => (Some(rows.iter().map(|r| Cow::Borrowed(r.as_slice()))), None),
            Rows::Lazy { len, make } => (None, Some((0..*len).map(|k| Cow::Owned(make(k))))),
        };
        made.into_iter().flatten().chain(lazy.into_iter().flatten())
    }

    /// Row `k`: borrowed when made, else made now.
    pub fn row(&self, k: usize) -> Cow<'_, [Cell]> {
        match self {
            Rows::Made(rows) => Cow::Borrowed(rows[k].as_slice()),
            Rows::Lazy { make, .. } => Cow::Owned(make(k)),
        }
    }

    /// Passes the rows, a run of [`RUN`] at a time, to `make`, and what it makes of each
    /// run, in order, to `take`. From [`ON_TWO_CORES`] rows, another core makes every other
    /// run while this one makes the rest and takes them all: drawing a table of 66,000
    /// targets is most of `report by-target`'s time.
    pub fn in_runs<T: Send, E>(
        &self,
        make: impl Fn(&mut dyn Iterator<Item = Cow<'_, [Cell]>>) -> T + Sync,
        take: impl FnMut(T) -> Result<(), E>,
    ) -> Result<(), E> {
        let len = self.len();
        let run = |k: usize| {
            let start = k * RUN;
            make(&mut (start..(start + RUN).min(len)).map(|k| self.row(k)))
        };
        in_order(len.div_ceil(RUN), len >= ON_TWO_CORES, run, take)
    }

    /// Adds a row at the end: the rows are made and kept from then on.
    pub fn push(&mut self, row: Vec<Cell>) {
        let Rows::Made(rows) = self else {
            *self = std::mem::take(self).made();
            return self.push(row);
        };
        rows.push(row);
    }

    /// The first `n` rows, made and kept.
    pub fn first(&self, n: usize) -> Rows<'static> {
        Rows::Made(self.iter().take(n).map(Cow::into_owned).collect())
    }

    /// The rows made now and kept.
    ///
    /// From [`ON_TWO_CORES`] rows, the second half is made on another core (a bulletin's
    /// tables of 100,000 rows in all: 0.25 s on one).
    fn made(self) -> Rows<'static> {
        match self {
            Rows::Made(rows) => Rows::Made(rows),
            Rows::Lazy { len, make } if len >= ON_TWO_CORES => {
                let half = len / 2;
                let make = |range: std::ops::Range<usize>, rows: &mut Vec<Vec<Cell>>| {
                    rows.extend(range.map(|k| make(k)));
                };
                let mut rows = Vec::with_capacity(len);
                let rest = std::thread::scope(|s| {
                    let rest = s.spawn(|| {
                        let mut rest = Vec::with_capacity(len - half);
                        make(half..len, &mut rest);
                        rest
                    });
                    make(0..half, &mut rows);
                    rest.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                });
                rows.extend(rest);
                Rows::Made(rows)
            }
            lazy => Rows::Made(lazy.iter().map(Cow::into_owned).collect()),
        }
    }

    /// The rows with `fix` applied to every cell, as they are read.
    fn map_cells(self, fix: fn(&mut Cell)) -> Rows<'a> {
        match self {
            Rows::Made(mut rows) => {
                rows.iter_mut().flatten().for_each(fix);
                Rows::Made(rows)
            }
            Rows::Lazy { len, make } => Rows::Lazy {
                len,
                make: Arc::new(move |k| {
                    let mut row = make(k);
                    row.iter_mut().for_each(fix);
                    row
                }),
            },
        }
    }
}

/// A block of a document, in reading order.
#[derive(Clone, Debug)]
pub enum Block<'a> {
    /// A heading below the document title.
    Heading(String),
    /// A paragraph of prose; not part of the CSV output.
    Text(String),
    Table(Table<'a>),
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
pub struct Doc<'a> {
    pub title: String,
    pub blocks: Vec<Block<'a>>,
}

impl<'a> Doc<'a> {
    pub fn new(title: impl Into<String>) -> Doc<'a> {
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

    pub fn tables(&self) -> impl Iterator<Item = &Table<'a>> {
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

/// Whether `s` holds a hostile character ([`is_hostile`]), read from its UTF-8 bytes: a C0
/// control is one byte below 0x20, DEL is 0x7F, a C1 control is 0xC2 then 0x80–0x9F, and the
/// bidi controls are 0xE2 0x80 0xAA–0xAE and 0xE2 0x81 0xA6–0xA9. Every cell of a report is
/// read through here; most hold none of these lead bytes, and `≤` (0xE2 0x89 0xA4) is not
/// one of them.
pub fn has_hostile(s: &str) -> bool {
    let bytes = s.as_bytes();
    let lead = |b: &u8| *b < 0x20 || matches!(*b, 0x7f | 0xc2 | 0xe2);
    if !bytes.iter().any(lead) {
        return false;
    }
    let after = |k: usize, n: usize| bytes.get(k + n).copied().unwrap_or(0);
    bytes.iter().enumerate().any(|(k, &b)| match b {
        b'\n' | b'\t' => false,
        0x00..=0x1f | 0x7f => true,
        0xc2 => (0x80..=0x9f).contains(&after(k, 1)),
        0xe2 => match after(k, 1) {
            0x80 => (0xaa..=0xae).contains(&after(k, 2)),
            0x81 => (0xa6..=0xa9).contains(&after(k, 2)),
            _ => false,
        },
        _ => false,
    })
}

/// `s` with every hostile character written as a visible escape (`\u{1b}`).
pub fn visible(s: &str) -> String {
    if !has_hostile(s) {
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

impl<'a> Doc<'a> {
    /// The document for a page to read: a table of more than [`SHOWN_ROWS`] rows keeps its
    /// first ones, followed by a line that says how many there are and where the rest is; bar
    /// charts keep as many bars, and at most [`SHOWN_TRENDS`] trend charts are drawn.
    pub fn summarised(&self, lang: Lang) -> Doc<'a> {
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
                    let cut = cut(t.rows.len());
                    let table = Table {
                        title: t.title.clone(),
                        name: t.name,
                        headers: t.headers.clone(),
                        rows: t.rows.first(SHOWN_ROWS),
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
    (shown, cut(rows.len()))
}

/// How many rows of `total` a page shows, if it leaves any out.
fn cut(total: usize) -> Option<(usize, usize)> {
    (total > SHOWN_ROWS).then_some((SHOWN_ROWS, total))
}

impl<'a> Doc<'a> {
    /// The document with every table's rows made now and kept: for a document drawn in
    /// several formats, which would otherwise make each row several times.
    pub fn made(mut self) -> Doc<'a> {
        for block in &mut self.blocks {
            if let Block::Table(table) = block {
                table.rows = std::mem::take(&mut table.rows).made();
            }
        }
        self
    }

    /// The document with every text made [`visible`]: what terminals, Markdown, CSV, HTML and
    /// workbooks show. (JSON keeps the raw text, which JSON escapes.)
    pub fn visible(mut self) -> Doc<'a> {
        // Only a text that holds a control character is copied.
        fn fix(t: &mut String) {
            if has_hostile(t) {
                *t = visible(t);
            }
        }
        fn fix_cell(cell: &mut Cell) {
            if let Cell::Text(t) | Cell::Badge(t, _) = cell {
                fix(t);
            }
        }
        fix(&mut self.title);
        for block in &mut self.blocks {
            match block {
                Block::Heading(t) | Block::Text(t) => fix(t),
                Block::Table(table) => {
                    if let Some(t) = &mut table.title {
                        fix(t);
                    }
                    table.headers.iter_mut().for_each(fix);
                    table.rows = std::mem::take(&mut table.rows).map_cells(fix_cell);
                }
                Block::Chart(_) => {}
            }
        }
        self
    }
}

/// Something that can be shown: as a document for people, as JSON for scripts.
pub trait View {
    fn doc(&self, lang: Lang) -> Doc<'_>;
    fn json(&self, lang: Lang) -> JsonDoc<'_>;
}

/// One row of a JSON document: anything that serializes, serialized as it is written. A
/// report's rows are its own structs, never built as [`Value`]s first (at 100,000 rows, the
/// values cost more than the rest of the document).
pub type JsonRow<'a> = Box<dyn erased_serde::Serialize + Send + 'a>;

/// A JSON document: its envelope, and its rows made one at a time as they are written, so
/// that a report of 100,000 rows never holds them all.
pub struct JsonDoc<'a> {
    /// The envelope's keys, in order; `rows` comes last.
    pub head: serde_json::Map<String, Value>,
    pub rows: Box<dyn Iterator<Item = JsonRow<'a>> + 'a>,
}

impl JsonDoc<'_> {
    /// The whole document as one value.
    pub fn into_value(self) -> Value {
        let mut head = self.head;
        // Rows are plain data, which always serializes.
        let rows = self
            .rows
            .map(|r| serde_json::to_value(r).unwrap_or(Value::Null));
        head.insert("rows".into(), Value::Array(rows.collect()));
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

impl<'a> Table<'a> {
    /// The table with a stable name, for the file it is written to.
    pub fn named(mut self, name: &'static str) -> Table<'a> {
        self.name = Some(name);
        self
    }

    /// A table of `rows`, one cell per column.
    pub fn of<'r, R: 'r + ?Sized>(
        title: Option<String>,
        columns: &[Column<R>],
        rows: impl IntoIterator<Item = &'r R>,
        lang: Lang,
    ) -> Table<'a> {
        Table {
            title,
            name: None,
            headers: headers(columns, lang),
            rows: Rows::Made(
                rows.into_iter()
                    .map(|r| columns.iter().map(|c| (c.cell)(r, lang)).collect())
                    .collect(),
            ),
        }
    }

    /// A table of `rows` whose cells are made as they are drawn: for the long tables. The
    /// columns read each row as `view` shows it.
    pub fn lazy<T: Sync, V: Borrow<R>, R: ?Sized + 'a, const N: usize>(
        title: Option<String>,
        columns: [Column<R>; N],
        rows: &'a [T],
        view: impl Fn(&'a T) -> V + Send + Sync + 'a,
        lang: Lang,
    ) -> Table<'a> {
        let headers = headers(&columns, lang);
        let make = move |k: usize| {
            let row = view(&rows[k]);
            let row = row.borrow();
            columns.iter().map(|c| (c.cell)(row, lang)).collect()
        };
        Table {
            title,
            name: None,
            headers,
            rows: Rows::Lazy {
                len: rows.len(),
                make: Arc::new(make),
            },
        }
    }
}

fn headers<R: ?Sized>(columns: &[Column<R>], lang: Lang) -> Vec<String> {
    columns
        .iter()
        .map(|c| lang.t(c.header).to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row is read once, in order, in runs, whether one core or two make them.
    #[test]
    fn runs_read_every_row_once_in_order() {
        for len in [
            0,
            1,
            RUN,
            ON_TWO_CORES - 1,
            ON_TWO_CORES,
            3 * ON_TWO_CORES + 7,
        ] {
            let rows = Rows::Made((0..len).map(|k| vec![Cell::Int(k as i64)]).collect());
            let mut read = Vec::new();
            let numbers = |run: &mut dyn Iterator<Item = Cow<'_, [Cell]>>| -> Vec<i64> {
                run.map(|row| match row[0] {
                    Cell::Int(k) => k,
                    _ => unreachable!(),
                })
                .collect()
            };
            let taken = rows.in_runs(numbers, |run| {
                assert!(!run.is_empty() && run.len() <= RUN);
                read.extend(run);
                Ok::<(), ()>(())
            });
            assert_eq!(taken, Ok(()));
            assert_eq!(read, (0..len as i64).collect::<Vec<_>>(), "{len} rows");
        }
        // An error stops the reading, the other core too.
        let rows = Rows::Made((0..3 * ON_TWO_CORES).map(|_| vec![Cell::Int(0)]).collect());
        let mut taken = 0;
        let result = rows.in_runs(
            |_| (),
            |()| {
                taken += 1;
                if taken == 3 { Err("full disk") } else { Ok(()) }
            },
        );
        assert_eq!((result, taken), (Err("full disk"), 3));
    }

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
        assert_eq!(number(-2.5), "-2.5");
        assert_eq!(
            number(0.125),
            "0.12",
            "a tie is rounded as {{:.2}} rounds it"
        );
        assert_eq!(number(1.005), "1", "1.005 is a little under in binary");
        assert_eq!(number(f64::NAN), "NaN");
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(2000))]

        /// Counted in hundredths, a number is written as `{:.2}` writes it.
        #[test]
        #[allow(clippy::cast_precision_loss)]
        fn numbers_are_written_as_the_exact_formatting_writes_them(
            n in proptest::prop_oneof![
                proptest::num::f64::ANY,
                proptest::strategy::Strategy::prop_map(-1_000_000i64..1_000_000, |k| k as f64 / 1000.0),
                proptest::strategy::Strategy::prop_map(-100_000i64..100_000, |k| k as f64 / 8.0),
            ]
        ) {
            proptest::prop_assert_eq!(number(n), exact_number(n));
        }
    }

    #[test]
    fn tables_fill_their_declared_columns() {
        let columns = [
            Column::new("Id", |r: &(i64, &str), _| Cell::Int(r.0)),
            Column::new("Title", |r: &(i64, &str), _| Cell::text(r.1)),
        ];
        let t = Table::of(None, &columns, &[(1, "a"), (2, "b")], Lang::Zh);
        assert_eq!(t.headers, ["编号", "标题"]);
        assert_eq!(
            t.rows.iter().nth(1).unwrap()[..],
            [Cell::Int(2), Cell::text("b")]
        );
    }

    /// A row added to rows made as they are drawn comes after them, which are kept from then.
    #[test]
    fn a_row_pushed_onto_lazy_rows_follows_them() {
        let columns = [Column::new("Id", |r: &i64, _| Cell::Int(*r))];
        let mut table = Table::lazy(None, columns, &[1, 2], |r| r, Lang::En);
        table.rows.push(vec![Cell::Int(3)]);
        assert!(matches!(table.rows, Rows::Made(_)));
        let ids: Vec<Vec<Cell>> = table.rows.iter().map(Cow::into_owned).collect();
        assert_eq!(ids, [[Cell::Int(1)], [Cell::Int(2)], [Cell::Int(3)]]);
    }

    /// The look at the bytes finds every hostile character the look at the characters does.
    #[test]
    fn has_hostile_agrees_with_is_hostile_for_every_character() {
        for c in (0..=0x11_0000).filter_map(char::from_u32) {
            let text = format!("第{c}行");
            assert_eq!(has_hostile(&text), is_hostile(c), "{:?}", c);
        }
    }

    /// Rows made on two cores, half each, come out whole and in order.
    #[test]
    fn rows_made_on_two_cores_keep_their_order() {
        let columns = [Column::new("Id", |r: &usize, _| Cell::Int(*r as i64))];
        let ids: Vec<usize> = (0..ON_TWO_CORES + 3).collect();
        let table = Table::lazy(None, columns, &ids, |r| r, Lang::En);
        let Rows::Made(made) = table.rows.made() else {
            panic!("rows made are kept");
        };
        let expected: Vec<Vec<Cell>> = ids.iter().map(|&k| vec![Cell::Int(k as i64)]).collect();
        assert_eq!(made, expected);
    }

    /// A table made as it is drawn reads as the same table made at once, in every format,
    /// also once made visible, summarised for a page, or made and kept.
    #[test]
    fn a_lazy_table_draws_as_the_table_made_at_once() {
        use crate::render::{Format, Options, render_doc};
        let columns = [
            Column::new("Id", |r: &(i64, String), _| Cell::Int(r.0)),
            Column::new("Title", |r: &(i64, String), _| Cell::text(r.1.as_str())),
        ];
        let rows: Vec<(i64, String)> = (0..SHOWN_ROWS as i64 + 3)
            .map(|k| (k, format!("第{k}行\u{1b}[2J")))
            .collect();
        fn doc(table: Table<'_>) -> Doc<'_> {
            Doc {
                title: "t".into(),
                blocks: vec![Block::Table(table)],
            }
        }
        let made = doc(Table::of(None, &columns, &rows, Lang::Zh)).visible();
        let lazy = doc(Table::lazy(None, columns, &rows, |r| r, Lang::Zh)).visible();
        assert!(matches!(
            lazy.tables().next().unwrap().rows,
            Rows::Lazy { .. }
        ));
        let options = Options {
            lang: Lang::Zh,
            width: None,
            csv_headers: crate::render::CsvHeaders::Titles,
            csv_bom: true,
        };
        let kept = lazy.clone().made();
        assert!(matches!(kept.tables().next().unwrap().rows, Rows::Made(_)));
        let formats = [
            Format::Table,
            Format::Csv,
            Format::Markdown,
            Format::Html,
            Format::Xlsx,
        ];
        for format in formats {
            let [made, lazy, kept] =
                [&made, &lazy, &kept].map(|d| render_doc(d, format, options).unwrap());
            assert_eq!(made, lazy, "{format:?}");
            assert_eq!(made, kept, "{format:?}");
        }
        assert!(
            !String::from_utf8(render_doc(&lazy, Format::Csv, options).unwrap())
                .unwrap()
                .contains('\u{1b}')
        );
    }
}
