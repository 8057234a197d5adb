//! Incentive grants (以奖代补): the county sets criteria and tiers; organisations are scored from
//! what the product already knows — host coverage, duty lights, key tasks done, brand projects —
//! plus a manual part; the county approves and records the disbursement in exact fen. Every step is
//! audited.

use honglian_domain::Year;
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use honglian_domain::FieldErrors;
use honglian_domain::goals::grant::{self, Fen, GrantCriteria, GrantInputs, GrantScore};
use honglian_domain::org_life::duty::Light;
use honglian_domain::organisations::coverage::OrgCoverage;
use honglian_domain::platform::authz::Permission;
use honglian_domain::validation::required_text;
use honglian_store::Scope;
use honglian_store::repo::goals::grants::{self, IncentiveGrant, Proposal};
use honglian_store::repo::goals::tasks::TaskFilter;
use honglian_store::repo::organisations::orgs::{self, OrgFilter};
use honglian_store::repo::platform::integrity::Protected;
use honglian_store::repo::{PageReq, goals::brands, goals::tasks, organisations::hosts};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::org_life::activities::OrgName;
use crate::platform::audit::Event;
use crate::platform::settings::county_of;
use crate::{App, AppError, AppResult, Ctx};

const SETTING_CRITERIA: &str = "grant_criteria";

/// Organisation kinds that receive grants: the ones that do the work.
const GRANTEE_KINDS: &[&str] = &["branch", "joint_branch", "general_branch", "chain_alliance", "regional_org"];

/// What a part of the score was earned from, for the sheet shown to assessors.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, ToSchema)]
pub struct Ratio {
    pub num: u32,
    pub den: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct GrantFacts {
    /// Hosts covered / hosts in the organisation's area or covered by it.
    pub coverage: Ratio,
    /// Blue duty results / all duty results of the year.
    pub duties_blue: Ratio,
    /// Key tasks done / tasks owned.
    pub tasks_done: Ratio,
    /// Brand projects done / registered.
    pub brand_done: Ratio,
    /// 0–100: the assessors' judgement of the manual part.
    pub manual_percent: u32,
}

impl GrantFacts {
    fn inputs(&self) -> GrantInputs {
        let r = |x: Ratio| (x.num, x.den);
        GrantInputs {
            coverage: r(self.coverage),
            duties_blue: r(self.duties_blue),
            tasks_done: r(self.tasks_done),
            brand_done: r(self.brand_done),
            manual_percent: self.manual_percent,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IncentiveGrantView {
    pub id: i64,
    pub org: OrgName,
    pub year: i32,
    pub facts: GrantFacts,
    pub score: GrantScore,
    /// proposed | approved | disbursed
    pub status: String,
    pub status_label: String,
    /// The tier's amount in fen, and as yuan text ("6,000.00").
    pub amount_fen: i64,
    pub amount_yuan: String,
    pub disbursed_fen: Option<i64>,
    pub disbursed_yuan: Option<String>,
    pub disbursed_on: Option<NaiveDate>,
    pub voucher: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AssessInput {
    /// The subtree whose organisations are scored.
    #[schema(value_type = honglian_domain::RecordId)]
    pub org_id: i64,
    pub year: Year,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ManualInput {
    /// 0–100.
    pub manual_percent: u32,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DisburseInput {
    /// Yuan as written on the voucher, e.g. "6000" or "6,000.00"; kept exactly in fen.
    pub amount: String,
    pub disbursed_on: NaiveDate,
    /// The payment voucher number.
    pub voucher: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GrantQuery {
    /// Default: this year.
    pub year: Option<Year>,
}

fn status_label(s: &str) -> &'static str {
    match s {
        "approved" => "已审批",
        "disbursed" => "已拨付",
        _ => "待审批",
    }
}

#[derive(Serialize, Deserialize)]
struct Stored {
    facts: GrantFacts,
}

impl App {
    /// The grant criteria and tiers of the caller's county.
    pub async fn grant_criteria(&self, ctx: &Ctx) -> AppResult<GrantCriteria> {
        ctx.actor()?.require(Permission::GrantWrite)?;
        self.county_grant_criteria(self.reader_county(ctx)?).await
    }

    /// A county's criteria and tiers (its own, else the deployment's, else the defaults).
    pub(crate) async fn county_grant_criteria(&self, county: Option<i64>) -> AppResult<GrantCriteria> {
        Ok(match self.county_setting(SETTING_CRITERIA, county).await? {
            Some(v) => serde_json::from_str(&v)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("grant_criteria setting unreadable: {e}")))?,
            None => grant::default_criteria(),
        })
    }

    /// Changes the criteria and tiers of the caller's county (money: its county admin only).
    pub async fn set_grant_criteria(&self, ctx: &Ctx, c: GrantCriteria) -> AppResult<GrantCriteria> {
        let county = self.writer_county(ctx, Permission::GrantWrite)?;
        grant::validate_criteria(&c)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        self.set_county_setting(&txn, SETTING_CRITERIA, county, &serde_json::to_string(&c).unwrap_or_default()).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("settings.grant_criteria", "settings", SETTING_CRITERIA)
                .with(serde_json::json!({"county": county, "criteria": c})),
        )
        .await?;
        txn.commit().await?;
        Ok(c)
    }

    async fn grant_views(&self, list: Vec<IncentiveGrant>) -> AppResult<Vec<IncentiveGrantView>> {
        // Each grant is scored by its own county's criteria.
        let mut by_county: HashMap<Option<i64>, GrantCriteria> = HashMap::new();
        for g in &list {
            let county = county_of(&g.org_path);
            if let std::collections::hash_map::Entry::Vacant(e) = by_county.entry(county) {
                e.insert(self.county_grant_criteria(county).await?);
            }
        }
        let names: HashMap<i64, String> = self.org_names(&list.iter().map(|g| g.org_id).collect::<Vec<_>>()).await?;
        Ok(list
            .into_iter()
            .map(|g| {
                let facts = serde_json::from_str::<Stored>(&g.score).map(|s| s.facts).unwrap_or_default();
                let criteria = &by_county[&county_of(&g.org_path)];
                IncentiveGrantView {
                    org: OrgName { id: g.org_id, name: names.get(&g.org_id).cloned().unwrap_or_default() },
                    score: grant::score(criteria, &facts.inputs()),
                    facts,
                    status_label: status_label(&g.status).into(),
                    amount_yuan: Fen(g.amount_fen).yuan_string(),
                    disbursed_yuan: g.disbursed_fen.map(|f| Fen(f).yuan_string()),
                    id: g.id,
                    year: g.year,
                    status: g.status,
                    amount_fen: g.amount_fen,
                    disbursed_fen: g.disbursed_fen,
                    disbursed_on: g.disbursed_on,
                    voucher: g.voucher,
                }
            })
            .collect())
    }

    pub async fn grant_list(&self, ctx: &Ctx, q: GrantQuery) -> AppResult<Vec<IncentiveGrantView>> {
        let scope = ctx.actor()?.scope(Permission::GrantWrite)?;
        let year = q.year.map(Year::get).unwrap_or_else(|| crate::today().year());
        self.grant_views(grants::list(&self.db, &scope, year).await?).await
    }

    /// Scores every grantee of a subtree for a year from the product's data and keeps the manual part
    /// already given; approved and disbursed grants are left as they are.
    pub async fn grant_assess(&self, ctx: &Ctx, input: AssessInput) -> AppResult<Vec<IncentiveGrantView>> {
        let scope = ctx.actor()?.scope(Permission::GrantWrite)?;
        let root = self.org_in(&self.db, &scope, input.org_id).await?;
        self.assess_grants(ctx, &root, input.year.get()).await
    }

    /// Scores the grantees of `root`'s subtree (the caller checked the permission).
    pub(crate) async fn assess_grants(
        &self,
        ctx: &Ctx,
        root: &orgs::Org,
        year: i32,
    ) -> AppResult<Vec<IncentiveGrantView>> {
        let subtree = Scope::Paths(vec![root.path.clone()]);
        let all = orgs::list(&self.db, &subtree, &OrgFilter::default(), PageReq { page: 1, per_page: u64::MAX / 4 })
            .await?
            .items;
        let path_of: HashMap<i64, String> = all.iter().map(|o| (o.id, o.path.clone())).collect();
        let within = |id: Option<i64>, p: &str| id.and_then(|i| path_of.get(&i)).is_some_and(|x| x.starts_with(p));
        // Everything the facts need, read once for the subtree.
        let (from, to) = (
            NaiveDate::from_ymd_opt(year, 1, 1).expect("1 January"),
            NaiveDate::from_ymd_opt(year, 12, 31).expect("31 December"),
        );
        let instant = |d: NaiveDate| d.and_hms_opt(0, 0, 0).expect("midnight").and_utc() - chrono::Duration::hours(8);
        let host_facts = hosts::coverage_facts(&self.db, &subtree, instant(from), instant(to)).await?;
        let evaluated = self.evaluate(&subtree, year).await?;
        let task_list =
            tasks::tasks_in(&self.db, &subtree, &TaskFilter { year: Some(year), list_id: None, owners: None }).await?;
        let brand_list = brands::list(&self.db, &subtree, year, None).await?;
        let today = crate::today();
        let criteria = self.county_grant_criteria(county_of(&root.path)).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let mut ids = Vec::new();
        for o in all.iter().filter(|o| GRANTEE_KINDS.contains(&o.kind.as_str()) && o.status == "active") {
            let p = o.path.as_str();
            let current = grants::of(&txn, o.id, year).await?;
            if current.as_ref().is_some_and(|g| g.status != "proposed") {
                continue;
            }
            let mut facts = GrantFacts {
                manual_percent: current
                    .as_ref()
                    .and_then(|g| serde_json::from_str::<Stored>(&g.score).ok())
                    .map(|s| s.facts.manual_percent)
                    .unwrap_or(0),
                ..Default::default()
            };
            for h in host_facts.iter().filter(|h| within(Some(h.org_id), p) || within(h.covering_org_id, p)) {
                facts.coverage.den += 1;
                facts.coverage.num += u32::from(OrgCoverage::from_code(&h.coverage).is_some_and(|c| c.is_covered()));
            }
            for d in evaluated.orgs.iter().filter(|d| within(Some(d.id), p)) {
                for r in &d.results {
                    facts.duties_blue.den += 1;
                    facts.duties_blue.num += u32::from(r.light == Light::Blue);
                }
            }
            for t in task_list.iter().filter(|t| t.owner_path.starts_with(p)) {
                facts.tasks_done.den += 1;
                facts.tasks_done.num += u32::from(t.done_on.is_some_and(|d| d <= today));
            }
            for b in brand_list.iter().filter(|b| b.org_path.starts_with(p)) {
                facts.brand_done.den += 1;
                facts.brand_done.num += u32::from(b.status == "done");
            }
            if facts.coverage.den + facts.duties_blue.den + facts.tasks_done.den + facts.brand_done.den == 0 {
                continue;
            }
            let g = grants::propose(&txn, o, year, proposal(&criteria, &facts)).await?;
            ids.push(g.id);
        }
        self.stamp(&txn, Protected::IncentiveGrants, &ids).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("grant.assess", "org", root.id).with(serde_json::json!({"year": year, "grants": ids.len()})),
        )
        .await?;
        txn.commit().await?;
        let list = grants::list(&self.db, &subtree, year).await?;
        self.grant_views(list).await
    }

    async fn grant_for(&self, ctx: &Ctx, id: i64) -> AppResult<IncentiveGrant> {
        let scope = ctx.actor()?.scope(Permission::GrantWrite)?;
        let g = grants::get(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("以奖代补"))?;
        self.check_intact(Protected::IncentiveGrants, g.id).await?;
        Ok(g)
    }

    /// The assessors' manual part (while proposed).
    pub async fn grant_manual(&self, ctx: &Ctx, id: i64, input: ManualInput) -> AppResult<IncentiveGrantView> {
        let g = self.grant_for(ctx, id).await?;
        if g.status != "proposed" {
            return Err(AppError::conflict("已审批的奖补不能再改分"));
        }
        if input.manual_percent > 100 {
            return Err(AppError::field("manual_percent", "人工评分须在 0–100 之间"));
        }
        let before = serde_json::from_str::<Stored>(&g.score).map(|s| s.facts.manual_percent).unwrap_or_default();
        let txn = honglian_store::begin_write(&self.db).await?;
        let g = self.rescore_manual(&txn, g, input.manual_percent).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("grant.manual", "incentive_grant", id)
                .with(serde_json::json!({"from": before, "to": input.manual_percent})),
        )
        .await?;
        txn.commit().await?;
        Ok(self.grant_views(vec![g]).await?.remove(0))
    }

    /// Re-scores a proposal with a new manual part, in the caller's transaction.
    pub(crate) async fn rescore_manual(
        &self,
        txn: &impl sea_orm::ConnectionTrait,
        g: IncentiveGrant,
        manual_percent: u32,
    ) -> AppResult<IncentiveGrant> {
        let mut facts = serde_json::from_str::<Stored>(&g.score).map(|s| s.facts).unwrap_or_default();
        facts.manual_percent = manual_percent;
        let criteria = self.county_grant_criteria(county_of(&g.org_path)).await?;
        let target = orgs::get(txn, &Scope::Paths(vec![g.org_path.clone()]), g.org_id)
            .await?
            .ok_or_else(|| AppError::not_found("党组织"))?;
        let g = grants::propose(txn, &target, g.year, proposal(&criteria, &facts)).await?;
        self.stamp(txn, Protected::IncentiveGrants, &[g.id]).await?;
        Ok(g)
    }

    pub async fn grant_approve(&self, ctx: &Ctx, id: i64) -> AppResult<IncentiveGrantView> {
        let g = self.grant_for(ctx, id).await?;
        if g.status != "proposed" {
            return Err(AppError::conflict("该奖补已审批"));
        }
        if g.amount_fen <= 0 {
            return Err(AppError::conflict("得分未达到任何奖补档次，不能审批"));
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        let g = grants::approve(&txn, g, ctx.actor()?.user_id).await?;
        self.stamp(&txn, Protected::IncentiveGrants, &[g.id]).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("grant.approve", "incentive_grant", id)
                .with(serde_json::json!({"amount_fen": g.amount_fen, "tier": g.tier})),
        )
        .await?;
        txn.commit().await?;
        Ok(self.grant_views(vec![g]).await?.remove(0))
    }

    /// Records the disbursement, exactly in fen, at most the approved amount.
    pub async fn grant_disburse(&self, ctx: &Ctx, id: i64, input: DisburseInput) -> AppResult<IncentiveGrantView> {
        let g = self.grant_for(ctx, id).await?;
        if g.status != "approved" {
            return Err(AppError::conflict("只有已审批的奖补才能登记拨付"));
        }
        let mut e = FieldErrors::new();
        let amount = Fen::parse_yuan(&input.amount).map_err(|m| e.add("amount", m)).ok();
        if amount.is_some_and(|a| a.0 <= 0 || a.0 > g.amount_fen) {
            e.add("amount", format!("拨付金额须大于 0 且不超过审批金额 {} 元", Fen(g.amount_fen).yuan_string()));
        }
        let voucher = required_text(&input.voucher, "凭证号", 60).map_err(|m| e.add("voucher", m)).ok();
        if input.disbursed_on > crate::today() {
            e.add("disbursed_on", "拨付日期不能晚于今天");
        }
        e.into_result()?;
        let fen = amount.expect("validated").0;
        let txn = honglian_store::begin_write(&self.db).await?;
        let g = grants::disburse(&txn, g, fen, input.disbursed_on, voucher.expect("validated")).await?;
        self.stamp(&txn, Protected::IncentiveGrants, &[g.id]).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("grant.disburse", "incentive_grant", id).with(
                serde_json::json!({"disbursed_fen": fen, "disbursed_on": input.disbursed_on, "voucher": g.voucher}),
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(self.grant_views(vec![g]).await?.remove(0))
    }
}

fn proposal(c: &GrantCriteria, facts: &GrantFacts) -> Proposal {
    let s = grant::score(c, &facts.inputs());
    Proposal {
        score: serde_json::to_string(&Stored { facts: facts.clone() }).unwrap_or_default(),
        total_hundredths: s.total_hundredths as i32,
        tier: s.tier.as_ref().map(|t| t.label.clone()),
        amount_fen: s.tier.map(|t| t.amount.0).unwrap_or(0),
    }
}
