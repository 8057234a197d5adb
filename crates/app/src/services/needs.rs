//! Needs and matching (诉求与建议): needs, suggestions and complaints collected from members (on the
//! phone, their own organisation), from enterprise contacts (their enterprise's organisation) and in
//! the console (`need.write`, for a member or an enterprise, recorded or collected in a census). Each
//! has a thread in which the requester and the service team write. For an open need the team sees
//! suggested matches with a reason — the county's policies in force (full-text search on the need's
//! words and tags), service places whose services or windows mention them, departments through the
//! request categories named by them — accepts one (the requester reads it in the thread; a
//! department may be asked at once through a 红链直通车 request) and records the outcome.
//!
//! Who reaches a need: the requester, the contacts of the enterprise it is about, and the service team
//! over the organisation that collected it. Nobody else learns that it exists.

use std::collections::HashMap;

use chrono::NaiveDate;
use honglian_domain::platform::authz::Permission;
use honglian_domain::services::need::{
    self, MatchKind, NeedKind, NeedSource, NeedStatus, NeedStep, keywords, words_in,
};
use honglian_domain::services::request::{RequestStatus, RequesterKind};
use honglian_domain::services::search;
use honglian_domain::validation::{optional_text, required_text};
use honglian_domain::{FieldErrors, PageNo, PerPage};
use honglian_store::Scope;
use honglian_store::repo::PageReq;
use honglian_store::repo::members::registry as members;
use honglian_store::repo::organisations::hosts;
use honglian_store::repo::platform::users;
use honglian_store::repo::services::needs::{self, Need, NeedFilter, NeedMessage, NeedReach};
use honglian_store::repo::services::policies::{self, PolicyFilter};
use honglian_store::repo::services::{departments, places, requests};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::outreach::LinkedRequest;
use crate::org_life::activities::OrgName;
use crate::platform::audit::Event;
use crate::platform::settings::county_of;
use crate::{App, AppError, AppResult, Ctx};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NeedView {
    pub id: i64,
    pub kind: NeedKind,
    pub kind_label: String,
    pub source: NeedSource,
    pub source_label: String,
    pub status: NeedStatus,
    pub status_label: String,
    /// The organisation that collected it.
    pub org: OrgName,
    pub requester_name: String,
    pub host_name: String,
    pub title: String,
    pub description: String,
    pub tags: Vec<String>,
    pub match_kind: Option<MatchKind>,
    pub match_kind_label: Option<String>,
    pub match_name: String,
    pub match_reason: String,
    pub outcome: String,
    pub matched_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Messages in the thread.
    pub messages: u64,
    /// The caller asked it (or speaks for its enterprise).
    pub mine: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MessageView {
    pub at: chrono::DateTime<chrono::Utc>,
    pub author_name: String,
    /// Written by the requester (else by the service team).
    pub from_requester: bool,
    pub body: String,
}

/// A suggested match and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggestion {
    pub kind: MatchKind,
    pub kind_label: String,
    /// The policy, place or department.
    pub id: i64,
    pub name: String,
    pub reason: String,
    /// For a department: the request category that names the need's words.
    pub category_id: Option<i64>,
    pub category_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NeedDetail {
    pub need: NeedView,
    pub messages: Vec<MessageView>,
    /// For the service team while the need is open.
    pub suggestions: Vec<Suggestion>,
    /// The caller serves the need (accepts a match, records the outcome).
    pub can_serve: bool,
    /// The caller may write in the thread now.
    pub can_reply: bool,
    /// The 红链直通车 request it was passed to, if the caller reaches it.
    pub match_request: Option<LinkedRequest>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusCount {
    pub status: NeedStatus,
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NeedPage {
    pub items: Vec<NeedView>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// How many of the needs the caller reaches are in each status (whatever the filters).
    pub counts: Vec<StatusCount>,
    /// The suggested tags.
    pub tag_vocabulary: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NeedInput {
    pub kind: NeedKind,
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Console: the organisation recording it (the service team's). Without it, a member or an
    /// enterprise contact submits their own.
    #[serde(default)]
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub org_id: Option<i64>,
    /// Console: the member it is for (in the organisation's subtree).
    #[serde(default)]
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub member_id: Option<i64>,
    /// Console: the enterprise it is for (from the organisation's coverage registry); an enterprise
    /// contact of several enterprises names theirs.
    #[serde(default)]
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub host_id: Option<i64>,
    /// Console: recorded (default) or collected in a census.
    #[serde(default)]
    pub source: Option<NeedSource>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MessageInput {
    pub body: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AcceptInput {
    /// One of the suggestions: its kind and id.
    pub kind: MatchKind,
    #[schema(value_type = honglian_domain::RecordId)]
    pub id: i64,
    /// Said to the requester in the thread.
    #[serde(default)]
    pub note: Option<String>,
    /// For a department: ask it at once through a 红链直通车 request in the suggested category.
    #[serde(default)]
    pub create_request: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct OutcomeInput {
    pub resolved: bool,
    /// Required when unresolved: why.
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NeedQuery {
    #[param(inline)]
    pub status: Option<NeedStatus>,
    #[param(inline)]
    pub kind: Option<NeedKind>,
    #[param(inline)]
    pub source: Option<NeedSource>,
    /// Only the ones I asked (or my enterprise did).
    pub mine: Option<bool>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

fn status_of(n: &Need) -> NeedStatus {
    NeedStatus::from_code(&n.status).unwrap_or(NeedStatus::Open)
}

fn tags_of(n: &Need) -> Vec<String> {
    serde_json::from_str(&n.tags).unwrap_or_default()
}

fn json_list<T: Serialize>(v: &[T]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

impl App {
    /// The needs the caller reaches: the service team's organisations, their enterprises' and their own.
    fn need_reach(&self, ctx: &Ctx) -> AppResult<NeedReach> {
        let actor = ctx.actor()?;
        let reach = NeedReach {
            orgs: actor.scope(Permission::NeedWrite).unwrap_or(Scope::none()),
            hosts: actor.hosts(Permission::EnterpriseSelf),
            requester: Some(actor.user_id),
        };
        if reach.orgs == Scope::none() && reach.hosts.is_empty() && !actor.has(Permission::MemberSelf) {
            return Err(AppError::forbidden());
        }
        Ok(reach)
    }

    /// Whether the caller serves this need (the service team over its organisation).
    fn serves(&self, ctx: &Ctx, n: &Need) -> bool {
        ctx.actor().is_ok_and(|a| a.scope(Permission::NeedWrite).is_ok_and(|s| s.contains(&n.org_path)))
    }

    /// Whether the caller asked this need or speaks for its enterprise.
    fn asked(&self, ctx: &Ctx, n: &Need) -> bool {
        ctx.actor().is_ok_and(|a| {
            n.requester_id == Some(a.user_id)
                || n.host_id.is_some_and(|h| a.hosts(Permission::EnterpriseSelf).contains(&h))
        })
    }

    async fn need_views(&self, ctx: &Ctx, list: Vec<Need>) -> AppResult<Vec<NeedView>> {
        let ids: Vec<i64> = list.iter().map(|n| n.id).collect();
        let counts: HashMap<i64, i64> = needs::message_counts(&self.db, &ids).await?.into_iter().collect();
        let names = self.org_names(&list.iter().map(|n| n.org_id).collect::<Vec<_>>()).await?;
        Ok(list
            .into_iter()
            .map(|n| {
                let status = status_of(&n);
                let kind = NeedKind::from_code(&n.kind).unwrap_or(NeedKind::Need);
                let source = NeedSource::from_code(&n.source).unwrap_or(NeedSource::Console);
                let match_kind = n.match_kind.as_deref().and_then(MatchKind::from_code);
                NeedView {
                    org: OrgName { id: n.org_id, name: names.get(&n.org_id).cloned().unwrap_or_default() },
                    kind_label: kind.label().into(),
                    source_label: source.label().into(),
                    status_label: status.label().into(),
                    match_kind_label: match_kind.map(|k| k.label().to_string()),
                    messages: counts.get(&n.id).copied().unwrap_or(0).max(0) as u64,
                    mine: self.asked(ctx, &n),
                    tags: tags_of(&n),
                    kind,
                    source,
                    status,
                    match_kind,
                    id: n.id,
                    requester_name: n.requester_name,
                    host_name: n.host_name,
                    title: n.title,
                    description: n.description,
                    match_name: n.match_name,
                    match_reason: n.match_reason,
                    outcome: n.outcome,
                    matched_on: n.matched_on,
                    closed_on: n.closed_on,
                    created_at: n.created_at,
                }
            })
            .collect())
    }

    async fn need_detail_of(&self, ctx: &Ctx, n: Need) -> AppResult<NeedDetail> {
        let messages = needs::messages(&self.db, &n)
            .await?
            .into_iter()
            .map(|m: NeedMessage| MessageView {
                at: m.at,
                author_name: m.author_name,
                from_requester: m.from_requester,
                body: m.body,
            })
            .collect();
        let can_serve = self.serves(ctx, &n);
        let status = status_of(&n);
        let suggestions =
            if can_serve && status == NeedStatus::Open { self.need_suggestions(&self.db, &n).await? } else { vec![] };
        let match_request = match (n.match_kind.as_deref(), n.match_id, self.request_reach(ctx)) {
            (Some("request"), Some(id), Ok(reach)) => requests::get(&self.db, &reach, id).await?.map(|r| {
                let s = RequestStatus::from_code(&r.status).unwrap_or(RequestStatus::Submitted);
                LinkedRequest { id: r.id, title: r.title, status: s, status_label: s.label().into() }
            }),
            _ => None,
        };
        Ok(NeedDetail {
            can_reply: need::allowed(status, NeedStep::Message).is_ok(),
            need: self.need_views(ctx, vec![n]).await?.remove(0),
            messages,
            suggestions,
            can_serve,
            match_request,
        })
    }

    /// Suggested matches for a need, each with its reason: up to five policies of its county in force
    /// (best match first), three service places and three departments.
    pub(crate) async fn need_suggestions(&self, db: &impl ConnectionTrait, n: &Need) -> AppResult<Vec<Suggestion>> {
        let text = format!("{}\n{}", n.title, n.description);
        let words = keywords(&text, &tags_of(n));
        if words.is_empty() {
            return Ok(vec![]);
        }
        let county = Scope::Paths(vec![n.county_path.clone()]);
        let mut out = Vec::new();
        // Policies: any of the words (each a phrase), ranked by the search.
        let queries: Vec<search::Query> = words.iter().filter_map(|w| search::parse_query(w)).collect();
        if !queries.is_empty() {
            let fts5 = queries.iter().map(|q| format!("({})", q.fts5())).collect::<Vec<_>>().join(" OR ");
            let tsquery = queries.iter().map(|q| format!("({})", q.tsquery())).collect::<Vec<_>>().join(" | ");
            let f = PolicyFilter {
                matching: Some((fts5, tsquery)),
                in_force: Some(true),
                today: Some(crate::today()),
                ..Default::default()
            };
            let (found, _) = policies::search(db, &county, &f, PageReq::new(Some(1), Some(5))).await?;
            let depts = departments::names(db, &found.iter().map(|p| p.department_id).collect::<Vec<_>>()).await?;
            for p in found {
                let hay = format!("{}\n{}\n{}", p.title, p.summary, p.tags);
                let mut hit = words_in(&words, &hay);
                if hit.is_empty() {
                    hit = words_in(&words, &p.body);
                }
                out.push(Suggestion {
                    kind: MatchKind::Policy,
                    kind_label: MatchKind::Policy.label().into(),
                    reason: need::policy_reason(&p.title, &hit, depts.get(&p.department_id).map_or("", |s| s)),
                    id: p.id,
                    name: p.title,
                    category_id: None,
                    category_name: None,
                });
            }
        }
        // Places of the county whose services or windows name the words, the most words first.
        let mut ps: Vec<(usize, Suggestion)> = places::list(db, &county, None)
            .await?
            .into_iter()
            .filter_map(|p| {
                let hit = words_in(&words, &format!("{} {}", p.offers, p.windows));
                (!hit.is_empty()).then(|| {
                    (
                        hit.len(),
                        Suggestion {
                            kind: MatchKind::Place,
                            kind_label: MatchKind::Place.label().into(),
                            reason: need::place_reason(&p.name, &hit),
                            id: p.id,
                            name: p.name.clone(),
                            category_id: None,
                            category_name: None,
                        },
                    )
                })
            })
            .collect();
        ps.sort_by_key(|(n, s)| (std::cmp::Reverse(*n), s.id));
        out.extend(ps.into_iter().take(3).map(|(_, s)| s));
        // Departments through the categories whose names carry the words.
        let cats = requests::categories(db, &county).await?;
        let depts = departments::names(db, &cats.iter().map(|c| c.department_id).collect::<Vec<_>>()).await?;
        let mut seen = Vec::new();
        for c in cats {
            let hit = words_in(&words, &c.name);
            if hit.is_empty() || seen.contains(&c.department_id) || seen.len() == 3 {
                continue;
            }
            seen.push(c.department_id);
            let dept = depts.get(&c.department_id).cloned().unwrap_or_default();
            out.push(Suggestion {
                kind: MatchKind::Department,
                kind_label: MatchKind::Department.label().into(),
                reason: need::department_reason(&dept, &c.name, &hit),
                id: c.department_id,
                name: dept,
                category_id: Some(c.id),
                category_name: Some(c.name),
            });
        }
        Ok(out)
    }

    /// The needs the caller reaches, open ones first.
    pub async fn need_list(&self, ctx: &Ctx, q: NeedQuery) -> AppResult<NeedPage> {
        let reach = self.need_reach(ctx)?;
        let actor = ctx.actor()?;
        let mut f = NeedFilter {
            status: q.status.map(|s| s.code().to_string()),
            kind: q.kind.map(|s| s.code().to_string()),
            source: q.source.map(|s| s.code().to_string()),
            ..Default::default()
        };
        let page = PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into));
        let mine_only = q.mine.unwrap_or(false);
        let list_reach = if mine_only { NeedReach { orgs: Scope::none(), ..reach.clone() } } else { reach.clone() };
        if mine_only && list_reach.hosts.is_empty() {
            f.mine = Some(actor.user_id);
        }
        let found = needs::list(&self.db, &list_reach, &f, page).await?;
        let by_status: HashMap<String, i64> =
            needs::count_by_status(&self.db, &list_reach).await?.into_iter().collect();
        Ok(NeedPage {
            items: self.need_views(ctx, found.items).await?,
            total: found.total,
            page: page.page,
            per_page: page.per_page,
            counts: NeedStatus::ALL
                .iter()
                .map(|s| StatusCount {
                    status: *s,
                    label: s.label().into(),
                    count: by_status.get(s.code()).copied().unwrap_or(0).max(0) as u64,
                })
                .collect(),
            tag_vocabulary: need::tag_vocabulary().into_iter().map(String::from).collect(),
        })
    }

    /// One need with its thread (and, for the service team while it is open, the suggestions).
    pub async fn need_get(&self, ctx: &Ctx, id: i64) -> AppResult<NeedDetail> {
        let reach = self.need_reach(ctx)?;
        let n = needs::get(&self.db, &reach, id).await?.ok_or_else(|| AppError::not_found("需求"))?;
        self.need_detail_of(ctx, n).await
    }

    /// Submits a need: a member's own, an enterprise contact's for their enterprise, or one recorded in
    /// the console for a member or an enterprise of the recording organisation.
    pub async fn need_submit(&self, ctx: &Ctx, input: NeedInput) -> AppResult<NeedDetail> {
        let actor = ctx.actor()?;
        let mut e = FieldErrors::new();
        // (organisation, source, requester user, requester name, enterprise)
        let (org, source, requester_id, requester_name, host) = if let Some(org_id) = input.org_id {
            let scope = actor.scope(Permission::NeedWrite)?;
            let org = self.org_in(&self.db, &scope, org_id).await?;
            let source = match input.source.unwrap_or(NeedSource::Console) {
                s @ (NeedSource::Console | NeedSource::Census) => s,
                _ => {
                    e.add("source", "后台登记的需求来源应为“后台登记”或“摸排收集”");
                    NeedSource::Console
                }
            };
            match (input.member_id, input.host_id) {
                (Some(m), None) => match members::get(&self.db, &Scope::Paths(vec![org.path.clone()]), m).await? {
                    Some(m) => {
                        let user = users::by_member(&self.db, m.id).await?.map(|u| u.id);
                        let own = self.org_in(&self.db, &scope, m.org_id).await?;
                        (own, source, user, m.name, None)
                    }
                    None => {
                        e.add("member_id", "请选择本组织的党员");
                        (org, source, None, String::new(), None)
                    }
                },
                (None, Some(h)) => match self.request_hosts_of(&org).await?.into_iter().find(|x| x.id == h) {
                    Some(h) => (org, source, None, h.name.clone(), Some(h)),
                    None => {
                        e.add("host_id", "请从本组织覆盖台账中选择企业");
                        (org, source, None, String::new(), None)
                    }
                },
                _ => {
                    e.add("host_id", "请选择提出需求的党员或企业（二选一）");
                    (org, source, None, String::new(), None)
                }
            }
        } else if !actor.hosts(Permission::EnterpriseSelf).is_empty() {
            let mine = actor.hosts(Permission::EnterpriseSelf);
            let id = match input.host_id {
                Some(h) if mine.contains(&h) => h,
                None if mine.len() == 1 => mine[0],
                _ => return Err(AppError::field("host_id", "请选择您所联络的企业")),
            };
            let scope = actor.scope(Permission::EnterpriseSelf)?;
            let h = hosts::get(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("企业"))?;
            let own = Scope::Paths(vec![h.org_path.clone()]);
            let org = self.org_in(&self.db, &own, h.org_id).await?;
            (org, NeedSource::Enterprise, Some(actor.user_id), actor.display_name.clone(), Some(h))
        } else if actor.has(Permission::MemberSelf) {
            let m = self.own_member(&self.db, ctx).await?;
            let own = Scope::Paths(vec![m.org_path.clone()]);
            let org = self.org_in(&self.db, &own, m.org_id).await?;
            (org, NeedSource::Member, Some(actor.user_id), m.name, None)
        } else {
            return Err(AppError::forbidden());
        };
        let title = e.check("title", required_text(&input.title, "标题", 60));
        let description = e.check("description", required_text(&input.description, "内容", 2000));
        let tags = e.check("tags", need::normalise_tags(&input.tags));
        e.into_result()?;
        let county_path = county_of(&org.path).map(|c| format!("/{c}/")).ok_or_else(AppError::forbidden)?;
        // Checked before the write begins: the write lock is held only for the writes.
        let txn = honglian_store::begin_write(&self.db).await?;
        let now = chrono::Utc::now();
        let n = needs::insert(
            &txn,
            needs::NewNeed {
                county_path,
                org_id: org.id,
                org_path: org.path.clone(),
                kind: input.kind.code().into(),
                source: source.code().into(),
                requester_id,
                requester_name,
                host: host.map(|h| (h.id, h.name)),
                title: title.expect("validated"),
                description: description.expect("validated"),
                tags: json_list(&tags.expect("validated")),
                created_by: Some(actor.user_id),
                created_at: now,
            },
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("need.submit", "need", n.id)
                .with(serde_json::json!({"org_id": n.org_id, "kind": n.kind, "source": n.source})),
        )
        .await?;
        txn.commit().await?;
        self.need_detail_of(ctx, n).await
    }

    /// Writes in a need's thread (the requester or the service team) while it is open or matched.
    pub async fn need_message(&self, ctx: &Ctx, id: i64, input: MessageInput) -> AppResult<NeedDetail> {
        let actor = ctx.actor()?;
        let reach = self.need_reach(ctx)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let n = needs::get(&txn, &reach, id).await?.ok_or_else(|| AppError::not_found("需求"))?;
        let body = required_text(&input.body, "留言", 1000).map_err(|m| AppError::field("body", m))?;
        need::allowed(status_of(&n), NeedStep::Message).map_err(AppError::conflict)?;
        let team = self.serves(ctx, &n);
        needs::add_message(&txn, &n, (Some(actor.user_id), &actor.display_name), !team, &body).await?;
        let n = needs::save(&txn, n).await?;
        self.audit(&txn, ctx, Event::ok("need.message", "need", n.id).with(serde_json::json!({"team": team}))).await?;
        txn.commit().await?;
        self.need_detail_of(ctx, n).await
    }

    /// The service team accepts one of the suggestions; the requester reads it in the thread. A
    /// department may be asked at once through a 红链直通车 request, which the need then follows.
    pub async fn need_accept(&self, ctx: &Ctx, id: i64, input: AcceptInput) -> AppResult<NeedDetail> {
        let actor = ctx.actor()?;
        let reach = self.need_reach(ctx)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let mut n = needs::get(&txn, &reach, id).await?.ok_or_else(|| AppError::not_found("需求"))?;
        if !self.serves(ctx, &n) {
            return Err(AppError::Forbidden("只有服务团队可以对接需求".into()));
        }
        need::allowed(status_of(&n), NeedStep::Accept).map_err(AppError::conflict)?;
        let note = optional_text(input.note.as_deref(), "说明", 1000).map_err(|m| AppError::field("note", m))?;
        if input.create_request && input.kind != MatchKind::Department {
            return Err(AppError::field("create_request", "只有对接县直部门时可以转为红链直通车诉求"));
        }
        let s = self
            .need_suggestions(&txn, &n)
            .await?
            .into_iter()
            .find(|s| s.kind == input.kind && s.id == input.id)
            .ok_or_else(|| AppError::field("id", "请从推荐的对接项中选择"))?;
        let today = crate::today();
        let (kind, match_id, name) = if input.create_request {
            let r = self.need_to_request(&txn, ctx, &n, s.category_id.unwrap_or_default()).await?;
            (MatchKind::Request, r.id, format!("{}（红链直通车）", s.name))
        } else {
            (s.kind, s.id, s.name.clone())
        };
        n.status = NeedStatus::Matched.code().into();
        n.match_kind = Some(kind.code().into());
        n.match_id = Some(match_id);
        n.match_name = name.clone();
        n.match_reason = s.reason.clone();
        n.matched_on = Some(today);
        let mut body = format!("已为您对接{}：{}。{}", s.kind_label, name, s.reason);
        if let Some(note) = &note {
            body.push('\n');
            body.push_str(note);
        }
        needs::add_message(&txn, &n, (Some(actor.user_id), &actor.display_name), false, &body).await?;
        let n = needs::save(&txn, n).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("need.accept", "need", n.id)
                .with(serde_json::json!({"match_kind": n.match_kind, "match_id": n.match_id})),
        )
        .await?;
        txn.commit().await?;
        self.need_detail_of(ctx, n).await
    }

    /// A 红链直通车 request for a need, in the suggested category, asked by the need's organisation.
    async fn need_to_request(
        &self,
        txn: &impl ConnectionTrait,
        ctx: &Ctx,
        n: &Need,
        category_id: i64,
    ) -> AppResult<requests::ServiceRequest> {
        let actor = ctx.actor()?;
        let county = Scope::Paths(vec![n.county_path.clone()]);
        let c = requests::category(txn, &county, category_id)
            .await?
            .ok_or_else(|| AppError::field("id", "请从推荐的对接项中选择"))?;
        let asker = super::requests::Asker {
            kind: if n.host_id.is_some() { RequesterKind::Branch } else { RequesterKind::Member },
            id: n.requester_id.or(Some(actor.user_id)),
            name: n.requester_name.clone(),
            org_id: n.org_id,
            org_path: n.org_path.clone(),
            host: n.host_id.map(|h| (h, n.host_name.clone())),
        };
        let description = format!("{}\n（由需求对接转来，需求编号 {}）", n.description, n.id);
        let r = self.file_request(txn, n.county_path.clone(), &c, asker, n.title.clone(), description).await?;
        requests::add_event(txn, &r, (Some(actor.user_id), &actor.display_name), "submit", None, "由需求对接转来")
            .await?;
        self.audit(
            txn,
            ctx,
            Event::ok("request.submit", "service_request", r.id).with(
                serde_json::json!({"category_id": r.category_id, "department_id": r.department_id, "need_id": n.id}),
            ),
        )
        .await?;
        Ok(r)
    }

    /// The service team records the outcome: resolved, or unresolved with the reason.
    pub async fn need_outcome(&self, ctx: &Ctx, id: i64, input: OutcomeInput) -> AppResult<NeedDetail> {
        let actor = ctx.actor()?;
        let reach = self.need_reach(ctx)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let mut n = needs::get(&txn, &reach, id).await?.ok_or_else(|| AppError::not_found("需求"))?;
        if !self.serves(ctx, &n) {
            return Err(AppError::Forbidden("只有服务团队可以登记办理结果".into()));
        }
        need::allowed(status_of(&n), NeedStep::Close).map_err(AppError::conflict)?;
        let note = optional_text(input.note.as_deref(), "办理结果说明", 1000)
            .map_err(|m| AppError::field("note", m))?
            .unwrap_or_default();
        if !input.resolved && note.is_empty() {
            return Err(AppError::field("note", "请说明未解决的原因"));
        }
        let status = if input.resolved { NeedStatus::Resolved } else { NeedStatus::Unresolved };
        n.status = status.code().into();
        n.outcome = note.clone();
        n.closed_on = Some(crate::today());
        let body = if note.is_empty() {
            format!("办理结果：{}。", status.label())
        } else {
            format!("办理结果：{}。{note}", status.label())
        };
        needs::add_message(&txn, &n, (Some(actor.user_id), &actor.display_name), false, &body).await?;
        let n = needs::save(&txn, n).await?;
        self.audit(&txn, ctx, Event::ok("need.outcome", "need", n.id).with(serde_json::json!({"status": n.status})))
            .await?;
        txn.commit().await?;
        self.need_detail_of(ctx, n).await
    }
}
