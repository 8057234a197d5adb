//! Administrative divisions (GB/T 2260): province / city / county codes.
//!
//! The table holds every province and the cities and counties the product's
//! organisations and destinations use; it grows with the data.

use std::collections::BTreeMap;
use std::sync::OnceLock;

static TABLE: &str = include_str!("regions.txt");

fn table() -> &'static BTreeMap<&'static str, &'static str> {
    static T: OnceLock<BTreeMap<&'static str, &'static str>> = OnceLock::new();
    T.get_or_init(|| TABLE.lines().filter_map(|l| l.split_once(' ')).map(|(c, n)| (c.trim(), n.trim())).collect())
}

pub fn name(code: &str) -> Option<&'static str> {
    table().get(code).copied()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Province,
    City,
    County,
}

pub fn level(code: &str) -> Option<Level> {
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(if code.ends_with("0000") {
        Level::Province
    } else if code.ends_with("00") {
        Level::City
    } else {
        Level::County
    })
}

pub fn province_of(code: &str) -> String {
    format!("{}0000", &code[..2])
}

pub fn city_of(code: &str) -> String {
    format!("{}00", &code[..4])
}

/// A validated location: the province, city and county codes must exist and nest.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Location {
    pub province: Option<String>,
    pub city: Option<String>,
    pub county: Option<String>,
}

impl Location {
    pub fn parse(province: Option<&str>, city: Option<&str>, county: Option<&str>) -> Result<Self, crate::FieldErrors> {
        let norm = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let (p, c, k) = (norm(province), norm(city), norm(county));
        let mut e = crate::FieldErrors::new();
        let check = |e: &mut crate::FieldErrors, field: &str, code: &Option<String>, want: Level, label: &str| {
            if let Some(code) = code
                && (level(code) != Some(want) || name(code).is_none())
            {
                e.add(field, format!("{label}代码 {code} 无效"));
                return false;
            }
            true
        };
        let ok_p = check(&mut e, "province_code", &p, Level::Province, "省份");
        let ok_c = check(&mut e, "city_code", &c, Level::City, "城市");
        let ok_k = check(&mut e, "county_code", &k, Level::County, "区县");
        if ok_c && let Some(c) = &c {
            match &p {
                None => e.add("province_code", "填写城市时须填写省份"),
                Some(p) if ok_p && province_of(c) != *p => e.add("city_code", "城市不属于所选省份"),
                _ => {}
            }
        }
        if ok_k && let Some(k) = &k {
            match &c {
                None => e.add("city_code", "填写区县时须填写城市"),
                Some(c) if ok_c && city_of(k) != *c => e.add("county_code", "区县不属于所选城市"),
                _ => {}
            }
        }
        e.into_result()?;
        Ok(Self { province: p, city: c, county: k })
    }

    /// "广东省 广州市 天河区"; a municipality's city repeats its name and is shown once.
    pub fn display(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        for code in [&self.province, &self.city, &self.county].into_iter().flatten() {
            if let Some(n) = name(code)
                && parts.last() != Some(&n)
            {
                parts.push(n);
            }
        }
        parts.join(" ")
    }
}

/// A place as written in a roster's 外出地点 (广东省广州市天河区, 广州, 海口市龙华区某街道 …) as region codes:
/// the most specific region named (a county over a city over a province), by its full name or its
/// name without 省/市/区/县/自治区. `None` when nothing is recognised or a name is ambiguous.
pub fn find_place(text: &str) -> Option<Location> {
    const SUFFIXES: [&str; 8] = ["维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市", "区"];
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let short = |n: &'static str| -> &'static str {
        SUFFIXES.iter().find_map(|s| n.strip_suffix(s)).filter(|b| b.chars().count() >= 2).unwrap_or(n)
    };
    let mut best: Option<(Level, usize, &'static str)> = None;
    let mut ambiguous = false;
    for (code, n) in table().iter() {
        let matched = if text.contains(n) {
            n.chars().count()
        } else if text.contains(short(n)) {
            short(n).chars().count()
        } else {
            continue;
        };
        let lv = level(code)?;
        let rank = |l: Level| match l {
            Level::Province => 0,
            Level::City => 1,
            Level::County => 2,
        };
        match best {
            Some((bl, bm, bc)) if (rank(lv), matched) == (rank(bl), bm) && name(bc) != Some(n) => ambiguous = true,
            Some((bl, bm, _)) if (rank(lv), matched) <= (rank(bl), bm) => {}
            _ => {
                best = Some((lv, matched, code));
                ambiguous = false;
            }
        }
    }
    let (lv, _, code) = best.filter(|_| !ambiguous)?;
    let (province, city, county) = match lv {
        Level::Province => (code.to_string(), None, None),
        Level::City => (province_of(code), Some(code.to_string()), None),
        Level::County => (province_of(code), Some(city_of(code)), Some(code.to_string())),
    };
    Location::parse(Some(&province), city.as_deref(), county.as_deref()).ok()
}

/// One node of the region tree sent to the UI.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RegionNode {
    pub code: String,
    pub name: String,
    #[schema(no_recursion)]
    pub children: Vec<RegionNode>,
}

/// The table as a province → city → county tree.
pub fn tree() -> Vec<RegionNode> {
    let mut out: Vec<RegionNode> = Vec::new();
    for (code, name) in table() {
        let node = RegionNode { code: code.to_string(), name: name.to_string(), children: vec![] };
        match level(code) {
            Some(Level::Province) => out.push(node),
            Some(Level::City) => {
                if let Some(p) = out.iter_mut().find(|p| p.code == province_of(code)) {
                    p.children.push(node);
                }
            }
            Some(Level::County) => {
                if let Some(c) = out
                    .iter_mut()
                    .find(|p| p.code == province_of(code))
                    .and_then(|p| p.children.iter_mut().find(|c| c.code == city_of(code)))
                {
                    c.children.push(node);
                }
            }
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_must_nest() {
        let l = Location::parse(Some("440000"), Some("440100"), Some("440106")).unwrap();
        assert_eq!(l.display(), "广东省 广州市 天河区");
        let sh = Location::parse(Some("310000"), Some("310100"), None).unwrap();
        assert_eq!(sh.display(), "上海市");
        let e = Location::parse(Some("450000"), Some("440100"), None).unwrap_err();
        assert_eq!(e.0["city_code"], vec!["城市不属于所选省份"]);
        let e = Location::parse(Some("440000"), Some("449900"), None).unwrap_err();
        assert!(e.0["city_code"][0].contains("无效"));
        let e = Location::parse(None, None, Some("440106")).unwrap_err();
        assert!(e.0.contains_key("city_code"));
        assert_eq!(Location::parse(None, None, None).unwrap(), Location::default());
    }

    #[test]
    fn tree_nests_counties_under_cities() {
        let t = tree();
        assert_eq!(t.len(), 34);
        let gd = t.iter().find(|p| p.code == "440000").unwrap();
        let zj = gd.children.iter().find(|c| c.code == "440800").unwrap();
        assert!(zj.children.iter().any(|k| k.name == "吴川市"));
    }
}

#[cfg(test)]
mod place_tests {
    use super::*;

    #[test]
    fn places_as_rosters_write_them() {
        let p = find_place("广东省广州市天河区体育西路").unwrap();
        assert_eq!(
            (p.province.as_deref(), p.city.as_deref(), p.county.as_deref()),
            (Some("440000"), Some("440100"), Some("440106"))
        );
        let p = find_place("广州").unwrap();
        assert_eq!((p.city.as_deref(), p.county), (Some("440100"), None));
        let p = find_place("海南 海口").unwrap();
        assert_eq!(p.city.as_deref(), Some("460100"));
        assert_eq!(find_place("在外地打工"), None);
    }
}
