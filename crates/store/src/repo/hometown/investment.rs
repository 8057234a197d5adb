//! Investment drives and project leads (回乡工程). Every load and list takes the caller's scope: a
//! drive or a lead is reached through the organisation that holds it (a chamber branch sees its
//! own, the county all of its chambers').

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::Scope;
use crate::entity::hometown::{investment_drive, investment_drive_member, investment_lead, investment_lead_step};
use crate::repo::{Page, PageReq};

pub use investment_drive::Model as Drive;
pub use investment_lead::Model as Lead;
pub use investment_lead_step::Model as LeadStep;

/// A drive as recorded.
pub struct NewDrive {
    pub org_id: i64,
    pub org_path: String,
    pub held_on: NaiveDate,
    pub city: String,
    pub title: String,
    pub leaders: String,
    pub entrepreneurs: String,
    pub summary: String,
    pub created_by: Option<i64>,
}

pub async fn insert_drive(db: &impl ConnectionTrait, d: NewDrive) -> Result<Drive, DbErr> {
    let now = Utc::now();
    investment_drive::ActiveModel {
        org_id: Set(d.org_id),
        org_path: Set(d.org_path),
        held_on: Set(d.held_on),
        city: Set(d.city),
        title: Set(d.title),
        leaders: Set(d.leaders),
        entrepreneurs: Set(d.entrepreneurs),
        summary: Set(d.summary),
        created_by: Set(d.created_by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Writes every field of `d` back.
pub async fn save_drive(db: &impl ConnectionTrait, mut d: Drive) -> Result<Drive, DbErr> {
    d.updated_at = Utc::now();
    let am: investment_drive::ActiveModel = d.into();
    am.reset_all().update(db).await
}

/// Removes a drive and its members (the caller checked that no lead names it).
pub async fn delete_drive(db: &impl ConnectionTrait, d: &Drive) -> Result<(), DbErr> {
    investment_drive_member::Entity::delete_many()
        .filter(investment_drive_member::Column::DriveId.eq(d.id))
        .exec(db)
        .await?;
    investment_drive::Entity::delete_by_id(d.id).exec(db).await?;
    Ok(())
}

/// The drive if its organisation lies in `scope`, else `None`.
pub async fn get_drive(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Drive>, DbErr> {
    investment_drive::Entity::find_by_id(id).filter(scope.condition(investment_drive::Column::OrgPath)).one(db).await
}

/// A page of the drives of `scope` (and of one year), newest first.
pub async fn list_drives(
    db: &impl ConnectionTrait,
    scope: &Scope,
    year: Option<i32>,
    page: PageReq,
) -> Result<Page<Drive>, DbErr> {
    use investment_drive::Column as C;
    let mut q = investment_drive::Entity::find().filter(scope.condition(C::OrgPath));
    if let Some(y) = year {
        let (from, to) = (NaiveDate::from_ymd_opt(y, 1, 1), NaiveDate::from_ymd_opt(y, 12, 31));
        if let (Some(from), Some(to)) = (from, to) {
            q = q.filter(C::HeldOn.between(from, to));
        }
    }
    let total = q.clone().count(db).await?;
    let items =
        q.order_by_desc(C::HeldOn).order_by_desc(C::Id).limit(page.per_page).offset(page.offset()).all(db).await?;
    Ok(Page { items, total })
}

/// Replaces the members who took part.
pub async fn set_drive_members(db: &impl ConnectionTrait, drive_id: i64, members: &[i64]) -> Result<(), DbErr> {
    investment_drive_member::Entity::delete_many()
        .filter(investment_drive_member::Column::DriveId.eq(drive_id))
        .exec(db)
        .await?;
    if !members.is_empty() {
        let rows = members
            .iter()
            .map(|m| investment_drive_member::ActiveModel { drive_id: Set(drive_id), member_id: Set(*m) });
        investment_drive_member::Entity::insert_many(rows).exec_without_returning(db).await?;
    }
    Ok(())
}

/// (drive, member) of these drives.
pub async fn drive_members(db: &impl ConnectionTrait, drives: &[i64]) -> Result<Vec<(i64, i64)>, DbErr> {
    if drives.is_empty() {
        return Ok(vec![]);
    }
    investment_drive_member::Entity::find()
        .select_only()
        .column(investment_drive_member::Column::DriveId)
        .column(investment_drive_member::Column::MemberId)
        .filter(investment_drive_member::Column::DriveId.is_in(drives.iter().copied()))
        .into_tuple()
        .all(db)
        .await
}

/// The drives a member took part in, or that their organisations held, newest first (the member's
/// own view on the phone).
pub async fn drives_for_member(
    db: &impl ConnectionTrait,
    member_id: i64,
    orgs: &[i64],
    limit: u64,
) -> Result<Vec<Drive>, DbErr> {
    use investment_drive::Column as C;
    let took_part: Vec<i64> = investment_drive_member::Entity::find()
        .select_only()
        .column(investment_drive_member::Column::DriveId)
        .filter(investment_drive_member::Column::MemberId.eq(member_id))
        .into_tuple()
        .all(db)
        .await?;
    investment_drive::Entity::find()
        .filter(sea_orm::Condition::any().add(C::Id.is_in(took_part)).add(C::OrgId.is_in(orgs.iter().copied())))
        .order_by_desc(C::HeldOn)
        .order_by_desc(C::Id)
        .limit(limit)
        .all(db)
        .await
}

/// A lead as recorded: at its first stage.
pub struct NewLead {
    pub org_id: i64,
    pub org_path: String,
    pub drive_id: Option<i64>,
    pub project: String,
    pub sector: String,
    pub investor: String,
    pub member: Option<(i64, String)>,
    pub city: String,
    pub town: String,
    pub amount_fen: i64,
    pub stage_on: NaiveDate,
    pub next_step: String,
    pub next_step_on: Option<NaiveDate>,
    pub created_by: Option<i64>,
}

pub async fn insert_lead(db: &impl ConnectionTrait, l: NewLead) -> Result<Lead, DbErr> {
    let now = Utc::now();
    let (member_id, member_name) = match l.member {
        Some((id, name)) => (Some(id), name),
        None => (None, String::new()),
    };
    investment_lead::ActiveModel {
        org_id: Set(l.org_id),
        org_path: Set(l.org_path),
        drive_id: Set(l.drive_id),
        project: Set(l.project),
        sector: Set(l.sector),
        investor: Set(l.investor),
        member_id: Set(member_id),
        member_name: Set(member_name),
        city: Set(l.city),
        town: Set(l.town),
        amount_fen: Set(l.amount_fen),
        landed_fen: Set(None),
        stage: Set("lead".into()),
        stage_on: Set(l.stage_on),
        next_step: Set(l.next_step),
        next_step_on: Set(l.next_step_on),
        drop_reason: Set(String::new()),
        created_by: Set(l.created_by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Writes every field of `l` back.
pub async fn save_lead(db: &impl ConnectionTrait, mut l: Lead) -> Result<Lead, DbErr> {
    l.updated_at = Utc::now();
    let am: investment_lead::ActiveModel = l.into();
    am.reset_all().update(db).await
}

/// Holds a lead for a step until the transaction ends (PostgreSQL `FOR UPDATE`; SQLite's write
/// transaction already holds the database), so two steps at once take turns and the second reads the
/// first's stage.
pub async fn lock_lead(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    if b == sea_orm::DatabaseBackend::Postgres {
        db.query_one_raw(crate::raw(b, "SELECT id FROM investment_leads WHERE id = ? FOR UPDATE", vec![id.into()]))
            .await?;
    }
    Ok(())
}

/// The lead if its organisation lies in `scope`, else `None`.
pub async fn get_lead(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Lead>, DbErr> {
    investment_lead::Entity::find_by_id(id).filter(scope.condition(investment_lead::Column::OrgPath)).one(db).await
}

/// What a list of leads asks for besides the scope.
#[derive(Debug, Clone, Default)]
pub struct LeadFilter {
    pub stage: Option<String>,
    pub sector: Option<String>,
    pub drive_id: Option<i64>,
    /// Only the organisation's subtree (already inside the scope).
    pub under: Option<String>,
    /// Only leads in the pipeline that last moved on or before this day.
    pub unmoved_since: Option<NaiveDate>,
    /// A word of the project, the investor or the member.
    pub text: Option<String>,
}

fn filtered(scope: &Scope, f: &LeadFilter) -> sea_orm::Select<investment_lead::Entity> {
    use investment_lead::Column as C;
    let mut q = investment_lead::Entity::find().filter(scope.condition(C::OrgPath));
    if let Some(s) = &f.stage {
        q = q.filter(C::Stage.eq(s.as_str()));
    }
    if let Some(s) = &f.sector {
        q = q.filter(C::Sector.eq(s.as_str()));
    }
    if let Some(d) = f.drive_id {
        q = q.filter(C::DriveId.eq(d));
    }
    if let Some(u) = &f.under {
        q = q.filter(crate::subtree_condition(C::OrgPath, u));
    }
    if let Some(day) = f.unmoved_since {
        q = q.filter(C::Stage.is_not_in(["landed", "dropped"])).filter(C::StageOn.lte(day));
    }
    if let Some(t) = &f.text {
        q = q.filter(
            sea_orm::Condition::any()
                .add(C::Project.contains(t.as_str()))
                .add(C::Investor.contains(t.as_str()))
                .add(C::MemberName.contains(t.as_str())),
        );
    }
    q
}

/// A page of the leads of `scope`: those in the pipeline first, the longest unmoved first; then the
/// landed and dropped, the latest first.
pub async fn list_leads(
    db: &impl ConnectionTrait,
    scope: &Scope,
    f: &LeadFilter,
    page: PageReq,
) -> Result<Page<Lead>, DbErr> {
    use investment_lead::Column as C;
    use sea_orm::sea_query::Expr;
    let q = filtered(scope, f);
    let total = q.clone().count(db).await?;
    let items = q
        .order_by_asc(Expr::cust("CASE WHEN stage IN ('landed', 'dropped') THEN 1 ELSE 0 END"))
        .order_by_asc(Expr::cust("CASE WHEN stage IN ('landed', 'dropped') THEN NULL ELSE stage_on END"))
        .order_by_desc(C::StageOn)
        .order_by_desc(C::Id)
        .limit(page.per_page)
        .offset(page.offset())
        .all(db)
        .await?;
    Ok(Page { items, total })
}

/// How many leads of `scope` are at each stage.
pub async fn count_by_stage(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<(String, i64)>, DbErr> {
    use investment_lead::Column as C;
    investment_lead::Entity::find()
        .select_only()
        .column(C::Stage)
        .column_as(C::Id.count(), "n")
        .filter(scope.condition(C::OrgPath))
        .group_by(C::Stage)
        .into_tuple()
        .all(db)
        .await
}

/// Every lead of `scope` matching `f`, in the list's order (for the report).
pub async fn all_leads(db: &impl ConnectionTrait, scope: &Scope, f: &LeadFilter) -> Result<Vec<Lead>, DbErr> {
    use investment_lead::Column as C;
    filtered(scope, f).order_by_asc(C::OrgPath).order_by_asc(C::Id).all(db).await
}

/// How many leads of `scope` name each of these drives.
pub async fn leads_per_drive(
    db: &impl ConnectionTrait,
    scope: &Scope,
    drives: &[i64],
) -> Result<Vec<(i64, i64)>, DbErr> {
    use investment_lead::Column as C;
    if drives.is_empty() {
        return Ok(vec![]);
    }
    investment_lead::Entity::find()
        .select_only()
        .column(C::DriveId)
        .column_as(C::Id.count(), "n")
        .filter(C::DriveId.is_in(drives.iter().copied()))
        .filter(scope.condition(C::OrgPath))
        .group_by(C::DriveId)
        .into_tuple()
        .all(db)
        .await
}

pub async fn add_step(
    db: &impl ConnectionTrait,
    lead_id: i64,
    stage: &str,
    on: NaiveDate,
    note: &str,
    amount_fen: Option<i64>,
    by: (Option<i64>, &str),
) -> Result<LeadStep, DbErr> {
    investment_lead_step::ActiveModel {
        lead_id: Set(lead_id),
        stage: Set(stage.into()),
        on_date: Set(on),
        note: Set(note.into()),
        amount_fen: Set(amount_fen),
        by_id: Set(by.0),
        by_name: Set(by.1.into()),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// A lead's steps, oldest first (the lead already reached).
pub async fn steps(db: &impl ConnectionTrait, lead_id: i64) -> Result<Vec<LeadStep>, DbErr> {
    use investment_lead_step::Column as C;
    investment_lead_step::Entity::find()
        .filter(C::LeadId.eq(lead_id))
        .order_by_asc(C::OnDate)
        .order_by_asc(C::Id)
        .all(db)
        .await
}
