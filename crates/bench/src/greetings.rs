//! The greeting workload (issue 23): a county's holiday greeting to 200,000 members away from home
//! who have an account. Accounts for that many open outflows are added once by SQL (the synthetic
//! city has none); then the greeting is sent over the API (the time until it is queued) and the
//! server's own outbox worker delivers it in-app (the rate from the rows' delivery times).

use std::time::{Duration, Instant};

use anyhow::Context;
use honglian_store::entity::organisations::org;
use sea_orm::{ConnectionTrait, Statement};

use crate::scalar;
use crate::services::Measured;

/// Accounts of members away from home the greeting reaches.
const ACCOUNTS: i64 = 200_000;

/// Gives up to 200,000 members with an open outflow an account (once).
async fn seed(db: &sea_orm::DatabaseConnection) -> anyhow::Result<i64> {
    let have = scalar(db, "SELECT COUNT(*) FROM users WHERE username LIKE 'bench_m%'").await?;
    if have >= ACCOUNTS {
        return Ok(have);
    }
    let b = db.get_database_backend();
    let now = chrono::Utc::now();
    // The password hash of no password: these accounts are never signed in to here.
    db.execute_raw(Statement::from_sql_and_values(
        b,
        if b == sea_orm::DatabaseBackend::Postgres {
            "INSERT INTO users (username, display_name, password_hash, must_change_password, disabled, failed_logins, \
             member_id, created_at, updated_at) \
             SELECT 'bench_m' || CAST(m.id AS TEXT), m.name, '!', false, false, 0, m.id, $1, $1 FROM members m \
             WHERE m.status = 'normal' AND EXISTS (SELECT 1 FROM mobility_records r WHERE r.member_id = m.id \
             AND r.direction = 'outflow' AND r.status = 'open') \
             AND NOT EXISTS (SELECT 1 FROM users u WHERE u.member_id = m.id) ORDER BY m.id LIMIT $2"
        } else {
            "INSERT INTO users (username, display_name, password_hash, must_change_password, disabled, failed_logins, \
             member_id, created_at, updated_at) \
             SELECT 'bench_m' || CAST(m.id AS TEXT), m.name, '!', false, false, 0, m.id, ?1, ?1 FROM members m \
             WHERE m.status = 'normal' AND EXISTS (SELECT 1 FROM mobility_records r WHERE r.member_id = m.id \
             AND r.direction = 'outflow' AND r.status = 'open') \
             AND NOT EXISTS (SELECT 1 FROM users u WHERE u.member_id = m.id) ORDER BY m.id LIMIT ?2"
        },
        [now.into(), (ACCOUNTS - have).into()],
    ))
    .await?;
    scalar(db, "SELECT COUNT(*) FROM users WHERE username LIKE 'bench_m%'").await
}

/// Sends the greeting and waits for its delivery: (queued, delivered) workloads.
pub async fn measure(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    csrf: &str,
    db: &sea_orm::DatabaseConnection,
    root: &org::Model,
) -> anyhow::Result<Vec<Measured>> {
    let accounts = seed(db).await?;
    eprintln!("greeting: {accounts} accounts of members away from home");
    let t = Instant::now();
    let r = client
        .post(format!("{base}/api/v1/greetings"))
        .header("cookie", cookie)
        .header("x-csrf-token", csrf)
        .json(&serde_json::json!({"org_id": root.id, "occasion": "春节", "title": "新春问候",
                                  "body": "在外的党员同志们：新春快乐！家乡党组织牵挂着你们。"}))
        .send()
        .await?;
    let queued_in = t.elapsed();
    let status = r.status();
    let body: serde_json::Value = r.json().await.unwrap_or_default();
    let id = body["id"].as_i64().with_context(|| format!("greeting answered {status}: {body}"))?;
    let queued = body["in_app"]["queued"].as_i64().unwrap_or(0);
    eprintln!("greeting {id}: {queued} in-app messages queued in {:.1} s", queued_in.as_secs_f64());
    // The server's worker (every 2 s) delivers them; wait until it has.
    let source = format!("greeting:{id}");
    let waited = Instant::now();
    loop {
        let left = scalar(
            db,
            &format!(
                "SELECT COUNT(*) FROM outbox WHERE source = '{source}' AND channel = 'in_app' AND status = 'queued'"
            ),
        )
        .await?;
        if left == 0 || waited.elapsed() > Duration::from_secs(600) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // The delivery rate from the rows' own times: each batch of 5,000 is stamped when it starts, so
    // the span from the first batch's stamp to the last one's covers all batches but the last.
    let b = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_string(
            b,
            format!(
                "SELECT COUNT(*) AS n, MIN(sent_at) AS first, MAX(sent_at) AS last FROM outbox \
                 WHERE source = '{source}' AND channel = 'in_app' AND status = 'sent'"
            ),
        ))
        .await?
        .context("a row")?;
    let sent: i64 = row.try_get("", "n")?;
    let first: chrono::DateTime<chrono::Utc> = row.try_get("", "first")?;
    let last: chrono::DateTime<chrono::Utc> = row.try_get("", "last")?;
    let batches = (sent as f64 / 5000.0).ceil().max(1.0);
    let span = (last - first).num_microseconds().unwrap_or(0) as f64 / 1e6;
    let per_batch = if batches > 1.0 { span / (batches - 1.0) } else { span };
    let delivering = Duration::from_secs_f64((per_batch * batches).max(0.001));
    let rate = sent as f64 / delivering.as_secs_f64();
    eprintln!("greeting {id}: {sent} delivered in-app in {:.1} s ({rate:.0}/s)", delivering.as_secs_f64());
    Ok(vec![
        Measured {
            name: format!("greeting to {queued} members away: queued"),
            conns: 1,
            lat: vec![queued_in.as_secs_f64() * 1000.0],
            elapsed: queued_in,
            db_p50: None,
            // Every open outflow of the synthetic city with an account (about 195,000 of the 200,000
            // accounts made: the rest are received outside the root county's subtree).
            budget: "≤ 10 s for about 200,000",
            met: status.is_success() && queued >= 190_000 && queued_in <= Duration::from_secs(10),
        },
        Measured {
            name: format!("greeting: {sent} in-app deliveries ({rate:.0}/s)"),
            conns: 1,
            lat: vec![delivering.as_secs_f64() * 1000.0],
            elapsed: delivering,
            db_p50: None,
            budget: "≥ 20,000 a second",
            met: sent == queued && rate >= 20_000.0,
        },
    ])
}
