//! Services: service places and the venue standard, the policy library and the county's departments.

use utoipa_axum::router::OpenApiRouter;

use super::AppState;

mod departments;
mod places;
mod policies;
mod requests;

/// The routes of this area.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(departments::routes())
        .merge(places::routes())
        .merge(policies::routes())
        .merge(requests::routes())
}
