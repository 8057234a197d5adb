//! Background jobs (e.g. a large import) and their progress.

use axum::extract::State;
use honglian_app::members::import::JobView;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id};

/// A background job of mine (e.g. a large import) with its progress.
#[utoipa::path(get, path = "/jobs/{id}", tag = "imports", params(("id" = honglian_domain::RecordId, Path)), responses((status = 200, body = JobView), (status = 404, body = Problem)))]
async fn job_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<JobView>> {
    Ok(axum::Json(s.app.job_get(&auth.0, id).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(job_get))
}
