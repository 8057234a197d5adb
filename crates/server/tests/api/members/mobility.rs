//! Mobile members: outflow → map and ledger → export; return; inflow; contacts,
//! lost contact and suspension proposals; census.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, items, sheet};

fn city_count(stats: &Value, code: &str) -> i64 {
    stats["by_city"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .map(|c| c["count"].as_i64().unwrap())
        .unwrap_or(0)
}

async fn outflow_map_ledger_export_return(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let before = w.get("/api/v1/stats/outflow").await.body;
    assert!((3800..4000).contains(&before["total"].as_i64().unwrap()), "近4000 mobile members: {}", before["total"]);
    assert_eq!(before["by_city"].as_array().unwrap().len(), 15);
    assert_eq!(before["by_province"].as_array().unwrap().len(), 5);
    assert_eq!(before["by_province"][0]["name"], "广东省");
    // A member of a home branch without an open outflow.
    let home = t.org_id("梅菉街道梅岭村第一党支部").await;
    let list = w.get(&format!("/api/v1/members?org={home}&status=normal&per_page=200")).await.body;
    let mut candidate = None;
    for m in list["items"].as_array().unwrap() {
        let id = m["id"].as_i64().unwrap();
        let h = w.get(&format!("/api/v1/members/{id}/mobility")).await.body;
        if !h["items"].as_array().unwrap().iter().any(|r| r["status"] == "open") {
            candidate = Some((id, m["name"].as_str().unwrap().to_string()));
            break;
        }
    }
    let (mid, name) = candidate.expect("someone at home");
    let hk = t.org_id("海口吴川商会党支部").await;
    let bad = w
        .post(
            "/api/v1/outflows",
            json!({"member_id": mid, "province_code": "460000", "city_code": "440100", "start_date": "2099-01-01"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["errors"]["city_code"][0], "城市不属于所选省份");
    assert_eq!(bad.body["errors"]["reason"][0], "请选择外出原因");
    assert_eq!(bad.body["errors"]["start_date"][0], "外出日期不能晚于今天");
    let r = w
        .post(
            "/api/v1/outflows",
            json!({"member_id": mid, "province_code": "460000", "city_code": "460100", "county_code": "460106", "address": "海口市龙华区某路 8 号",
                   "employer": "海口某装饰公司", "occupation": "装修工", "reason": "work_business", "start_date": "2026-09-01",
                   "receiving_org_id": hk, "mobile_card_no": "WC-TEST-1", "contact_person": "陈立新"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["place"], "海南省 海口市 龙华区");
    // Employer and occupation are the member's: the outflow form writes them there, typed once.
    assert_eq!(r.body["employer"], "海口某装饰公司");
    let member = w.get(&format!("/api/v1/members/{mid}")).await.body;
    assert_eq!((&member["employer"], &member["occupation"]), (&json!("海口某装饰公司"), &json!("装修工")));
    assert_eq!(member["away"], true, "外出中");
    assert_eq!(r.body["receiving_org_name"], "海口吴川商会党支部");
    let rid = r.body["id"].as_i64().unwrap();
    let again = w.post("/api/v1/outflows", json!({"member_id": mid, "province_code": "440000", "city_code": "440100", "reason": "study", "start_date": "2026-10-01"})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.body["title"], "该党员已有未结束的外出登记，请先登记回归");
    // The map and the ranked bars count it.
    let after = w.get("/api/v1/stats/outflow").await.body;
    assert_eq!(after["total"].as_i64().unwrap(), before["total"].as_i64().unwrap() + 1);
    assert_eq!(city_count(&after, "460100"), city_count(&before, "460100") + 1);
    // The ledger lists it, filtered by destination and date.
    let ledger = w.get("/api/v1/ledgers/outflow?city=460100&from=2026-09-01&to=2026-09-01").await.body;
    assert_eq!(ledger["total"], 1, "{ledger}");
    assert_eq!(ledger["items"][0]["name"], name);
    assert!(ledger["items"][0]["id_number"].as_str().unwrap().contains("*****"));
    // One source: a change on the member record is what the ledger shows.
    let edited = w.patch(&format!("/api/v1/members/{mid}"), json!({"employer": "海口某建筑公司"})).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    let ledger = w.get("/api/v1/ledgers/outflow?city=460100&from=2026-09-01&to=2026-09-01").await.body;
    assert_eq!(ledger["items"][0]["employer"], "海口某建筑公司");
    assert_eq!(ledger["items"][0]["occupation"], "装修工");
    // The receiving branch sees the member it receives, and the outflow in its ledger.
    let hk_admin_view = w.get(&format!("/api/v1/ledgers/outflow?org={hk}&per_page=200")).await.body;
    assert!(hk_admin_view["items"].as_array().unwrap().iter().any(|i| i["id"] == rid));

    // Export with the same filter and read the file back.
    let x = w.get("/api/v1/ledgers/outflow.xlsx?city=460100&from=2026-09-01&to=2026-09-01").await;
    assert_eq!(x.status, StatusCode::OK);
    assert!(x.headers["content-disposition"].to_str().unwrap().contains("filename*=UTF-8''"));
    let rows = sheet(&x.bytes);
    assert!(rows[0][0].contains("外出党员台账"), "title row: {:?}", rows[0]);
    assert!(
        rows[1][0].contains("日期：") && rows[1][0].contains("导出人") && rows[1][0].contains("海口市"),
        "{:?}",
        rows[1]
    );
    assert_eq!(&rows[2][..4], &["序号", "姓名", "性别", "出生年份"]);
    assert_eq!(rows.len(), 4, "title, subtitle, header and one member");
    assert_eq!(rows[3][1], name);
    assert!(rows[3][4].contains("*****"), "masked without a reason: {}", rows[3][4]);
    // The data cells carry no borders: the printed ledger's grid is the sheet's print gridlines.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(x.bytes.to_vec())).expect("an xlsx is a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").expect("the first sheet"), &mut xml)
        .unwrap();
    assert!(xml.contains(r#"gridLines="1""#), "printed with gridlines");
    let plain = w.get("/api/v1/ledgers/outflow.xlsx?city=460100&from=2026-09-01&to=2026-09-01&unmask_reason=%E6%A0%B8%E5%AF%B9%E5%8F%B0%E8%B4%A6").await;
    let rows = sheet(&plain.bytes);
    assert_eq!(rows[3][4].len(), 18, "plaintext with the unmask permission and a reason");
    let i = t.login("instructor").await;
    let denied = i.get("/api/v1/ledgers/outflow.xlsx?unmask_reason=%E6%A0%B8%E5%AF%B9").await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let a = t.login("auditor").await;
    let ev = a.get("/api/v1/audit-events?action=ledger.export").await.body;
    assert_eq!(ev["total"], 2);
    assert_eq!(ev["items"][0]["detail"]["unmasked"], true);
    assert_eq!(ev["items"][0]["detail"]["filter"]["city"], "460100");
    assert_eq!(ev["items"][1]["detail"]["rows"], 1);

    // Return closes it: out of the outflow ledger, into the return ledger and off the map.
    let ret = w.post(&format!("/api/v1/outflows/{rid}/return"), json!({"returned_on": "2026-11-01", "current_place": "吴川市梅菉街道", "relationship_stays": true, "note": "返乡创业"})).await;
    assert_eq!(ret.status, StatusCode::OK, "{}", ret.body);
    assert_eq!(ret.body["status"], "closed");
    let back = w.get("/api/v1/ledgers/return?from=2026-11-01&to=2026-11-01").await.body;
    assert!(back["items"].as_array().unwrap().iter().any(|i| i["id"] == rid));
    assert_eq!(w.get("/api/v1/stats/outflow").await.body["total"], before["total"]);
    let hist = w.get(&format!("/api/v1/members/{mid}/mobility")).await.body;
    assert_eq!(hist["items"][0]["end_note"], "返乡创业");
    // The closed outflow keeps where the member worked while away; the member record moves on.
    w.patch(&format!("/api/v1/members/{mid}"), json!({"employer": "吴川某电商", "occupation": "店主"})).await;
    let hist = w.get(&format!("/api/v1/members/{mid}/mobility")).await.body;
    assert_eq!(hist["items"][0]["employer"], "海口某建筑公司");
    assert_eq!(w.get(&format!("/api/v1/members/{mid}")).await.body["away"], false);
    // Registering the return is a contact with the member.
    let log = w.get(&format!("/api/v1/members/{mid}/contacts")).await.body;
    assert_eq!(log["items"][0]["kind"], "return", "{log}");
    assert_eq!(log["items"][0]["contacted_on"], "2026-11-01");
    // A new outflow may follow the return.
    let next = w.post("/api/v1/outflows", json!({"member_id": mid, "province_code": "440000", "city_code": "440100", "reason": "work_business", "start_date": "2026-11-10"})).await;
    assert_eq!(next.status, StatusCode::CREATED, "{}", next.body);
}
crate::both!(outflow_map_ledger_export_return);

async fn receiving_branch_sees_its_members(t: TestApp) {
    let g = t.login("gz_branch").await;
    let demo = t.app.user_by_name("member_demo").await.unwrap().unwrap().member_id.unwrap();
    let m = g.get(&format!("/api/v1/members/{demo}")).await;
    assert_eq!(m.status, StatusCode::OK, "the 广州 branch receives member_demo");
    assert_eq!((&m.body["away"], &m.body["home"]), (&json!(true), &json!(false)), "received, not managed");
    let w = t.login("wuchuan_admin").await;
    assert_eq!(w.get(&format!("/api/v1/members/{demo}")).await.body["home"], true);
    let hist = g.get(&format!("/api/v1/members/{demo}/mobility")).await.body;
    assert_eq!(hist["items"][0]["city_code"], "440100");
    assert_eq!(hist["items"][0]["receiving_org_name"], "广州吴川商会党支部");
    let stats = g.get("/api/v1/stats/outflow").await.body;
    assert!(stats["total"].as_i64().unwrap() > 100);
    assert!(
        stats["by_city"].as_array().unwrap().iter().all(|c| c["code"] == "440100"),
        "only members received in 广州"
    );
    // Its lost-contact list covers the members it receives.
    let lost = g.get("/api/v1/lost-contacts?per_page=100").await.body;
    assert!(lost["total"].as_u64().unwrap() > 0, "{lost}");
    assert!(lost["items"].as_array().unwrap().iter().all(|l| l["receiving_org_name"] == "广州吴川商会党支部"));
    // It may log a contact with a member it receives, but not edit their record.
    let c = g
        .post(
            &format!("/api/v1/members/{demo}/contacts"),
            json!({"kind": "visit", "contacted_on": "2026-11-20", "note": "到工地走访"}),
        )
        .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
    let edit = g.patch(&format!("/api/v1/members/{demo}"), json!({"employer": "x"})).await;
    assert_eq!(edit.status, StatusCode::FORBIDDEN, "membership matters belong to the home branch");
    assert!(edit.body["title"].as_str().unwrap().contains("由党员所在党组织办理"), "{}", edit.body);
    // The member sees their own mobility record.
    let me = t.login("member_demo").await;
    assert_eq!(me.get(&format!("/api/v1/members/{demo}/mobility")).await.body["total"], 1);
}
crate::both!(receiving_branch_sees_its_members);

async fn lost_contact_cleared_and_suspension_proposed(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let lost = w.get("/api/v1/lost-contacts?away=true&suspended=false&per_page=200").await.body;
    let n = lost["total"].as_i64().unwrap();
    assert!(n > 50, "about 3 % of Wuchuan's mobile members are lost: {n}");
    let first = &lost["items"][0];
    assert!(first["days_since_contact"].as_i64().unwrap() >= 180);
    assert!(first["contact_person"].as_str().is_some());
    let a = first["member_id"].as_i64().unwrap();
    let b = lost["items"][1]["member_id"].as_i64().unwrap();
    // A suspension can be proposed; it is recorded, never applied.
    let p = w
        .post(&format!("/api/v1/members/{b}/suspension-proposals"), json!({"reason": "多方查找半年以上仍无法取得联系"}))
        .await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
    assert_eq!(w.get(&format!("/api/v1/members/{b}")).await.body["status"], "normal");
    let again = w.get("/api/v1/lost-contacts?away=true&suspended=false&per_page=200").await.body;
    assert_eq!(
        again["items"].as_array().unwrap().iter().find(|i| i["member_id"] == b).unwrap()["suspension_proposed"],
        true
    );
    // A missed call is logged but does not clear 失联; reaching them does.
    let missed = w
        .post(
            &format!("/api/v1/members/{a}/contacts"),
            json!({"kind": "call", "contacted_on": "2026-11-20", "reached": false, "note": "无人接听"}),
        )
        .await;
    assert_eq!(missed.status, StatusCode::CREATED);
    assert_eq!(w.get("/api/v1/lost-contacts?away=true&suspended=false&per_page=1").await.body["total"], n);
    let reached = w
        .post(
            &format!("/api/v1/members/{a}/contacts"),
            json!({"kind": "wechat", "contacted_on": "2026-11-21", "note": "微信联系上，在深圳务工"}),
        )
        .await;
    assert_eq!(reached.status, StatusCode::CREATED);
    assert_eq!(w.get("/api/v1/lost-contacts?away=true&suspended=false&per_page=1").await.body["total"], n - 1);
    let log = w.get(&format!("/api/v1/members/{a}/contacts")).await.body;
    assert_eq!(log["items"][0]["kind_label"], "微信");
    // The demo also has members at home who cannot be reached, and suspended members still not found.
    let home = w.get("/api/v1/lost-contacts?away=false&suspended=false&per_page=1").await.body;
    assert!(home["total"].as_i64().unwrap() > 0, "{home}");
    let suspended = w.get("/api/v1/lost-contacts?suspended=true&per_page=200").await.body;
    let stages: Vec<&str> = items(&suspended).iter().map(|l| l["stage"].as_str().unwrap()).collect();
    assert!(stages.contains(&"suspended") && stages.contains(&"removal_due"), "{stages:?}");
    assert!(items(&suspended).iter().all(|l| l["suspended_on"].is_string()));
    // A member in touch cannot be proposed for suspension.
    let refused = w.post(&format!("/api/v1/members/{a}/suspension-proposals"), json!({"reason": "试试"})).await;
    assert_eq!(refused.body["errors"]["member_id"][0], "该党员未达到失联标准，不能建议停止党籍");
    let future =
        w.post(&format!("/api/v1/members/{a}/contacts"), json!({"kind": "call", "contacted_on": "2099-01-01"})).await;
    assert_eq!(future.body["errors"]["contacted_on"][0], "联系日期不能晚于今天");
}
crate::both!(lost_contact_cleared_and_suspension_proposed);

async fn members_approaching_the_limit_are_asked_for_before_they_are_lost(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let soon = w.get("/api/v1/lost-contacts?soon=true&per_page=200").await.body;
    let n = soon["total"].as_i64().unwrap();
    assert!(n > 10, "the demo has members last reached five to six months ago: {soon}");
    let today = chrono::Utc::now().date_naive();
    for l in items(&soon) {
        assert_eq!(l["stage"], "approaching", "{l}");
        assert_eq!(l["status"], "normal");
        let on: chrono::NaiveDate = l["lost_on"].as_str().unwrap().parse().unwrap();
        // (The server's day is China's, up to a day ahead of UTC's.)
        assert!(on > today && on <= today + chrono::Days::new(31), "reaches the limit within 30 days: {l}");
    }
    // Nobody is both lost and approaching.
    let lost = w.get("/api/v1/lost-contacts?per_page=200").await.body;
    let lost_ids: Vec<&Value> = items(&lost).iter().map(|l| &l["member_id"]).collect();
    assert!(items(&soon).iter().all(|l| !lost_ids.contains(&&l["member_id"])));
    // The workbench asks for a call, one click from the list; a call clears the member from it.
    let bench = w.get("/api/v1/workbench").await.body;
    let item = bench["items"].as_array().unwrap().iter().find(|i| i["key"] == "lost_soon").expect("workbench item");
    assert_eq!(item["count"], n);
    assert_eq!(item["link"], "/mobility/lost?soon=true");
    let first = soon["items"][0]["member_id"].as_i64().unwrap();
    let c = w
        .post(&format!("/api/v1/members/{first}/contacts"), json!({"kind": "call", "contacted_on": today.to_string()}))
        .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
    assert_eq!(w.get("/api/v1/lost-contacts?soon=true&per_page=1").await.body["total"], n - 1);
    // Jinxiang's admin sees none of Wuchuan's.
    let j = t.login("jinxiang_admin").await;
    let theirs = j.get("/api/v1/lost-contacts?soon=true&per_page=200").await.body;
    assert!(items(&theirs).iter().all(|l| l["member_id"].as_i64() != Some(first)));
}
crate::both!(members_approaching_the_limit_are_asked_for_before_they_are_lost);

async fn census_campaign_round_trip(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let list = w.get("/api/v1/censuses").await.body;
    assert_eq!(list["total"], 2, "one closed and one open census in the demo");
    let closed = list["items"].as_array().unwrap().iter().find(|c| c["status"] == "closed").unwrap();
    assert_eq!(closed["completion"], 1.0);
    let open = list["items"].as_array().unwrap().iter().find(|c| c["status"] == "open").unwrap();
    let c = open["completion"].as_f64().unwrap();
    assert!(c > 0.5 && c < 0.8, "{c}");
    // Progress varies by branch: some done, others part of the way.
    let shares: Vec<f64> =
        open["by_org"].as_array().unwrap().iter().map(|o| o["completion"].as_f64().unwrap()).collect();
    assert!(shares.contains(&1.0) && shares.iter().any(|&s| s < 0.5), "{shares:?}");
    // A town committee starts its own census for a new quarter.
    let town = t.org_id("中共吴川市长岐镇委员会").await;
    let bad = w.post("/api/v1/censuses", json!({"name": "测试", "period": "2026年四季度", "org_id": town})).await;
    assert_eq!(bad.body["errors"]["period"][0], "期间应写成 2026-Q4 这样的季度");
    let created = w
        .post("/api/v1/censuses", json!({"name": "长岐镇2027年第一季度摸排", "period": "2027-Q1", "org_id": town}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["id"].as_i64().unwrap();
    let total = created.body["total"].as_i64().unwrap();
    assert!(total > 100);
    assert_eq!(created.body["verified"], 0);
    assert!(created.body["by_org"].as_array().unwrap().len() >= 3);
    let dup = w.post("/api/v1/censuses", json!({"name": "重复", "period": "2027-Q1", "org_id": town})).await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    // Verify one member.
    let entries = w.get(&format!("/api/v1/censuses/{id}/entries?verified=false&per_page=2")).await.body;
    let e = entries["items"][0].clone();
    let eid = e["id"].as_i64().unwrap();
    let mid = e["member_id"].as_i64().unwrap();
    let need_place = w.put(&format!("/api/v1/censuses/{id}/entries/{eid}"), json!({"reached": true})).await;
    assert_eq!(need_place.body["errors"]["current_place"][0], "已联系上的党员请填写现所在地");
    let ok = w
        .put(&format!("/api/v1/censuses/{id}/entries/{eid}"), json!({"reached": true, "current_place": "深圳市宝安区", "current_employer": "深圳某科技公司", "thoughts": "积极向上", "needs": "希望参加线上学习"}))
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let progress = w.get(&format!("/api/v1/censuses/{id}")).await.body;
    assert_eq!(progress["verified"], 1);
    assert!((progress["completion"].as_f64().unwrap() - 1.0 / total as f64).abs() < 1e-9);
    // Closing writes the results to the member and the contact log.
    let closed = w.post(&format!("/api/v1/censuses/{id}/close"), json!({})).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    assert_eq!(closed.body["status"], "closed");
    assert_eq!(w.get(&format!("/api/v1/members/{mid}")).await.body["employer"], "深圳某科技公司");
    let log = w.get(&format!("/api/v1/members/{mid}/contacts")).await.body;
    let census =
        log["items"].as_array().unwrap().iter().find(|c| c["kind"] == "census").expect("a census entry in the log");
    assert!(census["note"].as_str().unwrap().contains("深圳市宝安区"));
    let mob = w.get(&format!("/api/v1/members/{mid}/mobility")).await.body;
    assert_eq!(mob["items"][0]["address"], "深圳市宝安区");
    let late = w.put(&format!("/api/v1/censuses/{id}/entries/{eid}"), json!({"reached": false})).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    // The 广州 branch sees the county census but only its own part, and may not close it.
    let g = t.login("gz_branch").await;
    let open_id = open["id"].as_i64().unwrap();
    let part = g.get(&format!("/api/v1/censuses/{open_id}")).await.body;
    assert!(part["total"].as_i64().unwrap() < open["total"].as_i64().unwrap());
    assert_eq!(g.post(&format!("/api/v1/censuses/{open_id}/close"), json!({})).await.status, StatusCode::FORBIDDEN);
}
crate::both!(census_campaign_round_trip);

async fn inflow_members_take_part_here(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let village = t.org_id("塘㙍镇山基村第一党支部").await;
    let missing = w.post("/api/v1/inflows", json!({"receiving_org_id": village})).await;
    let e = &missing.body["errors"];
    assert_eq!(e["name"][0], "姓名不能为空");
    assert_eq!(e["id_number"][0], "身份证号不能为空");
    assert_eq!(e["external_org_name"][0], "原所在党组织不能为空");
    let idn = crate::helpers::id_number("450100", 1991, 5, 5, 3);
    let r = w
        .post("/api/v1/inflows", json!({"receiving_org_id": village, "name": "韦小宝", "id_number": idn, "phone": "13700001234", "province_code": "450000", "city_code": "450100",
                                         "external_org_name": "南宁市某社区党支部", "external_org_contact": "0771-1234567", "employer": "吴川某羽绒厂", "start_date": "2026-03-01"}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    let ledger = w.get(&format!("/api/v1/ledgers/inflow?org={village}")).await.body;
    let item = ledger["items"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap().clone();
    assert_eq!(item["name"], "韦小宝");
    assert_eq!(item["phone"], "*******1234");
    assert_eq!(item["place"], "广西壮族自治区 南宁市");
    let end = w.post(&format!("/api/v1/inflows/{id}/end"), json!({"ended_on": "2026-11-01"})).await;
    assert_eq!(end.body["status"], "closed");
    let after = w.get(&format!("/api/v1/ledgers/inflow?org={village}")).await.body;
    assert!(!after["items"].as_array().unwrap().iter().any(|i| i["id"] == id));
}
crate::both!(inflow_members_take_part_here);

/// The outflow statistics of `org` (None: the caller's scope) agree with the ledger and the
/// lost-contact list, which count the records themselves: total, each province, city and reason,
/// and the lost count. Returns the statistics.
async fn stats_agree_with_ledger(w: &crate::helpers::Client, org: Option<i64>) -> Value {
    let q = org.map(|o| format!("org={o}&")).unwrap_or_default();
    let s = w.get(&format!("/api/v1/stats/outflow?{q}")).await.body;
    let total = |filter: String| async move {
        w.get(&format!("/api/v1/ledgers/outflow?{filter}per_page=1")).await.body["total"].as_i64().unwrap()
    };
    assert_eq!(s["total"].as_i64().unwrap(), total(q.clone()).await, "total of {org:?}: {s}");
    for (list, param, key) in
        [("by_province", "province", "code"), ("by_city", "city", "code"), ("by_reason", "reason", "key")]
    {
        let mut sum = 0;
        for c in s[list].as_array().unwrap() {
            let n = c["count"].as_i64().unwrap();
            sum += n;
            assert_eq!(n, total(format!("{q}{param}={}&", c[key].as_str().unwrap())).await, "{list} of {org:?}: {c}");
        }
        assert_eq!(sum, s["total"].as_i64().unwrap(), "{list} of {org:?} adds up");
    }
    let named: i64 = s["by_receiving_org"].as_array().unwrap().iter().map(|c| c["count"].as_i64().unwrap()).sum();
    assert_eq!(named, s["total"].as_i64().unwrap());
    // The statistics count mobile members out of touch whose membership is not suspended.
    let lost = w.get(&format!("/api/v1/lost-contacts?{q}away=true&suspended=false&per_page=1")).await.body["total"]
        .as_i64()
        .unwrap();
    assert_eq!(s["lost_contact"].as_i64().unwrap(), lost, "lost contact of {org:?}");
    s
}

fn received_by(stats: &Value, name: &str) -> i64 {
    stats["by_receiving_org"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .map(|c| c["count"].as_i64().unwrap())
        .unwrap_or(0)
}

/// The outflow statistics are read from per-organisation tallies kept by triggers: they follow an
/// outflow's creation and return, a contact, a member's transfer, an organisation's move and rename,
/// for the home organisation, the receiving one and their ancestors.
async fn outflow_stats_follow_every_write(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let home = t.org_id("梅菉街道梅岭村第一党支部").await;
    let home_parent = w.get(&format!("/api/v1/orgs/{home}")).await.body["parent_id"].as_i64().unwrap();
    let gz = t.org_id("广州吴川商会党支部").await;
    let gz_parent = w.get(&format!("/api/v1/orgs/{gz}")).await.body["parent_id"].as_i64().unwrap();
    let sz = t.org_id("深圳吴川商会党支部").await;
    let orgs = [None, Some(home), Some(home_parent), Some(gz), Some(gz_parent), Some(sz)];
    let check = || async {
        let mut v = Vec::new();
        for o in orgs {
            v.push(stats_agree_with_ledger(&w, o).await);
        }
        v
    };
    let before = check().await;

    // An outflow from the home branch, received in 广州.
    let list = w.get(&format!("/api/v1/members?org={home}&status=normal&per_page=200")).await.body;
    let mut at_home = None;
    for m in list["items"].as_array().unwrap() {
        let id = m["id"].as_i64().unwrap();
        let h = w.get(&format!("/api/v1/members/{id}/mobility")).await.body;
        if !h["items"].as_array().unwrap().iter().any(|r| r["status"] == "open") {
            at_home = Some(id);
            break;
        }
    }
    let mid = at_home.expect("someone at home");
    let r = w
        .post(
            "/api/v1/outflows",
            json!({"member_id": mid, "province_code": "460000", "city_code": "460100", "reason": "study",
                   "start_date": "2020-01-01", "receiving_org_id": gz}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let rid = r.body["id"].as_i64().unwrap();
    let after = check().await;
    for (i, (b, a)) in before.iter().zip(&after).enumerate() {
        let delta = if orgs[i] == Some(sz) { 0 } else { 1 };
        assert_eq!(a["total"].as_i64().unwrap(), b["total"].as_i64().unwrap() + delta, "{:?}", orgs[i]);
        assert_eq!(city_count(a, "460100"), city_count(b, "460100") + delta, "{:?}", orgs[i]);
    }
    assert_eq!(received_by(&after[3], "广州吴川商会党支部"), received_by(&before[3], "广州吴川商会党支部") + 1);

    // A contact: no longer lost (the outflow started long ago, so it was).
    let lost_before = after[1]["lost_contact"].as_i64().unwrap();
    let lost = w.get(&format!("/api/v1/lost-contacts?org={home}&per_page=200")).await.body;
    assert!(lost["items"].as_array().unwrap().iter().any(|l| l["member_id"] == mid), "lost: {lost}");
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let c = w
        .post(
            &format!("/api/v1/members/{mid}/contacts"),
            json!({"kind": "call", "contacted_on": today, "note": "联系上"}),
        )
        .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
    let contacted = check().await;
    assert_eq!(contacted[1]["lost_contact"].as_i64().unwrap(), lost_before - 1);

    // The member is transferred to the 深圳 branch: it counts there, no longer in the home branch.
    let tr = w.post(&format!("/api/v1/members/{mid}/transfer"), json!({"org_id": sz, "note": "工作调动"})).await;
    assert_eq!(tr.status, StatusCode::OK, "{}", tr.body);
    let moved = check().await;
    assert_eq!(moved[1]["total"].as_i64().unwrap(), before[1]["total"].as_i64().unwrap());
    assert_eq!(moved[5]["total"].as_i64().unwrap(), before[5]["total"].as_i64().unwrap() + 1);
    assert_eq!(moved[3]["total"], after[3]["total"], "still received in 广州");

    // The receiving branch moves under the home branch's parent, then is renamed.
    let gz_total = moved[3]["total"].as_i64().unwrap();
    let mv = w.post(&format!("/api/v1/orgs/{gz}/move"), json!({"new_parent_id": home_parent})).await;
    assert_eq!(mv.status, StatusCode::OK, "{}", mv.body);
    let org_moved = check().await;
    assert!(org_moved[2]["total"].as_i64().unwrap() > moved[2]["total"].as_i64().unwrap());
    assert!(org_moved[2]["total"].as_i64().unwrap() <= moved[2]["total"].as_i64().unwrap() + gz_total);
    assert!(org_moved[4]["total"].as_i64().unwrap() < moved[4]["total"].as_i64().unwrap());
    assert_eq!(org_moved[0]["total"], moved[0]["total"], "the county counts each outflow once");
    let rn = w.patch(&format!("/api/v1/orgs/{gz}"), json!({"name": "广州吴川商会第一党支部"})).await;
    assert_eq!(rn.status, StatusCode::OK, "{}", rn.body);
    let renamed = stats_agree_with_ledger(&w, Some(gz)).await;
    assert_eq!(received_by(&renamed, "广州吴川商会第一党支部"), received_by(&org_moved[3], "广州吴川商会党支部"));

    // The return closes it everywhere.
    let ret = w
        .post(&format!("/api/v1/outflows/{rid}/return"), json!({"returned_on": today, "relationship_stays": true}))
        .await;
    assert_eq!(ret.status, StatusCode::OK, "{}", ret.body);
    let back = check().await;
    assert_eq!(back[0]["total"].as_i64().unwrap(), before[0]["total"].as_i64().unwrap());
    assert_eq!(back[5]["total"].as_i64().unwrap(), before[5]["total"].as_i64().unwrap());
    assert_eq!(city_count(&back[0], "460100"), city_count(&before[0], "460100"));
}
crate::both!(outflow_stats_follow_every_write);

fn today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

fn months_ago(n: u32) -> chrono::NaiveDate {
    today().checked_sub_months(chrono::Months::new(n)).unwrap()
}

/// Issue 16: the chamber branch receiving members (广州) verifies them in a census and logs contacts;
/// membership matters (suspension, the record, the return) stay with the home branch, which sees
/// the receiving branch's results.
async fn receiving_branch_does_its_part(t: TestApp) {
    let g = t.login("gz_branch").await;
    let w = t.login("wuchuan_admin").await;
    let gz_name = "广州吴川商会党支部";
    // The county's open census: the 广州 branch sees the members it receives, to verify.
    let list = g.get("/api/v1/censuses").await.body;
    let open = items(&list).iter().find(|c| c["status"] == "open").expect("the open census").clone();
    let id = open["id"].as_i64().unwrap();
    assert!(open["total"].as_i64().unwrap() > 100, "{open}");
    let todo = g.get(&format!("/api/v1/censuses/{id}/entries?verified=false&per_page=200")).await.body;
    assert!(todo["total"].as_i64().unwrap() > 0, "entries to verify: {todo}");
    assert!(items(&todo).iter().all(|e| e["receiving_org_name"] == gz_name), "only those it receives");
    let e = items(&todo)[0].clone();
    let (eid, mid) = (e["id"].as_i64().unwrap(), e["member_id"].as_i64().unwrap());
    let home_org = e["org_id"].as_i64().unwrap();
    let ok = g
        .put(
            &format!("/api/v1/censuses/{id}/entries/{eid}"),
            json!({"reached": true, "current_place": "广州市白云区", "current_employer": "广州某服装厂", "thoughts": "思想稳定"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    // The home side sees the result: the entry under the member's organisation, verified by 广州.
    let seen = w.get(&format!("/api/v1/censuses/{id}/entries?org={home_org}&verified=true&per_page=200")).await.body;
    let mine = items(&seen).iter().find(|x| x["id"] == eid).expect("the home side sees the verified entry").clone();
    assert_eq!(mine["current_place"], "广州市白云区");
    assert_eq!(mine["verified_by_name"], "广州吴川商会党支部 党务工作者");
    assert_eq!(mine["receiving_org_name"], gz_name);
    // A contact logged by 广州 is in the member's log the home side reads.
    let c = g
        .post(
            &format!("/api/v1/members/{mid}/contacts"),
            json!({"kind": "visit", "contacted_on": today(), "note": "到厂里走访"}),
        )
        .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
    let log = w.get(&format!("/api/v1/members/{mid}/contacts")).await.body;
    assert!(items(&log).iter().any(|x| x["note"] == "到厂里走访" && x["by_name"] == "广州吴川商会党支部 党务工作者"));
    // A town's own census: 广州 sees the campaign for the members it receives from that town.
    let town = t.org_id("中共吴川市长岐镇委员会").await;
    let created = w
        .post("/api/v1/censuses", json!({"name": "长岐镇2027年第一季度摸排", "period": "2027-Q1", "org_id": town}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let town_census = created.body["id"].as_i64().unwrap();
    let part = g.get(&format!("/api/v1/censuses/{town_census}")).await;
    assert_eq!(part.status, StatusCode::OK, "{}", part.body);
    let n = part.body["total"].as_i64().unwrap();
    assert!(n > 0 && n < created.body["total"].as_i64().unwrap(), "its part of the town's census: {n}");
    let entries = g.get(&format!("/api/v1/censuses/{town_census}/entries?per_page=200")).await.body;
    assert_eq!(entries["total"].as_i64().unwrap(), n);
    assert!(items(&g.get("/api/v1/censuses").await.body).iter().any(|c| c["id"] == town_census));
    // An entry it does not receive stays out of reach.
    let other = w.get(&format!("/api/v1/censuses/{town_census}/entries?per_page=200")).await.body;
    let foreign = items(&other).iter().find(|x| x["receiving_org_name"] != gz_name).unwrap()["id"].as_i64().unwrap();
    let refused = g.put(&format!("/api/v1/censuses/{town_census}/entries/{foreign}"), json!({"reached": false})).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(g.post(&format!("/api/v1/censuses/{town_census}/close"), json!({})).await.status, StatusCode::FORBIDDEN);

    // Lost members it receives: listed for it, but suspension is the home branch's to propose.
    let lost = g.get("/api/v1/lost-contacts?per_page=200").await.body;
    let l =
        items(&lost).iter().find(|l| l["receiving_org_name"] == gz_name).expect("a lost member it receives").clone();
    assert_eq!(l["home"], false);
    let lid = l["member_id"].as_i64().unwrap();
    let p = g
        .post(
            &format!("/api/v1/members/{lid}/suspension-proposals"),
            json!({"reason": "多方查找半年以上仍无法取得联系"}),
        )
        .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN, "{}", p.body);
    assert!(p.body["title"].as_str().unwrap().contains("由党员所在党组织办理"), "{}", p.body);
    let gz = t.org_id(gz_name).await;
    let home_view = w.get(&format!("/api/v1/lost-contacts?org={gz}&per_page=200")).await.body;
    assert!(items(&home_view).iter().any(|x| x["member_id"] == lid && x["home"] == true));
    let p = w
        .post(
            &format!("/api/v1/members/{lid}/suspension-proposals"),
            json!({"reason": "多方查找半年以上仍无法取得联系"}),
        )
        .await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
    // Nor may it register the member's return or transfer them.
    let outflow = w.get(&format!("/api/v1/members/{lid}/mobility")).await.body["items"][0]["id"].as_i64().unwrap();
    let ret = g
        .post(
            &format!("/api/v1/outflows/{outflow}/return"),
            json!({"returned_on": today(), "relationship_stays": true}),
        )
        .await;
    assert_eq!(ret.status, StatusCode::FORBIDDEN, "{}", ret.body);
    let tr = g.post(&format!("/api/v1/members/{lid}/transfer"), json!({"org_id": gz})).await;
    assert_eq!(tr.status, StatusCode::FORBIDDEN, "{}", tr.body);

    // Closing the census writes 广州's findings to the member record, for the home side.
    let closed = w.post(&format!("/api/v1/censuses/{id}/close"), json!({})).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    assert_eq!(w.get(&format!("/api/v1/members/{mid}")).await.body["employer"], "广州某服装厂");
}
crate::both!(receiving_branch_does_its_part);

/// Issue 22.10: lost contact applies to members at home too (last reached, or first failed attempt,
/// older than the limit), and a suspended member stays in the list with the date of suspension and
/// the next step.
async fn lost_contact_at_home_and_after_suspension(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let home = t.org_id("梅菉街道梅岭村第一党支部").await;
    let at_home = w.get(&format!("/api/v1/members?org={home}&status=normal&mobility=local&per_page=20")).await.body;
    assert!(items(&at_home).iter().all(|m| m["away"] == false), "{at_home}");
    let listed = |v: &Value, id: i64| items(v).iter().find(|l| l["member_id"] == id).cloned();
    let lost_here = |q: &str| format!("/api/v1/lost-contacts?org={home}&{q}per_page=200");
    // Members at home nobody tried to reach are not lost.
    let before = w.get(&lost_here("")).await.body;
    let ids: Vec<i64> =
        items(&at_home).iter().map(|m| m["id"].as_i64().unwrap()).filter(|id| listed(&before, *id).is_none()).collect();
    assert!(ids.len() >= 3, "{at_home}");
    let (tried, quiet, recent) = (ids[0], ids[1], ids[2]);
    let contact = |id: i64, on: chrono::NaiveDate, reached: bool| {
        let w = &w;
        async move {
            let r = w
                .post(
                    &format!("/api/v1/members/{id}/contacts"),
                    json!({"kind": "call", "contacted_on": on, "reached": reached}),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
    };
    // Marked unreachable 6 months ago (never reached): lost. Last reached 6 months ago: lost.
    // Reached a day short of 6 months ago: not yet.
    contact(tried, months_ago(6), false).await;
    contact(tried, months_ago(1), false).await;
    contact(quiet, months_ago(6), true).await;
    contact(recent, months_ago(6).succ_opt().unwrap(), true).await;
    let lost = w.get(&lost_here("away=false&")).await.body;
    let l = listed(&lost, tried).expect("unreachable at home for 6 months is lost");
    assert_eq!((l["away"].clone(), l["home"].clone()), (json!(false), json!(true)));
    assert_eq!(l["unreachable_since"], json!(months_ago(6)));
    assert_eq!(l["quiet_since"], json!(months_ago(6)));
    assert_eq!(l["stage"], "lost");
    assert_eq!(listed(&lost, quiet).unwrap()["last_contact_on"], json!(months_ago(6)));
    assert!(listed(&lost, recent).is_none(), "a day short of six months");
    assert!(items(&lost).iter().all(|l| l["away"] == false));
    // The default list holds both, the statistics only the mobile members.
    let total = |q: &'static str| {
        let w = &w;
        async move { w.get(&format!("/api/v1/lost-contacts?{q}per_page=1")).await.body["total"].as_i64().unwrap() }
    };
    let (all, away, at_home) = (total("").await, total("away=true&").await, total("away=false&").await);
    assert_eq!(all, away + at_home);
    assert_eq!(total("away=true&suspended=false&").await, away, "no suspended member is away in the demo");
    let stats = w.get("/api/v1/stats/outflow").await.body;
    assert_eq!(stats["lost_contact"].as_i64().unwrap(), away);

    // Suspension may be proposed for a member at home, then the membership is suspended: the
    // member stays in the list, with the date and when removal is due.
    let p =
        w.post(&format!("/api/v1/members/{tried}/suspension-proposals"), json!({"reason": "半年多无法取得联系"})).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
    let future = w
        .patch(&format!("/api/v1/members/{tried}"), json!({"status": "suspended", "suspended_on": "2099-01-01"}))
        .await;
    assert_eq!(future.body["errors"]["suspended_on"][0], "停止党籍日期不能晚于今天");
    let s = w.patch(&format!("/api/v1/members/{tried}"), json!({"status": "suspended"})).await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.body);
    assert_eq!(s.body["suspended_on"], json!(today()), "today by default");
    let suspended = w.get(&lost_here("suspended=true&")).await.body;
    let l = listed(&suspended, tried).expect("a suspended member stays in the list");
    assert_eq!(l["status"], "suspended");
    assert_eq!(l["suspended_on"], json!(today()));
    assert_eq!(l["removal_due_on"], json!(today().checked_add_months(chrono::Months::new(24)).unwrap()));
    assert_eq!(l["stage"], "suspended");
    assert!(listed(&w.get(&lost_here("suspended=false&")).await.body, tried).is_none());
    let again = w.post(&format!("/api/v1/members/{tried}/suspension-proposals"), json!({"reason": "再次建议"})).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", again.body);
    // Suspended two years ago (the date recorded late): removal is due.
    let joined = w.get(&format!("/api/v1/members/{quiet}")).await.body["joined_on"].as_str().unwrap().to_string();
    let two_years = months_ago(24);
    if joined.as_str() <= two_years.to_string().as_str() {
        let s = w
            .patch(&format!("/api/v1/members/{quiet}"), json!({"status": "suspended", "suspended_on": two_years}))
            .await;
        assert_eq!(s.status, StatusCode::OK, "{}", s.body);
        let l = listed(&w.get(&lost_here("suspended=true&")).await.body, quiet).unwrap();
        assert_eq!(l["stage"], "removal_due");
        assert!(l["removal_due_on"].as_str().unwrap() <= today().to_string().as_str(), "{l}");
    }
    // Reaching the member ends it: out of the list, suspended or not.
    contact(tried, today(), true).await;
    assert!(listed(&w.get(&lost_here("")).await.body, tried).is_none());
    // Back to normal: the suspension date goes.
    let back = w.patch(&format!("/api/v1/members/{tried}"), json!({"status": "normal"})).await;
    assert_eq!(back.body["suspended_on"], Value::Null);
}
crate::both!(lost_contact_at_home_and_after_suspension);

/// 外出中: the member list filters and shows members with an open outflow; what a member picker
/// shows to tell namesakes apart (organisation, birth year, away) comes with each member.
async fn member_list_shows_who_is_away(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let away = w.get("/api/v1/members?mobility=outflow&per_page=50").await.body;
    assert!(away["total"].as_i64().unwrap() > 3000, "{}", away["total"]);
    assert!(items(&away).iter().all(|m| m["away"] == true));
    let local = w.get("/api/v1/members?mobility=local&per_page=50").await.body;
    assert!(items(&local).iter().all(|m| m["away"] == false));
    let m = &items(&away)[0];
    assert!(m["org_name"].as_str().is_some_and(|n| !n.is_empty()) && m["birth_year"].as_i64().is_some());
    assert!(m["id_number"].as_str().unwrap().starts_with("****************"), "masked: {}", m["id_number"]);
    let bad = w.get("/api/v1/members?mobility=away").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}
crate::both!(member_list_shows_who_is_away);

/// Away at one place for six months or more, a member may be proposed for a transfer of their
/// organisational relationship (issue 20): the outflow ledger says so, by the calendar.
async fn outflows_six_months_away_may_be_transferred(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let today = today();
    let recent = today.checked_sub_months(chrono::Months::new(5)).unwrap();
    let long_ago = today.checked_sub_months(chrono::Months::new(7)).unwrap();
    for (query, due) in [(format!("from={recent}"), false), (format!("to={long_ago}"), true)] {
        let page = w.get(&format!("/api/v1/ledgers/outflow?per_page=200&{query}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let rows: Vec<_> = items(&page.body).iter().filter(|r| r["member_id"].is_i64()).collect();
        assert!(!rows.is_empty(), "the demo has outflows with {query}");
        for r in rows {
            let start: chrono::NaiveDate = r["start_date"].as_str().unwrap().parse().unwrap();
            let on = start.checked_add_months(chrono::Months::new(6)).unwrap();
            assert_eq!(r["transfer_due_on"], on.to_string(), "{r}");
            assert_eq!(r["transfer_due"], due, "{r}");
        }
    }
}
crate::both!(outflows_six_months_away_may_be_transferred);
