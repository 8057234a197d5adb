//! The notice (个人信息处理规则): public, and the record of which version a member was shown.

use axum::extract::State;
use axum::http::StatusCode;
use honglian_app::members::retention::NoticeShown;
use honglian_domain::members::retention::PrivacyNotice;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Json};

/// How members' personal information is processed (个人信息处理规则): by whom, what, why, on which legal
/// basis, for how long, how it is protected and how to ask for a copy, a correction or deletion. No
/// sign-in needed.
#[utoipa::path(get, path = "/privacy-notice", tag = "members", responses((status = 200, body = PrivacyNotice)))]
async fn privacy_notice(State(s): State<AppState>) -> axum::Json<PrivacyNotice> {
    axum::Json(s.app.privacy_notice())
}

/// Record which version of the notice I was shown (the portal sends it after an invitation is opened).
/// Audited; nothing is asked of the member.
#[utoipa::path(post, path = "/privacy-notice/shown", tag = "members", request_body = NoticeShown,
    responses((status = 204), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn privacy_notice_shown(
    State(s): State<AppState>,
    auth: Auth,
    Json(body): Json<NoticeShown>,
) -> ApiResult<StatusCode> {
    s.app.privacy_notice_shown(&auth.0, body).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(privacy_notice)).routes(routes!(privacy_notice_shown))
}
