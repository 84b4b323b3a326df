//! "Did you mean …?": the closest known name to a mistyped one.

use crate::i18n::Message;

/// The candidate closest to `input`, if it is close enough to be a plausible typo.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input_lower = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            let score = if c.to_lowercase().contains(&input_lower) && !input.is_empty() {
                0.9
            } else {
                strsim::normalized_damerau_levenshtein(&input_lower, &c.to_lowercase())
                    .max(strsim::jaro_winkler(&input_lower, &c.to_lowercase()) - 0.15)
            };
            (score, c)
        })
        .filter(|(score, _)| *score >= 0.55)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// ` (did you mean "x"?)`, or nothing.
pub fn hint<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Message {
    match closest(input, candidates) {
        Some(c) => did_you_mean(c),
        None => Message::new(""),
    }
}

/// ` (did you mean "x"?)`.
pub fn did_you_mean(candidate: &str) -> Message {
    Message::new(" (did you mean \"{c}\"?)").with("c", candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_ignores_strangers() {
        let ids = ["agri", "ndrc", "health", "T-toilet"];
        assert_eq!(closest("argi", ids), Some("agri"));
        assert_eq!(closest("T-toliet", ids), Some("T-toilet"));
        assert_eq!(closest("toilet", ids), Some("T-toilet"));
        assert_eq!(closest("zzzzzz", ids), None);
        assert_eq!(
            hint("helth", ids).to_string(),
            " (did you mean \"health\"?)"
        );
    }
}
