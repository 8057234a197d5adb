use reqwest::StatusCode;

use crate::helpers::TestApp;

/// 我的: the member's branch with its secretary and office contact, the organisation receiving them where
/// they work, their mobile-member card, and their own record in clear on request (audited).
async fn my_profile_card_and_own_unmask(t: TestApp) {
    let me = t.login("member_demo").await;
    let p = me.get("/api/v1/me/profile").await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    let p = p.body;
    assert_eq!(p["branch"]["name"], "梅菉街道新华社区第一党支部", "{p}");
    assert!(p["branch"]["secretary"].as_str().is_some_and(|s| !s.is_empty()), "the branch secretary: {p}");
    assert!(p["branch"]["contact"].as_str().is_some(), "the branch's office contact: {p}");
    assert!(p["receiving"]["name"].as_str().unwrap().contains("广州"), "received in Guangzhou: {p}");
    let card = &p["card"];
    assert!(card["number"].as_str().unwrap().starts_with("WC"), "{card}");
    assert_eq!(card["name"], p["member"]["name"]);
    assert_eq!(card["home_org"], p["branch"]["name"]);
    assert_eq!(card["receiving_org"], p["receiving"]["name"]);
    // Masked in the profile, in clear on the member's own request.
    let masked = p["member"]["id_number"].as_str().unwrap().to_string();
    assert!(masked.contains('*'), "{masked}");
    let clear = me.post("/api/v1/me/profile/unmask", serde_json::json!({})).await;
    assert_eq!(clear.status, StatusCode::OK, "{}", clear.body);
    let id = clear.body["id_number"].as_str().unwrap();
    assert_eq!(id.len(), 18);
    assert!(!id.contains('*'));
    assert!(masked.chars().zip(id.chars()).all(|(m, c)| m == '*' || m == c), "the same person: {masked} / {id}");
    // The unmask is in the audit log.
    let admin = t.login("auditor").await;
    let log = admin.get("/api/v1/audit-events?action=member.unmask_own").await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    assert!(log.body["total"].as_i64().unwrap() >= 1, "{}", log.body);
    // An account without a member record has nothing to unmask.
    let worker = t.login("gz_branch").await;
    assert_eq!(worker.post("/api/v1/me/profile/unmask", serde_json::json!({})).await.status, StatusCode::FORBIDDEN);
}
crate::both!(my_profile_card_and_own_unmask);

/// 报平安: a member approaching the lost-contact limit reports in from the portal; it lands in the
/// contact log (sealed note), and they are no longer approaching the limit.
async fn reporting_in_restarts_the_lost_contact_clock(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let soon = w.get("/api/v1/lost-contacts?soon=true&per_page=1").await.body;
    let n = soon["total"].as_i64().unwrap();
    let mid = soon["items"][0]["member_id"].as_i64().expect("a member approaching the limit");
    let me = t.account("portal_soon", "member", None, Some(mid)).await;
    let long = me.post("/api/v1/me/contacts", serde_json::json!({"note": "长".repeat(501)})).await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", long.body);
    assert!(long.body["errors"]["note"][0].as_str().unwrap().contains("近况"), "{}", long.body);
    let c = me.post("/api/v1/me/contacts", serde_json::json!({"note": "在深圳务工，一切安好"})).await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
    assert_eq!(c.body["kind_label"], "本人报平安");
    let today = honglian_app::today().to_string();
    assert_eq!(me.get("/api/v1/me/profile").await.body["last_contact_on"], today.as_str());
    assert_eq!(w.get("/api/v1/lost-contacts?soon=true&per_page=1").await.body["total"], n - 1);
    let log = w.get(&format!("/api/v1/members/{mid}/contacts")).await.body;
    let first = &log["items"][0];
    assert_eq!(first["kind"], "self_report", "{log}");
    assert_eq!(first["note"], "在深圳务工，一切安好");
}
crate::both!(reporting_in_restarts_the_lost_contact_clock);

/// 摸排 from the phone: a member answers the census question put to them (where are you now, are you
/// well); the campaign has them reached, their contact log has it and the lost-contact clock starts
/// again, without a phone call. Their branch's record of the entry is not theirs to overwrite.
async fn answering_a_census_question_from_the_phone(t: TestApp) {
    use serde_json::json;
    let w = t.login("wuchuan_admin").await;
    let branch = t.org_id("梅菉街道新华社区第一党支部").await;
    let c = w
        .post(
            "/api/v1/censuses",
            json!({"name": "新华社区一支部2027年第一季度摸排", "period": "2027-Q1", "org_id": branch}),
        )
        .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
    let campaign = c.body["id"].as_i64().unwrap();

    let me = t.login("member_demo").await;
    let qs = me.get("/api/v1/me/census").await;
    assert_eq!(qs.status, StatusCode::OK, "{}", qs.body);
    let q =
        qs.body.as_array().unwrap().iter().find(|q| q["campaign_id"] == campaign).cloned().expect("asked on the phone");
    assert_eq!(q["asked_by"], "梅菉街道新华社区第一党支部");
    assert!(q["answered_at"].is_null());
    let entry = q["entry_id"].as_i64().unwrap();
    let url = format!("/api/v1/me/census/{entry}");

    let r = me.put(&url, json!({"current_place": " "})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["errors"]["current_place"][0].as_str().unwrap().contains("现所在地"), "{}", r.body);
    // Another member cannot answer for them, nor learn that the entry exists.
    let other = t.login("wc0001").await;
    assert_eq!(other.put(&url, json!({"current_place": "广州"})).await.status, StatusCode::NOT_FOUND);

    let r = me
        .put(&url, json!({"current_place": "广州市天河区", "current_employer": "广州某物流公司", "needs": "希望就近参加组织生活", "note": "一切安好"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["answered_by_self"], true);
    assert_eq!(r.body["current_place"], "广州市天河区");
    // They may change their answer while the branch has not recorded the entry.
    let r = me.put(&url, json!({"current_place": "广州市白云区"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let today = honglian_app::today().to_string();
    assert_eq!(me.get("/api/v1/me/profile").await.body["last_contact_on"], today.as_str());
    let progress = w.get(&format!("/api/v1/censuses/{campaign}")).await.body;
    assert_eq!(progress["verified"], 1, "{progress}");
    assert_eq!(progress["reached"], 1, "{progress}");
    let done = w.get(&format!("/api/v1/censuses/{campaign}/entries?verified=true")).await.body;
    let e = &done["items"][0];
    assert_eq!(e["id"], entry);
    assert_eq!(e["current_place"], "广州市白云区");
    assert!(e["verified_by_name"].as_str().unwrap().ends_with("（本人）"), "{e}");
    let mid = e["member_id"].as_i64().unwrap();
    let log = w.get(&format!("/api/v1/members/{mid}/contacts")).await.body;
    assert_eq!(log["items"][0]["kind"], "self_report", "{log}");

    // The branch records the entry: the member's answer is no longer taken.
    let r = w
        .put(
            &format!("/api/v1/censuses/{campaign}/entries/{entry}"),
            json!({"reached": true, "current_place": "广州市白云区", "thoughts": "积极"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(me.put(&url, json!({"current_place": "深圳"})).await.status, StatusCode::CONFLICT);
    // A closed campaign is no longer asked.
    assert_eq!(w.post(&format!("/api/v1/censuses/{campaign}/close"), json!({})).await.status, StatusCode::OK);
    let qs = me.get("/api/v1/me/census").await.body;
    assert!(qs.as_array().unwrap().iter().all(|q| q["campaign_id"] != campaign), "{qs}");
}
crate::both!(answering_a_census_question_from_the_phone);

/// 个人信息副本 (PIPL § 45): a member downloads everything kept about them, as xlsx and PDF: their record in
/// clear, their outflow and who receives them, their contacts (the organisation's own notes stay its
/// record), their organisational life. Only their own; audited; not for staff accounts.
async fn a_member_downloads_a_copy_of_their_data(t: TestApp) {
    use crate::helpers::{pdf_pages, sheet};
    let me = t.login("member_demo").await;
    me.post("/api/v1/me/contacts", serde_json::json!({"note": "在广州一切安好"})).await;
    let clear = me.post("/api/v1/me/profile/unmask", serde_json::json!({})).await.body;
    let id_number = clear["id_number"].as_str().unwrap().to_string();
    let profile = me.get("/api/v1/me/profile").await.body;
    let name = profile["member"]["name"].as_str().unwrap().to_string();

    let x = me.get("/api/v1/me/data.xlsx").await;
    assert_eq!(x.status, StatusCode::OK, "{}", x.body);
    let rows = sheet(&x.bytes);
    let cell = |what: &str, item: &str| {
        rows.iter()
            .find(|r| r.get(1).map(String::as_str) == Some(what) && r.get(2).map(String::as_str) == Some(item))
            .cloned()
    };
    assert_eq!(cell("基本信息", "姓名").unwrap()[3], name);
    assert_eq!(cell("基本信息", "公民身份号码").unwrap()[3], id_number, "their own number in clear");
    assert_eq!(cell("基本信息", "所在党组织").unwrap()[3], "梅菉街道新华社区第一党支部");
    let away = rows.iter().find(|r| r[1] == "外出记录").expect("their outflow");
    assert!(away[3].contains("广州") && away[3].contains("外出中"), "{away:?}");
    assert!(rows.iter().any(|r| r[1] == "联系记录" && r[3].contains("在广州一切安好")), "their own report in full");
    assert!(rows.iter().any(|r| r[1] == "组织生活"), "the meetings they were expected at");
    // Nobody else's record is in it: the one ID number in it is theirs.
    let numbers: Vec<&String> =
        rows.iter().flatten().filter(|c| c.len() == 18 && c.bytes().take(17).all(|b| b.is_ascii_digit())).collect();
    assert_eq!(numbers, vec![&id_number], "only their own ID number");

    let pdf = me.get("/api/v1/me/data.pdf").await;
    assert_eq!(pdf.status, StatusCode::OK);
    let text = pdf_pages(&pdf.bytes).join("\n");
    assert!(text.contains("个人信息副本") && text.contains(&id_number), "{text}");

    let audit = t.login("auditor").await.get("/api/v1/audit-events?action=member.export_own").await;
    assert!(audit.body["total"].as_i64().unwrap() >= 2, "{}", audit.body);
    assert_eq!(t.login("gz_branch").await.get("/api/v1/me/data.xlsx").await.status, StatusCode::FORBIDDEN);
}
crate::both!(a_member_downloads_a_copy_of_their_data);
