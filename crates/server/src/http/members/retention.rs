//! PIPL deletion on request (§47): erase a departed member's personal fields (删除个人信息).

use axum::extract::State;
use honglian_app::members::registry::MemberView;
use honglian_app::members::retention::ErasureRequest;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Json};

/// Erase a departed member's personal fields at once (删除个人信息): the ID number, phone, address,
/// employer and occupation, the birth date but its year, and what the records about the member say of
/// them. Only for a member who has left (已出党, 已故, 已转出), by a worker who manages the member's
/// organisation and may unmask the member; a reason is required and recorded in the audit log.
#[utoipa::path(post, path = "/members/{id}/erase-personal-data", tag = "members",
    params(("id" = honglian_domain::RecordId, Path)), request_body = ErasureRequest,
    responses((status = 200, body = MemberView), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn erase_personal_data(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(body): Json<ErasureRequest>,
) -> ApiResult<axum::Json<MemberView>> {
    Ok(axum::Json(s.app.member_erase_personal(&auth.0, id, body).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(erase_personal_data))
}
