//! The source document a plan was encoded from. Quotes are checked against a cleaned copy:
//! page-chunk numbers stripped where the plan says so, then each recorded OCR fix applied.

use std::path::{Path, PathBuf};

use super::fields::Sink;
use super::read::SourceSpec;
use crate::i18n::Message;

/// Where the source named by `spec` is: relative to the plan file at `plan_path`. `None` when
/// the plan names no file.
pub fn path(spec: &SourceSpec, plan_path: &Path) -> Option<PathBuf> {
    if spec.file.value.is_empty() {
        return None;
    }
    Some(
        plan_path
            .parent()
            .unwrap_or(Path::new("."))
            .join(&spec.file.value),
    )
}

/// Reads (with `read`) and cleans the source named by `spec`, relative to the plan file at
/// `plan_path`.
pub fn load(
    spec: &SourceSpec,
    plan_path: &Path,
    read: &dyn Fn(&Path) -> std::io::Result<String>,
    sink: &mut Sink,
) -> Option<String> {
    let path = path(spec, plan_path)?;
    let raw = match read(&path) {
        Ok(text) => text,
        Err(e) => {
            sink.error(
                spec.file.span.clone(),
                Message::new("source: cannot read {path}: {why}")
                    .with("path", path.display())
                    .with_message("why", (&e).into()),
            );
            return None;
        }
    };
    let mut text = clean(&raw.replace("\r\n", "\n"), spec.strip_chunk_numbers);
    for (from, to) in &spec.fixes {
        if !text.contains(from.value.as_str()) {
            sink.error(
                from.span.clone(),
                Message::new("source fix: \"{text}\" does not occur in the source document")
                    .with("text", &from.value),
            );
        }
        text = text.replace(from.value.as_str(), to);
    }
    Some(text)
}

/// Joins the lines of a source text, dropping a leading page-chunk number (`12、`) from each
/// line when `strip_chunk_numbers` is set.
pub fn clean(raw: &str, strip_chunk_numbers: bool) -> String {
    raw.lines()
        .map(|line| {
            let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            match line[digits..].strip_prefix('、') {
                Some(rest) if strip_chunk_numbers && digits > 0 => rest,
                _ => line,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_chunk_numbers_and_joins_lines() {
        let raw = "1、一、总体要求。推进\n2、乡村振兴。\n3 .主要目标\n";
        assert_eq!(clean(raw, true), "一、总体要求。推进乡村振兴。3 .主要目标");
        assert_eq!(
            clean(raw, false),
            "1、一、总体要求。推进2、乡村振兴。3 .主要目标"
        );
    }
}
