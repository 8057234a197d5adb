//! Members. Personal fields arrive here already encrypted; lookups use blind indexes.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::entity::members::member;
use crate::repo::{Page, PageReq};
use crate::{Scope, subtree_condition};

pub use member::Model as Member;

/// Everything stored about a member, personal fields sealed. Serializable so that an import can keep
/// its checked rows in a (sealed) temporary file until it writes them.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct MemberRow {
    pub org_id: i64,
    pub org_path: String,
    pub name: String,
    pub gender: String,
    pub ethnicity: Option<String>,
    pub birth_date: chrono::NaiveDate,
    pub id_number_enc: String,
    pub id_number_bidx: String,
    pub phone_enc: Option<String>,
    pub phone_bidx: Option<String>,
    pub address_enc: Option<String>,
    pub education: Option<String>,
    pub occupation: Option<String>,
    pub employer: Option<String>,
    pub joined_on: chrono::NaiveDate,
    pub category: String,
    pub full_on: Option<chrono::NaiveDate>,
    pub tags: Vec<String>,
    pub status: String,
}

/// One member's sealed ID number and its blind index (the lowest id), to try a key on; None without members.
pub async fn sample_sealed(db: &impl ConnectionTrait) -> Result<Option<(String, String)>, DbErr> {
    member::Entity::find()
        .select_only()
        .column(member::Column::IdNumberBidx)
        .column(member::Column::IdNumberEnc)
        .order_by_asc(member::Column::Id)
        .limit(1)
        .into_tuple()
        .one(db)
        .await
}

fn tags_json(tags: &[String]) -> String {
    serde_json::to_string(tags).unwrap_or_else(|_| "[]".into())
}

pub fn tags_of(m: &Member) -> Vec<String> {
    serde_json::from_str(&m.tags).unwrap_or_default()
}

/// The member if `scope` reaches them: filed in it, or received by an organisation in it (an open
/// outflow). `None` otherwise, as for an id that does not exist. What the caller may *do* with a
/// received member is the use case's decision (`App::member_access`).
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Member>, DbErr> {
    match member::Entity::find_by_id(id).one(db).await? {
        Some(m) if reaches(db, scope, &m).await? => Ok(Some(m)),
        _ => Ok(None),
    }
}

async fn reaches(db: &impl ConnectionTrait, scope: &Scope, m: &Member) -> Result<bool, DbErr> {
    Ok(scope.contains(&m.org_path) || crate::repo::members::mobility::received_in(db, m.id, scope).await?)
}

/// A member `scope` reaches (see [`get`]) and the name of their organisation ('' if it is missing),
/// in one query.
pub async fn get_with_org_name(
    db: &impl ConnectionTrait,
    scope: &Scope,
    id: i64,
) -> Result<Option<(Member, String)>, DbErr> {
    use sea_orm::sea_query::Expr;
    use sea_orm::{FromQueryResult, QueryTrait};
    let mut q = member::Entity::find_by_id(id).into_query();
    q.expr_as(Expr::cust("(SELECT o.name FROM orgs o WHERE o.id = members.org_id)"), "org_name");
    let Some(row) = db.query_one(&q).await? else {
        return Ok(None);
    };
    let name: Option<String> = row.try_get("", "org_name")?;
    let m = Member::from_query_result(&row, "")?;
    Ok(if reaches(db, scope, &m).await? { Some((m, name.unwrap_or_default())) } else { None })
}

/// The names of members by id: labels beside records the caller already reached (the invitations of
/// their scope, each bound to one member). The member's record itself is read with [`get`].
pub async fn names(db: &impl ConnectionTrait, ids: &[i64]) -> Result<std::collections::HashMap<i64, String>, DbErr> {
    let mut out = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, String)> = member::Entity::find()
            .select_only()
            .column(member::Column::Id)
            .column(member::Column::Name)
            .filter(member::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

pub async fn find_by_id_number(db: &impl ConnectionTrait, bidx: &str) -> Result<Option<Member>, DbErr> {
    member::Entity::find().filter(member::Column::IdNumberBidx.eq(bidx)).one(db).await
}

/// Which of these blind indexes already exist (for import de-duplication).
pub async fn existing_id_numbers(db: &impl ConnectionTrait, bidx: &[String]) -> Result<Vec<String>, DbErr> {
    Ok(ids_by_id_number(db, bidx).await?.into_iter().map(|(b, _)| b).collect())
}

/// The ids of the members with these ID numbers' blind indexes: (blind index, id).
pub async fn ids_by_id_number(db: &impl ConnectionTrait, bidx: &[String]) -> Result<Vec<(String, i64)>, DbErr> {
    let mut out = Vec::new();
    for chunk in bidx.chunks(500) {
        let rows: Vec<(String, i64)> = member::Entity::find()
            .select_only()
            .column(member::Column::IdNumberBidx)
            .column(member::Column::Id)
            .filter(member::Column::IdNumberBidx.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

impl MemberRow {
    /// The row as an active model; `created_at` set only for new rows.
    fn into_active(self, now: chrono::DateTime<Utc>, new: bool) -> member::ActiveModel {
        member::ActiveModel {
            org_id: Set(self.org_id),
            org_path: Set(self.org_path),
            name: Set(self.name),
            gender: Set(self.gender),
            ethnicity: Set(self.ethnicity),
            birth_date: Set(self.birth_date),
            id_number_enc: Set(self.id_number_enc),
            id_number_bidx: Set(self.id_number_bidx),
            phone_enc: Set(self.phone_enc),
            phone_bidx: Set(self.phone_bidx),
            address_enc: Set(self.address_enc),
            education: Set(self.education),
            occupation: Set(self.occupation),
            employer: Set(self.employer),
            joined_on: Set(self.joined_on),
            category: Set(self.category),
            full_on: Set(self.full_on),
            tags: Set(tags_json(&self.tags)),
            status: Set(self.status),
            created_at: if new { Set(now) } else { sea_orm::ActiveValue::NotSet },
            updated_at: Set(now),
            ..Default::default()
        }
    }
}

pub async fn insert(db: &impl ConnectionTrait, r: MemberRow) -> Result<Member, DbErr> {
    r.into_active(Utc::now(), true).insert(db).await
}

/// Inserts many rows in one statement per chunk (demo data, imports).
pub async fn insert_many(db: &impl ConnectionTrait, rows: Vec<MemberRow>) -> Result<(), DbErr> {
    let now = Utc::now();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<member::ActiveModel> = rows.by_ref().take(200).map(|r| r.into_active(now, true)).collect();
        member::Entity::insert_many(batch).exec_without_returning(db).await?;
    }
    Ok(())
}

/// Writes an edit of a member's record. The organisation is not written: only a transfer
/// ([`transfer`]) moves a member, so an edit that read the member before a transfer committed
/// cannot move them back.
pub async fn update(db: &impl ConnectionTrait, id: i64, r: MemberRow) -> Result<Member, DbErr> {
    let mut am = r.into_active(Utc::now(), false);
    am.id = Set(id);
    am.org_id = sea_orm::ActiveValue::NotSet;
    am.org_path = sea_orm::ActiveValue::NotSet;
    am.update(db).await
}

/// Locks a member's row until the end of the write transaction, before it is read for a
/// read-modify-write (an edit, a transfer): on PostgreSQL `SELECT … FOR UPDATE`, so a concurrent
/// edit or transfer of the same member waits for this one to commit and then reads its result
/// (READ COMMITTED reads the newest committed row in each statement). SQLite needs nothing: a
/// write transaction holds the database's one write lock from BEGIN IMMEDIATE.
pub async fn lock(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    if b == sea_orm::DatabaseBackend::Postgres {
        db.query_one_raw(crate::raw(b, "SELECT id FROM members WHERE id = ? FOR UPDATE", vec![id.into()])).await?;
    }
    Ok(())
}

/// Moves a member to another organisation.
pub async fn transfer(db: &impl ConnectionTrait, m: Member, org_id: i64, org_path: &str) -> Result<Member, DbErr> {
    let mut am: member::ActiveModel = m.into();
    am.org_id = Set(org_id);
    am.org_path = Set(org_path.to_string());
    am.updated_at = Set(Utc::now());
    am.update(db).await
}

#[derive(Debug, Clone, Default)]
pub struct MemberFilter {
    /// Path of the organisation whose subtree to list.
    pub subtree: Option<String>,
    pub status: Option<String>,
    pub category: Option<String>,
    pub tag: Option<String>,
    pub name: Option<String>,
    pub id_number_bidx: Option<String>,
    pub phone_bidx: Option<String>,
    /// Restricts to one member (the member role's own record).
    pub only_id: Option<i64>,
    /// `outflow`: with an open outflow (mobile members); `local`: without one.
    pub mobility: Option<String>,
}

/// The filter of [`list`] and [`stream`].
fn list_condition(scope: &Scope, f: &MemberFilter) -> sea_orm::Condition {
    use sea_orm::sea_query::Expr;
    // The caller checked that the subtree lies in the scope: filter on the subtree
    // alone, so the planner scans its range and not the whole scope's.
    let mut cond: sea_orm::Condition = match &f.subtree {
        Some(s) => sea_orm::Condition::all().add(subtree_condition(member::Column::OrgPath, s)),
        None => sea_orm::Condition::all().add(scope.condition(member::Column::OrgPath)),
    };
    if let Some(v) = &f.status {
        cond = cond.add(member::Column::Status.eq(v));
    }
    if let Some(v) = &f.category {
        cond = cond.add(member::Column::Category.eq(v));
    }
    if let Some(v) = &f.tag {
        cond = cond.add(member::Column::Tags.contains(format!("\"{v}\"")));
    }
    if let Some(v) = &f.name {
        cond = cond.add(member::Column::Name.contains(v));
    }
    if let Some(v) = &f.id_number_bidx {
        cond = cond.add(member::Column::IdNumberBidx.eq(v));
    }
    if let Some(v) = &f.phone_bidx {
        cond = cond.add(member::Column::PhoneBidx.eq(v));
    }
    if let Some(id) = f.only_id {
        cond = cond.add(member::Column::Id.eq(id));
    }
    if let Some(m) = &f.mobility {
        // Kept by triggers on mobility records (migration 0006): indexed with the path.
        let open = if m == "outflow" { 1 } else { 0 };
        cond = cond.add(Expr::cust(format!("members.outflow_open = {open}")));
    }
    cond
}

/// Every member the filter selects with their organisation's name, in the list's order (by organisation, then
/// id), as a stream: for exports, which never hold them all.
pub async fn stream<'a>(
    db: &'a sea_orm::DatabaseTransaction,
    scope: &Scope,
    f: &MemberFilter,
) -> Result<impl futures_util::Stream<Item = Result<(Member, String), DbErr>> + Send + 'a, DbErr> {
    use futures_util::StreamExt;
    use sea_orm::sea_query::Expr;
    use sea_orm::{FromQueryResult, QueryTrait, StreamTrait};
    let mut q = member::Entity::find()
        .filter(list_condition(scope, f))
        .order_by_asc(member::Column::OrgPath)
        .order_by_asc(member::Column::Id)
        .into_query();
    q.expr_as(Expr::cust("(SELECT o.name FROM orgs o WHERE o.id = members.org_id)"), "org_name");
    let stmt = StreamTrait::get_database_backend(db).build(&q);
    let rows = db.stream_raw(stmt).await?;
    Ok(rows.map(|r| {
        r.and_then(|r| {
            Ok((Member::from_query_result(&r, "")?, r.try_get::<Option<String>>("", "org_name")?.unwrap_or_default()))
        })
    }))
}

/// How many members the filter selects.
pub async fn count(db: &impl ConnectionTrait, scope: &Scope, f: &MemberFilter) -> Result<u64, DbErr> {
    member::Entity::find().filter(list_condition(scope, f)).count(db).await
}

/// One page of members with each one's organisation name, and the total.
///
/// The page, the names and the total come from one statement (the count is an
/// uncorrelated subquery, evaluated once); only a page past the end needs a
/// second statement for the total. The page's ids are chosen first, from the index the
/// filter uses (`members_org_path` and `members_outflow` end in the order's columns), and
/// only those rows are read and given their organisation's name: the rows an offset skips
/// are never fetched. PostgreSQL had computed the name for every skipped row too (520
/// lookups and 2,000 buffer reads for page 27 of a town; docs/performance.md, round 8).
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    f: &MemberFilter,
    page: PageReq,
) -> Result<Page<(Member, String)>, DbErr> {
    use sea_orm::sea_query::{Expr, Query, SimpleExpr, SubQueryStatement};
    use sea_orm::{FromQueryResult, QueryTrait};
    let cond = list_condition(scope, f);
    let count = Query::select().expr(Expr::cust("COUNT(*)")).from(member::Entity).cond_where(cond.clone()).to_owned();
    let page_ids = Query::select()
        .column(member::Column::Id)
        .from(member::Entity)
        .cond_where(cond.clone())
        .order_by(member::Column::OrgPath, sea_orm::Order::Asc)
        .order_by(member::Column::Id, sea_orm::Order::Asc)
        .limit(page.per_page)
        .offset(page.offset())
        .to_owned();
    let mut q = member::Entity::find()
        .filter(member::Column::Id.in_subquery(page_ids))
        .order_by_asc(member::Column::OrgPath)
        .order_by_asc(member::Column::Id)
        .into_query();
    q.expr_as(SimpleExpr::SubQuery(None, Box::new(SubQueryStatement::SelectStatement(count))), "total")
        .expr_as(Expr::cust("(SELECT o.name FROM orgs o WHERE o.id = members.org_id)"), "org_name");
    let rows = db.query_all(&q).await?;
    let total = match rows.first() {
        Some(r) => r.try_get::<i64>("", "total")? as u64,
        None => member::Entity::find().filter(cond).count(db).await?,
    };
    let items = rows
        .iter()
        .map(|r| {
            Ok((Member::from_query_result(r, "")?, r.try_get::<Option<String>>("", "org_name")?.unwrap_or_default()))
        })
        .collect::<Result<_, DbErr>>()?;
    Ok(Page { items, total })
}

/// Member counts grouped by a column ("category" or "status") within a scope.
pub async fn count_by(db: &impl ConnectionTrait, scope: &Scope, column: &str) -> Result<Vec<(String, i64)>, DbErr> {
    let col = match column {
        "category" => member::Column::Category,
        _ => member::Column::Status,
    };
    member::Entity::find()
        .select_only()
        .column(col)
        .column_as(member::Column::Id.count(), "n")
        .filter(scope.condition(member::Column::OrgPath))
        .group_by(col)
        .into_tuple()
        .all(db)
        .await
}

pub async fn count_in_org(db: &impl ConnectionTrait, org_id: i64, status: &str) -> Result<u64, DbErr> {
    member::Entity::find()
        .filter(member::Column::OrgId.eq(org_id))
        .filter(member::Column::Status.eq(status))
        .count(db)
        .await
}

pub async fn set_employer(db: &impl ConnectionTrait, id: i64, employer: &str) -> Result<(), DbErr> {
    use sea_orm::sea_query::Expr;
    member::Entity::update_many()
        .col_expr(member::Column::Employer, Expr::value(employer.to_string()))
        .col_expr(member::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(member::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Sets a member's status with the day of the suspension (None unless suspended), as a decision on a
/// proposal or contact regained.
pub async fn set_status(
    db: &impl ConnectionTrait,
    m: Member,
    status: &str,
    suspended_on: Option<chrono::NaiveDate>,
) -> Result<Member, DbErr> {
    let mut am: member::ActiveModel = m.into();
    am.status = Set(status.into());
    am.suspended_on = Set(suspended_on);
    am.updated_at = Set(Utc::now());
    am.update(db).await
}

/// Records the day the membership was suspended (None: not suspended).
pub async fn set_suspended_on(
    db: &impl ConnectionTrait,
    m: Member,
    on: Option<chrono::NaiveDate>,
) -> Result<Member, DbErr> {
    let mut am: member::ActiveModel = m.into();
    am.suspended_on = Set(on);
    am.update(db).await
}

/// Sets a member's employer and occupation (the one place they are kept); `None` keeps one.
pub async fn set_work(
    db: &impl ConnectionTrait,
    id: i64,
    employer: Option<Option<String>>,
    occupation: Option<Option<String>>,
) -> Result<(), DbErr> {
    use sea_orm::sea_query::Expr;
    if employer.is_none() && occupation.is_none() {
        return Ok(());
    }
    let mut q = member::Entity::update_many().col_expr(member::Column::UpdatedAt, Expr::value(Utc::now()));
    if let Some(v) = employer {
        q = q.col_expr(member::Column::Employer, Expr::value(v));
    }
    if let Some(v) = occupation {
        q = q.col_expr(member::Column::Occupation, Expr::value(v));
    }
    q.filter(member::Column::Id.eq(id)).exec(db).await?;
    Ok(())
}

/// (id, name, status, joined_on) of every member of one organisation, by id.
pub async fn of_org(
    db: &impl ConnectionTrait,
    org_id: i64,
) -> Result<Vec<(i64, String, String, chrono::NaiveDate)>, DbErr> {
    member::Entity::find()
        .select_only()
        .column(member::Column::Id)
        .column(member::Column::Name)
        .column(member::Column::Status)
        .column(member::Column::JoinedOn)
        .filter(member::Column::OrgId.eq(org_id))
        .order_by_asc(member::Column::Id)
        .into_tuple()
        .all(db)
        .await
}

/// Sets a member's sealed phone and its blind index (the member's own new number).
pub async fn set_phone(db: &impl ConnectionTrait, id: i64, phone_enc: String, phone_bidx: String) -> Result<(), DbErr> {
    use sea_orm::sea_query::Expr;
    member::Entity::update_many()
        .col_expr(member::Column::PhoneEnc, Expr::value(phone_enc))
        .col_expr(member::Column::PhoneBidx, Expr::value(phone_bidx))
        .col_expr(member::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(member::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
