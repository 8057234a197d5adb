//! The append-only audit log. Appends lock the chain head (`audit_head`) so
//! that every record links to exactly one predecessor, even across instances.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::entity::platform::audit_event;
use crate::raw;
use crate::repo::{Page, PageReq};

pub use audit_event::Model as AuditEvent;

/// Locks the head and returns (next id, previous hash). Must run inside the
/// transaction that then calls [`append`].
pub async fn lock_head(db: &impl ConnectionTrait) -> Result<(i64, String), DbErr> {
    let b = db.get_database_backend();
    // The UPDATE takes the row lock (PostgreSQL) or the write lock (SQLite) first.
    db.execute_raw(raw(b, "UPDATE audit_head SET last_id = last_id WHERE id = 1", vec![])).await?;
    let row = db
        .query_one_raw(raw(b, "SELECT last_id, last_hash FROM audit_head WHERE id = 1", vec![]))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("audit_head".into()))?;
    let last_id: i64 = row.try_get("", "last_id")?;
    let last_hash: String = row.try_get("", "last_hash")?;
    Ok((last_id + 1, last_hash))
}

pub async fn append(db: &impl ConnectionTrait, e: AuditEvent) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    let (id, hash) = (e.id, e.hash.clone());
    audit_event::ActiveModel {
        id: Set(e.id),
        at: Set(e.at),
        actor_id: Set(e.actor_id),
        actor_name: Set(e.actor_name),
        action: Set(e.action),
        object_type: Set(e.object_type),
        object_id: Set(e.object_id),
        ip: Set(e.ip),
        result: Set(e.result),
        detail: Set(e.detail),
        prev_hash: Set(e.prev_hash),
        hash: Set(e.hash),
    }
    .insert(db)
    .await?;
    db.execute_raw(raw(
        b,
        "UPDATE audit_head SET last_id = ?, last_hash = ? WHERE id = 1",
        vec![id.into(), hash.into()],
    ))
    .await?;
    Ok(())
}

/// Rewrites one record's links: only for moving an old unkeyed chain to the keyed one, before the
/// triggers of migration 0009 exist (they refuse it afterwards).
pub async fn relink(db: &impl ConnectionTrait, id: i64, prev_hash: &str, hash: &str) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    db.execute_raw(raw(
        b,
        "UPDATE audit_events SET prev_hash = ?, hash = ? WHERE id = ?",
        vec![prev_hash.into(), hash.into(), id.into()],
    ))
    .await?;
    Ok(())
}

/// The head's hash after [`relink`].
pub async fn relink_head(db: &impl ConnectionTrait, hash: &str) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    db.execute_raw(raw(b, "UPDATE audit_head SET last_hash = ? WHERE id = 1", vec![hash.into()])).await?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub result: Option<String>,
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    pub to: Option<chrono::DateTime<chrono::Utc>>,
}

pub async fn list(db: &impl ConnectionTrait, f: &AuditFilter, page: PageReq) -> Result<Page<AuditEvent>, DbErr> {
    let mut q = audit_event::Entity::find();
    if let Some(v) = &f.actor {
        q = q.filter(audit_event::Column::ActorName.contains(v));
    }
    if let Some(v) = &f.action {
        q = q.filter(audit_event::Column::Action.starts_with(v));
    }
    if let Some(v) = &f.object_type {
        q = q.filter(audit_event::Column::ObjectType.eq(v));
    }
    if let Some(v) = &f.object_id {
        q = q.filter(audit_event::Column::ObjectId.eq(v));
    }
    if let Some(v) = &f.result {
        q = q.filter(audit_event::Column::Result.eq(v));
    }
    if let Some(v) = f.from {
        q = q.filter(audit_event::Column::At.gte(v));
    }
    if let Some(v) = f.to {
        q = q.filter(audit_event::Column::At.lt(v));
    }
    let total = q.clone().count(db).await?;
    let items = q.order_by_desc(audit_event::Column::Id).offset(page.offset()).limit(page.per_page).all(db).await?;
    Ok(Page { items, total })
}

/// Events with id > `after`, in order, at most `limit` (for chain verification).
pub async fn batch_after(db: &impl ConnectionTrait, after: i64, limit: u64) -> Result<Vec<AuditEvent>, DbErr> {
    audit_event::Entity::find()
        .filter(audit_event::Column::Id.gt(after))
        .order_by_asc(audit_event::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The head as recorded (last id and hash), to detect deletion of the newest records.
pub async fn head(db: &impl ConnectionTrait) -> Result<(i64, String), DbErr> {
    let b = db.get_database_backend();
    let row = db
        .query_one_raw(raw(b, "SELECT last_id, last_hash FROM audit_head WHERE id = 1", vec![]))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("audit_head".into()))?;
    Ok((row.try_get("", "last_id")?, row.try_get("", "last_hash")?))
}
