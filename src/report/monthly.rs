//! `report monthly`: the monthly bulletin (月报/通报). A summary by light and standing, what
//! changed since the previous month, overdue items by department, the departments that did not
//! report, and every target with its progress and trend.

use chrono::NaiveDate;

use super::by_target::ByTarget;
use super::overdue::Overdue;
use crate::judge::Judged;
use crate::model::*;

pub struct LightChange<'p> {
    pub item: Item<'p>,
    pub from: Light,
    pub to: Light,
}

pub struct TargetMove<'p> {
    pub target: &'p Target,
    pub from: Option<f64>,
    pub to: f64,
}

/// What the bulletin compares with from the previous month: each item's light and each
/// target's latest value (by plan position), kept instead of the month's verdicts and facts
/// (35 MB at 100,000 items).
pub struct Before {
    lights: Vec<Light>,
    values: Vec<Option<f64>>,
}

impl Before {
    pub fn of(plan: &Plan, judged: &Judged) -> Before {
        Before {
            lights: plan.items().map(|i| judged.verdict(i).light).collect(),
            values: plan
                .items()
                .map(|i| judged.latest(i).and_then(|f| f.value()))
                .collect(),
        }
    }

    fn at<T: Copy>(plan: &Plan, all: &[T], item: Item<'_>) -> T {
        all[plan
            .position_of(item)
            .expect("an item of the compared plan")]
    }
}

pub struct Monthly<'p> {
    pub month: Month,
    pub plan: &'p Plan,
    pub lights: Vec<(Light, usize)>,
    pub standings: Vec<(Standing, usize)>,
    /// Live entries dated in the month, oldest first.
    pub updates: Vec<Entry>,
    pub changes: Vec<LightChange<'p>>,
    pub moves: Vec<TargetMove<'p>>,
    pub overdue: Overdue<'p>,
    pub targets: ByTarget<'p>,
    /// Each target's reported values up to the month's end, oldest first.
    pub trends: Vec<(&'p Target, Vec<(NaiveDate, f64)>)>,
    /// The ledger's chain head when the bulletin was made (台账校验码): the entry number and
    /// its hash, which `check --anchor` later proves the ledger still extends. `None` for an
    /// empty ledger.
    pub ledger_head: Option<(i64, String)>,
}

impl<'p> Monthly<'p> {
    /// The bulletin for `month`, from the ledger judged on the month's last day (`now`) and on
    /// the previous month's (`prev`), and the live entries up to the month's end (`trail`).
    pub fn compute(
        plan: &'p Plan,
        month: Month,
        now: &Judged,
        prev: &Before,
        trail: Trail<'p>,
    ) -> Monthly<'p> {
        // Counted in one pass over the verdicts each, not one per light or standing.
        let lights = tally(Light::ALL, plan.items().map(|i| now.verdict(i).light));
        let targets = plan.targets.iter().map(Item::Target);
        let standings = tally(Standing::ALL, targets.map(|t| now.verdict(t).standing));
        let changes = plan
            .items()
            .filter_map(|item| {
                let from = Before::at(plan, &prev.lights, item);
                let to = now.verdict(item).light;
                (from != to).then_some(LightChange { item, from, to })
            })
            .collect();
        let moves = plan
            .targets
            .iter()
            .filter_map(|t| {
                let to = now.latest(Item::Target(t)).and_then(|f| f.value())?;
                let from = Before::at(plan, &prev.values, Item::Target(t));
                (from != Some(to)).then_some(TargetMove {
                    target: t,
                    from,
                    to,
                })
            })
            .collect();
        let (updates, trends) = trail.finish();
        Monthly {
            month,
            plan,
            lights,
            standings,
            updates,
            changes,
            moves,
            overdue: Overdue::compute(plan, now),
            targets: ByTarget::compute(plan, &now.verdicts),
            trends,
            ledger_head: None,
        }
    }

    /// The bulletin stating the ledger's chain head it was made from.
    pub fn with_ledger_head(self, head: Option<(i64, String)>) -> Monthly<'p> {
        Monthly {
            ledger_head: head,
            ..self
        }
    }
}

/// How many of `values` are each of `kinds`, in the order of `kinds`.
fn tally<K: Copy + PartialEq>(kinds: &[K], values: impl Iterator<Item = K>) -> Vec<(K, usize)> {
    let mut counts: Vec<(K, usize)> = kinds.iter().map(|k| (*k, 0)).collect();
    for value in values {
        if let Some((_, n)) = counts.iter_mut().find(|(k, _)| *k == value) {
            *n += 1;
        }
    }
    counts
}

type Trends<'p> = Vec<(&'p Target, Vec<(NaiveDate, f64)>)>;

/// What the bulletin reads of the ledger besides its snapshots: the live entries dated in
/// the month ([`Trail::add`]), and every live value up to the month's end for the targets'
/// trends.
pub struct Trail<'p> {
    plan: &'p Plan,
    month: Month,
    /// By the item's position in the plan, in the order of entry numbers.
    values: Values,
    updates: Vec<Entry>,
}

impl<'p> Trail<'p> {
    /// The trail of `month`, with every live value up to its end by the item's position in
    /// the plan, each item's in the order of entry numbers (as
    /// [`crate::store::Store::snapshots_with_values`] reads them).
    pub fn new(plan: &'p Plan, month: Month, values: Values) -> Trail<'p> {
        Trail {
            plan,
            month,
            values,
            updates: Vec::new(),
        }
    }

    /// Adds the next entry dated in the month, in the order of report dates.
    pub fn add(&mut self, e: Entry) {
        if Month::of(e.date) == self.month {
            self.updates.push(e);
        }
    }

    /// The month's entries, and each target's values in the plan's order of targets, each
    /// in the order of report dates (then of entry numbers: the sort is stable).
    fn finish(mut self) -> (Vec<Entry>, Trends<'p>) {
        let trends = self
            .plan
            .targets
            .iter()
            .map(|t| {
                let pos = self.plan.position(Item::Target(t));
                let pos = pos.expect("a target of the plan has a position in it");
                let mut points = self
                    .values
                    .get_mut(pos)
                    .map(std::mem::take)
                    .unwrap_or_default();
                points.sort_by_key(|(date, _)| *date);
                (t, points)
            })
            .collect();
        (self.updates, trends)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The trends are read in the order of entry numbers, which need not be that of report
    /// dates: each target's values come out by date, and of two on one date, in the order
    /// they were recorded.
    #[test]
    fn a_trend_is_in_the_order_of_report_dates() {
        let plan = crate::plan::example("minimal");
        let day = |d: u32| NaiveDate::from_ymd_opt(2021, 6, d).unwrap();
        let mut values = vec![Vec::new(); plan.len()];
        let (toilet, _) = plan.locate("T-toilet").unwrap();
        values[toilet] = [(20, 1.0), (3, 2.0), (20, 3.0), (9, 4.0)]
            .map(|(d, v)| (day(d), v))
            .to_vec();
        let (m01, _) = plan.locate("M01").unwrap();
        values[m01] = vec![(day(1), 5.0)];
        let (_, trends) = Trail::new(&plan, Month::of(day(1)), values).finish();
        let points: Vec<_> = trends
            .iter()
            .map(|(t, p)| (t.id.as_str(), p.clone()))
            .collect();
        let by_date = vec![(day(3), 2.0), (day(9), 4.0), (day(20), 1.0), (day(20), 3.0)];
        assert_eq!(points, [("T-toilet", by_date)]);
    }
}
