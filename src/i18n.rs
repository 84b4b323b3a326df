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

    /// A template with `{name}` placeholders, translated and then filled in.
    pub fn fill(self, template: &'static str, args: &[(&str, String)]) -> String {
        let mut text = self.t(template).to_string();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
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
    // Reports
    ("Actual", "实际值"),
    ("Reported", "报送日期"),
    ("% of target", "完成比例"),
    ("Expected now", "序时应达"),
    ("Days left", "剩余天数"),
    ("Status", "状态"),
    ("Light", "信号灯"),
    ("Reason", "原因"),
    ("Targets as of {date}", "指标完成情况(截至 {date})"),
    ("Overdue as of {date}", "超期事项(截至 {date})"),
    ("Departments as of {date}", "责任单位推进情况(截至 {date})"),
    ("{unit} as of {date}", "{unit}(截至 {date})"),
    ("Overdue items", "超期事项"),
    ("Whom to call", "需督办单位"),
    (
        "Units with no report since {since}",
        "{since} 以来未报送的单位",
    ),
    ("Overdue", "超期数"),
    ("Days overdue", "超期天数"),
    ("Latest", "最新进展"),
    ("Last report", "最近报送"),
    ("never", "从未"),
    ("never reported", "从未报送"),
    ("#", "序号"),
    ("Item", "事项"),
    ("Date", "日期"),
    ("Reading", "进展"),
    ("By", "报送单位"),
    ("Recorded", "录入时间"),
    ("Remark", "说明"),
    ("was", "原编号"),
    ("not in plan", "方案中已无此项"),
    ("corrects #{n}", "更正 #{n}"),
    ("superseded by #{n}", "已被 #{n} 更正"),
    ("Ledger", "进展台账"),
    // Monthly bulletin
    ("{items} items: {green} green, {yellow} yellow, {red} red. {updates} updates were recorded in {month}.",
     "共 {items} 项:绿灯 {green} 项,黄灯 {yellow} 项,红灯 {red} 项。{month} 共报送进展 {updates} 条。"),
    ("Summary", "总体情况"),
    ("Items by light", "各信号灯事项数"),
    ("Targets by status", "指标状态分布"),
    ("Target progress", "指标进度"),
    ("New updates", "本月报送"),
    ("Items that changed light", "信号灯变化事项"),
    ("Targets that moved", "指标变动"),
    ("Before", "上月"),
    ("Now", "本月"),
    ("Changes since {date}", "{date} 以来的变化"),
    ("Overdue by department", "各单位超期情况"),
    ("Overdue items by department", "各单位超期事项数"),
    ("Progress towards each target", "各指标完成进度"),
    ("no data", "无数据"),
    ("{plan}: monthly bulletin {month}", "{plan} 推进情况月报({month})"),
    // Statuses, standings and lights
    ("not_started", "未启动"),
    ("in_progress", "推进中"),
    ("done", "已完成"),
    ("blocked", "受阻"),
    ("met", "已达标"),
    ("on_track", "正常推进"),
    ("behind", "落后序时进度"),
    ("overdue", "超期"),
    ("no_data", "未报送"),
    ("green", "绿"),
    ("yellow", "黄"),
    ("red", "红"),
    // Reasons
    (
        "met: {reading} reported {date}",
        "已达标:{date} 报送 {reading}",
    ),
    (
        "overdue: due {due}, never reported",
        "超期:{due} 到期,从未报送",
    ),
    (
        "overdue: due {due}, latest {reading}",
        "超期:{due} 到期,最新进展 {reading}",
    ),
    (
        "behind schedule: {actual} reported, {expected} expected by now",
        "落后序时进度:报送 {actual},按序时应达 {expected}",
    ),
    ("reported blocked on {date}", "{date} 报送受阻"),
    ("no report yet", "尚未报送"),
    (
        "stale: no report since {since} (last {last})",
        "未按时报送:{since} 以来无报送(最近 {last})",
    ),
    (
        "on track: latest {reading}, due {due}",
        "正常推进:最新进展 {reading},{due} 到期",
    ),
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
