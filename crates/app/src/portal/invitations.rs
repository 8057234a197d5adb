//! Invitations to the member portal (邀请开通): a branch worker invites members one by one, a whole
//! organisation or its outflow ledger at once; each invitation is single-use, expires, is bound to one
//! member, and is opened with its code and the last six characters of that member's ID number, after
//! which the member chooses a username and password and is signed in. Only the SM3 hash of a code is
//! stored: the code is shown once, to the worker who made it, for the sheet they print (a lost sheet
//! is replaced by a new invitation, which voids the old one).

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use honglian_domain::mask::mask_name;
use honglian_domain::platform::authz::{Permission, Role};
use honglian_domain::portal::invitation::{
    CODE_LEN, InvitationStatus, MAX_BATCH, MAX_WRONG_ANSWERS, VALID_DAYS, code_from_bytes, id_tail_matches,
    normalise_code,
};
use honglian_domain::{PageNo, PerPage};
use honglian_store::Scope;
use honglian_store::entity::platform::outbox as outbox_entity;
use honglian_store::repo::members::{mobility, registry as members};
use honglian_store::repo::organisations::orgs;
use honglian_store::repo::platform::outbox::{self, OutboxRow, Robot};
use honglian_store::repo::platform::users;
use honglian_store::repo::portal::invitations::{self, Invitation, InvitationFilter, NewInvitation};
use honglian_store::repo::{Page, PageReq};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::platform::audit::Event;
use crate::platform::auth::{NewSession, hash_password};
use crate::platform::crypto::sm3_hex;
use crate::platform::users::check_username;
use crate::{App, AppError, AppResult, Ctx};

/// Whom to invite: members by id, or everyone of an organisation's subtree not yet on the portal.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewInvitations {
    /// These members (each within the caller's organisations).
    #[schema(value_type = Option<Vec<honglian_domain::RecordId>>)]
    pub member_ids: Option<Vec<i64>>,
    /// Or every member of this organisation and those under it who has no account and no usable
    /// invitation.
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub org_id: Option<i64>,
    /// With `org_id`: only those away now (the outflow ledger).
    #[serde(default)]
    pub outflow_only: bool,
    /// Send them to this group robot (of an organisation over all of them) instead of printing: each
    /// member finds their own link in the group chat. The codes are then made when the messages leave,
    /// and the answer holds none.
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub robot_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvitationView {
    pub id: i64,
    pub member_id: i64,
    pub member_name: String,
    pub org_id: i64,
    pub org_name: String,
    pub status: InvitationStatus,
    pub status_label: String,
    pub expires_at: DateTime<Utc>,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The account the member made (activated invitations).
    pub username: Option<String>,
    /// The code, only in the answer that made the invitation (it is not stored): print it now.
    pub code: Option<String>,
}

/// The invitations just made, with their codes, and how many members were left out.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvitationBatch {
    pub items: Vec<InvitationView>,
    /// Named members left out: they have an account already, a usable invitation, or a record that
    /// is not normal (transferred out, deceased …).
    pub skipped: u64,
    /// The group robot they were queued for (then no codes are in the answer).
    pub robot_name: Option<String>,
    /// How many messages carry them (at most [`INVITATIONS_PER_MESSAGE`] invitations each, fewer
    /// when the public address is long).
    pub messages: u64,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct InvitationCounts {
    pub pending: i64,
    pub expired: i64,
    pub activated: i64,
    pub revoked: i64,
    pub locked: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvitationList {
    pub items: Vec<InvitationView>,
    pub total: u64,
    pub counts: InvitationCounts,
    /// Members (normal records) of the organisation's subtree, and how many of them have a portal
    /// account.
    pub members: u64,
    pub members_with_account: u64,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvitationQuery {
    /// Within this organisation's subtree (default: all the caller's).
    pub org_id: Option<honglian_domain::RecordId>,
    #[param(inline)]
    pub status: Option<InvitationStatus>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

/// A code as the member types or scans it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct InvitationCode {
    pub code: String,
}

/// Whom an invitation is for, shown before the member answers (name masked).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvitationPreview {
    /// "林*远".
    pub member_name: String,
    pub org_name: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct Activation {
    pub code: String,
    /// The last six characters of the member's ID number.
    pub id_tail: String,
    pub username: String,
    pub password: String,
}

/// Invitations in one group-robot message at most.
pub const INVITATIONS_PER_MESSAGE: usize = 20;

/// How many invitation lines fit in one group-robot message: WeCom takes at most 2,048 bytes of text;
/// each line is a masked name (up to 30 bytes), the public address and the code; the title and the
/// instructions take about 300 bytes.
fn invitations_per_message(public_url: &str) -> usize {
    let line = 30 + "：".len() + public_url.trim_end_matches('/').len() + "/m/activate#code=".len() + 14 + 1;
    ((2048 - 300) / line).clamp(1, INVITATIONS_PER_MESSAGE)
}

fn status_of(i: &Invitation, now: DateTime<Utc>) -> InvitationStatus {
    let s = InvitationStatus::from_code(&i.status).unwrap_or(InvitationStatus::Revoked);
    if s == InvitationStatus::Pending && i.expires_at <= now { InvitationStatus::Expired } else { s }
}

fn new_code() -> String {
    let mut b = [0u8; CODE_LEN];
    getrandom::fill(&mut b).expect("system random source");
    code_from_bytes(&b)
}

fn code_hash(normalised: &str) -> String {
    sm3_hex(normalised.as_bytes())
}

/// A new pending invitation for (member, organisation, its path), valid [`VALID_DAYS`], and its code
/// (which is not stored).
async fn issue(
    txn: &impl sea_orm::ConnectionTrait,
    by: &crate::Actor,
    (member_id, org_id, org_path): (i64, i64, String),
) -> AppResult<(Invitation, String)> {
    let code = new_code();
    let inv = invitations::insert(
        txn,
        NewInvitation {
            member_id,
            org_id,
            org_path,
            code_hash: code_hash(&normalise_code(&code).expect("a new code is a code")),
            expires_at: Utc::now() + Duration::days(VALID_DAYS),
            created_by: Some(by.user_id),
            created_by_name: by.display_name.clone(),
        },
    )
    .await?;
    Ok((inv, code))
}

/// Why an invitation cannot be opened, in words for the member.
fn unusable(s: InvitationStatus) -> AppError {
    let m = match s {
        InvitationStatus::Activated => "这份邀请已经开通过账号，请直接登录",
        InvitationStatus::Expired => "邀请已过期，请向所在党支部索取新的邀请",
        InvitationStatus::Locked => "身份证号后六位输错次数过多，邀请已锁定，请向所在党支部索取新的邀请",
        _ => "邀请已作废，请向所在党支部索取新的邀请",
    };
    AppError::field("code", m)
}

/// The outbox row of one group-robot message carrying `chunk` (the codes are made when it leaves).
fn robot_message(r: &Robot, chunk: &[Invitation], now: DateTime<Utc>) -> outbox_entity::ActiveModel {
    use sea_orm::Set;
    outbox_entity::ActiveModel {
        channel: Set(r.kind.clone()),
        robot_id: Set(Some(r.id)),
        org_path: Set(r.org_path.clone()),
        source: Set(format!("invitations:{}", chunk[0].id)),
        kind: Set(MESSAGE_KIND.into()),
        title: Set(MESSAGE_TITLE.into()),
        body: Set(format!("{} 位党员的开通邀请（邀请码在发出时生成，不在系统中保存）", chunk.len())),
        link: Set(Some("/m/activate".into())),
        dedupe_key: Set(format!("invitations:{}:robot:{}", chunk[0].id, r.id)),
        status: Set("queued".into()),
        attempts: Set(0),
        next_at: Set(now),
        created_at: Set(now),
        ..Default::default()
    }
}

/// The outbox kind of a message carrying invitations.
pub const MESSAGE_KIND: &str = "invitation";
const MESSAGE_TITLE: &str = "指尖党建开通邀请";

impl App {
    /// A group robot to send invitations to: enabled, of an organisation of the caller's scope, with
    /// robots switched on and an address the members' phones can open.
    async fn inviting_robot(&self, scope: &Scope, id: i64) -> AppResult<Robot> {
        let n = &self.config.notify;
        if !n.webhooks {
            return Err(AppError::field("robot_id", "本系统未开启群机器人推送，请打印邀请"));
        }
        if n.public_url.is_none() {
            return Err(AppError::field(
                "robot_id",
                "本系统未配置对外访问地址（[notify] public_url），群里的党员无法打开邀请链接，请打印邀请",
            ));
        }
        let r = outbox::robot(&self.db, scope, id).await?.ok_or_else(|| AppError::not_found("群机器人"))?;
        if !r.enabled {
            return Err(AppError::field("robot_id", "群机器人已停用"));
        }
        Ok(r)
    }

    /// The text of a group-robot message carrying invitations, as it leaves: each invitation still
    /// open gets a new code now (its hash replaces the old one), so no code is ever stored. `None`
    /// when none of them can be opened any more.
    pub(crate) async fn invitation_message(&self, row: &OutboxRow) -> AppResult<Option<String>> {
        let now = Utc::now();
        let Some(base) = self.config.notify.public_url.as_deref() else { return Ok(None) };
        let list = invitations::carried(&self.db, row.id, now).await?;
        if list.is_empty() {
            return Ok(None);
        }
        let names = members::names(&self.db, &list.iter().map(|i| i.member_id).collect::<Vec<_>>()).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let mut lines = Vec::with_capacity(list.len());
        for inv in &list {
            let code = new_code();
            if invitations::recode(&txn, inv.id, &code_hash(&normalise_code(&code).expect("a new code is a code")))
                .await?
            {
                let name = names.get(&inv.member_id).map(|n| mask_name(n)).unwrap_or_default();
                lines.push(format!("{name}：{}/m/activate#code={code}", base.trim_end_matches('/')));
            }
        }
        txn.commit().await?;
        if lines.is_empty() {
            return Ok(None);
        }
        let until = list.iter().map(|i| i.expires_at).min().unwrap_or(now) + Duration::hours(8);
        Ok(Some(honglian_domain::platform::notify::robot_text(
            MESSAGE_TITLE,
            &format!(
                "请以下党员用手机打开自己的链接，核对身份证号后六位后设置密码（链接仅限本人使用，{} 前有效）：\n{}",
                until.format("%Y年%-m月%-d日"),
                lines.join("\n")
            ),
        )))
    }

    async fn invitation_views(
        &self,
        items: Vec<Invitation>,
        codes: &HashMap<i64, String>,
    ) -> AppResult<Vec<InvitationView>> {
        let now = Utc::now();
        let member_ids: Vec<i64> = items.iter().map(|i| i.member_id).collect();
        let names = members::names(&self.db, &member_ids).await?;
        let org_ids: Vec<i64> = items.iter().map(|i| i.org_id).collect();
        let org_names = orgs::names(&self.db, &org_ids).await?;
        let mut out = Vec::with_capacity(items.len());
        for i in items {
            let username = match i.user_id {
                Some(u) => users::get(&self.db, u).await?.map(|u| u.username),
                None => None,
            };
            let status = status_of(&i, now);
            out.push(InvitationView {
                id: i.id,
                member_id: i.member_id,
                member_name: names.get(&i.member_id).cloned().unwrap_or_default(),
                org_id: i.org_id,
                org_name: org_names.get(&i.org_id).cloned().unwrap_or_default(),
                status,
                status_label: status.label().into(),
                expires_at: i.expires_at,
                created_by_name: i.created_by_name,
                created_at: i.created_at,
                closed_at: i.closed_at,
                username,
                code: codes.get(&i.id).cloned(),
            });
        }
        Ok(out)
    }

    /// Makes invitations for the members named, or for everyone of an organisation's subtree (or its
    /// outflow ledger) not yet on the portal; at most [`MAX_BATCH`] at once.
    pub async fn invitation_create(&self, ctx: &Ctx, input: NewInvitations) -> AppResult<InvitationBatch> {
        let actor = ctx.actor()?;
        let scope = actor.scope(Permission::MemberInvite)?;
        let robot = match input.robot_id {
            Some(id) => Some(self.inviting_robot(&scope, id).await?),
            None => None,
        };
        let now = Utc::now();
        let txn = honglian_store::begin_write(&self.db).await?;
        let mut skipped = 0u64;
        // (member id, organisation id, its path)
        let targets: Vec<(i64, i64, String)> = match (&input.member_ids, input.org_id) {
            (Some(ids), None) => {
                if ids.is_empty() {
                    return Err(AppError::field("member_ids", "请选择要邀请的党员"));
                }
                if ids.len() as u64 > MAX_BATCH {
                    return Err(AppError::field("member_ids", format!("一次最多邀请 {MAX_BATCH} 人")));
                }
                let mut seen = std::collections::BTreeSet::new();
                let mut out = Vec::new();
                for id in ids {
                    if !seen.insert(*id) {
                        continue;
                    }
                    let m = members::get(&txn, &scope, *id).await?.ok_or_else(|| AppError::not_found("党员"))?;
                    if m.status != "normal"
                        || users::by_member(&txn, m.id).await?.is_some()
                        || invitations::waiting_for(&txn, m.id, now).await?.is_some()
                    {
                        skipped += 1;
                        continue;
                    }
                    out.push(self.inviting_org(&txn, &scope, &m).await?);
                }
                out
            }
            (None, Some(org_id)) => {
                let org = orgs::get(&txn, &scope, org_id).await?.ok_or_else(|| AppError::not_found("党组织"))?;
                invitations::invitable(&txn, &scope, &org.path, input.outflow_only, now, MAX_BATCH).await?
            }
            _ => return Err(AppError::field("member_ids", "请选择党员，或选择一个党组织邀请其全部未开通的党员")),
        };
        if let Some(r) = &robot
            && targets.iter().any(|(_, _, path)| !path.starts_with(&r.org_path))
        {
            let over = orgs::name_of(&txn, r.org_id).await?;
            return Err(AppError::field(
                "robot_id",
                format!("群机器人“{}”属于{over}，只能发送{over}及其下级组织的邀请", r.name),
            ));
        }
        let mut made = Vec::with_capacity(targets.len());
        let mut codes = HashMap::new();
        for target in targets {
            let (inv, code) = issue(&txn, actor, target).await?;
            if robot.is_none() {
                codes.insert(inv.id, code);
            }
            made.push(inv);
        }
        let mut messages = 0u64;
        if let Some(r) = &robot {
            let per_message = invitations_per_message(self.config.notify.public_url.as_deref().unwrap_or_default());
            for chunk in made.chunks(per_message) {
                let row = outbox::enqueue_returning(&txn, robot_message(r, chunk, now)).await?;
                invitations::carried_by(&txn, &chunk.iter().map(|i| i.id).collect::<Vec<_>>(), row.id).await?;
                messages += 1;
            }
        }
        let member_ids: Vec<i64> = made.iter().map(|i| i.member_id).collect();
        self.audit(
            &txn,
            ctx,
            Event::ok("invitation.create", "member", member_ids.first().copied().unwrap_or_default()).with(
                serde_json::json!({"members": member_ids, "org_id": input.org_id, "outflow_only": input.outflow_only,
                    "skipped": skipped, "robot_id": input.robot_id}),
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(InvitationBatch {
            items: self.invitation_views(made, &codes).await?,
            skipped,
            robot_name: robot.map(|r| r.name),
            messages,
        })
    }

    pub async fn invitation_list(&self, ctx: &Ctx, q: InvitationQuery) -> AppResult<InvitationList> {
        let scope = ctx.actor()?.scope(Permission::MemberInvite)?;
        let org_path = match q.org_id {
            Some(id) => {
                Some(orgs::get(&self.db, &scope, id.get()).await?.ok_or_else(|| AppError::not_found("党组织"))?.path)
            }
            None => None,
        };
        let now = Utc::now();
        let filter = InvitationFilter {
            org_path: org_path.clone(),
            status: q.status.map(|s| s.code().to_string()),
            member_id: None,
        };
        let Page { items, total } = invitations::list(
            &self.db,
            &scope,
            &filter,
            now,
            PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into)),
        )
        .await?;
        let mut counts = InvitationCounts::default();
        let (by_status, expired) = invitations::counts(&self.db, &scope, org_path.as_deref(), now).await?;
        for (status, n) in by_status {
            match status.as_str() {
                "pending" => counts.pending += n,
                "activated" => counts.activated += n,
                "locked" => counts.locked += n,
                _ => counts.revoked += n,
            }
        }
        counts.expired = expired as i64;
        counts.pending -= counts.expired;
        let (members, members_with_account) = invitations::accounts(&self.db, &scope, org_path.as_deref()).await?;
        Ok(InvitationList {
            items: self.invitation_views(items, &HashMap::new()).await?,
            total,
            counts,
            members,
            members_with_account,
        })
    }

    /// A new invitation in place of one lost, expired or locked (the old one is voided); its code is
    /// in the answer.
    pub async fn invitation_renew(&self, ctx: &Ctx, id: i64) -> AppResult<InvitationView> {
        let actor = ctx.actor()?;
        let scope = actor.scope(Permission::MemberInvite)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let old = invitations::get(&txn, &scope, id).await?.ok_or_else(|| AppError::not_found("邀请"))?;
        if old.status == "activated" {
            return Err(AppError::conflict("该党员已开通账号，无需再邀请"));
        }
        let m = members::get(&txn, &scope, old.member_id)
            .await?
            .ok_or_else(|| AppError::conflict("该党员已不在您管理的党组织中"))?;
        if m.status != "normal" {
            return Err(AppError::conflict("该党员的档案状态不是正常，不能邀请"));
        }
        if users::by_member(&txn, m.id).await?.is_some() {
            return Err(AppError::conflict("该党员已开通账号，无需再邀请"));
        }
        let target = self.inviting_org(&txn, &scope, &m).await?;
        let (inv, code) = issue(&txn, actor, target).await?;
        invitations::revoke_others(&txn, &scope, m.id, inv.id).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("invitation.renew", "member", m.id)
                .with(serde_json::json!({"invitation": inv.id, "replaces": old.id})),
        )
        .await?;
        txn.commit().await?;
        let codes = HashMap::from([(inv.id, code)]);
        Ok(self.invitation_views(vec![inv], &codes).await?.remove(0))
    }

    /// Voids a pending invitation (idempotent); an activated one cannot be voided (disable the account).
    pub async fn invitation_revoke(&self, ctx: &Ctx, id: i64) -> AppResult<InvitationView> {
        let scope = ctx.actor()?.scope(Permission::MemberInvite)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let inv = invitations::get(&txn, &scope, id).await?.ok_or_else(|| AppError::not_found("邀请"))?;
        match inv.status.as_str() {
            "activated" => return Err(AppError::conflict("邀请已开通账号，不能作废；如需停用账号请联系安全管理员")),
            "pending" => {
                if !invitations::close(&txn, inv.id, "revoked", None).await? {
                    return Err(AppError::conflict("邀请刚刚被使用或作废，请刷新后再看"));
                }
                self.audit(
                    &txn,
                    ctx,
                    Event::ok("invitation.revoke", "member", inv.member_id).with(serde_json::json!({"invitation": id})),
                )
                .await?;
            }
            _ => {}
        }
        let inv = invitations::get(&txn, &scope, id).await?.ok_or_else(|| AppError::not_found("邀请"))?;
        txn.commit().await?;
        Ok(self.invitation_views(vec![inv], &HashMap::new()).await?.remove(0))
    }

    /// Where an invitation of a member the caller reached is kept: the member's own organisation when the
    /// caller's scope holds it, else the organisation of the scope receiving the member (a chamber branch
    /// inviting the members it receives from home).
    async fn inviting_org(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        scope: &Scope,
        m: &members::Member,
    ) -> AppResult<(i64, i64, String)> {
        if scope.contains(&m.org_path) {
            return Ok((m.id, m.org_id, m.org_path.clone()));
        }
        let receiving = mobility::open_outflow(db, m.id).await?.and_then(|r| r.receiving_org_id);
        match receiving {
            Some(id) => match orgs::get(db, scope, id).await? {
                Some(o) => Ok((m.id, o.id, o.path)),
                None => Err(AppError::not_found("党员")),
            },
            None => Err(AppError::not_found("党员")),
        }
    }

    /// The invitation a code opens, for the page that asks the member to confirm it is theirs.
    async fn usable_invitation(&self, db: &impl sea_orm::ConnectionTrait, code: &str) -> AppResult<Invitation> {
        let code = normalise_code(code).ok_or_else(|| AppError::field("code", "邀请码应为 12 位字母和数字，请核对"))?;
        let inv = invitations::by_code_hash(db, &code_hash(&code))
            .await?
            .ok_or_else(|| AppError::field("code", "邀请码不对，请核对后重新输入"))?;
        match status_of(&inv, Utc::now()) {
            InvitationStatus::Pending => Ok(inv),
            s => Err(unusable(s)),
        }
    }

    /// Whom a code invites (name masked) and by which organisation; nothing else before the answer.
    pub async fn invitation_preview(&self, code: &str) -> AppResult<InvitationPreview> {
        let inv = self.usable_invitation(&self.db, code).await?;
        let name = members::names(&self.db, &[inv.member_id]).await?.remove(&inv.member_id).unwrap_or_default();
        Ok(InvitationPreview {
            member_name: mask_name(&name),
            org_name: orgs::name_of(&self.db, inv.org_id).await?,
            expires_at: inv.expires_at,
        })
    }

    /// Opens an invitation: the code, the last six characters of the member's ID number (five wrong
    /// answers lock it), a username and a password; makes the member's account and signs them in. The
    /// password is hashed before the write transaction (the SQLite write lock is never held across
    /// argon2).
    pub async fn invitation_activate(&self, ctx: &Ctx, a: Activation) -> AppResult<NewSession> {
        let username = check_username(&a.username).map_err(|m| AppError::field("username", m))?;
        if a.id_tail.trim().chars().count() != 6 {
            return Err(AppError::field("id_tail", "请输入身份证号的后六位"));
        }
        self.config
            .security
            .password_policy
            .check(&a.password, &username)
            .map_err(|m| AppError::field("password", m))?;
        // Check the code before spending the CPU on the hash.
        self.usable_invitation(&self.db, &a.code).await?;
        let hash = {
            let p = a.password.clone();
            tokio::task::spawn_blocking(move || hash_password(&p))
                .await
                .map_err(|e| AppError::Internal(anyhow::anyhow!("密码处理线程失败：{e}")))?
        };
        let txn = honglian_store::begin_write(&self.db).await?;
        let inv = self.usable_invitation(&txn, &a.code).await?;
        // One activation of a member at a time (PostgreSQL: the member's row locked; SQLite's write lock
        // already serialises), then the invitation read again: a concurrent activation or revocation wins.
        members::lock(&txn, inv.member_id).await?;
        let inv = self.usable_invitation(&txn, &a.code).await?;
        // The member as the invitation's organisation still reaches them (filed in its subtree or received
        // there): one who has since moved away is no longer this invitation's to open.
        let m = members::get(&txn, &Scope::Paths(vec![inv.org_path.clone()]), inv.member_id)
            .await?
            .ok_or_else(|| unusable(InvitationStatus::Revoked))?;
        let id_number = self.open_personal(&m)?.id_number;
        if !id_tail_matches(&id_number, &a.id_tail) {
            let wrong = invitations::count_wrong_answer(&txn, inv.id).await?;
            let locked = wrong >= MAX_WRONG_ANSWERS;
            if locked {
                invitations::close(&txn, inv.id, "locked", None).await?;
            }
            let ev = Event::ok("invitation.activate", "member", m.id)
                .result("failed")
                .with(serde_json::json!({"reason": "wrong_id_tail", "wrong_answers": wrong, "locked": locked}));
            self.audit(&txn, ctx, ev).await?;
            txn.commit().await?;
            return Err(if locked {
                unusable(InvitationStatus::Locked)
            } else {
                AppError::field("id_tail", format!("身份证号后六位不对，还可以再试 {} 次", MAX_WRONG_ANSWERS - wrong))
            });
        }
        if m.status != "normal" {
            return Err(AppError::conflict("档案状态不是正常，请直接联系所在党支部"));
        }
        if users::by_member(&txn, m.id).await?.is_some() {
            return Err(unusable(InvitationStatus::Activated));
        }
        let taken = || AppError::field("username", "用户名已被使用，请换一个");
        if users::by_username(&txn, &username).await?.is_some() {
            return Err(taken());
        }
        let user = users::insert(&txn, &username, &m.name, hash, false, Some(m.id)).await.map_err(|e| {
            match e.sql_err() {
                // Chosen at the same moment by someone else.
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => taken(),
                _ => e.into(),
            }
        })?;
        let grant = users::add_grant(&txn, user.id, Role::Member.code(), None, None, None, None).await?;
        self.stamp(&txn, honglian_store::repo::platform::integrity::Protected::Grants, &[grant.id]).await?;
        let member_id = m.id;
        if !invitations::close(&txn, inv.id, "activated", Some(user.id)).await? {
            return Err(unusable(InvitationStatus::Activated));
        }
        #[allow(
            clippy::disallowed_methods,
            reason = "the member's other invitations, wherever they were made: one account"
        )]
        let everywhere = Scope::All(honglian_store::Unscoped::system());
        invitations::revoke_others(&txn, &everywhere, member_id, inv.id).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("invitation.activate", "member", member_id)
                .with(serde_json::json!({"invitation": inv.id, "user_id": user.id, "username": username})),
        )
        .await?;
        let s = self.open_session(&txn, ctx, user).await?;
        txn.commit().await?;
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_robot_message_stays_under_wecoms_limit() {
        assert_eq!(super::invitations_per_message("https://dj.wuchuan.example.cn/"), 18);
        let long = format!("https://{}.example.cn", "a".repeat(200));
        let n = super::invitations_per_message(&long);
        assert!((1..18).contains(&n) && n * (30 + 3 + long.len() + 17 + 15) + 300 <= 2048, "{n}");
        assert_eq!(super::invitations_per_message(&"x".repeat(5000)), 1);
    }
}
