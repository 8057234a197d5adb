//! 关爱工程: the county's care fund for students from poor families. Chamber branches (and the county)
//! record donations; a branch proposes a student and reviews the application; the fund's committee —
//! the county, `care.write` over its root — decides the amount; the decision is shown in public for
//! the county's number of working days (default 5, the county's working-day calendar), while
//! objections are recorded and handled (one upheld stops the aid); after the notice the county pays,
//! never more than the fund holds. A paid application is renewed for the next year without typing
//! the student again. The ledger by year and the annual report (xlsx, PDF); a thank-you letter (PDF)
//! for each donation.
//!
//! The student's ID number, phone and family situation are sealed (associated data: the proposing
//! organisation) and shown masked; the family situation only to those who review the application.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use honglian_domain::goals::grant::Fen;
use honglian_domain::hometown::care::{
    self as rules, AidStatus, AidStep, DEFAULT_NOTICE_DAYS, DonorKind, NOTICE_DAYS_RANGE, PayMethod,
};
use honglian_domain::hometown::check_date;
use honglian_domain::mask::{mask_id_number, mask_phone};
use honglian_domain::members::member::Phone;
use honglian_domain::platform::authz::Permission;
use honglian_domain::validation::{optional_text, required_text};
use honglian_domain::{FieldErrors, IdNumber, PageNo, PerPage, RecordId, Year};
use honglian_store::Scope;
use honglian_store::repo::PageReq;
use honglian_store::repo::hometown::care::{self as repo, Aid, Donation, NewAid, NewDonation};
use honglian_store::repo::platform::integrity::Protected;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::yuan_field;
use crate::members::export::Export;
use crate::org_life::activities::OrgName;
use crate::platform::audit::Event;
use crate::platform::pdf::Column;
use crate::platform::report::{Report, ReportFormat, report_file};
use crate::platform::settings::CountyDays;
use crate::platform::settings::county_of;
use crate::{App, AppError, AppResult, Ctx};

const NOTICE_DAYS: CountyDays = CountyDays {
    key: "care_notice_days",
    range: NOTICE_DAYS_RANGE,
    default: DEFAULT_NOTICE_DAYS,
    field: "notice_days",
    label: "公示天数",
};
const TABLE: &str = "care_aids";

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DonationView {
    pub id: i64,
    /// The organisation that raised it.
    pub org: OrgName,
    pub donor_kind: DonorKind,
    pub donor_kind_label: String,
    pub donor_name: String,
    pub amount_fen: i64,
    /// Yuan, `3,000.00`.
    pub amount: String,
    pub received_on: NaiveDate,
    pub receipt_no: String,
    pub purpose: String,
    /// Voided (entered by mistake): kept, not counted.
    pub voided_on: Option<NaiveDate>,
    pub void_reason: Option<String>,
    /// The caller may void it (the fund committee, while it counts).
    pub can_void: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct VoidInput {
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DonationPage {
    pub items: Vec<DonationView>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DonationInput {
    /// The organisation that raised it (in the caller's scope).
    pub org_id: RecordId,
    pub donor_kind: DonorKind,
    pub donor_name: String,
    /// Yuan as people write it.
    pub amount: String,
    pub received_on: NaiveDate,
    /// The receipt's number (unique in the county).
    pub receipt_no: String,
    #[serde(default)]
    pub purpose: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ObjectionView {
    pub id: i64,
    pub received_on: NaiveDate,
    pub content: String,
    pub handling: String,
    /// None while open; true when it stopped the aid.
    pub upheld: Option<bool>,
    pub handled_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AidView {
    pub id: i64,
    /// The organisation that proposes the student.
    pub org: OrgName,
    pub year: i32,
    pub student_name: String,
    /// Masked (the last 2 characters).
    pub id_number: Option<String>,
    /// Masked (the last 4 digits).
    pub phone: Option<String>,
    /// The family situation: only for those who review the application.
    pub family_situation: Option<String>,
    pub school: String,
    pub grade: String,
    pub asked_fen: i64,
    pub approved_fen: Option<i64>,
    pub status: AidStatus,
    pub status_label: String,
    pub applied_on: NaiveDate,
    pub reviewed_on: Option<NaiveDate>,
    pub review_note: String,
    pub decided_on: Option<NaiveDate>,
    pub decision_note: String,
    /// The public notice: from the day the decision was recorded to its last working day.
    pub notice_from: Option<NaiveDate>,
    pub notice_until: Option<NaiveDate>,
    pub disbursed_fen: Option<i64>,
    pub disbursed_on: Option<NaiveDate>,
    pub method: Option<PayMethod>,
    /// The payment's note (a transfer number, who received the cash).
    pub payment_note: String,
    pub renewal_of: Option<i64>,
    /// What the caller may do now.
    pub can_review: bool,
    pub can_decide: bool,
    pub can_disburse: bool,
    pub can_object: bool,
    /// Handle the open objections (the committee, while the application is on notice).
    pub can_handle: bool,
    pub can_renew: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AidDetail {
    pub aid: AidView,
    pub objections: Vec<ObjectionView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AidPage {
    pub items: Vec<AidView>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AidInput {
    /// The organisation that proposes the student (in the caller's scope).
    pub org_id: RecordId,
    /// The school year it is for.
    pub year: Year,
    pub student_name: String,
    #[serde(default)]
    pub id_number: Option<String>,
    /// A parent's or the student's phone.
    #[serde(default)]
    pub phone: Option<String>,
    pub family_situation: String,
    pub school: String,
    pub grade: String,
    /// Yuan asked for.
    pub asked: String,
    /// The day the application came (today when left out: an application recorded after the fact).
    #[serde(default)]
    pub applied_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AidStepInput {
    pub step: AidStep,
    /// Review and decision: passed (default) or not (a note says why).
    #[serde(default)]
    pub pass: Option<bool>,
    /// Decision: the yuan granted (the amount asked when left out).
    #[serde(default)]
    pub amount: Option<String>,
    pub on: NaiveDate,
    #[serde(default)]
    pub note: Option<String>,
    /// Payment: how.
    #[serde(default)]
    pub method: Option<PayMethod>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ObjectionInput {
    pub received_on: NaiveDate,
    pub content: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ObjectionHandling {
    /// The objection holds: the aid stops.
    pub upheld: bool,
    pub handling: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DonationQuery {
    pub year: Option<Year>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CareQuery {
    pub year: Option<Year>,
    #[param(inline)]
    pub status: Option<AidStatus>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FundYear {
    pub year: i32,
    pub donations: u64,
    pub raised_fen: i64,
    /// Students paid in the year.
    pub students: u64,
    pub disbursed_fen: i64,
    /// What the fund held at the end of the year.
    pub closing_fen: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FundLedger {
    /// Every year from the first movement, oldest first.
    pub years: Vec<FundYear>,
    pub raised_fen: i64,
    pub disbursed_fen: i64,
    pub donations: u64,
    pub students: u64,
    pub balance_fen: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CareSettings {
    /// Working days of the public notice (1–30).
    pub notice_days: u32,
}

fn yuan(f: i64) -> String {
    Fen(f).yuan_string()
}

fn status_of(a: &Aid) -> AidStatus {
    AidStatus::from_code(&a.status).unwrap_or(AidStatus::Applied)
}

fn parse_amount(e: &mut FieldErrors, field: &str, what: &str, s: &str) -> Option<Fen> {
    yuan_field(e, field, s, |f| rules::check_amount(f, what))
}

impl App {
    async fn notice_days(&self, county: Option<i64>) -> AppResult<u32> {
        self.county_days(&NOTICE_DAYS, county).await
    }

    pub async fn care_settings(&self, ctx: &Ctx) -> AppResult<CareSettings> {
        ctx.actor()?.scope(Permission::OrgRead)?;
        Ok(CareSettings { notice_days: self.notice_days(self.reader_county(ctx)?).await? })
    }

    pub async fn care_settings_set(&self, ctx: &Ctx, s: CareSettings) -> AppResult<CareSettings> {
        self.set_county_days(ctx, &NOTICE_DAYS, s.notice_days).await?;
        Ok(s)
    }

    /// Whether the caller acts for the fund's committee of the county `path` lies in.
    fn fund_committee(&self, ctx: &Ctx, path: &str) -> bool {
        let Some(county) = county_of(path) else { return false };
        ctx.actor().is_ok_and(|a| a.scope(Permission::CareWrite).is_ok_and(|s| s.contains(&format!("/{county}/"))))
    }

    fn care_writes(&self, ctx: &Ctx, path: &str) -> bool {
        ctx.actor().is_ok_and(|a| a.scope(Permission::CareWrite).is_ok_and(|s| s.contains(path)))
    }

    async fn donation_views(&self, ctx: &Ctx, list: Vec<Donation>) -> AppResult<Vec<DonationView>> {
        let names = self.org_names(&list.iter().map(|d| d.org_id).collect::<Vec<_>>()).await?;
        Ok(list
            .into_iter()
            .map(|d| {
                let kind = DonorKind::from_code(&d.donor_kind).unwrap_or(DonorKind::Person);
                DonationView {
                    org: OrgName { id: d.org_id, name: names.get(&d.org_id).cloned().unwrap_or_default() },
                    donor_kind: kind,
                    donor_kind_label: kind.label().into(),
                    amount: yuan(d.amount_fen),
                    id: d.id,
                    donor_name: d.donor_name,
                    amount_fen: d.amount_fen,
                    can_void: d.voided_on.is_none() && self.fund_committee(ctx, &d.org_path),
                    received_on: d.received_on,
                    receipt_no: d.receipt_no,
                    purpose: d.purpose,
                    voided_on: d.voided_on,
                    void_reason: d.void_reason,
                }
            })
            .collect())
    }

    pub async fn donation_list(&self, ctx: &Ctx, q: DonationQuery) -> AppResult<DonationPage> {
        let scope = ctx.actor()?.scope(Permission::OrgRead)?;
        let page = PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into));
        let found = repo::list_donations(&self.db, &scope, q.year.map(|y| y.get()), page).await?;
        Ok(DonationPage {
            items: self.donation_views(ctx, found.items).await?,
            total: found.total,
            page: page.page,
            per_page: page.per_page,
        })
    }

    pub async fn donation_create(&self, ctx: &Ctx, input: DonationInput) -> AppResult<DonationView> {
        let actor = ctx.actor()?;
        let org = self.org_in(&self.db, &actor.scope(Permission::CareWrite)?, input.org_id.get()).await?;
        let mut e = FieldErrors::new();
        let amount = parse_amount(&mut e, "amount", "捐赠金额", &input.amount);
        let donor_name = e.check("donor_name", required_text(&input.donor_name, "捐赠人", 100)).unwrap_or_default();
        let receipt_no = e.check("receipt_no", required_text(&input.receipt_no, "收据编号", 40)).unwrap_or_default();
        let purpose =
            e.check("purpose", optional_text(input.purpose.as_deref(), "用途", 200)).flatten().unwrap_or_default();
        e.check("received_on", check_date(input.received_on, crate::today()));
        e.into_result()?;
        let county_id = county_of(&org.path).unwrap_or_default();
        let txn = honglian_store::begin_write(&self.db).await?;
        // Held with the fund: two clerks entering one receipt at once take turns.
        repo::lock_fund(&txn, county_id).await?;
        if repo::receipt_used(&txn, &Scope::Paths(vec![format!("/{county_id}/")]), &receipt_no).await? {
            return Err(AppError::field("receipt_no", format!("收据编号 {receipt_no} 已登记过")));
        }
        let saved = repo::insert_donation(
            &txn,
            NewDonation {
                org_id: org.id,
                org_path: org.path.clone(),
                donor_kind: input.donor_kind.code().into(),
                donor_name,
                amount_fen: amount.map_or(0, |a| a.0),
                received_on: input.received_on,
                receipt_no,
                purpose,
                created_by: Some(actor.user_id),
            },
        )
        .await?;
        self.stamp(&txn, Protected::CareDonations, &[saved.id]).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("care.donation", "care_donation", saved.id)
                .with(serde_json::json!({"org_id": org.id, "amount_fen": saved.amount_fen})),
        )
        .await?;
        txn.commit().await?;
        Ok(self.donation_views(ctx, vec![saved]).await?.remove(0))
    }

    /// Voids a donation entered by mistake (the fund committee, with a reason): kept, no longer counted;
    /// refused when the fund would then hold less than it has paid.
    pub async fn donation_void(&self, ctx: &Ctx, id: i64, input: VoidInput) -> AppResult<DonationView> {
        let actor = ctx.actor()?;
        let scope = actor.scope(Permission::CareWrite)?;
        let current = repo::get_donation(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("捐赠"))?;
        if !self.fund_committee(ctx, &current.org_path) {
            return Err(AppError::Forbidden("捐赠作废由县（市）关爱基金管理委员会（县级管理员）办理".into()));
        }
        let reason = required_text(&input.reason, "作废原因", 200).map_err(|m| AppError::field("reason", m))?;
        let county_id = county_of(&current.org_path).unwrap_or_default();
        let txn = honglian_store::begin_write(&self.db).await?;
        repo::lock_fund(&txn, county_id).await?;
        let mut d = repo::get_donation(&txn, &scope, id).await?.ok_or_else(|| AppError::not_found("捐赠"))?;
        if d.voided_on.is_some() {
            return Err(AppError::conflict("该捐赠已作废"));
        }
        self.check_intact(Protected::CareDonations, d.id).await?;
        let balance = repo::balance(&txn, &Scope::Paths(vec![format!("/{county_id}/")])).await?;
        if balance < d.amount_fen {
            return Err(AppError::field(
                "reason",
                format!("作废后基金余额将为负（现余额 {} 元）", Fen(balance).yuan_string()),
            ));
        }
        d.voided_on = Some(crate::today());
        d.voided_by = Some(actor.user_id);
        d.void_reason = Some(reason);
        let saved = repo::save_donation(&txn, d).await?;
        self.stamp(&txn, Protected::CareDonations, &[saved.id]).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("care.donation_void", "care_donation", saved.id)
                .with(serde_json::json!({"amount_fen": saved.amount_fen})),
        )
        .await?;
        txn.commit().await?;
        Ok(self.donation_views(ctx, vec![saved]).await?.remove(0))
    }

    /// A thank-you letter for a donation, as a printable PDF (audited).
    pub async fn donation_letter(&self, ctx: &Ctx, id: i64) -> AppResult<Export> {
        let scope = ctx.actor()?.scope(Permission::OrgRead)?;
        let d = repo::get_donation(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("捐赠"))?;
        if d.voided_on.is_some() {
            return Err(AppError::conflict("该捐赠已作废，不能出具感谢信"));
        }
        let v = self.donation_views(ctx, vec![d]).await?.remove(0);
        let report = Report {
            title: "感谢信".into(),
            sheet: "感谢信".into(),
            unit: v.org.name.clone(),
            date: crate::today().to_string(),
            intro: vec![
                format!("尊敬的{}：", v.donor_name),
                format!(
                    "您于 {} 向“关爱工程”助学基金捐赠人民币 {} 元（收据编号 {}）。",
                    v.received_on, v.amount, v.receipt_no
                ),
                "“关爱工程”自 2004 年起资助家乡品学兼优的贫困学子完成学业。您的善举将帮助他们走进大学、成长成才，"
                    .into(),
                "我们将严格管理、公开使用每一笔善款，资助名单经公示后发放。谨致以诚挚的感谢！".into(),
            ],
            columns: vec![
                Column::new("捐赠人", 24.0),
                Column::new("金额（元）", 14.0).fit("99,999,999.99"),
                Column::new("日期", 12.0).fit("2026-12-31").center(),
                Column::new("收据编号", 16.0),
                Column::new("用途", 24.0),
            ],
            landscape: false,
        };
        let rows = vec![vec![
            v.donor_name.clone(),
            v.amount.clone(),
            v.received_on.to_string(),
            v.receipt_no.clone(),
            v.purpose.clone(),
        ]];
        let (file, written) = report_file(report, ReportFormat::Pdf, rows).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        self.audit(&txn, ctx, Event::ok("care.letter", "care_donation", v.id)).await?;
        txn.commit().await?;
        Ok(Export { filename: format!("感谢信-{}-{}.pdf", v.donor_name, v.receipt_no), file, rows: written })
    }

    fn aid_views(
        &self,
        ctx: &Ctx,
        list: Vec<Aid>,
        names: &std::collections::HashMap<i64, String>,
        renewed: &[i64],
    ) -> AppResult<Vec<AidView>> {
        let today = crate::today();
        list.into_iter()
            .map(|a| {
                let status = status_of(&a);
                let reviewer = self.care_writes(ctx, &a.org_path);
                let committee = self.fund_committee(ctx, &a.org_path);
                let id_number = self.open_text(TABLE, "id_number", a.org_id, a.id_number_enc.as_deref())?;
                let phone = self.open_text(TABLE, "phone", a.org_id, a.phone_enc.as_deref())?;
                let family = if reviewer || committee {
                    self.open_text(TABLE, "family", a.org_id, a.family_enc.as_deref())?
                } else {
                    None
                };
                let in_notice = status == AidStatus::Notice && a.notice_until.is_some_and(|u| today <= u);
                // Notes and objections discuss the family: for those who read its situation.
                let insider = reviewer || committee;
                Ok(AidView {
                    org: OrgName { id: a.org_id, name: names.get(&a.org_id).cloned().unwrap_or_default() },
                    id_number: id_number.map(|s| mask_id_number(&s)),
                    phone: phone.map(|s| mask_phone(&s)),
                    family_situation: family,
                    status_label: status.label().into(),
                    method: a.method.as_deref().and_then(PayMethod::from_code),
                    can_review: reviewer && status == AidStatus::Applied,
                    // Whoever reviewed an application does not decide it.
                    can_decide: committee
                        && status == AidStatus::Reviewed
                        && a.reviewed_by != ctx.actor().ok().map(|x| x.user_id),
                    can_disburse: committee && status == AidStatus::Notice && !in_notice,
                    can_object: reviewer && in_notice,
                    can_handle: committee && status == AidStatus::Notice,
                    can_renew: reviewer && status == AidStatus::Disbursed && !renewed.contains(&a.id),
                    status,
                    id: a.id,
                    year: a.year,
                    student_name: a.student_name,
                    school: a.school,
                    grade: a.grade,
                    asked_fen: a.asked_fen,
                    approved_fen: a.approved_fen,
                    applied_on: a.applied_on,
                    reviewed_on: a.reviewed_on,
                    review_note: if insider { a.review_note } else { String::new() },
                    decided_on: a.decided_on,
                    decision_note: if insider { a.decision_note } else { String::new() },
                    notice_from: a.notice_from,
                    notice_until: a.notice_until,
                    disbursed_fen: a.disbursed_fen,
                    disbursed_on: a.disbursed_on,
                    payment_note: if insider { a.payment_note } else { String::new() },
                    renewal_of: a.renewal_of,
                })
            })
            .collect()
    }

    async fn aid_detail_of(&self, ctx: &Ctx, a: Aid) -> AppResult<AidDetail> {
        let names = self.org_names(&[a.org_id]).await?;
        let renewed = if repo::renewed(&self.db, a.id).await? { vec![a.id] } else { vec![] };
        let insider = self.care_writes(ctx, &a.org_path) || self.fund_committee(ctx, &a.org_path);
        let objections = if !insider { vec![] } else { repo::objections(&self.db, a.id).await? };
        let objections = objections
            .into_iter()
            .map(|o| ObjectionView {
                id: o.id,
                received_on: o.received_on,
                content: o.content,
                handling: o.handling,
                upheld: o.upheld,
                handled_on: o.handled_on,
            })
            .collect();
        Ok(AidDetail { aid: self.aid_views(ctx, vec![a], &names, &renewed)?.remove(0), objections })
    }

    async fn aid_in(&self, ctx: &Ctx, p: Permission, id: i64) -> AppResult<Aid> {
        let scope = ctx.actor()?.scope(p)?;
        repo::get_aid(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("助学申请"))
    }

    pub async fn aid_list(&self, ctx: &Ctx, q: CareQuery) -> AppResult<AidPage> {
        let scope = ctx.actor()?.scope(Permission::OrgRead)?;
        let page = PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into));
        let found =
            repo::list_aids(&self.db, &scope, q.year.map(|y| y.get()), q.status.map(|s| s.code()), page).await?;
        let names = self.org_names(&found.items.iter().map(|a| a.org_id).collect::<Vec<_>>()).await?;
        let mut renewed = Vec::new();
        for a in found.items.iter().filter(|a| a.status == "disbursed") {
            if repo::renewed(&self.db, a.id).await? {
                renewed.push(a.id);
            }
        }
        Ok(AidPage {
            items: self.aid_views(ctx, found.items, &names, &renewed)?,
            total: found.total,
            page: page.page,
            per_page: page.per_page,
        })
    }

    pub async fn aid_get(&self, ctx: &Ctx, id: i64) -> AppResult<AidDetail> {
        let a = self.aid_in(ctx, Permission::OrgRead, id).await?;
        self.aid_detail_of(ctx, a).await
    }

    /// A branch proposes a student.
    pub async fn aid_create(&self, ctx: &Ctx, input: AidInput) -> AppResult<AidDetail> {
        let actor = ctx.actor()?;
        let org = self.org_in(&self.db, &actor.scope(Permission::CareWrite)?, input.org_id.get()).await?;
        let mut e = FieldErrors::new();
        let name = e.check("student_name", required_text(&input.student_name, "学生姓名", 20)).unwrap_or_default();
        let id_number = match input.id_number.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => e.check("id_number", IdNumber::parse(s)).map(|i| i.as_str().to_string()),
            None => None,
        };
        let phone = match input.phone.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => e.check("phone", Phone::parse(s)).map(|p| p.as_str().to_string()),
            None => None,
        };
        let family =
            e.check("family_situation", required_text(&input.family_situation, "家庭情况", 1000)).unwrap_or_default();
        let school = e.check("school", required_text(&input.school, "学校", 60)).unwrap_or_default();
        let grade = e.check("grade", required_text(&input.grade, "年级", 20)).unwrap_or_default();
        let asked = parse_amount(&mut e, "asked", "申请金额", &input.asked);
        let applied_on = input.applied_on.unwrap_or(crate::today());
        e.check("applied_on", check_date(applied_on, crate::today()));
        e.into_result()?;
        let sealed = |f: &str, v: Option<&str>| self.seal_text(TABLE, f, org.id, v);
        let txn = honglian_store::begin_write(&self.db).await?;
        let saved = repo::insert_aid(
            &txn,
            NewAid {
                org_id: org.id,
                org_path: org.path.clone(),
                year: input.year.get(),
                student_name: name,
                id_number_enc: sealed("id_number", id_number.as_deref()),
                phone_enc: sealed("phone", phone.as_deref()),
                family_enc: sealed("family", Some(&family)),
                school,
                grade,
                asked_fen: asked.map_or(0, |a| a.0),
                applied_on,
                renewal_of: None,
                created_by: Some(actor.user_id),
            },
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("care.aid_create", "care_aid", saved.id).with(serde_json::json!({"org_id": org.id})),
        )
        .await?;
        txn.commit().await?;
        self.aid_detail_of(ctx, saved).await
    }

    /// The branch's review, the committee's decision (the notice starts) or the payment.
    pub async fn aid_step(&self, ctx: &Ctx, id: i64, input: AidStepInput) -> AppResult<AidDetail> {
        let actor = ctx.actor()?;
        let mut e = FieldErrors::new();
        let note = e.check("note", optional_text(input.note.as_deref(), "意见", 500)).flatten().unwrap_or_default();
        let amount = input.amount.as_deref().and_then(|s| parse_amount(&mut e, "amount", "资助金额", s));
        e.into_result()?;
        let pass = input.pass.unwrap_or(true);
        let today = crate::today();
        let current = self.aid_in(ctx, Permission::CareWrite, id).await?;
        let committee_step = input.step != AidStep::Review;
        if committee_step && !self.fund_committee(ctx, &current.org_path) {
            return Err(AppError::Forbidden("资助决定和发放由县（市）关爱基金管理委员会（县级管理员）办理".into()));
        }
        let county = Scope::Paths(vec![format!("/{}/", county_of(&current.org_path).unwrap_or_default())]);
        // The notice is published when the decision is recorded, whatever day the committee met.
        let cal = if input.step == AidStep::Decide {
            Some(
                self.work_calendar(&self.db, &format!("/{}/", county_of(&current.org_path).unwrap_or_default()), today)
                    .await?,
            )
        } else {
            None
        };
        let days = self.notice_days(county_of(&current.org_path)).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        // The county's fund held: two steps (two payments) at once take turns, the second reading the first's.
        repo::lock_fund(&txn, county_of(&current.org_path).unwrap_or_default()).await?;
        let scope = actor.scope(Permission::CareWrite)?;
        let mut a = repo::get_aid(&txn, &scope, id).await?.ok_or_else(|| AppError::not_found("助学申请"))?;
        let open = repo::objections(&txn, a.id).await?.iter().filter(|o| o.upheld.is_none()).count();
        let previous_on = match input.step {
            AidStep::Review => a.applied_on,
            AidStep::Decide => a.reviewed_on.unwrap_or(a.applied_on),
            AidStep::Disburse => a.decided_on.unwrap_or(a.applied_on),
        };
        rules::check_step(status_of(&a), input.step, previous_on, a.notice_until, open, input.on, today)
            .map_err(|(f, m)| AppError::field(f, m))?;
        if !pass && note.is_empty() {
            return Err(AppError::field("note", "不通过须说明理由"));
        }
        match input.step {
            AidStep::Review => {
                a.reviewed_on = Some(input.on);
                a.reviewed_by = Some(actor.user_id);
                a.review_note = note;
                a.status = if pass { "reviewed" } else { "rejected" }.into();
            }
            AidStep::Decide => {
                if a.reviewed_by == Some(actor.user_id) {
                    return Err(AppError::Forbidden("审核和资助决定不能由同一人办理".into()));
                }
                a.decided_on = Some(input.on);
                a.decided_by = Some(actor.user_id);
                a.decision_note = note;
                if pass {
                    let granted = amount.unwrap_or(Fen(a.asked_fen));
                    rules::check_granted(granted, Fen(a.asked_fen)).map_err(|m| AppError::field("amount", m))?;
                    a.approved_fen = Some(granted.0);
                    a.notice_from = Some(today);
                    a.notice_until = cal.map(|c| rules::notice_until(&c, today, days));
                    a.status = "notice".into();
                } else {
                    a.status = "rejected".into();
                }
            }
            AidStep::Disburse => {
                let Some(method) = input.method else {
                    return Err(AppError::field("method", "请选择发放方式"));
                };
                let paid = a.approved_fen.unwrap_or(a.asked_fen);
                rules::check_balance(Fen(repo::balance(&txn, &county).await?), Fen(paid))
                    .map_err(|m| AppError::field("step", m))?;
                a.disbursed_fen = Some(paid);
                a.disbursed_on = Some(input.on);
                a.method = Some(method.code().into());
                a.payment_note = note;
                a.status = "disbursed".into();
            }
        }
        let saved = repo::save_aid(&txn, a).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("care.aid_step", "care_aid", saved.id).with(serde_json::json!({
                "step": input.step.code(), "pass": pass, "status": saved.status,
                "approved_fen": saved.approved_fen, "disbursed_fen": saved.disbursed_fen})),
        )
        .await?;
        txn.commit().await?;
        self.aid_detail_of(ctx, saved).await
    }

    /// Records an objection received while the application is on public notice.
    pub async fn aid_objection_add(&self, ctx: &Ctx, id: i64, input: ObjectionInput) -> AppResult<AidDetail> {
        let actor = ctx.actor()?;
        let current = self.aid_in(ctx, Permission::CareWrite, id).await?;
        let content = required_text(&input.content, "异议内容", 1000).map_err(|m| AppError::field("content", m))?;
        check_date(input.received_on, crate::today()).map_err(|m| AppError::field("received_on", m))?;
        let txn = honglian_store::begin_write(&self.db).await?;
        // Held with the fund, read again: a payment meanwhile closes the notice.
        repo::lock_fund(&txn, county_of(&current.org_path).unwrap_or_default()).await?;
        let a = repo::get_aid(&txn, &actor.scope(Permission::CareWrite)?, id)
            .await?
            .ok_or_else(|| AppError::not_found("助学申请"))?;
        rules::check_objection(status_of(&a), a.notice_until, input.received_on)
            .map_err(|m| AppError::field("received_on", m))?;
        let o = repo::add_objection(&txn, a.id, input.received_on, &content, Some(actor.user_id)).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("care.objection", "care_aid", a.id).with(serde_json::json!({"objection_id": o.id})),
        )
        .await?;
        txn.commit().await?;
        self.aid_detail_of(ctx, a).await
    }

    /// The committee handles an objection: one that holds stops the aid.
    pub async fn aid_objection_handle(
        &self,
        ctx: &Ctx,
        id: i64,
        objection_id: i64,
        input: ObjectionHandling,
    ) -> AppResult<AidDetail> {
        let current = self.aid_in(ctx, Permission::CareWrite, id).await?;
        if !self.fund_committee(ctx, &current.org_path) {
            return Err(AppError::Forbidden("异议由县（市）关爱基金管理委员会（县级管理员）处理".into()));
        }
        let handling = required_text(&input.handling, "处理意见", 500).map_err(|m| AppError::field("handling", m))?;
        let txn = honglian_store::begin_write(&self.db).await?;
        repo::lock_fund(&txn, county_of(&current.org_path).unwrap_or_default()).await?;
        let scope = ctx.actor()?.scope(Permission::CareWrite)?;
        let mut a = repo::get_aid(&txn, &scope, id).await?.ok_or_else(|| AppError::not_found("助学申请"))?;
        let mut o = repo::objections(&txn, a.id)
            .await?
            .into_iter()
            .find(|o| o.id == objection_id)
            .ok_or_else(|| AppError::not_found("异议"))?;
        if o.upheld.is_some() {
            return Err(AppError::conflict("该异议已处理"));
        }
        o.upheld = Some(input.upheld);
        o.handling = handling.clone();
        o.handled_on = Some(crate::today());
        repo::save_objection(&txn, o).await?;
        if input.upheld && status_of(&a) == AidStatus::Notice {
            a.status = "rejected".into();
            a.decision_note = if a.decision_note.is_empty() {
                format!("公示期间异议成立：{handling}")
            } else {
                format!("{}（公示期间异议成立：{handling}）", a.decision_note)
            };
            a = repo::save_aid(&txn, a).await?;
        }
        self.audit(
            &txn,
            ctx,
            Event::ok("care.objection_handle", "care_aid", a.id)
                .with(serde_json::json!({"objection_id": objection_id, "upheld": input.upheld})),
        )
        .await?;
        txn.commit().await?;
        self.aid_detail_of(ctx, a).await
    }

    /// Next year's application of a paid one, the student's details carried over (nothing typed again).
    pub async fn aid_renew(&self, ctx: &Ctx, id: i64) -> AppResult<AidDetail> {
        let actor = ctx.actor()?;
        let a = self.aid_in(ctx, Permission::CareWrite, id).await?;
        if status_of(&a) != AidStatus::Disbursed {
            return Err(AppError::conflict(format!("申请{}，发放后才能续助", status_of(&a).label())));
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        repo::lock_fund(&txn, county_of(&a.org_path).unwrap_or_default()).await?;
        if repo::renewed(&txn, a.id).await? {
            return Err(AppError::conflict("该申请已续助"));
        }
        let saved = repo::insert_aid(
            &txn,
            NewAid {
                org_id: a.org_id,
                org_path: a.org_path.clone(),
                year: a.year + 1,
                student_name: a.student_name.clone(),
                id_number_enc: a.id_number_enc.clone(),
                phone_enc: a.phone_enc.clone(),
                family_enc: a.family_enc.clone(),
                school: a.school.clone(),
                grade: a.grade.clone(),
                asked_fen: a.approved_fen.unwrap_or(a.asked_fen),
                applied_on: crate::today(),
                renewal_of: Some(a.id),
                created_by: Some(actor.user_id),
            },
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("care.aid_renew", "care_aid", saved.id).with(serde_json::json!({"renewal_of": a.id})),
        )
        .await?;
        txn.commit().await?;
        self.aid_detail_of(ctx, saved).await
    }

    /// The fund's ledger over the caller's scope: by year since the first movement, with totals.
    pub async fn care_ledger(&self, ctx: &Ctx) -> AppResult<FundLedger> {
        let scope = ctx.actor()?.scope(Permission::OrgRead)?;
        let ins = repo::donation_amounts(&self.db, &scope).await?;
        let outs = repo::disbursed_amounts(&self.db, &scope).await?;
        let mut years: BTreeMap<i32, FundYear> = BTreeMap::new();
        let blank =
            |year| FundYear { year, donations: 0, raised_fen: 0, students: 0, disbursed_fen: 0, closing_fen: 0 };
        for (on, fen) in &ins {
            let y = years.entry(on.year()).or_insert_with(|| blank(on.year()));
            y.donations += 1;
            y.raised_fen += fen;
        }
        for (on, fen) in &outs {
            let y = years.entry(on.year()).or_insert_with(|| blank(on.year()));
            y.students += 1;
            y.disbursed_fen += fen;
        }
        if let (Some(first), Some(last)) = (years.keys().next().copied(), years.keys().last().copied()) {
            for y in first..=last {
                years.entry(y).or_insert_with(|| blank(y));
            }
        }
        let mut running = 0i64;
        for y in years.values_mut() {
            running += y.raised_fen - y.disbursed_fen;
            y.closing_fen = running;
        }
        let raised_fen = ins.iter().map(|x| x.1).sum();
        let disbursed_fen = outs.iter().map(|x| x.1).sum();
        Ok(FundLedger {
            years: years.into_values().collect(),
            raised_fen,
            disbursed_fen,
            donations: ins.len() as u64,
            students: outs.len() as u64,
            balance_fen: raised_fen - disbursed_fen,
        })
    }

    /// Who issues the fund's papers: the caller's county's fund committee.
    async fn fund_unit(&self, ctx: &Ctx) -> AppResult<String> {
        let county = self.reader_county(ctx)?.unwrap_or_default();
        let name = self.org_names(&[county]).await?.remove(&county).unwrap_or_default();
        let place = name.trim_start_matches("中共").trim_end_matches("委员会");
        Ok(format!("{place}关爱工程助学基金管理委员会"))
    }

    /// A year's report of the fund: every movement with the running balance (xlsx or PDF, audited).
    pub async fn care_report(&self, ctx: &Ctx, year: Year, format: ReportFormat) -> AppResult<Export> {
        let actor = ctx.actor()?;
        let scope = actor.scope(Permission::OrgRead)?;
        let y = year.get();
        let ledger = self.care_ledger(ctx).await?;
        let opening = ledger.years.iter().filter(|f| f.year < y).map(|f| f.raised_fen - f.disbursed_fen).sum::<i64>();
        let this = ledger.years.iter().find(|f| f.year == y);
        let donations = repo::donations_of(&self.db, &scope, Some(y)).await?;
        let paid = repo::paid_of(&self.db, &scope, Some(y)).await?;
        // (day, order, kind, party, in, out)
        let mut moves: Vec<(NaiveDate, i64, &str, String, i64, i64)> = donations
            .iter()
            .map(|d| {
                (d.received_on, d.id, "捐赠", format!("{}（收据 {}）", d.donor_name, d.receipt_no), d.amount_fen, 0)
            })
            .collect();
        moves.extend(paid.iter().map(|a| {
            (
                a.disbursed_on.unwrap_or(a.applied_on),
                a.id,
                "资助",
                format!("{}（{}）", a.student_name, a.school),
                0,
                a.disbursed_fen.unwrap_or(0),
            )
        }));
        moves.sort_by_key(|m| (m.0, m.2 != "捐赠", m.1));
        let mut balance = opening;
        let rows: Vec<Vec<String>> = moves
            .into_iter()
            .map(|(on, _, kind, party, i, o)| {
                balance += i - o;
                vec![
                    on.to_string(),
                    kind.into(),
                    party,
                    if i > 0 { yuan(i) } else { String::new() },
                    if o > 0 { yuan(o) } else { String::new() },
                    yuan(balance),
                ]
            })
            .collect();
        let report = Report {
            title: format!("{y}年度“关爱工程”助学基金收支报告"),
            sheet: format!("{y}年收支"),
            unit: self.fund_unit(ctx).await?,
            date: crate::today().to_string(),
            intro: vec![format!(
                "上年结余 {} 元；本年捐赠 {} 笔 {} 元，资助学生 {} 名 {} 元；年末结余 {} 元。导出人：{}",
                yuan(opening),
                this.map_or(0, |f| f.donations),
                yuan(this.map_or(0, |f| f.raised_fen)),
                this.map_or(0, |f| f.students),
                yuan(this.map_or(0, |f| f.disbursed_fen)),
                yuan(balance),
                actor.display_name
            )],
            columns: vec![
                Column::new("日期", 11.0).fit("2026-12-31").center(),
                Column::new("类别", 6.0).center(),
                Column::new("捐赠人 / 受助学生", 34.0),
                Column::new("收入（元）", 14.0).fit("99,999,999.99"),
                Column::new("支出（元）", 14.0).fit("99,999,999.99"),
                Column::new("结余（元）", 14.0).fit("99,999,999.99"),
            ],
            landscape: false,
        };
        let (file, written) = report_file(report, format, rows).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("care.report", "care_fund", y.to_string())
                .with(serde_json::json!({"rows": written, "format": format.extension()})),
        )
        .await?;
        txn.commit().await?;
        Ok(Export {
            filename: format!("关爱工程{y}年度收支报告.{}", format.extension()), file, rows: written
        })
    }
}
