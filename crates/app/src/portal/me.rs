//! 我的: the signed-in member's own record (masked), their branch and, while away, where they are and
//! the organisation receiving them there.

use serde::Serialize;
use utoipa::ToSchema;

use crate::members::mobility::MobilityView;
use crate::members::registry::MemberView;
use crate::{App, AppError, AppResult, Ctx};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyProfile {
    /// The member's own record, masked as any view without unmask.
    pub member: MemberView,
    /// The open outflow (外出中): where they are and the organisation receiving them there.
    pub outflow: Option<MobilityView>,
}

impl App {
    pub async fn my_profile(&self, ctx: &Ctx) -> AppResult<MyProfile> {
        let member_id = ctx.actor()?.member_id.ok_or_else(|| AppError::Forbidden("该账号没有关联党员档案".into()))?;
        let member = self.member_get(ctx, member_id).await?;
        let outflow = self
            .member_mobility(ctx, member_id)
            .await?
            .into_iter()
            .find(|r| r.direction == "outflow" && r.status == "open");
        Ok(MyProfile { member, outflow })
    }
}
