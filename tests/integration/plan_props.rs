//! Properties of plan loading, formatting and diffing over mutated plans (proptest, stable):
//! the loader never panics and locates every error; `fmt` is idempotent and keeps the plan's
//! meaning and its comments; a plan's diff against itself is empty.

use std::path::Path;

use proptest::prelude::*;

use plantrack::plan::{format::format, load_bytes};
use plantrack::revision::{diff, plan_text};

use crate::support::repo;

fn shipped() -> String {
    std::fs::read_to_string(repo().join("plan/regional.toml")).unwrap()
}

/// Characters a mutation inserts: TOML's own, Chinese punctuation, digits, letters, quotes.
const ALPHABET: &[char] = &[
    '=', '"', '\'', '[', ']', '{', '}', ',', '.', '#', '\n', ' ', '-', '0', '9', 'a', 'z', '年',
    '“', '：', '，', '\u{1b}', '%', '_',
];

/// A mutation of `text`: a range of characters replaced by a few from the alphabet.
fn mutate(text: &str, at: usize, cut: usize, insert: &[usize]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = at % chars.len();
    let end = (at + cut).min(chars.len());
    let mut out: String = chars[..at].iter().collect();
    out.extend(insert.iter().map(|i| ALPHABET[i % ALPHABET.len()]));
    out.extend(&chars[end..]);
    out
}

/// Loads `text` as a plan beside the shipped one, without its source (quotes are `check`'s).
fn load(text: &str) -> Result<plantrack::plan::Loaded, plantrack::plan::PlanErrors> {
    load_bytes(
        "mutant.toml",
        text.as_bytes(),
        Path::new("mutant.toml"),
        None,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Never a panic; a refusal always says where.
    #[test]
    fn the_loader_locates_every_error(
        at in 0usize..100_000,
        cut in 0usize..12,
        insert in prop::collection::vec(0usize..64, 0..6),
    ) {
        let text = mutate(&shipped(), at, cut, &insert);
        if let Err(errors) = load(&text) {
            prop_assert!(!errors.0.is_empty());
            for d in &errors.0 {
                prop_assert!(d.line >= 1 && d.col >= 1, "{d:?}");
                prop_assert!(!d.message.to_string().contains("-262143"), "a sentinel date: {}", d.message);
            }
        }
    }

    /// `fmt` of any plan that loads: idempotent, the same plan facts, every comment kept.
    #[test]
    fn fmt_is_idempotent_and_keeps_meaning_and_comments(
        at in 0usize..100_000,
        cut in 0usize..6,
        insert in prop::collection::vec(0usize..64, 0..4),
    ) {
        let text = mutate(&shipped(), at, cut, &insert);
        let Ok(before) = load(&text) else { return Ok(()) };
        let Ok(once) = format("mutant.toml", text.as_bytes()) else { return Ok(()) };
        let once = String::from_utf8(once).unwrap();
        let twice = String::from_utf8(format("mutant.toml", once.as_bytes()).unwrap()).unwrap();
        prop_assert_eq!(&twice, &once);
        let after = load(&once).expect("a formatted plan still loads");
        prop_assert_eq!(plan_text(&after.plan), plan_text(&before.plan));
        prop_assert!(diff(&before.plan, &after.plan).is_empty());
        let comments = |t: &str| t.lines().filter(|l| l.trim_start().starts_with('#')).count();
        prop_assert_eq!(comments(&once), comments(&text));
    }
}

/// A plan compared with itself has no differences.
#[test]
fn a_plan_diffs_empty_against_itself() {
    for path in [
        "plan/regional.toml",
        "examples/plans/districts.toml",
        "examples/plans/judging.toml",
    ] {
        let text = std::fs::read_to_string(repo().join(path)).unwrap();
        let plan = load(&text).unwrap_or_else(|e| panic!("{path}: {e}")).plan;
        assert!(diff(&plan, &plan).is_empty(), "{path}");
    }
}
