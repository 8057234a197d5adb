//! The policy library (惠企政策).

use axum::extract::State;
use axum::http::StatusCode;
use honglian_app::services::policies::{PolicyDetail, PolicyInput, PolicyPage, PolicyQuery};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Json, Query};

/// Search my county's policies: words (two-character words found), department, industry, size, validity.
#[utoipa::path(get, path = "/policies", tag = "policies", params(PolicyQuery), responses((status = 200, body = PolicyPage)))]
async fn policy_search(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<PolicyQuery>,
) -> ApiResult<axum::Json<PolicyPage>> {
    Ok(axum::Json(s.app.policy_search(&auth.0, q).await?))
}

/// Add a policy (county admins).
#[utoipa::path(post, path = "/policies", tag = "policies", request_body = PolicyInput,
    responses((status = 201, body = PolicyDetail), (status = 422, body = Problem)))]
async fn policy_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(p): Json<PolicyInput>,
) -> ApiResult<(StatusCode, axum::Json<PolicyDetail>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.policy_create(&auth.0, p).await?)))
}

/// One policy with its full text.
#[utoipa::path(get, path = "/policies/{id}", tag = "policies", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = PolicyDetail)))]
async fn policy_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<PolicyDetail>> {
    Ok(axum::Json(s.app.policy_get(&auth.0, id).await?))
}

/// Edit a policy (county admins).
#[utoipa::path(patch, path = "/policies/{id}", tag = "policies", params(("id" = honglian_domain::RecordId, Path)), request_body = PolicyInput,
    responses((status = 200, body = PolicyDetail), (status = 422, body = Problem)))]
async fn policy_update(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(p): Json<PolicyInput>,
) -> ApiResult<axum::Json<PolicyDetail>> {
    Ok(axum::Json(s.app.policy_update(&auth.0, id, p).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(policy_search, policy_create)).routes(routes!(policy_get, policy_update))
}
