//! Census campaigns (摸排) and their entries.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set, Value,
};

use crate::entity::{members::census_campaign, members::census_entry};
use crate::repo::members::mobility::scope_sql;
use crate::repo::{Page, PageReq};
use crate::{Scope, raw};

pub use census_campaign::Model as Campaign;
pub use census_entry::Model as Entry;

/// Creates a campaign and its entries: every normal member of the subtree with an open outflow,
/// with the organisation receiving them.
pub async fn create(
    db: &impl ConnectionTrait,
    name: String,
    period: String,
    org_id: i64,
    org_path: &str,
    by: Option<i64>,
) -> Result<(Campaign, u64), DbErr> {
    let c = census_campaign::ActiveModel {
        name: Set(name),
        period: Set(period),
        org_id: Set(org_id),
        org_path: Set(org_path.to_string()),
        status: Set("open".into()),
        created_by: Set(by),
        created_at: Set(Utc::now()),
        closed_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let b = db.get_database_backend();
    let mut values: Vec<Value> = vec![c.id.into()];
    let cond = scope_sql(&Scope::Paths(vec![org_path.to_string()]), "m.org_path", &mut values);
    let sql = format!(
        "INSERT INTO census_entries (campaign_id, member_id, org_id, org_path, receiving_org_id) \
         SELECT ?, m.id, m.org_id, m.org_path, r.receiving_org_id FROM members m \
         JOIN mobility_records r ON r.member_id = m.id AND r.direction = 'outflow' AND r.status = 'open' \
         WHERE m.status = 'normal' AND {cond}"
    );
    let n = db.execute_raw(raw(b, &sql, values)).await?.rows_affected();
    Ok((c, n))
}

/// The campaign if it concerns `scope`: its subtree overlaps the scope, or it has entries for members
/// an organisation in the scope receives. `None` otherwise, as for an id that does not exist.
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Campaign>, DbErr> {
    let Some(c) = census_campaign::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(if overlaps(scope, &c) || received_campaigns(db, scope).await?.contains(&c.id) { Some(c) } else { None })
}

/// Whether a campaign's subtree overlaps the scope (it lies in it, or covers part of it).
pub fn overlaps(scope: &Scope, c: &Campaign) -> bool {
    match scope {
        Scope::All(_) => true,
        Scope::Paths(ps) => ps.iter().any(|p| p.starts_with(&c.org_path) || c.org_path.starts_with(p.as_str())),
    }
}

/// The campaigns that concern `scope` (see [`get`]), newest first.
pub async fn concerning(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<Campaign>, DbErr> {
    let received = received_campaigns(db, scope).await?;
    Ok(list(db, &Scope::everything())
        .await?
        .into_iter()
        .filter(|c| overlaps(scope, c) || received.contains(&c.id))
        .collect())
}

pub async fn list(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<Campaign>, DbErr> {
    census_campaign::Entity::find()
        .filter(scope.condition(census_campaign::Column::OrgPath))
        .order_by_desc(census_campaign::Column::Id)
        .all(db)
        .await
}

/// The entries `scope` sees: of members of its organisations, or received by one of them.
fn visible_sql(scope: &Scope, values: &mut Vec<Value>) -> String {
    let home = scope_sql(scope, "e.org_path", values);
    let recv = scope_sql(scope, "o.path", values);
    format!("({home} OR e.receiving_org_id IN (SELECT o.id FROM orgs o WHERE {recv}))")
}

/// The campaigns with entries received by an organisation in `scope`.
pub async fn received_campaigns(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<i64>, DbErr> {
    let b = db.get_database_backend();
    let mut values: Vec<Value> = Vec::new();
    let cond = scope_sql(scope, "o.path", &mut values);
    let sql = format!(
        "SELECT DISTINCT e.campaign_id AS id FROM census_entries e JOIN orgs o ON o.id = e.receiving_org_id WHERE {cond}"
    );
    let rows = db.query_all_raw(raw(b, &sql, values)).await?;
    rows.into_iter().map(|r| r.try_get("", "id")).collect()
}

/// (organisation id, entries, verified, reached) per member organisation, of the entries `scope`
/// sees (see [`entries`]).
pub async fn progress(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    scope: &Scope,
) -> Result<Vec<(i64, i64, i64, i64)>, DbErr> {
    let b = db.get_database_backend();
    let mut values: Vec<Value> = vec![campaign_id.into()];
    let cond = visible_sql(scope, &mut values);
    let sql = format!(
        "SELECT e.org_id AS org_id, COUNT(*) AS total, \
         SUM(CASE WHEN e.reached IS NOT NULL THEN 1 ELSE 0 END) AS verified, \
         SUM(CASE WHEN e.reached THEN 1 ELSE 0 END) AS reached \
         FROM census_entries e WHERE e.campaign_id = ? AND {cond} GROUP BY e.org_id ORDER BY e.org_id"
    );
    let rows = db.query_all_raw(raw(b, &sql, values)).await?;
    rows.into_iter()
        .map(|r| {
            Ok((
                r.try_get("", "org_id")?,
                r.try_get("", "total")?,
                r.try_get("", "verified")?,
                r.try_get("", "reached")?,
            ))
        })
        .collect()
}

#[derive(Debug, Clone, Default)]
pub struct EntryFilter {
    pub subtree: Option<String>,
    /// Some(false): not yet verified; Some(true): verified.
    pub verified: Option<bool>,
}

/// The entries `scope` sees: of members of its organisations, or received by one of them (the
/// receiving organisation verifies the members it looks after).
pub async fn entries(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    scope: &Scope,
    f: &EntryFilter,
    page: PageReq,
) -> Result<Page<Entry>, DbErr> {
    use sea_orm::FromQueryResult;
    let b = db.get_database_backend();
    let mut values: Vec<Value> = vec![campaign_id.into()];
    let mut w = vec!["e.campaign_id = ?".to_string(), visible_sql(scope, &mut values)];
    if let Some(s) = &f.subtree {
        w.push(visible_sql(&Scope::Paths(vec![s.clone()]), &mut values));
    }
    match f.verified {
        Some(true) => w.push("e.reached IS NOT NULL".into()),
        Some(false) => w.push("e.reached IS NULL".into()),
        None => {}
    }
    let cond = w.join(" AND ");
    let total: i64 = db
        .query_one_raw(raw(b, &format!("SELECT COUNT(*) AS n FROM census_entries e WHERE {cond}"), values.clone()))
        .await?
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    let sql = format!(
        "SELECT e.* FROM census_entries e WHERE {cond} ORDER BY e.org_path, e.id LIMIT {} OFFSET {}",
        page.per_page,
        page.offset()
    );
    let rows = db.query_all_raw(raw(b, &sql, values)).await?;
    let items = rows.iter().map(|r| Entry::from_query_result(r, "")).collect::<Result<_, _>>()?;
    Ok(Page { items, total: total as u64 })
}

/// The census entry if `scope` reaches it: its member's organisation, or the organisation receiving
/// them, lies in the scope. `None` otherwise, as for an id that does not exist.
pub async fn entry(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Entry>, DbErr> {
    use crate::entity::organisations::org;
    use sea_orm::Condition;
    use sea_orm::sea_query::Query;
    census_entry::Entity::find_by_id(id)
        .filter(
            Condition::any().add(scope.condition(census_entry::Column::OrgPath)).add(
                census_entry::Column::ReceivingOrgId.in_subquery(
                    Query::select()
                        .column(org::Column::Id)
                        .from(org::Entity)
                        .cond_where(scope.condition(org::Column::Path))
                        .to_owned(),
                ),
            ),
        )
        .one(db)
        .await
}

pub async fn save_entry(db: &impl ConnectionTrait, am: census_entry::ActiveModel) -> Result<Entry, DbErr> {
    am.update(db).await
}

/// Every verified entry (for closing).
pub async fn verified_entries(db: &impl ConnectionTrait, campaign_id: i64) -> Result<Vec<Entry>, DbErr> {
    census_entry::Entity::find()
        .filter(census_entry::Column::CampaignId.eq(campaign_id))
        .filter(census_entry::Column::Reached.is_not_null())
        .order_by_asc(census_entry::Column::Id)
        .all(db)
        .await
}

pub async fn close(db: &impl ConnectionTrait, c: Campaign) -> Result<Campaign, DbErr> {
    let mut am: census_campaign::ActiveModel = c.into();
    am.status = Set("closed".into());
    am.closed_at = Set(Some(Utc::now()));
    am.update(db).await
}

/// Marks entries verified in bulk (demo data): all of them, or (`partly`) a share that varies by
/// organisation — a fifth of the branches are done, the others from 20 % to 80 % — as a census under way
/// looks; every `unreached`-th is recorded as not reached. What was found (free text, sealed) is written
/// by the caller.
pub async fn verify_bulk(
    db: &impl ConnectionTrait,
    campaign_id: i64,
    partly: bool,
    unreached: i64,
    by_name: &str,
    at: chrono::DateTime<Utc>,
) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    let share = if partly { " AND id % 10 < 2 + (org_id % 5) * 2" } else { "" };
    db.execute_raw(raw(
        b,
        &format!(
            "UPDATE census_entries SET reached = (id % ? <> 0), verified_by_name = ?, verified_at = ? \
             WHERE campaign_id = ?{share}"
        ),
        vec![unreached.into(), by_name.into(), at.into(), campaign_id.into()],
    ))
    .await?;
    Ok(())
}

/// The member's own entries in campaigns still open, with their campaigns, the newest first (what the
/// phone asks the member themselves).
pub async fn open_entries_of(db: &impl ConnectionTrait, member_id: i64) -> Result<Vec<(Entry, Campaign)>, DbErr> {
    let entries = census_entry::Entity::find()
        .filter(census_entry::Column::MemberId.eq(member_id))
        .order_by_desc(census_entry::Column::CampaignId)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for e in entries {
        if let Some(c) = census_campaign::Entity::find_by_id(e.campaign_id).one(db).await?
            && c.status == "open"
        {
            out.push((e, c));
        }
    }
    Ok(out)
}

/// Saves a member's own answer to their entry, unless the branch has recorded the entry meanwhile
/// (one conditional update: a worker's record committed in between is never overwritten). Returns
/// whether it was saved.
pub async fn save_self_answer(
    db: &impl ConnectionTrait,
    am: census_entry::ActiveModel,
    id: i64,
    user_id: i64,
) -> Result<bool, DbErr> {
    use census_entry::Column as C;
    use sea_orm::Condition;
    let r = census_entry::Entity::update_many()
        .set(am)
        .filter(C::Id.eq(id))
        .filter(Condition::any().add(C::VerifiedAt.is_null()).add(C::VerifiedBy.eq(user_id)))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}
