//! Party-building instructors (组团式指导): groups of users, the organisations each group is
//! assigned to (which is what an instructor may see), and their visit logs (走访).

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::Scope;
use crate::entity::{
    communities::instructor_assignment, communities::instructor_group, communities::instructor_group_user,
    communities::visit, organisations::org,
};

pub use instructor_assignment::Model as Assignment;
pub use instructor_group::Model as Group;
pub use instructor_group_user::Model as GroupUser;
pub use visit::Model as Visit;

pub async fn insert_group(db: &impl ConnectionTrait, name: String, owner: &org::Model) -> Result<Group, DbErr> {
    instructor_group::ActiveModel {
        name: Set(name),
        org_id: Set(owner.id),
        org_path: Set(owner.path.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// A group managed inside `scope` (`None` outside it).
pub async fn group(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Group>, DbErr> {
    instructor_group::Entity::find_by_id(id).filter(scope.condition(instructor_group::Column::OrgPath)).one(db).await
}

/// Groups managed inside `scope`.
pub async fn groups_in(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<Group>, DbErr> {
    instructor_group::Entity::find()
        .filter(scope.condition(instructor_group::Column::OrgPath))
        .order_by_asc(instructor_group::Column::Id)
        .all(db)
        .await
}

pub async fn users_of(db: &impl ConnectionTrait, group_ids: &[i64]) -> Result<Vec<GroupUser>, DbErr> {
    instructor_group_user::Entity::find()
        .filter(instructor_group_user::Column::GroupId.is_in(group_ids.iter().copied()))
        .all(db)
        .await
}

/// Bumps the `auth_version` of the group's instructors: what they may see changed (their sessions
/// are rebuilt on every instance).
async fn group_changed(db: &impl ConnectionTrait, group_id: i64) -> Result<(), DbErr> {
    let ids: Vec<i64> = users_of(db, &[group_id]).await?.into_iter().map(|u| u.user_id).collect();
    crate::repo::platform::users::auth_changed(db, &ids).await
}

pub async fn set_users(db: &impl ConnectionTrait, group_id: i64, users: &[(i64, bool)]) -> Result<(), DbErr> {
    // Those who leave the group and those who join it.
    group_changed(db, group_id).await?;
    crate::repo::platform::users::auth_changed(db, &users.iter().map(|(u, _)| *u).collect::<Vec<_>>()).await?;
    instructor_group_user::Entity::delete_many()
        .filter(instructor_group_user::Column::GroupId.eq(group_id))
        .exec(db)
        .await?;
    if users.is_empty() {
        return Ok(());
    }
    instructor_group_user::Entity::insert_many(users.iter().map(|(u, leader)| instructor_group_user::ActiveModel {
        group_id: Set(group_id),
        user_id: Set(*u),
        leader: Set(*leader),
    }))
    .exec(db)
    .await?;
    Ok(())
}

pub async fn assignments_of(db: &impl ConnectionTrait, group_ids: &[i64]) -> Result<Vec<Assignment>, DbErr> {
    instructor_assignment::Entity::find()
        .filter(instructor_assignment::Column::GroupId.is_in(group_ids.iter().copied()))
        .all(db)
        .await
}

pub async fn assign(db: &impl ConnectionTrait, group_id: i64, target: &org::Model) -> Result<(), DbErr> {
    // Bumps the group's instructors.
    unassign(db, group_id, target.id).await?;
    instructor_assignment::ActiveModel {
        group_id: Set(group_id),
        org_id: Set(target.id),
        org_path: Set(target.path.clone()),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn unassign(db: &impl ConnectionTrait, group_id: i64, org_id: i64) -> Result<bool, DbErr> {
    group_changed(db, group_id).await?;
    Ok(instructor_assignment::Entity::delete_many()
        .filter(instructor_assignment::Column::GroupId.eq(group_id))
        .filter(instructor_assignment::Column::OrgId.eq(org_id))
        .exec(db)
        .await?
        .rows_affected
        > 0)
}

/// The organisations assigned to the groups `user_id` belongs to: (group id, organisation id).
pub async fn assigned_to_user(db: &impl ConnectionTrait, user_id: i64) -> Result<Vec<(i64, i64)>, DbErr> {
    let groups: Vec<i64> = instructor_group_user::Entity::find()
        .filter(instructor_group_user::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.group_id)
        .collect();
    if groups.is_empty() {
        return Ok(vec![]);
    }
    Ok(assignments_of(db, &groups).await?.into_iter().map(|a| (a.group_id, a.org_id)).collect())
}

pub async fn insert_visit(
    db: &impl ConnectionTrait,
    target: &org::Model,
    group_id: Option<i64>,
    visited_on: NaiveDate,
    findings: String,
    follow_ups: Option<String>,
    (author, by): (String, Option<i64>),
) -> Result<Visit, DbErr> {
    let now = Utc::now();
    visit::ActiveModel {
        org_id: Set(target.id),
        org_path: Set(target.path.clone()),
        group_id: Set(group_id),
        visited_on: Set(visited_on),
        findings: Set(findings),
        status: Set(if follow_ups.is_some() { "open" } else { "closed" }.into()),
        follow_ups: Set(follow_ups),
        author: Set(author),
        created_by: Set(by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// A visit to an organisation inside `scope` (`None` outside it).
pub async fn visit(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Visit>, DbErr> {
    visit::Entity::find_by_id(id).filter(scope.condition(visit::Column::OrgPath)).one(db).await
}

pub async fn close_visit(db: &impl ConnectionTrait, v: Visit) -> Result<Visit, DbErr> {
    let mut am: visit::ActiveModel = v.into();
    am.status = Set("closed".into());
    am.updated_at = Set(Utc::now());
    am.update(db).await
}

/// Visits of organisations in `subtree`, newest first.
pub async fn visits_in(db: &impl ConnectionTrait, subtree: &Scope, limit: u64) -> Result<Vec<Visit>, DbErr> {
    use sea_orm::QuerySelect;
    visit::Entity::find()
        .filter(subtree.condition(visit::Column::OrgPath))
        .order_by_desc(visit::Column::VisitedOn)
        .order_by_desc(visit::Column::Id)
        .limit(limit)
        .all(db)
        .await
}
