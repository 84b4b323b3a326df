//! One self-contained HTML page: inline CSS and inline SVG charts, no scripts, nothing fetched.
//! Every piece of text is escaped, so a note containing `<script>` shows as text. Printable.

use std::fmt::Write;

use chrono::NaiveDate;

use crate::doc::{Bar, Block, Cell, Chart, Doc, Table, number};
use crate::i18n::Lang;

const STYLE: &str = "
body{font-family:'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;margin:2em;color:#222;max-width:1200px}
h1{font-size:1.6em;border-bottom:2px solid #444;padding-bottom:.3em}
h2{font-size:1.25em;margin-top:1.6em}
h3{font-size:1.05em}
table{border-collapse:collapse;margin:.5em 0 1.2em;font-size:.9em}
th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#eee}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.date{white-space:nowrap}
.badge{padding:0 .4em;border-radius:3px;color:#fff;white-space:nowrap}
.good{background:#2e7d32}.warn{background:#f9a825;color:#222}.bad{background:#c62828}
svg{display:block;margin:.3em 0 1em}
svg text{font-size:12px;fill:#222}
.trends{display:flex;flex-wrap:wrap;gap:1em}
td.text{max-width:28em;overflow-wrap:anywhere}
table{max-width:100%}
@page{size:A4;margin:14mm 12mm}
@media print{body{margin:0;max-width:none;font-size:10pt}h1,h2,h3{break-after:avoid}tr,svg{break-inside:avoid}thead{display:table-header-group}}
";

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub fn render(doc: &Doc, lang: Lang) -> String {
    let html_lang = match lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    };
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{html_lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n",
        title = escape(&doc.title)
    );
    let mut in_trends = false;
    for block in &doc.blocks {
        let is_trend = matches!(block, Block::Chart(Chart::Trend { .. }));
        if is_trend != in_trends {
            out.push_str(if is_trend {
                "<div class=\"trends\">\n"
            } else {
                "</div>\n"
            });
            in_trends = is_trend;
        }
        match block {
            Block::Heading(h) => {
                let _ = writeln!(out, "<h2>{}</h2>", escape(h));
            }
            Block::Text(t) => {
                let _ = writeln!(out, "<p>{}</p>", escape(t).replace('\n', "<br>"));
            }
            Block::Table(t) => out.push_str(&table(t, doc.table_title_level())),
            Block::Chart(c) => out.push_str(&chart(c, doc.table_title_level(), lang)),
        }
    }
    if in_trends {
        out.push_str("</div>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn table(t: &Table, level: usize) -> String {
    let mut out = String::new();
    if let Some(title) = &t.title {
        let _ = writeln!(out, "<h{level}>{}</h{level}>", escape(title));
    }
    if t.rows.is_empty() {
        out.push_str("<p>—</p>\n");
        return out;
    }
    // A column empty in every row is left out: on paper it is only a blank strip.
    let shown: Vec<usize> = (0..t.headers.len())
        .filter(|i| {
            t.rows
                .iter()
                .any(|r| r.get(*i).is_some_and(|c| *c != Cell::Empty))
        })
        .collect();
    out.push_str("<table>\n<thead><tr>");
    for i in &shown {
        let _ = write!(out, "<th>{}</th>", escape(&t.headers[*i]));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for c in shown.iter().filter_map(|i| row.get(*i)) {
            let _ = match c {
                Cell::Int(_) | Cell::Num(_) | Cell::Percent(_) => {
                    write!(out, "<td class=\"num\">{c}</td>")
                }
                Cell::Date(d) => write!(out, "<td class=\"date\">{d}</td>"),
                Cell::Badge(s, tone) => write!(
                    out,
                    "<td><span class=\"badge {}\">{}</span></td>",
                    tone.css(),
                    escape(s)
                ),
                // Line breaks in a note are kept; a long text wraps anywhere rather than
                // squeezing the other columns.
                other => write!(
                    out,
                    "<td class=\"text\">{}</td>",
                    escape(&other.to_string()).replace('\n', "<br>")
                ),
            };
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

fn chart(c: &Chart, level: usize, lang: Lang) -> String {
    match c {
        Chart::Progress { title, bars } => progress(title, bars, level),
        Chart::Counts { title, bars } => counts(title, bars, level),
        Chart::Trend {
            title,
            unit,
            points,
            target,
            band,
            start,
            due,
        } => trend(
            &Trend {
                title,
                unit,
                points,
                target: *target,
                band: *band,
                start: *start,
                due: *due,
            },
            lang,
        ),
    }
}

const LABEL_W: f64 = 260.0;
const BAR_W: f64 = 360.0;
const ROW_H: f64 = 24.0;

fn progress(title: &str, bars: &[Bar], level: usize) -> String {
    let height = ROW_H * bars.len() as f64 + 8.0;
    let width = LABEL_W + BAR_W + 140.0;
    let mut s = format!(
        "<h{level}>{}</h{level}>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{}\">\n",
        escape(title),
        escape(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = i as f64 * ROW_H + 4.0;
        let fill = b.percent.unwrap_or(0.0).clamp(0.0, 100.0) / 100.0 * BAR_W;
        let _ = writeln!(
            s,
            "<text x=\"0\" y=\"{ty}\">{label}</text>\
             <rect x=\"{LABEL_W}\" y=\"{y}\" width=\"{BAR_W}\" height=\"16\" fill=\"#eee\"/>\
             <rect x=\"{LABEL_W}\" y=\"{y}\" width=\"{fill:.1}\" height=\"16\" fill=\"#{color:06X}\"/>\
             <text x=\"{cx}\" y=\"{ty}\">{caption}</text>",
            ty = y + 13.0,
            label = escape(&b.label),
            color = b.tone.rgb(),
            cx = LABEL_W + BAR_W + 8.0,
            caption = escape(&b.caption),
        );
    }
    s.push_str("</svg>\n");
    s
}

fn counts(title: &str, bars: &[(String, f64)], level: usize) -> String {
    let max = bars.iter().map(|b| b.1).fold(0.0, f64::max).max(1.0);
    let as_bars: Vec<Bar> = bars
        .iter()
        .map(|(label, n)| Bar {
            label: label.clone(),
            percent: Some(n / max * 100.0),
            caption: number(*n),
            tone: crate::doc::Tone::Bad,
        })
        .collect();
    progress(title, &as_bars, level)
}

/// One trend chart's data.
struct Trend<'a> {
    title: &'a str,
    unit: &'a str,
    points: &'a [(NaiveDate, f64)],
    target: f64,
    band: Option<(f64, f64)>,
    start: NaiveDate,
    due: NaiveDate,
}

/// A round step for about five ticks up to `hi`: 1, 2 or 5 times a power of ten.
fn nice_step(hi: f64) -> f64 {
    let raw = (hi / 5.0).max(f64::MIN_POSITIVE);
    let power = 10f64.powf(raw.log10().floor());
    let m = raw / power;
    let nice = if m <= 1.0 {
        1.0
    } else if m <= 2.0 {
        2.0
    } else if m <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// Reported values over time against the target line (and its band) and the deadline, with
/// round ticks, every value written beside its point (readable on paper), and a legend. The
/// time axis spans the data; a deadline far beyond it is named at the right edge instead of
/// squeezing every point into a corner.
fn trend(c: &Trend, lang: Lang) -> String {
    let (w, h, left, bottom, top, right) = (460.0, 236.0, 48.0, 44.0, 12.0, 16.0);
    let first = c
        .points
        .iter()
        .map(|p| p.0)
        .min()
        .map_or(c.start, |d| d.min(c.start));
    let last = c.points.iter().map(|p| p.0).max().unwrap_or(c.start);
    let span = (last - first).num_days().max(30);
    // The deadline is drawn when it lies within half the data's span past the last point.
    // (With nothing reported, the axis runs from the start to the deadline.)
    let due_in_view =
        c.points.is_empty() || c.due <= last + chrono::Days::new((span / 2).max(30) as u64);
    let end = if due_in_view {
        c.due.max(last)
    } else {
        last + chrono::Days::new((span / 5).max(15) as u64)
    };
    let days = (end - first).num_days().max(1) as f64;
    let top_value = c
        .points
        .iter()
        .map(|p| p.1)
        .chain([c.target])
        .chain(c.band.map(|b| b.1))
        .fold(0.0, f64::max);
    // A share tops out at 100 %; anything else a little above its largest value.
    let (step, hi) = if c.unit == "%" && top_value <= 100.0 {
        (20.0, 100.0)
    } else {
        let step = nice_step(top_value * 1.05);
        (step, ((top_value * 1.05) / step).ceil().max(1.0) * step)
    };
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let x = |d: NaiveDate| left + (d - first).num_days() as f64 / days * plot_w;
    let y = |v: f64| top + (1.0 - v / hi) * plot_h;
    let mut s = format!(
        "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{t}\" font-size=\"10\">\n",
        t = escape(c.title),
    );
    // Round ticks with light grid lines.
    let mut tick = 0.0;
    while tick <= hi + step / 2.0 {
        let ty = y(tick);
        let _ = writeln!(
            s,
            "<line x1=\"{left}\" y1=\"{ty:.1}\" x2=\"{x2}\" y2=\"{ty:.1}\" stroke=\"#e0e0e0\"/>\
             <text x=\"{tx}\" y=\"{ly:.1}\" text-anchor=\"end\">{label}</text>",
            x2 = w - right,
            tx = left - 4.0,
            ly = ty + 3.0,
            label = number(tick),
        );
        tick += step;
    }
    let _ = writeln!(
        s,
        "<rect x=\"{left}\" y=\"{top}\" width=\"{plot_w}\" height=\"{plot_h}\" fill=\"none\" stroke=\"#999\"/>\
         <text x=\"{left}\" y=\"{xy}\">{first}</text><text x=\"{xe}\" y=\"{xy}\" text-anchor=\"end\">{end}</text>",
        xy = h - bottom + 12.0,
        xe = w - right,
    );
    if let Some((lo, up)) = c.band {
        let _ = writeln!(
            s,
            "<rect x=\"{left}\" y=\"{by:.1}\" width=\"{plot_w}\" height=\"{bh:.1}\" fill=\"#2e7d32\" fill-opacity=\"0.12\"/>",
            by = y(up),
            bh = (y(lo) - y(up)).max(1.0),
        );
    }
    let ty = y(c.target);
    let _ = writeln!(
        s,
        "<line x1=\"{left}\" y1=\"{ty:.1}\" x2=\"{x2}\" y2=\"{ty:.1}\" stroke=\"#2e7d32\" stroke-dasharray=\"6 4\"/>\
         <text x=\"{tx}\" y=\"{tly:.1}\" fill=\"#2e7d32\">{target_label}</text>",
        x2 = w - right,
        tx = left + 4.0,
        tly = if ty - top > 14.0 { ty - 4.0 } else { ty + 12.0 },
        target_label = escape(&format!("{} {}", number(c.target), c.unit)),
    );
    // The deadline's label sits at the foot of its line, clear of the target line.
    let due_label = escape(&lang.fill("due {date}", &[("date", c.due.to_string())]));
    if due_in_view {
        let dx = x(c.due);
        let _ = writeln!(
            s,
            "<line x1=\"{dx:.1}\" y1=\"{top}\" x2=\"{dx:.1}\" y2=\"{yb}\" stroke=\"#c62828\" stroke-dasharray=\"4 4\"/>\
             <text x=\"{lx:.1}\" y=\"{ly}\" text-anchor=\"end\" fill=\"#c62828\">{due_label}</text>",
            yb = h - bottom,
            lx = dx - 3.0,
            ly = h - bottom - 4.0,
        );
    } else {
        let _ = writeln!(
            s,
            "<text x=\"{xe}\" y=\"{ly}\" text-anchor=\"end\" fill=\"#c62828\">{due_label} →</text>",
            xe = w - right - 3.0,
            ly = h - bottom - 4.0,
        );
    }
    if !c.points.is_empty() {
        let path: Vec<String> = c
            .points
            .iter()
            .map(|(d, v)| format!("{:.1},{:.1}", x(*d), y(*v)))
            .collect();
        let _ = writeln!(
            s,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\"/>",
            path.join(" ")
        );
        // Values in print: every point's when they fit, else the first and the last.
        let labelled = |i: usize| c.points.len() <= 8 || i == 0 || i + 1 == c.points.len();
        for (i, (d, v)) in c.points.iter().enumerate() {
            let (px, py) = (x(*d), y(*v));
            let _ = write!(
                s,
                "<circle cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"3\" fill=\"#1565c0\"><title>{d}: {}</title></circle>",
                escape(&number(*v))
            );
            if labelled(i) {
                let _ = write!(
                    s,
                    "<text x=\"{px:.1}\" y=\"{ly:.1}\" text-anchor=\"middle\" fill=\"#1565c0\">{}</text>",
                    escape(&number(*v)),
                    ly = py - 6.0,
                );
            }
            s.push('\n');
        }
    }
    // The legend, under the time axis.
    let ly = h - 8.0;
    let _ = writeln!(
        s,
        "<line x1=\"{left}\" y1=\"{l1}\" x2=\"{l2}\" y2=\"{l1}\" stroke=\"#1565c0\" stroke-width=\"2\"/>\
         <text x=\"{t1}\" y=\"{ly}\">{reported}</text>\
         <line x1=\"{l3}\" y1=\"{l1}\" x2=\"{l4}\" y2=\"{l1}\" stroke=\"#2e7d32\" stroke-dasharray=\"6 4\"/>\
         <text x=\"{t2}\" y=\"{ly}\">{target}</text>\
         <line x1=\"{l5}\" y1=\"{l1}\" x2=\"{l6}\" y2=\"{l1}\" stroke=\"#c62828\" stroke-dasharray=\"4 4\"/>\
         <text x=\"{t3}\" y=\"{ly}\">{deadline}</text>",
        l1 = ly - 3.0,
        l2 = left + 18.0,
        t1 = left + 22.0,
        l3 = left + 120.0,
        l4 = left + 138.0,
        t2 = left + 142.0,
        l5 = left + 240.0,
        l6 = left + 258.0,
        t3 = left + 262.0,
        reported = escape(lang.t("reported values")),
        target = escape(lang.t("target line")),
        deadline = escape(lang.t("deadline")),
    );
    let _ = writeln!(
        s,
        "</svg><figcaption>{}</figcaption></figure>",
        escape(c.title)
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trend_axes_are_round_and_fit_the_data() {
        assert_eq!(nice_step(123.9), 50.0);
        assert_eq!(nice_step(9.0), 2.0);
        let day = |m, d| NaiveDate::from_ymd_opt(2020, m, d).unwrap();
        let points = [(day(3, 1), 10.0), (day(9, 1), 40.0)];
        let chart = |band, due| {
            trend(
                &Trend {
                    title: "T",
                    unit: "个",
                    points: &points,
                    target: 118.0,
                    band,
                    start: day(1, 1),
                    due,
                },
                Lang::En,
            )
        };
        // Ticks 0, 50, 100, 150; a deadline five years on is named at the edge, not drawn.
        let far = chart(None, NaiveDate::from_ymd_opt(2025, 12, 31).unwrap());
        for tick in [">0<", ">50<", ">100<", ">150<"] {
            assert!(far.contains(tick), "{tick} in {far}");
        }
        assert!(far.contains("due 2025-12-31 →"));
        assert!(
            far.contains(">40<"),
            "values are written beside their points"
        );
        let near = chart(Some((110.0, 126.0)), day(12, 31));
        assert!(near.contains("fill-opacity"), "the band is drawn");
        assert!(!near.contains("→"));
    }

    #[test]
    fn text_is_escaped() {
        let mut doc = Doc::new("<b>t</b>");
        let mut t = Table::new(None, &["note"]);
        t.rows.push(vec![Cell::text("<script>alert('x')</script>")]);
        doc.blocks.push(Block::Table(t));
        let html = render(&doc, Lang::En);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        assert!(html.contains("<title>&lt;b&gt;t&lt;/b&gt;</title>"));
    }
}
