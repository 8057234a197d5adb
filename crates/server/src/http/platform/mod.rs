//! Platform: session, users and grants, audit, reference data, notifications, jobs, the workbench, the
//! notice on personal information (个人信息处理规则).

use utoipa_axum::router::OpenApiRouter;

use super::AppState;

mod audit;
mod jobs;
mod labels;
mod meta;
mod notifications;
mod privacy;
pub(crate) mod session;
mod users;
mod workbench;

/// The routes of this area.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(audit::routes())
        .merge(jobs::routes())
        .merge(labels::routes())
        .merge(meta::routes())
        .merge(notifications::routes())
        .merge(privacy::routes())
        .merge(session::routes())
        .merge(users::routes())
        .merge(workbench::routes())
}
