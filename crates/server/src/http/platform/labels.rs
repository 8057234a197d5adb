//! An account's clearance for security labels (安全标记), set by the security administrator.

use axum::extract::State;
use honglian_domain::platform::labels::SecurityLabel;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Json};

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct ClearanceBody {
    /// general（一般）| sensitive（可查看带“敏感”标记的党员档案明文）
    pub clearance: SecurityLabel,
}

/// Set an account's clearance (security administrator; never one's own); audited.
#[utoipa::path(put, path = "/users/{id}/clearance", tag = "users", params(("id" = honglian_domain::RecordId, Path)), request_body = ClearanceBody,
    responses((status = 200, body = ClearanceBody), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn set_clearance(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(body): Json<ClearanceBody>,
) -> ApiResult<axum::Json<ClearanceBody>> {
    Ok(axum::Json(ClearanceBody { clearance: s.app.user_set_clearance(&auth.0, id, body.clearance).await? }))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(set_clearance))
}
