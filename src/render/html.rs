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
            Block::Chart(c) => out.push_str(&chart(c, doc.table_title_level())),
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

fn chart(c: &Chart, level: usize) -> String {
    match c {
        Chart::Progress { title, bars } => progress(title, bars, level),
        Chart::Counts { title, bars } => counts(title, bars, level),
        Chart::Trend {
            title,
            unit,
            points,
            target,
            start,
            due,
        } => trend(title, unit, points, *target, *start, *due),
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

fn trend(
    title: &str,
    unit: &str,
    points: &[(NaiveDate, f64)],
    target: f64,
    start: NaiveDate,
    due: NaiveDate,
) -> String {
    let (w, h, left, bottom, top, right) = (460.0, 220.0, 48.0, 28.0, 12.0, 16.0);
    let end = points.iter().map(|p| p.0).max().map_or(due, |d| d.max(due));
    let first = points
        .iter()
        .map(|p| p.0)
        .min()
        .map_or(start, |d| d.min(start));
    let days = (end - first).num_days().max(1) as f64;
    let hi = points.iter().map(|p| p.1).fold(target, f64::max) * 1.1;
    let hi = if hi <= 0.0 { 1.0 } else { hi };
    let x = |d: NaiveDate| left + (d - first).num_days() as f64 / days * (w - left - right);
    let y = |v: f64| top + (1.0 - v / hi) * (h - top - bottom);
    let mut s = format!(
        "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{t}\">\n\
         <rect x=\"{left}\" y=\"{top}\" width=\"{pw}\" height=\"{ph}\" fill=\"none\" stroke=\"#999\"/>\n\
         <text x=\"4\" y=\"{ty0}\">0</text><text x=\"4\" y=\"{tyh}\">{hi_label}</text>\n\
         <text x=\"{left}\" y=\"{h}\">{first}</text><text x=\"{xe}\" y=\"{h}\" text-anchor=\"end\">{end}</text>\n",
        t = escape(title),
        pw = w - left - right,
        ph = h - top - bottom,
        ty0 = y(0.0),
        tyh = top + 10.0,
        hi_label = number(hi),
        xe = w - right,
    );
    let ty = y(target);
    let _ = writeln!(
        s,
        "<line x1=\"{left}\" y1=\"{ty:.1}\" x2=\"{x2}\" y2=\"{ty:.1}\" stroke=\"#2e7d32\" stroke-dasharray=\"6 4\"/>\
         <text x=\"{tx}\" y=\"{tly:.1}\">{target_label}</text>",
        x2 = w - right,
        tx = left + 4.0,
        tly = ty - 4.0,
        target_label = escape(&format!("{} {unit}", number(target))),
    );
    let dx = x(due);
    let _ = writeln!(
        s,
        "<line x1=\"{dx:.1}\" y1=\"{top}\" x2=\"{dx:.1}\" y2=\"{yb}\" stroke=\"#c62828\" stroke-dasharray=\"4 4\"/>\
         <text x=\"{dx:.1}\" y=\"{dty}\" text-anchor=\"end\">{due}</text>",
        yb = h - bottom,
        dty = top + 24.0,
    );
    if !points.is_empty() {
        let path: Vec<String> = points
            .iter()
            .map(|(d, v)| format!("{:.1},{:.1}", x(*d), y(*v)))
            .collect();
        let _ = writeln!(
            s,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\"/>",
            path.join(" ")
        );
        for (d, v) in points {
            let _ = writeln!(
                s,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"#1565c0\"><title>{d}: {}</title></circle>",
                x(*d),
                y(*v),
                escape(&number(*v))
            );
        }
    }
    let _ = writeln!(
        s,
        "</svg><figcaption>{}</figcaption></figure>",
        escape(title)
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

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
