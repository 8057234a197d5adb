//! Resident identity card numbers (GB 11643-1999): 18 characters, the last a
//! check digit computed with ISO 7064 MOD 11-2.

use chrono::NaiveDate;
use std::fmt;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// A validated 18-character ID number, upper-case X.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdNumber(String);

/// Why an ID number was refused; the Display text is shown to users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    #[error("身份证号不能为空")]
    Empty,
    #[error("身份证号应为 18 位，实际为 {0} 位")]
    Length(usize),
    #[error("身份证号第 {position} 位“{found}”不是数字")]
    NotDigit { position: usize, found: char },
    #[error("身份证号最后一位应为数字或 X，实际为“{0}”")]
    BadLast(char),
    #[error("身份证号中的地区码 {0} 无效")]
    Region(String),
    #[error("身份证号中的出生日期 {0} 不是有效日期")]
    BirthDate(String),
    #[error("身份证号校验码错误：最后一位应为 {expected}，实际为 {found}")]
    CheckDigit { expected: char, found: char },
}

/// The check character for the first 17 digits.
pub fn check_char(first17: &str) -> char {
    let sum: u32 = first17.chars().zip(WEIGHTS).map(|(c, w)| c.to_digit(10).unwrap_or(0) * w).sum();
    CHECK[(sum % 11) as usize]
}

impl IdNumber {
    /// Parses user input: trims, folds full-width digits and lower-case x.
    pub fn parse(input: &str) -> Result<Self, IdNumberError> {
        let s: String = input
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                'x' | 'ｘ' | 'Ｘ' => 'X',
                _ => c,
            })
            .collect();
        if s.is_empty() {
            return Err(IdNumberError::Empty);
        }
        let chars: Vec<char> = s.chars().collect();
        if chars.len() != 18 {
            return Err(IdNumberError::Length(chars.len()));
        }
        for (i, c) in chars[..17].iter().enumerate() {
            if !c.is_ascii_digit() {
                return Err(IdNumberError::NotDigit { position: i + 1, found: *c });
            }
        }
        let last = chars[17];
        if !(last.is_ascii_digit() || last == 'X') {
            return Err(IdNumberError::BadLast(last));
        }
        let province: u32 = s[0..2].parse().unwrap_or(0);
        if !(11..=82).contains(&province) {
            return Err(IdNumberError::Region(s[0..6].to_string()));
        }
        let birth = &s[6..14];
        if NaiveDate::parse_from_str(birth, "%Y%m%d").is_err() || &birth[0..2] < "18" {
            return Err(IdNumberError::BirthDate(birth.to_string()));
        }
        let expected = check_char(&s[..17]);
        if expected != last {
            return Err(IdNumberError::CheckDigit { expected, found: last });
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        NaiveDate::parse_from_str(&self.0[6..14], "%Y%m%d").expect("validated in parse")
    }

    /// "male" when the 17th digit is odd.
    pub fn gender(&self) -> crate::members::member::Gender {
        let d = self.0.as_bytes()[16] - b'0';
        if d % 2 == 1 { crate::members::member::Gender::Male } else { crate::members::member::Gender::Female }
    }

    /// Builds a valid number from a region code, birth date and sequence (for demo data and tests).
    pub fn synthesize(region: &str, birth: NaiveDate, seq: u32) -> Self {
        let first17 = format!("{region}{}{:03}", birth.format("%Y%m%d"), seq % 1000);
        let c = check_char(&first17);
        Self(format!("{first17}{c}"))
    }
}

impl fmt::Debug for IdNumber {
    // Never print the plaintext, even in debug output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", crate::mask::mask_id_number(&self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_numbers_and_normalises() {
        // 11010519491231002X is the standard's published example.
        let n = IdNumber::parse(" 11010519491231002x ").unwrap();
        assert_eq!(n.as_str(), "11010519491231002X");
        assert_eq!(n.birth_date(), NaiveDate::from_ymd_opt(1949, 12, 31).unwrap());
        assert_eq!(n.gender(), crate::members::member::Gender::Female);
        let full_width = IdNumber::parse("１１０１０５１９４９１２３１００２Ｘ").unwrap();
        assert_eq!(full_width, n);
    }

    #[test]
    fn names_the_exact_problem() {
        assert_eq!(IdNumber::parse(""), Err(IdNumberError::Empty));
        assert_eq!(IdNumber::parse("1101051949123100"), Err(IdNumberError::Length(16)));
        assert_eq!(IdNumber::parse("1101051949A231002X"), Err(IdNumberError::NotDigit { position: 11, found: 'A' }));
        assert_eq!(IdNumber::parse("11010519491231002Y"), Err(IdNumberError::BadLast('Y')));
        assert_eq!(IdNumber::parse("110105194912310021"), Err(IdNumberError::CheckDigit { expected: 'X', found: '1' }));
        assert!(matches!(IdNumber::parse("110105194902300021"), Err(IdNumberError::BirthDate(_))));
        assert!(matches!(IdNumber::parse("990105194912310021"), Err(IdNumberError::Region(_))));
        let msg = IdNumber::parse("110105194912310021").unwrap_err().to_string();
        assert_eq!(msg, "身份证号校验码错误：最后一位应为 X，实际为 1");
    }

    #[test]
    fn synthesized_numbers_validate() {
        for seq in 0..200 {
            let b = NaiveDate::from_ymd_opt(1970 + (seq % 40) as i32, 1 + seq % 12, 1 + seq % 28).unwrap();
            let n = IdNumber::synthesize("440883", b, seq);
            assert_eq!(IdNumber::parse(n.as_str()).unwrap(), n);
            assert_eq!(n.birth_date(), b);
        }
    }

    #[test]
    fn debug_never_shows_plaintext() {
        let n = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(format!("{n:?}"), "IdNumber(****************2X)");
    }
}
