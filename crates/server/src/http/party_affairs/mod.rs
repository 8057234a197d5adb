//! Party affairs: dues.

use utoipa_axum::router::OpenApiRouter;

use super::AppState;

mod dues;

/// The routes of this area.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(dues::routes())
}
