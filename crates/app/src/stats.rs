//! Figures for the overview page, within the caller's scope.

use honglian_domain::authz::Permission;
use honglian_domain::member::{MemberCategory, MemberStatus};
use honglian_domain::org::OrgKind;
use honglian_store::Scope;
use honglian_store::repo::{members, orgs};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{App, AppError, AppResult, Ctx};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Count {
    pub key: String,
    pub label: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Overview {
    pub org_total: i64,
    pub member_total: i64,
    pub orgs_by_kind: Vec<Count>,
    pub members_by_category: Vec<Count>,
    pub members_by_status: Vec<Count>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverviewQuery {
    /// Restrict to this organisation's subtree.
    pub org: Option<i64>,
}

impl App {
    pub async fn stats_overview(&self, ctx: &Ctx, q: OverviewQuery) -> AppResult<Overview> {
        let actor = ctx.actor()?;
        let org_scope = actor.scope(Permission::OrgRead)?;
        let member_scope = actor.scope(Permission::MemberRead)?;
        let (org_scope, member_scope) = match q.org {
            Some(id) => match orgs::get(&self.db, id).await? {
                Some(o) if org_scope.contains(&o.path) => {
                    let narrowed = Scope::Paths(vec![o.path.clone()]);
                    let ms = if member_scope.contains(&o.path) {
                        narrowed.clone()
                    } else {
                        Scope::none()
                    };
                    (narrowed, ms)
                }
                _ => return Err(AppError::not_found("党组织")),
            },
            None => (org_scope, member_scope),
        };
        let kinds = orgs::count_by_kind(&self.db, &org_scope).await?;
        let orgs_by_kind: Vec<Count> = OrgKind::ALL
            .iter()
            .filter_map(|k| {
                kinds
                    .iter()
                    .find(|(c, _)| c == k.code())
                    .map(|(_, n)| Count {
                        key: k.code().into(),
                        label: k.label().into(),
                        count: *n,
                    })
            })
            .collect();
        let cats = members::count_by(&self.db, &member_scope, "category").await?;
        let statuses = members::count_by(&self.db, &member_scope, "status").await?;
        let members_by_category = MemberCategory::ALL
            .iter()
            .map(|c| Count {
                key: c.code().into(),
                label: c.label().into(),
                count: cats
                    .iter()
                    .find(|(k, _)| k == c.code())
                    .map(|x| x.1)
                    .unwrap_or(0),
            })
            .collect();
        let members_by_status: Vec<Count> = MemberStatus::ALL
            .iter()
            .map(|s| Count {
                key: s.code().into(),
                label: s.label().into(),
                count: statuses
                    .iter()
                    .find(|(k, _)| k == s.code())
                    .map(|x| x.1)
                    .unwrap_or(0),
            })
            .collect();
        Ok(Overview {
            org_total: orgs_by_kind.iter().map(|c| c.count).sum(),
            member_total: members_by_status.iter().map(|c| c.count).sum(),
            orgs_by_kind,
            members_by_category,
            members_by_status,
        })
    }
}
