//! Organisational life: check-in turns a duty done, back-dating needs approval,
//! mobile members count where they attend, attachments, reminders.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, items};

fn theme_day_now(duties: &Value, org: i64) -> Value {
    let period = (Utc::now() + Duration::hours(8)).format("%Y-%m").to_string();
    duties["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["org_id"] == org && d["rule"] == "theme_day" && d["period"] == period)
        .cloned()
        .expect("this month's theme day")
}

async fn check_in_turns_the_duty_done(t: TestApp) {
    let g = t.login("gz_branch").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let before = theme_day_now(&g.get(&format!("/api/v1/duties?org={gz}")).await.body, gz);
    assert_eq!(before["status"], "due", "the 广州 branch's theme day of this month is still to be held: {before}");
    assert_ne!(before["light"], "red");
    let start = Utc::now() - Duration::minutes(10);
    let bad = g.post("/api/v1/activities", json!({"org_ids": [gz], "kind": "party_lecture", "topic": "", "start_at": start, "end_at": start - Duration::hours(1)})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = &bad.body["errors"];
    assert_eq!(e["topic"][0], "主题不能为空");
    assert_eq!(e["end_at"][0], "结束时间应晚于开始时间");
    assert_eq!(e["place"][0], "请填写地点或线上链接");
    assert_eq!(e["lecturer"][0], "党课请填写授课人");
    let a = g
        .post("/api/v1/activities", json!({"allow_duplicate": true, "org_ids": [gz], "kind": "theme_day", "topic": "“吴川墟日”主题党日", "start_at": start, "end_at": start + Duration::hours(2), "place": "广州吴川商会党员活动室", "host": "书记"}))
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let id = a.body["id"].as_i64().unwrap();
    let code = a.body["checkin_code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 6);
    assert!(a.body["expected"].as_i64().unwrap() > 100, "members received by the 广州 branch are expected too");
    // Created, but nobody attended yet: it does not count.
    assert_eq!(theme_day_now(&g.get(&format!("/api/v1/duties?org={gz}")).await.body, gz)["status"], "due");
    // member_demo (a Wuchuan member working in 广州) checks in with the code.
    let me = t.login("member_demo").await;
    let mine = me.get("/api/v1/me/activities").await.body;
    let listed = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id)
        .expect("the activity is in member_demo's list")
        .clone();
    assert!(listed["checkin_code"].is_null(), "members never see the code in the list");
    let wrong = me.post(&format!("/api/v1/activities/{id}/check-in"), json!({"code": "999999x"})).await;
    assert_eq!(wrong.body["errors"]["code"][0], "签到码不正确");
    let ok = me.post(&format!("/api/v1/activities/{id}/check-in"), json!({"code": code})).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.body["received"], true);
    let mine = me.get("/api/v1/me/activities").await.body;
    assert_eq!(mine["items"].as_array().unwrap().iter().find(|x| x["id"] == id).unwrap()["my_attendance"], "present");
    let after = theme_day_now(&g.get(&format!("/api/v1/duties?org={gz}")).await.body, gz);
    assert_eq!(
        (after["status"].as_str(), after["light"].as_str(), after["done_count"].as_u64()),
        (Some("done"), Some("blue"), Some(1))
    );
    // The home branch sees where its mobile member took part.
    let w = t.login("wuchuan_admin").await;
    let mid = me.get("/api/v1/session").await.body["user"]["member_id"].as_i64().unwrap();
    let life = w.get(&format!("/api/v1/members/{mid}/activities")).await.body;
    assert!(
        life["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["activity_id"] == id && x["orgs"][0]["name"] == "广州吴川商会党支部" && x["via"] == "code")
    );
    // A Jinxiang member cannot check in to a Wuchuan activity; nor can a non-member account.
    let att = g.get(&format!("/api/v1/activities/{id}/attendance")).await.body;
    assert!(att["items"].as_array().unwrap().iter().any(|x| x["member_id"] == mid && x["status"] == "present"));
    assert_eq!(
        g.post(&format!("/api/v1/activities/{id}/check-in"), json!({"code": code})).await.status,
        StatusCode::FORBIDDEN
    );
}
crate::both!(check_in_turns_the_duty_done);

async fn check_in_only_in_its_window(t: TestApp) {
    let g = t.login("gz_branch").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let start = Utc::now() + Duration::hours(3);
    let a = g.post("/api/v1/activities", json!({"org_ids": [gz], "kind": "theme_day", "topic": "下周主题党日", "start_at": start, "end_at": start + Duration::hours(2), "online_link": "https://meeting.example/123"})).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let me = t.login("member_demo").await;
    let r = me
        .post(&format!("/api/v1/activities/{}/check-in", a.body["id"]), json!({"code": a.body["checkin_code"]}))
        .await;
    assert_eq!(r.body["errors"]["code"][0], "签到时间为活动开始前 30 分钟至结束后 30 分钟");
    // Attendance cannot be recorded for an activity that has not started.
    let r = g.put(&format!("/api/v1/activities/{}/attendance", a.body["id"]), json!({"items": []})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}
crate::both!(check_in_only_in_its_window);

async fn back_dating_needs_approval(t: TestApp) {
    let g = t.login("gz_branch").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let start = Utc::now() - Duration::days(12);
    let body = json!({"allow_duplicate": true, "org_ids": [gz], "kind": "committee_meeting", "topic": "补录支委会", "start_at": start, "end_at": start + Duration::hours(1), "place": "活动室"});
    let refused = g.post("/api/v1/activities", body.clone()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body["errors"]["late_reason"][0].as_str().unwrap().contains("超过 7 天"));
    let mut with_reason = body.clone();
    with_reason["late_reason"] = json!("当时记录遗失，现据会议照片补录");
    let a = g.post("/api/v1/activities", with_reason).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.body["status"], "pending_approval");
    let id = a.body["id"].as_i64().unwrap();
    // The org admin cannot approve; the county admin is told and decides.
    assert_eq!(
        g.post(&format!("/api/v1/activities/{id}/approval"), json!({"approve": true})).await.status,
        StatusCode::FORBIDDEN
    );
    let w = t.login("wuchuan_admin").await;
    let notes = w.get("/api/v1/notifications?unread=true").await.body;
    let note = notes["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "approval")
        .expect("an approval notification")
        .clone();
    assert!(note["body"].as_str().unwrap().contains("补录支委会"));
    assert_eq!(w.post(&format!("/api/v1/notifications/{}/read", note["id"]), json!({})).await.body["marked"], 1);
    let ok = w.post(&format!("/api/v1/activities/{id}/approval"), json!({"approve": true, "note": "同意补录"})).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.body["status"], "active");
    assert_eq!(ok.body["approval"]["status"], "approved");
    let again = w.post(&format!("/api/v1/activities/{id}/approval"), json!({"approve": true})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let audit = t
        .login("auditor")
        .await
        .get(&format!("/api/v1/audit-events?action=activity.approve&object_id={id}"))
        .await
        .body;
    assert_eq!(audit["total"], 1);
    assert_eq!(audit["items"][0]["detail"]["note"], "同意补录");
    // The requester hears back.
    assert!(
        g.get("/api/v1/notifications").await.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["title"] == "补录申请已批准")
    );
}
crate::both!(back_dating_needs_approval);

async fn joint_activity_attachments_and_rules(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let sz = t.org_id("深圳吴川商会党支部").await;
    let start = Utc::now() - Duration::hours(1);
    let a = w.post("/api/v1/activities", json!({"org_ids": [gz, sz], "kind": "observation", "topic": "“月观摩、互促进”党建交流", "start_at": start, "end_at": start + Duration::hours(3), "place": "深圳吴川商会"})).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let id = a.body["id"].as_i64().unwrap();
    assert_eq!(a.body["orgs"].as_array().unwrap().len(), 2);
    // The 广州 branch sees the joint activity in its calendar.
    let g = t.login("gz_branch").await;
    let cal = g.get(&format!("/api/v1/activities?org={gz}")).await.body;
    assert!(cal["items"].as_array().unwrap().iter().any(|x| x["id"] == id));
    // Attendance: present, on leave (reason required) or absent.
    let people = w.get(&format!("/api/v1/activities/{id}/attendance")).await.body;
    let ids: Vec<i64> =
        people["items"].as_array().unwrap().iter().take(3).map(|p| p["member_id"].as_i64().unwrap()).collect();
    let no_reason = w
        .put(
            &format!("/api/v1/activities/{id}/attendance"),
            json!({"items": [{"member_id": ids[0], "status": "leave"}]}),
        )
        .await;
    assert_eq!(no_reason.body["errors"]["items"][0], "请假须填写原因");
    let rec = w
        .put(&format!("/api/v1/activities/{id}/attendance"), json!({"items": [{"member_id": ids[0], "status": "present"}, {"member_id": ids[1], "status": "leave", "reason": "出差"}, {"member_id": ids[2], "status": "absent"}]}))
        .await;
    assert_eq!(rec.status, StatusCode::OK, "{}", rec.body);
    let view = w.get(&format!("/api/v1/activities/{id}")).await.body;
    assert_eq!(
        (view["present"].as_i64(), view["on_leave"].as_i64(), view["absent"].as_i64()),
        (Some(1), Some(1), Some(1))
    );
    // Photos and documents: checked by content, served back as stored.
    let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &[7u8; 100]].concat();
    let up = w.upload(&format!("/api/v1/activities/{id}/attachments"), "合影.png", png.clone()).await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    let back = g.get(&format!("/api/v1/activities/{id}/attachments/{}", up.body["id"])).await;
    assert_eq!(back.bytes, png);
    assert_eq!(back.headers["content-type"], "image/png");
    // Asked for under another activity the caller sees, the attachment is not found.
    let others = g.get("/api/v1/activities?per_page=5").await.body;
    let other = items(&others).iter().map(|a| a["id"].as_i64().unwrap()).find(|a| *a != id).unwrap();
    let wrong = g.get(&format!("/api/v1/activities/{other}/attachments/{}", up.body["id"])).await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    let exe = w
        .upload(&format!("/api/v1/activities/{id}/attachments"), "合影.png", b"MZ\x90\x00 not an image".to_vec())
        .await;
    assert_eq!(exe.body["errors"]["file"][0], "只接受照片（JPG、PNG）和文档（PDF、Word、Excel）");
    // Rules are configurable by the county admin, and validated.
    let rules = w.get("/api/v1/duty-rules").await.body;
    assert!(rules.as_array().unwrap().iter().any(|r| r["code"] == "theme_day" && r["frequency"] == "monthly"));
    let mut broken = rules.clone();
    broken[0]["min_count"] = json!(0);
    assert_eq!(
        w.send(reqwest::Method::PUT, "/api/v1/duty-rules", Some(broken)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let mut twice = rules.clone();
    for r in twice.as_array_mut().unwrap() {
        if r["code"] == "theme_day" {
            r["min_count"] = json!(2);
        }
    }
    let saved = w.send(reqwest::Method::PUT, "/api/v1/duty-rules", Some(twice)).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let duties = w.get(&format!("/api/v1/duties?org={gz}")).await.body;
    assert!(
        duties["items"].as_array().unwrap().iter().filter(|d| d["rule"] == "theme_day").all(|d| d["required"] == 2)
    );
}
crate::both!(joint_activity_attachments_and_rules);

async fn reminders_and_board(t: TestApp) {
    let n = t.app.generate_reminders().await.unwrap();
    assert!(n > 0);
    assert_eq!(t.app.generate_reminders().await.unwrap(), 0, "reminders are not repeated");
    let w = t.login("wuchuan_admin").await;
    let board = w.get("/api/v1/duties/board?per_page=200").await.body;
    let counts = &board["counts"];
    assert!(
        counts["blue"].as_u64().unwrap() > 0 && counts["red"].as_u64().unwrap() > 0,
        "blue and red both appear: {counts}"
    );
    let row = &board["items"][0];
    assert_eq!(row["cells"].as_array().unwrap().len(), 12);
    assert_eq!(row["worst"], "red", "worst first");
    let reds: u64 = board["items"].as_array().unwrap().iter().map(|r| r["counts"]["red"].as_u64().unwrap()).sum();
    assert_eq!(reds, counts["red"].as_u64().unwrap());
    // The county admin gets a roll-up; the 广州 branch's admin a reminder per yellow or fresh red duty.
    let notes = w.get("/api/v1/notifications").await.body;
    assert!(notes["items"].as_array().unwrap().iter().any(|n| n["kind"] == "duty_rollup"));
    let g = t.login("gz_branch").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let today = (Utc::now() + Duration::hours(8)).date_naive();
    let due: Vec<Value> = g.get(&format!("/api/v1/duties?org={gz}")).await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["org_id"] == gz)
        .filter(|d| {
            d["light"] == "yellow"
                || d["light"] == "red" && {
                    let p = honglian_domain::org_life::duty::Period::parse(d["period"].as_str().unwrap()).unwrap();
                    (today - p.end()).num_days() <= 31
                }
        })
        .cloned()
        .collect();
    let mine = g.get("/api/v1/notifications?per_page=100").await.body;
    assert_eq!(mine["items"].as_array().unwrap().iter().filter(|n| n["kind"] == "duty").count(), due.len(), "{due:?}");
    assert_eq!(mine["unread"].as_u64().unwrap() as usize, mine["total"].as_u64().unwrap() as usize);
    g.post("/api/v1/notifications/read-all", json!({})).await;
    assert_eq!(g.get("/api/v1/notifications").await.body["unread"], 0);
}
crate::both!(reminders_and_board);

/// One (rule, period) of `org` in the duty list of `subtree`, if owed.
async fn duty_of(c: &crate::helpers::Client, subtree: i64, org: i64, rule: &str, period: &str) -> Option<Value> {
    let list = c.get(&format!("/api/v1/duties?org={subtree}")).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["org_id"] == org && d["rule"] == rule && d["period"] == period)
        .cloned()
}

async fn status_of(c: &crate::helpers::Client, subtree: i64, org: i64, rule: &str, period: &str) -> String {
    let d = duty_of(c, subtree, org, rule, period).await.unwrap_or_else(|| panic!("{rule} {period} of {org} owed"));
    d["status"].as_str().unwrap().to_string()
}

/// Evaluations are cached per subtree, year, day and version of the duty inputs: every kind of
/// write that changes a duty shows at once in the duty list and the board.
async fn duties_follow_every_write(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let parent = w.get(&format!("/api/v1/orgs/{gz}")).await.body["parent_id"].as_i64().unwrap();
    let today = (Utc::now() + Duration::hours(8)).date_naive();
    let month = today.format("%Y-%m").to_string();
    assert_eq!(status_of(&w, parent, gz, "theme_day", &month).await, "due");
    assert_eq!(status_of(&w, parent, gz, "theme_day", &month).await, "due", "answered again (from the cache)");
    let board_total = format!("/api/v1/duties/board?org={parent}&per_page=1");
    let total = w.get(&board_total).await.body["total"].as_u64().unwrap();

    // An activity counts once someone attended it, and no longer once cancelled.
    let start = Utc::now() - Duration::minutes(10);
    let body = json!({"allow_duplicate": true, "org_ids": [gz], "kind": "theme_day", "topic": "主题党日", "start_at": start, "end_at": start + Duration::hours(2), "place": "活动室"});
    let a = w.post("/api/v1/activities", body.clone()).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let id = a.body["id"].as_i64().unwrap();
    assert_eq!(status_of(&w, parent, gz, "theme_day", &month).await, "due", "nobody attended yet");
    let someone = w.get(&format!("/api/v1/activities/{id}/attendance")).await.body["items"][0]["member_id"].clone();
    let rec = w
        .put(
            &format!("/api/v1/activities/{id}/attendance"),
            json!({"items": [{"member_id": someone, "status": "present"}]}),
        )
        .await;
    assert_eq!(rec.status, StatusCode::OK, "{}", rec.body);
    assert_eq!(status_of(&w, parent, gz, "theme_day", &month).await, "done", "attendance recorded");
    held_lists_agree(&t, "attendance recorded").await;
    let rec = w
        .put(
            &format!("/api/v1/activities/{id}/attendance"),
            json!({"items": [{"member_id": someone, "status": "absent"}]}),
        )
        .await;
    assert_eq!(rec.status, StatusCode::OK, "{}", rec.body);
    assert_eq!(status_of(&w, parent, gz, "theme_day", &month).await, "due", "attendance corrected to absent");
    held_lists_agree(&t, "attendance corrected").await;
    w.put(
        &format!("/api/v1/activities/{id}/attendance"),
        json!({"items": [{"member_id": someone, "status": "present"}]}),
    )
    .await;
    assert_eq!(status_of(&w, parent, gz, "theme_day", &month).await, "done");
    assert_eq!(w.post(&format!("/api/v1/activities/{id}/cancel"), json!({})).await.status, StatusCode::OK);
    assert_eq!(status_of(&w, parent, gz, "theme_day", &month).await, "due", "cancelled");
    held_lists_agree(&t, "cancelled").await;

    // A check-in.
    let a = w.post("/api/v1/activities", body).await;
    let (id, code) = (a.body["id"].as_i64().unwrap(), a.body["checkin_code"].clone());
    assert_eq!(status_of(&w, parent, gz, "theme_day", &month).await, "due");
    let me = t.login("member_demo").await;
    let ok = me.post(&format!("/api/v1/activities/{id}/check-in"), json!({"code": code})).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(status_of(&w, parent, gz, "theme_day", &month).await, "done", "checked in");
    held_lists_agree(&t, "checked in").await;
    // Moved to other organisations: the branch that lost it is computed again.
    let sz = t.org_id("深圳吴川商会党支部").await;
    for orgs in [json!([gz, sz]), json!([sz])] {
        let moved =
            w.send(reqwest::Method::PATCH, &format!("/api/v1/activities/{id}"), Some(json!({"org_ids": orgs}))).await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
        held_lists_agree(&t, &format!("organisations {orgs}")).await;
    }

    // The rules.
    let mut rules = w.get("/api/v1/duty-rules").await.body;
    for r in rules.as_array_mut().unwrap() {
        if r["code"] == "theme_day" {
            r["min_count"] = json!(2);
        }
    }
    assert_eq!(w.send(reqwest::Method::PUT, "/api/v1/duty-rules", Some(rules.clone())).await.status, StatusCode::OK);
    assert_eq!(status_of(&w, parent, gz, "theme_day", &month).await, "due", "two theme days required now");

    // Full-member counts: committee meetings are owed from a threshold; one full member less, and not.
    let (org, full, member) = {
        use sea_orm::ConnectionTrait;
        let path = w.get(&format!("/api/v1/orgs/{parent}")).await.body["path"].as_str().unwrap().to_string();
        let b = t.app.db.get_database_backend();
        let sql = format!(
            "SELECT m.org_id AS org_id, COUNT(*) AS n, MIN(m.id) AS member FROM members m WHERE m.org_path LIKE '{path}%' \
             AND m.status = 'normal' AND m.category = 'full' GROUP BY m.org_id ORDER BY COUNT(*) DESC, m.org_id"
        );
        let r = t.app.db.query_one_raw(sea_orm::Statement::from_string(b, sql)).await.unwrap().expect("full members");
        (
            r.try_get::<i64>("", "org_id").unwrap(),
            r.try_get::<i64>("", "n").unwrap(),
            r.try_get::<i64>("", "member").unwrap(),
        )
    };
    let kind = w.get(&format!("/api/v1/orgs/{org}")).await.body["kind"].clone();
    for r in rules.as_array_mut().unwrap() {
        if r["code"] == "committee_meeting" {
            r["min_full_members"] = json!(full);
            r["applies_to"].as_array_mut().unwrap().push(kind.clone());
        }
    }
    assert_eq!(w.send(reqwest::Method::PUT, "/api/v1/duty-rules", Some(rules)).await.status, StatusCode::OK);
    assert!(duty_of(&w, parent, org, "committee_meeting", &month).await.is_some(), "{full} full members: owed");
    let r = w.patch(&format!("/api/v1/members/{member}"), json!({"status": "suspended"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(duty_of(&w, parent, org, "committee_meeting", &month).await.is_none(), "one full member less");

    // Organisations: created, founded, dissolved.
    let new = w
        .post(
            "/api/v1/orgs",
            json!({"parent_id": parent, "name": "职责缓存测试党支部", "kind": "branch", "founded_on": "2010-01-01"}),
        )
        .await;
    assert_eq!(new.status, StatusCode::CREATED, "{}", new.body);
    let nid = new.body["id"].as_i64().unwrap();
    assert_eq!(w.get(&board_total).await.body["total"].as_u64().unwrap(), total + 1, "the new branch is on the board");
    assert!(duty_of(&w, parent, nid, "theme_day", &month).await.is_some());
    let last_day = today.checked_add_days(chrono::Days::new(1)).unwrap().format("%Y-%m").to_string() != month;
    let done = w.post(&format!("/api/v1/orgs/{nid}/dissolve"), json!({})).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    if !last_day {
        assert!(duty_of(&w, parent, nid, "theme_day", &month).await.is_none(), "dissolved before the month ends");
    }
    if today.format("%m").to_string() != "01" {
        let january = today.format("%Y-01").to_string();
        assert!(duty_of(&w, parent, gz, "theme_day", &january).await.is_some());
        let r = w.patch(&format!("/api/v1/orgs/{gz}"), json!({"founded_on": today})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(duty_of(&w, parent, gz, "theme_day", &january).await.is_none(), "founded today");
    }

    // The full-member counts kept by triggers equal a fresh count after every kind of member write.
    full_counts_agree(&t, "demo data").await;
    let r = w.patch(&format!("/api/v1/members/{member}"), json!({"status": "normal"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    full_counts_agree(&t, "status back to normal").await;
    let idn = crate::helpers::id_number("440883", 1990, 4, 4, 31);
    // Admitted 400 days ago: still within the longest probation, and the year is complete.
    let joined = chrono::Utc::now().date_naive() - chrono::Duration::days(400);
    let full_on = honglian_domain::members::member::probation_ends(joined, 0);
    let new = w
        .post("/api/v1/members", json!({"org_id": gz, "name": "计数测试", "id_number": idn, "joined_on": joined, "category": "probationary"}))
        .await;
    assert_eq!(new.status, StatusCode::CREATED, "{}", new.body);
    let nm = new.body["id"].as_i64().unwrap();
    full_counts_agree(&t, "probationary member created").await;
    let r = w.patch(&format!("/api/v1/members/{nm}"), json!({"category": "full", "full_on": full_on})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    full_counts_agree(&t, "made full").await;
    let idn = crate::helpers::id_number("440883", 1991, 5, 5, 32);
    let full_new = w
        .post("/api/v1/members", json!({"org_id": gz, "name": "计数测试二", "id_number": idn, "joined_on": "2012-07-01", "category": "full", "full_on": "2013-07-01"}))
        .await;
    assert_eq!(full_new.status, StatusCode::CREATED, "{}", full_new.body);
    full_counts_agree(&t, "full member created").await;
    let tr = w.post(&format!("/api/v1/members/{nm}/transfer"), json!({"org_id": org, "note": "工作调动"})).await;
    assert_eq!(tr.status, StatusCode::OK, "{}", tr.body);
    full_counts_agree(&t, "transferred").await;
    let grandparent = w.get(&format!("/api/v1/orgs/{parent}")).await.body["parent_id"].as_i64().unwrap();
    let mv = w.post(&format!("/api/v1/orgs/{gz}/move"), json!({"new_parent_id": grandparent})).await;
    assert_eq!(mv.status, StatusCode::OK, "{}", mv.body);
    full_counts_agree(&t, "organisation moved").await;
    let mv = w.post(&format!("/api/v1/orgs/{gz}/move"), json!({"new_parent_id": parent})).await;
    assert_eq!(mv.status, StatusCode::OK, "{}", mv.body);
    full_counts_agree(&t, "organisation moved back").await;
    {
        // Writes no endpoint makes (deletes, statements touching many members of several organisations).
        use sea_orm::ConnectionTrait;
        let b = t.app.db.get_database_backend();
        let exec = |sql: String| {
            let db = t.app.db.clone();
            async move { db.execute_raw(sea_orm::Statement::from_string(b, sql)).await.unwrap() }
        };
        exec(format!("UPDATE members SET status = 'suspended' WHERE org_id IN ({gz}, {org})")).await;
        full_counts_agree(&t, "bulk suspension").await;
        exec(format!("UPDATE members SET status = 'normal' WHERE org_id IN ({gz}, {org})")).await;
        full_counts_agree(&t, "bulk return to normal").await;
        exec(format!("UPDATE members SET org_id = {org} WHERE org_id = {gz} AND category = 'full'")).await;
        full_counts_agree(&t, "bulk reassignment").await;
        exec(format!("DELETE FROM members WHERE id = {}", full_new.body["id"].as_i64().unwrap())).await;
        full_counts_agree(&t, "deleted").await;
    }
}
crate::both!(duties_follow_every_write);

/// `org_held_activities` (kept by triggers) lists, per organisation and year, exactly the held
/// activities of `activity_orgs` (in any order).
async fn held_lists_agree(t: &TestApp, after: &str) {
    use sea_orm::ConnectionTrait;
    use std::collections::BTreeMap;
    let b = t.app.db.get_database_backend();
    let year = if b == sea_orm::DatabaseBackend::Postgres {
        "CAST(EXTRACT(YEAR FROM held_on) AS INTEGER)"
    } else {
        "CAST(substr(held_on, 1, 4) AS INTEGER)"
    };
    let rows = |sql: String| {
        let db = t.app.db.clone();
        async move { db.query_all_raw(sea_orm::Statement::from_string(b, sql)).await.unwrap() }
    };
    let mut kept: BTreeMap<(i64, i64), Vec<String>> = BTreeMap::new();
    for r in rows("SELECT org_id, CAST(year AS BIGINT) AS year, kinds, dates FROM org_held_activities".into()).await {
        let kinds: String = r.try_get("", "kinds").unwrap();
        let dates: String = r.try_get("", "dates").unwrap();
        assert_eq!(kinds.split(',').count(), dates.split(',').count(), "after {after}: {kinds} / {dates}");
        let mut list: Vec<String> = kinds.split(',').zip(dates.split(',')).map(|(k, d)| format!("{k}@{d}")).collect();
        list.sort();
        kept.insert((r.try_get("", "org_id").unwrap(), r.try_get("", "year").unwrap()), list);
    }
    let mut fresh: BTreeMap<(i64, i64), Vec<String>> = BTreeMap::new();
    let sql = format!(
        "SELECT org_id, CAST({year} AS BIGINT) AS year, kind, CAST(held_on AS TEXT) AS held_on FROM activity_orgs WHERE held_on IS NOT NULL"
    );
    for r in rows(sql).await {
        let key = (r.try_get("", "org_id").unwrap(), r.try_get("", "year").unwrap());
        let item =
            format!("{}@{}", r.try_get::<String>("", "kind").unwrap(), r.try_get::<String>("", "held_on").unwrap());
        fresh.entry(key).or_default().push(item);
    }
    fresh.values_mut().for_each(|l| l.sort());
    assert!(!fresh.is_empty());
    assert_eq!(kept, fresh, "after {after}");
}

/// `org_full_members` (kept by triggers) equals a count of the members, organisation by organisation.
async fn full_counts_agree(t: &TestApp, after: &str) {
    use sea_orm::ConnectionTrait;
    let b = t.app.db.get_database_backend();
    let read = |sql: &str| {
        let db = t.app.db.clone();
        let sql = sql.to_string();
        async move {
            db.query_all_raw(sea_orm::Statement::from_string(b, sql))
                .await
                .unwrap()
                .into_iter()
                .map(|r| (r.try_get::<i64>("", "org_id").unwrap(), r.try_get::<i64>("", "n").unwrap()))
                .collect::<Vec<_>>()
        }
    };
    let kept = read("SELECT org_id, n FROM org_full_members WHERE n <> 0 ORDER BY org_id").await;
    let fresh = read(
        "SELECT org_id, COUNT(*) AS n FROM members WHERE status = 'normal' AND category = 'full' GROUP BY org_id ORDER BY org_id",
    )
    .await;
    assert!(!fresh.is_empty());
    assert_eq!(kept, fresh, "after {after}");
}
