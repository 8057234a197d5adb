//! Evaluations (季评比, 观摩评比) and annual reviews (述职评议).

use axum::extract::State;
use axum::http::StatusCode;
use honglian_app::goals::evaluations::{
    EvaluationDetail, EvaluationInput, EvaluationView, ReviewInput, ReviewView, ScoreInput,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::tasks::YearQuery;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Json, Query};
use crate::http::{AppState, ListResponse, list};

/// Evaluations (county admins only: rankings are not pushed to members).
#[utoipa::path(get, path = "/evaluations", tag = "evaluations", responses((status = 200, body = ListResponse<EvaluationView>)))]
async fn evaluation_list(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<ListResponse<EvaluationView>>> {
    Ok(list(s.app.evaluation_list(&auth.0).await?))
}

/// Start an evaluation with its scoring sheet and targets.
#[utoipa::path(post, path = "/evaluations", tag = "evaluations", request_body = EvaluationInput,
    responses((status = 201, body = EvaluationDetail), (status = 422, body = Problem)))]
async fn evaluation_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<EvaluationInput>,
) -> ApiResult<(StatusCode, axum::Json<EvaluationDetail>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.evaluation_create(&auth.0, b).await?)))
}

/// An evaluation with its ranking and my scores.
#[utoipa::path(get, path = "/evaluations/{id}", tag = "evaluations", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = EvaluationDetail), (status = 404, body = Problem)))]
async fn evaluation_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<EvaluationDetail>> {
    Ok(axum::Json(s.app.evaluation_get(&auth.0, id).await?))
}

/// Score one target (my scores replace my earlier ones).
#[utoipa::path(put, path = "/evaluations/{id}/scores", tag = "evaluations", params(("id" = honglian_domain::RecordId, Path)), request_body = ScoreInput,
    responses((status = 200, body = EvaluationDetail), (status = 422, body = Problem)))]
async fn evaluation_score(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<ScoreInput>,
) -> ApiResult<axum::Json<EvaluationDetail>> {
    Ok(axum::Json(s.app.evaluation_score(&auth.0, id, b).await?))
}

/// Close an evaluation: the ranking is final.
#[utoipa::path(post, path = "/evaluations/{id}/close", tag = "evaluations", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = EvaluationDetail), (status = 409, body = Problem)))]
async fn evaluation_close(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
) -> ApiResult<axum::Json<EvaluationDetail>> {
    Ok(axum::Json(s.app.evaluation_close(&auth.0, id).await?))
}

/// Annual reviews (述职评议) of a year.
#[utoipa::path(get, path = "/reviews", tag = "evaluations", params(YearQuery), responses((status = 200, body = ListResponse<ReviewView>)))]
async fn review_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<YearQuery>,
) -> ApiResult<axum::Json<ListResponse<ReviewView>>> {
    Ok(list(s.app.review_list(&auth.0, q.year.map(honglian_domain::Year::get)).await?))
}

/// Record an organisation's review rating for a year.
#[utoipa::path(put, path = "/reviews", tag = "evaluations", request_body = ReviewInput,
    responses((status = 200, body = ReviewView), (status = 422, body = Problem)))]
async fn review_put(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<ReviewInput>,
) -> ApiResult<axum::Json<ReviewView>> {
    Ok(axum::Json(s.app.review_put(&auth.0, b).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(evaluation_list, evaluation_create))
        .routes(routes!(evaluation_get))
        .routes(routes!(evaluation_score))
        .routes(routes!(evaluation_close))
        .routes(routes!(review_list, review_put))
}
