//! The embedded UI and the edges of the HTTP surface.

use reqwest::StatusCode;

use crate::helpers::TestApp;

async fn spa_and_api_edges(t: TestApp) {
    let index = reqwest::get(t.url("/")).await.unwrap();
    assert_eq!(index.status(), StatusCode::OK);
    assert_eq!(index.headers()["cache-control"], "no-cache");
    assert!(index.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert_eq!(index.headers()["x-frame-options"], "DENY");
    assert!(index.headers()["content-security-policy"].to_str().unwrap().contains("default-src 'self'"));
    let html = index.text().await.unwrap();
    // A client-side route gets the same page.
    let deep = reqwest::get(t.url("/members/12")).await.unwrap();
    assert_eq!(deep.status(), StatusCode::OK);
    assert_eq!(deep.text().await.unwrap(), html);
    // An unknown API path is a JSON 404, not the page.
    let api = reqwest::get(t.url("/api/v1/no-such-thing")).await.unwrap();
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["title"], "接口不存在");
    // Hashed assets are cached for long.
    if let Some(asset) = html.split("src=\"/assets/").nth(1).and_then(|s| s.split('"').next()) {
        let a = reqwest::get(t.url(&format!("/assets/{asset}"))).await.unwrap();
        assert_eq!(a.status(), StatusCode::OK);
        assert!(a.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    }
    let missing = reqwest::get(t.url("/assets/missing-1234.js")).await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    // Health, readiness and the docs page.
    assert_eq!(reqwest::get(t.url("/healthz")).await.unwrap().status(), StatusCode::OK);
    assert_eq!(reqwest::get(t.url("/readyz")).await.unwrap().text().await.unwrap(), "ready");
    let docs = reqwest::get(t.url("/api/docs")).await.unwrap().text().await.unwrap();
    assert!(docs.contains("红链 Honglian API") && docs.contains("/api/docs/docs.js"));
    // API answers are never cached.
    let s = reqwest::get(t.url("/api/v1/session")).await.unwrap();
    assert_eq!(s.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(s.headers()["cache-control"], "no-store");
}
crate::both!(spa_and_api_edges);
