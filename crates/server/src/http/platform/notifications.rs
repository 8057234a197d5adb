//! In-app notifications of the signed-in user.

use axum::extract::State;
use honglian_app::platform::notifications::{NotificationList, NotificationQuery};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::error::ApiResult;
use crate::http::extract::{Auth, Id, Query};

/// My notifications (reminders of duties, approvals), newest first.
#[utoipa::path(get, path = "/notifications", tag = "notifications", params(NotificationQuery), responses((status = 200, body = NotificationList)))]
async fn notification_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<NotificationQuery>,
) -> ApiResult<axum::Json<NotificationList>> {
    Ok(axum::Json(s.app.notifications(&auth.0, q).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Marked {
    pub marked: u64,
}

/// Mark one notification read.
#[utoipa::path(post, path = "/notifications/{id}/read", tag = "notifications", params(("id" = honglian_domain::RecordId, Path)), responses((status = 200, body = Marked)))]
async fn notification_read(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<Marked>> {
    Ok(axum::Json(Marked { marked: s.app.notifications_read(&auth.0, Some(id)).await? }))
}

/// Mark all my notifications read.
#[utoipa::path(post, path = "/notifications/read-all", tag = "notifications", responses((status = 200, body = Marked)))]
async fn notification_read_all(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<Marked>> {
    Ok(axum::Json(Marked { marked: s.app.notifications_read(&auth.0, None).await? }))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(notification_list))
        .routes(routes!(notification_read))
        .routes(routes!(notification_read_all))
}
