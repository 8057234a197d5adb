//! The policy library (惠企政策) and its full-text search: bigram text (`honglian_domain::services::search`)
//! matched with FTS5 on SQLite and a tsvector on PostgreSQL (migration 0017), ranked, filtered and paged.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, Set, Value,
};

use crate::entity::services::policy;
use crate::repo::PageReq;
use crate::repo::members::mobility::scope_sql;
use crate::{Scope, raw};

pub use policy::Model as Policy;

/// The editable fields, validated by the caller (lists as JSON, search text already tokenized).
#[derive(Debug, Clone)]
pub struct PolicyFields {
    pub department_id: i64,
    pub doc_no: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub issued_on: NaiveDate,
    pub effective_from: NaiveDate,
    pub effective_until: Option<NaiveDate>,
    pub industries: String,
    pub sizes: String,
    pub tags: String,
    pub search_title: String,
    pub search_body: String,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    county_path: &str,
    f: PolicyFields,
    by: Option<i64>,
) -> Result<Policy, DbErr> {
    let now = Utc::now();
    let mut am = policy::ActiveModel {
        county_path: Set(county_path.to_string()),
        created_by: Set(by),
        created_at: Set(now),
        ..Default::default()
    };
    set_fields(&mut am, f);
    am.insert(db).await
}

fn set_fields(am: &mut policy::ActiveModel, f: PolicyFields) {
    am.department_id = Set(f.department_id);
    am.doc_no = Set(f.doc_no);
    am.title = Set(f.title);
    am.summary = Set(f.summary);
    am.body = Set(f.body);
    am.issued_on = Set(f.issued_on);
    am.effective_from = Set(f.effective_from);
    am.effective_until = Set(f.effective_until);
    am.industries = Set(f.industries);
    am.sizes = Set(f.sizes);
    am.tags = Set(f.tags);
    am.search_title = Set(f.search_title);
    am.search_body = Set(f.search_body);
    am.updated_at = Set(Utc::now());
}

pub async fn update(db: &impl ConnectionTrait, current: Policy, f: PolicyFields) -> Result<Policy, DbErr> {
    let mut am: policy::ActiveModel = current.into();
    set_fields(&mut am, f);
    am.update(db).await
}

/// The policy if its county lies in `scope`, else `None`.
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Policy>, DbErr> {
    policy::Entity::find_by_id(id).filter(scope.condition(policy::Column::CountyPath)).one(db).await
}

/// What a search asks for besides its words.
#[derive(Debug, Clone, Default)]
pub struct PolicyFilter {
    /// The FTS5 MATCH expression and the tsquery of the words, if any.
    pub matching: Option<(String, String)>,
    pub department_id: Option<i64>,
    /// Policies limited to this industry or to none.
    pub industry: Option<String>,
    /// Policies open to this enterprise size or to every size.
    pub size: Option<String>,
    /// `Some(true)`: in force on `today` (no last day, or not before it); `Some(false)`: expired.
    pub in_force: Option<bool>,
    pub today: Option<NaiveDate>,
}

/// One page of the policies in `scope` matching `f`, best match first (newest first without words),
/// and how many match in all.
pub async fn search(
    db: &impl ConnectionTrait,
    scope: &Scope,
    f: &PolicyFilter,
    page: PageReq,
) -> Result<(Vec<Policy>, u64), DbErr> {
    let b = db.get_database_backend();
    let mut values: Vec<Value> = Vec::new();
    let mut from = "policies p".to_string();
    let mut wh = vec![scope_sql(scope, "p.county_path", &mut values)];
    let mut order = "p.issued_on DESC, p.id DESC".to_string();
    if let Some((fts5, tsquery)) = &f.matching {
        if b == DatabaseBackend::Postgres {
            wh.push("p.search @@ to_tsquery('simple', ?)".into());
            values.push(tsquery.clone().into());
            // ts_rank: weight A (the title) counts over B (the text).
            order = format!("ts_rank(p.search, to_tsquery('simple', '{}')) DESC, {order}", tsquery.replace('\'', "''"));
        } else {
            from = "policies_fts JOIN policies p ON p.id = policies_fts.rowid".into();
            wh.push("policies_fts MATCH ?".into());
            values.push(fts5.clone().into());
            // bm25 is lower for better matches; a word in the title counts ten times one in the text.
            order = format!("bm25(policies_fts, 10.0, 1.0), {order}");
        }
    }
    if let Some(d) = f.department_id {
        wh.push("p.department_id = ?".into());
        values.push(d.into());
    }
    if let Some(i) = &f.industry {
        wh.push("(p.industries = '[]' OR p.industries LIKE ?)".into());
        values.push(format!("%{}%", serde_json::to_string(i).unwrap_or_default()).into());
    }
    if let Some(s) = &f.size {
        wh.push("(p.sizes = '[]' OR p.sizes LIKE ?)".into());
        values.push(format!("%{}%", serde_json::to_string(s).unwrap_or_default()).into());
    }
    if let (Some(in_force), Some(today)) = (f.in_force, f.today) {
        wh.push(if in_force {
            "(p.effective_until IS NULL OR p.effective_until >= ?)".into()
        } else {
            "p.effective_until < ?".into()
        });
        values.push(today.into());
    }
    let wh = wh.join(" AND ");
    let total: i64 = db
        .query_one_raw(raw(b, &format!("SELECT COUNT(*) AS n FROM {from} WHERE {wh}"), values.clone()))
        .await?
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    values.push((page.per_page as i64).into());
    values.push((page.offset() as i64).into());
    let rows = db
        .query_all_raw(raw(b, &format!("SELECT p.id FROM {from} WHERE {wh} ORDER BY {order} LIMIT ? OFFSET ?"), values))
        .await?;
    let ids: Vec<i64> = rows.into_iter().map(|r| r.try_get("", "id")).collect::<Result<_, _>>()?;
    let mut found = policy::Entity::find().filter(policy::Column::Id.is_in(ids.iter().copied())).all(db).await?;
    found.sort_by_key(|p| ids.iter().position(|i| *i == p.id));
    Ok((found, total.max(0) as u64))
}

/// How many policies each department of `scope` has (in force or not).
pub async fn count_by_department(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<(i64, i64)>, DbErr> {
    let b = db.get_database_backend();
    let mut values = Vec::new();
    let wh = scope_sql(scope, "county_path", &mut values);
    let rows = db
        .query_all_raw(raw(
            b,
            &format!("SELECT department_id, COUNT(*) AS n FROM policies WHERE {wh} GROUP BY department_id"),
            values,
        ))
        .await?;
    rows.into_iter().map(|r| Ok((r.try_get("", "department_id")?, r.try_get("", "n")?))).collect()
}
