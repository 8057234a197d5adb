//! Key/value settings stored as JSON text.

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, Set};

use crate::entity::platform::setting;

pub async fn get(db: &impl ConnectionTrait, key: &str) -> Result<Option<String>, DbErr> {
    Ok(setting::Entity::find_by_id(key.to_string()).one(db).await?.map(|s| s.value))
}

/// The keys that start with `prefix` (the counties that set their own value of a setting).
pub async fn keys_with_prefix(db: &impl ConnectionTrait, prefix: &str) -> Result<Vec<String>, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter, QuerySelect};
    setting::Entity::find()
        .select_only()
        .column(setting::Column::Key)
        .filter(setting::Column::Key.starts_with(prefix))
        .into_tuple()
        .all(db)
        .await
}

pub async fn set(db: &impl ConnectionTrait, key: &str, value: &str) -> Result<(), DbErr> {
    setting::Entity::insert(setting::ActiveModel {
        key: Set(key.to_string()),
        value: Set(value.to_string()),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(setting::Column::Key)
            .update_columns([setting::Column::Value, setting::Column::UpdatedAt])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

pub async fn delete(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    setting::Entity::delete_by_id(key.to_string()).exec(db).await?;
    Ok(())
}

/// Sets `key` unless it already has a value; true when this call set it.
pub async fn insert_if_absent(db: &impl ConnectionTrait, key: &str, value: &str) -> Result<bool, DbErr> {
    let n = setting::Entity::insert(setting::ActiveModel {
        key: Set(key.to_string()),
        value: Set(value.to_string()),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(OnConflict::column(setting::Column::Key).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    Ok(n > 0)
}

/// True once the schema exists (a database that was never migrated holds nothing).
pub async fn table_exists(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    let backend = db.get_database_backend();
    let sql = if backend == DatabaseBackend::Postgres {
        "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'settings'"
    } else {
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'"
    };
    Ok(db.query_one_raw(sea_orm::Statement::from_string(backend, sql)).await?.is_some())
}
