//! Needs and matching (诉求与建议): submitted by members and enterprises or recorded in the console,
//! their threads, suggested matches, the accepted one and the outcome.

use axum::extract::State;
use axum::http::StatusCode;
use honglian_app::services::needs::{
    AcceptInput, MessageInput, NeedDetail, NeedInput, NeedPage, NeedQuery, OutcomeInput,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Json, Query};

/// The needs I reach (mine, my enterprise's, my organisations'), open ones first.
#[utoipa::path(get, path = "/needs", tag = "needs", params(NeedQuery), responses((status = 200, body = NeedPage)))]
async fn need_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<NeedQuery>,
) -> ApiResult<axum::Json<NeedPage>> {
    Ok(axum::Json(s.app.need_list(&auth.0, q).await?))
}

/// Submit a need (a member or an enterprise contact), or record one for a member or an enterprise (the console).
#[utoipa::path(post, path = "/needs", tag = "needs", request_body = NeedInput,
    responses((status = 201, body = NeedDetail), (status = 422, body = Problem)))]
async fn need_submit(
    State(s): State<AppState>,
    auth: Auth,
    Json(n): Json<NeedInput>,
) -> ApiResult<(StatusCode, axum::Json<NeedDetail>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.need_submit(&auth.0, n).await?)))
}

/// One need with its thread; for the service team while it is open, the suggested matches and why.
#[utoipa::path(get, path = "/needs/{id}", tag = "needs", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = NeedDetail)))]
async fn need_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<NeedDetail>> {
    Ok(axum::Json(s.app.need_get(&auth.0, id).await?))
}

/// Write in the thread (the requester or the service team).
#[utoipa::path(post, path = "/needs/{id}/messages", tag = "needs", params(("id" = honglian_domain::RecordId, Path)), request_body = MessageInput,
    responses((status = 200, body = NeedDetail), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn need_message(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(m): Json<MessageInput>,
) -> ApiResult<axum::Json<NeedDetail>> {
    Ok(axum::Json(s.app.need_message(&auth.0, id, m).await?))
}

/// Accept one of the suggested matches (the service team); a department may be asked through 红链直通车.
#[utoipa::path(post, path = "/needs/{id}/accept", tag = "needs", params(("id" = honglian_domain::RecordId, Path)), request_body = AcceptInput,
    responses((status = 200, body = NeedDetail), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn need_accept(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(a): Json<AcceptInput>,
) -> ApiResult<axum::Json<NeedDetail>> {
    Ok(axum::Json(s.app.need_accept(&auth.0, id, a).await?))
}

/// Record the outcome: resolved, or unresolved with the reason (the service team).
#[utoipa::path(post, path = "/needs/{id}/outcome", tag = "needs", params(("id" = honglian_domain::RecordId, Path)), request_body = OutcomeInput,
    responses((status = 200, body = NeedDetail), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn need_outcome(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(o): Json<OutcomeInput>,
) -> ApiResult<axum::Json<NeedDetail>> {
    Ok(axum::Json(s.app.need_outcome(&auth.0, id, o).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(need_list, need_submit))
        .routes(routes!(need_get))
        .routes(routes!(need_message))
        .routes(routes!(need_accept))
        .routes(routes!(need_outcome))
}
