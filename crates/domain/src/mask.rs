//! Masking of personal data in responses: enough to recognise, not to misuse.

/// `440***********123X`: first 3 and last 4 characters.
pub fn mask_id_number(s: &str) -> String {
    mask_keep(s, 3, 4)
}

/// `138****5678`: first 3 and last 4 digits.
pub fn mask_phone(s: &str) -> String {
    mask_keep(s, 3, 4)
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
        assert_eq!(mask_id_number("44088319900101123X"), "440***********123X");
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_address("广东省广州市天河区体育西路1号"), "广东省广州市****");
        assert_eq!(mask_phone("123"), "***");
        assert_eq!(mask_address("广州"), "**");
    }
}
