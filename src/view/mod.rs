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
pub mod show;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

use crate::doc::{Cell, Tone};
use crate::i18n::Lang;
pub use crate::judge::reading_text;
use crate::model::Light;

/// A row as its JSON object, with `extra` keys added or replacing the row's own. A row
/// serializes what it holds as data; what exists only in words for a reader (a reason in the
/// reader's language, a `type` tag) is added here.
pub(crate) fn json_row<const N: usize>(row: &impl Serialize, extra: [(&str, Value); N]) -> Value {
    // Rows are structs of plain fields, which always serialize.
    let mut v = serde_json::to_value(row).unwrap_or(Value::Null);
    for (key, value) in extra {
        v[key] = value;
    }
    v
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
