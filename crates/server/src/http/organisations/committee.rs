//! An organisation's committee: posts with terms, elections (换届, or their correction), by-elections,
//! posts that end.

use axum::extract::State;
use honglian_app::organisations::committee::{CommitteeView, ElectionInput, PostAddInput, PostEndInput};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Json};

/// The committee in office and the posts held before.
#[utoipa::path(get, path = "/orgs/{id}/committee", tag = "orgs", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = CommitteeView), (status = 404, body = Problem)))]
async fn committee_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<CommitteeView>> {
    Ok(axum::Json(s.app.committee_get(&auth.0, id).await?))
}

/// Record a newly elected committee (换届): the posts held until then end the day before. The same
/// day again corrects that election.
#[utoipa::path(post, path = "/orgs/{id}/committee/elections", tag = "orgs", params(("id" = honglian_domain::RecordId, Path)),
    request_body = ElectionInput, responses((status = 200, body = CommitteeView), (status = 422, body = Problem)))]
async fn elect(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(body): Json<ElectionInput>,
) -> ApiResult<axum::Json<CommitteeView>> {
    Ok(axum::Json(s.app.committee_elect(&auth.0, id, body).await?))
}

/// Add a post to the committee in office (补选).
#[utoipa::path(post, path = "/orgs/{id}/committee/posts", tag = "orgs", params(("id" = honglian_domain::RecordId, Path)),
    request_body = PostAddInput, responses((status = 200, body = CommitteeView), (status = 422, body = Problem)))]
async fn post_add(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(body): Json<PostAddInput>,
) -> ApiResult<axum::Json<CommitteeView>> {
    Ok(axum::Json(s.app.committee_post_add(&auth.0, id, body).await?))
}

/// End a post early (调离、免职).
#[utoipa::path(post, path = "/committee-posts/{id}/end", tag = "orgs", params(("id" = honglian_domain::RecordId, Path)),
    request_body = PostEndInput, responses((status = 200, body = CommitteeView), (status = 422, body = Problem)))]
async fn post_end(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(body): Json<PostEndInput>,
) -> ApiResult<axum::Json<CommitteeView>> {
    Ok(axum::Json(s.app.committee_post_end(&auth.0, id, body).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(committee_get))
        .routes(routes!(elect))
        .routes(routes!(post_add))
        .routes(routes!(post_end))
}
