//! Bulletins (通知公告) through the API: who a bulletin reaches (the member's branch and its
//! ancestors, not a sibling branch; the organisation receiving them only when the bulletin includes
//! outflow members), read counts (counts only), withdrawal, scope, attachments and bad input.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, items};

fn ids(v: &Value) -> Vec<i64> {
    items(v).iter().map(|b| b["id"].as_i64().unwrap()).collect()
}

fn notice(org: i64, title: &str, include_outflow: bool) -> Value {
    json!({"org_id": org, "kind": "notice", "title": title, "body": "请各位党员按时参加。\n地点：党群服务中心。",
           "include_outflow": include_outflow})
}

async fn bulletins(t: TestApp) {
    let county = t.org_id("中共吴川市委员会").await;
    let town = t.org_id("中共吴川市梅菉街道工作委员会").await;
    let home = t.org_id("梅菉街道新华社区第一党支部").await;
    let sibling = t.org_id("梅菉街道梅岭村第一党支部").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let wc = t.login("wuchuan_admin").await;
    let gzb = t.login("gz_branch").await;
    let me = t.login("member_demo").await;

    let mut made = std::collections::HashMap::new();
    for (key, org, include) in [
        ("county", county, false),
        ("town", town, false),
        ("home", home, false),
        ("sibling", sibling, false),
        ("gz_plain", gz, false),
        ("gz_outflow", gz, true),
    ] {
        let who = if org == gz { &gzb } else { &wc };
        let r = who.post("/api/v1/bulletins", notice(org, &format!("测试通知 {key}"), include)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{key}: {}", r.body);
        assert_eq!(r.body["withdrawn_at"], Value::Null);
        let shown = r.body["reached"].as_u64().unwrap() >= 3;
        assert_eq!(r.body["read"], if shown { json!(0) } else { Value::Null }, "{key}: {}", r.body);
        made.insert(key, r.body["id"].as_i64().unwrap());
    }

    // Reach: own branch and every ancestor; the receiving branch only with include_outflow.
    let list = me.get("/api/v1/me/bulletins?per_page=100").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let seen = ids(&list.body);
    for key in ["county", "town", "home", "gz_outflow"] {
        assert!(seen.contains(&made[key]), "member_demo sees {key}: {seen:?}");
    }
    for key in ["sibling", "gz_plain"] {
        assert!(!seen.contains(&made[key]), "member_demo does not see {key}");
    }
    let first = &items(&list.body)[0];
    assert_eq!(first["id"], made["gz_outflow"], "the newest first");
    assert_eq!(first["read"], false);
    assert_eq!(first["org_name"], "广州吴川商会党支部");
    assert!(first["excerpt"].as_str().unwrap().starts_with("请各位党员按时参加。 地点"), "{}", first["excerpt"]);
    let unread = list.body["unread"].as_u64().unwrap();
    assert!(unread >= 4, "{}", list.body);

    // A member of the sibling branch, at home: the county and the town, not member_demo's branch.
    let (neighbour, _) = t.members_at_home(sibling).await[0].clone();
    let other = t.account("bulletin_neighbour", "member", None, Some(neighbour)).await;
    let theirs = ids(&other.get("/api/v1/me/bulletins?per_page=100").await.body);
    assert!(theirs.contains(&made["county"]) && theirs.contains(&made["town"]) && theirs.contains(&made["sibling"]));
    assert!(!theirs.contains(&made["home"]) && !theirs.contains(&made["gz_outflow"]));
    let hidden = other.get(&format!("/api/v1/me/bulletins/{}", made["home"])).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(hidden.body["title"], "通知公告不存在或无权访问", "names nothing");

    // Read counts: counts of member accounts reached, never names.
    let before = wc.get(&format!("/api/v1/bulletins/{}", made["home"])).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    let reached = before.body["reached"].as_u64().unwrap();
    assert!(reached >= 1, "member_demo is reached: {}", before.body);
    if reached < 3 {
        assert_eq!(before.body["read"], Value::Null, "no count while one or two are reached: it would say who");
    }
    let at_home = t.members_at_home(home).await;
    let colleague = t.account("bulletin_colleague", "member", None, Some(at_home[0].0)).await;
    t.account("bulletin_colleague2", "member", None, Some(at_home[1].0)).await;
    // A worker's account linked to their own record is no member account: not reached, not counted.
    t.account("bulletin_secretary", "org_admin", Some(home), Some(at_home[2].0)).await;
    let opened = me.get(&format!("/api/v1/me/bulletins/{}", made["home"])).await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    assert_eq!(opened.body["bulletin"]["read"], true);
    assert!(opened.body["body"].as_str().unwrap().contains("地点：党群服务中心"));
    // Opening it twice counts once.
    assert_eq!(me.get(&format!("/api/v1/me/bulletins/{}", made["home"])).await.status, StatusCode::OK);
    let after = wc.get(&format!("/api/v1/bulletins/{}", made["home"])).await.body;
    assert_eq!(
        after["reached"].as_u64().unwrap(),
        reached + 2,
        "the new member accounts are reached, the worker's not"
    );
    assert_eq!(after["read"], 1);
    assert!(after.get("readers").is_none() && after.get("unread_members").is_none());
    assert_eq!(colleague.get(&format!("/api/v1/me/bulletins/{}", made["home"])).await.status, StatusCode::OK);
    assert_eq!(wc.get(&format!("/api/v1/bulletins/{}", made["home"])).await.body["read"], 2);
    let unread_now = me.get("/api/v1/me/bulletins?per_page=100").await.body["unread"].as_u64().unwrap();
    assert_eq!(unread_now, unread - 1);
    // Including outflow members reaches those the branch receives (member_demo among them).
    let plain = gzb.get(&format!("/api/v1/bulletins/{}", made["gz_plain"])).await.body["reached"].as_u64().unwrap();
    let outflow = gzb.get(&format!("/api/v1/bulletins/{}", made["gz_outflow"])).await.body["reached"].as_u64().unwrap();
    assert!(outflow > plain, "{outflow} > {plain}");

    // Scope: a branch worker writes for its own subtree only, and reads only its own subtree's.
    for org in [home, county] {
        let r = gzb.post("/api/v1/bulletins", notice(org, "越权通知", false)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    }
    for key in ["county", "home"] {
        assert_eq!(gzb.get(&format!("/api/v1/bulletins/{}", made[key])).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            gzb.post(&format!("/api/v1/bulletins/{}/withdraw", made[key]), json!({})).await.status,
            StatusCode::NOT_FOUND
        );
    }
    let gz_list = ids(&gzb.get("/api/v1/bulletins?per_page=100").await.body);
    assert!(gz_list.contains(&made["gz_plain"]) && !gz_list.contains(&made["county"]));
    let county_list = wc.get("/api/v1/bulletins?per_page=100").await;
    assert!(ids(&county_list.body).contains(&made["gz_outflow"]), "the county sees its subtree's");
    let jx = t.login("jinxiang_admin").await;
    assert_eq!(jx.get(&format!("/api/v1/bulletins/{}", made["county"])).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.login("instructor").await.get("/api/v1/bulletins").await.status, StatusCode::FORBIDDEN);
    assert_eq!(me.post("/api/v1/bulletins", notice(home, "党员发布", false)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(wc.get("/api/v1/me/bulletins").await.status, StatusCode::FORBIDDEN, "a member account's");

    // Attachments: the writer uploads, a reached member downloads, anyone else does not.
    let png = b"\x89PNG\r\n\x1a\n0000".to_vec();
    let up = wc.upload(&format!("/api/v1/bulletins/{}/attachments", made["home"]), "安排表.png", png.clone()).await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    let file = up.body["id"].as_i64().unwrap();
    let bad = wc.upload(&format!("/api/v1/bulletins/{}/attachments", made["home"]), "a.csv", b"a,b\n".to_vec()).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body["errors"]["file"].is_array(), "{}", bad.body);
    let got = me.get(&format!("/api/v1/me/bulletins/{}/attachments/{file}", made["home"])).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.bytes, png);
    assert_eq!(
        other.get(&format!("/api/v1/me/bulletins/{}/attachments/{file}", made["home"])).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        me.get(&format!("/api/v1/me/bulletins/{}/attachments/{file}", made["county"])).await.status,
        StatusCode::NOT_FOUND,
        "a file is read through its own bulletin"
    );
    let detail = me.get(&format!("/api/v1/me/bulletins/{}", made["home"])).await.body;
    assert_eq!(detail["attachments"][0]["filename"], "安排表.png");

    // Editing, then withdrawing: gone from the phone, kept (marked) in the console.
    let edited =
        wc.patch(&format!("/api/v1/bulletins/{}", made["home"]), notice(home, "测试通知 home（更正）", false)).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(edited.body["title"], "测试通知 home（更正）");
    assert_eq!(edited.body["read"], 2, "reads stay");
    let w = wc.post(&format!("/api/v1/bulletins/{}/withdraw", made["home"]), json!({})).await;
    assert_eq!(w.status, StatusCode::OK, "{}", w.body);
    assert!(w.body["withdrawn_at"].is_string());
    assert!(!ids(&me.get("/api/v1/me/bulletins?per_page=100").await.body).contains(&made["home"]));
    assert_eq!(me.get(&format!("/api/v1/me/bulletins/{}", made["home"])).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        me.get(&format!("/api/v1/me/bulletins/{}/attachments/{file}", made["home"])).await.status,
        StatusCode::NOT_FOUND
    );
    let withdrawn = wc.get("/api/v1/bulletins?withdrawn=true&per_page=100").await;
    assert!(ids(&withdrawn.body).contains(&made["home"]));
    assert_eq!(
        wc.post(&format!("/api/v1/bulletins/{}/withdraw", made["home"]), json!({})).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        wc.patch(&format!("/api/v1/bulletins/{}", made["home"]), notice(home, "再改", false)).await.status,
        StatusCode::CONFLICT
    );

    // Bad input: 422 naming the field, never a 5xx.
    let r = wc
        .post("/api/v1/bulletins", json!({"org_id": home, "kind": "notice", "title": " ", "body": "字".repeat(5001)}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["errors"]["title"].is_array() && r.body["errors"]["body"].is_array(), "{}", r.body);
    let r = wc
        .post("/api/v1/bulletins", json!({"org_id": home, "kind": "greeting", "title": "节日问候", "body": "x"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = wc
        .post("/api/v1/bulletins", json!({"org_id": home, "kind": "notice", "title": "第一行\n第二行", "body": "x"}))
        .await;
    assert!(r.body["errors"]["title"].is_array(), "{}", r.body);
    for q in ["per_page=0", "page=0", "org=-1", "kind=greeting", "withdrawn=maybe"] {
        let r = wc.get(&format!("/api/v1/bulletins?{q}")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}: {}", r.body);
    }
    assert_eq!(me.get("/api/v1/me/bulletins?per_page=1000").await.status, StatusCode::UNPROCESSABLE_ENTITY);
}
crate::both!(bulletins);
