//! The duty engine's results, the compliance board and the rules.

use axum::extract::State;
use honglian_app::org_life::duties::{Board, DutyItem, DutyQuery};
use honglian_domain::org_life::duty::DutyRule;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Json, Query};

#[derive(Debug, Serialize, ToSchema)]
pub struct DutyList {
    pub items: Vec<DutyItem>,
    pub total: u64,
}

/// Duties of an organisation's subtree for a year: done / due / overdue with blue / yellow / red.
#[utoipa::path(get, path = "/duties", tag = "duties", params(DutyQuery), responses((status = 200, body = DutyList)))]
async fn duty_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<DutyQuery>,
) -> ApiResult<axum::Json<DutyList>> {
    let items = s.app.duty_list(&auth.0, q).await?;
    Ok(axum::Json(DutyList { total: items.len() as u64, items }))
}

/// The compliance board: organisations × months, worst first.
#[utoipa::path(get, path = "/duties/board", tag = "duties", params(DutyQuery), responses((status = 200, body = Board)))]
async fn duty_board(State(s): State<AppState>, auth: Auth, Query(q): Query<DutyQuery>) -> ApiResult<axum::Json<Board>> {
    Ok(axum::Json(s.app.duty_board(&auth.0, q).await?))
}

/// The duty rules in force in the caller's county.
#[utoipa::path(get, path = "/duty-rules", tag = "duties", responses((status = 200, body = Vec<DutyRule>)))]
async fn rules_get(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<Vec<DutyRule>>> {
    Ok(axum::Json(s.app.duty_rules(&auth.0).await?))
}

/// Replace the duty rules of the caller's county (its county admin).
#[utoipa::path(put, path = "/duty-rules", tag = "duties", request_body = Vec<DutyRule>, responses((status = 200, body = Vec<DutyRule>), (status = 422, body = Problem)))]
async fn rules_put(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<Vec<DutyRule>>,
) -> ApiResult<axum::Json<Vec<DutyRule>>> {
    Ok(axum::Json(s.app.set_duty_rules(&auth.0, b).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(duty_list)).routes(routes!(duty_board)).routes(routes!(rules_get, rules_put))
}
