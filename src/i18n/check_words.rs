//! The Chinese of what `check` says: the plan's diagnostics, the ledger's findings and the
//! line that sums them up. A diagnostic names its table first (`{what}`: 指标 T-1).

/// (English, 中文).
pub(super) const CHECK_WORDS: &[(&str, &str)] = &[
    // The summing-up
    ("warning", "警告"),
    (", ", "、"),
    ("{plan}: ok: {counts}", "{plan}:检查通过:{counts}"),
    ("1 section", "1 个章节"),
    ("{n} sections", "{n} 个章节"),
    ("1 measure", "1 项措施"),
    ("{n} measures", "{n} 项措施"),
    ("1 target", "1 项指标"),
    ("{n} targets", "{n} 项指标"),
    ("1 milestone", "1 个里程碑"),
    ("{n} milestones", "{n} 个里程碑"),
    ("1 unit", "1 个责任单位"),
    ("{n} units", "{n} 个责任单位"),
    ("1 warning", "1 条警告"),
    ("{n} warnings", "{n} 条警告"),
    ("1 error in the plan", "方案中有 1 处错误"),
    ("{n} errors in the plan", "方案中有 {n} 处错误"),
    // What a table is
    ("{kind} (no id)", "{kind}(缺编号)"),
    ("{what} baseline", "{what} 的基期值"),
    ("source", "原文出处"),
    ("source fix", "原文更正"),
    ("assessment", "考核规则"),
    // What a value is
    ("a string", "字符串"),
    ("a number", "数字"),
    ("true or false", "true 或 false"),
    ("an array of strings", "字符串数组"),
    (
        "an array of years, e.g. [2021, 2022]",
        "年份数组,如 [2021, 2022]",
    ),
    ("a table", "表"),
    ("string", "字符串"),
    ("integer", "整数"),
    ("float", "小数"),
    ("boolean", "布尔值"),
    ("datetime", "日期时间"),
    ("array", "数组"),
    ("table", "表"),
    // What a quote's wording means
    ("at least", "不低于"),
    ("at most", "不高于"),
    ("at most, a range or about", "不高于、区间或约数"),
    ("about", "约为"),
    ("more than", "高于"),
    ("less than", "低于"),
    // Dates as an officer writes them
    ("a year has 12 months", "一年只有 12 个月"),
    (
        "{year}-{month} has {days} days",
        "{year} 年 {month} 月只有 {days} 天",
    ),
    ("年底 means 12-31", "年底即 12-31"),
    ("月底 means the month's last day", "月底即当月最后一天"),
    ("a TOML date is YYYY-MM-DD", "TOML 日期写作 YYYY-MM-DD"),
    // Reading the file
    ("cannot read the plan: {why}", "无法读取方案文件:{why}"),
    (
        "the file is not valid UTF-8 (byte 0x{byte}); save it as UTF-8, for example with \"Save as… → Encoding: UTF-8\" in WPS or Excel",
        "文件不是有效的 UTF-8 编码(字节 0x{byte});请另存为 UTF-8,例如在 WPS 或 Excel 中“另存为… → 编码:UTF-8”",
    ),
    ("TOML syntax: {why}", "TOML 语法错误:{why}"),
    ("TOML syntax: {why}{hint}", "TOML 语法错误:{why}{hint}"),
    (
        "; the line holds full-width punctuation, which TOML reads only in ASCII: {found}",
        ";该行含全角标点,TOML 只认半角:{found}",
    ),
    ("; write {date} ({how})", ";请写作 {date}({how})"),
    (
        " (write {key} = {date}, unquoted; {how})",
        "(请写作 {key} = {date},不加引号;{how})",
    ),
    (
        " (write it unquoted: {key} = {s})",
        "(请去掉引号:{key} = {s})",
    ),
    (
        "source: cannot read {path}: {why}",
        "原文出处:无法读取 {path}:{why}",
    ),
    (
        "source fix: \"{text}\" does not occur in the source document",
        "原文更正:原文中没有“{text}”",
    ),
    // Tables and keys
    ("missing the [plan] table", "缺少 [plan] 表"),
    (
        "`{name}` must be a table: write [{name}]",
        "`{name}` 应为表:写作 [{name}]",
    ),
    ("unknown table `{other}`{hint}", "未知的表 `{other}`{hint}"),
    (
        "`{key}` entries must be tables: write [[{key}]]",
        "`{key}` 的每一项应为表:写作 [[{key}]]",
    ),
    (
        "`{key}` must be an array of tables: write [[{key}]], not [{key}]",
        "`{key}` 应为表数组:写作 [[{key}]],而不是 [{key}]",
    ),
    (
        "`{key}` must be an array of tables, found {found}",
        "`{key}` 应为表数组,实为{found}",
    ),
    (
        "{what}: `{key}` must be {expected}, found {found}",
        "{what}:`{key}` 应为{expected},实为{found}",
    ),
    (
        "{what}: `{key}` must not be empty",
        "{what}:`{key}` 不能为空",
    ),
    (
        "{what}: unknown {key} \"{value}\"{hint}; expected one of: {names}",
        "{what}:未知的 {key}“{value}”{hint};可选:{names}",
    ),
    (
        "{what}: \"{value}\" is listed twice in `{key}`",
        "{what}:“{value}”在 `{key}` 中重复列出",
    ),
    (
        "{what}: `{key}` holds the control character {c}; remove it",
        "{what}:`{key}` 含控制字符 {c},请删除",
    ),
    (
        "{what}: `{key}` must be a finite number",
        "{what}:`{key}` 应为有限的数",
    ),
    (
        "{what}: `{key}` must not be negative, found {n}",
        "{what}:`{key}` 不能为负数,实为 {n}",
    ),
    (
        "{what}: `{key}` is not a real date: {text} ({detail})",
        "{what}:`{key}` 不是真实存在的日期:{text}({detail})",
    ),
    (
        "{what}: `{key}` must be a date such as 2020-12-31, found {found}{hint}",
        "{what}:`{key}` 应为日期,如 2020-12-31,实为{found}{hint}",
    ),
    (
        "{what}: `{key}` must be a date without a time, found {dt}",
        "{what}:`{key}` 应为不含时刻的日期,实为 {dt}",
    ),
    (
        "{what}: `{key}` is not a real date: {d}",
        "{what}:`{key}` 不是真实存在的日期:{d}",
    ),
    (
        "{what}: unknown key `{key}`{hint}",
        "{what}:未知的字段 `{key}`{hint}",
    ),
    (
        "{what}: missing required field `{key}`",
        "{what}:缺少必填字段 `{key}`",
    ),
    // Ids and references
    (
        "{kind} {id}: an id must not contain spaces, quotes or commas",
        "{kind} {id}:编号不能含空格、引号或逗号",
    ),
    (
        "plan: id \"{id}\" may hold only a–z, 0–9 and -; it names the ledger file {id}.db",
        "方案:编号“{id}”只能由 a–z、0–9 和 - 组成;台账文件以它命名为 {id}.db",
    ),
    (
        "{what}: duplicate id \"{id}\" (first defined on line {line})",
        "{what}:编号“{id}”重复(首次定义于第 {line} 行)",
    ),
    (
        "{what}: unknown {kind} \"{id}\"{hint}",
        "{what}:未知的{kind}“{id}”{hint}",
    ),
    (" (write its id: \"{id}\")", "(请写编号:“{id}”)"),
    (
        "{what}: former id \"{p}\" is already claimed by {first}",
        "{what}:曾用编号“{p}”已被 {first} 使用",
    ),
    (
        "{what}: former id \"{p}\" is the id of a unit or a section",
        "{what}:曾用编号“{p}”是某个责任单位或章节的编号",
    ),
    (
        "{what}: id \"{id}\" is also listed as a former id (previous_ids) of {owner}",
        "{what}:编号“{id}”同时被列为 {owner} 的曾用编号(previous_ids)",
    ),
    (
        "{what}: sections nest in a circle through `parent`",
        "{what}:章节经 `parent` 循环嵌套",
    ),
    // Units and leads
    (
        "{what}: no responsible unit: give `units` here, on its section, or on [plan]",
        "{what}:没有责任单位:请在此处、所属章节或 [plan] 中填写 `units`",
    ),
    (
        "{what}: lead unit \"{id}\" is not among its responsible units",
        "{what}:牵头单位“{id}”不在其责任单位之中",
    ),
    (
        "{what}: lead_basis = \"duty\" needs a `lead`",
        "{what}:lead_basis = \"duty\" 需要填写 `lead`",
    ),
    (
        "{what}: a lead by duty is an interpretation: add a `note` saying why",
        "{what}:按职责推定牵头属于解读,请在 `note` 中说明理由",
    ),
    (
        "{what}: member \"{id}\" is a group with members itself; list its members instead",
        "{what}:成员“{id}”本身是含成员的单位群组,请改列其成员",
    ),
    (
        "{what}: `source_name = false` needs a `note` saying why the source never names the unit",
        "{what}:`source_name = false` 需要在 `note` 中说明原文为何从未提及该单位",
    ),
    (
        "{what}: neither its name \"{name}\" nor an alias occurs in the source document; correct the name, or set source_name = false with a note saying why",
        "{what}:原文中既没有名称“{name}”,也没有其别名;请更正名称,或设 source_name = false 并在 note 中说明理由",
    ),
    // Targets
    (
        "{what}: comparator \"range\" needs an `upper` bound, e.g. value = 3 and upper = 5",
        "{what}:comparator \"range\" 需要上限 `upper`,如 value = 3、upper = 5",
    ),
    (
        "{what}: the range's `upper` bound {upper} is below its `value` {value}",
        "{what}:区间上限 `upper` {upper} 低于下限 `value` {value}",
    ),
    (
        "{what}: `upper` belongs to comparator \"range\", not \"{c}\"",
        "{what}:`upper` 只用于 comparator \"range\",不用于 \"{c}\"",
    ),
    (
        "{what}: comparator \"about\" needs a `tolerance`, e.g. tolerance = 1",
        "{what}:comparator \"about\" 需要允许偏差 `tolerance`,如 tolerance = 1",
    ),
    (
        "{what}: `tolerance` applies only to comparator \"about\", not \"{c}\"",
        "{what}:`tolerance` 只用于 comparator \"about\",不用于 \"{c}\"",
    ),
    (
        "{what}: a relative target (a change from a baseline) needs a `baseline`",
        "{what}:相对指标(较基期的变化)需要基期值 `baseline`",
    ),
    (
        "{what}: `max` {max} is below `min` {min}",
        "{what}:`max` {max} 低于 `min` {min}",
    ),
    (
        "{what}: a target is set per year (`years`) or `sustained`, not both",
        "{what}:指标按年设定(`years`)或持续保持(`sustained`),二者只能取一",
    ),
    (
        "{what}: write the percentage unit as unit = \"%\", not \"{unit}\"",
        "{what}:百分比的计量单位请写作 unit = \"%\",而不是“{unit}”",
    ),
    (
        "{what}: a percentage must lie in 0–100, found {n}",
        "{what}:百分比应在 0–100 之间,实为 {n}",
    ),
    (
        "{what}: the baseline value {v} lies outside what the metric allows",
        "{what}:基期值 {v} 超出该指标的取值范围",
    ),
    (
        "{what}: the baseline date {date} is after the deadline {due}",
        "{what}:基期日期 {date} 晚于截止日期 {due}",
    ),
    (
        "{what}: the baseline date {date} is after the plan horizon {horizon}",
        "{what}:基期日期 {date} 晚于方案期限 {horizon}",
    ),
    (
        "assessment: cooperating_share is a fraction from 0 to 1, found {n}",
        "考核规则:cooperating_share 应为 0 到 1 之间的比例,实为 {n}",
    ),
    // Dates
    (
        "{what}: horizon {horizon} is before the issue date {issued}",
        "{what}:方案期限 {horizon} 早于印发日期 {issued}",
    ),
    (
        "{what}: deadline {due} is before the plan was issued ({issued})",
        "{what}:截止日期 {due} 早于方案印发日期({issued})",
    ),
    (
        "{what}: deadline {due} is after the plan horizon {horizon}; the horizon is the plan's last deadline",
        "{what}:截止日期 {due} 晚于方案期限 {horizon};方案期限是方案的最后截止日期",
    ),
    // Quotes against the source
    (
        "{what}: `quote` must not be empty",
        "{what}:`quote` 不能为空",
    ),
    ("{what}: the quote is empty", "{what}:原文摘录为空"),
    (
        "{what}: text not found verbatim in the source document{hint}",
        "{what}:原文中找不到与此完全一致的文字{hint}",
    ),
    (
        "; the first {matched} characters match, then it differs at \"{rest}\"",
        ";前 {matched} 个字一致,从“{rest}”处开始不同",
    ),
    (
        "{what}: the quote is not part of its measure {id}'s text",
        "{what}:原文摘录不在所属措施 {id} 的原文中",
    ),
    (
        "{what}: the quote does not state {n} {unit}; it says \"{quote}\"",
        "{what}:原文摘录没有写明 {n} {unit};摘录为“{quote}”",
    ),
    (
        "{what}: the deadline {due} is not in a year the quote names ({years})",
        "{what}:截止日期 {due} 不在原文摘录所写的年份({years})",
    ),
    (
        "{what}: the quote says {word} ({meaning}), but the comparator is \"{c}\"",
        "{what}:原文摘录写的是“{word}”({meaning}),但 comparator 为 \"{c}\"",
    ),
    (
        "{what}: measure number {n} is already used by {first} in the same section",
        "{what}:措施序号 {n} 在同一章节中已被 {first} 使用",
    ),
    (
        "plan: missing_measures lists \"{n}\", but {id} has that number",
        "方案:missing_measures 列出了“{n}”,但 {id} 用的正是这个序号",
    ),
    // The ledger: the file and the hash chain
    ("the database file is damaged: {p}", "数据库文件已损坏:{p}"),
    (
        "the hash chain breaks at entry #{id}: {why}",
        "哈希链在 #{id} 号记录处断裂:{why}",
    ),
    (
        "a field that must not be empty is missing",
        "缺少不能为空的字段",
    ),
    ("it has no hash", "该记录没有哈希值"),
    (
        "its content or its place in the ledger differs from when it was written (edited, or an entry before it was deleted, inserted or reordered)",
        "其内容或在台账中的位置与写入时不同(被修改过,或其前面的记录被删除、插入或调换过顺序)",
    ),
    (
        "the anchor {entry}:{hash} does not hold: the ledger no longer has entry #{entry}",
        "台账校验码 {entry}:{hash} 核对不符:台账中已没有 #{entry} 号记录",
    ),
    ("no hash", "无哈希值"),
    (
        "the anchor {entry}:{hash} does not hold: entry #{entry} now chains to {stored}, so the ledger up to it was rewritten since the anchor was taken",
        "台账校验码 {entry}:{hash} 核对不符:#{entry} 号记录现在的哈希为 {stored},即自取得校验码以来,截至该记录的台账被改写过",
    ),
    // The ledger: its rows
    ("entry #{n}: {finding}", "#{n} 号记录:{finding}"),
    (
        "{problem}, which update refuses",
        "{problem},update 不会接受这样的记录",
    ),
    (
        "{problem} in today's plan (recorded against plan version {short})",
        "{problem}(按现行方案;录入时的方案版本为 {short})",
    ),
    (
        "its value {v} is outside what {id} allows",
        "数值 {v} 超出 {id} 允许的范围",
    ),
    (
        "it has a status, but {id} takes a value",
        "记录的是状态,但 {id} 应报送数值",
    ),
    (
        "it has a value, but {id} takes a status",
        "记录的是数值,但 {id} 应报送状态",
    ),
    (
        "its unit {unit} is not in the plan",
        "报送单位 {unit} 不在方案中",
    ),
    (
        "its unit {unit} is not responsible for {id}",
        "报送单位 {unit} 不是 {id} 的责任单位",
    ),
    ("has no item id", "没有事项编号"),
    (
        "its report date {date} is not a date",
        "报送日期 {date} 不是日期",
    ),
    (
        "its recording time {recorded} is not a time",
        "录入时间 {recorded} 不是时间",
    ),
    (
        "it reports on {date}, after it was recorded ({recorded})",
        "报送日期 {date} 晚于录入时间({recorded})",
    ),
    (
        "its status {s} is not one plantrack knows",
        "状态 {s} 不是 plantrack 可识别的状态",
    ),
    ("its value {text} is not a number", "数值 {text} 不是数字"),
    ("its value {v} is not finite", "数值 {v} 不是有限数"),
    (
        "it has both or neither of a status and a value",
        "状态和数值同时存在或同时缺失",
    ),
    ("it names no reporting unit", "没有报送单位"),
    ("not a date: {date}", "不是日期:{date}"),
    ("unknown status {s}", "未知状态 {s}"),
    (
        "neither a value nor a known status: {s}",
        "既没有数值,也没有可识别的状态:{s}",
    ),
    ("the hash chain breaks there: {why}", "哈希链在此断裂:{why}"),
    (
        "it supersedes #{n}, which is not an earlier entry",
        "所更正的 #{n} 号记录不在本记录之前",
    ),
    // The ledger: entries about ids the plan no longer has
    (
        "{entries} about \"{id}\", which is not in the plan{hint}",
        "{entries}涉及“{id}”,但方案中没有该事项{hint}",
    ),
    ("1 ledger entry", "1 条台账记录"),
    ("{n} ledger entries", "{n} 条台账记录"),
    (
        "; if it was renamed, add previous_ids = [\"{id}\"] to {c}",
        ";如已改编号,请在 {c} 中加上 previous_ids = [\"{id}\"]",
    ),
    (
        "; restore the item, or list the id under previous_ids of the item that replaces it",
        ";请恢复该事项,或将此编号列入接替事项的 previous_ids",
    ),
];
