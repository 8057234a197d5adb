//! Members: validation, masking, unmask, lookup by blind index, transfer.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, id_number};

async fn register_mask_unmask(t: TestApp) {
    let c = t.login("gz_branch").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let idn = id_number("440883", 1988, 3, 14, 7);
    let mut wrong = idn.clone();
    let last = wrong.pop().unwrap();
    wrong.push(if last == '0' { '1' } else { '0' });
    let bad = c
        .post("/api/v1/members", json!({"org_id": gz, "name": "梁海涛", "id_number": wrong, "phone": "1381234567", "joined_on": "2000-01-01", "tags": ["不存在的标签"]}))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = &bad.body["errors"];
    assert_eq!(
        e["id_number"][0],
        format!("身份证号校验码错误：最后一位应为 {last}，实际为 {}", wrong.chars().last().unwrap())
    );
    assert_eq!(e["phone"][0], "手机号应为 11 位数字，实际为 10 位");
    assert_eq!(e["tags"][0], "标签“不存在的标签”不在标签列表中");
    let short = c
        .post(
            "/api/v1/members",
            json!({"org_id": gz, "name": "梁海涛", "id_number": "44088319880314", "joined_on": "2010-07-01"}),
        )
        .await;
    assert_eq!(short.body["errors"]["id_number"][0], "身份证号应为 18 位，实际为 14 位");
    let young = c
        .post("/api/v1/members", json!({"org_id": gz, "name": "梁海涛", "id_number": idn, "joined_on": "2000-01-01"}))
        .await;
    assert_eq!(young.body["errors"]["joined_on"][0], "入党时应年满 18 岁");

    let ok = c
        .post("/api/v1/members", json!({"org_id": gz, "name": "梁海涛", "id_number": idn, "phone": "138 1234 5678", "address": "广东省广州市天河区体育西路 100 号",
                                          "joined_on": "2012-07-01", "category": "full", "full_on": "2013-07-01", "tags": ["先锋岗"], "education": "bachelor", "employer": "广州某建材有限公司"}))
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    let id = ok.body["id"].as_i64().unwrap();
    assert_eq!(ok.body["id_number"], format!("****************{}", &idn[16..]));
    assert_eq!(ok.body["phone"], "*******5678");
    assert_eq!(ok.body["address"], "广东省广州市****");
    assert_eq!(ok.body["birth_year"], 1988, "derived from the ID number, the year only");
    assert!(ok.body.get("birth_date").is_none(), "the full birth date is 8 characters of the masked number");
    // The same ID number again is a conflict, however it is written.
    let dup = c.post("/api/v1/members", json!({"org_id": gz, "name": "另一人", "id_number": format!(" {} ", idn.to_lowercase()), "joined_on": "2012-07-01"})).await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert_eq!(dup.body["errors"]["id_number"][0], "该身份证号已登记为党员");
    // Exact lookup by ID number and by phone, through the blind index.
    let by_id = c.post("/api/v1/members/lookup", json!({"id_number": idn})).await;
    assert_eq!(by_id.body["total"], 1);
    assert_eq!(by_id.body["items"][0]["id"], id);
    let by_phone = c.post("/api/v1/members/lookup", json!({"phone": "13812345678"})).await;
    assert_eq!(by_phone.body["items"][0]["id"], id);
    // Lookups travel in the body and are audited with the fields asked, never their values.
    let events = t.login("auditor").await.get("/api/v1/audit-events?action=member.lookup").await.body;
    assert_eq!(events["total"], 2, "{events}");
    assert_eq!(events["items"][0]["detail"], json!({"fields": ["phone"], "found": 1}));
    assert!(!events.to_string().contains(&idn) && !events.to_string().contains("13812345678"));
    let by_tag = c.get(&format!("/api/v1/members?org={gz}&tag=%E5%85%88%E9%94%8B%E5%B2%97&per_page=200")).await;
    assert!(by_tag.body["items"].as_array().unwrap().iter().any(|m| m["id"] == id));
    // Unmask needs a reason, returns plaintext and is audited.
    let no_reason = c.post(&format!("/api/v1/members/{id}/unmask"), json!({"reason": " "})).await;
    assert_eq!(no_reason.body["errors"]["reason"][0], "请填写查看原因（至少 2 个字）");
    let plain = c.post(&format!("/api/v1/members/{id}/unmask"), json!({"reason": "核对组织关系转接材料"})).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.body["id_number"], idn);
    assert_eq!(plain.body["phone"], "13812345678");
    let a = t.login("auditor").await;
    let ev = a.get(&format!("/api/v1/audit-events?action=member.unmask&object_id={id}")).await;
    assert_eq!(ev.body["total"], 1);
    assert_eq!(ev.body["items"][0]["actor_name"], "gz_branch");
    assert_eq!(ev.body["items"][0]["detail"]["reason"], "核对组织关系转接材料");
    // The instructor reads masked data but may not unmask.
    let i = t.login("instructor").await;
    let lute = t.member_in("鲁特电工党支部").await;
    assert_eq!(i.get(&format!("/api/v1/members/{lute}")).await.status, StatusCode::OK);
    assert_eq!(
        i.post(&format!("/api/v1/members/{lute}/unmask"), json!({"reason": "核对信息"})).await.status,
        StatusCode::FORBIDDEN
    );
}
crate::both!(register_mask_unmask);

async fn edit_transfer_and_own_record(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let sz = t.org_id("深圳吴川商会党支部").await;
    let m = t.member_in("广州吴川商会党支部").await;
    let before = w.get(&format!("/api/v1/members/{m}")).await;
    let edited =
        w.patch(&format!("/api/v1/members/{m}"), json!({"employer": "广州某新公司", "phone": "13900001111"})).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(edited.body["employer"], "广州某新公司");
    assert_eq!(edited.body["phone"], "*******1111");
    assert_eq!(edited.body["id_number"], before.body["id_number"], "unsent personal fields stay");
    assert_eq!(edited.body["name"], before.body["name"]);
    let moved_org = w.patch(&format!("/api/v1/members/{m}"), json!({"org_id": sz})).await;
    assert_eq!(moved_org.body["errors"]["org_id"][0], "变更所在组织请使用“组织关系转接”");
    let t1 = w.post(&format!("/api/v1/members/{m}/transfer"), json!({"org_id": sz, "note": "工作调动"})).await;
    assert_eq!(t1.status, StatusCode::OK, "{}", t1.body);
    assert_eq!(t1.body["org_name"], "深圳吴川商会党支部");
    // The 广州 branch no longer sees the member.
    let g = t.login("gz_branch").await;
    assert_eq!(g.get(&format!("/api/v1/members/{m}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        w.get(&format!("/api/v1/members?org={gz}&per_page=200")).await.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["id"] == m)
            .count(),
        0
    );
    let audit = t.login("auditor").await.get(&format!("/api/v1/audit-events?action=member.update&object_id={m}")).await;
    let fields = audit.body["items"][0]["detail"]["fields"].as_array().unwrap().clone();
    assert!(
        fields.contains(&json!("phone")) && fields.contains(&json!("employer")) && !fields.contains(&json!("name")),
        "{fields:?}"
    );
    assert!(!audit.body.to_string().contains("13900001111"), "the audit log never holds personal data");

    // A member sees their own record, masked, and nobody else's.
    let me = t.login("member_demo").await;
    let mid = me.get("/api/v1/session").await.body["user"]["member_id"].as_i64().unwrap();
    let own = me.get(&format!("/api/v1/members/{mid}")).await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.body["name"], "林志远");
    assert_eq!(me.get(&format!("/api/v1/members/{m}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(me.get("/api/v1/members").await.status, StatusCode::FORBIDDEN);
}
crate::both!(edit_transfer_and_own_record);

async fn list_filters_and_pages(t: TestApp) {
    let c = t.login("wuchuan_admin").await;
    let all = c.get("/api/v1/members?per_page=20").await;
    let total = all.body["total"].as_u64().unwrap();
    assert!(total > 2000, "Wuchuan has a few thousand demo members: {total}");
    assert_eq!(all.body["items"].as_array().unwrap().len(), 20);
    let page2 = c.get("/api/v1/members?per_page=20&page=2").await;
    assert_ne!(page2.body["items"][0]["id"], all.body["items"][0]["id"]);
    let prob = c.get("/api/v1/members?category=probationary&per_page=200").await;
    assert!(prob.body["items"].as_array().unwrap().iter().all(|m| m["category"] == "probationary"));
    let dead = c.get("/api/v1/members?status=deceased").await;
    assert!(dead.body["total"].as_u64().unwrap() > 0);
    let name = c.get("/api/v1/members?q=%E6%9E%97%E5%BF%97%E8%BF%9C").await; // 林志远
    assert!(name.body["items"].as_array().unwrap().iter().any(|m| m["name"] == "林志远"));
    let bad = c.post("/api/v1/members/lookup", json!({"id_number": "123"})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["errors"]["id_number"][0], "身份证号应为 18 位，实际为 3 位");
    // No Jinxiang member is visible to Wuchuan.
    let jx = t.member_in("鲁特电工党支部").await;
    assert_eq!(c.get(&format!("/api/v1/members/{jx}")).await.status, StatusCode::NOT_FOUND);
    // Mobile members: the list's mobility filter agrees with the outflow statistics.
    let mobile = c.get("/api/v1/members?mobility=outflow&per_page=1").await.body["total"].as_u64().unwrap();
    assert_eq!(mobile, c.get("/api/v1/stats/outflow").await.body["total"].as_u64().unwrap());
    let local = c.get("/api/v1/members?mobility=local&per_page=1").await.body["total"].as_u64().unwrap();
    assert_eq!(mobile + local, total);
    assert_eq!(
        c.get("/api/v1/members?mobility=away").await.body["errors"]["mobility"][0],
        "流动状态“away”无效，应为 outflow 或 local"
    );
    let stats = c.get("/api/v1/stats/overview").await;
    assert_eq!(stats.body["member_total"].as_u64().unwrap(), total);
    assert!(
        stats.body["orgs_by_kind"].as_array().unwrap().iter().any(|k| k["key"] == "liaison_center" && k["count"] == 4)
    );
}
crate::both!(list_filters_and_pages);
