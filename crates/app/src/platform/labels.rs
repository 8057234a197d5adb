//! Security labels (`domain::platform::labels`): the clearance of accounts, set by the security
//! administrator alone, and the check every unmask of a member's personal fields passes.

use std::collections::HashSet;

use honglian_domain::platform::authz::Permission;
use honglian_domain::platform::labels::SecurityLabel;
use honglian_store::repo::platform::{labels, users};

use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

fn label(code: &str) -> SecurityLabel {
    // An unknown code (written outside the application) is read as the highest label: fail closed.
    SecurityLabel::from_code(code).unwrap_or(SecurityLabel::Sensitive)
}

impl App {
    /// The caller's clearance (a member reading their own record needs none: see `check_labels`).
    pub(crate) async fn clearance(&self, db: &impl sea_orm::ConnectionTrait, ctx: &Ctx) -> AppResult<SecurityLabel> {
        Ok(match ctx.actor_id() {
            Some(uid) => label(&labels::clearance_of(db, uid).await?),
            None => SecurityLabel::Sensitive, // the command line and the system's own jobs
        })
    }

    /// The label of a member record.
    pub(crate) async fn member_label(&self, db: &impl sea_orm::ConnectionTrait, id: i64) -> AppResult<SecurityLabel> {
        Ok(labels::labels_of(db, &[id]).await?.get(&id).map_or(SecurityLabel::General, |c| label(c)))
    }

    /// Of these members (already in the caller's scope), those whose personal fields the caller's
    /// clearance lets them read in clear. A member's own record is always theirs.
    pub(crate) async fn readable_in_clear(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        ctx: &Ctx,
        ids: &[i64],
    ) -> AppResult<HashSet<i64>> {
        let clearance = self.clearance(db, ctx).await?;
        let own = ctx.actor.as_ref().and_then(|a| a.member_id);
        let labelled = labels::labels_of(db, ids).await?;
        Ok(ids
            .iter()
            .copied()
            .filter(|id| Some(*id) == own || labelled.get(id).is_none_or(|c| clearance.dominates(label(c))))
            .collect())
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
    /// dominate the record's label (403; the guard audits the refusal).
    pub(crate) async fn check_label(&self, db: &impl sea_orm::ConnectionTrait, ctx: &Ctx, id: i64) -> AppResult<()> {
        if self.readable_in_clear(db, ctx, &[id]).await?.contains(&id) {
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
