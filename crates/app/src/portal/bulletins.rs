//! Bulletins (通知公告): a county admin or an org admin (`bulletin.write`) publishes a notice or an
//! activity notice for an organisation of their subtree, with attachments; it reaches the member
//! accounts filed in that organisation's subtree and, if it says so, the outflow members received
//! there. The console lists the bulletins of the caller's subtree with read counts ("已读 N / 应读 M":
//! counts only, never who has not read, never a ranking); a withdrawn bulletin stays there, marked.
//!
//! On the phone a member reads the bulletins of their own organisation and every ancestor, and those
//! of the organisation receiving them (and its ancestors) that include outflow members; opening one
//! marks it read. Reading is never required and nothing is counted against anyone.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use honglian_domain::platform::authz::Permission;
use honglian_domain::platform::notify;
use honglian_domain::portal::bulletin::{self, BulletinKind, MAX_FILES, ancestor_paths};
use honglian_domain::{PageNo, PerPage, RecordId};
use honglian_store::Scope;
use honglian_store::repo::PageReq;
use honglian_store::repo::members::mobility;
use honglian_store::repo::organisations::orgs;
use honglian_store::repo::platform::outbox::{self, Message};
use honglian_store::repo::portal::bulletins::{self, Bulletin, BulletinFields, BulletinFilter, MemberReach};
use honglian_store::repo::services::files;
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::org_life::activities::{AttachmentView, OrgName};
use crate::platform::audit::Event;
use crate::services::requests::attachment_view;
use crate::{App, AppError, AppResult, Ctx};

/// What the console reads: the bulletin, its attachments and its read counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BulletinView {
    pub id: i64,
    /// The writing organisation: the bulletin reaches its subtree.
    pub org: OrgName,
    pub kind: BulletinKind,
    pub kind_label: String,
    pub title: String,
    pub body: String,
    /// Also reaches the outflow members received by an organisation of the subtree.
    pub include_outflow: bool,
    pub author_name: String,
    pub published_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Withdrawn (已撤回): members no longer see it.
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// Member accounts it reaches now (应读).
    pub reached: u64,
    /// Of those, how many have opened it (已读). A count, never a list of names; none while it reaches
    /// fewer than three (a count of one or two would say who).
    pub read: Option<u64>,
    pub attachments: Vec<AttachmentView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BulletinPage {
    pub items: Vec<BulletinView>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct BulletinInput {
    /// The writing organisation (in the caller's subtree): the bulletin reaches its subtree.
    #[schema(value_type = honglian_domain::RecordId)]
    pub org_id: i64,
    pub kind: BulletinKind,
    /// At most 100 characters, one line.
    pub title: String,
    /// Plain text, at most 5,000 characters.
    pub body: String,
    /// Also send it to the outflow members that an organisation of the subtree receives.
    #[serde(default)]
    pub include_outflow: bool,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BulletinQuery {
    /// Bulletins of this organisation's subtree.
    pub org: Option<RecordId>,
    #[param(inline)]
    pub kind: Option<BulletinKind>,
    /// Only withdrawn ones (true) or only those still published (false).
    pub withdrawn: Option<bool>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

/// A bulletin as a member's list shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyBulletin {
    pub id: i64,
    /// Who wrote it: the member's branch, town, county, or the organisation receiving them.
    pub org_name: String,
    pub kind: BulletinKind,
    pub kind_label: String,
    pub title: String,
    /// The first characters of the body.
    pub excerpt: String,
    pub published_at: DateTime<Utc>,
    /// The member has opened it.
    pub read: bool,
    pub attachments: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyBulletinPage {
    pub items: Vec<MyBulletin>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// How many of all the bulletins that reach the member they have not opened.
    pub unread: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyBulletinDetail {
    pub bulletin: MyBulletin,
    pub body: String,
    pub attachments: Vec<AttachmentView>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MyBulletinQuery {
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

const EXCERPT_CHARS: usize = 60;

/// The outbox source of a bulletin's announcements.
fn bulletin_source(id: i64) -> String {
    format!("bulletin:{id}")
}

fn kind_of(b: &Bulletin) -> BulletinKind {
    BulletinKind::from_code(&b.kind).unwrap_or(BulletinKind::Notice)
}

fn excerpt(body: &str) -> String {
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = flat.chars().take(EXCERPT_CHARS).collect();
    if flat.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

impl App {
    /// The console's scope over bulletins.
    fn bulletin_scope(&self, ctx: &Ctx) -> AppResult<Scope> {
        ctx.actor()?.scope(Permission::BulletinWrite)
    }

    async fn bulletin_views(&self, list: Vec<Bulletin>) -> AppResult<Vec<BulletinView>> {
        let names = self.org_names(&list.iter().map(|b| b.org_id).collect::<Vec<_>>()).await?;
        let mut out = Vec::with_capacity(list.len());
        for b in list {
            let (reached, read) = bulletins::reach_counts(&self.db, &b).await?;
            let attachments = files::list(&self.db, (&b).into()).await?.into_iter().map(attachment_view).collect();
            let kind = kind_of(&b);
            out.push(BulletinView {
                org: OrgName { id: b.org_id, name: names.get(&b.org_id).cloned().unwrap_or_default() },
                kind_label: kind.label().into(),
                kind,
                reached,
                read: (reached >= notify::READS_COUNTED_FROM).then_some(read),
                attachments,
                id: b.id,
                title: b.title,
                body: b.body,
                include_outflow: b.include_outflow,
                author_name: b.author_name,
                published_at: b.published_at,
                updated_at: b.updated_at,
                withdrawn_at: b.withdrawn_at,
            });
        }
        Ok(out)
    }

    /// The bulletins of organisations in the caller's subtree, the newest first, with read counts.
    pub async fn bulletin_list(&self, ctx: &Ctx, q: BulletinQuery) -> AppResult<BulletinPage> {
        let mut scope = self.bulletin_scope(ctx)?;
        if let Some(org) = q.org {
            scope = Scope::Paths(vec![self.org_in(&self.db, &scope, org.get()).await?.path]);
        }
        let f = BulletinFilter { kind: q.kind.map(|k| k.code().to_string()), withdrawn: q.withdrawn };
        let page = PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into));
        let found = bulletins::list(&self.db, &scope, &f, page).await?;
        Ok(BulletinPage {
            items: self.bulletin_views(found.items).await?,
            total: found.total,
            page: page.page,
            per_page: page.per_page,
        })
    }

    async fn bulletin_in(&self, db: &impl ConnectionTrait, ctx: &Ctx, id: i64) -> AppResult<Bulletin> {
        let scope = self.bulletin_scope(ctx)?;
        bulletins::get(db, &scope, id).await?.ok_or_else(|| AppError::not_found("通知公告"))
    }

    /// One bulletin of the caller's subtree (withdrawn or not).
    pub async fn bulletin_get(&self, ctx: &Ctx, id: i64) -> AppResult<BulletinView> {
        let b = self.bulletin_in(&self.db, ctx, id).await?;
        Ok(self.bulletin_views(vec![b]).await?.remove(0))
    }

    /// The fields of a bulletin, checked: the organisation in the caller's subtree (else not found),
    /// the title and the body.
    async fn bulletin_fields(&self, ctx: &Ctx, input: &BulletinInput) -> AppResult<BulletinFields> {
        let scope = self.bulletin_scope(ctx)?;
        let org = self.org_in(&self.db, &scope, input.org_id).await?;
        let (title, body) = bulletin::check_text(&input.title, &input.body)?;
        if let Some(what) = notify::personal_data_in(&title) {
            return Err(AppError::field("title", format!("标题会推送到邮件和工作群，不能含{what}")));
        }
        Ok(BulletinFields {
            org_id: org.id,
            org_path: org.path,
            kind: input.kind.code().into(),
            title,
            body,
            include_outflow: input.include_outflow,
        })
    }

    /// Publishes a bulletin for an organisation of the caller's subtree.
    pub async fn bulletin_create(&self, ctx: &Ctx, input: BulletinInput) -> AppResult<BulletinView> {
        let actor = ctx.actor()?;
        let f = self.bulletin_fields(ctx, &input).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let now = Utc::now();
        let b = bulletins::insert(&txn, f, (Some(actor.user_id), &actor.display_name), now).await?;
        let queued = self.bulletin_send(&txn, &b, now).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("bulletin.create", "bulletin", b.id).with(
                serde_json::json!({"org_id": b.org_id, "kind": b.kind, "include_outflow": b.include_outflow, "queued": queued}),
            ),
        )
        .await?;
        txn.commit().await?;
        self.bulletin_get(ctx, b.id).await
    }

    /// Announces a new bulletin beyond the phone's list: by email to the accounts it reaches that have
    /// switched email on, and to the group robots of its subtree (when robots are on). The message
    /// names the bulletin and where to read it; the body stays in the portal (it may hold a phone
    /// number to call). Returns the messages queued.
    async fn bulletin_send(&self, db: &impl ConnectionTrait, b: &Bulletin, now: DateTime<Utc>) -> AppResult<u64> {
        let org = orgs::name_of(db, b.org_id).await?;
        let msg = Message {
            org_path: b.org_path.clone(),
            source: bulletin_source(b.id),
            kind: "bulletin".into(),
            title: b.title.clone(),
            body: format!("{org}发布了{}，请登录红链指尖党建，在“通知”中查看全文和附件。", kind_of(b).label()),
            link: Some(format!("/m/bulletins/{}", b.id)),
        };
        let mut values = Vec::new();
        let from = bulletins::reached_accounts(b, &mut values);
        let mut queued = outbox::enqueue_email_to(db, (&from, values), &msg, now).await?;
        if self.config.notify.webhooks {
            queued += outbox::enqueue_to_robots(db, &b.org_path, &msg, now).await?;
        }
        Ok(queued)
    }

    /// Corrects a bulletin still published (it may move to another organisation of the subtree);
    /// who has read it stays read.
    pub async fn bulletin_update(&self, ctx: &Ctx, id: i64, input: BulletinInput) -> AppResult<BulletinView> {
        self.bulletin_in(&self.db, ctx, id).await?;
        let f = self.bulletin_fields(ctx, &input).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let current = self.bulletin_in(&txn, ctx, id).await?;
        if current.withdrawn_at.is_some() {
            return Err(AppError::conflict("通知公告已撤回，不能再修改"));
        }
        let b = bulletins::update(&txn, current, f).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("bulletin.update", "bulletin", b.id)
                .with(serde_json::json!({"org_id": b.org_id, "kind": b.kind, "include_outflow": b.include_outflow})),
        )
        .await?;
        txn.commit().await?;
        self.bulletin_get(ctx, b.id).await
    }

    /// Withdraws a bulletin: it leaves the members' phones and stays in the console as 已撤回.
    pub async fn bulletin_withdraw(&self, ctx: &Ctx, id: i64) -> AppResult<BulletinView> {
        let txn = honglian_store::begin_write(&self.db).await?;
        let b = self.bulletin_in(&txn, ctx, id).await?;
        if b.withdrawn_at.is_some() {
            return Err(AppError::conflict("通知公告已撤回"));
        }
        let b = bulletins::withdraw(&txn, b, ctx.actor_id()).await?;
        // Its announcements still waiting (a robot's per-minute limit, quiet hours) do not go out.
        outbox::cancel_source(&txn, &bulletin_source(b.id), "通知公告已撤回", Utc::now()).await?;
        self.audit(&txn, ctx, Event::ok("bulletin.withdraw", "bulletin", b.id)).await?;
        txn.commit().await?;
        self.bulletin_get(ctx, id).await
    }

    /// Adds a document or photo to a bulletin still published.
    pub async fn bulletin_file_add(
        &self,
        ctx: &Ctx,
        id: i64,
        filename: &str,
        bytes: &[u8],
    ) -> AppResult<AttachmentView> {
        let actor = ctx.actor()?;
        let open_for_files = |b: &Bulletin, count: usize| {
            if b.withdrawn_at.is_some() {
                Err(AppError::field("file", "通知公告已撤回，不能再上传附件"))
            } else if count >= MAX_FILES {
                Err(AppError::field("file", format!("每条通知公告最多 {MAX_FILES} 个附件")))
            } else {
                Ok(())
            }
        };
        let b = self.bulletin_in(&self.db, ctx, id).await?;
        open_for_files(&b, files::list(&self.db, (&b).into()).await?.len())?;
        let f = self.store_file(&format!("bulletins/{}", b.id), filename, bytes).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        // Again inside the write: a withdrawal or another upload may have come meanwhile.
        let b = self.bulletin_in(&txn, ctx, id).await?;
        if let Err(e) = open_for_files(&b, files::list(&txn, (&b).into()).await?.len()) {
            drop(txn);
            self.remove_stored_file(&f.key).await;
            return Err(e);
        }
        let saved = files::insert(&txn, (&b).into(), crate::services::new_file(f, actor)).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("bulletin.attachment", "bulletin", b.id)
                .with(serde_json::json!({"file_id": saved.id, "size": saved.size})),
        )
        .await?;
        txn.commit().await?;
        Ok(attachment_view(saved))
    }

    /// An attachment of a bulletin of the caller's subtree.
    pub async fn bulletin_file_get(&self, ctx: &Ctx, id: i64, file_id: i64) -> AppResult<(AttachmentView, Vec<u8>)> {
        let b = self.bulletin_in(&self.db, ctx, id).await?;
        let f = files::get(&self.db, (&b).into(), file_id).await?.ok_or_else(|| AppError::not_found("附件"))?;
        let bytes = self.read_file(&f.key).await?;
        Ok((attachment_view(f), bytes))
    }

    /// Removes an attachment of a bulletin of the caller's subtree, and its file once the removal is
    /// committed. One already removed (a second click) is no error.
    pub async fn bulletin_file_remove(&self, ctx: &Ctx, id: i64, file_id: i64) -> AppResult<BulletinView> {
        let txn = honglian_store::begin_write(&self.db).await?;
        let b = self.bulletin_in(&txn, ctx, id).await?;
        let Some(f) = files::get(&txn, (&b).into(), file_id).await? else {
            drop(txn);
            return self.bulletin_get(ctx, id).await;
        };
        let key = f.key.clone();
        files::delete(&txn, f).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("bulletin.attachment_remove", "bulletin", b.id).with(serde_json::json!({"file_id": file_id})),
        )
        .await?;
        txn.commit().await?;
        self.remove_stored_file(&key).await;
        self.bulletin_get(ctx, id).await
    }

    /// Where the signed-in member's bulletins come from: their own organisation and its ancestors
    /// and, while away, the organisation receiving them and its ancestors (bulletins that include
    /// outflow members). A member account of a member not in good standing is reached by none.
    async fn member_reach(&self, ctx: &Ctx) -> AppResult<(i64, MemberReach)> {
        let actor = ctx.actor()?;
        if actor.member_id.is_none() || !actor.has(Permission::MemberSelf) {
            return Err(AppError::Forbidden("只有关联了党员档案的党员账号可以查看通知公告".into()));
        }
        let m = self.own_member(&self.db, ctx).await?;
        if m.status != "normal" {
            return Ok((actor.user_id, MemberReach::default()));
        }
        let mut reach = MemberReach { own: ancestor_paths(&m.org_path), received: Vec::new() };
        if let Some(r) = mobility::open_outflow(&self.db, m.id).await?
            && let Some(ro) = r.receiving_org_id
        {
            #[allow(clippy::disallowed_methods, reason = "the organisation receiving the caller's own open outflow")]
            let own_outflow = Scope::All(honglian_store::Unscoped::system());
            if let Some(o) = orgs::get(&self.db, &own_outflow, ro).await? {
                reach.received = ancestor_paths(&o.path);
            }
        }
        Ok((actor.user_id, reach))
    }

    async fn my_bulletin_views(&self, user_id: i64, list: &[Bulletin]) -> AppResult<Vec<MyBulletin>> {
        let ids: Vec<i64> = list.iter().map(|b| b.id).collect();
        let read = bulletins::read_among(&self.db, user_id, &ids).await?;
        let names = self.org_names(&list.iter().map(|b| b.org_id).collect::<Vec<_>>()).await?;
        let mut counts: HashMap<i64, u64> = HashMap::new();
        for b in list {
            counts.insert(b.id, files::list(&self.db, b.into()).await?.len() as u64);
        }
        Ok(list
            .iter()
            .map(|b| {
                let kind = kind_of(b);
                MyBulletin {
                    id: b.id,
                    org_name: names.get(&b.org_id).cloned().unwrap_or_default(),
                    kind_label: kind.label().into(),
                    kind,
                    title: b.title.clone(),
                    excerpt: excerpt(&b.body),
                    published_at: b.published_at,
                    read: read.contains(&b.id),
                    attachments: counts.get(&b.id).copied().unwrap_or(0),
                }
            })
            .collect())
    }

    /// The bulletins that reach the signed-in member, the newest first, each with whether they have
    /// opened it.
    pub async fn my_bulletins(&self, ctx: &Ctx, q: MyBulletinQuery) -> AppResult<MyBulletinPage> {
        let (user_id, reach) = self.member_reach(ctx).await?;
        let page = PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into));
        let found = bulletins::list_reached(&self.db, &reach, page).await?;
        Ok(MyBulletinPage {
            items: self.my_bulletin_views(user_id, &found.items).await?,
            total: found.total,
            page: page.page,
            per_page: page.per_page,
            unread: bulletins::unread_count(&self.db, &reach, user_id).await?,
        })
    }

    /// One bulletin that reaches the signed-in member; opening it marks it read.
    pub async fn my_bulletin(&self, ctx: &Ctx, id: i64) -> AppResult<MyBulletinDetail> {
        let (user_id, reach) = self.member_reach(ctx).await?;
        let b = bulletins::get_reached(&self.db, &reach, id).await?.ok_or_else(|| AppError::not_found("通知公告"))?;
        let already = bulletins::read_among(&self.db, user_id, &[b.id]).await?;
        if already.is_empty() {
            // A read is a plain fact the member causes by opening it; it is counted, not audited.
            let txn = honglian_store::begin_write(&self.db).await?;
            bulletins::mark_read(&txn, &b, user_id, Utc::now()).await?;
            txn.commit().await?;
        }
        let attachments = files::list(&self.db, (&b).into()).await?.into_iter().map(attachment_view).collect();
        let mut item = self.my_bulletin_views(user_id, std::slice::from_ref(&b)).await?.remove(0);
        item.read = true;
        Ok(MyBulletinDetail { bulletin: item, body: b.body, attachments })
    }

    /// An attachment of a bulletin that reaches the signed-in member.
    pub async fn my_bulletin_file(&self, ctx: &Ctx, id: i64, file_id: i64) -> AppResult<(AttachmentView, Vec<u8>)> {
        let (_, reach) = self.member_reach(ctx).await?;
        let b = bulletins::get_reached(&self.db, &reach, id).await?.ok_or_else(|| AppError::not_found("通知公告"))?;
        let f = files::get(&self.db, (&b).into(), file_id).await?.ok_or_else(|| AppError::not_found("附件"))?;
        let bytes = self.read_file(&f.key).await?;
        Ok((attachment_view(f), bytes))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn excerpts_are_one_line_and_short() {
        assert_eq!(super::excerpt("第一行\n第二行"), "第一行 第二行");
        let long = "字".repeat(100);
        let e = super::excerpt(&long);
        assert_eq!(e.chars().count(), super::EXCERPT_CHARS + 1);
        assert!(e.ends_with('…'));
    }
}
