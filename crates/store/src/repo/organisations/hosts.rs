//! Host entities (两新组织, buildings, markets, new-employment groups) with their organisational
//! coverage, the facts behind the two coverage rates, and the quarterly coverage census.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, Value,
};

use crate::entity::{
    organisations::coverage_census, organisations::coverage_census_entry, organisations::host, organisations::org,
};
use crate::repo::members::mobility::scope_sql;
use crate::repo::{Page, PageReq};
use crate::{Scope, raw};

pub use coverage_census::Model as CoverageCensus;
pub use coverage_census_entry::Model as CoverageEntry;
pub use host::Model as Host;

/// The editable fields of a host, validated by the caller.
#[derive(Debug, Clone)]
pub struct HostFields {
    pub name: String,
    pub kind: String,
    pub industry: Option<String>,
    pub region_code: String,
    pub covering_org_id: Option<i64>,
    pub coverage: String,
    pub community_id: Option<i64>,
    pub employees: Option<i32>,
    pub party_members: Option<i32>,
}

pub async fn insert(db: &impl ConnectionTrait, responsible: &org::Model, f: HostFields) -> Result<Host, DbErr> {
    let now = Utc::now();
    host::ActiveModel {
        name: Set(f.name),
        kind: Set(f.kind),
        industry: Set(f.industry),
        region_code: Set(f.region_code),
        org_id: Set(responsible.id),
        org_path: Set(responsible.path.clone()),
        covering_org_id: Set(f.covering_org_id),
        coverage: Set(f.coverage),
        community_id: Set(f.community_id),
        employees: Set(f.employees),
        party_members: Set(f.party_members),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn update(db: &impl ConnectionTrait, current: Host, f: HostFields) -> Result<Host, DbErr> {
    let mut am: host::ActiveModel = current.into();
    am.name = Set(f.name);
    am.kind = Set(f.kind);
    am.industry = Set(f.industry);
    am.region_code = Set(f.region_code);
    am.covering_org_id = Set(f.covering_org_id);
    am.coverage = Set(f.coverage);
    am.community_id = Set(f.community_id);
    am.employees = Set(f.employees);
    am.party_members = Set(f.party_members);
    am.updated_at = Set(Utc::now());
    am.update(db).await
}

/// The host if its responsible organisation lies in `scope`, else `None`.
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Host>, DbErr> {
    host::Entity::find_by_id(id).filter(scope.condition(host::Column::OrgPath)).one(db).await
}

/// The names of hosts by id (for labels of records that name a host the caller already reaches).
pub async fn names(db: &impl ConnectionTrait, ids: &[i64]) -> Result<std::collections::HashMap<i64, String>, DbErr> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(host::Entity::find()
        .filter(host::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.id, h.name))
        .collect())
}

/// Those of the hosts that lie in `scope` (in bounded batches, for both backends' parameter limits).
pub async fn get_many(db: &impl ConnectionTrait, scope: &Scope, ids: &[i64]) -> Result<Vec<Host>, DbErr> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        out.extend(
            host::Entity::find()
                .filter(host::Column::Id.is_in(chunk.iter().copied()))
                .filter(scope.condition(host::Column::OrgPath))
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

/// Filters of the host registry.
#[derive(Debug, Clone, Default)]
pub struct HostFilter {
    pub kind: Option<String>,
    pub coverage: Option<String>,
    pub industry: Option<String>,
    pub community_id: Option<i64>,
    pub q: Option<String>,
}

/// The hosts in `scope` whose covering organisation is `org_id` (a branch covers the enterprise it
/// sits in; the enterprise is registered by the park or committee above it).
pub async fn covered_by(db: &impl ConnectionTrait, scope: &Scope, org_id: i64) -> Result<Vec<Host>, DbErr> {
    host::Entity::find()
        .filter(scope.condition(host::Column::OrgPath))
        .filter(host::Column::CoveringOrgId.eq(org_id))
        .order_by_asc(host::Column::Id)
        .all(db)
        .await
}

pub async fn list(
    db: &impl ConnectionTrait,
    subtree: &Scope,
    f: &HostFilter,
    page: PageReq,
) -> Result<Page<Host>, DbErr> {
    let mut q = host::Entity::find().filter(subtree.condition(host::Column::OrgPath));
    if let Some(k) = &f.kind {
        q = q.filter(host::Column::Kind.eq(k.clone()));
    }
    if let Some(c) = &f.coverage {
        q = q.filter(host::Column::Coverage.eq(c.clone()));
    }
    if let Some(i) = &f.industry {
        q = q.filter(host::Column::Industry.eq(i.clone()));
    }
    if let Some(c) = f.community_id {
        q = q.filter(host::Column::CommunityId.eq(c));
    }
    if let Some(s) = f.q.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(host::Column::Name.contains(s));
    }
    let total = q.clone().count(db).await?;
    let items = q.order_by_asc(host::Column::Id).offset(page.offset()).limit(page.per_page).all(db).await?;
    Ok(Page { items, total })
}

/// One host as the coverage figures see it.
#[derive(Debug, Clone)]
pub struct CoverageFact {
    pub kind: String,
    pub industry: Option<String>,
    pub org_id: i64,
    pub community_id: Option<i64>,
    pub covering_org_id: Option<i64>,
    pub coverage: String,
    /// Its covering organisation (or community) held an activity in the window.
    pub worked: bool,
}

/// Every host of `subtree` with whether its covering organisation or community held an activity
/// (active, someone present) between `from` and `to` (UTC instants).
pub async fn coverage_facts(
    db: &impl ConnectionTrait,
    subtree: &Scope,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<CoverageFact>, DbErr> {
    let b = db.get_database_backend();
    let mut values: Vec<Value> = vec![from.into(), to.into()];
    let cond = scope_sql(subtree, "h.org_path", &mut values);
    let sql = format!(
        "SELECT h.kind AS kind, h.industry AS industry, h.org_id AS org_id, h.community_id AS community_id, h.covering_org_id AS covering_org_id, \
         h.coverage AS coverage, CASE WHEN EXISTS (SELECT 1 FROM activity_orgs ao JOIN activities a ON a.id = ao.activity_id \
         WHERE ao.org_id = COALESCE(h.covering_org_id, h.community_id) AND a.status = 'active' AND a.start_at >= ? AND a.start_at < ? \
         AND EXISTS (SELECT 1 FROM attendance t WHERE t.activity_id = a.id AND t.status = 'present')) THEN 1 ELSE 0 END AS worked \
         FROM hosts h WHERE {cond}"
    );
    let rows = db.query_all_raw(raw(b, &sql, values)).await?;
    rows.into_iter()
        .map(|r| {
            let worked: i32 = r.try_get("", "worked")?;
            Ok(CoverageFact {
                kind: r.try_get("", "kind")?,
                industry: r.try_get("", "industry")?,
                org_id: r.try_get("", "org_id")?,
                community_id: r.try_get("", "community_id")?,
                covering_org_id: r.try_get("", "covering_org_id")?,
                coverage: r.try_get("", "coverage")?,
                worked: worked == 1,
            })
        })
        .collect()
}

/// Creates a coverage census with one entry per host of the subtree.
pub async fn create_census(
    db: &impl ConnectionTrait,
    name: String,
    period: String,
    owner: &org::Model,
    by: Option<i64>,
) -> Result<(CoverageCensus, u64), DbErr> {
    let c = coverage_census::ActiveModel {
        name: Set(name),
        period: Set(period),
        org_id: Set(owner.id),
        org_path: Set(owner.path.clone()),
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
    let cond = scope_sql(&Scope::Paths(vec![owner.path.clone()]), "h.org_path", &mut values);
    let sql = format!(
        "INSERT INTO coverage_census_entries (census_id, host_id, org_path, coverage_before) \
         SELECT ?, h.id, h.org_path, h.coverage FROM hosts h WHERE {cond}"
    );
    let n = db.execute_raw(raw(b, &sql, values)).await?.rows_affected();
    Ok((c, n))
}

/// The coverage census if its subtree overlaps `scope` (it lies in it or covers part of it), else
/// `None` (as for an id that does not exist).
pub async fn census(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<CoverageCensus>, DbErr> {
    Ok(coverage_census::Entity::find_by_id(id).one(db).await?.filter(|c| match scope {
        Scope::All(_) => true,
        Scope::Paths(ps) => ps.iter().any(|p| p.starts_with(&c.org_path) || c.org_path.starts_with(p.as_str())),
    }))
}

/// Censuses over or inside `scope`, and those whose subtree contains part of it.
pub async fn censuses(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<CoverageCensus>, DbErr> {
    let all = coverage_census::Entity::find().order_by_desc(coverage_census::Column::Id).all(db).await?;
    Ok(all
        .into_iter()
        .filter(|c| match scope {
            Scope::All(_) => true,
            Scope::Paths(ps) => ps.iter().any(|p| p.starts_with(&c.org_path) || c.org_path.starts_with(p.as_str())),
        })
        .collect())
}

pub async fn entries(db: &impl ConnectionTrait, census_id: i64, scope: &Scope) -> Result<Vec<CoverageEntry>, DbErr> {
    coverage_census_entry::Entity::find()
        .filter(coverage_census_entry::Column::CensusId.eq(census_id))
        .filter(scope.condition(coverage_census_entry::Column::OrgPath))
        .order_by_asc(coverage_census_entry::Column::Id)
        .all(db)
        .await
}

/// The coverage census entry if its organisation lies in `scope`, else `None`.
pub async fn entry(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<CoverageEntry>, DbErr> {
    coverage_census_entry::Entity::find_by_id(id)
        .filter(scope.condition(coverage_census_entry::Column::OrgPath))
        .one(db)
        .await
}

pub async fn check_entry(
    db: &impl ConnectionTrait,
    e: CoverageEntry,
    coverage: String,
    note: Option<String>,
    by: Option<i64>,
) -> Result<CoverageEntry, DbErr> {
    let mut am: coverage_census_entry::ActiveModel = e.into();
    am.coverage = Set(Some(coverage));
    am.note = Set(note);
    am.checked_by = Set(by);
    am.checked_at = Set(Some(Utc::now()));
    am.update(db).await
}

/// Closes a census: the confirmed coverage of every checked entry is written to its host.
/// Returns the number of hosts whose coverage changed.
pub async fn close_census(db: &impl ConnectionTrait, c: CoverageCensus) -> Result<u64, DbErr> {
    let b = db.get_database_backend();
    let changed = db
        .execute_raw(raw(
            b,
            "UPDATE hosts SET coverage = (SELECT e.coverage FROM coverage_census_entries e WHERE e.census_id = ? AND e.host_id = hosts.id), \
             updated_at = ? WHERE id IN (SELECT e.host_id FROM coverage_census_entries e WHERE e.census_id = ? \
             AND e.coverage IS NOT NULL AND e.coverage <> e.coverage_before)",
            vec![c.id.into(), Utc::now().into(), c.id.into()],
        ))
        .await?
        .rows_affected();
    let mut am: coverage_census::ActiveModel = c.into();
    am.status = Set("closed".into());
    am.closed_at = Set(Some(Utc::now()));
    am.update(db).await?;
    Ok(changed)
}
