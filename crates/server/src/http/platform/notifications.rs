//! In-app notifications of the signed-in user, their channels and quiet hours; group robots and the
//! deliveries of the outbox for the administrators of a subtree.

use axum::extract::State;
use axum::http::StatusCode;
use honglian_app::platform::notifications::{NotificationList, NotificationQuery};
use honglian_app::platform::outbox::{
    NotifyPrefsInput, NotifyPrefsView, OutboxItem, OutboxPage, OutboxQuery, RobotInput, RobotList, RobotQuery,
    RobotView,
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Json, Query};

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

/// My channels and quiet hours (the email address masked).
#[utoipa::path(get, path = "/notify/prefs", tag = "notifications", responses((status = 200, body = NotifyPrefsView)))]
async fn prefs_get(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<NotifyPrefsView>> {
    Ok(axum::Json(s.app.notify_prefs(&auth.0).await?))
}

/// Save my channels and quiet hours.
#[utoipa::path(put, path = "/notify/prefs", tag = "notifications", request_body = NotifyPrefsInput,
    responses((status = 200, body = NotifyPrefsView), (status = 422, body = Problem)))]
async fn prefs_put(
    State(s): State<AppState>,
    auth: Auth,
    Json(p): Json<NotifyPrefsInput>,
) -> ApiResult<axum::Json<NotifyPrefsView>> {
    Ok(axum::Json(s.app.notify_prefs_save(&auth.0, p).await?))
}

/// The group robots of my subtree, and whether this deployment lets robots post.
#[utoipa::path(get, path = "/notify/robots", tag = "notifications", params(RobotQuery),
    responses((status = 200, body = RobotList), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn robot_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<RobotQuery>,
) -> ApiResult<axum::Json<RobotList>> {
    Ok(axum::Json(s.app.robot_list(&auth.0, q).await?))
}

/// Set up a WeCom or DingTalk group robot for an organisation of my subtree.
#[utoipa::path(post, path = "/notify/robots", tag = "notifications", request_body = RobotInput,
    responses((status = 201, body = RobotView), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn robot_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(r): Json<RobotInput>,
) -> ApiResult<(StatusCode, axum::Json<RobotView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.robot_create(&auth.0, r).await?)))
}

/// Switch off a group robot (it stays listed); what it still had to send is given up.
#[utoipa::path(post, path = "/notify/robots/{id}/disable", tag = "notifications", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = RobotView), (status = 404, body = Problem)))]
async fn robot_disable(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<RobotView>> {
    Ok(axum::Json(s.app.robot_disable(&auth.0, id).await?))
}

/// Send a test message to a group robot.
#[utoipa::path(post, path = "/notify/robots/{id}/test", tag = "notifications", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = RobotView), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn robot_test(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<RobotView>> {
    Ok(axum::Json(s.app.robot_test(&auth.0, id).await?))
}

/// Deliveries sent by organisations of my subtree (failures first to look at), with counts.
#[utoipa::path(get, path = "/notify/outbox", tag = "notifications", params(OutboxQuery),
    responses((status = 200, body = OutboxPage), (status = 403, body = Problem)))]
async fn outbox_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<OutboxQuery>,
) -> ApiResult<axum::Json<OutboxPage>> {
    Ok(axum::Json(s.app.outbox_list(&auth.0, q).await?))
}

/// Send a message again now (one given up, or one waiting to retry).
#[utoipa::path(post, path = "/notify/outbox/{id}/retry", tag = "notifications", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = OutboxItem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn outbox_retry(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<OutboxItem>> {
    Ok(axum::Json(s.app.outbox_retry(&auth.0, id).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(notification_list))
        .routes(routes!(notification_read))
        .routes(routes!(notification_read_all))
        .routes(routes!(prefs_get, prefs_put))
        .routes(routes!(robot_list, robot_create))
        .routes(routes!(robot_disable))
        .routes(routes!(robot_test))
        .routes(routes!(outbox_list))
        .routes(routes!(outbox_retry))
}
