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

/// Whether a date as written gives only a year and month (2001.07, 2001年7月, 200107): a 出生年月
/// column is checked against the ID number to the month only.
pub fn is_month_only(input: &str) -> bool {
    let s = normalize_text(input);
    if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let cleaned: String = s.replace(['年', '月', '.', '/', '-', ' '], "|").replace(['日', '号'], "");
    cleaned.split('|').filter(|p| !p.is_empty()).count() == 2
}

/// Parses a date as people write it, also 200107 (a year and month run together).
pub fn parse_roster_date(input: &str) -> Result<NaiveDate, String> {
    let s = normalize_text(input);
    if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
        return parse_loose_date(&format!("{}.{}", &s[..4], &s[4..]));
    }
    parse_loose_date(&s)
}

/// A first-generation 15-digit ID number (region, YYMMDD, sequence) as the 18-digit number it
/// became: the century 19 inserted and the check digit computed (GB 11643-1999, appendix).
pub fn upgrade_15_digit(input: &str) -> Option<String> {
    let s = normalize_text(input);
    if s.len() != 15 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let first17 = format!("{}19{}", &s[..6], &s[6..]);
    Some(format!("{first17}{}", crate::id_number::check_char(&first17)))
}

/// Education as the national forms and people write it, as the codes of `member::Education`.
pub fn education_code(input: &str) -> Option<&'static str> {
    let s = normalize_text(input).replace([' ', '（', '）', '(', ')'], "");
    Some(match s.as_str() {
        "小学" | "primary" => "primary",
        "初中" | "初级中学" | "junior" => "junior",
        "高中" | "普通高中" | "中专" | "中技" | "技校" | "职高" | "中等专科" | "中等专业学校" | "高中/中专"
        | "senior" => "senior",
        "大专" | "大学专科" | "专科" | "高职" | "高等专科" | "college" => "college",
        "本科" | "大学本科" | "大学" | "学士" | "bachelor" => "bachelor",
        "研究生" | "硕士" | "硕士研究生" | "研究生硕士" | "master" => "master",
        "博士" | "博士研究生" | "研究生博士" | "doctor" => "doctor",
        _ => return None,
    })
}

/// 是 / 否 and the ways people write them.
pub fn yes_no(input: &str) -> Option<bool> {
    match normalize_text(input).to_lowercase().as_str() {
        "是" | "y" | "yes" | "√" | "1" | "流动" | "流动党员" => Some(true),
        "否" | "n" | "no" | "×" | "0" | "" | "非流动" => Some(false),
        _ => None,
    }
}

/// A row that closes a roster rather than describing a member: a total (合计, 小计, 总计), a
/// signature or stamp line (填表人, 审核人, 签字, 盖章 …) or a note (注：, 说明：).
pub fn is_total_or_footer(cells: &[String]) -> bool {
    cells.iter().map(|c| normalize_text(c).replace(' ', "")).any(|c| {
        ["合计", "小计", "总计"].iter().any(|t| c.starts_with(t))
            || ["填表人", "填报人", "审核人", "制表人", "负责人", "联系人：", "签字", "盖章", "签章"]
                .iter()
                .any(|t| c.contains(t))
            || c.starts_with("注：")
            || c.starts_with("注:")
            || c.starts_with("说明：")
    })
}

/// The 0-based index of a spreadsheet column written as Excel letters (`A`, `b`, `AA`) or as its
/// 1-based number (`3`); `None` for anything else or past column `ZZ`.
pub fn column_index(input: &str) -> Option<usize> {
    let s = normalize_text(input).to_uppercase();
    if s.is_empty() || s.len() > 3 {
        return None;
    }
    if let Ok(n) = s.parse::<usize>() {
        return n.checked_sub(1).filter(|i| *i < 702);
    }
    if s.len() > 2 || !s.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    Some(s.bytes().fold(0usize, |acc, b| acc * 26 + (b - b'A' + 1) as usize) - 1)
}

/// The Excel letters of a 0-based column index (0 → `A`, 26 → `AA`).
pub fn column_letter(index: usize) -> String {
    let (mut n, mut out) = (index + 1, Vec::new());
    while n > 0 {
        let r = (n - 1) % 26;
        out.push((b'A' + r as u8) as char);
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

#[cfg(test)]
mod column_tests {
    use super::*;

    #[test]
    fn columns_by_letter_or_number() {
        assert_eq!(column_index("A"), Some(0));
        assert_eq!(column_index("c"), Some(2));
        assert_eq!(column_index("Ｂ"), Some(1), "full-width letters");
        assert_eq!(column_index("AA"), Some(26));
        assert_eq!(column_index("3"), Some(2));
        assert_eq!(column_index("0"), None);
        assert_eq!(column_index("A1"), None);
        assert_eq!(column_index("姓名"), None);
        for i in [0, 25, 26, 51, 59, 700] {
            assert_eq!(column_index(&column_letter(i)), Some(i));
        }
        assert_eq!(column_letter(27), "AB");
    }
}

#[cfg(test)]
mod roster_tests {
    use super::*;

    #[test]
    fn month_precision_and_run_together_dates() {
        assert!(is_month_only("1985.07") && is_month_only("1985年7月") && is_month_only("198507"));
        assert!(!is_month_only("1985.7.1") && !is_month_only("19850701") && !is_month_only("2008-7-1"));
        assert_eq!(parse_roster_date("198507").unwrap(), NaiveDate::from_ymd_opt(1985, 7, 1).unwrap());
        assert_eq!(parse_roster_date("2008.7.1").unwrap(), NaiveDate::from_ymd_opt(2008, 7, 1).unwrap());
    }

    #[test]
    fn fifteen_digit_numbers_become_eighteen() {
        let up = upgrade_15_digit("440883850701123").unwrap();
        assert_eq!(&up[..17], "44088319850701123");
        assert!(crate::IdNumber::parse(&up).is_ok(), "{up}");
        assert_eq!(upgrade_15_digit("44088319850701123X"), None);
        assert_eq!(upgrade_15_digit("4408838507011A3"), None);
    }

    #[test]
    fn education_as_people_write_it() {
        for (w, code) in [
            ("研究生", "master"),
            ("博士研究生", "doctor"),
            ("硕士", "master"),
            ("大学本科", "bachelor"),
            ("本科", "bachelor"),
            ("大学专科", "college"),
            ("大专", "college"),
            ("中专", "senior"),
            ("中技", "senior"),
            ("高中", "senior"),
            ("初中", "junior"),
            ("小学", "primary"),
            ("研究生（硕士）", "master"),
        ] {
            assert_eq!(education_code(w), Some(code), "{w}");
        }
        assert_eq!(education_code("幼儿园"), None);
    }

    #[test]
    fn totals_signatures_and_notes_are_not_members() {
        let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert!(is_total_or_footer(&row(&["合计", "", "39 人"])));
        assert!(is_total_or_footer(&row(&["", "填表人：张三", "", "审核人：李四"])));
        assert!(is_total_or_footer(&row(&["（单位盖章）"])));
        assert!(is_total_or_footer(&row(&["注：流动党员指外出半年以上的党员"])));
        assert!(!is_total_or_footer(&row(&["1", "张合计", "440883198507011234"])));
        assert_eq!(yes_no("是"), Some(true));
        assert_eq!(yes_no("否"), Some(false));
        assert_eq!(yes_no("也许"), None);
    }
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
