//! Honours (先锋工程): campaigns, quotas, nominations with their review steps and objections. A campaign
//! is read through its organisation's path — in the caller's scope, or an ancestor of it (a branch sees
//! the county's campaign it nominates to); a nomination through the nominating organisation's path.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::Scope;
use crate::entity::hometown::{honour_campaign, honour_nomination, honour_objection, honour_quota, honour_step};

pub use honour_campaign::Model as Campaign;
pub use honour_nomination::Model as Nomination;
pub use honour_objection::Model as Objection;
pub use honour_quota::Model as Quota;
pub use honour_step::Model as Step;

/// Statuses that hold a place (count against a quota, keep the nominee from a second nomination).
pub const LIVE: &[&str] = &["reviewing", "recommended", "notice", "awarded"];

/// Every ancestor path of the scope's paths (`/1/2/3/` gives `/1/`, `/1/2/`, `/1/2/3/`).
fn ancestors(scope: &Scope) -> Vec<String> {
    let Scope::Paths(ps) = scope else { return vec![] };
    let mut out = Vec::new();
    for p in ps {
        let mut acc = String::from("/");
        for part in p.split('/').filter(|s| !s.is_empty()) {
            acc.push_str(part);
            acc.push('/');
            if !out.contains(&acc) {
                out.push(acc.clone());
            }
        }
    }
    out
}

/// A campaign's organisation lies in the scope or above it.
fn campaign_reach(scope: &Scope) -> Condition {
    let up = ancestors(scope);
    let mut c = Condition::any().add(scope.condition(honour_campaign::Column::OrgPath));
    if !up.is_empty() {
        c = c.add(honour_campaign::Column::OrgPath.is_in(up));
    }
    c
}

pub struct NewCampaign {
    pub org_id: i64,
    pub org_path: String,
    pub year: i32,
    pub title: String,
    pub honours: String,
    pub nominate_until: Option<NaiveDate>,
    pub created_by: Option<i64>,
}

pub async fn insert_campaign(db: &impl ConnectionTrait, c: NewCampaign) -> Result<Campaign, DbErr> {
    let now = Utc::now();
    honour_campaign::ActiveModel {
        org_id: Set(c.org_id),
        org_path: Set(c.org_path),
        year: Set(c.year),
        title: Set(c.title),
        honours: Set(c.honours),
        nominate_until: Set(c.nominate_until),
        status: Set("nominating".into()),
        notice_from: Set(None),
        notice_until: Set(None),
        awarded_on: Set(None),
        created_by: Set(c.created_by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn save_campaign(db: &impl ConnectionTrait, mut c: Campaign) -> Result<Campaign, DbErr> {
    c.updated_at = Utc::now();
    let am: honour_campaign::ActiveModel = c.into();
    am.reset_all().update(db).await
}

/// A campaign the scope reaches (its organisation in the scope or above it).
pub async fn get_campaign(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Campaign>, DbErr> {
    honour_campaign::Entity::find_by_id(id).filter(campaign_reach(scope)).one(db).await
}

/// The campaigns the scope reaches, the latest year first.
pub async fn list_campaigns(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<Campaign>, DbErr> {
    use honour_campaign::Column as C;
    honour_campaign::Entity::find()
        .filter(campaign_reach(scope))
        .order_by_desc(C::Year)
        .order_by_desc(C::Id)
        .all(db)
        .await
}

/// The campaigns on public notice run by `paths` (a member's organisation's ancestors).
pub async fn campaigns_on_notice(db: &impl ConnectionTrait, paths: &[String]) -> Result<Vec<Campaign>, DbErr> {
    use honour_campaign::Column as C;
    honour_campaign::Entity::find()
        .filter(C::OrgPath.is_in(paths.to_vec()))
        .filter(C::Status.eq("notice"))
        .order_by_desc(C::Id)
        .all(db)
        .await
}

/// Holds a campaign until the transaction ends (PostgreSQL: its row `FOR UPDATE`; SQLite's write
/// transaction holds the database): two nominations against one quota, or an award and an objection,
/// take turns and the second reads the first's.
pub async fn lock_campaign(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    if b == sea_orm::DatabaseBackend::Postgres {
        db.query_one_raw(crate::raw(b, "SELECT id FROM honour_campaigns WHERE id = ? FOR UPDATE", vec![id.into()]))
            .await?;
    }
    Ok(())
}

/// The quotas of a campaign (already reached).
pub async fn quotas(db: &impl ConnectionTrait, campaign_id: i64) -> Result<Vec<Quota>, DbErr> {
    use honour_quota::Column as C;
    honour_quota::Entity::find()
        .filter(C::CampaignId.eq(campaign_id))
        .order_by_asc(C::Honour)
        .order_by_asc(C::OrgPath)
        .all(db)
        .await
}

/// Replaces a campaign's quotas: (honour, org id, org path, quota).
pub async fn set_quotas(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    list: Vec<(String, i64, String, i32)>,
) -> Result<(), DbErr> {
    honour_quota::Entity::delete_many().filter(honour_quota::Column::CampaignId.eq(campaign_id)).exec(db).await?;
    for chunk in list.chunks(200) {
        let rows = chunk.iter().map(|(honour, org_id, org_path, quota)| honour_quota::ActiveModel {
            campaign_id: Set(campaign_id),
            honour: Set(honour.clone()),
            org_id: Set(*org_id),
            org_path: Set(org_path.clone()),
            quota: Set(*quota),
            ..Default::default()
        });
        honour_quota::Entity::insert_many(rows).exec_without_returning(db).await?;
    }
    Ok(())
}

pub struct NewNomination {
    pub campaign_id: i64,
    pub honour: String,
    pub subject: String,
    pub member_id: Option<i64>,
    pub nominee_org_id: Option<i64>,
    pub nominee_name: String,
    pub org_id: i64,
    pub org_path: String,
    pub deeds: String,
    pub discussed_on: NaiveDate,
    pub votes_for: i32,
    pub votes_total: i32,
    pub status: String,
    pub at_org_id: Option<i64>,
    pub created_by: Option<i64>,
}

pub async fn insert_nomination(db: &impl ConnectionTrait, n: NewNomination) -> Result<Nomination, DbErr> {
    let now = Utc::now();
    honour_nomination::ActiveModel {
        campaign_id: Set(n.campaign_id),
        honour: Set(n.honour),
        subject: Set(n.subject),
        member_id: Set(n.member_id),
        nominee_org_id: Set(n.nominee_org_id),
        nominee_name: Set(n.nominee_name),
        org_id: Set(n.org_id),
        org_path: Set(n.org_path),
        deeds: Set(n.deeds),
        discussed_on: Set(n.discussed_on),
        votes_for: Set(n.votes_for),
        votes_total: Set(n.votes_total),
        status: Set(n.status),
        at_org_id: Set(n.at_org_id),
        awarded_on: Set(None),
        withdrawn_on: Set(None),
        withdraw_reason: Set(None),
        created_by: Set(n.created_by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn save_nomination(db: &impl ConnectionTrait, mut n: Nomination) -> Result<Nomination, DbErr> {
    n.updated_at = Utc::now();
    let am: honour_nomination::ActiveModel = n.into();
    am.reset_all().update(db).await
}

pub async fn get_nomination(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Nomination>, DbErr> {
    honour_nomination::Entity::find_by_id(id).filter(scope.condition(honour_nomination::Column::OrgPath)).one(db).await
}

/// The nominations of a campaign made in the scope, by honour and then as made.
pub async fn nominations(db: &impl ConnectionTrait, scope: &Scope, campaign_id: i64) -> Result<Vec<Nomination>, DbErr> {
    use honour_nomination::Column as C;
    honour_nomination::Entity::find()
        .filter(C::CampaignId.eq(campaign_id))
        .filter(scope.condition(C::OrgPath))
        .order_by_asc(C::Honour)
        .order_by_asc(C::Id)
        .all(db)
        .await
}

/// The nominations in review from organisations in the scope (the reviewers' own are among them).
pub async fn in_review(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<Nomination>, DbErr> {
    use honour_nomination::Column as C;
    honour_nomination::Entity::find()
        .filter(scope.condition(C::OrgPath))
        .filter(C::Status.eq("reviewing"))
        .order_by_asc(C::Id)
        .all(db)
        .await
}

/// Every nomination of a campaign in `statuses` (the campaign already reached: its notice, its award).
pub async fn nominations_in(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    statuses: &[&str],
) -> Result<Vec<Nomination>, DbErr> {
    use honour_nomination::Column as C;
    honour_nomination::Entity::find()
        .filter(C::CampaignId.eq(campaign_id))
        .filter(C::Status.is_in(statuses.iter().copied()))
        .order_by_asc(C::Honour)
        .order_by_asc(C::Id)
        .all(db)
        .await
}

/// How many live nominations for `honour` of a campaign come from the subtree `path`.
pub async fn used(db: &impl ConnectionTrait, campaign_id: i64, honour: &str, path: &str) -> Result<u64, DbErr> {
    use honour_nomination::Column as C;
    honour_nomination::Entity::find()
        .filter(C::CampaignId.eq(campaign_id))
        .filter(C::Honour.eq(honour))
        .filter(C::Status.is_in(LIVE.iter().copied()))
        .filter(crate::subtree_condition(C::OrgPath, path))
        .count(db)
        .await
}

/// Whether the member or organisation already holds a live nomination in the campaign.
pub async fn nominee_taken(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    member_id: Option<i64>,
    org_id: Option<i64>,
) -> Result<bool, DbErr> {
    use honour_nomination::Column as C;
    let who = match (member_id, org_id) {
        (Some(m), _) => C::MemberId.eq(m),
        (None, Some(o)) => C::NomineeOrgId.eq(o),
        (None, None) => return Ok(false),
    };
    Ok(honour_nomination::Entity::find()
        .filter(C::CampaignId.eq(campaign_id))
        .filter(C::Status.is_in(LIVE.iter().copied()))
        .filter(who)
        .count(db)
        .await?
        > 0)
}

/// The awarded (and later withdrawn) honours of a member or an organisation, the latest first.
pub async fn honours_of(
    db: &impl ConnectionTrait,
    member_id: Option<i64>,
    org_id: Option<i64>,
) -> Result<Vec<Nomination>, DbErr> {
    use honour_nomination::Column as C;
    let who = match (member_id, org_id) {
        (Some(m), _) => C::MemberId.eq(m),
        (None, Some(o)) => C::NomineeOrgId.eq(o),
        (None, None) => return Ok(vec![]),
    };
    honour_nomination::Entity::find()
        .filter(who)
        .filter(C::AwardedOn.is_not_null())
        .order_by_desc(C::AwardedOn)
        .order_by_desc(C::Id)
        .all(db)
        .await
}

/// Campaigns by id (those of the nominations already reached).
pub async fn campaigns_by_ids(db: &impl ConnectionTrait, ids: &[i64]) -> Result<Vec<Campaign>, DbErr> {
    honour_campaign::Entity::find().filter(honour_campaign::Column::Id.is_in(ids.iter().copied())).all(db).await
}

pub async fn add_step(
    db: &impl ConnectionTrait,
    nomination_id: i64,
    org_id: i64,
    on: NaiveDate,
    pass: bool,
    note: &str,
    by: (Option<i64>, &str),
) -> Result<Step, DbErr> {
    honour_step::ActiveModel {
        nomination_id: Set(nomination_id),
        org_id: Set(org_id),
        on_date: Set(on),
        pass: Set(pass),
        note: Set(note.into()),
        by_id: Set(by.0),
        by_name: Set(by.1.into()),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The review steps of a nomination (already reached), in order.
pub async fn steps(db: &impl ConnectionTrait, nomination_id: i64) -> Result<Vec<Step>, DbErr> {
    use honour_step::Column as C;
    honour_step::Entity::find().filter(C::NominationId.eq(nomination_id)).order_by_asc(C::Id).all(db).await
}

pub async fn add_objection(
    db: &impl ConnectionTrait,
    nomination_id: i64,
    received_on: NaiveDate,
    content: &str,
    by: Option<i64>,
) -> Result<Objection, DbErr> {
    honour_objection::ActiveModel {
        nomination_id: Set(nomination_id),
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

/// The objections of nominations (already reached), oldest first.
pub async fn objections(db: &impl ConnectionTrait, nomination_ids: &[i64]) -> Result<Vec<Objection>, DbErr> {
    use honour_objection::Column as C;
    honour_objection::Entity::find()
        .filter(C::NominationId.is_in(nomination_ids.iter().copied()))
        .order_by_asc(C::Id)
        .all(db)
        .await
}

pub async fn save_objection(db: &impl ConnectionTrait, o: Objection) -> Result<Objection, DbErr> {
    let am: honour_objection::ActiveModel = o.into();
    am.reset_all().update(db).await
}

/// How many objections to a campaign's nominations are still open.
pub async fn open_objections(db: &impl ConnectionTrait, campaign_id: i64) -> Result<u64, DbErr> {
    use honour_nomination::Column as N;
    let ids: Vec<i64> = honour_nomination::Entity::find()
        .select_only()
        .column(N::Id)
        .filter(N::CampaignId.eq(campaign_id))
        .into_tuple()
        .all(db)
        .await?;
    honour_objection::Entity::find()
        .filter(honour_objection::Column::Upheld.is_null())
        .filter(honour_objection::Column::NominationId.is_in(ids))
        .count(db)
        .await
}

/// Moves every nomination of a campaign in `from` to `to` (the notice starts, the award), with the
/// award's day when given.
pub async fn move_all(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    from: &str,
    to: &str,
    awarded_on: Option<NaiveDate>,
) -> Result<u64, DbErr> {
    use honour_nomination::Column as C;
    let mut q = honour_nomination::Entity::update_many()
        .col_expr(C::Status, Expr::value(to))
        .col_expr(C::UpdatedAt, Expr::value(Utc::now()));
    if let Some(on) = awarded_on {
        q = q.col_expr(C::AwardedOn, Expr::value(on));
    }
    Ok(q.filter(C::CampaignId.eq(campaign_id)).filter(C::Status.eq(from)).exec(db).await?.rows_affected)
}
