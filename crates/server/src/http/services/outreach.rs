//! 送政策、送服务、送温暖上门: outreach visits to enterprises and their figures.

use axum::extract::State;
use axum::http::StatusCode;
use honglian_app::services::outreach::{
    OutreachFigures, OutreachFiguresQuery, OutreachInput, OutreachPage, OutreachQuery, OutreachView,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Json, Query};

/// The visits of my subtree, the newest first (filter by organisation, enterprise, kind, year).
#[utoipa::path(get, path = "/outreach-visits", tag = "outreach", params(OutreachQuery), responses((status = 200, body = OutreachPage)))]
async fn outreach_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<OutreachQuery>,
) -> ApiResult<axum::Json<OutreachPage>> {
    Ok(axum::Json(s.app.outreach_list(&auth.0, q).await?))
}

/// Record a visit to an enterprise of the organisation's coverage registry.
#[utoipa::path(post, path = "/outreach-visits", tag = "outreach", request_body = OutreachInput,
    responses((status = 201, body = OutreachView), (status = 422, body = Problem)))]
async fn outreach_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(v): Json<OutreachInput>,
) -> ApiResult<(StatusCode, axum::Json<OutreachView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.outreach_create(&auth.0, v).await?)))
}

/// One visit with the policies and requests it delivered.
#[utoipa::path(get, path = "/outreach-visits/{id}", tag = "outreach", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = OutreachView)))]
async fn outreach_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<OutreachView>> {
    Ok(axum::Json(s.app.outreach_get(&auth.0, id).await?))
}

/// Change a visit of my subtree.
#[utoipa::path(patch, path = "/outreach-visits/{id}", tag = "outreach", params(("id" = honglian_domain::RecordId, Path)), request_body = OutreachInput,
    responses((status = 200, body = OutreachView), (status = 422, body = Problem)))]
async fn outreach_update(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(v): Json<OutreachInput>,
) -> ApiResult<axum::Json<OutreachView>> {
    Ok(axum::Json(s.app.outreach_update(&auth.0, id, v).await?))
}

/// Delete a visit of my subtree.
#[utoipa::path(delete, path = "/outreach-visits/{id}", tag = "outreach", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 204)))]
async fn outreach_delete(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<StatusCode> {
    s.app.outreach_delete(&auth.0, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Visits by month and kind in a year, over my subtree.
#[utoipa::path(get, path = "/outreach-visits/figures", tag = "outreach", params(OutreachFiguresQuery), responses((status = 200, body = OutreachFigures)))]
async fn outreach_figures(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<OutreachFiguresQuery>,
) -> ApiResult<axum::Json<OutreachFigures>> {
    Ok(axum::Json(s.app.outreach_figures(&auth.0, q).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(outreach_list, outreach_create))
        .routes(routes!(outreach_figures))
        .routes(routes!(outreach_get, outreach_update, outreach_delete))
}
