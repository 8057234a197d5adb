//! Outflow reports (外出报备): a member about to leave reports where to, for whom and until when;
//! the report waits in the home organisation's queue as a proposed outflow, which a worker confirms
//! with one click into the ledger (through the same use case as the ledger's own form, so nothing
//! is typed twice) or declines with a reason. The member sees where it stands. Coming back works
//! the same way (返回报备): the member says when they are back and where they live now, and the
//! confirmation closes the open outflow through the ledger's own return.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use honglian_domain::members::member::Phone;
use honglian_domain::members::mobility::{OutflowReason, REPORT_AHEAD_DAYS, ReportKind, ReportStatus};
use honglian_domain::platform::authz::Permission;
use honglian_domain::region::Location;
use honglian_domain::validation::{optional_text, required_text};
use honglian_domain::{FieldErrors, PageNo, PerPage};
use honglian_store::repo::members::mobility;
use honglian_store::repo::members::registry as members;
use honglian_store::repo::members::reports::{self, NewReport, OutflowReport};
use honglian_store::repo::organisations::orgs;
use honglian_store::repo::platform::users;
use honglian_store::repo::{Page, PageReq};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::mobility::{MobilityView, OutflowInput, ReturnInput};
use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

/// The reports' table: its free text (address, note) is sealed under the member.
const TABLE: &str = "outflow_reports";

/// What a member reports before leaving.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct OutflowReportInput {
    /// Destination: province and city (region codes, `GET /meta/regions`), county optional.
    pub province_code: Option<String>,
    pub city_code: Option<String>,
    pub county_code: Option<String>,
    /// Where they will live or work there.
    pub address: Option<String>,
    pub employer: Option<String>,
    pub occupation: Option<String>,
    /// work_business | study | follow_family | other
    pub reason: Option<String>,
    /// The day they leave (or left): at most 90 days ahead.
    pub start_date: Option<NaiveDate>,
    pub expected_return: Option<NaiveDate>,
    /// A new mobile number to reach them by; written to their own record at once. Absent: the
    /// number on the record stays.
    pub phone: Option<String>,
    pub note: Option<String>,
}

/// What a member away reports when they are back (返回报备).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ReturnReportInput {
    /// The day they came (or will come) back: not before they left, at most 30 days ahead.
    pub returned_on: Option<NaiveDate>,
    /// Where they live now (sealed like an address).
    pub current_place: Option<String>,
    pub note: Option<String>,
}

/// How far ahead a member may report coming back, in days.
const RETURN_AHEAD_DAYS: i64 = 30;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OutflowReportView {
    pub id: i64,
    /// leave (外出报备) or return (返回报备: `place` is where they come back from, `start_date` the day
    /// of return, `address` where they live now).
    pub kind: ReportKind,
    pub kind_label: String,
    pub member_id: i64,
    pub member_name: String,
    /// The member's organisation when they reported.
    pub org_id: i64,
    pub org_name: String,
    pub province_code: String,
    pub city_code: String,
    pub county_code: Option<String>,
    /// "广东省 深圳市".
    pub place: String,
    pub address: Option<String>,
    pub employer: Option<String>,
    pub occupation: Option<String>,
    pub reason: OutflowReason,
    pub reason_label: String,
    pub start_date: NaiveDate,
    pub expected_return: Option<NaiveDate>,
    pub note: Option<String>,
    /// The member gave a new mobile number (now on their record).
    pub phone_changed: bool,
    pub status: ReportStatus,
    pub status_label: String,
    pub decline_reason: Option<String>,
    /// The outflow record the confirmation created.
    pub mobility_record_id: Option<i64>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// proposed | confirmed | declined; absent: all.
    pub status: Option<String>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ReportConfirm {
    /// The organisation in the system receiving the member there (e.g. a chamber branch), if known.
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub receiving_org_id: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReportDecline {
    /// Shown to the member.
    pub reason: String,
}

impl App {
    async fn report_view(&self, r: OutflowReport) -> AppResult<OutflowReportView> {
        // Every caller of `report_view` reached the report: its member's own or one their scope reaches.
        #[allow(clippy::disallowed_methods, reason = "the member of a report the caller reached")]
        let reached = honglian_store::Scope::All(honglian_store::Unscoped::system());
        let member_name = members::get(&self.db, &reached, r.member_id).await?.map(|m| m.name).unwrap_or_default();
        let org_name = orgs::name_of(&self.db, r.org_id).await?;
        let decided_by_name = match r.decided_by {
            Some(u) => users::get(&self.db, u).await?.map(|u| u.display_name),
            None => None,
        };
        let reason = OutflowReason::from_code(&r.reason).unwrap_or(OutflowReason::Other);
        let status = ReportStatus::from_code(&r.status).unwrap_or(ReportStatus::Proposed);
        let kind = ReportKind::from_code(&r.kind).unwrap_or(ReportKind::Leave);
        Ok(OutflowReportView {
            id: r.id,
            kind,
            kind_label: kind.label().into(),
            member_id: r.member_id,
            member_name,
            org_id: r.org_id,
            org_name,
            place: Location {
                province: Some(r.province_code.clone()),
                city: Some(r.city_code.clone()),
                county: r.county_code.clone(),
            }
            .display(),
            province_code: r.province_code,
            city_code: r.city_code,
            county_code: r.county_code,
            address: self.open_text(TABLE, "address", r.member_id, r.address_enc.as_deref())?,
            employer: r.employer,
            occupation: r.occupation,
            reason,
            reason_label: reason.label().into(),
            start_date: r.start_date,
            expected_return: r.expected_return,
            note: self.open_text(TABLE, "note", r.member_id, r.note_enc.as_deref())?,
            phone_changed: r.phone_changed,
            status,
            status_label: status.label().into(),
            decline_reason: r.decline_reason,
            mobility_record_id: r.mobility_record_id,
            decided_by_name,
            decided_at: r.decided_at,
            created_at: r.created_at,
        })
    }

    /// The signed-in member's own member id (a member account, `member.self`).
    fn own_member_id(ctx: &Ctx) -> AppResult<i64> {
        let actor = ctx.actor()?;
        match actor.member_id {
            Some(id) if actor.has(Permission::MemberSelf) => Ok(id),
            _ => Err(AppError::Forbidden("只有关联了党员档案的党员账号可以报备".into())),
        }
    }

    /// A member reports that they are leaving (外出报备).
    pub async fn report_create(&self, ctx: &Ctx, input: OutflowReportInput) -> AppResult<OutflowReportView> {
        Self::own_member_id(ctx)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let m = self.own_member(&txn, ctx).await?;
        if m.status != "normal" {
            return Err(AppError::Forbidden("党籍状态异常，请直接联系所在党支部".into()));
        }
        let mut e = FieldErrors::new();
        let loc = match Location::parse(
            input.province_code.as_deref(),
            input.city_code.as_deref(),
            input.county_code.as_deref(),
        ) {
            Ok(l) => l,
            Err(errs) => {
                for (f, msgs) in errs.0 {
                    for msg in msgs {
                        e.add(&f, msg);
                    }
                }
                Location::default()
            }
        };
        if loc.province.is_none() && !e.0.contains_key("province_code") {
            e.add("province_code", "请选择外出地省份");
        }
        if loc.city.is_none() && !e.0.contains_key("city_code") {
            e.add("city_code", "请选择外出地城市");
        }
        let reason = match input.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => e.check("reason", OutflowReason::from_code(r).ok_or(format!("外出原因“{r}”无效"))),
            None => {
                e.add("reason", "请选择外出原因");
                None
            }
        };
        let today = crate::today();
        match input.start_date {
            None => e.add("start_date", "请填写外出日期"),
            Some(s) if s > today + Duration::days(REPORT_AHEAD_DAYS) => {
                e.add("start_date", format!("外出日期最多可提前 {REPORT_AHEAD_DAYS} 天报备"))
            }
            Some(s) if s < m.joined_on => e.add("start_date", "外出日期不能早于入党日期"),
            _ => {}
        }
        if let (Some(s), Some(r)) = (input.start_date, input.expected_return)
            && r < s
        {
            e.add("expected_return", "预计返回日期不能早于外出日期");
        }
        let address = e.check("address", optional_text(input.address.as_deref(), "外出地址", 200)).flatten();
        let employer = e.check("employer", optional_text(input.employer.as_deref(), "工作单位", 100)).flatten();
        let occupation = e.check("occupation", optional_text(input.occupation.as_deref(), "职业", 50)).flatten();
        let note = e.check("note", optional_text(input.note.as_deref(), "备注", 200)).flatten();
        let phone = match input.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => e.check("phone", Phone::parse(p)),
            None => None,
        };
        e.into_result()?;
        if mobility::open_outflow(&txn, m.id).await?.is_some() {
            return Err(AppError::conflict("您已登记为外出党员；回来后请用「返回报备」告诉党支部"));
        }
        // One report at a time, also when the member taps twice (PostgreSQL: the member's row locked).
        members::lock(&txn, m.id).await?;
        if reports::pending_of(&txn, m.id).await?.is_some() {
            return Err(AppError::conflict("您已有一份待党支部确认的报备"));
        }
        // A new number goes to the member's own record (the one place it is kept).
        let current = m
            .phone_enc
            .as_deref()
            .map(|v| self.crypto.open(v, &Self::aad("phone", &m.id_number_bidx)))
            .transpose()
            .map_err(|err| AppError::Internal(err.context(format!("党员 {} 的 phone 无法解密", m.id))))?;
        let phone_changed = match &phone {
            Some(p) if current.as_deref() != Some(p.as_str()) => {
                members::set_phone(
                    &txn,
                    m.id,
                    self.crypto.seal(p.as_str(), &Self::aad("phone", &m.id_number_bidx)),
                    self.crypto.blind_index("phone", p.as_str()),
                )
                .await?;
                true
            }
            _ => false,
        };
        let r = reports::insert(
            &txn,
            NewReport {
                kind: ReportKind::Leave.code(),
                member_id: m.id,
                org_id: m.org_id,
                province_code: loc.province.expect("validated"),
                city_code: loc.city.expect("validated"),
                county_code: loc.county,
                address_enc: self.seal_text(TABLE, "address", m.id, address.as_deref()),
                employer,
                occupation,
                reason: reason.expect("validated").code().into(),
                start_date: input.start_date.expect("validated"),
                expected_return: input.expected_return,
                note_enc: self.seal_text(TABLE, "note", m.id, note.as_deref()),
                phone_changed,
                mobility_record_id: None,
            },
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("mobility.report", "member", m.id).with(serde_json::json!({
                "report_id": r.id, "city": r.city_code, "phone_changed": phone_changed,
            })),
        )
        .await?;
        txn.commit().await?;
        self.report_view(r).await
    }

    /// A member away reports that they are back (返回报备): it waits in the home organisation's queue
    /// like an outflow report; the confirmation closes the open outflow.
    pub async fn report_return(&self, ctx: &Ctx, input: ReturnReportInput) -> AppResult<OutflowReportView> {
        Self::own_member_id(ctx)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let m = self.own_member(&txn, ctx).await?;
        if m.status != "normal" {
            return Err(AppError::Forbidden("党籍状态异常，请直接联系所在党支部".into()));
        }
        let Some(out) = mobility::open_outflow(&txn, m.id).await? else {
            return Err(AppError::conflict("您没有外出登记，不需要返回报备"));
        };
        let mut e = FieldErrors::new();
        match input.returned_on {
            None => e.add("returned_on", "请填写返回日期"),
            Some(d) if d < out.start_date => {
                e.add("returned_on", format!("返回日期不能早于外出日期 {}", out.start_date))
            }
            Some(d) if d > crate::today() + Duration::days(RETURN_AHEAD_DAYS) => {
                e.add("returned_on", format!("返回日期最多可提前 {RETURN_AHEAD_DAYS} 天报备"))
            }
            _ => {}
        }
        let place = e.check("current_place", optional_text(input.current_place.as_deref(), "现居住地", 100)).flatten();
        let note = e.check("note", optional_text(input.note.as_deref(), "备注", 200)).flatten();
        e.into_result()?;
        // One report at a time, also when the member taps twice (PostgreSQL: the member's row locked).
        members::lock(&txn, m.id).await?;
        if reports::pending_of(&txn, m.id).await?.is_some() {
            return Err(AppError::conflict("您已有一份待党支部确认的报备"));
        }
        let r = reports::insert(
            &txn,
            NewReport {
                kind: ReportKind::Return.code(),
                member_id: m.id,
                org_id: m.org_id,
                province_code: out.province_code.clone().unwrap_or_default(),
                city_code: out.city_code.clone().unwrap_or_default(),
                county_code: out.county_code.clone(),
                address_enc: self.seal_text(TABLE, "address", m.id, place.as_deref()),
                employer: out.employer.clone(),
                occupation: out.occupation.clone(),
                reason: out.reason.clone(),
                start_date: input.returned_on.expect("validated"),
                expected_return: None,
                note_enc: self.seal_text(TABLE, "note", m.id, note.as_deref()),
                phone_changed: false,
                mobility_record_id: Some(out.id),
            },
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("mobility.return_report", "member", m.id)
                .with(serde_json::json!({"report_id": r.id, "record_id": out.id})),
        )
        .await?;
        txn.commit().await?;
        self.report_view(r).await
    }

    /// The signed-in member's own reports, newest first.
    pub async fn my_reports(&self, ctx: &Ctx) -> AppResult<Vec<OutflowReportView>> {
        let member_id = Self::own_member_id(ctx)?;
        let mut out = Vec::new();
        for r in reports::of_member(&self.db, member_id).await? {
            out.push(self.report_view(r).await?);
        }
        Ok(out)
    }

    /// The home organisations' queue: reports of the members the caller manages.
    pub async fn report_list(&self, ctx: &Ctx, q: ReportQuery) -> AppResult<Page<OutflowReportView>> {
        let scope = ctx.actor()?.scope(Permission::MemberWrite)?;
        let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Some(ReportStatus::from_code(s).ok_or_else(|| AppError::field("status", "报备状态无效"))?),
            None => None,
        };
        let page = reports::list(
            &self.db,
            &scope,
            status.map(|s| s.code()),
            PageReq::new(q.page.map(PageNo::get), q.per_page.map(PerPage::get)),
        )
        .await?;
        let mut items = Vec::with_capacity(page.items.len());
        for r in page.items {
            items.push(self.report_view(r).await?);
        }
        Ok(Page { items, total: page.total })
    }

    /// The report, if the caller manages its member (404 otherwise), still waiting for a decision.
    async fn report_pending(
        &self,
        txn: &honglian_store::WriteTxn,
        ctx: &Ctx,
        id: i64,
        what: &str,
    ) -> AppResult<OutflowReport> {
        let actor = ctx.actor()?;
        let reach = actor
            .scope(Permission::MemberRead)
            .map_err(|e| if actor.has(Permission::MemberSelf) { AppError::not_found("外出报备") } else { e })?;
        let r = reports::get(txn, &reach, id).await?.ok_or_else(|| AppError::not_found("外出报备"))?;
        match self.member_home(txn, ctx, r.member_id, what).await {
            Ok(_) => {}
            Err(AppError::Forbidden(_)) if ctx.actor()?.has(Permission::MemberSelf) => {
                return Err(AppError::not_found("外出报备"));
            }
            Err(AppError::NotFound(_)) => return Err(AppError::not_found("外出报备")),
            Err(e) => return Err(e),
        }
        if r.status != ReportStatus::Proposed.code() {
            let s = ReportStatus::from_code(&r.status).map(|s| s.label()).unwrap_or("已处理");
            return Err(AppError::conflict(format!("该报备{s}，不能再次处理")));
        }
        Ok(r)
    }

    /// Confirms a report into the ledger (the ledger form's own use case, in one transaction): an outflow
    /// registered, or, for a return report, the open outflow closed.
    pub async fn report_confirm(&self, ctx: &Ctx, id: i64, input: ReportConfirm) -> AppResult<MobilityView> {
        let txn = honglian_store::begin_write(&self.db).await?;
        let r = self.report_pending(&txn, ctx, id, "外出报备确认").await?;
        if r.kind == ReportKind::Return.code() {
            return self.return_report_confirm(txn, ctx, r).await;
        }
        if r.start_date > crate::today() {
            return Err(AppError::field(
                "start_date",
                format!("外出日期 {} 还未到，请到当天或之后再确认登记", r.start_date),
            ));
        }
        let v = self
            .outflow_register(
                &txn,
                ctx,
                OutflowInput {
                    member_id: Some(r.member_id),
                    province_code: Some(r.province_code.clone()),
                    city_code: Some(r.city_code.clone()),
                    county_code: r.county_code.clone(),
                    address: self.open_text(TABLE, "address", r.member_id, r.address_enc.as_deref())?,
                    employer: r.employer.clone(),
                    occupation: r.occupation.clone(),
                    reason: Some(r.reason.clone()),
                    start_date: Some(r.start_date),
                    expected_return: r.expected_return,
                    receiving_org_id: input.receiving_org_id,
                    ..Default::default()
                },
            )
            .await?;
        if !reports::decide(&txn, r.id, ReportStatus::Confirmed.code(), None, Some(v.id), ctx.actor_id()).await? {
            return Err(AppError::conflict("该报备已被处理"));
        }
        self.audit(
            &txn,
            ctx,
            Event::ok("mobility.report_confirm", "member", r.member_id)
                .with(serde_json::json!({"report_id": r.id, "record_id": v.id})),
        )
        .await?;
        txn.commit().await?;
        Ok(v)
    }

    /// Closes the open outflow a return report names, with the day and place the member gave.
    async fn return_report_confirm(
        &self,
        txn: honglian_store::WriteTxn,
        ctx: &Ctx,
        r: OutflowReport,
    ) -> AppResult<MobilityView> {
        if r.start_date > crate::today() {
            return Err(AppError::field(
                "returned_on",
                format!("返回日期 {} 还未到，请到当天或之后再确认", r.start_date),
            ));
        }
        let record_id = r.mobility_record_id.ok_or_else(|| AppError::conflict("该党员的外出登记已结束"))?;
        let (closed, name) = self
            .outflow_close(
                &txn,
                ctx,
                record_id,
                ReturnInput {
                    returned_on: r.start_date,
                    // Where the member lives now stays sealed in their report (the ledger's return place
                    // is plain text a worker types).
                    current_place: None,
                    relationship_stays: true,
                    note: self.open_text(TABLE, "note", r.member_id, r.note_enc.as_deref())?,
                },
            )
            .await?;
        if !reports::decide(&txn, r.id, ReportStatus::Confirmed.code(), None, Some(closed.id), ctx.actor_id()).await? {
            return Err(AppError::conflict("该报备已被处理"));
        }
        self.audit(
            &txn,
            ctx,
            Event::ok("mobility.report_confirm", "member", r.member_id)
                .with(serde_json::json!({"report_id": r.id, "record_id": closed.id, "kind": "return"})),
        )
        .await?;
        txn.commit().await?;
        let ro = match closed.receiving_org_id {
            Some(id) => Some(orgs::name_of(&self.db, id).await?),
            None => None,
        };
        self.mobility_view(closed, name, ro)
    }

    /// Declines a report with a reason the member sees.
    pub async fn report_decline(&self, ctx: &Ctx, id: i64, input: ReportDecline) -> AppResult<OutflowReportView> {
        let txn = honglian_store::begin_write(&self.db).await?;
        let r = self.report_pending(&txn, ctx, id, "外出报备处理").await?;
        let reason = required_text(&input.reason, "不予登记的原因", 200).map_err(|m| AppError::field("reason", m))?;
        if reason.chars().count() < 2 {
            return Err(AppError::field("reason", "请写明原因（至少 2 个字）"));
        }
        if !reports::decide(&txn, r.id, ReportStatus::Declined.code(), Some(reason), None, ctx.actor_id()).await? {
            return Err(AppError::conflict("该报备已被处理"));
        }
        self.audit(
            &txn,
            ctx,
            Event::ok("mobility.report_decline", "member", r.member_id).with(serde_json::json!({"report_id": r.id})),
        )
        .await?;
        txn.commit().await?;
        let reach = ctx.actor()?.scope(Permission::MemberRead)?;
        let r = reports::get(&self.db, &reach, id).await?.ok_or_else(|| AppError::not_found("外出报备"))?;
        self.report_view(r).await
    }
}
