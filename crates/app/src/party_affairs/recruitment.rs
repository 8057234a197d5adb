//! 发展党员: the branch files an applicant (the application is step 1) and records the twenty-five steps
//! in order, each with its day, the people and the documents; the steps that belong to the higher
//! committee (filing, pre-review, its talk, approvals) are recorded by those with member write over the
//! level above the branch. The rules refuse a step too early or past its limit with the rule's reason
//! (`honglian_domain::party_affairs::recruitment`); the county sets its local rules. The approval of the
//! admission creates the probationary member's record from what the pipeline holds, and the approval of
//! the conversion makes them full: nothing is typed twice. The ID number is sealed and shown masked.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use honglian_domain::hometown::honour::path_ids;
use honglian_domain::mask::{mask_id_number, mask_phone};
use honglian_domain::members::member::{Education, Gender, Phone};
use honglian_domain::organisations::org::OrgKind;
use honglian_domain::party_affairs::recruitment::{
    self as rules, ACTIVIST_MONTHS_RANGE, ADMISSION_STEP, CONVERSION_STEP, History, LocalRules, MEETING_STEP,
    NOTICE_DAYS_RANGE, PipelineStatus, STEP_DEFS, Stage, StepFacts, TALK_DAYS_RANGE, Window,
};
use honglian_domain::platform::authz::Permission;
use honglian_domain::portal::invitation::{
    CODE_LEN, MAX_WRONG_ANSWERS, code_from_bytes, id_tail_matches, normalise_code,
};
use honglian_domain::validation::{optional_text, required_text};
use honglian_domain::{FieldErrors, IdNumber, PageNo, PerPage, RecordId};
use honglian_store::Scope;
use honglian_store::repo::PageReq;
use honglian_store::repo::members::registry as members;
use honglian_store::repo::organisations::orgs;
use honglian_store::repo::party_affairs::recruitment::{self as repo, NewRecruit, NewStep, Recruit, RecruitStep};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::members::export::Export;
use crate::members::registry::MemberInput;
use crate::org_life::activities::OrgName;
use crate::platform::audit::Event;
use crate::platform::pdf::Column;
use crate::platform::report::{Report, ReportFormat, report_file};
use crate::platform::settings::CountyDays;
use crate::platform::settings::county_of;
use crate::{App, AppError, AppResult, Ctx};

const TALK_DAYS: CountyDays = CountyDays {
    key: "recruitment_talk_days",
    range: TALK_DAYS_RANGE,
    default: 30,
    field: "talk_within_days",
    label: "谈话时限（日）",
};
const ACTIVIST_MONTHS: CountyDays = CountyDays {
    key: "recruitment_activist_months",
    range: ACTIVIST_MONTHS_RANGE,
    default: 6,
    field: "activist_after_months",
    label: "申请后确定入党积极分子的月数",
};
const NOTICE_DAYS: CountyDays = CountyDays {
    key: "recruitment_notice_days",
    range: NOTICE_DAYS_RANGE,
    default: 5,
    field: "notice_working_days",
    label: "公示工作日",
};
/// The most people in one roster.
const ROSTER_MAX: u64 = 20_000;
/// Reminders come this many days before a step's due day.
pub const REMIND_DAYS: i64 = 14;

/// The code an applicant follows their own steps with, shown once.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgressCode {
    pub code: String,
    /// The phone page that opens with it (the code in the fragment, never sent to a server log).
    pub path: String,
}

/// An applicant opening their own steps.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ProgressQuery {
    pub code: String,
    /// The last six characters of the applicant's ID number.
    pub id_tail: String,
}

/// The county's local rules of recruitment.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RecruitmentSettings {
    /// The talk within this many days of the application (7–90; default 30).
    pub talk_within_days: u32,
    /// Months from the application to becoming an activist (0–24; default 6).
    pub activist_after_months: u32,
    /// Working days of the public notice of a development target (1–30; default 5).
    pub notice_working_days: u32,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RecruitInput {
    /// The branch that files the applicant.
    #[schema(value_type = honglian_domain::RecordId)]
    pub org_id: i64,
    pub name: String,
    pub id_number: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub education: Option<String>,
    #[serde(default)]
    pub occupation: Option<String>,
    #[serde(default)]
    pub employer: Option<String>,
    /// The day the application was received (step 1).
    pub applied_on: NaiveDate,
    #[serde(default)]
    pub documents: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A step as the rules see it and as recorded (if it is).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecruitStepView {
    pub no: u8,
    pub stage: Stage,
    pub stage_label: String,
    pub name: String,
    /// Done by the higher committee.
    pub by_higher: bool,
    pub source: String,
    pub done_on: Option<NaiveDate>,
    pub people: Vec<String>,
    pub documents: Vec<String>,
    pub note: Option<String>,
    /// Why it was late.
    pub reason: Option<String>,
    pub training_days: Option<u32>,
    pub class_hours: Option<u32>,
    pub notice_from: Option<NaiveDate>,
    pub notice_to: Option<NaiveDate>,
    pub recorded_by_name: Option<String>,
}

/// The next step and the days it may be recorded on, with the rules that set them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NextStep {
    pub no: u8,
    pub name: String,
    pub stage: Stage,
    pub by_higher: bool,
    pub earliest: Option<NaiveDate>,
    pub earliest_rule: Option<String>,
    /// After this day only with a reason.
    pub due: Option<NaiveDate>,
    pub due_rule: Option<String>,
    /// Never after this day.
    pub latest: Option<NaiveDate>,
    pub latest_rule: Option<String>,
    /// The caller may record it.
    pub can_record: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecruitView {
    pub id: i64,
    pub org: OrgName,
    pub name: String,
    pub gender: Gender,
    pub birth_year: i32,
    /// Masked.
    pub id_number: String,
    /// Masked.
    pub phone: Option<String>,
    pub education: Option<Education>,
    pub occupation: Option<String>,
    pub employer: Option<String>,
    pub status: PipelineStatus,
    pub status_label: String,
    pub steps_done: u8,
    /// 入党申请人, 入党积极分子, 发展对象, 预备党员, 正式党员.
    pub role_label: String,
    /// The stage of the next step (of the last, when done).
    pub stage: Stage,
    pub stage_label: String,
    pub applied_on: Option<NaiveDate>,
    pub next: Option<NextStep>,
    /// The day the next step is due (for reminders).
    pub next_due_on: Option<NaiveDate>,
    pub probation_ends: Option<NaiveDate>,
    pub extension_months: Option<u32>,
    pub extended_on: Option<NaiveDate>,
    pub extension_reason: Option<String>,
    pub stopped_on: Option<NaiveDate>,
    pub stop_reason: Option<String>,
    /// The member record created at admission.
    pub member_id: Option<i64>,
    /// The caller handles the branch's side (steps, extension, stopping).
    pub can_write: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecruitDetail {
    pub recruit: RecruitView,
    /// All twenty-five steps, the recorded ones with their records.
    pub steps: Vec<RecruitStepView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecruitPage {
    pub items: Vec<RecruitView>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RecruitStepInput {
    /// The step recorded (the next one, 2–25).
    pub step: u8,
    pub done_on: NaiveDate,
    #[serde(default)]
    pub people: Vec<String>,
    #[serde(default)]
    pub documents: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// Why, when past the step's due day.
    #[serde(default)]
    pub reason: Option<String>,
    /// Step 11: days or class hours of the concentrated training.
    #[serde(default)]
    pub training_days: Option<u32>,
    #[serde(default)]
    pub class_hours: Option<u32>,
    /// Step 13: the public notice's first and last day.
    #[serde(default)]
    pub notice_from: Option<NaiveDate>,
    #[serde(default)]
    pub notice_to: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RecruitExtensionInput {
    /// 6–12.
    pub months: u32,
    /// The general meeting that decided it.
    pub on: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RecruitStopInput {
    pub on: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecruitQuery {
    /// An organisation whose subtree to list (default: all I see).
    pub org: Option<RecordId>,
    pub stage: Option<Stage>,
    /// active (default), done, stopped.
    pub status: Option<PipelineStatus>,
    /// Name contains.
    pub q: Option<String>,
    /// Only those whose next step is due within two weeks or overdue.
    pub due: Option<bool>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecruitSummaryQuery {
    pub org: Option<RecordId>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecruitSummaryRow {
    pub org: OrgName,
    /// People by the stage of their next step, in the order of `stages`.
    pub by_stage: Vec<u64>,
    pub total: u64,
}

/// Who is at which step: by branch and stage, and across the twenty-five steps.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecruitSummary {
    pub stages: Vec<String>,
    pub rows: Vec<RecruitSummaryRow>,
    /// People whose next step is step `i + 1`.
    pub by_step: Vec<u64>,
    pub total: u64,
    /// Next step due within two weeks or overdue.
    pub due_soon: u64,
}

/// 入党申请人 … 正式党员, by the steps done.
fn role_label(steps_done: u8) -> &'static str {
    match steps_done {
        0..=2 => "入党申请人",
        3..=6 => "入党积极分子",
        7..=16 => "发展对象",
        17..=23 => "预备党员",
        _ => "正式党员",
    }
}

/// A stage's steps-done range: people whose next step lies in it.
fn stage_steps(s: Stage) -> (i32, i32) {
    let nos: Vec<i32> = STEP_DEFS.iter().filter(|d| d.stage == s).map(|d| i32::from(d.no)).collect();
    (nos[0] - 1, nos[nos.len() - 1] - 1)
}

fn history(r: &Recruit, steps: &[RecruitStep]) -> History {
    History {
        birth_date: Some(r.birth_date),
        done: steps.iter().map(|s| s.done_on).collect(),
        extension_months: r.extension_months.and_then(|m| u32::try_from(m).ok()),
    }
}

/// The day a reminder is about: the due day (or the hard limit), else for the conversion the day the
/// probation ends.
fn reminder_day(no: u8, w: &Window) -> Option<NaiveDate> {
    w.due
        .as_ref()
        .or(w.latest.as_ref())
        .map(|(d, _)| *d)
        .or_else(|| matches!(no, 22 | 23).then(|| w.earliest.as_ref().map(|(d, _)| *d)).flatten())
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Details {
    #[serde(skip_serializing_if = "Option::is_none")]
    training_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    class_hours: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notice_from: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notice_to: Option<NaiveDate>,
}

/// Names or document titles typed in a list: trimmed, blanks dropped, at most 10 of at most 50 characters.
fn names(list: &[String], field: &str, label: &str) -> AppResult<Vec<String>> {
    let out: Vec<String> = list.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    if out.len() > 10 {
        return Err(AppError::field(field, format!("{label}最多 10 项")));
    }
    if out.iter().any(|s| s.chars().count() > 50) {
        return Err(AppError::field(field, format!("{label}每项不超过 50 个字")));
    }
    Ok(out)
}

/// Where the caller reads recruits and transfers: member read or write, whichever they hold.
pub(crate) fn reads(ctx: &Ctx) -> AppResult<Scope> {
    ctx.actor()?.scope_any(&[Permission::MemberRead, Permission::MemberWrite])
}

/// What a board or roster query asks for besides the scope.
fn filter_of(q: &RecruitQuery) -> repo::Filter {
    repo::Filter {
        steps: q.stage.map(stage_steps),
        status: Some(q.status.unwrap_or(PipelineStatus::Active).code().into()),
        name: q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string),
        due_by: q.due.unwrap_or(false).then(|| crate::today() + chrono::Duration::days(REMIND_DAYS)),
    }
}

const TABLE: &str = "recruits";

impl App {
    pub(crate) fn recruit_aad(field: &str, bidx: &str) -> String {
        format!("{TABLE}.{field}:{bidx}")
    }

    async fn local_rules(&self, org_path: &str) -> AppResult<LocalRules> {
        let county = county_of(org_path);
        Ok(LocalRules {
            talk_within_days: self.county_days(&TALK_DAYS, county).await?,
            activist_after_months: self.county_days(&ACTIVIST_MONTHS, county).await?,
            notice_working_days: self.county_days(&NOTICE_DAYS, county).await?,
        })
    }

    pub async fn recruitment_settings(&self, ctx: &Ctx) -> AppResult<RecruitmentSettings> {
        ctx.actor()?.scope(Permission::OrgRead)?;
        let county = self.reader_county(ctx)?;
        Ok(RecruitmentSettings {
            talk_within_days: self.county_days(&TALK_DAYS, county).await?,
            activist_after_months: self.county_days(&ACTIVIST_MONTHS, county).await?,
            notice_working_days: self.county_days(&NOTICE_DAYS, county).await?,
        })
    }

    pub async fn recruitment_settings_set(&self, ctx: &Ctx, s: RecruitmentSettings) -> AppResult<RecruitmentSettings> {
        let county = self.writer_county(ctx, Permission::SettingsBusiness)?;
        for (d, v) in [
            (&TALK_DAYS, s.talk_within_days),
            (&ACTIVIST_MONTHS, s.activist_after_months),
            (&NOTICE_DAYS, s.notice_working_days),
        ] {
            if !d.range.contains(&v) {
                return Err(AppError::field(
                    d.field,
                    format!("{}须为 {} 到 {} 之间的整数", d.label, d.range.start(), d.range.end()),
                ));
            }
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        for (d, v) in [
            (&TALK_DAYS, s.talk_within_days),
            (&ACTIVIST_MONTHS, s.activist_after_months),
            (&NOTICE_DAYS, s.notice_working_days),
        ] {
            self.set_county_setting(&txn, d.key, county, &v.to_string()).await?;
        }
        self.audit(
            &txn,
            ctx,
            Event::ok("recruitment.settings", "setting", "recruitment").with(serde_json::json!({
                "talk_within_days": s.talk_within_days,
                "activist_after_months": s.activist_after_months,
                "notice_working_days": s.notice_working_days,
            })),
        )
        .await?;
        txn.commit().await?;
        Ok(s)
    }

    fn writes_at(&self, ctx: &Ctx, path: &str) -> bool {
        ctx.actor().is_ok_and(|a| a.scope(Permission::MemberWrite).is_ok_and(|s| s.contains(path)))
    }

    /// The path of the organisation whose member writers record step `no` of a recruit of the branch at
    /// `path`: the branch for its own steps; for the higher committee's, the nearest ancestor with the
    /// power to approve (a 党委, 两新工委, 综合党委 or 行业党委 — not a 党总支, a liaison centre or an
    /// alliance), and for the filing after the approval (step 18) the committee above that one (else the
    /// root, the county's). None when the branch has no such committee above it.
    async fn recorder_path(&self, db: &impl sea_orm::ConnectionTrait, path: &str, no: u8) -> AppResult<Option<String>> {
        if !rules::step_def(no).is_some_and(|d| d.by_higher) {
            return Ok(Some(path.to_string()));
        }
        let approver = self.committee_above(db, path).await?;
        if no != 18 {
            return Ok(approver);
        }
        let Some(a) = approver else { return Ok(None) };
        let root = path_ids(&a).first().map(|r| format!("/{r}/"));
        Ok(self.committee_above(db, &a).await?.or(root))
    }

    /// The nearest ancestor of the organisation at `path` that is a committee with the power to approve.
    async fn committee_above(&self, db: &impl sea_orm::ConnectionTrait, path: &str) -> AppResult<Option<String>> {
        #[allow(clippy::disallowed_methods, reason = "the kinds of the ancestors of an organisation already reached")]
        let all = Scope::All(honglian_store::Unscoped::system());
        let ids = path_ids(path);
        for i in (0..ids.len().saturating_sub(1)).rev() {
            let Some(o) = orgs::get(db, &all, ids[i]).await? else { continue };
            if matches!(
                OrgKind::from_code(&o.kind),
                Some(OrgKind::Committee | OrgKind::WorkCommittee | OrgKind::ParkCommittee | OrgKind::IndustryCommittee)
            ) {
                return Ok(Some(o.path));
            }
        }
        Ok(None)
    }

    fn recruit_view(
        &self,
        ctx: &Ctx,
        r: &Recruit,
        org_name: String,
        steps: &[RecruitStep],
        rules: &LocalRules,
        recorder: Option<&str>,
    ) -> AppResult<RecruitView> {
        let h = history(r, steps);
        let id = self
            .crypto
            .open(&r.id_number_enc, &Self::recruit_aad("id_number", &r.id_number_bidx))
            .map_err(|e| AppError::Internal(e.context(format!("发展对象 {} 的身份证号无法解密", r.id))))?;
        let phone = r
            .phone_enc
            .as_deref()
            .map(|p| self.crypto.open(p, &Self::recruit_aad("phone", &r.id_number_bidx)))
            .transpose()
            .map_err(|e| AppError::Internal(e.context(format!("发展对象 {} 的电话无法解密", r.id))))?;
        let status = PipelineStatus::from_code(&r.status).unwrap_or(PipelineStatus::Active);
        let steps_done = h.steps_done();
        let next = (status == PipelineStatus::Active).then(|| h.next_step()).flatten().and_then(|no| {
            let def = rules::step_def(no)?;
            let w = rules::window(no, &h, rules);
            Some(NextStep {
                no,
                name: def.name.into(),
                stage: def.stage,
                by_higher: def.by_higher,
                earliest: w.earliest.as_ref().map(|x| x.0),
                earliest_rule: w.earliest.map(|x| x.1),
                due: w.due.as_ref().map(|x| x.0),
                due_rule: w.due.map(|x| x.1),
                latest: w.latest.as_ref().map(|x| x.0),
                latest_rule: w.latest.map(|x| x.1),
                can_record: recorder.is_some_and(|p| self.writes_at(ctx, p)),
            })
        });
        let stage = next
            .as_ref()
            .map(|n| n.stage)
            .or_else(|| rules::step_def(steps_done.max(1)).map(|d| d.stage))
            .unwrap_or(Stage::Application);
        Ok(RecruitView {
            id: r.id,
            org: OrgName { id: r.org_id, name: org_name },
            name: r.name.clone(),
            gender: Gender::from_code(&r.gender).unwrap_or(Gender::Male),
            birth_year: chrono::Datelike::year(&r.birth_date),
            id_number: mask_id_number(&id),
            phone: phone.as_deref().map(mask_phone),
            education: r.education.as_deref().and_then(Education::from_code),
            occupation: r.occupation.clone(),
            employer: r.employer.clone(),
            status,
            status_label: status.label().into(),
            steps_done,
            role_label: role_label(steps_done).into(),
            stage,
            stage_label: stage.label().into(),
            applied_on: h.on(1),
            next,
            next_due_on: r.next_due_on,
            probation_ends: h.probation_ends(),
            extension_months: h.extension_months,
            extended_on: r.extended_on,
            extension_reason: r.extension_reason.clone(),
            stopped_on: r.stopped_on,
            stop_reason: r.stop_reason.clone(),
            member_id: r.member_id,
            can_write: status == PipelineStatus::Active && self.writes_at(ctx, &r.org_path),
        })
    }

    fn step_views(steps: &[RecruitStep]) -> Vec<RecruitStepView> {
        let by_no: HashMap<i32, &RecruitStep> = steps.iter().map(|s| (s.step, s)).collect();
        STEP_DEFS
            .iter()
            .map(|d| {
                let s = by_no.get(&i32::from(d.no));
                let details: Details =
                    s.and_then(|s| s.details.as_deref()).and_then(|j| serde_json::from_str(j).ok()).unwrap_or_default();
                let list = |j: Option<&String>| -> Vec<String> {
                    j.and_then(|j| serde_json::from_str(j).ok()).unwrap_or_default()
                };
                RecruitStepView {
                    no: d.no,
                    stage: d.stage,
                    stage_label: d.stage.label().into(),
                    name: d.name.into(),
                    by_higher: d.by_higher,
                    source: d.source.into(),
                    done_on: s.map(|s| s.done_on),
                    people: list(s.map(|s| &s.people)),
                    documents: list(s.map(|s| &s.documents)),
                    note: s.and_then(|s| s.note.clone()),
                    reason: s.and_then(|s| s.reason.clone()),
                    training_days: details.training_days,
                    class_hours: details.class_hours,
                    notice_from: details.notice_from,
                    notice_to: details.notice_to,
                    recorded_by_name: s.map(|s| s.recorded_by_name.clone()),
                }
            })
            .collect()
    }

    async fn recruit_detail(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        ctx: &Ctx,
        r: &Recruit,
    ) -> AppResult<RecruitDetail> {
        let steps = repo::steps_of(db, r.id).await?;
        let rules = self.local_rules(&r.org_path).await?;
        let org_name = orgs::name_of(db, r.org_id).await?;
        let recorder = match history(r, &steps).next_step() {
            Some(no) => self.recorder_path(db, &r.org_path, no).await?,
            None => None,
        };
        Ok(RecruitDetail {
            recruit: self.recruit_view(ctx, r, org_name, &steps, &rules, recorder.as_deref())?,
            steps: Self::step_views(&steps),
        })
    }

    /// A recruit the caller reads (member read or write over the branch or above).
    async fn recruit_in(&self, db: &impl sea_orm::ConnectionTrait, ctx: &Ctx, id: i64) -> AppResult<Recruit> {
        repo::get(db, &reads(ctx)?, id).await?.ok_or_else(|| AppError::not_found("发展党员记录"))
    }

    /// A recruit the caller reads, held until the transaction ends (the scope checked before the lock),
    /// read again under the lock.
    async fn recruit_held(&self, txn: &impl sea_orm::ConnectionTrait, ctx: &Ctx, id: i64) -> AppResult<Recruit> {
        let r = self.recruit_in(txn, ctx, id).await?;
        repo::lock(txn, r.id).await?;
        repo::get(txn, &Scope::Paths(vec![r.org_path.clone()]), id)
            .await?
            .ok_or_else(|| AppError::not_found("发展党员记录"))
    }

    /// The working days of the county the organisation at `path` belongs to.
    async fn county_calendar(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        path: &str,
        from: NaiveDate,
    ) -> AppResult<honglian_domain::services::calendar::WorkCalendar> {
        let county = county_of(path).map_or_else(|| path.to_string(), |c| format!("/{c}/"));
        self.work_calendar(db, &county, from).await
    }

    /// The branch files an applicant: who they are and the application (step 1).
    pub async fn recruit_create(&self, ctx: &Ctx, input: RecruitInput) -> AppResult<RecruitDetail> {
        let actor = ctx.actor()?;
        let scope = actor.scope(Permission::MemberWrite)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let org = self.org_in(&txn, &scope, input.org_id).await?;
        if org.status != "active" {
            return Err(AppError::field("org_id", "所选党组织已撤销"));
        }
        let kind = OrgKind::from_code(&org.kind);
        if !matches!(kind, Some(OrgKind::Branch | OrgKind::JointBranch | OrgKind::GeneralBranch)) {
            return Err(AppError::field("org_id", "发展党员由党支部（党总支）办理，请选择党支部"));
        }
        let mut e = FieldErrors::new();
        let name = e.check("name", required_text(&input.name, "姓名", 50));
        let id = e.check("id_number", IdNumber::parse(&input.id_number));
        let phone = match input.phone.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(p) => e.check("phone", Phone::parse(p)),
        };
        let education = match input.education.as_deref().filter(|s| !s.is_empty()) {
            Some(v) => e.check("education", Education::from_code(v).ok_or(format!("学历“{v}”无效"))).map(|x| x.code()),
            None => None,
        };
        let occupation = e.check("occupation", optional_text(input.occupation.as_deref(), "职业", 50)).flatten();
        let employer = e.check("employer", optional_text(input.employer.as_deref(), "工作单位", 100)).flatten();
        let note = e.check("note", optional_text(input.note.as_deref(), "备注", 500)).flatten();
        let documents = e.check("documents", names(&input.documents, "documents", "材料"));
        if let Err(m) = rules::check_day(input.applied_on, crate::today()) {
            e.add("applied_on", m);
        } else if let Some(id) = &id {
            let h = History { birth_date: Some(id.birth_date()), ..Default::default() };
            let f = StepFacts { done_on: input.applied_on, ..Default::default() };
            // The application's only rule is the applicant's age: no local rule or calendar is involved.
            let cal = honglian_domain::services::calendar::WorkCalendar::default();
            if let Err(errs) = rules::check_step(1, &f, &h, &LocalRules::default(), &cal, crate::today()) {
                for (_, msgs) in errs.0 {
                    for m in msgs {
                        e.add("applied_on", m);
                    }
                }
            }
        }
        e.into_result()?;
        let (id, name) = (id.expect("validated"), name.expect("validated"));
        let bidx = self.crypto.blind_index("id_number", id.as_str());
        // Exact matches anywhere in the deployment answer whether someone is a member or an applicant: audited.
        if members::find_by_id_number(&txn, &bidx).await?.is_some() {
            drop(txn);
            self.audit_lookup(ctx, "id_number", "recruit.create").await?;
            return Err(AppError::Conflict {
                title: "该身份证号已登记为党员".into(),
                errors: FieldErrors::single("id_number", "该身份证号已登记为党员"),
            });
        }
        if repo::active_by_id_number(&txn, &bidx).await?.is_some() {
            drop(txn);
            self.audit_lookup(ctx, "id_number", "recruit.create").await?;
            return Err(AppError::Conflict {
                title: "此人已在发展党员名单中".into(),
                errors: FieldErrors::single("id_number", "此人已在发展党员名单中，不能重复登记"),
            });
        }
        let r = repo::insert(
            &txn,
            NewRecruit {
                org_id: org.id,
                org_path: org.path.clone(),
                name,
                gender: id.gender().code().into(),
                birth_date: id.birth_date(),
                id_number_enc: self.crypto.seal(id.as_str(), &Self::recruit_aad("id_number", &bidx)),
                phone_enc: phone.as_ref().map(|p| self.crypto.seal(p.as_str(), &Self::recruit_aad("phone", &bidx))),
                id_number_bidx: bidx,
                occupation,
                employer,
                education: education.map(str::to_string),
                created_by: Some(actor.user_id),
            },
        )
        .await?;
        let step = NewStep {
            recruit_id: r.id,
            step: 1,
            done_on: input.applied_on,
            people: "[]".into(),
            documents: serde_json::to_string(&documents.unwrap_or_default()).expect("a list"),
            note,
            reason: None,
            details: None,
            recorded_by: Some(actor.user_id),
            recorded_by_name: actor.display_name.clone(),
        };
        let r = self.after_step(&txn, r, step).await?;
        self.audit(&txn, ctx, Event::ok("recruit.create", "recruit", r.id).with(serde_json::json!({"org_id": org.id})))
            .await?;
        let detail = self.recruit_detail(&txn, ctx, &r).await?;
        txn.commit().await?;
        Ok(detail)
    }

    /// Inserts a step and updates the recruit's steps done and next due day.
    async fn after_step(&self, txn: &impl sea_orm::ConnectionTrait, mut r: Recruit, s: NewStep) -> AppResult<Recruit> {
        repo::insert_step(txn, s).await.map_err(|e| match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::conflict("该步骤已由他人登记，请刷新"),
            _ => e.into(),
        })?;
        self.refresh_due(txn, &mut r).await?;
        Ok(repo::save(txn, r).await?)
    }

    pub(crate) async fn refresh_due(&self, db: &impl sea_orm::ConnectionTrait, r: &mut Recruit) -> AppResult<()> {
        let steps = repo::steps_of(db, r.id).await?;
        let h = history(r, &steps);
        r.steps_done = i32::from(h.steps_done());
        let rules = self.local_rules(&r.org_path).await?;
        r.next_due_on = h.next_step().and_then(|no| reminder_day(no, &rules::window(no, &h, &rules)));
        if h.next_step().is_none() {
            r.status = PipelineStatus::Done.code().into();
        }
        Ok(())
    }

    /// Records the next step. The approval of the admission (step 17) creates the probationary member's
    /// record; the approval of the conversion (step 24) makes them full.
    pub async fn recruit_step(&self, ctx: &Ctx, id: i64, input: RecruitStepInput) -> AppResult<RecruitDetail> {
        let actor = ctx.actor()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let r = self.recruit_held(&txn, ctx, id).await?;
        let recorder = self.recorder_path(&txn, &r.org_path, input.step).await?;
        if !recorder.is_some_and(|p| self.writes_at(ctx, &p)) {
            return Err(AppError::Forbidden(match rules::step_def(input.step) {
                Some(d) if d.by_higher => format!("“{}”由上级党委办理", d.name),
                Some(d) => format!("“{}”由所在党支部办理", d.name),
                None => "发展党员由所在党支部办理".into(),
            }));
        }
        if rules::step_def(input.step).is_none() {
            return Err(AppError::field("step", "步骤无效"));
        }
        if r.status != PipelineStatus::Active.code() {
            return Err(AppError::conflict("该发展党员记录已完成或已终止"));
        }
        if r.member_id.is_some() && r.member_id == actor.member_id {
            return Err(AppError::Forbidden("不能办理本人的发展党员事项".into()));
        }
        let today = crate::today();
        let mut e = FieldErrors::new();
        for (field, day) in
            [("done_on", Some(input.done_on)), ("notice_from", input.notice_from), ("notice_to", input.notice_to)]
        {
            if let Some(d) = day {
                e.check(field, rules::check_day(d, today));
            }
        }
        e.into_result()?;
        let mut e = FieldErrors::new();
        let people = e.check("people", names(&input.people, "people", "相关人员"));
        let documents = e.check("documents", names(&input.documents, "documents", "材料"));
        let note = e.check("note", optional_text(input.note.as_deref(), "备注", 500)).flatten();
        let reason = e.check("reason", optional_text(input.reason.as_deref(), "原因", 500)).flatten();
        e.into_result()?;
        let people = people.unwrap_or_default();
        let steps = repo::steps_of(&txn, r.id).await?;
        // The approval is not given by the one who recorded the meeting it approves.
        let meeting = match input.step {
            ADMISSION_STEP => Some(MEETING_STEP),
            CONVERSION_STEP => Some(CONVERSION_STEP - 1),
            _ => None,
        };
        if let Some(m) = meeting
            && steps.iter().any(|s| s.step == i32::from(m) && s.recorded_by == Some(actor.user_id))
        {
            return Err(AppError::Forbidden("审批不能由登记支部大会讨论的同一人办理".into()));
        }
        let h = history(&r, &steps);
        let rules = self.local_rules(&r.org_path).await?;
        let cal = self.county_calendar(&txn, &r.org_path, input.notice_from.unwrap_or(input.done_on)).await?;
        let facts = StepFacts {
            done_on: input.done_on,
            people: people.clone(),
            reason: reason.clone(),
            training_days: input.training_days,
            class_hours: input.class_hours,
            notice_from: input.notice_from,
            notice_to: input.notice_to,
        };
        rules::check_step(input.step, &facts, &h, &rules, &cal, today)?;
        let details = Details {
            training_days: input.training_days.filter(|_| input.step == 11),
            class_hours: input.class_hours.filter(|_| input.step == 11),
            notice_from: input.notice_from.filter(|_| input.step == 13),
            notice_to: input.notice_to.filter(|_| input.step == 13),
        };
        let details = serde_json::to_string(&details).ok().filter(|d| d != "{}");
        let mut r = r;
        if input.step == ADMISSION_STEP {
            let meeting = h.on(MEETING_STEP).expect("steps in order");
            r.member_id = Some(self.admit(&txn, ctx, &r, meeting).await?);
        }
        if input.step == CONVERSION_STEP
            && let (Some(m), Some(full_on)) = (r.member_id, rules::full_on(&h))
        {
            self.convert(&txn, ctx, m, &r.org_path, full_on).await?;
        }
        let step = NewStep {
            recruit_id: r.id,
            step: i32::from(input.step),
            done_on: input.done_on,
            people: serde_json::to_string(&people).expect("a list"),
            documents: serde_json::to_string(&documents.unwrap_or_default()).expect("a list"),
            note,
            reason,
            details,
            recorded_by: Some(actor.user_id),
            recorded_by_name: actor.display_name.clone(),
        };
        let r = self.after_step(&txn, r, step).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("recruit.step", "recruit", r.id)
                .with(serde_json::json!({"step": input.step, "done_on": input.done_on})),
        )
        .await?;
        let detail = self.recruit_detail(&txn, ctx, &r).await?;
        txn.commit().await?;
        Ok(detail)
    }

    /// Creates the probationary member's record from the pipeline (admitted on the general meeting's day).
    pub(crate) async fn admit(
        &self,
        txn: &impl sea_orm::ConnectionTrait,
        ctx: &Ctx,
        r: &Recruit,
        meeting: NaiveDate,
    ) -> AppResult<i64> {
        let open = |field: &str, v: &str| {
            self.crypto
                .open(v, &Self::recruit_aad(field, &r.id_number_bidx))
                .map_err(|e| AppError::Internal(e.context(format!("发展对象 {} 的 {field} 无法解密", r.id))))
        };
        let id_number = open("id_number", &r.id_number_enc)?;
        let phone = r.phone_enc.as_deref().map(|p| open("phone", p)).transpose()?;
        let org = orgs::get(txn, &Scope::Paths(vec![r.org_path.clone()]), r.org_id)
            .await?
            .ok_or_else(|| AppError::not_found("党组织"))?;
        if org.status != "active" {
            return Err(AppError::conflict("所在党支部已撤销，请先转入其他党支部"));
        }
        let input = MemberInput {
            org_id: Some(org.id),
            name: Some(r.name.clone()),
            id_number: Some(id_number),
            phone,
            education: r.education.clone(),
            occupation: r.occupation.clone(),
            employer: r.employer.clone(),
            joined_on: Some(meeting),
            category: Some("probationary".into()),
            status: Some("normal".into()),
            ..Default::default()
        };
        let row = self.member_row(input, None, (org.id, org.path.clone()), &[])?;
        if members::find_by_id_number(txn, &row.id_number_bidx).await?.is_some() {
            return Err(AppError::Conflict {
                title: "该身份证号已登记为党员".into(),
                errors: FieldErrors::single("step", "该身份证号已登记为党员，不能重复接收"),
            });
        }
        let m = members::insert(txn, row).await.map_err(|e| match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                AppError::conflict("该身份证号已登记为党员，不能重复接收")
            }
            _ => e.into(),
        })?;
        self.audit(
            txn,
            ctx,
            Event::ok("member.create", "member", m.id).with(serde_json::json!({"org_id": org.id, "recruit_id": r.id})),
        )
        .await?;
        Ok(m.id)
    }

    /// The member becomes full on the day the probation ended, if still filed at `org_path` (the
    /// recruit's branch: the record follows a transferred member).
    pub(crate) async fn convert(
        &self,
        txn: &impl sea_orm::ConnectionTrait,
        ctx: &Ctx,
        member_id: i64,
        org_path: &str,
        full_on: NaiveDate,
    ) -> AppResult<()> {
        members::lock(txn, member_id).await?;
        #[allow(clippy::disallowed_methods, reason = "the member the recruit's admission created")]
        let all = Scope::All(honglian_store::Unscoped::system());
        let m = members::get(txn, &all, member_id).await?.ok_or_else(|| AppError::not_found("党员"))?;
        if m.org_path != org_path {
            return Err(AppError::conflict("该党员的组织关系已转出本支部，转正由其所在党组织办理"));
        }
        if m.category != "probationary" {
            return Err(AppError::conflict("该党员已不是预备党员"));
        }
        let personal = self.open_personal(&m)?;
        let tags = members::tags_of(&m);
        let input = MemberInput {
            category: Some("full".into()),
            full_on: Some(full_on),
            tags: Some(tags.clone()),
            ..Default::default()
        };
        let row = self.member_row(input, Some((&m, &personal)), (m.org_id, m.org_path.clone()), &tags)?;
        members::update(txn, member_id, row).await?;
        self.audit(
            txn,
            ctx,
            Event::ok("member.update", "member", member_id)
                .with(serde_json::json!({"fields": ["category", "full_on"]})),
        )
        .await?;
        Ok(())
    }

    /// The branch general meeting extends the probation (once, 6–12 months).
    pub async fn recruit_extend(&self, ctx: &Ctx, id: i64, input: RecruitExtensionInput) -> AppResult<RecruitDetail> {
        let txn = honglian_store::begin_write(&self.db).await?;
        let mut r = self.recruit_held(&txn, ctx, id).await?;
        if !self.writes_at(ctx, &r.org_path) {
            return Err(AppError::Forbidden("延长预备期由所在党支部办理".into()));
        }
        if r.status != PipelineStatus::Active.code() {
            return Err(AppError::conflict("该发展党员记录已完成或已终止"));
        }
        let reason = required_text(&input.reason, "延长原因", 500).map_err(|e| AppError::field("reason", e))?;
        rules::check_day(input.on, crate::today()).map_err(|e| AppError::field("on", e))?;
        let steps = repo::steps_of(&txn, r.id).await?;
        rules::check_extension(&history(&r, &steps), input.months, input.on, crate::today())?;
        r.extension_months = Some(input.months as i32);
        r.extended_on = Some(input.on);
        r.extension_reason = Some(reason);
        self.refresh_due(&txn, &mut r).await?;
        let r = repo::save(&txn, r).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("recruit.extend", "recruit", r.id).with(serde_json::json!({"months": input.months})),
        )
        .await?;
        let detail = self.recruit_detail(&txn, ctx, &r).await?;
        txn.commit().await?;
        Ok(detail)
    }

    /// The branch stops the procedure before admission (no longer to be developed), dated, with why.
    pub async fn recruit_stop(&self, ctx: &Ctx, id: i64, input: RecruitStopInput) -> AppResult<RecruitDetail> {
        let txn = honglian_store::begin_write(&self.db).await?;
        let mut r = self.recruit_held(&txn, ctx, id).await?;
        if !self.writes_at(ctx, &r.org_path) {
            return Err(AppError::Forbidden("终止发展由所在党支部办理".into()));
        }
        if r.status != PipelineStatus::Active.code() {
            return Err(AppError::conflict("该发展党员记录已完成或已终止"));
        }
        if r.member_id.is_some() {
            return Err(AppError::conflict("已接收为预备党员：取消预备党员资格请按党员管理办理"));
        }
        let reason = required_text(&input.reason, "终止原因", 500).map_err(|e| AppError::field("reason", e))?;
        rules::check_day(input.on, crate::today()).map_err(|e| AppError::field("on", e))?;
        if repo::steps_of(&txn, r.id).await?.last().is_some_and(|s| input.on < s.done_on) {
            return Err(AppError::field("on", "终止日期不能早于最近办理步骤的日期"));
        }
        r.status = PipelineStatus::Stopped.code().into();
        r.stopped_on = Some(input.on);
        r.stop_reason = Some(reason);
        r.next_due_on = None;
        let r = repo::save(&txn, r).await?;
        self.audit(&txn, ctx, Event::ok("recruit.stop", "recruit", r.id)).await?;
        let detail = self.recruit_detail(&txn, ctx, &r).await?;
        txn.commit().await?;
        Ok(detail)
    }

    pub async fn recruit_get(&self, ctx: &Ctx, id: i64) -> AppResult<RecruitDetail> {
        let r = self.recruit_in(&self.db, ctx, id).await?;
        self.recruit_detail(&self.db, ctx, &r).await
    }

    /// The scope a list of recruits covers: `org` within what the caller reads.
    async fn recruit_scope(&self, ctx: &Ctx, org: Option<i64>) -> AppResult<Scope> {
        let scope = reads(ctx)?;
        Ok(match org {
            Some(o) => Scope::Paths(vec![self.org_in(&self.db, &scope, o).await?.path]),
            None => scope,
        })
    }

    pub async fn recruit_list(&self, ctx: &Ctx, q: RecruitQuery) -> AppResult<RecruitPage> {
        let scope = self.recruit_scope(ctx, q.org.map(|o| o.get())).await?;
        let page = PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into));
        let found = repo::list(&self.db, &scope, filter_of(&q), page).await?;
        let mut steps_of = repo::steps_of_many(&self.db, &found.items.iter().map(|r| r.id).collect::<Vec<_>>()).await?;
        let org_names = orgs::names(&self.db, &found.items.iter().map(|r| r.org_id).collect::<Vec<_>>()).await?;
        let mut rules_of: HashMap<Option<i64>, LocalRules> = HashMap::new();
        let mut recorders: HashMap<(String, i32), Option<String>> = HashMap::new();
        let mut items = Vec::with_capacity(found.items.len());
        for r in &found.items {
            let county = county_of(&r.org_path);
            if let std::collections::hash_map::Entry::Vacant(e) = rules_of.entry(county) {
                e.insert(self.local_rules(&r.org_path).await?);
            }
            let steps = steps_of.remove(&r.id).unwrap_or_default();
            let name = org_names.get(&r.org_id).cloned().unwrap_or_default();
            let key = (r.org_path.clone(), r.steps_done);
            if !recorders.contains_key(&key) {
                let no = u8::try_from(r.steps_done + 1).unwrap_or(rules::STEPS);
                recorders.insert(key.clone(), self.recorder_path(&self.db, &r.org_path, no).await?);
            }
            items.push(self.recruit_view(ctx, r, name, &steps, &rules_of[&county], recorders[&key].as_deref())?);
        }
        Ok(RecruitPage { items, total: found.total, page: page.page, per_page: page.per_page })
    }

    /// The roster (发展党员工作台账) of the list's filters as xlsx or PDF: each person with the days of the
    /// milestones (application, activist, development target, general meeting, full membership), the next
    /// step and its due day. No ID numbers. Audited.
    pub async fn recruit_roster(&self, ctx: &Ctx, q: RecruitQuery, format: ReportFormat) -> AppResult<Export> {
        let actor = ctx.actor()?;
        let scope = self.recruit_scope(ctx, q.org.map(|o| o.get())).await?;
        let status = q.status.unwrap_or(PipelineStatus::Active);
        let filter = filter_of(&q);
        let found = repo::list(&self.db, &scope, filter, PageReq::new(Some(1), Some(ROSTER_MAX))).await?;
        if found.total > ROSTER_MAX {
            return Err(AppError::field("org", format!("超过 {ROSTER_MAX} 人，请按党组织或阶段分别导出")));
        }
        let names = orgs::names(&self.db, &found.items.iter().map(|r| r.org_id).collect::<Vec<_>>()).await?;
        let mut steps_of = repo::steps_of_many(&self.db, &found.items.iter().map(|r| r.id).collect::<Vec<_>>()).await?;
        let mut rules_of: HashMap<Option<i64>, LocalRules> = HashMap::new();
        let mut rows = Vec::with_capacity(found.items.len());
        for r in &found.items {
            let county = county_of(&r.org_path);
            if let std::collections::hash_map::Entry::Vacant(e) = rules_of.entry(county) {
                e.insert(self.local_rules(&r.org_path).await?);
            }
            let h = history(r, &steps_of.remove(&r.id).unwrap_or_default());
            let day = |no: u8| h.on(no).map(|d| d.to_string()).unwrap_or_default();
            let next = h.next_step().filter(|_| r.status == PipelineStatus::Active.code());
            let w = next.map(|no| rules::window(no, &h, &rules_of[&county]));
            rows.push(vec![
                r.name.clone(),
                Gender::from_code(&r.gender).map_or("", |g| g.label()).to_string(),
                chrono::Datelike::year(&r.birth_date).to_string(),
                names.get(&r.org_id).cloned().unwrap_or_default(),
                if r.status == PipelineStatus::Stopped.code() {
                    "已终止".to_string()
                } else {
                    role_label(h.steps_done()).to_string()
                },
                day(1),
                day(3),
                day(7),
                day(MEETING_STEP),
                if h.steps_done() >= CONVERSION_STEP {
                    rules::full_on(&h).map(|d| d.to_string()).unwrap_or_default()
                } else {
                    String::new()
                },
                next.and_then(rules::step_def).map_or(String::new(), |d| format!("{}. {}", d.no, d.name)),
                w.and_then(|w| reminder_day(next.unwrap_or(0), &w)).map(|d| d.to_string()).unwrap_or_default(),
            ]);
        }
        let unit = match q.org {
            Some(o) => self.org_in(&self.db, &scope, o.get()).await?.name,
            None => actor.grants.iter().find_map(|g| g.org_name.clone()).unwrap_or_default(),
        };
        let date = crate::today().to_string();
        let report = Report {
            title: "发展党员工作台账".into(),
            sheet: "发展党员".into(),
            unit,
            date: date.clone(),
            intro: vec![format!(
                "共 {} 人（{}）。日期为各阶段办理日期；到期日为下一步骤的时限或预备期满之日。导出人：{}",
                rows.len(),
                status.label(),
                actor.display_name
            )],
            columns: vec![
                Column::new("姓名", 8.0).fit("欧阳晓明"),
                Column::new("性别", 4.0).center(),
                Column::new("出生年份", 6.0).center(),
                Column::new("所在党支部", 22.0),
                Column::new("身份", 10.0).fit("入党积极分子"),
                Column::new("申请入党", 10.0).fit("2026-12-31").center(),
                Column::new("确定积极分子", 10.0).fit("2026-12-31").center(),
                Column::new("确定发展对象", 10.0).fit("2026-12-31").center(),
                Column::new("支部大会接收", 10.0).fit("2026-12-31").center(),
                Column::new("转正", 10.0).fit("2026-12-31").center(),
                Column::new("下一步", 18.0),
                Column::new("到期日", 10.0).fit("2026-12-31").center(),
            ],
            landscape: true,
        };
        let (file, written) = report_file(report, format, rows).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("recruit.roster", "recruit", date)
                .with(serde_json::json!({"rows": written, "format": format.extension()})),
        )
        .await?;
        txn.commit().await?;
        Ok(Export { filename: format!("发展党员工作台账.{}", format.extension()), file, rows: written })
    }

    /// Who is at which stage, by branch, with the steps and the number due soon.
    pub async fn recruitment_summary(&self, ctx: &Ctx, q: RecruitSummaryQuery) -> AppResult<RecruitSummary> {
        let scope = self.recruit_scope(ctx, q.org.map(|o| o.get())).await?;
        let counts = repo::counts(&self.db, &scope).await?;
        let stages: Vec<Stage> = Stage::ALL.to_vec();
        let mut by_org: BTreeMap<i64, Vec<u64>> = BTreeMap::new();
        let mut by_step = vec![0u64; STEP_DEFS.len()];
        for (org, done, n) in &counts {
            let next = u8::try_from(*done + 1).unwrap_or(rules::STEPS);
            let Some(def) = rules::step_def(next) else { continue };
            let i = stages.iter().position(|s| *s == def.stage).unwrap_or(0);
            by_org.entry(*org).or_insert_with(|| vec![0; stages.len()])[i] += *n as u64;
            by_step[usize::from(next - 1)] += *n as u64;
        }
        let names = orgs::names(&self.db, &by_org.keys().copied().collect::<Vec<_>>()).await?;
        let mut rows: Vec<RecruitSummaryRow> = by_org
            .into_iter()
            .map(|(id, by_stage)| RecruitSummaryRow {
                org: OrgName { id, name: names.get(&id).cloned().unwrap_or_default() },
                total: by_stage.iter().sum(),
                by_stage,
            })
            .collect();
        rows.sort_by(|a, b| a.org.name.cmp(&b.org.name));
        let due_soon =
            repo::count_due_by(&self.db, &scope, crate::today() + chrono::Duration::days(REMIND_DAYS)).await?;
        Ok(RecruitSummary {
            stages: stages.iter().map(|s| s.label().to_string()).collect(),
            total: rows.iter().map(|r| r.total).sum(),
            rows,
            by_step,
            due_soon,
        })
    }

    /// For the workbench: recruits whose next step is due within two weeks or overdue, and a few names.
    pub(crate) async fn recruits_due(&self, ctx: &Ctx) -> AppResult<(u64, Vec<String>)> {
        let scope = self.recruit_scope(ctx, None).await?;
        let soon = crate::today() + chrono::Duration::days(REMIND_DAYS);
        let total = repo::count_due_by(&self.db, &scope, soon).await?;
        let names = repo::due_by(&self.db, &scope, soon, 3)
            .await?
            .iter()
            .map(|r| {
                let next =
                    rules::step_def(u8::try_from(r.steps_done + 1).unwrap_or(rules::STEPS)).map_or("", |d| d.name);
                format!("{}（{}，{}）", r.name, next, r.next_due_on.map(|d| d.to_string()).unwrap_or_default())
            })
            .collect();
        Ok((total, names))
    }

    /// The signed-in member's own recruitment record (from admission on: their probation and conversion).
    pub async fn my_recruitment(&self, ctx: &Ctx) -> AppResult<Option<RecruitDetail>> {
        if !ctx.actor()?.has(Permission::MemberSelf) {
            return Err(AppError::forbidden());
        }
        let me = self.own_member(&self.db, ctx).await?;
        let Some(r) = repo::of_member(&self.db, me.id).await? else { return Ok(None) };
        Ok(Some(own_view(self.recruit_detail(&self.db, ctx, &r).await?)))
    }

    /// A code for the applicant to follow their own steps on the phone without an account (a new one
    /// replaces the old); shown once, only its hash kept. By member writers over the applicant's branch.
    pub async fn recruit_progress_code(&self, ctx: &Ctx, id: i64) -> AppResult<ProgressCode> {
        let txn = honglian_store::begin_write(&self.db).await?;
        let mut r = self.recruit_held(&txn, ctx, id).await?;
        if !self.writes_at(ctx, &r.org_path) {
            return Err(AppError::Forbidden("进度查询码由申请人所在党支部生成".into()));
        }
        if r.status == "stopped" {
            return Err(AppError::conflict("该发展程序已终止"));
        }
        let mut bytes = [0u8; CODE_LEN];
        getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(anyhow::anyhow!("随机数不可用：{e}")))?;
        let code = code_from_bytes(&bytes);
        r.progress_code_hash =
            Some(crate::platform::crypto::sm3_hex(normalise_code(&code).unwrap_or_default().as_bytes()));
        r.progress_wrong = 0;
        let r = repo::save(&txn, r).await?;
        self.audit(&txn, ctx, Event::ok("recruit.progress_code", "recruit", r.id)).await?;
        txn.commit().await?;
        Ok(ProgressCode { path: format!("/m/progress#code={code}"), code })
    }

    /// An applicant's own steps, opened with the branch's code and the last six characters of their ID
    /// number (five wrong answers close the code); what the member sees of their own, nothing more.
    pub async fn recruit_progress(&self, ctx: &Ctx, q: ProgressQuery) -> AppResult<RecruitDetail> {
        let code =
            normalise_code(&q.code).ok_or_else(|| AppError::field("code", "查询码应为 12 位字母和数字，请核对"))?;
        if q.id_tail.trim().chars().count() != 6 {
            return Err(AppError::field("id_tail", "请输入身份证号的后六位"));
        }
        let hash = crate::platform::crypto::sm3_hex(code.as_bytes());
        let wrong_code = || AppError::field("code", "查询码不对或已失效，请向所在党支部索取");
        let txn = honglian_store::begin_write(&self.db).await?;
        let r = repo::by_progress_code(&txn, &hash).await?.ok_or_else(wrong_code)?;
        repo::lock(&txn, r.id).await?;
        let mut r = repo::by_progress_code(&txn, &hash).await?.ok_or_else(wrong_code)?;
        let id_number = self
            .crypto
            .open(&r.id_number_enc, &Self::recruit_aad("id_number", &r.id_number_bidx))
            .map_err(|e| AppError::Internal(e.context(format!("发展对象 {} 的 id_number 无法解密", r.id))))?;
        if !id_tail_matches(&id_number, &q.id_tail) {
            r.progress_wrong += 1;
            let wrong = r.progress_wrong;
            let closed = wrong >= MAX_WRONG_ANSWERS;
            if closed {
                r.progress_code_hash = None;
            }
            let id = r.id;
            repo::save(&txn, r).await?;
            let ev = Event::ok("recruit.progress_view", "recruit", id)
                .result("failed")
                .with(serde_json::json!({"reason": "wrong_id_tail", "wrong_answers": wrong, "closed": closed}));
            self.audit(&txn, ctx, ev).await?;
            txn.commit().await?;
            return Err(if closed {
                AppError::conflict("身份证号后六位输错次数过多，查询码已失效，请向所在党支部索取新的查询码")
            } else {
                AppError::field("id_tail", format!("身份证号后六位不对，还可以再试 {} 次", MAX_WRONG_ANSWERS - wrong))
            });
        }
        self.audit(&txn, ctx, Event::ok("recruit.progress_view", "recruit", r.id)).await?;
        let d = self.recruit_detail(&txn, ctx, &r).await?;
        txn.commit().await?;
        Ok(own_view(d))
    }
}

/// What a person sees of their own record: each step's day and what comes next; the branch's notes,
/// reasons, the people involved, who recorded each step and why it stopped stay with the branch, and nothing personal is shown
/// (they know it).
fn own_view(mut d: RecruitDetail) -> RecruitDetail {
    for s in &mut d.steps {
        s.people.clear();
        s.documents.clear();
        s.note = None;
        s.reason = None;
        s.recorded_by_name = None;
    }
    d.recruit.stop_reason = None;
    d.recruit.extension_reason = None;
    d
}
