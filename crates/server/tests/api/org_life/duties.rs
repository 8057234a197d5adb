//! The duty rules at their edges, through the API (issue 22): who owes what by kind and size
//! (party groups, general branches), joint activities, registration dates and weeks across the
//! new year.

use chrono::{Datelike, Duration, NaiveDate, Utc, Weekday};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp, id_number, items};

fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(8)).date_naive()
}

async fn duties(c: &Client, org: i64, year: i32) -> Vec<Value> {
    let r = c.get(&format!("/api/v1/duties?org={org}&year={year}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    items_of(&r.body)
}

fn items_of(v: &Value) -> Vec<Value> {
    v.as_array().cloned().unwrap_or_else(|| items(v).clone())
}

fn rules_of(list: &[Value], org: i64) -> Vec<String> {
    let mut codes: Vec<String> =
        list.iter().filter(|d| d["org_id"] == org).map(|d| d["rule"].as_str().unwrap().to_string()).collect();
    codes.sort();
    codes.dedup();
    codes
}

pub(super) async fn new_org(c: &Client, parent: i64, name: &str, kind: &str, founded: Option<&str>) -> i64 {
    let mut body = json!({"parent_id": parent, "name": name, "kind": kind});
    if let Some(f) = founded {
        body["founded_on"] = json!(f);
    }
    let r = c.post("/api/v1/orgs", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_i64().unwrap()
}

pub(super) async fn full_members(c: &Client, org: i64, n: u32, seq: &mut u32) -> Vec<i64> {
    let mut ids = Vec::new();
    for _ in 0..n {
        *seq += 1;
        let idn = id_number("440883", 1970 + (*seq % 20) as i32, 1 + *seq % 12, 1 + *seq % 28, *seq);
        let r = c
            .post(
                "/api/v1/members",
                json!({"org_id": org, "name": format!("规则测试{seq}"), "id_number": idn, "joined_on": "2010-07-01",
                       "category": "full", "full_on": "2011-07-01"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        ids.push(r.body["id"].as_i64().unwrap());
    }
    ids
}

/// Kind and size decide who owes what: a party group's members count for its branch's committee,
/// each group owes its own group meeting (rolled up into the branch's row of the board), a general
/// branch counts its sub-branches, and an organisation without a founding date owes nothing from
/// before it was registered.
async fn rules_apply_by_kind_and_size(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let parent = w.get(&format!("/api/v1/orgs/{gz}")).await.body["parent_id"].as_i64().unwrap();
    let year = today().year();
    let mut seq = 0;

    // A branch of 4 members with a party group of 3: 7 full members, a committee.
    let branch = new_org(&w, parent, "规则测试党支部", "branch", Some("2010-01-01")).await;
    full_members(&w, branch, 4, &mut seq).await;
    let before = duties(&w, branch, year).await;
    assert!(!rules_of(&before, branch).contains(&"committee_meeting".to_string()), "4 members: no committee");
    let group = new_org(&w, branch, "第一党小组", "party_group", Some("2010-01-01")).await;
    full_members(&w, group, 3, &mut seq).await;
    let list = duties(&w, branch, year).await;
    let own = rules_of(&list, branch);
    assert!(own.contains(&"committee_meeting".to_string()), "4 + 3 in its party group: {own:?}");
    assert!(!own.contains(&"group_meeting".to_string()), "the branch itself owes no group meeting");
    assert_eq!(rules_of(&list, group), ["group_meeting"], "the group owes its own meeting");
    // The board rolls the group into its branch's row.
    let board = w.get(&format!("/api/v1/duties/board?org={branch}&year={year}")).await.body;
    let rows = items(&board);
    assert_eq!(rows.len(), 1, "{board:#}");
    assert_eq!(rows[0]["org_id"], branch);
    let group_results = list.iter().filter(|d| d["org_id"] == group).count() as u64;
    let branch_results = list.iter().filter(|d| d["org_id"] == branch).count() as u64;
    let c = &rows[0]["counts"];
    let shown = c["blue"].as_u64().unwrap() + c["yellow"].as_u64().unwrap() + c["red"].as_u64().unwrap();
    assert_eq!(shown, group_results + branch_results);

    // A general branch whose members sit in its sub-branch owes committee meetings.
    let general = new_org(&w, parent, "规则测试党总支", "general_branch", Some("2010-01-01")).await;
    let sub = new_org(&w, general, "规则测试第一支部", "branch", Some("2010-01-01")).await;
    full_members(&w, sub, 7, &mut seq).await;
    let list = duties(&w, general, year).await;
    assert!(rules_of(&list, general).contains(&"committee_meeting".to_string()), "{:?}", rules_of(&list, general));

    // Joint: a 党员大会 is one organisation's; a 主题党日 may be joint.
    let start = Utc::now() - Duration::minutes(30);
    let body = |kind: &str| {
        json!({"org_ids": [branch, sub], "kind": kind, "topic": "联合活动", "start_at": start,
               "end_at": start + Duration::hours(1), "place": "活动室"})
    };
    let refused = w.post("/api/v1/activities", body("member_assembly")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body["errors"]["org_ids"][0].as_str().unwrap().contains("党员大会须由一个组织召开"));
    let joint = w.post("/api/v1/activities", body("theme_day")).await;
    assert_eq!(joint.status, StatusCode::CREATED, "{}", joint.body);
    // Nor can a joint activity be turned into a 党员大会 afterwards.
    let id = joint.body["id"].as_i64().unwrap();
    let changed = w.patch(&format!("/api/v1/activities/{id}"), json!({"kind": "member_assembly"})).await;
    assert_eq!(changed.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", changed.body);

    // Registered today without a founding date: nothing is owed for the months before.
    let fresh = new_org(&w, parent, "规则测试新建支部", "branch", None).await;
    let this_month = today().format("%Y-%m").to_string();
    let owed: Vec<String> = duties(&w, fresh, year)
        .await
        .iter()
        .filter(|d| d["rule"] == "theme_day")
        .map(|d| d["period"].as_str().unwrap().to_string())
        .collect();
    assert!(owed.iter().all(|p| *p >= this_month), "no red months before registration: {owed:?}");
}
crate::both!(rules_apply_by_kind_and_size);

/// A weekly duty's week 1 may start in December: a meeting held that Monday counts for week 1 of
/// the new year (held activities are read across the year boundary for weekly duties).
async fn weeks_across_the_new_year(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let parent = w.get(&format!("/api/v1/orgs/{gz}")).await.body["parent_id"].as_i64().unwrap();
    let year = today().year();
    let mut seq = 40;
    let branch = new_org(&w, parent, "周学习测试党支部", "branch", Some("2010-01-01")).await;
    let members = full_members(&w, branch, 3, &mut seq).await;
    // A weekly rule for branches (local practice, configurable).
    let mut rules = w.get("/api/v1/duty-rules").await.body;
    rules.as_array_mut().unwrap().push(json!({"code": "weekly_study", "label": "每周学习", "kinds": ["course"],
        "frequency": "weekly", "min_count": 1, "applies_to": ["branch"]}));
    let put = w.send(reqwest::Method::PUT, "/api/v1/duty-rules", Some(rules)).await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);

    // Monday of ISO week 1 (29 December of the year before, for 2026), 10:00 Beijing time.
    let monday = NaiveDate::from_isoywd_opt(year, 1, Weekday::Mon).unwrap();
    let start = monday.and_hms_opt(2, 0, 0).unwrap().and_utc();
    let a = w
        .post(
            "/api/v1/activities",
            json!({"org_ids": [branch], "kind": "course", "topic": "第一周学习", "start_at": start,
                   "end_at": start + Duration::hours(2), "place": "活动室", "late_reason": "年初学习补录台账"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let id = a.body["id"].as_i64().unwrap();
    if a.body["status"] == "pending_approval" {
        let ok = w.post(&format!("/api/v1/activities/{id}/approval"), json!({"approve": true})).await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    }
    let att = w
        .put(
            &format!("/api/v1/activities/{id}/attendance"),
            json!({"items": [{"member_id": members[0], "status": "present"}]}),
        )
        .await;
    assert_eq!(att.status, StatusCode::OK, "{}", att.body);
    let week1 = format!("{year:04}-W01");
    let d = duties(&w, branch, year)
        .await
        .into_iter()
        .find(|d| d["rule"] == "weekly_study" && d["period"] == week1.as_str())
        .expect("week 1 is owed");
    assert_eq!((d["status"].as_str(), d["done_count"].as_u64()), (Some("done"), Some(1)), "{d}");
}
crate::both!(weeks_across_the_new_year);

/// A 组织生活会 held in January for the previous year counts for that year (the form records it),
/// not for the year of its date; other years are refused with the form's message.
async fn annual_meeting_counts_for_the_year_it_is_about(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let parent = w.get(&format!("/api/v1/orgs/{gz}")).await.body["parent_id"].as_i64().unwrap();
    let year = today().year();
    let mut seq = 60;
    let branch = new_org(&w, parent, "年度会议测试党支部", "branch", Some("2010-01-01")).await;
    let members = full_members(&w, branch, 3, &mut seq).await;
    // 20 January this year, 10:00 Beijing time.
    let start = NaiveDate::from_ymd_opt(year, 1, 20).unwrap().and_hms_opt(2, 0, 0).unwrap().and_utc();
    let body = |for_year: i32| {
        json!({"org_ids": [branch], "kind": "life_meeting", "topic": "上年度组织生活会", "start_at": start,
               "end_at": start + Duration::hours(3), "place": "活动室", "late_reason": "年初会议补录台账",
               "for_year": for_year})
    };
    let refused = w.post("/api/v1/activities", body(year - 2)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body["errors"]["for_year"][0].as_str().unwrap().contains("1—2 月召开时计入上一年度"));
    let a = w.post("/api/v1/activities", body(year - 1)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    assert_eq!(a.body["for_year"], year - 1);
    let id = a.body["id"].as_i64().unwrap();
    if a.body["status"] == "pending_approval" {
        let ok = w.post(&format!("/api/v1/activities/{id}/approval"), json!({"approve": true})).await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    }
    let att = w
        .put(
            &format!("/api/v1/activities/{id}/attendance"),
            json!({"items": [{"member_id": members[0], "status": "present"}]}),
        )
        .await;
    assert_eq!(att.status, StatusCode::OK, "{}", att.body);
    let life = |list: Vec<Value>, period: String| {
        list.into_iter().find(|d| d["rule"] == "life_meeting" && d["period"] == period.as_str()).expect("owed")
    };
    let last = life(duties(&w, branch, year - 1).await, format!("{:04}", year - 1));
    assert_eq!((last["status"].as_str(), last["done_count"].as_u64()), (Some("done"), Some(1)), "{last}");
    let this = life(duties(&w, branch, year).await, format!("{year:04}"));
    assert_eq!(this["done_count"], 0, "it is not also this year's: {this}");
}
crate::both!(annual_meeting_counts_for_the_year_it_is_about);

/// Duty rules belong to one county (issue 14 §1): Jinxiang's admin adds a weekly duty for Jinxiang's
/// branches; Wuchuan's rules and Wuchuan's branches' duties stay as they were, a branch worker
/// changes no county's rules, and a board already computed sees the new rule at once.
async fn duty_rules_belong_to_a_county(t: TestApp) {
    let jx = t.login("jinxiang_admin").await;
    let wc = t.login("wuchuan_admin").await;
    let year = today().year();
    let lute = t.org_id("鲁特电工党支部").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let wuchuan_rules = wc.get("/api/v1/duty-rules").await.body;
    let jinxiang_rules = jx.get("/api/v1/duty-rules").await.body;
    assert_eq!(wuchuan_rules, jinxiang_rules, "both start from the regulations' defaults");
    // Computed (and cached) before the change.
    assert!(!rules_of(&duties(&jx, lute, year).await, lute).contains(&"weekly_study".to_string()));
    let wuchuan_duties = rules_of(&duties(&wc, gz, year).await, gz);

    let mut rules = jinxiang_rules.clone();
    rules
        .as_array_mut()
        .unwrap()
        .push(json!({"code": "weekly_study", "label": "每周学习（金乡）", "kinds": ["course"],
        "frequency": "weekly", "min_count": 1, "applies_to": ["branch"]}));
    // Neither a branch worker nor the other county's rules are the way in.
    let gz_branch = t.login("gz_branch").await;
    assert_eq!(gz_branch.put("/api/v1/duty-rules", rules.clone()).await.status, StatusCode::FORBIDDEN);
    let put = jx.put("/api/v1/duty-rules", rules.clone()).await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);

    assert_eq!(jx.get("/api/v1/duty-rules").await.body, put.body);
    assert!(put.body.to_string().contains("每周学习（金乡）"));
    assert_eq!(wc.get("/api/v1/duty-rules").await.body, wuchuan_rules, "Wuchuan's duty rules are its own");
    let lute_duties = duties(&jx, lute, year).await;
    let weekly: Vec<&Value> = lute_duties.iter().filter(|d| d["rule"] == "weekly_study").collect();
    assert!(!weekly.is_empty(), "Jinxiang's branch owes the new weekly duty at once");
    assert!(weekly.iter().all(|d| d["rule_label"] == "每周学习（金乡）"), "{weekly:?}");
    assert_eq!(rules_of(&duties(&wc, gz, year).await, gz), wuchuan_duties, "Wuchuan's branch owes what it owed");

    let auditor = t.login("auditor").await;
    let events = auditor.get("/api/v1/audit-events?action=settings.duty_rules").await.body;
    let county = t.org_id("中共金乡县委员会").await;
    assert!(!items(&events).is_empty() && items(&events).iter().all(|e| e["detail"]["county"] == county), "{events}");
}
crate::both!(duty_rules_belong_to_a_county);
