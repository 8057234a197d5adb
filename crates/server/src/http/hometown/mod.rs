//! Hometown: 回乡工程's investment drives and project leads, 关爱工程's care fund, 先锋工程's honours.

use utoipa_axum::router::OpenApiRouter;

use super::AppState;

mod care;
mod honours;
mod investment;

/// The routes of this area.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(care::routes()).merge(honours::routes()).merge(investment::routes())
}
