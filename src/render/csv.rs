//! CSV for scripts and spreadsheets: every table with its header row, tables separated by an
//! empty line. Cells that a spreadsheet would run as a formula are defused with a leading `'`.

use serde_json::Value;

use crate::doc::{Cell, Doc, Table, visible};

pub fn render(doc: &Doc) -> String {
    let mut out = Vec::new();
    write(doc, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("CSV of text is UTF-8")
}

/// Writes every table of `doc` to `to` a row at a time.
pub fn write(doc: &Doc, to: &mut dyn std::io::Write) -> std::io::Result<()> {
    for (i, table) in doc.tables().enumerate() {
        if i > 0 {
            to.write_all(b"\n")?;
        }
        write_table(table, &mut *to)?;
    }
    Ok(())
}

/// Writes one table with its header row to `to` a row at a time.
pub fn write_table(table: &Table, to: &mut dyn std::io::Write) -> std::io::Result<()> {
    // A closed pipe stays an I/O error, so that `… | head` exits quietly.
    write_records(table, to).map_err(|e| match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    })
}

fn write_records(table: &Table, to: impl std::io::Write) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(to);
    w.write_record(table.headers.iter().map(|h| defuse(h)))?;
    for row in &table.rows {
        w.write_record(row.iter().map(|c| match c {
            Cell::Text(s) | Cell::Badge(s, _) => defuse(s),
            other => other.to_string(),
        }))?;
    }
    w.flush()?;
    Ok(())
}

/// The byte order mark Excel on Chinese Windows needs to read a file as UTF-8, not GBK.
pub const BOM: &str = "\u{feff}";

/// The rows of a JSON document as one CSV table for scripts: the JSON keys as headers (in the
/// order they first appear; a row without a key leaves its cell empty), codes as values. A
/// list of strings is joined with `;`, a nested object is written as JSON.
pub fn render_keys(document: &Value) -> String {
    let rows: &[Value] = document["rows"].as_array().map_or(&[], Vec::as_slice);
    let mut keys: Vec<&str> = Vec::new();
    for row in rows.iter().filter_map(Value::as_object) {
        for k in row.keys() {
            if !keys.contains(&k.as_str()) {
                keys.push(k);
            }
        }
    }
    let mut out = Vec::new();
    let mut w = csv::Writer::from_writer(&mut out);
    // Writing to a Vec cannot fail.
    let _ = w.write_record(&keys);
    for row in rows {
        let _ = w.write_record(keys.iter().map(|k| cell(&row[*k])));
    }
    let _ = w.flush();
    drop(w);
    String::from_utf8(out).unwrap_or_default()
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => defuse(&visible(s)),
        Value::Array(items) if items.iter().all(Value::is_string) => {
            let parts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            defuse(&parts.join(";"))
        }
        Value::Number(_) | Value::Bool(_) => v.to_string(),
        _ => defuse(&v.to_string()),
    }
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
    fn keys_are_the_headers_and_codes_the_values() {
        let doc = serde_json::json!({"rows": [
            {"id": "T-1", "units": ["a", "b"], "actual": -1.5, "status": "on_track"},
            {"id": "M-1", "status": null, "extra": {"x": 1}},
        ]});
        assert_eq!(
            render_keys(&doc),
            "id,units,actual,status,extra\nT-1,a;b,-1.5,on_track,\nM-1,,,,\"{\"\"x\"\":1}\"\n"
        );
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("完成"), "完成");
    }
}
