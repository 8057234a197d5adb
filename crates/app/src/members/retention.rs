//! PIPL retention (§19) and deletion (§47) of a departed member's personal fields, and the notice
//! (个人信息处理规则, §§7, 17). The rule — which members, which fields, the period — is
//! `honglian_domain::members::retention`; the SQL is `repo::members::retention`.
//!
//! - The hourly round ([`App::erase_due_personal_data`]) erases the members whose period is over, in
//!   batches of [`BATCH`]: each batch is one short write transaction with one system audit record naming
//!   the members (never a value). A batch is all or nothing and only members not yet erased are found,
//!   so a round killed half-way is finished by the next one, and running it twice changes nothing.
//! - A worker who manages the member's organisation (`member.write` there) and may unmask the member
//!   erases a departed member's fields at once when asked ([`App::member_erase_personal`], 删除个人信息),
//!   with a reason, audited. A member still on the roll cannot be erased.
//! - The notice is public ([`App::privacy_notice`]); the portal records which version a member was
//!   shown when they opened their invitation ([`App::privacy_notice_shown`]). Nothing is asked of them.

use chrono::{NaiveDate, Utc};
use honglian_domain::members::member::MemberStatus;
use honglian_domain::members::retention::{
    self as rule, PrivacyNotice, birth_year_only, erase_cutoff, erased_fields, erased_id_marker,
};
use honglian_domain::platform::authz::Permission;
use honglian_store::Scope;
use honglian_store::repo::members::registry::{self as members, Member};
use honglian_store::repo::members::retention::{self as repo, Erasure};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::members::registry::MemberView;
use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

/// Members erased per write transaction by the hourly round: a few milliseconds of SQLite's write lock.
pub const BATCH: u64 = 50;

/// A request to erase a departed member's personal fields (删除个人信息).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ErasureRequest {
    /// Why, e.g. 本人申请删除 (2–200 characters); recorded in the audit log.
    pub reason: String,
}

/// Which version of the notice was shown, and where.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NoticeShown {
    /// The notice's `version` as it was shown.
    pub version: String,
    /// `activation` (opening an invitation on the phone, the default) or `portal` (我的).
    pub occasion: Option<String>,
}

impl App {
    /// The notice as this deployment states it: its controller, contact and retention period.
    pub fn privacy_notice(&self) -> PrivacyNotice {
        let p = &self.config.security.privacy;
        rule::privacy_notice(&p.controller, &p.contact, p.retention_years)
    }

    /// Records (in the audit log) that the signed-in user was shown a version of the notice: the portal
    /// sends it when a member has opened their invitation. Nothing is asked of the member.
    pub async fn privacy_notice_shown(&self, ctx: &Ctx, input: NoticeShown) -> AppResult<()> {
        let actor = ctx.actor()?;
        let version = input.version.trim();
        if version.is_empty() || version.chars().count() > 40 {
            return Err(AppError::field("version", "个人信息处理规则的版本号无效"));
        }
        let occasion = match input.occasion.as_deref().map(str::trim).unwrap_or("activation") {
            o @ ("activation" | "portal") => o,
            _ => return Err(AppError::field("occasion", "场合应为 activation 或 portal")),
        };
        let current = self.privacy_notice().version;
        let txn = honglian_store::begin_write(&self.db).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("privacy_notice.shown", "user", actor.user_id).with(serde_json::json!({
                "version": version,
                "current": version == current,
                "occasion": occasion,
                "member_id": actor.member_id,
            })),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Erases a departed member's personal fields at once (PIPL §47), on the member's or their family's
    /// request: by a worker who manages the member's organisation and may unmask the member. 404 outside
    /// the caller's scope, 403 without the permissions, 422 without a reason or for a member still on the
    /// roll, 409 when already erased.
    pub async fn member_erase_personal(&self, ctx: &Ctx, id: i64, input: ErasureRequest) -> AppResult<MemberView> {
        let actor = ctx.actor()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        members::lock(&txn, id).await?;
        let m = self.member_home(&txn, ctx, id, "删除个人信息").await?;
        // Erasing takes what unmasking takes over the member's organisation, on top of managing them.
        if !actor.scope(Permission::MemberUnmask).is_ok_and(|s| s.contains(&m.org_path)) {
            return Err(AppError::Forbidden("删除党员个人信息需有查看该党员敏感信息的权限".into()));
        }
        let reason = rule::check_reason(&input.reason).map_err(|e| AppError::field("reason", e))?;
        let status = MemberStatus::from_code(&m.status).unwrap_or(MemberStatus::Normal);
        rule::check_erasable(status).map_err(|e| AppError::field("status", e))?;
        if let Some(at) = m.personal_erased_at {
            return Err(erased_already(at));
        }
        if !self.erase_member_in(&txn, &m, None, Utc::now()).await? {
            return Err(AppError::conflict("该党员的个人信息已删除或状态已变更，请刷新后重试"));
        }
        repo::erase_related(&txn, &[m.id]).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("member.erase_personal", "member", m.id).with(serde_json::json!({
                "basis": "request",
                "reason": reason,
                "status": m.status,
                "left_on": m.left_on,
                "fields": erased_fields(),
            })),
        )
        .await?;
        txn.commit().await?;
        let write = actor.scope(Permission::MemberWrite)?;
        let (m, org_name) =
            members::get_with_org_name(&self.db, &write, id).await?.ok_or_else(|| AppError::not_found("党员"))?;
        self.member_view(m, org_name, Some(&write))
    }

    /// The hourly round's part: erases the personal fields of every departed member whose retention
    /// period is over, a batch per transaction, each batch audited as one system event with the members'
    /// ids. Returns how many members were erased. Nothing with a period of 0.
    pub async fn erase_due_personal_data(&self) -> AppResult<u64> {
        let years = self.config.security.privacy.retention_years;
        let Some(cutoff) = erase_cutoff(crate::today(), years) else {
            return Ok(0);
        };
        // The retention job covers the whole deployment, like the reminders.
        #[allow(clippy::disallowed_methods, reason = "the retention job covers the whole deployment")]
        let everything = Scope::All(honglian_store::Unscoped::system());
        let (mut after, mut total) = (0, 0);
        loop {
            // Found with a read; each one checked again under the write lock (`erase_member`'s conditions).
            let ids = repo::due(&self.db, cutoff, after, BATCH).await?;
            let Some(&last) = ids.last() else { break };
            after = last;
            let txn = honglian_store::begin_write(&self.db).await?;
            let now = Utc::now();
            let mut erased = Vec::with_capacity(ids.len());
            for &id in &ids {
                members::lock(&txn, id).await?;
                let Some(m) = members::get(&txn, &everything, id).await? else { continue };
                if self.erase_member_in(&txn, &m, Some(cutoff), now).await? {
                    erased.push(m.id);
                }
            }
            if !erased.is_empty() {
                repo::erase_related(&txn, &erased).await?;
                let ev = Event {
                    action: "member.erase_personal",
                    object_type: "member",
                    object_id: None,
                    result: "ok",
                    detail: serde_json::json!({
                        "basis": "retention",
                        "retention_years": years,
                        "left_on_or_before": cutoff,
                        "members": erased,
                        "fields": erased_fields(),
                    }),
                };
                self.audit(&txn, &Ctx::system(), ev).await?;
            }
            txn.commit().await?;
            total += erased.len() as u64;
            if (ids.len() as u64) < BATCH {
                break;
            }
        }
        Ok(total)
    }

    /// Erases one member's own fields and replaces their recruitment record's ID number and birth date, in
    /// the caller's transaction (the rows about them: `repo::erase_related`). `left_by`: only a member who
    /// left on or before that day. False when the member was not erasable (any more).
    async fn erase_member_in(
        &self,
        txn: &impl sea_orm::ConnectionTrait,
        m: &Member,
        left_by: Option<NaiveDate>,
        now: chrono::DateTime<Utc>,
    ) -> AppResult<bool> {
        let marker = erased_id_marker("members", m.id);
        let bidx = self.crypto.blind_index("id_number", &marker);
        let e = Erasure {
            id_number_enc: self.crypto.seal(&marker, &Self::aad("id_number", &bidx)),
            id_number_bidx: bidx,
            birth_date: birth_year_only(m.birth_date),
            at: now,
        };
        if !repo::erase_member(txn, m.id, &e, left_by).await? {
            return Ok(false);
        }
        for (recruit, birth) in repo::recruits_of(txn, m.id).await? {
            let marker = erased_id_marker("recruits", recruit);
            let bidx = self.crypto.blind_index("id_number", &marker);
            let sealed = self.crypto.seal(&marker, &Self::recruit_aad("id_number", &bidx));
            repo::erase_recruit(txn, recruit, sealed, bidx, birth_year_only(birth)).await?;
        }
        Ok(true)
    }
}

fn erased_already(at: chrono::DateTime<Utc>) -> AppError {
    let day = (at + chrono::Duration::hours(8)).date_naive();
    AppError::conflict(format!("该党员的个人信息已于 {day} 删除"))
}

#[cfg(test)]
mod tests {
    use crate::platform::rotation::SEALED;
    use honglian_domain::members::retention::{KEPT, MEMBER_CLEARED, MEMBER_REPLACED, NOTIFY_CLEARED, RELATED};

    /// Every sealed column of a table about a member is either erased or kept for a stated reason, so
    /// that a new sealed column of such a table needs a decision here.
    #[test]
    fn every_sealed_column_about_a_member_is_erased_or_kept_for_a_reason() {
        for t in SEALED {
            if KEPT.iter().any(|(k, _)| *k == t.table) {
                continue;
            }
            let erased: Vec<&str> = match t.table {
                "members" => MEMBER_CLEARED.iter().chain(MEMBER_REPLACED).copied().collect(),
                "notify_prefs" => NOTIFY_CLEARED.to_vec(),
                // An organisation's group robots, an account's second-factor secret: credentials, not
                // information about a person.
                "robots" | "users" => continue,
                // A recruit's ID number is replaced like the member's; the rest is cleared.
                "recruits" => {
                    let r = RELATED.iter().find(|r| r.table == "recruits").expect("recruits are erased");
                    r.cleared.iter().copied().chain(["id_number_enc", "id_number_bidx"]).collect()
                }
                other => RELATED
                    .iter()
                    .find(|r| r.table == other)
                    .unwrap_or_else(|| panic!("{other}: no decision"))
                    .cleared
                    .to_vec(),
            };
            for c in t.columns {
                assert!(erased.contains(c), "{}.{c} is sealed but neither erased nor kept", t.table);
            }
        }
    }
}
