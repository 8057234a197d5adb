//! 先锋工程: honours campaigns (两优一先 and local ones). The organisation running a campaign (a county,
//! `honour.write` over it) sets the honours and quotas per organisation; a branch nominates a member or
//! an organisation after its meeting discussed and voted (more than half in favour), with the deeds
//! written up; the nomination is reviewed level by level up to the campaign's organisation; the
//! recommended ones are shown in public for the county's working days (default 5) while objections are
//! recorded and handled (one upheld stops the nomination); then the campaign awards them. An award
//! withdrawn later stays on the member's or organisation's record, marked.
//!
//! Who reaches what: a campaign is read by those whose scope lies under its organisation (a branch
//! sees the county's campaign it nominates to) or over it; a nomination through the nominating
//! organisation's path; the public notice and the award list by every reader of the campaign (they
//! are published); objections and review notes only by those who write honours over the nomination.

use std::collections::HashMap;

use chrono::NaiveDate;
use honglian_domain::hometown::check_date;
use honglian_domain::hometown::honour::{
    self as rules, CampaignStatus, DEFAULT_NOTICE_DAYS, Honour, HonourSubject, MAX_QUOTA, MAX_QUOTAS,
    NOTICE_DAYS_RANGE, NominationStatus,
};
use honglian_domain::organisations::org::OrgKind;
use honglian_domain::platform::authz::Permission;
use honglian_domain::validation::{optional_text, required_text};
use honglian_domain::{FieldErrors, RecordId, Year};
use honglian_store::Scope;
use honglian_store::repo::hometown::honours::{self as repo, Campaign, NewCampaign, NewNomination, Nomination};
use honglian_store::repo::members::mobility;
use honglian_store::repo::members::registry as members;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::care::{ObjectionHandling, ObjectionInput, ObjectionView};
use crate::members::export::Export;
use crate::org_life::activities::OrgName;
use crate::platform::audit::Event;
use crate::platform::pdf::Column;
use crate::platform::report::{Report, ReportFormat, report_file};
use crate::platform::settings::CountyDays;
use crate::platform::settings::county_of;
use crate::{App, AppError, AppResult, Ctx};

const NOTICE_DAYS: CountyDays = CountyDays {
    key: "honour_notice_days",
    range: NOTICE_DAYS_RANGE,
    default: DEFAULT_NOTICE_DAYS,
    field: "notice_days",
    label: "公示天数",
};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HonourView {
    pub name: String,
    pub subject: HonourSubject,
    pub subject_label: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuotaView {
    pub honour: String,
    pub org: OrgName,
    pub quota: u32,
    /// Nominations from the organisation's subtree that hold a place (not rejected or withdrawn).
    pub used: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HonourCampaign {
    pub id: i64,
    /// The organisation running it.
    pub org: OrgName,
    pub year: i32,
    pub title: String,
    pub honours: Vec<HonourView>,
    pub nominate_until: Option<NaiveDate>,
    pub status: CampaignStatus,
    pub status_label: String,
    pub notice_from: Option<NaiveDate>,
    pub notice_until: Option<NaiveDate>,
    pub awarded_on: Option<NaiveDate>,
    /// The caller runs it (quotas, notice, objections, award, withdrawal of an award).
    pub can_manage: bool,
    /// The caller may nominate to it now (from an organisation under it).
    pub can_nominate: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Nominee {
    pub member_id: Option<i64>,
    pub org_id: Option<i64>,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NominationView {
    pub id: i64,
    pub campaign_id: i64,
    pub honour: String,
    pub subject: HonourSubject,
    pub nominee: Nominee,
    /// The organisation that nominated.
    pub org: OrgName,
    pub deeds: String,
    pub discussed_on: NaiveDate,
    pub votes_for: i32,
    pub votes_total: i32,
    pub status: NominationStatus,
    pub status_label: String,
    /// The level whose review it waits for.
    pub at_org: Option<OrgName>,
    pub awarded_on: Option<NaiveDate>,
    pub withdrawn_on: Option<NaiveDate>,
    pub withdraw_reason: Option<String>,
    pub can_review: bool,
    pub can_object: bool,
    pub can_handle: bool,
    pub can_withdraw: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewStepView {
    pub org: OrgName,
    pub on: NaiveDate,
    pub pass: bool,
    pub note: String,
    pub by_name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NominationDetail {
    pub nomination: NominationView,
    /// The levels' reviews, in order (for those who write honours over it).
    pub steps: Vec<ReviewStepView>,
    pub objections: Vec<ObjectionView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CampaignDetail {
    pub campaign: HonourCampaign,
    pub quotas: Vec<QuotaView>,
    /// The nominations the caller reads (from their organisations), by honour.
    pub nominations: Vec<NominationView>,
    /// The published list (on notice, awarded, withdrawn after the award): every reader of the campaign.
    pub published: Vec<PublishedEntry>,
    pub open_objections: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublishedEntry {
    pub honour: String,
    pub name: String,
    /// The organisation that nominated.
    pub org_name: String,
    pub status: NominationStatus,
    pub status_label: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CampaignInput {
    /// The organisation running it (in the caller's scope for `honour.write`).
    pub org_id: RecordId,
    pub year: Year,
    pub title: String,
    /// The honours offered; 两优一先 when left out.
    #[serde(default)]
    pub honours: Vec<Honour>,
    /// The last day nominations are taken.
    #[serde(default)]
    pub nominate_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct QuotaItem {
    pub honour: String,
    /// An organisation under the campaign's: its subtree's nominations are counted.
    pub org_id: RecordId,
    pub quota: u32,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct QuotasInput {
    pub items: Vec<QuotaItem>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NominationInput {
    pub campaign_id: RecordId,
    pub honour: String,
    /// The nominating organisation (in the caller's scope).
    pub org_id: RecordId,
    /// The member nominated (an honour for members): of the nominating organisation, or received by it.
    #[serde(default)]
    pub member_id: Option<RecordId>,
    /// The organisation nominated (an honour for organisations): the nominating one or its direct child.
    #[serde(default)]
    pub nominee_org_id: Option<RecordId>,
    pub deeds: String,
    /// The day the members' meeting discussed and voted.
    pub discussed_on: NaiveDate,
    pub votes_for: u32,
    pub votes_total: u32,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct HonourReviewInput {
    /// Passed (default) or not (a note says why).
    #[serde(default)]
    pub pass: Option<bool>,
    pub on: NaiveDate,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AwardInput {
    /// The day of the award (after the notice).
    pub on: NaiveDate,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct WithdrawalInput {
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HonourSettings {
    /// Working days of the public notice (1–30).
    pub notice_days: u32,
}

/// An honour on a member's or an organisation's record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HonourRecord {
    pub nomination_id: i64,
    pub campaign_id: i64,
    pub campaign_title: String,
    pub year: i32,
    pub honour: String,
    /// The organisation that awarded it.
    pub awarded_by: String,
    pub awarded_on: NaiveDate,
    /// Withdrawn later: kept, marked.
    pub withdrawn_on: Option<NaiveDate>,
    pub withdraw_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoticeView {
    pub campaign_id: i64,
    pub title: String,
    pub org_name: String,
    pub notice_from: Option<NaiveDate>,
    pub notice_until: Option<NaiveDate>,
    pub entries: Vec<PublishedEntry>,
}

/// The signed-in member's honours and the public notices of their organisations' campaigns.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyHonours {
    pub honours: Vec<HonourRecord>,
    pub notices: Vec<NoticeView>,
}

fn campaign_status(c: &Campaign) -> CampaignStatus {
    CampaignStatus::from_code(&c.status).unwrap_or(CampaignStatus::Nominating)
}

fn nomination_status(n: &Nomination) -> NominationStatus {
    NominationStatus::from_code(&n.status).unwrap_or(NominationStatus::Reviewing)
}

fn honours_of(c: &Campaign) -> Vec<Honour> {
    serde_json::from_str(&c.honours).unwrap_or_default()
}

/// Whether the campaign takes nominations on `today`.
fn check_open(c: &Campaign, today: NaiveDate) -> AppResult<()> {
    match campaign_status(c) {
        CampaignStatus::Nominating => {}
        s => return Err(AppError::conflict(format!("表彰{}，不再接受推荐", s.label()))),
    }
    match c.nominate_until {
        Some(u) if today > u => Err(AppError::conflict(format!("推荐已于 {u} 截止"))),
        _ => Ok(()),
    }
}

/// The path of the level a nomination waits at: the prefix of the nominating organisation's path that
/// ends at that level.
fn at_path(n: &Nomination) -> Option<String> {
    let ids = rules::path_ids(&n.org_path);
    let i = ids.iter().position(|x| Some(*x) == n.at_org_id)?;
    Some(format!("/{}/", ids[..=i].iter().map(i64::to_string).collect::<Vec<_>>().join("/")))
}

fn published(n: &Nomination) -> bool {
    matches!(nomination_status(n), NominationStatus::Notice | NominationStatus::Awarded)
        || (nomination_status(n) == NominationStatus::Withdrawn && n.awarded_on.is_some())
}

impl App {
    fn honour_writes(&self, ctx: &Ctx, path: &str) -> bool {
        ctx.actor().is_ok_and(|a| a.scope(Permission::HonourWrite).is_ok_and(|s| s.contains(path)))
    }

    pub async fn honour_settings(&self, ctx: &Ctx) -> AppResult<HonourSettings> {
        ctx.actor()?.scope(Permission::OrgRead)?;
        Ok(HonourSettings { notice_days: self.county_days(&NOTICE_DAYS, self.reader_county(ctx)?).await? })
    }

    pub async fn honour_settings_set(&self, ctx: &Ctx, s: HonourSettings) -> AppResult<HonourSettings> {
        self.set_county_days(ctx, &NOTICE_DAYS, s.notice_days).await?;
        Ok(s)
    }

    async fn campaign_in(&self, ctx: &Ctx, id: i64) -> AppResult<Campaign> {
        let scope = ctx.actor()?.scope(Permission::OrgRead)?;
        repo::get_campaign(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("表彰活动"))
    }

    /// The campaign, for the one who runs it (else 403, or 404 when it is not reached at all).
    async fn campaign_managed(&self, ctx: &Ctx, id: i64) -> AppResult<Campaign> {
        let c = self.campaign_in(ctx, id).await?;
        if !self.honour_writes(ctx, &c.org_path) {
            return Err(AppError::Forbidden("表彰活动由发起的党组织办理".into()));
        }
        Ok(c)
    }

    /// The campaign read again inside a write transaction that holds it (`lock_campaign`): what another
    /// request committed meanwhile (the notice, the award) is seen.
    async fn campaign_held(&self, txn: &impl sea_orm::ConnectionTrait, c: &Campaign) -> AppResult<Campaign> {
        repo::get_campaign(txn, &Scope::Paths(vec![c.org_path.clone()]), c.id)
            .await?
            .ok_or_else(|| AppError::not_found("表彰活动"))
    }

    fn campaign_views(&self, ctx: &Ctx, list: Vec<Campaign>, names: &HashMap<i64, String>) -> Vec<HonourCampaign> {
        let today = crate::today();
        let writes: Vec<String> = match ctx.actor().ok().and_then(|a| a.scope(Permission::HonourWrite).ok()) {
            Some(Scope::Paths(ps)) => ps,
            _ => vec![],
        };
        list.into_iter()
            .map(|c| {
                let status = campaign_status(&c);
                let open = status == CampaignStatus::Nominating && c.nominate_until.is_none_or(|u| today <= u);
                HonourCampaign {
                    org: OrgName { id: c.org_id, name: names.get(&c.org_id).cloned().unwrap_or_default() },
                    honours: honours_of(&c)
                        .into_iter()
                        .map(|h| HonourView {
                            subject_label: h.subject.label().into(),
                            name: h.name,
                            subject: h.subject,
                        })
                        .collect(),
                    status_label: status.label().into(),
                    can_manage: self.honour_writes(ctx, &c.org_path),
                    // Someone who writes honours at or under the campaign's organisation.
                    can_nominate: open && writes.iter().any(|p| p.starts_with(&c.org_path)),
                    status,
                    id: c.id,
                    year: c.year,
                    title: c.title,
                    nominate_until: c.nominate_until,
                    notice_from: c.notice_from,
                    notice_until: c.notice_until,
                    awarded_on: c.awarded_on,
                }
            })
            .collect()
    }

    /// The campaigns the caller reaches (run by their organisations or above them), the latest first.
    pub async fn campaign_list(&self, ctx: &Ctx) -> AppResult<Vec<HonourCampaign>> {
        let scope = ctx.actor()?.scope(Permission::OrgRead)?;
        let list = repo::list_campaigns(&self.db, &scope).await?;
        let names = self.org_names(&list.iter().map(|c| c.org_id).collect::<Vec<_>>()).await?;
        Ok(self.campaign_views(ctx, list, &names))
    }

    pub async fn campaign_create(&self, ctx: &Ctx, input: CampaignInput) -> AppResult<CampaignDetail> {
        let actor = ctx.actor()?;
        let org = self.org_in(&self.db, &actor.scope(Permission::HonourWrite)?, input.org_id.get()).await?;
        if !OrgKind::from_code(&org.kind).is_some_and(rules::may_run_campaign) {
            return Err(AppError::field("org_id", "评选表彰须由党委（工委）发起，党支部不能表彰本支部"));
        }
        let mut e = FieldErrors::new();
        let title = e.check("title", required_text(&input.title, "表彰名称", 60)).unwrap_or_default();
        let honours = e.check("honours", rules::check_honours(&input.honours)).unwrap_or_default();
        let today = crate::today();
        if let Some(u) = input.nominate_until
            && u < today
        {
            e.add("nominate_until", "推荐截止日期不能早于今天");
        }
        e.into_result()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let saved = repo::insert_campaign(
            &txn,
            NewCampaign {
                org_id: org.id,
                org_path: org.path.clone(),
                year: input.year.get(),
                title,
                honours: serde_json::to_string(&honours).unwrap_or_else(|_| "[]".into()),
                nominate_until: input.nominate_until,
                created_by: Some(actor.user_id),
            },
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("honour.campaign", "honour_campaign", saved.id).with(
                serde_json::json!({"org_id": org.id, "year": saved.year, "title": saved.title, "honours": honours}),
            ),
        )
        .await?;
        txn.commit().await?;
        self.campaign_detail_of(ctx, saved).await
    }

    pub async fn campaign_get(&self, ctx: &Ctx, id: i64) -> AppResult<CampaignDetail> {
        let c = self.campaign_in(ctx, id).await?;
        self.campaign_detail_of(ctx, c).await
    }

    async fn campaign_detail_of(&self, ctx: &Ctx, c: Campaign) -> AppResult<CampaignDetail> {
        let scope = ctx.actor()?.scope(Permission::OrgRead)?;
        let quotas = repo::quotas(&self.db, c.id).await?;
        let mine = repo::nominations(&self.db, &scope, c.id).await?;
        let public: Vec<Nomination> = repo::nominations_in(&self.db, c.id, &["notice", "awarded", "withdrawn"])
            .await?
            .into_iter()
            .filter(published)
            .collect();
        let mut ids: Vec<i64> = vec![c.org_id];
        ids.extend(quotas.iter().map(|q| q.org_id));
        ids.extend(mine.iter().flat_map(|n| [Some(n.org_id), n.at_org_id]).flatten());
        ids.extend(public.iter().map(|n| n.org_id));
        let names = self.org_names(&ids).await?;
        let mut quota_views = Vec::new();
        for q in quotas {
            quota_views.push(QuotaView {
                used: repo::used(&self.db, c.id, &q.honour, &q.org_path).await?,
                org: OrgName { id: q.org_id, name: names.get(&q.org_id).cloned().unwrap_or_default() },
                honour: q.honour,
                quota: q.quota.max(0) as u32,
            });
        }
        let open_objections = repo::open_objections(&self.db, c.id).await?;
        let nominations = self.nomination_views(ctx, &c, mine, &names);
        let published = public
            .into_iter()
            .map(|n| {
                let s = nomination_status(&n);
                PublishedEntry {
                    org_name: names.get(&n.org_id).cloned().unwrap_or_default(),
                    status_label: s.label().into(),
                    status: s,
                    honour: n.honour,
                    name: n.nominee_name,
                }
            })
            .collect();
        let campaign = self.campaign_views(ctx, vec![c], &names).remove(0);
        Ok(CampaignDetail { campaign, quotas: quota_views, nominations, published, open_objections })
    }

    fn nomination_views(
        &self,
        ctx: &Ctx,
        c: &Campaign,
        list: Vec<Nomination>,
        names: &HashMap<i64, String>,
    ) -> Vec<NominationView> {
        let today = crate::today();
        let manage = self.honour_writes(ctx, &c.org_path);
        let in_notice = campaign_status(c) == CampaignStatus::Notice && c.notice_until.is_some_and(|u| today <= u);
        let name = |id: i64| OrgName { id, name: names.get(&id).cloned().unwrap_or_default() };
        list.into_iter()
            .map(|n| {
                let status = nomination_status(&n);
                let at_path_writes =
                    n.at_org_id.is_some_and(|_| status == NominationStatus::Reviewing) && self.reviews(ctx, &n);
                let own = self.honour_writes(ctx, &n.org_path);
                NominationView {
                    nominee: Nominee { member_id: n.member_id, org_id: n.nominee_org_id, name: n.nominee_name },
                    org: name(n.org_id),
                    at_org: n.at_org_id.filter(|_| status == NominationStatus::Reviewing).map(name),
                    status_label: status.label().into(),
                    subject: HonourSubject::from_code(&n.subject).unwrap_or(HonourSubject::Member),
                    can_review: at_path_writes,
                    can_object: manage && status == NominationStatus::Notice && in_notice,
                    can_handle: manage && status == NominationStatus::Notice,
                    can_withdraw: match status {
                        NominationStatus::Reviewing | NominationStatus::Recommended => own,
                        NominationStatus::Awarded => manage,
                        _ => false,
                    },
                    status,
                    id: n.id,
                    campaign_id: n.campaign_id,
                    honour: n.honour,
                    deeds: n.deeds,
                    discussed_on: n.discussed_on,
                    votes_for: n.votes_for,
                    votes_total: n.votes_total,
                    awarded_on: n.awarded_on,
                    withdrawn_on: n.withdrawn_on,
                    withdraw_reason: n.withdraw_reason,
                }
            })
            .collect()
    }

    /// Whether the caller reviews for the level the nomination waits at: `honour.write` over that
    /// organisation (its path is the prefix of the nominating one's of the right length).
    fn reviews(&self, ctx: &Ctx, n: &Nomination) -> bool {
        at_path(n).is_some_and(|p| self.acts_for(ctx, &p))
    }

    /// Whether the caller holds `honour.write` through a grant at exactly this organisation: a level's
    /// review is its own, not done by a level above on its behalf.
    fn acts_for(&self, ctx: &Ctx, path: &str) -> bool {
        ctx.actor().is_ok_and(|a| {
            a.grants
                .iter()
                .any(|g| g.org_path.as_deref() == Some(path) && g.role.permissions().contains(&Permission::HonourWrite))
        })
    }

    /// The nominations waiting for the review of the caller's own level — the organisation a grant of
    /// theirs is over, not every level below it (the workbench's reminder): (count, the first few names).
    pub(crate) async fn reviews_waiting(&self, ctx: &Ctx) -> AppResult<(u64, Vec<String>)> {
        let scope = ctx.actor()?.scope(Permission::HonourWrite)?;
        let waiting: Vec<String> = repo::in_review(&self.db, &scope)
            .await?
            .into_iter()
            .filter(|n| self.reviews(ctx, n))
            .map(|n| format!("{}（{}）", n.nominee_name, n.honour))
            .collect();
        Ok((waiting.len() as u64, waiting))
    }

    /// Sets the campaign's quotas (the one who runs it, while it takes nominations), replacing them.
    pub async fn campaign_quotas_set(&self, ctx: &Ctx, id: i64, input: QuotasInput) -> AppResult<CampaignDetail> {
        let c = self.campaign_managed(ctx, id).await?;
        if input.items.len() > MAX_QUOTAS {
            return Err(AppError::field("items", format!("名额最多设 {MAX_QUOTAS} 条")));
        }
        let honours = honours_of(&c);
        let scope = Scope::Paths(vec![c.org_path.clone()]);
        let mut rows: Vec<(String, i64, String, i32)> = Vec::new();
        for (i, q) in input.items.iter().enumerate() {
            let field = format!("items[{i}]");
            if !honours.iter().any(|h| h.name == q.honour) {
                return Err(AppError::field(&field, format!("本次表彰没有“{}”这一荣誉称号", q.honour)));
            }
            if q.quota > MAX_QUOTA {
                return Err(AppError::field(&field, format!("名额不能超过 {MAX_QUOTA}")));
            }
            let org = self
                .org_in(&self.db, &scope, q.org_id.get())
                .await
                .map_err(|_| AppError::field(&field, "分配名额的党组织须是本次表彰发起组织或其下级"))?;
            if rows.iter().any(|r| r.0 == q.honour && r.1 == org.id) {
                return Err(AppError::field(&field, format!("“{}”在同一党组织的名额重复", q.honour)));
            }
            rows.push((q.honour.clone(), org.id, org.path, q.quota as i32));
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        repo::lock_campaign(&txn, c.id).await?;
        let c = self.campaign_held(&txn, &c).await?;
        if campaign_status(&c) != CampaignStatus::Nominating {
            return Err(AppError::conflict(format!("表彰{}，不能再调整名额", campaign_status(&c).label())));
        }
        let values: Vec<serde_json::Value> =
            rows.iter().map(|r| serde_json::json!({"honour": r.0, "org_id": r.1, "quota": r.3})).collect();
        repo::set_quotas(&txn, c.id, rows).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("honour.quotas", "honour_campaign", c.id).with(serde_json::json!({"quotas": values})),
        )
        .await?;
        txn.commit().await?;
        self.campaign_detail_of(ctx, c).await
    }

    /// A branch nominates a member or an organisation after its meeting's vote.
    pub async fn nomination_create(&self, ctx: &Ctx, input: NominationInput) -> AppResult<NominationDetail> {
        let actor = ctx.actor()?;
        let c = self.campaign_in(ctx, input.campaign_id.get()).await?;
        let org = self.org_in(&self.db, &actor.scope(Permission::HonourWrite)?, input.org_id.get()).await?;
        let today = crate::today();
        let Some(chain) = rules::review_chain(&org.path, &c.org_path) else {
            return Err(AppError::field("org_id", "推荐的党组织须在本次表彰发起组织之下"));
        };
        check_open(&c, today)?;
        let Some(honour) = honours_of(&c).into_iter().find(|h| h.name == input.honour) else {
            return Err(AppError::field("honour", format!("本次表彰没有“{}”这一荣誉称号", input.honour)));
        };
        let mut e = FieldErrors::new();
        let deeds = e.check("deeds", required_text(&input.deeds, "主要事迹", 3000)).unwrap_or_default();
        e.check("votes_for", rules::check_vote(input.votes_for, input.votes_total));
        e.check("discussed_on", rules::check_meeting(input.discussed_on, c.year, today));
        e.into_result()?;
        let (member_id, nominee_org_id, nominee_name) = match honour.subject {
            HonourSubject::Member => {
                let Some(mid) = input.member_id else {
                    return Err(AppError::field("member_id", format!("“{}”须推荐党员", honour.name)));
                };
                // The member's own organisation nominates, or the one receiving them while away: not a
                // level above (whose nominations would escape the quotas of the organisations below).
                let not_theirs = || AppError::field("member_id", "被推荐的党员须是推荐党组织的党员（含流入党员）");
                let m = members::get(&self.db, &Scope::Paths(vec![org.path.clone()]), mid.get())
                    .await?
                    .ok_or_else(not_theirs)?;
                let received = mobility::open_outflow(&self.db, m.id).await?.and_then(|r| r.receiving_org_id);
                if m.org_id != org.id && received != Some(org.id) {
                    return Err(not_theirs());
                }
                if m.status != "normal" {
                    return Err(AppError::field("member_id", "该党员党籍状态不正常，不能推荐"));
                }
                if actor.member_id == Some(m.id) {
                    return Err(AppError::field("member_id", "不能推荐本人"));
                }
                (Some(m.id), None, m.name)
            }
            HonourSubject::Org => {
                let Some(oid) = input.nominee_org_id else {
                    return Err(AppError::field("nominee_org_id", format!("“{}”须推荐党组织", honour.name)));
                };
                let below = || AppError::field("nominee_org_id", "被推荐的党组织须是推荐党组织本身或其直属下级");
                let o = self
                    .org_in(&self.db, &Scope::Paths(vec![org.path.clone()]), oid.get())
                    .await
                    .map_err(|_| below())?;
                if o.id != org.id && o.parent_id != Some(org.id) {
                    return Err(below());
                }
                (None, Some(o.id), o.name)
            }
        };
        let txn = honglian_store::begin_write(&self.db).await?;
        repo::lock_campaign(&txn, c.id).await?;
        // Read again with the campaign held: a notice published meanwhile closes the nominations.
        check_open(&self.campaign_held(&txn, &c).await?, today)?;
        if repo::nominee_taken(&txn, c.id, member_id, nominee_org_id).await? {
            return Err(AppError::conflict(format!("{nominee_name}已在本次表彰中被推荐")));
        }
        for q in repo::quotas(&txn, c.id).await?.iter().filter(|q| q.honour == honour.name) {
            if org.path.starts_with(&q.org_path) {
                let used = repo::used(&txn, c.id, &q.honour, &q.org_path).await?;
                rules::check_quota(&q.honour, Some(q.quota.max(0) as u32), used as u32)
                    .map_err(|m| AppError::field("honour", m))?;
            }
        }
        let (status, at) = match chain.first() {
            Some(first) => ("reviewing", Some(*first)),
            None => ("recommended", None),
        };
        let saved = repo::insert_nomination(
            &txn,
            NewNomination {
                campaign_id: c.id,
                honour: honour.name.clone(),
                subject: honour.subject.code().into(),
                member_id,
                nominee_org_id,
                nominee_name,
                org_id: org.id,
                org_path: org.path.clone(),
                deeds,
                discussed_on: input.discussed_on,
                votes_for: input.votes_for as i32,
                votes_total: input.votes_total as i32,
                status: status.into(),
                at_org_id: at,
                created_by: Some(actor.user_id),
            },
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("honour.nominate", "honour_nomination", saved.id)
                .with(serde_json::json!({"campaign_id": c.id, "org_id": org.id, "honour": honour.name})),
        )
        .await?;
        txn.commit().await?;
        self.nomination_detail_of(ctx, &c, saved).await
    }

    async fn nomination_in(&self, ctx: &Ctx, id: i64) -> AppResult<(Campaign, Nomination)> {
        let scope = ctx.actor()?.scope(Permission::OrgRead)?;
        let n = repo::get_nomination(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("推荐"))?;
        #[allow(
            clippy::disallowed_methods,
            reason = "the campaign of a nomination the caller reaches: its organisation is an ancestor of the nominating one"
        )]
        let every = Scope::All(honglian_store::Unscoped::system());
        let c =
            repo::get_campaign(&self.db, &every, n.campaign_id).await?.ok_or_else(|| AppError::not_found("推荐"))?;
        Ok((c, n))
    }

    pub async fn nomination_get(&self, ctx: &Ctx, id: i64) -> AppResult<NominationDetail> {
        let (c, n) = self.nomination_in(ctx, id).await?;
        self.nomination_detail_of(ctx, &c, n).await
    }

    async fn nomination_detail_of(&self, ctx: &Ctx, c: &Campaign, n: Nomination) -> AppResult<NominationDetail> {
        // The levels' notes to those who write honours over the nomination, never to the nominee;
        // objections only to the campaign's organisation, which receives and handles them.
        let nominee = n.member_id.is_some() && ctx.actor()?.member_id == n.member_id;
        let insider = self.honour_writes(ctx, &n.org_path) && !nominee;
        let steps = if insider { repo::steps(&self.db, n.id).await? } else { vec![] };
        let manage = self.honour_writes(ctx, &c.org_path) && !nominee;
        let objections = if manage { repo::objections(&self.db, &[n.id]).await? } else { vec![] };
        let mut ids = vec![n.org_id];
        ids.extend(n.at_org_id);
        ids.extend(steps.iter().map(|s| s.org_id));
        let names = self.org_names(&ids).await?;
        Ok(NominationDetail {
            steps: steps
                .into_iter()
                .map(|s| ReviewStepView {
                    org: OrgName { id: s.org_id, name: names.get(&s.org_id).cloned().unwrap_or_default() },
                    on: s.on_date,
                    pass: s.pass,
                    note: s.note,
                    by_name: s.by_name,
                })
                .collect(),
            objections: objections
                .into_iter()
                .map(|o| ObjectionView {
                    id: o.id,
                    received_on: o.received_on,
                    content: o.content,
                    handling: o.handling,
                    upheld: o.upheld,
                    handled_on: o.handled_on,
                })
                .collect(),
            nomination: self.nomination_views(ctx, c, vec![n], &names).remove(0),
        })
    }

    /// One level's review: passed, it goes up to the next level or, from the campaign's organisation,
    /// is recommended; not passed (with why), it stops.
    pub async fn nomination_review(&self, ctx: &Ctx, id: i64, input: HonourReviewInput) -> AppResult<NominationDetail> {
        let actor = ctx.actor()?;
        let (c, current) = self.nomination_in(ctx, id).await?;
        if !self.reviews(ctx, &current) {
            return Err(AppError::Forbidden("推荐由上级党组织逐级审核，您不是当前审核的党组织".into()));
        }
        let pass = input.pass.unwrap_or(true);
        let note = optional_text(input.note.as_deref(), "审核意见", 500)
            .map_err(|m| AppError::field("note", m))?
            .unwrap_or_default();
        if !pass && note.is_empty() {
            return Err(AppError::field("note", "不通过须说明理由"));
        }
        let today = crate::today();
        let txn = honglian_store::begin_write(&self.db).await?;
        repo::lock_campaign(&txn, c.id).await?;
        let scope = actor.scope(Permission::OrgRead)?;
        let mut n = repo::get_nomination(&txn, &scope, id).await?.ok_or_else(|| AppError::not_found("推荐"))?;
        if nomination_status(&n) != NominationStatus::Reviewing || n.at_org_id != current.at_org_id {
            return Err(AppError::conflict(format!("推荐{}，已不在这一级审核", nomination_status(&n).label())));
        }
        let steps = repo::steps(&txn, n.id).await?;
        // Whoever nominated, or reviewed at a level below, or is nominated, does not review it.
        if n.created_by == Some(actor.user_id)
            || steps.iter().any(|s| s.by_id == Some(actor.user_id))
            || (n.member_id.is_some() && actor.member_id == n.member_id)
        {
            return Err(AppError::Forbidden("推荐人、下一级审核人和被推荐人本人不能审核这条推荐".into()));
        }
        let last_on = steps.last().map_or(n.discussed_on, |s| s.on_date);
        check_date(input.on, today).map_err(|m| AppError::field("on", m))?;
        if input.on < last_on {
            return Err(AppError::field("on", format!("审核日期不能早于上一步（{last_on}）")));
        }
        let at = n.at_org_id.unwrap_or_default();
        repo::add_step(&txn, n.id, at, input.on, pass, &note, (Some(actor.user_id), &actor.display_name)).await?;
        let chain = rules::review_chain(&n.org_path, &c.org_path).unwrap_or_default();
        if !pass {
            n.status = "rejected".into();
            n.at_org_id = None;
        } else if let Some(next) = rules::next_reviewer(&chain, at) {
            n.at_org_id = Some(next);
        } else {
            n.status = "recommended".into();
            n.at_org_id = None;
        }
        let saved = repo::save_nomination(&txn, n).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("honour.review", "honour_nomination", saved.id)
                .with(serde_json::json!({"org_id": at, "pass": pass, "status": saved.status})),
        )
        .await?;
        txn.commit().await?;
        self.nomination_detail_of(ctx, &c, saved).await
    }

    /// The campaign's organisation publishes the recommended nominations: the notice runs from today for
    /// the county's working days.
    pub async fn campaign_notice(&self, ctx: &Ctx, id: i64) -> AppResult<CampaignDetail> {
        let c = self.campaign_managed(ctx, id).await?;
        let today = crate::today();
        let county = county_of(&c.org_path).unwrap_or_default();
        let cal = self.work_calendar(&self.db, &format!("/{county}/"), today).await?;
        let days = self.county_days(&NOTICE_DAYS, Some(county)).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        repo::lock_campaign(&txn, c.id).await?;
        let mut c = self.campaign_held(&txn, &c).await?;
        if campaign_status(&c) != CampaignStatus::Nominating {
            return Err(AppError::conflict(format!("表彰{}，不能再次公示", campaign_status(&c).label())));
        }
        let waiting = repo::nominations_in(&txn, c.id, &["reviewing"]).await?.len();
        if waiting > 0 {
            return Err(AppError::conflict(format!("还有 {waiting} 条推荐尚在逐级审核，审核完毕后才能公示")));
        }
        let moved = repo::move_all(&txn, c.id, "recommended", "notice", None).await?;
        if moved == 0 {
            return Err(AppError::conflict("没有审核通过的推荐，无需公示"));
        }
        c.status = "notice".into();
        c.notice_from = Some(today);
        c.notice_until = Some(cal.add_working_days(today, days));
        let saved = repo::save_campaign(&txn, c).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("honour.notice", "honour_campaign", saved.id)
                .with(serde_json::json!({"nominations": moved, "notice_until": saved.notice_until})),
        )
        .await?;
        txn.commit().await?;
        self.campaign_detail_of(ctx, saved).await
    }

    /// Records an objection received during the notice (by the nominating organisation or above).
    pub async fn nomination_objection_add(
        &self,
        ctx: &Ctx,
        id: i64,
        input: ObjectionInput,
    ) -> AppResult<NominationDetail> {
        let actor = ctx.actor()?;
        let (c, _) = self.nomination_in(ctx, id).await?;
        if !self.honour_writes(ctx, &c.org_path) {
            return Err(AppError::Forbidden("公示期间的异议由表彰发起的党组织受理".into()));
        }
        let content = required_text(&input.content, "异议内容", 1000).map_err(|m| AppError::field("content", m))?;
        check_date(input.received_on, crate::today()).map_err(|m| AppError::field("received_on", m))?;
        let txn = honglian_store::begin_write(&self.db).await?;
        repo::lock_campaign(&txn, c.id).await?;
        let n = repo::get_nomination(&txn, &actor.scope(Permission::HonourWrite)?, id)
            .await?
            .ok_or_else(|| AppError::not_found("推荐"))?;
        let c = self.campaign_held(&txn, &c).await?;
        rules::check_objection(nomination_status(&n), c.notice_from, c.notice_until, input.received_on)
            .map_err(|m| AppError::field("received_on", m))?;
        let o = repo::add_objection(&txn, n.id, input.received_on, &content, Some(actor.user_id)).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("honour.objection", "honour_nomination", n.id)
                .with(serde_json::json!({"objection_id": o.id, "received_on": o.received_on})),
        )
        .await?;
        txn.commit().await?;
        self.nomination_detail_of(ctx, &c, n).await
    }

    /// The campaign's organisation handles an objection: one that holds stops the nomination.
    pub async fn nomination_objection_handle(
        &self,
        ctx: &Ctx,
        id: i64,
        objection_id: i64,
        input: ObjectionHandling,
    ) -> AppResult<NominationDetail> {
        let (c, _) = self.nomination_in(ctx, id).await?;
        if !self.honour_writes(ctx, &c.org_path) {
            return Err(AppError::Forbidden("异议由表彰发起的党组织处理".into()));
        }
        let handling = required_text(&input.handling, "处理意见", 500).map_err(|m| AppError::field("handling", m))?;
        let txn = honglian_store::begin_write(&self.db).await?;
        repo::lock_campaign(&txn, c.id).await?;
        let scope = ctx.actor()?.scope(Permission::HonourWrite)?;
        let mut n = repo::get_nomination(&txn, &scope, id).await?.ok_or_else(|| AppError::not_found("推荐"))?;
        let mut o = repo::objections(&txn, &[n.id])
            .await?
            .into_iter()
            .find(|o| o.id == objection_id)
            .ok_or_else(|| AppError::not_found("异议"))?;
        if o.upheld.is_some() {
            return Err(AppError::conflict("该异议已处理"));
        }
        o.upheld = Some(input.upheld);
        o.handling = handling;
        o.handled_on = Some(crate::today());
        repo::save_objection(&txn, o).await?;
        if input.upheld && nomination_status(&n) == NominationStatus::Notice {
            n.status = "rejected".into();
            n = repo::save_nomination(&txn, n).await?;
        }
        self.audit(
            &txn,
            ctx,
            Event::ok("honour.objection_handle", "honour_nomination", n.id)
                .with(serde_json::json!({"objection_id": objection_id, "upheld": input.upheld})),
        )
        .await?;
        txn.commit().await?;
        self.nomination_detail_of(ctx, &c, n).await
    }

    /// The award: after the notice, every objection handled, all still on notice are awarded.
    pub async fn campaign_award(&self, ctx: &Ctx, id: i64, input: AwardInput) -> AppResult<CampaignDetail> {
        let c = self.campaign_managed(ctx, id).await?;
        let today = crate::today();
        check_date(input.on, today).map_err(|m| AppError::field("on", m))?;
        let txn = honglian_store::begin_write(&self.db).await?;
        repo::lock_campaign(&txn, c.id).await?;
        let mut c = self.campaign_held(&txn, &c).await?;
        if campaign_status(&c) != CampaignStatus::Notice {
            return Err(AppError::conflict(format!("表彰{}，公示后才能表彰", campaign_status(&c).label())));
        }
        let open = repo::open_objections(&txn, c.id).await? as usize;
        rules::check_award(c.notice_until, open, input.on).map_err(|m| AppError::field("on", m))?;
        let awarded = repo::move_all(&txn, c.id, "notice", "awarded", Some(input.on)).await?;
        c.status = "awarded".into();
        c.awarded_on = Some(input.on);
        let saved = repo::save_campaign(&txn, c).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("honour.award", "honour_campaign", saved.id).with(serde_json::json!({"awarded": awarded})),
        )
        .await?;
        txn.commit().await?;
        self.campaign_detail_of(ctx, saved).await
    }

    /// Withdraws a nomination (the nominating organisation, before the notice) or an award (the
    /// campaign's organisation, with the reason): kept and marked, never deleted.
    pub async fn nomination_withdraw(&self, ctx: &Ctx, id: i64, input: WithdrawalInput) -> AppResult<NominationDetail> {
        let (c, current) = self.nomination_in(ctx, id).await?;
        let (own, manage) = (self.honour_writes(ctx, &current.org_path), self.honour_writes(ctx, &c.org_path));
        if !own && !manage {
            return Err(AppError::forbidden());
        }
        let allowed = match nomination_status(&current) {
            NominationStatus::Reviewing | NominationStatus::Recommended => own,
            NominationStatus::Awarded => manage,
            s => return Err(AppError::conflict(format!("推荐{}，不能撤销", s.label()))),
        };
        if !allowed {
            return Err(AppError::Forbidden("推荐由推荐的党组织撤回；已授予的荣誉由表彰发起的党组织撤销".into()));
        }
        let reason = required_text(&input.reason, "撤销原因", 200).map_err(|m| AppError::field("reason", m))?;
        let txn = honglian_store::begin_write(&self.db).await?;
        repo::lock_campaign(&txn, c.id).await?;
        let scope = ctx.actor()?.scope(Permission::OrgRead)?;
        let mut n = repo::get_nomination(&txn, &scope, id).await?.ok_or_else(|| AppError::not_found("推荐"))?;
        if n.status != current.status {
            return Err(AppError::conflict(format!("推荐{}，请刷新后再试", nomination_status(&n).label())));
        }
        n.status = "withdrawn".into();
        n.at_org_id = None;
        n.withdrawn_on = Some(crate::today());
        n.withdraw_reason = Some(reason);
        let saved = repo::save_nomination(&txn, n).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("honour.withdraw", "honour_nomination", saved.id).with(serde_json::json!({
                "from": current.status, "awarded": saved.awarded_on.is_some(), "reason": saved.withdraw_reason})),
        )
        .await?;
        txn.commit().await?;
        self.nomination_detail_of(ctx, &c, saved).await
    }

    /// The published list as print-ready xlsx or PDF: the notice list while on notice, the award list
    /// after (a withdrawn award marked). Audited.
    pub async fn campaign_list_file(&self, ctx: &Ctx, id: i64, format: ReportFormat) -> AppResult<Export> {
        let actor = ctx.actor()?;
        let c = self.campaign_in(ctx, id).await?;
        let awarded = match campaign_status(&c) {
            CampaignStatus::Nominating => return Err(AppError::conflict("尚未公示，没有可导出的名单")),
            s => s == CampaignStatus::Awarded,
        };
        let list: Vec<Nomination> = repo::nominations_in(&self.db, c.id, &["notice", "awarded", "withdrawn"])
            .await?
            .into_iter()
            .filter(published)
            .collect();
        let names = self.org_names(&list.iter().map(|n| n.org_id).chain([c.org_id]).collect::<Vec<_>>()).await?;
        let rows: Vec<Vec<String>> = list
            .iter()
            .enumerate()
            .map(|(i, n)| {
                vec![
                    (i + 1).to_string(),
                    n.honour.clone(),
                    n.nominee_name.clone(),
                    names.get(&n.org_id).cloned().unwrap_or_default(),
                    n.awarded_on.map(|d| d.to_string()).unwrap_or_default(),
                    // The reason (often a disciplinary sanction) stays on the record, not on a published list.
                    n.withdrawn_on.map(|on| format!("{on} 已撤销")).unwrap_or_default(),
                ]
            })
            .collect();
        let unit = names.get(&c.org_id).cloned().unwrap_or_default();
        let kind = if awarded { "表彰名单" } else { "公示名单" };
        let intro = if awarded {
            format!(
                "{} 表彰，共 {} 名（个）。导出人：{}",
                c.awarded_on.map(|d| d.to_string()).unwrap_or_default(),
                rows.len(),
                actor.display_name
            )
        } else {
            format!(
                "公示期：{} 至 {}。公示期间如有异议，请向{}反映。导出人：{}",
                c.notice_from.map(|d| d.to_string()).unwrap_or_default(),
                c.notice_until.map(|d| d.to_string()).unwrap_or_default(),
                unit,
                actor.display_name
            )
        };
        let report = Report {
            title: format!("{}{kind}", c.title),
            sheet: kind.into(),
            unit: unit.clone(),
            date: crate::today().to_string(),
            intro: vec![intro],
            columns: vec![
                Column::new("序号", 6.0).center(),
                Column::new("荣誉称号", 18.0),
                Column::new("姓名 / 党组织", 26.0),
                Column::new("推荐单位", 26.0),
                Column::new("表彰日期", 11.0).fit("2026-12-31").center(),
                Column::new("备注", 24.0),
            ],
            landscape: true,
        };
        let (file, written) = report_file(report, format, rows).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("honour.list", "honour_campaign", c.id)
                .with(serde_json::json!({"rows": written, "format": format.extension()})),
        )
        .await?;
        txn.commit().await?;
        Ok(Export { filename: format!("{}{kind}.{}", c.title, format.extension()), file, rows: written })
    }

    async fn honour_records(&self, list: Vec<Nomination>) -> AppResult<Vec<HonourRecord>> {
        let ids: Vec<i64> = list.iter().map(|n| n.campaign_id).collect();
        let campaigns: HashMap<i64, Campaign> =
            repo::campaigns_by_ids(&self.db, &ids).await?.into_iter().map(|c| (c.id, c)).collect();
        let names = self.org_names(&campaigns.values().map(|c| c.org_id).collect::<Vec<_>>()).await?;
        Ok(list
            .into_iter()
            .filter_map(|n| {
                let c = campaigns.get(&n.campaign_id)?;
                Some(HonourRecord {
                    nomination_id: n.id,
                    campaign_id: c.id,
                    campaign_title: c.title.clone(),
                    year: c.year,
                    honour: n.honour,
                    awarded_by: names.get(&c.org_id).cloned().unwrap_or_default(),
                    awarded_on: n.awarded_on?,
                    withdrawn_on: n.withdrawn_on,
                    withdraw_reason: n.withdraw_reason,
                })
            })
            .collect())
    }

    /// A member's honours (for those who read the member), a withdrawn one marked.
    pub async fn member_honours(&self, ctx: &Ctx, member_id: i64) -> AppResult<Vec<HonourRecord>> {
        let scope = ctx.actor()?.scope(Permission::MemberRead)?;
        let m = members::get(&self.db, &scope, member_id).await?.ok_or_else(|| AppError::not_found("党员"))?;
        self.honour_records(repo::honours_of(&self.db, Some(m.id), None).await?).await
    }

    /// An organisation's honours (for those who read it).
    pub async fn org_honours(&self, ctx: &Ctx, org_id: i64) -> AppResult<Vec<HonourRecord>> {
        let scope = ctx.actor()?.scope(Permission::OrgRead)?;
        let o = self.org_in(&self.db, &scope, org_id).await?;
        self.honour_records(repo::honours_of(&self.db, None, Some(o.id)).await?).await
    }

    /// The signed-in member's honours, and the notices of the campaigns run by their organisation's
    /// ancestors (published lists: name, honour, nominating organisation).
    pub async fn my_honours(&self, ctx: &Ctx) -> AppResult<MyHonours> {
        let actor = ctx.actor()?;
        if actor.member_id.is_none() || !actor.has(Permission::MemberSelf) {
            return Err(AppError::forbidden());
        }
        let m = self.own_member(&self.db, ctx).await?;
        let honours = self.honour_records(repo::honours_of(&self.db, Some(m.id), None).await?).await?;
        let ids = rules::path_ids(&m.org_path);
        let paths: Vec<String> = (1..=ids.len())
            .map(|k| format!("/{}/", ids[..k].iter().map(i64::to_string).collect::<Vec<_>>().join("/")))
            .collect();
        let today = crate::today();
        let mut notices = Vec::new();
        for c in repo::campaigns_on_notice(&self.db, &paths).await? {
            if c.notice_until.is_some_and(|u| u < today) {
                continue;
            }
            let list = repo::nominations_in(&self.db, c.id, &["notice"]).await?;
            let names = self.org_names(&list.iter().map(|n| n.org_id).chain([c.org_id]).collect::<Vec<_>>()).await?;
            notices.push(NoticeView {
                campaign_id: c.id,
                title: c.title.clone(),
                org_name: names.get(&c.org_id).cloned().unwrap_or_default(),
                notice_from: c.notice_from,
                notice_until: c.notice_until,
                entries: list
                    .into_iter()
                    .map(|n| PublishedEntry {
                        org_name: names.get(&n.org_id).cloned().unwrap_or_default(),
                        status: NominationStatus::Notice,
                        status_label: NominationStatus::Notice.label().into(),
                        honour: n.honour,
                        name: n.nominee_name,
                    })
                    .collect(),
            });
        }
        Ok(MyHonours { honours, notices })
    }
}
