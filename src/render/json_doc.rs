//! JSON written a row at a time, byte for byte as `serde_json`'s pretty printer writes the
//! whole document: the envelope's keys, then `"rows": [`, each row indented by two levels, and
//! the closing brackets. `history` writes its rows in chunks, reports in one go.

use std::io::Write;

use serde_json::Value;

use crate::doc::{JsonDoc, JsonRow};

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
        self.indented.clear();
        indent(self.written == 0, row, &mut self.pretty, &mut self.indented)?;
        self.written += 1;
        out.write_all(&self.indented)
    }

    /// Writes `rows`, all after the first row of the document, as [`Rows::row`] writes each:
    /// `text` is what [`batch`] made of them.
    fn batch(&mut self, out: &mut dyn Write, rows: usize, text: &[u8]) -> std::io::Result<()> {
        self.written += rows;
        out.write_all(text)
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

/// Rows serialized at a time by each core.
const BATCH: usize = 256;

/// Writes the whole document to `out`, its rows made and written as they come. A document of
/// more than [`BATCH`] rows is serialized on two cores: of each two batches of rows, made in
/// order, this core serializes the first while another serializes the second (66,000 targets
/// are 45 MB of JSON, a third of `report by-target --format json` on one core).
pub fn write(doc: JsonDoc, out: &mut dyn Write) -> std::io::Result<()> {
    let mut rows = Rows::open(out, &doc.head)?;
    let mut source = doc.rows;
    let mut take = || source.by_ref().take(BATCH).collect::<Vec<JsonRow>>();
    let first = take();
    for row in &first {
        rows.row(out, row)?;
    }
    if first.len() == BATCH {
        std::thread::scope(|s| -> std::io::Result<()> {
            let (send, batches) = std::sync::mpsc::sync_channel::<Vec<JsonRow>>(1);
            let (made, texts) = std::sync::mpsc::sync_channel(1);
            s.spawn(move || {
                for b in batches {
                    if made.send(batch(&b).map(|text| (b.len(), text))).is_err() {
                        return;
                    }
                }
            });
            loop {
                let (mine, theirs) = (take(), take());
                if mine.is_empty() {
                    break;
                }
                let sent = !theirs.is_empty() && send.send(theirs).is_ok();
                rows.batch(out, mine.len(), &batch(&mine)?)?;
                if sent {
                    // The other core ended early only by panicking, which the scope raises.
                    let Ok(done) = texts.recv() else { break };
                    let (n, text) = done?;
                    rows.batch(out, n, &text)?;
                }
            }
            Ok(())
        })?;
    }
    rows.close(out)
}

/// The text of `rows`, none of them the first of its document, as [`Rows::row`] writes them.
fn batch(rows: &[JsonRow]) -> std::io::Result<Vec<u8>> {
    let (mut pretty, mut text) = (Vec::new(), Vec::new());
    for row in rows {
        indent(false, row, &mut pretty, &mut text)?;
    }
    Ok(text)
}

/// Appends `row` to `out` as the pretty printer writes it, every line indented by two levels,
/// after the separator from the row before (none before the `first`). `pretty` is scratch.
fn indent(
    first: bool,
    row: &(impl serde::Serialize + ?Sized),
    pretty: &mut Vec<u8>,
    out: &mut Vec<u8>,
) -> std::io::Result<()> {
    pretty.clear();
    serde_json::to_writer_pretty(&mut *pretty, row)?;
    out.extend_from_slice(if first { b"\n    " } else { b",\n    " });
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', pretty) {
        out.extend_from_slice(&pretty[start..end]);
        out.extend_from_slice(b"\n    ");
        start = end + 1;
    }
    out.extend_from_slice(&pretty[start..]);
    Ok(())
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

    /// Written a row at a time, the document is what the pretty printer writes whole: in
    /// batches on two cores too, however many rows the last batches hold.
    #[test]
    fn rows_written_one_at_a_time_are_the_pretty_printers_document() {
        let many = |n: usize| -> Vec<Value> {
            (0..n)
                .map(|k| json!({"id": format!("T-{k}"), "n": k, "units": ["市农业局", "b"]}))
                .collect()
        };
        let sizes = [
            BATCH - 1,
            BATCH,
            BATCH + 1,
            2 * BATCH,
            2 * BATCH + 1,
            3 * BATCH + 7,
        ];
        for rows in sizes.map(many).into_iter().chain([
            vec![],
            vec![json!({"id": "T-1", "units": ["a", "b"], "nested": {"x": [1, {"y": null}]}})],
            vec![json!({"note": "一\n二"}), json!([]), json!({}), json!("s")],
        ]) {
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
