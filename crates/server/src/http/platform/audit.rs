//! The audit log (audit admin).

use axum::extract::State;
use honglian_app::platform::audit::{AuditQuery, AuditView};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::error::ApiResult;
use crate::http::extract::{Auth, Query};
use crate::http::{AppState, ListResponse};

/// The audit log, newest first (audit admin only).
#[utoipa::path(get, path = "/audit-events", tag = "audit", params(AuditQuery), responses((status = 200, body = ListResponse<AuditView>)))]
async fn audit_events(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<AuditQuery>,
) -> ApiResult<axum::Json<ListResponse<AuditView>>> {
    Ok(axum::Json(s.app.audit_list(&auth.0, q).await?.into()))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(audit_events))
}
