//! 学习: the county's learning venues (its county admin edits the list) and the member's own marks.

use axum::extract::{Path, State};
use honglian_app::portal::learning::{LearningVenues, LearningVenuesInput, MyLearning};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Json};

/// The learning venues of my county, to edit (county admin).
#[utoipa::path(get, path = "/settings/learning-venues", tag = "portal",
    responses((status = 200, body = LearningVenues), (status = 403, body = Problem)))]
async fn venues_get(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<LearningVenues>> {
    Ok(axum::Json(s.app.learning_venues(&auth.0).await?))
}

/// Replace the learning venues of my county (county admin). A venue sent with its `key` keeps it.
#[utoipa::path(put, path = "/settings/learning-venues", tag = "portal", request_body = LearningVenuesInput,
    responses((status = 200, body = LearningVenues), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn venues_set(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<LearningVenuesInput>,
) -> ApiResult<axum::Json<LearningVenues>> {
    Ok(axum::Json(s.app.set_learning_venues(&auth.0, b).await?))
}

/// 学习: my county's learning venues with my own marks (nobody else sees them).
#[utoipa::path(get, path = "/me/learning", tag = "portal", responses((status = 200, body = MyLearning), (status = 403, body = Problem)))]
async fn my_learning(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<MyLearning>> {
    Ok(axum::Json(s.app.my_learning(&auth.0).await?))
}

/// Mark a venue visited (my own note).
#[utoipa::path(put, path = "/me/learning/{key}/visit", tag = "portal", params(("key" = String, Path, description = "场馆编号")),
    responses((status = 200, body = MyLearning), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn my_learning_mark(
    State(s): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
) -> ApiResult<axum::Json<MyLearning>> {
    Ok(axum::Json(s.app.my_learning_mark(&auth.0, &key, true).await?))
}

/// Clear my mark on a venue.
#[utoipa::path(delete, path = "/me/learning/{key}/visit", tag = "portal", params(("key" = String, Path, description = "场馆编号")),
    responses((status = 200, body = MyLearning), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn my_learning_unmark(
    State(s): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
) -> ApiResult<axum::Json<MyLearning>> {
    Ok(axum::Json(s.app.my_learning_mark(&auth.0, &key, false).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(venues_get, venues_set))
        .routes(routes!(my_learning))
        .routes(routes!(my_learning_mark, my_learning_unmark))
}
