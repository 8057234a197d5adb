//! Writing and verifying the tamper-evident audit log. Each record's link is an HMAC-SM3, under the
//! audit key from the key file (never in the database), of the previous link and the record, so that
//! someone who can write to the database cannot rebuild the chain after an edit. The database itself
//! refuses UPDATE and DELETE on the log (triggers, migration 0009); the head row may only move on
//! to the newest record.

use chrono::{DateTime, SecondsFormat, Utc};
use honglian_domain::{PageNo, PerPage};
use honglian_store::repo::platform::audit as repo;
use honglian_store::repo::platform::settings;
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::error::AppResult;
use crate::platform::actor::Ctx;
use crate::platform::crypto::sm3_hex;
use crate::{App, Crypto};

/// The settings row naming the chain's link function; absent on databases whose chain is still
/// the unkeyed SM3 one of earlier versions (see [`adopt_keyed_chain`]).
pub const CHAIN_SETTING: &str = "audit.chain";
const KEYED: &str = "hmac-sm3-v1";

/// What happened, to which object, with which result.
#[derive(Debug, Clone)]
pub struct Event {
    pub action: &'static str,
    pub object_type: &'static str,
    pub object_id: Option<String>,
    pub result: &'static str,
    pub detail: serde_json::Value,
}

impl Event {
    pub fn ok(action: &'static str, object_type: &'static str, object_id: impl ToString) -> Self {
        Self {
            action,
            object_type,
            object_id: Some(object_id.to_string()),
            result: "ok",
            detail: serde_json::json!({}),
        }
    }

    pub fn with(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }

    pub fn result(mut self, result: &'static str) -> Self {
        self.result = result;
        self
    }
}

/// How long denied requests of one caller on one route are coalesced into one record.
pub const DENIAL_WINDOW: std::time::Duration = std::time::Duration::from_secs(60);

/// Denied requests already audited: per (caller, route), when the last record was written and how
/// many denials came since. A flood costs one record per caller, route and minute, each carrying
/// the count coalesced since the one before; memory holds the last minute's keys only.
#[derive(Default)]
pub struct DenialLog {
    seen: std::sync::Mutex<std::collections::HashMap<(String, String), (std::time::Instant, u64)>>,
}

impl DenialLog {
    /// `Some(n)` when a record is due (n denials were coalesced since the previous one), `None`
    /// when this denial is only counted.
    fn note(&self, who: String, route: String, now: std::time::Instant) -> Option<u64> {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() > 10_000 {
            seen.retain(|_, (t, n)| now.duration_since(*t) < DENIAL_WINDOW || *n > 0);
        }
        match seen.get_mut(&(who.clone(), route.clone())) {
            Some((t, n)) if now.duration_since(*t) < DENIAL_WINDOW => {
                *n += 1;
                None
            }
            Some((t, n)) => {
                let c = *n;
                (*t, *n) = (now, 0);
                Some(c)
            }
            None => {
                seen.insert((who, route), (now, 0));
                Some(0)
            }
        }
    }
}

/// A denied request, as the HTTP edge saw it (no body, no query: nothing personal).
pub struct Denial<'a> {
    pub method: &'a str,
    /// The route template, e.g. `/members/{id}/unmask`.
    pub route: &'a str,
    /// The concrete path (ids only: nothing personal travels in a path).
    pub path: &'a str,
    pub status: u16,
    /// A refused unmask (recorded as `member.unmask`, result `denied`).
    pub unmask: bool,
}

impl App {
    /// Records a denied write or refused unmask in the audit chain, coalesced per caller (user, or
    /// client address when not signed in) and route per [`DENIAL_WINDOW`]. Returns whether a
    /// record was written.
    pub async fn audit_denied(&self, ctx: &Ctx, d: Denial<'_>) -> AppResult<bool> {
        let who = match (ctx.actor_id(), &ctx.ip) {
            (Some(id), _) => format!("user:{id}"),
            (None, Some(ip)) => format!("ip:{ip}"),
            (None, None) => "-".into(),
        };
        let route = format!("{} {}", d.method, d.route);
        let Some(coalesced) = self.denials.note(who, route.clone(), std::time::Instant::now()) else {
            return Ok(false);
        };
        let txn = honglian_store::begin_write(&self.db).await?;
        let action = if d.unmask { "member.unmask" } else { "request.denied" };
        self.audit(
            &txn,
            ctx,
            Event::ok(action, "route", route).result("denied").with(serde_json::json!({
                "path": d.path,
                "status": d.status,
                "coalesced_before": coalesced,
            })),
        )
        .await?;
        txn.commit().await?;
        Ok(true)
    }
}

/// The canonical text a record's link covers: every field, in a fixed order.
pub fn canonical(e: &repo::AuditEvent) -> String {
    serde_json::json!([
        e.id,
        e.at.to_rfc3339_opts(SecondsFormat::Micros, true),
        e.actor_id,
        e.actor_name,
        e.action,
        e.object_type,
        e.object_id,
        e.ip,
        e.result,
        e.detail,
    ])
    .to_string()
}

fn chain_hash(crypto: &Crypto, prev: &str, e: &repo::AuditEvent) -> String {
    crypto.audit_mac(prev, &canonical(e))
}

/// The link of earlier versions: SM3 without a key (anyone could recompute it).
fn unkeyed_hash(prev: &str, e: &repo::AuditEvent) -> String {
    sm3_hex(format!("{prev}\n{}", canonical(e)).as_bytes())
}

impl App {
    /// Appends one record in the caller's transaction (or connection).
    pub(crate) async fn audit(&self, db: &impl ConnectionTrait, ctx: &Ctx, ev: Event) -> AppResult<()> {
        record(db, &self.crypto, ctx, ev).await
    }
}

/// Appends one record in the caller's transaction (or connection).
pub async fn record(db: &impl ConnectionTrait, crypto: &Crypto, ctx: &Ctx, ev: Event) -> AppResult<()> {
    let (id, prev_hash) = repo::lock_head(db).await?;
    // Microsecond precision survives both backends unchanged, so the hash verifies.
    let at: DateTime<Utc> = DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap_or_default();
    let mut row = repo::AuditEvent {
        id,
        at,
        actor_id: ctx.actor_id(),
        actor_name: ctx.actor_name(),
        action: ev.action.to_string(),
        object_type: ev.object_type.to_string(),
        object_id: ev.object_id,
        ip: ctx.ip.clone(),
        result: ev.result.to_string(),
        detail: ev.detail.to_string(),
        prev_hash: prev_hash.clone(),
        hash: String::new(),
    };
    row.hash = chain_hash(crypto, &prev_hash, &row);
    repo::append(db, row).await?;
    Ok(())
}

/// Moves a database from the unkeyed chain of earlier versions to the keyed one, before migration
/// 0009 makes the log append-only: verifies the old chain (refusing to launder one that was already
/// edited), then relinks every record under the audit key, in one transaction. A no-op once done.
pub async fn adopt_keyed_chain(db: &DatabaseConnection, crypto: &Crypto) -> anyhow::Result<()> {
    if !settings::table_exists(db).await? || settings::get(db, CHAIN_SETTING).await?.as_deref() == Some(KEYED) {
        return Ok(());
    }
    let txn = honglian_store::begin_write(db).await?;
    let mut prev = "0".repeat(64);
    let mut keyed_prev = prev.clone();
    let mut after = 0;
    loop {
        let batch = repo::batch_after(&txn, after, 1000).await?;
        if batch.is_empty() {
            break;
        }
        for e in &batch {
            anyhow::ensure!(
                e.id == after + 1 && e.prev_hash == prev && unkeyed_hash(&prev, e) == e.hash,
                "审计日志在升级前已被修改或删减（记录 {}），拒绝为其重建带密钥的哈希链。请先用旧版本的 \
                 honglian audit verify 查明原因。没有做任何改动。",
                after + 1
            );
            let keyed = chain_hash(crypto, &keyed_prev, e);
            repo::relink(&txn, e.id, &keyed_prev, &keyed).await?;
            prev = e.hash.clone();
            keyed_prev = keyed;
            after = e.id;
        }
    }
    let (last_id, last_hash) = repo::head(&txn).await?;
    anyhow::ensure!(
        last_id == after && (after == 0 || last_hash == prev),
        "审计日志在升级前已被删减（链尾应为记录 {last_id}），拒绝为其重建带密钥的哈希链。没有做任何改动。"
    );
    if after > 0 {
        repo::relink_head(&txn, &keyed_prev).await?;
    }
    settings::set(&txn, CHAIN_SETTING, KEYED).await?;
    txn.commit().await?;
    Ok(())
}

/// Records that the chain is keyed (a new database, after migration).
pub async fn mark_keyed(db: &DatabaseConnection) -> anyhow::Result<()> {
    settings::insert_if_absent(db, CHAIN_SETTING, KEYED).await?;
    Ok(())
}

/// Result of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Intact {
        records: i64,
    },
    /// The first record whose content or link does not verify.
    Broken {
        id: i64,
        reason: String,
    },
}

/// Walks the chain in one snapshot (no false alarm while the server is writing) and checks every
/// link with the audit key, then the head.
pub async fn verify(db: &DatabaseConnection, crypto: &Crypto) -> AppResult<Verdict> {
    let snap = honglian_store::begin_snapshot(db).await?;
    let mut prev = "0".repeat(64);
    let mut expected_id = 1;
    let mut after = 0;
    loop {
        let batch = repo::batch_after(&snap, after, 1000).await?;
        if batch.is_empty() {
            break;
        }
        for e in &batch {
            if e.id != expected_id {
                return Ok(Verdict::Broken {
                    id: expected_id, reason: format!("记录 {expected_id} 缺失（已被删除）")
                });
            }
            if e.prev_hash != prev {
                return Ok(Verdict::Broken {
                    id: e.id, reason: format!("记录 {} 与上一条记录的链接不符", e.id)
                });
            }
            if chain_hash(crypto, &prev, e) != e.hash {
                return Ok(Verdict::Broken { id: e.id, reason: format!("记录 {} 的内容已被修改", e.id) });
            }
            prev = e.hash.clone();
            expected_id += 1;
            after = e.id;
        }
    }
    let (last_id, last_hash) = repo::head(&snap).await?;
    snap.commit().await?;
    if last_id != expected_id - 1 || (last_id > 0 && last_hash != prev) {
        return Ok(Verdict::Broken {
            id: expected_id,
            reason: format!("链尾应为记录 {last_id}，实际止于记录 {}（末尾记录被删除）", expected_id - 1),
        });
    }
    Ok(Verdict::Intact { records: expected_id - 1 })
}

/// An audit record as the audit admin sees it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AuditView {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub ip: Option<String>,
    pub result: String,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// User name contains.
    pub actor: Option<String>,
    /// Action, or its prefix (`member.`).
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    /// ok | denied | failed
    pub result: Option<String>,
    /// From this date (inclusive, China time).
    pub from: Option<chrono::NaiveDate>,
    /// Up to this date (inclusive, China time).
    pub to: Option<chrono::NaiveDate>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

impl crate::App {
    pub async fn audit_list(&self, ctx: &Ctx, q: AuditQuery) -> AppResult<honglian_store::repo::Page<AuditView>> {
        ctx.actor()?.require(honglian_domain::platform::authz::Permission::AuditRead)?;
        let china = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc() - chrono::Duration::hours(8));
        let nonempty = |s: Option<String>| s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let f = repo::AuditFilter {
            actor: nonempty(q.actor),
            action: nonempty(q.action),
            object_type: nonempty(q.object_type),
            object_id: nonempty(q.object_id),
            result: nonempty(q.result),
            from: q.from.and_then(china),
            to: q.to.and_then(|d| d.succ_opt()).and_then(china),
        };
        let page = repo::list(
            &self.db,
            &f,
            honglian_store::repo::PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into)),
        )
        .await?;
        Ok(honglian_store::repo::Page {
            total: page.total,
            items: page
                .items
                .into_iter()
                .map(|e| AuditView {
                    id: e.id,
                    at: e.at,
                    actor_id: e.actor_id,
                    actor_name: e.actor_name,
                    action: e.action,
                    object_type: e.object_type,
                    object_id: e.object_id,
                    ip: e.ip,
                    result: e.result,
                    detail: serde_json::from_str(&e.detail).unwrap_or_default(),
                })
                .collect(),
        })
    }
}

/// What [`export`] wrote.
#[derive(Debug)]
pub struct ExportReport {
    pub records: u64,
    /// The first and last record exported (id), if any.
    pub first: Option<i64>,
    pub last: Option<i64>,
    /// The chain's link of the last record exported.
    pub last_hash: Option<String>,
}

/// Archives the records since `since` as JSON lines: every field the link covers, exactly as
/// linked (`at` to the microsecond, `detail` as stored text), with `prev_hash` and `hash`, so that
/// whoever holds the audit key can check the archive on its own, and anyone that each line links
/// to the one before. Read in one snapshot; written to a new file (mode 0600, never overwriting)
/// under a temporary name, synced and renamed.
pub async fn export(
    db: &DatabaseConnection,
    since: DateTime<Utc>,
    out: &std::path::Path,
) -> anyhow::Result<ExportReport> {
    use anyhow::Context;
    use std::io::Write;
    if out.exists() {
        anyhow::bail!("{} 已存在，拒绝覆盖", out.display());
    }
    let name = out.file_name().context("输出文件名无效")?.to_string_lossy().to_string();
    let tmp = out.with_file_name(format!(".tmp-{name}-{}", std::process::id()));
    let file = {
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o600);
        }
        o.open(&tmp).with_context(|| format!("无法创建 {}", tmp.display()))?
    };
    let write = async {
        let mut w = std::io::BufWriter::new(file);
        let mut r = ExportReport { records: 0, first: None, last: None, last_hash: None };
        let snap = honglian_store::begin_snapshot(db).await?;
        let mut after = 0;
        loop {
            let batch = repo::batch_after(&snap, after, 1000).await?;
            let Some(last) = batch.last() else { break };
            after = last.id;
            for e in batch.iter().filter(|e| e.at >= since) {
                let line = serde_json::json!({
                    "id": e.id,
                    "at": e.at.to_rfc3339_opts(SecondsFormat::Micros, true),
                    "actor_id": e.actor_id,
                    "actor_name": e.actor_name,
                    "action": e.action,
                    "object_type": e.object_type,
                    "object_id": e.object_id,
                    "ip": e.ip,
                    "result": e.result,
                    "detail": e.detail,
                    "prev_hash": e.prev_hash,
                    "hash": e.hash,
                });
                writeln!(w, "{line}")?;
                r.records += 1;
                r.first.get_or_insert(e.id);
                r.last = Some(e.id);
                r.last_hash = Some(e.hash.clone());
            }
        }
        snap.commit().await?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        anyhow::Ok(r)
    };
    match write.await {
        Ok(r) => {
            std::fs::rename(&tmp, out)?;
            if let Some(d) = out.parent().filter(|d| !d.as_os_str().is_empty())
                && let Ok(f) = std::fs::File::open(d)
            {
                let _ = f.sync_all();
            }
            Ok(r)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn denials_are_coalesced_per_caller_route_and_minute() {
        let log = DenialLog::default();
        let t0 = std::time::Instant::now();
        let key = || ("user:7".to_string(), "POST /members/{id}/unmask".to_string());
        assert_eq!(log.note(key().0, key().1, t0), Some(0), "the first denial is recorded");
        for s in 1..=50 {
            assert_eq!(
                log.note(key().0, key().1, t0 + std::time::Duration::from_millis(s * 100)),
                None,
                "then counted"
            );
        }
        assert_eq!(log.note("user:8".into(), key().1, t0), Some(0), "another caller is recorded");
        assert_eq!(log.note(key().0, "DELETE /orgs/{id}".into(), t0), Some(0), "another route is recorded");
        let later = t0 + DENIAL_WINDOW + std::time::Duration::from_secs(1);
        assert_eq!(log.note(key().0, key().1, later), Some(50), "a minute on: recorded with the count coalesced");
        assert_eq!(log.note(key().0, key().1, later), None);
    }
}
