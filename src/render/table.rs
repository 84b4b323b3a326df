//! Terminal tables. comfy-table measures CJK characters as two columns, so Chinese text lines
//! up; on a terminal, long cells wrap to fit its width.

use comfy_table::{ContentArrangement, Table as Grid, presets};

use crate::doc::{Block, Doc, Table};
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
                out.push_str(t);
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
    let mut s = String::new();
    if let Some(title) = &t.title {
        s.push_str(title);
        s.push('\n');
    }
    if t.rows.is_empty() {
        s.push_str("  ");
        s.push_str(lang.t("(none)"));
    } else {
        s.push_str(&g.to_string());
    }
    s
}
