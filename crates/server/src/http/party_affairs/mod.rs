//! Party affairs: dues; recruitment; relationship transfers.

use utoipa_axum::router::OpenApiRouter;

use super::AppState;

mod dues;
mod recruitment;
mod transfers;

/// The routes of this area.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(dues::routes()).merge(recruitment::routes()).merge(transfers::routes())
}
