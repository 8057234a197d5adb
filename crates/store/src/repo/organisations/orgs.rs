//! Organisations and the tree operations on their materialised paths.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::entity::{members::member, organisations::org};
use crate::repo::{Page, PageReq};
use crate::{Scope, raw, subtree_condition};

pub use org::Model as Org;

/// True when any organisation exists (a deployment that is no longer empty).
pub async fn any(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    Ok(org::Entity::find().select_only().column(org::Column::Id).limit(1).into_tuple::<i64>().one(db).await?.is_some())
}

/// The editable fields of an organisation, already validated.
#[derive(Debug, Clone)]
pub struct OrgFields {
    pub name: String,
    pub kind: String,
    pub host_kind: String,
    pub host_name: Option<String>,
    pub province_code: Option<String>,
    pub city_code: Option<String>,
    pub county_code: Option<String>,
    pub secretary: Option<String>,
    pub founded_on: Option<chrono::NaiveDate>,
    pub contact: Option<String>,
}

/// The names of organisations by id: labels beside records the caller already reached (a member's
/// organisation, an activity's co-organisers). A name is not a business record; the organisation
/// itself is read with [`get`].
pub async fn names(db: &impl ConnectionTrait, ids: &[i64]) -> Result<std::collections::HashMap<i64, String>, DbErr> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let mut out = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let rows: Vec<(i64, String)> = org::Entity::find()
            .select_only()
            .column(org::Column::Id)
            .column(org::Column::Name)
            .filter(org::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// The name of one organisation ('' if there is none), a label as in [`names`].
pub async fn name_of(db: &impl ConnectionTrait, id: i64) -> Result<String, DbErr> {
    Ok(names(db, &[id]).await?.remove(&id).unwrap_or_default())
}

/// The organisation if it lies in `scope`, else `None` (as for an id that does not exist).
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Org>, DbErr> {
    org::Entity::find_by_id(id).filter(scope.condition(org::Column::Path)).one(db).await
}

/// Those of the organisations that lie in `scope`.
pub async fn get_many(db: &impl ConnectionTrait, scope: &Scope, ids: &[i64]) -> Result<Vec<Org>, DbErr> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    org::Entity::find()
        .filter(org::Column::Id.is_in(ids.iter().copied()))
        .filter(scope.condition(org::Column::Path))
        .all(db)
        .await
}

/// The organisations' version (`org_tree_version`, migration 0033): bumped in the writing transaction
/// by every change to an organisation's path, status or name, which grants' scopes and cached paths
/// depend on. Read before what it validates.
pub async fn tree_version(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let b = db.get_database_backend();
    let row = db
        .query_one_raw(raw(b, "SELECT version FROM org_tree_version WHERE id = 1", vec![]))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("org_tree_version".into()))?;
    row.try_get("", "version")
}

/// Bumps [`tree_version`]: called by every write below that changes a path, a status or a name.
async fn tree_changed(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    db.execute_raw(raw(b, "UPDATE org_tree_version SET version = version + 1 WHERE id = 1", vec![])).await?;
    Ok(())
}

/// Inserts an organisation under `parent` (None: a new root).
pub async fn insert(db: &impl ConnectionTrait, parent: Option<&Org>, f: OrgFields) -> Result<Org, DbErr> {
    let now = Utc::now();
    let path_of = |id: i64| match parent {
        Some(p) => format!("{}{id}/", p.path),
        None => format!("/{id}/"),
    };
    // PostgreSQL hands out the id first, so the path is written once: rewriting it fires the
    // triggers that follow an organisation's move (`outflow_tallies_orgs`), which made each insert
    // cost milliseconds (docs/performance.md, round 7).
    let id = if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        let row = db
            .query_one_raw(sea_orm::Statement::from_string(
                sea_orm::DatabaseBackend::Postgres,
                "SELECT nextval(pg_get_serial_sequence('orgs', 'id')) AS n",
            ))
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("orgs id sequence".into()))?;
        Some(row.try_get::<i64>("", "n")?)
    } else {
        None
    };
    let am = org::ActiveModel {
        id: id.map(Set).unwrap_or_default(),
        parent_id: Set(parent.map(|p| p.id)),
        // On SQLite a unique placeholder until the id is known.
        path: Set(id
            .map(path_of)
            .unwrap_or_else(|| format!("/new-{}/", now.timestamp_nanos_opt().unwrap_or_default()))),
        depth: Set(parent.map(|p| p.depth + 1).unwrap_or(1)),
        name: Set(f.name),
        kind: Set(f.kind),
        host_kind: Set(f.host_kind),
        host_name: Set(f.host_name),
        province_code: Set(f.province_code),
        city_code: Set(f.city_code),
        county_code: Set(f.county_code),
        secretary: Set(f.secretary),
        founded_on: Set(f.founded_on),
        contact: Set(f.contact),
        status: Set("active".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let m = am.insert(db).await?;
    if id.is_some() {
        return Ok(m);
    }
    let path = path_of(m.id);
    let mut am: org::ActiveModel = m.into();
    am.path = Set(path);
    am.update(db).await
}

pub async fn update_fields(db: &impl ConnectionTrait, current: Org, f: OrgFields) -> Result<Org, DbErr> {
    let mut am: org::ActiveModel = current.into();
    am.name = Set(f.name);
    am.kind = Set(f.kind);
    am.host_kind = Set(f.host_kind);
    am.host_name = Set(f.host_name);
    am.province_code = Set(f.province_code);
    am.city_code = Set(f.city_code);
    am.county_code = Set(f.county_code);
    am.secretary = Set(f.secretary);
    am.founded_on = Set(f.founded_on);
    am.contact = Set(f.contact);
    am.updated_at = Set(Utc::now());
    tree_changed(db).await?;
    am.update(db).await
}

pub async fn set_status(db: &impl ConnectionTrait, current: Org, status: &str) -> Result<Org, DbErr> {
    let mut am: org::ActiveModel = current.into();
    am.status = Set(status.to_string());
    am.dissolved_on = Set((status == "dissolved").then(|| (Utc::now() + chrono::Duration::hours(8)).date_naive()));
    am.updated_at = Set(Utc::now());
    tree_changed(db).await?;
    am.update(db).await
}

/// Every copy of an organisation's path kept beside the organisation id, so that subtree filters are one
/// indexed range: a move rewrites them all in the same transaction.
pub const PATH_COPIES: &[(&str, &str)] = &[
    ("members", "org_path"),
    ("activity_orgs", "org_path"),
    ("census_campaigns", "org_path"),
    ("census_entries", "org_path"),
    ("community_members", "org_path"),
    ("instructor_groups", "org_path"),
    ("instructor_assignments", "org_path"),
    ("visits", "org_path"),
    ("task_lists", "org_path"),
    ("tasks", "owner_path"),
    ("task_orgs", "org_path"),
    ("evaluations", "org_path"),
    ("reviews", "org_path"),
    ("brand_projects", "org_path"),
    ("incentive_grants", "org_path"),
    ("hosts", "org_path"),
    ("coverage_censuses", "org_path"),
    ("coverage_census_entries", "org_path"),
    ("service_places", "org_path"),
    ("service_requests", "org_path"),
    ("outreach_visits", "org_path"),
    ("needs", "org_path"),
    ("invitations", "org_path"),
    ("bulletins", "org_path"),
    ("outbox", "org_path"),
    ("robots", "org_path"),
    ("greetings", "org_path"),
    ("investment_drives", "org_path"),
    ("investment_leads", "org_path"),
    ("care_donations", "org_path"),
    ("care_aids", "org_path"),
    ("honour_campaigns", "org_path"),
    ("honour_quotas", "org_path"),
    ("honour_nominations", "org_path"),
    ("recruits", "org_path"),
    ("transfers", "from_org_path"),
    ("transfers", "to_org_path"),
];

/// Moves `org` and its whole subtree under `new_parent`, rewriting every path
/// (organisations and every copy) in the caller's transaction.
pub async fn move_subtree(db: &impl ConnectionTrait, org: &Org, new_parent: &Org) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    let old = org.path.clone();
    let new = format!("{}{}/", new_parent.path, org.id);
    let upper = format!("{}0", &old[..old.len() - 1]);
    let depth_delta = new_parent.depth + 1 - org.depth;
    let from = (old.len() + 1) as i32;
    tree_changed(db).await?;
    db.execute_raw(raw(
        b,
        "UPDATE orgs SET path = ? || substr(path, ?), depth = depth + ? WHERE path >= ? AND path < ?",
        vec![new.clone().into(), from.into(), depth_delta.into(), old.clone().into(), upper.clone().into()],
    ))
    .await?;
    for (table, col) in PATH_COPIES {
        db.execute_raw(raw(
            b,
            &format!("UPDATE {table} SET {col} = ? || substr({col}, ?) WHERE {col} >= ? AND {col} < ?"),
            vec![new.clone().into(), from.into(), old.clone().into(), upper.clone().into()],
        ))
        .await?;
    }
    org::Entity::update_many()
        .col_expr(org::Column::ParentId, Expr::value(new_parent.id))
        .col_expr(org::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(org::Column::Id.eq(org.id))
        .exec(db)
        .await?;
    Ok(())
}

/// Filters of the organisation list.
#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    pub parent: Option<i64>,
    pub subtree: Option<String>,
    pub q: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
}

pub async fn list(db: &impl ConnectionTrait, scope: &Scope, f: &OrgFilter, page: PageReq) -> Result<Page<Org>, DbErr> {
    // A subtree the caller checked against the scope replaces the scope's ranges.
    let mut q = match &f.subtree {
        Some(s) => org::Entity::find().filter(subtree_condition(org::Column::Path, s)),
        None => org::Entity::find().filter(scope.condition(org::Column::Path)),
    };
    if let Some(p) = f.parent {
        q = q.filter(org::Column::ParentId.eq(p));
    }
    if let Some(name) = &f.q {
        q = q.filter(org::Column::Name.contains(name));
    }
    if let Some(k) = &f.kind {
        q = q.filter(org::Column::Kind.eq(k));
    }
    if let Some(s) = &f.status {
        q = q.filter(org::Column::Status.eq(s));
    }
    let total = q.clone().count(db).await?;
    let items = q.order_by_asc(org::Column::Path).offset(page.offset()).limit(page.per_page).all(db).await?;
    Ok(Page { items, total })
}

/// (id, name, path) of every active organisation in `scope`, for matching names in an upload. Three
/// columns only: the whole rows of a city's 20,000 organisations took about 40 MB while they were read.
pub async fn active_names(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<(i64, String, String)>, DbErr> {
    org::Entity::find()
        .select_only()
        .columns([org::Column::Id, org::Column::Name, org::Column::Path])
        .filter(scope.condition(org::Column::Path))
        .filter(org::Column::Status.eq("active"))
        .into_tuple()
        .all(db)
        .await
}

/// Active children count and member count for each id.
pub async fn counts(db: &impl ConnectionTrait, orgs: &[Org]) -> Result<Vec<(u64, u64)>, DbErr> {
    let mut out = Vec::with_capacity(orgs.len());
    for o in orgs {
        let children = org::Entity::find()
            .filter(org::Column::ParentId.eq(o.id))
            .filter(org::Column::Status.eq("active"))
            .count(db)
            .await?;
        let members = member::Entity::find()
            .filter(member::Column::OrgId.eq(o.id))
            .filter(member::Column::Status.eq("normal"))
            .count(db)
            .await?;
        out.push((children, members));
    }
    Ok(out)
}

/// Counts of organisations by kind within a subtree.
pub async fn count_by_kind(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<(String, i64)>, DbErr> {
    let rows: Vec<(String, i64)> = org::Entity::find()
        .select_only()
        .column(org::Column::Kind)
        .column_as(org::Column::Id.count(), "n")
        .filter(scope.condition(org::Column::Path))
        .filter(org::Column::Status.eq("active"))
        .group_by(org::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows)
}

/// The secretary's name shown with the organisation, kept from its committee when one is elected.
pub async fn set_secretary(db: &impl ConnectionTrait, current: Org, secretary: Option<String>) -> Result<Org, DbErr> {
    let mut am: org::ActiveModel = current.into();
    am.secretary = Set(secretary);
    am.updated_at = Set(Utc::now());
    am.update(db).await
}
