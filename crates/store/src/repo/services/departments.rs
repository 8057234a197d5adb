//! County departments (县直部门): they staff windows, issue policies and handle service requests.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::Scope;
use crate::entity::services::department;

pub use department::Model as Department;

pub async fn insert(db: &impl ConnectionTrait, county_path: &str, name: &str, sort: i32) -> Result<Department, DbErr> {
    department::ActiveModel {
        county_path: Set(county_path.to_string()),
        name: Set(name.to_string()),
        sort: Set(sort),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn rename(db: &impl ConnectionTrait, current: Department, name: &str) -> Result<Department, DbErr> {
    let mut am: department::ActiveModel = current.into();
    am.name = Set(name.to_string());
    am.update(db).await
}

/// The department if its county lies in `scope`.
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Department>, DbErr> {
    department::Entity::find_by_id(id).filter(scope.condition(department::Column::CountyPath)).one(db).await
}

/// The departments of the counties in `scope`, in their county's order.
pub async fn list(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<Department>, DbErr> {
    department::Entity::find()
        .filter(scope.condition(department::Column::CountyPath))
        .order_by_asc(department::Column::CountyPath)
        .order_by_asc(department::Column::Sort)
        .order_by_asc(department::Column::Id)
        .all(db)
        .await
}

/// Names of departments already reached (a grant's department), by id.
pub async fn names(db: &impl ConnectionTrait, ids: &[i64]) -> Result<std::collections::HashMap<i64, String>, DbErr> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(department::Entity::find()
        .filter(department::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect())
}

/// A department of the same name in the county, if any.
pub async fn by_name(db: &impl ConnectionTrait, county_path: &str, name: &str) -> Result<Option<Department>, DbErr> {
    department::Entity::find()
        .filter(department::Column::CountyPath.eq(county_path))
        .filter(department::Column::Name.eq(name))
        .one(db)
        .await
}
