//! The outflow, return and inflow ledgers, as lists and as xlsx.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use honglian_app::members::mobility::{LedgerItem, LedgerQuery};
use honglian_store::repo::members::mobility::Ledger;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

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

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// With the unmask permission: export plaintext ID numbers and phones, for this reason (audited).
    pub unmask_reason: Option<String>,
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub(super) fn attachment(body: impl Into<axum::body::Body>, filename: &str) -> Response {
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect();
    let mut r = (StatusCode::OK, body.into()).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(XLSX));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"export.xlsx\"; filename*=UTF-8''{encoded}")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

async fn export(s: &AppState, auth: &Auth, l: Ledger, q: LedgerQuery, e: ExportQuery) -> ApiResult<Response> {
    let x = s.app.ledger_export(&auth.0, l, q, e.unmask_reason).await?;
    let len = x.file.metadata().map(|m| m.len()).ok();
    let mut r = attachment(file_body(x.file), &x.filename);
    if let Some(len) = len {
        r.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    }
    Ok(r)
}

/// A file sent as it is read, 64 KiB at a time (an export can be tens of MB).
fn file_body(file: std::fs::File) -> axum::body::Body {
    use tokio::io::AsyncReadExt;
    let chunks = futures_util::stream::unfold(Some(tokio::fs::File::from_std(file)), |file| async move {
        let mut file = file?;
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(axum::body::Bytes::from(buf)), Some(file)))
            }
            Err(e) => Some((Err(e), None)),
        }
    });
    axum::body::Body::from_stream(chunks)
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
    export(&s, &auth, Ledger::Outflow, q, e).await
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
    export(&s, &auth, Ledger::Return, q, e).await
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
    export(&s, &auth, Ledger::Inflow, q, e).await
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(ledger_outflow))
        .routes(routes!(ledger_return))
        .routes(routes!(ledger_inflow))
        .routes(routes!(export_outflow))
        .routes(routes!(export_return))
        .routes(routes!(export_inflow))
}
