//! 回乡工程: investment drives (招商推介会) held with the chambers and the project leads (项目线索) they
//! and the members bring home, followed through a pipeline (lead → contacted → visited → signed →
//! landed, or dropped with a reason) with dated steps; a lead that has not moved for the county's
//! number of days (default 30) is flagged and reminded of on the workbench. Figures by stage, city,
//! chamber and sector, the landed investment by year, and a print-ready ledger (xlsx, PDF).
//!
//! Who reaches what: drives and leads are read over `org.read` and written over `investment.write`,
//! through the organisation that holds them: a chamber branch its own, the county all of its chambers'.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use honglian_domain::goals::grant::Fen;
use honglian_domain::hometown::investment::{
    self as rules, DEFAULT_STALE_DAYS, LeadStage, STALE_DAYS_RANGE, Sector, Step, check_amount, wan_yuan,
};
use honglian_domain::hometown::{FIRST_DAY, check_date};
use honglian_domain::platform::authz::Permission;
use honglian_domain::validation::{optional_text, required_text};
use honglian_domain::{FieldErrors, PageNo, PerPage, RecordId, Year};
use honglian_store::Scope;
use honglian_store::repo::PageReq;
use honglian_store::repo::hometown::investment::{self as repo, Drive, Lead, LeadFilter, NewDrive, NewLead};
use honglian_store::repo::members::mobility;
use honglian_store::repo::members::registry as members;
use honglian_store::repo::organisations::orgs::Org;
use honglian_store::repo::services::files;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::yuan_field;
use crate::members::export::Export;
use crate::org_life::activities::{AttachmentView, OrgName};
use crate::platform::audit::Event;
use crate::platform::pdf::Column;
use crate::platform::report::{Report, ReportFormat, report_file};
use crate::platform::settings::CountyDays;
use crate::platform::settings::county_of;
use crate::services::requests::attachment_view;
use crate::{App, AppError, AppResult, Ctx};

/// The county setting: days after which an unmoved lead is reminded of.
const STALE_DAYS: CountyDays = CountyDays {
    key: "investment_stale_days",
    range: STALE_DAYS_RANGE,
    default: DEFAULT_STALE_DAYS,
    field: "stale_days",
    label: "提醒天数",
};
/// Materials a drive may keep.
const MAX_MATERIALS: usize = 20;
/// Members a drive may name.
const MAX_DRIVE_MEMBERS: usize = 500;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberName {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DriveView {
    pub id: i64,
    /// The organisation that held it.
    pub org: OrgName,
    pub held_on: NaiveDate,
    pub city: String,
    pub title: String,
    /// The county leaders who held it.
    pub leaders: String,
    /// The entrepreneurs who came, one per line.
    pub entrepreneurs: String,
    pub summary: String,
    /// The members who took part (those the caller reads).
    pub members: Vec<MemberName>,
    /// Members who took part whom the caller does not read (counted, not named).
    pub other_members: u64,
    /// Leads recorded from it.
    pub leads: u64,
    pub can_edit: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DriveDetail {
    pub drive: DriveView,
    pub materials: Vec<AttachmentView>,
    pub leads: Vec<LeadView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DrivePage {
    pub items: Vec<DriveView>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DriveInput {
    /// The organisation that held it (in the caller's scope).
    pub org_id: RecordId,
    pub held_on: NaiveDate,
    pub city: String,
    pub title: String,
    pub leaders: String,
    #[serde(default)]
    pub entrepreneurs: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub member_ids: Vec<RecordId>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DriveQuery {
    pub year: Option<Year>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DriveRef {
    pub id: i64,
    pub title: String,
    pub held_on: NaiveDate,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LeadView {
    pub id: i64,
    /// The organisation that follows it up.
    pub org: OrgName,
    pub drive: Option<DriveRef>,
    pub project: String,
    pub sector: Sector,
    pub sector_label: String,
    pub investor: String,
    /// The member who brought it.
    pub member: Option<MemberName>,
    pub city: String,
    pub town: String,
    /// Intended investment, fen.
    pub amount_fen: i64,
    /// The same in 万元, two decimals.
    pub amount_wan: String,
    /// Invested once landed, fen.
    pub landed_fen: Option<i64>,
    pub landed_wan: Option<String>,
    pub stage: LeadStage,
    pub stage_label: String,
    /// The day it reached its stage.
    pub stage_on: NaiveDate,
    pub next_step: String,
    pub next_step_on: Option<NaiveDate>,
    pub drop_reason: String,
    /// In the pipeline and unmoved for the county's number of days.
    pub stale: bool,
    /// Days since it last moved (in the pipeline only).
    pub days_unmoved: Option<i64>,
    pub can_edit: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StepView {
    pub stage: LeadStage,
    pub stage_label: String,
    pub on: NaiveDate,
    pub note: String,
    pub amount_fen: Option<i64>,
    pub by_name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StageOption {
    pub stage: LeadStage,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LeadDetail {
    pub lead: LeadView,
    pub steps: Vec<StepView>,
    /// Where it may go next (for the one who may move it).
    pub next_stages: Vec<StageOption>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StageCount {
    pub stage: LeadStage,
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LeadPage {
    pub items: Vec<LeadView>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// The county's days after which an unmoved lead is flagged.
    pub stale_days: u32,
    /// Leads of the caller's scope flagged now (whatever the filters).
    pub stale: u64,
    /// How many leads of the caller's scope are at each stage (whatever the filters).
    pub counts: Vec<StageCount>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LeadInput {
    /// The organisation that follows it up (in the caller's scope).
    pub org_id: RecordId,
    /// The drive it came from, if any.
    #[serde(default)]
    pub drive_id: Option<RecordId>,
    pub project: String,
    pub sector: Sector,
    pub investor: String,
    /// The member who brought it.
    #[serde(default)]
    pub member_id: Option<RecordId>,
    /// Where the investor is (the drive's city when left out).
    #[serde(default)]
    pub city: Option<String>,
    /// The town it would land in.
    pub town: String,
    /// Intended investment in yuan as people write it (`3000`, `3,000.50`, `￥3000万` is not accepted: yuan).
    pub amount: String,
    #[serde(default)]
    pub next_step: Option<String>,
    #[serde(default)]
    pub next_step_on: Option<NaiveDate>,
    /// The day the lead came (today when left out; a new lead only).
    #[serde(default)]
    pub recorded_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct StepInput {
    pub to: LeadStage,
    pub on: NaiveDate,
    #[serde(default)]
    pub note: Option<String>,
    /// For a landing: the investment in place, yuan.
    #[serde(default)]
    pub landed: Option<String>,
    /// For a drop: why.
    #[serde(default)]
    pub reason: Option<String>,
    /// The next step and its day, if any.
    #[serde(default)]
    pub next_step: Option<String>,
    #[serde(default)]
    pub next_step_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LeadQuery {
    #[param(inline)]
    pub stage: Option<LeadStage>,
    #[param(inline)]
    pub sector: Option<Sector>,
    pub drive_id: Option<RecordId>,
    /// Only this organisation's subtree.
    pub org_id: Option<RecordId>,
    /// Only leads flagged as unmoved.
    pub stale: Option<bool>,
    /// A word of the project, the investor or the member.
    pub q: Option<String>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FiguresQuery {
    /// Only this organisation's subtree.
    pub org_id: Option<RecordId>,
}

/// Counts and sums of a group of leads (fen exact).
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Tally {
    /// The group: a stage, a city, an organisation or a sector (its code or id).
    pub key: String,
    pub name: String,
    pub leads: u64,
    /// Still in the pipeline (lead … signed).
    pub in_pipeline: u64,
    pub signed: u64,
    pub landed: u64,
    pub dropped: u64,
    /// Intended investment of every lead of the group, fen.
    pub amount_fen: i64,
    /// Invested by the landed ones, fen.
    pub landed_fen: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct YearLanded {
    pub year: i32,
    pub landed: u64,
    pub landed_fen: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvestmentFigures {
    pub total: Tally,
    pub by_stage: Vec<Tally>,
    pub by_city: Vec<Tally>,
    /// By the organisation that follows the lead up (the chamber branch).
    pub by_chamber: Vec<Tally>,
    pub by_sector: Vec<Tally>,
    /// The landed investment by the year it landed, oldest first.
    pub landed_by_year: Vec<YearLanded>,
    pub stale_days: u32,
    pub stale: u64,
}

/// A drive as a member sees it on the phone: what it was, not who else came.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyDrive {
    pub id: i64,
    pub held_on: NaiveDate,
    pub city: String,
    pub title: String,
    /// The organisation that held it.
    pub org_name: String,
    pub leaders: String,
    pub summary: String,
    /// The member took part.
    pub took_part: bool,
    /// Leads recorded from it.
    pub leads: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InvestmentSettings {
    /// Days after which a lead that has not moved is reminded of (7–180).
    pub stale_days: u32,
}

fn stage_of(l: &Lead) -> LeadStage {
    LeadStage::from_code(&l.stage).unwrap_or(LeadStage::Lead)
}

fn parse_amount(e: &mut FieldErrors, field: &str, what: &str, s: &str) -> Option<Fen> {
    yuan_field(e, field, s, |f| check_amount(f, what))
}

fn text(e: &mut FieldErrors, field: &str, v: &str, label: &str, max: usize) -> String {
    e.check(field, required_text(v, label, max)).unwrap_or_default()
}

fn opt_text(e: &mut FieldErrors, field: &str, v: Option<&str>, label: &str, max: usize) -> String {
    e.check(field, optional_text(v, label, max)).flatten().unwrap_or_default()
}

/// Adds a lead to a tally.
fn count(t: &mut Tally, stage: LeadStage, amount: i64, landed: Option<i64>) {
    // Saturating: a sum past i64 (some 900,000 leads at the cap) shows the largest figure, never wraps.
    t.leads += 1;
    t.amount_fen = t.amount_fen.saturating_add(amount);
    match stage {
        LeadStage::Landed => {
            t.landed += 1;
            t.landed_fen = t.landed_fen.saturating_add(landed.unwrap_or(0));
        }
        LeadStage::Dropped => t.dropped += 1,
        LeadStage::Signed => {
            t.signed += 1;
            t.in_pipeline += 1;
        }
        _ => t.in_pipeline += 1,
    }
}

impl App {
    /// The county's days after which an unmoved lead is flagged.
    async fn stale_days(&self, county: Option<i64>) -> AppResult<u32> {
        self.county_days(&STALE_DAYS, county).await
    }

    pub async fn investment_settings(&self, ctx: &Ctx) -> AppResult<InvestmentSettings> {
        ctx.actor()?.scope(Permission::OrgRead)?;
        Ok(InvestmentSettings { stale_days: self.stale_days(self.reader_county(ctx)?).await? })
    }

    /// Sets the county's days (county admins of that county).
    pub async fn investment_settings_set(&self, ctx: &Ctx, s: InvestmentSettings) -> AppResult<InvestmentSettings> {
        self.set_county_days(ctx, &STALE_DAYS, s.stale_days).await?;
        Ok(s)
    }

    fn writes(&self, ctx: &Ctx, path: &str) -> bool {
        ctx.actor().is_ok_and(|a| a.scope(Permission::InvestmentWrite).is_ok_and(|s| s.contains(path)))
    }

    async fn drive_views(&self, ctx: &Ctx, list: Vec<Drive>) -> AppResult<Vec<DriveView>> {
        let ids: Vec<i64> = list.iter().map(|d| d.id).collect();
        let scope = ctx.actor()?.scope(Permission::OrgRead).unwrap_or(Scope::none());
        let leads: HashMap<i64, i64> = repo::leads_per_drive(&self.db, &scope, &ids).await?.into_iter().collect();
        let pairs = repo::drive_members(&self.db, &ids).await?;
        let names = members::names(&self.db, &pairs.iter().map(|p| p.1).collect::<Vec<_>>()).await?;
        // Only the members the caller reads are named; the others are counted.
        let readable = ctx.actor()?.scope(Permission::MemberRead).unwrap_or(Scope::none());
        let mut seen: HashMap<i64, bool> = HashMap::new();
        let mut by_drive: HashMap<i64, Vec<MemberName>> = HashMap::new();
        let mut others: HashMap<i64, u64> = HashMap::new();
        for (d, m) in pairs {
            let reads = match seen.get(&m) {
                Some(r) => *r,
                None => {
                    let r = members::get(&self.db, &readable, m).await?.is_some();
                    seen.insert(m, r);
                    r
                }
            };
            if reads {
                by_drive
                    .entry(d)
                    .or_default()
                    .push(MemberName { id: m, name: names.get(&m).cloned().unwrap_or_default() });
            } else {
                *others.entry(d).or_default() += 1;
            }
        }
        let orgs = self.org_names(&list.iter().map(|d| d.org_id).collect::<Vec<_>>()).await?;
        Ok(list
            .into_iter()
            .map(|d| {
                let mut ms = by_drive.remove(&d.id).unwrap_or_default();
                ms.sort_by(|a, b| a.name.cmp(&b.name));
                DriveView {
                    org: OrgName { id: d.org_id, name: orgs.get(&d.org_id).cloned().unwrap_or_default() },
                    leads: leads.get(&d.id).copied().unwrap_or(0).max(0) as u64,
                    can_edit: self.writes(ctx, &d.org_path),
                    other_members: others.get(&d.id).copied().unwrap_or(0),
                    members: ms,
                    id: d.id,
                    held_on: d.held_on,
                    city: d.city,
                    title: d.title,
                    leaders: d.leaders,
                    entrepreneurs: d.entrepreneurs,
                    summary: d.summary,
                }
            })
            .collect())
    }

    async fn drive_in(&self, ctx: &Ctx, p: Permission, id: i64) -> AppResult<Drive> {
        let scope = ctx.actor()?.scope(p)?;
        repo::get_drive(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("推介会"))
    }

    async fn lead_in(&self, ctx: &Ctx, p: Permission, id: i64) -> AppResult<Lead> {
        let scope = ctx.actor()?.scope(p)?;
        repo::get_lead(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("项目线索"))
    }

    pub async fn drive_list(&self, ctx: &Ctx, q: DriveQuery) -> AppResult<DrivePage> {
        let scope = ctx.actor()?.scope(Permission::OrgRead)?;
        let page = PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into));
        let found = repo::list_drives(&self.db, &scope, q.year.map(|y| y.get()), page).await?;
        Ok(DrivePage {
            items: self.drive_views(ctx, found.items).await?,
            total: found.total,
            page: page.page,
            per_page: page.per_page,
        })
    }

    pub async fn drive_get(&self, ctx: &Ctx, id: i64) -> AppResult<DriveDetail> {
        let d = self.drive_in(ctx, Permission::OrgRead, id).await?;
        self.drive_detail_of(ctx, d).await
    }

    async fn drive_detail_of(&self, ctx: &Ctx, d: Drive) -> AppResult<DriveDetail> {
        let scope = ctx.actor()?.scope(Permission::OrgRead)?;
        let materials = files::list(&self.db, (&d).into()).await?.into_iter().map(attachment_view).collect();
        let f = LeadFilter { drive_id: Some(d.id), ..Default::default() };
        let leads = repo::all_leads(&self.db, &scope, &f).await?;
        let leads = self.lead_views(ctx, leads).await?;
        Ok(DriveDetail { drive: self.drive_views(ctx, vec![d]).await?.remove(0), materials, leads })
    }

    /// Checks a drive's input: the organisation in the caller's scope, the members ones they read.
    async fn drive_fields(&self, ctx: &Ctx, input: &DriveInput) -> AppResult<(Org, Vec<i64>, FieldErrors)> {
        let actor = ctx.actor()?;
        let org = self.org_in(&self.db, &actor.scope(Permission::InvestmentWrite)?, input.org_id.get()).await?;
        let mut e = FieldErrors::new();
        if input.held_on > crate::today() + chrono::Duration::days(366) {
            e.add("held_on", "日期不能晚于明年今日");
        } else if input.held_on < FIRST_DAY {
            e.add("held_on", format!("日期不能早于 {FIRST_DAY}"));
        }
        let mut ids: Vec<i64> = input.member_ids.iter().map(|m| m.get()).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() > MAX_DRIVE_MEMBERS {
            e.add("member_ids", format!("参加党员最多 {MAX_DRIVE_MEMBERS} 名"));
        } else {
            let readable = actor.scope(Permission::MemberRead).unwrap_or(Scope::none());
            for id in &ids {
                if members::get(&self.db, &readable, *id).await?.is_none() {
                    e.add("member_ids", "请从有权查看的党员中选择参加党员");
                    break;
                }
            }
        }
        Ok((org, ids, e))
    }

    pub async fn drive_create(&self, ctx: &Ctx, input: DriveInput) -> AppResult<DriveDetail> {
        let (org, ids, mut e) = self.drive_fields(ctx, &input).await?;
        let d = NewDrive {
            org_id: org.id,
            org_path: org.path.clone(),
            held_on: input.held_on,
            city: text(&mut e, "city", &input.city, "举办城市", 30),
            title: text(&mut e, "title", &input.title, "推介会名称", 100),
            leaders: text(&mut e, "leaders", &input.leaders, "出席领导", 200),
            entrepreneurs: opt_text(&mut e, "entrepreneurs", Some(&input.entrepreneurs), "参会企业家", 2000),
            summary: opt_text(&mut e, "summary", Some(&input.summary), "会议情况", 5000),
            created_by: Some(ctx.actor()?.user_id),
        };
        e.into_result()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let saved = repo::insert_drive(&txn, d).await?;
        repo::set_drive_members(&txn, saved.id, &ids).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("investment.drive_create", "investment_drive", saved.id)
                .with(serde_json::json!({"org_id": org.id, "members": ids.len()})),
        )
        .await?;
        txn.commit().await?;
        self.drive_detail_of(ctx, saved).await
    }

    pub async fn drive_update(&self, ctx: &Ctx, id: i64, input: DriveInput) -> AppResult<DriveDetail> {
        let mut d = self.drive_in(ctx, Permission::InvestmentWrite, id).await?;
        let (org, ids, mut e) = self.drive_fields(ctx, &input).await?;
        d.org_id = org.id;
        d.org_path = org.path.clone();
        d.held_on = input.held_on;
        d.city = text(&mut e, "city", &input.city, "举办城市", 30);
        d.title = text(&mut e, "title", &input.title, "推介会名称", 100);
        d.leaders = text(&mut e, "leaders", &input.leaders, "出席领导", 200);
        d.entrepreneurs = opt_text(&mut e, "entrepreneurs", Some(&input.entrepreneurs), "参会企业家", 2000);
        d.summary = opt_text(&mut e, "summary", Some(&input.summary), "会议情况", 5000);
        e.into_result()?;
        // Members named by someone else whom this caller does not read stay on the drive.
        let readable = ctx.actor()?.scope(Permission::MemberRead).unwrap_or(Scope::none());
        let mut ids = ids;
        for (_, m) in repo::drive_members(&self.db, &[d.id]).await? {
            if !ids.contains(&m) && members::get(&self.db, &readable, m).await?.is_none() {
                ids.push(m);
            }
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        let saved = repo::save_drive(&txn, d).await?;
        repo::set_drive_members(&txn, saved.id, &ids).await?;
        self.audit(&txn, ctx, Event::ok("investment.drive_update", "investment_drive", saved.id)).await?;
        txn.commit().await?;
        self.drive_detail_of(ctx, saved).await
    }

    /// Removes a drive no lead came from (a mistake), with its materials.
    pub async fn drive_delete(&self, ctx: &Ctx, id: i64) -> AppResult<()> {
        let d = self.drive_in(ctx, Permission::InvestmentWrite, id).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        #[allow(
            clippy::disallowed_methods,
            reason = "a drive is deleted only when no lead of any organisation names it"
        )]
        let every = Scope::All(honglian_store::Unscoped::system());
        if repo::leads_per_drive(&txn, &every, &[d.id]).await?.iter().any(|(_, n)| *n > 0) {
            return Err(AppError::conflict("该推介会已登记项目线索，不能删除"));
        }
        let materials = files::list(&txn, (&d).into()).await?;
        let keys: Vec<String> = materials.iter().map(|f| f.key.clone()).collect();
        for f in materials {
            files::delete(&txn, f).await?;
        }
        repo::delete_drive(&txn, &d).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("investment.drive_delete", "investment_drive", d.id).with(serde_json::json!({"title": d.title})),
        )
        .await?;
        txn.commit().await?;
        for k in keys {
            self.remove_stored_file(&k).await;
        }
        Ok(())
    }

    pub async fn drive_material_add(
        &self,
        ctx: &Ctx,
        id: i64,
        filename: &str,
        bytes: &[u8],
    ) -> AppResult<AttachmentView> {
        let actor = ctx.actor()?;
        let d = self.drive_in(ctx, Permission::InvestmentWrite, id).await?;
        if files::list(&self.db, (&d).into()).await?.len() >= MAX_MATERIALS {
            return Err(AppError::field("file", format!("每场推介会最多 {MAX_MATERIALS} 份材料")));
        }
        let f = self.store_file(&format!("drives/{}", d.id), filename, bytes).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let saved = files::insert(&txn, (&d).into(), crate::services::new_file(f, actor)).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("investment.drive_material", "investment_drive", d.id)
                .with(serde_json::json!({"file_id": saved.id, "size": saved.size})),
        )
        .await?;
        txn.commit().await?;
        Ok(attachment_view(saved))
    }

    pub async fn drive_material_get(&self, ctx: &Ctx, id: i64, file_id: i64) -> AppResult<(AttachmentView, Vec<u8>)> {
        let d = self.drive_in(ctx, Permission::OrgRead, id).await?;
        let f = files::get(&self.db, (&d).into(), file_id).await?.ok_or_else(|| AppError::not_found("材料"))?;
        let bytes = self.read_file(&f.key).await?;
        Ok((attachment_view(f), bytes))
    }

    /// Removes a material (a second click finds it gone: no error).
    pub async fn drive_material_remove(&self, ctx: &Ctx, id: i64, file_id: i64) -> AppResult<DriveDetail> {
        let d = self.drive_in(ctx, Permission::InvestmentWrite, id).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        if let Some(f) = files::get(&txn, (&d).into(), file_id).await? {
            let key = f.key.clone();
            files::delete(&txn, f).await?;
            self.audit(
                &txn,
                ctx,
                Event::ok("investment.drive_material_remove", "investment_drive", d.id)
                    .with(serde_json::json!({"file_id": file_id})),
            )
            .await?;
            txn.commit().await?;
            self.remove_stored_file(&key).await;
        }
        self.drive_detail_of(ctx, d).await
    }

    async fn lead_views(&self, ctx: &Ctx, list: Vec<Lead>) -> AppResult<Vec<LeadView>> {
        let today = crate::today();
        let orgs = self.org_names(&list.iter().map(|l| l.org_id).collect::<Vec<_>>()).await?;
        let mut drive_ids: Vec<i64> = list.iter().filter_map(|l| l.drive_id).collect();
        drive_ids.sort_unstable();
        drive_ids.dedup();
        let scope = ctx.actor()?.scope(Permission::OrgRead).unwrap_or(Scope::none());
        let mut drives: HashMap<i64, DriveRef> = HashMap::new();
        for id in drive_ids {
            if let Some(d) = repo::get_drive(&self.db, &scope, id).await? {
                drives.insert(id, DriveRef { id, title: d.title, held_on: d.held_on });
            }
        }
        let mut days: HashMap<Option<i64>, u32> = HashMap::new();
        let mut out = Vec::with_capacity(list.len());
        for l in list {
            let county = county_of(&l.org_path);
            let stale_days = match days.get(&county) {
                Some(d) => *d,
                None => {
                    let d = self.stale_days(county).await?;
                    days.insert(county, d);
                    d
                }
            };
            let stage = stage_of(&l);
            let sector = Sector::from_code(&l.sector).unwrap_or(Sector::Other);
            out.push(LeadView {
                org: OrgName { id: l.org_id, name: orgs.get(&l.org_id).cloned().unwrap_or_default() },
                drive: l.drive_id.and_then(|d| drives.get(&d).cloned()),
                stale: rules::is_stale(stage, l.stage_on, today, stale_days),
                days_unmoved: (!stage.is_final()).then(|| (today - l.stage_on).num_days()),
                can_edit: self.writes(ctx, &l.org_path),
                member: l.member_id.map(|id| MemberName { id, name: l.member_name.clone() }),
                amount_wan: wan_yuan(Fen(l.amount_fen)),
                landed_wan: l.landed_fen.map(|f| wan_yuan(Fen(f))),
                stage_label: stage.label().into(),
                sector_label: sector.label().into(),
                stage,
                sector,
                id: l.id,
                project: l.project,
                investor: l.investor,
                city: l.city,
                town: l.town,
                amount_fen: l.amount_fen,
                landed_fen: l.landed_fen,
                stage_on: l.stage_on,
                next_step: l.next_step,
                next_step_on: l.next_step_on,
                drop_reason: l.drop_reason,
            });
        }
        Ok(out)
    }

    async fn lead_detail_of(&self, ctx: &Ctx, l: Lead) -> AppResult<LeadDetail> {
        let steps = repo::steps(&self.db, l.id)
            .await?
            .into_iter()
            .map(|s| {
                let stage = LeadStage::from_code(&s.stage).unwrap_or(LeadStage::Lead);
                StepView {
                    stage,
                    stage_label: stage.label().into(),
                    on: s.on_date,
                    note: s.note,
                    amount_fen: s.amount_fen,
                    by_name: s.by_name,
                }
            })
            .collect();
        let stage = stage_of(&l);
        let next_stages = if self.writes(ctx, &l.org_path) {
            LeadStage::ALL
                .iter()
                .filter(|to| {
                    let step = Step { to: **to, on: l.stage_on, landed: Some(Fen(1)), reason: "-".into() };
                    rules::check_step(stage, l.stage_on, &step, l.stage_on.max(crate::today())).is_ok()
                })
                .map(|s| StageOption { stage: *s, label: s.label().into() })
                .collect()
        } else {
            vec![]
        };
        Ok(LeadDetail { lead: self.lead_views(ctx, vec![l]).await?.remove(0), steps, next_stages })
    }

    /// The filter of a list or report: the query's, inside the caller's scope.
    async fn lead_filter(&self, ctx: &Ctx, q: &LeadQuery) -> AppResult<(Scope, LeadFilter)> {
        let scope = ctx.actor()?.scope(Permission::OrgRead)?;
        let under = match q.org_id {
            Some(id) => Some(self.org_in(&self.db, &scope, id.get()).await?.path),
            None => None,
        };
        let unmoved_since = if q.stale == Some(true) {
            let days = self.stale_days(self.reader_county(ctx)?).await?;
            Some(crate::today() - chrono::Duration::days(i64::from(days)))
        } else {
            None
        };
        let text = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(|t| t.chars().take(50).collect());
        Ok((
            scope,
            LeadFilter {
                stage: q.stage.map(|s| s.code().to_string()),
                sector: q.sector.map(|s| s.code().to_string()),
                drive_id: q.drive_id.map(|d| d.get()),
                under,
                unmoved_since,
                text,
            },
        ))
    }

    /// The leads of the caller's scope: those in the pipeline first, the longest unmoved first.
    pub async fn lead_list(&self, ctx: &Ctx, q: LeadQuery) -> AppResult<LeadPage> {
        let (scope, f) = self.lead_filter(ctx, &q).await?;
        let page = PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into));
        let found = repo::list_leads(&self.db, &scope, &f, page).await?;
        let stale_days = self.stale_days(self.reader_county(ctx)?).await?;
        let stale = repo::list_leads(
            &self.db,
            &scope,
            &LeadFilter {
                unmoved_since: Some(crate::today() - chrono::Duration::days(i64::from(stale_days))),
                ..Default::default()
            },
            PageReq::new(Some(1), Some(1)),
        )
        .await?
        .total;
        let by_stage: HashMap<String, i64> = repo::count_by_stage(&self.db, &scope).await?.into_iter().collect();
        Ok(LeadPage {
            items: self.lead_views(ctx, found.items).await?,
            total: found.total,
            page: page.page,
            per_page: page.per_page,
            stale_days,
            stale,
            counts: LeadStage::ALL
                .iter()
                .map(|s| StageCount {
                    stage: *s,
                    label: s.label().into(),
                    count: by_stage.get(s.code()).copied().unwrap_or(0).max(0) as u64,
                })
                .collect(),
        })
    }

    pub async fn lead_get(&self, ctx: &Ctx, id: i64) -> AppResult<LeadDetail> {
        let l = self.lead_in(ctx, Permission::OrgRead, id).await?;
        self.lead_detail_of(ctx, l).await
    }

    /// Checks a lead's input: the organisation in the caller's scope, the drive and the member ones
    /// they read. Returns the organisation, the drive, the member and the amount.
    async fn lead_fields(
        &self,
        ctx: &Ctx,
        input: &LeadInput,
        e: &mut FieldErrors,
    ) -> AppResult<(Org, Option<Drive>, Option<(i64, String)>, Option<Fen>)> {
        let actor = ctx.actor()?;
        let org = self.org_in(&self.db, &actor.scope(Permission::InvestmentWrite)?, input.org_id.get()).await?;
        let drive = match input.drive_id {
            Some(id) => {
                let d = repo::get_drive(&self.db, &actor.scope(Permission::OrgRead)?, id.get()).await?;
                if d.is_none() {
                    e.add("drive_id", "请选择有权查看的推介会");
                }
                d
            }
            None => None,
        };
        let member = match input.member_id {
            Some(id) => {
                let readable = actor.scope(Permission::MemberRead).unwrap_or(Scope::none());
                match members::get(&self.db, &readable, id.get()).await? {
                    Some(m) => Some((m.id, m.name)),
                    None => {
                        e.add("member_id", "请从有权查看的党员中选择引荐人");
                        None
                    }
                }
            }
            None => None,
        };
        let amount = parse_amount(e, "amount", "意向投资额", &input.amount);
        if input.next_step_on.is_some_and(|d| d < FIRST_DAY || d > crate::today() + chrono::Duration::days(3650)) {
            e.add("next_step_on", "下一步日期不正确");
        }
        Ok((org, drive, member, amount))
    }

    pub async fn lead_create(&self, ctx: &Ctx, input: LeadInput) -> AppResult<LeadDetail> {
        let actor = ctx.actor()?;
        let mut e = FieldErrors::new();
        let (org, drive, member, amount) = self.lead_fields(ctx, &input, &mut e).await?;
        let today = crate::today();
        let recorded_on = input.recorded_on.unwrap_or(today);
        e.check("recorded_on", check_date(recorded_on, today));
        if let Some(d) = &drive
            && recorded_on < d.held_on
        {
            e.add("recorded_on", format!("线索日期不能早于推介会（{}）", d.held_on));
        }
        let city = match (input.city.as_deref().map(str::trim).filter(|c| !c.is_empty()), &drive) {
            (Some(c), _) => text(&mut e, "city", c, "所在城市", 30),
            (None, Some(d)) => d.city.clone(),
            (None, None) => {
                e.add("city", "请填写投资方所在城市");
                String::new()
            }
        };
        let l = NewLead {
            org_id: org.id,
            org_path: org.path.clone(),
            drive_id: drive.as_ref().map(|d| d.id),
            project: text(&mut e, "project", &input.project, "项目名称", 100),
            sector: input.sector.code().into(),
            investor: text(&mut e, "investor", &input.investor, "投资方", 100),
            member,
            city,
            town: text(&mut e, "town", &input.town, "拟落地镇街", 30),
            amount_fen: amount.map_or(0, |a| a.0),
            stage_on: recorded_on,
            next_step: opt_text(&mut e, "next_step", input.next_step.as_deref(), "下一步工作", 200),
            next_step_on: input.next_step_on,
            created_by: Some(actor.user_id),
        };
        e.into_result()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let saved = repo::insert_lead(&txn, l).await?;
        repo::add_step(
            &txn,
            saved.id,
            "lead",
            recorded_on,
            "登记线索",
            None,
            (Some(actor.user_id), &actor.display_name),
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("investment.lead_create", "investment_lead", saved.id)
                .with(serde_json::json!({"org_id": org.id, "amount_fen": saved.amount_fen})),
        )
        .await?;
        txn.commit().await?;
        self.lead_detail_of(ctx, saved).await
    }

    /// Corrects a lead's details (not its stage: that moves by steps).
    pub async fn lead_update(&self, ctx: &Ctx, id: i64, input: LeadInput) -> AppResult<LeadDetail> {
        let mut l = self.lead_in(ctx, Permission::InvestmentWrite, id).await?;
        let mut e = FieldErrors::new();
        let (org, drive, member, amount) = self.lead_fields(ctx, &input, &mut e).await?;
        l.org_id = org.id;
        l.org_path = org.path;
        l.drive_id = drive.as_ref().map(|d| d.id);
        l.project = text(&mut e, "project", &input.project, "项目名称", 100);
        l.sector = input.sector.code().into();
        l.investor = text(&mut e, "investor", &input.investor, "投资方", 100);
        (l.member_id, l.member_name) = match member {
            Some((id, name)) => (Some(id), name),
            None => (None, String::new()),
        };
        if let Some(c) = input.city.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            l.city = text(&mut e, "city", c, "所在城市", 30);
        } else if let Some(d) = &drive {
            l.city = d.city.clone();
        }
        l.town = text(&mut e, "town", &input.town, "拟落地镇街", 30);
        if let Some(a) = amount {
            l.amount_fen = a.0;
        }
        l.next_step = opt_text(&mut e, "next_step", input.next_step.as_deref(), "下一步工作", 200);
        l.next_step_on = input.next_step_on;
        e.into_result()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let saved = repo::save_lead(&txn, l).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("investment.lead_update", "investment_lead", saved.id)
                .with(serde_json::json!({"amount_fen": saved.amount_fen})),
        )
        .await?;
        txn.commit().await?;
        self.lead_detail_of(ctx, saved).await
    }

    /// Moves a lead on one dated step (or drops it with a reason).
    pub async fn lead_step(&self, ctx: &Ctx, id: i64, input: StepInput) -> AppResult<LeadDetail> {
        let actor = ctx.actor()?;
        let scope = actor.scope(Permission::InvestmentWrite)?;
        let mut e = FieldErrors::new();
        let landed = input.landed.as_deref().and_then(|s| parse_amount(&mut e, "landed", "实际到位投资额", s));
        let note = opt_text(&mut e, "note", input.note.as_deref(), "说明", 500);
        let reason = opt_text(&mut e, "reason", input.reason.as_deref(), "终止原因", 200);
        let next_step = opt_text(&mut e, "next_step", input.next_step.as_deref(), "下一步工作", 200);
        if input.next_step_on.is_some_and(|d| d < FIRST_DAY || d > crate::today() + chrono::Duration::days(3650)) {
            e.add("next_step_on", "下一步日期不正确");
        }
        e.into_result()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        // Read inside the write, the lead held: two workers moving one lead at once take turns.
        repo::lock_lead(&txn, id).await?;
        let mut l = repo::get_lead(&txn, &scope, id).await?.ok_or_else(|| AppError::not_found("项目线索"))?;
        let step = Step { to: input.to, on: input.on, landed, reason: reason.clone() };
        rules::check_step(stage_of(&l), l.stage_on, &step, crate::today()).map_err(|(f, m)| AppError::field(f, m))?;
        l.stage = input.to.code().into();
        l.stage_on = input.on;
        if input.to == LeadStage::Landed {
            l.landed_fen = landed.map(|f| f.0);
        }
        if input.to == LeadStage::Dropped {
            l.drop_reason = reason.clone();
        }
        if input.to.is_final() {
            l.next_step = String::new();
            l.next_step_on = None;
        } else if input.next_step.is_some() || input.next_step_on.is_some() {
            l.next_step = next_step;
            l.next_step_on = input.next_step_on;
        }
        let note = if input.to == LeadStage::Dropped && note.is_empty() { reason } else { note };
        let saved = repo::save_lead(&txn, l).await?;
        repo::add_step(
            &txn,
            saved.id,
            input.to.code(),
            input.on,
            &note,
            saved.landed_fen.filter(|_| input.to == LeadStage::Landed),
            (Some(actor.user_id), &actor.display_name),
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("investment.lead_step", "investment_lead", saved.id)
                .with(serde_json::json!({"to": input.to.code(), "on": input.on, "landed_fen": saved.landed_fen})),
        )
        .await?;
        txn.commit().await?;
        self.lead_detail_of(ctx, saved).await
    }

    /// Figures of the leads of the caller's scope (or one organisation's subtree).
    pub async fn investment_figures(&self, ctx: &Ctx, q: FiguresQuery) -> AppResult<InvestmentFigures> {
        let (scope, f) = self.lead_filter(ctx, &LeadQuery { org_id: q.org_id, ..Default::default() }).await?;
        let leads = repo::all_leads(&self.db, &scope, &f).await?;
        let stale_days = self.stale_days(self.reader_county(ctx)?).await?;
        let today = crate::today();
        let orgs = self.org_names(&leads.iter().map(|l| l.org_id).collect::<Vec<_>>()).await?;
        let mut total = Tally { key: "total".into(), name: "合计".into(), ..Default::default() };
        let mut by_stage: BTreeMap<usize, Tally> = BTreeMap::new();
        let mut by_city: BTreeMap<String, Tally> = BTreeMap::new();
        let mut by_chamber: BTreeMap<i64, Tally> = BTreeMap::new();
        let mut by_sector: BTreeMap<usize, Tally> = BTreeMap::new();
        let mut by_year: BTreeMap<i32, YearLanded> = BTreeMap::new();
        let mut stale = 0u64;
        for (i, s) in LeadStage::ALL.iter().enumerate() {
            by_stage.insert(i, Tally { key: s.code().into(), name: s.label().into(), ..Default::default() });
        }
        for l in &leads {
            let stage = stage_of(l);
            let sector = Sector::from_code(&l.sector).unwrap_or(Sector::Other);
            if rules::is_stale(stage, l.stage_on, today, stale_days) {
                stale += 1;
            }
            count(&mut total, stage, l.amount_fen, l.landed_fen);
            let si = LeadStage::ALL.iter().position(|s| *s == stage).unwrap_or(0);
            if let Some(t) = by_stage.get_mut(&si) {
                count(t, stage, l.amount_fen, l.landed_fen);
            }
            let c = by_city.entry(l.city.clone()).or_insert_with(|| Tally {
                key: l.city.clone(),
                name: l.city.clone(),
                ..Default::default()
            });
            count(c, stage, l.amount_fen, l.landed_fen);
            let o = by_chamber.entry(l.org_id).or_insert_with(|| Tally {
                key: l.org_id.to_string(),
                name: orgs.get(&l.org_id).cloned().unwrap_or_default(),
                ..Default::default()
            });
            count(o, stage, l.amount_fen, l.landed_fen);
            let xi = Sector::ALL.iter().position(|s| *s == sector).unwrap_or(0);
            let x = by_sector.entry(xi).or_insert_with(|| Tally {
                key: sector.code().into(),
                name: sector.label().into(),
                ..Default::default()
            });
            count(x, stage, l.amount_fen, l.landed_fen);
            if stage == LeadStage::Landed {
                let y = by_year.entry(l.stage_on.year()).or_insert(YearLanded {
                    year: l.stage_on.year(),
                    landed: 0,
                    landed_fen: 0,
                });
                y.landed += 1;
                y.landed_fen += l.landed_fen.unwrap_or(0);
            }
        }
        // The largest first: what a report reads top-down.
        let ranked = |m: Vec<Tally>| {
            let mut v = m;
            v.sort_by(|a, b| b.amount_fen.cmp(&a.amount_fen).then(a.name.cmp(&b.name)));
            v
        };
        Ok(InvestmentFigures {
            total,
            by_stage: by_stage.into_values().collect(),
            by_city: ranked(by_city.into_values().collect()),
            by_chamber: ranked(by_chamber.into_values().collect()),
            by_sector: by_sector.into_values().collect(),
            landed_by_year: by_year.into_values().collect(),
            stale_days,
            stale,
        })
    }

    /// The lead ledger (招商项目线索台账) as print-ready xlsx or PDF, with the list's filters (audited).
    pub async fn lead_report(&self, ctx: &Ctx, q: LeadQuery, format: ReportFormat) -> AppResult<Export> {
        let actor = ctx.actor()?;
        let (scope, f) = self.lead_filter(ctx, &q).await?;
        let leads = repo::all_leads(&self.db, &scope, &f).await?;
        let views = self.lead_views(ctx, leads).await?;
        let today = crate::today();
        let (mut amount, mut landed) = (0i64, 0i64);
        let mut landed_n = 0u64;
        let rows: Vec<Vec<String>> = views
            .iter()
            .map(|l| {
                amount += l.amount_fen;
                if l.stage == LeadStage::Landed {
                    landed_n += 1;
                    landed += l.landed_fen.unwrap_or(0);
                }
                vec![
                    l.project.clone(),
                    l.sector_label.clone(),
                    l.investor.clone(),
                    l.org.name.clone(),
                    l.member.as_ref().map(|m| m.name.clone()).unwrap_or_default(),
                    l.town.clone(),
                    l.amount_wan.clone(),
                    l.stage_label.clone(),
                    l.stage_on.to_string(),
                    l.landed_wan.clone().unwrap_or_default(),
                    if l.stage == LeadStage::Dropped { l.drop_reason.clone() } else { l.next_step.clone() },
                ]
            })
            .collect();
        let report = Report {
            title: "回乡工程招商项目线索台账".into(),
            sheet: "项目线索".into(),
            unit: "县委组织部（两新工委）".into(),
            date: today.to_string(),
            intro: vec![format!(
                "导出人：{}    线索 {} 个，意向投资 {} 万元；已落地 {} 个，实际到位 {} 万元",
                actor.display_name,
                rows.len(),
                wan_yuan(Fen(amount)),
                landed_n,
                wan_yuan(Fen(landed))
            )],
            columns: vec![
                Column::new("项目名称", 22.0),
                Column::new("行业", 9.0),
                Column::new("投资方", 18.0),
                Column::new("跟进组织", 18.0),
                Column::new("引荐党员", 8.0),
                Column::new("拟落地镇街", 9.0),
                Column::new("意向投资（万元）", 11.0).fit("9,999,999.99"),
                Column::new("阶段", 7.0).center(),
                Column::new("日期", 10.0).fit("2026-12-31").center(),
                Column::new("到位投资（万元）", 11.0).fit("9,999,999.99"),
                Column::new("下一步 / 终止原因", 20.0),
            ],
            landscape: true,
        };
        let (file, written) = report_file(report, format, rows).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("investment.lead_export", "investment_lead", "ledger")
                .with(serde_json::json!({"rows": written, "format": format.extension()})),
        )
        .await?;
        txn.commit().await?;
        Ok(Export {
            filename: format!("回乡工程项目线索台账-{today}.{}", format.extension()), file, rows: written
        })
    }

    /// The drives of the member's chamber: those held by their own organisation or, while away, by
    /// the organisation receiving them, and those they took part in; the latest 20.
    pub async fn my_drives(&self, ctx: &Ctx) -> AppResult<Vec<MyDrive>> {
        let actor = ctx.actor()?;
        if actor.member_id.is_none() || !actor.has(Permission::MemberSelf) {
            return Err(AppError::forbidden());
        }
        let m = self.own_member(&self.db, ctx).await?;
        let mut orgs = vec![m.org_id];
        if let Some(r) = mobility::open_outflow(&self.db, m.id).await?
            && let Some(ro) = r.receiving_org_id
        {
            orgs.push(ro);
        }
        let found = repo::drives_for_member(&self.db, m.id, &orgs, 20).await?;
        let ids: Vec<i64> = found.iter().map(|d| d.id).collect();
        let took_part: Vec<i64> =
            repo::drive_members(&self.db, &ids).await?.into_iter().filter(|p| p.1 == m.id).map(|p| p.0).collect();
        #[allow(
            clippy::disallowed_methods,
            reason = "how many leads the member's chamber drives brought: a count, no lead"
        )]
        let every = Scope::All(honglian_store::Unscoped::system());
        let leads: HashMap<i64, i64> = repo::leads_per_drive(&self.db, &every, &ids).await?.into_iter().collect();
        let names = self.org_names(&found.iter().map(|d| d.org_id).collect::<Vec<_>>()).await?;
        Ok(found
            .into_iter()
            .map(|d| MyDrive {
                took_part: took_part.contains(&d.id),
                leads: leads.get(&d.id).copied().unwrap_or(0).max(0) as u64,
                org_name: names.get(&d.org_id).cloned().unwrap_or_default(),
                id: d.id,
                held_on: d.held_on,
                city: d.city,
                title: d.title,
                leaders: d.leaders,
                summary: d.summary,
            })
            .collect())
    }

    /// Leads in the pipeline of the caller's write scope that have not moved for their county's days
    /// (the workbench's reminder): (count, the first few projects).
    pub(crate) async fn stale_leads(&self, ctx: &Ctx) -> AppResult<(u64, Vec<String>)> {
        let scope = ctx.actor()?.scope(Permission::InvestmentWrite)?;
        let days = self.stale_days(self.reader_county(ctx)?).await?;
        let f = LeadFilter {
            unmoved_since: Some(crate::today() - chrono::Duration::days(i64::from(days))),
            ..Default::default()
        };
        let page = repo::list_leads(&self.db, &scope, &f, PageReq::new(Some(1), Some(3))).await?;
        Ok((page.total, page.items.into_iter().map(|l| l.project).collect()))
    }
}
