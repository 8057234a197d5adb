//! 党费: a member's bases, payments and arrears; the summary by branch; the member's own on the phone.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use honglian_app::party_affairs::dues::{
    DuesBaseInput, DuesPaymentInput, DuesQuery, DuesSummary, DuesSummaryQuery, MemberDues,
};
use honglian_app::platform::report::ReportFormat;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::download::export_response;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Json, Query};

/// A member's dues: bases, the year's months, arrears and payments.
#[utoipa::path(get, path = "/members/{id}/dues", tag = "party_affairs", params(("id" = honglian_domain::RecordId, Path), DuesQuery),
    responses((status = 200, body = MemberDues), (status = 404, body = Problem)))]
async fn member_dues_get(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Query(q): Query<DuesQuery>,
) -> ApiResult<axum::Json<MemberDues>> {
    Ok(axum::Json(s.app.dues_get(&auth.0, id, q).await?))
}

/// Register a member's dues base from a month on (the member's own organisation; the salary sealed).
#[utoipa::path(put, path = "/members/{id}/dues-base", tag = "party_affairs", params(("id" = honglian_domain::RecordId, Path)), request_body = DuesBaseInput,
    responses((status = 200, body = MemberDues), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn member_dues_base_set(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<DuesBaseInput>,
) -> ApiResult<axum::Json<MemberDues>> {
    Ok(axum::Json(s.app.dues_base_set(&auth.0, id, b).await?))
}

/// Record a dues payment (the member's own organisation, or the one receiving them while away).
#[utoipa::path(post, path = "/members/{id}/dues-payments", tag = "party_affairs", params(("id" = honglian_domain::RecordId, Path)), request_body = DuesPaymentInput,
    responses((status = 201, body = MemberDues), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn member_dues_pay(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(p): Json<DuesPaymentInput>,
) -> ApiResult<(StatusCode, axum::Json<MemberDues>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.dues_pay(&auth.0, id, p).await?)))
}

/// Dues by branch for a year: due, paid, members behind.
#[utoipa::path(get, path = "/dues/summary", tag = "party_affairs", params(DuesSummaryQuery),
    responses((status = 200, body = DuesSummary), (status = 404, body = Problem)))]
async fn dues_summary(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<DuesSummaryQuery>,
) -> ApiResult<axum::Json<DuesSummary>> {
    Ok(axum::Json(s.app.dues_summary(&auth.0, q).await?))
}

/// The collection ledger of a year as print-ready xlsx (those who collect; audited).
#[utoipa::path(get, path = "/dues/ledger.xlsx", tag = "party_affairs", params(DuesSummaryQuery),
    responses((status = 200, description = "xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn dues_ledger_xlsx(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<DuesSummaryQuery>,
) -> ApiResult<Response> {
    Ok(export_response(s.app.dues_ledger(&auth.0, q, ReportFormat::Xlsx).await?, ReportFormat::Xlsx))
}

/// The collection ledger of a year as a print-ready PDF (those who collect; audited).
#[utoipa::path(get, path = "/dues/ledger.pdf", tag = "party_affairs", params(DuesSummaryQuery),
    responses((status = 200, description = "PDF", content_type = "application/pdf"), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
async fn dues_ledger_pdf(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<DuesSummaryQuery>,
) -> ApiResult<Response> {
    Ok(export_response(s.app.dues_ledger(&auth.0, q, ReportFormat::Pdf).await?, ReportFormat::Pdf))
}

/// My own dues.
#[utoipa::path(get, path = "/me/dues", tag = "portal", params(DuesQuery), responses((status = 200, body = MemberDues)))]
async fn my_dues(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<DuesQuery>,
) -> ApiResult<axum::Json<MemberDues>> {
    Ok(axum::Json(s.app.my_dues(&auth.0, q).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(member_dues_get))
        .routes(routes!(member_dues_base_set))
        .routes(routes!(member_dues_pay))
        .routes(routes!(dues_summary))
        .routes(routes!(dues_ledger_xlsx))
        .routes(routes!(dues_ledger_pdf))
        .routes(routes!(my_dues))
}
