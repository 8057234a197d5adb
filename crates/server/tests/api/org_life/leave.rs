//! A member asks for leave with a reason, before the activity ends; it shows in the attendance table.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;

async fn leave_request_shows_in_attendance(t: TestApp) {
    let home = t.org_id("梅菉街道新华社区第一党支部").await;
    let other = t.org_id("梅菉街道梅岭村第一党支部").await;
    let (mid, name) = t.members_at_home(home).await.into_iter().next().expect("a member at home");
    let member = t.account("leave_member", "member", None, Some(mid)).await;
    let w = t.login("wuchuan_admin").await;
    let start = Utc::now() + Duration::days(2);
    let mk = |org: i64, start: chrono::DateTime<Utc>| {
        json!({"org_ids": [org], "kind": "theme_day", "topic": "请假测试主题党日", "start_at": start,
               "end_at": start + Duration::hours(2), "place": "党群服务中心", "allow_duplicate": true})
    };
    let a = w.post("/api/v1/activities", mk(home, start)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let id = a.body["id"].as_i64().unwrap();

    let bad = member.post(&format!("/api/v1/activities/{id}/leave"), json!({"reason": " "})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body["errors"]["reason"][0].as_str().unwrap().contains("请假原因"), "{}", bad.body);
    let ok = member.post(&format!("/api/v1/activities/{id}/leave"), json!({"reason": "在外地务工，无法返回"})).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.body["status"], "leave");
    assert_eq!(ok.body["via"], "self");

    // The attendance table shows it, with the reason.
    let table = w.get(&format!("/api/v1/activities/{id}/attendance")).await;
    assert_eq!(table.status, StatusCode::OK, "{}", table.body);
    let row =
        table.body.as_array().map(|v| v.to_vec()).unwrap_or_else(|| table.body["items"].as_array().unwrap().clone());
    let me = row.iter().find(|r| r["member_id"] == mid).expect("listed");
    assert_eq!(me["name"], name.as_str());
    assert_eq!(me["status"], "leave");
    assert_eq!(me["reason"], "在外地务工，无法返回");
    assert_eq!(me["via"], "self");
    // My activities say so too.
    let mine = member.get("/api/v1/me/activities").await.body;
    let it = mine["items"].as_array().unwrap().iter().find(|x| x["id"] == id).expect("in my activities");
    assert_eq!(it["my_attendance"], "leave");

    // Not at another branch's activity.
    let o = w.post("/api/v1/activities", mk(other, start)).await;
    assert_eq!(o.status, StatusCode::CREATED, "{}", o.body);
    let r = member.post(&format!("/api/v1/activities/{}/leave", o.body["id"]), json!({"reason": "有事"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // Not after it ended.
    let past = Utc::now() - Duration::days(1);
    let p = w.post("/api/v1/activities", mk(home, past)).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
    let r = member.post(&format!("/api/v1/activities/{}/leave", p.body["id"]), json!({"reason": "有事"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}
crate::both!(leave_request_shows_in_attendance);
