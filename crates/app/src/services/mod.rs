//! Services: service places (centres, stations, venues) with the venue standard, and the policy library
//! with its departments.

pub mod departments;
pub mod places;
pub mod policies;
pub mod requests;

use honglian_domain::platform::authz::Permission;
use honglian_store::Scope;

use crate::platform::settings::county_of;
use crate::{App, AppError, AppResult, Ctx};

impl App {
    /// The counties whose county-wide records (departments, policies) the caller reads: those of the
    /// organisations they read (grants and instructor assignments), or for a member without either,
    /// their own organisation's county.
    pub(crate) async fn county_scope(&self, ctx: &Ctx) -> AppResult<Scope> {
        let actor = ctx.actor()?;
        let mut counties: Vec<i64> = match actor.scope(Permission::OrgRead) {
            Ok(Scope::Paths(paths)) => paths.iter().filter_map(|p| county_of(p)).collect(),
            _ => Vec::new(),
        };
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
}
