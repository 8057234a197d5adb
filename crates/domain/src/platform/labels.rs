//! Security labels (安全标记, GB/T 22239 level 3, 访问控制 g): a mandatory control beside the
//! organisation scope. A member record carries a label; an account carries a clearance. A record
//! labelled 敏感 (members who are classified personnel, leading cadres and the like) shows its
//! personal fields in clear only to an account cleared to 敏感, whatever roles and scope it holds:
//! a role grants *what* may be done, the label decides *whose* records it reaches.
//!
//! Who sets what (so that no user widens their own access): the security administrator alone sets
//! clearances; a worker who may unmask a record may raise its label (protect it); lowering it needs
//! the clearance the label asks for.

use crate::organisations::org::code_enum;

code_enum!(
    /// A record's label, and an account's clearance (the highest label it may read in clear).
    SecurityLabel { General = "general": "一般", Sensitive = "sensitive": "敏感" }
);

impl SecurityLabel {
    fn rank(self) -> u8 {
        match self {
            SecurityLabel::General => 0,
            SecurityLabel::Sensitive => 1,
        }
    }

    /// Whether an account cleared to `self` may read a record labelled `label` in clear.
    pub fn dominates(self, label: SecurityLabel) -> bool {
        self.rank() >= label.rank()
    }
}

/// Why a label change is refused, if it is: lowering a label needs a clearance that dominates it.
pub fn check_relabel(clearance: SecurityLabel, from: SecurityLabel, to: SecurityLabel) -> Result<(), &'static str> {
    if to.rank() < from.rank() && !clearance.dominates(from) {
        return Err("降低安全标记须具有该密级的权限（由安全管理员授予）");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::SecurityLabel::{General, Sensitive};
    use super::*;

    #[test]
    fn clearance_dominates_labels_and_only_the_cleared_lower_them() {
        assert!(General.dominates(General));
        assert!(!General.dominates(Sensitive));
        assert!(Sensitive.dominates(General) && Sensitive.dominates(Sensitive));
        // Anyone who may unmask a record may protect it; only the cleared may unprotect it.
        assert!(check_relabel(General, General, Sensitive).is_ok());
        assert!(check_relabel(General, Sensitive, General).is_err());
        assert!(check_relabel(Sensitive, Sensitive, General).is_ok());
    }
}
