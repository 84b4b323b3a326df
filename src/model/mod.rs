//! The trusted model of a plan, of ledger entries and of the ledger's facts on a date.
//!
//! Everything here has been validated by [`crate::plan`]: downstream code (store, reports,
//! renderers) takes a `&Plan` and never re-checks it. No I/O happens in this module.

mod calendar;
mod item;
mod ledger;
mod plan;

pub use calendar::{Month, cycle_start, parse_date, window_start};
pub use item::Item;
pub use ledger::{
    Entry, Fact, ItemFacts, NewEntry, Reading, Recorded, Snapshot, StoredRow, Terms, UnitFacts,
    Values, YearValues,
};
pub use plan::*;

use serde::{Deserialize, Serialize};

/// Declares a string-backed enum whose one string mapping lives here, with `as_str`, `ALL`,
/// `parse` and serde support (an unknown string fails to deserialize).
macro_rules! str_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }

            /// The accepted spellings, for error messages.
            pub fn choices() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// Its spelling in a text format (TOML, JSON), its place in [`Self::ALL`] in a
        /// binary one (the plan's cache, the kept facts): a byte, read without a string.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match s.is_human_readable() {
                    true => s.serialize_str(self.as_str()),
                    false => s.serialize_u8(*self as u8),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                use serde::de::Error;
                if !d.is_human_readable() {
                    let at = <u8 as serde::Deserialize>::deserialize(d)?;
                    return Self::ALL.get(usize::from(at)).copied().ok_or_else(|| {
                        D::Error::invalid_value(
                            serde::de::Unexpected::Unsigned(u64::from(at)),
                            &stringify!($name),
                        )
                    });
                }
                let text = <String as serde::Deserialize>::deserialize(d)?;
                $name::parse(&text).ok_or_else(|| D::Error::unknown_variant(&text, &[$($text),+]))
            }
        }
    };
}

pub(crate) use str_enum;

/// Declares a newtype id over a string kept inline up to 24 bytes (every id of a plan):
/// 100,000 ids are 100,000 fewer allocations.
macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub compact_str::CompactString);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(
    /// Id of a measure, target or milestone: one namespace, so `show` and `update` take any.
    ItemId
);
/// Id of a responsible unit. A province's plan names a few hundred units hundreds of
/// thousands of times (every item's units and lead), so each id's text is kept once per
/// thread and shared: a copy is a pointer (9 MB less at 100,000 items).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitId(std::sync::Arc<str>);

thread_local! {
    /// Every unit id made on this thread: as many as the plans and ledgers read name.
    static UNIT_IDS: std::cell::RefCell<foldhash::HashSet<std::sync::Arc<str>>> =
        Default::default();
}

impl UnitId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for UnitId {
    fn from(id: &str) -> UnitId {
        UNIT_IDS.with_borrow_mut(|ids| match ids.get(id) {
            Some(shared) => UnitId(shared.clone()),
            None => {
                let shared: std::sync::Arc<str> = id.into();
                ids.insert(shared.clone());
                UnitId(shared)
            }
        })
    }
}

impl From<String> for UnitId {
    fn from(id: String) -> UnitId {
        UnitId::from(id.as_str())
    }
}

impl std::fmt::Display for UnitId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::borrow::Borrow<str> for UnitId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl Serialize for UnitId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for UnitId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<UnitId, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = UnitId;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a unit id")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<UnitId, E> {
                Ok(UnitId::from(v))
            }
        }
        d.deserialize_str(Text)
    }
}
id_type!(
    /// Id of a section.
    SectionId
);

str_enum! {
    /// How a target's actual value is compared with its target value.
    pub enum Comparator {
        AtLeast = "at_least", AtMost = "at_most", MoreThan = "more_than", LessThan = "less_than",
        Equal = "equal", About = "about", Range = "range"
    }
}

str_enum! {
    /// Which way is better for a target: more, less, or neither (a level to hold).
    pub enum Direction { More = "more", Less = "less", Neither = "neither" }
}

str_enum! {
    /// What an update of a target reports: the level reached, an increment to add to the
    /// previous ones, or a running count within the target's period.
    pub enum Reported { Level = "level", Increment = "increment", Running = "running" }
}

str_enum! {
    /// The status of a milestone or measure, as reported.
    pub enum Status { NotStarted = "not_started", InProgress = "in_progress", Done = "done", Blocked = "blocked" }
}

str_enum! {
    /// How often units must report.
    pub enum Cycle { Monthly = "monthly", Quarterly = "quarterly", HalfYearly = "half_yearly", Yearly = "yearly" }
}

str_enum! {
    /// What kind of body a responsible unit is.
    pub enum UnitKind {
        Department = "department", Government = "government", Zone = "zone",
        Enterprise = "enterprise", Stationed = "stationed", Party = "party", Group = "group",
    }
}

str_enum! {
    /// Where an item's lead comes from: the document's own words (牵头), or the plan's reading
    /// of who is in charge by duty (农村改厕 ⇒ 市农业农村局), an interpretation shown as such.
    pub enum LeadBasis { Text = "text", Duty = "duty" }
}

str_enum! {
    /// A unit's part in an item: it leads (牵头), cooperates (配合), or shares the item jointly
    /// with every other responsible unit (按职责分工负责).
    pub enum Role { Lead = "lead", Cooperating = "cooperating", Joint = "joint" }
}

str_enum! {
    /// The three kinds of item a ledger entry can be about.
    pub enum ItemKind { Measure = "measure", Target = "target", Milestone = "milestone" }
}

str_enum! {
    /// Where an item stands on a date.
    pub enum Standing {
        Met = "met", Exceeded = "exceeded", MetLate = "met_late", FellBack = "fell_back",
        OnTrack = "on_track", DueSoon = "due_soon", Behind = "behind", Blocked = "blocked",
        NotStarted = "not_started", Stale = "stale", Overdue = "overdue", Missed = "missed",
        NoData = "no_data"
    }
}

impl Standing {
    /// Met, exceeded or met late: nothing more is owed.
    pub fn is_done(self) -> bool {
        matches!(self, Standing::Met | Standing::Exceeded | Standing::MetLate)
    }

    /// Past its deadline and not met: overdue, or a period target missed.
    pub fn is_late(self) -> bool {
        matches!(self, Standing::Overdue | Standing::Missed)
    }
}

str_enum! {
    /// The traffic light.
    pub enum Light { Green = "green", Yellow = "yellow", Red = "red" }
}

impl Cycle {
    /// Length of one cycle in months.
    pub fn months(self) -> u32 {
        match self {
            Cycle::Monthly => 1,
            Cycle::Quarterly => 3,
            Cycle::HalfYearly => 6,
            Cycle::Yearly => 12,
        }
    }
}

impl Comparator {
    /// The comparator as a symbol, for tables: `≥ 90 %`.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::AtLeast => "≥",
            Comparator::AtMost => "≤",
            Comparator::MoreThan => ">",
            Comparator::LessThan => "<",
            // Full-width, so that no spreadsheet reads "= 10" as a formula.
            Comparator::Equal => "＝",
            Comparator::About => "≈",
            Comparator::Range => "∈",
        }
    }

    /// Which way is better when the plan does not say: up for at least and more than, down
    /// for at most and less than, neither for a level, a band or a range.
    pub fn direction(self) -> Direction {
        match self {
            Comparator::AtLeast | Comparator::MoreThan => Direction::More,
            Comparator::AtMost | Comparator::LessThan => Direction::Less,
            Comparator::Equal | Comparator::About | Comparator::Range => Direction::Neither,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_strings_round_trip() {
        for c in Comparator::ALL {
            assert_eq!(Comparator::parse(c.as_str()), Some(*c));
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(*s));
        }
        for c in Cycle::ALL {
            assert_eq!(Cycle::parse(c.as_str()), Some(*c));
        }
        for k in UnitKind::ALL {
            assert_eq!(UnitKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(Status::parse("finished"), None);
    }

    #[test]
    fn enums_and_ids_deserialize_from_their_strings() {
        let status: Status = serde_json::from_str("\"in_progress\"").unwrap();
        assert_eq!(status, Status::InProgress);
        let err = serde_json::from_str::<Cycle>("\"weekly\"").unwrap_err();
        assert!(
            err.to_string().contains("unknown variant `weekly`"),
            "{err}"
        );
        let id: UnitId = serde_json::from_str("\"agri\"").unwrap();
        assert_eq!(id, UnitId::from("agri"));
    }

    #[test]
    fn a_unit_id_is_kept_once_however_it_is_made() {
        let decoded: Vec<UnitId> =
            postcard::from_bytes(&postcard::to_stdvec(&vec!["edu", "edu"]).expect("encodes"))
                .expect("decodes");
        let made = UnitId::from(String::from("edu"));
        assert!(std::sync::Arc::ptr_eq(&decoded[0].0, &decoded[1].0));
        assert!(std::sync::Arc::ptr_eq(&decoded[0].0, &made.0));
        assert_eq!(serde_json::to_string(&made).unwrap(), "\"edu\"");
        assert_ne!(UnitId::from("edu"), UnitId::from("agri"));
    }

    #[test]
    fn comparators_judge_values() {
        assert_eq!(Comparator::AtLeast.direction(), Direction::More);
        assert_eq!(Comparator::LessThan.direction(), Direction::Less);
        assert_eq!(Comparator::Range.direction(), Direction::Neither);
    }
}
