//! The outflow, return and inflow ledgers, as lists and as print-ready xlsx and PDF.

use axum::extract::State;
use axum::response::Response;
use honglian_app::members::mobility::{LedgerItem, LedgerQuery};
use honglian_app::platform::report::ReportFormat;
use honglian_store::repo::members::mobility::Ledger;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::download::{ExportQuery, export_response};
use crate::http::error::ApiResult;
use crate::http::extract::{Auth, Query};
use crate::http::{AppState, ListResponse};

async fn ledger_page(
    s: &AppState,
    auth: &Auth,
    l: Ledger,
    q: LedgerQuery,
) -> ApiResult<axum::Json<ListResponse<LedgerItem>>> {
    Ok(axum::Json(s.app.ledger_list(&auth.0, l, q).await?.into()))
}

/// The outflow ledger (外出党员台账): open outflows of my members, or received by my organisations.
#[utoipa::path(get, path = "/ledgers/outflow", tag = "ledgers", params(LedgerQuery), responses((status = 200, body = ListResponse<LedgerItem>)))]
async fn ledger_outflow(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<LedgerQuery>,
) -> ApiResult<axum::Json<ListResponse<LedgerItem>>> {
    ledger_page(&s, &auth, Ledger::Outflow, q).await
}

/// The return ledger (回归党员台账).
#[utoipa::path(get, path = "/ledgers/return", tag = "ledgers", params(LedgerQuery), responses((status = 200, body = ListResponse<LedgerItem>)))]
async fn ledger_return(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<LedgerQuery>,
) -> ApiResult<axum::Json<ListResponse<LedgerItem>>> {
    ledger_page(&s, &auth, Ledger::Return, q).await
}

/// The inflow ledger (流入党员台账).
#[utoipa::path(get, path = "/ledgers/inflow", tag = "ledgers", params(LedgerQuery), responses((status = 200, body = ListResponse<LedgerItem>)))]
async fn ledger_inflow(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<LedgerQuery>,
) -> ApiResult<axum::Json<ListResponse<LedgerItem>>> {
    ledger_page(&s, &auth, Ledger::Inflow, q).await
}

async fn export(
    s: &AppState,
    auth: &Auth,
    l: Ledger,
    q: LedgerQuery,
    e: ExportQuery,
    format: ReportFormat,
) -> ApiResult<Response> {
    let x = s.app.ledger_export(&auth.0, l, q, e.unmask_reason, format).await?;
    Ok(export_response(x, format))
}

/// The outflow ledger as xlsx, with the list's filters (audited).
#[utoipa::path(get, path = "/ledgers/outflow.xlsx", tag = "ledgers", params(LedgerQuery, ExportQuery),
    responses((status = 200, description = "xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
async fn export_outflow(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<LedgerQuery>,
    Query(e): Query<ExportQuery>,
) -> ApiResult<Response> {
    export(&s, &auth, Ledger::Outflow, q, e, ReportFormat::Xlsx).await
}

/// The return ledger as xlsx (audited).
#[utoipa::path(get, path = "/ledgers/return.xlsx", tag = "ledgers", params(LedgerQuery, ExportQuery),
    responses((status = 200, description = "xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
async fn export_return(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<LedgerQuery>,
    Query(e): Query<ExportQuery>,
) -> ApiResult<Response> {
    export(&s, &auth, Ledger::Return, q, e, ReportFormat::Xlsx).await
}

/// The inflow ledger as xlsx (audited).
#[utoipa::path(get, path = "/ledgers/inflow.xlsx", tag = "ledgers", params(LedgerQuery, ExportQuery),
    responses((status = 200, description = "xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
async fn export_inflow(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<LedgerQuery>,
    Query(e): Query<ExportQuery>,
) -> ApiResult<Response> {
    export(&s, &auth, Ledger::Inflow, q, e, ReportFormat::Xlsx).await
}

/// The outflow ledger as a print-ready PDF (A4 landscape, 外出党员台账), with the list's filters (audited).
#[utoipa::path(get, path = "/ledgers/outflow.pdf", tag = "ledgers", params(LedgerQuery, ExportQuery),
    responses((status = 200, description = "PDF", content_type = "application/pdf")))]
async fn pdf_outflow(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<LedgerQuery>,
    Query(e): Query<ExportQuery>,
) -> ApiResult<Response> {
    export(&s, &auth, Ledger::Outflow, q, e, ReportFormat::Pdf).await
}

/// The return ledger as a print-ready PDF (A4 landscape, 回归党员台账), with the list's filters (audited).
#[utoipa::path(get, path = "/ledgers/return.pdf", tag = "ledgers", params(LedgerQuery, ExportQuery),
    responses((status = 200, description = "PDF", content_type = "application/pdf")))]
async fn pdf_return(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<LedgerQuery>,
    Query(e): Query<ExportQuery>,
) -> ApiResult<Response> {
    export(&s, &auth, Ledger::Return, q, e, ReportFormat::Pdf).await
}

/// The inflow ledger as a print-ready PDF (A4 landscape, 流入党员台账), with the list's filters (audited).
#[utoipa::path(get, path = "/ledgers/inflow.pdf", tag = "ledgers", params(LedgerQuery, ExportQuery),
    responses((status = 200, description = "PDF", content_type = "application/pdf")))]
async fn pdf_inflow(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<LedgerQuery>,
    Query(e): Query<ExportQuery>,
) -> ApiResult<Response> {
    export(&s, &auth, Ledger::Inflow, q, e, ReportFormat::Pdf).await
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(ledger_outflow))
        .routes(routes!(ledger_return))
        .routes(routes!(ledger_inflow))
        .routes(routes!(export_outflow))
        .routes(routes!(export_return))
        .routes(routes!(export_inflow))
        .routes(routes!(pdf_outflow))
        .routes(routes!(pdf_return))
        .routes(routes!(pdf_inflow))
}
