//! Channels that leave the system, through one outbox: the worker that delivers it (by lease, with
//! retries, backoff and a dead letter), each user's channel preferences and quiet hours, an
//! organisation's group robots (WeCom, DingTalk) and the administrators' view of deliveries.
//!
//! A failing channel never blocks the others: each channel is taken and delivered on its own, and a
//! mail server or robot that does not answer fails its rows (retried later) within a timeout.

use std::collections::HashMap;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use honglian_domain::mask::mask_email;
use honglian_domain::platform::authz::Permission;
use honglian_domain::platform::notify::{
    self, Channel, LEASE_SECONDS, MAX_ATTEMPTS, OutboxStatus, QuietHours, ROBOT_PER_MINUTE, RobotKind,
};
use honglian_domain::{PageNo, PerPage, RecordId};
use honglian_store::Scope;
use honglian_store::repo::PageReq;
use honglian_store::repo::platform::outbox::{self, NewRobot, NotifyPref, OutboxFilter, OutboxRow, Outcome, Robot};
use honglian_store::repo::platform::users;
use honglian_store::repo::portal::invitations;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::org_life::activities::OrgName;
use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx, SmtpConfig};

/// In-app rows are delivered this many at a time (one transaction each).
const IN_APP_BATCH: u64 = 5000;
/// Email and robot rows, this many a round.
const EXTERNAL_BATCH: u64 = 50;
/// A mail server or robot that has not answered by then has failed this try.
const SEND_TIMEOUT: StdDuration = StdDuration::from_secs(10);

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct DeliveryReport {
    pub in_app: u64,
    pub email: u64,
    pub robots: u64,
    /// Tries that failed this round (to be retried, or given up).
    pub failed: u64,
}

/// A user's channels as they see them: the email address masked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NotifyPrefsView {
    /// `l***@example.cn`, or none.
    pub email_masked: Option<String>,
    pub email_on: bool,
    /// "22:00", or none (no quiet hours).
    pub quiet_start: Option<String>,
    pub quiet_end: Option<String>,
    /// The deployment has a mail server (otherwise email cannot be switched on).
    pub email_available: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NotifyPrefsInput {
    /// A new address; absent keeps the one saved, an empty string removes it.
    pub email: Option<String>,
    pub email_on: bool,
    /// Both "HH:MM" or both absent.
    pub quiet_start: Option<String>,
    pub quiet_end: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RobotView {
    pub id: i64,
    pub org: OrgName,
    pub kind: RobotKind,
    pub kind_label: String,
    pub name: String,
    /// Where its webhook points (the key itself is never shown again).
    pub host: String,
    /// A DingTalk signing secret is set.
    pub signed: bool,
    pub enabled: bool,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    /// Messages of the last 7 days: delivered, waiting, given up.
    pub sent_7d: u64,
    pub queued_7d: u64,
    pub dead_7d: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RobotList {
    pub items: Vec<RobotView>,
    /// The deployment lets robots post (they need the internet).
    pub webhooks_enabled: bool,
    /// The hosts a webhook may point at.
    pub webhook_hosts: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RobotInput {
    #[schema(value_type = honglian_domain::RecordId)]
    pub org_id: i64,
    pub kind: RobotKind,
    /// At most 30 characters, e.g. "广州商会党支部群".
    pub name: String,
    /// The webhook address the group's robot settings show.
    pub webhook_url: String,
    /// DingTalk's 加签 secret (SEC…); WeCom has none.
    pub secret: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OutboxItem {
    pub id: i64,
    pub channel: Channel,
    pub channel_label: String,
    /// The user's display name or the robot's name.
    pub recipient: String,
    pub kind: String,
    pub title: String,
    pub status: OutboxStatus,
    pub status_label: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OutboxPage {
    pub items: Vec<OutboxItem>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub queued: u64,
    pub sent: u64,
    pub dead: u64,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    #[param(inline)]
    pub status: Option<OutboxStatus>,
    #[param(inline)]
    pub channel: Option<Channel>,
    /// Only rows that failed at least once and are not delivered.
    #[serde(default)]
    pub failed: bool,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RobotQuery {
    /// Robots of this organisation's subtree.
    pub org: Option<RecordId>,
}

pub(crate) fn email_aad(user_id: i64) -> (&'static str, &'static str, i64) {
    ("notify_prefs", "email", user_id)
}

impl App {
    fn quiet_of(p: &NotifyPref) -> Option<QuietHours> {
        match (p.quiet_start, p.quiet_end) {
            (Some(s), Some(e)) if s != e => Some(QuietHours { start: s as u16, end: e as u16 }),
            _ => None,
        }
    }

    fn prefs_view(&self, p: Option<NotifyPref>) -> AppResult<NotifyPrefsView> {
        let email_available = self.config.notify.smtp.is_some();
        let Some(p) = p else {
            return Ok(NotifyPrefsView {
                email_masked: None,
                email_on: false,
                quiet_start: None,
                quiet_end: None,
                email_available,
            });
        };
        let (t, f, o) = email_aad(p.user_id);
        let email = self.open_text(t, f, o, p.email_enc.as_deref())?;
        let quiet = Self::quiet_of(&p);
        Ok(NotifyPrefsView {
            email_masked: email.as_deref().map(mask_email),
            email_on: p.email_on && email.is_some(),
            quiet_start: quiet.map(|q| QuietHours::label(q.start)),
            quiet_end: quiet.map(|q| QuietHours::label(q.end)),
            email_available,
        })
    }

    /// The caller's own channels and quiet hours.
    pub async fn notify_prefs(&self, ctx: &Ctx) -> AppResult<NotifyPrefsView> {
        let uid = ctx.actor()?.user_id;
        self.prefs_view(outbox::pref(&self.db, uid).await?)
    }

    /// Saves the caller's own channels and quiet hours.
    pub async fn notify_prefs_save(&self, ctx: &Ctx, input: NotifyPrefsInput) -> AppResult<NotifyPrefsView> {
        let uid = ctx.actor()?.user_id;
        let quiet = match (input.quiet_start.as_deref(), input.quiet_end.as_deref()) {
            (None, None) => None,
            (Some(s), Some(e)) => QuietHours::parse(s, e)?,
            (None, Some(_)) => return Err(AppError::field("quiet_start", "请同时填写免打扰的开始和结束时间")),
            (Some(_), None) => return Err(AppError::field("quiet_end", "请同时填写免打扰的开始和结束时间")),
        };
        let new_email = match input.email.as_deref().map(str::trim) {
            None => None,
            Some("") => Some(None),
            Some(e) => {
                let e = notify::check_email(e)?;
                // What the mail transport will accept, checked now rather than at the first send.
                if e.parse::<lettre::Address>().is_err() {
                    return Err(AppError::field("email", "电子邮箱格式不正确"));
                }
                Some(Some(e))
            }
        };
        let txn = honglian_store::begin_write(&self.db).await?;
        let current = outbox::pref(&txn, uid).await?;
        let (t, f, o) = email_aad(uid);
        let email_enc = match new_email {
            Some(e) => self.seal_text(t, f, o, e.as_deref()),
            None => current.as_ref().and_then(|c| c.email_enc.clone()),
        };
        if input.email_on && email_enc.is_none() {
            return Err(AppError::field("email", "请先填写电子邮箱"));
        }
        if input.email_on && self.config.notify.smtp.is_none() {
            return Err(AppError::field("email_on", "本系统尚未配置邮件服务器，暂不能通过邮件接收"));
        }
        outbox::save_pref(
            &txn,
            NotifyPref {
                id: 0,
                user_id: uid,
                email_enc,
                email_on: input.email_on,
                quiet_start: quiet.map(|q| i32::from(q.start)),
                quiet_end: quiet.map(|q| i32::from(q.end)),
                updated_at: Utc::now(),
            },
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("notify.prefs", "user", uid)
                .with(serde_json::json!({"email_on": input.email_on, "quiet_hours": quiet.is_some()})),
        )
        .await?;
        txn.commit().await?;
        self.notify_prefs(ctx).await
    }

    fn robot_scope(&self, ctx: &Ctx) -> AppResult<Scope> {
        ctx.actor()?.scope(Permission::NotifyManage)
    }

    async fn robot_views(&self, list: Vec<Robot>) -> AppResult<Vec<RobotView>> {
        let names = self.org_names(&list.iter().map(|r| r.org_id).collect::<Vec<_>>()).await?;
        let ids: Vec<i64> = list.iter().map(|r| r.id).collect();
        let mut figures: HashMap<(i64, String), u64> = HashMap::new();
        for (id, status, n) in outbox::robot_figures(&self.db, &ids, Utc::now() - Duration::days(7)).await? {
            figures.insert((id, status), n);
        }
        let fig = |id: i64, s: &str| figures.get(&(id, s.to_string())).copied().unwrap_or(0);
        Ok(list
            .into_iter()
            .map(|r| {
                let kind = RobotKind::from_code(&r.kind).unwrap_or(RobotKind::Wecom);
                RobotView {
                    org: OrgName { id: r.org_id, name: names.get(&r.org_id).cloned().unwrap_or_default() },
                    kind,
                    kind_label: kind.label().into(),
                    signed: r.secret_enc.is_some(),
                    sent_7d: fig(r.id, "sent"),
                    queued_7d: fig(r.id, "queued"),
                    dead_7d: fig(r.id, "dead"),
                    id: r.id,
                    name: r.name,
                    host: r.host,
                    enabled: r.enabled,
                    created_by_name: r.created_by_name,
                    created_at: r.created_at,
                }
            })
            .collect())
    }

    /// The group robots of the caller's subtree (or of one organisation's subtree).
    pub async fn robot_list(&self, ctx: &Ctx, q: RobotQuery) -> AppResult<RobotList> {
        let mut scope = self.robot_scope(ctx)?;
        if let Some(org) = q.org {
            scope = Scope::Paths(vec![self.org_in(&self.db, &scope, org.get()).await?.path]);
        }
        let list = outbox::robots(&self.db, &scope).await?;
        Ok(RobotList {
            items: self.robot_views(list).await?,
            webhooks_enabled: self.config.notify.webhooks,
            webhook_hosts: self.config.notify.webhook_hosts.clone(),
        })
    }

    /// The host of a robot's webhook, if the deployment allows robots and that host.
    fn robot_host(&self, kind: RobotKind, url: &str) -> AppResult<String> {
        let n = &self.config.notify;
        if !n.webhooks {
            return Err(AppError::field(
                "webhook_url",
                "本系统未开启群机器人推送（需要访问互联网；政务内网部署时通常关闭，见配置项 notify.webhooks）",
            ));
        }
        let parsed =
            reqwest::Url::parse(url.trim()).map_err(|_| AppError::field("webhook_url", "Webhook 地址格式不正确"))?;
        let host = parsed.host_str().unwrap_or_default().to_string();
        if !matches!(parsed.scheme(), "https" | "http") || host.is_empty() {
            return Err(AppError::field("webhook_url", "Webhook 地址应以 https:// 开头"));
        }
        if !n.webhook_hosts.iter().any(|h| h.eq_ignore_ascii_case(&host)) {
            return Err(AppError::field(
                "webhook_url",
                format!("Webhook 地址应指向 {}（本系统只向允许的地址发送）", kind.official_host()),
            ));
        }
        if host.eq_ignore_ascii_case(kind.official_host()) && parsed.scheme() != "https" {
            return Err(AppError::field("webhook_url", "Webhook 地址应以 https:// 开头"));
        }
        Ok(host)
    }

    /// Sets up a group robot for an organisation of the caller's subtree.
    pub async fn robot_create(&self, ctx: &Ctx, input: RobotInput) -> AppResult<RobotView> {
        let actor = ctx.actor()?;
        let scope = self.robot_scope(ctx)?;
        let org = self.org_in(&self.db, &scope, input.org_id).await?;
        let name = honglian_domain::validation::required_text(&input.name, "名称", 30)
            .map_err(|m| AppError::field("name", m))?;
        if let Some(kind) = notify::personal_data_in(&name) {
            return Err(AppError::field("name", format!("名称会发到群里，不能包含{kind}")));
        }
        if input.webhook_url.len() > 500 {
            return Err(AppError::field("webhook_url", "Webhook 地址最多 500 个字符"));
        }
        let host = self.robot_host(input.kind, &input.webhook_url)?;
        let secret = match input.secret.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(_) if input.kind == RobotKind::Wecom => {
                return Err(AppError::field("secret", "企业微信群机器人没有加签密钥，请留空"));
            }
            Some(s) if s.len() > 200 || s.chars().any(char::is_whitespace) => {
                return Err(AppError::field("secret", "加签密钥格式不正确"));
            }
            Some(s) => Some(s.to_string()),
        };
        let txn = honglian_store::begin_write(&self.db).await?;
        let r = outbox::robot_insert(
            &txn,
            NewRobot {
                org_id: org.id,
                org_path: org.path,
                kind: input.kind.code().into(),
                name,
                url_enc: self.seal_text("robots", "url", org.id, Some(input.webhook_url.trim())).unwrap_or_default(),
                secret_enc: self.seal_text("robots", "secret", org.id, secret.as_deref()),
                host,
                created_by_name: actor.display_name.clone(),
            },
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("robot.create", "robot", r.id)
                .with(serde_json::json!({"org_id": r.org_id, "kind": r.kind, "host": r.host})),
        )
        .await?;
        txn.commit().await?;
        Ok(self.robot_views(vec![r]).await?.remove(0))
    }

    /// Switches off a robot of the caller's subtree; what it still had to send is given up. Again is
    /// no error.
    pub async fn robot_disable(&self, ctx: &Ctx, id: i64) -> AppResult<RobotView> {
        let scope = self.robot_scope(ctx)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let r = outbox::robot(&txn, &scope, id).await?.ok_or_else(|| AppError::not_found("群机器人"))?;
        if !r.enabled {
            drop(txn);
            return Ok(self.robot_views(vec![r]).await?.remove(0));
        }
        let r = outbox::robot_disable(&txn, r).await?;
        // Invitations it was still to carry reached no one: their members may be invited again.
        invitations::revoke_undelivered(&txn).await?;
        self.audit(&txn, ctx, Event::ok("robot.disable", "robot", id)).await?;
        txn.commit().await?;
        Ok(self.robot_views(vec![r]).await?.remove(0))
    }

    /// Queues a test message to a robot of the caller's subtree.
    pub async fn robot_test(&self, ctx: &Ctx, id: i64) -> AppResult<RobotView> {
        let scope = self.robot_scope(ctx)?;
        let r = outbox::robot(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("群机器人"))?;
        if !r.enabled {
            return Err(AppError::conflict("群机器人已停用"));
        }
        let now = Utc::now();
        let txn = honglian_store::begin_write(&self.db).await?;
        outbox::enqueue_one(
            &txn,
            honglian_store::entity::platform::outbox::ActiveModel {
                channel: sea_orm::Set(r.kind.clone()),
                user_id: sea_orm::Set(None),
                robot_id: sea_orm::Set(Some(r.id)),
                member_id: sea_orm::Set(None),
                org_path: sea_orm::Set(r.org_path.clone()),
                source: sea_orm::Set(format!("robot_test:{}", r.id)),
                kind: sea_orm::Set("robot_test".into()),
                title: sea_orm::Set("测试消息".into()),
                body: sea_orm::Set(format!("这是红链发往“{}”的测试消息，收到即表示设置正确。", r.name)),
                link: sea_orm::Set(None),
                // One test a minute: more would only fill the group chat.
                dedupe_key: sea_orm::Set(format!("robot_test:{}:{}", r.id, now.format("%Y%m%d%H%M"))),
                status: sea_orm::Set("queued".into()),
                attempts: sea_orm::Set(0),
                next_at: sea_orm::Set(now),
                lease_token: sea_orm::Set(None),
                lease_until: sea_orm::Set(None),
                last_error: sea_orm::Set(None),
                created_at: sea_orm::Set(now),
                sent_at: sea_orm::Set(None),
                ..Default::default()
            },
        )
        .await?;
        self.audit(&txn, ctx, Event::ok("robot.test", "robot", id)).await?;
        txn.commit().await?;
        Ok(self.robot_views(vec![r]).await?.remove(0))
    }

    async fn outbox_items(&self, rows: Vec<OutboxRow>) -> AppResult<Vec<OutboxItem>> {
        let users: Vec<i64> = rows.iter().filter_map(|r| r.user_id).collect();
        let names = users::display_names(&self.db, &users).await?;
        #[allow(clippy::disallowed_methods, reason = "robots named by rows already read through the caller's scope")]
        let all = Scope::All(honglian_store::Unscoped::system());
        let mut robots: HashMap<i64, String> = HashMap::new();
        for id in rows.iter().filter_map(|r| r.robot_id) {
            if let std::collections::hash_map::Entry::Vacant(e) = robots.entry(id) {
                e.insert(outbox::robot(&self.db, &all, id).await?.map(|r| r.name).unwrap_or_default());
            }
        }
        Ok(rows
            .into_iter()
            .map(|r| {
                let channel = Channel::from_code(&r.channel).unwrap_or(Channel::InApp);
                let status = OutboxStatus::from_code(&r.status).unwrap_or(OutboxStatus::Queued);
                let recipient = match (r.user_id, r.robot_id) {
                    (Some(u), _) => names.get(&u).cloned().unwrap_or_default(),
                    (_, Some(b)) => robots.get(&b).cloned().unwrap_or_default(),
                    _ => String::new(),
                };
                OutboxItem {
                    id: r.id,
                    channel_label: channel.label().into(),
                    channel,
                    recipient,
                    kind: r.kind,
                    title: r.title,
                    status_label: status.label().into(),
                    status,
                    attempts: r.attempts,
                    last_error: r.last_error,
                    next_at: r.next_at,
                    created_at: r.created_at,
                    sent_at: r.sent_at,
                }
            })
            .collect())
    }

    /// Deliveries sent by organisations of the caller's subtree, the newest first, with counts.
    pub async fn outbox_list(&self, ctx: &Ctx, q: OutboxQuery) -> AppResult<OutboxPage> {
        let scope = self.robot_scope(ctx)?;
        let f = OutboxFilter {
            status: q.status.map(|s| s.code().to_string()),
            channel: q.channel.map(|c| c.code().to_string()),
            failed: q.failed,
        };
        let page = PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into));
        let found = outbox::list(&self.db, &scope, &f, page).await?;
        let counts: HashMap<String, u64> = outbox::counts(&self.db, &scope).await?.into_iter().collect();
        let n = |s: OutboxStatus| counts.get(s.code()).copied().unwrap_or(0);
        Ok(OutboxPage {
            items: self.outbox_items(found.items).await?,
            total: found.total,
            page: page.page,
            per_page: page.per_page,
            queued: n(OutboxStatus::Queued),
            sent: n(OutboxStatus::Sent),
            dead: n(OutboxStatus::Dead),
        })
    }

    /// Sends a message of the caller's subtree again, now (a dead letter, or one waiting to retry).
    pub async fn outbox_retry(&self, ctx: &Ctx, id: i64) -> AppResult<OutboxItem> {
        let scope = self.robot_scope(ctx)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let row = outbox::get(&txn, &scope, id).await?.ok_or_else(|| AppError::not_found("消息"))?;
        if row.status == OutboxStatus::Sent.code() {
            return Err(AppError::conflict("这条消息已送达"));
        }
        if row.lease_until.is_some_and(|t| t > Utc::now()) {
            return Err(AppError::conflict("这条消息正在发送，请稍后再看"));
        }
        // The robot too must be the caller's (a message is listed by its sender) and still in use.
        if let Some(robot_id) = row.robot_id {
            let r = outbox::robot(&txn, &scope, robot_id).await?.ok_or_else(|| AppError::not_found("消息"))?;
            if !r.enabled {
                return Err(AppError::conflict("群机器人已停用，不能重新发送"));
            }
        }
        // An invitation message makes its members' codes anew when it is sent: only someone who may
        // invite them sends it again.
        if row.kind == crate::portal::invitations::MESSAGE_KIND
            && !ctx.actor()?.scope(Permission::MemberInvite).is_ok_and(|s| s.contains(&row.org_path))
        {
            return Err(AppError::Forbidden("开通邀请消息须由有权邀请这些党员的人重新发送".into()));
        }
        let row = outbox::retry(&txn, row, Utc::now()).await?;
        self.audit(&txn, ctx, Event::ok("outbox.retry", "outbox", id)).await?;
        txn.commit().await?;
        Ok(self.outbox_items(vec![row]).await?.remove(0))
    }

    /// One round of the worker: every channel's due rows, each channel on its own and at the same
    /// time (a mail server that hangs holds up neither the in-app messages nor the robots; every
    /// send has its own time limit). Safe to run on every instance at once: rows are taken by lease.
    pub async fn deliver_outbox(&self) -> AppResult<DeliveryReport> {
        let in_app = async {
            let mut n = 0;
            loop {
                let k = self.deliver_in_app_batch().await?;
                n += k;
                if k < IN_APP_BATCH {
                    return AppResult::Ok(n);
                }
            }
        };
        let (in_app, email, wecom, dingtalk) = tokio::join!(
            in_app,
            self.deliver_external(Channel::Email),
            self.deliver_external(Channel::Wecom),
            self.deliver_external(Channel::Dingtalk)
        );
        let mut report = DeliveryReport::default();
        let mut first_error = None;
        match in_app {
            Ok(n) => report.in_app = n,
            Err(e) => {
                tracing::warn!(error = %e, "in-app delivery round failed");
                first_error = Some(e);
            }
        }
        for (channel, r) in [(Channel::Email, email), (Channel::Wecom, wecom), (Channel::Dingtalk, dingtalk)] {
            match r {
                Ok((sent, failed)) => {
                    match channel {
                        Channel::Email => report.email += sent,
                        _ => report.robots += sent,
                    }
                    report.failed += failed;
                }
                Err(e) => {
                    tracing::warn!(error = %e, channel = channel.code(), "delivery round failed");
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) if report.in_app + report.email + report.robots + report.failed == 0 => Err(e),
            _ => Ok(report),
        }
    }

    /// Voids the invitations whose group-robot message was given up: their codes reached no one.
    async fn revoke_undelivered_invitations(&self) -> AppResult<()> {
        let txn = honglian_store::begin_write(&self.db).await?;
        invitations::revoke_undelivered(&txn).await?;
        txn.commit().await?;
        Ok(())
    }

    async fn deliver_in_app_batch(&self) -> AppResult<u64> {
        let now = Utc::now();
        // A cheap read first: an idle round takes no write lock.
        if !outbox::any_due(&self.db, Channel::InApp.code(), now).await? {
            return Ok(0);
        }
        let token = crate::platform::crypto::random_token(16);
        let txn = honglian_store::begin_write(&self.db).await?;
        let taken = outbox::claim(
            &txn,
            Channel::InApp.code(),
            &token,
            now,
            now + Duration::seconds(LEASE_SECONDS),
            IN_APP_BATCH,
        )
        .await?;
        if taken == 0 {
            return Ok(0);
        }
        let n = outbox::deliver_in_app(&txn, &token, now, crate::today()).await?;
        txn.commit().await?;
        Ok(n.max(taken))
    }

    /// One channel's round: (sent, failed tries). Stops taking rows well before its lease runs out
    /// (another instance may then take them) and after a connection failure (the rest wait for the
    /// next round); what it did not try is released at once.
    async fn deliver_external(&self, channel: Channel) -> AppResult<(u64, u64)> {
        let now = Utc::now();
        if !outbox::any_due(&self.db, channel.code(), now).await? {
            return Ok((0, 0));
        }
        let token = crate::platform::crypto::random_token(16);
        let txn = honglian_store::begin_write(&self.db).await?;
        let taken =
            outbox::claim(&txn, channel.code(), &token, now, now + Duration::seconds(LEASE_SECONDS), EXTERNAL_BATCH)
                .await?;
        txn.commit().await?;
        if taken == 0 {
            return Ok((0, 0));
        }
        let deadline =
            std::time::Instant::now() + StdDuration::from_secs(LEASE_SECONDS as u64).saturating_sub(SEND_TIMEOUT * 3);
        let (mut sent, mut failed) = (0, 0);
        let rows = outbox::leased(&self.db, &token).await?;
        let mut sender = Sender::new(self, channel).await?;
        for row in rows {
            if std::time::Instant::now() > deadline {
                break;
            }
            // A message carrying invitations gets its codes now, before the send's own time limit (they
            // are never stored; a wait for the write lock is not the robot's slowness).
            let prepared = if row.kind == crate::portal::invitations::MESSAGE_KIND {
                match self.invitation_message(&row).await {
                    Ok(Some(text)) => Ok(Some(text)),
                    Ok(None) => Err(Attempt::Give("邀请都已开通、作废或过期，无需再发".into())),
                    Err(e) => Err(Attempt::Failed(format!("邀请无法生成：{e}"))),
                }
            } else {
                Ok(None)
            };
            let attempt = match prepared {
                Err(a) => a,
                Ok(text) => match tokio::time::timeout(SEND_TIMEOUT, sender.send(self, &row, text)).await {
                    Ok(Ok(a)) => a,
                    Ok(Err(e)) => Attempt::Failed(e),
                    Err(_) if channel == Channel::Email => Attempt::Down("邮件服务器无应答".into()),
                    Err(_) => Attempt::Down("群机器人接口超时".into()),
                },
            };
            let down = matches!(attempt, Attempt::Down(_));
            let (outcome, stop) = match attempt {
                Attempt::Sent => {
                    sent += 1;
                    (Outcome::Sent, false)
                }
                Attempt::Wait(at) => (Outcome::Wait(at), false),
                Attempt::Failed(error) | Attempt::Down(error) if row.attempts + 1 < MAX_ATTEMPTS => {
                    failed += 1;
                    tracing::warn!(channel = channel.code(), outbox = row.id, attempt = row.attempts + 1, error = %error, "delivery failed");
                    (Outcome::Failed { error, retry_at: Some(Utc::now() + notify::backoff(row.attempts + 1)) }, down)
                }
                Attempt::Failed(error) | Attempt::Down(error) | Attempt::Give(error) => {
                    failed += 1;
                    tracing::warn!(channel = channel.code(), outbox = row.id, error = %error, "delivery given up");
                    (Outcome::Failed { error, retry_at: None }, down)
                }
            };
            outbox::settle(&self.db, row.id, &token, outcome, Utc::now()).await?;
            if stop {
                break;
            }
        }
        outbox::release(&self.db, &token).await?;
        if channel != Channel::Email && failed > 0 {
            self.revoke_undelivered_invitations().await?;
        }
        Ok((sent, failed))
    }
}

/// What one try came to.
enum Attempt {
    Sent,
    Wait(DateTime<Utc>),
    /// Worth trying again later.
    Failed(String),
    /// The server did not answer in time: tried again later, and the round stops.
    Down(String),
    /// Never deliverable as it is (no address, no robot, robots switched off): dead at once.
    Give(String),
}

/// One round's connection to a channel.
enum Sender {
    Email(Option<(lettre::AsyncSmtpTransport<lettre::Tokio1Executor>, lettre::message::Mailbox)>),
    Robot(reqwest::Client, HashMap<i64, Option<Robot>>),
}

impl Sender {
    async fn new(app: &App, channel: Channel) -> AppResult<Self> {
        Ok(match channel {
            Channel::Email => Sender::Email(match &app.config.notify.smtp {
                Some(cfg) => Some(smtp_transport(cfg).await?),
                None => None,
            }),
            _ => Sender::Robot(
                reqwest::Client::builder()
                    .timeout(SEND_TIMEOUT)
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(|e| anyhow::anyhow!("HTTP 客户端无法创建：{e}"))?,
                HashMap::new(),
            ),
        })
    }

    /// Sends `row`; a robot's `text`, when given, instead of the row's title and body.
    async fn send(&mut self, app: &App, row: &OutboxRow, text: Option<String>) -> Result<Attempt, String> {
        match self {
            Sender::Email(None) => Ok(Attempt::Give("本系统未配置邮件服务器".into())),
            Sender::Email(Some((transport, from))) => send_email(app, transport, from, row).await,
            Sender::Robot(client, robots) => {
                let Some(id) = row.robot_id else { return Ok(Attempt::Give("消息没有指明群机器人".into())) };
                if let std::collections::hash_map::Entry::Vacant(e) = robots.entry(id) {
                    #[allow(
                        clippy::disallowed_methods,
                        reason = "the delivery worker posts to the robot its row names"
                    )]
                    let all = Scope::All(honglian_store::Unscoped::system());
                    e.insert(outbox::robot(&app.db, &all, id).await.map_err(|e| e.to_string())?);
                }
                match robots.get(&id).cloned().flatten() {
                    None => Ok(Attempt::Give("群机器人不存在".into())),
                    Some(r) if !r.enabled => Ok(Attempt::Give("群机器人已停用".into())),
                    Some(r) => post_robot(app, client, &r, row, text).await,
                }
            }
        }
    }
}

async fn smtp_transport(
    cfg: &SmtpConfig,
) -> AppResult<(lettre::AsyncSmtpTransport<lettre::Tokio1Executor>, lettre::message::Mailbox)> {
    use lettre::transport::smtp::authentication::Credentials;
    use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
    let bad = |what: &str, e: &dyn std::fmt::Display| {
        AppError::Internal(anyhow::anyhow!("邮件服务器配置有误（{what}）：{e}"))
    };
    let mut params = TlsParameters::builder(cfg.host.clone());
    if let Some(ca) = &cfg.ca_file {
        let pem = tokio::fs::read(ca).await.map_err(|e| bad("ca_file", &e))?;
        params = params.add_root_certificate(Certificate::from_pem(&pem).map_err(|e| bad("ca_file", &e))?);
    }
    let params = params.build_rustls().map_err(|e| bad("tls", &e))?;
    let (tls, port) = match cfg.tls.as_str() {
        "tls" => (Tls::Wrapper(params), 465),
        "starttls" => (Tls::Required(params), 587),
        "none" => (Tls::None, 25),
        other => return Err(bad("tls", &format!("{other} 不是 tls、starttls 或 none"))),
    };
    let mut b = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::builder_dangerous(&cfg.host)
        .port(cfg.port.unwrap_or(port))
        .tls(tls)
        .timeout(Some(SEND_TIMEOUT));
    if let (Some(u), Some(p)) = (&cfg.username, &cfg.password) {
        b = b.credentials(Credentials::new(u.clone(), p.expose().to_string()));
    }
    let from = cfg.from.parse().map_err(|e| bad("from", &e))?;
    Ok((b.build(), from))
}

async fn send_email(
    app: &App,
    transport: &lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    from: &lettre::message::Mailbox,
    row: &OutboxRow,
) -> Result<Attempt, String> {
    use lettre::AsyncTransport;
    let Some(uid) = row.user_id else { return Ok(Attempt::Give("消息没有指明收件人".into())) };
    if users::get(&app.db, uid).await.map_err(|e| e.to_string())?.is_none_or(|u| u.disabled) {
        return Ok(Attempt::Give("收件人的账号已停用".into()));
    }
    let Some(pref) = outbox::pref(&app.db, uid).await.map_err(|e| e.to_string())? else {
        return Ok(Attempt::Give("收件人没有设置电子邮箱".into()));
    };
    if !pref.email_on {
        return Ok(Attempt::Give("收件人已关闭邮件通知".into()));
    }
    if let Some(q) = App::quiet_of(&pref) {
        let at = q.next_allowed(Utc::now());
        if at > Utc::now() {
            return Ok(Attempt::Wait(at));
        }
    }
    let (t, f, o) = email_aad(uid);
    let Some(to) = app.open_text(t, f, o, pref.email_enc.as_deref()).map_err(|e| e.to_string())? else {
        return Ok(Attempt::Give("收件人没有设置电子邮箱".into()));
    };
    let Ok(to) = to.parse::<lettre::message::Mailbox>() else {
        return Ok(Attempt::Give("收件人的电子邮箱无效".into()));
    };
    let mut text = row.body.clone();
    if let (Some(base), Some(link)) = (&app.config.notify.public_url, &row.link) {
        text.push_str(&format!("\n\n{}{link}", base.trim_end_matches('/')));
    }
    text.push_str("\n\n—— 红链（本邮件由系统发送，请勿直接回复；可在“我的—消息设置”中关闭）");
    let msg = lettre::Message::builder()
        .from(from.clone())
        .to(to)
        .subject(row.title.clone())
        .header(lettre::message::header::ContentType::TEXT_PLAIN)
        .body(text)
        .map_err(|e| format!("邮件无法生成：{e}"))?;
    // Only the reply code is kept: a mail server's reply text may quote the recipient's address.
    let code = |e: &lettre::transport::smtp::Error| e.status().map(|c| format!("（{c}）")).unwrap_or_default();
    match transport.send(msg).await {
        Ok(_) => Ok(Attempt::Sent),
        Err(e) if e.is_permanent() => Ok(Attempt::Give(format!("邮件服务器拒收{}", code(&e)))),
        Err(e) if e.is_transient() => Ok(Attempt::Failed(format!("邮件服务器暂不接收{}", code(&e)))),
        Err(_) => Ok(Attempt::Down("无法连接邮件服务器".into())),
    }
}

/// DingTalk's signature of a robot request: base64(HMAC-SHA256(secret, "{timestamp}\n{secret}")),
/// the timestamp in milliseconds, sent as `&timestamp=…&sign=…` (URL-encoded).
pub fn dingtalk_sign(secret: &str, timestamp_ms: i64) -> String {
    use base64::Engine;
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(format!("{timestamp_ms}\n{secret}").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

async fn post_robot(
    app: &App,
    client: &reqwest::Client,
    r: &Robot,
    row: &OutboxRow,
    text: Option<String>,
) -> Result<Attempt, String> {
    let n = &app.config.notify;
    if !n.webhooks {
        return Ok(Attempt::Give("本系统未开启群机器人推送".into()));
    }
    if !n.webhook_hosts.iter().any(|h| h.eq_ignore_ascii_case(&r.host)) {
        return Ok(Attempt::Give(format!("{} 不在允许的地址之列", r.host)));
    }
    let kind = RobotKind::from_code(&r.kind).unwrap_or(RobotKind::Wecom);
    // Each robot takes 20 messages a minute: beyond that the message waits, without counting a try.
    let now = Utc::now();
    if outbox::robot_sent_since(&app.db, r.id, now - Duration::seconds(60)).await.map_err(|e| e.to_string())?
        >= ROBOT_PER_MINUTE
    {
        return Ok(Attempt::Wait(now + Duration::seconds(60)));
    }
    let url =
        app.open_text("robots", "url", r.org_id, Some(&r.url_enc)).map_err(|e| e.to_string())?.unwrap_or_default();
    let mut url = reqwest::Url::parse(&url).map_err(|_| "Webhook 地址无效".to_string())?;
    if let Some(secret) =
        app.open_text("robots", "secret", r.org_id, r.secret_enc.as_deref()).map_err(|e| e.to_string())?
    {
        let ts = now.timestamp_millis();
        url.query_pairs_mut()
            .append_pair("timestamp", &ts.to_string())
            .append_pair("sign", &dingtalk_sign(&secret, ts));
    }
    let text = text.unwrap_or_else(|| notify::robot_text(&row.title, &row.body));
    let body = serde_json::json!({"msgtype": "text", "text": {"content": text}});
    let resp = match client.post(url).json(&body).send().await {
        Ok(r) => r,
        // Never the URL in the message: it carries the robot's key.
        Err(e) if e.is_timeout() => return Ok(Attempt::Down("群机器人接口超时".into())),
        Err(_) => return Ok(Attempt::Down("无法连接群机器人接口".into())),
    };
    let status = resp.status();
    if !status.is_success() {
        return Ok(Attempt::Failed(format!("群机器人接口返回 HTTP {}", status.as_u16())));
    }
    let answer: serde_json::Value = resp.json().await.unwrap_or_default();
    let code = answer.get("errcode").and_then(serde_json::Value::as_i64).unwrap_or(-1);
    let msg =
        answer.get("errmsg").and_then(serde_json::Value::as_str).unwrap_or("").chars().take(100).collect::<String>();
    Ok(match code {
        0 => Attempt::Sent,
        c if c == kind.rate_limited_code() => Attempt::Wait(Utc::now() + Duration::seconds(60)),
        c => Attempt::Failed(format!("群机器人拒收（{c} {msg}）")),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn dingtalk_signature() {
        // Independent check: HMAC-SHA256 of "1700000000000\nSEC000" under the key "SEC000", base64.
        // (computed with Python's hmac and hashlib).
        assert_eq!(super::dingtalk_sign("SEC000", 1_700_000_000_000), "ltBBey5eZrWKh1cPzFIdz3v3xpkc4Tjx4lLsPSHqdtA=");
    }
}
