//! After lost contact: the member's branch proposes suspension, the level above approves (the record
//! says 停止党籍 from that day) or declines with a reason; removal is proposed only two years after the
//! suspension; contact regained ends a pending proposal and lifts the suspension, the history kept.

use chrono::{Duration, NaiveDate};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, items};

fn today() -> NaiveDate {
    (chrono::Utc::now() + Duration::hours(8)).date_naive()
}

fn waiting(wb: &Value) -> Option<Value> {
    wb["items"].as_array().unwrap().iter().find(|i| i["key"] == "suspensions").cloned()
}

async fn suspension_approved_removal_later_contact_ends_it(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    // Two lost members of one home branch, and the branch's and its town committee's workers.
    let lost = w.get("/api/v1/lost-contacts?suspended=false&per_page=200").await.body;
    let mut by_org: std::collections::BTreeMap<i64, Vec<i64>> = Default::default();
    for l in items(&lost).iter().filter(|l| l["home"] == true && l["suspension_proposed"] == false) {
        by_org.entry(l["org_id"].as_i64().unwrap()).or_default().push(l["member_id"].as_i64().unwrap());
    }
    let (org, ms) = by_org.into_iter().find(|(_, v)| v.len() >= 2).expect("a branch with two lost members");
    let (a, b) = (ms[0], ms[1]);
    let parent = t.sql_i64(&format!("SELECT parent_id FROM orgs WHERE id = {org}")).await;
    let branch = t.account("lost_branch", "org_admin", Some(org), None).await;
    let town = t.account("lost_town", "org_admin", Some(parent), None).await;

    // Proposed by the branch: nothing changes yet; the branch cannot decide its own.
    let url = |m: i64| format!("/api/v1/members/{m}/suspension-proposals");
    let p = branch.post(&url(a), json!({"reason": "多方查找半年以上仍无法取得联系"})).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
    assert_eq!(p.body["status"], "pending");
    assert_eq!(p.body["kind"], "suspension");
    assert_eq!(p.body["can_decide"], false);
    let pid = p.body["id"].as_i64().unwrap();
    assert_eq!(branch.post(&url(a), json!({"reason": "再提一次"})).await.status, StatusCode::CONFLICT);
    let decide = |m: i64, p: i64| format!("/api/v1/members/{m}/suspension-proposals/{p}/decision");
    let own = branch.post(&decide(a, pid), json!({"approve": true, "on": today()})).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN, "{}", own.body);
    // Nor another worker of the same branch: the decision is the level above's.
    let colleague = t.account("lost_branch_2", "org_admin", Some(org), None).await;
    let r = colleague.post(&decide(a, pid), json!({"approve": true, "on": today()})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(
        t.login("jinxiang_admin").await.post(&decide(a, pid), json!({"approve": true, "on": today()})).await.status,
        StatusCode::NOT_FOUND
    );

    // The town committee is reminded and decides: not tomorrow, not before the proposal.
    let item = waiting(&town.get("/api/v1/workbench").await.body).expect("the level above is reminded");
    assert_eq!(item["count"], 1, "{item}");
    assert!(waiting(&branch.get("/api/v1/workbench").await.body).is_none());
    let list = town.get(&url(a)).await;
    assert_eq!(items(&list.body)[0]["can_decide"], true, "{}", list.body);
    let r = town.post(&decide(a, pid), json!({"approve": true, "on": today() + Duration::days(1)})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["errors"]["on"].is_array(), "{}", r.body);
    let r = town.post(&decide(a, pid), json!({"approve": true, "on": today()})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "approved");
    let m = w.get(&format!("/api/v1/members/{a}")).await.body;
    assert_eq!(m["status"], "suspended", "{m}");
    assert_eq!(m["suspended_on"], today().to_string());
    assert_eq!(town.post(&decide(a, pid), json!({"approve": true, "on": today()})).await.status, StatusCode::CONFLICT);

    // Removal only two years after the suspension.
    let early = branch.post(&url(a), json!({"reason": "仍无法联系", "kind": "removal"})).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", early.body);
    let two_years = today() - Duration::days(731);
    t.sql_exec(&format!("UPDATE members SET suspended_on = '{two_years}' WHERE id = {a}")).await;
    let rm = branch.post(&url(a), json!({"reason": "停止党籍两年仍无法取得联系", "kind": "removal"})).await;
    assert_eq!(rm.status, StatusCode::CREATED, "{}", rm.body);

    // A contact dated before the suspension does not undo it.
    let before = two_years - Duration::days(1);
    let c = branch
        .post(
            &format!("/api/v1/members/{a}/contacts"),
            json!({"kind": "call", "contacted_on": before, "reached": true}),
        )
        .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
    assert_eq!(w.get(&format!("/api/v1/members/{a}")).await.body["status"], "suspended");

    // Contact regained: the pending removal ends and the suspension is lifted; the history stays.
    let c = branch
        .post(
            &format!("/api/v1/members/{a}/contacts"),
            json!({"kind": "call", "contacted_on": today(), "reached": true}),
        )
        .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
    let m = w.get(&format!("/api/v1/members/{a}")).await.body;
    assert_eq!(m["status"], "normal", "{m}");
    let history = items(&w.get(&url(a)).await.body).clone();
    let statuses: Vec<&str> = history.iter().map(|p| p["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, vec!["ended", "approved"], "newest first: {history:?}");
    assert_eq!(history[0]["ended_on"], today().to_string());

    // Declined with a reason: the member stays as they were.
    let p = branch.post(&url(b), json!({"reason": "多方查找半年以上仍无法取得联系"})).await;
    let pid = p.body["id"].as_i64().unwrap();
    let no_reason = town.post(&decide(b, pid), json!({"approve": false, "on": today()})).await;
    assert!(no_reason.body["errors"]["note"].is_array(), "{}", no_reason.body);
    let r = town
        .post(&decide(b, pid), json!({"approve": false, "on": today(), "note": "已掌握其在广州务工线索，继续查找"}))
        .await;
    assert_eq!(r.body["status"], "rejected", "{}", r.body);
    assert_eq!(w.get(&format!("/api/v1/members/{b}")).await.body["status"], "normal");

    // A removal approved: the record says the member has left.
    t.sql_exec(&format!("UPDATE members SET status = 'suspended', suspended_on = '{two_years}' WHERE id = {b}")).await;
    let rm = branch.post(&url(b), json!({"reason": "停止党籍两年仍无法取得联系", "kind": "removal"})).await;
    let r = town.post(&decide(b, rm.body["id"].as_i64().unwrap()), json!({"approve": true, "on": today()})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(w.get(&format!("/api/v1/members/{b}")).await.body["status"], "left");
}
crate::both!(suspension_approved_removal_later_contact_ends_it);
