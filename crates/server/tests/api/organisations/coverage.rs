//! Coverage through the API: a coverage census writes the confirmed coverage back to the hosts.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, items};

async fn coverage_census_writes_back(t: TestApp) {
    let jx = t.login("jinxiang_admin").await;
    let park = t.org_id("金乡经济开发区综合党委").await;
    let before = jx.get(&format!("/api/v1/stats/coverage?org={park}")).await.body;
    let c = jx
        .post("/api/v1/coverage-censuses", json!({"name": "经开区覆盖摸排", "period": "2026-Q4", "org_id": park}))
        .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
    let id = c.body["id"].as_i64().unwrap();
    assert_eq!(c.body["total"].as_u64(), before["hosts"].as_u64());
    let entries = jx.get(&format!("/api/v1/coverage-censuses/{id}/entries")).await;
    let e = items(&entries.body).iter().find(|e| e["coverage_before"] == "own_org").unwrap().clone();
    let checked = jx
        .put(
            &format!("/api/v1/coverage-censuses/{id}/entries/{}", e["id"]),
            json!({"coverage": "none", "note": "企业已注销党支部"}),
        )
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    // Nothing changes until the census closes.
    assert_eq!(jx.get(&format!("/api/v1/stats/coverage?org={park}")).await.body["org_covered"], before["org_covered"]);
    let listed = jx.get("/api/v1/coverage-censuses").await;
    let mine = items(&listed.body).iter().find(|c| c["id"] == id).unwrap().clone();
    assert_eq!(mine["checked"], 1);
    let progress = mine["progress"].as_array().unwrap();
    assert_eq!(progress.iter().map(|p| p["total"].as_u64().unwrap()).sum::<u64>(), mine["total"].as_u64().unwrap());
    assert_eq!(progress.iter().map(|p| p["checked"].as_u64().unwrap()).sum::<u64>(), 1);
    let closed = jx.post(&format!("/api/v1/coverage-censuses/{id}/close"), json!({})).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    assert_eq!(closed.body["changed"], 1);
    let after = jx.get(&format!("/api/v1/stats/coverage?org={park}")).await.body;
    assert_eq!(after["org_covered"].as_u64().unwrap() + 1, before["org_covered"].as_u64().unwrap());
    let again = jx.post(&format!("/api/v1/coverage-censuses/{id}/close"), json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}
crate::both!(coverage_census_writes_back);
