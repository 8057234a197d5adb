//! Holiday greetings (节日问候): a county or a branch writes one greeting for the open outflows of
//! its subtree (members filed there who are away, and members received there), and it goes out
//! through each member's channels: in-app for every member with an account, email where they have
//! switched it on (after their quiet hours), and once to each group robot of the subtree. The
//! console sees delivered and read figures (counts, never names); each in-app delivery is written in
//! the member's contact log as a greeting.

use chrono::{DateTime, Utc};
use honglian_domain::platform::authz::Permission;
use honglian_domain::platform::notify::{self, Channel};
use honglian_domain::validation::required_text;
use honglian_domain::{PageNo, PerPage, RecordId};
use honglian_store::repo::PageReq;
use honglian_store::repo::platform::outbox::{self, Message};
use honglian_store::repo::portal::greetings::{self, Greeting, NewGreeting};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::org_life::activities::OrgName;
use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

/// How the messages of one channel stand.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct ChannelFigures {
    pub queued: u64,
    pub sent: u64,
    /// Given up after every retry (the administrators' view says why).
    pub dead: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GreetingView {
    pub id: i64,
    pub org: OrgName,
    pub occasion: String,
    pub title: String,
    pub body: String,
    pub author_name: String,
    pub created_at: DateTime<Utc>,
    /// Open outflows it was for.
    pub targeted: u64,
    /// Of those, members without an account (reached by no channel: the branch calls them).
    pub no_account: u64,
    pub in_app: ChannelFigures,
    pub email: ChannelFigures,
    pub robots: ChannelFigures,
    /// In-app greetings opened (a count, never who); none while fewer than 3 were delivered (a count
    /// of one or two would say who).
    pub read: Option<u64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GreetingPage {
    pub items: Vec<GreetingView>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct GreetingInput {
    /// The sending organisation (in the caller's subtree): its open outflows are greeted.
    #[schema(value_type = honglian_domain::RecordId)]
    pub org_id: i64,
    /// 春节, 中秋节, 七一 …: at most 20 characters.
    pub occasion: String,
    /// One line, at most 50 characters.
    pub title: String,
    /// At most 1,000 characters; no ID or phone numbers (it leaves the system).
    pub body: String,
}

/// Whom a greeting from an organisation would reach.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GreetingReach {
    pub targeted: u64,
    pub with_account: u64,
    /// Group robots of the subtree it would also post to.
    pub robots: u64,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GreetingQuery {
    /// Greetings of this organisation's subtree.
    pub org: Option<RecordId>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GreetingReachQuery {
    pub org: RecordId,
}

fn source(id: i64) -> String {
    format!("greeting:{id}")
}

impl App {
    fn greeting_scope(&self, ctx: &Ctx) -> AppResult<honglian_store::Scope> {
        ctx.actor()?.scope(Permission::GreetingSend)
    }

    async fn greeting_views(&self, list: Vec<Greeting>) -> AppResult<Vec<GreetingView>> {
        let names = self.org_names(&list.iter().map(|g| g.org_id).collect::<Vec<_>>()).await?;
        let mut out = Vec::with_capacity(list.len());
        for g in list {
            let src = source(g.id);
            let (mut in_app, mut email, mut robots) = Default::default();
            for (channel, status, n) in outbox::source_counts(&self.db, &src).await? {
                let f: &mut ChannelFigures = match Channel::from_code(&channel) {
                    Some(Channel::InApp) => &mut in_app,
                    Some(Channel::Email) => &mut email,
                    _ => &mut robots,
                };
                match status.as_str() {
                    "sent" => f.sent += n,
                    "dead" => f.dead += n,
                    _ => f.queued += n,
                }
            }
            out.push(GreetingView {
                org: OrgName { id: g.org_id, name: names.get(&g.org_id).cloned().unwrap_or_default() },
                read: if in_app.sent >= notify::READS_COUNTED_FROM {
                    Some(outbox::source_read(&self.db, &src).await?)
                } else {
                    None
                },
                in_app,
                email,
                robots,
                id: g.id,
                occasion: g.occasion,
                title: g.title,
                body: g.body,
                author_name: g.author_name,
                created_at: g.created_at,
                targeted: g.targeted.max(0) as u64,
                no_account: g.no_account.max(0) as u64,
            });
        }
        Ok(out)
    }

    /// The greetings sent by organisations of the caller's subtree, the newest first, with figures.
    pub async fn greeting_list(&self, ctx: &Ctx, q: GreetingQuery) -> AppResult<GreetingPage> {
        let mut scope = self.greeting_scope(ctx)?;
        if let Some(org) = q.org {
            scope = honglian_store::Scope::Paths(vec![self.org_in(&self.db, &scope, org.get()).await?.path]);
        }
        let page = PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into));
        let found = greetings::list(&self.db, &scope, page).await?;
        Ok(GreetingPage {
            items: self.greeting_views(found.items).await?,
            total: found.total,
            page: page.page,
            per_page: page.per_page,
        })
    }

    pub async fn greeting_get(&self, ctx: &Ctx, id: i64) -> AppResult<GreetingView> {
        let scope = self.greeting_scope(ctx)?;
        let g = greetings::get(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("节日问候"))?;
        Ok(self.greeting_views(vec![g]).await?.remove(0))
    }

    /// Whom a greeting from an organisation of the caller's subtree would reach (before sending).
    pub async fn greeting_reach(&self, ctx: &Ctx, org_id: i64) -> AppResult<GreetingReach> {
        let scope = self.greeting_scope(ctx)?;
        let org = self.org_in(&self.db, &scope, org_id).await?;
        let (targeted, with_account) = outbox::open_outflows_count(&self.db, &org.path).await?;
        let robots = if self.config.notify.webhooks {
            outbox::robots(&self.db, &honglian_store::Scope::Paths(vec![org.path]))
                .await?
                .iter()
                .filter(|r| r.enabled)
                .count() as u64
        } else {
            0
        };
        Ok(GreetingReach { targeted, with_account, robots })
    }

    /// Sends a greeting from an organisation of the caller's subtree: one transaction records it and
    /// queues every message; the worker delivers them.
    pub async fn greeting_send(&self, ctx: &Ctx, input: GreetingInput) -> AppResult<GreetingView> {
        let actor = ctx.actor()?;
        let scope = self.greeting_scope(ctx)?;
        let org = self.org_in(&self.db, &scope, input.org_id).await?;
        let occasion = required_text(&input.occasion, "节日", 20).map_err(|m| AppError::field("occasion", m))?;
        let (title, body) = notify::check_message(&input.title, &input.body)?;
        let now = Utc::now();
        let txn = honglian_store::begin_write(&self.db).await?;
        let (targeted, with_account) = outbox::open_outflows_count(&txn, &org.path).await?;
        if targeted == 0 {
            return Err(AppError::field("org_id", format!("{}没有外出党员，无需发送", org.name)));
        }
        let g = greetings::insert(
            &txn,
            NewGreeting {
                org_id: org.id,
                org_path: org.path.clone(),
                occasion,
                title,
                body,
                author_id: Some(actor.user_id),
                author_name: actor.display_name.clone(),
                targeted: i32::try_from(targeted).unwrap_or(i32::MAX),
                no_account: i32::try_from(targeted - with_account).unwrap_or(i32::MAX),
            },
            now,
        )
        .await?;
        let msg = Message {
            org_path: org.path.clone(),
            source: source(g.id),
            kind: "greeting".into(),
            title: g.title.clone(),
            body: g.body.clone(),
            link: Some("/m/bulletins".into()),
        };
        let queued = outbox::enqueue_to_open_outflows(&txn, &org.path, &msg, now, self.config.notify.webhooks).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("greeting.send", "greeting", g.id).with(serde_json::json!({
                "org_id": org.id, "targeted": targeted, "with_account": with_account, "queued": queued
            })),
        )
        .await?;
        txn.commit().await?;
        Ok(self.greeting_views(vec![g]).await?.remove(0))
    }
}
