//! Login sessions, stored in the database so that several instances share them.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::entity::platform::session;

pub use session::Model as Session;

pub async fn insert(db: &impl ConnectionTrait, s: Session) -> Result<Session, DbErr> {
    session::ActiveModel {
        id: Set(s.id),
        user_id: Set(s.user_id),
        csrf_token: Set(s.csrf_token),
        ip: Set(s.ip),
        user_agent: Set(s.user_agent),
        created_at: Set(s.created_at),
        last_seen_at: Set(s.last_seen_at),
        expires_at: Set(s.expires_at),
    }
    .insert(db)
    .await
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Option<Session>, DbErr> {
    session::Entity::find_by_id(id.to_string()).one(db).await
}

/// What a request's session is checked against, from one indexed query on every request: the
/// session (gone after a logout or a password change), its expiry, the account, and the versions that
/// every change to the user's authorisations bumps in its own transaction (`users.auth_version`, and
/// `org_tree_version` for organisations' paths, statuses and names). A session built into an actor at
/// the same versions needs nothing more read.
#[derive(Debug, Clone, PartialEq, Eq, sea_orm::FromQueryResult)]
pub struct Validation {
    pub user_id: i64,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub disabled: bool,
    pub auth_version: i64,
    pub tree_version: i64,
}

/// The session `id` with its user's versions (see [`Validation`]); None when there is no such session.
pub async fn validate(db: &impl ConnectionTrait, id: &str) -> Result<Option<Validation>, DbErr> {
    use sea_orm::FromQueryResult;
    let b = db.get_database_backend();
    let sql = "SELECT s.user_id AS user_id, s.csrf_token AS csrf_token, s.expires_at AS expires_at, \
               s.last_seen_at AS last_seen_at, u.disabled AS disabled, u.auth_version AS auth_version, \
               t.version AS tree_version \
               FROM sessions s JOIN users u ON u.id = s.user_id JOIN org_tree_version t ON t.id = 1 WHERE s.id = ?";
    match db.query_one_raw(crate::raw(b, sql, vec![id.into()])).await? {
        Some(row) => Ok(Some(Validation::from_query_result(&row, "")?)),
        None => Ok(None),
    }
}

pub async fn touch(db: &impl ConnectionTrait, id: &str, at: DateTime<Utc>) -> Result<(), DbErr> {
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(at))
        .filter(session::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn delete(db: &impl ConnectionTrait, id: &str) -> Result<(), DbErr> {
    session::Entity::delete_by_id(id.to_string()).exec(db).await?;
    Ok(())
}

/// Deletes every session of the user except `keep`; returns how many.
pub async fn delete_others(db: &impl ConnectionTrait, user_id: i64, keep: Option<&str>) -> Result<u64, DbErr> {
    let mut q = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(k) = keep {
        q = q.filter(session::Column::Id.ne(k));
    }
    Ok(q.exec(db).await?.rows_affected)
}

pub async fn of_user(db: &impl ConnectionTrait, user_id: i64) -> Result<Vec<Session>, DbErr> {
    session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .order_by_desc(session::Column::LastSeenAt)
        .all(db)
        .await
}

/// Deletes the sessions past their absolute expiry (`now`) or idle since before `idle_since`.
pub async fn purge_expired(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    idle_since: DateTime<Utc>,
) -> Result<u64, DbErr> {
    Ok(session::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(session::Column::ExpiresAt.lte(now))
                .add(session::Column::LastSeenAt.lte(idle_since)),
        )
        .exec(db)
        .await?
        .rows_affected)
}
