//! Communities through the API: the rota swap.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, items};

async fn rota_swap(t: TestApp) {
    let jx = t.login("jinxiang_admin").await;
    let garlic = t.org_id("大蒜产业链党建联盟").await;
    let detail = jx.get(&format!("/api/v1/communities/{garlic}")).await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
    let secretaries = detail.body["rota"]["secretaries"].as_array().unwrap().clone();
    let roles: Vec<&str> =
        detail.body["members"].as_array().unwrap().iter().map(|m| m["role"].as_str().unwrap()).collect();
    assert!(roles.contains(&"lead") && roles.contains(&"coordinator") && roles.contains(&"member"));
    let no_reason = jx
        .post(
            &format!("/api/v1/alliances/{garlic}/swaps"),
            json!({"term_start": "2026-11-01", "secretary_id": secretaries[0]["id"], "reason": " "}),
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body["errors"]["reason"].is_array(), "{}", no_reason.body);
    let not_a_term = jx
        .post(
            &format!("/api/v1/alliances/{garlic}/swaps"),
            json!({"term_start": "2026-11-02", "secretary_id": secretaries[0]["id"], "reason": "出差"}),
        )
        .await;
    assert_eq!(not_a_term.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(not_a_term.body["errors"]["term_start"].is_array(), "{}", not_a_term.body);
    let ok = jx
        .post(
            &format!("/api/v1/alliances/{garlic}/swaps"),
            json!({"term_start": "2026-11-01", "secretary_id": secretaries[1]["id"], "reason": "原轮值书记住院"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let rota = jx.get(&format!("/api/v1/alliances/{garlic}/rota?from=2026-11-01&to=2026-11-30")).await;
    assert_eq!(items(&rota.body).len(), 1);
    assert_eq!(items(&rota.body)[0]["secretary"]["id"], secretaries[1]["id"]);
    assert_eq!(items(&rota.body)[0]["swapped"], true);
    let audit = t.login("auditor").await.get("/api/v1/audit-events?per_page=50").await;
    assert!(audit.body.to_string().contains("community.rota_swap"), "the swap is audited");
    assert!(audit.body.to_string().contains("原轮值书记住院"));
    // A member organisation's administrator sees the alliance but may not change it.
    let instructor = t.login("instructor").await;
    let coal = t.org_id("煤基新材料产业链党建联盟").await;
    assert_eq!(instructor.get(&format!("/api/v1/communities/{coal}")).await.status, StatusCode::OK);
    // It sees the alliance's own activities (its rhythm), but not who attended them.
    let acts = instructor.get(&format!("/api/v1/activities?org={coal}&kind=weekly_meeting")).await;
    assert_eq!(acts.status, StatusCode::OK, "{}", acts.body);
    let first = items(&acts.body).first().expect("weekly meetings of the alliance")["id"].as_i64().unwrap();
    assert_eq!(instructor.get(&format!("/api/v1/activities/{first}")).await.status, StatusCode::OK);
    assert_eq!(instructor.get(&format!("/api/v1/activities/{first}/attendance")).await.status, StatusCode::NOT_FOUND);
    let alliances = instructor.get("/api/v1/alliances").await;
    let rhythm = &items(&alliances.body).iter().find(|a| a["id"] == coal).unwrap()["rhythm"];
    assert!(rhythm["blue"].as_u64().unwrap() > 0 && rhythm["red"].as_u64().unwrap() > 0, "weekly gaps show: {rhythm}");
    assert_eq!(
        instructor
            .post(&format!("/api/v1/alliances/{coal}/handovers"), json!({"term_start": "2026-01-01", "note": "x"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
crate::both!(rota_swap);
