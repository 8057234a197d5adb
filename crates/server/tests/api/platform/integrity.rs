//! The MACs on access-control grants and money records (platform::integrity): an edit made in the
//! database alone, without the keys, gives no access and is found.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;

async fn checks(t: &TestApp) -> Vec<honglian_app::platform::integrity::TableCheck> {
    honglian_app::platform::integrity::verify(&t.app.db, &t.app.crypto).await.unwrap()
}

async fn bad_of(t: &TestApp, table: &str) -> Vec<i64> {
    checks(t).await.into_iter().find(|c| c.table == table).unwrap().bad
}

async fn a_grant_edited_in_the_database_gives_nothing(t: TestApp) {
    // The demo's records all carry their MACs, and every table has some.
    for c in checks(&t).await {
        assert!(c.rows > 0, "the demo has {}", c.table);
        assert_eq!(c.bad_count, 0, "{}: {:?}", c.table, c.bad);
    }
    let gz_org = t.org_id("广州吴川商会党支部").await;
    let root = t.org_id("中共吴川市委员会").await;
    let outside = t.member_in("深圳吴川商会党支部").await;
    let gz = t.login("gz_branch").await;
    assert_eq!(gz.get(&format!("/api/v1/members/{outside}")).await.status, StatusCode::NOT_FOUND);

    // Someone with write access to the database widens the branch's grant to the whole county, and
    // bumps the account's version so that every instance rebuilds it.
    let grant = t
        .sql_i64(&format!(
            "SELECT g.id FROM grants g JOIN users u ON u.id = g.user_id WHERE u.username = 'gz_branch' AND g.org_id = {gz_org}"
        ))
        .await;
    t.sql_exec(&format!("UPDATE grants SET org_id = {root} WHERE id = {grant}")).await;
    t.sql_exec("UPDATE users SET auth_version = auth_version + 1 WHERE username = 'gz_branch'").await;
    // The edited grant gives nothing: not the county, and no longer the branch either.
    assert_eq!(gz.get(&format!("/api/v1/members/{outside}")).await.status, StatusCode::FORBIDDEN);
    let me = gz.get("/api/v1/session").await;
    assert_eq!(me.status, StatusCode::OK);
    assert!(me.body["grants"].as_array().unwrap().iter().all(|g| g["id"] != grant), "{}", me.body);
    assert_eq!(bad_of(&t, "grants").await, vec![grant]);
    // The security administrator sees it flagged on the account.
    let gz_user = t.sql_i64("SELECT id FROM users WHERE username = 'gz_branch'").await;
    let shown = t.login("secadmin").await.get(&format!("/api/v1/users/{gz_user}")).await;
    let flagged = shown.body["grants"].as_array().unwrap().iter().find(|g| g["id"] == grant).cloned().unwrap();
    assert_eq!(flagged["intact"], false, "{}", shown.body);

    // Put back as it was, it counts again (the MAC is of what the grant says).
    t.sql_exec(&format!("UPDATE grants SET org_id = {gz_org} WHERE id = {grant}")).await;
    t.sql_exec("UPDATE users SET auth_version = auth_version + 1 WHERE username = 'gz_branch'").await;
    assert_eq!(
        gz.get(&format!("/api/v1/members/{}", t.member_in("广州吴川商会党支部").await)).await.status,
        StatusCode::OK
    );
    assert!(bad_of(&t, "grants").await.is_empty());

    // A security administrator's grant, made through the application, is stamped and works.
    let sec = t.login("secadmin").await;
    let uid = t.sql_i64("SELECT id FROM users WHERE username = 'instructor'").await;
    let g = sec.post(&format!("/api/v1/users/{uid}/grants"), json!({"role": "org_admin", "org_id": gz_org})).await;
    assert_eq!(g.status, StatusCode::OK, "{}", g.body);
    assert!(bad_of(&t, "grants").await.is_empty());

    // A grant inserted for a member's account, with a MAC copied from the county administrator's
    // grant, gives nothing either.
    let member = t.login("member_demo").await;
    let admin_grant = t
        .sql_i64("SELECT g.id FROM grants g JOIN users u ON u.id = g.user_id WHERE u.username = 'wuchuan_admin' ORDER BY g.id LIMIT 1")
        .await;
    t.sql_exec(&format!(
        "INSERT INTO grants (user_id, role, org_id, created_at, mac) SELECT u.id, g.role, g.org_id, g.created_at, g.mac \
         FROM grants g, users u WHERE g.id = {admin_grant} AND u.username = 'member_demo'"
    ))
    .await;
    t.sql_exec("UPDATE users SET auth_version = auth_version + 1 WHERE username = 'member_demo'").await;
    assert_ne!(member.get(&format!("/api/v1/members/{outside}")).await.status, StatusCode::OK);
    let perms = member.get("/api/v1/session").await.body["permissions"].to_string();
    assert!(!perms.contains("member.read"), "{perms}");
    assert_eq!(bad_of(&t, "grants").await.len(), 1, "the forged grant is reported");
}
crate::both!(a_grant_edited_in_the_database_gives_nothing);

async fn a_money_record_edited_in_the_database_is_found_and_not_acted_on(t: TestApp) {
    // A dues payment's amount raised in the database.
    let pay = t.sql_i64("SELECT MIN(id) FROM dues_payments").await;
    t.sql_exec(&format!("UPDATE dues_payments SET amount_fen = amount_fen + 100000 WHERE id = {pay}")).await;
    assert_eq!(bad_of(&t, "dues_payments").await, vec![pay]);

    // A donation's amount changed in the database: found, and the fund committee cannot void it
    // (voiding would stamp the edit with a fresh MAC).
    let gz_org = t.org_id("广州吴川商会党支部").await;
    let gz = t.login("gz_branch").await;
    let r = gz
        .post(
            "/api/v1/care-donations",
            json!({"org_id": gz_org, "donor_kind": "company", "donor_name": "广州某建材有限公司", "amount": "100",
                   "received_on": chrono::Utc::now().date_naive().to_string(), "receipt_no": "GZ-MAC-1"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let did = r.body["id"].as_i64().unwrap();
    assert!(bad_of(&t, "care_donations").await.is_empty(), "stamped when recorded");
    t.sql_exec(&format!("UPDATE care_donations SET amount_fen = 1 WHERE id = {did}")).await;
    assert_eq!(bad_of(&t, "care_donations").await, vec![did]);
    let wc = t.login("wuchuan_admin").await;
    let v = wc.post(&format!("/api/v1/care-donations/{did}/void"), json!({"reason": "录错"})).await;
    assert_eq!(v.status, StatusCode::CONFLICT, "{}", v.body);
    assert!(v.body["title"].as_str().unwrap().contains("完整性校验"), "{}", v.body);
    assert_eq!(bad_of(&t, "care_donations").await, vec![did], "still reported, not laundered");
}
crate::both!(a_money_record_edited_in_the_database_is_found_and_not_acted_on);
