//! Terminal tables. comfy-table measures CJK characters as two columns, so Chinese text lines
//! up; on a terminal, long cells wrap to fit its width.

use comfy_table::{ColumnConstraint, ContentArrangement, Table as Grid, Width, presets};
use unicode_width::UnicodeWidthStr;

use crate::doc::{Block, Cell, Doc, Table};
use crate::i18n::Lang;

pub fn render(doc: &Doc, width: Option<u16>, lang: Lang) -> String {
    let mut out = String::new();
    if !doc.title.is_empty() {
        out.push_str(&doc.title);
        out.push_str("\n\n");
    }
    for block in &doc.blocks {
        match block {
            Block::Heading(h) => {
                out.push_str(h);
                out.push('\n');
            }
            Block::Text(t) => {
                out.push_str(&match width {
                    Some(w) => wrap(t, usize::from(w)),
                    None => t.clone(),
                });
                out.push_str("\n\n");
            }
            Block::Table(t) => {
                out.push_str(&grid(t, width, lang));
                out.push_str("\n\n");
            }
            Block::Chart(_) => {}
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

fn grid(t: &Table, width: Option<u16>, lang: Lang) -> String {
    let mut g = Grid::new();
    g.load_style(presets::UTF8_FULL_CONDENSED).force_no_tty();
    match width {
        Some(w) => g
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(w),
        None => g.set_content_arrangement(ContentArrangement::Disabled),
    };
    g.set_header(&t.headers);
    for row in &t.rows {
        g.add_row(row.iter().map(|c| c.to_string()));
    }
    // Ids, dates and numbers never break: such a column is at least as wide as its widest
    // cell, and the text columns take the slack.
    if width.is_some() {
        for (i, column) in g.column_iter_mut().enumerate() {
            let cells = t.rows.iter().filter_map(|r| r.get(i));
            if cells.clone().all(unbreakable) {
                let widest = cells.map(|c| c.to_string().width()).max().unwrap_or(0);
                // The width counts the cell padding, one space each side.
                let fixed = Width::Fixed(widest as u16 + 2);
                column.set_constraint(ColumnConstraint::LowerBoundary(fixed));
            }
        }
    }
    let mut s = String::new();
    if let Some(title) = &t.title {
        s.push_str(title);
        s.push('\n');
    }
    if t.rows.is_empty() {
        s.push_str("  ");
        s.push_str(lang.t("(none)"));
    } else if width.is_some_and(|w| too_narrow(t, w)) {
        s.push_str(&records(t));
    } else {
        s.push_str(&g.to_string());
    }
    s
}

/// Whether the table cannot fit `width` without breaking ids or squeezing text below a few
/// characters: then each row is printed as a record instead.
fn too_narrow(t: &Table, width: u16) -> bool {
    let columns = t.headers.len();
    let borders = 3 * columns + 1;
    let least: usize = (0..columns)
        .map(|i| {
            let cells = t.rows.iter().filter_map(|r| r.get(i));
            if cells.clone().all(unbreakable) {
                cells.map(|c| c.to_string().width()).max().unwrap_or(0) + 2
            } else {
                8
            }
        })
        .sum();
    least + borders > usize::from(width)
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
}
