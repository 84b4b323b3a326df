//! `remind`: reminders (催办). One notice per unit that owes a report in the current cycle or
//! has items not met that fall due soon, ready to paste into a message: what is missing, what is
//! due and when, and what is already overdue.

use std::collections::HashSet;
use std::convert::Infallible;

use chrono::NaiveDate;
use serde::Serialize;

use crate::doc::in_order;
use crate::judge::Judged;
use crate::model::*;

/// An item named in a notice.
#[derive(Clone, Debug, Serialize)]
pub struct DueItem<'p> {
    pub id: &'p ItemId,
    pub title: &'p str,
    #[serde(flatten)]
    pub deadline: Deadline,
}

/// One unit to remind.
#[derive(Clone, Debug, Serialize)]
pub struct Notice<'p> {
    pub unit: &'p UnitId,
    pub name: &'p str,
    pub last_report: Option<NaiveDate>,
    pub reported_this_cycle: bool,
    /// Items not met, due between the as-of date and `within` days later.
    pub due_soon: Vec<DueItem<'p>>,
    pub overdue: Vec<DueItem<'p>>,
}

pub struct Remind<'p> {
    pub plan: &'p Plan,
    pub as_of: NaiveDate,
    /// Start of the current reporting window (exclusive).
    pub since: NaiveDate,
    pub within: u32,
    /// The reply deadline written into each notice, if one was given.
    pub reply_by: Option<NaiveDate>,
    pub notices: Vec<Notice<'p>>,
}

impl<'p> Remind<'p> {
    pub fn compute(
        plan: &'p Plan,
        facts: &Judged,
        within: u32,
        reply_by: Option<NaiveDate>,
    ) -> Remind<'p> {
        let two_cores = plan.len() >= super::BY_UNIT_ON_TWO_CORES;
        let notices = notices(plan, facts, within, two_cores);
        Remind {
            plan,
            as_of: facts.as_of(),
            since: cycle_start(plan.meta.reporting_cycle, facts.as_of()),
            within,
            reply_by,
            notices,
        }
    }
}

/// The notices, in the plan's order of units: each unit's made on its own, on `two_cores`
/// every other unit's on the other core.
fn notices<'p>(plan: &'p Plan, facts: &Judged, within: u32, two_cores: bool) -> Vec<Notice<'p>> {
    let silent: HashSet<&UnitId> = facts.silent_units(plan).iter().map(|u| &u.id).collect();
    let units: Vec<&Unit> = plan
        .units
        .iter()
        .filter(|u| !plan.is_supervisor(&u.id))
        .collect();
    let notice = |u: &'p Unit| {
        let mut due_soon = Vec::new();
        let mut overdue = Vec::new();
        for i in plan.items_led(&u.id) {
            let v = facts.verdict_for(i, &u.id);
            let item = DueItem {
                id: i.id(),
                title: i.title(),
                deadline: plan.deadline(i),
            };
            if v.standing.is_late() {
                overdue.push(item);
            } else if v
                .days_left
                .is_some_and(|d| (0..=i64::from(within)).contains(&d))
            {
                due_soon.push(item);
            }
        }
        let owes_report = silent.contains(&u.id);
        (owes_report || !due_soon.is_empty()).then(|| {
            due_soon.sort_by_key(|d| d.deadline.applies);
            overdue.sort_by_key(|d| d.deadline.applies);
            Notice {
                unit: &u.id,
                name: &u.name,
                last_report: facts.last_report(&u.id),
                reported_this_cycle: !owes_report,
                due_soon,
                overdue,
            }
        })
    };
    let mut notices = Vec::new();
    let made = in_order(
        units.len(),
        two_cores,
        |k| notice(units[k]),
        |n| {
            notices.extend(n);
            Ok::<(), Infallible>(())
        },
    );
    let Ok(()) = made;
    notices
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On two cores, the notices are the ones made on one, in the same order.
    #[test]
    fn notices_made_on_two_cores_are_the_ones_made_on_one() {
        let plan = crate::plan::example("districts");
        let as_of = NaiveDate::from_ymd_opt(2021, 11, 15).unwrap();
        let snapshot = Snapshot::empty(as_of);
        let judged = Judged::new(&plan, &snapshot);
        let json = |two_cores| serde_json::to_value(notices(&plan, &judged, 60, two_cores));
        let one = json(false).unwrap();
        assert_eq!(json(true).unwrap(), one);
        assert!(one.as_array().is_some_and(|n| n.len() > 2), "{one}");
    }
}
