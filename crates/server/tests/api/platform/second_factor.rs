//! The second factor (TOTP) of console accounts and the periodic password change: enrolment,
//! sign-in with a code, wrong and replayed codes toward the lockout, switching it off, the security
//! administrator's reset, the `[security] second_factor` policy and `password_max_age_days`.
//! Codes are computed here with the same crate, as an authenticator app would.

use chrono::{Duration, Utc};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Client, PASSWORD, TestApp};

/// The code of `secret` (Base32, spaces allowed) `steps` time steps from now.
fn code(secret: &str, steps: i64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret.replace(' ', "")).expect("a Base32 secret");
    let t = totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_secret(secret)
        .build()
        .unwrap();
    t.generate((Utc::now().timestamp() + steps * 30) as u64).to_string()
}

/// A six-digit code that is none of the codes valid now.
fn wrong_code(secret: &str) -> String {
    let valid: Vec<String> = (-2..=2).map(|s| code(secret, s)).collect();
    ["000000", "111111", "222222"].into_iter().find(|c| !valid.iter().any(|v| v == c)).unwrap().to_string()
}

async fn sign_in(c: &Client, username: &str, otp: Option<&str>) -> crate::helpers::Resp {
    let mut body = json!({"username": username, "password": PASSWORD});
    if let Some(o) = otp {
        body["otp"] = json!(o);
    }
    c.post("/api/v1/session", body).await
}

/// Turns the second factor on for the signed-in `c`: the secret (Base32, grouped).
async fn enrol(c: &Client) -> String {
    let start = c.post("/api/v1/me/second-factor", json!({})).await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.body);
    let secret = start.body["secret"].as_str().unwrap().to_string();
    let ok = c.post("/api/v1/me/second-factor/confirm", json!({"code": code(&secret, 0)})).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.body["enabled"], true);
    secret
}

/// As if the codes used so far were a few minutes old: the test need not wait for the next window.
async fn clock_moves_on(t: &TestApp, username: &str) {
    t.sql_exec(&format!("UPDATE users SET totp_last_step = totp_last_step - 10 WHERE username = '{username}'")).await;
}

async fn failed_logins(t: &TestApp, username: &str) -> i64 {
    t.sql_i64(&format!("SELECT failed_logins FROM users WHERE username = '{username}'")).await
}

async fn enrol_sign_in_lockout_and_disable(t: TestApp) {
    let root = t.org_id("中共吴川市委员会").await;
    let me = t.account("sf_county", "county_admin", Some(root), None).await;
    let s = me.get("/api/v1/me/second-factor").await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.body);
    assert_eq!(
        (&s.body["enabled"], &s.body["pending"], &s.body["required"], &s.body["available"]),
        (&json!(false), &json!(false), &json!(false), &json!(true)),
        "{}",
        s.body
    );

    // Start: the otpauth URI, the secret in groups of four, the QR code drawn on the server.
    let start = me.post("/api/v1/me/second-factor", json!({})).await;
    assert_eq!(start.status, StatusCode::OK, "{}", start.body);
    let uri = start.body["otpauth_uri"].as_str().unwrap();
    let secret = start.body["secret"].as_str().unwrap().to_string();
    assert!(uri.starts_with("otpauth://totp/") && uri.contains("sf_county"), "{uri}");
    assert!(uri.contains(&format!("secret={}", secret.replace(' ', ""))), "{uri}");
    assert_eq!(secret.split(' ').count(), 8, "32 Base32 characters in groups of four: {secret}");
    let svg = start.body["qr_svg"].as_str().unwrap();
    assert!(svg.contains("<svg") && svg.contains("</svg>"), "an SVG document");
    assert_eq!(me.get("/api/v1/me/second-factor").await.body["pending"], true);
    // Pending is not enabled: the password alone still signs in.
    assert_eq!(sign_in(&t.anon(), "sf_county", None).await.status, StatusCode::OK);

    // The secret is sealed in the database, bound to the user: never in clear.
    let plain = secret.replace(' ', "");
    let sealed = t.sql_text("SELECT totp_secret_enc FROM users WHERE username = 'sf_county'").await;
    assert!(sealed.starts_with("v1:") && !sealed.contains(&plain), "{sealed}");
    if t.database_url.starts_with("sqlite") {
        for f in ["honglian.db", "honglian.db-wal"] {
            let bytes = std::fs::read(t.data_dir.join(f)).unwrap_or_default();
            assert!(!bytes.windows(plain.len()).any(|w| w == plain.as_bytes()), "the Base32 secret in clear in {f}");
        }
    }

    // A wrong code does not confirm; the current one does.
    let bad = me.post("/api/v1/me/second-factor/confirm", json!({"code": wrong_code(&secret)})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body["errors"]["code"][0].as_str().unwrap().contains("动态口令不正确"), "{}", bad.body);
    let ok = me.post("/api/v1/me/second-factor/confirm", json!({"code": code(&secret, 0)})).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!((&ok.body["enabled"], &ok.body["pending"]), (&json!(true), &json!(false)));
    // Once on, starting again is refused (switch it off first).
    assert_eq!(me.post("/api/v1/me/second-factor", json!({})).await.status, StatusCode::CONFLICT);

    // Signing in without a code: the distinct answer the login page shows the 动态口令 field for.
    let c = t.anon();
    let r = sign_in(&c, "sf_county", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    assert_eq!(
        (r.body["code"].as_str(), r.body["title"].as_str()),
        (Some("second_factor_required"), Some("请输入动态口令"))
    );
    assert_eq!(failed_logins(&t, "sf_county").await, 0, "the password was right: nothing counted");
    // A wrong password with any code is a wrong password.
    let r =
        c.post("/api/v1/session", json!({"username": "sf_county", "password": "nope", "otp": code(&secret, 1)})).await;
    assert_eq!((r.status, r.body["title"].as_str()), (StatusCode::UNAUTHORIZED, Some("用户名或密码错误")));
    // Wrong codes count toward the lockout like wrong passwords.
    for n in 2..=4 {
        let r = sign_in(&c, "sf_county", Some(&wrong_code(&secret))).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
        assert_eq!(r.body["code"], "second_factor_invalid");
        assert_eq!(failed_logins(&t, "sf_county").await, n);
    }
    // The right code (the next window's: the current one was spent confirming) signs in.
    let next = code(&secret, 1);
    let r = sign_in(&c, "sf_county", Some(&next)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(failed_logins(&t, "sf_county").await, 0);
    // The same code again is refused: a code is accepted once.
    let r = sign_in(&t.anon(), "sf_county", Some(&next)).await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("second_factor_invalid")));
    assert_eq!(failed_logins(&t, "sf_county").await, 1, "a replayed code counts");
    // Four more wrong codes: the fifth failure locks the account, the right code is refused then.
    for _ in 0..3 {
        assert_eq!(sign_in(&c, "sf_county", Some(&wrong_code(&secret))).await.status, StatusCode::UNAUTHORIZED);
    }
    let r = sign_in(&c, "sf_county", Some(&wrong_code(&secret))).await;
    assert_eq!(r.status, StatusCode::LOCKED, "{}", r.body);
    clock_moves_on(&t, "sf_county").await;
    assert_eq!(sign_in(&c, "sf_county", Some(&code(&secret, 0))).await.status, StatusCode::LOCKED);

    // The auditor sees the reasons, never a code or the secret.
    let a = t.login("auditor").await;
    let ev = a.get("/api/v1/audit-events?action=session.login&result=failed&per_page=100").await;
    let items = ev.body["items"].as_array().unwrap();
    let reasons: Vec<&str> = items.iter().filter_map(|e| e["detail"]["reason"].as_str()).collect();
    assert!(reasons.contains(&"wrong_otp") && reasons.contains(&"second_factor_required"), "{reasons:?}");
    assert!(items.iter().any(|e| e["detail"]["replayed"] == true), "the replay is marked");
    let all = a.get("/api/v1/audit-events?per_page=100").await.body.to_string();
    assert!(!all.contains(&plain) && !all.contains(&next), "no secret or code in the audit log");
    let enabled = a.get("/api/v1/audit-events?action=user.second_factor_enable&per_page=10").await;
    let results: Vec<&str> =
        enabled.body["items"].as_array().unwrap().iter().filter_map(|e| e["result"].as_str()).collect();
    assert!(results.contains(&"ok") && results.contains(&"failed"), "{results:?}");

    // Switching it off takes the password and a current code.
    t.sql_exec("UPDATE users SET locked_until = NULL, failed_logins = 0 WHERE username = 'sf_county'").await;
    clock_moves_on(&t, "sf_county").await;
    let off = |password: &'static str, code: String| {
        let me = &me;
        async move { me.post("/api/v1/me/second-factor/disable", json!({"password": password, "code": code})).await }
    };
    let r = off("nope", code(&secret, 0)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["errors"]["password"].is_array(), "{}", r.body);
    let r = off(PASSWORD, wrong_code(&secret)).await;
    assert!(r.body["errors"]["code"].is_array(), "{}", r.body);
    let r = off(PASSWORD, code(&secret, 0)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["enabled"], false);
    assert_eq!(sign_in(&t.anon(), "sf_county", None).await.status, StatusCode::OK, "the password alone again");
    assert_eq!(
        t.sql_i64("SELECT COUNT(*) FROM users WHERE username = 'sf_county' AND totp_secret_enc IS NULL").await,
        1
    );
}
crate::both!(enrol_sign_in_lockout_and_disable);

async fn security_admin_resets_a_lost_second_factor(t: TestApp) {
    let gz = t.org_id("广州吴川商会党支部").await;
    let lost = t.account("sf_lost", "org_admin", Some(gz), None).await;
    enrol(&lost).await;
    let id = t.app.user_by_name("sf_lost").await.unwrap().unwrap().id;
    let reset = format!("/api/v1/users/{id}/second-factor/reset");
    // Neither a branch worker nor the auditor may reset it.
    for who in ["gz_branch", "auditor", "wuchuan_admin"] {
        let r = t.login(who).await.post(&reset, json!({})).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}: {}", r.body);
    }
    let sec = t.login("secadmin").await;
    let s = sec.get(&format!("/api/v1/users/{id}/second-factor")).await;
    assert_eq!((s.status, &s.body["enabled"]), (StatusCode::OK, &json!(true)), "{}", s.body);
    let r = sec.post(&reset, json!({})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(sec.get(&format!("/api/v1/users/{id}/second-factor")).await.body["enabled"], false);
    assert_eq!(sec.post(&reset, json!({})).await.status, StatusCode::CONFLICT, "nothing left to reset");
    // Not one's own: that is switched off with a code.
    let me = t.app.user_by_name("secadmin").await.unwrap().unwrap().id;
    let r = sec.post(&format!("/api/v1/users/{me}/second-factor/reset"), json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // The lost phone's code is no longer asked for; the password signs in.
    let r = sign_in(&t.anon(), "sf_lost", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let a = t.login("auditor").await;
    let ev = a.get("/api/v1/audit-events?action=user.reset_second_factor").await;
    assert_eq!(ev.body["items"][0]["object_id"], id.to_string(), "{}", ev.body);
    // Portal-only accounts neither may nor must: a member enables nothing.
    let member = t.login("member_demo").await;
    let r = member.post("/api/v1/me/second-factor", json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(member.get("/api/v1/me/second-factor").await.body["available"], false);
}
crate::both!(security_admin_resets_a_lost_second_factor);

/// `second_factor = "admins"`: the three system administrators and county administrators must set
/// one up before anything else; branch workers and members are not asked.
async fn admins_policy_forces_enrolment(t: TestApp) {
    let sec = t.anon();
    let r = sign_in(&sec, "secadmin", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["user"]["must_set_up_second_factor"], true, "{}", r.body);
    let sec = Client { csrf: r.body["csrf_token"].as_str().map(String::from), ..sec };
    // Everything else is refused with the distinct code, the session and the enrolment are not.
    let refused = sec.get("/api/v1/users").await;
    assert_eq!(
        (refused.status, refused.body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("second_factor_required_setup"))
    );
    let refused = sec.post("/api/v1/users", json!({"username": "x", "display_name": "x", "password": "x"})).await;
    assert_eq!(refused.body["code"], "second_factor_required_setup");
    assert_eq!(sec.get("/api/v1/session").await.body["user"]["must_set_up_second_factor"], true);
    assert_eq!(sec.get("/api/v1/me/sessions").await.status, StatusCode::OK);
    let s = sec.get("/api/v1/me/second-factor").await;
    assert_eq!((&s.body["required"], &s.body["enabled"]), (&json!(true), &json!(false)), "{}", s.body);
    // County administrators too; a branch worker and a member are not asked.
    for (who, asked) in [("wuchuan_admin", true), ("auditor", true), ("gz_branch", false), ("member_demo", false)] {
        let r = sign_in(&t.anon(), who, None).await;
        assert_eq!(r.body["user"]["must_set_up_second_factor"], asked, "{who}: {}", r.body);
    }
    assert_eq!(t.login("gz_branch").await.get("/api/v1/workbench").await.status, StatusCode::OK);
    // Once set up, the same session works.
    let secret = enrol(&sec).await;
    assert_eq!(sec.get("/api/v1/users").await.status, StatusCode::OK);
    assert_eq!(sec.get("/api/v1/session").await.body["user"]["must_set_up_second_factor"], false);
    // Switched off again, the session is back to setting one up (a new phone).
    clock_moves_on(&t, "secadmin").await;
    let off =
        sec.post("/api/v1/me/second-factor/disable", json!({"password": PASSWORD, "code": code(&secret, 0)})).await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    assert_eq!(sec.get("/api/v1/users").await.body["code"], "second_factor_required_setup");
}

mod admins_policy {
    use crate::helpers::{TestApp, fresh_pg_url, temp_dir};

    fn admins(c: &mut honglian_server::config::Config) {
        c.security.second_factor = honglian_app::SecondFactorPolicy::Admins;
        c.security.rate_limits.login_per_client = 0;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let dir = temp_dir("hl_sf_admins");
        let url = honglian_store::sqlite_url(&dir.join("honglian.db"));
        let mut t = TestApp::spawn_with(dir, url, true, admins).await;
        t.owned = true;
        super::admins_policy_forces_enrolment(t).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let mut t = TestApp::spawn_with(temp_dir("hl_sf_admins_pg"), fresh_pg_url().await, true, admins).await;
        t.owned = true;
        super::admins_policy_forces_enrolment(t).await
    }
}

/// A console account whose password is older than `password_max_age_days` (90 by default) must
/// change it at its next login; a member's is never asked.
async fn old_passwords_must_be_changed(t: TestApp) {
    use honglian_store::entity::platform::user;
    use sea_orm::{ActiveModelTrait, Set};
    let gz = t.org_id("广州吴川商会党支部").await;
    let fresh = t.account("sf_old", "org_admin", Some(gz), None).await;
    assert_eq!(fresh.get("/api/v1/session").await.body["user"]["must_change_password"], false);
    let set_at = t.sql_text("SELECT CAST(password_changed_at AS TEXT) FROM users WHERE username = 'sf_old'").await;
    assert!(!set_at.is_empty(), "recorded at creation");
    for who in ["sf_old", "member_demo"] {
        let u = t.app.user_by_name(who).await.unwrap().unwrap();
        let mut am: user::ActiveModel = u.into();
        am.password_changed_at = Set(Some(Utc::now() - Duration::days(91)));
        am.update(&t.app.db).await.unwrap();
    }
    let c = t.anon();
    let r = sign_in(&c, "sf_old", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["user"]["must_change_password"], true, "{}", r.body);
    let c = Client { csrf: r.body["csrf_token"].as_str().map(String::from), ..c };
    let refused = c.get("/api/v1/workbench").await;
    assert_eq!(
        (refused.status, refused.body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("password_change_required"))
    );
    // A member is never asked.
    let m = sign_in(&t.anon(), "member_demo", None).await;
    assert_eq!(m.body["user"]["must_change_password"], false, "{}", m.body);
    // A new password: the clock starts again.
    let ch = c.post("/api/v1/me/password", json!({"old_password": PASSWORD, "new_password": "Renew@2026!x"})).await;
    assert_eq!(ch.status, StatusCode::NO_CONTENT, "{}", ch.body);
    assert_eq!(c.get("/api/v1/workbench").await.status, StatusCode::OK);
    let u = t.app.user_by_name("sf_old").await.unwrap().unwrap();
    assert!(
        u.password_changed_at.is_some_and(|at| Utc::now() - at < Duration::minutes(5)),
        "{:?}",
        u.password_changed_at
    );
    let again = c.post("/api/v1/session", json!({"username": "sf_old", "password": "Renew@2026!x"})).await;
    assert_eq!(again.body["user"]["must_change_password"], false, "{}", again.body);
    let a = t.login("auditor").await;
    let ev = a.get("/api/v1/audit-events?action=user.password_expired").await;
    assert_eq!(ev.body["total"], 1, "{}", ev.body);
}
crate::both!(old_passwords_must_be_changed);

/// `password_max_age_days = 0`: passwords never expire.
async fn password_age_can_be_switched_off(t: TestApp) {
    use honglian_store::entity::platform::user;
    use sea_orm::{ActiveModelTrait, Set};
    let u = t.app.user_by_name("gz_branch").await.unwrap().unwrap();
    let mut am: user::ActiveModel = u.into();
    am.password_changed_at = Set(Some(Utc::now() - Duration::days(400)));
    am.update(&t.app.db).await.unwrap();
    let r = sign_in(&t.anon(), "gz_branch", None).await;
    assert_eq!(r.body["user"]["must_change_password"], false, "{}", r.body);
}

mod password_age_off {
    use crate::helpers::{TestApp, temp_dir};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let dir = temp_dir("hl_sf_age_off");
        let url = honglian_store::sqlite_url(&dir.join("honglian.db"));
        let mut t = TestApp::spawn_with(dir, url, true, |c| c.security.password_max_age_days = 0).await;
        t.owned = true;
        super::password_age_can_be_switched_off(t).await
    }
}

/// `honglian keys rotate` re-seals the secret under the new keys (it is in `rotation::SEALED`), still
/// bound to its user.
async fn the_secret_survives_a_key_rotation(t: TestApp) {
    use honglian_app::platform::crypto::FileKeyProvider;
    use honglian_app::platform::sealing::open_text;
    let gz = t.org_id("广州吴川商会党支部").await;
    let me = t.account("sf_rotate", "org_admin", Some(gz), None).await;
    let secret = enrol(&me).await.replace(' ', "");
    let id = t.app.user_by_name("sf_rotate").await.unwrap().unwrap().id;
    let before = t.sql_text(&format!("SELECT totp_secret_enc FROM users WHERE id = {id}")).await;
    let path = t.data_dir.join("honglian.keys");
    let keys = FileKeyProvider::load(&path).unwrap();
    honglian_app::platform::rotation::rotate(&t.app, &path, keys, 50, &|_| {}).await.unwrap();
    let after = t.sql_text(&format!("SELECT totp_secret_enc FROM users WHERE id = {id}")).await;
    assert_ne!(before, after, "sealed again");
    let new = honglian_app::Crypto::new(&FileKeyProvider::load(&path).unwrap().current());
    assert_eq!(open_text(&new, "users", "totp_secret", id, Some(&after)).unwrap().as_deref(), Some(secret.as_str()));
    assert!(open_text(&new, "users", "totp_secret", id + 1, Some(&after)).is_err(), "bound to its user");
}
crate::both!(the_secret_survives_a_key_rotation);
