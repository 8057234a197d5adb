//! Committee posts: who holds which post on an organisation's committee, and when.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::Scope;
use crate::entity::organisations::committee_post;

pub use committee_post::Model as CommitteePostRow;

/// Every post of the organisation, newest term first.
pub async fn posts_of(db: &impl ConnectionTrait, org_id: i64) -> Result<Vec<CommitteePostRow>, DbErr> {
    committee_post::Entity::find()
        .filter(committee_post::Column::OrgId.eq(org_id))
        .order_by_desc(committee_post::Column::Since)
        .order_by_asc(committee_post::Column::Id)
        .all(db)
        .await
}

/// The posts of these organisations held on `day`.
pub async fn held_on(
    db: &impl ConnectionTrait,
    org_ids: &[i64],
    day: NaiveDate,
) -> Result<Vec<CommitteePostRow>, DbErr> {
    if org_ids.is_empty() {
        return Ok(Vec::new());
    }
    committee_post::Entity::find()
        .filter(committee_post::Column::OrgId.is_in(org_ids.iter().copied()))
        .filter(committee_post::Column::Since.lte(day))
        .filter(
            Condition::any().add(committee_post::Column::Until.is_null()).add(committee_post::Column::Until.gte(day)),
        )
        .order_by_asc(committee_post::Column::Id)
        .all(db)
        .await
}

/// The post if its organisation lies in `scope`, else `None` (as for an id that does not exist).
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<CommitteePostRow>, DbErr> {
    use crate::entity::organisations::org;
    use sea_orm::sea_query::Query;
    committee_post::Entity::find_by_id(id)
        .filter(
            committee_post::Column::OrgId.in_subquery(
                Query::select()
                    .column(org::Column::Id)
                    .from(org::Entity)
                    .cond_where(scope.condition(org::Column::Path))
                    .to_owned(),
            ),
        )
        .one(db)
        .await
}

pub async fn insert(
    db: &impl ConnectionTrait,
    org_id: i64,
    member_id: i64,
    post: &str,
    since: NaiveDate,
    created_by: Option<i64>,
) -> Result<CommitteePostRow, DbErr> {
    committee_post::ActiveModel {
        org_id: Set(org_id),
        member_id: Set(member_id),
        post: Set(post.into()),
        since: Set(since),
        until: Set(None),
        created_by: Set(created_by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Ends on `until` every post of the organisation still held after that day (a new committee is
/// elected the next day).
pub async fn end_all(db: &impl ConnectionTrait, org_id: i64, until: NaiveDate) -> Result<u64, DbErr> {
    let r = committee_post::Entity::update_many()
        .col_expr(committee_post::Column::Until, Expr::value(until))
        .filter(committee_post::Column::OrgId.eq(org_id))
        .filter(committee_post::Column::Since.lte(until))
        .filter(
            Condition::any().add(committee_post::Column::Until.is_null()).add(committee_post::Column::Until.gt(until)),
        )
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

pub async fn set_until(
    db: &impl ConnectionTrait,
    row: CommitteePostRow,
    until: Option<NaiveDate>,
) -> Result<CommitteePostRow, DbErr> {
    let mut am: committee_post::ActiveModel = row.into();
    am.until = Set(until);
    am.update(db).await
}

/// Deletes the organisation's posts that began on `since` (an election recorded anew).
pub async fn delete_since(db: &impl ConnectionTrait, org_id: i64, since: NaiveDate) -> Result<u64, DbErr> {
    let r = committee_post::Entity::delete_many()
        .filter(committee_post::Column::OrgId.eq(org_id))
        .filter(committee_post::Column::Since.eq(since))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

/// (organisation id, name, kind, earliest day held) of each active organisation in the scope with
/// posts held on `day`: the day its committee in office was elected.
pub async fn terms_in_office(
    db: &impl ConnectionTrait,
    scope: &crate::Scope,
    day: NaiveDate,
) -> Result<Vec<(i64, String, String, NaiveDate)>, DbErr> {
    let mut values: Vec<sea_orm::Value> = vec![day.into(), day.into()];
    let visible = crate::repo::members::mobility::scope_sql(scope, "o.path", &mut values);
    let sql = format!(
        "SELECT p.org_id AS id, o.name AS name, o.kind AS kind, MIN(p.since) AS since FROM committee_posts p \
         JOIN orgs o ON o.id = p.org_id WHERE p.since <= ? AND (p.until IS NULL OR p.until >= ?) \
         AND o.status = 'active' AND {visible} GROUP BY p.org_id, o.name, o.kind ORDER BY MIN(p.since), p.org_id"
    );
    let rows = db.query_all_raw(crate::raw(db.get_database_backend(), &sql, values)).await?;
    rows.iter()
        .map(|r| Ok((r.try_get("", "id")?, r.try_get("", "name")?, r.try_get("", "kind")?, r.try_get("", "since")?)))
        .collect()
}
