//! A member record's security label (`domain::platform::labels`): raised by whoever may unmask the
//! record, lowered only with the clearance the label asks for; audited.

use honglian_domain::platform::authz::Permission;
use honglian_domain::platform::labels::{SecurityLabel, check_relabel};
use honglian_store::repo::platform::labels;

use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

impl App {
    pub async fn member_set_label(&self, ctx: &Ctx, id: i64, to: SecurityLabel) -> AppResult<SecurityLabel> {
        let txn = honglian_store::begin_write(&self.db).await?;
        let m = self.member_for(&txn, ctx, id, Permission::MemberUnmask).await?;
        let from = crate::platform::labels::label(&m.security_label);
        let clearance = self.clearance(&txn, ctx).await?;
        check_relabel(clearance, from, to).map_err(|m| AppError::Forbidden(m.into()))?;
        if from != to {
            labels::set_label(&txn, m.id, to.code()).await?;
            self.audit(
                &txn,
                ctx,
                Event::ok("member.label", "member", m.id)
                    .with(serde_json::json!({"from": from.code(), "to": to.code()})),
            )
            .await?;
        }
        txn.commit().await?;
        Ok(to)
    }
}
