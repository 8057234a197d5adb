//! Host entities (两新组织 and others), the two coverages and the quarterly coverage census.

use axum::extract::State;
use axum::http::StatusCode;
use honglian_app::organisations::coverage::{
    CoverageCensusView, CoverageCheckInput, CoverageEntryView, CoverageQuery, CoverageStats, HostInput, HostQuery,
    HostView, NewCoverageCensus,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Ids, Json, Query};
use crate::http::{AppState, ListResponse, list};

/// Host entities (两新组织 and others) of a subtree with their coverage.
#[utoipa::path(get, path = "/hosts", tag = "coverage", params(HostQuery), responses((status = 200, body = ListResponse<HostView>)))]
async fn host_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<HostQuery>,
) -> ApiResult<axum::Json<ListResponse<HostView>>> {
    Ok(axum::Json(s.app.host_list(&auth.0, q).await?.into()))
}

/// Register a host entity.
#[utoipa::path(post, path = "/hosts", tag = "coverage", request_body = HostInput,
    responses((status = 201, body = HostView), (status = 422, body = Problem)))]
async fn host_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<HostInput>,
) -> ApiResult<(StatusCode, axum::Json<HostView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.host_create(&auth.0, b).await?)))
}

/// Edit a host entity (e.g. its coverage after a branch was set up).
#[utoipa::path(patch, path = "/hosts/{id}", tag = "coverage", params(("id" = honglian_domain::RecordId, Path)), request_body = HostInput,
    responses((status = 200, body = HostView), (status = 422, body = Problem)))]
async fn host_update(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<HostInput>,
) -> ApiResult<axum::Json<HostView>> {
    Ok(axum::Json(s.app.host_update(&auth.0, id, b).await?))
}

/// Organisational and work coverage of a subtree, with rates by coverage, kind, industry, area and community.
#[utoipa::path(get, path = "/stats/coverage", tag = "coverage", params(CoverageQuery), responses((status = 200, body = CoverageStats)))]
async fn coverage_stats(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<CoverageQuery>,
) -> ApiResult<axum::Json<CoverageStats>> {
    Ok(axum::Json(s.app.coverage_stats(&auth.0, q).await?))
}

/// Coverage censuses I take part in.
#[utoipa::path(get, path = "/coverage-censuses", tag = "coverage", responses((status = 200, body = ListResponse<CoverageCensusView>)))]
async fn coverage_census_list(
    State(s): State<AppState>,
    auth: Auth,
) -> ApiResult<axum::Json<ListResponse<CoverageCensusView>>> {
    Ok(list(s.app.coverage_censuses(&auth.0).await?))
}

/// Start a quarterly coverage census over a subtree.
#[utoipa::path(post, path = "/coverage-censuses", tag = "coverage", request_body = NewCoverageCensus,
    responses((status = 201, body = CoverageCensusView), (status = 422, body = Problem)))]
async fn coverage_census_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<NewCoverageCensus>,
) -> ApiResult<(StatusCode, axum::Json<CoverageCensusView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.coverage_census_create(&auth.0, b).await?)))
}

/// The hosts to check, narrowed to my part of the census.
#[utoipa::path(get, path = "/coverage-censuses/{id}/entries", tag = "coverage", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = ListResponse<CoverageEntryView>)))]
async fn coverage_census_entries(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
) -> ApiResult<axum::Json<ListResponse<CoverageEntryView>>> {
    Ok(list(s.app.coverage_census_entries(&auth.0, id).await?))
}

/// Confirm (or correct) one host's coverage.
#[utoipa::path(put, path = "/coverage-censuses/{id}/entries/{entry_id}", tag = "coverage", params(("id" = honglian_domain::RecordId, Path), ("entry_id" = honglian_domain::RecordId, Path)),
    request_body = CoverageCheckInput, responses((status = 200, body = CoverageEntryView), (status = 422, body = Problem)))]
async fn coverage_census_check(
    State(s): State<AppState>,
    auth: Auth,
    Ids(id, entry): Ids,
    Json(b): Json<CoverageCheckInput>,
) -> ApiResult<axum::Json<CoverageEntryView>> {
    Ok(axum::Json(s.app.coverage_census_check(&auth.0, id, entry, b).await?))
}

/// Close a census: the confirmed coverage is written to the hosts.
#[utoipa::path(post, path = "/coverage-censuses/{id}/close", tag = "coverage", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = CoverageCensusView), (status = 409, body = Problem)))]
async fn coverage_census_close(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
) -> ApiResult<axum::Json<CoverageCensusView>> {
    Ok(axum::Json(s.app.coverage_census_close(&auth.0, id).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(host_list, host_create))
        .routes(routes!(host_update))
        .routes(routes!(coverage_stats))
        .routes(routes!(coverage_census_list, coverage_census_create))
        .routes(routes!(coverage_census_entries))
        .routes(routes!(coverage_census_check))
        .routes(routes!(coverage_census_close))
}
