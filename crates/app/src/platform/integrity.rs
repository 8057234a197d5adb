//! The integrity of access-control and money records (GB/T 39786 level 3, "integrity of important
//! data in storage" and "of access-control information"): every row of a protected table
//! (`repo::platform::integrity::Protected`: grants, dues payments, care-fund donations, incentive
//! grants) carries an HMAC-SM3 of its canonical text under a key derived from the audit key, which
//! is never in the database. The use case that writes such a row stamps it in the same transaction
//! ([`App::stamp`]); a row changed, copied or inserted by someone with write access to the database
//! alone no longer matches:
//! - a grant that does not match gives no access ([`keep_intact_grants`], checked whenever an actor is
//!   built) and is reported;
//! - `honglian audit verify` and [`verify`] list every row that does not match, table by table.

use std::collections::HashMap;

use honglian_store::repo::platform::integrity::{self as repo, Protected};
use honglian_store::repo::platform::settings;
use honglian_store::repo::platform::users::Grant;
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::error::{AppError, AppResult};
use crate::{App, Crypto};

/// Set once the rows written before migration 0037 have been stamped.
const ADOPTED: &str = "integrity.records";

fn mac(crypto: &Crypto, p: Protected, text: &str) -> String {
    crypto.record_mac(p.table(), text)
}

/// Stamps the rows with these ids in the caller's transaction.
pub async fn stamp(db: &impl ConnectionTrait, crypto: &Crypto, p: Protected, ids: &[i64]) -> AppResult<()> {
    let macs: Vec<(i64, String)> =
        repo::texts_of(db, p, ids).await?.into_iter().map(|(id, text)| (id, mac(crypto, p, &text))).collect();
    repo::set_macs(db, p, &macs).await?;
    Ok(())
}

/// Stamps every row that carries no MAC: the demo's bulk writes (the demo refuses a database that
/// holds anything but demo data), and the adoption below.
pub async fn stamp_unstamped(db: &impl ConnectionTrait, crypto: &Crypto) -> AppResult<u64> {
    let mut n = 0;
    for p in Protected::ALL {
        let ids = repo::unstamped(db, p).await?;
        n += ids.len() as u64;
        stamp(db, crypto, p, &ids).await?;
    }
    Ok(n)
}

/// At the first start after migration 0037: stamps the rows written before it, in one transaction.
/// From then on a row without a MAC is one the application did not write.
pub async fn adopt(db: &DatabaseConnection, crypto: &Crypto) -> anyhow::Result<()> {
    if settings::get(db, ADOPTED).await?.is_some() {
        return Ok(());
    }
    let txn = honglian_store::begin_write(db).await?;
    let n = stamp_unstamped(&txn, crypto).await?;
    settings::set(&txn, ADOPTED, "v1").await?;
    txn.commit().await?;
    if n > 0 {
        tracing::info!(rows = n, "stamped the records written before their MACs existed");
    }
    Ok(())
}

/// Keeps the grants that carry the MAC of what they say (the others give no access).
pub async fn keep_intact_grants(db: &impl ConnectionTrait, crypto: &Crypto, grants: &mut Vec<Grant>) -> AppResult<()> {
    let p = Protected::Grants;
    let ids: Vec<i64> = grants.iter().map(|g| g.id).collect();
    let macs: HashMap<i64, Option<String>> = repo::macs_of(db, p, &ids).await?.into_iter().collect();
    grants.retain(|g| {
        let ok = macs.get(&g.id).cloned().flatten().is_some_and(|m| m == mac(crypto, p, &repo::grant_text(g)));
        if !ok {
            tracing::error!(grant = g.id, user = g.user_id, "grant failed its integrity check: ignored");
        }
        ok
    });
    Ok(())
}

/// One table as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCheck {
    pub table: &'static str,
    pub label: &'static str,
    pub rows: u64,
    /// The ids of rows whose MAC is missing or does not match (the first 100).
    pub bad: Vec<i64>,
    pub bad_count: u64,
}

/// Checks every protected row, in one snapshot.
pub async fn verify(db: &DatabaseConnection, crypto: &Crypto) -> AppResult<Vec<TableCheck>> {
    let snap = honglian_store::begin_snapshot(db).await?;
    let mut out = Vec::new();
    for p in Protected::ALL {
        let mut c = TableCheck { table: p.table(), label: p.label(), rows: 0, bad: vec![], bad_count: 0 };
        let mut after = 0;
        loop {
            let batch = repo::batch(&snap, p, after, 2000).await?;
            let Some(last) = batch.last() else { break };
            after = last.0;
            for (id, text, kept) in batch {
                c.rows += 1;
                if kept.as_deref() != Some(mac(crypto, p, &text).as_str()) {
                    c.bad_count += 1;
                    if c.bad.len() < 100 {
                        c.bad.push(id);
                    }
                }
            }
        }
        out.push(c);
    }
    snap.commit().await?;
    Ok(out)
}

impl App {
    /// Stamps rows this use case has just written, in its transaction.
    pub(crate) async fn stamp(&self, db: &impl ConnectionTrait, p: Protected, ids: &[i64]) -> AppResult<()> {
        stamp(db, &self.crypto, p, ids).await
    }

    /// Refuses to act on a record whose MAC does not match (edited in the database): the change
    /// would otherwise launder the edit with a fresh MAC.
    pub(crate) async fn check_intact(&self, p: Protected, id: i64) -> AppResult<()> {
        let text = repo::texts_of(&self.db, p, &[id]).await?;
        let kept = repo::macs_of(&self.db, p, &[id]).await?;
        let ok = match (text.first(), kept.first()) {
            (Some((_, t)), Some((_, Some(m)))) => *m == mac(&self.crypto, p, t),
            _ => false,
        };
        if ok {
            return Ok(());
        }
        tracing::error!(table = p.table(), id, "record failed its integrity check");
        Err(AppError::conflict(format!(
            "该{}记录未通过完整性校验（可能在数据库中被改动），不能办理；请联系安全管理员核查",
            p.label()
        )))
    }

    /// Stamps a grant written outside a use case (the benchmark's and the tests' own accounts).
    pub async fn stamp_grant(&self, db: &impl ConnectionTrait, id: i64) -> AppResult<()> {
        stamp(db, &self.crypto, Protected::Grants, &[id]).await
    }
}
