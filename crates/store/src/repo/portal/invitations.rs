//! Invitations to the member portal: who of a subtree may still be invited, the invitations of a
//! scope, and the single-use, counted activation by code.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, Value,
};

use crate::entity::members::member;
use crate::entity::platform::user;
use crate::entity::portal::invitation;
use crate::repo::members::mobility::scope_sql;
use crate::repo::{Page, PageReq};
use crate::{Scope, raw, subtree_condition};

pub use invitation::Model as Invitation;

/// A new pending invitation.
pub struct NewInvitation {
    pub member_id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub code_hash: String,
    pub expires_at: DateTime<Utc>,
    pub created_by: Option<i64>,
    pub created_by_name: String,
}

pub async fn insert(db: &impl ConnectionTrait, n: NewInvitation) -> Result<Invitation, DbErr> {
    invitation::ActiveModel {
        member_id: Set(n.member_id),
        org_id: Set(n.org_id),
        org_path: Set(n.org_path),
        code_hash: Set(n.code_hash),
        status: Set("pending".into()),
        wrong_answers: Set(0),
        expires_at: Set(n.expires_at),
        created_by: Set(n.created_by),
        created_by_name: Set(n.created_by_name),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The invitation with this code's hash. Not a by-id load: whoever holds the code was given it for
/// this one member, and activation still asks for what only that member knows.
pub async fn by_code_hash(db: &impl ConnectionTrait, code_hash: &str) -> Result<Option<Invitation>, DbErr> {
    invitation::Entity::find().filter(invitation::Column::CodeHash.eq(code_hash)).one(db).await
}

/// The invitation if its organisation lies in `scope`, else `None`.
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Invitation>, DbErr> {
    invitation::Entity::find_by_id(id).filter(scope.condition(invitation::Column::OrgPath)).one(db).await
}

/// What a list asks for besides the scope.
#[derive(Debug, Clone, Default)]
pub struct InvitationFilter {
    /// Within this organisation's subtree.
    pub org_path: Option<String>,
    /// "pending" (still usable), "expired" (pending, past its day), or a stored status.
    pub status: Option<String>,
    pub member_id: Option<i64>,
}

/// A page of the invitations in `scope`, the newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    f: &InvitationFilter,
    now: DateTime<Utc>,
    page: PageReq,
) -> Result<Page<Invitation>, DbErr> {
    use invitation::Column as C;
    let mut q = invitation::Entity::find().filter(scope.condition(C::OrgPath));
    if let Some(p) = &f.org_path {
        q = q.filter(subtree_condition(C::OrgPath, p));
    }
    if let Some(m) = f.member_id {
        q = q.filter(C::MemberId.eq(m));
    }
    match f.status.as_deref() {
        Some("pending") => q = q.filter(C::Status.eq("pending")).filter(C::ExpiresAt.gt(now)),
        Some("expired") => q = q.filter(C::Status.eq("pending")).filter(C::ExpiresAt.lte(now)),
        Some(s) => q = q.filter(C::Status.eq(s)),
        None => {}
    }
    let total = q.clone().count(db).await?;
    let items =
        q.order_by_desc(C::CreatedAt).order_by_desc(C::Id).limit(page.per_page).offset(page.offset()).all(db).await?;
    Ok(Page { items, total })
}

/// Counts by stored status in `scope` under `org_path`, and how many of the pending have expired.
pub async fn counts(
    db: &impl ConnectionTrait,
    scope: &Scope,
    org_path: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(Vec<(String, i64)>, u64), DbErr> {
    use invitation::Column as C;
    let mut q = invitation::Entity::find().filter(scope.condition(C::OrgPath));
    if let Some(p) = org_path {
        q = q.filter(subtree_condition(C::OrgPath, p));
    }
    let by_status = q
        .clone()
        .select_only()
        .column(C::Status)
        .column_as(C::Id.count(), "n")
        .group_by(C::Status)
        .into_tuple()
        .all(db)
        .await?;
    let expired = q.filter(C::Status.eq("pending")).filter(C::ExpiresAt.lte(now)).count(db).await?;
    Ok((by_status, expired))
}

/// The members in `scope` under `org_path` who could be invited now: their record is normal, no account
/// is bound to them and no usable invitation waits for them. Those filed in the subtree (with
/// `outflow_only`, only those away) under their own organisation, then those away whom an organisation
/// of the subtree receives (a chamber branch's members from home) under that organisation. At most
/// `limit`, each member once: (member id, organisation id, its path).
pub async fn invitable(
    db: &impl ConnectionTrait,
    scope: &Scope,
    org_path: &str,
    outflow_only: bool,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<(i64, i64, String)>, DbErr> {
    let b = db.get_database_backend();
    let upper = format!("{}0", &org_path[..org_path.len() - 1]);
    let free = "m.status = 'normal' AND NOT EXISTS (SELECT 1 FROM users u WHERE u.member_id = m.id) \
                AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.member_id = m.id AND i.status = 'pending' AND i.expires_at > ?)";
    let away = "EXISTS (SELECT 1 FROM mobility_records r WHERE r.member_id = m.id AND r.direction = 'outflow' AND r.status = 'open')";
    let mut out: Vec<(i64, i64, String)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for received in [false, true] {
        let mut values: Vec<Value> = Vec::new();
        let (select, col) = if received {
            (
                "SELECT m.id AS id, ro.id AS org_id, ro.path AS org_path FROM members m \
                 JOIN mobility_records r ON r.member_id = m.id AND r.direction = 'outflow' AND r.status = 'open' \
                 JOIN orgs ro ON ro.id = r.receiving_org_id",
                "ro.path",
            )
        } else {
            ("SELECT m.id AS id, m.org_id AS org_id, m.org_path AS org_path FROM members m", "m.org_path")
        };
        let in_scope = scope_sql(scope, col, &mut values);
        values.push(org_path.into());
        values.push(upper.clone().into());
        values.push(now.into());
        let extra = if outflow_only && !received { format!(" AND {away}") } else { String::new() };
        values.push(((limit as usize).saturating_sub(out.len()) as i64).into());
        let sql = format!(
            "{select} WHERE {in_scope} AND {col} >= ? AND {col} < ? AND {free}{extra} ORDER BY {col}, m.name LIMIT ?"
        );
        for row in db.query_all_raw(raw(b, &sql, values)).await? {
            let id: i64 = row.try_get("", "id")?;
            if seen.insert(id) {
                out.push((id, row.try_get("", "org_id")?, row.try_get("", "org_path")?));
            }
        }
        if out.len() as u64 >= limit {
            break;
        }
    }
    Ok(out)
}

/// The members (normal records) in `scope` under `org_path`, and how many of them have an account.
pub async fn accounts(db: &impl ConnectionTrait, scope: &Scope, org_path: Option<&str>) -> Result<(u64, u64), DbErr> {
    use member::Column as M;
    let mut q = member::Entity::find().filter(scope.condition(M::OrgPath)).filter(M::Status.eq("normal"));
    if let Some(p) = org_path {
        q = q.filter(subtree_condition(M::OrgPath, p));
    }
    let all = q.clone().count(db).await?;
    let has_account = Query::select()
        .column(user::Column::MemberId)
        .from(user::Entity)
        .and_where(Expr::col(user::Column::MemberId).is_not_null())
        .to_owned();
    let with_account = q.filter(M::Id.in_subquery(has_account)).count(db).await?;
    Ok((all, with_account))
}

/// The member's usable invitation (pending, not expired), if any.
pub async fn waiting_for(
    db: &impl ConnectionTrait,
    member_id: i64,
    now: DateTime<Utc>,
) -> Result<Option<Invitation>, DbErr> {
    use invitation::Column as C;
    invitation::Entity::find()
        .filter(C::MemberId.eq(member_id))
        .filter(C::Status.eq("pending"))
        .filter(C::ExpiresAt.gt(now))
        .one(db)
        .await
}

/// Closes a pending invitation: activated (with the account made), revoked or locked. False when it
/// was no longer pending (a concurrent activation or revocation won).
pub async fn close(db: &impl ConnectionTrait, id: i64, status: &str, user_id: Option<i64>) -> Result<bool, DbErr> {
    use invitation::Column as C;
    let r = invitation::Entity::update_many()
        .col_expr(C::Status, Expr::value(status))
        .col_expr(C::ClosedAt, Expr::value(Utc::now()))
        .col_expr(C::UserId, Expr::value(user_id))
        .filter(C::Id.eq(id))
        .filter(C::Status.eq("pending"))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Revokes the member's other pending invitations in `scope` (after one was activated, `Scope::All`, or
/// a new one made by a worker, their own scope).
pub async fn revoke_others(db: &impl ConnectionTrait, scope: &Scope, member_id: i64, keep: i64) -> Result<u64, DbErr> {
    use invitation::Column as C;
    let r = invitation::Entity::update_many()
        .filter(scope.condition(C::OrgPath))
        .col_expr(C::Status, Expr::value("revoked"))
        .col_expr(C::ClosedAt, Expr::value(Utc::now()))
        .filter(C::MemberId.eq(member_id))
        .filter(C::Status.eq("pending"))
        .filter(C::Id.ne(keep))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

/// Counts a wrong answer on a pending invitation with one atomic increment (parallel guesses all count);
/// returns the count now.
pub async fn count_wrong_answer(db: &impl ConnectionTrait, id: i64) -> Result<i32, DbErr> {
    use invitation::Column as C;
    invitation::Entity::update_many()
        .col_expr(C::WrongAnswers, Expr::col(C::WrongAnswers).add(1))
        .filter(C::Id.eq(id))
        .filter(C::Status.eq("pending"))
        .exec(db)
        .await?;
    let n: Option<i32> =
        invitation::Entity::find_by_id(id).select_only().column(C::WrongAnswers).into_tuple().one(db).await?;
    Ok(n.unwrap_or(0))
}

/// Records that the outbox message `outbox_id` carries these invitations (sent to a group robot).
pub async fn carried_by(db: &impl ConnectionTrait, ids: &[i64], outbox_id: i64) -> Result<(), DbErr> {
    use invitation::Column as C;
    invitation::Entity::update_many()
        .col_expr(C::OutboxId, Expr::value(outbox_id))
        .filter(C::Id.is_in(ids.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}

/// The invitations an outbox message carries that can still be opened, in the order they were made.
pub async fn carried(db: &impl ConnectionTrait, outbox_id: i64, now: DateTime<Utc>) -> Result<Vec<Invitation>, DbErr> {
    use invitation::Column as C;
    invitation::Entity::find()
        .filter(C::OutboxId.eq(outbox_id))
        .filter(C::Status.eq("pending"))
        .filter(C::ExpiresAt.gt(now))
        .order_by_asc(C::Id)
        .all(db)
        .await
}

/// Gives a pending invitation a new code's hash (the message that carries it is about to be sent with
/// the new code; an earlier code of it no longer opens it).
pub async fn recode(db: &impl ConnectionTrait, id: i64, code_hash: &str) -> Result<bool, DbErr> {
    use invitation::Column as C;
    let r = invitation::Entity::update_many()
        .col_expr(C::CodeHash, Expr::value(code_hash))
        .filter(C::Id.eq(id))
        .filter(C::Status.eq("pending"))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Voids the pending invitations whose group-robot message was given up (dead, or its robot switched
/// off): their codes reached no one, and the members are free to be invited again. Returns how many.
pub async fn revoke_undelivered(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    let sql = "UPDATE invitations SET status = 'revoked', closed_at = ? \
               WHERE status = 'pending' AND outbox_id IS NOT NULL \
               AND EXISTS (SELECT 1 FROM outbox o WHERE o.id = invitations.outbox_id AND o.status = 'dead')";
    Ok(db.execute_raw(raw(db.get_database_backend(), sql, vec![Utc::now().into()])).await?.rows_affected())
}
