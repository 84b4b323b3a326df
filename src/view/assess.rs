//! The assessment for people (the rule in one sentence, the ranking, one unit's points) and
//! for scripts (one object per unit, or per point).

use serde_json::{Value, json};

use crate::doc::{Block, Cell, Doc, Table, View, number};
use crate::i18n::Lang;
use crate::report::assess::{Assess, Cents, Score, shown};

/// Points for JSON: a whole number when they are one.
fn json_points(c: Cents) -> Value {
    if c % 100 == 0 {
        json!(c / 100)
    } else {
        json!(shown(c))
    }
}

impl Assess<'_> {
    /// The rule in one sentence, with the plan's numbers.
    fn rule_text(&self, lang: Lang) -> String {
        let r = &self.rules;
        let n = |x: f64| number(x);
        lang.fill(
            "Each unit starts at {base}; over the {cycles} reporting cycles ended by {end}: \
             +{reported} for each cycle in which it reported, −{missed} for each cycle it missed; \
             +{met} for each target or milestone due in the period and met by its deadline; \
             −{overdue} for each item overdue on {end}.",
            &[
                ("base", n(r.base)),
                ("cycles", self.cycles.to_string()),
                ("end", self.period.end.to_string()),
                ("reported", n(r.reported_cycle)),
                ("missed", n(r.missed_cycle)),
                ("met", n(r.met_on_time)),
                ("overdue", n(r.overdue)),
            ],
        )
    }

    fn summary(&self, scores: &[&Score], lang: Lang) -> Table {
        let mut t = Table::new(
            None,
            &[
                lang.t("Rank"),
                lang.t("Unit"),
                lang.t("Id"),
                lang.t("Score"),
                lang.t("Cycles reported"),
                lang.t("Cycles missed"),
                lang.t("Met on time"),
                lang.t("Overdue"),
            ],
        );
        for s in scores {
            t.rows.push(vec![
                Cell::Int(s.rank as i64),
                Cell::text(&s.unit.name),
                Cell::text(s.unit.id.as_str()),
                Cell::Num(shown(s.total)),
                Cell::Int(s.reported as i64),
                Cell::Int(s.missed as i64),
                Cell::Int(s.met_on_time as i64),
                Cell::Int(s.overdue as i64),
            ]);
        }
        t
    }
}

impl View for Assess<'_> {
    fn doc(&self, lang: Lang) -> Doc {
        let rule = Block::Text(self.rule_text(lang));
        let Some(s) = self.detail.and_then(|u| self.score_of(u)) else {
            let all: Vec<&Score> = self.scores.iter().collect();
            return Doc {
                title: self.period.title(lang),
                blocks: vec![rule, Block::Table(self.summary(&all, lang))],
            };
        };
        let mut points = Table::new(
            Some(lang.t("Every point and its cause").to_string()),
            &[lang.t("Points"), lang.t("Reason"), lang.t("Title")],
        );
        for p in &s.points {
            points.rows.push(vec![
                Cell::Num(shown(p.cents)),
                Cell::Text(p.cause.text(lang)),
                p.cause
                    .item()
                    .map_or(Cell::Empty, |(_, title)| Cell::text(title)),
            ]);
        }
        Doc {
            title: lang.fill(
                "{unit}: {assessment}",
                &[
                    ("unit", s.unit.name.clone()),
                    ("assessment", self.period.title(lang)),
                ],
            ),
            blocks: vec![
                rule,
                Block::Table(self.summary(&[s], lang)),
                Block::Table(points),
            ],
        }
    }

    /// One object per unit, best first; with `--unit`, one object per point of that unit.
    fn json(&self, lang: Lang) -> Value {
        if let Some(s) = self.detail.and_then(|u| self.score_of(u)) {
            return s
                .points
                .iter()
                .map(|p| {
                    json!({
                        "unit": s.unit.id,
                        "rule": p.cause.rule(),
                        "points": json_points(p.cents),
                        "cycle": p.cause.cycle(),
                        "item": p.cause.item().map(|(id, _)| id),
                        "date": p.cause.date(),
                        "reason": p.cause.text(lang),
                    })
                })
                .collect();
        }
        self.scores
            .iter()
            .map(|s| {
                json!({
                    "rank": s.rank,
                    "unit": s.unit.id,
                    "name": s.unit.name,
                    "kind": s.unit.kind,
                    "score": json_points(s.total),
                    "cycles_reported": s.reported,
                    "cycles_missed": s.missed,
                    "met_on_time": s.met_on_time,
                    "overdue": s.overdue,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_whole_numbers_when_they_can_be() {
        assert_eq!(json_points(5450), json!(54.5));
        assert_eq!(json_points(9000), json!(90));
        assert_eq!(json_points(-250), json!(-2.5));
    }
}
