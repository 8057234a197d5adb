//! Security labels (`domain::platform::labels`): the clearance of accounts, set by the security
//! administrator alone, and the check every unmask of a member's personal fields passes.

use std::collections::HashSet;

use honglian_domain::platform::authz::Permission;
use honglian_domain::platform::labels::SecurityLabel;
use honglian_store::repo::platform::{labels, users};

use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

/// A stored label; an unknown code (written outside the application) reads as the highest: fail closed.
pub(crate) fn label(code: &str) -> SecurityLabel {
    SecurityLabel::from_code(code).unwrap_or(SecurityLabel::Sensitive)
}

impl App {
    /// The caller's clearance (a member reading their own record needs none: see `check_label`).
    pub(crate) async fn clearance(&self, db: &impl sea_orm::ConnectionTrait, ctx: &Ctx) -> AppResult<SecurityLabel> {
        Ok(match ctx.actor_id() {
            // An unknown clearance reads as the lowest: fail closed on this side too.
            Some(uid) => {
                SecurityLabel::from_code(&labels::clearance_of(db, uid).await?).unwrap_or(SecurityLabel::General)
            }
            None => SecurityLabel::Sensitive, // the command line and the system's own jobs
        })
    }

    /// The members whose personal fields an export must mask for the caller whatever their scope:
    /// those labelled above the caller's clearance (few: labels are for the exceptions), so that the
    /// export's streaming needs no query per row.
    pub(crate) async fn labelled_beyond(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        ctx: &Ctx,
    ) -> AppResult<HashSet<i64>> {
        let clearance = self.clearance(db, ctx).await?;
        let own = ctx.actor.as_ref().and_then(|a| a.member_id);
        Ok(labels::labelled(db)
            .await?
            .into_iter()
            .filter(|(id, c)| Some(*id) != own && !clearance.dominates(label(c)))
            .map(|(id, _)| id)
            .collect())
    }

    /// Refuses to show a member's personal fields in clear to a caller whose clearance does not
    /// dominate the record's label (403; the guard audits the refusal). A member's own record is theirs.
    pub(crate) async fn check_label(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        ctx: &Ctx,
        m: &honglian_store::repo::members::registry::Member,
    ) -> AppResult<()> {
        let own = ctx.actor.as_ref().and_then(|a| a.member_id) == Some(m.id);
        if own || self.clearance(db, ctx).await?.dominates(label(&m.security_label)) {
            return Ok(());
        }
        Err(AppError::Forbidden("该党员档案带有“敏感”安全标记：查看明文须由安全管理员授予敏感级权限".into()))
    }

    /// Sets an account's clearance (the security administrator; never their own).
    pub async fn user_set_clearance(&self, ctx: &Ctx, id: i64, clearance: SecurityLabel) -> AppResult<SecurityLabel> {
        ctx.actor()?.require(Permission::UserWrite)?;
        if ctx.actor_id() == Some(id) {
            return Err(AppError::Forbidden("不能给自己设置密级权限".into()));
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        users::get(&txn, id).await?.ok_or_else(|| AppError::not_found("用户"))?;
        let before = labels::clearance_of(&txn, id).await?;
        labels::set_clearance(&txn, id, clearance.code()).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("user.clearance", "user", id).with(serde_json::json!({"from": before, "to": clearance.code()})),
        )
        .await?;
        txn.commit().await?;
        Ok(clearance)
    }
}
