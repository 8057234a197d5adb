//! The two coverages (有形覆盖 / 有效覆盖): the registry of host entities with their organisational
//! coverage, work coverage (the covering organisation held an activity in the last three months),
//! rates by kind, industry, area and community, and the quarterly coverage census.

use honglian_domain::{PageNo, PerPage, RecordId};
use std::collections::{BTreeMap, HashMap};

use chrono::Utc;
use honglian_domain::FieldErrors;
use honglian_domain::organisations::coverage::{self, HostEntityKind, OrgCoverage};
use honglian_domain::platform::authz::Permission;
use honglian_domain::region;
use honglian_domain::validation::{optional_text, required_text};
use honglian_store::Scope;
use honglian_store::repo::organisations::hosts::{self, HostFields, HostFilter};
use honglian_store::repo::organisations::orgs::{self, Org};
use honglian_store::repo::{Page, PageReq};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HostView {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub industry: Option<String>,
    pub region_code: String,
    pub region_name: String,
    /// The responsible organisation (area or community).
    pub org_id: i64,
    pub org_name: String,
    pub covering_org_id: Option<i64>,
    pub covering_org_name: Option<String>,
    pub coverage: String,
    pub coverage_label: String,
    pub community_id: Option<i64>,
    pub employees: Option<i32>,
    pub party_members: Option<i32>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct HostInput {
    pub name: String,
    pub kind: String,
    pub industry: Option<String>,
    /// GB/T 2260 code of the county or city.
    pub region_code: String,
    /// The responsible organisation.
    #[schema(value_type = honglian_domain::RecordId)]
    pub org_id: i64,
    /// The organisation that covers it (its own, a joint branch, a community).
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub covering_org_id: Option<i64>,
    /// own_org | joint_branch | community | instructor | none
    pub coverage: String,
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub community_id: Option<i64>,
    pub employees: Option<i32>,
    pub party_members: Option<i32>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HostQuery {
    /// The subtree; default: my top organisation.
    pub org: Option<RecordId>,
    pub kind: Option<String>,
    pub coverage: Option<String>,
    pub industry: Option<String>,
    pub community_id: Option<RecordId>,
    /// Name contains.
    pub q: Option<String>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct CoverageRow {
    pub key: String,
    pub label: String,
    pub hosts: u32,
    pub org_covered: u32,
    pub work_covered: u32,
    /// Hundredths of a percent: 8750 = 87.50 %.
    pub org_rate: Option<u32>,
    pub work_rate: Option<u32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CoverageStats {
    pub hosts: u32,
    /// Hosts with their own organisation, a joint branch or a community covering them.
    pub org_covered: u32,
    /// Covered hosts whose covering organisation held an activity in the window.
    pub work_covered: u32,
    pub org_rate: Option<u32>,
    pub work_rate: Option<u32>,
    pub window_from: chrono::NaiveDate,
    pub window_to: chrono::NaiveDate,
    pub by_coverage: Vec<CoverageRow>,
    pub by_kind: Vec<CoverageRow>,
    pub by_industry: Vec<CoverageRow>,
    /// By responsible organisation (park, street, business district).
    pub by_area: Vec<CoverageRow>,
    pub by_community: Vec<CoverageRow>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    /// The subtree; default: my top organisation.
    pub org: Option<RecordId>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewCoverageCensus {
    pub name: String,
    /// e.g. 2026-Q4
    pub period: String,
    #[schema(value_type = honglian_domain::RecordId)]
    pub org_id: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CoverageCensusView {
    pub id: i64,
    pub name: String,
    pub period: String,
    pub org_id: i64,
    pub status: String,
    pub total: u32,
    pub checked: u32,
    pub changed: u32,
    /// The caller may close it (its organisation's scope).
    pub can_close: bool,
    /// Per responsible organisation: hosts to check and checked.
    pub progress: Vec<CoverageProgress>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CoverageProgress {
    pub org_id: i64,
    pub org_name: String,
    pub total: u32,
    pub checked: u32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CoverageEntryView {
    pub id: i64,
    pub host_id: i64,
    pub host_name: String,
    pub coverage_before: String,
    pub coverage: Option<String>,
    pub note: Option<String>,
    pub checked_at: Option<chrono::DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CoverageCheckInput {
    /// The coverage found: own_org | joint_branch | community | instructor | none
    pub coverage: String,
    pub note: Option<String>,
}

fn coverage_label(code: &str) -> String {
    OrgCoverage::from_code(code).map(|c| c.label()).unwrap_or_default().into()
}

impl App {
    async fn host_views(&self, list: Vec<hosts::Host>) -> AppResult<Vec<HostView>> {
        let mut ids: Vec<i64> = list.iter().map(|h| h.org_id).collect();
        ids.extend(list.iter().filter_map(|h| h.covering_org_id));
        ids.sort_unstable();
        ids.dedup();
        let names: HashMap<i64, String> = self.org_names(&ids).await?;
        Ok(list
            .into_iter()
            .map(|h| HostView {
                kind_label: HostEntityKind::from_code(&h.kind).map(|k| k.label()).unwrap_or_default().into(),
                region_name: region::name(&h.region_code).unwrap_or_default().to_string(),
                org_name: names.get(&h.org_id).cloned().unwrap_or_default(),
                covering_org_name: h.covering_org_id.and_then(|i| names.get(&i).cloned()),
                coverage_label: coverage_label(&h.coverage),
                id: h.id,
                name: h.name,
                kind: h.kind,
                industry: h.industry,
                region_code: h.region_code,
                org_id: h.org_id,
                covering_org_id: h.covering_org_id,
                coverage: h.coverage,
                community_id: h.community_id,
                employees: h.employees,
                party_members: h.party_members,
            })
            .collect())
    }

    pub async fn host_list(&self, ctx: &Ctx, q: HostQuery) -> AppResult<Page<HostView>> {
        let root = self.subtree_root(ctx, q.org.map(RecordId::get), Permission::OrgRead).await?;
        let page = hosts::list(
            &self.db,
            &Scope::Paths(vec![root.path]),
            &HostFilter {
                kind: q.kind,
                coverage: q.coverage,
                industry: q.industry,
                community_id: q.community_id.map(RecordId::get),
                q: q.q,
            },
            PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into)),
        )
        .await?;
        Ok(Page { items: self.host_views(page.items).await?, total: page.total })
    }

    /// Validates a host's input against the caller's scope.
    async fn host_fields(&self, ctx: &Ctx, input: &HostInput) -> AppResult<(Org, HostFields)> {
        let scope = ctx.actor()?.scope(Permission::HostWrite)?;
        // Out of scope is a 404 like everywhere else, before any field is judged.
        let responsible = self.org_in(&self.db, &scope, input.org_id).await?;
        let mut errors = FieldErrors::default();
        let name = required_text(&input.name, "名称", 100).map_err(|e| errors.add("name", e)).ok();
        if HostEntityKind::from_code(&input.kind).is_none() {
            errors.add("kind", "类型须为非公企业、社会组织、个体工商户、商务楼宇、商圈、专业市场或新就业群体");
        }
        let coverage = OrgCoverage::from_code(&input.coverage);
        if coverage.is_none() {
            errors.add("coverage", "覆盖方式不正确");
        }
        if region::name(&input.region_code).is_none() {
            errors.add("region_code", "行政区划代码不正确");
        }
        let industry =
            optional_text(input.industry.as_deref(), "行业", 30).map_err(|e| errors.add("industry", e)).ok().flatten();
        if coverage.is_some_and(|c| c.is_covered()) && input.covering_org_id.is_none() && input.community_id.is_none() {
            errors.add("covering_org_id", "已覆盖的须填写覆盖它的党组织");
        }
        if let Some(c) = input.covering_org_id
            && orgs::get(&self.db, &scope, c).await?.is_none()
        {
            errors.add("covering_org_id", "覆盖党组织须在您的管理范围内");
        }
        if let Some(c) = input.community_id
            && self.community_for(ctx, c, false).await.is_err()
        {
            errors.add("community_id", "请选择您能看到的党建联盟或区域性党组织");
        }
        for (field, v) in [("employees", input.employees), ("party_members", input.party_members)] {
            if v.is_some_and(|n| !(0..=1_000_000).contains(&n)) {
                errors.add(field, "人数须在 0–1000000 之间");
            }
        }
        errors.into_result()?;
        Ok((
            responsible,
            HostFields {
                name: name.expect("validated"),
                kind: input.kind.clone(),
                industry,
                region_code: input.region_code.clone(),
                covering_org_id: input.covering_org_id,
                coverage: input.coverage.clone(),
                community_id: input.community_id,
                employees: input.employees,
                party_members: input.party_members,
            },
        ))
    }

    pub async fn host_create(&self, ctx: &Ctx, input: HostInput) -> AppResult<HostView> {
        let (responsible, fields) = self.host_fields(ctx, &input).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let h = hosts::insert(&txn, &responsible, fields).await?;
        self.audit(&txn, ctx, Event::ok("host.create", "host", h.id).with(serde_json::json!({"coverage": h.coverage})))
            .await?;
        txn.commit().await?;
        Ok(self.host_views(vec![h]).await?.remove(0))
    }

    pub async fn host_update(&self, ctx: &Ctx, id: i64, input: HostInput) -> AppResult<HostView> {
        let scope = ctx.actor()?.scope(Permission::HostWrite)?;
        let current = hosts::get(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("覆盖对象"))?;
        let (_, fields) = self.host_fields(ctx, &input).await?;
        let before = current.coverage.clone();
        let txn = honglian_store::begin_write(&self.db).await?;
        let h = hosts::update(&txn, current, fields).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("host.update", "host", id)
                .with(serde_json::json!({"coverage_before": before, "coverage": h.coverage})),
        )
        .await?;
        txn.commit().await?;
        Ok(self.host_views(vec![h]).await?.remove(0))
    }

    /// GET /stats/coverage: the two coverages of a subtree, overall and by kind, industry, area and community.
    pub async fn coverage_stats(&self, ctx: &Ctx, q: CoverageQuery) -> AppResult<CoverageStats> {
        let root = self.subtree_root(ctx, q.org.map(RecordId::get), Permission::OrgRead).await?;
        let (from, to) = coverage::work_window(crate::today());
        let instant =
            |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).expect("midnight").and_utc() - chrono::Duration::hours(8);
        let facts = hosts::coverage_facts(
            &self.db,
            &Scope::Paths(vec![root.path.clone()]),
            instant(from),
            instant(to + chrono::Duration::days(1)),
        )
        .await?;
        // Areas: the responsible organisations (a park, a street, a business district).
        let responsible: HashMap<i64, String> = orgs::names(&self.db, &{
            let mut v: Vec<i64> = facts.iter().map(|f| f.org_id).collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .await?;
        let community_names: HashMap<i64, String> = orgs::names(
            &self.db,
            &facts
                .iter()
                .filter_map(|f| f.community_id)
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>(),
        )
        .await?;
        let mut total = CoverageRow::default();
        let mut by: [BTreeMap<String, CoverageRow>; 5] = Default::default();
        for f in &facts {
            let covered = OrgCoverage::from_code(&f.coverage).is_some_and(|c| c.is_covered());
            let worked = covered && f.worked;
            let keys = [
                Some((f.coverage.clone(), coverage_label(&f.coverage))),
                Some((
                    f.kind.clone(),
                    HostEntityKind::from_code(&f.kind).map(|k| k.label()).unwrap_or_default().into(),
                )),
                Some(f.industry.clone().map(|i| (i.clone(), i)).unwrap_or_else(|| ("".into(), "未填写".into()))),
                responsible.get(&f.org_id).map(|name| (f.org_id.to_string(), name.clone())),
                f.community_id.map(|c| (c.to_string(), community_names.get(&c).cloned().unwrap_or_default())),
            ];
            for row in std::iter::once(&mut total) {
                add(row, covered, worked);
            }
            for (map, key) in by.iter_mut().zip(keys) {
                if let Some((k, label)) = key {
                    let row =
                        map.entry(k.clone()).or_insert_with(|| CoverageRow { key: k, label, ..Default::default() });
                    add(row, covered, worked);
                }
            }
        }
        let finish = |m: BTreeMap<String, CoverageRow>| {
            let mut v: Vec<CoverageRow> = m.into_values().map(rated).collect();
            v.sort_by(|a, b| b.hosts.cmp(&a.hosts).then(a.label.cmp(&b.label)));
            v
        };
        let [by_coverage, by_kind, by_industry, by_area, by_community] = by;
        let total = rated(total);
        Ok(CoverageStats {
            hosts: total.hosts,
            org_covered: total.org_covered,
            work_covered: total.work_covered,
            org_rate: total.org_rate,
            work_rate: total.work_rate,
            window_from: from,
            window_to: to,
            by_coverage: finish(by_coverage),
            by_kind: finish(by_kind),
            by_industry: finish(by_industry),
            by_area: finish(by_area),
            by_community: finish(by_community),
        })
    }

    pub async fn coverage_census_create(&self, ctx: &Ctx, input: NewCoverageCensus) -> AppResult<CoverageCensusView> {
        let owner = self.subtree_root(ctx, Some(input.org_id), Permission::HostWrite).await?;
        let mut errors = FieldErrors::default();
        let name = required_text(&input.name, "名称", 60).map_err(|e| errors.add("name", e)).ok();
        if honglian_domain::org_life::duty::Period::parse(&input.period)
            .map(|p| p.label().len() != 7 || !p.label().contains('Q'))
            .unwrap_or(true)
        {
            errors.add("period", "季度格式为 2026-Q4");
        }
        errors.into_result()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let (c, n) = hosts::create_census(&txn, name.expect("validated"), input.period, &owner, ctx.actor_id()).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("coverage_census.create", "coverage_census", c.id).with(serde_json::json!({"entries": n})),
        )
        .await?;
        txn.commit().await?;
        Ok(CoverageCensusView {
            progress: vec![],
            id: c.id,
            name: c.name,
            period: c.period,
            org_id: c.org_id,
            status: c.status,
            total: n as u32,
            checked: 0,
            changed: 0,
            can_close: true,
        })
    }

    pub async fn coverage_censuses(&self, ctx: &Ctx) -> AppResult<Vec<CoverageCensusView>> {
        let actor = ctx.actor()?;
        let scope = actor.scope(Permission::OrgRead)?;
        let write = actor.scope(Permission::HostWrite).unwrap_or(Scope::none());
        let mut out = Vec::new();
        for c in hosts::censuses(&self.db, &scope).await? {
            let entries = hosts::entries(&self.db, c.id, &narrow(&scope, &c.org_path)).await?;
            let mut by_path: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
            for e in &entries {
                let p = by_path.entry(e.org_path.as_str()).or_default();
                p.0 += 1;
                p.1 += u32::from(e.coverage.is_some());
            }
            // The last id of a path is its organisation.
            let rows: Vec<(i64, u32, u32)> = by_path
                .iter()
                .filter_map(|(p, (total, checked))| {
                    Some((p.trim_end_matches('/').rsplit('/').next()?.parse().ok()?, *total, *checked))
                })
                .collect();
            let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
            let names: HashMap<i64, String> = self.org_names(&ids).await?;
            let progress = rows
                .into_iter()
                .map(|(org_id, total, checked)| CoverageProgress {
                    org_name: names.get(&org_id).cloned().unwrap_or_default(),
                    org_id,
                    total,
                    checked,
                })
                .collect();
            out.push(CoverageCensusView {
                progress,
                total: entries.len() as u32,
                checked: entries.iter().filter(|e| e.coverage.is_some()).count() as u32,
                changed: entries.iter().filter(|e| e.coverage.as_ref().is_some_and(|v| *v != e.coverage_before)).count()
                    as u32,
                can_close: write.contains(&c.org_path) && c.status == "open",
                id: c.id,
                name: c.name,
                period: c.period,
                org_id: c.org_id,
                status: c.status,
            });
        }
        Ok(out)
    }

    async fn coverage_census_for(&self, ctx: &Ctx, id: i64) -> AppResult<(hosts::CoverageCensus, Scope)> {
        let scope = ctx.actor()?.scope(Permission::OrgRead)?;
        let c = hosts::census(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("覆盖摸排"))?;
        let mine = narrow(&scope, &c.org_path);
        if mine == Scope::none() {
            return Err(AppError::not_found("覆盖摸排"));
        }
        Ok((c, mine))
    }

    pub async fn coverage_census_entries(&self, ctx: &Ctx, id: i64) -> AppResult<Vec<CoverageEntryView>> {
        let (c, mine) = self.coverage_census_for(ctx, id).await?;
        let entries = hosts::entries(&self.db, c.id, &mine).await?;
        let ids: Vec<i64> = entries.iter().map(|e| e.host_id).collect();
        let names: HashMap<i64, String> =
            hosts::get_many(&self.db, &mine, &ids).await?.into_iter().map(|h| (h.id, h.name)).collect();
        Ok(entries
            .into_iter()
            .map(|e| CoverageEntryView {
                host_name: names.get(&e.host_id).cloned().unwrap_or_default(),
                id: e.id,
                host_id: e.host_id,
                coverage_before: e.coverage_before,
                coverage: e.coverage,
                note: e.note,
                checked_at: e.checked_at,
            })
            .collect())
    }

    pub async fn coverage_census_check(
        &self,
        ctx: &Ctx,
        id: i64,
        entry_id: i64,
        input: CoverageCheckInput,
    ) -> AppResult<CoverageEntryView> {
        let (c, _) = self.coverage_census_for(ctx, id).await?;
        let write = ctx.actor()?.scope(Permission::HostWrite)?;
        let e = hosts::entry(&self.db, &write, entry_id)
            .await?
            .filter(|e| e.census_id == c.id)
            .ok_or_else(|| AppError::not_found("摸排对象"))?;
        if c.status != "open" {
            return Err(AppError::conflict("该摸排已结束"));
        }
        if OrgCoverage::from_code(&input.coverage).is_none() {
            return Err(AppError::field("coverage", "覆盖方式不正确"));
        }
        let note = optional_text(input.note.as_deref(), "备注", 200).map_err(|e| AppError::field("note", e))?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let e = hosts::check_entry(&txn, e, input.coverage, note, ctx.actor_id()).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("coverage_census.check", "coverage_census", c.id).with(serde_json::json!({"entry_id": e.id})),
        )
        .await?;
        txn.commit().await?;
        let host_name = hosts::get(&self.db, &write, e.host_id).await?.map(|h| h.name).unwrap_or_default();
        Ok(CoverageEntryView {
            host_name,
            id: e.id,
            host_id: e.host_id,
            coverage_before: e.coverage_before,
            coverage: e.coverage,
            note: e.note,
            checked_at: e.checked_at,
        })
    }

    /// Closes a coverage census: the confirmed coverage is written to the hosts.
    pub async fn coverage_census_close(&self, ctx: &Ctx, id: i64) -> AppResult<CoverageCensusView> {
        let (c, _) = self.coverage_census_for(ctx, id).await?;
        if !ctx.actor()?.scope(Permission::HostWrite).is_ok_and(|s| s.contains(&c.org_path)) {
            return Err(AppError::forbidden());
        }
        if c.status != "open" {
            return Err(AppError::conflict("该摸排已结束"));
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        let changed = hosts::close_census(&txn, c.clone()).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("coverage_census.close", "coverage_census", c.id)
                .with(serde_json::json!({"hosts_changed": changed})),
        )
        .await?;
        txn.commit().await?;
        self.coverage_censuses(ctx)
            .await?
            .into_iter()
            .find(|x| x.id == id)
            .ok_or_else(|| AppError::not_found("覆盖摸排"))
    }
}

fn add(row: &mut CoverageRow, covered: bool, worked: bool) {
    row.hosts += 1;
    row.org_covered += u32::from(covered);
    row.work_covered += u32::from(worked);
}

fn rated(mut r: CoverageRow) -> CoverageRow {
    r.org_rate = coverage::rate(r.org_covered, r.hosts);
    r.work_rate = coverage::rate(r.work_covered, r.hosts);
    r
}

/// The part of a campaign's subtree `scope` sees: the campaign's whole subtree when the scope holds
/// it, else the scope's paths inside it.
fn narrow(scope: &Scope, campaign_path: &str) -> Scope {
    match scope {
        Scope::All(_) => Scope::Paths(vec![campaign_path.to_string()]),
        Scope::Paths(ps) => {
            if ps.iter().any(|p| campaign_path.starts_with(p.as_str())) {
                Scope::Paths(vec![campaign_path.to_string()])
            } else {
                Scope::Paths(ps.iter().filter(|p| p.starts_with(campaign_path)).cloned().collect())
            }
        }
    }
}
