//! JSON written a row at a time, byte for byte as `serde_json`'s pretty printer writes the
//! whole document: the envelope's keys, then `"rows": [`, each row indented by two levels, and
//! the closing brackets. `history` writes its rows in chunks, reports in one go.

use std::io::Write;

use serde_json::Value;

use crate::doc::JsonDoc;

/// The rows written so far of a document being written.
pub struct Rows {
    written: usize,
    /// The row being written, as the pretty printer writes it, and then indented: kept from
    /// row to row, so that a row costs no allocation and one write.
    pretty: Vec<u8>,
    indented: Vec<u8>,
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
        Ok(Rows {
            written: 0,
            pretty: Vec::new(),
            indented: Vec::new(),
        })
    }

    /// Writes the next row, every line indented by two levels. JSON strings hold no raw line
    /// breaks: every line break is the pretty printer's own.
    pub fn row(
        &mut self,
        out: &mut dyn Write,
        row: &(impl serde::Serialize + ?Sized),
    ) -> std::io::Result<()> {
        self.pretty.clear();
        serde_json::to_writer_pretty(&mut self.pretty, row)?;
        self.indented.clear();
        self.indented.extend_from_slice(match self.written {
            0 => b"\n    ",
            _ => b",\n    ",
        });
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', &self.pretty) {
            self.indented.extend_from_slice(&self.pretty[start..end]);
            self.indented.extend_from_slice(b"\n    ");
            start = end + 1;
        }
        self.indented.extend_from_slice(&self.pretty[start..]);
        self.written += 1;
        out.write_all(&self.indented)
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
                rows: Box::new(rows.clone().into_iter().map(crate::view::boxed)),
            };
            let mut whole = head;
            whole.insert("rows".into(), Value::Array(rows));
            let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
            assert_eq!(String::from_utf8(render(doc).unwrap()).unwrap(), expected);
        }
    }
}
