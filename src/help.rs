//! The command line's help in Chinese: `--help` under `--lang zh` (or a `zh_*` locale) reads
//! in Chinese, headings included. The English text lives in `cli.rs` as doc comments; this
//! module maps each to its Chinese, and a test keeps the two in step.

use clap::Command;

use crate::i18n::Lang;

/// The command line for `lang`: the derived one, with every help text in that language.
pub fn command(lang: Lang) -> Command {
    let cmd = <crate::cli::Cli as clap::CommandFactory>::command();
    match lang {
        Lang::En => cmd,
        Lang::Zh => localize(cmd, true),
    }
}

/// `plantrack help [COMMAND…]` where the help is localized: the long help of that command.
pub fn print(mut cmd: Command, asked: &clap::ArgMatches) -> std::process::ExitCode {
    let path: Vec<String> = asked
        .get_many::<String>("command")
        .map(|names| names.cloned().collect())
        .unwrap_or_default();
    cmd.build();
    let mut at = &mut cmd;
    for name in &path {
        match at.find_subcommand_mut(name) {
            Some(sub) => at = sub,
            None => {
                crate::errln!("错误:没有命令 {name};运行 plantrack --help 查看全部命令");
                return std::process::ExitCode::from(2);
            }
        }
    }
    let _ = at.print_long_help();
    std::process::ExitCode::SUCCESS
}

/// The Chinese for one help text, if there is one.
pub fn chinese(english: &str) -> Option<&'static str> {
    HELP.iter()
        .find(|(en, _)| *en == english)
        .map(|(_, zh)| *zh)
}

fn localize(mut cmd: Command, top: bool) -> Command {
    let zh = |s: &clap::builder::StyledStr| chinese(&s.to_string()).map(str::to_string);
    if let Some(about) = cmd.get_about().and_then(zh) {
        cmd = cmd.about(about);
    }
    if let Some(about) = cmd.get_long_about().and_then(zh) {
        cmd = cmd.long_about(about);
    }
    if let Some(after) = cmd.get_after_help().and_then(zh) {
        cmd = cmd.after_help(after);
    }
    let ids: Vec<clap::Id> = cmd.get_arguments().map(|a| a.get_id().clone()).collect();
    for id in ids {
        cmd = cmd.mut_arg(id, |a| {
            let help = a.get_help().and_then(zh);
            let long = a.get_long_help().and_then(zh);
            let heading = if a.is_positional() {
                "参数"
            } else {
                "选项"
            };
            let a = a.help_heading(heading);
            let a = match help {
                Some(h) => a.help(h),
                None => a,
            };
            match long {
                Some(h) => a.long_help(h),
                None => a,
            }
        });
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |s| localize(s, false));
    }
    let cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("命令")
        .disable_help_flag(true)
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .action(clap::ArgAction::Help)
                .help("显示帮助(-h 为摘要)")
                .help_heading("选项"),
        );
    match top {
        true => cmd
            .disable_help_subcommand(true)
            .subcommand(
                Command::new("help")
                    .about("显示帮助,或某个命令的帮助(plantrack help report)")
                    .arg(
                        clap::Arg::new("command")
                            .num_args(0..)
                            .help("命令")
                            .help_heading("参数"),
                    ),
            )
            .disable_version_flag(true)
            .arg(
                clap::Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(clap::ArgAction::Version)
                    .help("显示版本")
                    .help_heading("选项"),
            ),
        false => cmd,
    }
}

/// clap's layout with Chinese headings.
const TEMPLATE: &str = "{before-help}{about-with-newline}\n用法:{usage}\n\n{all-args}{after-help}";

/// Every help text of the command line, English → Chinese.
const HELP: &[(&str, &str)] = &[
    (
        "Examples:\n  plantrack report overdue                     what is late today\n  plantrack --as-of 2021-01-31 report by-target --format csv > targets.csv\n  plantrack update T-toilet --value 92 --by agri\n  plantrack --lang zh report monthly --out reports/\n\nExit codes:\n  0  success\n  1  the plan or the ledger is invalid, or a requested check failed\n  2  usage error: a bad flag, an unknown id, a value that does not fit the item",
        "示例:\n  plantrack report overdue                     今天有哪些超期\n  plantrack --as-of 2021-01-31 report by-target --format csv > targets.csv\n  plantrack update T-toilet --value 92 --by agri\n  plantrack --lang zh report monthly --out reports/\n\n退出码:\n  0  成功\n  1  方案或台账有误,或所要求的检查未通过\n  2  用法错误:参数有误、编号不存在、数值与事项不符",
    ),
    (
        "Examples:\n  plantrack update                                     pick the item, then answer each prompt\n  plantrack update T-toilet --value 92 --by agri       92 % today, by 市农业农村局\n  plantrack update T-toilet --value 92% --date 2020年12月20日 --by agri\n  plantrack update MS-goal-2022 --status 推进中 --by zone-hightech --note \"已开工\"\n  plantrack update --supersedes 3 --value 88 --by agri correct entry #3",
        "示例:\n  plantrack update                                     先选事项,再逐项回答\n  plantrack update T-toilet --value 92 --by agri       今天报 92 %,报送单位 市农业农村局\n  plantrack update T-toilet --value 92% --date 2020年12月20日 --by agri\n  plantrack update MS-goal-2022 --status 推进中 --by zone-hightech --note \"已开工\"\n  plantrack update --supersedes 3 --value 88 --by agri 更正第 3 条",
    ),
    (
        "Examples:\n  plantrack report overdue\n  plantrack --as-of 2021-01-31 report by-department --unit agri\n  plantrack report by-target --format json | jq '.rows[] | select(.light == \"red\")'\n  plantrack report monthly --month 2021-01 --out reports/",
        "示例:\n  plantrack report overdue\n  plantrack --as-of 2021-01-31 report by-department --unit agri\n  plantrack report by-target --format json | jq '.rows[] | select(.light == \"red\")'\n  plantrack report monthly --month 2021-01 --out reports/",
    ),
    (
        "Examples:\n  plantrack assess --year 2020\n  plantrack --as-of 2021-01-15 assess --year 2020 --unit agri   every point and its cause",
        "示例:\n  plantrack assess --year 2020\n  plantrack --as-of 2021-01-15 assess --year 2020 --unit agri   逐项列出得失分及原因",
    ),
    (
        "Track how a government work plan (工作方案) is carried out",
        "跟踪政府工作方案的落实情况",
    ),
    (
        "Track how a government work plan (工作方案) is carried out.\n\nThe plan is a TOML file in plan/; progress updates go to an append-only SQLite ledger beside it; reports show what is overdue, who is behind, and how far each target is.",
        "跟踪政府工作方案的落实情况。\n\n方案是 plan/ 下的 TOML 文件;进展报送记入方案旁只增不改的 SQLite 台账;报表列出超期事项、落后单位和各项指标的完成程度。",
    ),
    (
        "The plan file [default: the only *.toml in ./plan]",
        "方案文件[默认:./plan 下唯一的 *.toml]",
    ),
    (
        "The ledger database [default: <plan dir>/<plan id>.db]",
        "台账数据库[默认:<方案目录>/<方案编号>.db]",
    ),
    (
        "The date reports are computed for [default: today]",
        "报表的截至日期[默认:今天]",
    ),
    ("Output format", "输出格式"),
    (
        "Language of titles, headers and reasons [default: from LC_ALL/LANG: zh_* gives zh]",
        "标题、表头和原因说明的语言[默认:按 LC_ALL/LANG,zh_* 为中文]",
    ),
    (
        "CSV headers: the column titles in the --lang language, for people in Excel; or the JSON keys, with codes as values whatever the language, for scripts",
        "CSV 表头:titles 为 --lang 语言的列标题(供 Excel 阅读);keys 为 JSON 键名、取值为代码(供脚本处理,与语言无关)",
    ),
    (
        "Start CSV on stdout with a UTF-8 byte order mark, so that Excel on Chinese Windows reads it as UTF-8 (files written with --out always have one)",
        "输出到标准输出的 CSV 以 UTF-8 BOM 开头,中文 Windows 上的 Excel 才能按 UTF-8 打开(--out 写出的文件总带 BOM)",
    ),
    (
        "Validate the plan (and the ledger against it); errors as file:line:col",
        "校验方案(及台账);错误以 文件:行:列 标出",
    ),
    (
        "Prove that the ledger still extends the one a bulletin was made from: its 台账校验码, ENTRY:HASH",
        "核验台账仍是某期月报所据台账的延续:填入月报上的台账校验码,格式 序号:校验值",
    ),
    ("List what the plan holds", "列出方案内容"),
    ("What to list", "要列出的内容"),
    (
        "Show one item: its text, targets, units and update history",
        "显示单个事项:原文、指标、责任单位和报送记录",
    ),
    (
        "A measure, target, milestone or unit id; a unit may also be named by its Chinese name or alias",
        "措施、指标、里程碑或单位的编号;单位也可用中文名称或别名",
    ),
    (
        "Record a progress update (进展报送); prompts on a terminal for what the flags leave out",
        "录入进展报送;在终端中会逐项询问参数未给出的内容",
    ),
    (
        "The measure, target or milestone to report on [prompted on a terminal]",
        "报送的措施、指标或里程碑[终端中会询问]",
    ),
    (
        "The actual value of a numeric target, in the target's unit (e.g. 92 for 92 %)",
        "数值指标的实际值,单位同指标(如 92 % 填 92)",
    ),
    (
        "The status of a milestone or measure: not_started, in_progress, done, blocked",
        "里程碑或措施的状态:not_started(未启动)、in_progress(推进中)、done(已完成)、blocked(受阻)",
    ),
    (
        "The reporting date (the \"as of\" of the report) [default: --as-of, or today]",
        "报送所反映的日期[默认:--as-of,或今天]",
    ),
    ("A note on the progress", "进展说明"),
    (
        "The reporting unit: id, name or alias [default: the item's only unit]",
        "报送单位:编号、名称或别名[默认:事项唯一的责任单位]",
    ),
    (
        "Correct an earlier entry: the new entry supersedes entry N (the ledger keeps both)",
        "更正先前的记录:新记录取代第 N 条(台账两条都保留)",
    ),
    (
        "Record without asking for confirmation on a terminal",
        "在终端中不经确认直接录入",
    ),
    (
        "Record an update identical to the item's latest entry (same reading, date and unit), which is otherwise refused as a likely double entry",
        "录入与该事项最近一条记录完全相同(读数、日期、单位均同)的报送;否则视为可能的重复录入而拒绝",
    ),
    (
        "The ledger, newest first; superseded entries are marked",
        "台账记录,最新在前;已被更正的记录会标出",
    ),
    (
        "Only entries about this item (its former ids included)",
        "只列该事项的记录(含其曾用编号)",
    ),
    (
        "Write plan files in the one canonical layout, keeping comments; --check changes nothing",
        "把方案文件写成统一格式,保留注释;--check 不做修改",
    ),
    (
        "Write plan files in the one canonical layout, keeping comments; --check changes nothing\n\nKeys follow the order of plan/FORMAT.md, `key = value` with single spaces, dates as TOML\ndates, numbers plainly (90, not 90.0), arrays on one line, one blank line between tables.\nFormatting twice changes nothing. With --check, the files that would change are named and\nthe exit code is 1: for a pre-commit hook or CI. A file that is not TOML is refused (1).",
        "把方案文件写成统一格式,保留注释;--check 不做修改\n\n键按 plan/FORMAT.md 的顺序排列,写作 `键 = 值`,日期用 TOML 日期,数字写成最简形式\n(90 而非 90.0),数组写在一行,表之间空一行。格式化两次结果不变。加 --check 时列出\n需要修改的文件并以退出码 1 结束,可用于提交前检查或 CI。不是 TOML 的文件会被拒绝(1)。",
    ),
    (
        "The plan files [default: the plan]",
        "方案文件[默认:当前方案]",
    ),
    (
        "Change nothing: name the files that are not formatted, and exit 1 if there is one",
        "不做修改:列出未按统一格式书写的文件,有则退出码为 1",
    ),
    (
        "What changed between two versions of a plan, in plan terms (see plan/GIT.md)",
        "两个版本的方案之间改了什么,按方案内容说明(见 plan/GIT.md)",
    ),
    (
        "What changed between two versions of a plan, in plan terms (see plan/GIT.md)\n\nOLD and NEW are plan files, or REV:PATH read with `git show` (for example\nHEAD~1:plan/regional.toml); REV:PATH is read only when no file has that name. Reported:\nitems, units and sections added or removed; ids renamed (through previous_ids); a target's\nvalue, comparator, tolerance, unit or deadline as old → new; responsible units added or\nremoved and lead units changed; text changes summarized. Exit code 0 (with --exit-code,\n1 when the plans differ); 1 when a side is not a valid plan; 2 when a side cannot be read\n(no such file, no such revision or path in git, not a git repository).",
        "两个版本的方案之间改了什么,按方案内容说明(见 plan/GIT.md)\n\nOLD 和 NEW 是方案文件,或用 `git show` 读取的 版本:路径(如 HEAD~1:plan/regional.toml);\n只有不存在同名文件时才按 版本:路径 读取。列出:增删的事项、单位和章节;改名的编号\n(经 previous_ids);指标的目标值、比较方式、允许偏差、计量单位或期限的 旧 → 新;增删的\n责任单位和变更的牵头单位;文字修改摘要。退出码 0(加 --exit-code 时方案不同为 1);\n一方不是有效方案为 1;一方无法读取为 2(文件不存在、git 中无此版本或路径、不是 git 仓库)。",
    ),
    (
        "The old plan: a file, or REV:PATH from git (e.g. HEAD~1:plan/regional.toml)",
        "旧方案:文件,或 git 的 版本:路径(如 HEAD~1:plan/regional.toml)",
    ),
    (
        "The new plan: a file, or REV:PATH from git (e.g. HEAD:plan/regional.toml)",
        "新方案:文件,或 git 的 版本:路径(如 HEAD:plan/regional.toml)",
    ),
    (
        "Exit 1 when the plans differ, as `git diff --exit-code` does",
        "方案不同时退出码为 1,同 `git diff --exit-code`",
    ),
    (
        "Print one plan as sorted lines, one fact a line, for a git textconv driver (plan/GIT.md)",
        "把方案按事实逐行排序输出,供 git textconv 使用(plan/GIT.md)",
    ),
    (
        "Reports: overdue, by department, by target, the monthly bulletin",
        "报表:超期事项、分单位、分指标、月报",
    ),
    (
        "What is past due and not met, who is responsible, and units that have not reported",
        "已过期限仍未完成的事项、责任单位,以及未报送的单位",
    ),
    (
        "Per unit: items, lights, overdue count, last report date; worst first",
        "分单位:事项数、红黄绿灯、超期数、最近报送日期;最差的在前",
    ),
    (
        "Show one unit's items in detail (id, name or alias)",
        "逐项显示某一单位的事项(编号、名称或别名)",
    ),
    (
        "Only units of this kind: department, government, zone, enterprise, stationed, party or group (county governments, say, apart from city departments)",
        "只列某一类单位:department(市直部门)、government(县区人民政府)、zone(管委会)、enterprise(国有企业)、stationed(驻市单位)、party(党群组织)或 group(单位群组)",
    ),
    (
        "Per target: target, latest actual, % of target, expected by now, deadline, light, reason",
        "分指标:目标值、最新实际值、完成比例、序时应达、期限、信号灯、原因",
    ),
    (
        "The monthly bulletin (月报): summary, changes, overdue by department, silent units, targets",
        "月报:概况、变化、各单位超期事项、未报送单位、指标进度",
    ),
    (
        "The month to report [default: the last complete month on --as-of]",
        "报告的月份[默认:--as-of 时最近一个已结束的月份]",
    ),
    (
        "Write every format (md, csv, json, html, xlsx) into DIR as YYYY-MM.<ext>",
        "把各种格式(md、csv、json、html、xlsx)写入 DIR,文件名为 YYYY-MM.<扩展名>",
    ),
    (
        "The annual department assessment (考核): a score and a rank per unit",
        "年度部门考核:各单位的得分和排名",
    ),
    (
        "The annual department assessment (考核): a score and a rank per unit\n\nEvery unit that leads an item or shares one jointly is scored; the plan's supervisor is\nnot. Over the year, or up to --as-of while the year is not over, a unit scores\n\n    base                                     (default 100)\n    + reported_cycle × cycles reported       (default 1)\n    - missed_cycle   × cycles missed         (default 2)\n    + met_on_time    × items met on time     (default 5)\n    - overdue        × items overdue         (default 3)\n    - met_late       × items met late        (default 1)\n\nA reporting cycle counts once it has ended, and only if it began after the plan was\nissued; it is reported when the unit recorded an entry dated in it. An item is settled\nonce, in the year of its deadline: met on time, met late within the year, or overdue\nwhen still unmet at the year's end; later years list it as carried over, with no points.\nAn item's points go to its lead in full and are shared equally among units jointly\nresponsible for it. A plan may change the numbers and the sharing in its [assessment]\ntable (plan/FORMAT.md). Equal scores share a rank. The same ledger always gives the\nsame score; --unit lists every point with its cause.",
        "年度部门考核:各单位的得分和排名\n\n牵头或共同负责某一事项的单位参加考核;督办单位不参加。全年(或年度未结束时截至 --as-of)\n得分为\n\n    基础分 base                              (默认 100)\n    + reported_cycle × 已报送期数            (默认 1)\n    - missed_cycle   × 未报送期数            (默认 2)\n    + met_on_time    × 按期完成事项数        (默认 5)\n    - overdue        × 超期事项数            (默认 3)\n    - met_late       × 逾期完成事项数        (默认 1)\n\n报送周期结束后才计分,且须在方案印发后开始;单位录入了日期在该周期内的记录即为已报送。\n每个事项只在其到期年度计分一次:按期完成、年内逾期完成,或年末仍未完成为超期;以后\n年度列为挂账,不再计分。事项的分数由牵头单位全额承担,共同负责的单位平均分担。方案可在\n[assessment] 表中调整分值和分担方式(plan/FORMAT.md)。得分相同名次相同。同一台账\n得分总是相同;--unit 列出每一项得失分及原因。",
    ),
    (
        "The year to assess [default: the year of --as-of]",
        "考核年度[默认:--as-of 所在年度]",
    ),
    (
        "Explain one unit's score point by point (id, name or alias)",
        "逐项说明某一单位的得分(编号、名称或别名)",
    ),
    (
        "Reminders (催办): a notice for each unit that has not reported or has items falling due",
        "催办:为未报送或有事项即将到期的单位各生成一份通知",
    ),
    (
        "Reminders (催办): a notice for each unit that has not reported or has items falling due\n\nA unit is reminded when it is responsible for an item not yet met and has recorded no entry within the last reporting cycle before --as-of, or when one of its items not yet met falls due within --within days. Each notice says what is missing, what is due and when, and what is overdue, in the --lang language; --format json gives the notices to a script that sends them.",
        "催办:为未报送或有事项即将到期的单位各生成一份通知\n\n单位负责的事项尚未完成、且在 --as-of 前最近一个报送周期内没有任何记录,或其未完成事项将在 --within 天内到期时,生成催办通知。通知以 --lang 语言写明缺报内容、到期事项及期限和超期事项;--format json 可交给发送通知的脚本。",
    ),
    (
        "Also remind units of items not met that fall due within N days of --as-of",
        "同时提醒在 --as-of 后 N 天内到期的未完成事项",
    ),
    (
        "The reply deadline written into each notice [default: \"as soon as possible\"]",
        "通知中写明的回复期限[默认:“尽快”]",
    ),
    (
        "Print the JSON Schema of a --format json document",
        "输出 --format json 文档的 JSON Schema",
    ),
    (
        "Print the JSON Schema of a --format json document\n\nEvery --format json document is an object: schema (\"plantrack/<report>/<version>\"), plan, as_of, lang, the report's own header keys, then rows. Without REPORT, lists the documents.",
        "输出 --format json 文档的 JSON Schema\n\n每个 --format json 文档都是一个对象:schema(\"plantrack/<报表>/<版本>\")、plan、as_of、lang、报表自身的表头键,然后是 rows。不指定 REPORT 时列出所有文档。",
    ),
    (
        "The document: overdue, by-target, by-department, by-department-unit, monthly, assess, assess-unit, remind, history, show, list-sections, list-measures, list-targets, list-milestones, list-units, check, diff",
        "文档名:overdue、by-target、by-department、by-department-unit、monthly、assess、assess-unit、remind、history、show、list-sections、list-measures、list-targets、list-milestones、list-units、check、diff",
    ),
    (
        "Copy the ledger to FILE, safely while others write (SQLite's online backup)",
        "把台账备份到 FILE,他人写入时也安全(SQLite 在线备份)",
    ),
    (
        "Copy the ledger to FILE, safely while others write (SQLite's online backup)\n\nThe copy is a complete ledger: restore it by copying it back (or pass it as --db).",
        "把台账备份到 FILE,他人写入时也安全(SQLite 在线备份)\n\n备份是完整的台账:复制回原处即可恢复(或用 --db 指定)。",
    ),
    ("Where to write the copy", "备份文件的位置"),
    (
        "Write the whole ledger, every entry with its hash, as JSON (default) or --format csv",
        "导出整个台账,每条记录带校验值,格式为 JSON(默认)或 --format csv",
    ),
    (
        "Write the whole ledger, every entry with its hash, as JSON (default) or --format csv\n\nThe layout is stable (README: \"The ledger an auditor can trust\"); `plantrack import` loads it into an empty ledger.",
        "导出整个台账,每条记录带校验值,格式为 JSON(默认)或 --format csv\n\n格式稳定(见 README“可供审计的台账”);`plantrack import` 可将其导入空台账。",
    ),
    (
        "Load a file written by `plantrack export` into a new, empty ledger, re-verifying the hash chain; nothing is written unless every entry verifies",
        "把 `plantrack export` 导出的文件导入新的空台账,并重新核验校验链;有任何一条不符则不写入",
    ),
    (
        "A file written by `plantrack export` (JSON or CSV)",
        "`plantrack export` 导出的文件(JSON 或 CSV)",
    ),
    (
        "Print a shell completion script: plantrack completions bash > /etc/bash_completion.d/plantrack",
        "输出 shell 补全脚本:plantrack completions bash > /etc/bash_completion.d/plantrack",
    ),
    ("The shell", "shell 类型"),
    (
        "Print the manual page (roff): plantrack man > plantrack.1 && man ./plantrack.1",
        "输出手册页(roff):plantrack man > plantrack.1 && man ./plantrack.1",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(cmd: &Command, out: &mut Vec<String>) {
        out.extend(cmd.get_about().map(ToString::to_string));
        out.extend(cmd.get_after_help().map(ToString::to_string));
        out.extend(cmd.get_long_about().map(ToString::to_string));
        for a in cmd.get_arguments() {
            out.extend(a.get_help().map(ToString::to_string));
            out.extend(a.get_long_help().map(ToString::to_string));
        }
        for s in cmd.get_subcommands() {
            texts(s, out);
        }
    }

    #[test]
    fn every_help_text_has_its_chinese() {
        let mut all = Vec::new();
        texts(&command(Lang::En), &mut all);
        let missing: Vec<&String> = all.iter().filter(|t| chinese(t).is_none()).collect();
        assert!(missing.is_empty(), "no Chinese for: {missing:#?}");
        command(Lang::Zh).debug_assert();
    }
}
