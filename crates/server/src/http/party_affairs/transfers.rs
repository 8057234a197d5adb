//! 组织关系转接: requests inside the system and their acceptance, introduction letters out (with the PDF and
//! the receipt) and in (registering the member, the receipt slip to send back).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use honglian_app::party_affairs::transfers::{
    DestinationQuery, TransferAcceptInput, TransferCancelInput, TransferDestination, TransferIncomingInput,
    TransferLetterInput, TransferPage, TransferQuery, TransferReceiptInput, TransferRefuseInput, TransferRequestInput,
    TransferSummary, TransferView,
};
use honglian_app::platform::report::ReportFormat;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::download::attachment_as;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Json, Query};

/// Transfers from or to the organisations I see.
#[utoipa::path(get, path = "/transfers", tag = "party_affairs", params(TransferQuery),
    responses((status = 200, body = TransferPage), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn transfer_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<TransferQuery>,
) -> ApiResult<axum::Json<TransferPage>> {
    Ok(axum::Json(s.app.transfer_list(&auth.0, q).await?))
}

/// Ask a receiving organisation in the system to accept a member's relationship.
#[utoipa::path(post, path = "/transfers", tag = "party_affairs", request_body = TransferRequestInput,
    responses((status = 201, body = TransferView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn transfer_request(
    State(s): State<AppState>,
    auth: Auth,
    Json(i): Json<TransferRequestInput>,
) -> ApiResult<(StatusCode, axum::Json<TransferView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.transfer_request(&auth.0, i).await?)))
}

/// What waits: requests to accept, my requests, my letters awaiting their receipt and those overdue.
#[utoipa::path(get, path = "/transfers/summary", tag = "party_affairs",
    responses((status = 200, body = TransferSummary), (status = 403, body = Problem)))]
async fn transfer_summary(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<TransferSummary>> {
    Ok(axum::Json(s.app.transfer_summary(&auth.0).await?))
}

/// Receiving organisations anywhere in the system, by name (names only).
#[utoipa::path(get, path = "/transfers/destinations", tag = "party_affairs", params(DestinationQuery),
    responses((status = 200, body = Vec<TransferDestination>), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn transfer_destinations(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<DestinationQuery>,
) -> ApiResult<axum::Json<Vec<TransferDestination>>> {
    Ok(axum::Json(s.app.transfer_destinations(&auth.0, q).await?))
}

/// Issue the introduction letter to an organisation outside the system.
#[utoipa::path(post, path = "/transfers/letters", tag = "party_affairs", request_body = TransferLetterInput,
    responses((status = 201, body = TransferView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn transfer_letter(
    State(s): State<AppState>,
    auth: Auth,
    Json(i): Json<TransferLetterInput>,
) -> ApiResult<(StatusCode, axum::Json<TransferView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.transfer_letter(&auth.0, i).await?)))
}

/// Register a letter from outside the system: the member joins the receiving organisation.
#[utoipa::path(post, path = "/transfers/incoming", tag = "party_affairs", request_body = TransferIncomingInput,
    responses((status = 201, body = TransferView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn transfer_incoming(
    State(s): State<AppState>,
    auth: Auth,
    Json(i): Json<TransferIncomingInput>,
) -> ApiResult<(StatusCode, axum::Json<TransferView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.transfer_incoming(&auth.0, i).await?)))
}

/// One transfer.
#[utoipa::path(get, path = "/transfers/{id}", tag = "party_affairs", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = TransferView), (status = 404, body = Problem)))]
async fn transfer_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<TransferView>> {
    Ok(axum::Json(s.app.transfer_get(&auth.0, id).await?))
}

/// The receiving organisation accepts: the member moves.
#[utoipa::path(post, path = "/transfers/{id}/accept", tag = "party_affairs", params(("id" = honglian_domain::RecordId, Path)),
    request_body = TransferAcceptInput,
    responses((status = 200, body = TransferView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn transfer_accept(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(i): Json<TransferAcceptInput>,
) -> ApiResult<axum::Json<TransferView>> {
    Ok(axum::Json(s.app.transfer_accept(&auth.0, id, i).await?))
}

/// The receiving organisation sends a request back, with the reason.
#[utoipa::path(post, path = "/transfers/{id}/refuse", tag = "party_affairs", params(("id" = honglian_domain::RecordId, Path)),
    request_body = TransferRefuseInput,
    responses((status = 200, body = TransferView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn transfer_refuse(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(i): Json<TransferRefuseInput>,
) -> ApiResult<axum::Json<TransferView>> {
    Ok(axum::Json(s.app.transfer_refuse(&auth.0, id, i).await?))
}

/// The sending organisation withdraws a request or voids a letter.
#[utoipa::path(post, path = "/transfers/{id}/cancel", tag = "party_affairs", params(("id" = honglian_domain::RecordId, Path)),
    request_body = TransferCancelInput,
    responses((status = 200, body = TransferView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn transfer_cancel(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(i): Json<TransferCancelInput>,
) -> ApiResult<axum::Json<TransferView>> {
    Ok(axum::Json(s.app.transfer_cancel(&auth.0, id, i).await?))
}

/// The receipt of a letter came back: the member is 已转出.
#[utoipa::path(post, path = "/transfers/{id}/receipt", tag = "party_affairs", params(("id" = honglian_domain::RecordId, Path)),
    request_body = TransferReceiptInput,
    responses((status = 200, body = TransferView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn transfer_receipt(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(i): Json<TransferReceiptInput>,
) -> ApiResult<axum::Json<TransferView>> {
    Ok(axum::Json(s.app.transfer_receipt(&auth.0, id, i).await?))
}

/// The three-part introduction letter as PDF (prints the ID number: unmask permission, audited).
#[utoipa::path(get, path = "/transfers/{id}/letter.pdf", tag = "party_affairs", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, description = "PDF", content_type = "application/pdf"), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn transfer_letter_pdf(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Response> {
    let (name, bytes) = s.app.transfer_letter_pdf(&auth.0, id).await?;
    Ok(attachment_as(bytes, &name, ReportFormat::Pdf))
}

/// The receipt slip of a registered letter, to send back to its sender, as PDF.
#[utoipa::path(get, path = "/transfers/{id}/receipt.pdf", tag = "party_affairs", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, description = "PDF", content_type = "application/pdf"), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn transfer_receipt_pdf(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Response> {
    let (name, bytes) = s.app.transfer_receipt_pdf(&auth.0, id).await?;
    Ok(attachment_as(bytes, &name, ReportFormat::Pdf))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(transfer_list, transfer_request))
        .routes(routes!(transfer_summary))
        .routes(routes!(transfer_destinations))
        .routes(routes!(transfer_letter))
        .routes(routes!(transfer_incoming))
        .routes(routes!(transfer_get))
        .routes(routes!(transfer_accept))
        .routes(routes!(transfer_refuse))
        .routes(routes!(transfer_cancel))
        .routes(routes!(transfer_receipt))
        .routes(routes!(transfer_letter_pdf))
        .routes(routes!(transfer_receipt_pdf))
}
