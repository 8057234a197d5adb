//! Dues: a member's bases, payments and the months paid. Reached through the member (the use case
//! loads the member by the caller's scope first); the summaries take the members of a subtree.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::Scope;
use crate::entity::members::member;
use crate::entity::party_affairs::{dues_base, dues_month, dues_payment};

pub use dues_base::Model as DuesBase;
pub use dues_payment::Model as DuesPayment;

/// The bases of members (already reached), by member and month.
pub async fn bases_of(db: &impl ConnectionTrait, member_ids: &[i64]) -> Result<Vec<DuesBase>, DbErr> {
    use dues_base::Column as C;
    let mut out = Vec::new();
    for chunk in member_ids.chunks(500) {
        out.extend(
            dues_base::Entity::find()
                .filter(C::MemberId.is_in(chunk.iter().copied()))
                .order_by_asc(C::MemberId)
                .order_by_asc(C::FromMonth)
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

/// A base from a month on: replaces the one of the same month.
pub struct NewBase {
    pub member_id: i64,
    pub from_month: String,
    pub category: String,
    pub base_enc: Option<String>,
    pub farmer_fen: Option<i64>,
    pub quarterly: bool,
    pub created_by: Option<i64>,
}

pub async fn set_base(db: &impl ConnectionTrait, b: NewBase) -> Result<DuesBase, DbErr> {
    use dues_base::Column as C;
    dues_base::Entity::delete_many()
        .filter(C::MemberId.eq(b.member_id))
        .filter(C::FromMonth.eq(b.from_month.clone()))
        .exec(db)
        .await?;
    dues_base::ActiveModel {
        member_id: Set(b.member_id),
        from_month: Set(b.from_month),
        category: Set(b.category),
        base_enc: Set(b.base_enc),
        farmer_fen: Set(b.farmer_fen),
        quarterly: Set(b.quarterly),
        created_by: Set(b.created_by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub struct NewPayment {
    pub member_id: i64,
    pub months: Vec<String>,
    pub amount_fen: i64,
    pub extra_fen: i64,
    pub paid_on: NaiveDate,
    pub method: String,
    pub collected_by_org_id: i64,
    pub remitted: bool,
    pub note: String,
    pub recorded_by: Option<i64>,
    pub recorded_by_name: String,
}

/// Records a payment and its months; a month already paid violates `dues_months_once` (the caller
/// checked inside the same transaction, so that is a race lost: a conflict).
pub async fn insert_payment(db: &impl ConnectionTrait, p: NewPayment) -> Result<DuesPayment, DbErr> {
    let saved = dues_payment::ActiveModel {
        member_id: Set(p.member_id),
        months: Set(p.months.join(",")),
        amount_fen: Set(p.amount_fen),
        extra_fen: Set(p.extra_fen),
        paid_on: Set(p.paid_on),
        method: Set(p.method),
        collected_by_org_id: Set(p.collected_by_org_id),
        remitted: Set(p.remitted),
        note: Set(p.note),
        recorded_by: Set(p.recorded_by),
        recorded_by_name: Set(p.recorded_by_name),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if !p.months.is_empty() {
        let rows = p.months.iter().map(|m| dues_month::ActiveModel {
            member_id: Set(p.member_id),
            month: Set(m.clone()),
            payment_id: Set(saved.id),
            ..Default::default()
        });
        dues_month::Entity::insert_many(rows).exec_without_returning(db).await?;
    }
    Ok(saved)
}

/// The payments of a member (already reached), the latest first.
pub async fn payments_of(db: &impl ConnectionTrait, member_id: i64) -> Result<Vec<DuesPayment>, DbErr> {
    use dues_payment::Column as C;
    dues_payment::Entity::find()
        .filter(C::MemberId.eq(member_id))
        .order_by_desc(C::PaidOn)
        .order_by_desc(C::Id)
        .all(db)
        .await
}

/// The months paid by members (already reached): (member, YYYY-MM).
pub async fn paid_months(db: &impl ConnectionTrait, member_ids: &[i64]) -> Result<Vec<(i64, String)>, DbErr> {
    use dues_month::Column as C;
    let mut out = Vec::new();
    for chunk in member_ids.chunks(500) {
        let rows: Vec<(i64, String)> = dues_month::Entity::find()
            .select_only()
            .column(C::MemberId)
            .column(C::Month)
            .filter(C::MemberId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// A member as the dues summary needs them.
#[derive(Debug, Clone)]
pub struct DuesMember {
    pub id: i64,
    pub name: String,
    pub org_id: i64,
    pub joined_on: NaiveDate,
}

/// The members in normal status filed in `scope`'s subtrees (under `subtree` when given).
pub async fn members_in(
    db: &impl ConnectionTrait,
    scope: &Scope,
    subtree: Option<&str>,
) -> Result<Vec<DuesMember>, DbErr> {
    use member::Column as C;
    let mut q = member::Entity::find()
        .select_only()
        .column(C::Id)
        .column(C::Name)
        .column(C::OrgId)
        .column(C::JoinedOn)
        .filter(scope.condition(C::OrgPath))
        .filter(C::Status.eq("normal"));
    if let Some(p) = subtree {
        q = q.filter(crate::subtree_condition(C::OrgPath, p));
    }
    let rows: Vec<(i64, String, i64, NaiveDate)> =
        q.order_by_asc(C::OrgId).order_by_asc(C::Id).into_tuple().all(db).await?;
    Ok(rows.into_iter().map(|(id, name, org_id, joined_on)| DuesMember { id, name, org_id, joined_on }).collect())
}
