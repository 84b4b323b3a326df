//! JSON written a row at a time, byte for byte as `serde_json`'s pretty printer writes the
//! whole document: the envelope's keys, then `"rows": [`, each row indented by two levels, and
//! the closing brackets. `history` writes its rows in chunks, reports in one go.

use std::io::Write;

use serde_json::Value;

use crate::doc::JsonDoc;

/// A writer that indents every line after the first by two levels. JSON strings hold no raw
/// line breaks: every line break is the pretty printer's own.
struct Indented<'w>(&'w mut dyn Write);

impl Write for Indented<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut lines = buf.split(|b| *b == b'\n');
        if let Some(first) = lines.next() {
            self.0.write_all(first)?;
        }
        for line in lines {
            self.0.write_all(b"\n    ")?;
            self.0.write_all(line)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// The rows written so far of a document being written.
pub struct Rows {
    written: usize,
}

impl Rows {
    /// Writes the envelope `head` (its keys but `rows`) up to the opening of its rows.
    pub fn open(
        out: &mut dyn Write,
        head: &serde_json::Map<String, Value>,
    ) -> std::io::Result<Rows> {
        let mut head = head.clone();
        head.insert("rows".into(), Value::Array(Vec::new()));
        let text = serde_json::to_string_pretty(&head)?;
        let open = text
            .rfind("\"rows\": []")
            .map_or(text.len(), |i| i + "\"rows\": [".len());
        out.write_all(&text.as_bytes()[..open])?;
        Ok(Rows { written: 0 })
    }

    /// Writes the next row.
    pub fn row(&mut self, out: &mut dyn Write, row: &Value) -> std::io::Result<()> {
        out.write_all(if self.written == 0 {
            b"\n    "
        } else {
            b",\n    "
        })?;
        self.written += 1;
        serde_json::to_writer_pretty(Indented(out), row)?;
        Ok(())
    }

    /// Closes the rows and the document.
    pub fn close(self, out: &mut dyn Write) -> std::io::Result<()> {
        out.write_all(if self.written == 0 {
            b"]\n}\n"
        } else {
            b"\n  ]\n}\n"
        })
    }
}

/// Writes the whole document to `out`, its rows made and written one at a time.
pub fn write(doc: JsonDoc, out: &mut dyn Write) -> std::io::Result<()> {
    let mut rows = Rows::open(out, &doc.head)?;
    for row in doc.rows {
        rows.row(out, &row)?;
    }
    rows.close(out)
}

/// The whole document's bytes.
pub fn render(doc: JsonDoc) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    write(doc, &mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Written a row at a time, the document is what the pretty printer writes whole.
    #[test]
    fn rows_written_one_at_a_time_are_the_pretty_printers_document() {
        for rows in [
            vec![],
            vec![json!({"id": "T-1", "units": ["a", "b"], "nested": {"x": [1, {"y": null}]}})],
            vec![json!({"note": "一\n二"}), json!([]), json!({}), json!("s")],
        ] {
            let head = json!({"schema": "plantrack/x/1", "empty": {}, "list": []});
            let serde_json::Value::Object(head) = head else {
                unreachable!()
            };
            let doc = JsonDoc {
                head: head.clone(),
                rows: Box::new(rows.clone().into_iter()),
            };
            let mut whole = head;
            whole.insert("rows".into(), Value::Array(rows));
            let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            assert_eq!(String::from_utf8(render(doc).unwrap()).unwrap(), expected);
        }
    }
}
