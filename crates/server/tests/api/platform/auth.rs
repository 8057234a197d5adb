//! Sign-in, lockout, sessions and forced password change.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, fresh_pg_url, temp_dir};

async fn wrong_password_then_lockout(t: TestApp) {
    let c = t.anon();
    let r = c.post("/api/v1/session", json!({"username": "gz_branch", "password": "nope"})).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.body["title"], "用户名或密码错误");
    assert_eq!(r.headers["content-type"], "application/problem+json");
    // Unknown users get the same answer.
    let r = c.post("/api/v1/session", json!({"username": "nobody", "password": "nope"})).await;
    assert_eq!(r.body["title"], "用户名或密码错误");
    for _ in 0..3 {
        assert_eq!(
            c.post("/api/v1/session", json!({"username": "gz_branch", "password": "nope"})).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    // The fifth wrong password locks the account for 15 minutes.
    let r = c.post("/api/v1/session", json!({"username": "gz_branch", "password": "nope"})).await;
    assert_eq!(r.status, StatusCode::LOCKED, "{}", r.body);
    let secs = r.body["retry_after_secs"].as_i64().unwrap();
    assert!((890..=900).contains(&secs), "{secs}");
    assert_eq!(r.body["title"], "账号已锁定，请 15 分钟后再试");
    assert!(r.headers.get("retry-after").is_some());
    // Even the right password is refused while locked.
    let r = c.post("/api/v1/session", json!({"username": "gz_branch", "password": crate::helpers::PASSWORD})).await;
    assert_eq!(r.status, StatusCode::LOCKED);
    // The auditor sees the failures and the lock.
    let a = t.login("auditor").await;
    let ev = a.get("/api/v1/audit-events?action=session.login&result=failed").await;
    assert!(ev.body["total"].as_u64().unwrap() >= 6, "{}", ev.body);
    let denied = a.get("/api/v1/audit-events?action=session.login&result=denied").await;
    assert_eq!(denied.body["items"][0]["detail"]["reason"], "locked");
}
crate::both!(wrong_password_then_lockout);

async fn sessions_end_and_cookie_is_hardened(t: TestApp) {
    let c = t.anon();
    let r = c
        .http
        .post(t.url("/api/v1/session"))
        .json(&json!({"username": "wuchuan_admin", "password": crate::helpers::PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"), "{cookie}");
    let token = cookie.split(';').next().unwrap().to_string();
    let body: serde_json::Value = r.json().await.unwrap();
    let csrf = body["csrf_token"].as_str().unwrap().to_string();
    assert!(body["permissions"].as_array().unwrap().contains(&json!("member.unmask")));
    // A second session, then "sign out elsewhere" from the first.
    let other = t.login("wuchuan_admin").await;
    let raw = reqwest::Client::new();
    let list = raw
        .get(t.url("/api/v1/me/sessions"))
        .header("cookie", &token)
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(list["total"], 2);
    let ended = raw
        .delete(t.url("/api/v1/me/sessions"))
        .header("cookie", &token)
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(ended.json::<serde_json::Value>().await.unwrap()["ended"], 1);
    assert_eq!(other.get("/api/v1/session").await.status, StatusCode::UNAUTHORIZED);
    // Logging out kills the cookie server-side: replaying it fails.
    let out = raw
        .delete(t.url("/api/v1/session"))
        .header("cookie", &token)
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let replay = raw.get(t.url("/api/v1/session")).header("cookie", &token).send().await.unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = replay.json().await.unwrap();
    assert_eq!(body["title"], "会话已过期，请重新登录");
}
crate::both!(sessions_end_and_cookie_is_hardened);

async fn new_user_must_change_password(t: TestApp) {
    let sec = t.login("secadmin").await;
    let weak =
        sec.post("/api/v1/users", json!({"username": "clerk1", "display_name": "王文书", "password": "short"})).await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(weak.body["errors"]["password"][0], "密码至少 8 位");
    let u = sec
        .post("/api/v1/users", json!({"username": "clerk1", "display_name": "王文书", "password": "Start@2026a"}))
        .await;
    assert_eq!(u.status, StatusCode::CREATED, "{}", u.body);
    assert_eq!(u.body["must_change_password"], true);
    let dup = sec
        .post("/api/v1/users", json!({"username": "clerk1", "display_name": "王文书", "password": "Start@2026a"}))
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert_eq!(dup.body["errors"]["username"][0], "用户名已存在");
    let uid = u.body["id"].as_i64().unwrap();
    let gz = t.org_id("广州吴川商会党支部").await;
    let g = sec.post(&format!("/api/v1/users/{uid}/grants"), json!({"role": "org_admin", "org_id": gz})).await;
    assert_eq!(g.status, StatusCode::OK, "{}", g.body);
    // The three system roles cannot be combined with anything.
    let g2 = sec.post(&format!("/api/v1/users/{uid}/grants"), json!({"role": "audit_admin"})).await;
    assert_eq!(g2.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(g2.body["errors"]["role"][0].as_str().unwrap().contains("三员分立"));

    let c = t.login_with("clerk1", "Start@2026a").await;
    let s = c.get("/api/v1/session").await;
    assert_eq!(s.body["user"]["must_change_password"], true);
    let blocked = c.get("/api/v1/orgs/roots").await;
    assert_eq!(blocked.status, StatusCode::FORBIDDEN);
    assert_eq!(blocked.body["code"], "password_change_required");
    let bad =
        c.post("/api/v1/me/password", json!({"old_password": "Start@2026a", "new_password": "alllowercase1"})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body["errors"]["new_password"][0].as_str().unwrap().contains("至少 3 类"));
    let wrong_old = c.post("/api/v1/me/password", json!({"old_password": "x", "new_password": "Better@2026b"})).await;
    assert_eq!(wrong_old.body["errors"]["old_password"][0], "原密码不正确");
    let ok =
        c.post("/api/v1/me/password", json!({"old_password": "Start@2026a", "new_password": "Better@2026b"})).await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT, "{}", ok.body);
    let roots = c.get("/api/v1/orgs/roots").await;
    assert_eq!(roots.status, StatusCode::OK);
    assert_eq!(roots.body["items"][0]["name"], "广州吴川商会党支部");
    // Disabling the user signs them out at once.
    let dis = sec.patch(&format!("/api/v1/users/{uid}"), json!({"disabled": true})).await;
    assert_eq!(dis.body["disabled"], true);
    assert_eq!(c.get("/api/v1/orgs/roots").await.status, StatusCode::UNAUTHORIZED);
}
crate::both!(new_user_must_change_password);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_sessions_expire() {
    for url in [None, Some(fresh_pg_url().await)] {
        let dir = temp_dir("hl_idle");
        let url = url.unwrap_or_else(|| honglian_store::sqlite_url(&dir.join("honglian.db")));
        let t = TestApp::spawn_with(dir, url, true, |c| c.security.session_idle_minutes = 0).await;
        let c = t.login("wuchuan_admin").await;
        let r = c.get("/api/v1/session").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.body["title"], "会话已过期，请重新登录");
    }
}

/// A stolen session is no free oracle for the password: wrong current passwords given to change it count
/// toward the lockout like wrong logins, and the lock ends every session of the account.
async fn a_session_is_no_password_oracle(t: TestApp) {
    let c = t.login("gz_branch").await;
    for _ in 0..4 {
        let r = c.post("/api/v1/me/password", json!({"old_password": "guess", "new_password": "Another@2026x"})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.body["errors"]["old_password"][0], "原密码不正确");
    }
    let r = c.post("/api/v1/me/password", json!({"old_password": "guess", "new_password": "Another@2026x"})).await;
    assert_eq!(r.status, StatusCode::LOCKED, "{}", r.body);
    assert_eq!(c.get("/api/v1/session").await.status, StatusCode::UNAUTHORIZED, "the session ended with the lock");
    let again =
        t.anon().post("/api/v1/session", json!({"username": "gz_branch", "password": crate::helpers::PASSWORD})).await;
    assert_eq!(again.status, StatusCode::LOCKED, "{}", again.body);
    let audit = t.login("auditor").await.get("/api/v1/audit-events?action=user.change_password&result=failed").await;
    assert!(audit.body["total"].as_u64().unwrap() >= 5, "{}", audit.body);
}
crate::both!(a_session_is_no_password_oracle);
