//! Tables fitted to a terminal's width by comfy-table, or printed as records where they
//! cannot fit. A short table is handed to comfy-table whole. A long one (a province's
//! 17,000 overdue items) is drawn a run of rows at a time, on two cores, at the column
//! widths comfy-table gives a sketch of it: the header and the rows holding each column's
//! widest cells. Whole, comfy-table took 0.7 s and 113 MiB for those 17,000 rows, for
//! widths it mostly settles from a few cells. Mostly: where comfy-table would settle a
//! column by a cell outside the sketch, that column comes out a few characters narrower or
//! wider than comfy-table would draw it whole (at 200 columns, the 100k overdue report's
//! last column is 87 wide, not 91); the table still fits the width.
//!
//! The runs are drawn as comfy-table draws rows at fixed widths, without a comfy-table for
//! each ([`super::runs`]: `report overdue` at 100k fitted to 120 columns, 0.53-0.60 ->
//! 0.46-0.51 s).

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

use comfy_table::{ColumnConstraint, ContentArrangement, Table as Grid, Width, presets};
use unicode_width::UnicodeWidthStr;

use super::Out;
use crate::doc::{Cell, RUN, Table};

/// The number of rows from which a table is drawn in runs: when they are drawn on two cores.
const LONG: usize = crate::doc::ON_TWO_CORES;

/// The rows kept in the sketch for each column: those with its widest cells.
const SKETCHED: usize = 8;

/// Draws `t` fitted to `width` columns into `out`.
pub(super) fn fit(out: &mut Out, t: &Table, width: u16) -> io::Result<()> {
    let columns = Columns::of(t);
    if columns.too_narrow(width) {
        out.buf.push_str(&records(t));
        return Ok(());
    }
    if t.rows.len() < LONG {
        let _ = write!(
            out.buf,
            "{}",
            columns.grid(&t.headers, t.rows.iter(), width)
        );
        return Ok(());
    }
    let sketch = columns.sketch().into_iter().map(|k| t.rows.row(k));
    let drawn = columns.grid(&t.headers, sketch, width).to_string();
    let lines: Vec<&str> = drawn.lines().collect();
    // The top rule shows each column's width, its padding included.
    let widths: Vec<u16> = lines[0]
        .trim_start_matches('┌')
        .trim_end_matches('┐')
        .split('┬')
        .map(|rule| rule.chars().count() as u16)
        .collect();
    let header = lines.iter().position(|l| l.starts_with('╞')).unwrap_or(0);
    for line in &lines[..=header] {
        out.buf.push_str(line);
        out.buf.push('\n');
    }
    let run = |rows: &mut dyn Iterator<Item = Cow<'_, [Cell]>>| {
        let texts = rows.map(|row| row.iter().map(Cell::to_string).collect());
        super::runs::draw(texts, &widths)
    };
    t.rows.in_runs(run, |text| {
        out.buf.push_str(&text);
        out.spill()
    })?;
    out.buf.push_str(lines.last().copied().unwrap_or_default());
    Ok(())
}

/// What fitting needs to know of a table's columns, read in one pass over its rows.
struct Columns {
    /// Per column, the width of its widest cell when every cell is unbreakable.
    unbreakable: Vec<Option<usize>>,
    /// Per column, its widest cells' widths and rows, widest first (at most [`SKETCHED`]).
    widest: Vec<Vec<(usize, usize)>>,
}

impl Columns {
    fn of(t: &Table) -> Columns {
        let n = t.headers.len();
        let mut all = Columns {
            unbreakable: vec![Some(0); n],
            widest: vec![Vec::new(); n],
        };
        // Each run's own, with rows numbered within it.
        let run = |rows: &mut dyn Iterator<Item = Cow<'_, [Cell]>>| {
            let mut columns = Columns {
                unbreakable: vec![Some(0); n],
                widest: vec![Vec::new(); n],
            };
            for (k, row) in rows.enumerate() {
                for (i, cell) in row.iter().enumerate().take(n) {
                    let w = cell.to_string().lines().map(|l| l.width()).max();
                    columns.add(i, w.unwrap_or(0), k, unbreakable(cell));
                }
            }
            columns
        };
        let mut start = 0;
        let taken = t.rows.in_runs(run, |run| {
            for i in 0..n {
                for &(w, k) in &run.widest[i] {
                    all.keep(i, w, start + k);
                }
                all.unbreakable[i] = all.unbreakable[i].zip(run.unbreakable[i]).map(max);
            }
            start += RUN;
            Ok::<(), std::convert::Infallible>(())
        });
        let Ok(()) = taken;
        all
    }

    /// Counts a cell `w` wide in column `i` of row `k`.
    fn add(&mut self, i: usize, w: usize, k: usize, unbreakable: bool) {
        self.keep(i, w, k);
        self.unbreakable[i] = self.unbreakable[i]
            .filter(|_| unbreakable)
            .map(|v| v.max(w));
    }

    /// Keeps row `k` among column `i`'s widest if its cell, `w` wide, is one of them.
    fn keep(&mut self, i: usize, w: usize, k: usize) {
        let widest = &mut self.widest[i];
        if widest.len() < SKETCHED || widest.last().is_some_and(|(least, _)| w > *least) {
            let at = widest.partition_point(|(v, _)| *v >= w);
            widest.insert(at, (w, k));
            widest.truncate(SKETCHED);
        }
    }

    /// The rows with some column's widest cells, in order.
    fn sketch(&self) -> Vec<usize> {
        let mut rows: Vec<usize> = self.widest.iter().flatten().map(|(_, k)| *k).collect();
        rows.sort_unstable();
        rows.dedup();
        rows
    }

    /// Whether the table cannot fit `width` without breaking ids or squeezing text below a
    /// few characters: then each row is printed as a record instead.
    fn too_narrow(&self, width: u16) -> bool {
        let borders = 3 * self.unbreakable.len() + 1;
        let least: usize = self
            .unbreakable
            .iter()
            .map(|w| w.map_or(8, |w| w + 2))
            .sum();
        least + borders > usize::from(width)
    }

    /// `rows` under `headers`, wrapped to `width` by comfy-table.
    fn grid<'r>(
        &self,
        headers: &[String],
        rows: impl Iterator<Item = Cow<'r, [Cell]>>,
        width: u16,
    ) -> Grid {
        let mut g = Grid::new();
        g.load_style(presets::UTF8_FULL_CONDENSED)
            .force_no_tty()
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width);
        g.set_header(headers);
        for row in rows {
            g.add_row(row.iter().map(|c| c.to_string()));
        }
        // Ids, dates and numbers never break: such a column is at least as wide as its
        // widest cell, and the text columns take the slack.
        for (column, widest) in g.column_iter_mut().zip(&self.unbreakable) {
            if let Some(widest) = widest {
                // The width counts the cell padding, one space each side.
                let fixed = Width::Fixed(*widest as u16 + 2);
                column.set_constraint(ColumnConstraint::LowerBoundary(fixed));
            }
        }
        g
    }
}

fn max(pair: (usize, usize)) -> usize {
    pair.0.max(pair.1)
}

/// Each row as a record: its first cell as a heading, then one `header  value` line per other
/// cell, the headers padded to one width (CJK counted as two columns).
fn records(t: &Table) -> String {
    let pad = t
        .headers
        .iter()
        .skip(1)
        .map(|h| h.width())
        .max()
        .unwrap_or(0);
    let mut out = Vec::new();
    for row in &t.rows {
        let mut cells = row.iter().map(|c| c.to_string());
        out.push(cells.next().unwrap_or_default());
        for (header, value) in t.headers.iter().skip(1).zip(cells) {
            if value.is_empty() {
                continue;
            }
            let gap = " ".repeat(pad - header.width());
            out.push(format!("  {header}{gap}  {value}"));
        }
    }
    out.join("\n")
}

/// A cell that must not wrap: a number, a date, or a token such as an id (no spaces, no CJK).
fn unbreakable(c: &Cell) -> bool {
    match c {
        Cell::Text(s) | Cell::Badge(s, _) => {
            s.len() <= 32 && !s.contains(char::is_whitespace) && s.is_ascii()
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use unicode_width::UnicodeWidthStr;

    use super::*;
    use crate::doc::Rows;

    /// A table of `n` rows: an id, a number, and text of varied lengths, CJK and not.
    fn table(n: usize) -> Table<'static> {
        let words = [
            "市农业农村局",
            "agri",
            "（牵头）",
            "各县、区人民政府",
            "health",
        ];
        let rows = (0..n)
            .map(|k| {
                let text: Vec<&str> = (0..k % 7 + 1).map(|j| words[(k + j) % 5]).collect();
                vec![
                    Cell::Text(format!("T{k:05}")),
                    Cell::Int(k as i64 * 37 % 1000),
                    Cell::Text(text.join(" ")),
                ]
            })
            .collect();
        Table {
            title: None,
            name: None,
            headers: vec!["编号".into(), "天数".into(), "责任单位".into()],
            rows: Rows::Made(rows),
        }
    }

    fn fitted(t: &Table, width: u16) -> String {
        let mut bytes = Vec::new();
        let mut out = Out {
            buf: String::new(),
            to: &mut bytes,
        };
        fit(&mut out, t, width).unwrap();
        std::io::Write::write_all(out.to, out.buf.as_bytes()).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    /// A long table is drawn in runs at the widths of its sketch: every line as wide as the
    /// top rule and within the width, every row there in order, and, where the widest
    /// cells settle the widths (as here), exactly what comfy-table draws of the whole.
    #[test]
    fn a_long_table_is_drawn_in_runs_as_comfy_table_draws_it_whole() {
        for width in [34, 44, 60] {
            let t = table(LONG + 1000);
            let mine = fitted(&t, width);
            let top = mine.lines().next().unwrap().width();
            assert!(top <= usize::from(width), "{top} > {width}");
            let odd: Vec<&str> = mine.lines().filter(|l| l.width() != top).take(3).collect();
            assert!(
                odd.is_empty(),
                "at {width}: {odd:?}\n{}",
                mine.lines().take(8).collect::<Vec<_>>().join("\n")
            );
            let ids: Vec<&str> = mine
                .lines()
                .filter_map(|l| {
                    l.split('┆')
                        .next()?
                        .trim_start_matches('│')
                        .trim()
                        .strip_prefix('T')
                })
                .collect();
            let expected: Vec<String> = (0..LONG + 1000).map(|k| format!("{k:05}")).collect();
            assert_eq!(ids, expected, "every row once, in order, at {width}");
            let whole = Columns::of(&t).grid(&t.headers, t.rows.iter(), width);
            assert_eq!(mine, whole.to_string(), "at {width}");
        }
    }

    /// Too narrow for its ids and numbers, a table is printed as records.
    #[test]
    fn a_table_too_narrow_is_printed_as_records() {
        let text = fitted(&table(3), 12);
        assert!(
            text.starts_with("T00000\n  天数      0\n  责任单位  市农业农村局\n"),
            "{text}"
        );
    }
}
