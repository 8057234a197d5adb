//! The policy library (惠企政策): each county department's policies with document number, dates in
//! force, who may benefit, and the full text; searched in Chinese (two-character words found, best
//! matches first, matches marked), filtered by department, industry, size and validity. Expired
//! policies drop out of a search unless asked for. Kept by the county admin.

use std::collections::HashMap;

use chrono::NaiveDate;
use honglian_domain::platform::authz::Permission;
use honglian_domain::services::policy::{self, EnterpriseSize, INDUSTRIES, Validity};
use honglian_domain::services::search::{self, Segment};
use honglian_domain::validation::required_text;
use honglian_domain::{FieldErrors, PageNo, PerPage, RecordId};
use honglian_store::Scope;
use honglian_store::repo::PageReq;
use honglian_store::repo::services::departments;
use honglian_store::repo::services::policies::{self, Policy, PolicyFields, PolicyFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::departments::{DepartmentView, view as department_view};
use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PolicyView {
    pub id: i64,
    pub department: DepartmentView,
    pub doc_no: String,
    pub title: String,
    /// The title with the search words marked.
    pub title_marked: Vec<Segment>,
    pub summary: String,
    /// About 120 characters of the summary (or the text, where the words are) with the words marked.
    pub excerpt: Vec<Segment>,
    pub issued_on: NaiveDate,
    pub effective_from: NaiveDate,
    pub effective_until: Option<NaiveDate>,
    pub in_force: bool,
    /// Empty: every industry.
    pub industries: Vec<String>,
    /// Empty: every size.
    pub sizes: Vec<EnterpriseSize>,
    pub tags: Vec<String>,
    pub can_edit: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PolicyDetail {
    pub policy: PolicyView,
    pub body: String,
    /// The outreach visits of the caller's subtree that delivered it (for `outreach.write`), newest first.
    pub visits: Vec<super::outreach::VisitRef>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DepartmentCount {
    pub department: DepartmentView,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PolicyPage {
    pub items: Vec<PolicyView>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// Every policy of the county by department (whatever the search), for the filter.
    pub departments: Vec<DepartmentCount>,
    /// The industries a policy may be limited to.
    pub industries: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PolicyQuery {
    /// Words to find (税收, 人才补贴 …); every word must occur.
    pub q: Option<String>,
    pub department: Option<RecordId>,
    pub industry: Option<String>,
    pub size: Option<EnterpriseSize>,
    /// Default: current (in force, or not yet).
    #[param(inline)]
    pub validity: Option<Validity>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PolicyInput {
    #[schema(value_type = honglian_domain::RecordId)]
    pub department_id: i64,
    pub doc_no: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub issued_on: NaiveDate,
    pub effective_from: NaiveDate,
    pub effective_until: Option<NaiveDate>,
    #[serde(default)]
    pub industries: Vec<String>,
    #[serde(default)]
    pub sizes: Vec<EnterpriseSize>,
    #[serde(default)]
    pub tags: Vec<String>,
}

fn json_list<T: serde::de::DeserializeOwned>(s: &str) -> Vec<T> {
    serde_json::from_str(s).unwrap_or_default()
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// Validated fields; the department is checked by the caller.
fn fields(input: &PolicyInput) -> Result<PolicyFields, FieldErrors> {
    let mut e = FieldErrors::new();
    let doc_no = required_text(&input.doc_no, "文号", 60).map_err(|m| e.add("doc_no", m)).ok();
    let title = required_text(&input.title, "政策名称", 120).map_err(|m| e.add("title", m)).ok();
    let summary = required_text(&input.summary, "政策摘要", 1000).map_err(|m| e.add("summary", m)).ok();
    let body = required_text(&input.body, "政策全文", 50_000).map_err(|m| e.add("body", m)).ok();
    if let Err(m) = policy::check_dates(input.effective_from, input.effective_until) {
        e.add("effective_until", m);
    }
    if input.issued_on > input.effective_until.unwrap_or(NaiveDate::MAX) {
        e.add("issued_on", "印发日期不能晚于失效日期");
    }
    if let Some(i) = input.industries.iter().find(|i| !INDUSTRIES.contains(&i.as_str())) {
        e.add("industries", format!("行业“{i}”不在行业分类中"));
    }
    let mut tags: Vec<String> = Vec::new();
    for t in input.tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        if t.chars().count() > 12 {
            e.add("tags", format!("标签“{t}”超过 12 个字"));
        } else if !tags.iter().any(|x| x == t) {
            tags.push(t.to_string());
        }
    }
    if tags.len() > 10 {
        e.add("tags", "标签最多 10 个");
    }
    e.into_result()?;
    let mut industries = input.industries.clone();
    industries.dedup();
    let mut sizes = input.sizes.clone();
    sizes.dedup();
    let (title, summary, body) = (title.expect("validated"), summary.expect("validated"), body.expect("validated"));
    Ok(PolicyFields {
        department_id: input.department_id,
        search_title: search::index_text(&title),
        search_body: search::index_text(&format!("{summary}\n{body}\n{}", tags.join(" "))),
        doc_no: doc_no.expect("validated"),
        title,
        summary,
        body,
        issued_on: input.issued_on,
        effective_from: input.effective_from,
        effective_until: input.effective_until,
        industries: json(&industries),
        sizes: json(&sizes),
        tags: json(&tags),
    })
}

impl App {
    async fn policy_views(
        &self,
        ctx: &Ctx,
        list: Vec<Policy>,
        q: Option<&search::Query>,
    ) -> AppResult<Vec<PolicyView>> {
        let write = ctx.actor()?.scope(Permission::PolicyWrite).unwrap_or(Scope::none());
        let own = self.policy_departments(ctx).unwrap_or(Some(vec![]));
        let scope = self.county_scope(ctx).await?;
        let depts: HashMap<i64, DepartmentView> =
            departments::list(&self.db, &scope).await?.iter().map(|d| (d.id, department_view(d))).collect();
        let today = crate::today();
        Ok(list
            .into_iter()
            .map(|p| {
                let summary_hit = q.is_some_and(|q| search::highlight(&p.summary, Some(q)).iter().any(|s| s.hit));
                let excerpt = if q.is_none() || summary_hit {
                    search::snippet(&p.summary, q, 120)
                } else {
                    search::snippet(&p.body, q, 120)
                };
                PolicyView {
                    department: depts
                        .get(&p.department_id)
                        .cloned()
                        .unwrap_or(DepartmentView { id: p.department_id, name: String::new() }),
                    title_marked: search::highlight(&p.title, q),
                    excerpt,
                    in_force: policy::in_force(p.effective_until, today),
                    industries: json_list(&p.industries),
                    sizes: json_list(&p.sizes),
                    tags: json_list(&p.tags),
                    can_edit: write.contains(&p.county_path)
                        && own.as_ref().is_none_or(|d| d.contains(&p.department_id)),
                    id: p.id,
                    doc_no: p.doc_no,
                    title: p.title,
                    summary: p.summary,
                    issued_on: p.issued_on,
                    effective_from: p.effective_from,
                    effective_until: p.effective_until,
                }
            })
            .collect())
    }

    /// Searches the policies of the caller's county.
    pub async fn policy_search(&self, ctx: &Ctx, q: PolicyQuery) -> AppResult<PolicyPage> {
        let scope = self.county_scope(ctx).await?;
        if let Some(i) = &q.industry
            && !INDUSTRIES.contains(&i.as_str())
        {
            return Err(AppError::field("industry", format!("行业“{i}”不在行业分类中")));
        }
        let words = q.q.as_deref().and_then(search::parse_query);
        let validity = q.validity.unwrap_or(Validity::Current);
        let filter = PolicyFilter {
            matching: words.as_ref().map(|w| (w.fts5(), w.tsquery())),
            department_id: q.department.map(RecordId::get),
            industry: q.industry.clone(),
            size: q.size.map(|s| s.code().to_string()),
            in_force: match validity {
                Validity::Current => Some(true),
                Validity::Expired => Some(false),
                Validity::All => None,
            },
            today: Some(crate::today()),
        };
        let page = PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into));
        let (list, total) = policies::search(&self.db, &scope, &filter, page).await?;
        let items = self.policy_views(ctx, list, words.as_ref()).await?;
        let counts: HashMap<i64, i64> = policies::count_by_department(&self.db, &scope).await?.into_iter().collect();
        let departments = departments::list(&self.db, &scope)
            .await?
            .iter()
            .map(|d| DepartmentCount {
                department: department_view(d),
                count: counts.get(&d.id).copied().unwrap_or(0).max(0) as u64,
            })
            .collect();
        Ok(PolicyPage {
            items,
            total,
            page: page.page,
            per_page: page.per_page,
            departments,
            industries: INDUSTRIES.iter().map(|s| s.to_string()).collect(),
        })
    }

    /// One policy with its full text.
    pub async fn policy_get(&self, ctx: &Ctx, id: i64) -> AppResult<PolicyDetail> {
        let scope = self.county_scope(ctx).await?;
        let p = policies::get(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("政策"))?;
        let body = p.body.clone();
        let visits = self.outreach_refs(ctx, "policy", p.id).await?;
        Ok(PolicyDetail { policy: self.policy_views(ctx, vec![p], None).await?.remove(0), body, visits })
    }

    /// The department, if it belongs to the county at `county_path` and the caller edits its policies.
    async fn policy_department(
        &self,
        ctx: &Ctx,
        db: &impl sea_orm::ConnectionTrait,
        county_path: &str,
        id: i64,
    ) -> AppResult<departments::Department> {
        if let Some(own) = self.policy_departments(ctx)?
            && !own.contains(&id)
        {
            return Err(AppError::field("department_id", "部门经办人只能发布本部门的政策"));
        }
        departments::get(db, &Scope::Paths(vec![county_path.to_string()]), id)
            .await?
            .ok_or_else(|| AppError::field("department_id", "请选择本县的发布部门"))
    }

    /// Adds a policy to the caller's county (county admins).
    pub async fn policy_create(&self, ctx: &Ctx, input: PolicyInput) -> AppResult<PolicyDetail> {
        let county = self.writer_county(ctx, Permission::PolicyWrite)?;
        let county_path = format!("/{county}/");
        let f = fields(&input)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        self.policy_department(ctx, &txn, &county_path, input.department_id).await?;
        let p = policies::insert(&txn, &county_path, f, ctx.actor_id()).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("policy.create", "policy", p.id)
                .with(serde_json::json!({"department_id": p.department_id, "doc_no": p.doc_no})),
        )
        .await?;
        txn.commit().await?;
        let body = p.body.clone();
        Ok(PolicyDetail { policy: self.policy_views(ctx, vec![p], None).await?.remove(0), body, visits: vec![] })
    }

    /// Edits a policy of the caller's county (county admins).
    pub async fn policy_update(&self, ctx: &Ctx, id: i64, input: PolicyInput) -> AppResult<PolicyDetail> {
        let scope = ctx.actor()?.scope(Permission::PolicyWrite)?;
        let current = policies::get(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("政策"))?;
        if let Some(own) = self.policy_departments(ctx)?
            && !own.contains(&current.department_id)
        {
            return Err(AppError::Forbidden("部门经办人只能修改本部门的政策".into()));
        }
        let f = fields(&input)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        self.policy_department(ctx, &txn, &current.county_path, input.department_id).await?;
        let p = policies::update(&txn, current, f).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("policy.update", "policy", p.id)
                .with(serde_json::json!({"department_id": p.department_id, "doc_no": p.doc_no})),
        )
        .await?;
        txn.commit().await?;
        let body = p.body.clone();
        Ok(PolicyDetail { policy: self.policy_views(ctx, vec![p], None).await?.remove(0), body, visits: vec![] })
    }
}
