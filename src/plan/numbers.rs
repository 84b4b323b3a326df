//! The numbers a quote states, read the way the document writes them: Arabic digits (also
//! full-width), Chinese numerals (六十五, 两千, 一百二十), and 万/亿 scaling. `check` uses them to
//! prove that a target's quote supports its value.

/// A number as the text states it, and the power of ten a following 万 (10⁴) or 亿 (10⁸)
/// scales it by.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stated {
    pub value: f64,
    pub scale: f64,
}

fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

fn chinese_digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' | '兩' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn chinese_unit(c: char) -> Option<u64> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

/// The value of a run of Chinese numerals below 万 (一百二十 → 120, 十五 → 15).
fn chinese_value(run: &[char]) -> Option<u64> {
    let (mut total, mut pending) = (0u64, None::<u64>);
    for &c in run {
        if let Some(d) = chinese_digit(c) {
            pending = Some(d);
        } else if let Some(u) = chinese_unit(c) {
            total += pending.unwrap_or(1) * u;
            pending = None;
        } else {
            return None;
        }
    }
    Some(total + pending.unwrap_or(0))
}

/// Every number `text` states, in order.
pub fn stated(text: &str) -> Vec<Stated> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        let value = if digit(chars[i]).is_some() {
            let mut s = String::new();
            while i < chars.len() {
                match (digit(chars[i]), chars[i]) {
                    (Some(d), _) => s.push(char::from_digit(d, 10).unwrap_or('0')),
                    (None, '.' | '．') if i + 1 < chars.len() && digit(chars[i + 1]).is_some() => {
                        s.push('.')
                    }
                    // A thousands separator: 1,200.
                    (None, ',') if chars.get(i + 1).copied().and_then(digit).is_some() => {}
                    _ => break,
                }
                i += 1;
            }
            s.parse::<f64>().ok()
        } else if chinese_digit(chars[i]).is_some() || chinese_unit(chars[i]).is_some() {
            while i < chars.len()
                && (chinese_digit(chars[i]).is_some() || chinese_unit(chars[i]).is_some())
            {
                i += 1;
            }
            let run = &chars[start..i];
            // A lone 一 or 十 is as often a word (一是, 十四五) as a number; a run of two or
            // more, or a numeral before a measure word, is a number.
            chinese_value(run).map(|v| v as f64)
        } else {
            i += 1;
            continue;
        };
        let Some(value) = value else { continue };
        // Simplified and Traditional: 万/萬, 亿/億.
        let scale = match (chars.get(i), chars.get(i + 1)) {
            (Some('万' | '萬'), Some('亿' | '億')) => 1e12,
            (Some('万' | '萬'), _) => 1e4,
            (Some('亿' | '億'), _) => 1e8,
            _ => 1.0,
        };
        out.push(Stated { value, scale });
    }
    out
}

/// The power of ten a unit of measure starts with: 亿斤 → 10⁸, 万人 → 10⁴, 个 → 1.
pub fn unit_scale(unit: &str) -> f64 {
    match unit.chars().next() {
        Some('万' | '萬') if unit.chars().count() > 1 => 1e4,
        Some('亿' | '億') if unit.chars().count() > 1 => 1e8,
        _ => 1.0,
    }
}

/// Whether `quote` states `value` in `unit`: some number in it, with its 万/亿, equals the
/// value scaled by the unit's own 万/亿 (2.0 亿斤 is not 20亿斤).
pub fn states(quote: &str, value: f64, unit: &str) -> bool {
    // A share of 100 % is as often written in words: 全覆盖, 所有, 全部.
    if unit == "%"
        && value == 100.0
        && ["全覆盖", "全覆蓋", "所有", "全部", "全面"]
            .iter()
            .any(|w| quote.contains(w))
    {
        return true;
    }
    let wanted = value.abs() * unit_scale(unit);
    stated(quote).iter().any(|s| {
        let got = s.value * s.scale;
        (got - wanted).abs() <= 1e-9 * wanted.abs().max(1.0)
    })
}

/// The years a quote names as a time (到2020年底 → 2020), leaving out the base of a
/// comparison (比2020年下降18%).
pub fn years(quote: &str) -> Vec<i32> {
    let chars: Vec<char> = quote.chars().collect();
    let mut out = Vec::new();
    for (i, w) in chars.windows(5).enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let is_year = w[..4].iter().all(|c| c.is_ascii_digit())
            && w[4] == '年'
            && !before.is_some_and(|c| c.is_ascii_digit() || c == '比' || c == '较');
        if is_year && let Ok(y) = w[..4].iter().collect::<String>().parse() {
            out.push(y);
        }
    }
    out
}

/// A date written the way a Chinese document writes it (2020年12月31日, 2020年底, 2021年6月底),
/// as the TOML date it means, with a word on how it was read.
pub fn chinese_date(text: &str) -> Option<(chrono::NaiveDate, &'static str)> {
    use chrono::NaiveDate;
    let t: String = text
        .trim()
        .trim_matches(['"', '\'', '“', '”'])
        .chars()
        .map(|c| digit(c).and_then(|d| char::from_digit(d, 10)).unwrap_or(c))
        .collect();
    let (year, rest) = t.split_once('年')?;
    let year: i32 = year.parse().ok()?;
    if matches!(rest, "底" | "末" | "年底" | "底前" | "末前") {
        return Some((NaiveDate::from_ymd_opt(year, 12, 31)?, "年底 means 12-31"));
    }
    let (month, rest) = rest.split_once('月')?;
    let month: u32 = month.parse().ok()?;
    let last = |m: u32| {
        NaiveDate::from_ymd_opt(year, m + 1, 1)
            .or_else(|| NaiveDate::from_ymd_opt(year + 1, 1, 1))
            .and_then(|d| d.pred_opt())
    };
    match rest.trim_end_matches('前') {
        "底" | "末" => Some((last(month.min(12))?, "月底 means the month's last day")),
        day => {
            let day: u32 = day.trim_end_matches(['日', '号']).parse().ok()?;
            Some((
                NaiveDate::from_ymd_opt(year, month, day)?,
                "a TOML date is YYYY-MM-DD",
            ))
        }
    }
}

/// Full-width punctuation that TOML needs in ASCII, with what to write instead.
pub const FULL_WIDTH: &[(char, &str)] = &[
    ('“', "\""),
    ('”', "\""),
    ('＂', "\""),
    ('「', "\""),
    ('」', "\""),
    ('［', "["),
    ('］', "]"),
    ('【', "["),
    ('】', "]"),
    ('：', "="),
    ('＝', "="),
    ('，', ","),
    ('｛', "{"),
    ('｝', "}"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_written() {
        assert!(states("农村无害化卫生厕所普及率达到90%以上", 90.0, "%"));
        assert!(!states("农村无害化卫生厕所普及率达到90%以上", 95.0, "%"));
        assert!(states("粮食产量稳定在20亿斤以上", 20.0, "亿斤"));
        assert!(!states("粮食产量稳定在20亿斤以上", 2.0, "亿斤"));
        assert!(states("新增就业两千人", 2000.0, "人"));
        assert!(states("覆盖率达到六十五%", 65.0, "%"));
        assert!(states("建成一百二十座", 120.0, "座"));
        assert!(states("比2020年下降18%", -18.0, "%"));
        assert!(states("完成投资1.5万亿元", 15000.0, "亿元"));
        assert!(states("达到１２０个", 120.0, "个"));
        // Traditional Chinese.
        assert!(states("糧食產量穩定在20億斤以上", 20.0, "億斤"));
        assert!(states("新增就業兩千人", 2000.0, "人"));
        assert!(states("完成投資1.5萬億元", 15000.0, "億元"));
        assert!(states("實現社區養老設施全覆蓋", 100.0, "%"));
        assert_eq!(years("到2020年底，2025年前"), [2020, 2025]);
        assert_eq!(years("比2020年下降18%"), Vec::<i32>::new());
        assert!(states("实现城乡社区养老设施全覆盖", 100.0, "%"));
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            chinese_date("2020年12月31日").map(|d| d.0),
            Some(day(2020, 12, 31))
        );
        assert_eq!(
            chinese_date("2020年底").map(|d| d.0),
            Some(day(2020, 12, 31))
        );
        assert_eq!(
            chinese_date("2021年6月底").map(|d| d.0),
            Some(day(2021, 6, 30))
        );
        assert_eq!(
            chinese_date("2021年12月底前").map(|d| d.0),
            Some(day(2021, 12, 31))
        );
        assert_eq!(chinese_date("年底"), None);
    }
}
