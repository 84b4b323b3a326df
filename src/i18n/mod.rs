//! Every user-facing word of the reports, in English and Chinese, in one table.
//!
//! Code writes the English text and asks [`Lang::t`] for the reader's language; the table
//! below is the only place a translation lives. Plan content is never translated.

use std::borrow::Cow;
use std::sync::LazyLock;

use clap::ValueEnum;
use foldhash::HashMap;
use serde::{Deserialize, Serialize};

mod check_words;
mod words;

use check_words::CHECK_WORDS;
use words::WORDS;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// English
    En,
    /// 中文
    Zh,
}

impl Lang {
    /// `zh` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The language a locale asks for: `zh_*` gives Chinese, anything else English.
    pub fn from_locale(locale: Option<&str>) -> Lang {
        match locale {
            Some(l) if l.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }

    /// `english` in this language. A phrase missing from the table stays English.
    pub fn t(self, english: &'static str) -> &'static str {
        match self {
            // Codes (`on_track`) read as words; everything else is English already.
            Lang::En => CODES_IN_ENGLISH
                .iter()
                .find(|(code, _)| *code == english)
                .map_or(english, |(_, words)| words),
            Lang::Zh => CHINESE.get(english).copied().unwrap_or(english),
        }
    }

    /// The translation of `english`, if the table has one (Chinese only).
    pub fn t_or_none(self, english: &str) -> Option<&'static str> {
        match self {
            Lang::En => None,
            Lang::Zh => CHINESE.get(english).copied(),
        }
    }

    /// A template with `{name}` placeholders, translated and then filled in.
    ///
    /// In one pass over the translated template: a value is never searched for placeholders
    /// itself, and a brace that opens no argument's placeholder stays as it is.
    pub fn fill(self, template: &str, args: &[(&str, String)]) -> String {
        let template = self.t_or_none(template).unwrap_or(template);
        let room = template.len() + args.iter().map(|(_, v)| v.len()).sum::<usize>();
        let mut text = String::with_capacity(room);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            text.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let arg = after.find('}').and_then(|close| {
                let name = &after[..close];
                let (_, value) = args.iter().find(|(n, _)| *n == name)?;
                Some((close, value))
            });
            match arg {
                Some((close, value)) => {
                    text.push_str(value);
                    rest = &after[close + 1..];
                }
                None => {
                    text.push('{');
                    rest = after;
                }
            }
        }
        text.push_str(rest);
        text
    }
}

/// A sentence for the user, kept as its English template and arguments until the reader's
/// language is known (an error raised deep in a command is printed in Chinese at the edge).
///
/// A message is kept as it is made, template and arguments, wherever it is kept (the plan
/// cache keeps the plan's warnings), so that it is read in the language of the run that
/// prints it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    template: Cow<'static, str>,
    args: Vec<(Cow<'static, str>, Arg)>,
}

/// A value in a [`Message`]: text as it is (an id, a number, a date), or a message of its own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum Arg {
    Text(String),
    Message(Message),
}

/// How many characters of typed input an error message echoes.
pub const ECHO_LIMIT: usize = 80;

impl Message {
    pub fn new(template: &'static str) -> Message {
        Message {
            template: Cow::Borrowed(template),
            args: Vec::new(),
        }
    }

    /// Fills `{name}` with `value`, shown as it is in every language. A message is filled in
    /// with [`Message::with_message`], or it would stay English: debug builds (the tests)
    /// refuse one here.
    pub fn with<T: ToString>(mut self, name: &'static str, value: T) -> Message {
        debug_assert!(
            !std::any::type_name::<T>().contains("i18n::Message"),
            "{{{name}}} is a message: fill it with with_message, in the reader's language"
        );
        self.args
            .push((Cow::Borrowed(name), Arg::Text(value.to_string())));
        self
    }

    /// Fills `{name}` with what the user typed, echoed safely: hostile characters escaped and
    /// cut at [`ECHO_LIMIT`] characters, so that a 130 KB value is not printed back whole.
    pub fn with_input(self, name: &'static str, typed: &str) -> Message {
        let mut shown: String = crate::doc::visible(typed)
            .chars()
            .take(ECHO_LIMIT + 1)
            .collect();
        if shown.chars().count() > ECHO_LIMIT {
            shown = shown.chars().take(ECHO_LIMIT).collect::<String>() + "…";
        }
        self.with(name, shown)
    }

    /// `n` of something: `one` when it is one, else `many` with `{n}` filled (none included).
    pub fn count(one: &'static str, many: &'static str, n: usize) -> Message {
        match n {
            1 => Message::new(one),
            n => Message::new(many).with("n", n),
        }
    }

    /// Fills `{name}` with another message, in the same language.
    pub fn with_message(mut self, name: &'static str, value: Message) -> Message {
        self.args.push((Cow::Borrowed(name), Arg::Message(value)));
        self
    }

    pub fn text(&self, lang: Lang) -> String {
        let args: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    Arg::Text(t) => t.clone(),
                    Arg::Message(m) => m.text(lang),
                };
                (name.as_ref(), value)
            })
            .collect();
        lang.fill(&self.template, &args)
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// A message carried inside another error (an `std::io::Error` plantrack makes itself), so that
/// it is still read in the reader's language where the error is reported.
#[derive(Debug)]
pub struct Said(pub Message);

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Said {}

impl Said {
    /// An `std::io::Error` that says `message`.
    pub fn io(message: Message) -> std::io::Error {
        std::io::Error::other(Said(message))
    }
}

impl From<&std::io::Error> for Message {
    /// What an I/O error says: plantrack's own words ([`Said`]) in the reader's language, the
    /// system's as they are.
    fn from(e: &std::io::Error) -> Message {
        match e.get_ref().and_then(|inner| inner.downcast_ref::<Said>()) {
            Some(Said(message)) => message.clone(),
            None => Message::from(e.to_string()),
        }
    }
}

/// Text that has no translation (a message from git, a path): shown as it is.
impl From<String> for Message {
    fn from(text: String) -> Message {
        Message::new("{text}").with("text", text)
    }
}

impl From<&'static str> for Message {
    fn from(template: &'static str) -> Message {
        Message::new(template)
    }
}

/// Codes that English output shows as words, never raw.
const CODES_IN_ENGLISH: &[(&str, &str)] = &[
    ("on_track", "on track"),
    ("no_data", "no data"),
    ("met_late", "met late"),
    ("fell_back", "fell back"),
    ("due_soon", "due soon"),
    ("not_started", "not started"),
    ("in_progress", "in progress"),
    ("at_least", "at least"),
    ("at_most", "at most"),
    ("more_than", "more than"),
    ("less_than", "less than"),
    ("half_yearly", "half-yearly"),
];

/// [`WORDS`] and [`CHECK_WORDS`] by their English: looked up for cells of every row of a report, where a search
/// of the list took a microsecond a call (a fifth of drawing 66,000 targets).
static CHINESE: LazyLock<HashMap<&str, &str>> =
    LazyLock::new(|| WORDS.iter().chain(CHECK_WORDS).copied().collect());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_picks_language() {
        assert_eq!(Lang::from_locale(Some("zh_CN.UTF-8")), Lang::Zh);
        assert_eq!(Lang::from_locale(Some("en_US.UTF-8")), Lang::En);
        assert_eq!(Lang::from_locale(None), Lang::En);
    }

    /// Every placeholder is filled, each as often as it occurs; a value is text, never a
    /// template of its own; a brace that names no argument stays.
    #[test]
    fn fill_puts_each_value_in_its_placeholders() {
        let args = [("a", "{b}".to_string()), ("b", "二".to_string())];
        let filled = Lang::En.fill("{a}-{b}-{a} {c} {", &args);
        assert_eq!(filled, "{b}-二-{b} {c} {");
        assert_eq!(Lang::En.fill("no braces", &[]), "no braces");
    }

    /// The string literal that starts `code` (after `"`), as Rust reads it: escaped quotes and
    /// backslashes, and line continuations.
    fn literal(code: &str) -> Option<String> {
        let mut out = String::new();
        let mut chars = code.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' => return Some(out),
                '\\' => match chars.next()? {
                    '\n' => {
                        while chars.peek().is_some_and(|c| c.is_whitespace()) {
                            chars.next();
                        }
                    }
                    'n' => out.push('\n'),
                    other => out.push(other),
                },
                c => out.push(c),
            }
        }
        None
    }

    /// Every message the code builds from a template has a Chinese translation.
    #[test]
    fn every_message_is_translated() {
        let mut missing = Vec::new();
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut dirs = vec![src];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                // These files only define messages (and this test names the call it looks for).
                if path.parent().is_some_and(|p| p.ends_with("i18n")) {
                    continue;
                }
                let code = std::fs::read_to_string(&path).unwrap();
                // `Message::new("…")`, `Message::count("…", "…", n)`, and the plan's
                // `about(what, "…")` and `f.on_key("…", key)`, whose template is the first
                // literal in the call (not clap's `.about(…)`); a count's second template is
                // the literal after its first.
                let code = code.as_str();
                let calls = ["Message::new(", " about(", "on_key(", "Message::count("];
                let calls = calls.into_iter().flat_map(|call| {
                    code.match_indices(call)
                        .map(move |(i, _)| &code[i + call.len()..])
                });
                let many = code.match_indices("Message::count(").filter_map(|(i, _)| {
                    let rest = &code[i..];
                    rest.find("\", \"").map(|k| &rest[k + 3..])
                });
                for rest in calls.chain(many) {
                    let quote = rest.find('"').unwrap_or(rest.len());
                    if rest.find([')', ';']).is_some_and(|end| end < quote) {
                        continue;
                    }
                    let Some(template) = rest.get(quote + 1..).and_then(literal) else {
                        continue;
                    };
                    // A template of placeholders and flags only has nothing to translate.
                    let words = template
                        .split(|c: char| !c.is_ascii_alphabetic())
                        .filter(|w| w.len() > 1)
                        .count();
                    let placeholders = template.matches('{').count();
                    let flags = template.matches("--").count();
                    if words > placeholders + flags && Lang::Zh.t_or_none(&template).is_none() {
                        missing.push(format!("{}: {template}", path.display()));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "no Chinese for:\n{}",
            missing.join("\n")
        );
    }

    /// A translation fills the same placeholders as its English: none lost, none made up.
    #[test]
    fn every_translation_has_its_placeholders() {
        let names = |text: &str| {
            let mut names: Vec<String> = text
                .split('{')
                .skip(1)
                .filter_map(|rest| Some(rest.split_once('}')?.0.to_string()))
                .collect();
            names.sort();
            names.dedup();
            names
        };
        for (en, zh) in WORDS.iter().chain(CHECK_WORDS) {
            assert_eq!(names(en), names(zh), "{en} → {zh}");
        }
    }

    #[test]
    fn every_phrase_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for (en, _) in WORDS.iter().chain(CHECK_WORDS) {
            assert!(seen.insert(en), "{en} is listed twice");
        }
        assert_eq!(Lang::Zh.t("Targets"), "指标");
    }
}
