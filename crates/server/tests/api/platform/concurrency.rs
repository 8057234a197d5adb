//! Logins under load: the SQLite write lock is never held across password hashing, so 50 parallel
//! logins do not make another user's save fail; parallel wrong passwords all count toward the
//! lockout (an atomic increment, also on PostgreSQL).

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::helpers::{PASSWORD, TestApp, fresh_pg_url, temp_dir};

async fn spawn(postgres: bool, max_failed: u32) -> TestApp {
    let tweak = move |c: &mut honglian_server::config::Config| {
        // The load comes from one address: the per-client login limit is not what is tested here.
        c.security.rate_limits.login_per_client = 0;
        c.security.max_failed_logins = max_failed;
    };
    if postgres {
        TestApp::spawn_with(temp_dir("hl_conc_pg"), fresh_pg_url().await, true, tweak).await
    } else {
        let dir = temp_dir("hl_conc");
        TestApp::spawn_with(dir.clone(), honglian_store::sqlite_url(&dir.join("honglian.db")), true, tweak).await
    }
}

async fn login_status(base: String, username: &str, password: &str) -> StatusCode {
    reqwest::Client::new()
        .post(format!("{base}/api/v1/session"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
}

async fn logins_do_not_block_saves(postgres: bool) {
    let t = spawn(postgres, 1000).await;
    let w = t.login("wuchuan_admin").await;
    let member = t.member_in("梅菉街道梅岭村第一党支部").await;
    let today = chrono::Local::now().date_naive();
    // 50 logins at once, half of them with the wrong password, while one user saves 20 times.
    let accounts = ["gz_branch", "jinxiang_admin", "instructor", "member_demo", "auditor"];
    let logins: Vec<_> = (0..50)
        .map(|i| {
            let base = t.base.clone();
            let user = accounts[i % accounts.len()];
            let password = if i % 2 == 0 { PASSWORD } else { "Wrong-password-1" };
            tokio::spawn(async move { (i % 2 == 0, login_status(base, user, password).await) })
        })
        .collect();
    let started = std::time::Instant::now();
    let mut slowest = std::time::Duration::ZERO;
    for k in 0..20 {
        let t0 = std::time::Instant::now();
        let r = w
            .post(
                &format!("/api/v1/members/{member}/contacts"),
                json!({"kind": "call", "contacted_on": today, "note": format!("并发保存 {k}")}),
            )
            .await;
        slowest = slowest.max(t0.elapsed());
        assert_eq!(r.status, StatusCode::CREATED, "save {k} during the logins: {}", r.body);
    }
    let mut right = 0;
    for l in logins {
        let (ok, status) = l.await.unwrap();
        if ok {
            assert_eq!(status, StatusCode::OK);
            right += 1;
        } else {
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        }
    }
    assert_eq!(right, 25);
    println!(
        "{}: 50 parallel logins, 20 saves in {:?}, the slowest save {:?}",
        if postgres { "PostgreSQL" } else { "SQLite" },
        started.elapsed(),
        slowest
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_logins_do_not_fail_a_save_sqlite() {
    logins_do_not_block_saves(false).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_logins_do_not_fail_a_save_postgres() {
    logins_do_not_block_saves(true).await
}

async fn failed_logins(t: &TestApp, username: &str) -> (i64, bool) {
    let db = &t.app.db;
    let b = db.get_database_backend();
    let r = db
        .query_one_raw(Statement::from_string(
            b,
            format!("SELECT failed_logins, locked_until FROM users WHERE username = '{username}'"),
        ))
        .await
        .unwrap()
        .unwrap();
    let locked: Option<chrono::DateTime<chrono::Utc>> = r.try_get("", "locked_until").unwrap();
    (r.try_get::<i32>("", "failed_logins").unwrap() as i64, locked.is_some_and(|l| l > chrono::Utc::now()))
}

async fn wrong_passwords_all_count(postgres: bool) {
    let t = spawn(postgres, 30).await;
    let wrong: Vec<_> = (0..20)
        .map(|_| {
            let base = t.base.clone();
            tokio::spawn(async move { login_status(base, "gz_branch", "Wrong-password-1").await })
        })
        .collect();
    for w in wrong {
        assert_eq!(w.await.unwrap(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(failed_logins(&t, "gz_branch").await, (20, false), "every parallel failure counted");
    // Ten more in parallel: the 30th locks the account, the rest find it locked.
    let wrong: Vec<_> = (0..10)
        .map(|_| {
            let base = t.base.clone();
            tokio::spawn(async move { login_status(base, "gz_branch", "Wrong-password-1").await })
        })
        .collect();
    let mut statuses = Vec::new();
    for w in wrong {
        statuses.push(w.await.unwrap());
    }
    assert!(statuses.contains(&StatusCode::LOCKED), "{statuses:?}");
    assert_eq!(failed_logins(&t, "gz_branch").await, (0, true), "locked, the count started again");
    assert_eq!(
        login_status(t.base.clone(), "gz_branch", PASSWORD).await,
        StatusCode::LOCKED,
        "even the right password"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_wrong_passwords_all_count_sqlite() {
    wrong_passwords_all_count(false).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_wrong_passwords_all_count_postgres() {
    wrong_passwords_all_count(true).await
}
