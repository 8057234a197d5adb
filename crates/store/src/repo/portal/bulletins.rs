//! Bulletins (通知公告): the console reads those of organisations in its scope; a member reads those
//! that reach them ([`MemberReach`]); reads are counted per bulletin among the members it reaches.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, Value,
};

use crate::entity::portal::{bulletin, bulletin_read};
use crate::repo::{Page, PageReq};
use crate::{Scope, raw};

pub use bulletin::Model as Bulletin;

/// The editable fields, validated by the caller.
#[derive(Debug, Clone)]
pub struct BulletinFields {
    pub org_id: i64,
    pub org_path: String,
    /// notice, activity.
    pub kind: String,
    pub title: String,
    pub body: String,
    pub include_outflow: bool,
}

fn set_fields(am: &mut bulletin::ActiveModel, f: BulletinFields) {
    am.org_id = Set(f.org_id);
    am.org_path = Set(f.org_path);
    am.kind = Set(f.kind);
    am.title = Set(f.title);
    am.body = Set(f.body);
    am.include_outflow = Set(f.include_outflow);
}

/// Publishes a bulletin at `at`, written by `author` (user id, name).
pub async fn insert(
    db: &impl ConnectionTrait,
    f: BulletinFields,
    author: (Option<i64>, &str),
    at: DateTime<Utc>,
) -> Result<Bulletin, DbErr> {
    let mut am = bulletin::ActiveModel {
        author_id: Set(author.0),
        author_name: Set(author.1.to_string()),
        published_at: Set(at),
        withdrawn_at: Set(None),
        withdrawn_by: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        ..Default::default()
    };
    set_fields(&mut am, f);
    am.insert(db).await
}

pub async fn update(db: &impl ConnectionTrait, current: Bulletin, f: BulletinFields) -> Result<Bulletin, DbErr> {
    let mut am: bulletin::ActiveModel = current.into();
    set_fields(&mut am, f);
    am.updated_at = Set(Utc::now());
    am.update(db).await
}

/// Withdraws a bulletin (already loaded through the scope): members no longer see it.
pub async fn withdraw(db: &impl ConnectionTrait, b: Bulletin, by: Option<i64>) -> Result<Bulletin, DbErr> {
    let now = Utc::now();
    let mut am: bulletin::ActiveModel = b.into();
    am.withdrawn_at = Set(Some(now));
    am.withdrawn_by = Set(by);
    am.updated_at = Set(now);
    am.update(db).await
}

/// The bulletin if its organisation lies in `scope` (withdrawn or not), else `None`.
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Bulletin>, DbErr> {
    bulletin::Entity::find_by_id(id).filter(scope.condition(bulletin::Column::OrgPath)).one(db).await
}

/// What a console list asks for besides the scope.
#[derive(Debug, Clone, Default)]
pub struct BulletinFilter {
    pub kind: Option<String>,
    /// Only withdrawn ones (`true`) or only those still published (`false`).
    pub withdrawn: Option<bool>,
}

/// A page of the bulletins of organisations in `scope`, the newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    f: &BulletinFilter,
    page: PageReq,
) -> Result<Page<Bulletin>, DbErr> {
    use bulletin::Column as C;
    let mut q = bulletin::Entity::find().filter(scope.condition(C::OrgPath));
    if let Some(k) = &f.kind {
        q = q.filter(C::Kind.eq(k.as_str()));
    }
    match f.withdrawn {
        Some(true) => q = q.filter(C::WithdrawnAt.is_not_null()),
        Some(false) => q = q.filter(C::WithdrawnAt.is_null()),
        None => {}
    }
    let total = q.clone().count(db).await?;
    let items =
        q.order_by_desc(C::PublishedAt).order_by_desc(C::Id).limit(page.per_page).offset(page.offset()).all(db).await?;
    Ok(Page { items, total })
}

/// The organisations whose bulletins reach one member: their own organisation and its ancestors
/// (`own`, every bulletin), and the organisation receiving them where they are now and its ancestors
/// (`received`, the bulletins that include outflow members). Made from the member's own record.
#[derive(Debug, Clone, Default)]
pub struct MemberReach {
    pub own: Vec<String>,
    pub received: Vec<String>,
}

impl MemberReach {
    fn condition(&self) -> Condition {
        use bulletin::Column as C;
        let mut any = Condition::any();
        if !self.own.is_empty() {
            any = any.add(C::OrgPath.is_in(self.own.iter().cloned()));
        }
        if !self.received.is_empty() {
            any = any.add(
                Condition::all().add(C::IncludeOutflow.eq(true)).add(C::OrgPath.is_in(self.received.iter().cloned())),
            );
        }
        if self.own.is_empty() && self.received.is_empty() {
            any = any.add(sea_orm::sea_query::Expr::cust("1 = 0"));
        }
        Condition::all().add(any).add(bulletin::Column::WithdrawnAt.is_null())
    }
}

/// The bulletin if it reaches the member and is not withdrawn, else `None`.
pub async fn get_reached(db: &impl ConnectionTrait, reach: &MemberReach, id: i64) -> Result<Option<Bulletin>, DbErr> {
    bulletin::Entity::find_by_id(id).filter(reach.condition()).one(db).await
}

/// A page of the bulletins that reach the member, the newest first.
pub async fn list_reached(
    db: &impl ConnectionTrait,
    reach: &MemberReach,
    page: PageReq,
) -> Result<Page<Bulletin>, DbErr> {
    let q = bulletin::Entity::find().filter(reach.condition());
    let total = q.clone().count(db).await?;
    let items = q
        .order_by_desc(bulletin::Column::PublishedAt)
        .order_by_desc(bulletin::Column::Id)
        .limit(page.per_page)
        .offset(page.offset())
        .all(db)
        .await?;
    Ok(Page { items, total })
}

/// How many of the bulletins that reach the member `user_id` has not opened.
pub async fn unread_count(db: &impl ConnectionTrait, reach: &MemberReach, user_id: i64) -> Result<u64, DbErr> {
    bulletin::Entity::find()
        .filter(reach.condition())
        .filter(
            bulletin::Column::Id.not_in_subquery(
                Query::select()
                    .column(bulletin_read::Column::BulletinId)
                    .from(bulletin_read::Entity)
                    .and_where(bulletin_read::Column::UserId.eq(user_id))
                    .to_owned(),
            ),
        )
        .count(db)
        .await
}

/// Which of these bulletins `user_id` has opened.
pub async fn read_among(db: &impl ConnectionTrait, user_id: i64, ids: &[i64]) -> Result<HashSet<i64>, DbErr> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let found: Vec<i64> = bulletin_read::Entity::find()
        .select_only()
        .column(bulletin_read::Column::BulletinId)
        .filter(bulletin_read::Column::UserId.eq(user_id))
        .filter(bulletin_read::Column::BulletinId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(found.into_iter().collect())
}

/// Records that `user_id` opened the bulletin (already reached); the first time counts.
pub async fn mark_read(db: &impl ConnectionTrait, b: &Bulletin, user_id: i64, at: DateTime<Utc>) -> Result<(), DbErr> {
    bulletin_read::Entity::insert(bulletin_read::ActiveModel {
        bulletin_id: Set(b.id),
        user_id: Set(user_id),
        read_at: Set(at),
    })
    .on_conflict(
        OnConflict::columns([bulletin_read::Column::BulletinId, bulletin_read::Column::UserId]).do_nothing().to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The member accounts a bulletin reaches now, as `FROM … WHERE …` over `users u` and `members m` (with
/// its values appended to `values`): enabled member accounts (the member role: an administrator's account
/// linked to their own record is not one) of members in good standing filed in its
/// organisation's subtree or, if it includes outflow members, received (open outflow) by an
/// organisation of the subtree.
pub fn reached_accounts(b: &Bulletin, values: &mut Vec<Value>) -> String {
    let p = &b.org_path;
    let upper = format!("{}0", &p[..p.len().saturating_sub(1)]);
    values.extend([false.into(), p.clone().into(), upper.clone().into()]);
    let received = if b.include_outflow {
        values.extend([p.clone().into(), upper.into()]);
        " OR EXISTS (SELECT 1 FROM mobility_records r JOIN orgs ro ON ro.id = r.receiving_org_id \
           WHERE r.member_id = m.id AND r.direction = 'outflow' AND r.status = 'open' \
           AND ro.path >= ? AND ro.path < ?)"
    } else {
        ""
    };
    format!(
        "FROM users u JOIN members m ON m.id = u.member_id \
         WHERE u.disabled = ? AND m.status = 'normal' \
         AND EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id AND g.role = 'member') \
         AND ((m.org_path >= ? AND m.org_path < ?){received})"
    )
}

/// How many member accounts a bulletin reaches now ([`reached_accounts`]), and how many of them have
/// opened it. Counts only.
pub async fn reach_counts(db: &impl ConnectionTrait, b: &Bulletin) -> Result<(u64, u64), DbErr> {
    let mut values: Vec<Value> = vec![b.id.into()];
    let from = reached_accounts(b, &mut values);
    let sql = format!(
        "SELECT COUNT(*) AS reached, \
                COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM bulletin_reads br \
                    WHERE br.bulletin_id = ? AND br.user_id = u.id) THEN 1 ELSE 0 END), 0) AS seen {from}"
    );
    let row = db.query_one_raw(raw(db.get_database_backend(), &sql, values)).await?;
    let Some(row) = row else { return Ok((0, 0)) };
    let reached: i64 = row.try_get("", "reached")?;
    let seen: i64 = row.try_get("", "seen")?;
    Ok((reached.max(0) as u64, seen.max(0) as u64))
}
