//! 回乡工程: investment drives with their materials, project leads with their pipeline, the figures
//! and the lead ledger.

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use honglian_app::hometown::investment::{
    DriveDetail, DriveInput, DrivePage, DriveQuery, FiguresQuery, InvestmentFigures, InvestmentSettings, LeadDetail,
    LeadInput, LeadPage, LeadQuery, MyDrive, StepInput,
};
use honglian_app::org_life::activities::AttachmentView;
use honglian_app::platform::report::ReportFormat;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::download::export_response;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Ids, Json, Query};
use crate::http::{AppState, ListResponse, list};

/// The drives of my organisations (a chamber branch its own, the county all), newest first.
#[utoipa::path(get, path = "/investment-drives", tag = "hometown", params(DriveQuery), responses((status = 200, body = DrivePage)))]
async fn drive_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<DriveQuery>,
) -> ApiResult<axum::Json<DrivePage>> {
    Ok(axum::Json(s.app.drive_list(&auth.0, q).await?))
}

/// Record a drive (推介会) held by one of my organisations.
#[utoipa::path(post, path = "/investment-drives", tag = "hometown", request_body = DriveInput,
    responses((status = 201, body = DriveDetail), (status = 422, body = Problem)))]
async fn drive_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(d): Json<DriveInput>,
) -> ApiResult<(StatusCode, axum::Json<DriveDetail>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.drive_create(&auth.0, d).await?)))
}

/// One drive with its materials and the leads it brought.
#[utoipa::path(get, path = "/investment-drives/{id}", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = DriveDetail), (status = 404, body = Problem)))]
async fn drive_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<DriveDetail>> {
    Ok(axum::Json(s.app.drive_get(&auth.0, id).await?))
}

/// Correct a drive.
#[utoipa::path(patch, path = "/investment-drives/{id}", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)), request_body = DriveInput,
    responses((status = 200, body = DriveDetail), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn drive_update(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(d): Json<DriveInput>,
) -> ApiResult<axum::Json<DriveDetail>> {
    Ok(axum::Json(s.app.drive_update(&auth.0, id, d).await?))
}

/// Delete a drive no lead came from.
#[utoipa::path(delete, path = "/investment-drives/{id}", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn drive_delete(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<StatusCode> {
    s.app.drive_delete(&auth.0, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add a material (slides, photos, the sign-in sheet) to a drive.
#[utoipa::path(post, path = "/investment-drives/{id}/materials", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)),
    request_body(content = inline(crate::http::AttachmentUpload), content_type = "multipart/form-data"),
    responses((status = 201, body = AttachmentView), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn material_add(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    mut mp: Multipart,
) -> ApiResult<(StatusCode, axum::Json<AttachmentView>)> {
    let (name, bytes) = crate::http::upload(&mut mp).await?;
    Ok((StatusCode::CREATED, axum::Json(s.app.drive_material_add(&auth.0, id, &name, &bytes).await?)))
}

/// Download a material of a drive.
#[utoipa::path(get, path = "/investment-drives/{id}/materials/{material_id}", tag = "hometown",
    params(("id" = honglian_domain::RecordId, Path), ("material_id" = honglian_domain::RecordId, Path)),
    responses((status = 200, description = "the file"), (status = 404, body = Problem)))]
async fn material_get(State(s): State<AppState>, auth: Auth, Ids(id, file): Ids) -> ApiResult<Response> {
    let (meta, bytes) = s.app.drive_material_get(&auth.0, id, file).await?;
    Ok(crate::http::file_response(&meta.content_type, &meta.filename, bytes))
}

/// Remove a material of a drive.
#[utoipa::path(delete, path = "/investment-drives/{id}/materials/{material_id}", tag = "hometown",
    params(("id" = honglian_domain::RecordId, Path), ("material_id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = DriveDetail), (status = 404, body = Problem)))]
async fn material_remove(
    State(s): State<AppState>,
    auth: Auth,
    Ids(id, file): Ids,
) -> ApiResult<axum::Json<DriveDetail>> {
    Ok(axum::Json(s.app.drive_material_remove(&auth.0, id, file).await?))
}

/// The leads of my organisations: in the pipeline first, the longest unmoved first.
#[utoipa::path(get, path = "/investment-leads", tag = "hometown", params(LeadQuery), responses((status = 200, body = LeadPage)))]
async fn lead_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<LeadQuery>,
) -> ApiResult<axum::Json<LeadPage>> {
    Ok(axum::Json(s.app.lead_list(&auth.0, q).await?))
}

/// Record a lead (from a drive or a member), at its first stage.
#[utoipa::path(post, path = "/investment-leads", tag = "hometown", request_body = LeadInput,
    responses((status = 201, body = LeadDetail), (status = 422, body = Problem)))]
async fn lead_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(l): Json<LeadInput>,
) -> ApiResult<(StatusCode, axum::Json<LeadDetail>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.lead_create(&auth.0, l).await?)))
}

/// One lead with its steps.
#[utoipa::path(get, path = "/investment-leads/{id}", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = LeadDetail), (status = 404, body = Problem)))]
async fn lead_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<LeadDetail>> {
    Ok(axum::Json(s.app.lead_get(&auth.0, id).await?))
}

/// Correct a lead's details (its stage moves by steps).
#[utoipa::path(patch, path = "/investment-leads/{id}", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)), request_body = LeadInput,
    responses((status = 200, body = LeadDetail), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn lead_update(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(l): Json<LeadInput>,
) -> ApiResult<axum::Json<LeadDetail>> {
    Ok(axum::Json(s.app.lead_update(&auth.0, id, l).await?))
}

/// Move a lead on (contacted, visited, signed, landed with the investment in place) or drop it with a reason.
#[utoipa::path(post, path = "/investment-leads/{id}/steps", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)), request_body = StepInput,
    responses((status = 200, body = LeadDetail), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn lead_step(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(st): Json<StepInput>,
) -> ApiResult<axum::Json<LeadDetail>> {
    Ok(axum::Json(s.app.lead_step(&auth.0, id, st).await?))
}

/// Figures by stage, city, chamber and sector, and the landed investment by year.
#[utoipa::path(get, path = "/investment-leads/figures", tag = "hometown", params(FiguresQuery), responses((status = 200, body = InvestmentFigures)))]
async fn figures(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<FiguresQuery>,
) -> ApiResult<axum::Json<InvestmentFigures>> {
    Ok(axum::Json(s.app.investment_figures(&auth.0, q).await?))
}

/// The lead ledger with the list's filters as print-ready xlsx (audited).
#[utoipa::path(get, path = "/investment-leads/ledger.xlsx", tag = "hometown", params(LeadQuery),
    responses((status = 200, description = "xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
async fn ledger_xlsx(State(s): State<AppState>, auth: Auth, Query(q): Query<LeadQuery>) -> ApiResult<Response> {
    Ok(export_response(s.app.lead_report(&auth.0, q, ReportFormat::Xlsx).await?, ReportFormat::Xlsx))
}

/// The lead ledger with the list's filters as a print-ready PDF (audited).
#[utoipa::path(get, path = "/investment-leads/ledger.pdf", tag = "hometown", params(LeadQuery),
    responses((status = 200, description = "PDF", content_type = "application/pdf")))]
async fn ledger_pdf(State(s): State<AppState>, auth: Auth, Query(q): Query<LeadQuery>) -> ApiResult<Response> {
    Ok(export_response(s.app.lead_report(&auth.0, q, ReportFormat::Pdf).await?, ReportFormat::Pdf))
}

/// My county's days after which an unmoved lead is reminded of.
#[utoipa::path(get, path = "/investment-settings", tag = "hometown", responses((status = 200, body = InvestmentSettings)))]
async fn settings_get(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<InvestmentSettings>> {
    Ok(axum::Json(s.app.investment_settings(&auth.0).await?))
}

/// Set my county's days (county admins).
#[utoipa::path(put, path = "/investment-settings", tag = "hometown", request_body = InvestmentSettings,
    responses((status = 200, body = InvestmentSettings), (status = 422, body = Problem)))]
async fn settings_set(
    State(s): State<AppState>,
    auth: Auth,
    Json(v): Json<InvestmentSettings>,
) -> ApiResult<axum::Json<InvestmentSettings>> {
    Ok(axum::Json(s.app.investment_settings_set(&auth.0, v).await?))
}

/// The drives of my chamber (my organisation's, or the one receiving me while I am away) and those I took part in.
#[utoipa::path(get, path = "/me/investment-drives", tag = "portal", responses((status = 200, body = ListResponse<MyDrive>)))]
async fn my_drives(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<ListResponse<MyDrive>>> {
    Ok(list(s.app.my_drives(&auth.0).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(drive_list, drive_create))
        .routes(routes!(drive_get, drive_update, drive_delete))
        .routes(routes!(material_add))
        .routes(routes!(material_get, material_remove))
        .routes(routes!(lead_list, lead_create))
        .routes(routes!(figures))
        .routes(routes!(ledger_xlsx))
        .routes(routes!(ledger_pdf))
        .routes(routes!(lead_get, lead_update))
        .routes(routes!(lead_step))
        .routes(routes!(settings_get, settings_set))
        .routes(routes!(my_drives))
}
