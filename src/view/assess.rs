//! The assessment for people (the rule in one sentence, the ranking, one unit's points) and
//! for scripts (one object per unit, or per point).

use serde_json::{Value, json};

use super::document;
use crate::doc::{Block, Cell, Column, Doc, JsonDoc, Table, View, number};
use crate::i18n::Lang;
use crate::report::assess::{Assess, Cents, Point, Score, shown};

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
             −{overdue} for each item due in the period and unmet at its end, −{met_late} for each \
         met late; an item is charged once, in the year of its deadline, to its lead in full and shared \
         equally among units jointly responsible for it.",
            &[
                ("base", n(r.base)),
                ("cycles", self.cycles.to_string()),
                ("end", self.period.end.to_string()),
                ("reported", n(r.reported_cycle)),
                ("missed", n(r.missed_cycle)),
                ("met", n(r.met_on_time)),
                ("overdue", n(r.overdue)),
                ("met_late", n(r.met_late)),
            ],
        )
    }
}

fn scores<'a, 'p>() -> [Column<&'a Score<'p>>; 8] {
    [
        Column::new("Rank", |s, _| Cell::Int(s.rank as i64)),
        Column::new("Unit", |s, _| Cell::text(&s.unit.name)),
        Column::new("Id", |s, _| Cell::text(s.unit.id.as_str())),
        Column::new("Score", |s, _| Cell::Num(shown(s.total))),
        Column::new("Cycles reported", |s, _| Cell::Int(s.reported as i64)),
        Column::new("Cycles missed", |s, _| Cell::Int(s.missed as i64)),
        Column::new("Met on time", |s, _| Cell::Int(s.met_on_time as i64)),
        Column::new("Overdue", |s, _| Cell::Int(s.overdue as i64)),
    ]
}

fn points<'p>() -> [Column<Point<'p>>; 3] {
    [
        Column::new("Points", |p, _| Cell::Num(shown(p.cents))),
        Column::new("Reason", |p, lang| Cell::Text(p.cause.text(lang))),
        Column::new("Title", |p, _| {
            p.cause
                .item()
                .map_or(Cell::Empty, |(_, title)| Cell::text(title))
        }),
    ]
}

impl View for Assess<'_> {
    fn doc(&self, lang: Lang) -> Doc<'_> {
        let rule = Block::Text(self.rule_text(lang));
        let Some(s) = self.detail.and_then(|u| self.score_of(u)) else {
            let all: Vec<&Score> = self.scores.iter().collect();
            let table = Table::of(None, &scores(), &all, lang);
            return Doc {
                title: self.period.title(lang),
                blocks: vec![rule, Block::Table(table)],
            };
        };
        let title = Some(lang.t("Every point and its cause").to_string());
        let points = Table::of(title, &points(), &s.points, lang);
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
                Block::Table(Table::of(None, &scores(), &[s], lang)),
                Block::Table(points),
            ],
        }
    }

    /// One object per unit, best first; with `--unit`, one object per point of that unit.
    fn json(&self, lang: Lang) -> JsonDoc<'_> {
        let (plan, as_of) = (&self.plan.meta.id, self.period.end);
        let year = ("year", json!(self.period.year));
        if let Some(s) = self.detail.and_then(|u| self.score_of(u)) {
            let rows = s.points.iter().map(move |p| {
                json!({
                    "unit": s.unit.id,
                    "rule": p.cause.rule(),
                    "points": json_points(p.cents),
                    "cycle": p.cause.cycle(),
                    "item": p.cause.item().map(|(id, _)| id),
                    "date": p.cause.date(),
                    "reason": p.cause.text(lang),
                })
            });
            let header = [year, ("unit", json!(s.unit.id))];
            return document("assess-unit", plan, as_of, lang, header, rows);
        }
        let rows = self.scores.iter().map(|s| {
            json!({
                "rank": s.rank,
                "unit": s.unit.id,
                "name": s.unit.name,
                "unit_kind": s.unit.kind,
                "score": json_points(s.total),
                "cycles_reported": s.reported,
                "cycles_missed": s.missed,
                "met_on_time": s.met_on_time,
                "overdue_count": s.overdue,
            })
        });
        document("assess", plan, as_of, lang, [year], rows)
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
