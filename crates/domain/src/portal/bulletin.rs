//! Bulletins (通知公告): notices and activity notices written by an organisation for the members of
//! its subtree (and, if it says so, for the outflow members its subtree receives). Members read them
//! when they like: a bulletin is counted as read, never demanded, and nobody is ranked by it.

use crate::organisations::org::code_enum;
use crate::validation::{FieldErrors, required_text};

code_enum!(
    /// What a bulletin is: a notice (通知公告) or an activity notice (活动通知).
    BulletinKind {
        Notice = "notice": "通知公告",
        Activity = "activity": "活动通知",
    }
);

/// The longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 100;
/// The longest body (plain text), in characters.
pub const MAX_BODY_CHARS: usize = 5000;
/// At most this many attachments to one bulletin.
pub const MAX_FILES: usize = 10;

/// A bulletin's title and body, trimmed and checked (errors under `title` and `body`).
pub fn check_text(title: &str, body: &str) -> Result<(String, String), FieldErrors> {
    let mut e = FieldErrors::new();
    let title = e.check("title", required_text(title, "标题", MAX_TITLE_CHARS));
    let body = e.check("body", required_text(body, "正文", MAX_BODY_CHARS));
    // A title is one line: a line break would break every list it is shown in.
    if title.as_deref().is_some_and(|t| t.contains(['\n', '\r'])) {
        e.add("title", "标题不能换行");
    }
    e.into_result()?;
    Ok((title.expect("checked"), body.expect("checked")))
}

/// The prefixes of a materialised path, from the root to the organisation itself
/// (`/1/7/12/` → `/1/`, `/1/7/`, `/1/7/12/`): the organisations whose bulletins reach a member of it.
pub fn ancestor_paths(path: &str) -> Vec<String> {
    path.match_indices('/').skip(1).map(|(i, _)| path[..=i].to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(
            check_text("  关于开展主题党日的通知 ", " 正文 ").unwrap(),
            ("关于开展主题党日的通知".into(), "正文".into())
        );
        let e = check_text(" ", "").unwrap_err();
        assert!(e.0.contains_key("title") && e.0.contains_key("body"));
        let long = "字".repeat(MAX_BODY_CHARS + 1);
        assert!(check_text("标题", &long).unwrap_err().0.contains_key("body"));
        assert!(check_text("标题", &"字".repeat(MAX_BODY_CHARS)).is_ok());
        assert!(check_text(&"题".repeat(MAX_TITLE_CHARS + 1), "正文").unwrap_err().0.contains_key("title"));
        assert!(check_text("第一行\n第二行", "正文").unwrap_err().0.contains_key("title"));
    }

    #[test]
    fn ancestors_run_from_the_root_to_the_organisation() {
        assert_eq!(ancestor_paths("/1/7/12/"), vec!["/1/", "/1/7/", "/1/7/12/"]);
        assert_eq!(ancestor_paths("/1/"), vec!["/1/"]);
    }

    #[test]
    fn kinds_have_labels() {
        assert_eq!(BulletinKind::from_code("activity"), Some(BulletinKind::Activity));
        assert_eq!(BulletinKind::Notice.label(), "通知公告");
        assert_eq!(BulletinKind::from_code("greeting"), None);
    }
}
