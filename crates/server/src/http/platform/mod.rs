//! Platform: session, users and grants, audit, reference data, notifications, jobs, the workbench.

use utoipa_axum::router::OpenApiRouter;

use super::AppState;

mod audit;
mod jobs;
mod meta;
mod notifications;
pub(crate) mod session;
mod users;
mod workbench;

/// The routes of this area.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(audit::routes())
        .merge(jobs::routes())
        .merge(meta::routes())
        .merge(notifications::routes())
        .merge(session::routes())
        .merge(users::routes())
        .merge(workbench::routes())
}
