//! Party organisations: kinds, hosts, status and the materialised path that
//! makes "everything under X" one indexed prefix query.

use serde::{Deserialize, Serialize};

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($var:ident = $code:literal : $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($var),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];

            /// The code used in the database, the API and the UI.
            pub fn code(self) -> &'static str {
                match self { $($name::$var => $code),+ }
            }

            /// The Chinese label shown to users.
            pub fn label(self) -> &'static str {
                match self { $($name::$var => $label),+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$var),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
pub(crate) use code_enum;

code_enum!(
    /// The kinds of party organisation in the glossary.
    OrgKind {
        Committee = "committee": "党委",
        WorkCommittee = "work_committee": "两新工委",
        ParkCommittee = "park_committee": "综合党委",
        RegionalOrg = "regional_org": "区域性党组织",
        IndustryCommittee = "industry_committee": "行业党委",
        GeneralBranch = "general_branch": "党总支",
        Branch = "branch": "党支部",
        JointBranch = "joint_branch": "联合党支部",
        LiaisonCenter = "liaison_center": "党建联络中心",
        ChainAlliance = "chain_alliance": "产业链党建联盟",
        PartyGroup = "party_group": "党小组",
    }
);

code_enum!(
    /// What an organisation sits in (两新组织 and other hosts).
    HostKind {
        Chamber = "chamber": "商会",
        Enterprise = "enterprise": "企业",
        SocialOrg = "social_org": "社会组织",
        Building = "building": "楼宇",
        BusinessDistrict = "business_district": "商圈",
        Market = "market": "市场",
        Park = "park": "园区",
        Village = "village": "村/社区",
        None = "none": "无",
    }
);

code_enum!(
    OrgStatus {
        Active = "active": "正常",
        Dissolved = "dissolved": "已撤销",
    }
);

impl OrgKind {
    /// Whether an organisation of this kind may have a child of kind `child`:
    /// branches are the lowest level of organisation and hold only party groups
    /// (党小组); a party group holds nothing; a party group sits only in a branch.
    pub fn allows_child(self, child: OrgKind) -> bool {
        match self {
            OrgKind::PartyGroup => false,
            OrgKind::Branch | OrgKind::JointBranch => child == OrgKind::PartyGroup,
            OrgKind::GeneralBranch => true,
            _ => child != OrgKind::PartyGroup,
        }
    }
}

/// A materialised path such as `/1/7/12/`: the ids from the root down to the
/// organisation itself, each followed by a slash.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrgPath(String);

impl OrgPath {
    pub fn root(id: i64) -> Self {
        Self(format!("/{id}/"))
    }

    pub fn child(&self, id: i64) -> Self {
        Self(format!("{}{id}/", self.0))
    }

    pub fn parse(s: &str) -> Option<Self> {
        let inner = s.strip_prefix('/')?.strip_suffix('/')?;
        if inner.is_empty() || !inner.split('/').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
        Some(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn ids(&self) -> Vec<i64> {
        self.0.split('/').filter(|p| !p.is_empty()).filter_map(|p| p.parse().ok()).collect()
    }

    pub fn depth(&self) -> usize {
        self.ids().len()
    }

    /// True when `self` is `other` or lies beneath it.
    pub fn is_within(&self, other: &OrgPath) -> bool {
        self.0.starts_with(&other.0)
    }

    /// The path after moving the subtree rooted at `old_root` to `new_root`.
    pub fn rebase(&self, old_root: &OrgPath, new_root: &OrgPath) -> Option<OrgPath> {
        self.0.strip_prefix(&old_root.0).map(|rest| OrgPath(format!("{}{}", new_root.0, rest)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_nest_and_rebase() {
        let a = OrgPath::root(1);
        let b = a.child(7);
        let c = b.child(12);
        assert_eq!(c.as_str(), "/1/7/12/");
        assert!(c.is_within(&b) && c.is_within(&a) && c.is_within(&c));
        assert!(!b.is_within(&c));
        // "/1/7/" must not count "/1/70/" as inside.
        assert!(!OrgPath::parse("/1/70/").unwrap().is_within(&b));
        let target = OrgPath::parse("/3/").unwrap().child(9);
        assert_eq!(c.rebase(&b, &target.child(7)).unwrap().as_str(), "/3/9/7/12/");
        assert_eq!(c.ids(), vec![1, 7, 12]);
        assert_eq!(c.depth(), 3);
        assert!(OrgPath::parse("/1//").is_none() && OrgPath::parse("1/").is_none());
    }

    #[test]
    fn codes_round_trip() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::from_code(k.code()), Some(*k));
        }
        assert_eq!(OrgKind::LiaisonCenter.code(), "liaison_center");
        assert_eq!(HostKind::Chamber.label(), "商会");
        assert!(OrgKind::Branch.allows_child(OrgKind::PartyGroup));
        assert!(!OrgKind::Branch.allows_child(OrgKind::Branch));
        assert!(!OrgKind::PartyGroup.allows_child(OrgKind::PartyGroup));
        assert!(
            OrgKind::GeneralBranch.allows_child(OrgKind::Branch)
                && OrgKind::GeneralBranch.allows_child(OrgKind::PartyGroup)
        );
        assert!(!OrgKind::Committee.allows_child(OrgKind::PartyGroup));
    }
}
