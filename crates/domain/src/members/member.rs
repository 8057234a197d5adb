//! Party members: categories, statuses, phone numbers and dates.

use crate::organisations::org::code_enum;

code_enum!(Gender { Male = "male": "男", Female = "female": "女" });

code_enum!(
    /// 正式党员 / 预备党员.
    MemberCategory { Full = "full": "正式党员", Probationary = "probationary": "预备党员" }
);

code_enum!(
    MemberStatus {
        Normal = "normal": "正常",
        Suspended = "suspended": "停止党籍",
        Left = "left": "已出党",
        Deceased = "deceased": "已故",
        TransferredOut = "transferred_out": "已转出",
    }
);

code_enum!(
    Education {
        Primary = "primary": "小学",
        Junior = "junior": "初中",
        Senior = "senior": "高中/中专",
        College = "college": "大专",
        Bachelor = "bachelor": "本科",
        Master = "master": "硕士研究生",
        Doctor = "doctor": "博士研究生",
    }
);

/// Default member tags; the county admin can change the list.
pub const DEFAULT_TAGS: &[&str] = &["新就业群体", "先锋岗", "党员经营户", "突击队", "乡贤", "退役军人"];

/// A mainland mobile phone number: 11 digits starting with 1.
#[derive(Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(input: &str) -> Result<Self, String> {
        let s: String = input
            .trim()
            .chars()
            .filter(|c| *c != ' ' && *c != '-')
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                _ => c,
            })
            .collect();
        let s = s.strip_prefix("+86").unwrap_or(&s).to_string();
        if s.is_empty() {
            return Err("手机号不能为空".into());
        }
        if s.len() != 11 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("手机号应为 11 位数字，实际为 {} 位", s.chars().count()));
        }
        if !s.starts_with('1') {
            return Err("手机号应以 1 开头".into());
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Phone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Phone({})", crate::mask::mask_phone(&self.0))
    }
}

/// Checks the dates of a member record against each other.
pub fn check_dates(
    birth: chrono::NaiveDate,
    joined_on: chrono::NaiveDate,
    category: MemberCategory,
    full_on: Option<chrono::NaiveDate>,
    today: chrono::NaiveDate,
) -> crate::FieldErrors {
    let mut e = crate::FieldErrors::new();
    if birth > today {
        e.add("birth_date", "出生日期不能晚于今天");
    }
    if joined_on > today {
        e.add("joined_on", "入党日期不能晚于今天");
    }
    let age_at_join = joined_on.years_since(birth).unwrap_or(0);
    if age_at_join < 18 {
        e.add("joined_on", "入党时应年满 18 岁");
    }
    match (category, full_on) {
        (MemberCategory::Full, Some(f)) if f < joined_on => e.add("full_on", "转正日期不能早于入党日期"),
        (MemberCategory::Full, Some(f)) if f > today => e.add("full_on", "转正日期不能晚于今天"),
        (MemberCategory::Probationary, Some(_)) => e.add("full_on", "预备党员不应有转正日期"),
        _ => {}
    }
    e
}

/// Months a probation may be extended by, once (Party Constitution art. 7; 党员发展工作细则
/// art. 31): at least 6, at most 12.
pub const PROBATION_EXTENSION_MONTHS: std::ops::RangeInclusive<u32> = 6..=12;

/// The day a probationary member admitted on `joined_on` completes the one-year probation, by the
/// calendar: the same day a year later, and for 29 February — which the next year lacks — 1 March,
/// so that the year is complete. `extension_months` (6–12, once) is added to that day.
pub fn probation_ends(joined_on: chrono::NaiveDate, extension_months: u32) -> chrono::NaiveDate {
    use chrono::Datelike;
    let year_on = joined_on
        .with_year(joined_on.year() + 1)
        .unwrap_or_else(|| chrono::NaiveDate::from_ymd_opt(joined_on.year() + 1, 3, 1).expect("1 March"));
    year_on.checked_add_months(chrono::Months::new(extension_months)).unwrap_or(year_on)
}

/// Checks the probation rule on a member form that sets the admission date, the category or the
/// date of full membership: full membership on the day the year ends, or — after one extension of
/// 6–12 months — between 6 and 12 months after it; a probationary member whose longest possible
/// probation is over must be recorded as full (or otherwise dealt with).
pub fn check_probation(
    joined_on: chrono::NaiveDate,
    category: MemberCategory,
    full_on: Option<chrono::NaiveDate>,
    today: chrono::NaiveDate,
) -> crate::FieldErrors {
    let mut e = crate::FieldErrors::new();
    let due = probation_ends(joined_on, 0);
    let (from, to) = (
        probation_ends(joined_on, *PROBATION_EXTENSION_MONTHS.start()),
        probation_ends(joined_on, *PROBATION_EXTENSION_MONTHS.end()),
    );
    match (category, full_on) {
        (MemberCategory::Full, Some(f)) if f >= joined_on && f != due && !(from..=to).contains(&f) => e.add(
            "full_on",
            format!("转正日期应为预备期满一年之日（{due}），或延长预备期 6—12 个月后的日期（{from} 至 {to}）"),
        ),
        (MemberCategory::Probationary, None) if today > to => {
            e.add("category", format!("预备期（含最长 12 个月的延长）已于 {to} 期满，请登记转正或按规定处理"))
        }
        _ => {}
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn phone_is_normalised_and_checked() {
        assert_eq!(Phone::parse(" 138 1234 5678").unwrap().as_str(), "13812345678");
        assert_eq!(Phone::parse("+8613812345678").unwrap().as_str(), "13812345678");
        assert_eq!(Phone::parse("１３８１２３４５６７８").unwrap().as_str(), "13812345678");
        assert!(Phone::parse("23812345678").is_err());
        let err = Phone::parse("1381234567").unwrap_err();
        assert!(err.contains("11 位"), "{err}");
        assert!(!err.contains("1381234567"), "error must not echo the number: {err}");
    }

    #[test]
    fn probation_is_one_calendar_year_with_one_extension_of_six_to_twelve_months() {
        assert_eq!(probation_ends(d(2025, 7, 1), 0), d(2026, 7, 1));
        assert_eq!(probation_ends(d(2024, 2, 29), 0), d(2025, 3, 1), "29 February: the year is complete on 1 March");
        assert_eq!(probation_ends(d(2024, 2, 28), 0), d(2025, 2, 28));
        assert_eq!(probation_ends(d(2025, 8, 31), 6), d(2027, 2, 28));
        let today = d(2026, 12, 6);
        let ok = |j, f| check_probation(j, MemberCategory::Full, Some(f), today).is_empty();
        assert!(ok(d(2024, 2, 29), d(2025, 3, 1)));
        assert!(!ok(d(2024, 2, 29), d(2025, 2, 28)), "a day short of the year");
        assert!(!ok(d(2023, 3, 1), d(2024, 2, 29)), "365 days is not a calendar year here");
        assert!(!ok(d(2020, 7, 1), d(2021, 7, 2)), "a day late without an extension");
        assert!(!ok(d(2020, 7, 1), d(2021, 12, 31)), "extension shorter than 6 months");
        assert!(ok(d(2020, 7, 1), d(2022, 1, 1)), "6 months");
        assert!(ok(d(2020, 7, 1), d(2022, 7, 1)), "12 months");
        assert!(!ok(d(2020, 7, 1), d(2022, 7, 2)), "more than 12 months");
        let prob = |j| check_probation(j, MemberCategory::Probationary, None, today);
        assert!(prob(d(2024, 12, 6)).is_empty(), "ends today with the longest extension");
        assert!(prob(d(2024, 12, 5)).0.contains_key("category"));
    }

    #[test]
    fn member_dates_are_consistent() {
        let today = d(2026, 11, 27);
        assert!(check_dates(d(1990, 1, 1), d(2015, 7, 1), MemberCategory::Full, Some(d(2016, 7, 1)), today).is_empty());
        let e = check_dates(d(2010, 1, 1), d(2020, 7, 1), MemberCategory::Full, None, today);
        assert_eq!(e.0["joined_on"], vec!["入党时应年满 18 岁"]);
        let e = check_dates(d(1990, 1, 1), d(2015, 7, 1), MemberCategory::Full, Some(d(2014, 1, 1)), today);
        assert!(e.0.contains_key("full_on"));
        let e = check_dates(d(1990, 1, 1), d(2026, 7, 1), MemberCategory::Probationary, Some(d(2026, 8, 1)), today);
        assert!(e.0.contains_key("full_on"));
    }
}
