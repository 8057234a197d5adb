//! Recruitment: the people in the pipeline (recruits) and their steps. A recruit is reached through
//! the caller's scope by the branch they are filed with; steps through their recruit.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::Scope;
use crate::entity::party_affairs::{recruit, recruit_step};
use crate::repo::{Page, PageReq};

pub use recruit::Model as Recruit;
pub use recruit_step::Model as RecruitStep;

pub struct NewRecruit {
    pub org_id: i64,
    pub org_path: String,
    pub name: String,
    pub gender: String,
    pub birth_date: NaiveDate,
    pub id_number_enc: String,
    pub id_number_bidx: String,
    pub phone_enc: Option<String>,
    pub occupation: Option<String>,
    pub employer: Option<String>,
    pub education: Option<String>,
    pub created_by: Option<i64>,
}

pub async fn insert(db: &impl ConnectionTrait, r: NewRecruit) -> Result<Recruit, DbErr> {
    let now = Utc::now();
    recruit::ActiveModel {
        org_id: Set(r.org_id),
        org_path: Set(r.org_path),
        name: Set(r.name),
        gender: Set(r.gender),
        birth_date: Set(r.birth_date),
        id_number_enc: Set(r.id_number_enc),
        id_number_bidx: Set(r.id_number_bidx),
        phone_enc: Set(r.phone_enc),
        occupation: Set(r.occupation),
        employer: Set(r.employer),
        education: Set(r.education),
        steps_done: Set(0),
        next_due_on: Set(None),
        status: Set("active".into()),
        created_by: Set(r.created_by),
        created_at: Set(now),
        updated_at: Set(now),
        progress_code_hash: Set(None),
        progress_wrong: Set(0),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// A recruit the scope reaches.
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Recruit>, DbErr> {
    recruit::Entity::find_by_id(id).filter(scope.condition(recruit::Column::OrgPath)).one(db).await
}

/// The recruit an applicant's progress code belongs to (the code is the credential: no scope).
pub async fn by_progress_code(db: &impl ConnectionTrait, hash: &str) -> Result<Option<Recruit>, DbErr> {
    recruit::Entity::find().filter(recruit::Column::ProgressCodeHash.eq(hash)).one(db).await
}

/// The recruit whose admission created member `member_id` (their probation and conversion).
pub async fn of_member(db: &impl ConnectionTrait, member_id: i64) -> Result<Option<Recruit>, DbErr> {
    recruit::Entity::find().filter(recruit::Column::MemberId.eq(member_id)).one(db).await
}

/// A recruit still in the pipeline with this ID number (blind index), anywhere.
pub async fn active_by_id_number(db: &impl ConnectionTrait, bidx: &str) -> Result<Option<Recruit>, DbErr> {
    recruit::Entity::find()
        .filter(recruit::Column::IdNumberBidx.eq(bidx))
        .filter(recruit::Column::Status.eq("active"))
        .one(db)
        .await
}

/// Holds the recruit's row until the transaction ends (PostgreSQL; SQLite's writers take turns), so that
/// two requests recording steps do so one after the other.
pub async fn lock(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    if b == sea_orm::DatabaseBackend::Postgres {
        db.query_one_raw(crate::raw(b, "SELECT id FROM recruits WHERE id = ? FOR UPDATE", vec![id.into()])).await?;
    }
    Ok(())
}

/// Writes every field of `r` back.
pub async fn save(db: &impl ConnectionTrait, mut r: Recruit) -> Result<Recruit, DbErr> {
    r.updated_at = Utc::now();
    let am: recruit::ActiveModel = r.into();
    am.reset_all().update(db).await
}

/// The recruit record of an admitted member follows them when their relationship is transferred: their
/// probation and conversion are the new organisation's to handle.
pub async fn follow_member(
    db: &impl ConnectionTrait,
    member_id: i64,
    org_id: i64,
    org_path: &str,
) -> Result<(), DbErr> {
    use recruit::Column as C;
    recruit::Entity::update_many()
        .col_expr(C::OrgId, sea_orm::sea_query::Expr::value(org_id))
        .col_expr(C::OrgPath, sea_orm::sea_query::Expr::value(org_path))
        .filter(C::MemberId.eq(member_id))
        .exec(db)
        .await?;
    Ok(())
}

pub struct Filter {
    /// Steps done within this range (a stage).
    pub steps: Option<(i32, i32)>,
    pub status: Option<String>,
    /// Name contains.
    pub name: Option<String>,
    /// The next step due on or before this day.
    pub due_by: Option<NaiveDate>,
}

/// The recruits of `scope`, those furthest along first.
pub async fn list(db: &impl ConnectionTrait, scope: &Scope, f: Filter, page: PageReq) -> Result<Page<Recruit>, DbErr> {
    use recruit::Column as C;
    let mut q = recruit::Entity::find().filter(scope.condition(C::OrgPath));
    if let Some((from, to)) = f.steps {
        q = q.filter(C::StepsDone.between(from, to));
    }
    if let Some(s) = f.status {
        q = q.filter(C::Status.eq(s));
    }
    if let Some(n) = f.name {
        q = q.filter(C::Name.contains(n));
    }
    if let Some(d) = f.due_by {
        q = q.filter(C::NextDueOn.lte(d));
    }
    let total = q.clone().count(db).await?;
    let items = q
        .order_by_asc(C::OrgPath)
        .order_by_desc(C::StepsDone)
        .order_by_asc(C::Id)
        .limit(page.per_page)
        .offset(page.offset())
        .all(db)
        .await?;
    Ok(Page { items, total })
}

/// (organisation, steps done, count) of the active recruits of `scope`: the roll-up by step.
pub async fn counts(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<(i64, i32, i64)>, DbErr> {
    use recruit::Column as C;
    recruit::Entity::find()
        .select_only()
        .column(C::OrgId)
        .column(C::StepsDone)
        .column_as(C::Id.count(), "n")
        .filter(scope.condition(C::OrgPath))
        .filter(C::Status.eq("active"))
        .group_by(C::OrgId)
        .group_by(C::StepsDone)
        .into_tuple()
        .all(db)
        .await
}

/// Active recruits of `scope` whose next step is due on or before `by`, the earliest first.
pub async fn due_by(
    db: &impl ConnectionTrait,
    scope: &Scope,
    by: NaiveDate,
    limit: u64,
) -> Result<Vec<Recruit>, DbErr> {
    use recruit::Column as C;
    recruit::Entity::find()
        .filter(scope.condition(C::OrgPath))
        .filter(C::Status.eq("active"))
        .filter(C::NextDueOn.lte(by))
        .order_by_asc(C::NextDueOn)
        .limit(limit)
        .all(db)
        .await
}

/// How many active recruits of `scope` have their next step due on or before `by`.
pub async fn count_due_by(db: &impl ConnectionTrait, scope: &Scope, by: NaiveDate) -> Result<u64, DbErr> {
    use recruit::Column as C;
    recruit::Entity::find()
        .filter(scope.condition(C::OrgPath))
        .filter(C::Status.eq("active"))
        .filter(C::NextDueOn.lte(by))
        .count(db)
        .await
}

/// The steps of a recruit (already reached), in order.
pub async fn steps_of(db: &impl ConnectionTrait, recruit_id: i64) -> Result<Vec<RecruitStep>, DbErr> {
    use recruit_step::Column as C;
    recruit_step::Entity::find().filter(C::RecruitId.eq(recruit_id)).order_by_asc(C::Step).all(db).await
}

/// The steps of recruits (already reached), by recruit, each in order.
pub async fn steps_of_many(
    db: &impl ConnectionTrait,
    recruit_ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<RecruitStep>>, DbErr> {
    use recruit_step::Column as C;
    let mut out: std::collections::HashMap<i64, Vec<RecruitStep>> = std::collections::HashMap::new();
    for chunk in recruit_ids.chunks(500) {
        let rows = recruit_step::Entity::find()
            .filter(C::RecruitId.is_in(chunk.iter().copied()))
            .order_by_asc(C::RecruitId)
            .order_by_asc(C::Step)
            .all(db)
            .await?;
        for r in rows {
            out.entry(r.recruit_id).or_default().push(r);
        }
    }
    Ok(out)
}

pub struct NewStep {
    pub recruit_id: i64,
    pub step: i32,
    pub done_on: NaiveDate,
    pub people: String,
    pub documents: String,
    pub note: Option<String>,
    pub reason: Option<String>,
    pub details: Option<String>,
    pub recorded_by: Option<i64>,
    pub recorded_by_name: String,
}

/// Records a step; a step recorded twice violates `recruit_steps_once` (a race lost: a conflict).
pub async fn insert_step(db: &impl ConnectionTrait, s: NewStep) -> Result<RecruitStep, DbErr> {
    recruit_step::ActiveModel {
        recruit_id: Set(s.recruit_id),
        step: Set(s.step),
        done_on: Set(s.done_on),
        people: Set(s.people),
        documents: Set(s.documents),
        note: Set(s.note),
        reason: Set(s.reason),
        details: Set(s.details),
        recorded_by: Set(s.recorded_by),
        recorded_by_name: Set(s.recorded_by_name),
        recorded_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}
