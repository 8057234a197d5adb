//! Party-building brand projects (党建品牌) and the cultivation targets (百千万提升工程) among them.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use crate::Scope;
use crate::entity::{goals::brand_project, organisations::org};

pub use brand_project::Model as BrandProject;

/// The editable fields, validated by the caller; `checklist` is JSON.
#[derive(Debug, Clone)]
pub struct BrandFields {
    pub name: String,
    pub goal: String,
    pub checklist: String,
    pub status: String,
    pub cultivation: bool,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    owner: &org::Model,
    year: i32,
    f: BrandFields,
    by: Option<i64>,
) -> Result<BrandProject, DbErr> {
    let now = Utc::now();
    brand_project::ActiveModel {
        org_id: Set(owner.id),
        org_path: Set(owner.path.clone()),
        year: Set(year),
        name: Set(f.name),
        goal: Set(f.goal),
        checklist: Set(f.checklist),
        status: Set(f.status),
        cultivation: Set(f.cultivation),
        created_by: Set(by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn update(db: &impl ConnectionTrait, current: BrandProject, f: BrandFields) -> Result<BrandProject, DbErr> {
    let mut am: brand_project::ActiveModel = current.into();
    am.name = Set(f.name);
    am.goal = Set(f.goal);
    am.checklist = Set(f.checklist);
    am.status = Set(f.status);
    am.cultivation = Set(f.cultivation);
    am.updated_at = Set(Utc::now());
    am.update(db).await
}

/// The record if its organisation lies in `scope`, else `None` (as for an id that does not exist).
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<BrandProject>, DbErr> {
    brand_project::Entity::find_by_id(id).filter(scope.condition(brand_project::Column::OrgPath)).one(db).await
}

/// Projects of a year in `subtree`, optionally only cultivation targets.
pub async fn list(
    db: &impl ConnectionTrait,
    subtree: &Scope,
    year: i32,
    cultivation: Option<bool>,
) -> Result<Vec<BrandProject>, DbErr> {
    let mut q = brand_project::Entity::find()
        .filter(subtree.condition(brand_project::Column::OrgPath))
        .filter(brand_project::Column::Year.eq(year));
    if let Some(c) = cultivation {
        q = q.filter(brand_project::Column::Cultivation.eq(c));
    }
    q.order_by_desc(brand_project::Column::Cultivation).order_by_asc(brand_project::Column::Id).all(db).await
}

/// How many projects an organisation registered for a year.
pub async fn count_of(db: &impl ConnectionTrait, org_id: i64, year: i32) -> Result<u64, DbErr> {
    brand_project::Entity::find()
        .filter(brand_project::Column::OrgId.eq(org_id))
        .filter(brand_project::Column::Year.eq(year))
        .count(db)
        .await
}
