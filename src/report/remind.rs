//! `remind`: reminders (催办). One notice per unit that owes a report in the current cycle or
//! has items not met that fall due soon, ready to paste into a message: what is missing, what is
//! due and when, and what is already overdue.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::Serialize;

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
        let silent: HashSet<&UnitId> = facts.silent_units(plan).iter().map(|u| &u.id).collect();
        let notices = plan
            .units
            .iter()
            .filter(|u| !plan.is_supervisor(&u.id))
            .filter_map(|u| {
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
            })
            .collect();
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
