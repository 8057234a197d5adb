//! 回乡工程 through the API: a chamber branch records a drive and the leads it brought, moves a lead
//! from lead to landed (forwards only, dated, landed with its amount, dropped with a reason); who
//! sees which (a chamber branch its own, the county all, another branch and another county nothing);
//! exact money over many leads; the unmoved-lead reminder at the county's days; the ledger as xlsx
//! and PDF read back; a drive's materials.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, items, pdf_pages, sheet};

fn days_ago(n: i64) -> String {
    ((chrono::Utc::now() + chrono::Duration::hours(8)).date_naive() - chrono::Duration::days(n)).to_string()
}

fn field_error(r: &crate::helpers::Resp, field: &str) {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", r.body);
    assert!(r.body["errors"][field].is_array(), "{field}: {}", r.body);
}

async fn drives_and_leads(t: TestApp) {
    let gz_org = t.org_id("广州吴川商会党支部").await;
    let sz_org = t.org_id("深圳吴川商会党支部").await;
    let gz = t.login("gz_branch").await;
    let member = t.member_in_org(gz_org).await;

    // A drive held by the chamber branch, with a member who came.
    let r = gz
        .post(
            "/api/v1/investment-drives",
            json!({"org_id": gz_org, "held_on": days_ago(40), "city": "广州", "title": "吴川—广州“双招双引”推介会",
                   "leaders": "吴川市委常委、统战部部长", "entrepreneurs": "陈某（广州某建材公司）\n李某（某食品公司）",
                   "member_ids": [member]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let drive = r.body["drive"]["id"].as_i64().unwrap();
    assert_eq!(r.body["drive"]["members"][0]["id"], member);
    assert_eq!(r.body["drive"]["can_edit"], true);
    let bad = gz
        .post(
            "/api/v1/investment-drives",
            json!({"org_id": gz_org, "held_on": days_ago(1), "city": " ", "title": "", "leaders": ""}),
        )
        .await;
    for f in ["city", "title", "leaders"] {
        field_error(&bad, f);
    }
    // Another county's member cannot be named: the branch does not read them.
    let jx_org = t.org_id("中共金乡县委员会").await;
    let stranger = t
        .sql_i64(&format!(
            "SELECT MIN(m.id) FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE '/{jx_org}/%'"
        ))
        .await;
    let r = gz
        .post(
            "/api/v1/investment-drives",
            json!({"org_id": gz_org, "held_on": days_ago(1), "city": "广州", "title": "x", "leaders": "y", "member_ids": [stranger]}),
        )
        .await;
    field_error(&r, "member_ids");
    // Nor an organisation outside the branch.
    let r = gz
        .post(
            "/api/v1/investment-drives",
            json!({"org_id": sz_org, "held_on": days_ago(1), "city": "深圳", "title": "x", "leaders": "y"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);

    // A lead from the drive: the city comes from it, the amount in exact fen.
    let r = gz
        .post(
            "/api/v1/investment-leads",
            json!({"org_id": gz_org, "drive_id": drive, "project": "年产十万吨绿色建材项目", "sector": "construction",
                   "investor": "广州某建材有限公司", "member_id": member, "town": "塘㙍镇", "amount": "12,000,000.05",
                   "recorded_on": days_ago(38), "next_step": "安排回乡考察"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let lead = r.body["lead"]["id"].as_i64().unwrap();
    assert_eq!(r.body["lead"]["city"], "广州");
    assert_eq!(r.body["lead"]["amount_fen"], 1_200_000_005i64);
    assert_eq!(r.body["lead"]["amount_wan"], "1,200.00");
    assert_eq!(r.body["lead"]["stage"], "lead");
    assert_eq!(r.body["lead"]["drive"]["id"], drive);
    assert_eq!(r.body["steps"].as_array().unwrap().len(), 1);
    let stages: Vec<&str> =
        r.body["next_stages"].as_array().unwrap().iter().map(|s| s["stage"].as_str().unwrap()).collect();
    assert_eq!(stages, ["contacted", "visited", "signed", "landed", "dropped"]);
    for (amount, why) in [("12万", "not a number"), ("-5", "negative"), ("100,000,000,000.01", "too large")] {
        let r = gz
            .post(
                "/api/v1/investment-leads",
                json!({"org_id": gz_org, "project": "p", "sector": "other", "investor": "i", "city": "广州", "town": "t", "amount": amount}),
            )
            .await;
        assert!(r.body["errors"]["amount"].is_array(), "{why}: {}", r.body);
    }
    let r = gz
        .post(
            "/api/v1/investment-leads",
            json!({"org_id": gz_org, "project": "p", "sector": "mining", "investor": "i", "city": "广州", "town": "t", "amount": "1"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "an unknown sector: {}", r.body);

    // The pipeline: forwards only, dated in order, landed with its amount.
    let step = |to: &str, on: String, extra: Value| {
        let mut b = json!({"to": to, "on": on});
        b.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        b
    };
    let path = format!("/api/v1/investment-leads/{lead}/steps");
    let r = gz.post(&path, step("contacted", days_ago(30), json!({"note": "电话对接"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["lead"]["stage"], "contacted");
    field_error(&gz.post(&path, step("lead", days_ago(29), json!({}))).await, "to");
    field_error(&gz.post(&path, step("contacted", days_ago(29), json!({}))).await, "to");
    field_error(&gz.post(&path, step("visited", days_ago(31), json!({}))).await, "on");
    field_error(&gz.post(&path, step("visited", days_ago(-1), json!({}))).await, "on");
    assert_eq!(gz.post(&path, step("visited", days_ago(20), json!({}))).await.status, StatusCode::OK);
    field_error(&gz.post(&path, step("landed", days_ago(5), json!({}))).await, "landed");
    field_error(&gz.post(&path, step("dropped", days_ago(5), json!({}))).await, "reason");
    assert_eq!(gz.post(&path, step("signed", days_ago(10), json!({}))).await.status, StatusCode::OK);
    let r = gz.post(&path, step("landed", days_ago(2), json!({"landed": "8,000,000"}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["lead"]["landed_fen"], 800_000_000i64);
    assert_eq!(r.body["lead"]["stale"], false);
    assert_eq!(r.body["next_stages"], json!([]));
    let history: Vec<&str> = r.body["steps"].as_array().unwrap().iter().map(|s| s["stage"].as_str().unwrap()).collect();
    assert_eq!(history, ["lead", "contacted", "visited", "signed", "landed"]);
    field_error(&gz.post(&path, step("dropped", days_ago(1), json!({"reason": "x"}))).await, "to");

    // A second lead, dropped with its reason.
    let r = gz
        .post(
            "/api/v1/investment-leads",
            json!({"org_id": gz_org, "project": "农产品冷链物流中心", "sector": "logistics", "investor": "某物流集团",
                   "city": "佛山", "town": "长岐镇", "amount": "5000000"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let dropped = r.body["lead"]["id"].as_i64().unwrap();
    let r = gz
        .post(
            &format!("/api/v1/investment-leads/{dropped}/steps"),
            step("dropped", days_ago(0), json!({"reason": "投资方资金链紧张"})),
        )
        .await;
    assert_eq!(r.body["lead"]["stage"], "dropped", "{}", r.body);
    assert_eq!(r.body["lead"]["drop_reason"], "投资方资金链紧张");

    // Who sees which: the county all, another chamber branch and another county nothing.
    let wc = t.login("wuchuan_admin").await;
    let d = wc.get(&format!("/api/v1/investment-leads/{lead}")).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    assert_eq!(d.body["lead"]["can_edit"], true);
    let sz = t.account("sz_branch", "org_admin", Some(sz_org), None).await;
    let hidden = sz.get(&format!("/api/v1/investment-leads/{lead}")).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(hidden.body["title"], "项目线索不存在或无权访问");
    assert_eq!(sz.get(&format!("/api/v1/investment-drives/{drive}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        sz.post(&path, step("dropped", days_ago(0), json!({"reason": "x"}))).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        items(&sz.get("/api/v1/investment-leads?per_page=100").await.body).iter().all(|l| l["org"]["id"] == sz_org)
    );
    assert!(
        items(&sz.get("/api/v1/investment-drives?per_page=100").await.body).iter().all(|l| l["org"]["id"] == sz_org)
    );
    let jx = t.login("jinxiang_admin").await;
    assert_eq!(jx.get(&format!("/api/v1/investment-leads/{lead}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(jx.get(&format!("/api/v1/investment-drives/{drive}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(jx.get("/api/v1/investment-leads").await.body["total"], 0);
    assert_eq!(
        jx.get(&format!("/api/v1/investment-leads/figures?org_id={gz_org}")).await.status,
        StatusCode::NOT_FOUND
    );
    // A member reads no lead.
    assert_eq!(t.login("member_demo").await.get("/api/v1/investment-leads").await.status, StatusCode::FORBIDDEN);

    // The drive lists its leads; it cannot be deleted while they name it.
    let d = gz.get(&format!("/api/v1/investment-drives/{drive}")).await;
    assert_eq!(d.body["drive"]["leads"], 1);
    assert_eq!(d.body["leads"][0]["id"], lead);
    assert_eq!(gz.delete(&format!("/api/v1/investment-drives/{drive}")).await.status, StatusCode::CONFLICT);

    // Materials: kept with the drive, read by whoever reads it.
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let up = gz.upload(&format!("/api/v1/investment-drives/{drive}/materials"), "推介材料.pdf", pdf.clone()).await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    let file = up.body["id"].as_i64().unwrap();
    let got = wc.get(&format!("/api/v1/investment-drives/{drive}/materials/{file}")).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.bytes, pdf);
    assert_eq!(
        jx.get(&format!("/api/v1/investment-drives/{drive}/materials/{file}")).await.status,
        StatusCode::NOT_FOUND
    );
    let r = gz.delete(&format!("/api/v1/investment-drives/{drive}/materials/{file}")).await;
    assert_eq!(r.body["materials"], json!([]), "{}", r.body);

    // A drive the county records names members the branch does not read: counted for it, not named,
    // and kept when the branch corrects the drive.
    let home = t.org_id("梅菉街道新华社区第一党支部").await;
    let outsider = t.member_not_received(home, gz_org).await;
    let body = |ms: Value| json!({"org_id": gz_org, "held_on": days_ago(5), "city": "广州", "title": "联合推介会", "leaders": "市领导", "member_ids": ms});
    let r = wc.post("/api/v1/investment-drives", body(json!([member, outsider]))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let joint = r.body["drive"]["id"].as_i64().unwrap();
    let seen = gz.get(&format!("/api/v1/investment-drives/{joint}")).await.body;
    assert_eq!(seen["drive"]["members"].as_array().unwrap().len(), 1, "{seen}");
    assert_eq!(seen["drive"]["other_members"], 1);
    assert!(seen["drive"]["members"].as_array().unwrap().iter().all(|m| m["id"] != outsider), "{seen}");
    assert_eq!(
        gz.patch(&format!("/api/v1/investment-drives/{joint}"), body(json!([member]))).await.status,
        StatusCode::OK
    );
    let county = wc.get(&format!("/api/v1/investment-drives/{joint}")).await.body;
    assert_eq!(county["drive"]["members"].as_array().unwrap().len(), 2, "the county's entry stays: {county}");

    // A drive nothing came from can be deleted.
    let r = gz
        .post(
            "/api/v1/investment-drives",
            json!({"org_id": gz_org, "held_on": days_ago(3), "city": "广州", "title": "误录", "leaders": "某"}),
        )
        .await;
    let spare = r.body["drive"]["id"].as_i64().unwrap();
    assert_eq!(gz.delete(&format!("/api/v1/investment-drives/{spare}")).await.status, StatusCode::NO_CONTENT);
    assert_eq!(gz.get(&format!("/api/v1/investment-drives/{spare}")).await.status, StatusCode::NOT_FOUND);

    // The ledger, read back: the landed lead with its 万元 figures.
    let x = gz.get(&format!("/api/v1/investment-leads/ledger.xlsx?org_id={gz_org}")).await;
    assert_eq!(x.status, StatusCode::OK);
    let rows = sheet(&x.bytes);
    let row = rows.iter().find(|r| r.iter().any(|c| c == "年产十万吨绿色建材项目")).expect("the lead is in the ledger");
    assert!(
        row.contains(&"1,200.00".to_string())
            && row.contains(&"800.00".to_string())
            && row.contains(&"已落地".to_string()),
        "{row:?}"
    );
    let dropped_row = rows.iter().find(|r| r.iter().any(|c| c == "农产品冷链物流中心")).unwrap();
    assert!(dropped_row.contains(&"投资方资金链紧张".to_string()), "{dropped_row:?}");
    let p = gz.get("/api/v1/investment-leads/ledger.pdf?stage=landed").await;
    assert_eq!(p.status, StatusCode::OK);
    let text = pdf_pages(&p.bytes).join("\n");
    assert!(text.contains("回乡工程招商项目线索台账") && text.contains("年产十万吨绿色建材项目"), "{text}");
    assert!(!text.contains("农产品冷链物流中心"), "the filter holds in the PDF");
}
crate::both!(drives_and_leads);

/// Totals are the sum of their parts to the fen, over many leads of odd amounts.
async fn money_adds_up_exactly(t: TestApp) {
    let org = t.org_id("厦门吴川商会党支部").await;
    let wc = t.login("wuchuan_admin").await;
    let before = wc.get(&format!("/api/v1/investment-leads/figures?org_id={org}")).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    let (mut amount, mut landed) = (0i64, 0i64);
    let sectors = ["manufacturing", "agri_food", "tourism", "services", "energy"];
    let cities = ["厦门", "泉州", "漳州"];
    for i in 0..300i64 {
        // 0.01, 0.10, 0.33, … yuan: what floating point gets wrong.
        let fen = 1 + (i * 7919) % 100_000 + if i % 3 == 0 { 10 } else { 33 };
        let yuan = format!("{}.{:02}", fen / 100, fen % 100);
        let r = wc
            .post(
                "/api/v1/investment-leads",
                json!({"org_id": org, "project": format!("项目{i}"), "sector": sectors[i as usize % 5], "investor": "某公司",
                       "city": cities[i as usize % 3], "town": "梅菉街道", "amount": yuan, "recorded_on": days_ago(20)}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.body["lead"]["amount_fen"], fen);
        amount += fen;
        if i % 2 == 0 {
            let got = fen / 3 + 1;
            let id = r.body["lead"]["id"].as_i64().unwrap();
            let r = wc
                .post(
                    &format!("/api/v1/investment-leads/{id}/steps"),
                    json!({"to": "landed", "on": days_ago(i % 20), "landed": format!("{}.{:02}", got / 100, got % 100)}),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            landed += got;
        }
    }
    let f = wc.get(&format!("/api/v1/investment-leads/figures?org_id={org}")).await.body;
    let delta = |k: &str| f["total"][k].as_i64().unwrap() - before.body["total"][k].as_i64().unwrap();
    assert_eq!(delta("amount_fen"), amount);
    assert_eq!(delta("landed_fen"), landed);
    assert_eq!(delta("leads"), 300);
    assert_eq!(delta("landed"), 150);
    for group in ["by_stage", "by_city", "by_chamber", "by_sector"] {
        let parts = f[group].as_array().unwrap();
        for k in ["amount_fen", "landed_fen", "leads"] {
            let sum: i64 = parts.iter().map(|p| p[k].as_i64().unwrap()).sum();
            assert_eq!(sum, f["total"][k].as_i64().unwrap(), "{group} {k}");
        }
    }
    let by_year: i64 = f["landed_by_year"].as_array().unwrap().iter().map(|y| y["landed_fen"].as_i64().unwrap()).sum();
    assert_eq!(by_year, f["total"]["landed_fen"].as_i64().unwrap());
}
crate::both!(money_adds_up_exactly);

/// A lead unmoved for the county's days is flagged, listed and reminded of on the workbench; the days
/// are the county's own.
async fn unmoved_leads_are_reminded(t: TestApp) {
    let gz_org = t.org_id("广州吴川商会党支部").await;
    let gz = t.login("gz_branch").await;
    let wc = t.login("wuchuan_admin").await;
    let jx = t.login("jinxiang_admin").await;
    // Only the county's own admin sets its days, within the range.
    assert_eq!(gz.put("/api/v1/investment-settings", json!({"stale_days": 7})).await.status, StatusCode::FORBIDDEN);
    field_error(&wc.put("/api/v1/investment-settings", json!({"stale_days": 3})).await, "stale_days");
    assert_eq!(wc.put("/api/v1/investment-settings", json!({"stale_days": 10})).await.status, StatusCode::OK);
    assert_eq!(jx.get("/api/v1/investment-settings").await.body["stale_days"], 30, "another county keeps its own");
    assert_eq!(gz.get("/api/v1/investment-settings").await.body["stale_days"], 10);

    let lead = |project: &'static str, on: String| {
        json!({"org_id": gz_org, "project": project, "sector": "tourism", "investor": "某文旅公司", "city": "广州",
               "town": "吴阳镇", "amount": "300000", "recorded_on": on})
    };
    let old = gz.post("/api/v1/investment-leads", lead("滨海民宿集群", days_ago(12))).await;
    assert_eq!(old.body["lead"]["stale"], true, "{}", old.body);
    assert_eq!(old.body["lead"]["days_unmoved"], 12);
    let fresh = gz.post("/api/v1/investment-leads", lead("红色研学基地", days_ago(9))).await;
    assert_eq!(fresh.body["lead"]["stale"], false);
    let old_id = old.body["lead"]["id"].as_i64().unwrap();
    let list = gz.get("/api/v1/investment-leads?stale=true&per_page=100").await.body;
    let flagged: Vec<i64> = items(&list).iter().map(|l| l["id"].as_i64().unwrap()).collect();
    assert!(flagged.contains(&old_id), "{list}");
    assert!(!flagged.contains(&fresh.body["lead"]["id"].as_i64().unwrap()));
    assert!(items(&list).iter().all(|l| l["stale"] == true));
    let counted: u64 = list["counts"].as_array().unwrap().iter().map(|c| c["count"].as_u64().unwrap()).sum();
    let all = gz.get("/api/v1/investment-leads?per_page=1").await.body["total"].as_u64().unwrap();
    assert_eq!(counted, all, "the stage counts cover every lead of the scope, whatever the filter");
    assert_eq!(list["stale"].as_u64().unwrap() as usize, flagged.len().max(list["total"].as_u64().unwrap() as usize));
    let wb = gz.get("/api/v1/workbench").await.body;
    let item = wb["items"].as_array().unwrap().iter().find(|i| i["key"] == "leads_stale").expect("reminded").clone();
    assert!(item["detail"].as_str().unwrap().contains("滨海民宿集群") || item["count"].as_u64().unwrap() > 3, "{item}");
    assert_eq!(item["link"], "/hometown/leads?stale=true");

    // Moving it clears the flag.
    let r = gz
        .post(&format!("/api/v1/investment-leads/{old_id}/steps"), json!({"to": "contacted", "on": days_ago(0)}))
        .await;
    assert_eq!(r.body["lead"]["stale"], false, "{}", r.body);
    let list = gz.get("/api/v1/investment-leads?stale=true&per_page=100").await.body;
    assert!(items(&list).iter().all(|l| l["id"] != old_id));
}
crate::both!(unmoved_leads_are_reminded);

/// A member away from home sees the drives of the chamber branch receiving them and those they took
/// part in — what each was, not who else came; the console's lists stay closed to them.
async fn a_member_sees_the_drives_of_their_chamber(t: TestApp) {
    let me = t.login("member_demo").await;
    let r = me.get("/api/v1/me/investment-drives").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let drives = items(&r.body);
    // member_demo works in 广州 and is received by the 广州 chamber branch: its two drives, the
    // latest (which they attended) first.
    assert_eq!(drives.len(), 2, "{}", r.body);
    assert!(drives.iter().all(|d| d["org_name"] == "广州吴川商会党支部"), "{}", r.body);
    assert_eq!(drives[0]["title"], "“添砖添彩·双招双引”吴川（广州）推介会");
    assert_eq!(drives[0]["took_part"], true);
    assert_eq!(drives[1]["took_part"], false);
    assert!(drives[0].get("members").is_none(), "no other participant is named");
    // Another chamber's drive is not among them; an admin has no "my drives".
    assert!(drives.iter().all(|d| d["city"] != "深圳"));
    assert_eq!(t.login("gz_branch").await.get("/api/v1/me/investment-drives").await.status, StatusCode::FORBIDDEN);
}
crate::both!(a_member_sees_the_drives_of_their_chamber);
