//! [`Item`]: one view over the three kinds of thing progress is reported on.

use chrono::NaiveDate;

use super::*;

/// A uniform view of anything progress is reported on.
#[derive(Clone, Copy, Debug)]
pub enum Item<'p> {
    Measure(&'p Measure),
    Target(&'p Target),
    Milestone(&'p Milestone),
}

impl<'p> Item<'p> {
    pub fn id(self) -> &'p ItemId {
        match self {
            Item::Measure(m) => &m.id,
            Item::Target(t) => &t.id,
            Item::Milestone(m) => &m.id,
        }
    }

    pub fn kind(self) -> ItemKind {
        match self {
            Item::Measure(_) => ItemKind::Measure,
            Item::Target(_) => ItemKind::Target,
            Item::Milestone(_) => ItemKind::Milestone,
        }
    }

    /// A short human title: the measure title, the target's metric, the milestone title.
    pub fn title(self) -> &'p str {
        match self {
            Item::Measure(m) => &m.title,
            Item::Target(t) => &t.metric,
            Item::Milestone(m) => &m.title,
        }
    }

    /// The measure this item belongs to (a measure belongs to itself).
    pub fn measure(self) -> &'p ItemId {
        match self {
            Item::Measure(m) => &m.id,
            Item::Target(t) => &t.measure,
            Item::Milestone(m) => &m.measure,
        }
    }

    pub fn own_due(self) -> Option<NaiveDate> {
        match self {
            Item::Measure(m) => m.due,
            Item::Target(t) => t.due,
            Item::Milestone(m) => m.due,
        }
    }

    pub fn units(self) -> &'p [UnitId] {
        match self {
            Item::Measure(m) => &m.units,
            Item::Target(t) => &t.units,
            Item::Milestone(m) => &m.units,
        }
    }

    /// The units that lead (牵头): the stated lead, else every responsible unit, jointly
    /// responsible (按职责分工负责).
    pub fn lead(self) -> &'p [UnitId] {
        let stated = match self {
            Item::Measure(m) => &m.lead,
            Item::Target(t) => &t.lead,
            Item::Milestone(m) => &m.lead,
        };
        if stated.is_empty() {
            self.units()
        } else {
            stated
        }
    }

    /// Whether the lead is the document's words or the plan's reading by duty.
    pub fn lead_basis(self) -> LeadBasis {
        match self {
            Item::Measure(m) => m.lead_basis,
            Item::Target(t) => t.lead_basis,
            Item::Milestone(m) => m.lead_basis,
        }
    }

    /// The units that cooperate (配合): responsible, but not leading.
    pub fn cooperating(self) -> Vec<&'p UnitId> {
        let lead = self.lead();
        self.units().iter().filter(|u| !lead.contains(u)).collect()
    }

    /// The role `unit` has for this item, if any.
    pub fn role_of(self, unit: &UnitId) -> Option<Role> {
        if !self.units().contains(unit) {
            None
        } else if self.lead().len() == self.units().len() {
            Some(Role::Joint)
        } else if self.lead().contains(unit) {
            Some(Role::Lead)
        } else {
            Some(Role::Cooperating)
        }
    }

    pub fn note(self) -> Option<&'p str> {
        match self {
            Item::Measure(m) => m.note.as_deref(),
            Item::Target(t) => t.note.as_deref(),
            Item::Milestone(m) => m.note.as_deref(),
        }
    }

    pub fn previous_ids(self) -> &'p [ItemId] {
        match self {
            Item::Measure(m) => &m.previous_ids,
            Item::Target(t) => &t.previous_ids,
            Item::Milestone(m) => &m.previous_ids,
        }
    }

    /// The current id and every former id: ledger entries may be recorded under any of them.
    pub fn all_ids(self) -> Vec<&'p str> {
        std::iter::once(self.id().as_str())
            .chain(self.previous_ids().iter().map(ItemId::as_str))
            .collect()
    }

    pub fn as_target(self) -> Option<&'p Target> {
        match self {
            Item::Target(t) => Some(t),
            _ => None,
        }
    }

    /// The unit its values are reported in: a target's unit of measure; empty for measures
    /// and milestones, which report a status.
    pub fn value_unit(self) -> &'p str {
        self.as_target().map_or("", |t| t.unit.as_str())
    }
}
