//! Background jobs and their progress.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use crate::entity::platform::job;

pub use job::Model as Job;

pub async fn create(db: &impl ConnectionTrait, kind: &str, user_id: i64) -> Result<Job, DbErr> {
    let now = Utc::now();
    job::ActiveModel {
        kind: Set(kind.into()),
        user_id: Set(user_id),
        status: Set("running".into()),
        total: Set(0),
        processed: Set(0),
        result: Set(None),
        error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<Option<Job>, DbErr> {
    job::Entity::find_by_id(id).one(db).await
}

pub async fn progress(db: &impl ConnectionTrait, id: i64, processed: i64, total: i64) -> Result<(), DbErr> {
    job::Entity::update_many()
        .col_expr(job::Column::Processed, Expr::value(processed))
        .col_expr(job::Column::Total, Expr::value(total))
        .col_expr(job::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::Status.eq("running"))
        .exec(db)
        .await?;
    Ok(())
}

/// Records the outcome and the final counts (a late progress write cannot undo it:
/// progress only touches running jobs).
pub async fn finish(
    db: &impl ConnectionTrait,
    id: i64,
    processed: i64,
    total: i64,
    result: Result<String, String>,
) -> Result<(), DbErr> {
    let (status, result, error) = match result {
        Ok(r) => ("done", Some(r), None),
        Err(e) => ("failed", None, Some(e)),
    };
    job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value(status))
        .col_expr(job::Column::Processed, Expr::value(processed))
        .col_expr(job::Column::Total, Expr::value(total))
        .col_expr(job::Column::Result, Expr::value(result))
        .col_expr(job::Column::Error, Expr::value(error))
        .col_expr(job::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(job::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks failed every job still `running` whose progress was last written before `before`: its
/// process is gone (a running job writes progress several times a second). Returns how many.
pub async fn fail_stale(db: &impl ConnectionTrait, before: chrono::DateTime<Utc>, error: &str) -> Result<u64, DbErr> {
    Ok(job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value("failed"))
        .col_expr(job::Column::Error, Expr::value(error))
        .col_expr(job::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(job::Column::Status.eq("running"))
        .filter(job::Column::UpdatedAt.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}
