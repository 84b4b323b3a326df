//! Views: each report's value as a document for people ([`Doc`]) and as JSON for scripts.
//! Presentation only: the reports compute, the renderers draw.

pub mod assess;
pub mod by_department;
pub mod by_target;
pub mod history;
pub mod listing;
pub mod monthly;
pub mod overdue;
pub mod remind;
pub mod revision;
pub mod schema;
pub mod show;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::doc::{Cell, JsonDoc, JsonRow, Tone};
use crate::i18n::Lang;
pub use crate::judge::reading_text;
use crate::model::Light;

/// A row's keys, then `extra` keys (which the row does not have). A row serializes what it
/// holds as data; what exists only in words for a reader (a reason in the reader's language)
/// is added here. Serialized as it is written, without a [`Value`] for the row.
#[derive(Serialize)]
pub(crate) struct WithKeys<R> {
    #[serde(flatten)]
    row: R,
    #[serde(flatten)]
    extra: Keys,
}

/// Keys and their values, in order, as a JSON object.
pub(crate) struct Keys(Vec<(&'static str, Value)>);

impl Serialize for Keys {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

pub(crate) fn json_row<R: Serialize>(
    row: R,
    extra: impl IntoIterator<Item = (&'static str, Value)>,
) -> WithKeys<R> {
    WithKeys {
        row,
        extra: Keys(extra.into_iter().collect()),
    }
}

/// A `--format json` document: the envelope (`schema`, `plan`, `as_of`, `lang`, the report's
/// own header keys) around its `rows`. Nothing in it depends on paths or on the time of the
/// run, so the same data and `--as-of` give the same bytes.
pub fn envelope(
    report: &'static str,
    plan: &str,
    as_of: NaiveDate,
    lang: Lang,
    header: impl IntoIterator<Item = (&'static str, Value)>,
    rows: impl IntoIterator<Item = Value>,
) -> Value {
    document(report, plan, as_of, lang, header, rows).into_value()
}

/// [`envelope`] with its rows made as they are written.
pub fn document<'a>(
    report: &'static str,
    plan: &str,
    as_of: NaiveDate,
    lang: Lang,
    header: impl IntoIterator<Item = (&'static str, Value)>,
    rows: impl IntoIterator<Item = impl Serialize + Send + 'a> + 'a,
) -> JsonDoc<'a> {
    let version = schema::document(report).map_or(1, |d| d.version);
    let mut m = Map::new();
    m.insert(
        "schema".into(),
        json!(format!("plantrack/{report}/{version}")),
    );
    m.insert("plan".into(), json!(plan));
    m.insert("as_of".into(), json!(as_of));
    m.insert("lang".into(), json!(lang.code()));
    for (k, v) in header {
        m.insert(k.into(), v);
    }
    JsonDoc {
        head: m,
        rows: Box::new(rows.into_iter().map(boxed)),
    }
}

/// `row` with `key` first.
pub(crate) fn with_first(key: &str, value: Value, row: Value) -> Value {
    let mut m = Map::new();
    m.insert(key.into(), value);
    if let Value::Object(fields) = row {
        m.extend(fields);
    }
    Value::Object(m)
}

/// A row of a document with several kinds of rows: `type` first, then the row's keys (which
/// have no `type` of their own).
#[derive(Serialize)]
pub(crate) struct Tagged<R> {
    #[serde(rename = "type")]
    tag: &'static str,
    #[serde(flatten)]
    row: R,
}

/// A row among rows of other kinds.
pub(crate) fn boxed<'a>(row: impl Serialize + Send + 'a) -> JsonRow<'a> {
    Box::new(row)
}

pub(crate) fn tagged<R: Serialize>(tag: &'static str, row: R) -> Tagged<R> {
    Tagged { tag, row }
}

/// A reading as two keys: `value` for a number, `reported_status` for a status.
pub(crate) fn reading_keys(
    reading: Option<crate::model::Reading>,
    value: &'static str,
) -> [(&'static str, Value); 2] {
    [
        (value, json!(reading.and_then(|r| r.value()))),
        ("reported_status", json!(reading.and_then(|r| r.status()))),
    ]
}

/// The tone a light is drawn in.
pub fn tone(light: Light) -> Tone {
    match light {
        Light::Green => Tone::Good,
        Light::Yellow => Tone::Warn,
        Light::Red => Tone::Bad,
    }
}

/// The light as a coloured cell.
pub fn light_cell(light: Light, lang: Lang) -> Cell {
    Cell::Badge(lang.t(light.as_str()).to_string(), tone(light))
}

/// A date, or "never".
pub fn date_cell(d: Option<NaiveDate>, lang: Lang) -> Cell {
    d.map_or_else(|| Cell::text(lang.t("never")), Cell::Date)
}
