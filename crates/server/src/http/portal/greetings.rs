//! Holiday greetings (节日问候) to the open outflows of a subtree, with delivery figures.

use axum::extract::State;
use axum::http::StatusCode;
use honglian_app::portal::greetings::{
    GreetingInput, GreetingPage, GreetingQuery, GreetingReach, GreetingReachQuery, GreetingView,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Json, Query};

/// The greetings sent by organisations of my subtree, the newest first, with delivered and read figures.
#[utoipa::path(get, path = "/greetings", tag = "greetings", params(GreetingQuery),
    responses((status = 200, body = GreetingPage), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn greeting_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<GreetingQuery>,
) -> ApiResult<axum::Json<GreetingPage>> {
    Ok(axum::Json(s.app.greeting_list(&auth.0, q).await?))
}

/// Send a greeting from an organisation of my subtree to its open outflows.
#[utoipa::path(post, path = "/greetings", tag = "greetings", request_body = GreetingInput,
    responses((status = 201, body = GreetingView), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn greeting_send(
    State(s): State<AppState>,
    auth: Auth,
    Json(g): Json<GreetingInput>,
) -> ApiResult<(StatusCode, axum::Json<GreetingView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.greeting_send(&auth.0, g).await?)))
}

/// Whom a greeting from an organisation would reach (open outflows, of whom with an account; robots).
#[utoipa::path(get, path = "/greetings/reach", tag = "greetings", params(GreetingReachQuery),
    responses((status = 200, body = GreetingReach), (status = 404, body = Problem)))]
async fn greeting_reach(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<GreetingReachQuery>,
) -> ApiResult<axum::Json<GreetingReach>> {
    Ok(axum::Json(s.app.greeting_reach(&auth.0, q.org.get()).await?))
}

/// One greeting of my subtree with its figures.
#[utoipa::path(get, path = "/greetings/{id}", tag = "greetings", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = GreetingView), (status = 404, body = Problem)))]
async fn greeting_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<GreetingView>> {
    Ok(axum::Json(s.app.greeting_get(&auth.0, id).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(greeting_list, greeting_send))
        .routes(routes!(greeting_reach))
        .routes(routes!(greeting_get))
}
