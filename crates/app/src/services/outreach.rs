//! 送政策、送服务、送温暖上门: an organisation (county admin or org admin, `outreach.write`) records its
//! visits to the enterprises it may ask for (registered in its subtree or covered by it): the day, what
//! was delivered, who went, what happened, and the county's policies and the 红链直通车 requests the
//! visit delivered. Lists and figures cover the caller's subtree.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use honglian_domain::platform::authz::Permission;
use honglian_domain::services::outreach::{self, MonthCounts, OutreachKind};
use honglian_domain::services::request::RequestStatus;
use honglian_domain::validation::required_text;
use honglian_domain::{FieldErrors, PageNo, PerPage, RecordId, Year};
use honglian_store::Scope;
use honglian_store::repo::PageReq;
use honglian_store::repo::services::outreach::{self as visits, OutreachVisit, VisitFields, VisitFilter};
use honglian_store::repo::services::{policies, requests};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::org_life::activities::OrgName;
use crate::platform::audit::Event;
use crate::platform::settings::county_of;
use crate::{App, AppError, AppResult, Ctx};

/// At most this many policies and requests are linked to one visit.
const MAX_LINKS: usize = 20;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LinkedPolicy {
    pub id: i64,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LinkedRequest {
    pub id: i64,
    pub title: String,
    pub status: RequestStatus,
    pub status_label: String,
}

/// A visit as a policy's detail names it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VisitRef {
    pub id: i64,
    pub visited_on: NaiveDate,
    pub org_name: String,
    pub host_name: String,
    pub kind_labels: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OutreachView {
    pub id: i64,
    /// The visiting organisation.
    pub org: OrgName,
    pub host_id: Option<i64>,
    pub host_name: String,
    pub visited_on: NaiveDate,
    pub kinds: Vec<OutreachKind>,
    pub kind_labels: Vec<String>,
    pub visitors: String,
    pub summary: String,
    /// The policies delivered (those of the caller's county).
    pub policies: Vec<LinkedPolicy>,
    /// The 红链直通车 requests delivered (those the caller reaches).
    pub requests: Vec<LinkedRequest>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OutreachPage {
    pub items: Vec<OutreachView>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct OutreachInput {
    /// The visiting organisation.
    #[schema(value_type = honglian_domain::RecordId)]
    pub org_id: i64,
    /// The enterprise visited (from the organisation's coverage registry).
    #[schema(value_type = honglian_domain::RecordId)]
    pub host_id: i64,
    pub visited_on: NaiveDate,
    /// At least one of 送政策, 送服务, 送温暖.
    pub kinds: Vec<OutreachKind>,
    /// Who went (names and posts).
    pub visitors: String,
    pub summary: String,
    #[serde(default)]
    #[schema(value_type = Vec<honglian_domain::RecordId>)]
    pub policy_ids: Vec<i64>,
    #[serde(default)]
    #[schema(value_type = Vec<honglian_domain::RecordId>)]
    pub request_ids: Vec<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutreachQuery {
    /// Visits by this organisation's subtree.
    pub org: Option<RecordId>,
    /// Visits to this enterprise.
    pub host: Option<RecordId>,
    #[param(inline)]
    pub kind: Option<OutreachKind>,
    /// Visited in this year.
    pub year: Option<Year>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutreachFiguresQuery {
    /// Default: this year.
    pub year: Option<Year>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MonthRow {
    /// 1–12.
    pub month: u32,
    pub visits: u64,
    pub policy: u64,
    pub service: u64,
    pub warmth: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OutreachFigures {
    pub year: i32,
    pub months: Vec<MonthRow>,
    /// The year's totals: visits, and visits delivering each kind.
    pub total: MonthRow,
}

fn kinds_of(v: &OutreachVisit) -> Vec<OutreachKind> {
    serde_json::from_str::<Vec<String>>(&v.kinds)
        .unwrap_or_default()
        .iter()
        .filter_map(|c| OutreachKind::from_code(c))
        .collect()
}

fn year_bounds(year: i32) -> AppResult<(NaiveDate, NaiveDate)> {
    let from = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| AppError::field("year", "年度无效"))?;
    let to = NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(|| AppError::field("year", "年度无效"))?;
    Ok((from, to))
}

impl App {
    async fn outreach_views(&self, ctx: &Ctx, list: Vec<OutreachVisit>) -> AppResult<Vec<OutreachView>> {
        let links = visits::links(&self.db, &list.iter().map(|v| v.id).collect::<Vec<_>>()).await?;
        // Linked records are shown only as far as the caller reaches them now.
        let county = Scope::Paths(
            list.iter().map(|v| v.county_path.clone()).collect::<std::collections::BTreeSet<_>>().into_iter().collect(),
        );
        let mut policy_titles: HashMap<i64, String> = HashMap::new();
        let mut request_views: HashMap<i64, LinkedRequest> = HashMap::new();
        let reach = self.request_reach(ctx).ok();
        for l in &links {
            match l.kind.as_str() {
                "policy" if !policy_titles.contains_key(&l.target_id) => {
                    if let Some(p) = policies::get(&self.db, &county, l.target_id).await? {
                        policy_titles.insert(p.id, p.title);
                    }
                }
                "request" if !request_views.contains_key(&l.target_id) => {
                    if let Some(reach) = &reach
                        && let Some(r) = requests::get(&self.db, reach, l.target_id).await?
                    {
                        let status = RequestStatus::from_code(&r.status).unwrap_or(RequestStatus::Submitted);
                        request_views.insert(
                            r.id,
                            LinkedRequest { id: r.id, title: r.title, status, status_label: status.label().into() },
                        );
                    }
                }
                _ => {}
            }
        }
        let names = self.org_names(&list.iter().map(|v| v.org_id).collect::<Vec<_>>()).await?;
        Ok(list
            .into_iter()
            .map(|v| {
                let kinds = kinds_of(&v);
                let mine = links.iter().filter(|l| l.visit_id == v.id);
                OutreachView {
                    org: OrgName { id: v.org_id, name: names.get(&v.org_id).cloned().unwrap_or_default() },
                    kind_labels: kinds.iter().map(|k| k.label().to_string()).collect(),
                    kinds,
                    policies: mine
                        .clone()
                        .filter(|l| l.kind == "policy")
                        .filter_map(|l| {
                            policy_titles.get(&l.target_id).map(|t| LinkedPolicy { id: l.target_id, title: t.clone() })
                        })
                        .collect(),
                    requests: mine
                        .filter(|l| l.kind == "request")
                        .filter_map(|l| request_views.get(&l.target_id).cloned())
                        .collect(),
                    id: v.id,
                    host_id: v.host_id,
                    host_name: v.host_name,
                    visited_on: v.visited_on,
                    visitors: v.visitors,
                    summary: v.summary,
                }
            })
            .collect())
    }

    /// The visits of organisations in the caller's subtree, the newest first.
    pub async fn outreach_list(&self, ctx: &Ctx, q: OutreachQuery) -> AppResult<OutreachPage> {
        let mut scope = ctx.actor()?.scope(Permission::OutreachWrite)?;
        if let Some(org) = q.org {
            scope = Scope::Paths(vec![self.org_in(&self.db, &scope, org.get()).await?.path]);
        }
        let f = VisitFilter {
            host_id: q.host.map(RecordId::get),
            kind: q.kind.map(|k| k.code().to_string()),
            between: q.year.map(|y| year_bounds(y.get())).transpose()?,
        };
        let page = PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into));
        let found = visits::list(&self.db, &scope, &f, page).await?;
        Ok(OutreachPage {
            items: self.outreach_views(ctx, found.items).await?,
            total: found.total,
            page: page.page,
            per_page: page.per_page,
        })
    }

    /// One visit of the caller's subtree.
    pub async fn outreach_get(&self, ctx: &Ctx, id: i64) -> AppResult<OutreachView> {
        let scope = ctx.actor()?.scope(Permission::OutreachWrite)?;
        let v = visits::get(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("走访记录"))?;
        Ok(self.outreach_views(ctx, vec![v]).await?.remove(0))
    }

    /// The fields of a visit, checked: the organisation in the caller's subtree (else not found),
    /// the enterprise one it may ask for, the policies of its county and the requests the caller reaches.
    async fn outreach_fields(
        &self,
        db: &impl ConnectionTrait,
        ctx: &Ctx,
        input: &OutreachInput,
    ) -> AppResult<(VisitFields, Vec<(&'static str, i64)>)> {
        let scope = ctx.actor()?.scope(Permission::OutreachWrite)?;
        let org = self.org_in(db, &scope, input.org_id).await?;
        let county_path = county_of(&org.path).map(|c| format!("/{c}/")).ok_or_else(AppError::forbidden)?;
        let county = Scope::Paths(vec![county_path.clone()]);
        let mut e = FieldErrors::new();
        let host = self.request_hosts_of(&org).await?.into_iter().find(|h| h.id == input.host_id);
        if host.is_none() {
            e.add("host_id", "请从本组织覆盖台账中选择企业");
        }
        e.check("visited_on", outreach::check_date(input.visited_on, crate::today()));
        let kinds = e.check("kinds", outreach::check_kinds(&input.kinds));
        let visitors = e.check("visitors", required_text(&input.visitors, "走访人员", 200));
        let summary = e.check("summary", required_text(&input.summary, "走访情况", 2000));
        if input.policy_ids.len() > MAX_LINKS {
            e.add("policy_ids", format!("一次走访最多关联 {MAX_LINKS} 项政策"));
        }
        if input.request_ids.len() > MAX_LINKS {
            e.add("request_ids", format!("一次走访最多关联 {MAX_LINKS} 件诉求"));
        }
        let mut links: Vec<(&'static str, i64)> = Vec::new();
        if e.is_empty() {
            for (i, id) in input.policy_ids.iter().enumerate() {
                if policies::get(db, &county, *id).await?.is_none() {
                    e.add("policy_ids", format!("第 {} 项政策不是本县（市）的政策", i + 1));
                } else {
                    links.push(("policy", *id));
                }
            }
            if !input.request_ids.is_empty() {
                let reach = self.request_reach(ctx)?;
                for (i, id) in input.request_ids.iter().enumerate() {
                    if requests::get(db, &reach, *id).await?.is_none() {
                        e.add("request_ids", format!("第 {} 件诉求不存在或无权访问", i + 1));
                    } else {
                        links.push(("request", *id));
                    }
                }
            }
        }
        e.into_result()?;
        let host = host.expect("validated");
        let kinds: Vec<&str> = kinds.expect("validated").iter().map(|k| k.code()).collect();
        Ok((
            VisitFields {
                county_path,
                org_id: org.id,
                org_path: org.path,
                host_id: Some(host.id),
                host_name: host.name,
                visited_on: input.visited_on,
                kinds: serde_json::to_string(&kinds).unwrap_or_else(|_| "[]".into()),
                visitors: visitors.expect("validated"),
                summary: summary.expect("validated"),
            },
            links,
        ))
    }

    /// Records a visit.
    pub async fn outreach_create(&self, ctx: &Ctx, input: OutreachInput) -> AppResult<OutreachView> {
        let (f, links) = self.outreach_fields(&self.db, ctx, &input).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let v = visits::insert(&txn, f, ctx.actor_id()).await?;
        visits::set_links(&txn, v.id, &links).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("outreach.create", "outreach_visit", v.id).with(
                serde_json::json!({"org_id": v.org_id, "host_id": v.host_id, "kinds": v.kinds, "links": links.len()}),
            ),
        )
        .await?;
        txn.commit().await?;
        self.outreach_get(ctx, v.id).await
    }

    /// Changes a visit of the caller's subtree (it may move to another organisation of the subtree).
    pub async fn outreach_update(&self, ctx: &Ctx, id: i64, input: OutreachInput) -> AppResult<OutreachView> {
        let scope = ctx.actor()?.scope(Permission::OutreachWrite)?;
        let current = visits::get(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("走访记录"))?;
        let (f, links) = self.outreach_fields(&self.db, ctx, &input).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let v = visits::update(&txn, current, f).await?;
        visits::set_links(&txn, v.id, &links).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("outreach.update", "outreach_visit", v.id).with(
                serde_json::json!({"org_id": v.org_id, "host_id": v.host_id, "kinds": v.kinds, "links": links.len()}),
            ),
        )
        .await?;
        txn.commit().await?;
        self.outreach_get(ctx, v.id).await
    }

    /// Deletes a visit of the caller's subtree.
    pub async fn outreach_delete(&self, ctx: &Ctx, id: i64) -> AppResult<()> {
        let scope = ctx.actor()?.scope(Permission::OutreachWrite)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let v = visits::get(&txn, &scope, id).await?.ok_or_else(|| AppError::not_found("走访记录"))?;
        let detail = serde_json::json!({"org_id": v.org_id, "host_id": v.host_id, "visited_on": v.visited_on});
        visits::delete(&txn, v).await?;
        self.audit(&txn, ctx, Event::ok("outreach.delete", "outreach_visit", id).with(detail)).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The visits of the caller's subtree that delivered this policy or request (none without `outreach.write`).
    pub(crate) async fn outreach_refs(&self, ctx: &Ctx, kind: &str, id: i64) -> AppResult<Vec<VisitRef>> {
        let Ok(scope) = ctx.actor()?.scope(Permission::OutreachWrite) else { return Ok(vec![]) };
        let list = visits::linked_to(&self.db, &scope, kind, id).await?;
        let names = self.org_names(&list.iter().map(|v| v.org_id).collect::<Vec<_>>()).await?;
        Ok(list
            .into_iter()
            .map(|v| VisitRef {
                kind_labels: kinds_of(&v).iter().map(|k| k.label().to_string()).collect(),
                org_name: names.get(&v.org_id).cloned().unwrap_or_default(),
                id: v.id,
                visited_on: v.visited_on,
                host_name: v.host_name,
            })
            .collect())
    }

    /// Visits by month and kind in a year, over the caller's subtree.
    pub async fn outreach_figures(&self, ctx: &Ctx, q: OutreachFiguresQuery) -> AppResult<OutreachFigures> {
        let scope = ctx.actor()?.scope(Permission::OutreachWrite)?;
        let year = q.year.map(Year::get).unwrap_or_else(|| crate::today().year());
        let (from, to) = year_bounds(year)?;
        let mut c = MonthCounts::default();
        for (day, kinds) in visits::days_and_kinds(&self.db, &scope, from, to).await? {
            let kinds: Vec<OutreachKind> = serde_json::from_str::<Vec<String>>(&kinds)
                .unwrap_or_default()
                .iter()
                .filter_map(|k| OutreachKind::from_code(k))
                .collect();
            c.add(day.month(), &kinds);
        }
        let row = |m: usize| MonthRow {
            month: m as u32 + 1,
            visits: c.visits[m],
            policy: c.by_kind[0][m],
            service: c.by_kind[1][m],
            warmth: c.by_kind[2][m],
        };
        let months: Vec<MonthRow> = (0..12).map(row).collect();
        let total = MonthRow {
            month: 0,
            visits: months.iter().map(|r| r.visits).sum(),
            policy: months.iter().map(|r| r.policy).sum(),
            service: months.iter().map(|r| r.service).sum(),
            warmth: months.iter().map(|r| r.warmth).sum(),
        };
        Ok(OutreachFigures { year, months, total })
    }
}
