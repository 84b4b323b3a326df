//! Every user-facing word of the reports, in English and Chinese, in one table.
//!
//! Code writes the English text and asks [`Lang::t`] for the reader's language; the table
//! below is the only place a translation lives. Plan content is never translated.

use std::sync::LazyLock;

use clap::ValueEnum;
use foldhash::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// English
    En,
    /// 中文
    Zh,
}

impl Lang {
    /// `zh` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

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
            // Codes (`on_track`) read as words; everything else is English already.
            Lang::En => CODES_IN_ENGLISH
                .iter()
                .find(|(code, _)| *code == english)
                .map_or(english, |(_, words)| words),
            Lang::Zh => CHINESE.get(english).copied().unwrap_or(english),
        }
    }

    /// The translation of `english`, if the table has one (Chinese only).
    pub fn t_or_none(self, english: &str) -> Option<&'static str> {
        match self {
            Lang::En => None,
            Lang::Zh => CHINESE.get(english).copied(),
        }
    }

    /// A template with `{name}` placeholders, translated and then filled in.
    ///
    /// In one pass over the translated template: a value is never searched for placeholders
    /// itself, and a brace that opens no argument's placeholder stays as it is.
    pub fn fill(self, template: &'static str, args: &[(&str, String)]) -> String {
        let template = self.t(template);
        let room = template.len() + args.iter().map(|(_, v)| v.len()).sum::<usize>();
        let mut text = String::with_capacity(room);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            text.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let arg = after.find('}').and_then(|close| {
                let name = &after[..close];
                let (_, value) = args.iter().find(|(n, _)| *n == name)?;
                Some((close, value))
            });
            match arg {
                Some((close, value)) => {
                    text.push_str(value);
                    rest = &after[close + 1..];
                }
                None => {
                    text.push('{');
                    rest = after;
                }
            }
        }
        text.push_str(rest);
        text
    }
}

/// A sentence for the user, kept as its English template and arguments until the reader's
/// language is known (an error raised deep in a command is printed in Chinese at the edge).
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    template: &'static str,
    args: Vec<(&'static str, Arg)>,
}

/// A value in a [`Message`]: text as it is (an id, a number, a date), or a message of its own.
#[derive(Clone, Debug, PartialEq)]
enum Arg {
    Text(String),
    Message(Message),
}

/// How many characters of typed input an error message echoes.
pub const ECHO_LIMIT: usize = 80;

impl Message {
    pub fn new(template: &'static str) -> Message {
        Message {
            template,
            args: Vec::new(),
        }
    }

    /// Fills `{name}` with `value`, shown as it is in every language.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Message {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// Fills `{name}` with what the user typed, echoed safely: hostile characters escaped and
    /// cut at [`ECHO_LIMIT`] characters, so that a 130 KB value is not printed back whole.
    pub fn with_input(self, name: &'static str, typed: &str) -> Message {
        let mut shown: String = crate::doc::visible(typed)
            .chars()
            .take(ECHO_LIMIT + 1)
            .collect();
        if shown.chars().count() > ECHO_LIMIT {
            shown = shown.chars().take(ECHO_LIMIT).collect::<String>() + "…";
        }
        self.with(name, shown)
    }

    /// Fills `{name}` with another message, in the same language.
    pub fn with_message(mut self, name: &'static str, value: Message) -> Message {
        self.args.push((name, Arg::Message(value)));
        self
    }

    pub fn text(&self, lang: Lang) -> String {
        let args: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    Arg::Text(t) => t.clone(),
                    Arg::Message(m) => m.text(lang),
                };
                (*name, value)
            })
            .collect();
        lang.fill(self.template, &args)
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// Text that has no translation (a message from git, a path): shown as it is.
impl From<String> for Message {
    fn from(text: String) -> Message {
        Message::new("{text}").with("text", text)
    }
}

impl From<&'static str> for Message {
    fn from(template: &'static str) -> Message {
        Message::new(template)
    }
}

/// Codes that English output shows as words, never raw.
const CODES_IN_ENGLISH: &[(&str, &str)] = &[
    ("on_track", "on track"),
    ("no_data", "no data"),
    ("met_late", "met late"),
    ("fell_back", "fell back"),
    ("due_soon", "due soon"),
    ("not_started", "not started"),
    ("in_progress", "in progress"),
    ("at_least", "at least"),
    ("at_most", "at most"),
    ("more_than", "more than"),
    ("less_than", "less than"),
    ("half_yearly", "half-yearly"),
];

/// [`WORDS`] by their English: looked up for cells of every row of a report, where a search
/// of the list took a microsecond a call (a fifth of drawing 66,000 targets).
static CHINESE: LazyLock<HashMap<&str, &str>> = LazyLock::new(|| WORDS.iter().copied().collect());

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
    ("Item list", "事项清单"),
    ("(none)", "(无)"),
    ("Text", "原文"),
    ("Quote", "原文摘录"),
    ("Baseline", "基期值"),
    ("Note", "备注"),
    ("Former ids", "曾用编号"),
    ("Plan horizon", "方案期限"),
    ("History", "进展记录"),
    ("department", "市直部门"),
    ("group", "单位群组"),
    ("cooperating", "配合单位"),
    ("lead, by duty", "按职责推定牵头"),
    ("reported values", "报送值"),
    ("target line", "目标值"),
    ("due {date}", "期限 {date}"),
    (
        "--kind \"{k}\" is not a kind of unit{hint}; expected one of: {choices}",
        "--kind \"{k}\" 不是单位类别{hint};可选:{choices}",
    ),
    ("joint", "共同负责"),
    ("Role", "职责"),
    ("{unit} ({role})", "{unit}（{role}）"),
    ("zone", "园区管委会"),
    ("government", "县区人民政府"),
    ("enterprise", "国有企业"),
    ("stationed", "驻市单位"),
    ("party", "党群组织"),
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
    (
        "{items} items: {green} green, {yellow} yellow, {red} red. {updates} updates were recorded in {month}.",
        "共 {items} 项:绿灯 {green} 项,黄灯 {yellow} 项,红灯 {red} 项。{month} 共报送进展 {updates} 条。",
    ),
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
    (
        "{plan}: monthly bulletin {month}",
        "{plan} 推进情况月报({month})",
    ),
    // Prompts of `update` in a terminal
    (
        "Item (type to search ids and titles)",
        "事项(输入编号或标题检索)",
    ),
    ("Value of {metric} ({unit})", "{metric}的数值({unit})"),
    ("Reporting date", "报送日期"),
    ("Reported by", "报送单位"),
    ("Record this?", "确认录入?"),
    (
        "{item} = {reading} on {date} by {unit} ({name})",
        "{item} = {reading},{date},{unit}({name})报送",
    ),
    (", superseding #{n}", ",更正 #{n}"),
    ("recorded #{n}", "已录入 #{n}"),
    ("nothing recorded", "未录入"),
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
    (
        "exceeded: {actual} reported {date}, target {target}",
        "超额完成:{date} 报送 {actual},目标 {target}",
    ),
    (
        "met late: {actual} reported {date}, due {due}",
        "逾期完成:{date} 报送 {actual},{due} 到期",
    ),
    (
        "fell back: met by {due} ({at_due}), now {actual} ({date})",
        "回落:{due} 前已达标({at_due}),现为 {actual}({date})",
    ),
    (
        "missed: {actual} in {period}, target {target}",
        "未完成:{period} 为 {actual},目标 {target}",
    ),
    (
        "due in {days} days, not met: {actual} of {target}",
        "{days} 天后到期,尚未完成:{actual},目标 {target}",
    ),
    ("reported not started on {date}", "{date} 报送未启动"),
    (
        "↑↓ choose · Enter confirm · Esc cancel",
        "↑↓ 选择 · Enter 确认 · Esc 取消",
    ),
    (
        "Reported by (only the item's responsible units and the supervision office may report)",
        "报送单位(仅该事项的责任单位和督办单位可报送)",
    ),
    (
        "{text} for {id} is implausible for a target of {target}; if it is right, set the target's max in the plan",
        "{id} 报送 {text} 不合常理(目标为 {target});如确实无误,请在方案中为该目标设置 max",
    ),
    (
        "export writes json or csv, not {format}",
        "export 只输出 json 或 csv,不支持 {format}",
    ),
    (
        "the ledger {path} already holds {n} entries; import loads into an empty ledger: pass --db NEW.db",
        "台账 {path} 已有 {n} 条记录;import 只导入空台账:请用 --db 指定新文件",
    ),
    (
        "{file} is not a plantrack export: {why}",
        "{file} 不是 plantrack 导出的文件:{why}",
    ),
    (
        "imported {n} entries into {path}; the hash chain verifies",
        "已导入 {n} 条记录到 {path};校验链核对无误",
    ),
    (
        "all {of} parts met (last: {worst}: {why})",
        "{of} 项分解任务全部完成(最后一项 {worst}:{why})",
    ),
    (
        "{met} of {of} parts met; {worst}: {why}",
        "{of} 项分解任务完成 {met} 项;{worst}:{why}",
    ),
    (
        "{met} of {of} members met",
        "{of} 个成员单位中 {met} 个已达标",
    ),
    (
        "{name} ({unit}) is a group whose members report for themselves: pass --by one of {members}",
        "{name}({unit})由各成员单位分别报送:请用 --by 指定其中之一:{members}",
    ),
    ("not reported: {units}", "未报送:{units}"),
    ("behind: {units}", "落后:{units}"),
    (
        "Showing the first {shown} of {total}. Every row is in the CSV and Excel (xlsx) versions.",
        "仅显示前 {shown} 条,共 {total} 条。全部内容见 CSV 和 Excel(xlsx)文件。",
    ),
    (
        "Trend charts for the first {shown} of {total} targets. Every value is in the CSV and Excel (xlsx) versions.",
        "仅绘制前 {shown} 项指标的趋势图,共 {total} 项。全部数值见 CSV 和 Excel(xlsx)文件。",
    ),
    (
        "Ledger checksum (台账校验码): {anchor}",
        "台账校验码:{anchor}",
    ),
    (
        "--anchor \"{text}\" is not a ledger checksum; copy the bulletin's 台账校验码, ENTRY:HASH (64 hex digits)",
        "--anchor \"{text}\" 不是台账校验码;请照抄月报上的台账校验码,格式为 序号:校验值(64 位十六进制)",
    ),
    (
        "Issued by {issuer} · plan {plan} · month {month} · as of {date}",
        "{issuer}印发 · {plan} · {month} 月报 · 截至 {date}",
    ),
    ("All updates in {month}", "{month} 全部报送"),
    (
        "there is no ledger to back up yet at {path}",
        "{path} 尚无台账可备份",
    ),
    ("backed up the ledger to {file}", "台账已备份到 {file}"),
    // Usage errors
    (
        "--out {dir} is not a folder; name a folder for the bulletin's files",
        "--out {dir} 不是文件夹;请指定存放月报文件的文件夹",
    ),
    (
        "this is the same as entry #{n} (same reading, date and unit); pass --allow-duplicate to record it again",
        "与 #{n} 号记录相同(数值或状态、日期、单位均相同);如确需再次录入,请加 --allow-duplicate",
    ),
    (
        "entry #{n} is about {old}, not {id}; a correction must be about the same item",
        "#{n} 号记录针对 {old},不是 {id};更正须针对同一事项",
    ),
    (" (did you mean \"{c}\"?)", "(是否想输入“{c}”?)"),
    (
        "--by is required: {id} has {n} responsible units ({units})",
        "须用 --by 指明报送单位:{id} 有 {n} 个责任单位({units})",
    ),
    ("--date {e}", "--date {e}"),
    (
        "--month \"{m}\" is not a month; write YYYY-MM, e.g. 2021-01",
        "--month “{m}”不是月份,请写作 YYYY-MM,如 2021-01",
    ),
    (
        "--note holds a control character ({c}); a note is plain text, with line breaks and tabs at most",
        "--note 含控制字符({c});备注只能是纯文本,最多含换行和制表符",
    ),
    (
        "--reply-by {d} is before the as-of date {as_of}: a notice cannot ask for a report in the past",
        "--reply-by {d} 早于截至日期 {as_of}:催办通知不能要求在过去报送",
    ),
    (
        "--supersedes {n}: the ledger {path} does not exist yet, so there is nothing to correct; record the update without --supersedes",
        "--supersedes {n}:台账 {path} 尚不存在,无可更正;请不带 --supersedes 录入",
    ),
    (
        "--supersedes {n}: there is no entry #{n} in the ledger; `plantrack history` lists the entries",
        "--supersedes {n}:台账中没有 #{n} 号记录;`plantrack history` 可查全部记录",
    ),
    ("--value {e}", "--value {e}"),
    (
        "--year {year} has not begun by {as_of}; pass an earlier --year or a later --as-of",
        "--year {year} 在 {as_of} 时尚未开始;请换更早的 --year 或更晚的 --as-of",
    ),
    (
        "--year {year}: the plan was issued on {issued}, so there is nothing to assess",
        "--year {year}:方案于 {issued} 印发,该年度无可考核",
    ),
    (
        "; `plantrack list measures|targets|milestones|units` shows the ids",
        ";`plantrack list measures|targets|milestones|units` 可查编号",
    ),
    ("; expected one of: {all}", ";可选:{all}"),
    (
        "PLANTRACK_NOW=\"{pinned}\" is not an RFC 3339 time such as 2021-01-31T09:00:00+08:00",
        "PLANTRACK_NOW=“{pinned}”不是 RFC 3339 时间,如 2021-01-31T09:00:00+08:00",
    ),
    (
        "\"{key}\" is a unit, not a measure, target or milestone; `plantrack report by-department --unit {key}` lists its items",
        "“{key}”是单位,不是措施、指标或里程碑;`plantrack report by-department --unit {key}` 列出其事项",
    ),
    (
        "\"{text}\" for {id} is not a number (the target is in {unit})",
        "{id} 的值“{text}”不是数字(指标单位为 {unit})",
    ),
    (
        "\"{text}\" is not a date; write YYYY-MM-DD (also 2020/12/20, 20201220, 2020年12月20日)",
        "“{text}”不是日期;请写作 YYYY-MM-DD(也可写 2020/12/20、20201220、2020年12月20日)",
    ),
    (
        "entry #{n} is already superseded by #{newer}; supersede that one instead",
        "#{n} 号记录已被 #{newer} 更正;请更正 #{newer}",
    ),
    (
        "measure {missing} is missing from the source document (the plan records it under missing_measures), so there is nothing to track",
        "措施 {missing} 在原文中缺失(方案已记入 missing_measures),无可跟踪",
    ),
    (
        "no --plan given and cannot read {dir}/: {e}; pass --plan PATH, or run from the folder that holds {dir}/",
        "未指定 --plan,且无法读取 {dir}/:{e};请用 --plan 指定方案,或在含 {dir}/ 的目录下运行",
    ),
    ("no document \"{name}\"{hint}", "没有文档“{name}”{hint}"),
    (
        "no item or unit \"{key}\" in the plan{hint}",
        "方案中没有事项或单位“{key}”{hint}",
    ),
    (
        "no measure, target or milestone \"{key}\" in the plan{hint}",
        "方案中没有措施、指标或里程碑“{key}”{hint}",
    ),
    (
        "no plan file (*.toml) in {dir}/; pass --plan PATH",
        "{dir}/ 中没有方案文件(*.toml);请用 --plan 指定",
    ),
    (
        "no status for {kind} {id}: pass --status ({choices}); a prompt asks for it only in a terminal",
        "{kind} {id} 缺少状态:请用 --status 指定({choices});仅在终端中会提示输入",
    ),
    (
        "no unit \"{key}\" in the plan{hint}",
        "方案中没有单位“{key}”{hint}",
    ),
    (
        "no value for {id}: pass --value V (in {unit}); a prompt asks for it only in a terminal",
        "{id} 缺少数值:请用 --value 指定(单位 {unit});仅在终端中会提示输入",
    ),
    (
        "several plans in {dir}/ ({plans}); pass --plan PATH",
        "{dir}/ 中有多个方案({plans});请用 --plan 指定",
    ),
    (
        "unknown status \"{s}\"{hint}; expected one of: {choices}",
        "未知状态“{s}”{hint};可选:{choices}",
    ),
    (
        "{id} is a numeric target: pass --value V (in {unit}), not --status",
        "{id} 是数值指标:请用 --value 报送数值(单位 {unit}),不能用 --status",
    ),
    (
        "{kind} {id} is tracked by status: pass --status ({choices}), not --value",
        "{kind} {id} 按状态跟踪:请用 --status 报送({choices}),不能用 --value",
    ),
    (
        "{month} ended before the plan was issued ({issued})",
        "{month} 在方案印发({issued})之前已结束",
    ),
    (
        "{month} is not over on the as-of date {as_of}; report a month that has ended, or pass a later --as-of",
        "截至 {as_of},{month} 尚未结束;请选择已结束的月份,或指定更晚的 --as-of",
    ),
    (
        "{name} ({unit}) is not assessed: {why}",
        "{name}({unit})不参加考核:{why}",
    ),
    (
        "{name} ({unit}) is not responsible for {id}; its units are: {units}",
        "{name}({unit})不是 {id} 的责任单位;其责任单位为:{units}",
    ),
    (
        "{text} for {id}: a value must be a finite, non-negative number",
        "{id} 的值 {text} 无效:须为有限的非负数",
    ),
    (
        "{text} for {id}: a value must be a finite number",
        "{id} 的值 {text} 无效:须为有限数",
    ),
    (
        "{text} for {id}: a percentage must lie in {lo}–{hi}",
        "{id} 的值 {text} 超出范围:百分比须在 {lo}–{hi} 之间",
    ),
    (
        "{text} for {id}: a value must lie in {lo}–{hi}",
        "{id} 的值 {text} 超出范围:须在 {lo}–{hi} 之间",
    ),
    (
        "{text} for {id}: a value must be at least {lo}",
        "{id} 的值 {text} 超出范围:不得小于 {lo}",
    ),
    (
        "{text} for {id}: a value must be at most {hi}",
        "{id} 的值 {text} 超出范围:不得大于 {hi}",
    ),
    (
        "{text} for {id}: a count of {unit} takes whole numbers",
        "{id} 的值 {text} 无效:{unit}数须为整数",
    ),
    (
        "{date} is before the plan was issued ({issued}); progress is reported from then on",
        "{date} 早于方案印发日期({issued});进展自印发之日起报送",
    ),
    (
        "{date} is after the as-of date {as_of}; progress cannot be reported ahead",
        "{date} 晚于截至日期 {as_of};不能提前报送进展",
    ),
    (
        "{date} is in the future (today is {today})",
        "{date} 是将来的日期(今天是 {today})",
    ),
    (
        "which item? pass its id (plantrack list targets), or run in a terminal to pick one",
        "哪个事项?请给出编号(plantrack list targets 可查),或在终端中运行以选择",
    ),
    ("it is the plan's supervisor", "它是方案的督办单位"),
    ("it is responsible for no item", "它不负责任何事项"),
    ("error", "错误"),
    (
        "run `plantrack check` to see them",
        "运行 `plantrack check` 查看详情",
    ),
    (
        "Record this? y/n (是/否), Enter to answer, Esc to cancel:",
        "确认录入?输入 是/否(y/n)后按回车,Esc 取消:",
    ),
    (
        "Type y (是) to record, or n (否) to cancel.",
        "请输入 是(y)录入,或 否(n)取消。",
    ),
    (
        "note: the item's changes were looked for in the {n} latest versions of the plan only; older versions of a plan this large are not read",
        "注意:仅在方案最近 {n} 个版本中查找该事项的变更;方案体量较大,更早的版本不再读取",
    ),
    (
        "warning: {date} is before the plan's issue date {issued}, which the plan only infers; recorded as given",
        "警告:{date} 早于方案印发日期 {issued}(该日期系推定),仍按所填日期录入",
    ),
    (
        "not on target: {actual}, target {target}",
        "未达目标:{actual},目标 {target}",
    ),
    (
        "no baseline: progress cannot be judged ({actual} of {target})",
        "无基数:无法判断序时进度({actual},目标 {target})",
    ),
    ("no report", "未报送"),
    ("exceeded", "超额完成"),
    ("met_late", "逾期完成"),
    ("fell_back", "回落"),
    ("due_soon", "即将到期"),
    ("stale", "未按时报送"),
    ("missed", "未完成"),
    ("{item} met late (due {due})", "{item} 逾期完成({due} 到期)"),
    (
        "{item} still unmet, carried over from {due} (charged then)",
        "{item} 仍未完成,自 {due} 挂账(当年已扣分)",
    ),
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
    // Plan edits: fmt, diff, plan revisions in show, changed targets in by-target
    ("Plan changes: {old} → {new}", "方案修改:{old} → {new}"),
    ("No plan-level changes.", "方案内容无变化。"),
    ("Change", "修改内容"),
    ("plan", "方案"),
    ("section", "章节"),
    ("unit", "责任单位"),
    ("added: {title}", "新增:{title}"),
    ("removed: {title}", "删除:{title}"),
    (
        "removed: now a former id of {id}",
        "删除:已并入 {id}(列为其曾用编号)",
    ),
    ("renamed from {id}", "由 {id} 更名"),
    (
        "{field} changed (+{added}/−{removed} characters)",
        "{field}修改(增 {added} 字、删 {removed} 字)",
    ),
    ("{field} reordered: {list}", "{field}顺序调整:{list}"),
    ("plan horizon", "方案期限"),
    ("the measure's units", "同所属措施"),
    ("none", "无"),
    ("deadline", "截止日期"),
    ("comparator", "比较方式"),
    ("tolerance", "允许偏差"),
    ("unit of measure", "计量单位"),
    ("units", "责任单位"),
    ("lead", "牵头单位"),
    ("text", "原文"),
    ("quote", "原文摘录"),
    ("title", "标题"),
    ("metric", "指标名称"),
    ("number", "序号"),
    ("note", "备注"),
    ("name", "名称"),
    ("aliases", "别名"),
    ("kind", "类型"),
    ("baseline", "基期值"),
    ("former ids", "曾用编号"),
    ("issuer", "发文单位"),
    ("issued", "印发日期"),
    ("issue date inferred", "印发日期系推断"),
    ("horizon", "方案期限"),
    ("reporting cycle", "报送周期"),
    ("supervisor", "督办单位"),
    ("missing measures", "缺失措施"),
    ("missing sections", "缺失章节"),
    ("assessment base", "考核基础分"),
    ("points per cycle reported", "每期报送加分"),
    ("points per cycle missed", "每期未报送扣分"),
    ("points per item met on time", "每项按期完成加分"),
    ("points per item overdue", "每项超期扣分"),
    ("Plan revisions", "方案修订记录"),
    ("Commit", "提交"),
    ("Subject", "提交说明"),
    (
        "target changed since the last report: {changes}",
        "上次报送后指标已调整:{changes}",
    ),
    // Assessment (assess)
    ("Assessment {year}", "{year}年度考核"),
    (
        "Assessment {year} (to {date})",
        "{year}年度考核(截至 {date})",
    ),
    ("{unit}: {assessment}", "{unit}{assessment}"),
    (
        "Each unit starts at {base}; over the {cycles} reporting cycles ended by {end}: \
         +{reported} for each cycle in which it reported, −{missed} for each cycle it missed; \
         +{met} for each target or milestone due in the period and met by its deadline; \
         −{overdue} for each item due in the period and unmet at its end, −{met_late} for each \
         met late; an item is charged once, in the year of its deadline, to its lead in full and shared \
         equally among units jointly responsible for it.",
        "各单位基础分 {base} 分;截至 {end} 已结束的 {cycles} 个报送周期中,每期报送加 {reported} 分、\
         未报送扣 {missed} 分;年内到期并按期完成的指标、里程碑每项加 {met} 分;\
         年内到期、期末仍未完成的事项每项扣 {overdue} 分,逾期完成的每项扣 {met_late} 分;\
         每个事项只在其到期年度计分一次,牵头单位全额承担,共同负责的单位平均分担。",
    ),
    ("Rank", "排名"),
    ("Score", "得分"),
    ("Cycles reported", "已报送期数"),
    ("Cycles missed", "未报送期数"),
    ("Met on time", "按期完成数"),
    ("Every point and its cause", "得分明细"),
    ("Points", "分值"),
    ("base score", "基础分"),
    ("reported in {cycle}", "{cycle} 已报送"),
    ("no report in {cycle}", "{cycle} 未报送"),
    (
        "{item} met by its deadline {due}",
        "{item} 按期完成(截止 {due})",
    ),
    ("{item} overdue since {since}", "{item} 自 {since} 起超期"),
    // Reminders (remind)
    ("Reminders as of {date}", "催办通知(截至 {date})"),
    (
        "Units with no report since {since}, or with items not met that fall due by {until}.",
        "{since} 以来未报送进展,或有未完成事项将于 {until} 前到期的单位。",
    ),
    ("Due soon", "即将到期"),
    ("Notice", "催办通知"),
    (
        "[Reminder] {name}, as of {date}: ",
        "【催办】{name}:截至{date},",
    ),
    (
        "no progress report this cycle (last report: {last}). ",
        "本期未报送进展(最近报送:{last})。",
    ),
    (
        "no progress report this cycle (never reported). ",
        "本期未报送进展(从未报送)。",
    ),
    (
        "Due within {days} days: {items}. ",
        "以下事项将于{days}天内到期:{items}。",
    ),
    ("Overdue: {items}. ", "已超期事项:{items}。"),
    ("{id} {title} (due {due})", "{id} {title}({due}到期)"),
    ("; ", ";"),
    ("Please report by {date}.", "请于{date}前报送。"),
    ("Please report as soon as possible.", "请尽快报送。"),
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

    /// Every placeholder is filled, each as often as it occurs; a value is text, never a
    /// template of its own; a brace that names no argument stays.
    #[test]
    fn fill_puts_each_value_in_its_placeholders() {
        let args = [("a", "{b}".to_string()), ("b", "二".to_string())];
        let filled = Lang::En.fill("{a}-{b}-{a} {c} {", &args);
        assert_eq!(filled, "{b}-二-{b} {c} {");
        assert_eq!(Lang::En.fill("no braces", &[]), "no braces");
    }

    /// The string literal that starts `code` (after `"`), as Rust reads it: escaped quotes and
    /// backslashes, and line continuations.
    fn literal(code: &str) -> Option<String> {
        let mut out = String::new();
        let mut chars = code.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' => return Some(out),
                '\\' => match chars.next()? {
                    '\n' => {
                        while chars.peek().is_some_and(|c| c.is_whitespace()) {
                            chars.next();
                        }
                    }
                    'n' => out.push('\n'),
                    other => out.push(other),
                },
                c => out.push(c),
            }
        }
        None
    }

    /// Every message the code builds with `Message::new("…")` has a Chinese translation.
    #[test]
    fn every_message_is_translated() {
        let mut missing = Vec::new();
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut dirs = vec![src];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                // This file only defines messages (and this test names the call it looks for).
                if path.ends_with("i18n.rs") {
                    continue;
                }
                let code = std::fs::read_to_string(&path).unwrap();
                for (i, _) in code.match_indices("Message::new(") {
                    let rest = code[i + "Message::new(".len()..].trim_start();
                    let Some(template) = rest.strip_prefix('"').and_then(literal) else {
                        continue;
                    };
                    // A template of placeholders and flags only has nothing to translate.
                    let words = template
                        .split(|c: char| !c.is_ascii_alphabetic())
                        .filter(|w| w.len() > 1)
                        .count();
                    let placeholders = template.matches('{').count();
                    let flags = template.matches("--").count();
                    if words > placeholders + flags && Lang::Zh.t_or_none(&template).is_none() {
                        missing.push(format!("{}: {template}", path.display()));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "no Chinese for:\n{}",
            missing.join("\n")
        );
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
