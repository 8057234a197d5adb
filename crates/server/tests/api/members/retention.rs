//! PIPL retention (§19) and deletion (§47): a departed member's personal fields are erased by the hourly
//! round once the retention period after leaving is over, or at once when asked; the roll keeps the
//! record (name, organisation, dates, status), so that the figures and the roster archive stay whole.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp, id_number, items, sheet};

/// A member of `org` with every personal field filled in, registered by `c`: (id, ID number).
async fn register(c: &Client, org: i64, name: &str, seq: u32, phone: &str) -> (i64, String) {
    let idn = id_number("440883", 1980, 5, 17, seq);
    let r = c
        .post(
            "/api/v1/members",
            json!({"org_id": org, "name": name, "id_number": idn, "phone": phone, "address": format!("广州市天河区{name}路 8 号"),
                   "employer": "广州某贸易有限公司", "occupation": "采购员", "joined_on": "2005-07-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    (r.body["id"].as_i64().unwrap(), idn)
}

async fn leave(c: &Client, id: i64, status: &str) {
    let r = c.patch(&format!("/api/v1/members/{id}"), json!({"status": status})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

async fn erase_events(t: &TestApp) -> Vec<Value> {
    let a = t.login("auditor").await;
    let r = a.get("/api/v1/audit-events?action=member.erase_personal&per_page=100").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    items(&r.body).clone()
}

fn today() -> chrono::NaiveDate {
    honglian_app::today()
}

/// Leaving is dated by itself; the round erases those who left longer ago than the period, never the
/// others; the values are gone from the database, the ID number no longer found; the figures, the
/// audit chain and the record stay.
async fn the_hourly_round_erases_members_who_left_longer_ago_than_the_period(t: TestApp) {
    let c = t.login("gz_branch").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let (old, old_idn) = register(&c, gz, "久别", 1, "13790000011").await;
    let (recent, recent_idn) = register(&c, gz, "新别", 2, "13790000012").await;
    let (active, active_idn) = register(&c, gz, "在册", 3, "13790000013").await;
    let ago = |days: i64| (today() - chrono::Duration::days(days)).to_string();

    // What the records about `old` say of them: a contact note, an outflow with its address, a report.
    let r = c
        .post(
            &format!("/api/v1/members/{old}/contacts"),
            json!({"kind": "call", "contacted_on": ago(20), "note": "电话联系，谈及家中老人住院"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = c
        .post(
            "/api/v1/outflows",
            json!({"member_id": old, "province_code": "440000", "city_code": "440300", "address": "深圳市宝安区久别街 9 号",
                   "reason": "work_business", "start_date": ago(300), "external_org_name": "深圳某商会党支部"}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let outflow = r.body["id"].as_i64().unwrap();
    let r = c
        .post(
            &format!("/api/v1/outflows/{outflow}/return"),
            json!({"returned_on": ago(10), "relationship_stays": true}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    honglian_store::repo::members::reports::insert(
        &t.app.db,
        honglian_store::repo::members::reports::NewReport {
            member_id: old,
            org_id: gz,
            kind: "leave",
            province_code: "440000".into(),
            city_code: "440300".into(),
            county_code: None,
            address_enc: honglian_app::platform::sealing::seal_text(
                &t.app.crypto,
                "outflow_reports",
                "address",
                old,
                Some("深圳市宝安区久别街 9 号"),
            ),
            employer: Some("深圳某电子厂".into()),
            occupation: None,
            reason: "work_business".into(),
            start_date: today() - chrono::Duration::days(300),
            expected_return: None,
            note_enc: honglian_app::platform::sealing::seal_text(
                &t.app.crypto,
                "outflow_reports",
                "note",
                old,
                Some("腿伤"),
            ),
            phone_changed: false,
            mobility_record_id: None,
        },
    )
    .await
    .unwrap();

    // Leaving records the day by itself (every way a status changes goes through the triggers).
    leave(&c, old, "left").await;
    leave(&c, recent, "deceased").await;
    let v = c.get(&format!("/api/v1/members/{old}")).await.body;
    assert_eq!(v["left_on"], today().to_string(), "{v}");
    assert_eq!(v["personal_erase_due"], (today() + chrono::Months::new(36)).to_string(), "{v}");
    assert!(c.get(&format!("/api/v1/members/{active}")).await.body["left_on"].is_null());
    // `old` left three years and a day ago.
    let long_ago = today().checked_sub_months(chrono::Months::new(36)).unwrap() - chrono::Duration::days(1);
    t.sql_exec(&format!("UPDATE members SET left_on = '{long_ago}' WHERE id = {old}")).await;

    let sealed_before = t.sql_text(&format!("SELECT id_number_enc FROM members WHERE id = {old}")).await;
    let w = t.login("wuchuan_admin").await;
    let stats_before = w.get("/api/v1/stats/overview").await.body;
    let outflow_stats_before = w.get("/api/v1/stats/outflow").await.body;
    let events_before = erase_events(&t).await.len();

    let round = t
        .app
        .hourly_round("retention-test", &honglian_app::platform::upkeep::RoundTimes::default())
        .await
        .unwrap()
        .expect("the first round is due");
    assert!(round.erased >= 1, "{round:?}");

    // The record stays, the personal fields read 已删除.
    let v = c.get(&format!("/api/v1/members/{old}")).await.body;
    assert_eq!((v["name"].as_str(), v["status"].as_str()), (Some("久别"), Some("left")), "{v}");
    assert_eq!(
        (v["id_number"].as_str(), v["phone"].as_str(), v["address"].as_str()),
        (Some("已删除"), Some("已删除"), Some("已删除"))
    );
    assert_eq!(v["birth_year"], 1980);
    assert!(v["employer"].is_null() && v["occupation"].is_null(), "{v}");
    assert!(v["personal_erased_at"].is_string() && v["personal_erase_due"].is_null(), "{v}");
    assert_eq!(v["left_on"], long_ago.to_string(), "the leaving day is kept");
    let u = c.post(&format!("/api/v1/members/{old}/unmask"), json!({"reason": "核对档案"})).await;
    assert_eq!(u.status, StatusCode::OK, "{}", u.body);
    assert_eq!(u.body, json!({"id_number": "已删除", "phone": "已删除", "address": "已删除"}));

    // The values are gone from the database itself.
    let null = |col: &str, table: &str, owner: &str| {
        format!("SELECT COUNT(*) FROM {table} WHERE {owner} = {old} AND {col} IS NOT NULL")
    };
    for col in ["phone_enc", "phone_bidx", "address_enc", "employer", "occupation"] {
        assert_eq!(t.sql_i64(&null(col, "members", "id")).await, 0, "members.{col}");
    }
    for (table, col) in [
        ("contacts", "note_enc"),
        ("mobility_records", "address_enc"),
        ("mobility_records", "employer"),
        ("outflow_reports", "address_enc"),
        ("outflow_reports", "note_enc"),
        ("outflow_reports", "employer"),
    ] {
        assert_eq!(t.sql_i64(&null(col, table, "member_id")).await, 0, "{table}.{col}");
    }
    // The rows themselves stay (the contact was made, the outflow happened).
    assert!(t.sql_i64(&format!("SELECT COUNT(*) FROM contacts WHERE member_id = {old}")).await >= 1);
    assert_eq!(t.sql_i64(&format!("SELECT COUNT(*) FROM mobility_records WHERE member_id = {old}")).await, 1);
    assert_eq!(
        t.sql_text(&format!("SELECT CAST(birth_date AS TEXT) FROM members WHERE id = {old}")).await,
        "1980-01-01",
        "the birth date keeps its year"
    );
    let sealed_after = t.sql_text(&format!("SELECT id_number_enc FROM members WHERE id = {old}")).await;
    assert_ne!(sealed_after, sealed_before, "the sealed ID number is replaced");
    let old_bidx = t.app.crypto.blind_index("id_number", &old_idn);
    assert_eq!(t.sql_i64(&format!("SELECT COUNT(*) FROM members WHERE id_number_bidx = '{old_bidx}'")).await, 0);
    // The blind index no longer finds the old ID number (nor the phone).
    let found = c.post("/api/v1/members/lookup", json!({"id_number": old_idn})).await;
    assert_eq!(found.body["total"], 0, "{}", found.body);
    let found = c.post("/api/v1/members/lookup", json!({"phone": "13790000011"})).await;
    assert_eq!(found.body["total"], 0, "{}", found.body);

    // The recently departed and the active member are untouched.
    for (id, idn) in [(recent, &recent_idn), (active, &active_idn)] {
        let u = c.post(&format!("/api/v1/members/{id}/unmask"), json!({"reason": "核对档案"})).await;
        assert_eq!(u.body["id_number"].as_str(), Some(idn.as_str()), "{}", u.body);
        assert!(u.body["phone"].as_str().is_some_and(|p| p.starts_with("1379")));
        let v = c.get(&format!("/api/v1/members/{id}")).await.body;
        assert!(v["personal_erased_at"].is_null() && v["employer"].is_string(), "{v}");
    }
    assert!(c.get(&format!("/api/v1/members/{recent}")).await.body["personal_erase_due"].is_string());

    // One system event per batch, naming the members and never the values; the chain verifies.
    let events = erase_events(&t).await;
    assert_eq!(events.len(), events_before + 1, "{events:?}");
    let ev = &events[0];
    assert_eq!((ev["actor_name"].as_str(), ev["result"].as_str()), (Some("system"), Some("ok")), "{ev}");
    assert_eq!(ev["detail"]["basis"], "retention");
    let members: Vec<i64> = ev["detail"]["members"].as_array().unwrap().iter().filter_map(Value::as_i64).collect();
    assert!(members.contains(&old) && !members.contains(&recent) && !members.contains(&active), "{ev}");
    let text = ev.to_string();
    for secret in [old_idn.as_str(), "13790000011", "久别路", "广州某贸易"] {
        assert!(!text.contains(secret), "{secret} in the audit record: {text}");
    }
    assert!(matches!(
        honglian_app::platform::audit::verify(&t.app.db, &t.app.crypto).await.unwrap(),
        honglian_app::platform::audit::Verdict::Intact { .. }
    ));

    // The figures are what they were.
    assert_eq!(w.get("/api/v1/stats/overview").await.body, stats_before);
    assert_eq!(w.get("/api/v1/stats/outflow").await.body, outflow_stats_before);

    // Idempotent: nothing more is due; the next round is not due before the hour.
    assert_eq!(t.app.erase_due_personal_data().await.unwrap(), 0);
    assert_eq!(erase_events(&t).await.len(), events_before + 1);

    // The roster (masked and in clear) still lists the member, their fields erased.
    let roster = c.get(&format!("/api/v1/members.xlsx?org={gz}&unmask_reason=%E6%A0%B8%E5%AF%B9")).await;
    assert_eq!(roster.status, StatusCode::OK);
    let rows = sheet(&roster.bytes);
    let row = rows.iter().find(|r| r.contains(&"久别".to_string())).expect("the erased member in the roster");
    assert!(row.iter().filter(|c| c.as_str() == "已删除").count() >= 2, "{row:?}");
    assert!(row.contains(&"1980".to_string()), "the birth year only: {row:?}");

    // The person may be registered again: the old ID number is no longer a duplicate.
    let again = c
        .post("/api/v1/members", json!({"org_id": gz, "name": "久别", "id_number": old_idn, "joined_on": "2005-07-01"}))
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
}
crate::both!(the_hourly_round_erases_members_who_left_longer_ago_than_the_period);

/// 删除个人信息 on request: only a departed member, only by whoever manages and may unmask them, with a
/// reason; audited; once.
async fn a_departed_member_is_erased_on_request(t: TestApp) {
    let gz_admin = t.login("gz_branch").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let home = t.org_id("梅菉街道新华社区第一党支部").await;
    let (departed, idn) = register(&gz_admin, gz, "申删", 11, "13790000021").await;
    let (active, _) = register(&gz_admin, gz, "在职", 12, "13790000022").await;
    leave(&gz_admin, departed, "transferred_out").await;
    let w = t.login("wuchuan_admin").await;
    let (elsewhere, _) = register(&w, home, "他支", 13, "13790000023").await;
    leave(&w, elsewhere, "left").await;
    let erase = |id: i64| format!("/api/v1/members/{id}/erase-personal-data");
    let why = json!({"reason": "本人申请删除个人信息"});

    // Still on the roll: refused by field, nothing erased.
    let r = gz_admin.post(&erase(active), why.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["errors"]["status"][0].as_str().unwrap().contains("正常"), "{}", r.body);
    // Out of the caller's scope: as if it did not exist.
    let r = gz_admin.post(&erase(elsewhere), why.clone()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert!(!r.body.to_string().contains("他支"));
    // Reads the member but may not manage them: forbidden.
    let reader = t.account("retention_reader", "instructor", Some(gz), None).await;
    assert_eq!(reader.get(&format!("/api/v1/members/{departed}")).await.status, StatusCode::OK);
    let r = reader.post(&erase(departed), why.clone()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // A member's own account cannot either.
    assert!(matches!(
        t.login("member_demo").await.post(&erase(departed), why.clone()).await.status.as_u16(),
        403 | 404
    ));
    // A reason is required.
    let r = gz_admin.post(&erase(departed), json!({"reason": " "})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["errors"]["reason"].is_array(), "{}", r.body);
    assert!(gz_admin.get(&format!("/api/v1/members/{departed}")).await.body["personal_erased_at"].is_null());

    // Done: at once, whatever the retention period.
    let r = gz_admin.post(&erase(departed), why.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        (r.body["id_number"].as_str(), r.body["phone"].as_str()),
        (Some("已删除"), Some("已删除")),
        "{}",
        r.body
    );
    assert_eq!(r.body["status"], "transferred_out");
    assert!(r.body["personal_erased_at"].is_string());
    assert_eq!(
        t.sql_i64(&format!(
            "SELECT COUNT(*) FROM members WHERE id = {departed} AND phone_enc IS NULL AND address_enc IS NULL"
        ))
        .await,
        1
    );
    let found = gz_admin.post("/api/v1/members/lookup", json!({"id_number": idn})).await;
    assert_eq!(found.body["total"], 0, "{}", found.body);
    // Once.
    let r = gz_admin.post(&erase(departed), why.clone()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    // The county erases the other branch's departed member.
    let r = w.post(&erase(elsewhere), why).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // Audited with the reason and the fields, never the values.
    let events = erase_events(&t).await;
    let mine = events
        .iter()
        .find(|e| e["object_id"].as_str() == Some(departed.to_string().as_str()))
        .expect("the erasure is audited");
    assert_eq!((mine["actor_name"].as_str(), mine["detail"]["basis"].as_str()), (Some("gz_branch"), Some("request")));
    assert_eq!(mine["detail"]["reason"], "本人申请删除个人信息");
    assert!(!mine.to_string().contains(&idn) && !mine.to_string().contains("13790000021"));
    assert!(matches!(
        honglian_app::platform::audit::verify(&t.app.db, &t.app.crypto).await.unwrap(),
        honglian_app::platform::audit::Verdict::Intact { .. }
    ));
}
crate::both!(a_departed_member_is_erased_on_request);

/// The demo has a member who died longer ago than the period and one who died last month: the first
/// round erases the first only.
async fn the_demo_has_departed_members_on_both_sides_of_the_period(t: TestApp) {
    let due_before = today().checked_sub_months(chrono::Months::new(36)).unwrap();
    let old = t
        .sql_i64(&format!(
            "SELECT COUNT(*) FROM members WHERE status = 'deceased' AND left_on < '{due_before}' AND personal_erased_at IS NULL"
        ))
        .await;
    let recent = t
        .sql_i64(&format!(
            "SELECT COUNT(*) FROM members WHERE status = 'deceased' AND left_on > '{due_before}' AND left_on < '{}'",
            today() - chrono::Duration::days(7)
        ))
        .await;
    assert_eq!((old, recent), (1, 1));
    let erased = t.app.erase_due_personal_data().await.unwrap();
    assert_eq!(erased, 1);
    assert_eq!(t.sql_i64("SELECT COUNT(*) FROM members WHERE personal_erased_at IS NOT NULL").await, 1);
    let ev = erase_events(&t).await;
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0]["detail"]["members"].as_array().unwrap().len(), 1);
}
crate::both!(the_demo_has_departed_members_on_both_sides_of_the_period);

/// An erased member's sealed stand-in is re-sealed by a key rotation like any ID number: the rotation
/// finishes (the blind indexes it recomputes stay unique) and the record still reads 已删除.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_rotation_re_seals_erased_members() {
    let t = TestApp::sqlite().await;
    let c = t.login("gz_branch").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let mut erased = Vec::new();
    for (k, name) in ["甲别", "乙别"].into_iter().enumerate() {
        let (id, _) = register(&c, gz, name, 30 + k as u32, &format!("1379000003{k}")).await;
        leave(&c, id, "left").await;
        let r = c.post(&format!("/api/v1/members/{id}/erase-personal-data"), json!({"reason": "本人申请删除"})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        erased.push(id);
    }
    assert_eq!(t.app.erase_due_personal_data().await.unwrap(), 1, "the demo's member due");
    let cfg = crate::helpers::test_config(t.data_dir.clone(), t.database_url.clone());
    let (app, keys) = honglian_server::open_app_keys(&cfg).await.unwrap();
    let report = honglian_app::platform::rotation::rotate(&app, &cfg.key_file, keys, 100, &|_| {}).await.unwrap();
    assert!(report.rows["members"] > 0, "{report:?}");
    app.db.close().await.ok();

    let after = TestApp::spawn(t.data_dir.clone(), t.database_url.clone(), false).await;
    let c = after.login("gz_branch").await;
    for id in erased {
        let v = c.get(&format!("/api/v1/members/{id}")).await.body;
        assert_eq!(v["id_number"], "已删除", "{v}");
        let u = c.post(&format!("/api/v1/members/{id}/unmask"), json!({"reason": "核对档案"})).await;
        assert_eq!(u.body["id_number"], "已删除", "{}", u.body);
    }
}
