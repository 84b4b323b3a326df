//! Diagnostics that point into a source file: `file:line:col: error: message`, then the line
//! with a caret under the offending span, in the style of a compiler.

use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use unicode_width::UnicodeWidthStr;

use crate::i18n::{Lang, Message};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: String,
    pub line: usize,
    pub col: usize,
    pub message: Message,
    /// The source line and the display columns `[start, end)` to underline.
    pub snippet: Option<(String, usize, usize)>,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// A diagnostic about a whole file, with no position (line and column 1).
    pub fn file_level(path: &str, message: impl Into<Message>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.to_string(),
            line: 1,
            col: 1,
            message: message.into(),
            snippet: None,
        }
    }
}

impl Diagnostic {
    /// `file:line:col: error: message`, then the line with a caret under the span, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let level = lang.t(match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        });
        let mut text = format!(
            "{}:{}:{}: {level}: {}",
            self.path,
            self.line,
            self.col,
            self.message.text(lang)
        );
        if let Some((line, start, end)) = &self.snippet {
            let gutter = " ".repeat(self.line.to_string().len());
            let carets = "^".repeat((end - start).max(1));
            let indent = " ".repeat(*start);
            let n = self.line;
            text += &format!("\n{gutter} |\n{n} | {line}\n{gutter} | {indent}{carets}");
        }
        text
    }
}

/// In English, as logs and tests read it.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// Maps byte offsets of one text to lines and columns.
pub struct SourceMap<'a> {
    pub path: &'a str,
    text: &'a str,
    /// Where each line starts: found on the first diagnostic, as a valid plan needs none (a
    /// province's plan has a million lines).
    line_starts: OnceLock<Vec<usize>>,
}

impl<'a> SourceMap<'a> {
    pub fn new(path: &'a str, text: &'a str) -> Self {
        SourceMap {
            path,
            text,
            line_starts: OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// The 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts().partition_point(|&s| s <= offset)
    }

    /// The text of `span`, clamped to the file.
    pub fn slice(&self, span: Range<usize>) -> &'a str {
        let end = span.end.min(self.text.len());
        self.text.get(span.start.min(end)..end).unwrap_or_default()
    }

    /// A diagnostic at `span`; the column counts characters, 1-based.
    pub fn at(&self, severity: Severity, span: Range<usize>, message: Message) -> Diagnostic {
        let start = span.start.min(self.text.len());
        let line_idx = self.line_of(start) - 1;
        let line_start = self.line_starts()[line_idx];
        let line_end = self.text[line_start..]
            .find('\n')
            .map_or(self.text.len(), |i| line_start + i);
        let line_text = &self.text[line_start..line_end];
        let before = &self.text[line_start..start];
        let end = span.end.clamp(start, line_end);
        let marked = &self.text[start..end];
        Diagnostic {
            severity,
            path: self.path.to_string(),
            line: line_idx + 1,
            col: before.chars().count() + 1,
            message,
            snippet: Some((
                line_text.to_string(),
                before.width(),
                before.width() + marked.width(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_carets_count_display_width() {
        let text = "a = 1\ntitle = \"农业\" # x\n";
        let map = SourceMap::new("p.toml", text);
        let start = text.find('"').unwrap();
        let d = map.at(Severity::Error, start..start + 8, "bad".into());
        assert_eq!((d.line, d.col), (2, 9));
        assert_eq!(
            d.to_string(),
            "p.toml:2:9: error: bad\n  |\n2 | title = \"农业\" # x\n  |         ^^^^^^"
        );
    }

    /// The plan cache keeps a plan's warnings: one written by an English run is read back as
    /// the same message, and printed in Chinese by a Chinese run.
    #[test]
    fn a_kept_diagnostic_is_read_in_the_language_of_the_run_that_prints_it() {
        let text = "quote = \"90%以上\"\n";
        let map = SourceMap::new("p.toml", text);
        let what = Message::new("{kind} {id}")
            .with_message("kind", "target".into())
            .with("id", "T-1");
        let message = Message::new("{what}: `{key}` must not be empty")
            .with_message("what", what)
            .with("key", "quote");
        let d = map.at(Severity::Warning, 8..text.len() - 1, message);
        let kept: Diagnostic = postcard::from_bytes(&postcard::to_allocvec(&d).unwrap()).unwrap();
        assert_eq!(kept.to_string(), d.to_string());
        assert!(
            kept.to_string()
                .starts_with("p.toml:1:9: warning: target T-1: `quote` must not be empty\n")
        );
        assert!(
            kept.text(Lang::Zh)
                .starts_with("p.toml:1:9: 警告: 指标 T-1:`quote` 不能为空\n")
        );
    }
}
