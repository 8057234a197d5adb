//! Goals: key tasks, brand projects, evaluations, incentive grants.

use utoipa_axum::router::OpenApiRouter;

use super::AppState;

mod brands;
mod evaluations;
mod grants;
mod tasks;

/// The routes of this area.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(brands::routes())
        .merge(evaluations::routes())
        .merge(grants::routes())
        .merge(tasks::routes())
}
