//! Markdown: headings, paragraphs and pipe tables, ready for a wiki or an e-mail.

use crate::doc::{Block, Doc, Table};
use crate::i18n::Lang;

pub fn render(doc: &Doc, lang: Lang) -> String {
    let mut out = format!("# {}\n", doc.title);
    for block in &doc.blocks {
        if matches!(block, Block::Chart(_)) {
            continue;
        }
        out.push('\n');
        match block {
            Block::Heading(h) => out.push_str(&format!("## {h}\n")),
            Block::Text(t) => {
                out.push_str(t);
                out.push('\n');
            }
            Block::Table(t) => out.push_str(&table(t, doc.table_title_level(), lang)),
            Block::Chart(_) => {}
        }
    }
    out
}

fn table(t: &Table, level: usize, lang: Lang) -> String {
    let mut out = String::new();
    if let Some(title) = &t.title {
        out.push_str(&format!("{} {title}\n\n", "#".repeat(level)));
    }
    if t.rows.is_empty() {
        out.push_str(lang.t("(none)"));
        out.push('\n');
        return out;
    }
    let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    out.push_str(&line(t.headers.iter().map(|h| escape(h)).collect()));
    out.push_str(&line(t.headers.iter().map(|_| "---".to_string()).collect()));
    for row in &t.rows {
        out.push_str(&line(row.iter().map(|c| escape(&c.to_string())).collect()));
    }
    out
}

/// Pipes and line breaks would break a pipe table; `<` and `&` would let a note carry HTML
/// into a Markdown viewer.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace('\n', "<br>")
}
