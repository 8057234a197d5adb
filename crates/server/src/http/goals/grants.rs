//! Incentive grants (以奖代补): criteria, scoring, approval, disbursement.

use axum::extract::State;
use honglian_app::goals::grants::{AssessInput, DisburseInput, GrantQuery, IncentiveGrantView, ManualInput};
use honglian_domain::goals::grant::GrantCriteria;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Json, Query};
use crate::http::{AppState, ListResponse, list};

/// The grant criteria and tiers (amounts in fen).
#[utoipa::path(get, path = "/grant-criteria", tag = "grants", responses((status = 200, body = GrantCriteria)))]
async fn criteria_get(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<GrantCriteria>> {
    Ok(axum::Json(s.app.grant_criteria(&auth.0).await?))
}

/// Change the criteria and tiers (weights sum to 100).
#[utoipa::path(put, path = "/grant-criteria", tag = "grants", request_body = GrantCriteria,
    responses((status = 200, body = GrantCriteria), (status = 422, body = Problem)))]
async fn criteria_put(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<GrantCriteria>,
) -> ApiResult<axum::Json<GrantCriteria>> {
    Ok(axum::Json(s.app.set_grant_criteria(&auth.0, b).await?))
}

/// Incentive grants of a year.
#[utoipa::path(get, path = "/incentive-grants", tag = "grants", params(GrantQuery), responses((status = 200, body = ListResponse<IncentiveGrantView>)))]
async fn grant_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<GrantQuery>,
) -> ApiResult<axum::Json<ListResponse<IncentiveGrantView>>> {
    Ok(list(s.app.grant_list(&auth.0, q).await?))
}

/// Score every grantee of a subtree from coverage, duty lights, tasks and brand projects.
#[utoipa::path(post, path = "/incentive-grants/assess", tag = "grants", request_body = AssessInput,
    responses((status = 200, body = ListResponse<IncentiveGrantView>), (status = 422, body = Problem)))]
async fn grant_assess(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<AssessInput>,
) -> ApiResult<axum::Json<ListResponse<IncentiveGrantView>>> {
    Ok(list(s.app.grant_assess(&auth.0, b).await?))
}

/// The assessors' manual part of a proposal.
#[utoipa::path(put, path = "/incentive-grants/{id}/manual", tag = "grants", params(("id" = honglian_domain::RecordId, Path)), request_body = ManualInput,
    responses((status = 200, body = IncentiveGrantView), (status = 422, body = Problem)))]
async fn grant_manual(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<ManualInput>,
) -> ApiResult<axum::Json<IncentiveGrantView>> {
    Ok(axum::Json(s.app.grant_manual(&auth.0, id, b).await?))
}

/// Approve a grant at its tier's amount (audited).
#[utoipa::path(post, path = "/incentive-grants/{id}/approve", tag = "grants", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = IncentiveGrantView), (status = 409, body = Problem)))]
async fn grant_approve(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<IncentiveGrantView>> {
    Ok(axum::Json(s.app.grant_approve(&auth.0, id).await?))
}

/// Record the disbursement in exact fen (audited).
#[utoipa::path(post, path = "/incentive-grants/{id}/disburse", tag = "grants", params(("id" = honglian_domain::RecordId, Path)), request_body = DisburseInput,
    responses((status = 200, body = IncentiveGrantView), (status = 422, body = Problem)))]
async fn grant_disburse(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<DisburseInput>,
) -> ApiResult<axum::Json<IncentiveGrantView>> {
    Ok(axum::Json(s.app.grant_disburse(&auth.0, id, b).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(criteria_get, criteria_put))
        .routes(routes!(grant_list))
        .routes(routes!(grant_assess))
        .routes(routes!(grant_manual))
        .routes(routes!(grant_approve))
        .routes(routes!(grant_disburse))
}
