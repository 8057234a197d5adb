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
