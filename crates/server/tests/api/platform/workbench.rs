//! The workbench (issue 16): what needs each person today, scoped like the page each item opens.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp, items};

async fn workbench(c: &Client) -> Vec<Value> {
    let r = c.get("/api/v1/workbench").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let list = items(&r.body).clone();
    for i in &list {
        assert!(i["count"].as_u64().unwrap() > 0, "an item with nothing to do: {i}");
        assert!(i["link"].as_str().unwrap().starts_with('/'), "{i}");
    }
    list
}

fn find<'a>(list: &'a [Value], key: &str) -> Option<&'a Value> {
    list.iter().find(|i| i["key"] == key)
}

async fn the_workbench_says_what_needs_each_role(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let before = workbench(&w).await;
    // The demo has lost members and a branch whose committee's term has run out.
    let lost = find(&before, "lost").expect("lost members");
    assert_eq!(lost["tone"], "danger");
    let due = find(&before, "elections").expect("a committee due for election").clone();
    let org: i64 = due["link"].as_str().unwrap().trim_start_matches("/orgs?id=").parse().unwrap();
    assert_eq!(w.get(&format!("/api/v1/orgs/{org}/committee")).await.body["election_due"], true);
    // A late recording reaches the county's workbench, one click from the activity.
    let gz = t.org_id("广州吴川商会党支部").await;
    let g = t.login("gz_branch").await;
    let start = Utc::now() - Duration::days(15);
    let late = g
        .post(
            "/api/v1/activities",
            json!({"org_ids": [gz], "kind": "other", "topic": "补录的学习会", "start_at": start, "end_at": start + Duration::hours(1),
                   "place": "活动室", "late_reason": "据会议记录补录", "allow_duplicate": true}),
        )
        .await;
    assert_eq!(late.status, StatusCode::CREATED, "{}", late.body);
    let after = workbench(&w).await;
    let approvals = find(&after, "approvals").expect("the approval is on the county's workbench");
    let pending_before = find(&before, "approvals").map_or(0, |i| i["count"].as_u64().unwrap());
    assert_eq!(approvals["count"].as_u64().unwrap(), pending_before + 1);
    assert!(approvals["detail"].as_str().unwrap().contains("补录的学习会"), "{approvals}");
    if pending_before == 0 {
        assert_eq!(approvals["link"], format!("/activities/{}", late.body["id"]));
    }
    // Most urgent first.
    let tones: Vec<&str> = after.iter().map(|i| i["tone"].as_str().unwrap()).collect();
    let rank = |t: &str| ["danger", "warning", "primary"].iter().position(|x| *x == t).unwrap();
    assert!(tones.windows(2).all(|p| rank(p[0]) <= rank(p[1])), "{tones:?}");

    // The branch worker approves nothing and sees only its branch: Jinxiang's late recordings never show.
    let mine = workbench(&g).await;
    assert!(find(&mine, "approvals").is_none(), "{mine:?}");
    let jx = t.login("jinxiang_admin").await;
    let theirs = workbench(&jx).await;
    assert!(find(&theirs, "approvals").is_none_or(|i| !i["detail"].as_str().unwrap().contains("补录的学习会")));

    // A member sees the week's organisational life they are expected at (the 广州 branch's theme day).
    let me = t.login("member_demo").await;
    let own = workbench(&me).await;
    let soon = find(&own, "my_activities").expect("the coming theme day");
    assert_eq!(soon["link"], "/my/activities");
    assert!(find(&own, "lost").is_none() && find(&own, "duties_overdue").is_none(), "{own:?}");

    // The system administrator has no business data to act on.
    assert!(workbench(&t.login("sysadmin").await).await.is_empty());
}
crate::both!(the_workbench_says_what_needs_each_role);
