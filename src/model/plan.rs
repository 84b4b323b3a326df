//! The plan's data: its meta, sections, measures, targets, milestones and units, and the
//! id index that answers lookups in constant time.

use compact_str::CompactString;
use foldhash::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::*;

/// An item's deadline as reports show it. In JSON (flattened into a row): `due`, the item's
/// own deadline, null when the plan horizon applies (as in `list`); `effective_due`, the
/// deadline that applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Deadline {
    #[serde(rename = "due")]
    pub own: Option<NaiveDate>,
    #[serde(rename = "effective_due")]
    pub applies: NaiveDate,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlanMeta {
    pub id: String,
    pub title: String,
    pub issuer: String,
    pub issued: NaiveDate,
    pub issued_inferred: bool,
    pub horizon: NaiveDate,
    pub reporting_cycle: Cycle,
    pub supervisor: Option<UnitId>,
    /// Units responsible for every item that names none, directly or through its section.
    pub units: Vec<UnitId>,
    pub missing_measures: Vec<String>,
    pub missing_sections: Vec<String>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Section {
    pub id: SectionId,
    /// The section this one sits in (一、 → (一) → 1.); `None` at the top.
    pub parent: Option<SectionId>,
    pub number: String,
    pub title: String,
    /// Text the section carries of its own, as printed.
    pub text: Option<String>,
    /// Units responsible for every item below that names none.
    pub units: Vec<UnitId>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Measure {
    pub id: ItemId,
    pub section: SectionId,
    pub number: CompactString,
    pub title: CompactString,
    pub text: String,
    /// Every responsible unit, in the order printed.
    pub units: Box<[UnitId]>,
    /// Lead units; empty when all units are jointly responsible.
    pub lead: Box<[UnitId]>,
    /// Whether the lead is the document's or the plan's reading by duty.
    pub lead_basis: LeadBasis,
    pub due: Option<NaiveDate>,
    pub note: Option<String>,
    pub previous_ids: Box<[ItemId]>,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    pub value: f64,
    pub date: NaiveDate,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Target {
    pub id: ItemId,
    pub measure: ItemId,
    pub metric: CompactString,
    pub unit: CompactString,
    pub comparator: Comparator,
    /// The target value; the lower bound of a range.
    pub value: f64,
    pub tolerance: Option<f64>,
    /// The upper bound of a range.
    pub upper: Option<f64>,
    /// Which way is better (the comparator's own unless the plan says).
    pub direction: Direction,
    /// The target is a change in percent from the baseline (比2020年下降18%); updates report
    /// the level, and the change is worked out.
    pub relative: bool,
    /// What an update reports.
    pub reported: Reported,
    /// A target set for each of these calendar years (每年新增…, 全年…): each year is judged
    /// on its own values, against the target itself, and falls due at the year's end.
    pub years: Box<[i32]>,
    /// Held over the whole period to the deadline (稳定在, 保持): judged against the target
    /// itself throughout, and met or missed at the deadline.
    pub sustained: bool,
    /// The smallest and largest value an update may report, as the plan sets them.
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub baseline: Option<Baseline>,
    pub due: Option<NaiveDate>,
    pub quote: String,
    /// Responsible units, already defaulted to the measure's units.
    pub units: Box<[UnitId]>,
    /// Lead units, already defaulted to the measure's lead; empty when all are joint.
    pub lead: Box<[UnitId]>,
    /// Whether the lead is the document's or the plan's reading by duty (the measure's when
    /// the lead is the measure's).
    pub lead_basis: LeadBasis,
    pub note: Option<String>,
    pub previous_ids: Box<[ItemId]>,
}

/// How a value measures up to a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attainment {
    Short,
    Met,
    /// Beyond a level, band or range in the better direction (a 左右 target exceeded).
    Exceeded,
}

/// Units of measure that count whole things: a count takes whole numbers only.
const COUNT_UNITS: &[&str] = &[
    "个", "座", "户", "条", "家", "所", "项", "处", "人", "名", "次", "台", "套", "辆", "栋", "间",
    "张", "件", "只", "头", "亩", "公里",
];

impl Target {
    /// How the judged value `v` (a change in percent for a relative target) measures up.
    pub fn attainment(&self, v: f64) -> Attainment {
        const EPS: f64 = 1e-9;
        let x = self.value;
        let (lo, hi) = match self.comparator {
            Comparator::About => {
                let tol = self.tolerance.unwrap_or(0.0);
                (x - tol, x + tol)
            }
            Comparator::Range => (x, self.upper.unwrap_or(x)),
            _ => (x, x),
        };
        let met = match self.comparator {
            Comparator::AtLeast => v >= x - EPS,
            Comparator::AtMost => v <= x + EPS,
            Comparator::MoreThan => v > x + EPS,
            Comparator::LessThan => v < x - EPS,
            Comparator::Equal | Comparator::About | Comparator::Range => {
                v >= lo - EPS && v <= hi + EPS
            }
        };
        let banded = matches!(
            self.comparator,
            Comparator::Equal | Comparator::About | Comparator::Range
        );
        let beyond = match self.direction {
            Direction::More => v > hi + EPS,
            Direction::Less => v < lo - EPS,
            Direction::Neither => false,
        };
        match (met, banded && beyond) {
            (_, true) => Attainment::Exceeded,
            (true, false) => Attainment::Met,
            (false, false) => Attainment::Short,
        }
    }

    pub fn is_met_by(&self, v: f64) -> bool {
        self.attainment(v) != Attainment::Short
    }

    /// Whether values are percentages.
    pub fn is_percent(&self) -> bool {
        self.unit == "%"
    }

    /// Whether the target counts whole things (个, 座, 户…).
    pub fn is_count(&self) -> bool {
        COUNT_UNITS.contains(&self.unit.as_str()) && !self.relative
    }

    /// Judged over a period against the target itself: per year, or sustained.
    pub fn is_for_a_period(&self) -> bool {
        !self.years.is_empty() || self.sustained
    }

    /// The smallest and largest value an update may report: the plan's own bounds, else a
    /// share in percent lies in 0–100, a count is not negative, and a relative target (a level
    /// compared with its baseline) is not negative. A growth rate or change (a percentage the
    /// plan bounds itself, or a relative target's change) may take any sign.
    pub fn bounds(&self) -> (Option<f64>, Option<f64>) {
        let (lo, hi) = if self.relative || self.is_count() {
            (Some(0.0), None)
        } else if self.is_percent() {
            (Some(0.0), Some(100.0))
        } else {
            (None, None)
        };
        (self.min.or(lo), self.max.or(hi))
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Milestone {
    pub id: ItemId,
    pub measure: ItemId,
    pub title: CompactString,
    pub due: Option<NaiveDate>,
    pub quote: Option<String>,
    /// Responsible units, already defaulted to the measure's units.
    pub units: Box<[UnitId]>,
    /// Lead units, already defaulted to the measure's lead; empty when all are joint.
    pub lead: Box<[UnitId]>,
    /// Whether the lead is the document's or the plan's reading by duty (the measure's when
    /// the lead is the measure's).
    pub lead_basis: LeadBasis,
    pub note: Option<String>,
    pub previous_ids: Box<[ItemId]>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Unit {
    pub id: UnitId,
    pub name: String,
    pub aliases: Vec<String>,
    pub kind: UnitKind,
    /// A group's member units (各区人民政府 → each district): an item assigned to the group is
    /// reported, judged and charged per member. Empty: the unit reports as one.
    pub members: Vec<UnitId>,
    pub note: Option<String>,
}

/// The scoring rules of `plantrack assess`: the plan's optional `[assessment]` table. Every
/// number is a non-negative count of points; `missed_cycle` and `overdue` are deducted.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// The score every assessed unit starts from.
    pub base: f64,
    /// Added for each ended reporting cycle in which the unit recorded an entry.
    pub reported_cycle: f64,
    /// Deducted for each ended reporting cycle in which it recorded none.
    pub missed_cycle: f64,
    /// Added for each of its targets and milestones due in the year and met by the deadline.
    pub met_on_time: f64,
    /// Deducted for each of its items due in the year and still unmet at the year's end
    /// (once, in the year of the deadline).
    pub overdue: f64,
    /// Deducted for each of its items due in the year and met late within it.
    pub met_late: f64,
    /// The share of an item's points a cooperating unit (配合) bears: 0 (the default) to 1.
    pub cooperating_share: f64,
    /// Whether jointly responsible units (按职责分工负责) each bear an item's points in full,
    /// instead of an equal share (the default).
    pub joint_in_full: bool,
}

impl Default for Assessment {
    fn default() -> Self {
        Assessment {
            base: 100.0,
            reported_cycle: 1.0,
            missed_cycle: 2.0,
            met_on_time: 5.0,
            overdue: 3.0,
            met_late: 1.0,
            cooperating_share: 0.0,
            joint_in_full: false,
        }
    }
}

/// A validated plan. It deserializes from its parts through [`Plan::new`], which rebuilds the
/// index (the plan cache stores it so).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(from = "PlanParts")]
pub struct Plan {
    pub meta: PlanMeta,
    pub sections: Vec<Section>,
    pub measures: Vec<Measure>,
    pub targets: Vec<Target>,
    pub milestones: Vec<Milestone>,
    pub units: Vec<Unit>,
    /// The assessment's scoring rules, defaulted where the plan is silent.
    pub assessment: Assessment,
    /// Lookups by id, so that a province-sized plan answers in constant time. Built once by
    /// [`Plan::new`]; positions stay valid because items are never added or removed after.
    #[serde(skip)]
    index: Index,
}

/// The serialized fields of a [`Plan`], in the same order, without the index.
#[derive(Deserialize)]
struct PlanParts {
    meta: PlanMeta,
    sections: Vec<Section>,
    measures: Vec<Measure>,
    targets: Vec<Target>,
    milestones: Vec<Milestone>,
    units: Vec<Unit>,
    assessment: Assessment,
}

impl From<PlanParts> for Plan {
    fn from(p: PlanParts) -> Plan {
        Plan::new(
            p.meta,
            p.sections,
            p.measures,
            p.targets,
            p.milestones,
            p.units,
            p.assessment,
        )
    }
}

/// Where an item sits in plan order (measures, then targets, then milestones): a `u32`, so
/// that the index of a province-sized plan stays small.
type Pos = u32;

#[derive(Clone, Debug, Default, PartialEq)]
struct Index {
    /// Current ids, and former ids that no current id shadows. Ids of up to 24 bytes are
    /// kept in the map itself: a lookup (one per ledger entry read) follows no pointer.
    items: HashMap<CompactString, Pos>,
    /// Unit ids, then official names and aliases that no id shadows.
    units: HashMap<String, usize>,
    /// Each unit's items, in plan order; a group member's include its group's.
    items_of: HashMap<UnitId, Vec<Pos>>,
    /// The items assigned to a group with members, and the members who report on them.
    members: HashMap<Pos, Vec<UnitId>>,
    /// Each measure's targets and milestones, in plan order.
    children: HashMap<ItemId, Vec<Pos>>,
}

/// The number of items from which a plan's index is built on two cores.
const INDEXED_ON_TWO_CORES: usize = 10_000;

/// [`Index::items_of`], [`Index::members`] and [`Index::children`].
type ByUnitAndMeasure = (
    HashMap<UnitId, Vec<Pos>>,
    HashMap<Pos, Vec<UnitId>>,
    HashMap<ItemId, Vec<Pos>>,
);

impl Index {
    /// The index of the plan's items, on two cores or on one.
    fn of_items(plan: &Plan, two_cores: bool) -> (HashMap<CompactString, Pos>, ByUnitAndMeasure) {
        if !two_cores {
            return (Index::by_id(plan), Index::by_unit_and_measure(plan));
        }
        // The ids on one core, the rest on the other.
        crate::join(|| Index::by_id(plan), || Index::by_unit_and_measure(plan))
    }

    /// Every item by its id, then by its former ids that no current id shadows.
    fn by_id(plan: &Plan) -> HashMap<CompactString, Pos> {
        let positions = 0..plan.len() as Pos;
        // Sized once: growing a map of 100,000 ids leaves its outgrown tables behind.
        let formers: usize = plan.items().map(|i| i.previous_ids().len()).sum();
        let mut items = HashMap::with_capacity_and_hasher(plan.len() + formers, Default::default());
        for pos in positions.clone() {
            items.insert(plan.at(pos).id().as_str().into(), pos);
        }
        for pos in positions {
            for former in plan.at(pos).previous_ids() {
                items.entry(former.as_str().into()).or_insert(pos);
            }
        }
        items
    }

    /// Each unit's items, each group item's members, and each measure's parts.
    fn by_unit_and_measure(plan: &Plan) -> ByUnitAndMeasure {
        let (mut items_of, mut members, mut children) = ByUnitAndMeasure::default();
        let members_of: HashMap<&UnitId, &[UnitId]> = plan
            .units
            .iter()
            .filter(|u| !u.members.is_empty())
            .map(|u| (&u.id, u.members.as_slice()))
            .collect();
        for pos in 0..plan.len() as Pos {
            let item = plan.at(pos);
            for unit in item.units() {
                items_of.entry(unit.clone()).or_default().push(pos);
                for member in members_of.get(unit).copied().unwrap_or_default() {
                    items_of.entry(member.clone()).or_default().push(pos);
                    members.entry(pos).or_default().push(member.clone());
                }
            }
            if item.kind() != ItemKind::Measure {
                children
                    .entry(item.measure().clone())
                    .or_default()
                    .push(pos);
            }
        }
        (items_of, members, children)
    }
}

impl Plan {
    /// A plan from validated parts; builds the lookup index.
    pub fn new(
        meta: PlanMeta,
        sections: Vec<Section>,
        measures: Vec<Measure>,
        targets: Vec<Target>,
        milestones: Vec<Milestone>,
        units: Vec<Unit>,
        assessment: Assessment,
    ) -> Plan {
        let mut plan = Plan {
            meta,
            sections,
            measures,
            targets,
            milestones,
            units,
            assessment,
            index: Index::default(),
        };
        let (items, (items_of, members, children)) =
            Index::of_items(&plan, plan.len() >= INDEXED_ON_TWO_CORES);
        let mut index = Index {
            items,
            items_of,
            members,
            children,
            units: HashMap::default(),
        };
        for (i, u) in plan.units.iter().enumerate() {
            index.units.insert(u.id.to_string(), i);
        }
        for (i, u) in plan.units.iter().enumerate() {
            for key in std::iter::once(&u.name).chain(&u.aliases) {
                index.units.entry(key.clone()).or_insert(i);
            }
        }
        plan.index = index;
        plan
    }

    /// The item at a position in plan order.
    fn at(&self, pos: Pos) -> Item<'_> {
        let i = pos as usize;
        let (m, t) = (self.measures.len(), self.targets.len());
        if i < m {
            Item::Measure(&self.measures[i])
        } else if i < m + t {
            Item::Target(&self.targets[i - m])
        } else {
            Item::Milestone(&self.milestones[i - m - t])
        }
    }

    /// How many trackable items the plan has.
    pub fn len(&self) -> usize {
        self.measures.len() + self.targets.len() + self.milestones.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where `item` sits in [`Plan::items`]' order: what snapshots and verdicts are indexed
    /// by. Found from the reference itself, without a lookup; `None` for an item of another
    /// plan.
    pub fn position(&self, item: Item<'_>) -> Option<usize> {
        fn offset<T>(all: &[T], x: &T) -> Option<usize> {
            let bytes = (x as *const T as usize).checked_sub(all.as_ptr() as usize)?;
            let i = bytes / size_of::<T>().max(1);
            (i < all.len() && std::ptr::eq(&all[i], x)).then_some(i)
        }
        let (m, t) = (self.measures.len(), self.targets.len());
        match item {
            Item::Measure(x) => offset(&self.measures, x),
            Item::Target(x) => Some(m + offset(&self.targets, x)?),
            Item::Milestone(x) => Some(m + t + offset(&self.milestones, x)?),
        }
    }

    /// Where `item`, or the item of this plan with its id, sits in [`Plan::items`]' order:
    /// [`Plan::position`], and for an item of another version of the plan its id's item.
    pub fn position_of(&self, item: Item<'_>) -> Option<usize> {
        self.position(item)
            .or_else(|| self.locate(item.id().as_str()).map(|(pos, _)| pos))
    }

    /// The item with this id (or a former id) and its position.
    pub fn locate(&self, id: &str) -> Option<(usize, Item<'_>)> {
        let &pos = self.index.items.get(id)?;
        Some((pos as usize, self.at(pos)))
    }

    /// Every trackable item: measures, then targets, then milestones, each in file order.
    pub fn items(&self) -> impl Iterator<Item = Item<'_>> {
        self.measures
            .iter()
            .map(Item::Measure)
            .chain(self.targets.iter().map(Item::Target))
            .chain(self.milestones.iter().map(Item::Milestone))
    }

    /// The item with this id, or the item that lists it among its former ids.
    pub fn item(&self, id: &str) -> Option<Item<'_>> {
        self.index.items.get(id).map(|&pos| self.at(pos))
    }

    /// The deadline of an item: its own, or the plan horizon.
    pub fn due(&self, item: Item<'_>) -> NaiveDate {
        item.own_due().unwrap_or(self.meta.horizon)
    }

    /// The deadline of an item, both as the plan states it and as it applies.
    pub fn deadline(&self, item: Item<'_>) -> Deadline {
        Deadline {
            own: item.own_due(),
            applies: self.due(item),
        }
    }

    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.find_unit(id).filter(|u| u.id.as_str() == id)
    }

    /// Finds a unit by id, official name or alias.
    pub fn find_unit(&self, key: &str) -> Option<&Unit> {
        self.index.units.get(key).map(|&i| &self.units[i])
    }

    pub fn unit_name<'a>(&'a self, id: &'a UnitId) -> &'a str {
        self.unit(id.as_str())
            .map_or(id.as_str(), |u| u.name.as_str())
    }

    pub fn measure(&self, id: &str) -> Option<&Measure> {
        match self.index.items.get(id) {
            Some(&pos) => match self.at(pos) {
                Item::Measure(m) if m.id.as_str() == id => Some(m),
                _ => None,
            },
            None => None,
        }
    }

    /// The measures of a section, in file order.
    pub fn measures_in<'a>(
        &'a self,
        section: &'a SectionId,
    ) -> impl Iterator<Item = &'a Measure> + 'a {
        self.measures.iter().filter(move |m| &m.section == section)
    }

    /// The targets of a measure, in file order.
    pub fn targets_of<'a>(&'a self, measure: &'a ItemId) -> impl Iterator<Item = &'a Target> + 'a {
        self.targets.iter().filter(move |t| &t.measure == measure)
    }

    /// The milestones of a measure, in file order.
    pub fn milestones_of<'a>(
        &'a self,
        measure: &'a ItemId,
    ) -> impl Iterator<Item = &'a Milestone> + 'a {
        self.milestones
            .iter()
            .filter(move |m| &m.measure == measure)
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id.as_str() == id)
    }

    /// Whether `unit` is the supervision office (督考办), which reports on any item and is
    /// neither reminded nor assessed itself.
    pub fn is_supervisor(&self, unit: &UnitId) -> bool {
        self.meta.supervisor.as_ref() == Some(unit)
    }

    /// Whether `unit` may report on `item`: it is responsible (a member of a responsible group
    /// with members, not the group itself), or it is the supervisor.
    /// The unit is the plan's own, found by its id once: `check` asks this for every entry.
    pub fn may_report(&self, unit: &Unit, item: Item<'_>) -> bool {
        (unit.members.is_empty() && item.units().contains(&unit.id))
            || self.is_supervisor(&unit.id)
            || self.members(item).contains(&unit.id)
    }

    /// The members who report on an item assigned to a group with members; empty otherwise.
    pub fn members(&self, item: Item<'_>) -> &[UnitId] {
        if self.index.members.is_empty() {
            return &[];
        }
        self.position_of(item)
            .and_then(|pos| self.index.members.get(&(pos as Pos)))
            .map_or(&[], Vec::as_slice)
    }

    /// A measure's targets and milestones, in plan order; empty for any other item.
    pub fn children<'a>(&'a self, item: Item<'a>) -> impl Iterator<Item = Item<'a>> + 'a {
        let positions = match item {
            Item::Measure(m) => self
                .index
                .children
                .get(&m.id)
                .map_or(&[][..], Vec::as_slice),
            _ => &[],
        };
        positions.iter().map(|&pos| self.at(pos))
    }

    /// Whether an item takes its standing from its parts (a measure with targets or
    /// milestones): listed in reports, but neither counted nor charged itself, so that nothing
    /// is counted twice.
    pub fn rolls_up(&self, item: Item<'_>) -> bool {
        self.children(item).next().is_some()
    }

    /// Whether `unit` is a group whose members report in its place.
    pub fn has_members(&self, unit: &UnitId) -> bool {
        self.unit(unit.as_str())
            .is_some_and(|u| !u.members.is_empty())
    }

    /// Every item a unit is responsible for, in plan order.
    pub fn items_of<'a>(&'a self, unit: &'a UnitId) -> impl Iterator<Item = Item<'a>> + 'a {
        self.index
            .items_of
            .get(unit)
            .into_iter()
            .flatten()
            .map(|&pos| self.at(pos))
    }

    /// The items `unit` answers for: those it leads or shares jointly, not those where it only
    /// cooperates. These are what it reports on, is reminded of and is charged for.
    pub fn items_led<'a>(&'a self, unit: &'a UnitId) -> impl Iterator<Item = Item<'a>> + 'a {
        self.items_of(unit).filter(move |i| self.leads(*i, unit))
    }

    /// Whether `unit` leads `item` (or shares it jointly): itself, or as a member of a lead
    /// group. A group with members leads nothing itself: its members do.
    pub fn leads(&self, item: Item<'_>, unit: &UnitId) -> bool {
        if self.has_members(unit) {
            return false;
        }
        item.lead().iter().any(|l| {
            l == unit
                || self
                    .unit(l.as_str())
                    .is_some_and(|g| g.members.contains(unit))
        })
    }

    /// The units that answer for `item`: its lead units (every responsible unit when they are
    /// joint), a group with members standing for its members.
    pub fn answering<'a>(&'a self, item: Item<'a>) -> Vec<&'a UnitId> {
        let mut out = Vec::new();
        for l in item.lead() {
            match self.unit(l.as_str()).filter(|u| !u.members.is_empty()) {
                Some(g) => out.extend(g.members.iter()),
                None => out.push(l),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_is_the_same_built_on_two_cores() {
        for name in ["judging", "districts", "minimal"] {
            let plan = crate::plan::example(name);
            assert_eq!(
                Index::of_items(&plan, true),
                Index::of_items(&plan, false),
                "{name}"
            );
            assert!(!plan.index.children.is_empty(), "{name}");
        }
    }
}
