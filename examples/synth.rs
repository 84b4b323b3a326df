//! A synthetic plan and ledger at scale, for the benchmark (`examples/bench.rs`).
//!
//! ```text
//! cargo run --release --example synth -- --measures 10000 --updates 1000000 --out /tmp/synth
//! ```
//!
//! Writes `DIR/plan.toml`: a valid plan with `--measures` measures in sections, about three
//! targets per measure (every comparator, some with a baseline, deadlines spread over the
//! horizon), a milestone for about half of the measures and 300 units of every kind; and
//! `DIR/ledger.db`: `--updates` ledger entries dated 2020-01-01..2025-12-31, values for targets
//! and statuses for measures and milestones, each by one of the item's units, with notes and a
//! few corrections (`supersedes`). The ledger is written through the library's `Store` API, in
//! large transactions. The output is the same for the same arguments: the random numbers come
//! from a fixed-seed splitmix64.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, ensure};
use chrono::{Days, NaiveDate};
use clap::Parser;
use plantrack::model::Status;
use plantrack::model::{NewEntry, Reading};
use plantrack::store::Store;

/// Generate a synthetic plan and ledger for benchmarks.
#[derive(Debug, Parser)]
struct Args {
    /// Number of measures (about 3 targets each, a milestone for about half)
    #[arg(long, default_value_t = 10_000)]
    measures: usize,
    /// Number of ledger entries, corrections included
    #[arg(long, default_value_t = 1_000_000)]
    updates: usize,
    /// Output directory; plan.toml and ledger.db in it are replaced
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Seed of the random numbers
    #[arg(long, default_value_t = 20200101)]
    seed: u64,
}

/// splitmix64: small, fast and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, n)`.
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 32) * n as u64) >> 32) as usize
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

const ISSUED: (i32, u32, u32) = (2020, 1, 1);
/// Days from the issue date to the horizon, 2025-12-31.
const HORIZON: u32 = 2191;
/// The supervision office, unit 0: it reports on others and is responsible for nothing.
const SUPERVISOR: usize = 0;

const DISTRICTS: [(&str, &str); 12] = [
    ("city", "市"),
    ("dongcheng", "东城区"),
    ("xicheng", "西城区"),
    ("nanshan", "南山区"),
    ("beihu", "北湖区"),
    ("qingshan", "青山县"),
    ("shiqiao", "石桥县"),
    ("hekou", "河口县"),
    ("yunling", "云岭县"),
    ("pingyuan", "平原县"),
    ("xinan", "新安县"),
    ("linjiang", "临江县"),
];
/// 23 departments, then a zone and a group per district: 12 × 25 = 300 units.
const DEPARTMENTS: [(&str, &str); 25] = [
    ("fgw", "发展改革委"),
    ("edu", "教育局"),
    ("sci", "科技局"),
    ("miit", "工业和信息化局"),
    ("police", "公安局"),
    ("civil", "民政局"),
    ("justice", "司法局"),
    ("finance", "财政局"),
    ("hrss", "人力资源社会保障局"),
    ("land", "自然资源局"),
    ("env", "生态环境局"),
    ("housing", "住房城乡建设局"),
    ("transport", "交通运输局"),
    ("water", "水务局"),
    ("agri", "农业农村局"),
    ("commerce", "商务局"),
    ("culture", "文化广电旅游局"),
    ("health", "卫生健康委"),
    ("emergency", "应急管理局"),
    ("market", "市场监管局"),
    ("stats", "统计局"),
    ("forest", "林业局"),
    ("medins", "医疗保障局"),
    ("zone", ""),
    ("gov", ""),
];
const TOPICS: [&str; 20] = [
    "农村人居环境",
    "农业产业化",
    "乡村旅游",
    "生态保护",
    "水利设施",
    "城乡道路",
    "义务教育",
    "基层医疗",
    "养老服务",
    "就业创业",
    "数字乡村",
    "公共文化",
    "安全生产",
    "营商环境",
    "科技创新",
    "住房保障",
    "垃圾分类",
    "污水治理",
    "森林防火",
    "粮食生产",
];
const ACTIONS: [&str; 8] = [
    "推进", "加强", "完善", "深化", "实施", "提升", "健全", "加快",
];
const SUFFIXES: [&str; 8] = [
    "工程",
    "体系建设",
    "专项行动",
    "示范创建",
    "基础设施建设",
    "长效机制",
    "攻坚行动",
    "质量提升",
];
const GOALS: [&str; 6] = [
    "全面完成年度目标任务",
    "实现全覆盖",
    "建立健全工作机制",
    "形成可复制推广的经验",
    "达到省定标准",
    "基本建成服务体系",
];
const MILESTONES: [&str; 6] = [
    "完成{}摸底调查",
    "出台{}实施细则",
    "建成{}信息平台",
    "召开{}现场推进会",
    "完成{}中期评估",
    "制定{}考核办法",
];

/// Metric templates: (suffix, unit, comparators that make sense, low, high).
struct MetricKind {
    suffix: &'static str,
    unit: &'static str,
    at_most: bool,
    lo: f64,
    hi: f64,
}

const METRICS: [MetricKind; 10] = [
    MetricKind {
        suffix: "覆盖率",
        unit: "%",
        at_most: false,
        lo: 60.0,
        hi: 100.0,
    },
    MetricKind {
        suffix: "达标率",
        unit: "%",
        at_most: false,
        lo: 70.0,
        hi: 98.0,
    },
    MetricKind {
        suffix: "群众满意度",
        unit: "%",
        at_most: false,
        lo: 80.0,
        hi: 95.0,
    },
    MetricKind {
        suffix: "示范点数量",
        unit: "个",
        at_most: false,
        lo: 5.0,
        hi: 200.0,
    },
    MetricKind {
        suffix: "改革任务",
        unit: "项",
        at_most: false,
        lo: 3.0,
        hi: 40.0,
    },
    MetricKind {
        suffix: "完成投资",
        unit: "亿元",
        at_most: false,
        lo: 1.0,
        hi: 80.0,
    },
    MetricKind {
        suffix: "新建改造里程",
        unit: "公里",
        at_most: false,
        lo: 10.0,
        hi: 900.0,
    },
    MetricKind {
        suffix: "培训人次",
        unit: "万人",
        at_most: false,
        lo: 0.5,
        hi: 30.0,
    },
    MetricKind {
        suffix: "投诉件数",
        unit: "件",
        at_most: true,
        lo: 20.0,
        hi: 500.0,
    },
    MetricKind {
        suffix: "事故发生率",
        unit: "%",
        at_most: true,
        lo: 0.5,
        hi: 10.0,
    },
];

const VALUE_NOTES: [&str; 6] = [
    "截至本期累计完成{v}{u}",
    "据统计部门数据,当前为{v}{u}",
    "经抽样核查,实际为{v}{u}",
    "按月调度,本月达到{v}{u}",
    "各县区汇总数据为{v}{u}",
    "",
];
const STATUS_NOTES: [&str; 8] = [
    "已召开专题推进会,明确责任分工",
    "正在组织实施,进度符合预期",
    "资金已下达,项目有序推进",
    "受天气影响,部分工程延后",
    "已完成验收并报送材料",
    "待上级审批,暂缓推进",
    "已列入年度重点督办事项",
    "",
];

/// A date as days after the issue date.
type Day = u32;

struct Measure {
    topic: usize,
    units: Vec<usize>,
    due: Option<Day>,
}

struct Target {
    measure: usize,
    metric: usize,
    topic: usize,
    comparator: &'static str,
    value: f64,
    tolerance: Option<f64>,
    baseline: Option<(f64, Day)>,
    due: Option<Day>,
    /// Explicit responsible units (a subset of the measure's), or the measure's.
    units: Option<Vec<usize>>,
}

struct Milestone {
    measure: usize,
    title: usize,
    due: Option<Day>,
    units: Option<Vec<usize>>,
}

struct Synth {
    measures: Vec<Measure>,
    targets: Vec<Target>,
    milestones: Vec<Milestone>,
    units: Vec<(String, String, &'static str)>,
    sections: usize,
}

fn date(day: Day) -> NaiveDate {
    let (y, m, d) = ISSUED;
    NaiveDate::from_ymd_opt(y, m, d).expect("issue date") + Days::new(day.into())
}

/// A Chinese numeral for 1..=99, as sections are numbered.
fn chinese(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match (n / 10, n % 10) {
        (0, u) => D[u].into(),
        (1, u) => format!("十{}", D[u]),
        (t, u) => format!("{}十{}", D[t], D[u]),
    }
}

/// A number the way a plan writes it: `90`, `92.5`.
fn num(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A deadline: the end of a quarter, or none (the plan horizon) for one item in five.
fn deadline(rng: &mut Rng, after: Day) -> Option<Day> {
    if rng.chance(0.2) {
        return None;
    }
    let first = date(after.max(120));
    let quarters: Vec<Day> = (2020..=2025)
        .flat_map(|y| [(3, 31), (6, 30), (9, 30), (12, 31)].map(|(m, d)| (y, m, d)))
        .map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).expect("quarter end"))
        .filter(|q| *q >= first)
        .map(|q| (q - date(0)).num_days() as Day)
        .collect();
    Some(*rng.pick(&quarters))
}

fn subset(rng: &mut Rng, of: &[usize]) -> Option<Vec<usize>> {
    (of.len() > 1 && rng.chance(0.25)).then(|| vec![*rng.pick(of)])
}

fn generate(rng: &mut Rng, n: usize) -> Synth {
    let mut units = Vec::new();
    for (d, (dslug, dname)) in DISTRICTS.iter().enumerate() {
        for (slug, name) in DEPARTMENTS {
            let (id, name, kind) = match (d, slug) {
                (0, "fgw") if units.len() == SUPERVISOR => (
                    "dukaoban".to_string(),
                    "市政府督考办".to_string(),
                    "department",
                ),
                (0, "zone") => (
                    format!("{dslug}-{slug}"),
                    "市经济技术开发区管委会".into(),
                    "zone",
                ),
                (0, "gov") => (format!("{dslug}-{slug}"), "市直各有关部门".into(), "group"),
                (_, "zone") => (
                    format!("{dslug}-{slug}"),
                    format!("{dname}工业园区管委会"),
                    "zone",
                ),
                (_, "gov") => (
                    format!("{dslug}-{slug}"),
                    format!("{dname}人民政府"),
                    "group",
                ),
                _ => (
                    format!("{dslug}-{slug}"),
                    format!("{dname}{name}"),
                    "department",
                ),
            };
            units.push((id, name, kind));
        }
    }
    let sections = (n / 400).clamp(1, 99);
    let mut measures = Vec::with_capacity(n);
    let mut targets = Vec::with_capacity(3 * n);
    let mut milestones = Vec::with_capacity(n / 2);
    for m in 0..n {
        let count = 1 + rng.below(4);
        let mut us: Vec<usize> = Vec::with_capacity(count);
        while us.len() < count {
            let u = 1 + rng.below(units.len() - 1);
            if !us.contains(&u) {
                us.push(u);
            }
        }
        let due = if rng.chance(0.5) {
            deadline(rng, 0)
        } else {
            None
        };
        let topic = rng.below(TOPICS.len());
        for _ in 0..2 + rng.below(3) {
            let metric = rng.below(METRICS.len());
            let k = &METRICS[metric];
            let value = round2(rng.range(k.lo, k.hi));
            let value = if k.unit == "%" || value < 10.0 {
                value
            } else {
                value.round()
            };
            let (comparator, tolerance) = if k.at_most {
                ("at_most", None)
            } else {
                match rng.below(10) {
                    0..=5 => ("at_least", None),
                    6 | 7 => ("about", Some(round2((value * 0.05).max(0.1)))),
                    _ => ("equal", None),
                }
            };
            let due = deadline(rng, 0);
            let last = due.unwrap_or(HORIZON);
            let baseline = rng.chance(0.5).then(|| {
                let day = rng.below((last as usize).min(400)) as Day;
                let v = if k.at_most {
                    value * rng.range(1.2, 2.0)
                } else {
                    value * rng.range(0.3, 0.8)
                };
                let cap = if k.unit == "%" { 100.0 } else { f64::MAX };
                (round2(v.min(cap)), day)
            });
            targets.push(Target {
                measure: m,
                metric,
                topic,
                comparator,
                value,
                tolerance,
                baseline,
                due,
                units: subset(rng, &us),
            });
        }
        if rng.chance(0.5) {
            milestones.push(Milestone {
                measure: m,
                title: rng.below(MILESTONES.len()),
                due: deadline(rng, 0),
                units: subset(rng, &us),
            });
        }
        measures.push(Measure {
            topic,
            units: us,
            due,
        });
    }
    Synth {
        measures,
        targets,
        milestones,
        units,
        sections,
    }
}

fn measure_id(m: usize) -> String {
    format!("M{:05}", m + 1)
}

fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn unit_list(s: &Synth, us: &[usize]) -> String {
    let ids: Vec<String> = us.iter().map(|&u| q(&s.units[u].0)).collect();
    format!("[{}]", ids.join(", "))
}

impl Synth {
    fn target_id(&self, t: usize) -> String {
        let m = self.targets[t].measure;
        let k = self.targets[..t]
            .iter()
            .rev()
            .take_while(|x| x.measure == m)
            .count();
        format!("T{:05}-{}", m + 1, k + 1)
    }

    /// Every item id: measures, then targets, then milestones.
    fn item_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = (0..self.measures.len()).map(measure_id).collect();
        let mut k = 0;
        for (t, target) in self.targets.iter().enumerate() {
            k = if t > 0 && self.targets[t - 1].measure == target.measure {
                k + 1
            } else {
                1
            };
            ids.push(format!("T{:05}-{k}", target.measure + 1));
        }
        ids.extend((0..self.milestones.len()).map(|i| format!("MS{:05}", i + 1)));
        ids
    }

    fn toml(&self, rng: &mut Rng) -> String {
        let mut s = String::with_capacity(400 * self.targets.len());
        let w = &mut s;
        let _ = writeln!(
            w,
            "# Synthetic plan written by `cargo run --example synth`: {} measures, {} targets, \
             {} milestones, {} units.\n",
            self.measures.len(),
            self.targets.len(),
            self.milestones.len(),
            self.units.len()
        );
        let _ = writeln!(
            w,
            "[plan]\nid = \"synth\"\ntitle = \"合成测试工作方案\"\nissuer = \"市人民政府\"\n\
             issued = 2020-01-01\nhorizon = 2025-12-31\nreporting_cycle = \"monthly\"\n\
             supervisor = \"{}\"\n",
            self.units[SUPERVISOR].0
        );
        for i in 0..self.sections {
            let _ = writeln!(
                w,
                "[[section]]\nid = \"S{}\"\nnumber = \"{}\"\ntitle = \"{}{}\"\n",
                i + 1,
                chinese(i + 1),
                ACTIONS[i % ACTIONS.len()],
                TOPICS[i % TOPICS.len()]
            );
        }
        let per_section = self.measures.len().div_ceil(self.sections);
        let mut targets = self.targets.iter().enumerate().peekable();
        let mut milestones = self.milestones.iter().enumerate().peekable();
        for (m, measure) in self.measures.iter().enumerate() {
            let topic = TOPICS[measure.topic];
            let title = format!("{}{topic}{}", rng.pick(&ACTIONS), rng.pick(&SUFFIXES));
            let year = 2021 + rng.below(5);
            let _ = writeln!(
                w,
                "[[measure]]\nid = \"{}\"\nsection = \"S{}\"\nnumber = \"{}\"\ntitle = \"{title}\"\n\
                 text = \"{title},到{year}年底前{},确保各项任务按期完成。\"",
                measure_id(m),
                m / per_section + 1,
                m + 1,
                rng.pick(&GOALS)
            );
            if measure.units.len() > 1 && rng.chance(0.6) {
                let _ = writeln!(w, "lead = {}", unit_list(self, &measure.units[..1]));
            }
            let _ = writeln!(w, "units = {}", unit_list(self, &measure.units));
            if let Some(d) = measure.due {
                let _ = writeln!(w, "due = {}", date(d));
            }
            w.push('\n');
            while let Some((t, target)) = targets.next_if(|(_, t)| t.measure == m) {
                let k = &METRICS[target.metric];
                let metric = format!("{}{}", TOPICS[target.topic], k.suffix);
                let v = num(target.value);
                let words = match target.comparator {
                    "at_least" => format!("达到{v}{}以上", k.unit),
                    "at_most" => format!("控制在{v}{}以内", k.unit),
                    "about" => format!("达到{v}{}左右", k.unit),
                    _ => format!("完成{v}{}", k.unit),
                };
                let _ = writeln!(
                    w,
                    "[[target]]\nid = \"{}\"\nmeasure = \"{}\"\nmetric = \"{metric}\"\nunit = \"{}\"\n\
                     comparator = \"{}\"\nvalue = {v}",
                    self.target_id(t),
                    measure_id(m),
                    k.unit,
                    target.comparator
                );
                if let Some(tol) = target.tolerance {
                    let _ = writeln!(w, "tolerance = {}", num(tol));
                }
                if let Some((bv, bd)) = target.baseline {
                    let _ = writeln!(
                        w,
                        "baseline = {{ value = {}, date = {} }}",
                        num(bv),
                        date(bd)
                    );
                }
                if let Some(d) = target.due {
                    let _ = writeln!(w, "due = {}", date(d));
                }
                let by = target.due.map_or("规划期末".to_string(), |d| {
                    format!("{}年底前", date(d).format("%Y"))
                });
                let _ = writeln!(w, "quote = \"{by}{metric}{words}\"");
                if let Some(us) = &target.units {
                    let _ = writeln!(w, "units = {}", unit_list(self, us));
                }
                w.push('\n');
            }
            while let Some((i, ms)) = milestones.next_if(|(_, x)| x.measure == m) {
                let title = MILESTONES[ms.title].replace("{}", topic);
                let _ = writeln!(
                    w,
                    "[[milestone]]\nid = \"MS{:05}\"\nmeasure = \"{}\"\ntitle = \"{title}\"",
                    i + 1,
                    measure_id(m)
                );
                if let Some(d) = ms.due {
                    let _ = writeln!(w, "due = {}", date(d));
                }
                if let Some(us) = &ms.units {
                    let _ = writeln!(w, "units = {}", unit_list(self, us));
                }
                w.push('\n');
            }
        }
        for (id, name, kind) in &self.units {
            let _ = writeln!(
                w,
                "[[unit]]\nid = {}\nname = {}\nkind = \"{kind}\"\n",
                q(id),
                q(name)
            );
        }
        s
    }
}

/// What one ledger entry will say, before the ledger assigns ids.
#[derive(Clone, Copy)]
struct Rec {
    day: Day,
    /// Days between the reporting date and the recording.
    lag: u8,
    item: u32,
    unit: u16,
    /// Template of the note.
    note: u8,
    /// A status, or u8::MAX for a value.
    status: u8,
    value: f64,
    /// The index (in generation order) of the record this one corrects, or u32::MAX.
    corrects: u32,
}

/// The trackable items in ledger order, with what the generator needs to simulate progress.
struct Track<'a> {
    units: &'a [usize],
    start: Day,
    due: Day,
    target: Option<&'a Target>,
}

fn tracks(s: &Synth) -> Vec<Track<'_>> {
    let measures = s.measures.iter().map(|m| Track {
        units: &m.units,
        start: 0,
        due: m.due.unwrap_or(HORIZON),
        target: None,
    });
    let targets = s.targets.iter().map(|t| Track {
        units: t.units.as_deref().unwrap_or(&s.measures[t.measure].units),
        start: t.baseline.map_or(0, |b| b.1),
        due: t.due.unwrap_or(HORIZON),
        target: Some(t),
    });
    let milestones = s.milestones.iter().map(|m| Track {
        units: m.units.as_deref().unwrap_or(&s.measures[m.measure].units),
        start: 0,
        due: m.due.unwrap_or(HORIZON),
        target: None,
    });
    measures.chain(targets).chain(milestones).collect()
}

/// Where a target's value starts: its baseline, or a plausible distance from the target.
fn start_value(t: &Target, rng: &mut Rng) -> f64 {
    match (t.baseline, t.comparator) {
        (Some((v, _)), _) => v,
        (None, "at_most") => t.value * rng.range(1.2, 2.0),
        (None, _) => t.value * rng.range(0.3, 0.8),
    }
}

/// How many entries each item gets: targets carry most of the reporting.
fn counts(rng: &mut Rng, tracks: &[Track], total: usize) -> Vec<usize> {
    let weights: Vec<f64> = tracks
        .iter()
        .map(|t| {
            let kind = if t.target.is_some() { 1.0 } else { 0.6 };
            kind * rng.range(0.3, 1.7)
        })
        .collect();
    let sum: f64 = weights.iter().sum();
    let mut counts: Vec<usize> = weights
        .iter()
        .map(|w| (w / sum * total as f64) as usize)
        .collect();
    let mut left = total - counts.iter().sum::<usize>();
    while left > 0 {
        counts[rng.below(tracks.len())] += 1;
        left -= 1;
    }
    counts
}

fn simulate(rng: &mut Rng, tracks: &[Track], total: usize) -> Vec<Rec> {
    let counts = counts(rng, tracks, total);
    let mut recs: Vec<Rec> = Vec::with_capacity(total);
    let mut days: Vec<Day> = Vec::new();
    for (i, (track, &count)) in tracks.iter().zip(&counts).enumerate() {
        // Some items run ahead of schedule, most a little behind, a few stall.
        let pace = if rng.chance(0.05) {
            rng.range(0.2, 0.6)
        } else {
            rng.range(0.75, 1.25)
        };
        let start_value = track.target.map(|t| start_value(t, rng));
        days.clear();
        days.extend(
            (0..count)
                .map(|_| track.start + rng.below((HORIZON - track.start) as usize + 1) as Day),
        );
        days.sort_unstable();
        let mut last_original: Option<usize> = None;
        for &day in &days {
            let unit = if rng.chance(0.02) {
                SUPERVISOR
            } else {
                *rng.pick(track.units)
            };
            let span = track.due.saturating_sub(track.start).max(30) as f64;
            let progress = (day - track.start) as f64 / span * pace;
            // A correction: the same day, a fixed reading, recorded a few days later.
            if let Some(o) = last_original.take_if(|_| rng.chance(0.004)) {
                let old = recs[o];
                let value = if old.status == u8::MAX {
                    let t = track.target.expect("values are about targets");
                    let fixed = old.value * rng.range(0.9, 1.1);
                    let fixed = if t.value >= 10.0 {
                        fixed.round()
                    } else {
                        round2(fixed)
                    };
                    if METRICS[t.metric].unit == "%" {
                        fixed.min(100.0)
                    } else {
                        fixed
                    }
                } else {
                    0.0
                };
                recs.push(Rec {
                    lag: old.lag + 1 + rng.below(10) as u8,
                    note: u8::MAX,
                    status: if old.status == u8::MAX {
                        u8::MAX
                    } else {
                        // in progress ↔ blocked, done → in progress
                        match old.status {
                            1 => 3,
                            _ => 1,
                        }
                    },
                    value,
                    corrects: o as u32,
                    ..old
                });
                continue;
            }
            let (status, value) = match (track.target, start_value) {
                (Some(t), Some(s0)) => {
                    let f = progress.min(1.05);
                    let noise = (t.value - s0).abs() * rng.range(-0.03, 0.03);
                    let mut v = (s0 + (t.value - s0) * f + noise).max(0.0);
                    if METRICS[t.metric].unit == "%" {
                        v = v.min(100.0);
                    }
                    let v = if t.value >= 10.0 {
                        v.round()
                    } else {
                        round2(v)
                    };
                    (u8::MAX, v)
                }
                _ => {
                    let s = if progress < 0.1 {
                        Status::NotStarted
                    } else if progress >= 1.0 {
                        Status::Done
                    } else if pace < 0.6 && rng.chance(0.3) {
                        Status::Blocked
                    } else {
                        Status::InProgress
                    };
                    let code = Status::ALL.iter().position(|x| *x == s).unwrap_or(0);
                    (code as u8, 0.0)
                }
            };
            last_original = Some(recs.len());
            recs.push(Rec {
                day,
                lag: rng.below(8) as u8,
                item: i as u32,
                unit: unit as u16,
                note: rng.below(if status == u8::MAX {
                    VALUE_NOTES.len()
                } else {
                    STATUS_NOTES.len()
                }) as u8,
                status,
                value,
                corrects: u32::MAX,
            });
        }
    }
    recs
}

fn note(r: &Rec, unit: &str, corrected_id: i64) -> String {
    if r.corrects != u32::MAX {
        return format!("更正第{corrected_id}号记录:原报数据有误");
    }
    if r.status != u8::MAX {
        return STATUS_NOTES[r.note as usize].to_string();
    }
    VALUE_NOTES[r.note as usize]
        .replace("{v}", &num(r.value))
        .replace("{u}", unit)
}

fn main() -> Result<()> {
    let args = Args::parse();
    ensure!(args.measures > 0, "--measures must be at least 1");
    let started = Instant::now();
    let mut rng = Rng(args.seed);
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;

    let synth = generate(&mut rng, args.measures);
    let text = synth.toml(&mut rng);
    let plan_path = args.out.join("plan.toml");
    std::fs::write(&plan_path, &text)
        .with_context(|| format!("cannot write {}", plan_path.display()))?;
    let fingerprint = plantrack::plan::fingerprint(text.as_bytes());
    let plan_time = started.elapsed();

    let tracks = tracks(&synth);
    let ids = synth.item_ids();
    let value_units: Vec<&str> = tracks
        .iter()
        .map(|t| t.target.map_or("", |t| METRICS[t.metric].unit))
        .collect();
    let mut recs = simulate(&mut rng, &tracks, args.updates);
    // Ledger order is reporting order; a correction stays after the entry it corrects.
    let mut order: Vec<u32> = (0..recs.len() as u32).collect();
    order.sort_by_key(|&i| recs[i as usize].day);
    let mut id_of = vec![0i64; recs.len()];
    for (pos, &i) in order.iter().enumerate() {
        id_of[i as usize] = pos as i64 + 1;
    }
    let supersedes: Vec<Option<i64>> = recs
        .iter()
        .map(|r| (r.corrects != u32::MAX).then(|| id_of[r.corrects as usize]))
        .collect();
    let sorted: Vec<(Rec, Option<i64>)> = order
        .iter()
        .map(|&i| (recs[i as usize], supersedes[i as usize]))
        .collect();
    recs.clear();
    let simulate_time = started.elapsed() - plan_time;

    let db_path = args.out.join("ledger.db");
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", db_path.display()));
        if p.exists() {
            std::fs::remove_file(&p).with_context(|| format!("cannot remove {}", p.display()))?;
        }
    }
    let mut store = Store::open(&db_path)?;
    let days: Vec<NaiveDate> = (0..=HORIZON + 300).map(date).collect();
    let stamps: Vec<String> = days.iter().map(|d| format!("{d}T09:30:00Z")).collect();
    const BATCH: usize = 200_000;
    let mut written = 0;
    let mut corrections = 0;
    for chunk in sorted.chunks(BATCH) {
        let notes: Vec<String> = chunk
            .iter()
            .map(|(r, sup)| note(r, value_units[r.item as usize], sup.unwrap_or(0)))
            .collect();
        let entries = chunk.iter().zip(&notes).map(|((r, sup), note)| NewEntry {
            item: &ids[r.item as usize],
            date: days[r.day as usize],
            reading: if r.status == u8::MAX {
                Reading::Value(r.value)
            } else {
                Reading::Status(Status::ALL[r.status as usize])
            },
            note,
            unit: Some(&synth.units[r.unit as usize].0),
            recorded_at: &stamps[(r.day + u32::from(r.lag)) as usize],
            supersedes: *sup,
            plan_fingerprint: &fingerprint,
        });
        written += store.append_all(entries)?;
        corrections += chunk.iter().filter(|(_, s)| s.is_some()).count();
    }
    // The ids were predicted from a fresh ledger: check the last one landed where expected.
    if let Some((last, _)) = sorted.last() {
        let e = store
            .entry(sorted.len() as i64)?
            .context("the last entry is missing")?;
        ensure!(
            e.item == ids[last.item as usize],
            "ledger ids are not as predicted"
        );
    }
    drop(store);
    let ledger_time = started.elapsed() - plan_time - simulate_time;

    let size = |p: &PathBuf| std::fs::metadata(p).map_or(0, |m| m.len());
    let mb = |b: u64| b as f64 / 1_048_576.0;
    println!(
        "{}: {} sections, {} measures, {} targets, {} milestones, {} units ({:.1} MB) in {:.2?}",
        plan_path.display(),
        synth.sections,
        synth.measures.len(),
        synth.targets.len(),
        synth.milestones.len(),
        synth.units.len(),
        mb(text.len() as u64),
        plan_time
    );
    println!(
        "{}: {written} entries ({corrections} corrections) over {}..{} ({:.1} MB): \
         simulated in {simulate_time:.2?}, written in {ledger_time:.2?}",
        db_path.display(),
        date(0),
        date(HORIZON),
        mb(size(&db_path)),
    );
    println!("total {:.2?}", started.elapsed());
    Ok(())
}
