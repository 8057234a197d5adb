use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, items};

const BRANCH: &str = "梅菉街道新华社区第一党支部";

/// The member's ID number, as their branch reads it (with a reason).
async fn id_number_of(w: &crate::helpers::Client, member: i64) -> String {
    let r = w.post(&format!("/api/v1/members/{member}/unmask"), json!({"reason": "核对邀请开通"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["id_number"].as_str().unwrap().to_string()
}

/// A branch invites everyone of its branch not yet on the portal; a member opens their invitation on the
/// phone with the code and the last six characters of their ID number, chooses a username and password
/// and is signed in as themselves; the code is single-use and the branch sees the account.
async fn a_branch_invites_and_a_member_activates(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let org = t.org_id(BRANCH).await;
    let before = w.get(&format!("/api/v1/invitations?org_id={org}")).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    let with_account = before.body["members_with_account"].as_u64().unwrap();
    let made = w.post("/api/v1/invitations", json!({"org_id": org})).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let batch = items(&made.body).clone();
    assert!(batch.len() >= 5, "{}", made.body);
    assert!(batch.iter().all(|i| i["code"].as_str().is_some_and(|c| c.len() == 14)), "codes shown once: {}", made.body);
    assert!(batch.iter().all(|i| i["org_name"] == BRANCH && i["status"] == "pending"));
    assert_eq!(
        batch.len() as u64 + with_account,
        before.body["members"].as_u64().unwrap(),
        "everyone without an account was invited"
    );
    // Nobody twice: a second batch finds no one left.
    let again = w.post("/api/v1/invitations", json!({"org_id": org})).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    assert!(items(&again.body).is_empty(), "{}", again.body);
    // The list never shows a code again.
    let list = w.get(&format!("/api/v1/invitations?org_id={org}&status=pending&per_page=100")).await.body;
    assert_eq!(list["counts"]["pending"].as_u64().unwrap() as usize, batch.len(), "{list}");
    assert!(items(&list).iter().all(|i| i["code"].is_null()), "{list}");

    let inv = &batch[0];
    let member = inv["member_id"].as_i64().unwrap();
    let code = inv["code"].as_str().unwrap().to_string();
    let id = id_number_of(&w, member).await;
    let tail = &id[12..];
    let wrong_tail = if tail == "000000" { "000001" } else { "000000" };

    let mut phone = t.anon();
    // Typed the way people type: lower case, spaces for dashes.
    let typed = code.to_lowercase().replace('-', " ");
    let p = phone.post("/api/v1/invitations/preview", json!({"code": typed})).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert_eq!(p.body["org_name"], BRANCH);
    let masked = p.body["member_name"].as_str().unwrap();
    assert!(
        masked.contains('*') && masked.chars().next() == inv["member_name"].as_str().unwrap().chars().next(),
        "{masked}"
    );
    let bad = phone.post("/api/v1/invitations/preview", json!({"code": "ABCD-EFGH-JKMN"})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body["errors"]["code"][0].as_str().unwrap().contains("邀请码"), "{}", bad.body);

    let answer = |tail: &str, username: &str, password: &str| json!({"code": code, "id_tail": tail, "username": username, "password": password});
    let wrong = phone.post("/api/v1/invitations/activate", answer(wrong_tail, "lin_phone", "Hl@2026phone")).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong.body);
    assert!(wrong.body["errors"]["id_tail"][0].as_str().unwrap().contains("还可以再试 4 次"), "{}", wrong.body);
    let weak = phone.post("/api/v1/invitations/activate", answer(tail, "lin_phone", "123")).await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", weak.body);
    assert!(weak.body["errors"]["password"].is_array(), "{}", weak.body);
    let taken = phone.post("/api/v1/invitations/activate", answer(tail, "member_demo", "Hl@2026phone")).await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", taken.body);
    assert!(taken.body["errors"]["username"][0].as_str().unwrap().contains("已被使用"), "{}", taken.body);

    let ok =
        phone.post("/api/v1/invitations/activate", answer(&tail.to_lowercase(), "lin_phone", "Hl@2026phone")).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.body["user"]["member_id"], member);
    assert_eq!(ok.body["user"]["must_change_password"], false);
    assert!(ok.body["permissions"].as_array().unwrap().iter().any(|p| p == "member.self"), "{}", ok.body);
    phone.csrf = Some(ok.body["csrf_token"].as_str().unwrap().to_string());
    // Signed in as themselves, seeing their own record only.
    let me = phone.get("/api/v1/me/profile").await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_eq!(me.body["member"]["id"], member);
    assert_eq!(phone.get("/api/v1/members").await.status, StatusCode::FORBIDDEN);
    // Single use.
    let twice = t.anon().post("/api/v1/invitations/activate", answer(tail, "lin_phone2", "Hl@2026phone")).await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", twice.body);
    assert!(twice.body["errors"]["code"][0].as_str().unwrap().contains("已经开通"), "{}", twice.body);
    t.login_with("lin_phone", "Hl@2026phone").await;
    // The branch sees the account; the invitation is closed.
    let after = w.get(&format!("/api/v1/invitations?org_id={org}&status=activated")).await.body;
    assert_eq!(after["members_with_account"].as_u64().unwrap(), with_account + 1, "{after}");
    let done = items(&after).iter().find(|i| i["member_id"] == member).expect("activated");
    assert_eq!(done["username"], "lin_phone");
    assert_eq!(done["status_label"], "已开通");
    // Audited, the wrong answer too.
    let auditor = t.login("auditor").await;
    let log = auditor.get("/api/v1/audit-events?action=invitation.activate").await.body;
    assert!(log["total"].as_i64().unwrap() >= 2, "{log}");
}
crate::both!(a_branch_invites_and_a_member_activates);

/// Five wrong answers lock an invitation (even the right answer is refused then); the branch makes a new
/// one, which voids nothing but the old code; a voided code opens nothing.
async fn wrong_answers_lock_and_a_new_invitation_replaces_it(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let members = t.members_at_home(t.org_id(BRANCH).await).await;
    let member = members.last().unwrap().0;
    let made = w.post("/api/v1/invitations", json!({"member_ids": [member, member]})).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    assert_eq!(items(&made.body).len(), 1, "once: {}", made.body);
    let inv = items(&made.body)[0].clone();
    let code = inv["code"].as_str().unwrap().to_string();
    let id = id_number_of(&w, member).await;
    let tail = id[12..].to_string();
    let wrong_tail = if tail == "000000" { "000001" } else { "000000" };
    let phone = t.anon();
    let mut last = None;
    for _ in 0..5 {
        let r = phone
            .post(
                "/api/v1/invitations/activate",
                json!({"code": code, "id_tail": wrong_tail, "username": "locked_one", "password": "Hl@2026phone"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        last = Some(r.body);
    }
    let last = last.unwrap();
    assert!(last["errors"]["code"][0].as_str().unwrap().contains("已锁定"), "{last}");
    let right = phone
        .post(
            "/api/v1/invitations/activate",
            json!({"code": code, "id_tail": tail, "username": "locked_one", "password": "Hl@2026phone"}),
        )
        .await;
    assert_eq!(right.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", right.body);
    assert!(right.body["errors"]["code"][0].as_str().unwrap().contains("已锁定"), "{}", right.body);

    let renewed = w.post(&format!("/api/v1/invitations/{}/renew", inv["id"]), json!({})).await;
    assert_eq!(renewed.status, StatusCode::CREATED, "{}", renewed.body);
    let new_code = renewed.body["code"].as_str().unwrap().to_string();
    assert_ne!(new_code, code);
    assert_eq!(phone.post("/api/v1/invitations/preview", json!({"code": new_code})).await.status, StatusCode::OK);
    let revoked = w.post(&format!("/api/v1/invitations/{}/revoke", renewed.body["id"]), json!({})).await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert_eq!(revoked.body["status"], "revoked");
    let gone = phone.post("/api/v1/invitations/preview", json!({"code": new_code})).await;
    assert_eq!(gone.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", gone.body);
    assert!(gone.body["errors"]["code"][0].as_str().unwrap().contains("已作废"), "{}", gone.body);
    // Idempotent.
    assert_eq!(
        w.post(&format!("/api/v1/invitations/{}/revoke", renewed.body["id"]), json!({})).await.status,
        StatusCode::OK
    );
    // Nothing to invite: a clear error naming the field.
    let empty = w.post("/api/v1/invitations", json!({"member_ids": []})).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", empty.body);
    assert!(empty.body["errors"]["member_ids"].is_array(), "{}", empty.body);
    let neither = w.post("/api/v1/invitations", json!({})).await;
    assert_eq!(neither.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", neither.body);
}
crate::both!(wrong_answers_lock_and_a_new_invitation_replaces_it);

/// A worker invites only within their own organisations and sees only their invitations; another
/// county's admin cannot renew or void them; a member cannot invite.
async fn invitations_stay_in_scope(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let member = t.members_at_home(t.org_id(BRANCH).await).await[0].0;
    let made = w.post("/api/v1/invitations", json!({"member_ids": [member]})).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let id = items(&made.body).first().map(|i| i["id"].as_i64().unwrap());
    let chamber = t.login("gz_branch").await;
    let outside = chamber.post("/api/v1/invitations", json!({"member_ids": [member]})).await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND, "{}", outside.body);
    assert!(!outside.body.to_string().contains(BRANCH), "names nothing outside: {}", outside.body);
    let town = t.org_id("中共吴川市梅菉街道工作委员会").await;
    let org = chamber.post("/api/v1/invitations", json!({"org_id": town})).await;
    assert_eq!(org.status, StatusCode::NOT_FOUND, "{}", org.body);
    // A chamber branch invites the members it receives from home, under its own name.
    let gz = t.org_id("广州吴川商会党支部").await;
    let before = chamber.get("/api/v1/invitations?per_page=1").await.body["total"].as_u64().unwrap();
    let received = chamber.post("/api/v1/invitations", json!({"org_id": gz})).await;
    assert_eq!(received.status, StatusCode::CREATED, "{}", received.body);
    assert!(!items(&received.body).is_empty(), "members received in 广州");
    assert!(
        items(&received.body).iter().all(|i| i["org_name"] == "广州吴川商会党支部"),
        "kept under the chamber branch"
    );
    let theirs = chamber.get("/api/v1/invitations?per_page=100").await.body;
    assert_eq!(theirs["total"].as_u64().unwrap(), before + items(&received.body).len() as u64);
    assert!(items(&theirs).iter().all(|i| i["org_name"] != BRANCH), "none of the home branch's");
    let jx = t.login("jinxiang_admin").await;
    if let Some(id) = id {
        assert_eq!(jx.post(&format!("/api/v1/invitations/{id}/renew"), json!({})).await.status, StatusCode::NOT_FOUND);
        assert_eq!(jx.post(&format!("/api/v1/invitations/{id}/revoke"), json!({})).await.status, StatusCode::NOT_FOUND);
    }
    let member_account = t.login("member_demo").await;
    assert_eq!(member_account.get("/api/v1/invitations").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        member_account.post("/api/v1/invitations", json!({"member_ids": [member]})).await.status,
        StatusCode::FORBIDDEN
    );
    // The outflow ledger at once: only those away.
    let ledger = w.post("/api/v1/invitations", json!({"org_id": t.org_id(BRANCH).await, "outflow_only": true})).await;
    assert_eq!(ledger.status, StatusCode::CREATED, "{}", ledger.body);
    for i in items(&ledger.body) {
        let m = i["member_id"].as_i64().unwrap();
        let records = w.get(&format!("/api/v1/members/{m}/mobility")).await.body;
        assert!(
            items(&records).iter().any(|r| r["direction"] == "outflow" && r["status"] == "open"),
            "{m} is away: {records}"
        );
    }
}
crate::both!(invitations_stay_in_scope);

/// An invitation opens only while its organisation still reaches the member: after a transfer to another
/// branch the code is void (the inviting worker cannot open an account for someone no longer theirs).
/// Two activations of one code at the same moment make one account.
async fn a_moved_member_and_a_race_open_nothing_twice(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let home = t.org_id(BRANCH).await;
    let at_home = t.members_at_home(home).await;
    let (moved, stays) = (at_home[0].0, at_home[1].0);
    let made = w.post("/api/v1/invitations", json!({"member_ids": [moved, stays]})).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let code_of =
        |m: i64| items(&made.body).iter().find(|i| i["member_id"] == m).unwrap()["code"].as_str().unwrap().to_string();
    let (moved_code, stays_code) = (code_of(moved), code_of(stays));
    let moved_tail = id_number_of(&w, moved).await[12..].to_string();
    let stays_tail = id_number_of(&w, stays).await[12..].to_string();
    // The worker of the branch invites; the member is then transferred to another town's branch.
    let meiling = t.org_id("梅菉街道梅岭村第一党支部").await;
    let tr =
        w.post(&format!("/api/v1/members/{moved}/transfer"), json!({"org_id": meiling, "note": "组织关系转接"})).await;
    assert_eq!(tr.status, StatusCode::OK, "{}", tr.body);
    let gone = t
        .anon()
        .post(
            "/api/v1/invitations/activate",
            json!({"code": moved_code, "id_tail": moved_tail, "username": "moved_one", "password": "Hl@2026phone"}),
        )
        .await;
    assert_eq!(gone.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", gone.body);
    assert!(gone.body["errors"]["code"][0].as_str().unwrap().contains("作废"), "{}", gone.body);

    // Two phones, one code, the same moment: one account.
    let body = |u: &str| json!({"code": stays_code, "id_tail": stays_tail, "username": u, "password": "Hl@2026phone"});
    let (a, b) = (t.anon(), t.anon());
    let (ra, rb) = tokio::join!(
        a.post("/api/v1/invitations/activate", body("racer_a")),
        b.post("/api/v1/invitations/activate", body("racer_b"))
    );
    let ok = [&ra, &rb].iter().filter(|r| r.status == StatusCode::OK).count();
    assert_eq!(ok, 1, "{} / {}", ra.body, rb.body);
    for r in [&ra, &rb] {
        assert!(r.status == StatusCode::OK || r.status == StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    }
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let accounts = honglian_store::entity::platform::user::Entity::find()
        .filter(honglian_store::entity::platform::user::Column::MemberId.eq(stays))
        .count(&t.app.db)
        .await
        .unwrap();
    assert_eq!(accounts, 1);
}
crate::both!(a_moved_member_and_a_race_open_nothing_twice);
