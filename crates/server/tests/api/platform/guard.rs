//! What every request passes through: denied writes and refused unmasks are audited (coalesced),
//! logins, check-in codes and lookups are rate-limited per client and per user, X-Forwarded-For
//! counts only from a trusted proxy; and the audit log's archive export.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::cli::honglian_on;
use crate::helpers::{Client, TestApp, id_number, items, temp_dir};

async fn audit_of(a: &Client, action: &str) -> Vec<Value> {
    let r = a.get(&format!("/api/v1/audit-events?action={action}&per_page=200")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    items(&r.body).clone()
}

async fn denied_writes_are_audited(t: TestApp) {
    let auditor = t.login("auditor").await;
    // A branch worker tries to unmask a member of another county: 404, recorded once however often.
    let gz = t.login("gz_branch").await;
    let jx = t.login("jinxiang_admin").await;
    let jx_member = jx.get("/api/v1/members?per_page=1").await.body["items"][0]["id"].as_i64().unwrap();
    for _ in 0..5 {
        let r = gz.post(&format!("/api/v1/members/{jx_member}/unmask"), json!({"reason": "试探"})).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    let ev = audit_of(&auditor, "member.unmask").await;
    let denied: Vec<&Value> = ev.iter().filter(|e| e["result"] == "denied").collect();
    assert_eq!(denied.len(), 1, "five tries in a minute are one record: {ev:?}");
    assert_eq!(denied[0]["actor_name"], "gz_branch");
    assert_eq!(denied[0]["object_id"], "POST /api/v1/members/{id}/unmask");
    assert_eq!(denied[0]["detail"]["status"], 404);
    assert_eq!(denied[0]["detail"]["path"], format!("/api/v1/members/{jx_member}/unmask"));
    // A write without the permission (403), its body holding an ID number: recorded, without it.
    let instructor = t.login("instructor").await;
    let idn = id_number("440883", 1990, 1, 2, 77);
    let org = t.org_id("广州吴川商会党支部").await;
    let r = instructor
        .post(
            "/api/v1/members",
            json!({"org_id": org, "name": "越权登记", "id_number": idn, "joined_on": "2010-07-01"}),
        )
        .await;
    assert!(matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}", r.status);
    let ev = audit_of(&auditor, "request.denied").await;
    let mine: Vec<&Value> = ev.iter().filter(|e| e["actor_name"] == "instructor").collect();
    assert_eq!(mine.len(), 1, "{ev:?}");
    assert_eq!(mine[0]["object_id"], "POST /api/v1/members");
    assert_eq!(mine[0]["result"], "denied");
    assert!(!mine[0].to_string().contains(&idn), "no personal data in the record");
    // A refused unmask on a read (export with a reason, without the permission): recorded too.
    let denied = instructor.get("/api/v1/ledgers/outflow.xlsx?unmask_reason=%E6%A0%B8%E5%AF%B9").await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let ev = audit_of(&auditor, "member.unmask").await;
    assert!(
        ev.iter().any(|e| e["actor_name"] == "instructor" && e["result"] == "denied"),
        "the refused unmasked export: {ev:?}"
    );
    // Reads that find nothing are not denials; the chain still verifies.
    assert_eq!(gz.get(&format!("/api/v1/members/{jx_member}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(audit_of(&auditor, "request.denied").await.len(), 1);
    assert!(matches!(
        honglian_app::platform::audit::verify(&t.app.db, &t.app.crypto).await.unwrap(),
        honglian_app::platform::audit::Verdict::Intact { .. }
    ));
}
crate::both!(denied_writes_are_audited);

/// The rate-limited routes answer 429 with a Chinese title and Retry-After, per client and per user.
async fn rate_limits(t: TestApp) {
    let limits = t.app.config.security.rate_limits;
    // Lookups: per user. The 21st of one user is refused; another user still may.
    let w = t.login("wuchuan_admin").await;
    let body = json!({"id_number": id_number("440883", 1980, 1, 1, 1)});
    // A minute's allowance at once; a slow machine may earn one or two more meanwhile.
    let mut ok = 0;
    let r = loop {
        let r = w.post("/api/v1/members/lookup", body.clone()).await;
        if r.status != StatusCode::OK || ok > limits.lookup_per_user + 5 {
            break r;
        }
        ok += 1;
    };
    assert!(ok >= limits.lookup_per_user, "{ok} lookups allowed");
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body["title"].as_str().unwrap().contains("操作过于频繁"), "{}", r.body);
    assert!(r.headers.get("retry-after").is_some());
    let other = t.login("jinxiang_admin").await;
    assert_eq!(other.post("/api/v1/members/lookup", body.clone()).await.status, StatusCode::OK, "another user");
    // Check-in codes: per user (the code is what is guessed).
    let me = t.login("member_demo").await;
    let mut tries = 0;
    while me.post("/api/v1/activities/1/check-in", json!({"code": "000000"})).await.status
        != StatusCode::TOO_MANY_REQUESTS
    {
        tries += 1;
        assert!(tries <= limits.check_in_per_user + 5, "check-in codes are limited");
    }
    assert!(tries >= limits.check_in_per_user, "{tries} tries allowed");
    // Logins: per client (wrong passwords of made-up accounts: no lockout to hide behind).
    let anon = t.anon();
    let mut refused = None;
    for i in 0..=limits.login_per_client {
        let r = anon.post("/api/v1/session", json!({"username": format!("nobody{i}"), "password": "x"})).await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            refused = Some(i);
            break;
        }
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    // The test signed in three times above from the same address.
    let refused = refused.expect("the client's minute of logins is spent");
    assert!(refused + 3 >= limits.login_per_client, "{refused}");
    let r = anon.post("/api/v1/session", json!({"username": "auditor", "password": crate::helpers::PASSWORD})).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "even with the right password, until the minute passes");
}
crate::both!(rate_limits);

/// X-Forwarded-For is believed only from the configured proxy: without one, a client cannot
/// escape its limit (or forge its audited address) by sending the header.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_for_only_from_the_trusted_proxy() {
    let login = |c: &Client, xff: &str, i: u32| {
        let http = reqwest::Client::new();
        let url = format!("{}/api/v1/session", c.base);
        let xff = xff.to_string();
        async move {
            http.post(url)
                .header("x-forwarded-for", xff)
                .json(&json!({"username": format!("nobody{i}"), "password": "x"}))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let five = |c: &mut honglian_server::config::Config| c.security.rate_limits.login_per_client = 5;
    // No trusted proxy: the header changes nothing.
    let dir = temp_dir("hl_xff");
    let t = TestApp::spawn_with(dir.clone(), honglian_store::sqlite_url(&dir.join("honglian.db")), true, five).await;
    let c = t.anon();
    for i in 0..5 {
        assert_eq!(login(&c, &format!("198.51.100.{i}"), i).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(login(&c, "198.51.100.99", 9).await, StatusCode::TOO_MANY_REQUESTS);
    // Behind the trusted proxy (here: the loopback the test connects from): one limit per client.
    let dir = temp_dir("hl_xff_proxy");
    let t = TestApp::spawn_with(dir.clone(), honglian_store::sqlite_url(&dir.join("honglian.db")), true, |c| {
        five(c);
        c.trusted_proxy = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let c = t.anon();
    for i in 0..5 {
        // What the client claims (left) is ignored; the proxy's entry (right) is the client.
        assert_eq!(login(&c, &format!("10.9.9.{i}, 203.0.113.7"), i).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(login(&c, "203.0.113.7", 7).await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(login(&c, "203.0.113.8", 8).await, StatusCode::UNAUTHORIZED, "another client behind the proxy");
    let auditor = t.login_with("auditor", crate::helpers::PASSWORD).await;
    let ev = audit_of(&auditor, "session.login").await;
    assert!(ev.iter().any(|e| e["ip"] == "203.0.113.8"), "the audited address is the client's: {ev:?}");
}

/// `honglian audit export --since DATE --out FILE`: JSON lines that link up and verify with the key.
async fn audit_export(t: TestApp) {
    let a = t.login("auditor").await;
    let url = (!t.database_url.starts_with("sqlite")).then_some(t.database_url.as_str());
    let out = t.data_dir.join("audit-2000.jsonl");
    let (ok, text) = honglian_on(
        &t.data_dir,
        url,
        &["audit", "export", "--since", "2000-01-01", "--out", out.to_str().unwrap()],
        None,
    );
    assert!(ok, "{text}");
    assert!(text.contains("已导出"), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let lines: Vec<Value> =
        std::fs::read_to_string(&out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let total = a.get("/api/v1/audit-events?per_page=1").await.body["total"].as_i64().unwrap();
    assert!(lines.len() as i64 >= total && total > 0, "{} lines, {total} records", lines.len());
    let mut prev = "0".repeat(64);
    for l in &lines {
        assert_eq!(l["prev_hash"], prev.as_str(), "each line links to the one before");
        let e = honglian_store::repo::platform::audit::AuditEvent {
            id: l["id"].as_i64().unwrap(),
            at: l["at"].as_str().unwrap().parse().unwrap(),
            actor_id: l["actor_id"].as_i64(),
            actor_name: l["actor_name"].as_str().unwrap().into(),
            action: l["action"].as_str().unwrap().into(),
            object_type: l["object_type"].as_str().unwrap().into(),
            object_id: l["object_id"].as_str().map(Into::into),
            ip: l["ip"].as_str().map(Into::into),
            result: l["result"].as_str().unwrap().into(),
            detail: l["detail"].as_str().unwrap().into(),
            prev_hash: prev.clone(),
            hash: String::new(),
        };
        let mac = t.app.crypto.audit_mac(&prev, &honglian_app::platform::audit::canonical(&e));
        assert_eq!(l["hash"], mac.as_str(), "record {} verifies with the audit key", e.id);
        prev = mac;
    }
    // The archive is signed with the deployment's SM2 key: whoever holds the published public key checks
    // it without the database or the key file, and a changed byte is found.
    assert!(text.contains("SM2"), "{text}");
    let (ok, public) = honglian_on(&t.data_dir, url, &["keys", "public-key"], None);
    assert!(ok, "{public}");
    let public = public.lines().find(|l| l.starts_with("04")).expect("the public key").trim().to_string();
    let verify = |public: &str| {
        honglian_on(
            &t.data_dir,
            url,
            &["audit", "verify-file", "--file", out.to_str().unwrap(), "--public-key", public],
            None,
        )
    };
    let (ok, text) = verify(&public);
    assert!(ok && text.contains("签名有效"), "{text}");
    let signed = std::fs::read(&out).unwrap();
    let mut changed = signed.clone();
    let at = changed.iter().position(|b| *b == b'"').unwrap();
    changed[at + 1] ^= 1;
    std::fs::write(&out, &changed).unwrap();
    let (ok, text) = verify(&public);
    assert!(!ok && text.contains("文件已被改动"), "{text}");
    std::fs::write(&out, &signed).unwrap();
    let other = format!("04{}", "1".repeat(128));
    assert!(!verify(&other).0, "another key does not verify it");
    // Refuses to overwrite; a date in the future gives an empty archive.
    let (ok, text) = honglian_on(
        &t.data_dir,
        url,
        &["audit", "export", "--since", "2000-01-01", "--out", out.to_str().unwrap()],
        None,
    );
    assert!(!ok && text.contains("拒绝覆盖"), "{text}");
    let later = t.data_dir.join("audit-2999.jsonl");
    let (ok, text) = honglian_on(
        &t.data_dir,
        url,
        &["audit", "export", "--since", "2999-01-01", "--out", later.to_str().unwrap()],
        None,
    );
    assert!(ok, "{text}");
    assert_eq!(std::fs::read_to_string(&later).unwrap(), "");
}
crate::both!(audit_export);
