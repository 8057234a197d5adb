//! Services: service places (centres, stations, venues) with the venue standard, the policy library
//! with its departments, 红链直通车 requests, outreach visits (送政策送服务送温暖) and needs with matching.

pub mod departments;
pub mod needs;
pub mod outreach;
pub mod places;
pub mod policies;
pub mod requests;

use honglian_domain::platform::authz::Permission;
use honglian_store::Scope;

use honglian_store::repo::services::files::NewFile;

use crate::platform::actor::Actor;
use crate::platform::files::StoredFile;
use crate::platform::settings::county_of;
use crate::{App, AppError, AppResult, Ctx};

/// The record of a file just written to the store by `actor`.
pub(crate) fn new_file(f: StoredFile, actor: &Actor) -> NewFile {
    NewFile {
        filename: f.filename,
        content_type: f.content_type.into(),
        size: f.size,
        key: f.key,
        uploaded_by: Some(actor.user_id),
        uploaded_by_name: actor.display_name.clone(),
    }
}

impl App {
    /// The counties whose county-wide records (departments, policies) the caller reads: those of the
    /// organisations they read (grants and instructor assignments), or for a member without either,
    /// their own organisation's county.
    pub(crate) async fn county_scope(&self, ctx: &Ctx) -> AppResult<Scope> {
        let actor = ctx.actor()?;
        let mut counties: Vec<i64> = Vec::new();
        // Department handlers read their county's library too (their grant names the county), and so
        // do enterprise contacts (the county of the organisation their enterprise is registered under).
        for p in [Permission::OrgRead, Permission::RequestHandle, Permission::EnterpriseSelf] {
            if let Ok(Scope::Paths(paths)) = actor.scope(p) {
                counties.extend(paths.iter().filter_map(|p| county_of(p)));
            }
        }
        if counties.is_empty() && actor.member_id.is_some() {
            counties.extend(county_of(&self.own_member(&self.db, ctx).await?.org_path));
        }
        counties.sort_unstable();
        counties.dedup();
        if counties.is_empty() {
            return Err(AppError::forbidden());
        }
        Ok(Scope::Paths(counties.into_iter().map(|c| format!("/{c}/")).collect()))
    }

    /// The departments whose policies the caller edits: `None` for a county-wide grant (the county
    /// admin), else a department handler's own departments ("a department updates its own policies").
    pub(crate) fn policy_departments(&self, ctx: &Ctx) -> AppResult<Option<Vec<i64>>> {
        let actor = ctx.actor()?;
        let grants: Vec<_> =
            actor.grants.iter().filter(|g| g.role.permissions().contains(&Permission::PolicyWrite)).collect();
        if grants.is_empty() {
            return Err(AppError::forbidden());
        }
        Ok(if grants.iter().any(|g| g.department_id.is_none()) {
            None
        } else {
            Some(grants.iter().filter_map(|g| g.department_id).collect())
        })
    }
}
