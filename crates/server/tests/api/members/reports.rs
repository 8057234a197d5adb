//! Outflow reports (外出报备): a member reports leaving; the home branch confirms it into the ledger
//! with one click or declines it with a reason; nobody else sees or decides it.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, items};

const HOME: &str = "梅菉街道新华社区第一党支部";

fn shenzhen(start: &str) -> serde_json::Value {
    json!({"province_code": "440000", "city_code": "440300", "address": "宝安区福永街道某工业园宿舍",
           "employer": "深圳某电子厂", "occupation": "技术员",
           "reason": "work_business", "start_date": start, "expected_return": "2027-01-20",
           "phone": "13900001234", "note": "春节回来"})
}

async fn report_confirm_into_ledger(t: TestApp) {
    let home = t.org_id(HOME).await;
    let (mid, name) = t.members_at_home(home).await.into_iter().next().expect("a member at home");
    let member = t.account("portal_member", "member", None, Some(mid)).await;
    let worker = t.account("xinhua_worker", "org_admin", Some(home), None).await;
    let today = honglian_app::today().to_string();

    // Bad input: Chinese messages naming the fields.
    let bad = member.post("/api/v1/me/outflow-reports", json!({"province_code": "440000", "start_date": today})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body["errors"]["city_code"][0].as_str().unwrap().contains("城市"), "{}", bad.body);
    assert!(bad.body["errors"]["reason"].is_array(), "{}", bad.body);
    let mut b = shenzhen(&today);
    b["phone"] = json!("123");
    b["start_date"] = json!((honglian_app::today() + chrono::Duration::days(200)).to_string());
    let bad = member.post("/api/v1/me/outflow-reports", b).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body["errors"]["phone"][0].as_str().unwrap().contains("手机号"), "{}", bad.body);
    assert!(bad.body["errors"]["start_date"][0].as_str().unwrap().contains("90"), "{}", bad.body);

    let r = member.post("/api/v1/me/outflow-reports", shenzhen(&today)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let report = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["status"], "proposed");
    assert_eq!(r.body["place"], "广东省 深圳市");
    assert_eq!(r.body["phone_changed"], true);
    // One report at a time.
    let again = member.post("/api/v1/me/outflow-reports", shenzhen(&today)).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);

    // Another member sees neither the report nor the queue.
    let demo = t.login("member_demo").await;
    assert!(items(&demo.get("/api/v1/me/outflow-reports").await.body).is_empty());
    assert_eq!(demo.get("/api/v1/outflow-reports").await.status, StatusCode::FORBIDDEN);
    let c = demo.post(&format!("/api/v1/outflow-reports/{report}/confirm"), json!({})).await;
    assert_eq!(c.status, StatusCode::NOT_FOUND, "{}", c.body);

    // Another branch neither sees nor confirms it, and the refusal does not name the member.
    let gz = t.login("gz_branch").await;
    assert!(!items(&gz.get("/api/v1/outflow-reports").await.body).iter().any(|x| x["id"] == report));
    let c = gz.post(&format!("/api/v1/outflow-reports/{report}/confirm"), json!({})).await;
    assert_eq!(c.status, StatusCode::NOT_FOUND, "{}", c.body);
    assert!(!c.body.to_string().contains(&name));
    let d = gz.post(&format!("/api/v1/outflow-reports/{report}/decline"), json!({"reason": "不是本支部"})).await;
    assert_eq!(d.status, StatusCode::NOT_FOUND, "{}", d.body);

    // The home branch has it in its queue and on its workbench.
    let q = worker.get("/api/v1/outflow-reports?status=proposed").await;
    assert_eq!(q.status, StatusCode::OK, "{}", q.body);
    let mine = items(&q.body).iter().find(|x| x["id"] == report).expect("in the queue").clone();
    assert_eq!(mine["member_name"], name.as_str());
    assert_eq!(mine["employer"], "深圳某电子厂");
    // The member's own words are sealed at rest, in clear for the branch that handles them.
    assert_eq!(mine["address"], "宝安区福永街道某工业园宿舍");
    assert_eq!(mine["note"], "春节回来");
    #[allow(clippy::disallowed_methods, reason = "the test reads the stored row itself")]
    let all = honglian_store::Scope::All(honglian_store::Unscoped::system());
    let row = honglian_store::repo::members::reports::get(&t.app.db, &all, report).await.unwrap().unwrap();
    for sealed in [&row.address_enc, &row.note_enc] {
        let v = sealed.as_deref().expect("stored");
        assert!(v.starts_with("v1:") && !v.contains("福永") && !v.contains("春节"), "{v}");
    }
    let wb = worker.get("/api/v1/workbench").await.body;
    let item = wb["items"].as_array().unwrap().iter().find(|i| i["key"] == "outflow_reports").expect("workbench item");
    assert_eq!(item["title"], "外出报备待确认");
    assert!(item["count"].as_i64().unwrap() >= 1);
    assert_eq!(item["link"], "/mobility/reports");
    assert!(item["detail"].as_str().unwrap().contains("深圳市"), "{item}");
    let bad = worker.get("/api/v1/outflow-reports?status=nope").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);

    // One click: the outflow ledger has it, written by the ledger's own use case.
    let c = worker.post(&format!("/api/v1/outflow-reports/{report}/confirm"), json!({})).await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    assert_eq!(c.body["direction"], "outflow");
    assert_eq!(c.body["status"], "open");
    assert_eq!(c.body["city_code"], "440300");
    assert_eq!(c.body["employer"], "深圳某电子厂");
    let record = c.body["id"].as_i64().unwrap();
    let ledger = worker.get(&format!("/api/v1/ledgers/outflow?q={}", urlencode(&name))).await;
    assert!(items(&ledger.body).iter().any(|x| x["id"] == record), "{}", ledger.body);
    let again = worker.post(&format!("/api/v1/outflow-reports/{report}/confirm"), json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    // The member's record carries the employer and the new number.
    let m = worker.get(&format!("/api/v1/members/{mid}")).await.body;
    assert_eq!(m["employer"], "深圳某电子厂");
    assert_eq!(m["phone"], "*******1234");
    assert_eq!(m["away"], true);

    // The member sees it confirmed, and where they are now.
    let mine = member.get("/api/v1/me/outflow-reports").await.body;
    assert_eq!(items(&mine)[0]["status"], "confirmed");
    assert_eq!(items(&mine)[0]["mobility_record_id"], record);
    let p = member.get("/api/v1/me/profile").await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert_eq!(p.body["member"]["id"], mid);
    assert_eq!(p.body["member"]["org_name"], HOME);
    assert_eq!(p.body["member"]["phone"], "*******1234");
    assert_eq!(p.body["outflow"]["place"], "广东省 深圳市");
    // Away now: a new report is refused.
    let r = member.post("/api/v1/me/outflow-reports", shenzhen(&today)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    // Accounts without a member record cannot report.
    assert_eq!(worker.post("/api/v1/me/outflow-reports", shenzhen(&today)).await.status, StatusCode::FORBIDDEN);

    // Back home (返回报备): the same queue, and the confirmation closes the outflow in the ledger.
    let early = member.post("/api/v1/me/return-reports", json!({"returned_on": "2020-01-01"})).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", early.body);
    assert!(early.body["errors"]["returned_on"][0].as_str().unwrap().contains("早于"), "{}", early.body);
    let back = member
        .post(
            "/api/v1/me/return-reports",
            json!({"returned_on": today, "current_place": "梅菉街道新华社区", "note": "回乡创业"}),
        )
        .await;
    assert_eq!(back.status, StatusCode::CREATED, "{}", back.body);
    assert_eq!(back.body["kind"], "return");
    assert_eq!(back.body["kind_label"], "返回报备");
    assert_eq!(back.body["place"], "广东省 深圳市", "where they come back from");
    assert_eq!(back.body["mobility_record_id"], record);
    let twice = member.post("/api/v1/me/return-reports", json!({"returned_on": today})).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.body);
    let queued = items(&worker.get("/api/v1/outflow-reports?status=proposed").await.body)
        .iter()
        .find(|x| x["id"] == back.body["id"])
        .expect("in the queue")
        .clone();
    assert_eq!(queued["address"], "梅菉街道新华社区");
    let c = worker.post(&format!("/api/v1/outflow-reports/{}/confirm", back.body["id"]), json!({})).await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    assert_eq!(c.body["id"], record);
    assert_eq!(c.body["status"], "closed");
    assert_eq!(c.body["ended_on"], today.as_str());
    let p = member.get("/api/v1/me/profile").await.body;
    assert!(p["outflow"].is_null(), "at home again: {p}");
    let contacts = worker.get(&format!("/api/v1/members/{mid}/contacts")).await.body;
    assert_eq!(items(&contacts)[0]["kind"], "return", "{contacts}");
    let home_again = member.post("/api/v1/me/return-reports", json!({"returned_on": today})).await;
    assert_eq!(home_again.status, StatusCode::CONFLICT, "{}", home_again.body);
}
crate::both!(report_confirm_into_ledger);

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

async fn report_decline_with_reason(t: TestApp) {
    let home = t.org_id(HOME).await;
    let (mid, _) = t.members_at_home(home).await.into_iter().nth(1).expect("a member at home");
    let member = t.account("portal_member2", "member", None, Some(mid)).await;
    let worker = t.account("xinhua_worker2", "org_admin", Some(home), None).await;
    let later = (honglian_app::today() + chrono::Duration::days(10)).to_string();
    let r = member.post("/api/v1/me/outflow-reports", shenzhen(&later)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let report = r.body["id"].as_i64().unwrap();
    // Not before the day of leaving.
    let c = worker.post(&format!("/api/v1/outflow-reports/{report}/confirm"), json!({})).await;
    assert_eq!(c.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", c.body);
    assert!(c.body["errors"]["start_date"].is_array(), "{}", c.body);
    // Declining needs a reason.
    let d = worker.post(&format!("/api/v1/outflow-reports/{report}/decline"), json!({"reason": " "})).await;
    assert_eq!(d.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", d.body);
    assert!(d.body["errors"]["reason"].is_array(), "{}", d.body);
    let d = worker
        .post(
            &format!("/api/v1/outflow-reports/{report}/decline"),
            json!({"reason": "日期有误，请按实际出发日期重新报备"}),
        )
        .await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    assert_eq!(d.body["status"], "declined");
    let mine = member.get("/api/v1/me/outflow-reports").await.body;
    assert_eq!(items(&mine)[0]["status"], "declined");
    assert_eq!(items(&mine)[0]["status_label"], "未通过");
    assert_eq!(items(&mine)[0]["decline_reason"], "日期有误，请按实际出发日期重新报备");
    assert_eq!(items(&mine)[0]["decided_by_name"], "xinhua_worker2");
    // Nothing in the ledger; the member may report again.
    let h = worker.get(&format!("/api/v1/members/{mid}/mobility")).await.body;
    assert!(!items(&h).iter().any(|x| x["status"] == "open"));
    let again = member.post("/api/v1/me/outflow-reports", shenzhen(&honglian_app::today().to_string())).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
}
crate::both!(report_decline_with_reason);
