//! Statistics: the overview figures and the outflow distribution.

use axum::extract::State;
use honglian_app::members::stats::{OutflowQuery, OutflowStats, Overview, OverviewQuery};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::error::ApiResult;
use crate::http::extract::{Auth, Query};

/// Figures for the overview page within my scope.
#[utoipa::path(get, path = "/stats/overview", tag = "stats", params(OverviewQuery), responses((status = 200, body = Overview)))]
async fn overview(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<OverviewQuery>,
) -> ApiResult<axum::Json<Overview>> {
    Ok(axum::Json(s.app.stats_overview(&auth.0, q).await?))
}

/// Outflow distribution of a subtree: by province, city, receiving organisation and reason.
#[utoipa::path(get, path = "/stats/outflow", tag = "stats", params(OutflowQuery), responses((status = 200, body = OutflowStats)))]
async fn stats_outflow(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<OutflowQuery>,
) -> ApiResult<axum::Json<OutflowStats>> {
    Ok(axum::Json(s.app.stats_outflow(&auth.0, q).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(overview)).routes(routes!(stats_outflow))
}
