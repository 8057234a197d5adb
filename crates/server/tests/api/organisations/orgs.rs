//! The organisation tree: demo structure, create, edit, move with the subtree, dissolve.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;

async fn demo_tree_matches_the_seed(t: TestApp) {
    let c = t.login("wuchuan_admin").await;
    let gsl = t.org_id("中共吴川市工商业联合会委员会").await;
    let kids = c.get(&format!("/api/v1/orgs?parent={gsl}&per_page=100")).await;
    assert_eq!(kids.body["total"], 17);
    let items = kids.body["items"].as_array().unwrap();
    let branches = items.iter().filter(|o| o["kind"] == "branch").count();
    let centres = items.iter().filter(|o| o["kind"] == "liaison_center").count();
    assert_eq!((branches, centres), (13, 4));
    let cities: std::collections::BTreeSet<_> = items.iter().map(|o| o["city_code"].as_str().unwrap()).collect();
    let provinces: std::collections::BTreeSet<_> = items.iter().map(|o| o["province_code"].as_str().unwrap()).collect();
    assert_eq!((cities.len(), provinces.len()), (15, 5));
    let gz = items.iter().find(|o| o["name"] == "广州吴川商会党支部").unwrap();
    assert_eq!(gz["location"], "广东省 广州市 天河区");
    assert_eq!(gz["host_kind"], "chamber");
    assert!(items.iter().any(|o| { o["location"].as_str().unwrap().starts_with("广西壮族自治区 南宁市") }));
    assert!(items.iter().any(|o| o["location"].as_str().unwrap().starts_with("海南省 海口市")));

    let j = t.login("jinxiang_admin").await;
    let work = t.org_id("中共金乡县委两新组织工作委员会").await;
    let count = |kind: &str| {
        let j = &j;
        let url = format!("/api/v1/orgs?parent={work}&kind={kind}&per_page=100");
        async move { j.get(&url).await.body["total"].as_u64().unwrap() }
    };
    assert_eq!(count("park_committee").await, 17);
    assert_eq!(count("regional_org").await, 6);
    assert_eq!(count("industry_committee").await, 3);
    assert_eq!(count("chain_alliance").await, 2);
    let express = j.get("/api/v1/orgs?q=%E5%BF%AB%E9%80%92").await; // 快递
    assert!(express.body["items"].as_array().unwrap().iter().any(|o| o["kind"] == "industry_committee"));
    // A county admin sees only their county.
    assert_eq!(c.get(&format!("/api/v1/orgs/{work}")).await.status, StatusCode::NOT_FOUND);
    let roots = c.get("/api/v1/orgs/roots").await;
    assert_eq!(roots.body["items"][0]["name"], "中共吴川市委员会");
}
crate::both!(demo_tree_matches_the_seed);

async fn create_edit_validate(t: TestApp) {
    let c = t.login("jinxiang_admin").await;
    let park = t.org_id("金乡经济开发区综合党委").await;
    let bad = c
        .post("/api/v1/orgs", json!({"parent_id": park, "name": "", "kind": "club", "host_kind": "enterprise", "province_code": "450000", "city_code": "370800"}))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let e = &bad.body["errors"];
    assert_eq!(e["name"][0], "组织名称不能为空");
    assert_eq!(e["kind"][0], "组织类型“club”无效");
    assert_eq!(e["host_name"][0], "请填写依托单位名称");
    assert_eq!(e["city_code"][0], "城市不属于所选省份");
    let ok = c
        .post(
            "/api/v1/orgs",
            json!({"parent_id": park, "name": "金乡县某新能源科技有限公司党支部", "kind": "branch", "host_kind": "enterprise", "host_name": "金乡县某新能源科技有限公司",
                   "province_code": "370000", "city_code": "370800", "county_code": "370828", "secretary": "张建国", "founded_on": "2024-07-01"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    let id = ok.body["id"].as_i64().unwrap();
    assert_eq!(ok.body["location"], "山东省 济宁市 金乡县");
    assert!(ok.body["path"].as_str().unwrap().ends_with(&format!("/{park}/{id}/")));
    let edited = c.patch(&format!("/api/v1/orgs/{id}"), json!({"secretary": "李明", "contact": "0537-1234567"})).await;
    assert_eq!(edited.body["secretary"], "李明");
    assert_eq!(edited.body["name"], "金乡县某新能源科技有限公司党支部", "unsent fields stay");
    // A branch cannot have sub-organisations.
    let sub = c.post("/api/v1/orgs", json!({"parent_id": id, "name": "二车间支部", "kind": "branch"})).await;
    assert_eq!(sub.body["errors"]["kind"][0], "党支部和联合党支部下只能设立党小组");
    // A branch holds party groups (党小组), which hold nothing.
    let group = c.post("/api/v1/orgs", json!({"parent_id": id, "name": "第一党小组", "kind": "party_group"})).await;
    assert_eq!(group.status, StatusCode::CREATED, "{}", group.body);
    assert_eq!(group.body["kind_label"], "党小组");
    let gid = group.body["id"].as_i64().unwrap();
    let nested = c.post("/api/v1/orgs", json!({"parent_id": gid, "name": "再下一级", "kind": "party_group"})).await;
    assert_eq!(nested.body["errors"]["kind"][0], "党小组下不能设立下级组织");
    let stray = c.post("/api/v1/orgs", json!({"parent_id": park, "name": "园区党小组", "kind": "party_group"})).await;
    assert_eq!(stray.body["errors"]["kind"][0], "党小组只能设在党支部、联合党支部或党总支下");
    let to_committee = c.patch(&format!("/api/v1/orgs/{id}"), json!({"kind": "park_committee"})).await;
    assert_eq!(to_committee.body["errors"]["kind"][0], "该组织下有党小组，不能改为综合党委");
    let found = c.get("/api/v1/orgs?q=%E6%96%B0%E8%83%BD%E6%BA%90").await; // 新能源
    assert!(found.body["items"].as_array().unwrap().iter().any(|o| o["id"] == id));
}
crate::both!(create_edit_validate);

async fn move_subtree_and_dissolve(t: TestApp) {
    let c = t.login("jinxiang_admin").await;
    let from = t.org_id("金乡化工产业园综合党委").await;
    let to = t.org_id("金乡经济开发区综合党委").await;
    let before = c.get(&format!("/api/v1/members?org={from}&per_page=1")).await.body["total"].as_u64().unwrap();
    let to_before = c.get(&format!("/api/v1/members?org={to}&per_page=1")).await.body["total"].as_u64().unwrap();
    assert!(before > 0);
    let moved = c.post(&format!("/api/v1/orgs/{from}/move"), json!({"new_parent_id": to})).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(moved.body["parent_id"], to);
    // Every path in the moved subtree is rewritten, members included.
    let subtree = c.get(&format!("/api/v1/orgs?subtree={from}&per_page=100")).await;
    let prefix = moved.body["path"].as_str().unwrap().to_string();
    for o in subtree.body["items"].as_array().unwrap() {
        assert!(o["path"].as_str().unwrap().starts_with(&prefix), "{o}");
    }
    assert!(subtree.body["total"].as_u64().unwrap() >= 3);
    let to_after = c.get(&format!("/api/v1/members?org={to}&per_page=1")).await.body["total"].as_u64().unwrap();
    assert_eq!(to_after, to_before + before);
    // Cannot move under its own subtree.
    let child =
        subtree.body["items"].as_array().unwrap().iter().find(|o| o["id"] != from).unwrap()["id"].as_i64().unwrap();
    let cycle = c.post(&format!("/api/v1/orgs/{to}/move"), json!({"new_parent_id": child})).await;
    assert_eq!(cycle.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(cycle.body["errors"]["new_parent_id"][0], "不能移动到本组织或其下级组织之下");

    // Dissolving is refused while members or active children remain.
    let refused = c.post(&format!("/api/v1/orgs/{from}/dissolve"), json!({})).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body["title"].as_str().unwrap().contains("下级组织"), "{}", refused.body);
    let branch = c.get(&format!("/api/v1/orgs?parent={from}")).await.body["items"][0].clone();
    let bid = branch["id"].as_i64().unwrap();
    let with_members = c.post(&format!("/api/v1/orgs/{bid}/dissolve"), json!({})).await;
    assert_eq!(with_members.status, StatusCode::CONFLICT);
    assert!(with_members.body["title"].as_str().unwrap().contains("名党员"));
    let empty = c.post("/api/v1/orgs", json!({"parent_id": from, "name": "待撤销测试党支部", "kind": "branch"})).await;
    let eid = empty.body["id"].as_i64().unwrap();
    let done = c.post(&format!("/api/v1/orgs/{eid}/dissolve"), json!({})).await;
    assert_eq!(done.status, StatusCode::OK);
    assert_eq!(done.body["status"], "dissolved");
    let again = c.post(&format!("/api/v1/orgs/{eid}/dissolve"), json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    // No member can be added to a dissolved organisation.
    let m = c.post("/api/v1/members", json!({"org_id": eid, "name": "测试", "id_number": crate::helpers::id_number("370828", 1990, 1, 1, 1), "joined_on": "2015-07-01"})).await;
    assert_eq!(m.body["errors"]["org_id"][0], "所选党组织已撤销");
}
crate::both!(move_subtree_and_dissolve);

/// Every table that keeps a copy of an organisation's path is rewritten by a move: a table added
/// with an `org_path` (or a task's `owner_path`) and left out of the move would keep its records
/// under the old parent, out of the moved organisation's own sight.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_move_rewrites_every_path_copy() {
    use sea_orm::ConnectionTrait;
    let t = TestApp::sqlite().await;
    let sql = "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p \
               WHERE m.type = 'table' AND (p.name LIKE '%org_path' OR p.name = 'owner_path') ORDER BY m.name, p.name";
    let rows =
        t.app.db.query_all_raw(sea_orm::Statement::from_string(t.app.db.get_database_backend(), sql)).await.unwrap();
    let mut found: Vec<(String, String)> =
        rows.iter().map(|r| (r.try_get("", "t").unwrap(), r.try_get("", "c").unwrap())).collect();
    found.sort();
    let mut moved: Vec<(String, String)> = honglian_store::repo::organisations::orgs::PATH_COPIES
        .iter()
        .map(|(t, c)| (t.to_string(), c.to_string()))
        .collect();
    moved.sort();
    assert_eq!(found, moved, "tables with a path copy vs the tables a move rewrites");
}
