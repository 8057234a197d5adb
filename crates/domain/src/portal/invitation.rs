//! Invitations to the member portal (邀请开通): a branch worker invites a member; the member opens the
//! invitation with its code and proves it is theirs with the last six characters of their ID number,
//! something the person holding a printed sheet by mistake does not know.

use crate::organisations::org::code_enum;

code_enum!(
    InvitationStatus {
        Pending = "pending": "待开通",
        Expired = "expired": "已过期",
        Activated = "activated": "已开通",
        Revoked = "revoked": "已作废",
        Locked = "locked": "已锁定",
    }
);

/// Days an invitation stays usable.
pub const VALID_DAYS: i64 = 30;
/// Wrong answers after which an invitation locks (the branch makes a new one).
pub const MAX_WRONG_ANSWERS: i32 = 5;
/// Members one batch invites at most (a township's branches at once).
pub const MAX_BATCH: u64 = 2000;

/// The letters of a code: no 0/O, 1/I/L, so that a code read off paper is typed right.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Characters of a code: 12 of 31 letters, about 59 bits.
pub const CODE_LEN: usize = 12;

/// A code from `CODE_LEN` random bytes (each taken modulo the alphabet; the bias is immaterial at this
/// length), written in groups of four: "K7QF-2MXP-9CHR".
pub fn code_from_bytes(bytes: &[u8; CODE_LEN]) -> String {
    let mut s = String::with_capacity(CODE_LEN + 2);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            s.push('-');
        }
        s.push(ALPHABET[usize::from(*b) % ALPHABET.len()] as char);
    }
    s
}

/// A code as typed or scanned, in the one form that is hashed: upper case, no separators or spaces;
/// `None` when it cannot be a code.
pub fn normalise_code(typed: &str) -> Option<String> {
    let s: String =
        typed.chars().filter(|c| !matches!(c, '-' | ' ' | '—' | '－')).map(|c| c.to_ascii_uppercase()).collect();
    (s.len() == CODE_LEN && s.bytes().all(|b| ALPHABET.contains(&b))).then_some(s)
}

/// Whether `answer` is the last six characters of `id_number` (an `x` is an `X`).
pub fn id_tail_matches(id_number: &str, answer: &str) -> bool {
    let answer = answer.trim().to_ascii_uppercase();
    let id = id_number.trim().to_ascii_uppercase();
    answer.len() == 6 && id.len() >= 6 && id.ends_with(&answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_grouped_and_read_back() {
        let c = code_from_bytes(&[0, 1, 2, 3, 30, 31, 32, 61, 200, 255, 100, 7]);
        assert_eq!(c.len(), CODE_LEN + 2);
        assert_eq!(&c[4..5], "-");
        let n = normalise_code(&c.to_lowercase()).unwrap();
        assert_eq!(n.len(), CODE_LEN);
        assert_eq!(normalise_code(&format!(" {} ", c.replace('-', " "))), Some(n));
        assert_eq!(normalise_code("K7QF-2MXP-9CH"), None, "too short");
        assert_eq!(normalise_code("K7QF-2MXP-9CH0"), None, "0 is not a letter of codes");
        assert_eq!(normalise_code("K7QF-2MXP-9CHRR"), None, "too long");
    }

    #[test]
    fn id_tail_takes_lower_case_x() {
        assert!(id_tail_matches("44088119850312901X", "12901x"));
        assert!(id_tail_matches("440881198503129015", "129015"));
        assert!(!id_tail_matches("440881198503129015", "29015"));
        assert!(!id_tail_matches("440881198503129015", "129016"));
        assert!(!id_tail_matches("440881198503129015", ""));
    }
}
