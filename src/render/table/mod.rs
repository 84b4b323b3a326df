//! Terminal tables. comfy-table measures CJK characters as two columns, so Chinese text lines
//! up; on a terminal, long cells wrap to fit its width.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use crate::doc::{Block, Cell, Doc, ON_TWO_CORES, Rows, Table, in_order};
use crate::i18n::Lang;

mod fit;
mod runs;

pub fn render(doc: &Doc, width: Option<u16>, lang: Lang) -> String {
    let mut bytes = Vec::new();
    write(doc, width, lang, &mut bytes).expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("the table is UTF-8")
}

/// Writes the document to `to` as it is drawn, a piece at a time: a table of 66,000 rows
/// never holds its whole text.
pub fn write(doc: &Doc, width: Option<u16>, lang: Lang, to: &mut dyn Write) -> io::Result<()> {
    let mut out = Out {
        buf: String::new(),
        to,
    };
    if !doc.title.is_empty() {
        out.buf.push_str(&doc.title);
        out.buf.push_str("\n\n");
    }
    for block in &doc.blocks {
        match block {
            Block::Heading(h) => {
                out.buf.push_str(h);
                out.buf.push('\n');
            }
            Block::Text(t) => {
                out.buf.push_str(&match width {
                    Some(w) => wrap(t, usize::from(w)),
                    None => t.clone(),
                });
                out.buf.push_str("\n\n");
            }
            Block::Table(t) => {
                grid(&mut out, t, width, lang)?;
                out.buf.push_str("\n\n");
            }
            Block::Chart(_) => {}
        }
        out.spill()?;
    }
    out.finish()
}

/// Text on its way to a writer in pieces of about 64 KiB, with whitespace at the end held
/// back: the document ends in exactly one newline, as if it had been trimmed whole.
struct Out<'w> {
    buf: String,
    to: &'w mut dyn Write,
}

impl Out<'_> {
    const PIECE: usize = 1 << 16;

    /// Writes what is buffered once it is a piece, but for its trailing whitespace.
    fn spill(&mut self) -> io::Result<()> {
        if self.buf.len() < Self::PIECE {
            return Ok(());
        }
        let text = self.buf.trim_end().len();
        self.to.write_all(&self.buf.as_bytes()[..text])?;
        self.buf.drain(..text);
        Ok(())
    }

    fn finish(mut self) -> io::Result<()> {
        let text = self.buf.trim_end().len();
        self.buf.truncate(text);
        self.buf.push('\n');
        self.to.write_all(self.buf.as_bytes())
    }
}

fn grid(out: &mut Out, t: &Table, width: Option<u16>, lang: Lang) -> io::Result<()> {
    if let Some(title) = &t.title {
        out.buf.push_str(title);
        out.buf.push('\n');
    }
    if t.rows.is_empty() {
        out.buf.push_str("  ");
        out.buf.push_str(lang.t("(none)"));
        return Ok(());
    }
    let measured = Measured::of(&t.headers, &t.rows);
    let natural = measured.widths.iter().map(|w| w + 3).sum::<usize>() + 1;
    match width {
        // A table that fits as it is, with a column to spare, comes out as comfy-table
        // would draw it (a test checks it), without comfy-table's cost per cell. (At the
        // exact width comfy-table may still squeeze a column.)
        Some(w) if natural >= usize::from(w) => {
            drop(measured);
            fit::fit(out, t, w)?
        }
        _ => plain(out, &measured, &t.headers)?,
    }
    Ok(())
}

/// A cell's text: its own for text, else written into `buf`.
fn cell_text<'a>(c: &'a Cell, buf: &'a mut String) -> &'a str {
    match c {
        Cell::Text(s) | Cell::Badge(s, _) => s,
        other => {
            buf.clear();
            let _ = write!(buf, "{other}");
            buf
        }
    }
}

/// Display columns of one line of text (CJK counted two): printable ASCII, most of a table,
/// without looking each character up.
fn line_width(line: &str) -> usize {
    if line.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        line.len()
    } else {
        line.width()
    }
}

/// A table's cells as text, made once from its rows, a run of rows at a time, and measured:
/// drawn from here, a row made as it is read (a report's long table) is made once, not once
/// to be measured and again to be drawn (`report by-target` at 100,000 items: 0.70 → 0.62 s
/// of CPU). The text is half the table drawn (9 MB of 18 MB for 66,000 targets), held after
/// a report has let go of the ledger's facts and the verdicts (its peak: about 1 MiB more).
struct Measured {
    /// Each column's width unwrapped: its widest line, at least one (as comfy-table has it).
    widths: Vec<usize>,
    runs: Vec<RunText>,
    /// How many rows the runs hold.
    rows: usize,
}

/// The cells of a run of rows, as text.
#[derive(Default)]
struct RunText {
    text: String,
    /// Where each cell ends in `text`, row after row.
    ends: Vec<u32>,
    /// How many cells each row has.
    cells: Vec<u16>,
}

impl RunText {
    /// The cells of each row.
    fn rows(&self) -> impl Iterator<Item = Vec<&str>> {
        let mut ends = self.ends.iter().map(|&e| e as usize);
        let mut start = 0;
        self.cells.iter().map(move |&n| {
            (0..n)
                .map(|_| {
                    let end = ends.next().unwrap_or(start);
                    let cell = &self.text[start..end];
                    start = end;
                    cell
                })
                .collect()
        })
    }
}

impl Measured {
    fn of(headers: &[String], rows: &Rows) -> Measured {
        let mut widths = vec![1; headers.len()];
        let mut widen = |i: usize, w: usize| {
            if i >= widths.len() {
                widths.resize(i + 1, 1);
            }
            widths[i] = widths[i].max(w);
        };
        let widest = |text: &str| text.split('\n').map(line_width).max().unwrap_or(0);
        for (i, h) in headers.iter().enumerate() {
            widen(i, widest(h));
        }
        let run = |rows: &mut dyn Iterator<Item = Cow<'_, [Cell]>>| {
            let mut widths: Vec<usize> = Vec::new();
            let mut run = RunText::default();
            let mut buf = String::new();
            for row in rows {
                widths.resize(widths.len().max(row.len()), 0);
                for (c, w) in row.iter().zip(widths.iter_mut()) {
                    let text = cell_text(c, &mut buf);
                    *w = (*w).max(widest(text));
                    run.text.push_str(text);
                    run.ends.push(run.text.len() as u32);
                }
                run.cells.push(row.len() as u16);
            }
            // Kept until drawn: without the room left by growing.
            run.text.shrink_to_fit();
            run.ends.shrink_to_fit();
            run.cells.shrink_to_fit();
            (widths, run)
        };
        let mut runs = Vec::new();
        let taken = rows.in_runs(run, |(run_widths, run)| {
            for (i, w) in run_widths.into_iter().enumerate() {
                widen(i, w);
            }
            runs.push(run);
            Ok::<(), std::convert::Infallible>(())
        });
        let Ok(()) = taken;
        Measured {
            widths,
            runs,
            rows: rows.len(),
        }
    }
}

/// The table unwrapped (columns `widths` wide), drawn as comfy-table draws it in its
/// `UTF8_FULL_CONDENSED` style, straight into `out`: tens of thousands of rows cost a few
/// allocations per row instead of comfy-table's per-cell layout (a 66,000-row table took
/// 0.8 s there). A test checks it against comfy-table.
fn plain(out: &mut Out, measured: &Measured, headers: &[String]) -> io::Result<()> {
    let widths = &measured.widths;
    let rule = |out: &mut String, [left, fill, join, right]: [char; 4]| {
        out.push(left);
        for (i, w) in widths.iter().enumerate() {
            if i > 0 {
                out.push(join);
            }
            out.extend(std::iter::repeat_n(fill, w + 2));
        }
        out.push(right);
        out.push('\n');
    };
    let pad = |out: &mut String, n: usize| {
        const SPACES: &str = "                                                                ";
        let mut n = n;
        while n > 0 {
            let k = n.min(SPACES.len());
            out.push_str(&SPACES[..k]);
            n -= k;
        }
    };
    let line = |out: &mut String, cells: &[&str]| {
        let height = cells.iter().map(|c| c.split('\n').count()).max();
        for l in 0..height.unwrap_or(1).max(1) {
            out.push('│');
            for (i, w) in widths.iter().enumerate() {
                if i > 0 {
                    out.push('┆');
                }
                let cell = cells.get(i).copied().unwrap_or("");
                let part = match l {
                    0 => cell.split('\n').next().unwrap_or(""),
                    _ => cell.split('\n').nth(l).unwrap_or(""),
                };
                out.push(' ');
                out.push_str(part);
                pad(out, w - line_width(part) + 1);
            }
            out.push_str("│\n");
        }
    };
    rule(&mut out.buf, ['┌', '─', '┬', '┐']);
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    line(&mut out.buf, &headers);
    rule(&mut out.buf, ['╞', '═', '╪', '╡']);
    let run = |k: usize| {
        let mut text = String::new();
        for cells in measured.runs[k].rows() {
            line(&mut text, &cells);
        }
        text
    };
    let two_cores = measured.rows >= ON_TWO_CORES;
    in_order(measured.runs.len(), two_cores, run, |text| {
        out.buf.push_str(&text);
        out.spill()
    })?;
    rule(&mut out.buf, ['└', '─', '┴', '┘']);
    // The last newline is whitespace, so it is still buffered.
    out.buf.pop();
    Ok(())
}

/// `text` wrapped to `width` columns (CJK counted as two): at a space where a line has one,
/// else between characters; a line never starts with closing punctuation.
fn wrap(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    const CLOSING: &str = ",.;:!?)]}，。；：！？）】」』、%％";
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for c in paragraph.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > width && c == ' ' {
                lines.push(std::mem::take(&mut line));
                used = 0;
                continue;
            }
            if used + w > width && !line.is_empty() && !CLOSING.contains(c) {
                let cut = line.rfind(' ').filter(|i| *i > 0 && line.is_ascii());
                let rest = match cut {
                    Some(i) => line.split_off(i + 1),
                    None => String::new(),
                };
                lines.push(line.trim_end().to_string());
                used = rest.width();
                line = rest;
            }
            line.push(c);
            used += w;
        }
        lines.push(line);
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use comfy_table::{ContentArrangement, Table as Grid, presets};

    use super::*;

    #[test]
    fn text_wraps_at_spaces_and_never_before_closing_punctuation() {
        assert_eq!(wrap("aaa bbb ccc", 7), "aaa bbb\nccc");
        assert_eq!(wrap("一二三四。五", 8), "一二三四。\n五");
        assert!(
            wrap("一二三四五六七八九十", 8)
                .lines()
                .all(|l| l.width() <= 8)
        );
    }

    /// What comfy-table draws for the same table, unwrapped.
    fn comfy(headers: &[String], rows: &[Vec<Cell>]) -> String {
        let mut g = Grid::new();
        g.load_style(presets::UTF8_FULL_CONDENSED)
            .force_no_tty()
            .set_content_arrangement(ContentArrangement::Disabled);
        g.set_header(headers);
        for row in rows {
            g.add_row(row.iter().map(|c| c.to_string()));
        }
        g.to_string()
    }

    /// A table long enough to be drawn on two cores comes out as comfy-table draws it, its
    /// widest cell in a run the other core draws.
    #[test]
    fn a_long_table_drawn_on_two_cores_is_comfy_tables() {
        let headers = vec!["编号".to_string(), "单位".to_string()];
        let rows: Vec<Vec<Cell>> = (0..5000)
            .map(|k| {
                let unit = if k == 2600 {
                    "市农业农村局（牵头）"
                } else {
                    "市农业局"
                };
                vec![Cell::Int(k), Cell::Text(format!("{unit}\n{k}"))]
            })
            .collect();
        let made = Rows::Made(rows.clone());
        let mut bytes = Vec::new();
        let mut out = Out {
            buf: String::new(),
            to: &mut bytes,
        };
        plain(&mut out, &Measured::of(&headers, &made), &headers).unwrap();
        out.to.write_all(out.buf.as_bytes()).unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), comfy(&headers, &rows));
    }

    /// A long table whose rows are made as they are read is drawn from rows made once each:
    /// measuring them and drawing them does not make them twice.
    #[test]
    fn a_lazy_table_is_drawn_from_rows_made_once() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let made = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&made);
        let rows = Rows::Lazy {
            len: 5000,
            make: Arc::new(move |k| {
                counted.fetch_add(1, Ordering::Relaxed);
                vec![Cell::Int(k as i64), Cell::Text(format!("市农业局{k}"))]
            }),
        };
        let headers = vec!["编号".to_string(), "单位".to_string()];
        let table = Table {
            title: None,
            name: None,
            headers,
            rows,
        };
        let mut bytes = Vec::new();
        let mut out = Out {
            buf: String::new(),
            to: &mut bytes,
        };
        grid(&mut out, &table, None, Lang::En).unwrap();
        assert_eq!(made.load(Ordering::Relaxed), 5000);
        out.to.write_all(out.buf.as_bytes()).unwrap();
        let drawn = String::from_utf8(bytes).unwrap();
        assert!(
            drawn.contains("│ 4999 ┆ 市农业局4999 │"),
            "{}",
            &drawn[drawn.len() - 200..]
        );
    }

    proptest::proptest! {
        #![proptest_config(crate::testing::proptest_config(200))]

        /// The plain table is drawn exactly as comfy-table draws it: CJK, empty cells, lines
        /// within a cell, short rows.
        #[test]
        fn the_plain_table_is_comfy_tables(
            extra in 1u16..20,
            headers in proptest::collection::vec("[a-z市农业 ]{0,6}", 1..5),
            rows in proptest::collection::vec(
                proptest::collection::vec("[a-z0-9市农业局（）、 ]{0,8}(\n[a-z局]{0,3})?", 0..5),
                1..6,
            ),
        ) {
            let rows: Vec<Vec<Cell>> = rows
                .into_iter()
                .map(|r| r.into_iter().map(Cell::Text).collect())
                .collect();
            let made = Rows::Made(rows.clone());
            let mut bytes = Vec::new();
            let mut out = Out { buf: String::new(), to: &mut bytes };
            let measured = Measured::of(&headers, &made);
            plain(&mut out, &measured, &headers).unwrap();
            let widths = measured.widths;
            out.to.write_all(out.buf.as_bytes()).unwrap();
            let mine = String::from_utf8(bytes).unwrap();
            // Given a width with a column to spare, the table is drawn the same way, not
            // fitted: comfy-table fitting to such a width may still wrap a CJK header.
            let table = Table { title: None, name: None, headers: headers.clone(), rows: made };
            let natural = widths.iter().map(|w| w + 3).sum::<usize>() + 1;
            let mut wide = Vec::new();
            let mut out = Out { buf: String::new(), to: &mut wide };
            grid(&mut out, &table, Some(natural as u16 + extra), Lang::En).unwrap();
            out.to.write_all(out.buf.as_bytes()).unwrap();
            proptest::prop_assert_eq!(&mine, &comfy(&headers, &rows));
            proptest::prop_assert_eq!(&mine, &String::from_utf8(wide).unwrap());
        }
    }
}
