//! CSV for scripts and spreadsheets: every table with its header row, tables separated by an
//! empty line. Cells that a spreadsheet would run as a formula are defused with a leading `'`.

use crate::doc::{Cell, Doc};

pub fn render(doc: &Doc) -> String {
    let mut out = Vec::new();
    for (i, table) in doc.tables().enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        let mut w = csv::Writer::from_writer(&mut out);
        // Writing to a Vec cannot fail.
        let _ = w.write_record(table.headers.iter().map(|h| defuse(h)));
        for row in &table.rows {
            let _ = w.write_record(row.iter().map(|c| match c {
                Cell::Text(s) | Cell::Badge(s, _) => defuse(s),
                other => other.to_string(),
            }));
        }
        let _ = w.flush();
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Excel and WPS treat a cell starting with `=`, `+`, `-`, `@` (or a tab or CR) as a formula.
pub fn defuse(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("完成"), "完成");
    }
}
