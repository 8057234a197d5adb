//! Forgiving parsing of what people type into spreadsheets: dates written as
//! 2001.07, 2001-7-1, 2001年7月 or Excel serial numbers, full-width characters
//! and stray spaces.

use chrono::{Duration, NaiveDate};

/// Folds full-width ASCII (Ａ１，) to half-width, ideographic spaces to spaces,
/// removes zero-width characters and trims; inner runs of spaces collapse.
pub fn normalize_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = false;
    for c in s.chars() {
        let c = match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' => continue,
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            if last_space {
                continue;
            }
            last_space = true;
        } else {
            last_space = false;
        }
        out.push(c);
    }
    out.trim().to_string()
}

/// Parses a date as people write it. A month without a day means the 1st.
/// Excel serial numbers (days since 1899-12-30) are accepted from 1900 to 2100.
pub fn parse_loose_date(input: &str) -> Result<NaiveDate, String> {
    let s = normalize_text(input);
    if s.is_empty() {
        return Err("日期为空".into());
    }
    let bad = || format!("无法识别的日期“{s}”，请写成 2001-07-01、2001.07、2001年7月 等形式");
    // Excel serial number, possibly with a time fraction.
    if let Ok(f) = s.parse::<f64>()
        && s.chars().all(|c| c.is_ascii_digit() || c == '.')
        // 20010701 is a date, not a serial; so is 2001.07.
        && (s.len() != 8 || s.contains('.'))
        && s.split_once('.').is_none_or(|(y, _)| y.len() != 4)
    {
        if (1.0..73051.0).contains(&f) {
            return Ok(NaiveDate::from_ymd_opt(1899, 12, 30).unwrap() + Duration::days(f.trunc() as i64));
        }
        return Err(bad());
    }
    // 20010701
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(&s, "%Y%m%d").map_err(|_| bad());
    }
    let cleaned: String = s.replace(['年', '月', '.', '/', '-', ' '], "|").replace(['日', '号'], "");
    let parts: Vec<&str> = cleaned.split('|').filter(|p| !p.is_empty()).collect();
    let nums: Vec<u32> = parts.iter().map(|p| p.parse::<u32>()).collect::<Result<_, _>>().map_err(|_| bad())?;
    let (y, m, d) = match nums.as_slice() {
        [y, m] => (*y, *m, 1),
        [y, m, d] => (*y, *m, *d),
        _ => return Err(bad()),
    };
    if !(1900..=2100).contains(&y) {
        return Err(format!("年份 {y} 不合理"));
    }
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(|| format!("“{s}”不是有效日期"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_as_people_write_them() {
        assert_eq!(parse_loose_date("2001.07"), Ok(d(2001, 7, 1)));
        assert_eq!(parse_loose_date("2001-7-1"), Ok(d(2001, 7, 1)));
        assert_eq!(parse_loose_date("2001年7月"), Ok(d(2001, 7, 1)));
        assert_eq!(parse_loose_date("2001年7月15日"), Ok(d(2001, 7, 15)));
        assert_eq!(parse_loose_date("2001/07/15"), Ok(d(2001, 7, 15)));
        assert_eq!(parse_loose_date(" ２００１－０７－０１ "), Ok(d(2001, 7, 1)));
        assert_eq!(parse_loose_date("20010701"), Ok(d(2001, 7, 1)));
        assert_eq!(parse_loose_date("37073"), Ok(d(2001, 7, 1)), "Excel serial");
        assert_eq!(parse_loose_date("37073.5"), Ok(d(2001, 7, 1)));
        assert_eq!(parse_loose_date("2001.7.1"), Ok(d(2001, 7, 1)));
        assert!(parse_loose_date("2001-02-30").unwrap_err().contains("不是有效日期"));
        assert!(parse_loose_date("去年").unwrap_err().contains("无法识别"));
        assert!(parse_loose_date("1800-01-01").unwrap_err().contains("年份"));
        assert!(parse_loose_date("").is_err());
    }

    #[test]
    fn text_is_folded_and_trimmed() {
        assert_eq!(normalize_text("　张　三 "), "张 三");
        assert_eq!(normalize_text("ＡＢＣ１２３"), "ABC123");
        assert_eq!(normalize_text("a\u{200B}b  c"), "ab c");
    }
}
