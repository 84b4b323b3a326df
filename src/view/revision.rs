//! The plan diff for people (one row per changed part, its changes in words: `target 90 % →
//! 95 %, deadline 2020-12-31 → 2021-06-30`) and for scripts (JSON with old and new values).

use serde_json::json;

use super::document;
use crate::doc::{Block, Cell, Doc, JsonDoc, Table, View};
use crate::i18n::Lang;
use crate::revision::{Change, FactValue, FieldChange, PartDiff};

pub struct PlanDiffView<'a> {
    /// The new plan's id.
    pub plan: &'a str,
    pub as_of: chrono::NaiveDate,
    /// How the two sides were named on the command line.
    pub old: &'a str,
    pub new: &'a str,
    pub changes: &'a [PartDiff],
}

/// What a key of the plan file is called in a sentence, where that is not the key itself.
const LABELS: &[(&str, &str)] = &[
    ("value", "target"),
    ("unit", "unit of measure"),
    ("due", "deadline"),
    ("previous_ids", "former ids"),
    ("issued_inferred", "issue date inferred"),
    ("reporting_cycle", "reporting cycle"),
    ("missing_measures", "missing measures"),
    ("missing_sections", "missing sections"),
    ("assessment.base", "assessment base"),
    ("assessment.reported_cycle", "points per cycle reported"),
    ("assessment.missed_cycle", "points per cycle missed"),
    ("assessment.met_on_time", "points per item met on time"),
    ("assessment.overdue", "points per item overdue"),
    ("assessment.met_late", "points per item met late"),
];

fn label(key: &'static str) -> &'static str {
    LABELS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, l)| l)
}

/// What a fact the plan does not state means.
fn absent(key: &str) -> &'static str {
    match key {
        "due" => "plan horizon",
        "units" => "the measure's units",
        _ => "none",
    }
}

/// Characters of context shown on each side of a short text change.
const CONTEXT: usize = 6;
/// A text change longer than this (on either side) is only counted.
const SHORT: usize = 20;

impl FieldChange {
    /// The change in words: `target 90 % → 95 %`, `units +water −agri`,
    /// `text changed (+12/−3 characters)`.
    pub fn describe(&self, lang: Lang) -> String {
        let name = lang.t(label(self.key));
        let shown = |v: &Option<FactValue>| match v {
            Some(v) => v.text(),
            None => format!("({})", lang.t(absent(self.key))),
        };
        let is_list = |v: &Option<FactValue>| matches!(v, None | Some(FactValue::List(_)));
        let long = |v: &Option<FactValue>| match v {
            Some(FactValue::Long(s)) => Some(s.clone()),
            _ => None,
        };
        match (&self.old, &self.new) {
            (old, new) if long(old).is_some() || long(new).is_some() => text_change(
                name,
                &long(old).unwrap_or_default(),
                &long(new).unwrap_or_default(),
                lang,
            ),
            // Units left out are the measure's: not an empty list.
            (old, new)
                if is_list(old)
                    && is_list(new)
                    && (self.key != "units" || (old.is_some() && new.is_some())) =>
            {
                list_change(name, old.as_ref(), new.as_ref(), lang)
            }
            (old, new) => format!("{name} {} → {}", shown(old), shown(new)),
        }
    }
}

fn items(v: Option<&FactValue>) -> Vec<String> {
    match v {
        Some(FactValue::List(items)) => items.clone(),
        _ => Vec::new(),
    }
}

/// `units +water −agri`; a list with the same members in another order is `reordered`.
fn list_change(name: &str, old: Option<&FactValue>, new: Option<&FactValue>, lang: Lang) -> String {
    let (old, new) = (items(old), items(new));
    let added = new
        .iter()
        .filter(|x| !old.contains(x))
        .map(|x| format!("+{x}"));
    let removed = old
        .iter()
        .filter(|x| !new.contains(x))
        .map(|x| format!("−{x}"));
    let parts: Vec<String> = added.chain(removed).collect();
    if parts.is_empty() {
        lang.fill(
            "{field} reordered: {list}",
            &[("field", name.to_string()), ("list", new.join(", "))],
        )
    } else {
        format!("{name} {}", parts.join(" "))
    }
}

/// `quote changed (+1/−1 characters): “…年底前达到90%以上” → “…年底前达到95%以上”`; the excerpt
/// only when the changed stretch is short.
fn text_change(name: &str, old: &str, new: &str, lang: Lang) -> String {
    let (old, new): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..]
        .iter()
        .rev()
        .zip(new[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (removed, added) = (old.len() - prefix - suffix, new.len() - prefix - suffix);
    let mut s = lang.fill(
        "{field} changed (+{added}/−{removed} characters)",
        &[
            ("field", name.to_string()),
            ("added", added.to_string()),
            ("removed", removed.to_string()),
        ],
    );
    if added.max(removed) <= SHORT {
        let excerpt = |text: &[char]| {
            let start = prefix.saturating_sub(CONTEXT);
            let end = (text.len() - suffix + CONTEXT).min(text.len());
            let mut e: String = text[start..end].iter().collect();
            if start > 0 {
                e.insert(0, '…');
            }
            if end < text.len() {
                e.push('…');
            }
            e
        };
        s.push_str(&format!(": “{}” → “{}”", excerpt(&old), excerpt(&new)));
    }
    s
}

impl PartDiff {
    /// Everything that changed about this part, in one line.
    pub fn describe(&self, lang: Lang) -> String {
        let fields = self
            .fields
            .iter()
            .map(|f| f.describe(lang))
            .collect::<Vec<_>>()
            .join(", ");
        let title = self.title.clone();
        match self.change {
            Change::Added => lang.fill("added: {title}", &[("title", title)]),
            Change::Removed => match &self.successor {
                Some(s) => lang.fill("removed: now a former id of {id}", &[("id", s.clone())]),
                None => lang.fill("removed: {title}", &[("title", title)]),
            },
            Change::Renamed => {
                let from = self.previous_id.clone().unwrap_or_default();
                let renamed = lang.fill("renamed from {id}", &[("id", from)]);
                if fields.is_empty() {
                    renamed
                } else {
                    format!("{renamed}; {fields}")
                }
            }
            Change::Changed => fields,
        }
    }
}

impl View for PlanDiffView<'_> {
    fn doc(&self, lang: Lang) -> Doc<'_> {
        let title = lang.fill(
            "Plan changes: {old} → {new}",
            &[("old", self.old.to_string()), ("new", self.new.to_string())],
        );
        if self.changes.is_empty() {
            return Doc {
                title,
                blocks: vec![Block::Text(lang.t("No plan-level changes.").to_string())],
            };
        }
        let mut t = Table::new(None, &[lang.t("Kind"), lang.t("Id"), lang.t("Change")]);
        for c in self.changes {
            t.rows.push(vec![
                Cell::text(lang.t(c.part.as_str())),
                Cell::text(&c.id),
                Cell::Text(c.describe(lang)),
            ]);
        }
        Doc {
            title,
            blocks: vec![Block::Table(t)],
        }
    }

    fn json(&self, lang: Lang) -> JsonDoc<'_> {
        let rows = self.changes.iter().map(move |c| {
            json!({
                "kind": c.part,
                "id": c.id,
                "change": c.change,
                "previous_id": c.previous_id,
                "successor": c.successor,
                "title": c.title,
                "fields": c.fields.iter().map(|f| json!({
                    "field": f.key,
                    "old": f.old.as_ref().map(FactValue::json),
                    "new": f.new.as_ref().map(FactValue::json),
                    "summary": f.describe(lang),
                })).collect::<Vec<_>>(),
                "summary": c.describe(lang),
            })
        });
        let header = [("from", json!(self.old)), ("to", json!(self.new))];
        document("diff", self.plan, self.as_of, lang, header, rows)
    }
}
