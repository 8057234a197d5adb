//! County departments (县直部门): the windows in service centres, the issuers of policies and, with
//! 红链直通车, the handlers of service requests. Kept by the county admin.

use honglian_domain::platform::authz::Permission;
use honglian_domain::validation::required_text;
use honglian_store::repo::services::departments::{self, Department};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DepartmentView {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DepartmentQuery {
    /// A county (its root organisation): for the security admin granting a department handler.
    pub county: Option<honglian_domain::RecordId>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DepartmentInput {
    pub name: String,
}

pub(crate) fn view(d: &Department) -> DepartmentView {
    DepartmentView { id: d.id, name: d.name.clone() }
}

impl App {
    /// The departments of the caller's county; the security admin names the county of the grant
    /// they are adding (department names are configuration, not business data).
    pub async fn department_list(&self, ctx: &Ctx, q: DepartmentQuery) -> AppResult<Vec<DepartmentView>> {
        let scope = match q.county {
            Some(c) if ctx.actor()?.deployment_wide(Permission::UserWrite).is_ok() => {
                honglian_store::Scope::Paths(vec![format!("/{}/", c.get())])
            }
            _ => self.county_scope(ctx).await?,
        };
        Ok(departments::list(&self.db, &scope).await?.iter().map(view).collect())
    }

    /// Adds a department to the caller's county (county admins).
    pub async fn department_create(&self, ctx: &Ctx, input: DepartmentInput) -> AppResult<DepartmentView> {
        let county = self.writer_county(ctx, Permission::PolicyWrite)?;
        if self.policy_departments(ctx)?.is_some() {
            return Err(AppError::Forbidden("县直部门由县级管理员维护".into()));
        }
        let name = required_text(&input.name, "部门名称", 40).map_err(|m| AppError::field("name", m))?;
        let county_path = format!("/{county}/");
        let txn = honglian_store::begin_write(&self.db).await?;
        if departments::by_name(&txn, &county_path, &name).await?.is_some() {
            return Err(AppError::field("name", format!("本县已有“{name}”")));
        }
        let sort =
            departments::list(&txn, &honglian_store::Scope::Paths(vec![county_path.clone()])).await?.len() as i32;
        let d = departments::insert(&txn, &county_path, &name, sort + 1).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("department.create", "department", d.id).with(serde_json::json!({"name": name})),
        )
        .await?;
        txn.commit().await?;
        Ok(view(&d))
    }

    /// Renames a department of the caller's county.
    pub async fn department_update(&self, ctx: &Ctx, id: i64, input: DepartmentInput) -> AppResult<DepartmentView> {
        let scope = ctx.actor()?.scope(Permission::PolicyWrite)?;
        if self.policy_departments(ctx)?.is_some() {
            return Err(AppError::Forbidden("县直部门由县级管理员维护".into()));
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        let current = departments::get(&txn, &scope, id).await?.ok_or_else(|| AppError::not_found("部门"))?;
        let name = required_text(&input.name, "部门名称", 40).map_err(|m| AppError::field("name", m))?;
        if let Some(other) = departments::by_name(&txn, &current.county_path, &name).await?
            && other.id != id
        {
            return Err(AppError::field("name", format!("本县已有“{name}”")));
        }
        let d = departments::rename(&txn, current, &name).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("department.update", "department", d.id).with(serde_json::json!({"name": name})),
        )
        .await?;
        txn.commit().await?;
        Ok(view(&d))
    }
}
