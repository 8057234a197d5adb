//! Communities (regional committees and chain alliances): their member organisations, part-time
//! committee members and the rotating secretaries' rota.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set, Value,
};

use crate::entity::{
    communities::community_member, communities::part_time_member, communities::rota, communities::rota_handover,
    communities::rota_secretary, communities::rota_swap, organisations::org,
};
use crate::repo::members::mobility::scope_sql;
use crate::{Scope, raw};

pub use community_member::Model as CommunityMember;
pub use part_time_member::Model as PartTimeMember;
pub use rota::Model as Rota;
pub use rota_handover::Model as Handover;
pub use rota_secretary::Model as Secretary;
pub use rota_swap::Model as Swap;

/// Organisation kinds that work as communities.
pub const COMMUNITY_KINDS: &[&str] = &["chain_alliance", "regional_org"];

/// Communities of `kinds` that `scope` sees: the community lies in the scope, or one of its member
/// organisations does (members of a community see it). Active ones, by name.
pub async fn visible(db: &impl ConnectionTrait, scope: &Scope, kinds: &[&str]) -> Result<Vec<org::Model>, DbErr> {
    let b = db.get_database_backend();
    let mut values: Vec<Value> = kinds.iter().map(|k| (*k).into()).collect();
    let marks = vec!["?"; kinds.len()].join(", ");
    let own = scope_sql(scope, "o.path", &mut values);
    let member = scope_sql(scope, "cm.org_path", &mut values);
    let sql = format!(
        "SELECT o.id AS id FROM orgs o WHERE o.status = 'active' AND o.kind IN ({marks}) AND ({own} OR EXISTS \
         (SELECT 1 FROM community_members cm WHERE cm.community_id = o.id AND {member}))"
    );
    let ids: Vec<i64> = db
        .query_all_raw(raw(b, &sql, values))
        .await?
        .into_iter()
        .map(|r| r.try_get("", "id"))
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Ok(vec![]);
    }
    org::Entity::find().filter(org::Column::Id.is_in(ids)).order_by_asc(org::Column::Name).all(db).await
}

/// Whether one of the community's member organisations lies in `scope`.
/// The organisation if `scope` sees it as a community: it lies in the scope, or one of its member
/// organisations does. The caller checks that it is a community.
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<org::Model>, DbErr> {
    match org::Entity::find_by_id(id).one(db).await? {
        Some(o) if scope.contains(&o.path) || has_member_in(db, id, scope).await? => Ok(Some(o)),
        _ => Ok(None),
    }
}

pub async fn has_member_in(db: &impl ConnectionTrait, community_id: i64, scope: &Scope) -> Result<bool, DbErr> {
    Ok(community_member::Entity::find()
        .filter(community_member::Column::CommunityId.eq(community_id))
        .filter(scope.condition(community_member::Column::OrgPath))
        .one(db)
        .await?
        .is_some())
}

/// The member organisations of a community with their organisation rows, by role then name.
pub async fn members_of(
    db: &impl ConnectionTrait,
    community_id: i64,
) -> Result<Vec<(CommunityMember, org::Model)>, DbErr> {
    let list =
        community_member::Entity::find().filter(community_member::Column::CommunityId.eq(community_id)).all(db).await?;
    let ids: Vec<i64> = list.iter().map(|m| m.org_id).collect();
    let orgs = crate::repo::organisations::orgs::get_many(db, &Scope::everything(), &ids).await?;
    let mut out: Vec<(CommunityMember, org::Model)> =
        list.into_iter().filter_map(|m| orgs.iter().find(|o| o.id == m.org_id).cloned().map(|o| (m, o))).collect();
    let rank = |r: &str| ["lead", "coordinator", "member", "partner"].iter().position(|x| *x == r).unwrap_or(9);
    out.sort_by(|a, b| rank(&a.0.role).cmp(&rank(&b.0.role)).then(a.1.name.cmp(&b.1.name)));
    Ok(out)
}

/// Member counts per community.
pub async fn member_counts(db: &impl ConnectionTrait, ids: &[i64]) -> Result<Vec<(i64, i64)>, DbErr> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let b = db.get_database_backend();
    let marks = vec!["?"; ids.len()].join(", ");
    let sql = format!(
        "SELECT community_id, COUNT(*) AS n FROM community_members WHERE community_id IN ({marks}) GROUP BY community_id"
    );
    let rows = db.query_all_raw(raw(b, &sql, ids.iter().map(|i| (*i).into()).collect())).await?;
    rows.into_iter().map(|r| Ok((r.try_get("", "community_id")?, r.try_get("", "n")?))).collect()
}

/// Adds an organisation to a community or changes its role.
pub async fn upsert_member(
    db: &impl ConnectionTrait,
    community_id: i64,
    org: &org::Model,
    role: &str,
    since: Option<NaiveDate>,
) -> Result<CommunityMember, DbErr> {
    community_member::Entity::delete_many()
        .filter(community_member::Column::CommunityId.eq(community_id))
        .filter(community_member::Column::OrgId.eq(org.id))
        .exec(db)
        .await?;
    community_member::ActiveModel {
        community_id: Set(community_id),
        org_id: Set(org.id),
        org_path: Set(org.path.clone()),
        role: Set(role.to_string()),
        since: Set(since),
    }
    .insert(db)
    .await
}

pub async fn remove_member(db: &impl ConnectionTrait, community_id: i64, org_id: i64) -> Result<bool, DbErr> {
    Ok(community_member::Entity::delete_many()
        .filter(community_member::Column::CommunityId.eq(community_id))
        .filter(community_member::Column::OrgId.eq(org_id))
        .exec(db)
        .await?
        .rows_affected
        > 0)
}

/// The communities an organisation belongs to (ids).
pub async fn communities_of(db: &impl ConnectionTrait, org_id: i64) -> Result<Vec<i64>, DbErr> {
    Ok(community_member::Entity::find()
        .filter(community_member::Column::OrgId.eq(org_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.community_id)
        .collect())
}

pub async fn part_time_members(db: &impl ConnectionTrait, community_id: i64) -> Result<Vec<PartTimeMember>, DbErr> {
    part_time_member::Entity::find()
        .filter(part_time_member::Column::CommunityId.eq(community_id))
        .order_by_asc(part_time_member::Column::Id)
        .all(db)
        .await
}

pub async fn add_part_time_member(
    db: &impl ConnectionTrait,
    community_id: i64,
    name: String,
    unit: String,
    position: Option<String>,
) -> Result<PartTimeMember, DbErr> {
    part_time_member::ActiveModel {
        community_id: Set(community_id),
        name: Set(name),
        unit: Set(unit),
        position: Set(position),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn rota(db: &impl ConnectionTrait, community_id: i64) -> Result<Option<Rota>, DbErr> {
    rota::Entity::find_by_id(community_id).one(db).await
}

pub async fn set_rota(
    db: &impl ConnectionTrait,
    community_id: i64,
    anchor: NaiveDate,
    months: i32,
) -> Result<Rota, DbErr> {
    rota::Entity::delete_by_id(community_id).exec(db).await?;
    rota::ActiveModel {
        community_id: Set(community_id),
        anchor: Set(anchor),
        months: Set(months),
        updated_at: Set(Utc::now()),
    }
    .insert(db)
    .await
}

/// The secretaries of a community in rota order (inactive ones included, flagged).
pub async fn secretaries(db: &impl ConnectionTrait, community_id: i64) -> Result<Vec<Secretary>, DbErr> {
    rota_secretary::Entity::find()
        .filter(rota_secretary::Column::CommunityId.eq(community_id))
        .order_by_asc(rota_secretary::Column::Position)
        .order_by_asc(rota_secretary::Column::Id)
        .all(db)
        .await
}

pub async fn add_secretary(
    db: &impl ConnectionTrait,
    community_id: i64,
    name: String,
    org_id: Option<i64>,
) -> Result<Secretary, DbErr> {
    let next = secretaries(db, community_id).await?.iter().map(|s| s.position).max().unwrap_or(0) + 1;
    rota_secretary::ActiveModel {
        community_id: Set(community_id),
        name: Set(name),
        org_id: Set(org_id),
        position: Set(next),
        active: Set(true),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn swaps(db: &impl ConnectionTrait, community_id: i64) -> Result<Vec<Swap>, DbErr> {
    rota_swap::Entity::find()
        .filter(rota_swap::Column::CommunityId.eq(community_id))
        .order_by_asc(rota_swap::Column::TermStart)
        .all(db)
        .await
}

/// Records a swap; a later swap of the same term replaces the earlier one (the audit keeps both).
pub async fn put_swap(
    db: &impl ConnectionTrait,
    community_id: i64,
    term_start: NaiveDate,
    secretary_id: i64,
    reason: String,
    by: Option<i64>,
) -> Result<Swap, DbErr> {
    rota_swap::Entity::delete_many()
        .filter(rota_swap::Column::CommunityId.eq(community_id))
        .filter(rota_swap::Column::TermStart.eq(term_start))
        .exec(db)
        .await?;
    rota_swap::ActiveModel {
        community_id: Set(community_id),
        term_start: Set(term_start),
        secretary_id: Set(secretary_id),
        reason: Set(reason),
        created_by: Set(by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn handovers(db: &impl ConnectionTrait, community_id: i64) -> Result<Vec<Handover>, DbErr> {
    rota_handover::Entity::find()
        .filter(rota_handover::Column::CommunityId.eq(community_id))
        .order_by_desc(rota_handover::Column::TermStart)
        .order_by_desc(rota_handover::Column::Id)
        .all(db)
        .await
}

pub async fn add_handover(
    db: &impl ConnectionTrait,
    community_id: i64,
    term_start: NaiveDate,
    note: String,
    author: String,
    by: Option<i64>,
) -> Result<Handover, DbErr> {
    rota_handover::ActiveModel {
        community_id: Set(community_id),
        term_start: Set(term_start),
        note: Set(note),
        author: Set(author),
        created_by: Set(by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}
