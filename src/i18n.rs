//! Every user-facing word of the reports, in English and Chinese, in one table.
//!
//! Code writes the English text and asks [`Lang::t`] for the reader's language; the table
//! below is the only place a translation lives. Plan content is never translated.

use clap::ValueEnum;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// English
    En,
    /// 中文
    Zh,
}

impl Lang {
    /// The language a locale asks for: `zh_*` gives Chinese, anything else English.
    pub fn from_locale(locale: Option<&str>) -> Lang {
        match locale {
            Some(l) if l.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }

    /// `english` in this language. A phrase missing from the table stays English.
    pub fn t(self, english: &'static str) -> &'static str {
        match self {
            Lang::En => english,
            Lang::Zh => WORDS
                .iter()
                .find(|(en, _)| *en == english)
                .map_or(english, |(_, zh)| zh),
        }
    }
}

/// (English, 中文).
const WORDS: &[(&str, &str)] = &[
    // Listings
    ("Measures", "措施"),
    ("Targets", "指标"),
    ("Milestones", "里程碑"),
    ("Units", "责任单位"),
    ("Sections", "章节"),
    ("Section", "章节"),
    ("Id", "编号"),
    ("No.", "序号"),
    ("Title", "标题"),
    ("Measure", "措施"),
    ("Metric", "指标名称"),
    ("Target", "目标值"),
    ("Unit", "单位"),
    ("Due", "截止日期"),
    ("Responsible units", "责任单位"),
    ("Lead units", "牵头单位"),
    ("Name", "名称"),
    ("Aliases", "别名"),
    ("Kind", "类型"),
    ("Items", "事项数"),
    ("Text", "原文"),
    ("Quote", "原文摘录"),
    ("Baseline", "基期值"),
    ("Note", "备注"),
    ("Former ids", "曾用编号"),
    ("Plan horizon", "方案期限"),
    ("History", "进展记录"),
    ("department", "市直部门"),
    ("group", "单位群组"),
    ("zone", "园区管委会"),
    ("measure", "措施"),
    ("target", "指标"),
    ("milestone", "里程碑"),
    ("Field", "字段"),
    ("Value", "内容"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_picks_language() {
        assert_eq!(Lang::from_locale(Some("zh_CN.UTF-8")), Lang::Zh);
        assert_eq!(Lang::from_locale(Some("en_US.UTF-8")), Lang::En);
        assert_eq!(Lang::from_locale(None), Lang::En);
    }

    #[test]
    fn every_phrase_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for (en, _) in WORDS {
            assert!(seen.insert(en), "{en} is listed twice");
        }
        assert_eq!(Lang::Zh.t("Targets"), "指标");
    }
}
