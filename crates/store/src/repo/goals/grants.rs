//! Incentive grants (以奖代补): one per organisation and year, from proposal to approval to
//! disbursement; money in fen.

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::Scope;
use crate::entity::{goals::incentive_grant, organisations::org};

pub use incentive_grant::Model as IncentiveGrant;

/// A proposal's figures: the score sheet (JSON), total, tier and amount.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub score: String,
    pub total_hundredths: i32,
    pub tier: Option<String>,
    pub amount_fen: i64,
}

/// Creates or re-scores the proposal of an organisation for a year (only while proposed).
pub async fn propose(
    db: &impl ConnectionTrait,
    target: &org::Model,
    year: i32,
    p: Proposal,
) -> Result<IncentiveGrant, DbErr> {
    let now = Utc::now();
    if let Some(current) = of(db, target.id, year).await? {
        let mut am: incentive_grant::ActiveModel = current.into();
        am.score = Set(p.score);
        am.total_hundredths = Set(p.total_hundredths);
        am.tier = Set(p.tier);
        am.amount_fen = Set(p.amount_fen);
        am.updated_at = Set(now);
        return am.update(db).await;
    }
    incentive_grant::ActiveModel {
        org_id: Set(target.id),
        org_path: Set(target.path.clone()),
        year: Set(year),
        score: Set(p.score),
        total_hundredths: Set(p.total_hundredths),
        tier: Set(p.tier),
        amount_fen: Set(p.amount_fen),
        status: Set("proposed".into()),
        approved_by: Set(None),
        approved_at: Set(None),
        disbursed_fen: Set(None),
        disbursed_on: Set(None),
        voucher: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn of(db: &impl ConnectionTrait, org_id: i64, year: i32) -> Result<Option<IncentiveGrant>, DbErr> {
    incentive_grant::Entity::find()
        .filter(incentive_grant::Column::OrgId.eq(org_id))
        .filter(incentive_grant::Column::Year.eq(year))
        .one(db)
        .await
}

/// The record if its organisation lies in `scope`, else `None` (as for an id that does not exist).
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<IncentiveGrant>, DbErr> {
    incentive_grant::Entity::find_by_id(id).filter(scope.condition(incentive_grant::Column::OrgPath)).one(db).await
}

pub async fn list(db: &impl ConnectionTrait, scope: &Scope, year: i32) -> Result<Vec<IncentiveGrant>, DbErr> {
    incentive_grant::Entity::find()
        .filter(scope.condition(incentive_grant::Column::OrgPath))
        .filter(incentive_grant::Column::Year.eq(year))
        .order_by_desc(incentive_grant::Column::TotalHundredths)
        .order_by_asc(incentive_grant::Column::Id)
        .all(db)
        .await
}

pub async fn approve(db: &impl ConnectionTrait, g: IncentiveGrant, by: i64) -> Result<IncentiveGrant, DbErr> {
    let mut am: incentive_grant::ActiveModel = g.into();
    am.status = Set("approved".into());
    am.approved_by = Set(Some(by));
    am.approved_at = Set(Some(Utc::now()));
    am.updated_at = Set(Utc::now());
    am.update(db).await
}

pub async fn disburse(
    db: &impl ConnectionTrait,
    g: IncentiveGrant,
    fen: i64,
    on: NaiveDate,
    voucher: String,
) -> Result<IncentiveGrant, DbErr> {
    let mut am: incentive_grant::ActiveModel = g.into();
    am.status = Set("disbursed".into());
    am.disbursed_fen = Set(Some(fen));
    am.disbursed_on = Set(Some(on));
    am.voucher = Set(Some(voucher));
    am.updated_at = Set(Utc::now());
    am.update(db).await
}
