//! Markdown: headings, paragraphs and pipe tables, ready for a wiki or an e-mail.

use std::io::{self, Write};

use crate::doc::{Block, Doc, Table};
use crate::i18n::Lang;

pub fn render(doc: &Doc, lang: Lang) -> String {
    let mut out = Vec::new();
    write(doc, lang, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("Markdown of text is UTF-8")
}

/// Writes the document to `to` a row at a time.
pub fn write(doc: &Doc, lang: Lang, to: &mut dyn Write) -> io::Result<()> {
    writeln!(to, "# {}", doc.title)?;
    for block in &doc.blocks {
        match block {
            Block::Heading(h) => writeln!(to, "\n## {h}")?,
            Block::Text(t) => writeln!(to, "\n{t}")?,
            Block::Table(t) => {
                writeln!(to)?;
                table(t, doc.table_title_level(), lang, to)?;
            }
            Block::Chart(_) => {}
        }
    }
    Ok(())
}

fn table(t: &Table, level: usize, lang: Lang, to: &mut dyn Write) -> io::Result<()> {
    if let Some(title) = &t.title {
        write!(to, "{} {title}\n\n", "#".repeat(level))?;
    }
    if t.rows.is_empty() {
        return writeln!(to, "{}", lang.t("(none)"));
    }
    let mut line = |cells: Vec<String>| writeln!(to, "| {} |", cells.join(" | "));
    line(t.headers.iter().map(|h| escape(h)).collect())?;
    line(t.headers.iter().map(|_| "---".to_string()).collect())?;
    for row in &t.rows {
        line(row.iter().map(|c| escape(&c.to_string())).collect())?;
    }
    Ok(())
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
