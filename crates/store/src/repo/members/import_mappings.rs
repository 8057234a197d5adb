//! Saved import column mappings, per county.

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use crate::entity::members::import_mapping;

pub use import_mapping::Model as ImportMapping;

/// The counties' mappings, by name.
pub async fn list(db: &impl ConnectionTrait, counties: &[i64]) -> Result<Vec<ImportMapping>, DbErr> {
    import_mapping::Entity::find()
        .filter(import_mapping::Column::CountyId.is_in(counties.iter().copied()))
        .order_by_asc(import_mapping::Column::Name)
        .order_by_asc(import_mapping::Column::Id)
        .limit(200)
        .all(db)
        .await
}

/// Saves a county's mapping under its name, replacing one of the same name.
pub async fn save(
    db: &impl ConnectionTrait,
    county_id: i64,
    name: &str,
    header_row: i32,
    columns: &str,
    created_by: Option<i64>,
) -> Result<ImportMapping, DbErr> {
    let now = Utc::now();
    import_mapping::Entity::insert(import_mapping::ActiveModel {
        id: sea_orm::NotSet,
        county_id: Set(county_id),
        name: Set(name.to_string()),
        header_row: Set(header_row),
        columns: Set(columns.to_string()),
        created_by: Set(created_by),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([import_mapping::Column::CountyId, import_mapping::Column::Name])
            .update_columns([
                import_mapping::Column::HeaderRow,
                import_mapping::Column::Columns,
                import_mapping::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    import_mapping::Entity::find()
        .filter(import_mapping::Column::CountyId.eq(county_id))
        .filter(import_mapping::Column::Name.eq(name))
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("import mapping".into()))
}
