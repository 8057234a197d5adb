//! Services: service places and the venue standard, the policy library and the county's departments,
//! 红链直通车 requests, outreach visits and needs.

use utoipa_axum::router::OpenApiRouter;

use super::AppState;

mod departments;
mod needs;
mod outreach;
mod places;
mod policies;
mod requests;

/// The routes of this area.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(departments::routes())
        .merge(needs::routes())
        .merge(outreach::routes())
        .merge(places::routes())
        .merge(policies::routes())
        .merge(requests::routes())
}
