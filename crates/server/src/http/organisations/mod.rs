//! Organisations: the tree, host entities and coverage.

use utoipa_axum::router::OpenApiRouter;

use super::AppState;

mod committee;
mod coverage;
mod orgs;

/// The routes of this area.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(committee::routes()).merge(coverage::routes()).merge(orgs::routes())
}
