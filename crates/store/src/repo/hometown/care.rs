//! The care fund (关爱工程): donations, students' applications and the objections of their public
//! notice. Every load and list takes the caller's scope (the organisation that raised a donation or
//! proposes a student); the fund's balance is counted over a county's subtree.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::Scope;
use crate::entity::hometown::{care_aid, care_aid_objection, care_donation};
use crate::repo::{Page, PageReq};

pub use care_aid::Model as Aid;
pub use care_aid_objection::Model as Objection;
pub use care_donation::Model as Donation;

fn year_range(y: i32) -> Option<(NaiveDate, NaiveDate)> {
    Some((NaiveDate::from_ymd_opt(y, 1, 1)?, NaiveDate::from_ymd_opt(y, 12, 31)?))
}

/// A donation as recorded.
pub struct NewDonation {
    pub org_id: i64,
    pub org_path: String,
    pub donor_kind: String,
    pub donor_name: String,
    pub amount_fen: i64,
    pub received_on: NaiveDate,
    pub receipt_no: String,
    pub purpose: String,
    pub created_by: Option<i64>,
}

pub async fn insert_donation(db: &impl ConnectionTrait, d: NewDonation) -> Result<Donation, DbErr> {
    care_donation::ActiveModel {
        org_id: Set(d.org_id),
        org_path: Set(d.org_path),
        donor_kind: Set(d.donor_kind),
        donor_name: Set(d.donor_name),
        amount_fen: Set(d.amount_fen),
        received_on: Set(d.received_on),
        receipt_no: Set(d.receipt_no),
        purpose: Set(d.purpose),
        voided_on: Set(None),
        voided_by: Set(None),
        void_reason: Set(None),
        created_by: Set(d.created_by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Many donations at once (the demo's eighteen years).
pub async fn insert_donations(db: &impl ConnectionTrait, list: Vec<NewDonation>) -> Result<(), DbErr> {
    let now = Utc::now();
    for chunk in list.chunks(500) {
        let rows = chunk.iter().map(|d| care_donation::ActiveModel {
            org_id: Set(d.org_id),
            org_path: Set(d.org_path.clone()),
            donor_kind: Set(d.donor_kind.clone()),
            donor_name: Set(d.donor_name.clone()),
            amount_fen: Set(d.amount_fen),
            received_on: Set(d.received_on),
            receipt_no: Set(d.receipt_no.clone()),
            purpose: Set(d.purpose.clone()),
            voided_on: Set(None),
            voided_by: Set(None),
            void_reason: Set(None),
            created_by: Set(d.created_by),
            created_at: Set(now),
            ..Default::default()
        });
        care_donation::Entity::insert_many(rows).exec_without_returning(db).await?;
    }
    Ok(())
}

/// Writes every field of `d` back.
pub async fn save_donation(db: &impl ConnectionTrait, d: Donation) -> Result<Donation, DbErr> {
    let am: care_donation::ActiveModel = d.into();
    am.reset_all().update(db).await
}

pub async fn get_donation(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Donation>, DbErr> {
    care_donation::Entity::find_by_id(id).filter(scope.condition(care_donation::Column::OrgPath)).one(db).await
}

/// Whether a receipt number is already used in the county.
pub async fn receipt_used(db: &impl ConnectionTrait, county: &Scope, receipt_no: &str) -> Result<bool, DbErr> {
    Ok(care_donation::Entity::find()
        .filter(county.condition(care_donation::Column::OrgPath))
        .filter(care_donation::Column::ReceiptNo.eq(receipt_no))
        .count(db)
        .await?
        > 0)
}

/// A page of the donations of `scope` (of one year), the latest first.
pub async fn list_donations(
    db: &impl ConnectionTrait,
    scope: &Scope,
    year: Option<i32>,
    page: PageReq,
) -> Result<Page<Donation>, DbErr> {
    use care_donation::Column as C;
    let mut q = care_donation::Entity::find().filter(scope.condition(C::OrgPath));
    if let Some((from, to)) = year.and_then(year_range) {
        q = q.filter(C::ReceivedOn.between(from, to));
    }
    let total = q.clone().count(db).await?;
    let items =
        q.order_by_desc(C::ReceivedOn).order_by_desc(C::Id).limit(page.per_page).offset(page.offset()).all(db).await?;
    Ok(Page { items, total })
}

/// Every donation of `scope` received in `year` (or all) and not voided, oldest first: the ledger's incomings.
pub async fn donations_of(db: &impl ConnectionTrait, scope: &Scope, year: Option<i32>) -> Result<Vec<Donation>, DbErr> {
    use care_donation::Column as C;
    let mut q = care_donation::Entity::find().filter(scope.condition(C::OrgPath)).filter(C::VoidedOn.is_null());
    if let Some((from, to)) = year.and_then(year_range) {
        q = q.filter(C::ReceivedOn.between(from, to));
    }
    q.order_by_asc(C::ReceivedOn).order_by_asc(C::Id).all(db).await
}

/// (day, fen) of every donation of `scope` not voided.
pub async fn donation_amounts(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<(NaiveDate, i64)>, DbErr> {
    use care_donation::Column as C;
    care_donation::Entity::find()
        .select_only()
        .column(C::ReceivedOn)
        .column(C::AmountFen)
        .filter(scope.condition(C::OrgPath))
        .filter(C::VoidedOn.is_null())
        .into_tuple()
        .all(db)
        .await
}

/// (day, fen) of every payment to a student of `scope`.
pub async fn disbursed_amounts(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<(NaiveDate, i64)>, DbErr> {
    use care_aid::Column as C;
    care_aid::Entity::find()
        .select_only()
        .column(C::DisbursedOn)
        .column(C::DisbursedFen)
        .filter(scope.condition(C::OrgPath))
        .filter(C::Status.eq("disbursed"))
        .into_tuple::<(Option<NaiveDate>, Option<i64>)>()
        .all(db)
        .await
        .map(|v| v.into_iter().filter_map(|(d, f)| Some((d?, f?))).collect())
}

/// Holds the county's fund for a payment until the transaction ends: on PostgreSQL the county's root
/// organisation row `FOR UPDATE`, so that two payments at once take turns and the second reads the
/// first's (READ COMMITTED reads the newest committed rows in each statement); SQLite needs nothing,
/// a write transaction holds the database's one write lock from BEGIN IMMEDIATE.
pub async fn lock_fund(db: &impl ConnectionTrait, county_id: i64) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    if b == sea_orm::DatabaseBackend::Postgres {
        db.query_one_raw(crate::raw(b, "SELECT id FROM orgs WHERE id = ? FOR UPDATE", vec![county_id.into()])).await?;
    }
    Ok(())
}

/// The fund's balance over `county`: what came in less what was paid, in fen.
pub async fn balance(db: &impl ConnectionTrait, county: &Scope) -> Result<i64, DbErr> {
    let sum = |col: &str| Expr::cust(format!("CAST(COALESCE(SUM({col}), 0) AS BIGINT)"));
    let raised: Option<i64> = care_donation::Entity::find()
        .select_only()
        .column_as(sum("amount_fen"), "n")
        .filter(county.condition(care_donation::Column::OrgPath))
        .filter(care_donation::Column::VoidedOn.is_null())
        .into_tuple()
        .one(db)
        .await?;
    let paid: Option<i64> = care_aid::Entity::find()
        .select_only()
        .column_as(sum("disbursed_fen"), "n")
        .filter(county.condition(care_aid::Column::OrgPath))
        .filter(care_aid::Column::Status.eq("disbursed"))
        .into_tuple()
        .one(db)
        .await?;
    Ok(raised.unwrap_or(0) - paid.unwrap_or(0))
}

/// An application as submitted.
pub struct NewAid {
    pub org_id: i64,
    pub org_path: String,
    pub year: i32,
    pub student_name: String,
    pub id_number_enc: Option<String>,
    pub phone_enc: Option<String>,
    pub family_enc: Option<String>,
    pub school: String,
    pub grade: String,
    pub asked_fen: i64,
    pub applied_on: NaiveDate,
    pub renewal_of: Option<i64>,
    pub created_by: Option<i64>,
}

fn new_aid(a: NewAid) -> care_aid::ActiveModel {
    let now = Utc::now();
    care_aid::ActiveModel {
        org_id: Set(a.org_id),
        org_path: Set(a.org_path),
        year: Set(a.year),
        student_name: Set(a.student_name),
        id_number_enc: Set(a.id_number_enc),
        phone_enc: Set(a.phone_enc),
        family_enc: Set(a.family_enc),
        school: Set(a.school),
        grade: Set(a.grade),
        asked_fen: Set(a.asked_fen),
        approved_fen: Set(None),
        status: Set("applied".into()),
        applied_on: Set(a.applied_on),
        reviewed_on: Set(None),
        reviewed_by: Set(None),
        review_note: Set(String::new()),
        decided_on: Set(None),
        decided_by: Set(None),
        decision_note: Set(String::new()),
        notice_from: Set(None),
        notice_until: Set(None),
        disbursed_fen: Set(None),
        disbursed_on: Set(None),
        method: Set(None),
        payment_note: Set(String::new()),
        renewal_of: Set(a.renewal_of),
        created_by: Set(a.created_by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

pub async fn insert_aid(db: &impl ConnectionTrait, a: NewAid) -> Result<Aid, DbErr> {
    new_aid(a).insert(db).await
}

/// Writes every field of `a` back.
pub async fn save_aid(db: &impl ConnectionTrait, mut a: Aid) -> Result<Aid, DbErr> {
    a.updated_at = Utc::now();
    let am: care_aid::ActiveModel = a.into();
    am.reset_all().update(db).await
}

/// Many applications at once, already paid (the demo's eighteen years).
pub async fn insert_paid_aids(db: &impl ConnectionTrait, list: Vec<(NewAid, i64, NaiveDate)>) -> Result<(), DbErr> {
    for chunk in list.chunks(300) {
        let rows: Vec<care_aid::ActiveModel> = chunk
            .iter()
            .map(|(a, fen, on)| {
                let mut am = new_aid(NewAid {
                    org_path: a.org_path.clone(),
                    student_name: a.student_name.clone(),
                    id_number_enc: a.id_number_enc.clone(),
                    phone_enc: a.phone_enc.clone(),
                    family_enc: a.family_enc.clone(),
                    school: a.school.clone(),
                    grade: a.grade.clone(),
                    ..*a
                });
                am.status = Set("disbursed".into());
                am.approved_fen = Set(Some(*fen));
                am.reviewed_on = Set(Some(a.applied_on));
                am.decided_on = Set(Some(a.applied_on));
                am.notice_from = Set(Some(a.applied_on));
                am.notice_until = Set(Some(a.applied_on));
                am.disbursed_fen = Set(Some(*fen));
                am.disbursed_on = Set(Some(*on));
                am.method = Set(Some("bank".into()));
                am
            })
            .collect();
        care_aid::Entity::insert_many(rows).exec_without_returning(db).await?;
    }
    Ok(())
}

pub async fn get_aid(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Aid>, DbErr> {
    care_aid::Entity::find_by_id(id).filter(scope.condition(care_aid::Column::OrgPath)).one(db).await
}

/// A page of the applications of `scope`: those waiting first (by step), then the latest.
pub async fn list_aids(
    db: &impl ConnectionTrait,
    scope: &Scope,
    year: Option<i32>,
    status: Option<&str>,
    page: PageReq,
) -> Result<Page<Aid>, DbErr> {
    use care_aid::Column as C;
    let mut q = care_aid::Entity::find().filter(scope.condition(C::OrgPath));
    if let Some(y) = year {
        q = q.filter(C::Year.eq(y));
    }
    if let Some(s) = status {
        q = q.filter(C::Status.eq(s));
    }
    let total = q.clone().count(db).await?;
    let items = q
        .order_by_asc(Expr::cust(
            "CASE status WHEN 'applied' THEN 0 WHEN 'reviewed' THEN 1 WHEN 'notice' THEN 2 ELSE 3 END",
        ))
        .order_by_desc(C::AppliedOn)
        .order_by_desc(C::Id)
        .limit(page.per_page)
        .offset(page.offset())
        .all(db)
        .await?;
    Ok(Page { items, total })
}

/// The payments of `scope` made in `year` (or all), oldest first: the ledger's outgoings.
pub async fn paid_of(db: &impl ConnectionTrait, scope: &Scope, year: Option<i32>) -> Result<Vec<Aid>, DbErr> {
    use care_aid::Column as C;
    let mut q = care_aid::Entity::find().filter(scope.condition(C::OrgPath)).filter(C::Status.eq("disbursed"));
    if let Some((from, to)) = year.and_then(year_range) {
        q = q.filter(C::DisbursedOn.between(from, to));
    }
    q.order_by_asc(C::DisbursedOn).order_by_asc(C::Id).all(db).await
}

/// Whether this application was already renewed.
pub async fn renewed(db: &impl ConnectionTrait, aid_id: i64) -> Result<bool, DbErr> {
    Ok(care_aid::Entity::find().filter(care_aid::Column::RenewalOf.eq(aid_id)).count(db).await? > 0)
}

pub async fn add_objection(
    db: &impl ConnectionTrait,
    aid_id: i64,
    received_on: NaiveDate,
    content: &str,
    by: Option<i64>,
) -> Result<Objection, DbErr> {
    care_aid_objection::ActiveModel {
        aid_id: Set(aid_id),
        received_on: Set(received_on),
        content: Set(content.into()),
        handling: Set(String::new()),
        upheld: Set(None),
        handled_on: Set(None),
        created_by: Set(by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The objections of an application (already reached), oldest first.
pub async fn objections(db: &impl ConnectionTrait, aid_id: i64) -> Result<Vec<Objection>, DbErr> {
    use care_aid_objection::Column as C;
    care_aid_objection::Entity::find().filter(C::AidId.eq(aid_id)).order_by_asc(C::Id).all(db).await
}

pub async fn save_objection(db: &impl ConnectionTrait, o: Objection) -> Result<Objection, DbErr> {
    let am: care_aid_objection::ActiveModel = o.into();
    am.reset_all().update(db).await
}
