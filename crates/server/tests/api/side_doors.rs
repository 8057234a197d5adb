//! No side door into another organisation's records (issue 14, §1): a write that links a record to
//! the caller's organisation must not be how the caller comes to see it; a community shares only its
//! own activities and tasks; co-organisers of a joint activity cannot remove each other; refusals
//! name nothing the caller cannot see; exact-match lookups that find a hidden record are audited.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, id_number, items};

async fn inflow_is_no_side_door(t: TestApp) {
    let gz = t.org_id("广州吴川商会党支部").await;
    let gz_branch = t.login("gz_branch").await;
    // A Jinxiang member: another county altogether.
    let lute_member = t.member_in("鲁特电工党支部").await;
    let jx = t.login("jinxiang_admin").await;
    let m = jx.get(&format!("/api/v1/members/{lute_member}")).await;
    assert_eq!(m.status, StatusCode::OK);
    let name = m.body["name"].as_str().unwrap().to_string();
    let unmasked = jx.post(&format!("/api/v1/members/{lute_member}/unmask"), json!({"reason": "核对身份"})).await;
    let id = unmasked.body["id_number"].as_str().unwrap().to_string();

    // By id: the same answer as for a member that does not exist.
    let by_id = gz_branch
        .post("/api/v1/inflows", json!({"member_id": lute_member, "receiving_org_id": gz, "external_org_name": "x"}))
        .await;
    assert_eq!(by_id.status, StatusCode::NOT_FOUND, "{}", by_id.body);
    let nobody = gz_branch
        .post("/api/v1/inflows", json!({"member_id": 999_999_999, "receiving_org_id": gz, "external_org_name": "x"}))
        .await;
    assert_eq!(nobody.status, by_id.status);
    assert_eq!(nobody.body["title"], by_id.body["title"]);

    // By ID number: refused, without naming the member, and the lookup is audited.
    let by_number = gz_branch
        .post(
            "/api/v1/inflows",
            json!({"name": "某某", "id_number": id, "receiving_org_id": gz, "external_org_name": "金乡县某支部"}),
        )
        .await;
    assert_eq!(by_number.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", by_number.body);
    let text = by_number.body.to_string();
    assert!(text.contains("请联系其所在党组织登记外出"), "{text}");
    assert!(!text.contains(&name), "the refusal names a member the caller cannot see: {text}");

    // Nothing was linked: the member stays out of reach.
    assert_eq!(gz_branch.get(&format!("/api/v1/members/{lute_member}")).await.status, StatusCode::NOT_FOUND);
    let unmask = gz_branch.post(&format!("/api/v1/members/{lute_member}/unmask"), json!({"reason": "核对身份"})).await;
    assert_eq!(unmask.status, StatusCode::NOT_FOUND);
    let ledger = gz_branch.get("/api/v1/ledgers/inflow?per_page=200").await;
    assert!(!ledger.body.to_string().contains(&name));

    let auditor = t.login("auditor").await;
    let events = auditor.get("/api/v1/audit-events?action=lookup.exact_match").await;
    let hit = items(&events.body)
        .iter()
        .find(|e| e["actor_name"] == "gz_branch" && e["detail"]["during"] == "mobility.inflow")
        .unwrap_or_else(|| panic!("the lookup is audited: {}", events.body));
    assert!(!hit.to_string().contains(&id), "the audit record holds no ID number");

    // A person from outside the deployment is still registered as before.
    let outsider = id_number("370828", 1988, 3, 4, 951);
    let ok = gz_branch
        .post(
            "/api/v1/inflows",
            json!({"name": "外地党员", "id_number": outsider, "receiving_org_id": gz, "external_org_name": "外省某支部"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);

    // Registering a member with an ID number taken elsewhere is refused and audited the same way.
    let dup = gz_branch
        .post(
            "/api/v1/members",
            json!({"org_id": gz, "name": "重复", "id_number": id, "joined_on": "2024-07-01", "category": "full", "full_on": "2025-07-01"}),
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT, "{}", dup.body);
    assert!(!dup.body.to_string().contains(&name));
    let events = auditor.get("/api/v1/audit-events?action=lookup.exact_match").await;
    assert!(items(&events.body).iter().any(|e| e["detail"]["during"] == "member.create"), "{}", events.body);
}
crate::both!(inflow_is_no_side_door);

/// A community shares its own activities and tasks with its member organisations, not what is filed
/// under it (nor under its other member organisations).
async fn community_shares_only_its_own(t: TestApp) {
    let root = t.org_id("中共吴川市委员会").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let home = t.org_id("梅菉街道新华社区第一党支部").await;
    let wc = t.login("wuchuan_admin").await;
    let created = |r: &crate::helpers::Resp| {
        assert!(r.status.is_success(), "{}", r.body);
        r.body["id"].as_i64().unwrap()
    };
    let region = created(
        &wc.post(
            "/api/v1/orgs",
            json!({"parent_id": root, "name": "吴川在外商会区域党委", "kind": "regional_org", "host_kind": "none",
                   "province_code": "440000", "city_code": "440800", "county_code": "440883"}),
        )
        .await,
    );
    let filed = created(
        &wc.post("/api/v1/orgs", json!({"parent_id": region, "name": "区域党委直属党支部", "kind": "branch"})).await,
    );
    for org in [gz, home] {
        let r =
            wc.put(&format!("/api/v1/communities/{region}/members"), json!({"org_id": org, "role": "member"})).await;
        assert!(r.status.is_success(), "{}", r.body);
    }
    let start = (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339();
    let end = (chrono::Utc::now() + chrono::Duration::days(3) + chrono::Duration::hours(2)).to_rfc3339();
    let activity = |org: i64, topic: &'static str| json!({"org_ids": [org], "kind": "other", "topic": topic, "start_at": start, "end_at": end, "place": "会议室"});
    let own = created(&wc.post("/api/v1/activities", activity(region, "区域党委联席会")).await);
    let below = created(&wc.post("/api/v1/activities", activity(filed, "直属支部学习")).await);
    let other_member = created(&wc.post("/api/v1/activities", activity(home, "新华社区支部学习")).await);

    let gz_branch = t.login("gz_branch").await;
    let listed = gz_branch.get("/api/v1/activities?per_page=200").await;
    let ids: Vec<i64> = items(&listed.body).iter().map(|a| a["id"].as_i64().unwrap()).collect();
    assert!(ids.contains(&own), "the community's own activity is shared");
    assert!(!ids.contains(&below), "an activity filed under the community is not");
    assert!(!ids.contains(&other_member), "another member organisation's activity is not");
    assert_eq!(gz_branch.get(&format!("/api/v1/activities/{own}")).await.status, StatusCode::OK);
    for id in [below, other_member] {
        assert_eq!(gz_branch.get(&format!("/api/v1/activities/{id}")).await.status, StatusCode::NOT_FOUND);
    }
    // Listing the community's activities by organisation gives the same answer.
    let by_org = gz_branch.get(&format!("/api/v1/activities?org={region}&per_page=200")).await;
    assert_eq!(by_org.status, StatusCode::OK, "{}", by_org.body);
    let ids: Vec<i64> = items(&by_org.body).iter().map(|a| a["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![own]);

    // Tasks likewise: the community's own task is shared, the filed branch's is not.
    let list =
        created(&wc.post("/api/v1/task-lists", json!({"org_id": root, "year": 2026, "title": "区域重点工作"})).await);
    let task = |owner: i64, title: &'static str| json!({"list_id": list, "owner_org_id": owner, "title": title, "deadline": "2026-12-31"});
    let own_task = created(&wc.post("/api/v1/tasks", task(region, "区域党群服务中心")).await);
    let below_task = created(&wc.post("/api/v1/tasks", task(filed, "直属支部阵地")).await);
    let tasks = gz_branch.get(&format!("/api/v1/tasks?org={region}&year=2026")).await;
    assert_eq!(tasks.status, StatusCode::OK, "{}", tasks.body);
    let ids: Vec<i64> = items(&tasks.body).iter().map(|t| t["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![own_task], "{}", tasks.body);
    assert_eq!(gz_branch.get(&format!("/api/v1/tasks/{below_task}")).await.status, StatusCode::NOT_FOUND);
}
crate::both!(community_shares_only_its_own);

async fn co_organisers_cannot_remove_each_other(t: TestApp) {
    let gz = t.org_id("广州吴川商会党支部").await;
    let home = t.org_id("梅菉街道新华社区第一党支部").await;
    let wc = t.login("wuchuan_admin").await;
    let start = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    let end = (chrono::Utc::now() + chrono::Duration::days(2) + chrono::Duration::hours(2)).to_rfc3339();
    let joint = wc
        .post(
            "/api/v1/activities",
            json!({"allow_duplicate": true, "org_ids": [gz, home], "kind": "party_lecture", "topic": "联合党课", "lecturer": "陈书记",
                   "start_at": start, "end_at": end, "place": "商会会议室"}),
        )
        .await;
    assert_eq!(joint.status, StatusCode::CREATED, "{}", joint.body);
    let id = joint.body["id"].as_i64().unwrap();
    let gz_branch = t.login("gz_branch").await;
    let orgs_of = |v: &Value| -> Vec<i64> {
        let mut o: Vec<i64> = v["orgs"].as_array().unwrap().iter().map(|o| o["id"].as_i64().unwrap()).collect();
        o.sort_unstable();
        o
    };

    let drop_other = gz_branch.patch(&format!("/api/v1/activities/{id}"), json!({"org_ids": [gz]})).await;
    assert_eq!(drop_other.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", drop_other.body);
    assert!(drop_other.body["errors"]["org_ids"].is_array(), "{}", drop_other.body);
    let cancel = gz_branch.post(&format!("/api/v1/activities/{id}/cancel"), json!({})).await;
    assert_eq!(cancel.status, StatusCode::CONFLICT, "{}", cancel.body);
    let still = wc.get(&format!("/api/v1/activities/{id}")).await;
    assert_eq!(still.body["status"], "active");
    let mut both = vec![gz, home];
    both.sort_unstable();
    assert_eq!(orgs_of(&still.body), both);

    // Editing the joint activity while keeping the co-organiser works; so does withdrawing oneself.
    let edit = gz_branch
        .patch(
            &format!("/api/v1/activities/{id}"),
            json!({"allow_duplicate": true, "org_ids": [gz, home], "place": "商会二楼会议室"}),
        )
        .await;
    assert_eq!(edit.status, StatusCode::OK, "{}", edit.body);
    let withdraw = gz_branch.patch(&format!("/api/v1/activities/{id}"), json!({"org_ids": [home]})).await;
    assert_eq!(withdraw.status, StatusCode::OK, "{}", withdraw.body);
    assert_eq!(orgs_of(&wc.get(&format!("/api/v1/activities/{id}")).await.body), vec![home]);
    // The county, which manages both, may still cancel.
    assert_eq!(wc.post(&format!("/api/v1/activities/{id}/cancel"), json!({})).await.status, StatusCode::OK);
}
crate::both!(co_organisers_cannot_remove_each_other);

/// A ledger export unmasks a row only where the exporter may unmask that row's member (their
/// organisation, or the one receiving them), not wherever they hold the permission somewhere.
async fn export_unmasks_row_by_row(t: TestApp) {
    let home = t.org_id("梅菉街道新华社区第一党支部").await;
    let sec = t.login("secadmin").await;
    let gz_user = t.app.user_by_name("gz_branch").await.unwrap().unwrap().id;
    // The 广州 branch's worker also reads (but may not unmask) a home branch, as an instructor would.
    let g = sec.post(&format!("/api/v1/users/{gz_user}/grants"), json!({"role": "instructor", "org_id": home})).await;
    assert!(g.status.is_success(), "{}", g.body);
    let gz_branch = t.login("gz_branch").await;
    let x = gz_branch.get("/api/v1/ledgers/outflow.xlsx?unmask_reason=%E6%A0%B8%E5%AF%B9%E5%8F%B0%E8%B4%A6").await;
    assert_eq!(x.status, StatusCode::OK, "{}", x.body);
    let rows = crate::helpers::sheet(&x.bytes);
    let col = |name: &str| rows[2].iter().position(|h| h == name).unwrap_or_else(|| panic!("column {name}"));
    let (id_col, org_col, recv_col) = (col("身份证号"), col("所在党组织"), col("接收党组织"));
    let (mut clear, mut masked) = (0, 0);
    for r in &rows[3..] {
        let received_here = r[recv_col] == "广州吴川商会党支部";
        if received_here {
            assert_eq!(r[id_col].chars().count(), 18, "received by the branch: in clear {r:?}");
            clear += 1;
        } else {
            assert_eq!(r[org_col], "梅菉街道新华社区第一党支部", "{r:?}");
            assert!(r[id_col].contains('*'), "read through the instructor grant only: masked {r:?}");
            masked += 1;
        }
    }
    assert!(clear > 0 && masked > 0, "both kinds of row: {clear} clear, {masked} masked");
}
crate::both!(export_unmasks_row_by_row);

/// Settings that change rules or money belong to one county: Jinxiang's admin changes Jinxiang's
/// member tags, community role labels and grant criteria, and Wuchuan's stay as they were.
async fn settings_belong_to_a_county(t: TestApp) {
    let jx = t.login("jinxiang_admin").await;
    let wc = t.login("wuchuan_admin").await;
    let tags_of = |v: &Value| v["member_tags"].as_array().unwrap().clone();
    let wuchuan_tags = tags_of(&wc.get("/api/v1/meta").await.body);

    let put = jx.put("/api/v1/settings/member-tags", json!({"tags": ["蒜都骑士", "红帆驿站志愿者"]})).await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    assert_eq!(tags_of(&jx.get("/api/v1/meta").await.body), vec![json!("蒜都骑士"), json!("红帆驿站志愿者")]);
    assert_eq!(tags_of(&wc.get("/api/v1/meta").await.body), wuchuan_tags, "Wuchuan's tags are its own");
    // A Wuchuan member cannot carry a tag only Jinxiang has.
    let gz = t.org_id("广州吴川商会党支部").await;
    let idn = id_number("440883", 1985, 6, 1, 961);
    let m = wc
        .post(
            "/api/v1/members",
            json!({"org_id": gz, "name": "标签测试", "id_number": idn, "joined_on": "2010-07-01", "category": "full",
                   "full_on": "2011-07-01", "tags": ["蒜都骑士"]}),
        )
        .await;
    assert_eq!(m.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", m.body);
    assert!(m.body["errors"]["tags"].is_array(), "{}", m.body);

    let before = wc.get("/api/v1/community-roles").await.body;
    let renamed = jx.put("/api/v1/community-roles", json!([{"role": "lead", "label": "链主单位"}])).await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert!(renamed.body.to_string().contains("链主单位"));
    assert_eq!(wc.get("/api/v1/community-roles").await.body, before, "Wuchuan's role labels are its own");

    let criteria = wc.get("/api/v1/grant-criteria").await.body;
    let mut changed = criteria.clone();
    changed["coverage"] = json!(criteria["coverage"].as_u64().unwrap() + 5);
    changed["manual"] = json!(criteria["manual"].as_u64().unwrap() - 5);
    let put = jx.put("/api/v1/grant-criteria", changed.clone()).await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    assert_eq!(jx.get("/api/v1/grant-criteria").await.body, changed);
    assert_eq!(wc.get("/api/v1/grant-criteria").await.body, criteria, "Wuchuan's money rules are its own");

    let auditor = t.login("auditor").await;
    let events = auditor.get("/api/v1/audit-events?action=settings.").await.body;
    let county = t.org_id("中共金乡县委员会").await;
    assert!(items(&events).iter().all(|e| e["detail"]["county"] == county), "{events}");
}
crate::both!(settings_belong_to_a_county);
