//! Census campaigns (摸排): entries, progress, closing.

use axum::extract::State;
use axum::http::StatusCode;
use honglian_app::members::census::{CampaignView, EntryInput, EntryQuery, EntryView, NewCampaign};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use axum::response::Response;
use honglian_app::platform::report::ReportFormat;

use crate::http::download::export_response;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Ids, Json, Query};
use crate::http::{AppState, ListResponse};

/// Census campaigns (摸排) that concern me.
#[utoipa::path(get, path = "/censuses", tag = "census", responses((status = 200, body = ListResponse<CampaignView>)))]
async fn census_list(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<ListResponse<CampaignView>>> {
    let items = s.app.census_list(&auth.0).await?;
    Ok(axum::Json(ListResponse { total: items.len() as u64, items }))
}

/// Start a census over a subtree: every mobile member in it is to be verified.
#[utoipa::path(post, path = "/censuses", tag = "census", request_body = NewCampaign,
    responses((status = 201, body = CampaignView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn census_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<NewCampaign>,
) -> ApiResult<(StatusCode, axum::Json<CampaignView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.census_create(&auth.0, b).await?)))
}

/// A census with its progress per organisation.
#[utoipa::path(get, path = "/censuses/{id}", tag = "census", params(("id" = honglian_domain::RecordId, Path)), responses((status = 200, body = CampaignView)))]
async fn census_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<CampaignView>> {
    Ok(axum::Json(s.app.census_get(&auth.0, id).await?))
}

/// The members to verify.
#[utoipa::path(get, path = "/censuses/{id}/entries", tag = "census", params(("id" = honglian_domain::RecordId, Path), EntryQuery), responses((status = 200, body = ListResponse<EntryView>)))]
async fn census_entries(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Query(q): Query<EntryQuery>,
) -> ApiResult<axum::Json<ListResponse<EntryView>>> {
    Ok(axum::Json(s.app.census_entries(&auth.0, id, q).await?.into()))
}

/// The census results (摸排结果) as print-ready xlsx, with the entries' filters (page and per_page ignored; audited).
#[utoipa::path(get, path = "/censuses/{id}/entries.xlsx", tag = "census", params(("id" = honglian_domain::RecordId, Path), EntryQuery),
    responses((status = 200, description = "xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
async fn census_xlsx(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Query(q): Query<EntryQuery>,
) -> ApiResult<Response> {
    let x = s.app.census_export(&auth.0, id, q, ReportFormat::Xlsx).await?;
    Ok(export_response(x, ReportFormat::Xlsx))
}

/// The census results as a print-ready PDF (A4 landscape; audited).
#[utoipa::path(get, path = "/censuses/{id}/entries.pdf", tag = "census", params(("id" = honglian_domain::RecordId, Path), EntryQuery),
    responses((status = 200, description = "PDF", content_type = "application/pdf")))]
async fn census_pdf(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Query(q): Query<EntryQuery>,
) -> ApiResult<Response> {
    let x = s.app.census_export(&auth.0, id, q, ReportFormat::Pdf).await?;
    Ok(export_response(x, ReportFormat::Pdf))
}

/// Record what was found for one member.
#[utoipa::path(put, path = "/censuses/{id}/entries/{entry_id}", tag = "census", params(("id" = honglian_domain::RecordId, Path), ("entry_id" = honglian_domain::RecordId, Path)), request_body = EntryInput,
    responses((status = 200, body = EntryView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn census_record(
    State(s): State<AppState>,
    auth: Auth,
    Ids(id, entry): Ids,
    Json(b): Json<EntryInput>,
) -> ApiResult<axum::Json<EntryView>> {
    Ok(axum::Json(s.app.census_record(&auth.0, id, entry, b).await?))
}

/// Close the census: results go to the member records and the contact log.
#[utoipa::path(post, path = "/censuses/{id}/close", tag = "census", params(("id" = honglian_domain::RecordId, Path)), responses((status = 200, body = CampaignView), (status = 409, body = Problem)))]
async fn census_close(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<CampaignView>> {
    Ok(axum::Json(s.app.census_close(&auth.0, id).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(census_list, census_create))
        .routes(routes!(census_get))
        .routes(routes!(census_entries))
        .routes(routes!(census_record))
        .routes(routes!(census_close))
        .routes(routes!(census_xlsx))
        .routes(routes!(census_pdf))
}
