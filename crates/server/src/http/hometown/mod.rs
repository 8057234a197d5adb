//! Hometown: 回乡工程's investment drives and project leads.

use utoipa_axum::router::OpenApiRouter;

use super::AppState;

mod investment;

/// The routes of this area.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(investment::routes())
}
