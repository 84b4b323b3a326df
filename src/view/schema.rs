//! The JSON interface, declared once: the vocabulary (every key any document uses, with its
//! meaning and type) and the shape of each document. `plantrack schema` prints the JSON Schema
//! built from these declarations; the README's vocabulary table and the tests are checked
//! against them.
//!
//! Every document is an envelope: `schema`, `plan`, `as_of`, `lang`, the report's own header
//! keys, then `rows`.

use serde_json::{Map, Value, json};

/// The type of a key's value.
#[derive(Clone, Copy, Debug)]
pub enum Ty {
    Str,
    Int,
    Num,
    Bool,
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM`.
    Month,
    /// An array of strings (ids, names).
    Strs,
    /// An array of integers (years).
    Ints,
    /// An object with these keys (each from the vocabulary).
    Obj(&'static [&'static str]),
    /// An array of objects with these keys.
    Objs(&'static [&'static str]),
    /// An object of counts by code (`{"green": 3, …}`).
    Counts,
    /// Any JSON value (the plan diff's old and new values).
    Any,
}

/// A key of the vocabulary.
pub struct Key {
    pub name: &'static str,
    pub ty: Ty,
    /// Whether the value may be null.
    pub null: bool,
    pub meaning: &'static str,
}

const fn key(name: &'static str, ty: Ty, null: bool, meaning: &'static str) -> Key {
    Key {
        name,
        ty,
        null,
        meaning,
    }
}

use Ty::*;

const FIELD_CHANGE: &[&str] = &["field", "old", "new", "summary"];
const DUE_ITEM: &[&str] = &["id", "title", "due", "effective_due"];
const ENTRY: &[&str] = &[
    "entry",
    "id",
    "recorded_id",
    "date",
    "value",
    "reported_status",
    "note",
    "unit",
    "recorded_at",
    "supersedes",
    "superseded_by",
    "plan_fingerprint",
];

/// A row of `plantrack export`: every stored field of an entry, with its chain hash.
const EXPORTED: &[&str] = &crate::store::EXPORT_FIELDS;

/// Every key, once. Sorted by name.
pub const VOCABULARY: &[Key] = &[
    key(
        "actual",
        Num,
        true,
        "the judged value: the latest value reported on or before the as-of date",
    ),
    key(
        "actual_before",
        Num,
        true,
        "the judged value at the end of the previous month",
    ),
    key(
        "actual_date",
        Date,
        true,
        "the report date of `actual` (or of the latest status)",
    ),
    key("aliases", Strs, false, "other names a unit is known by"),
    key(
        "as_of",
        Date,
        false,
        "the date the document was computed for",
    ),
    key(
        "baseline",
        Obj(&["value", "date"]),
        true,
        "a target's starting value and its date",
    ),
    key(
        "change",
        Str,
        false,
        "how a part of the plan changed: added, removed, renamed, changed",
    ),
    key(
        "col",
        Int,
        true,
        "a column in the plan file, counted from 1",
    ),
    key("commit", Str, false, "a git commit, abbreviated"),
    key(
        "comparator",
        Str,
        false,
        "at_least, at_most, equal or about",
    ),
    key(
        "cooperating",
        Strs,
        false,
        "ids of the units that cooperate on an item (配合): named, not chased or charged",
    ),
    key(
        "cycle",
        Str,
        true,
        "a reporting cycle: 2020-03, 2020-Q1, 2020-H1 or 2020",
    ),
    key(
        "cycles_missed",
        Int,
        false,
        "reporting cycles in which the unit did not report",
    ),
    key(
        "cycles_reported",
        Int,
        false,
        "reporting cycles in which the unit reported",
    ),
    key(
        "date",
        Date,
        true,
        "the date an entry reports on; a baseline's date; the date of a point",
    ),
    key(
        "days_left",
        Int,
        true,
        "days from the as-of date to the deadline (negative when past); null once met",
    ),
    key("days_overdue", Int, false, "days since the deadline"),
    key(
        "direction",
        Str,
        false,
        "which way is better for a target: more, less or neither",
    ),
    key(
        "due",
        Date,
        true,
        "the item's own deadline; null when the plan horizon applies",
    ),
    key(
        "due_soon",
        Objs(DUE_ITEM),
        false,
        "items due within the reminder window",
    ),
    key(
        "effective_due",
        Date,
        false,
        "the deadline that applies: the item's own, or the plan horizon",
    ),
    key("entry", Int, false, "a ledger entry number"),
    key(
        "expected",
        Num,
        true,
        "the value expected by now on the straight line to the target (序时进度)",
    ),
    key("field", Str, false, "a key of the plan file that changed"),
    key(
        "fields",
        Objs(FIELD_CHANGE),
        false,
        "the facts that changed",
    ),
    key("file", Str, false, "a file a problem was found in"),
    key(
        "from",
        Str,
        false,
        "how the old side of a plan diff was named: a file, or REV:PATH",
    ),
    key("green", Int, false, "items with a green light"),
    key(
        "hash",
        Str,
        false,
        "a ledger entry's SHA-256 chain hash, lowercase hex",
    ),
    key(
        "history",
        Objs(ENTRY),
        false,
        "the item's ledger entries, newest first",
    ),
    key(
        "id",
        Str,
        false,
        "an item id (measure, target or milestone); in the plan diff, the id of the changed part",
    ),
    key(
        "item",
        Str,
        true,
        "in assessment rows: the item a point is for",
    ),
    key(
        "item_count",
        Int,
        false,
        "items the unit is responsible for",
    ),
    key(
        "items",
        Strs,
        false,
        "ids of the items a unit is responsible for",
    ),
    key(
        "kind",
        Str,
        false,
        "measure, target or milestone; in the plan diff also plan, section or unit",
    ),
    key(
        "lang",
        Str,
        false,
        "the language of the words in the document: zh or en",
    ),
    key(
        "last_report",
        Date,
        true,
        "the date of the unit's latest report; null when it never reported",
    ),
    key(
        "lead",
        Strs,
        false,
        "ids of the units that lead an item (牵头); every responsible unit when they are jointly responsible (按职责分工负责)",
    ),
    key(
        "lead_basis",
        Str,
        false,
        "text when the document names the lead; duty when the plan reads it from the units' duties (an interpretation)",
    ),
    key(
        "ledger_head",
        Obj(&["entry", "hash"]),
        true,
        "the ledger's chain head a bulletin was made from (台账校验码); `check --anchor ENTRY:HASH` proves the ledger still extends it",
    ),
    key(
        "level",
        Num,
        true,
        "the level reported, for a target relative to its baseline (whose `actual` is the change in percent)",
    ),
    key("light", Str, false, "green, yellow or red"),
    key(
        "light_before",
        Str,
        false,
        "the light at the end of the previous month",
    ),
    key("lights", Counts, false, "items by light"),
    key("line", Int, true, "a line in the plan file, counted from 1"),
    key("max", Num, true, "the largest value an update may report"),
    key(
        "measure",
        Str,
        false,
        "the id of the measure an item belongs to",
    ),
    key("measures", Strs, false, "ids of a section's measures"),
    key(
        "members",
        Objs(&["unit", "actual", "actual_date", "status", "light"]),
        false,
        "for a target assigned to a group with members: each member's own value, its date, status and light",
    ),
    key("message", Str, false, "a problem, in words"),
    key(
        "met_on_time",
        Int,
        false,
        "items due in the period and met by their deadline",
    ),
    key("metric", Str, false, "what a target measures"),
    key("milestones", Strs, false, "ids of a measure's milestones"),
    key("min", Num, true, "the smallest value an update may report"),
    key("month", Month, false, "the month a bulletin covers"),
    key("name", Str, false, "a unit's official name"),
    key("new", Any, true, "the value after the change"),
    key("note", Str, true, "a note"),
    key(
        "notice",
        Str,
        false,
        "a reminder notice (催办), ready to send",
    ),
    key(
        "number",
        Str,
        false,
        "a section's or measure's number as the document writes it",
    ),
    key("old", Any, true, "the value before the change"),
    key("overdue", Objs(DUE_ITEM), false, "overdue items"),
    key(
        "overdue_count",
        Int,
        false,
        "items overdue at the end of the period",
    ),
    key(
        "overdue_ids",
        Strs,
        false,
        "ids of the unit's overdue items",
    ),
    key(
        "percent",
        Num,
        true,
        "the actual as a percentage of the target",
    ),
    key(
        "period",
        Int,
        true,
        "the year judged, for a target set per year",
    ),
    key(
        "plan",
        Str,
        true,
        "the plan's id (null in `check` when the plan cannot be read)",
    ),
    key(
        "plan_fingerprint",
        Str,
        false,
        "the fingerprint of the plan file an entry was recorded against",
    ),
    key(
        "plan_revisions",
        Objs(&["commit", "date", "subject", "change", "summary"]),
        false,
        "the git commits in which the item changed, newest first",
    ),
    key(
        "points",
        Num,
        false,
        "points added (positive) or deducted (negative)",
    ),
    key("previous_id", Str, true, "the id a renamed part had"),
    key(
        "previous_ids",
        Strs,
        false,
        "ids an item had before it was renamed",
    ),
    key(
        "quote",
        Str,
        true,
        "the sentence of the source document an item comes from",
    ),
    key(
        "rank",
        Int,
        false,
        "the rank by score; equal scores share a rank",
    ),
    key(
        "reason",
        Str,
        false,
        "why the light is what it is, in words",
    ),
    key(
        "recorded_at",
        Str,
        false,
        "when an entry was recorded: RFC 3339 with the local offset",
    ),
    key(
        "recorded_id",
        Str,
        false,
        "the item id an entry was recorded under (a former id after a rename)",
    ),
    key("red", Int, false, "items with a red light"),
    key(
        "relative",
        Bool,
        false,
        "whether the target is a change in percent from its baseline",
    ),
    key(
        "reply_by",
        Date,
        true,
        "the date the notices ask for a report by",
    ),
    key(
        "reported",
        Str,
        false,
        "what an update of the target reports: level, increment or running",
    ),
    key(
        "reported_status",
        Str,
        true,
        "a status as reported: not_started, in_progress, done or blocked",
    ),
    key(
        "reported_this_cycle",
        Bool,
        false,
        "whether the unit reported in the current reporting cycle",
    ),
    key(
        "role",
        Str,
        false,
        "a unit's part in an item: lead, cooperating or joint",
    ),
    key("rows", Objs(&[]), false, "the document's rows"),
    key("rule", Str, false, "the assessment rule a point comes from"),
    key("schema", Str, false, "plantrack/<report>/<version>"),
    key("score", Num, false, "the unit's assessment score"),
    key("section", Str, false, "a section id"),
    key("severity", Str, false, "error or warning"),
    key(
        "since",
        Date,
        false,
        "the start of the current reporting cycle",
    ),
    key("standings", Counts, false, "targets by status"),
    key(
        "status",
        Str,
        false,
        "the judgement: met, on_track, behind, overdue or no_data",
    ),
    key("subject", Str, false, "a git commit's subject line"),
    key(
        "successor",
        Str,
        true,
        "the item that likely replaced a removed one",
    ),
    key("summary", Str, false, "the change in words"),
    key(
        "superseded_by",
        Int,
        true,
        "the entry that corrects this one",
    ),
    key("supersedes", Int, true, "the entry this one corrects"),
    key(
        "sustained",
        Bool,
        false,
        "whether the target is a level held to its deadline",
    ),
    key("target", Num, false, "a target's value"),
    key(
        "target_changed",
        Str,
        false,
        "how the target changed since it was last reported (only when it did)",
    ),
    key("targets", Strs, false, "ids of a measure's targets"),
    key(
        "text",
        Str,
        false,
        "a measure's text as the document writes it",
    ),
    key("title", Str, false, "an item's title"),
    key(
        "to",
        Str,
        false,
        "how the new side of a plan diff was named: a file, or REV:PATH",
    ),
    key("tolerance", Num, true, "the tolerance of an `about` target"),
    key(
        "type",
        Str,
        false,
        "the kind of row, in documents with several",
    ),
    key("unit", Str, true, "a responsible unit's id (责任单位)"),
    key(
        "unit_kind",
        Str,
        false,
        "department, district, enterprise, agency or group",
    ),
    key(
        "unit_of_measure",
        Str,
        false,
        "a target's unit of measure (计量单位)",
    ),
    key("units", Strs, false, "ids of the responsible units"),
    key("updates", Int, false, "entries recorded in the month"),
    key("upper", Num, true, "the upper bound of a range target"),
    key(
        "value",
        Num,
        true,
        "a value as reported; a baseline's value",
    ),
    key("within", Int, false, "the reminder window, in days"),
    key("year", Int, false, "the year an assessment covers"),
    key(
        "years",
        Ints,
        false,
        "the years a target is set for, one instance each",
    ),
    key("yellow", Int, false, "items with a yellow light"),
];

/// The keys of one kind of row; `tag` is its `type` (its first key), in documents with several
/// kinds. A key starting with `?` may be left out.
pub struct Shape {
    pub tag: Option<&'static str>,
    pub keys: &'static [&'static str],
    /// Keys around `keys`: before them, and after them.
    pub around: (&'static [&'static str], &'static [&'static str]),
}

/// One kind of document.
pub struct Document {
    pub report: &'static str,
    pub version: u32,
    /// Header keys besides the envelope's own.
    pub header: &'static [&'static str],
    pub rows: &'static [Shape],
}

const fn rows(keys: &'static [&'static str]) -> Shape {
    Shape {
        tag: None,
        keys,
        around: (&[], &[]),
    }
}

/// `keys` with `before` and `after` around them: an item in `show` is its listing's object
/// with its kind first and its history last.
const fn around(
    before: &'static [&'static str],
    keys: &'static [&'static str],
    after: &'static [&'static str],
) -> Shape {
    Shape {
        tag: None,
        keys,
        around: (before, after),
    }
}

const fn tagged(tag: &'static str, keys: &'static [&'static str]) -> Shape {
    Shape {
        tag: Some(tag),
        keys,
        around: (&[], &[]),
    }
}

const OVERDUE_ITEM: &[&str] = &[
    "id",
    "kind",
    "title",
    "measure",
    "due",
    "effective_due",
    "days_overdue",
    "actual",
    "reported_status",
    "actual_date",
    "units",
    "lead",
    "lead_basis",
    "cooperating",
    "status",
    "light",
    "reason",
];
const UNREPORTED_UNIT: &[&str] = &["unit", "name", "last_report", "since"];
const TARGET: &[&str] = &[
    "id",
    "measure",
    "metric",
    "unit_of_measure",
    "comparator",
    "target",
    "tolerance",
    "upper",
    "due",
    "effective_due",
    "period",
    "units",
    "actual",
    "level",
    "actual_date",
    "percent",
    "expected",
    "days_left",
    "status",
    "light",
    "reason",
    "?target_changed",
    "?members",
];
const MEASURE: &[&str] = &[
    "id",
    "number",
    "section",
    "title",
    "text",
    "units",
    "lead",
    "due",
    "effective_due",
    "note",
    "previous_ids",
];
const LISTED_TARGET: &[&str] = &[
    "id",
    "measure",
    "metric",
    "unit_of_measure",
    "comparator",
    "target",
    "tolerance",
    "upper",
    "direction",
    "relative",
    "reported",
    "years",
    "sustained",
    "min",
    "max",
    "baseline",
    "due",
    "effective_due",
    "units",
    "quote",
    "note",
    "previous_ids",
];
const MILESTONE: &[&str] = &[
    "id",
    "measure",
    "title",
    "due",
    "effective_due",
    "units",
    "quote",
    "note",
    "previous_ids",
];
/// What `show` adds after an item's listing.
const SHOWN: &[&str] = &["?plan_revisions", "history"];
const SHOWN_MEASURE: &[&str] = &["targets", "milestones", "?plan_revisions", "history"];
const UNIT: &[&str] = &["unit", "name", "unit_kind", "aliases", "items", "note"];

/// Every document, by the name `plantrack schema` takes.
pub const DOCUMENTS: &[Document] = &[
    Document {
        report: "overdue",
        version: 1,
        header: &[],
        rows: &[
            tagged("overdue_item", OVERDUE_ITEM),
            tagged("unreported_unit", UNREPORTED_UNIT),
        ],
    },
    Document {
        report: "by-target",
        version: 1,
        header: &[],
        rows: &[rows(TARGET)],
    },
    Document {
        report: "by-department",
        version: 1,
        header: &[],
        rows: &[rows(&[
            "unit",
            "name",
            "unit_kind",
            "item_count",
            "green",
            "yellow",
            "red",
            "overdue_ids",
            "last_report",
            "reported_this_cycle",
        ])],
    },
    Document {
        report: "by-department-unit",
        version: 1,
        header: &["unit"],
        rows: &[rows(&[
            "id",
            "kind",
            "role",
            "title",
            "due",
            "effective_due",
            "status",
            "light",
            "reason",
        ])],
    },
    Document {
        report: "monthly",
        version: 1,
        header: &["month", "ledger_head"],
        rows: &[
            tagged("summary", &["lights", "standings", "updates"]),
            tagged(
                "update",
                &[
                    "entry",
                    "id",
                    "date",
                    "value",
                    "reported_status",
                    "unit",
                    "note",
                ],
            ),
            tagged("light_change", &["id", "light_before", "light"]),
            tagged(
                "target_move",
                &["id", "actual_before", "actual", "unit_of_measure"],
            ),
            tagged("overdue_item", OVERDUE_ITEM),
            tagged("unreported_unit", UNREPORTED_UNIT),
            tagged("target", TARGET),
        ],
    },
    Document {
        report: "assess",
        version: 1,
        header: &["year"],
        rows: &[rows(&[
            "rank",
            "unit",
            "name",
            "unit_kind",
            "score",
            "cycles_reported",
            "cycles_missed",
            "met_on_time",
            "overdue_count",
        ])],
    },
    Document {
        report: "assess-unit",
        version: 1,
        header: &["year", "unit"],
        rows: &[rows(&[
            "unit", "rule", "points", "cycle", "item", "date", "reason",
        ])],
    },
    Document {
        report: "remind",
        version: 1,
        header: &["within", "reply_by"],
        rows: &[rows(&[
            "unit",
            "name",
            "last_report",
            "reported_this_cycle",
            "due_soon",
            "overdue",
            "notice",
        ])],
    },
    Document {
        report: "history",
        version: 1,
        header: &[],
        rows: &[rows(ENTRY)],
    },
    Document {
        report: "export",
        version: 1,
        header: &[],
        rows: &[rows(EXPORTED)],
    },
    Document {
        report: "show",
        version: 1,
        header: &[],
        rows: &[
            around(&["kind"], MEASURE, SHOWN_MEASURE),
            around(&["kind"], LISTED_TARGET, SHOWN),
            around(&["kind"], MILESTONE, SHOWN),
            rows(UNIT),
        ],
    },
    Document {
        report: "list-sections",
        version: 1,
        header: &[],
        rows: &[rows(&["section", "number", "title", "measures"])],
    },
    Document {
        report: "list-measures",
        version: 1,
        header: &[],
        rows: &[rows(MEASURE)],
    },
    Document {
        report: "list-targets",
        version: 1,
        header: &[],
        rows: &[rows(LISTED_TARGET)],
    },
    Document {
        report: "list-milestones",
        version: 1,
        header: &[],
        rows: &[rows(MILESTONE)],
    },
    Document {
        report: "list-units",
        version: 1,
        header: &[],
        rows: &[rows(UNIT)],
    },
    Document {
        report: "check",
        version: 1,
        header: &[],
        rows: &[rows(&["severity", "file", "line", "col", "message"])],
    },
    Document {
        report: "diff",
        version: 1,
        header: &["from", "to"],
        rows: &[rows(&[
            "kind",
            "id",
            "title",
            "change",
            "previous_id",
            "successor",
            "summary",
            "fields",
        ])],
    },
];

/// The document named `report`.
pub fn document(report: &str) -> Option<&'static Document> {
    DOCUMENTS.iter().find(|d| d.report == report)
}

/// The vocabulary's entry for `name`.
pub fn vocabulary(name: &str) -> Option<&'static Key> {
    VOCABULARY.iter().find(|k| k.name == name)
}

impl Document {
    /// `plantrack/<report>/<version>`.
    pub fn id(&self) -> String {
        format!("plantrack/{}/{}", self.report, self.version)
    }

    /// The JSON Schema (draft 2020-12) of the document.
    pub fn json_schema(&self) -> Value {
        let mut props = Map::new();
        props.insert("schema".into(), json!({"const": self.id()}));
        let mut required: Vec<&str> = vec!["schema", "plan", "as_of", "lang"];
        for k in ["plan", "as_of", "lang"].iter().chain(self.header) {
            props.insert(k.to_string(), key_schema(k));
        }
        required.extend(self.header);
        let shapes: Vec<Value> = self.rows.iter().map(shape_schema).collect();
        let row = if shapes.len() == 1 {
            shapes.into_iter().next().unwrap_or(Value::Null)
        } else {
            json!({"oneOf": shapes})
        };
        props.insert("rows".into(), json!({"type": "array", "items": row}));
        required.push("rows");
        json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": self.id(),
            "title": format!("plantrack {}", self.report),
            "type": "object",
            "properties": props,
            "required": required,
            "additionalProperties": false,
        })
    }
}

fn object_schema(keys: &[&str], tag: Option<&str>) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    if let Some(tag) = tag {
        props.insert("type".into(), json!({"const": tag}));
        required.push("type");
    }
    for k in keys {
        let (name, optional) = match k.strip_prefix('?') {
            Some(name) => (name, true),
            None => (*k, false),
        };
        props.insert(name.to_string(), key_schema(name));
        if !optional {
            required.push(name);
        }
    }
    json!({
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": false,
    })
}

fn shape_schema(s: &Shape) -> Value {
    let keys: Vec<&str> = s.keys_in_order().collect();
    object_schema(&keys, s.tag)
}

impl Shape {
    /// Every key of the row, in order.
    pub fn keys_in_order(&self) -> impl Iterator<Item = &'static str> {
        let (before, after) = self.around;
        before.iter().chain(self.keys).chain(after).copied()
    }
}

/// The schema of one key's value, from the vocabulary. An unknown key is a bug in the
/// declarations above, which a test catches; it accepts nothing.
fn key_schema(name: &str) -> Value {
    let Some(k) = vocabulary(name) else {
        return json!(false);
    };
    let mut v = match k.ty {
        Str => json!({"type": "string"}),
        Int => json!({"type": "integer"}),
        Num => json!({"type": "number"}),
        Bool => json!({"type": "boolean"}),
        Date => json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
        Month => json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"}),
        Strs => json!({"type": "array", "items": {"type": "string"}}),
        Ints => json!({"type": "array", "items": {"type": "integer"}}),
        Obj(keys) => object_schema(keys, None),
        Objs(keys) => json!({"type": "array", "items": object_schema(keys, None)}),
        Counts => json!({"type": "object", "additionalProperties": {"type": "integer"}}),
        Any => json!({}),
    };
    if k.null {
        v = json!({"anyOf": [v, {"type": "null"}]});
    }
    v
}

/// How the vocabulary table in the README writes a type.
pub fn type_text(k: &Key) -> String {
    let base = match k.ty {
        Str => "string".to_string(),
        Int => "integer".into(),
        Num => "number".into(),
        Bool => "boolean".into(),
        Date => "date".into(),
        Month => "month".into(),
        Strs => "array of strings".into(),
        Ints => "array of integers".into(),
        Obj(keys) => format!("object ({})", keys.join(", ")),
        Objs([]) => "array of objects".into(),
        Objs(keys) => format!("array of objects ({})", keys.join(", ")),
        Counts => "object of counts".into(),
        Any => "any".into(),
    };
    if k.null {
        format!("{base} or null")
    } else {
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_key_is_in_the_vocabulary_once_and_sorted() {
        let names: Vec<&str> = VOCABULARY.iter().map(|k| k.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted, "sorted, each once");
        let nested = VOCABULARY.iter().flat_map(|k| match k.ty {
            Obj(keys) | Objs(keys) => keys,
            _ => &[][..],
        });
        let used = DOCUMENTS
            .iter()
            .flat_map(|d| {
                d.header
                    .iter()
                    .copied()
                    .chain(d.rows.iter().flat_map(|s| s.keys_in_order()))
            })
            .chain(nested.copied());
        for k in used {
            let k = k.trim_start_matches('?');
            assert!(vocabulary(k).is_some(), "{k} is not in the vocabulary");
        }
    }
}
