//! Organisational life: activities of one or several organisations, expected
//! attendees (mobile members received there included), attendance and
//! check-in by code, minutes and attachments, and the no-back-dating rule.

use chrono::{DateTime, Duration, Utc};
use honglian_domain::FieldErrors;
use honglian_domain::org_life::duty::{AWAY_RULE, ActivityKind, away_counts};
use honglian_domain::organisations::committee::CommitteePost;
use honglian_domain::platform::authz::Permission;
use honglian_domain::validation::{optional_text, required_text};
use honglian_domain::{PageNo, PerPage, RecordId};
use honglian_store::Scope;
use honglian_store::repo::org_life::activities::{self, Activity, ActivityActive, ActivityFilter, Attachment};
use honglian_store::repo::platform::notifications::{self, NewNotification};
use honglian_store::repo::{Page, PageReq, members::registry as members, organisations::orgs, platform::users};
use sea_orm::{ActiveValue::NotSet, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

/// Check-in opens this long before the start and closes this long after the end.
pub const CHECKIN_MARGIN_MINUTES: i64 = 30;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrgName {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttachmentView {
    pub id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActivityView {
    pub id: i64,
    pub kind: ActivityKind,
    pub kind_label: String,
    pub topic: String,
    pub start_at: DateTime<Utc>,
    pub end_at: DateTime<Utc>,
    pub place: Option<String>,
    pub online_link: Option<String>,
    pub host: Option<String>,
    pub lecturer: Option<String>,
    pub minutes: Option<String>,
    /// active | pending_approval | rejected | cancelled
    pub status: String,
    pub orgs: Vec<OrgName>,
    /// The year a 组织生活会 or 民主评议 held in January–February is about, when it is the
    /// previous one (it counts for that year's duty); None: the year it was held.
    pub for_year: Option<i32>,
    /// Only for those who manage the activity: members must not see it before the meeting shows it.
    pub checkin_code: Option<String>,
    /// 应到: those expected, away members only once recorded as present or on leave.
    pub expected: i64,
    /// Who is expected at this kind of activity, and the rule for away members, as the page says it.
    pub attendees_note: String,
    pub present: i64,
    pub on_leave: i64,
    pub absent: i64,
    pub attachments: Vec<AttachmentView>,
    /// The pending or last decided approval of a late recording.
    pub approval: Option<ApprovalView>,
    /// In "my activities": my own attendance (present | leave | absent), if recorded.
    pub my_attendance: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApprovalView {
    pub id: i64,
    pub reason: String,
    pub status: String,
    pub decision_note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ActivityInput {
    pub kind: Option<String>,
    pub topic: Option<String>,
    pub start_at: Option<DateTime<Utc>>,
    pub end_at: Option<DateTime<Utc>>,
    pub place: Option<String>,
    pub online_link: Option<String>,
    pub host: Option<String>,
    pub lecturer: Option<String>,
    pub minutes: Option<String>,
    /// One organisation, or several for a joint activity.
    pub org_ids: Option<Vec<i64>>,
    /// Why an activity that ended more than the allowed days ago is recorded now (sent for approval).
    pub late_reason: Option<String>,
    /// For a 组织生活会 or 民主评议 held in January–February: the year it is about (the previous
    /// one, or the year it was held).
    #[schema(minimum = 1, maximum = 9999)]
    pub for_year: Option<i32>,
    /// Save even though the organisation has another activity of the same kind on the same day
    /// (without it, such a save answers 409 naming the other activity under `allow_duplicate`).
    pub allow_duplicate: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityQuery {
    pub org: Option<RecordId>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttendeeView {
    pub member_id: i64,
    pub name: String,
    pub org_name: String,
    /// A mobile member received by one of the activity's organisations.
    pub received: bool,
    /// Where a member on an open outflow is: away members are not counted in 应到 unless recorded
    /// as present or on leave, and a bulk "present" leaves them out.
    pub away: Option<String>,
    /// The committee post they are expected for (书记, 委员 …), at a 支委会 or a community's meeting.
    pub post_label: Option<String>,
    /// present | leave | absent, or None while not recorded.
    pub status: Option<String>,
    pub reason: Option<String>,
    pub via: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AttendanceInput {
    #[schema(value_type = honglian_domain::RecordId)]
    pub member_id: i64,
    /// present | leave | absent
    pub status: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberActivity {
    pub activity_id: i64,
    pub kind_label: String,
    pub topic: String,
    pub start_at: DateTime<Utc>,
    pub orgs: Vec<OrgName>,
    pub status: String,
    pub via: String,
}

/// An expected attendee with their attendance, if recorded.
fn attendee_view(x: activities::Expected, r: Option<&activities::Attendance>) -> AttendeeView {
    AttendeeView {
        member_id: x.member_id,
        name: x.name,
        org_name: x.org_name,
        received: x.received,
        away: x.away,
        post_label: post_label(x.post.as_deref()),
        status: r.map(|r| r.status.clone()),
        reason: r.and_then(|r| r.reason.clone()),
        via: r.map(|r| r.via.clone()),
    }
}

fn post_label(code: Option<&str>) -> Option<String> {
    code.and_then(CommitteePost::from_code).map(|p| p.label().to_string())
}

fn local_day_start(d: chrono::NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).expect("midnight").and_utc() - Duration::hours(8)
}

fn generate_code() -> String {
    let mut b = [0u8; 4];
    getrandom::fill(&mut b).expect("system random source");
    format!("{:06}", u32::from_le_bytes(b) % 1_000_000)
}

impl App {
    async fn activity_view(&self, a: Activity, show_code: bool) -> AppResult<ActivityView> {
        self.activity_view_memo(a, show_code, &mut activities::ExpectedMemo::default()).await
    }

    /// [`Self::activity_view`] within a listing, whose activities share their expected attendees.
    async fn activity_view_memo(
        &self,
        a: Activity,
        show_code: bool,
        memo: &mut activities::ExpectedMemo,
    ) -> AppResult<ActivityView> {
        let org_refs = activities::orgs_of(&self.db, a.id).await?;
        let ids: Vec<i64> = org_refs.iter().map(|o| o.0).collect();
        let names = orgs::names(&self.db, &ids).await?;
        let attendance = activities::attendance_of(&self.db, a.id).await?;
        let expected = activities::expected_memo(&self.db, &a, memo)
            .await?
            .iter()
            .filter(|x| {
                x.away.is_none()
                    || away_counts(attendance.iter().find(|r| r.member_id == x.member_id).map(|r| r.status.as_str()))
            })
            .count() as i64;
        let count = |s: &str| attendance.iter().filter(|x| x.status == s).count() as i64;
        let kind = ActivityKind::from_code(&a.kind).unwrap_or(ActivityKind::Other);
        let approval = activities::approvals_of(&self.db, a.id).await?.into_iter().next().map(|p| ApprovalView {
            id: p.id,
            reason: p.reason,
            status: p.status,
            decision_note: p.decision_note,
            created_at: p.created_at,
            decided_at: p.decided_at,
        });
        Ok(ActivityView {
            id: a.id,
            kind,
            kind_label: kind.label().into(),
            topic: a.topic,
            start_at: a.start_at,
            end_at: a.end_at,
            place: a.place,
            online_link: a.online_link,
            host: a.host,
            lecturer: a.lecturer,
            minutes: a.minutes,
            status: a.status,
            orgs: ids.iter().map(|id| OrgName { id: *id, name: names.get(id).cloned().unwrap_or_default() }).collect(),
            for_year: a.for_year,
            checkin_code: show_code.then_some(a.checkin_code),
            expected,
            attendees_note: format!("{}。{}", kind.attendees().describe(), AWAY_RULE),
            present: count("present"),
            on_leave: count("leave"),
            absent: count("absent"),
            attachments: activities::attachments_of(&self.db, a.id)
                .await?
                .into_iter()
                .map(|x| AttachmentView {
                    id: x.id,
                    filename: x.filename,
                    content_type: x.content_type,
                    size: x.size,
                    created_at: x.created_at,
                })
                .collect(),
            approval,
            my_attendance: None,
        })
    }

    /// The activity if one of its organisations lies in the caller's scope for `p`.
    async fn activity_for(&self, ctx: &Ctx, id: i64, p: Permission) -> AppResult<(Activity, Scope)> {
        let scope = ctx.actor()?.scope(p)?;
        let a = activities::get(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("活动"))?;
        Ok((a, scope))
    }

    fn can_manage(&self, ctx: &Ctx, org_paths: &[(i64, String)]) -> bool {
        ctx.actor
            .as_ref()
            .and_then(|a| a.scope(Permission::ActivityWrite).ok())
            .is_some_and(|s| org_paths.iter().any(|(_, p)| s.contains(p)))
    }

    pub async fn activity_list(&self, ctx: &Ctx, q: ActivityQuery) -> AppResult<Page<ActivityView>> {
        // Members of a community also see the community's own activities.
        let (scope, shared_orgs) = self.community_shares(ctx).await?;
        let subtree = match q.org.map(RecordId::get) {
            Some(id) if shared_orgs.contains(&id) => Some(self.community_for(ctx, id, false).await?.path),
            Some(id) => Some(self.org_in(&self.db, &scope, id).await?.path),
            None => None,
        };
        let f = ActivityFilter {
            subtree,
            shared_orgs,
            from: q.from.map(local_day_start),
            to: q.to.and_then(|d| d.succ_opt()).map(local_day_start),
            kind: q.kind.filter(|s| !s.is_empty()),
            status: q.status.filter(|s| !s.is_empty()),
        };
        let page = activities::list(
            &self.db,
            &scope,
            &f,
            PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into).or(Some(50))),
        )
        .await?;
        let mut items = Vec::with_capacity(page.items.len());
        let mut memo = activities::ExpectedMemo::default();
        for a in page.items {
            let paths = activities::orgs_of(&self.db, a.id).await?;
            let show = self.can_manage(ctx, &paths);
            items.push(self.activity_view_memo(a, show, &mut memo).await?);
        }
        Ok(Page { total: page.total, items })
    }

    pub async fn activity_get(&self, ctx: &Ctx, id: i64) -> AppResult<ActivityView> {
        let (scope, shared_orgs) = self.community_shares(ctx).await?;
        let a = match activities::get(&self.db, &scope, id).await? {
            Some(a) => a,
            None => {
                activities::get_of_orgs(&self.db, &shared_orgs, id).await?.ok_or_else(|| AppError::not_found("活动"))?
            }
        };
        let paths = activities::orgs_of(&self.db, id).await?;
        let show = self.can_manage(ctx, &paths);
        self.activity_view(a, show).await
    }

    /// Validates the input merged onto `current`; returns the active model and the organisations.
    /// `linked`: the organisations already on the activity, which stay nameable by a co-organiser
    /// whose scope does not cover them.
    async fn activity_fields(
        &self,
        scope: &Scope,
        input: ActivityInput,
        current: Option<&Activity>,
        linked: &[(i64, String)],
    ) -> AppResult<(ActivityActive, Vec<(i64, String)>)> {
        let mut e = FieldErrors::new();
        let kind_code = input.kind.clone().or(current.map(|c| c.kind.clone())).unwrap_or_default();
        let kind = match ActivityKind::from_code(&kind_code) {
            Some(k) => Some(k),
            None => {
                e.add(
                    "kind",
                    if kind_code.is_empty() {
                        "请选择活动类型".to_string()
                    } else {
                        format!("活动类型“{kind_code}”无效")
                    },
                );
                None
            }
        };
        let topic = e.check(
            "topic",
            required_text(&input.topic.clone().or(current.map(|c| c.topic.clone())).unwrap_or_default(), "主题", 100),
        );
        let start = input.start_at.or(current.map(|c| c.start_at));
        let end = input.end_at.or(current.map(|c| c.end_at));
        match (start, end) {
            (None, _) => e.add("start_at", "请填写开始时间"),
            (_, None) => e.add("end_at", "请填写结束时间"),
            (Some(s), Some(t)) if t <= s => e.add("end_at", "结束时间应晚于开始时间"),
            (Some(s), Some(t)) if t - s > Duration::days(3) => e.add("end_at", "一次活动不超过 3 天"),
            (Some(s), _) if s > Utc::now() + Duration::days(366) => e.add("start_at", "开始时间不能晚于一年以后"),
            _ => {}
        }
        let pick = |new: &Option<String>, old: Option<&Option<String>>| new.clone().or(old.cloned().flatten());
        let place = e
            .check("place", optional_text(pick(&input.place, current.map(|c| &c.place)).as_deref(), "地点", 100))
            .flatten();
        let link = e
            .check(
                "online_link",
                optional_text(pick(&input.online_link, current.map(|c| &c.online_link)).as_deref(), "线上链接", 300),
            )
            .flatten();
        if let Some(l) = &link
            && !(l.starts_with("https://") || l.starts_with("http://"))
        {
            e.add("online_link", "线上链接应以 http:// 或 https:// 开头");
        }
        if place.is_none() && link.is_none() {
            e.add("place", "请填写地点或线上链接");
        }
        let host = e
            .check("host", optional_text(pick(&input.host, current.map(|c| &c.host)).as_deref(), "主持人", 50))
            .flatten();
        let lecturer = e
            .check(
                "lecturer",
                optional_text(pick(&input.lecturer, current.map(|c| &c.lecturer)).as_deref(), "授课人", 50),
            )
            .flatten();
        if kind == Some(ActivityKind::PartyLecture) && lecturer.is_none() {
            e.add("lecturer", "党课请填写授课人");
        }
        let minutes = e
            .check(
                "minutes",
                optional_text(pick(&input.minutes, current.map(|c| &c.minutes)).as_deref(), "会议记录", 20_000),
            )
            .flatten();
        let mut org_refs = Vec::new();
        match &input.org_ids {
            Some(ids) if ids.is_empty() => e.add("org_ids", "请选择组织"),
            Some(ids) => {
                for id in ids {
                    // Out of scope is "not found", as everywhere (unless already on the activity).
                    let o = if linked.iter().any(|(org, _)| org == id) {
                        #[allow(
                            clippy::disallowed_methods,
                            reason = "a co-organiser already on the activity the caller reached"
                        )]
                        let on_the_activity = Scope::All(honglian_store::Unscoped::system());
                        self.org_in(&self.db, &on_the_activity, *id).await?
                    } else {
                        self.org_in(&self.db, scope, *id).await?
                    };
                    if o.status != "active" {
                        e.add("org_ids", format!("{}已撤销", o.name));
                    } else if !org_refs.iter().any(|(x, _)| *x == o.id) {
                        org_refs.push((o.id, o.path));
                    }
                }
            }
            None if current.is_none() => e.add("org_ids", "请选择组织"),
            None => {}
        }
        // A joint activity counts for each of its organisations, so only kinds that may be held
        // jointly may have several (one joint 党员大会 is not every branch's 党员大会).
        if let Some(k) = kind.filter(|k| !k.may_be_joint()) {
            let n = match (&input.org_ids, current) {
                (Some(_), _) | (None, None) => org_refs.len(),
                (None, Some(c)) => activities::orgs_of(&self.db, c.id).await?.len(),
            };
            if n > 1 {
                e.add("org_ids", format!("{}须由一个组织召开，不能多个组织联合召开", k.label()));
            }
        }
        // Which year the activity counts for (Branch Regulations: the annual meetings are held for
        // a year, often just after it).
        let for_year = input.for_year.or(current.and_then(|c| c.for_year));
        let for_year = match (kind, start, for_year) {
            (Some(k), Some(s), Some(y)) => {
                let held_on = (s + Duration::hours(8)).date_naive();
                match honglian_domain::org_life::duty::counts_on(k, held_on, Some(y)) {
                    // Stored only when it is not the year it was held.
                    Ok(_) => (y != chrono::Datelike::year(&held_on)).then_some(y),
                    Err(m) => {
                        e.add("for_year", m);
                        None
                    }
                }
            }
            _ => None,
        };
        e.into_result()?;
        let am = ActivityActive {
            id: current.map(|c| Set(c.id)).unwrap_or(NotSet),
            kind: Set(kind.expect("validated").code().into()),
            topic: Set(topic.expect("validated")),
            start_at: Set(start.expect("validated")),
            end_at: Set(end.expect("validated")),
            place: Set(place),
            online_link: Set(link),
            host: Set(host),
            lecturer: Set(lecturer),
            minutes: Set(minutes),
            status: current.map(|c| Set(c.status.clone())).unwrap_or(Set("active".into())),
            checkin_code: current.map(|c| Set(c.checkin_code.clone())).unwrap_or_else(|| Set(generate_code())),
            created_by: NotSet,
            for_year: Set(for_year),
            created_at: NotSet,
            updated_at: NotSet,
        };
        Ok((am, org_refs))
    }

    /// Refuses, unless the user confirmed it, an activity of the same kind for one of the same
    /// organisations on the same local days as another: probably the same one entered twice.
    async fn check_duplicate(&self, am: &ActivityActive, org_refs: &[(i64, String)], allow: bool) -> AppResult<()> {
        if allow {
            return Ok(());
        }
        let ids: Vec<i64> = if org_refs.is_empty() {
            match &am.id {
                Set(id) => activities::orgs_of(&self.db, *id).await?.into_iter().map(|o| o.0).collect(),
                _ => Vec::new(),
            }
        } else {
            org_refs.iter().map(|o| o.0).collect()
        };
        let day = |t: DateTime<Utc>| (t + Duration::hours(8)).date_naive();
        let from = local_day_start(day(*am.start_at.as_ref()));
        let to = local_day_start(day(*am.end_at.as_ref())) + Duration::days(1);
        let except = match &am.id {
            Set(id) => Some(*id),
            _ => None,
        };
        let kind = am.kind.as_ref().clone();
        let others = activities::overlapping(&self.db, &ids, &kind, from, to, except).await?;
        if let Some(o) = others.first() {
            let at = (o.start_at + Duration::hours(8)).format("%Y-%m-%d %H:%M");
            let label = ActivityKind::from_code(&kind).unwrap_or(ActivityKind::Other).label();
            return Err(AppError::Conflict {
                title: "可能重复录入".into(),
                errors: FieldErrors::single(
                    "allow_duplicate",
                    format!("同一组织在同一天已有{label}“{}”（{at}），确认不是重复录入后再保存", o.topic),
                ),
            });
        }
        Ok(())
    }

    fn is_late(&self, end: DateTime<Utc>) -> bool {
        end < Utc::now() - Duration::days(self.config.backdate_days)
    }

    pub async fn activity_create(&self, ctx: &Ctx, input: ActivityInput) -> AppResult<ActivityView> {
        let actor = ctx.actor()?;
        let scope = actor.scope(Permission::ActivityWrite)?;
        let late_reason = input.late_reason.clone();
        let allow = input.allow_duplicate == Some(true);
        let (mut am, org_refs) = self.activity_fields(&scope, input, None, &[]).await?;
        am.created_by = Set(Some(actor.user_id));
        let end = *am.end_at.as_ref();
        let late = self.is_late(end);
        let reason = if late {
            let r = late_reason.as_deref().map(str::trim).filter(|r| r.chars().count() >= 4);
            match r {
                Some(r) => Some(r.to_string()),
                None => {
                    return Err(AppError::field(
                        "late_reason",
                        format!(
                            "活动已结束超过 {} 天，补录须说明原因（至少 4 个字）并经县级管理员审批",
                            self.config.backdate_days
                        ),
                    ));
                }
            }
        } else {
            None
        };
        self.check_duplicate(&am, &org_refs, allow).await?;
        if late {
            am.status = Set("pending_approval".into());
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        let a = activities::insert(&txn, am, &org_refs).await?;
        if let Some(reason) = reason {
            activities::request_approval(&txn, a.id, reason.clone(), Some(actor.user_id)).await?;
            // Tell the county admins whose scope covers the activity.
            let mut notes = Vec::new();
            for u in users::with_role(&txn, "county_admin").await? {
                if u.1.as_deref().is_some_and(|root| org_refs.iter().any(|(_, p)| p.starts_with(root))) {
                    notes.push(NewNotification {
                        user_id: u.0,
                        kind: "approval".into(),
                        title: "补录组织生活待审批".into(),
                        body: format!("{}申请补录“{}”：{}", actor.display_name, a.topic, reason),
                        link: Some(format!("/activities/{}", a.id)),
                        dedupe_key: format!("approval:{}", a.id),
                    });
                }
            }
            notifications::insert_new(&txn, notes).await?;
        }
        self.audit(
            &txn,
            ctx,
            Event::ok("activity.create", "activity", a.id).with(serde_json::json!({"kind": a.kind, "orgs": org_refs.iter().map(|o| o.0).collect::<Vec<_>>(), "late": late})),
        )
        .await?;
        txn.commit().await?;
        self.activity_view(a, true).await
    }

    pub async fn activity_update(&self, ctx: &Ctx, id: i64, input: ActivityInput) -> AppResult<ActivityView> {
        let (current, scope) = self.activity_for(ctx, id, Permission::ActivityWrite).await?;
        let moved_late = input.end_at.is_some_and(|e| e != current.end_at && self.is_late(e));
        if moved_late {
            return Err(AppError::field(
                "end_at",
                format!("不能把活动改到 {} 天以前，请新建补录申请", self.config.backdate_days),
            ));
        }
        let linked = activities::orgs_of(&self.db, id).await?;
        let (am, org_refs) = self.activity_fields(&scope, input.clone(), Some(&current), &linked).await?;
        if input.org_ids.is_some() {
            // Co-organisers cannot remove each other: the organisations outside my scope stay.
            if linked.iter().any(|(org, path)| !scope.contains(path) && !org_refs.iter().any(|(o, _)| o == org)) {
                return Err(AppError::field(
                    "org_ids",
                    "不能移除共同主办的其他组织，只能调整本组织管理范围内的主办组织",
                ));
            }
        }
        let same_slot = input.kind.as_ref().is_none_or(|k| *k == current.kind)
            && input.start_at.is_none_or(|t| t == current.start_at)
            && input.end_at.is_none_or(|t| t == current.end_at)
            && input.org_ids.is_none();
        if !same_slot {
            let orgs = if input.org_ids.is_some() { &org_refs[..] } else { &[] };
            self.check_duplicate(&am, orgs, input.allow_duplicate == Some(true)).await?;
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        let a = activities::update(&txn, am).await?;
        if input.org_ids.is_some() {
            activities::set_orgs(&txn, a.id, &org_refs).await?;
        }
        self.audit(&txn, ctx, Event::ok("activity.update", "activity", a.id)).await?;
        txn.commit().await?;
        self.activity_view(a, true).await
    }

    pub async fn activity_cancel(&self, ctx: &Ctx, id: i64) -> AppResult<ActivityView> {
        let (current, scope) = self.activity_for(ctx, id, Permission::ActivityWrite).await?;
        if activities::orgs_of(&self.db, id).await?.iter().any(|(_, path)| !scope.contains(path)) {
            return Err(AppError::Conflict {
                title: "联合活动不能由一个主办组织取消：可在编辑中移除本组织，或请能管理全部主办组织的上级取消".into(),
                errors: FieldErrors::new(),
            });
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        let mut am: ActivityActive = current.into();
        am.status = Set("cancelled".into());
        let a = activities::update(&txn, am).await?;
        self.audit(&txn, ctx, Event::ok("activity.cancel", "activity", a.id)).await?;
        txn.commit().await?;
        self.activity_view(a, true).await
    }

    /// A county admin approves (or rejects) recording an activity after the limit. Audited.
    pub async fn activity_decide(
        &self,
        ctx: &Ctx,
        id: i64,
        approve: bool,
        note: Option<String>,
    ) -> AppResult<ActivityView> {
        let actor = ctx.actor()?;
        let (current, _) = self.activity_for(ctx, id, Permission::ActivityApprove).await?;
        let pending = activities::approvals_of(&self.db, id).await?.into_iter().find(|p| p.status == "pending");
        let Some(pending) = pending else {
            return Err(AppError::Conflict {
                title: "该活动没有待审批的补录申请".into(), errors: FieldErrors::new()
            });
        };
        let note = optional_text(note.as_deref(), "审批意见", 200).map_err(|m| AppError::field("note", m))?;
        let txn = honglian_store::begin_write(&self.db).await?;
        activities::decide_approval(&txn, pending.clone(), approve, actor.user_id, note.clone()).await?;
        let mut am: ActivityActive = current.into();
        am.status = Set(if approve { "active" } else { "rejected" }.into());
        let a = activities::update(&txn, am).await?;
        if let Some(requester) = pending.requested_by {
            notifications::insert_new(
                &txn,
                vec![NewNotification {
                    user_id: requester,
                    kind: "approval".into(),
                    title: if approve { "补录申请已批准" } else { "补录申请未批准" }.into(),
                    body: format!("“{}”{}", a.topic, note.clone().map(|n| format!("：{n}")).unwrap_or_default()),
                    link: Some(format!("/activities/{}", a.id)),
                    dedupe_key: format!("approval-decided:{}", pending.id),
                }],
            )
            .await?;
        }
        self.audit(
            &txn,
            ctx,
            Event::ok(if approve { "activity.approve" } else { "activity.reject" }, "activity", a.id)
                .with(serde_json::json!({"note": note})),
        )
        .await?;
        txn.commit().await?;
        self.activity_view(a, true).await
    }

    pub async fn attendance_list(&self, ctx: &Ctx, id: i64) -> AppResult<Vec<AttendeeView>> {
        let (a, _) = self.activity_for(ctx, id, Permission::OrgRead).await?;
        let records = activities::attendance_of(&self.db, a.id).await?;
        let mut out: Vec<AttendeeView> = activities::expected(&self.db, &a)
            .await?
            .into_iter()
            .map(|x| {
                let r = records.iter().find(|r| r.member_id == x.member_id);
                attendee_view(x, r)
            })
            .collect();
        // Attendees no longer expected (transferred since) still show.
        let missing: Vec<_> = records.iter().filter(|r| !out.iter().any(|o| o.member_id == r.member_id)).collect();
        #[allow(clippy::disallowed_methods, reason = "members recorded at an activity the caller reached")]
        let attended = Scope::All(honglian_store::Unscoped::system());
        for r in missing {
            if let Some(m) = members::get(&self.db, &attended, r.member_id).await? {
                out.push(AttendeeView {
                    member_id: m.id,
                    name: m.name,
                    org_name: String::new(),
                    received: false,
                    away: None,
                    post_label: None,
                    status: Some(r.status.clone()),
                    reason: r.reason.clone(),
                    via: Some(r.via.clone()),
                });
            }
        }
        Ok(out)
    }

    pub async fn attendance_record(
        &self,
        ctx: &Ctx,
        id: i64,
        items: Vec<AttendanceInput>,
    ) -> AppResult<Vec<AttendeeView>> {
        let actor = ctx.actor()?;
        let (a, _) = self.activity_for(ctx, id, Permission::ActivityWrite).await?;
        if a.start_at > Utc::now() {
            return Err(AppError::field("items", "活动尚未开始，不能登记出勤"));
        }
        let expected = activities::expected(&self.db, &a).await?;
        let mut e = FieldErrors::new();
        for it in &items {
            if !matches!(it.status.as_str(), "present" | "leave" | "absent") {
                e.add("items", format!("出勤状态“{}”无效", it.status));
            }
            if it.status == "leave" && it.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                e.add("items", "请假须填写原因");
            }
            if !expected.iter().any(|x| x.member_id == it.member_id) {
                e.add("items", format!("党员 {} 不在本次活动的参加人员范围内", it.member_id));
            }
        }
        e.into_result()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        for it in &items {
            activities::set_attendance(
                &txn,
                a.id,
                it.member_id,
                &it.status,
                it.reason.clone(),
                "manual",
                Some(actor.user_id),
            )
            .await?;
        }
        self.audit(
            &txn,
            ctx,
            Event::ok("activity.attendance", "activity", a.id).with(serde_json::json!({"records": items.len()})),
        )
        .await?;
        txn.commit().await?;
        self.attendance_list(ctx, id).await
    }

    /// An active activity the signed-in member is expected at, and their row there (`what` they are
    /// doing: 签到, 请假).
    async fn expected_me(&self, ctx: &Ctx, id: i64, what: &str) -> AppResult<(Activity, activities::Expected)> {
        let member_id =
            ctx.actor()?.member_id.ok_or_else(|| AppError::Forbidden(format!("只有关联了党员档案的账号可以{what}")))?;
        let a = activities::get(&self.db, &expected_at(), id)
            .await?
            .filter(|a| a.status == "active")
            .ok_or_else(|| AppError::not_found("活动"))?;
        let me = activities::expected_member(&self.db, &a, member_id)
            .await?
            .ok_or_else(|| AppError::Forbidden("您不在本次活动的参加人员范围内".into()))?;
        Ok((a, me))
    }

    /// The signed-in member checks in with the code shown at the meeting.
    pub async fn check_in(&self, ctx: &Ctx, id: i64, code: &str) -> AppResult<AttendeeView> {
        let actor = ctx.actor()?;
        let (a, me) = self.expected_me(ctx, id, "签到").await?;
        let member_id = me.member_id;
        let now = Utc::now();
        let margin = Duration::minutes(CHECKIN_MARGIN_MINUTES);
        if now < a.start_at - margin || now > a.end_at + margin {
            return Err(AppError::field(
                "code",
                format!("签到时间为活动开始前 {CHECKIN_MARGIN_MINUTES} 分钟至结束后 {CHECKIN_MARGIN_MINUTES} 分钟"),
            ));
        }
        if code.trim() != a.checkin_code {
            return Err(AppError::field("code", "签到码不正确"));
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        let r = activities::set_attendance(&txn, a.id, member_id, "present", None, "code", Some(actor.user_id)).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("activity.check_in", "activity", a.id).with(serde_json::json!({"member_id": member_id})),
        )
        .await?;
        txn.commit().await?;
        Ok(attendee_view(me, Some(&r)))
    }

    /// The signed-in member asks for leave from an activity they are expected at, with a reason, before
    /// it ends (it shows in the attendance table as 请假, `via` = `self`). Nothing else is asked of them.
    pub async fn leave_request(&self, ctx: &Ctx, id: i64, reason: &str) -> AppResult<AttendeeView> {
        let actor = ctx.actor()?;
        let (a, me) = self.expected_me(ctx, id, "请假").await?;
        let member_id = me.member_id;
        let reason = honglian_domain::validation::required_text(reason, "请假原因", 200)
            .map_err(|m| AppError::field("reason", m))?;
        if reason.chars().count() < 2 {
            return Err(AppError::field("reason", "请写明请假原因（至少 2 个字）"));
        }
        if Utc::now() > a.end_at {
            return Err(AppError::field("reason", "活动已结束，不能再请假"));
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        if activities::attendance_of(&txn, a.id)
            .await?
            .iter()
            .any(|r| r.member_id == member_id && r.status == "present")
        {
            return Err(AppError::conflict("您已签到，无需请假"));
        }
        let r = activities::set_attendance(
            &txn,
            a.id,
            member_id,
            "leave",
            Some(reason.clone()),
            "self",
            Some(actor.user_id),
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("activity.leave", "activity", a.id).with(serde_json::json!({"member_id": member_id})),
        )
        .await?;
        txn.commit().await?;
        Ok(attendee_view(me, Some(&r)))
    }

    /// The activities a member attended, wherever they were held.
    pub async fn member_activities(&self, ctx: &Ctx, member_id: i64) -> AppResult<Vec<MemberActivity>> {
        let m = self.member_for(&self.db, ctx, member_id, Permission::MemberRead).await?;
        let mut out = Vec::new();
        for (a, at) in activities::of_member(&self.db, m.id).await? {
            let refs = activities::orgs_of(&self.db, a.id).await?;
            let names = orgs::names(&self.db, &refs.iter().map(|r| r.0).collect::<Vec<_>>()).await?;
            out.push(MemberActivity {
                activity_id: a.id,
                kind_label: ActivityKind::from_code(&a.kind).unwrap_or(ActivityKind::Other).label().into(),
                topic: a.topic,
                start_at: a.start_at,
                orgs: refs
                    .iter()
                    .filter_map(|(id, _)| names.get(id).map(|n| OrgName { id: *id, name: n.clone() }))
                    .collect(),
                status: at.status,
                via: at.via,
            });
        }
        Ok(out)
    }

    /// Activities the signed-in member is expected at, from 30 days ago to 60 days ahead.
    pub async fn my_activities(&self, ctx: &Ctx) -> AppResult<Vec<ActivityView>> {
        let m = self.own_member(&self.db, ctx).await?;
        // Where the member belongs (their organisation and its ancestors: the prefixes of its path) and
        // where they are received.
        let mut paths: Vec<String> =
            m.org_path.match_indices('/').skip(1).map(|(i, _)| m.org_path[..=i].to_string()).collect();
        if let Some(r) = honglian_store::repo::members::mobility::open_outflow(&self.db, m.id).await?
            && let Some(ro) = r.receiving_org_id
            && let Some(o) = orgs::get(&self.db, &expected_at(), ro).await?
        {
            paths.push(o.path);
        }
        let today = crate::today();
        let f = ActivityFilter {
            subtree: None,
            shared_orgs: Vec::new(),
            from: Some(local_day_start(today - Duration::days(30))),
            to: Some(local_day_start(today + Duration::days(60))),
            kind: None,
            status: Some("active".into()),
        };
        let mut out = Vec::new();
        for a in activities::list(&self.db, &expected_at(), &f, PageReq::new(Some(1), Some(200))).await?.items {
            let refs = activities::orgs_of(&self.db, a.id).await?;
            // Only activities of exactly these organisations, not of their sub-organisations.
            if refs.iter().any(|(_, p)| paths.contains(p))
                && activities::expected(&self.db, &a).await?.iter().any(|x| x.member_id == m.id)
            {
                let mine = activities::attendance_of(&self.db, a.id)
                    .await?
                    .into_iter()
                    .find(|x| x.member_id == m.id)
                    .map(|x| x.status);
                let mut v = self.activity_view(a, false).await?;
                v.my_attendance = mine;
                out.push(v);
            }
        }
        Ok(out)
    }

    /// Stores an uploaded photo or document of an activity after checking its size and type.
    pub async fn attachment_add(&self, ctx: &Ctx, id: i64, filename: &str, bytes: &[u8]) -> AppResult<AttachmentView> {
        let actor = ctx.actor()?;
        let (a, _) = self.activity_for(ctx, id, Permission::ActivityWrite).await?;
        let f = self.store_file(&format!("activities/{}", a.id), filename, bytes).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let att = activities::add_attachment(
            &txn,
            Attachment {
                id: 0,
                activity_id: a.id,
                filename: f.filename,
                content_type: f.content_type.into(),
                size: f.size,
                storage_key: f.key,
                uploaded_by: Some(actor.user_id),
                created_at: Utc::now(),
            },
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("activity.attachment", "activity", a.id)
                .with(serde_json::json!({"attachment_id": att.id, "size": att.size})),
        )
        .await?;
        txn.commit().await?;
        Ok(AttachmentView {
            id: att.id,
            filename: att.filename,
            content_type: att.content_type,
            size: att.size,
            created_at: att.created_at,
        })
    }

    /// The bytes of an attachment the caller may see.
    pub async fn attachment_get(&self, ctx: &Ctx, id: i64, attachment_id: i64) -> AppResult<(AttachmentView, Vec<u8>)> {
        let (a, _) = self.activity_for(ctx, id, Permission::OrgRead).await?;
        let att =
            activities::attachment(&self.db, &a, attachment_id).await?.ok_or_else(|| AppError::not_found("附件"))?;
        let bytes = self.read_file(&att.storage_key).await?;
        Ok((
            AttachmentView {
                id: att.id,
                filename: att.filename,
                content_type: att.content_type,
                size: att.size,
                created_at: att.created_at,
            },
            bytes,
        ))
    }
}

/// The reach of a member looking for the activities they are expected at (their organisation, its
/// ancestors, the organisation receiving them): every caller then keeps only the activities whose
/// expected attendees include the member.
#[allow(clippy::disallowed_methods, reason = "a member's own organisational life, narrowed to where they are expected")]
fn expected_at() -> Scope {
    Scope::All(honglian_store::Unscoped::system())
}
