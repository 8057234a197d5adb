//! The workbench: what needs the signed-in person today.

use axum::extract::State;
use honglian_app::platform::workbench::Workbench;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::error::ApiResult;
use crate::http::extract::Auth;

/// What needs me today, most urgent first, each with the page where it is done.
#[utoipa::path(get, path = "/workbench", tag = "notifications", responses((status = 200, body = Workbench)))]
async fn workbench(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<Workbench>> {
    Ok(axum::Json(s.app.workbench(&auth.0).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(workbench))
}
