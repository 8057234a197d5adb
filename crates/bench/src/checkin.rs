//! The theme-day workload (issue 23): a town's 主题党日 at which 4,000 of its members sign in on their
//! phones within two minutes. The members' accounts and signed-in sessions are written once by SQL
//! (4,000 argon2 sign-ins would measure the password hash, not the check-in); each sign-in is then a
//! real `POST /activities/{id}/check-in` with the member's own cookie and CSRF token, 32 at a time.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use honglian_app::platform::crypto::{random_token, sm3_hex};
use honglian_store::entity::organisations::org;
use honglian_store::entity::platform::session;
use sea_orm::{ConnectionTrait, EntityTrait, Set, Statement};

use crate::percentile;
use crate::scalar;
use crate::services::Measured;

const SIGN_INS: usize = 4_000;
const CONNECTIONS: usize = 32;

/// Member accounts for 4,000 members of the town (once), and a fresh session for each: (cookie, csrf).
async fn sessions(db: &sea_orm::DatabaseConnection, town: &org::Model) -> anyhow::Result<Vec<(String, String)>> {
    let b = db.get_database_backend();
    let upper = format!("{}0", &town.path[..town.path.len() - 1]);
    let have = scalar(db, "SELECT COUNT(*) FROM users WHERE username LIKE 'bench_s%'").await?;
    let now = chrono::Utc::now();
    if have < SIGN_INS as i64 {
        let p = |n: usize| if b == sea_orm::DatabaseBackend::Postgres { format!("${n}") } else { format!("?{n}") };
        db.execute_raw(Statement::from_sql_and_values(
            b,
            format!(
                "INSERT INTO users (username, display_name, password_hash, must_change_password, disabled, failed_logins, \
                 member_id, created_at, updated_at) \
                 SELECT 'bench_s' || CAST(m.id AS TEXT), m.name, '!', false, false, 0, m.id, {t}, {t} FROM members m \
                 WHERE m.status = 'normal' AND m.org_path >= {lo} AND m.org_path < {hi} \
                 AND NOT EXISTS (SELECT 1 FROM users u WHERE u.member_id = m.id) ORDER BY m.id LIMIT {n}",
                t = p(1),
                lo = p(2),
                hi = p(3),
                n = p(4)
            ),
            [now.into(), town.path.clone().into(), upper.into(), (SIGN_INS as i64 - have).into()],
        ))
        .await?;
        db.execute_raw(Statement::from_sql_and_values(
            b,
            format!(
                "INSERT INTO grants (user_id, role, org_id, created_by, created_at) \
                 SELECT u.id, 'member', NULL, NULL, {} FROM users u WHERE u.username LIKE 'bench_s%' \
                 AND NOT EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id)",
                p(1)
            ),
            [now.into()],
        ))
        .await?;
    }
    let b2 = db.get_database_backend();
    let ids: Vec<i64> = db
        .query_all_raw(Statement::from_string(
            b2,
            format!("SELECT id FROM users WHERE username LIKE 'bench_s%' ORDER BY id LIMIT {SIGN_INS}"),
        ))
        .await?
        .into_iter()
        .map(|r| r.try_get_by_index::<i64>(0))
        .collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(ids.len());
    let mut rows = Vec::with_capacity(ids.len());
    for uid in ids {
        let (token, csrf) = (random_token(32), random_token(32));
        rows.push(session::ActiveModel {
            id: Set(sm3_hex(token.as_bytes())),
            user_id: Set(uid),
            csrf_token: Set(csrf.clone()),
            ip: Set(None),
            user_agent: Set(Some("honglian-bench".into())),
            created_at: Set(now),
            last_seen_at: Set(now),
            expires_at: Set(now + chrono::Duration::hours(2)),
        });
        out.push((format!("hl_session={token}"), csrf));
    }
    for chunk in rows.chunks(500) {
        session::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(out)
}

pub async fn measure(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    csrf: &str,
    db: &sea_orm::DatabaseConnection,
    crypto: &honglian_app::Crypto,
    town: &org::Model,
) -> anyhow::Result<Vec<Measured>> {
    let members = sessions(db, town).await?;
    honglian_app::platform::integrity::stamp_unstamped(db, crypto).await?;
    anyhow::ensure!(members.len() == SIGN_INS, "the town has only {} members to sign in", members.len());
    let now = chrono::Utc::now();
    let r = client
        .post(format!("{base}/api/v1/activities"))
        .header("cookie", cookie)
        .header("x-csrf-token", csrf)
        .json(&serde_json::json!({
            "kind": "theme_day", "topic": "全镇主题党日：重温入党誓词", "place": "镇党群服务中心",
            "start_at": now - chrono::Duration::minutes(5), "end_at": now + chrono::Duration::hours(2),
            "org_ids": [town.id], "allow_duplicate": true
        }))
        .send()
        .await?;
    let status = r.status();
    let body: serde_json::Value = r.json().await.unwrap_or_default();
    let id = body["id"].as_i64().with_context(|| format!("the theme day answered {status}: {body}"))?;
    let code = body["checkin_code"].as_str().context("the organiser sees the check-in code")?.to_string();
    let members = Arc::new(members);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONNECTIONS {
        let (client, members, next, code) = (client.clone(), members.clone(), next.clone(), code.clone());
        let url = format!("{base}/api/v1/activities/{id}/check-in");
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= members.len() {
                    break;
                }
                let (cookie, csrf) = &members[i];
                let t = Instant::now();
                let r = client
                    .post(&url)
                    .header("cookie", cookie)
                    .header("x-csrf-token", csrf)
                    .json(&serde_json::json!({"code": code}))
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                    }
                    Ok(r) => panic!("check-in answered {}: {}", r.status(), r.text().await.unwrap_or_default()),
                    Err(e) => panic!("check-in failed: {e}"),
                }
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            lat
        }));
    }
    let mut lat = Vec::with_capacity(SIGN_INS);
    for t in tasks {
        lat.extend(t.await.context("worker")?);
    }
    let elapsed = started.elapsed();
    lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let present =
        scalar(db, &format!("SELECT COUNT(*) FROM attendance WHERE activity_id = {id} AND status = 'present'")).await?;
    let rate = lat.len() as f64 / elapsed.as_secs_f64();
    eprintln!("theme day {id}: {present} present, {rate:.0} sign-ins/s, p99 {:.1} ms", percentile(&lat, 0.99));
    let met = present == SIGN_INS as i64
        && rate >= 500.0
        && percentile(&lat, 0.99) <= 100.0
        && elapsed <= Duration::from_secs(120);
    Ok(vec![Measured {
        name: format!("theme day: {SIGN_INS} members sign in (POST check-in)"),
        conns: CONNECTIONS,
        lat,
        elapsed,
        db_p50: None,
        budget: "≥ 500 sign-ins/s, p99 ≤ 100 ms",
        met,
    }])
}
