//! 学习: the county's online learning venues (Wuchuan's ten VR 云展馆 and the like) and a member's own,
//! voluntary "I visited" marks. No points, no rankings, no time counting: a mark is the member's note to
//! themselves, and nobody else sees it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::FieldErrors;

/// Venues a county lists at most.
pub const MAX_VENUES: usize = 50;

/// A venue as the county lists it; `key` stays the same when the list is edited (a member's marks
/// follow it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Venue {
    pub key: String,
    pub name: String,
    pub description: String,
    /// Where it opens (http or https).
    pub url: String,
}

/// A venue as the county admin types it: without `key` it is new.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct VenueInput {
    pub key: Option<String>,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub url: String,
}

/// The list checked: names 1–50 characters and distinct, descriptions at most 300, addresses http(s)
/// of at most 500; a new venue gets its key from `new_key`. Errors name the row: `venues[2].url`.
pub fn check_venues(input: Vec<VenueInput>, mut new_key: impl FnMut() -> String) -> Result<Vec<Venue>, FieldErrors> {
    let mut e = FieldErrors::new();
    if input.len() > MAX_VENUES {
        e.add("venues", format!("最多列出 {MAX_VENUES} 个学习场馆"));
        return Err(e);
    }
    let mut out: Vec<Venue> = Vec::with_capacity(input.len());
    for (i, v) in input.into_iter().enumerate() {
        let f = |name: &str| format!("venues[{i}].{name}");
        let name = v.name.trim().to_string();
        let n = name.chars().count();
        if n == 0 || n > 50 {
            e.add(&f("name"), "场馆名称不能为空，且不超过 50 个字");
        } else if out.iter().any(|o| o.name == name) {
            e.add(&f("name"), format!("场馆“{name}”重复了"));
        }
        let description = v.description.trim().to_string();
        if description.chars().count() > 300 {
            e.add(&f("description"), "简介不超过 300 个字");
        }
        let url = v.url.trim().to_string();
        let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
        if !scheme_ok || url.len() > 500 || url.chars().any(char::is_whitespace) {
            e.add(&f("url"), "网址须以 http:// 或 https:// 开头，不超过 500 个字符，不含空格");
        }
        let key = match v.key.map(|k| k.trim().to_string()).filter(|k| !k.is_empty()) {
            Some(k) if k.len() <= 32 && k.bytes().all(|b| b.is_ascii_alphanumeric()) => k,
            Some(_) => {
                e.add(&f("key"), "场馆编号无效");
                String::new()
            }
            None => new_key(),
        };
        out.push(Venue { key, name, description, url });
    }
    e.into_result()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(key: Option<&str>, name: &str, url: &str) -> VenueInput {
        VenueInput { key: key.map(Into::into), name: name.into(), description: String::new(), url: url.into() }
    }

    #[test]
    fn venues_keep_their_keys_and_new_ones_get_one() {
        let mut n = 0;
        let out = check_venues(
            vec![v(Some("a1"), " 红色展馆 ", "https://x.example/1"), v(None, "党史馆", "http://x.example/2")],
            || {
                n += 1;
                format!("k{n}")
            },
        )
        .unwrap();
        assert_eq!(out[0].key, "a1");
        assert_eq!(out[0].name, "红色展馆");
        assert_eq!(out[1].key, "k1");
    }

    #[test]
    fn bad_rows_are_named() {
        let e = check_venues(
            vec![v(None, "馆", "ftp://x"), v(None, "馆", "https://x.example/a b"), v(Some("no-no"), "", "https://x")],
            || "k".into(),
        )
        .unwrap_err();
        assert!(e.0.contains_key("venues[0].url"));
        assert!(e.0.contains_key("venues[1].name"), "a name twice");
        assert!(e.0.contains_key("venues[1].url"), "a space in the address");
        assert!(e.0.contains_key("venues[2].name"));
        assert!(e.0.contains_key("venues[2].key"));
        let many = (0..=MAX_VENUES).map(|i| v(None, &format!("馆{i}"), "https://x.example")).collect();
        assert!(check_venues(many, || "k".into()).unwrap_err().0.contains_key("venues"));
    }
}
