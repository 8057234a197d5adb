//! Who is expected at an activity (issues 16 and 22.1): a 支委会 expects the committee in office on
//! its day (kept as data, with terms), a member assembly every member, a community's meeting the
//! member organisations' secretaries; members who are away are listed with where they are and
//! count only once recorded; a second activity of the same kind on the same day is confirmed.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use super::duties::{full_members, new_org};
use crate::helpers::{Client, TestApp, id_number, items};

fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(8)).date_naive()
}

/// Creates an activity of an hour that started `days` days and 90 minutes ago.
async fn activity(c: &Client, org: i64, kind: &str, days: i64, extra: Value) -> Value {
    let start = Utc::now() - Duration::days(days) - Duration::minutes(90);
    let mut body = json!({"org_ids": [org], "kind": kind, "topic": format!("测试{kind}"), "start_at": start,
                          "end_at": start + Duration::hours(1), "place": "活动室"});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let r = c.post("/api/v1/activities", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body
}

async fn attendees(c: &Client, id: &Value) -> Vec<Value> {
    let r = c.get(&format!("/api/v1/activities/{id}/attendance")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    items(&r.body).clone()
}

fn ids(list: &[Value]) -> Vec<i64> {
    let mut v: Vec<i64> = list.iter().map(|a| a["member_id"].as_i64().unwrap()).collect();
    v.sort();
    v
}

fn first_error(r: &Value, field: &str) -> String {
    r["errors"][field][0].as_str().unwrap_or_default().to_string()
}

async fn committee_and_expected_attendees(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let parent = w.get(&format!("/api/v1/orgs/{gz}")).await.body["parent_id"].as_i64().unwrap();
    let branch = new_org(&w, parent, "委员会测试党支部", "branch", Some("2010-01-01")).await;
    let mut seq = 500;
    let full = full_members(&w, branch, 7, &mut seq).await;
    let joined = today() - Duration::days(100);
    let prob = w
        .post(
            "/api/v1/members",
            json!({"org_id": branch, "name": "预备党员甲", "id_number": id_number("440883", 1999, 3, 3, 77),
                   "joined_on": joined, "category": "probationary"}),
        )
        .await;
    assert_eq!(prob.status, StatusCode::CREATED, "{}", prob.body);
    let prob = prob.body["id"].as_i64().unwrap();
    let elect = format!("/api/v1/orgs/{branch}/committee/elections");
    let posts = |list: &[(i64, &str)]| -> Value {
        Value::Array(list.iter().map(|(m, p)| json!({"member_id": m, "post": p})).collect())
    };
    let elected_on = today() - Duration::days(60);

    // The rules of an election.
    let r = w
        .post(
            &elect,
            json!({"elected_on": elected_on, "posts": posts(&[(full[0], "secretary"), (prob, "organisation")])}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(first_error(&r.body, "posts").contains("预备党员"), "{}", r.body);
    let r = w.post(&elect, json!({"elected_on": elected_on, "posts": posts(&[(full[0], "organisation")])})).await;
    assert_eq!(first_error(&r.body, "posts"), "请指定书记");
    let stranger = t.member_in_org(gz).await;
    let r = w
        .post(
            &elect,
            json!({"elected_on": elected_on, "posts": posts(&[(full[0], "secretary"), (stranger, "member")])}),
        )
        .await;
    let msg = first_error(&r.body, "posts");
    assert!(msg.contains("不是本组织在册的党员"), "{msg}");
    let stranger_name = w.get(&format!("/api/v1/members/{stranger}")).await.body["name"].as_str().unwrap().to_string();
    assert!(!msg.contains(&stranger_name), "the refusal does not name the member: {msg}");
    let r = w
        .post(&elect, json!({"elected_on": today() + Duration::days(1), "posts": posts(&[(full[0], "secretary")])}))
        .await;
    assert_eq!(first_error(&r.body, "elected_on"), "选举日期不能晚于今天");
    let r = w
        .post(&elect, json!({"elected_on": elected_on, "posts": posts(&[(full[0], "secretary"), (full[1], "bogus")])}))
        .await;
    assert_eq!(first_error(&r.body, "posts"), "职务“bogus”无效");

    // Elected: three posts, a three-year term, the organisation shows its secretary.
    let r = w
        .post(
            &elect,
            json!({"elected_on": elected_on, "posts": posts(&[(full[0], "secretary"), (full[1], "organisation"), (full[2], "publicity")])}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let c = r.body;
    assert_eq!(c["in_office"].as_array().unwrap().len(), 3);
    assert_eq!(c["in_office"][0]["post_label"], "书记");
    assert_eq!(c["full_members"], 7);
    let ends = NaiveDate::from_ymd_opt(elected_on.year() + 3, elected_on.month(), elected_on.day())
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(elected_on.year() + 3, 3, 1).unwrap())
        - Duration::days(1);
    assert_eq!(c["term_ends"], json!(ends), "{c}");
    assert_eq!(c["election_due"], false);
    let secretary = w.get(&format!("/api/v1/members/{}", full[0])).await.body["name"].clone();
    assert_eq!(w.get(&format!("/api/v1/orgs/{branch}")).await.body["secretary"], secretary);

    // Another county's admin and another branch's worker see nothing and change nothing.
    let jx = t.login("jinxiang_admin").await;
    assert_eq!(jx.get(&format!("/api/v1/orgs/{branch}/committee")).await.status, StatusCode::NOT_FOUND);
    let g = t.login("gz_branch").await;
    assert_eq!(g.get(&format!("/api/v1/orgs/{branch}/committee")).await.status, StatusCode::NOT_FOUND);
    let r = g.post(&elect, json!({"elected_on": today(), "posts": posts(&[(full[3], "secretary")])})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let post_id = c["in_office"][1]["id"].as_i64().unwrap();
    let r = g.post(&format!("/api/v1/committee-posts/{post_id}/end"), json!({"until": today()})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // The organisation member leaves 10 days ago.
    let r =
        w.post(&format!("/api/v1/committee-posts/{post_id}/end"), json!({"until": today() - Duration::days(10)})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["in_office"].as_array().unwrap().len(), 2);
    assert_eq!(r.body["past"][0]["member_id"], full[1]);
    let r = w
        .post(&format!("/api/v1/committee-posts/{post_id}/end"), json!({"until": elected_on - Duration::days(1)}))
        .await;
    assert!(first_error(&r.body, "until").contains("不能早于任职日期"), "{}", r.body);

    // A 支委会 expects the committee in office on its day, no one else.
    let now = activity(&w, branch, "committee_meeting", 0, json!({})).await;
    assert_eq!(ids(&attendees(&w, &now["id"]).await), vec![full[0], full[2]]);
    assert_eq!(now["expected"], 2);
    assert!(now["attendees_note"].as_str().unwrap().contains("在任的委员会成员"), "{now}");
    let before = activity(&w, branch, "committee_meeting", 20, json!({"late_reason": "会后补录会议记录"})).await;
    let list = attendees(&w, &before["id"]).await;
    assert_eq!(ids(&list), vec![full[0], full[1], full[2]], "the organisation member was still in office then");
    assert!(list.iter().all(|a| a["post_label"].is_string()), "{list:?}");
    let r = w
        .put(
            &format!("/api/v1/activities/{}/attendance", now["id"]),
            json!({"items": [{"member_id": full[5], "status": "present"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a member not on the committee: {}", r.body);

    // A by-election adds a deputy; a 8th post would break the limit of a branch of 7.
    let r = w
        .post(
            &format!("/api/v1/orgs/{branch}/committee/posts"),
            json!({"member_id": full[3], "post": "deputy_secretary", "since": today() - Duration::days(1)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["in_office"].as_array().unwrap().len(), 3);
    assert_eq!(ids(&attendees(&w, &now["id"]).await), vec![full[0], full[2], full[3]]);

    // A member assembly expects every member, probationary ones included.
    let assembly = activity(&w, branch, "member_assembly", 0, json!({})).await;
    let mut all = full.clone();
    all.push(prob);
    all.sort();
    assert_eq!(ids(&attendees(&w, &assembly["id"]).await), all);
    assert_eq!(assembly["expected"], 8);

    // A member who works away is listed with where, and counts only once recorded.
    let away = full[6];
    let r = w
        .post(
            "/api/v1/outflows",
            json!({"member_id": away, "province_code": "440000", "city_code": "440100", "reason": "work_business",
                   "start_date": today() - Duration::days(30), "receiving_org_id": gz}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let list = attendees(&w, &assembly["id"]).await;
    let row = list.iter().find(|a| a["member_id"] == away).expect("still listed");
    let at = row["away"].as_str().expect("shown as away");
    assert!(at.contains("广州") && at.contains("广州吴川商会党支部"), "{at}");
    assert!(list.iter().filter(|a| a["member_id"] != away).all(|a| a["away"].is_null()));
    let view = w.get(&format!("/api/v1/activities/{}", assembly["id"])).await.body;
    assert_eq!(view["expected"], 7, "away: not counted while not recorded");
    let r = w
        .put(
            &format!("/api/v1/activities/{}/attendance", assembly["id"]),
            json!({"items": [{"member_id": away, "status": "present"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let view = w.get(&format!("/api/v1/activities/{}", assembly["id"])).await.body;
    assert_eq!(view["expected"], 8, "attended online: counted");
    assert_eq!(view["present"], 1);
    // At the receiving branch the member is expected and not away.
    let theirs = activity(&g, gz, "party_lecture", 0, json!({"lecturer": "书记", "allow_duplicate": true})).await;
    let there = attendees(&g, &theirs["id"]).await;
    let row = there.iter().find(|a| a["member_id"] == away).expect("expected where they are");
    assert_eq!(row["received"], true);
    assert!(row["away"].is_null());

    // A new committee ends the old one the day before.
    let r = w
        .post(
            &elect,
            json!({"elected_on": today(), "posts": posts(&[(full[4], "secretary"), (full[5], "deputy_secretary")])}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(ids(r.body["in_office"].as_array().unwrap()), vec![full[4], full[5]]);
    assert!(r.body["past"].as_array().unwrap().iter().all(|p| p["until"].is_string()));
    let r = w
        .post(&elect, json!({"elected_on": today() - Duration::days(5), "posts": posts(&[(full[0], "secretary")])}))
        .await;
    assert!(first_error(&r.body, "elected_on").contains("不能早于"), "{}", r.body);
    // The same day again corrects that election.
    let r = w
        .post(
            &elect,
            json!({"elected_on": today(), "posts": posts(&[(full[4], "secretary"), (full[6], "deputy_secretary")])}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(ids(r.body["in_office"].as_array().unwrap()), vec![full[4], full[6]]);
    assert!(r.body["past"].as_array().unwrap().iter().all(|p| p["member_id"] != full[5]), "the mistaken post is gone");
}
crate::both!(committee_and_expected_attendees);

/// A community's meeting expects its member organisations' secretaries, and is recorded as held
/// through the normal use cases (22.1).
async fn alliance_meetings_expect_the_member_secretaries(t: TestApp) {
    let jx = t.login("jinxiang_admin").await;
    let coal = t.org_id("煤基新材料产业链党建联盟").await;
    let meeting = activity(&jx, coal, "weekly_meeting", 0, json!({"allow_duplicate": true})).await;
    let list = attendees(&jx, &meeting["id"]).await;
    assert!(list.len() >= 5, "the member organisations' secretaries: {list:?}");
    assert!(list.iter().any(|a| a["post_label"] == "书记"), "{list:?}");
    let lute = t.org_id("鲁特电工党支部").await;
    let c = jx.get(&format!("/api/v1/orgs/{lute}/committee")).await.body;
    let secretary = c["in_office"][0]["member_id"].clone();
    assert!(list.iter().any(|a| a["member_id"] == secretary), "鲁特电工's secretary is expected: {c}");
    assert!(meeting["attendees_note"].as_str().unwrap().contains("成员单位"));
    let r = jx
        .put(
            &format!("/api/v1/activities/{}/attendance", meeting["id"]),
            json!({"items": [{"member_id": secretary, "status": "present"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // This week's duty is done.
    let held = (Utc::now() - Duration::minutes(90) + Duration::hours(8)).date_naive().iso_week();
    let duties = jx.get(&format!("/api/v1/duties?org={coal}&year={}", held.year())).await.body;
    let code = format!("{}-W{:02}", held.year(), held.week());
    let this_week = items(&duties)
        .iter()
        .find(|d| d["org_id"] == coal && d["rule"] == "weekly_meeting" && d["period"] == code)
        .unwrap_or_else(|| panic!("this week's duty {code}: {duties:#}"))
        .clone();
    assert_eq!(this_week["status"], "done", "{this_week}");
}
crate::both!(alliance_meetings_expect_the_member_secretaries);

/// A second activity of the same kind for the same organisation on the same day is confirmed first.
async fn duplicates_are_confirmed(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let parent = w.get(&format!("/api/v1/orgs/{gz}")).await.body["parent_id"].as_i64().unwrap();
    let branch = new_org(&w, parent, "重复测试党支部", "branch", Some("2010-01-01")).await;
    let first = activity(&w, branch, "theme_day", 0, json!({})).await;
    let start: chrono::DateTime<Utc> = serde_json::from_value(first["start_at"].clone()).unwrap();
    let body = json!({"org_ids": [branch], "kind": "theme_day", "topic": "又一次主题党日", "start_at": start,
                      "end_at": start + Duration::hours(1), "place": "活动室"});
    let r = w.post("/api/v1/activities", body.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let msg = first_error(&r.body, "allow_duplicate");
    assert!(msg.contains("测试theme_day") && msg.contains("主题党日"), "{msg}");
    // Another kind that day is no duplicate; a confirmed one is saved.
    let mut other = body.clone();
    other["kind"] = json!("party_lecture");
    other["lecturer"] = json!("书记");
    assert_eq!(w.post("/api/v1/activities", other).await.status, StatusCode::CREATED);
    let mut confirmed = body.clone();
    confirmed["allow_duplicate"] = json!(true);
    let second = w.post("/api/v1/activities", confirmed).await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);
    // Editing the topic of either is no new duplicate; moving the first onto another day is free
    // (noon three days before, Beijing time: an hour from `start - 1 day` crosses midnight when the
    // test runs just after it, and an activity is on every day it touches).
    let r = w.patch(&format!("/api/v1/activities/{}", first["id"]), json!({"topic": "改名"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let day = (start + Duration::hours(8)).date_naive() - Duration::days(3);
    let s = day.and_hms_opt(4, 0, 0).unwrap().and_utc();
    let r = w
        .patch(&format!("/api/v1/activities/{}", first["id"]), json!({"start_at": s, "end_at": s + Duration::hours(1)}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = w
        .patch(
            &format!("/api/v1/activities/{}", first["id"]),
            json!({"start_at": start, "end_at": start + Duration::hours(1)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "moving it back onto the same day: {}", r.body);
}
crate::both!(duplicates_are_confirmed);
