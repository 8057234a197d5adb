//! Needs (诉求与建议) and their threads: who reaches which (the requester, the contacts of the
//! enterprise it is about, the service team of the organisations in a scope), lists and messages.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::Scope;
use crate::entity::services::{need, need_message};
use crate::repo::{Page, PageReq};

pub use need::Model as Need;
pub use need_message::Model as NeedMessage;

/// Whose needs a caller reaches: those of organisations in `orgs` (the service team, `need.write`),
/// those about the enterprises in `hosts` (their contacts), and their own (`requester`).
#[derive(Debug, Clone)]
pub struct NeedReach {
    pub orgs: Scope,
    pub hosts: Vec<i64>,
    pub requester: Option<i64>,
}

impl NeedReach {
    fn condition(&self) -> Condition {
        let mut any = Condition::any();
        if self.orgs != Scope::none() {
            any = any.add(self.orgs.condition(need::Column::OrgPath));
        }
        if !self.hosts.is_empty() {
            any = any.add(need::Column::HostId.is_in(self.hosts.iter().copied()));
        }
        if let Some(u) = self.requester {
            any = any.add(need::Column::RequesterId.eq(u));
        }
        if self.orgs == Scope::none() && self.hosts.is_empty() && self.requester.is_none() {
            any = any.add(Expr::cust("1 = 0"));
        }
        any
    }
}

/// A need as it is asked: open, nothing matched yet.
pub struct NewNeed {
    pub county_path: String,
    pub org_id: i64,
    pub org_path: String,
    /// need, suggestion, complaint.
    pub kind: String,
    /// member, enterprise, console, census.
    pub source: String,
    pub requester_id: Option<i64>,
    pub requester_name: String,
    /// The enterprise it is about (id, name).
    pub host: Option<(i64, String)>,
    pub title: String,
    pub description: String,
    /// JSON list of tags.
    pub tags: String,
    pub created_by: Option<i64>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

pub async fn insert(db: &impl ConnectionTrait, n: NewNeed) -> Result<Need, DbErr> {
    let (host_id, host_name) = match n.host {
        Some((id, name)) => (Some(id), name),
        None => (None, String::new()),
    };
    need::ActiveModel {
        county_path: Set(n.county_path),
        org_id: Set(n.org_id),
        org_path: Set(n.org_path),
        kind: Set(n.kind),
        source: Set(n.source),
        requester_id: Set(n.requester_id),
        requester_name: Set(n.requester_name),
        host_id: Set(host_id),
        host_name: Set(host_name),
        title: Set(n.title),
        description: Set(n.description),
        tags: Set(n.tags),
        status: Set("open".into()),
        match_kind: Set(None),
        match_id: Set(None),
        match_name: Set(String::new()),
        match_reason: Set(String::new()),
        outcome: Set(String::new()),
        matched_on: Set(None),
        closed_on: Set(None),
        created_by: Set(n.created_by),
        created_at: Set(n.created_at),
        updated_at: Set(n.created_at),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Writes every field of `n` back.
pub async fn save(db: &impl ConnectionTrait, mut n: Need) -> Result<Need, DbErr> {
    n.updated_at = Utc::now();
    let am: need::ActiveModel = n.into();
    am.reset_all().update(db).await
}

/// The need if the caller reaches it, else `None`.
pub async fn get(db: &impl ConnectionTrait, reach: &NeedReach, id: i64) -> Result<Option<Need>, DbErr> {
    need::Entity::find_by_id(id).filter(reach.condition()).one(db).await
}

/// What a list asks for besides the reach.
#[derive(Debug, Clone, Default)]
pub struct NeedFilter {
    pub status: Option<String>,
    pub kind: Option<String>,
    pub source: Option<String>,
    pub host_id: Option<i64>,
    /// Only the ones this user asked.
    pub mine: Option<i64>,
}

/// A page of the needs the caller reaches: open ones first, then the newest.
pub async fn list(
    db: &impl ConnectionTrait,
    reach: &NeedReach,
    f: &NeedFilter,
    page: PageReq,
) -> Result<Page<Need>, DbErr> {
    use need::Column as C;
    let mut q = need::Entity::find().filter(reach.condition());
    if let Some(s) = &f.status {
        q = q.filter(C::Status.eq(s.as_str()));
    }
    if let Some(k) = &f.kind {
        q = q.filter(C::Kind.eq(k.as_str()));
    }
    if let Some(s) = &f.source {
        q = q.filter(C::Source.eq(s.as_str()));
    }
    if let Some(h) = f.host_id {
        q = q.filter(C::HostId.eq(h));
    }
    if let Some(u) = f.mine {
        q = q.filter(C::RequesterId.eq(u));
    }
    let total = q.clone().count(db).await?;
    let items = q
        .order_by_asc(Expr::cust("CASE WHEN status IN ('open', 'matched') THEN 0 ELSE 1 END"))
        .order_by_desc(C::CreatedAt)
        .order_by_desc(C::Id)
        .limit(page.per_page)
        .offset(page.offset())
        .all(db)
        .await?;
    Ok(Page { items, total })
}

/// How many needs of `scope` are in each status.
pub async fn count_by_status(db: &impl ConnectionTrait, reach: &NeedReach) -> Result<Vec<(String, i64)>, DbErr> {
    need::Entity::find()
        .select_only()
        .column(need::Column::Status)
        .column_as(need::Column::Id.count(), "n")
        .filter(reach.condition())
        .group_by(need::Column::Status)
        .into_tuple()
        .all(db)
        .await
}

pub async fn add_message(
    db: &impl ConnectionTrait,
    need: &Need,
    author: (Option<i64>, &str),
    from_requester: bool,
    body: &str,
) -> Result<NeedMessage, DbErr> {
    need_message::ActiveModel {
        need_id: Set(need.id),
        at: Set(Utc::now()),
        author_id: Set(author.0),
        author_name: Set(author.1.to_string()),
        from_requester: Set(from_requester),
        body: Set(body.to_string()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Dates a message of the demo (hours after 09:00 Beijing time on `on`).
pub async fn set_message_time(
    db: &impl ConnectionTrait,
    m: NeedMessage,
    at: chrono::DateTime<Utc>,
) -> Result<NeedMessage, DbErr> {
    let mut am: need_message::ActiveModel = m.into();
    am.at = Set(at);
    am.update(db).await
}

/// A need's thread, oldest first (the need already reached).
pub async fn messages(db: &impl ConnectionTrait, need: &Need) -> Result<Vec<NeedMessage>, DbErr> {
    need_message::Entity::find()
        .filter(need_message::Column::NeedId.eq(need.id))
        .order_by_asc(need_message::Column::At)
        .order_by_asc(need_message::Column::Id)
        .all(db)
        .await
}

/// How many messages each of these needs has.
pub async fn message_counts(db: &impl ConnectionTrait, ids: &[i64]) -> Result<Vec<(i64, i64)>, DbErr> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    need_message::Entity::find()
        .select_only()
        .column(need_message::Column::NeedId)
        .column_as(need_message::Column::Id.count(), "n")
        .filter(need_message::Column::NeedId.is_in(ids.iter().copied()))
        .group_by(need_message::Column::NeedId)
        .into_tuple()
        .all(db)
        .await
}
