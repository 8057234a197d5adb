//! The in-app notifications list and the duty reminders that fill it.

use chrono::Datelike;
use honglian_domain::org_life::duty::{Light, RECENT_RED_DAYS, is_recent_red, reminder_years};
use honglian_domain::{PageNo, PerPage};
use honglian_store::Scope;
use honglian_store::repo::platform::notifications::{self, NewNotification};
use honglian_store::repo::{Page, PageReq, platform::users};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{App, AppResult, Ctx};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NotificationView {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub read: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NotificationList {
    pub items: Vec<NotificationView>,
    pub total: u64,
    pub unread: u64,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    #[serde(default)]
    pub unread: bool,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

impl App {
    pub async fn notifications(&self, ctx: &Ctx, q: NotificationQuery) -> AppResult<NotificationList> {
        let uid = ctx.actor()?.user_id;
        let (page, unread): (Page<_>, u64) = notifications::list(
            &self.db,
            uid,
            q.unread,
            PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into)),
        )
        .await?;
        Ok(NotificationList {
            total: page.total,
            unread,
            items: page
                .items
                .into_iter()
                .map(|n| NotificationView {
                    id: n.id,
                    kind: n.kind,
                    title: n.title,
                    body: n.body,
                    link: n.link,
                    read: n.read_at.is_some(),
                    created_at: n.created_at,
                })
                .collect(),
        })
    }

    /// Marks one notification (or all, with None) of the caller read.
    pub async fn notifications_read(&self, ctx: &Ctx, id: Option<i64>) -> AppResult<u64> {
        Ok(notifications::mark_read(&self.db, ctx.actor()?.user_id, id).await?)
    }

    /// Reminds each organisation's admins of duties turning yellow or gone red within the last
    /// [`RECENT_RED_DAYS`] days, and gives each county admin a daily roll-up that says what it
    /// counts and how many red lights the board shows this year. Every year whose lights may still
    /// be news is evaluated ([`reminder_years`]): on 1 January last December's, fourth quarter's,
    /// year's and week 53's duties still get their notice. Idempotent: a reminder exists once per
    /// (user, organisation, duty, period, light), so every instance may run it.
    pub async fn generate_reminders(&self) -> AppResult<u64> {
        let today = crate::today();
        let mut notes = Vec::new();
        let mut per_county: std::collections::HashMap<(i64, String), (u32, u32, u32)> =
            std::collections::HashMap::new();
        for year in reminder_years(today) {
            self.remind_year(year, today, &mut notes, &mut per_county).await?;
        }
        for ((uid, root), (red, yellow, board_red)) in per_county {
            notes.push(NewNotification {
                user_id: uid,
                kind: "duty_rollup".into(),
                title: "组织生活提醒（汇总）".into(),
                body: format!(
                    "辖区内近 {RECENT_RED_DAYS} 天内到期未完成 {red} 项、即将到期 {yellow} 项，请督促落实。\
                     考核看板上本年度共有 {board_red} 项红灯（含更早逾期的）。"
                ),
                link: Some("/duties/board".into()),
                dedupe_key: format!("duty-rollup:{root}:{today}"),
            });
        }
        Ok(notifications::insert_new(&self.db, notes).await?)
    }

    /// The reminders of one year's evaluation; roll-up counts are (recent red, yellow, red this year).
    async fn remind_year(
        &self,
        year: i32,
        today: chrono::NaiveDate,
        notes: &mut Vec<NewNotification>,
        per_county: &mut std::collections::HashMap<(i64, String), (u32, u32, u32)>,
    ) -> AppResult<()> {
        // The hourly reminders (a background job) evaluate every organisation of the deployment.
        #[allow(clippy::disallowed_methods, reason = "the reminder job covers the whole deployment")]
        let everything = Scope::All(honglian_store::Unscoped::system());
        let ev = self.evaluate_uncached(&everything, year).await?;
        let admins = users::with_role(&self.db, "org_admin").await?;
        let counties = users::with_role(&self.db, "county_admin").await?;
        // Organisation administrators by the root of their grant.
        let mut admins_of: std::collections::HashMap<&str, Vec<i64>> = std::collections::HashMap::new();
        for (uid, root) in &admins {
            if let Some(root) = root {
                admins_of.entry(root.as_str()).or_default().push(*uid);
            }
        }
        for crate::org_life::duties::OrgDuties { id: org_id, path, name: org_name, results, .. } in &ev.orgs {
            let org_admins = admins_of.get(path.as_str()).map(Vec::as_slice).unwrap_or_default();
            for o @ crate::org_life::duties::Outcome { period, light, .. } in results {
                let rule = ev.rule(o);
                let label = |_: &str| match ev.label(o) {
                    "" => rule.to_string(),
                    l => l.to_string(),
                };
                // The board's red lights of this year, for the roll-up to quote.
                if *light == Light::Red && year == today.year() {
                    for (uid, root) in &counties {
                        if let Some(root) = root
                            && path.starts_with(root.as_str())
                        {
                            per_county.entry((*uid, root.clone())).or_default().2 += 1;
                        }
                    }
                }
                // Yellow now, or red for a period that ended recently.
                let recent_red = *light == Light::Red && is_recent_red(period.end(), today);
                if !(*light == Light::Yellow || recent_red) {
                    continue;
                }
                for uid in org_admins {
                    let (title, body) = if *light == Light::Yellow {
                        (
                            format!("{}即将到期", label(rule)),
                            format!(
                                "{org_name}的{}（{}）将于 {} 到期，尚未完成。",
                                label(rule),
                                period.label(),
                                period.end()
                            ),
                        )
                    } else {
                        (
                            format!("{}已逾期", label(rule)),
                            format!(
                                "{org_name}的{}（{}）已于 {} 到期，尚未完成。",
                                label(rule),
                                period.label(),
                                period.end()
                            ),
                        )
                    };
                    notes.push(NewNotification {
                        user_id: *uid,
                        kind: "duty".into(),
                        title,
                        body,
                        link: Some(format!("/duties?org={org_id}")),
                        dedupe_key: format!("duty:{org_id}:{rule}:{}:{}", period.label(), light.code()),
                    });
                }
                for (uid, root) in &counties {
                    if let Some(root) = root
                        && path.starts_with(root.as_str())
                    {
                        let e = per_county.entry((*uid, root.clone())).or_default();
                        if *light == Light::Red {
                            e.0 += 1;
                        } else {
                            e.1 += 1;
                        }
                    }
                }
            }
        }
        Ok(())
    }
}
