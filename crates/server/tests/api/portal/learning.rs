use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;

/// 学习: a member sees their county's venues and marks or unmarks them, their own note; another county's
/// venue is not theirs; the county admin edits the list (a venue keeps its key, and members their marks);
/// a branch worker and another county's admin cannot.
async fn learning_venues_and_own_marks(t: TestApp) {
    let me = t.login("member_demo").await;
    let l = me.get("/api/v1/me/learning").await;
    assert_eq!(l.status, StatusCode::OK, "{}", l.body);
    assert_eq!(l.body["venues"].as_array().unwrap().len(), 10, "Wuchuan's ten VR halls");
    assert_eq!(l.body["visited"], 3);
    assert_eq!(l.body["venues"][0]["name"], "吴川革命历史纪念馆");
    assert!(l.body["venues"][0]["url"].as_str().unwrap().starts_with("https://"));
    let m = me.put("/api/v1/me/learning/wc02/visit", json!({})).await;
    assert_eq!(m.status, StatusCode::OK, "{}", m.body);
    assert_eq!(m.body["visited"], 4);
    assert_eq!(m.body["venues"][1]["visited_on"], honglian_app::today().to_string());
    assert_eq!(me.put("/api/v1/me/learning/wc02/visit", json!({})).await.body["visited"], 4, "once");
    let u = me.delete("/api/v1/me/learning/wc02/visit").await;
    assert_eq!(u.status, StatusCode::OK, "{}", u.body);
    assert_eq!(u.body["visited"], 3);
    assert!(u.body["venues"][1]["visited_on"].is_null());
    let other = me.put("/api/v1/me/learning/jx01/visit", json!({})).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND, "Jinxiang's venue: {}", other.body);

    let w = t.login("wuchuan_admin").await;
    let list = w.get("/api/v1/settings/learning-venues").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.body["venues"].as_array().unwrap().len(), 10);
    let bad = w
        .put("/api/v1/settings/learning-venues", json!({"venues": [{"name": "展馆", "url": "javascript:alert(1)"}]}))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body["errors"]["venues[0].url"][0].as_str().unwrap().contains("http"), "{}", bad.body);
    let edited = w
        .put(
            "/api/v1/settings/learning-venues",
            json!({"venues": [
                {"key": "wc01", "name": "吴川革命历史纪念馆（新版）", "description": "", "url": "https://vr.wuchuan.example/v2"},
                {"name": "吴川侨乡文化馆", "description": "侨乡与商会的故事", "url": "https://vr.wuchuan.example/qiaoxiang"}
            ]}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    let new_key = edited.body["venues"][1]["key"].as_str().unwrap().to_string();
    assert!(!new_key.is_empty() && new_key != "wc01");
    let l = me.get("/api/v1/me/learning").await.body;
    assert_eq!(l["venues"].as_array().unwrap().len(), 2);
    assert_eq!(l["venues"][0]["name"], "吴川革命历史纪念馆（新版）");
    assert!(l["venues"][0]["visited_on"].is_string(), "the mark follows the venue: {l}");
    assert_eq!(l["visited"], 1);
    assert_eq!(me.put(&format!("/api/v1/me/learning/{new_key}/visit"), json!({})).await.body["visited"], 2);

    // Only the county's own admin edits it; members and workers do not.
    let jx = t.login("jinxiang_admin").await;
    let theirs = jx.get("/api/v1/settings/learning-venues").await.body;
    assert_eq!(theirs["venues"].as_array().unwrap().len(), 3, "Jinxiang's own: {theirs}");
    let gz = t.login("gz_branch").await;
    assert_eq!(gz.get("/api/v1/settings/learning-venues").await.status, StatusCode::FORBIDDEN);
    assert_eq!(me.put("/api/v1/settings/learning-venues", json!({"venues": []})).await.status, StatusCode::FORBIDDEN);
    // An account without a member record has no marks.
    assert_eq!(w.get("/api/v1/me/learning").await.status, StatusCode::FORBIDDEN);
}
crate::both!(learning_venues_and_own_marks);
