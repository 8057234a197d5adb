//! After lost contact (条例 Art. 24; 党章 Art. 9): the member's own organisation proposes suspending a
//! member out of contact for the county's months (停止党籍), and, two years after a suspension with the
//! member still unreachable, removal (除名); the level above approves or declines, dated; approval
//! changes the member's status. Contact regained at any point — a contact that reached the member, a
//! return, a census answer, the member reporting in on the phone — ends a pending proposal and lifts a
//! suspension; every proposal stays in the member's history with how it ended.

use chrono::NaiveDate;
use honglian_domain::members::mobility::{
    ProposalKind, ProposalStatus, Reach, check_decision_day, check_proposal, days_between, is_lost, quiet_since,
};
use honglian_domain::platform::authz::Permission;
use honglian_domain::validation::{optional_text, required_text};
use honglian_store::repo::members::contacts::{self, Contact, NewContact, SuspensionProposal};
use honglian_store::repo::members::mobility;
use honglian_store::repo::members::registry as members;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProposalView {
    pub id: i64,
    pub member_id: i64,
    pub kind: ProposalKind,
    pub kind_label: String,
    pub status: ProposalStatus,
    pub status_label: String,
    pub reason: String,
    pub days_lost: i32,
    pub proposed_by_name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub decided_on: Option<NaiveDate>,
    pub decided_by_name: Option<String>,
    pub decision_note: Option<String>,
    /// Contact regained on this day ended it.
    pub ended_on: Option<NaiveDate>,
    /// The caller approves or declines it (the level above the member's organisation, not the proposer).
    pub can_decide: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ProposalInput {
    pub reason: String,
    /// Suspension (default) or removal.
    #[serde(default)]
    pub kind: Option<ProposalKind>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DecisionInput {
    pub approve: bool,
    /// The day of the decision (the suspension's day when approved).
    pub on: NaiveDate,
    /// Why, when declined.
    #[serde(default)]
    pub note: Option<String>,
}

/// The path of an organisation's parent: `/1/2/3/` → `/1/2/` (None for a root).
fn parent_path(path: &str) -> Option<String> {
    let trimmed = path.trim_end_matches('/');
    let cut = trimmed.rfind('/')?;
    (cut > 0).then(|| format!("{}/", &trimmed[..cut]))
}

impl App {
    /// Whether the caller decides proposals about a member of the organisation at `org_path`: member
    /// write over its parent (the level above), and not the one who proposed.
    fn decides(&self, ctx: &Ctx, org_path: &str, p: &SuspensionProposal) -> bool {
        let Ok(actor) = ctx.actor() else { return false };
        if p.proposed_by == Some(actor.user_id) || actor.member_id == Some(p.member_id) {
            return false;
        }
        // A grant over the parent (a level above the member's organisation); for a member filed in a
        // root organisation, a grant over the root itself.
        let over = parent_path(org_path).unwrap_or_else(|| org_path.to_string());
        actor.scope(Permission::MemberWrite).is_ok_and(|s| s.contains(&over))
    }

    fn proposal_view(&self, ctx: &Ctx, org_path: &str, p: SuspensionProposal) -> ProposalView {
        let kind = ProposalKind::from_code(&p.kind).unwrap_or(ProposalKind::Suspension);
        let status = ProposalStatus::from_code(&p.status).unwrap_or(ProposalStatus::Pending);
        ProposalView {
            can_decide: status == ProposalStatus::Pending && self.decides(ctx, org_path, &p),
            kind,
            kind_label: kind.label().into(),
            status,
            status_label: status.label().into(),
            id: p.id,
            member_id: p.member_id,
            reason: p.reason,
            days_lost: p.days_lost,
            proposed_by_name: p.proposed_by_name,
            created_at: p.created_at,
            decided_on: p.decided_on,
            decided_by_name: p.decided_by_name,
            decision_note: p.decision_note,
            ended_on: p.ended_on,
        }
    }

    /// The member's own organisation proposes suspension (lost for the county's months) or removal (two
    /// years after the suspension); one pending proposal at a time. Nothing about the member changes
    /// until the level above approves.
    pub async fn propose_suspension(&self, ctx: &Ctx, member_id: i64, input: ProposalInput) -> AppResult<ProposalView> {
        let actor = ctx.actor()?;
        let kind = input.kind.unwrap_or(ProposalKind::Suspension);
        let txn = honglian_store::begin_write(&self.db).await?;
        let m = self.member_home(&txn, ctx, member_id, "停止党籍和除名的建议").await?;
        // One at a time per member (PostgreSQL; SQLite's writers take turns): a second proposal, a decision or a
        // transfer request waits for this one, so the checks below see what the others wrote.
        members::lock(&txn, m.id).await?;
        let reason = required_text(&input.reason, "建议理由", 500).map_err(|e| AppError::field("reason", e))?;
        let open = mobility::open_outflow(&txn, m.id).await?;
        let reach = Reach {
            last_contact: m.last_contact_on,
            outflow_start: open.map(|r| r.start_date),
            unreachable_since: m.unreachable_since,
        };
        let today = crate::today();
        let lost = is_lost(reach, today, self.config.lost_contact_months);
        check_proposal(kind, &m.status, lost, m.suspended_on, today).map_err(|e| AppError::field("member_id", e))?;
        if contacts::proposals_of(&txn, m.id).await?.iter().any(|p| p.status == "pending") {
            return Err(AppError::conflict("该党员已有待审批的建议"));
        }
        let days = quiet_since(reach).map_or(0, |since| days_between(since, today)) as i32;
        let p = contacts::propose_suspension(
            &txn,
            m.id,
            kind.code(),
            reason,
            days,
            Some(actor.user_id),
            actor.display_name.clone(),
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("member.propose_suspension", "member", m.id)
                .with(serde_json::json!({"kind": kind.code(), "days_lost": days, "proposal_id": p.id})),
        )
        .await?;
        txn.commit().await?;
        Ok(self.proposal_view(ctx, &m.org_path, p))
    }

    pub async fn proposals_of(&self, ctx: &Ctx, member_id: i64) -> AppResult<Vec<ProposalView>> {
        let m = self.member_for(&self.db, ctx, member_id, Permission::MemberRead).await?;
        Ok(contacts::proposals_of(&self.db, m.id)
            .await?
            .into_iter()
            .map(|p| self.proposal_view(ctx, &m.org_path, p))
            .collect())
    }

    /// The level above approves (the member's status changes: suspended from the day of the decision, or
    /// removed) or declines with a reason.
    pub async fn proposal_decide(
        &self,
        ctx: &Ctx,
        member_id: i64,
        proposal_id: i64,
        input: DecisionInput,
    ) -> AppResult<ProposalView> {
        let actor = ctx.actor()?;
        let note = optional_text(input.note.as_deref(), "审批意见", 500).map_err(|e| AppError::field("note", e))?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let m = self.member_for(&txn, ctx, member_id, Permission::MemberRead).await?;
        // Decisions on one member take turns (two approvers at once would both see the proposal pending);
        // the member is read again under the lock.
        members::lock(&txn, m.id).await?;
        let m = self.member_for(&txn, ctx, member_id, Permission::MemberRead).await?;
        let mut p = contacts::proposals_of(&txn, m.id)
            .await?
            .into_iter()
            .find(|p| p.id == proposal_id)
            .ok_or_else(|| AppError::not_found("建议"))?;
        if !self.decides(ctx, &m.org_path, &p) {
            return Err(AppError::Forbidden("由党员所在党组织的上级党组织审批，建议人不能审批自己的建议".into()));
        }
        if p.status != "pending" {
            let s = ProposalStatus::from_code(&p.status).map_or("", |s| s.label());
            return Err(AppError::conflict(format!("该建议{s}")));
        }
        let today = crate::today();
        let proposed_on = (p.created_at + chrono::Duration::hours(8)).date_naive();
        check_decision_day(input.on, proposed_on, today).map_err(|e| AppError::field("on", e))?;
        if !input.approve && note.is_none() {
            return Err(AppError::field("note", "不批准须说明理由"));
        }
        let kind = ProposalKind::from_code(&p.kind).unwrap_or(ProposalKind::Suspension);
        if input.approve {
            // What the member's record says now must still allow it (a removal needs the suspension kept).
            let lost = m.status == "suspended" || {
                let open = mobility::open_outflow(&txn, m.id).await?;
                let reach = Reach {
                    last_contact: m.last_contact_on,
                    outflow_start: open.map(|r| r.start_date),
                    unreachable_since: m.unreachable_since,
                };
                is_lost(reach, today, self.config.lost_contact_months)
            };
            check_proposal(kind, &m.status, lost, m.suspended_on, today)
                .map_err(|e| AppError::conflict(format!("不能批准：{e}")))?;
            match kind {
                ProposalKind::Suspension => members::set_status(&txn, m.clone(), "suspended", Some(input.on)).await?,
                ProposalKind::Removal => members::set_status(&txn, m.clone(), "left", None).await?,
            };
        }
        p.status = if input.approve { "approved" } else { "rejected" }.into();
        p.decided_on = Some(input.on);
        p.decided_by = Some(actor.user_id);
        p.decided_by_name = Some(actor.display_name.clone());
        p.decision_note = note;
        let p = contacts::save_proposal(&txn, p).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("member.decide_suspension", "member", m.id).with(serde_json::json!({
                "proposal_id": p.id, "kind": p.kind, "approve": input.approve, "on": input.on})),
        )
        .await?;
        txn.commit().await?;
        Ok(self.proposal_view(ctx, &m.org_path, p))
    }

    /// Writes a contact in the member's log; one that reached the member ends the procedure: pending
    /// proposals end, a suspension is lifted (audited, the history kept).
    pub(crate) async fn record_contact(
        &self,
        txn: &impl sea_orm::ConnectionTrait,
        ctx: &Ctx,
        c: NewContact,
    ) -> AppResult<Contact> {
        let (member_id, reached, on) = (c.member_id, c.reached, c.contacted_on);
        let saved = contacts::insert(txn, c).await?;
        if reached {
            // A contact dated before a proposal (or a suspension) does not undo it: only contact regained
            // since.
            let mut ended = 0;
            for mut p in contacts::proposals_of(txn, member_id).await? {
                if p.status == "pending" && (p.created_at + chrono::Duration::hours(8)).date_naive() <= on {
                    p.status = "ended".into();
                    p.ended_on = Some(on);
                    contacts::save_proposal(txn, p).await?;
                    ended += 1;
                }
            }
            #[allow(
                clippy::disallowed_methods,
                reason = "the member whose contact the caller just recorded (reached through a scoped load)"
            )]
            let every = honglian_store::Scope::All(honglian_store::Unscoped::system());
            let lifted = match members::get(txn, &every, member_id).await? {
                Some(m) if m.status == "suspended" && m.suspended_on.is_none_or(|s| on >= s) => {
                    members::set_status(txn, m, "normal", None).await?;
                    true
                }
                _ => false,
            };
            if ended > 0 || lifted {
                self.audit(
                    txn,
                    ctx,
                    Event::ok("member.contact_regained", "member", member_id)
                        .with(serde_json::json!({"proposals_ended": ended, "suspension_lifted": lifted, "on": on})),
                )
                .await?;
            }
        }
        Ok(saved)
    }

    /// Proposals waiting for the caller's decision (the workbench): (count, the first few names).
    pub(crate) async fn proposals_waiting(&self, ctx: &Ctx) -> AppResult<(u64, Vec<String>)> {
        let scope = ctx.actor()?.scope(Permission::MemberWrite)?;
        let list: Vec<String> = contacts::pending_in(&self.db, &scope)
            .await?
            .into_iter()
            .filter(|(p, path, _)| self.decides(ctx, path, p))
            .map(|(p, _, name)| format!("{name}（{}）", ProposalKind::from_code(&p.kind).map_or("", |k| k.label())))
            .collect();
        Ok((list.len() as u64, list))
    }
}

#[cfg(test)]
mod tests {
    use super::parent_path;

    #[test]
    fn the_level_above() {
        assert_eq!(parent_path("/1/2/3/").as_deref(), Some("/1/2/"));
        assert_eq!(parent_path("/1/").as_deref(), None);
    }
}
