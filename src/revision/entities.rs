//! A plan as the diff sees it: every part (the plan itself, sections, measures, targets,
//! milestones, units) as an id with a list of facts. Comparing two plans is then comparing
//! facts, and `diff --textconv` prints the facts one a line.

use serde_json::{Value, json};

use crate::doc::number;
use crate::model::*;

str_enum! {
    /// What a part of the plan is, in the order a reader goes through a plan.
    pub enum Part {
        Plan = "plan",
        Section = "section",
        Measure = "measure",
        Target = "target",
        Milestone = "milestone",
        Unit = "unit",
    }
}

impl Part {
    /// Measures, targets and milestones share one namespace of ids, and may be renamed.
    pub fn is_item(self) -> bool {
        matches!(self, Part::Measure | Part::Target | Part::Milestone)
    }
}

/// The value of one fact.
#[derive(Clone, Debug, PartialEq)]
pub enum FactValue {
    /// A short value, shown whole: a date, a name, a comparator.
    Short(String),
    /// A long text (a measure's text, a quote), summarized when it changes.
    Long(String),
    /// A list of ids or names, compared as a set.
    List(Vec<String>),
    /// A number in a unit of measure (`90 %`); the unit may be empty.
    Number(f64, String),
}

/// A plan's number as the plan writes it, every digit kept: a change from 90 to 90.001 must
/// read as one (reports round to two decimals; a diff must not).
fn as_written(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

impl FactValue {
    /// The value as one line of text.
    pub fn text(&self) -> String {
        match self {
            FactValue::Short(s) | FactValue::Long(s) => s.clone(),
            FactValue::List(items) => items.join(", "),
            FactValue::Number(n, unit) if unit.is_empty() => as_written(*n),
            FactValue::Number(n, unit) => format!("{} {unit}", as_written(*n)),
        }
    }

    pub fn json(&self) -> Value {
        match self {
            FactValue::Short(s) | FactValue::Long(s) => json!(s),
            FactValue::List(items) => json!(items),
            FactValue::Number(n, _) => json!(n),
        }
    }
}

/// One fact: a key of the plan file (`value`, `due`, `units`) and its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    pub key: &'static str,
    pub value: FactValue,
}

/// One part of a plan with everything the diff compares.
#[derive(Clone, Debug)]
pub struct Entity {
    pub part: Part,
    pub id: String,
    /// A short human title, for "added" and "removed".
    pub title: String,
    pub previous_ids: Vec<String>,
    pub facts: Vec<Fact>,
}

impl Entity {
    pub fn fact(&self, key: &str) -> Option<&FactValue> {
        self.facts.iter().find(|f| f.key == key).map(|f| &f.value)
    }
}

/// Collects facts, leaving out the ones a plan does not state.
struct Facts(Vec<Fact>);

impl Facts {
    fn short(&mut self, key: &'static str, value: impl ToString) -> &mut Self {
        self.0.push(Fact {
            key,
            value: FactValue::Short(value.to_string()),
        });
        self
    }

    fn opt_short(&mut self, key: &'static str, value: Option<impl ToString>) -> &mut Self {
        if let Some(v) = value {
            self.short(key, v);
        }
        self
    }

    fn long(&mut self, key: &'static str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            self.0.push(Fact {
                key,
                value: FactValue::Long(v.to_string()),
            });
        }
        self
    }

    fn list<T: ToString>(&mut self, key: &'static str, items: &[T]) -> &mut Self {
        if !items.is_empty() {
            self.0.push(Fact {
                key,
                value: FactValue::List(items.iter().map(T::to_string).collect()),
            });
        }
        self
    }

    fn number(&mut self, key: &'static str, n: Option<f64>, unit: &str) -> &mut Self {
        if let Some(n) = n {
            self.0.push(Fact {
                key,
                value: FactValue::Number(n, unit.to_string()),
            });
        }
        self
    }

    fn done(&mut self) -> Vec<Fact> {
        std::mem::take(&mut self.0)
    }
}

/// Every part of the plan, in file order within each kind.
pub fn entities(plan: &Plan) -> Vec<Entity> {
    std::iter::once(plan_entity(plan))
        .chain(plan.sections.iter().map(section_entity))
        .chain(plan.items().map(|i| item_entity(plan, i)))
        .chain(plan.units.iter().map(unit_entity))
        .collect()
}

fn plan_entity(plan: &Plan) -> Entity {
    let m = &plan.meta;
    let a = &plan.assessment;
    let facts = Facts(Vec::new())
        .short("title", &m.title)
        .short("issuer", &m.issuer)
        .short("issued", m.issued)
        .opt_short("issued_inferred", m.issued_inferred.then_some(true))
        .short("horizon", m.horizon)
        .short("reporting_cycle", m.reporting_cycle)
        .opt_short("supervisor", m.supervisor.as_ref())
        .list("missing_measures", &m.missing_measures)
        .list("missing_sections", &m.missing_sections)
        .long("note", m.note.as_deref())
        .number("assessment.base", Some(a.base), "")
        .number("assessment.reported_cycle", Some(a.reported_cycle), "")
        .number("assessment.missed_cycle", Some(a.missed_cycle), "")
        .number("assessment.met_on_time", Some(a.met_on_time), "")
        .number("assessment.overdue", Some(a.overdue), "")
        .number("assessment.met_late", Some(a.met_late), "")
        .number(
            "assessment.cooperating_share",
            Some(a.cooperating_share),
            "",
        )
        .short("assessment.joint_in_full", a.joint_in_full)
        .done();
    Entity {
        part: Part::Plan,
        id: m.id.clone(),
        title: m.title.clone(),
        previous_ids: Vec::new(),
        facts,
    }
}

fn section_entity(s: &Section) -> Entity {
    Entity {
        part: Part::Section,
        id: s.id.to_string(),
        title: format!("{} {}", s.number, s.title),
        previous_ids: Vec::new(),
        facts: Facts(Vec::new())
            .short("number", &s.number)
            .short("title", &s.title)
            .done(),
    }
}

/// An item's units when they are its own; units inherited from the measure are the measure's
/// facts, so that a unit added to a measure is reported once, not once per target.
fn own_units<'p>(plan: &'p Plan, item: Item<'p>) -> &'p [UnitId] {
    let inherited = plan
        .measure(item.measure().as_str())
        .is_some_and(|m| *m.units == *item.units());
    if inherited { &[] } else { item.units() }
}

pub fn item_entity(plan: &Plan, item: Item<'_>) -> Entity {
    let mut f = Facts(Vec::new());
    match item {
        Item::Measure(m) => f
            .short("section", &m.section)
            .short("number", &m.number)
            .short("title", &m.title)
            .long("text", Some(&m.text))
            .list("units", &m.units)
            .list("lead", &m.lead),
        Item::Target(t) => f
            .short("measure", &t.measure)
            .short("metric", &t.metric)
            .short("unit", &t.unit)
            .short("comparator", t.comparator)
            .number("value", Some(t.value), &t.unit)
            .number("tolerance", t.tolerance, &t.unit)
            .opt_short(
                "baseline",
                t.baseline
                    .map(|b| format!("{} {} ({})", number(b.value), t.unit, b.date)),
            ),
        Item::Milestone(m) => f.short("measure", &m.measure).short("title", &m.title),
    };
    f.opt_short("due", item.own_due());
    match item {
        Item::Target(t) => f.long("quote", Some(&t.quote)),
        Item::Milestone(m) => f.long("quote", m.quote.as_deref()),
        Item::Measure(_) => &mut f,
    };
    if !matches!(item, Item::Measure(_)) {
        f.list("units", own_units(plan, item));
    }
    let note = match item {
        Item::Measure(m) => m.note.as_deref(),
        Item::Target(t) => t.note.as_deref(),
        Item::Milestone(m) => m.note.as_deref(),
    };
    f.long("note", note)
        .list("previous_ids", item.previous_ids());
    Entity {
        part: match item.kind() {
            ItemKind::Measure => Part::Measure,
            ItemKind::Target => Part::Target,
            ItemKind::Milestone => Part::Milestone,
        },
        id: item.id().to_string(),
        title: item.title().to_string(),
        previous_ids: item.previous_ids().iter().map(ItemId::to_string).collect(),
        facts: f.done(),
    }
}

fn unit_entity(u: &Unit) -> Entity {
    Entity {
        part: Part::Unit,
        id: u.id.to_string(),
        title: u.name.clone(),
        previous_ids: Vec::new(),
        facts: Facts(Vec::new())
            .short("name", &u.name)
            .list("aliases", &u.aliases)
            .short("kind", u.kind)
            .long("note", u.note.as_deref())
            .done(),
    }
}

/// The plan as sorted lines, one fact a line (`target T-toilet: value = 90 %`), for git's
/// textconv: moving a table in the file changes no line, changing a value changes one.
pub fn plan_text(plan: &Plan) -> String {
    let mut all = entities(plan);
    all.sort_by(|a, b| (a.part, &a.id).cmp(&(b.part, &b.id)));
    let mut out = String::new();
    for e in &all {
        for f in &e.facts {
            // A text may hold a line break; it stays on its fact's line.
            let value = f.value.text().replace('\n', "\\n");
            out.push_str(&format!("{} {}: {} = {value}\n", e.part, e.id, f.key));
        }
    }
    out
}
