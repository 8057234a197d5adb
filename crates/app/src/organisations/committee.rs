//! An organisation's committee: the posts its members hold, elected for a term (换届), with
//! by-elections and posts that end early. The committee in office on a day is who a 支委会 of that
//! day expects (`org_life::activities`).

use chrono::{Datelike, Duration, NaiveDate};
use honglian_domain::FieldErrors;
use honglian_domain::organisations::committee::{self, Candidate, CommitteePost};
use honglian_domain::organisations::org::OrgKind;
use honglian_domain::platform::authz::Permission;
use honglian_store::Scope;
use honglian_store::repo::members::registry as members;
use honglian_store::repo::org_life::activities;
use honglian_store::repo::organisations::committee::{self as posts, CommitteePostRow};
use honglian_store::repo::organisations::orgs::{self, Org};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommitteePostView {
    pub id: i64,
    pub member_id: i64,
    pub name: String,
    pub birth_year: i32,
    pub post: CommitteePost,
    pub post_label: String,
    pub since: NaiveDate,
    /// The last day held; None while held.
    pub until: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommitteeView {
    pub org_id: i64,
    /// The years one committee serves; None: this kind of organisation elects no committee.
    pub term_years: Option<u32>,
    /// The day the committee in office was elected (its earliest post held today).
    pub elected_on: Option<NaiveDate>,
    /// The last day of its term.
    pub term_ends: Option<NaiveDate>,
    /// The term has ended and no new committee was elected (换届 is due).
    pub election_due: bool,
    /// Full members, counted where the rule means the branch (party groups included, a general
    /// branch's whole subtree): a branch with fewer than 7 has no committee, only a secretary.
    pub full_members: i64,
    pub in_office: Vec<CommitteePostView>,
    /// Posts held before, newest first.
    pub past: Vec<CommitteePostView>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PostInput {
    #[schema(value_type = honglian_domain::RecordId)]
    pub member_id: i64,
    /// secretary | deputy_secretary | organisation | publicity | discipline | member
    pub post: String,
}

/// A new committee (换届): the posts held until then end the day before. Sent again with the same
/// day, it corrects that election (its posts are recorded anew).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ElectionInput {
    pub elected_on: Option<NaiveDate>,
    pub posts: Option<Vec<PostInput>>,
}

/// One more post on the committee in office (补选).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PostAddInput {
    #[schema(value_type = honglian_domain::RecordId)]
    pub member_id: i64,
    pub post: String,
    /// The first day held (default today).
    pub since: Option<NaiveDate>,
}

/// A post ends (调离、免职): its last day.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PostEndInput {
    pub until: Option<NaiveDate>,
}

fn parse_post(code: &str) -> Result<CommitteePost, String> {
    CommitteePost::from_code(code)
        .ok_or_else(|| if code.is_empty() { "请选择职务".to_string() } else { format!("职务“{code}”无效") })
}

impl App {
    async fn committee_org(&self, ctx: &Ctx, org_id: i64, p: Permission) -> AppResult<(Org, OrgKind)> {
        let scope = ctx.actor()?.scope(p)?;
        let o = self.org_in(&self.db, &scope, org_id).await?;
        let kind = OrgKind::from_code(&o.kind).unwrap_or(OrgKind::Branch);
        Ok((o, kind))
    }

    async fn full_members_of(&self, db: &impl sea_orm::ConnectionTrait, o: &Org) -> AppResult<i64> {
        let subtree = activities::duty_orgs(db, &Scope::Paths(vec![o.path.clone()])).await?;
        Ok(subtree.iter().map(|x| x.full_members).sum())
    }

    async fn post_views(&self, rows: Vec<CommitteePostRow>) -> AppResult<Vec<CommitteePostView>> {
        let mut out = Vec::with_capacity(rows.len());
        // Committee members of an organisation the caller sees, wherever they are filed now.
        #[allow(clippy::disallowed_methods, reason = "the holders of the posts of an organisation the caller reached")]
        let holders = Scope::All(honglian_store::Unscoped::system());
        for r in rows {
            let Some(m) = members::get(&self.db, &holders, r.member_id).await? else { continue };
            let post = CommitteePost::from_code(&r.post).unwrap_or(CommitteePost::Member);
            out.push(CommitteePostView {
                id: r.id,
                member_id: m.id,
                name: m.name,
                birth_year: m.birth_date.year(),
                post,
                post_label: post.label().into(),
                since: r.since,
                until: r.until,
            });
        }
        // The secretary first, then by post.
        out.sort_by_key(|v| (CommitteePost::ALL.iter().position(|p| *p == v.post), v.id));
        Ok(out)
    }

    pub async fn committee_get(&self, ctx: &Ctx, org_id: i64) -> AppResult<CommitteeView> {
        let (o, kind) = self.committee_org(ctx, org_id, Permission::OrgRead).await?;
        let today = crate::today();
        let (held, past): (Vec<_>, Vec<_>) = posts::posts_of(&self.db, o.id)
            .await?
            .into_iter()
            .partition(|r| committee::holds_on(r.since, r.until, today));
        let years = committee::term_years(kind);
        let elected_on = held.iter().map(|r| r.since).min();
        let term_ends = elected_on.zip(years).map(|(d, y)| committee::term_ends(d, y));
        let mut past = self.post_views(past).await?;
        past.sort_by(|a, b| b.since.cmp(&a.since).then(b.until.cmp(&a.until)));
        Ok(CommitteeView {
            org_id: o.id,
            term_years: years,
            elected_on,
            term_ends,
            election_due: term_ends.is_some_and(|e| e < today),
            full_members: self.full_members_of(&self.db, &o).await?,
            in_office: self.post_views(held).await?,
            past,
        })
    }

    /// Checks the candidates: members in normal status filed in the organisation's subtree (never
    /// named when they are not), and the committee the rules allow.
    async fn check_candidates(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        o: &Org,
        kind: OrgKind,
        list: &[(i64, CommitteePost)],
    ) -> AppResult<Vec<(i64, CommitteePost, String)>> {
        let mut e = FieldErrors::new();
        let mut candidates = Vec::with_capacity(list.len());
        let mut named = Vec::with_capacity(list.len());
        for &(member_id, post) in list {
            match members::get(db, &Scope::Paths(vec![o.path.clone()]), member_id).await? {
                Some(m) if m.org_path.starts_with(&o.path) && m.status == "normal" => {
                    candidates.push(Candidate { member_id, post, full: m.category == "full" });
                    named.push((member_id, post, m.name));
                }
                _ => e.add("posts", format!("党员 {member_id} 不是本组织在册的党员")),
            }
        }
        e.into_result()?;
        committee::check_committee(kind, self.full_members_of(db, o).await?, &candidates).into_result()?;
        Ok(named)
    }

    /// Records a newly elected committee; the posts held until then end the day before.
    pub async fn committee_elect(&self, ctx: &Ctx, org_id: i64, input: ElectionInput) -> AppResult<CommitteeView> {
        let actor = ctx.actor()?;
        let (o, kind) = self.committee_org(ctx, org_id, Permission::OrgWrite).await?;
        let today = crate::today();
        let mut e = FieldErrors::new();
        match input.elected_on {
            None => e.add("elected_on", "请填写选举日期"),
            Some(d) if d > today => e.add("elected_on", "选举日期不能晚于今天"),
            _ => {}
        }
        let mut list = Vec::new();
        match &input.posts {
            None => e.add("posts", "请填写委员会成员"),
            Some(v) if v.is_empty() => e.add("posts", "请填写委员会成员"),
            Some(v) => {
                for p in v {
                    match parse_post(&p.post) {
                        Ok(post) => list.push((p.member_id, post)),
                        Err(m) => e.add("posts", m),
                    }
                }
            }
        }
        e.into_result()?;
        let elected_on = input.elected_on.expect("checked");
        let txn = honglian_store::begin_write(&self.db).await?;
        let last = posts::posts_of(&txn, o.id).await?.iter().map(|r| r.since).max();
        if let Some(last) = last
            && elected_on < last
        {
            return Err(AppError::field("elected_on", format!("选举日期不能早于最近一次任职记录的开始日期 {last}")));
        }
        let named = self.check_candidates(&txn, &o, kind, &list).await?;
        // The same day again corrects that election: its posts are recorded anew.
        let corrected = if last == Some(elected_on) { posts::delete_since(&txn, o.id, elected_on).await? } else { 0 };
        let ended = posts::end_all(&txn, o.id, elected_on - Duration::days(1)).await?;
        for (member_id, post, _) in &named {
            posts::insert(&txn, o.id, *member_id, post.code(), elected_on, Some(actor.user_id)).await?;
        }
        let secretary = named.iter().find(|n| n.1 == CommitteePost::Secretary).map(|n| n.2.clone());
        orgs::set_secretary(&txn, o.clone(), secretary).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("committee.elect", "org", o.id).with(serde_json::json!({
                "elected_on": elected_on, "posts": named.len(), "ended": ended, "corrected": corrected
            })),
        )
        .await?;
        txn.commit().await?;
        self.committee_get(ctx, org_id).await
    }

    /// Adds a post to the committee in office (补选).
    pub async fn committee_post_add(&self, ctx: &Ctx, org_id: i64, input: PostAddInput) -> AppResult<CommitteeView> {
        let actor = ctx.actor()?;
        let (o, kind) = self.committee_org(ctx, org_id, Permission::OrgWrite).await?;
        let post = parse_post(&input.post).map_err(|m| AppError::field("post", m))?;
        let since = input.since.unwrap_or_else(crate::today);
        if since > crate::today() {
            return Err(AppError::field("since", "任职日期不能晚于今天"));
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        let held = posts::held_on(&txn, &[o.id], since).await?;
        if held.is_empty() {
            return Err(AppError::field("since", "该日期没有在任的委员会，请先登记换届选举"));
        }
        let mut list: Vec<(i64, CommitteePost)> = held
            .iter()
            .map(|r| (r.member_id, CommitteePost::from_code(&r.post).unwrap_or(CommitteePost::Member)))
            .collect();
        list.push((input.member_id, post));
        let named = self.check_candidates(&txn, &o, kind, &list).await?;
        let row = posts::insert(&txn, o.id, input.member_id, post.code(), since, Some(actor.user_id)).await?;
        if post == CommitteePost::Secretary {
            orgs::set_secretary(&txn, o.clone(), named.last().map(|n| n.2.clone())).await?;
        }
        self.audit(
            &txn,
            ctx,
            Event::ok("committee.post_add", "org", o.id)
                .with(serde_json::json!({"post_id": row.id, "post": post.code(), "since": since})),
        )
        .await?;
        txn.commit().await?;
        self.committee_get(ctx, org_id).await
    }

    /// The post if its organisation lies in the caller's scope for writing.
    async fn post_for_write(&self, ctx: &Ctx, id: i64) -> AppResult<(CommitteePostRow, Org)> {
        let scope = ctx.actor()?.scope(Permission::OrgWrite)?;
        let row = posts::get(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("任职记录"))?;
        let o = orgs::get(&self.db, &scope, row.org_id).await?.ok_or_else(|| AppError::not_found("任职记录"))?;
        Ok((row, o))
    }

    /// Ends a post early (调离、免职): `until` is its last day.
    pub async fn committee_post_end(&self, ctx: &Ctx, id: i64, input: PostEndInput) -> AppResult<CommitteeView> {
        let (row, o) = self.post_for_write(ctx, id).await?;
        let until = input.until.unwrap_or_else(crate::today);
        if until < row.since {
            return Err(AppError::field("until", format!("离任日期不能早于任职日期 {}", row.since)));
        }
        if row.until.is_some_and(|u| u <= until) {
            return Err(AppError::field("until", "该职务已在此前离任"));
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        let secretary = row.post == CommitteePost::Secretary.code() && row.until.is_none();
        posts::set_until(&txn, row.clone(), Some(until)).await?;
        if secretary && until < crate::today() {
            orgs::set_secretary(&txn, o.clone(), None).await?;
        }
        self.audit(
            &txn,
            ctx,
            Event::ok("committee.post_end", "org", o.id).with(serde_json::json!({"post_id": id, "until": until})),
        )
        .await?;
        txn.commit().await?;
        self.committee_get(ctx, o.id).await
    }
}
