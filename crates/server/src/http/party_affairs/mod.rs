//! Party affairs: dues; recruitment.

use utoipa_axum::router::OpenApiRouter;

use super::AppState;

mod dues;
mod recruitment;

/// The routes of this area.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(dues::routes()).merge(recruitment::routes())
}
