//! The OpenAPI document is pinned: a change to the API shows up as a diff of
//! docs/openapi.json (regenerate with `honglian openapi > docs/openapi.json`),
//! and the web client's generated types are checked against that file.

#[test]
fn openapi_document_matches_snapshot() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
    let current = honglian_server::http::openapi_json();
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::write(path, format!("{current}\n")).unwrap();
    }
    let pinned = std::fs::read_to_string(path).expect("docs/openapi.json exists");
    assert!(
        pinned.trim_end() == current.trim_end(),
        "the API changed: review it, then run `UPDATE_SNAPSHOTS=1 cargo nextest run openapi` (or `honglian openapi > docs/openapi.json`) and regenerate the web types (`npm run gen:api` in web/)"
    );
    let doc: serde_json::Value = serde_json::from_str(&current).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for required in ["/session", "/orgs", "/orgs/{id}", "/members", "/members/{id}/unmask", "/users", "/audit-events"] {
        assert!(doc["paths"].get(required).is_some(), "{required} is documented");
    }
}
