//! Communities: regional organisations and alliances, instructors.

use utoipa_axum::router::OpenApiRouter;

use super::AppState;

mod instructors;
mod registry;

/// The routes of this area.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(instructors::routes()).merge(registry::routes())
}
