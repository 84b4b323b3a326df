//! Rows of a fitted table drawn at column widths already settled: what comfy-table draws for
//! them in its `UTF8_FULL_CONDENSED` style, with every column's width fixed, its cells
//! aligned left and padded one space each side, but made without building a comfy-table per
//! run of rows. Building one for each run of 512 rows was a fifth of `report overdue` fitted
//! to a terminal at 100,000 items. A test draws the same rows both ways.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// The lines of `rows` (their cells' text) at `widths` (each column's, its padding included),
/// each ending in a newline; nothing above or below them.
pub(super) fn draw(rows: impl Iterator<Item = Vec<String>>, widths: &[u16]) -> String {
    let content: Vec<usize> = widths
        .iter()
        .map(|&w| usize::from(w.saturating_sub(2).max(1)))
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<Vec<String>> = row
            .iter()
            .zip(&content)
            .map(|(text, &width)| cell_lines(text, width))
            .collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(0);
        for i in 0..height {
            out.push('│');
            for (k, (lines, &width)) in cells.iter().zip(&content).enumerate() {
                if k > 0 {
                    out.push('┆');
                }
                let line = lines.get(i).map_or("", String::as_str);
                out.push(' ');
                out.push_str(line);
                let pad = width.saturating_sub(line.width()) + 1;
                out.extend(std::iter::repeat_n(' ', pad));
            }
            out.push('│');
            out.push('\n');
        }
    }
    out
}

/// A cell's text as lines at most `width` wide, where it can be broken.
fn cell_lines(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for line in text.split('\n') {
        if line.width() > width {
            lines.extend(split_line(line, width));
        } else {
            lines.push(line.to_string());
        }
    }
    lines
}

/// The free width below which a line is closed (comfy-table's `MIN_FREE_CHARS`).
const MIN_FREE: usize = 2;

/// `line` broken into lines of at most `width`, at spaces where it can and inside a word
/// where it must, as comfy-table breaks it (`split_line`).
fn split_line(line: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut words: Vec<String> = line.split(' ').rev().map(str::to_string).collect();
    let mut current = String::new();
    let mut length = 0;
    let full = |lines: &mut Vec<String>, current: &mut String, length: &mut usize| {
        if *length > width.saturating_sub(MIN_FREE) {
            lines.push(std::mem::take(current));
            *length = 0;
        }
    };
    while let Some(next) = words.pop() {
        let next_length = next.width();
        let gap = usize::from(!current.is_empty());
        let mut remaining = width.saturating_sub(length);
        if !current.is_empty() {
            remaining = remaining.saturating_sub(1);
        }
        if next_length + length + gap <= width {
            if !current.is_empty() {
                current.push(' ');
                length += 1;
            }
            current.push_str(&next);
            length += next_length;
            full(&mut lines, &mut current, &mut length);
            continue;
        }
        if !current.is_empty() && remaining <= MIN_FREE {
            words.push(next);
            lines.push(std::mem::take(&mut current));
            length = 0;
            continue;
        }
        if next_length > width {
            let new_line = current.is_empty();
            if !new_line {
                current.push(' ');
            }
            let (head, tail) = split_long_word(remaining, &next);
            if new_line && head.is_empty() {
                let mut chars = tail.chars();
                current.extend(chars.next());
                words.push(chars.collect());
            } else {
                current.push_str(head);
                words.push(tail.to_string());
            }
            lines.push(std::mem::take(&mut current));
            length = 0;
            continue;
        }
        lines.push(std::mem::replace(&mut current, next));
        length = next_length;
        full(&mut lines, &mut current, &mut length);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// `word` cut where it reaches `width`: by bytes when it is printable ASCII, otherwise by
/// graphemes and their display width.
fn split_long_word(width: usize, word: &str) -> (&str, &str) {
    if word.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return word.split_at(word.len().min(width));
    }
    let mut used = 0;
    let mut at = word.len();
    for (i, g) in word.grapheme_indices(true) {
        if used + g.width() > width {
            at = i;
            break;
        }
        used += g.width();
    }
    word.split_at(at)
}

#[cfg(test)]
mod tests {
    use comfy_table::{ColumnConstraint, ContentArrangement, Table, Width, presets};
    use proptest::prelude::*;

    use super::*;

    /// The run as comfy-table draws it, between its own top and bottom rules.
    fn comfy(rows: &[Vec<String>], widths: &[u16], table_width: u16) -> String {
        let mut g = Table::new();
        g.load_style(presets::UTF8_FULL_CONDENSED)
            .force_no_tty()
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(table_width);
        for row in rows {
            g.add_row(row.clone());
        }
        for (column, w) in g.column_iter_mut().zip(widths) {
            column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(*w)));
        }
        let drawn = g.to_string();
        let lines: Vec<&str> = drawn.lines().collect();
        let mut out = String::new();
        for line in &lines[1..lines.len() - 1] {
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    /// Words of ASCII, Chinese, full-width punctuation and emoji, some long, some empty.
    fn text() -> impl Strategy<Value = String> {
        let word = prop_oneof![
            "[a-z0-9]{0,6}",
            "[a-zA-Z0-9_-]{10,30}",
            "[农业农村局督查进度目标完成未报送逾期，。：（）]{1,12}",
            "[农业é👍🏽a-c]{1,8}",
        ];
        proptest::collection::vec(word, 0..8).prop_map(|words| {
            let mut text = words.join(" ");
            if text.len() % 5 == 1 {
                text.push('\n');
                text.push_str("第二行 second line");
            }
            text
        })
    }

    proptest! {
        #![proptest_config(crate::testing::proptest_config(256))]

        #[test]
        fn rows_are_drawn_as_comfy_table_draws_them(
            rows in proptest::collection::vec(proptest::collection::vec(text(), 3), 1..6),
            widths in proptest::collection::vec(1u16..30, 3),
        ) {
            let table_width = widths.iter().sum::<u16>() + 4;
            prop_assert_eq!(
                draw(rows.iter().cloned(), &widths),
                comfy(&rows, &widths, table_width)
            );
        }
    }

    #[test]
    fn a_chinese_reason_wraps_at_the_width() {
        let rows = vec![vec![
            "T01".to_string(),
            "到2021年底，各区农村自来水普及率均达到90%以上 (逾期 12 天) 未报送".to_string(),
        ]];
        let widths = [5, 20];
        assert_eq!(
            draw(rows.iter().cloned(), &widths),
            comfy(&rows, &widths, 40)
        );
        assert!(draw(rows.iter().cloned(), &widths).lines().count() > 2);
    }
}
