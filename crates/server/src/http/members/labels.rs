//! A member record's security label (安全标记).

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
pub struct LabelBody {
    /// general（一般）| sensitive（敏感：查看明文须有敏感级权限）
    pub label: SecurityLabel,
}

/// Set a member's security label: raised by whoever may unmask the record, lowered only with the
/// clearance the label asks for; audited.
#[utoipa::path(put, path = "/members/{id}/security-label", tag = "members", params(("id" = honglian_domain::RecordId, Path)), request_body = LabelBody,
    responses((status = 200, body = LabelBody), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn set_label(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(body): Json<LabelBody>,
) -> ApiResult<axum::Json<LabelBody>> {
    Ok(axum::Json(LabelBody { label: s.app.member_set_label(&auth.0, id, body.label).await? }))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(set_label))
}
