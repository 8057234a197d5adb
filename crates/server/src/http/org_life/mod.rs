//! Organisational life: activities and the duty engine.

use utoipa_axum::router::OpenApiRouter;

use super::AppState;

mod activities;
mod duties;

/// The routes of this area.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(activities::routes()).merge(duties::routes())
}
