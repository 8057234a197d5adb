//! Brand projects, evaluations and incentive grants through the API.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, items};

async fn brands_evaluations_and_grants(t: TestApp) {
    let jx = t.login("jinxiang_admin").await;
    let root = t.org_id("中共金乡县委员会").await;
    let gallery = jx.get(&format!("/api/v1/brand-projects?org={root}")).await;
    assert_eq!(gallery.body["cultivation"], 71, "the 百千万提升工程 targets of the demo");
    let names: Vec<&str> = items(&gallery.body).iter().map(|b| b["name"].as_str().unwrap()).collect();
    for n in ["四心领航", "双孵化", "1336"] {
        assert!(names.iter().any(|x| x.contains(n)), "{n} is in the gallery");
    }
    // At most two projects a year; the status follows the deliverables. (Which branch has only one
    // in the demo depends on the tree's order: take the first such.)
    let brands_of = |org: i64| items(&gallery.body).iter().filter(|b| b["org"]["id"] == org).count();
    let lute = items(&gallery.body)
        .iter()
        .map(|b| b["org"]["id"].as_i64().unwrap())
        .find(|org| brands_of(*org) == 1)
        .expect("an organisation with one brand project");
    let new = |name: &str| json!({"org_id": lute, "name": name, "goal": "以党建促安全生产", "checklist": [{"item": "建成红色车间"}, {"item": "总结工作法"}]});
    let second = jx.post("/api/v1/brand-projects", new("红色车间")).await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);
    assert_eq!(second.body["status"], "planning");
    let third = jx.post("/api/v1/brand-projects", new("第三个")).await;
    assert_eq!(third.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", third.body);
    let id = second.body["id"].as_i64().unwrap();
    let done = jx
        .patch(
            &format!("/api/v1/brand-projects/{id}"),
            json!({"name": "红色车间", "goal": "以党建促安全生产", "checklist": [{"item": "建成红色车间", "done": true}, {"item": "总结工作法", "done": true}]}),
        )
        .await;
    assert_eq!(done.body["status"], "done", "{}", done.body);

    // Rankings: the closed evaluation ranks by the weighted mean of three assessors.
    let evaluations = jx.get("/api/v1/evaluations").await;
    let closed = items(&evaluations.body).iter().find(|e| e["status"] == "closed").unwrap()["id"].as_i64().unwrap();
    let detail = jx.get(&format!("/api/v1/evaluations/{closed}")).await;
    let results = detail.body["results"].as_array().unwrap();
    assert_eq!(results[0]["rank"], 1);
    assert_eq!(results[0]["evaluators"], 3);
    let totals: Vec<u64> = results.iter().map(|r| r["total_hundredths"].as_u64().unwrap()).collect();
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");
    let late = jx
        .put(
            &format!("/api/v1/evaluations/{closed}/scores"),
            json!({"target_id": results[0]["org"]["id"], "scores": {"life": 90}}),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    let open = items(&evaluations.body).iter().find(|e| e["status"] == "open").unwrap()["id"].as_i64().unwrap();
    let target = jx.get(&format!("/api/v1/evaluations/{open}")).await.body["targets"][0]["id"].as_i64().unwrap();
    let over = jx
        .put(&format!("/api/v1/evaluations/{open}/scores"), json!({"target_id": target, "scores": {"life": 101}}))
        .await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(over.body["errors"]["score"].is_array(), "{}", over.body);
    // Rankings are not pushed to members or branches.
    assert_eq!(t.login("gz_branch").await.get("/api/v1/evaluations").await.status, StatusCode::FORBIDDEN);

    // Grants: approve at the tier's amount, disburse in exact fen, never more than approved.
    let grants = jx.get("/api/v1/incentive-grants").await;
    let g = items(&grants.body)
        .iter()
        .find(|g| g["status"] == "proposed" && g["amount_fen"].as_i64().unwrap() > 0)
        .unwrap()
        .clone();
    let id = g["id"].as_i64().unwrap();
    let manual = jx.put(&format!("/api/v1/incentive-grants/{id}/manual"), json!({"manual_percent": 100})).await;
    assert_eq!(manual.status, StatusCode::OK, "{}", manual.body);
    assert!(manual.body["score"]["total_hundredths"].as_u64() >= g["score"]["total_hundredths"].as_u64());
    let approved = jx.post(&format!("/api/v1/incentive-grants/{id}/approve"), json!({})).await;
    assert_eq!(approved.body["status"], "approved", "{}", approved.body);
    let amount = approved.body["amount_fen"].as_i64().unwrap();
    let too_much = jx
        .post(
            &format!("/api/v1/incentive-grants/{id}/disburse"),
            json!({"amount": format!("{}.01", amount / 100), "disbursed_on": "2026-11-20", "voucher": "JX-1"}),
        )
        .await;
    assert_eq!(too_much.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", too_much.body);
    assert!(too_much.body["errors"]["amount"].is_array());
    let paid = jx
        .post(
            &format!("/api/v1/incentive-grants/{id}/disburse"),
            json!({"amount": "2,999.99", "disbursed_on": "2026-11-20", "voucher": "JX-2"}),
        )
        .await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.body);
    assert_eq!(paid.body["disbursed_fen"], 299_999);
    assert_eq!(paid.body["disbursed_yuan"], "2,999.99");
    let audit = t.login("auditor").await.get("/api/v1/audit-events?per_page=50").await.body.to_string();
    for action in ["grant.manual", "grant.approve", "grant.disburse"] {
        assert!(audit.contains(action), "{action} is audited");
    }
    // Every record written above carries its MAC (platform::integrity).
    t.assert_records_intact().await;
}
crate::both!(brands_evaluations_and_grants);
