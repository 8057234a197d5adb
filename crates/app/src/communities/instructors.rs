//! Party-building instructors (组团式指导): groups of 3–5 instructors assigned to organisations, and
//! their visit logs (走访) with findings and follow-ups. An instructor's scope is exactly the
//! organisations assigned to their groups (see `auth::load_actor`), so assigning, unassigning or
//! changing a group's instructors bumps their `auth_version` (in the store, in the same transaction):
//! every instance rebuilds their sessions at the next request.

use honglian_domain::RecordId;
use std::collections::HashMap;

use chrono::NaiveDate;
use honglian_domain::FieldErrors;
use honglian_domain::platform::authz::{Permission, Role};
use honglian_domain::validation::{optional_text, required_text};
use honglian_store::Scope;
use honglian_store::repo::communities::instructors;
use honglian_store::repo::platform::users;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::org_life::activities::OrgName;
use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

/// A group has 3 to 5 instructors.
const GROUP_SIZE: std::ops::RangeInclusive<usize> = 3..=5;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InstructorRef {
    pub user_id: i64,
    pub name: String,
    pub leader: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InstructorGroupView {
    pub id: i64,
    pub name: String,
    pub org: OrgName,
    pub instructors: Vec<InstructorRef>,
    pub assigned: Vec<OrgName>,
    pub open_follow_ups: u32,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct InstructorGroupInput {
    pub name: String,
    /// The organisation that manages the group (e.g. the county).
    #[schema(value_type = honglian_domain::RecordId)]
    pub org_id: i64,
    /// 3 to 5 users; the first is the group leader.
    pub user_ids: Vec<i64>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AssignInput {
    #[schema(value_type = honglian_domain::RecordId)]
    pub org_id: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VisitView {
    pub id: i64,
    pub org: OrgName,
    pub visited_on: NaiveDate,
    pub findings: String,
    pub follow_ups: Option<String>,
    /// open (follow-ups pending) | closed
    pub status: String,
    pub author: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct VisitInput {
    #[schema(value_type = honglian_domain::RecordId)]
    pub org_id: i64,
    pub visited_on: NaiveDate,
    pub findings: String,
    pub follow_ups: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VisitQuery {
    /// The subtree; default: everything the caller sees.
    pub org: Option<RecordId>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CandidateView {
    pub user_id: i64,
    pub username: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CandidateQuery {
    /// Name or username contains.
    pub q: Option<String>,
}

/// Who may be put in an instructor group: an account of its own (not a member's) whose grants, if any, are
/// instructor grants. Putting someone in a group gives them read access to the assigned organisations, so
/// administrators of other organisations and the system roles are never eligible: their access stays with
/// the security administrator.
fn eligible(user: &users::User, grants: &[users::Grant]) -> bool {
    user.member_id.is_none() && grants.iter().all(|g| g.role == Role::Instructor.code())
}

impl App {
    /// Users who may join an instructor group (see [`eligible`]), for those who form groups.
    pub async fn instructor_candidates(&self, ctx: &Ctx, q: CandidateQuery) -> AppResult<Vec<CandidateView>> {
        ctx.actor()?.scope(Permission::InstructorWrite)?;
        let page = users::list(
            &self.db,
            q.q.as_deref().filter(|s| !s.is_empty()),
            honglian_store::repo::PageReq::new(Some(1), Some(200)),
        )
        .await?;
        let mut out = Vec::new();
        for u in page.items {
            if !eligible(&u, &users::grants_of(&self.db, u.id).await?) {
                continue;
            }
            out.push(CandidateView { user_id: u.id, username: u.username, name: u.display_name });
        }
        Ok(out)
    }

    /// Groups managed in the caller's scope, or the caller's own groups.
    pub async fn instructor_groups(&self, ctx: &Ctx) -> AppResult<Vec<InstructorGroupView>> {
        let actor = ctx.actor()?;
        let managed = actor.scope(Permission::InstructorWrite).unwrap_or(Scope::none());
        let mut list = instructors::groups_in(&self.db, &managed).await?;
        // The caller's own groups, when they are an instructor.
        let own: Vec<i64> = instructors::assigned_to_user(&self.db, actor.user_id).await?.iter().map(|a| a.0).collect();
        #[allow(
            clippy::disallowed_methods,
            reason = "the groups the caller is an instructor of, wherever they are managed"
        )]
        let theirs = Scope::All(honglian_store::Unscoped::system());
        for g in own {
            if !list.iter().any(|x| x.id == g)
                && let Some(group) = instructors::group(&self.db, &theirs, g).await?
            {
                list.push(group);
            }
        }
        if list.is_empty() && !actor.has(Permission::InstructorWrite) && !actor.has(Permission::VisitWrite) {
            return Err(AppError::forbidden());
        }
        self.group_views(list).await
    }

    async fn group_views(&self, list: Vec<instructors::Group>) -> AppResult<Vec<InstructorGroupView>> {
        let ids: Vec<i64> = list.iter().map(|g| g.id).collect();
        let members = instructors::users_of(&self.db, &ids).await?;
        let assigned = instructors::assignments_of(&self.db, &ids).await?;
        let mut org_ids: Vec<i64> = assigned.iter().map(|a| a.org_id).chain(list.iter().map(|g| g.org_id)).collect();
        org_ids.sort_unstable();
        org_ids.dedup();
        let names: HashMap<i64, String> = self.org_names(&org_ids).await?;
        let name = |id: i64| OrgName { id, name: names.get(&id).cloned().unwrap_or_default() };
        let mut out = Vec::with_capacity(list.len());
        for g in list {
            let mut people = Vec::new();
            for m in members.iter().filter(|m| m.group_id == g.id) {
                let u = users::get(&self.db, m.user_id).await?;
                people.push(InstructorRef {
                    user_id: m.user_id,
                    name: u.map(|u| u.display_name).unwrap_or_default(),
                    leader: m.leader,
                });
            }
            people.sort_by_key(|p| !p.leader);
            let mine: Vec<&instructors::Assignment> = assigned.iter().filter(|a| a.group_id == g.id).collect();
            let open = instructors::visits_in(
                &self.db,
                &Scope::Paths(mine.iter().map(|a| a.org_path.clone()).collect()),
                10_000,
            )
            .await?
            .iter()
            .filter(|v| v.status == "open")
            .count() as u32;
            out.push(InstructorGroupView {
                id: g.id,
                name: g.name,
                org: name(g.org_id),
                instructors: people,
                assigned: mine.iter().map(|a| name(a.org_id)).collect(),
                open_follow_ups: open,
            });
        }
        Ok(out)
    }

    pub async fn instructor_group_create(
        &self,
        ctx: &Ctx,
        input: InstructorGroupInput,
    ) -> AppResult<InstructorGroupView> {
        let scope = ctx.actor()?.scope(Permission::InstructorWrite)?;
        let owner = self.org_in(&self.db, &scope, input.org_id).await?;
        let mut errors = FieldErrors::default();
        let name = required_text(&input.name, "指导组名称", 60).map_err(|e| errors.add("name", e)).ok();
        let mut ids = input.user_ids.clone();
        ids.dedup();
        if !GROUP_SIZE.contains(&ids.len()) {
            errors.add("user_ids", format!("每个指导组须有 3–5 名指导员，现为 {} 名", ids.len()));
        }
        for id in &ids {
            let ok = match users::get(&self.db, *id).await? {
                Some(u) => eligible(&u, &users::grants_of(&self.db, *id).await?),
                None => false,
            };
            if !ok {
                errors.add("user_ids", "指导员须是专用的指导员账号（不能是党员本人、其他管理员或系统管理员的账号）");
                break;
            }
        }
        errors.into_result()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let g = instructors::insert_group(&txn, name.expect("validated"), &owner).await?;
        let users: Vec<(i64, bool)> = ids.iter().enumerate().map(|(i, u)| (*u, i == 0)).collect();
        instructors::set_users(&txn, g.id, &users).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("instructor_group.create", "instructor_group", g.id).with(serde_json::json!({"user_ids": ids})),
        )
        .await?;
        txn.commit().await?;
        Ok(self.group_views(vec![g]).await?.remove(0))
    }

    async fn group_managed(&self, ctx: &Ctx, id: i64) -> AppResult<(instructors::Group, Scope)> {
        let scope = ctx.actor()?.scope(Permission::InstructorWrite)?;
        let g = instructors::group(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("指导组"))?;
        Ok((g, scope))
    }

    /// Assigns an organisation to a group: its instructors see it from now on.
    pub async fn instructor_assign(&self, ctx: &Ctx, id: i64, input: AssignInput) -> AppResult<InstructorGroupView> {
        let (g, scope) = self.group_managed(ctx, id).await?;
        let target = self
            .org_in(&self.db, &scope, input.org_id)
            .await
            .map_err(|_| AppError::field("org_id", "找不到该党组织，或不在您的管理范围内"))?;
        let txn = honglian_store::begin_write(&self.db).await?;
        instructors::assign(&txn, g.id, &target).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("instructor_group.assign", "instructor_group", g.id)
                .with(serde_json::json!({"org_id": target.id})),
        )
        .await?;
        txn.commit().await?;
        Ok(self.group_views(vec![g]).await?.remove(0))
    }

    pub async fn instructor_unassign(&self, ctx: &Ctx, id: i64, org_id: i64) -> AppResult<InstructorGroupView> {
        let (g, _) = self.group_managed(ctx, id).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        if !instructors::unassign(&txn, g.id, org_id).await? {
            return Err(AppError::not_found("指导对象"));
        }
        self.audit(
            &txn,
            ctx,
            Event::ok("instructor_group.unassign", "instructor_group", g.id)
                .with(serde_json::json!({"org_id": org_id})),
        )
        .await?;
        txn.commit().await?;
        Ok(self.group_views(vec![g]).await?.remove(0))
    }

    pub async fn visit_list(&self, ctx: &Ctx, q: VisitQuery) -> AppResult<Vec<VisitView>> {
        let scope = ctx.actor()?.scope(Permission::OrgRead)?;
        let subtree = match q.org.map(RecordId::get) {
            Some(id) => Scope::Paths(vec![self.org_in(&self.db, &scope, id).await?.path]),
            None => scope,
        };
        let list = instructors::visits_in(&self.db, &subtree, 500).await?;
        self.visit_views(list).await
    }

    async fn visit_views(&self, list: Vec<instructors::Visit>) -> AppResult<Vec<VisitView>> {
        let names: HashMap<i64, String> = self.org_names(&list.iter().map(|v| v.org_id).collect::<Vec<_>>()).await?;
        Ok(list
            .into_iter()
            .map(|v| VisitView {
                org: OrgName { id: v.org_id, name: names.get(&v.org_id).cloned().unwrap_or_default() },
                id: v.id,
                visited_on: v.visited_on,
                findings: v.findings,
                follow_ups: v.follow_ups,
                status: v.status,
                author: v.author,
            })
            .collect())
    }

    /// Logs a visit to an organisation the instructor (or a county admin) may visit.
    pub async fn visit_create(&self, ctx: &Ctx, input: VisitInput) -> AppResult<VisitView> {
        let actor = ctx.actor()?;
        let scope = actor.scope(Permission::VisitWrite)?;
        let target = self.org_in(&self.db, &scope, input.org_id).await?;
        let mut errors = FieldErrors::default();
        let findings = required_text(&input.findings, "走访发现", 2000).map_err(|e| errors.add("findings", e)).ok();
        let follow_ups = optional_text(input.follow_ups.as_deref(), "整改跟进", 2000)
            .map_err(|e| errors.add("follow_ups", e))
            .ok()
            .flatten();
        if input.visited_on > crate::today() {
            errors.add("visited_on", "走访日期不能晚于今天");
        }
        errors.into_result()?;
        let group = instructors::assigned_to_user(&self.db, actor.user_id)
            .await?
            .into_iter()
            .find(|(_, org)| *org == target.id)
            .map(|(g, _)| g);
        let txn = honglian_store::begin_write(&self.db).await?;
        let v = instructors::insert_visit(
            &txn,
            &target,
            group,
            input.visited_on,
            findings.expect("validated"),
            follow_ups,
            (actor.display_name.clone(), ctx.actor_id()),
        )
        .await?;
        self.audit(&txn, ctx, Event::ok("visit.create", "visit", v.id).with(serde_json::json!({"org_id": target.id})))
            .await?;
        txn.commit().await?;
        Ok(self.visit_views(vec![v]).await?.remove(0))
    }

    /// Marks a visit's follow-ups done.
    pub async fn visit_close(&self, ctx: &Ctx, id: i64) -> AppResult<VisitView> {
        let scope = ctx.actor()?.scope(Permission::VisitWrite)?;
        let v = instructors::visit(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("走访记录"))?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let v = instructors::close_visit(&txn, v).await?;
        self.audit(&txn, ctx, Event::ok("visit.close", "visit", v.id)).await?;
        txn.commit().await?;
        Ok(self.visit_views(vec![v]).await?.remove(0))
    }
}
