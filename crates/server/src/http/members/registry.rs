//! The member registry: list, roster (xlsx, PDF), create, read, edit, transfer, unmask.

use axum::extract::State;
use honglian_app::members::registry::{MemberInput, MemberLookup, MemberQuery, MemberView, Unmasked};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use axum::response::Response;
use honglian_app::platform::report::ReportFormat;

use crate::http::download::{ExportQuery, export_response};
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Json, Query};
use crate::http::{AppState, ListResponse};

/// List members within my scope, filtered and paginated.
#[utoipa::path(get, path = "/members", tag = "members", params(MemberQuery), responses((status = 200, body = ListResponse<MemberView>)))]
async fn member_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<MemberQuery>,
) -> ApiResult<axum::Json<ListResponse<MemberView>>> {
    Ok(axum::Json(s.app.member_list(&auth.0, q).await?.into()))
}

/// The member roster (党员名册) as print-ready xlsx, with the list's filters (page and per_page ignored); masked
/// unless `unmask_reason` is given, audited.
#[utoipa::path(get, path = "/members.xlsx", tag = "members", params(MemberQuery, ExportQuery),
    responses((status = 200, description = "xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
async fn roster_xlsx(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<MemberQuery>,
    Query(e): Query<ExportQuery>,
) -> ApiResult<Response> {
    let x = s.app.member_roster(&auth.0, q, e.unmask_reason, ReportFormat::Xlsx).await?;
    Ok(export_response(x, ReportFormat::Xlsx))
}

/// The member roster (党员名册) as a print-ready PDF (A4 landscape), with the list's filters; masked unless
/// `unmask_reason` is given, audited.
#[utoipa::path(get, path = "/members.pdf", tag = "members", params(MemberQuery, ExportQuery),
    responses((status = 200, description = "PDF", content_type = "application/pdf")))]
async fn roster_pdf(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<MemberQuery>,
    Query(e): Query<ExportQuery>,
) -> ApiResult<Response> {
    let x = s.app.member_roster(&auth.0, q, e.unmask_reason, ReportFormat::Pdf).await?;
    Ok(export_response(x, ReportFormat::Pdf))
}

/// Find members I see by their complete ID number or phone (in the body: nothing personal in a URL).
/// Every lookup is audited.
#[utoipa::path(post, path = "/members/lookup", tag = "members", request_body = MemberLookup,
    responses((status = 200, body = ListResponse<MemberView>), (status = 422, body = Problem)))]
async fn member_lookup(
    State(s): State<AppState>,
    auth: Auth,
    Json(body): Json<MemberLookup>,
) -> ApiResult<axum::Json<ListResponse<MemberView>>> {
    Ok(axum::Json(s.app.member_lookup(&auth.0, body).await?.into()))
}

/// Register a member.
#[utoipa::path(post, path = "/members", tag = "members", request_body = MemberInput,
    responses((status = 201, body = MemberView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn member_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(body): Json<MemberInput>,
) -> ApiResult<(axum::http::StatusCode, axum::Json<MemberView>)> {
    Ok((axum::http::StatusCode::CREATED, axum::Json(s.app.member_create(&auth.0, body).await?)))
}

/// One member (masked).
#[utoipa::path(get, path = "/members/{id}", tag = "members", params(("id" = honglian_domain::RecordId, Path)), responses((status = 200, body = MemberView), (status = 404, body = Problem)))]
async fn member_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<MemberView>> {
    Ok(axum::Json(s.app.member_get(&auth.0, id).await?))
}

/// Edit a member (fields not sent stay as they are).
#[utoipa::path(patch, path = "/members/{id}", tag = "members", params(("id" = honglian_domain::RecordId, Path)), request_body = MemberInput,
    responses((status = 200, body = MemberView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn member_update(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(body): Json<MemberInput>,
) -> ApiResult<axum::Json<MemberView>> {
    Ok(axum::Json(s.app.member_update(&auth.0, id, body).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TransferRequest {
    #[schema(value_type = honglian_domain::RecordId)]
    pub org_id: i64,
    pub note: Option<String>,
}

/// Transfer a member to another organisation within my scope.
#[utoipa::path(post, path = "/members/{id}/transfer", tag = "members", params(("id" = honglian_domain::RecordId, Path)), request_body = TransferRequest,
    responses((status = 200, body = MemberView), (status = 422, body = Problem)))]
async fn transfer(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(body): Json<TransferRequest>,
) -> ApiResult<axum::Json<MemberView>> {
    Ok(axum::Json(s.app.member_transfer(&auth.0, id, body.org_id, body.note).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UnmaskRequest {
    /// Why the plaintext is needed; recorded in the audit log.
    pub reason: String,
}

/// Show the plaintext ID number, phone and address (audited, reason required).
#[utoipa::path(post, path = "/members/{id}/unmask", tag = "members", params(("id" = honglian_domain::RecordId, Path)), request_body = UnmaskRequest,
    responses((status = 200, body = Unmasked), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn unmask(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(body): Json<UnmaskRequest>,
) -> ApiResult<axum::Json<Unmasked>> {
    Ok(axum::Json(s.app.member_unmask(&auth.0, id, &body.reason).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(member_list, member_create))
        .routes(routes!(member_lookup))
        .routes(routes!(roster_xlsx))
        .routes(routes!(roster_pdf))
        .routes(routes!(member_get, member_update))
        .routes(routes!(transfer))
        .routes(routes!(unmask))
}
