//! 红链直通车: service requests, their categories, the county's working-day calendar and the figures.

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use honglian_app::org_life::activities::AttachmentView;
use honglian_app::platform::report::ReportFormat;
use honglian_app::services::requests::{
    ActionInput, CalendarYear, CategoryInput, CategoryView, FiguresQuery, HostName, HostsQuery, RequestDetail,
    RequestFigures, RequestInput, RequestPage, RequestQuery,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::download::export_response;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Ids, Json, Query};
use crate::http::{AppState, ListResponse, list};

/// The requests I reach (mine, my organisations', my department's, my county's), open and most urgent first.
#[utoipa::path(get, path = "/service-requests", tag = "requests", params(RequestQuery), responses((status = 200, body = RequestPage)))]
async fn request_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<RequestQuery>,
) -> ApiResult<axum::Json<RequestPage>> {
    Ok(axum::Json(s.app.request_list(&auth.0, q).await?))
}

/// Submit a request (a branch on an enterprise's behalf, or a member); its category routes it.
#[utoipa::path(post, path = "/service-requests", tag = "requests", request_body = RequestInput,
    responses((status = 201, body = RequestDetail), (status = 422, body = Problem)))]
async fn request_submit(
    State(s): State<AppState>,
    auth: Auth,
    Json(r): Json<RequestInput>,
) -> ApiResult<(StatusCode, axum::Json<RequestDetail>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.request_submit(&auth.0, r).await?)))
}

/// One request with its history.
#[utoipa::path(get, path = "/service-requests/{id}", tag = "requests", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = RequestDetail)))]
async fn request_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<RequestDetail>> {
    Ok(axum::Json(s.app.request_get(&auth.0, id).await?))
}

/// Take a step: accept, ask for information, hand over, reply (the department); supply, rate, reopen (the requester).
#[utoipa::path(post, path = "/service-requests/{id}/actions", tag = "requests", params(("id" = honglian_domain::RecordId, Path)), request_body = ActionInput,
    responses((status = 200, body = RequestDetail), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn request_act(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(a): Json<ActionInput>,
) -> ApiResult<axum::Json<RequestDetail>> {
    Ok(axum::Json(s.app.request_act(&auth.0, id, a).await?))
}

/// The enterprises one of my organisations may submit a request for (registered in its subtree or covered by it).
#[utoipa::path(get, path = "/service-requests/hosts", tag = "requests", params(HostsQuery), responses((status = 200, body = ListResponse<HostName>)))]
async fn request_hosts(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<HostsQuery>,
) -> ApiResult<axum::Json<ListResponse<HostName>>> {
    Ok(list(s.app.request_hosts(&auth.0, q).await?))
}

/// My county's request categories with their departments and time limits.
#[utoipa::path(get, path = "/request-categories", tag = "requests", responses((status = 200, body = ListResponse<CategoryView>)))]
async fn category_list(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<ListResponse<CategoryView>>> {
    Ok(list(s.app.request_categories(&auth.0).await?))
}

/// Add a category (county admins).
#[utoipa::path(post, path = "/request-categories", tag = "requests", request_body = CategoryInput,
    responses((status = 201, body = CategoryView), (status = 422, body = Problem)))]
async fn category_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(c): Json<CategoryInput>,
) -> ApiResult<(StatusCode, axum::Json<CategoryView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.request_category_create(&auth.0, c).await?)))
}

/// Change a category's name, department or limit (county admins).
#[utoipa::path(patch, path = "/request-categories/{id}", tag = "requests", params(("id" = honglian_domain::RecordId, Path)), request_body = CategoryInput,
    responses((status = 200, body = CategoryView), (status = 422, body = Problem)))]
async fn category_update(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(c): Json<CategoryInput>,
) -> ApiResult<axum::Json<CategoryView>> {
    Ok(axum::Json(s.app.request_category_update(&auth.0, id, c).await?))
}

/// My county's holidays and 调休 working days of a year.
#[utoipa::path(get, path = "/work-calendar", tag = "requests", params(FiguresQuery), responses((status = 200, body = CalendarYear)))]
async fn calendar_get(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<FiguresQuery>,
) -> ApiResult<axum::Json<CalendarYear>> {
    Ok(axum::Json(s.app.work_calendar_get(&auth.0, q).await?))
}

/// Set my county's holidays and 调休 working days of a year (county admins).
#[utoipa::path(put, path = "/work-calendar", tag = "requests", request_body = CalendarYear,
    responses((status = 200, body = CalendarYear), (status = 422, body = Problem)))]
async fn calendar_set(
    State(s): State<AppState>,
    auth: Auth,
    Json(c): Json<CalendarYear>,
) -> ApiResult<axum::Json<CalendarYear>> {
    Ok(axum::Json(s.app.work_calendar_set(&auth.0, c).await?))
}

/// The year's figures by department and category (county admins).
#[utoipa::path(get, path = "/service-requests/figures", tag = "requests", params(FiguresQuery), responses((status = 200, body = RequestFigures)))]
async fn figures(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<FiguresQuery>,
) -> ApiResult<axum::Json<RequestFigures>> {
    Ok(axum::Json(s.app.request_figures(&auth.0, q).await?))
}

/// The year's figures by department as print-ready xlsx (audited).
#[utoipa::path(get, path = "/service-requests/figures.xlsx", tag = "requests", params(FiguresQuery),
    responses((status = 200, description = "xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
async fn figures_xlsx(State(s): State<AppState>, auth: Auth, Query(q): Query<FiguresQuery>) -> ApiResult<Response> {
    Ok(export_response(s.app.request_figures_report(&auth.0, q, ReportFormat::Xlsx).await?, ReportFormat::Xlsx))
}

/// The year's figures by department as a print-ready PDF (audited).
#[utoipa::path(get, path = "/service-requests/figures.pdf", tag = "requests", params(FiguresQuery),
    responses((status = 200, description = "PDF", content_type = "application/pdf")))]
async fn figures_pdf(State(s): State<AppState>, auth: Auth, Query(q): Query<FiguresQuery>) -> ApiResult<Response> {
    Ok(export_response(s.app.request_figures_report(&auth.0, q, ReportFormat::Pdf).await?, ReportFormat::Pdf))
}

/// Attach a document or photo to a request (either side, until it is closed).
#[utoipa::path(post, path = "/service-requests/{id}/attachments", tag = "requests", params(("id" = honglian_domain::RecordId, Path)),
    request_body(content = inline(crate::http::AttachmentUpload), content_type = "multipart/form-data"),
    responses((status = 201, body = AttachmentView), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn attachment_add(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    mut mp: Multipart,
) -> ApiResult<(StatusCode, axum::Json<AttachmentView>)> {
    let (name, bytes) = crate::http::upload(&mut mp).await?;
    Ok((StatusCode::CREATED, axum::Json(s.app.request_file_add(&auth.0, id, &name, &bytes).await?)))
}

/// Download an attachment of a request.
#[utoipa::path(get, path = "/service-requests/{id}/attachments/{attachment_id}", tag = "requests",
    params(("id" = honglian_domain::RecordId, Path), ("attachment_id" = honglian_domain::RecordId, Path)),
    responses((status = 200, description = "the file"), (status = 404, body = Problem)))]
async fn attachment_get(State(s): State<AppState>, auth: Auth, Ids(id, file): Ids) -> ApiResult<Response> {
    let (meta, bytes) = s.app.request_file_get(&auth.0, id, file).await?;
    Ok(crate::http::file_response(&meta.content_type, &meta.filename, bytes))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(request_list, request_submit))
        .routes(routes!(figures))
        .routes(routes!(request_hosts))
        .routes(routes!(figures_xlsx))
        .routes(routes!(figures_pdf))
        .routes(routes!(request_get))
        .routes(routes!(request_act))
        .routes(routes!(attachment_add))
        .routes(routes!(attachment_get))
        .routes(routes!(category_list, category_create))
        .routes(routes!(category_update))
        .routes(routes!(calendar_get, calendar_set))
}
