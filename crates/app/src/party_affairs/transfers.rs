//! 组织关系转接. Inside the deployment the sending organisation asks (member write over the member's own
//! organisation) and the receiving one accepts or sends it back (member write over the receiver); the member
//! stays with the sender, who remains responsible, until then. To an organisation outside the deployment
//! the sender issues the three-part introduction letter, printed as PDF, and records the receipt slip when it
//! comes back (due within a month; overdue letters are listed); only then is the member 已转出. A letter that
//! arrives from outside is registered by the receiving organisation, which creates the member from it and
//! prints the receipt slip to send back. Rules in `honglian_domain::party_affairs::transfers`.

use chrono::{Datelike, NaiveDate};
use honglian_domain::members::member::MemberStatus;
use honglian_domain::organisations::org::OrgKind;
use honglian_domain::party_affairs::dues::Month;
use honglian_domain::party_affairs::transfers::{
    self as rules, DEFAULT_VALID_DAYS, TransferKind, TransferStatus, VALID_DAYS_RANGE, chinese_date, chinese_number,
};
use honglian_domain::platform::authz::Permission;
use honglian_domain::validation::{optional_text, required_text};
use honglian_domain::{FieldErrors, PageNo, PerPage, RecordId};
use honglian_store::Scope;
use honglian_store::repo::PageReq;
use honglian_store::repo::members::contacts;
use honglian_store::repo::members::mobility;
use honglian_store::repo::members::registry::{self as members, Member};
use honglian_store::repo::organisations::orgs::{self, Org, OrgFilter};
use honglian_store::repo::party_affairs::dues;
use honglian_store::repo::party_affairs::transfers::{self as repo, Direction, NewTransfer, Transfer};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::members::registry::MemberInput;
use crate::party_affairs::recruitment::reads;
use crate::platform::audit::Event;
use crate::platform::pdf::FormPdf;
use crate::platform::settings::county_of;
use crate::{App, AppError, AppResult, Ctx};

/// The kinds of organisation a member's relationship can be filed with.
const HOLDS_MEMBERS: [OrgKind; 3] = [OrgKind::Branch, OrgKind::JointBranch, OrgKind::GeneralBranch];
const DESTINATIONS_MAX: usize = 20;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TransferView {
    pub id: i64,
    pub kind: TransferKind,
    pub kind_label: String,
    pub status: TransferStatus,
    pub status_label: String,
    pub member_id: Option<i64>,
    pub member_name: String,
    pub from_org_id: Option<i64>,
    pub from_name: String,
    pub to_org_id: Option<i64>,
    pub to_name: String,
    /// Where the member goes (去往), on a letter out.
    pub destination: Option<String>,
    pub letter_no: Option<String>,
    /// The request's or the letter's day.
    pub started_on: NaiveDate,
    pub valid_days: Option<i32>,
    pub valid_until: Option<NaiveDate>,
    /// Dues paid up to this month (YYYY-MM), as on the letter.
    pub dues_paid_to: Option<String>,
    /// A letter out's receipt is due back on this day.
    pub receipt_due_on: Option<NaiveDate>,
    /// The receipt came back (letter out) or was sent (letter in).
    pub receipt_on: Option<NaiveDate>,
    /// A letter out whose receipt is past due.
    pub overdue: bool,
    pub decided_on: Option<NaiveDate>,
    /// Why it was sent back or withdrawn.
    pub reason: Option<String>,
    pub note: Option<String>,
    pub can_accept: bool,
    pub can_refuse: bool,
    pub can_cancel: bool,
    pub can_receipt: bool,
    /// The letter (letter out) or the receipt slip (letter in) can be printed by the caller.
    pub can_print: bool,
    pub created_by_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TransferPage {
    pub items: Vec<TransferView>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TransferQuery {
    /// `out`: sent by my organisations; `in`: coming to them; `all` (default): either.
    pub direction: Option<String>,
    /// Only this organisation's subtree (of those I see).
    pub org_id: Option<RecordId>,
    pub status: Option<TransferStatus>,
    /// Only letters out whose receipt is past due.
    pub overdue: Option<bool>,
    pub member_id: Option<RecordId>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

/// What is waiting, for the tabs and the workbench.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TransferSummary {
    /// Requests to my organisations waiting for acceptance.
    pub waiting_in: u64,
    /// My requests waiting at the receiver.
    pub pending_out: u64,
    /// My letters out waiting for their receipt.
    pub letters_awaiting: u64,
    /// Of those, past due.
    pub letters_overdue: u64,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DestinationQuery {
    /// Part of the name (at least 2 characters).
    pub q: Option<String>,
}

/// An organisation a request may go to: anywhere in the deployment (names only).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TransferDestination {
    pub id: i64,
    pub name: String,
    pub kind_label: String,
    /// The county (root organisation) it belongs to.
    pub county_name: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TransferRequestInput {
    #[schema(value_type = honglian_domain::RecordId)]
    pub member_id: i64,
    /// The receiving organisation (a 党支部, 联合党支部 or 党总支 anywhere in the system).
    #[schema(value_type = honglian_domain::RecordId)]
    pub to_org_id: i64,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TransferLetterInput {
    #[schema(value_type = honglian_domain::RecordId)]
    pub member_id: i64,
    /// The receiving party organisation as written on the letter (e.g. 中共广州市天河区委组织部).
    pub to_name: String,
    /// Where the member goes (去往): a unit or a place.
    #[serde(default)]
    pub destination: Option<String>,
    pub issued_on: NaiveDate,
    /// Days the letter is valid (7–90; default 30).
    #[serde(default)]
    pub valid_days: Option<u32>,
    #[serde(default)]
    pub note: Option<String>,
}

/// The member as the incoming letter and the member's papers give them.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct IncomingMember {
    pub name: String,
    pub id_number: String,
    #[serde(default)]
    pub gender: Option<String>,
    #[serde(default)]
    pub ethnicity: Option<String>,
    /// `full` or `probationary`.
    pub category: String,
    pub joined_on: NaiveDate,
    #[serde(default)]
    pub full_on: Option<NaiveDate>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub occupation: Option<String>,
    #[serde(default)]
    pub employer: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TransferIncomingInput {
    /// The receiving organisation (one of mine).
    #[schema(value_type = honglian_domain::RecordId)]
    pub org_id: i64,
    /// The number written on the letter.
    pub letter_no: String,
    /// The sending party organisation as written on the letter.
    pub from_name: String,
    pub issued_on: NaiveDate,
    #[serde(default)]
    pub valid_days: Option<u32>,
    /// Dues paid up to this month (YYYY-MM), as on the letter.
    #[serde(default)]
    pub dues_paid_to: Option<String>,
    pub member: IncomingMember,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct TransferAcceptInput {
    /// The day it was accepted (default today).
    #[serde(default)]
    pub on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TransferRefuseInput {
    pub reason: String,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct TransferCancelInput {
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TransferReceiptInput {
    /// The day the receipt came back.
    pub on: NaiveDate,
}

fn kind_of(t: &Transfer) -> TransferKind {
    TransferKind::from_code(&t.kind).unwrap_or(TransferKind::Within)
}

fn status_of(t: &Transfer) -> TransferStatus {
    TransferStatus::from_code(&t.status).unwrap_or(TransferStatus::Cancelled)
}

fn valid_days(v: Option<u32>, e: &mut FieldErrors) -> Option<u32> {
    match v {
        None => None,
        Some(d) if VALID_DAYS_RANGE.contains(&d) => Some(d),
        Some(_) => {
            e.add("valid_days", format!("有效期须为 {} 到 {} 天", VALID_DAYS_RANGE.start(), VALID_DAYS_RANGE.end()));
            None
        }
    }
}

fn day(on: NaiveDate, not_before: Option<NaiveDate>, field: &str, e: &mut FieldErrors) {
    if let Err(m) = rules::check_day(on, not_before, crate::today()) {
        e.add(field, m);
    }
}

/// Prefixes the fields of a member's errors (`member.id_number`).
fn member_errors(err: AppError) -> AppError {
    match err {
        AppError::Validation(FieldErrors(map)) => {
            AppError::Validation(FieldErrors(map.into_iter().map(|(k, v)| (format!("member.{k}"), v)).collect()))
        }
        other => other,
    }
}

fn writes(ctx: &Ctx) -> Option<Scope> {
    ctx.actor().ok().and_then(|a| a.scope(Permission::MemberWrite).ok())
}

fn at(scope: Option<&Scope>, path: Option<&str>) -> bool {
    matches!((scope, path), (Some(s), Some(p)) if s.contains(p))
}

fn view(t: Transfer, w: Option<&Scope>, unmask: Option<&Scope>) -> TransferView {
    let (kind, status) = (kind_of(&t), status_of(&t));
    let today = crate::today();
    let sender = at(w, t.from_org_path.as_deref());
    let receiver = at(w, t.to_org_path.as_deref());
    let letter_out = kind == TransferKind::LetterOut;
    TransferView {
        id: t.id,
        kind,
        kind_label: kind.label().into(),
        status,
        status_label: status.label().into(),
        member_id: t.member_id,
        member_name: t.member_name,
        from_org_id: t.from_org_id,
        from_name: t.from_name,
        to_org_id: t.to_org_id,
        to_name: t.to_name,
        destination: t.destination,
        letter_no: t.letter_no,
        started_on: t.started_on,
        valid_days: t.valid_days,
        valid_until: t.valid_days.map(|d| rules::valid_until(t.started_on, d.max(1) as u32)),
        dues_paid_to: t.dues_paid_to,
        receipt_due_on: letter_out.then(|| rules::receipt_due_on(t.started_on)),
        receipt_on: t.receipt_on,
        overdue: letter_out && rules::receipt_overdue(status, t.started_on, today),
        decided_on: t.decided_on,
        reason: t.reason,
        note: t.note,
        can_accept: receiver && status == TransferStatus::Requested,
        can_refuse: receiver && status == TransferStatus::Requested,
        can_cancel: sender && status.open(),
        can_receipt: sender && letter_out && status == TransferStatus::Issued,
        can_print: match kind {
            TransferKind::LetterOut => at(unmask, t.from_org_path.as_deref()) && status != TransferStatus::Cancelled,
            TransferKind::LetterIn => receiver,
            TransferKind::Within => false,
        },
        created_by_name: t.created_by_name,
    }
}

impl App {
    fn transfer_view(&self, ctx: &Ctx, t: Transfer) -> TransferView {
        let unmask = ctx.actor().ok().and_then(|a| a.scope(Permission::MemberUnmask).ok());
        view(t, writes(ctx).as_ref(), unmask.as_ref())
    }

    /// A transfer one of whose ends the caller reaches (read or write), held for a write.
    async fn transfer_held(&self, txn: &impl sea_orm::ConnectionTrait, ctx: &Ctx, id: i64) -> AppResult<Transfer> {
        let scope = reads(ctx)?;
        repo::lock(txn, id).await?;
        repo::get(txn, &scope, id).await?.ok_or_else(|| AppError::not_found("转接记录"))
    }

    /// A transfer held for a write by a member writer at one of its ends: the receiver (`receiver`) decides,
    /// the sender withdraws and records the receipt; anyone else is refused with `refused`.
    async fn transfer_at(
        &self,
        txn: &impl sea_orm::ConnectionTrait,
        ctx: &Ctx,
        id: i64,
        receiver: bool,
        refused: &str,
    ) -> AppResult<Transfer> {
        let w = ctx.actor()?.scope(Permission::MemberWrite)?;
        let t = self.transfer_held(txn, ctx, id).await?;
        let end = if receiver { t.to_org_path.as_deref() } else { t.from_org_path.as_deref() };
        if !at(Some(&w), end) {
            return Err(AppError::Forbidden(refused.into()));
        }
        Ok(t)
    }

    /// Why the member cannot start a transfer now: not in good standing, another transfer in flight, a
    /// suspension proposal waiting for approval.
    pub(crate) async fn check_movable(&self, db: &impl sea_orm::ConnectionTrait, m: &Member) -> AppResult<()> {
        if m.status != MemberStatus::Normal.code() {
            return Err(AppError::conflict(format!(
                "该党员状态为“{}”，不能转接组织关系",
                MemberStatus::from_code(&m.status).map(|s| s.label()).unwrap_or("未知")
            )));
        }
        if let Some(open) = repo::open_of_member(db, m.id).await? {
            return Err(AppError::conflict(format!(
                "该党员已有一项{}（{}，{}）尚未办结",
                kind_of(&open).label(),
                status_of(&open).label(),
                open.started_on
            )));
        }
        if contacts::proposals_of(db, m.id).await?.iter().any(|p| p.status == "pending") {
            return Err(AppError::conflict("该党员有待审批的停止党籍或除名建议，审批前不能转接组织关系"));
        }
        Ok(())
    }

    /// The last month of dues the member has paid.
    async fn dues_paid_to(&self, db: &impl sea_orm::ConnectionTrait, member_id: i64) -> AppResult<Option<String>> {
        Ok(dues::paid_months(db, &[member_id]).await?.into_iter().map(|(_, m)| m).max())
    }

    /// A request to an organisation in the deployment; the receiver accepts it.
    pub async fn transfer_request(&self, ctx: &Ctx, input: TransferRequestInput) -> AppResult<TransferView> {
        let actor = ctx.actor()?;
        actor.scope(Permission::MemberWrite)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        members::lock(&txn, input.member_id).await?;
        let m = self.member_home(&txn, ctx, input.member_id, "组织关系转接").await?;
        let mut e = FieldErrors::new();
        let note = e.check("note", optional_text(input.note.as_deref(), "备注", 500)).flatten();
        e.into_result()?;
        // The receiver may be anywhere in the deployment: its name is all the sender learns of it.
        #[allow(clippy::disallowed_methods, reason = "a request names its receiver anywhere in the deployment")]
        let anywhere = Scope::All(honglian_store::Unscoped::system());
        let to = orgs::get(&txn, &anywhere, input.to_org_id)
            .await?
            .filter(|o| o.status == "active")
            .ok_or_else(|| AppError::field("to_org_id", "接收党组织不存在或已撤销"))?;
        if !HOLDS_MEMBERS.iter().any(|k| k.code() == to.kind) {
            return Err(AppError::field("to_org_id", "组织关系只能转入党支部、联合党支部或党总支"));
        }
        if to.id == m.org_id {
            return Err(AppError::field("to_org_id", "党员已在该组织"));
        }
        self.check_movable(&txn, &m).await?;
        let from_name = orgs::name_of(&txn, m.org_id).await?;
        let t = repo::insert(
            &txn,
            NewTransfer {
                kind: TransferKind::Within.code(),
                status: TransferStatus::Requested.code(),
                member_id: Some(m.id),
                member_name: m.name.clone(),
                from: (Some(m.org_id), Some(m.org_path.clone()), from_name),
                to: (Some(to.id), Some(to.path.clone()), to.name.clone()),
                destination: None,
                numbered: None,
                letter_no: None,
                started_on: crate::today(),
                valid_days: None,
                dues_paid_to: self.dues_paid_to(&txn, m.id).await?,
                receipt_on: None,
                decided_on: None,
                decided_by: None,
                note,
                created_by: Some(actor.user_id),
                created_by_name: Some(actor.display_name.clone()),
            },
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("transfer.request", "transfer", t.id)
                .with(serde_json::json!({"member_id": m.id, "from_org": m.org_id, "to_org": to.id})),
        )
        .await?;
        txn.commit().await?;
        Ok(self.transfer_view(ctx, t))
    }

    /// The receiver accepts: the member moves (their recruitment record and open outflow follow).
    pub async fn transfer_accept(&self, ctx: &Ctx, id: i64, input: TransferAcceptInput) -> AppResult<TransferView> {
        let actor = ctx.actor()?;
        let w = actor.scope(Permission::MemberWrite)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let mut t = self.transfer_at(&txn, ctx, id, true, "转接由接收党组织办理").await?;
        if status_of(&t) != TransferStatus::Requested {
            return Err(AppError::conflict(format!("该转接已{}", status_of(&t).label())));
        }
        let on = input.on.unwrap_or_else(crate::today);
        let mut e = FieldErrors::new();
        day(on, Some(t.started_on), "on", &mut e);
        e.into_result()?;
        let (Some(member_id), Some(to_id), Some(from_path)) = (t.member_id, t.to_org_id, t.from_org_path.clone())
        else {
            return Err(AppError::conflict("该转接不是系统内转接"));
        };
        members::lock(&txn, member_id).await?;
        // The member as the sender holds them: the request reached the caller through its receiving end.
        let m = members::get(&txn, &Scope::Paths(vec![from_path]), member_id)
            .await?
            .filter(|m| Some(m.org_id) == t.from_org_id)
            .ok_or_else(|| AppError::conflict("该党员已不在转出党组织，转接不能办理"))?;
        let to = self.org_in(&txn, &w, to_id).await?;
        if to.status != "active" {
            return Err(AppError::conflict("接收党组织已撤销"));
        }
        self.move_member(&txn, ctx, m, &to, on).await?;
        t.status = TransferStatus::Accepted.code().into();
        t.decided_on = Some(on);
        t.decided_by = Some(actor.user_id);
        let t = repo::save(&txn, t).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("transfer.accept", "transfer", t.id).with(serde_json::json!({"member_id": member_id})),
        )
        .await?;
        txn.commit().await?;
        Ok(self.transfer_view(ctx, t))
    }

    /// Moves the member to `to` in the caller's transaction: their recruitment record follows, and an open
    /// outflow received by `to` ends (the relationship is now where they live); one received elsewhere stays.
    pub(crate) async fn move_member(
        &self,
        txn: &impl sea_orm::ConnectionTrait,
        ctx: &Ctx,
        m: Member,
        to: &Org,
        on: NaiveDate,
    ) -> AppResult<Member> {
        let from = m.org_id;
        let m = members::transfer(txn, m, to.id, &to.path).await?;
        honglian_store::repo::party_affairs::recruitment::follow_member(txn, m.id, to.id, &to.path).await?;
        // Moved to the organisation that receives them while away: they are no longer away from it.
        if let Some(r) = mobility::open_outflow(txn, m.id).await?.filter(|r| r.receiving_org_id == Some(to.id)) {
            use sea_orm::Set;
            let mut am: mobility::MobilityRecordActive = r.into();
            am.status = Set("closed".into());
            am.ended_on = Set(Some(on));
            am.relationship_stays = Set(Some(false));
            am.end_note = Set(Some(format!("组织关系转入{}", to.name)));
            mobility::update(txn, am).await?;
        }
        self.audit(
            txn,
            ctx,
            Event::ok("member.transfer", "member", m.id).with(serde_json::json!({"from_org": from, "to_org": to.id})),
        )
        .await?;
        Ok(m)
    }

    /// The receiver sends a request back, with the reason.
    pub async fn transfer_refuse(&self, ctx: &Ctx, id: i64, input: TransferRefuseInput) -> AppResult<TransferView> {
        let actor = ctx.actor()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let mut t = self.transfer_at(&txn, ctx, id, true, "退回由接收党组织办理").await?;
        let mut e = FieldErrors::new();
        let reason = e.check("reason", required_text(&input.reason, "退回原因", 200));
        e.into_result()?;
        if status_of(&t) != TransferStatus::Requested {
            return Err(AppError::conflict(format!("该转接已{}", status_of(&t).label())));
        }
        t.status = TransferStatus::Refused.code().into();
        t.decided_on = Some(crate::today());
        t.decided_by = Some(actor.user_id);
        t.reason = reason;
        let t = repo::save(&txn, t).await?;
        self.audit(&txn, ctx, Event::ok("transfer.refuse", "transfer", t.id)).await?;
        txn.commit().await?;
        Ok(self.transfer_view(ctx, t))
    }

    /// The sender withdraws a request, or voids a letter whose receipt has not come back.
    pub async fn transfer_cancel(&self, ctx: &Ctx, id: i64, input: TransferCancelInput) -> AppResult<TransferView> {
        let actor = ctx.actor()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let mut t = self.transfer_at(&txn, ctx, id, false, "撤销由转出党组织办理").await?;
        let mut e = FieldErrors::new();
        let reason = e.check("reason", optional_text(input.reason.as_deref(), "撤销原因", 200)).flatten();
        e.into_result()?;
        if !status_of(&t).open() {
            return Err(AppError::conflict(format!("该转接已{}，不能撤销", status_of(&t).label())));
        }
        t.status = TransferStatus::Cancelled.code().into();
        t.decided_on = Some(crate::today());
        t.decided_by = Some(actor.user_id);
        t.reason = reason;
        let t = repo::save(&txn, t).await?;
        self.audit(&txn, ctx, Event::ok("transfer.cancel", "transfer", t.id)).await?;
        txn.commit().await?;
        Ok(self.transfer_view(ctx, t))
    }

    /// The introduction letter to an organisation outside the deployment: numbered per county and year,
    /// dues paid up to the last month paid. The member stays until the receipt comes back.
    pub async fn transfer_letter(&self, ctx: &Ctx, input: TransferLetterInput) -> AppResult<TransferView> {
        let actor = ctx.actor()?;
        actor.scope(Permission::MemberWrite)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        members::lock(&txn, input.member_id).await?;
        let m = self.member_home(&txn, ctx, input.member_id, "开具组织关系介绍信").await?;
        let mut e = FieldErrors::new();
        let to_name = e.check("to_name", required_text(&input.to_name, "接收党组织", 100));
        let destination = e.check("destination", optional_text(input.destination.as_deref(), "去往", 100)).flatten();
        let note = e.check("note", optional_text(input.note.as_deref(), "备注", 500)).flatten();
        let valid = valid_days(input.valid_days, &mut e).unwrap_or(DEFAULT_VALID_DAYS);
        day(input.issued_on, None, "issued_on", &mut e);
        e.into_result()?;
        let to_name = to_name.unwrap_or_default();
        self.check_movable(&txn, &m).await?;
        let county = county_of(&m.org_path).unwrap_or(m.org_id);
        let year = input.issued_on.year();
        let seq = repo::next_letter_seq(&txn, county, year).await?;
        let from_name = orgs::name_of(&txn, m.org_id).await?;
        let t = repo::insert(
            &txn,
            NewTransfer {
                kind: TransferKind::LetterOut.code(),
                status: TransferStatus::Issued.code(),
                member_id: Some(m.id),
                member_name: m.name.clone(),
                from: (Some(m.org_id), Some(m.org_path.clone()), from_name),
                to: (None, None, to_name),
                destination,
                numbered: Some((county, year, seq)),
                letter_no: Some(format!("〔{year}〕{seq}")),
                started_on: input.issued_on,
                valid_days: Some(valid as i32),
                dues_paid_to: self.dues_paid_to(&txn, m.id).await?,
                receipt_on: None,
                decided_on: None,
                decided_by: None,
                note,
                created_by: Some(actor.user_id),
                created_by_name: Some(actor.display_name.clone()),
            },
        )
        .await
        .map_err(|e| match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::conflict("介绍信编号已被占用，请重试"),
            _ => e.into(),
        })?;
        self.audit(
            &txn,
            ctx,
            Event::ok("transfer.letter", "transfer", t.id).with(serde_json::json!({"member_id": m.id})),
        )
        .await?;
        txn.commit().await?;
        Ok(self.transfer_view(ctx, t))
    }

    /// The receipt of a letter out came back: the transfer is done and the member is 已转出.
    pub async fn transfer_receipt(&self, ctx: &Ctx, id: i64, input: TransferReceiptInput) -> AppResult<TransferView> {
        let actor = ctx.actor()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let mut t = self.transfer_at(&txn, ctx, id, false, "回执由转出党组织登记").await?;
        if kind_of(&t) != TransferKind::LetterOut || status_of(&t) != TransferStatus::Issued {
            return Err(AppError::conflict("只有待回执的介绍信才能登记回执"));
        }
        let mut e = FieldErrors::new();
        day(input.on, Some(t.started_on), "on", &mut e);
        e.into_result()?;
        if let (Some(member_id), Some(from)) = (t.member_id, t.from_org_path.clone()) {
            members::lock(&txn, member_id).await?;
            if let Some(m) = members::get(&txn, &Scope::Paths(vec![from]), member_id).await? {
                members::set_status(&txn, m, MemberStatus::TransferredOut.code(), None).await?;
                self.audit(
                    &txn,
                    ctx,
                    Event::ok("member.update", "member", member_id).with(serde_json::json!({"fields": ["status"]})),
                )
                .await?;
            }
        }
        t.status = TransferStatus::Returned.code().into();
        t.receipt_on = Some(input.on);
        t.decided_on = Some(input.on);
        t.decided_by = Some(actor.user_id);
        let t = repo::save(&txn, t).await?;
        self.audit(&txn, ctx, Event::ok("transfer.receipt", "transfer", t.id)).await?;
        txn.commit().await?;
        Ok(self.transfer_view(ctx, t))
    }

    /// A letter from outside registers the member with one of the caller's organisations; the receipt slip is
    /// dated today, ready to print and send back.
    pub async fn transfer_incoming(&self, ctx: &Ctx, input: TransferIncomingInput) -> AppResult<TransferView> {
        let actor = ctx.actor()?;
        let w = actor.scope(Permission::MemberWrite)?;
        let today = crate::today();
        let txn = honglian_store::begin_write(&self.db).await?;
        let org = self.org_in(&txn, &w, input.org_id).await?;
        if org.status != "active" {
            return Err(AppError::field("org_id", "所选党组织已撤销"));
        }
        let mut e = FieldErrors::new();
        let letter_no = e.check("letter_no", required_text(&input.letter_no, "介绍信编号", 40));
        let from_name = e.check("from_name", required_text(&input.from_name, "转出党组织", 100));
        let note = e.check("note", optional_text(input.note.as_deref(), "备注", 500)).flatten();
        let valid = valid_days(input.valid_days, &mut e);
        day(input.issued_on, None, "issued_on", &mut e);
        if let Some(v) = valid {
            let until = rules::valid_until(input.issued_on, v);
            if today > until && input.issued_on <= today {
                e.add("issued_on", format!("介绍信已于 {until} 过期，请党员到原党组织重新开具"));
            }
        }
        let dues_paid_to = match input.dues_paid_to.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => e.check("dues_paid_to", Month::parse(s)).map(|m| format!("{:04}-{:02}", m.year, m.month)),
        };
        e.into_result()?;
        let p = input.member;
        let tags = crate::members::registry::county_member_tags_in(&txn, county_of(&org.path)).await?;
        let row = self
            .member_row(
                MemberInput {
                    org_id: Some(org.id),
                    name: Some(p.name),
                    id_number: Some(p.id_number),
                    gender: p.gender,
                    ethnicity: p.ethnicity,
                    phone: p.phone,
                    occupation: p.occupation,
                    employer: p.employer,
                    joined_on: Some(p.joined_on),
                    category: Some(p.category),
                    full_on: p.full_on,
                    status: Some(MemberStatus::Normal.code().into()),
                    ..Default::default()
                },
                None,
                (org.id, org.path.clone()),
                &tags,
            )
            .map_err(member_errors)?;
        if members::find_by_id_number(&txn, &row.id_number_bidx).await?.is_some() {
            drop(txn);
            self.audit_lookup(ctx, "id_number", "transfer.incoming").await?;
            return Err(AppError::Conflict {
                title: "该身份证号已登记为党员".into(),
                errors: FieldErrors::single("member.id_number", "该身份证号已登记为党员，请核实是否为系统内转接"),
            });
        }
        let m = members::insert(&txn, row).await.map_err(|e| match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::conflict("该身份证号已登记为党员"),
            _ => e.into(),
        })?;
        self.audit(&txn, ctx, Event::ok("member.create", "member", m.id).with(serde_json::json!({"org_id": org.id})))
            .await?;
        let t = repo::insert(
            &txn,
            NewTransfer {
                kind: TransferKind::LetterIn.code(),
                status: TransferStatus::Registered.code(),
                member_id: Some(m.id),
                member_name: m.name.clone(),
                from: (None, None, from_name.unwrap_or_default()),
                to: (Some(org.id), Some(org.path.clone()), org.name.clone()),
                destination: None,
                numbered: None,
                letter_no,
                started_on: input.issued_on,
                valid_days: valid.map(|v| v as i32),
                dues_paid_to,
                receipt_on: Some(today),
                decided_on: Some(today),
                decided_by: Some(actor.user_id),
                note,
                created_by: Some(actor.user_id),
                created_by_name: Some(actor.display_name.clone()),
            },
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("transfer.incoming", "transfer", t.id).with(serde_json::json!({"member_id": m.id})),
        )
        .await?;
        txn.commit().await?;
        Ok(self.transfer_view(ctx, t))
    }

    pub async fn transfer_get(&self, ctx: &Ctx, id: i64) -> AppResult<TransferView> {
        let scope = reads(ctx)?;
        let t = repo::get(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("转接记录"))?;
        Ok(self.transfer_view(ctx, t))
    }

    pub async fn transfer_list(&self, ctx: &Ctx, q: TransferQuery) -> AppResult<TransferPage> {
        let mut scope = reads(ctx)?;
        if let Some(o) = q.org_id {
            scope = Scope::Paths(vec![self.org_in(&self.db, &scope, o.get()).await?.path]);
        }
        let direction = match q.direction.as_deref().unwrap_or("all") {
            "out" => Direction::Out,
            "in" => Direction::In,
            "all" => Direction::All,
            _ => return Err(AppError::field("direction", "方向应为 out、in 或 all")),
        };
        let page = PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into));
        let f = repo::Filter {
            direction,
            status: q.status.map(|s| s.code().to_string()),
            receipt_due_before: q.overdue.unwrap_or(false).then(|| rules::overdue_before(crate::today())),
            member_id: q.member_id.map(RecordId::get),
        };
        let found = repo::list(&self.db, &scope, f, page).await?;
        let w = writes(ctx);
        let unmask = ctx.actor()?.scope(Permission::MemberUnmask).ok();
        Ok(TransferPage {
            items: found.items.into_iter().map(|t| view(t, w.as_ref(), unmask.as_ref())).collect(),
            total: found.total,
            page: page.page,
            per_page: page.per_page,
        })
    }

    pub async fn transfer_summary(&self, ctx: &Ctx) -> AppResult<TransferSummary> {
        let scope = reads(ctx)?;
        let f = |direction, status: &str, overdue: bool| repo::Filter {
            direction,
            status: Some(status.into()),
            receipt_due_before: overdue.then(|| rules::overdue_before(crate::today())),
            member_id: None,
        };
        Ok(TransferSummary {
            waiting_in: repo::count(&self.db, &scope, f(Direction::In, "requested", false)).await?,
            pending_out: repo::count(&self.db, &scope, f(Direction::Out, "requested", false)).await?,
            letters_awaiting: repo::count(&self.db, &scope, f(Direction::Out, "issued", false)).await?,
            letters_overdue: repo::count(&self.db, &scope, f(Direction::Out, "issued", true)).await?,
        })
    }

    /// For the workbench: requests waiting for me to accept, and my letters whose receipt is overdue.
    pub(crate) async fn transfers_waiting(&self, ctx: &Ctx) -> AppResult<(u64, u64)> {
        let Some(scope) = writes(ctx) else { return Ok((0, 0)) };
        let waiting = repo::Filter {
            direction: Direction::In,
            status: Some("requested".into()),
            receipt_due_before: None,
            member_id: None,
        };
        let overdue = repo::Filter {
            direction: Direction::Out,
            status: Some("issued".into()),
            receipt_due_before: Some(rules::overdue_before(crate::today())),
            member_id: None,
        };
        Ok((repo::count(&self.db, &scope, waiting).await?, repo::count(&self.db, &scope, overdue).await?))
    }

    /// Organisations a request may go to, by name, anywhere in the deployment (names only).
    pub async fn transfer_destinations(&self, ctx: &Ctx, q: DestinationQuery) -> AppResult<Vec<TransferDestination>> {
        ctx.actor()?.scope(Permission::MemberWrite)?;
        let q = q.q.unwrap_or_default().trim().to_string();
        if q.chars().count() < 2 {
            return Err(AppError::field("q", "请输入接收党组织名称中的至少 2 个字"));
        }
        if q.chars().count() > 50 {
            return Err(AppError::field("q", "名称不能超过 50 个字"));
        }
        #[allow(clippy::disallowed_methods, reason = "a request names its receiver anywhere in the deployment")]
        let anywhere = Scope::All(honglian_store::Unscoped::system());
        let mut out: Vec<Org> = Vec::new();
        for kind in HOLDS_MEMBERS {
            let f = OrgFilter {
                q: Some(q.clone()),
                kind: Some(kind.code().into()),
                status: Some("active".into()),
                ..Default::default()
            };
            out.extend(
                orgs::list(&self.db, &anywhere, &f, PageReq::new(Some(1), Some(DESTINATIONS_MAX as u64))).await?.items,
            );
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out.truncate(DESTINATIONS_MAX);
        let counties: Vec<i64> = out.iter().filter_map(|o| county_of(&o.path)).collect();
        let names = orgs::names(&self.db, &counties).await?;
        Ok(out
            .into_iter()
            .map(|o| TransferDestination {
                county_name: county_of(&o.path).and_then(|c| names.get(&c).cloned()).unwrap_or_default(),
                kind_label: OrgKind::from_code(&o.kind).map(|k| k.label()).unwrap_or("").into(),
                id: o.id,
                name: o.name,
            })
            .collect())
    }

    /// The three-part introduction letter (存根, 介绍信, 回执) as PDF. It prints the member's ID number, so
    /// it needs the unmask permission over the sending organisation, and is audited.
    pub async fn transfer_letter_pdf(&self, ctx: &Ctx, id: i64) -> AppResult<(String, Vec<u8>)> {
        let actor = ctx.actor()?;
        let unmask = actor.scope(Permission::MemberUnmask)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let t = self.transfer_held(&txn, ctx, id).await?;
        if kind_of(&t) != TransferKind::LetterOut {
            return Err(AppError::conflict("只有开具的介绍信可以打印"));
        }
        if status_of(&t) == TransferStatus::Cancelled {
            return Err(AppError::conflict("该介绍信已撤销"));
        }
        if !at(Some(&unmask), t.from_org_path.as_deref()) {
            return Err(AppError::Forbidden("介绍信载有身份证号码，需有转出党组织的查看权限".into()));
        }
        let (Some(member_id), Some(from)) = (t.member_id, t.from_org_path.clone()) else {
            return Err(AppError::not_found("党员"));
        };
        let m = members::get(&txn, &Scope::Paths(vec![from]), member_id)
            .await?
            .ok_or_else(|| AppError::conflict("该党员已不在转出党组织"))?;
        self.check_label(&txn, ctx, &m).await?;
        let personal = self.open_personal(&m)?;
        self.audit(
            &txn,
            ctx,
            Event::ok("member.unmask", "member", member_id)
                .with(serde_json::json!({"reason": "打印组织关系介绍信", "transfer_id": t.id, "fields": ["id_number", "phone"]})),
        )
        .await?;
        txn.commit().await?;
        let pdf = letter_pdf(&t, &m, &personal.id_number, personal.phone.as_deref()).map_err(pdf_err)?;
        Ok((format!("组织关系介绍信-{}.pdf", t.member_name), pdf))
    }

    /// The receipt slip for a letter registered from outside, to send back to its sender.
    pub async fn transfer_receipt_pdf(&self, ctx: &Ctx, id: i64) -> AppResult<(String, Vec<u8>)> {
        let w = ctx.actor()?.scope(Permission::MemberWrite)?;
        let t = repo::get(&self.db, &w, id).await?.ok_or_else(|| AppError::not_found("转接记录"))?;
        if kind_of(&t) != TransferKind::LetterIn || !at(Some(&w), t.to_org_path.as_deref()) {
            return Err(AppError::conflict("只有登记转入的介绍信有回执可打印"));
        }
        let pdf = receipt_pdf(&t).map_err(pdf_err)?;
        Ok((format!("组织关系介绍信回执-{}.pdf", t.member_name), pdf))
    }
}

fn pdf_err(e: std::io::Error) -> AppError {
    AppError::Internal(anyhow::anyhow!("介绍信 PDF 生成失败：{e}"))
}

const LEFT: f32 = 64.0;
const RIGHT: f32 = FormPdf::WIDTH - 64.0;
const BODY: f32 = 12.0;

fn category_label(c: &str) -> &'static str {
    if c == "probationary" { "预备" } else { "正式" }
}

fn month_label(m: Option<&str>) -> String {
    match m.and_then(|s| Month::parse(s).ok()) {
        Some(m) => format!("{}年{}月", m.year, m.month),
        None => "____年__月".into(),
    }
}

/// One part's heading and its number.
fn heading(pdf: &mut FormPdf, y: f32, title: &str, no: &str) -> f32 {
    pdf.centred(y, 16.0, title, true);
    pdf.right(RIGHT, y + 24.0, BODY, &format!("第 {no} 号"));
    y + 48.0
}

/// Signature block: the organisation (盖章) and the date in words.
fn seal(pdf: &mut FormPdf, y: f32, org: Option<&str>, on: NaiveDate) -> f32 {
    if let Some(org) = org {
        pdf.right(RIGHT, y, BODY, &format!("{org}（盖章）"));
    }
    pdf.right(RIGHT, y + 22.0, BODY, &chinese_date(on));
    y + 40.0
}

fn cut_line(pdf: &mut FormPdf, y: f32, label: &str) {
    pdf.rule(36.0, FormPdf::WIDTH - 36.0, y, true);
    let w = pdf.width_of(label, 8.0);
    pdf.text((FormPdf::WIDTH - w) / 2.0, y - 4.0, 8.0, label, false);
}

/// The letter in the layout of the printed form (《中国共产党党员组织关系介绍信》): the stub, the letter and
/// the receipt slip on one A4 page, separated by lines to cut along.
fn letter_pdf(t: &Transfer, m: &Member, id_number: &str, phone: Option<&str>) -> std::io::Result<Vec<u8>> {
    let no = t.letter_no.clone().unwrap_or_default();
    let kind = category_label(&m.category);
    let age = rules::age_on(m.birth_date, t.started_on);
    let gender = if m.gender == "female" { "女" } else { "男" };
    let ethnicity = m.ethnicity.clone().unwrap_or_else(|| "汉".into());
    let ethnicity = ethnicity.trim_end_matches('族');
    let days = t.valid_days.unwrap_or(DEFAULT_VALID_DAYS as i32).max(1) as u32;
    let dest = t.destination.clone().unwrap_or_else(|| t.to_name.clone());
    let mut pdf = FormPdf::new("中国共产党党员组织关系介绍信")?;
    let width = RIGHT - LEFT;

    // 存根.
    let mut y = heading(&mut pdf, 56.0, "中国共产党党员组织关系介绍信（存根）", &no);
    y = pdf.paragraph(
        LEFT,
        y,
        width,
        BODY,
        &format!(
            "{}同志（{gender}），{age}岁，{ethnicity}族，系中共{kind}党员，身份证号码{id_number}，组织关系由{}转到{}。",
            t.member_name, t.from_name, t.to_name
        ),
    );
    pdf.text(LEFT, y, BODY, &format!("有效期{}天", chinese_number(days)), false);
    y = seal(&mut pdf, y + 4.0, None, t.started_on);
    cut_line(&mut pdf, y, "（此联由转出党组织存档）");

    // 介绍信.
    y = heading(&mut pdf, y + 36.0, "中国共产党党员组织关系介绍信", &no);
    pdf.text(LEFT, y, BODY, &format!("{}：", t.to_name), false);
    y = pdf.paragraph(
        LEFT,
        y + 24.0,
        width,
        BODY,
        &format!(
            "兹介绍{}同志（{gender}），{age}岁，{ethnicity}族，系中共{kind}党员，身份证号码{id_number}，由{}去{dest}，请转接组织关系。该同志党费已交到{}。",
            t.member_name,
            t.from_name,
            month_label(t.dues_paid_to.as_deref())
        ),
    );
    y = seal(&mut pdf, y + 4.0, Some(&t.from_name), t.started_on);
    pdf.text(LEFT, y, BODY, &format!("（有效期{}天）", chinese_number(days)), false);
    pdf.text(LEFT, y + 22.0, 10.0, &format!("党员联系电话或其他联系方式：{}", phone.unwrap_or("")), false);
    pdf.text(LEFT, y + 40.0, 10.0, &format!("党员原所在基层党委：{}", t.from_name), false);
    y += 62.0;
    cut_line(&mut pdf, y, "（此联由党员持往接收党组织）");

    // 回执.
    y = heading(&mut pdf, y + 36.0, "中国共产党党员组织关系介绍信回执", &no);
    pdf.text(LEFT, y, BODY, &format!("{}：", t.from_name), false);
    y = pdf.paragraph(
        LEFT,
        y + 24.0,
        width,
        BODY,
        &format!("{}同志的党员组织关系已转达我处，特此回复。", t.member_name),
    );
    pdf.right(RIGHT, y + 4.0, BODY, "接收党组织（盖章）");
    pdf.right(RIGHT, y + 26.0, BODY, "____年__月__日");
    pdf.finish()
}

/// The receipt slip for a letter from outside, addressed to its sender, dated the day it was registered.
fn receipt_pdf(t: &Transfer) -> std::io::Result<Vec<u8>> {
    let mut pdf = FormPdf::new("中国共产党党员组织关系介绍信回执")?;
    let no = t.letter_no.clone().unwrap_or_default();
    let mut y = heading(&mut pdf, 72.0, "中国共产党党员组织关系介绍信回执", &no);
    pdf.text(LEFT, y, BODY, &format!("{}：", t.from_name), false);
    y = pdf.paragraph(
        LEFT,
        y + 24.0,
        RIGHT - LEFT,
        BODY,
        &format!("{}同志的党员组织关系已转达我处，特此回复。", t.member_name),
    );
    seal(&mut pdf, y + 4.0, Some(&t.to_name), t.receipt_on.unwrap_or(t.started_on));
    pdf.finish()
}
