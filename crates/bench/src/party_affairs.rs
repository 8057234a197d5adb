//! The party-affairs workloads (issue 20): the recruitment board and roll-up at 5,000 people in the
//! pipeline, and the transfer lists at 100,000 transfers, read by the city's county admin. The applicants
//! are filed through the API (their ID numbers are sealed by the server); the transfers, which hold no
//! personal field, are written by SQL over the city's branches: most accepted or returned long ago, some
//! waiting, some letters past their receipt's due day.

use std::sync::Arc;

use anyhow::Context;
use chrono::{Duration as Days, NaiveDate};
use honglian_store::entity::organisations::org;
use honglian_store::entity::party_affairs::transfer;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, Statement};

use crate::scalar;
use crate::services::Measured;

const RECRUITS: i64 = 5_000;
const TRANSFERS: i64 = 100_000;

/// (id, path) of the branches under `root`.
async fn branches(db: &sea_orm::DatabaseConnection, root: &org::Model) -> anyhow::Result<Vec<(i64, String)>> {
    let upper = format!("{}0", &root.path[..root.path.len() - 1]);
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT id, path FROM orgs WHERE kind = 'branch' AND path >= '{}' AND path < '{upper}' ORDER BY id",
                root.path
            ),
        ))
        .await?;
    Ok(rows.iter().map(|r| (r.try_get("", "id").unwrap_or(0), r.try_get("", "path").unwrap_or_default())).collect())
}

async fn seed_transfers(db: &sea_orm::DatabaseConnection, root: &org::Model) -> anyhow::Result<()> {
    let have = scalar(db, "SELECT COUNT(*) FROM transfers").await?;
    if have >= TRANSFERS {
        return Ok(());
    }
    let bs = branches(db, root).await?;
    anyhow::ensure!(bs.len() > 2, "the city has branches");
    let today = chrono::Utc::now().date_naive();
    let now = chrono::Utc::now();
    let txn = honglian_store::begin_write(db).await?;
    let mut batch = Vec::with_capacity(500);
    for k in have..TRANSFERS {
        let (from, to) = (&bs[(k as usize * 7) % bs.len()], &bs[(k as usize * 13 + 1) % bs.len()]);
        let started: NaiveDate = today - Days::days(k % 730);
        let (kind, status) = match k % 20 {
            0 => ("within", "requested"),
            1 | 2 => ("letter_out", "issued"),
            3..=6 => ("letter_out", "returned"),
            7 | 8 => ("letter_in", "registered"),
            9 => ("within", "refused"),
            _ => ("within", "accepted"),
        };
        let outside = |name: &str| (None, None, name.to_string());
        let inside = |b: &(i64, String)| (Some(b.0), Some(b.1.clone()), format!("规模测试党支部{}", b.0));
        let (f, t) = match kind {
            "letter_out" => (inside(from), outside("中共某区委组织部")),
            "letter_in" => (outside("中共某县委组织部"), inside(to)),
            _ => (inside(from), inside(to)),
        };
        batch.push(transfer::ActiveModel {
            kind: Set(kind.into()),
            status: Set(status.into()),
            member_id: Set(None),
            member_name: Set(format!("党员{k}")),
            from_org_id: Set(f.0),
            from_org_path: Set(f.1),
            from_name: Set(f.2),
            to_org_id: Set(t.0),
            to_org_path: Set(t.1),
            to_name: Set(t.2),
            destination: Set(None),
            county_id: Set(None),
            letter_year: Set(None),
            letter_seq: Set(None),
            letter_no: Set((kind != "within").then(|| format!("〔2026〕{k}"))),
            started_on: Set(started),
            valid_days: Set((kind != "within").then_some(30)),
            dues_paid_to: Set(None),
            receipt_on: Set(None),
            decided_on: Set((status != "requested" && status != "issued").then_some(started + Days::days(5))),
            decided_by: Set(None),
            reason: Set(None),
            note: Set(None),
            created_by: Set(None),
            created_by_name: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
        if batch.len() == 500 {
            transfer::Entity::insert_many(std::mem::take(&mut batch)).exec(&txn).await?;
        }
    }
    if !batch.is_empty() {
        transfer::Entity::insert_many(batch).exec(&txn).await?;
    }
    txn.commit().await?;
    honglian_store::analyze(db).await?;
    Ok(())
}

/// Files applicants with the city's branches through the API, 4 at a time, until there are enough.
async fn seed_recruits(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    csrf: &str,
    db: &sea_orm::DatabaseConnection,
    root: &org::Model,
) -> anyhow::Result<()> {
    let have = scalar(db, "SELECT COUNT(*) FROM recruits").await?;
    if have >= RECRUITS {
        return Ok(());
    }
    let bs = Arc::new(branches(db, root).await?);
    let today = chrono::Utc::now().date_naive();
    let mut tasks = Vec::new();
    for lane in 0..4i64 {
        let (client, base, cookie, csrf, bs) =
            (client.clone(), base.to_string(), cookie.to_string(), csrf.to_string(), bs.clone());
        tasks.push(tokio::spawn(async move {
            let mut k = have + lane;
            while k < RECRUITS {
                let birth = NaiveDate::from_ymd_opt(1985, 1, 1).unwrap() + Days::days(k / 700);
                let id = honglian_domain::IdNumber::synthesize("440803", birth, 100 + (k % 700) as u32);
                let r = client
                    .post(format!("{base}/api/v1/recruits"))
                    .header("cookie", &cookie)
                    .header("x-csrf-token", &csrf)
                    .json(&serde_json::json!({
                        "org_id": bs[k as usize % bs.len()].0, "name": format!("申请人{k}"), "id_number": id.as_str(),
                        "applied_on": today - Days::days(k % 300),
                    }))
                    .send()
                    .await?;
                anyhow::ensure!(r.status().is_success(), "filing applicant {k}: {}", r.status());
                k += 4;
            }
            anyhow::Ok(())
        }));
    }
    for t in tasks {
        t.await.context("a filing lane")??;
    }
    Ok(())
}

/// Runs the recruitment and transfer workloads.
pub async fn measure(
    client: &reqwest::Client,
    base: &str,
    cookie: &str,
    csrf: &str,
    db: &sea_orm::DatabaseConnection,
    root: &org::Model,
) -> anyhow::Result<Vec<Measured>> {
    seed_transfers(db, root).await?;
    seed_recruits(client, base, cookie, csrf, db, root).await?;
    let mut out = Vec::new();
    let urls: Vec<String> = (1..=10)
        .map(|p| format!("{base}/api/v1/recruits?page={p}&per_page=20"))
        .chain([format!("{base}/api/v1/recruits?due=true&per_page=20"), format!("{base}/api/v1/recruitment/summary")])
        .collect();
    let _ = super::load(client, cookie, Arc::new(urls.clone()), 4, 40).await;
    let (lat, elapsed) = super::load(client, cookie, Arc::new(urls), 4, 400).await;
    let met = super::percentile(&lat, 0.99) <= 200.0;
    let n = scalar(db, "SELECT COUNT(*) FROM recruits").await?;
    out.push(Measured {
        name: format!("recruitment board pages, due list and roll-up ({n} in the pipeline), 4 conns"),
        conns: 4,
        lat,
        elapsed,
        db_p50: None,
        budget: "p99 ≤ 200 ms",
        met,
    });
    // What the page loads: the 转入 and 转出 tabs page by page, the requests waiting, the overdue letters, the
    // counts on the tabs.
    let urls: Vec<String> = (1..=3)
        .flat_map(|p| ["in", "out"].map(|d| format!("{base}/api/v1/transfers?direction={d}&page={p}&per_page=20")))
        .chain([
            format!("{base}/api/v1/transfers?direction=in&status=requested&per_page=20"),
            format!("{base}/api/v1/transfers?direction=out&overdue=true&per_page=20"),
            format!("{base}/api/v1/transfers/summary"),
        ])
        .collect();
    let _ = super::load(client, cookie, Arc::new(urls.clone()), 4, 40).await;
    let (lat, elapsed) = super::load(client, cookie, Arc::new(urls), 4, 400).await;
    let met = super::percentile(&lat, 0.99) <= 200.0;
    let n = scalar(db, "SELECT COUNT(*) FROM transfers").await?;
    out.push(Measured {
        name: format!("transfer lists, overdue letters and counts ({n} transfers), 4 conns"),
        conns: 4,
        lat,
        elapsed,
        db_p50: None,
        budget: "p99 ≤ 200 ms",
        met,
    });
    Ok(out)
}
