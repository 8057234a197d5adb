//! Masking of personal data in responses: enough to recognise, not to misuse.
//!
//! A masked response must not be reversible from what else it shows. The rule: no response shows
//! more than 6 of an ID number's 18 characters in any combination of its fields. A view without
//! unmask shows the birth *year* (4 characters of the number) and the masked number keeps only its
//! last 2 characters; the full birth date (8 characters) is never shown beside a masked number.
//! The region prefix is not shown either (a county's members mostly share it, so it is public
//! knowledge and counted as revealed by nothing but the number itself).

/// `****************3X`: the last 2 characters only (with the birth year: 6 of 18).
pub fn mask_id_number(s: &str) -> String {
    mask_keep(s, 0, 2)
}

/// `*******5678`: the last 4 digits only, as a caller says "尾号 5678".
pub fn mask_phone(s: &str) -> String {
    mask_keep(s, 0, 4)
}

/// Keeps the first 6 characters of an address (province / city), hides the rest.
pub fn mask_address(s: &str) -> String {
    let n = s.chars().count();
    if n <= 6 {
        return "*".repeat(n);
    }
    let head: String = s.chars().take(6).collect();
    format!("{head}****")
}

/// `林*远`, `王*`: the first character of a name and, from three characters on, the last, for the one
/// place a name is shown to someone not yet signed in (the invitation being activated).
pub fn mask_name(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    match chars.len() {
        0 | 1 => s.to_string(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

/// `l***@example.cn`: the first character of the mailbox and the domain.
pub fn mask_email(s: &str) -> String {
    match s.split_once('@') {
        Some((local, domain)) => format!("{}***@{domain}", local.chars().next().unwrap_or('*')),
        None => mask_keep(s, 1, 0),
    }
}

fn mask_keep(s: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= head + tail {
        return "*".repeat(chars.len());
    }
    let mut out: String = chars[..head].iter().collect();
    out.push_str(&"*".repeat(chars.len() - head - tail));
    out.extend(&chars[chars.len() - tail..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_like_the_design() {
        assert_eq!(mask_id_number("44088319900101123X"), "****************3X");
        assert_eq!(mask_phone("13812345678"), "*******5678");
        assert_eq!(mask_address("广东省广州市天河区体育西路1号"), "广东省广州市****");
        assert_eq!(mask_phone("123"), "***");
        assert_eq!(mask_address("广州"), "**");
        assert_eq!(mask_name("林志远"), "林*远");
        assert_eq!(mask_name("王芳"), "王*");
        assert_eq!(mask_name("欧阳娜娜"), "欧**娜");
    }

    /// What a masked member view shows of an ID number: the birth year and the masked number.
    #[test]
    fn a_masked_view_reveals_at_most_six_characters() {
        let id = "44088319900101123X";
        let masked = mask_id_number(id);
        let year = &id[6..10];
        let shown: usize = masked.chars().filter(|c| *c != '*').count() + year.len();
        assert_eq!(shown, 6);
        // The full birth date is not derivable from the masked number and the year.
        assert!(!masked.contains("0101"));
    }
}
