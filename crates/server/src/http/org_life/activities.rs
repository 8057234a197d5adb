//! Organisational life: activities, attendance and check-in, attachments, late-recording approval, the year's
//! record (xlsx, PDF).

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use honglian_app::org_life::activities::{
    ActivityInput, ActivityQuery, ActivityView, AttachmentView, AttendanceInput, AttendeeView, MemberActivity,
};
use honglian_app::org_life::record::RecordQuery;
use honglian_app::platform::report::ReportFormat;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::download::export_response;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Ids, Json, Query};
use crate::http::{AppState, ListResponse};

/// Activities of the organisations in my scope (calendar).
#[utoipa::path(get, path = "/activities", tag = "activities", params(ActivityQuery), responses((status = 200, body = ListResponse<ActivityView>)))]
async fn activity_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<ActivityQuery>,
) -> ApiResult<axum::Json<ListResponse<ActivityView>>> {
    Ok(axum::Json(s.app.activity_list(&auth.0, q).await?.into()))
}

/// An organisation's organisational-life record for a year (组织生活记录) as print-ready xlsx: each meeting with its
/// date, kind, topic, attendance and who was absent or on leave (audited).
#[utoipa::path(get, path = "/activities.xlsx", tag = "activities", params(RecordQuery),
    responses((status = 200, description = "xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
async fn record_xlsx(State(s): State<AppState>, auth: Auth, Query(q): Query<RecordQuery>) -> ApiResult<Response> {
    let x = s.app.org_life_record(&auth.0, q, ReportFormat::Xlsx).await?;
    Ok(export_response(x, ReportFormat::Xlsx))
}

/// The organisational-life record for a year as a print-ready PDF (A4 landscape, audited).
#[utoipa::path(get, path = "/activities.pdf", tag = "activities", params(RecordQuery),
    responses((status = 200, description = "PDF", content_type = "application/pdf")))]
async fn record_pdf(State(s): State<AppState>, auth: Auth, Query(q): Query<RecordQuery>) -> ApiResult<Response> {
    let x = s.app.org_life_record(&auth.0, q, ReportFormat::Pdf).await?;
    Ok(export_response(x, ReportFormat::Pdf))
}

/// Record an activity (one organisation or a joint one). Ended more than 7 days ago: sent for approval.
#[utoipa::path(post, path = "/activities", tag = "activities", request_body = ActivityInput,
    responses((status = 201, body = ActivityView), (status = 422, body = Problem)))]
async fn activity_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<ActivityInput>,
) -> ApiResult<(StatusCode, axum::Json<ActivityView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.activity_create(&auth.0, b).await?)))
}

/// One activity.
#[utoipa::path(get, path = "/activities/{id}", tag = "activities", params(("id" = honglian_domain::RecordId, Path)), responses((status = 200, body = ActivityView), (status = 404, body = Problem)))]
async fn activity_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<ActivityView>> {
    Ok(axum::Json(s.app.activity_get(&auth.0, id).await?))
}

/// Edit an activity (minutes, place, time …).
#[utoipa::path(patch, path = "/activities/{id}", tag = "activities", params(("id" = honglian_domain::RecordId, Path)), request_body = ActivityInput,
    responses((status = 200, body = ActivityView), (status = 422, body = Problem)))]
async fn activity_update(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<ActivityInput>,
) -> ApiResult<axum::Json<ActivityView>> {
    Ok(axum::Json(s.app.activity_update(&auth.0, id, b).await?))
}

/// Cancel an activity.
#[utoipa::path(post, path = "/activities/{id}/cancel", tag = "activities", params(("id" = honglian_domain::RecordId, Path)), responses((status = 200, body = ActivityView)))]
async fn activity_cancel(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<ActivityView>> {
    Ok(axum::Json(s.app.activity_cancel(&auth.0, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Decision {
    pub approve: bool,
    pub note: Option<String>,
}

/// Approve or reject recording an activity after the limit (county admin; audited).
#[utoipa::path(post, path = "/activities/{id}/approval", tag = "activities", params(("id" = honglian_domain::RecordId, Path)), request_body = Decision,
    responses((status = 200, body = ActivityView), (status = 409, body = Problem)))]
async fn activity_decide(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<Decision>,
) -> ApiResult<axum::Json<ActivityView>> {
    Ok(axum::Json(s.app.activity_decide(&auth.0, id, b.approve, b.note).await?))
}

/// Expected attendees (members of the organisations and mobile members received there) and their attendance.
#[utoipa::path(get, path = "/activities/{id}/attendance", tag = "activities", params(("id" = honglian_domain::RecordId, Path)), responses((status = 200, body = ListResponse<AttendeeView>)))]
async fn attendance_list(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
) -> ApiResult<axum::Json<ListResponse<AttendeeView>>> {
    let items = s.app.attendance_list(&auth.0, id).await?;
    Ok(axum::Json(ListResponse { total: items.len() as u64, items }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AttendanceBody {
    pub items: Vec<AttendanceInput>,
}

/// Record attendance: present, on leave (with reason) or absent.
#[utoipa::path(put, path = "/activities/{id}/attendance", tag = "activities", params(("id" = honglian_domain::RecordId, Path)), request_body = AttendanceBody,
    responses((status = 200, body = ListResponse<AttendeeView>), (status = 422, body = Problem)))]
async fn attendance_record(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<AttendanceBody>,
) -> ApiResult<axum::Json<ListResponse<AttendeeView>>> {
    let items = s.app.attendance_record(&auth.0, id, b.items).await?;
    Ok(axum::Json(ListResponse { total: items.len() as u64, items }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckIn {
    pub code: String,
}

/// The signed-in member checks in with the activity's code, in its time window.
#[utoipa::path(post, path = "/activities/{id}/check-in", tag = "activities", params(("id" = honglian_domain::RecordId, Path)), request_body = CheckIn,
    responses((status = 200, body = AttendeeView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn check_in(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<CheckIn>,
) -> ApiResult<axum::Json<AttendeeView>> {
    Ok(axum::Json(s.app.check_in(&auth.0, id, &b.code).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LeaveRequest {
    /// Why I cannot attend (shown in the attendance table).
    pub reason: String,
}

/// Ask for leave (a member expected at the activity), with a reason, before it ends.
#[utoipa::path(post, path = "/activities/{id}/leave", tag = "activities", params(("id" = honglian_domain::RecordId, Path)), request_body = LeaveRequest,
    responses((status = 200, body = AttendeeView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn leave_request(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<LeaveRequest>,
) -> ApiResult<axum::Json<AttendeeView>> {
    Ok(axum::Json(s.app.leave_request(&auth.0, id, &b.reason).await?))
}

/// Upload a photo or document of an activity.
#[utoipa::path(post, path = "/activities/{id}/attachments", tag = "activities", params(("id" = honglian_domain::RecordId, Path)),
    request_body(content = inline(crate::http::AttachmentUpload), content_type = "multipart/form-data"),
    responses((status = 201, body = AttachmentView), (status = 422, body = Problem)))]
async fn attachment_add(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    mut mp: Multipart,
) -> ApiResult<(StatusCode, axum::Json<AttachmentView>)> {
    let (name, bytes) = crate::http::upload(&mut mp).await?;
    Ok((StatusCode::CREATED, axum::Json(s.app.attachment_add(&auth.0, id, &name, &bytes).await?)))
}

/// Download an attachment.
#[utoipa::path(get, path = "/activities/{id}/attachments/{attachment_id}", tag = "activities", params(("id" = honglian_domain::RecordId, Path), ("attachment_id" = honglian_domain::RecordId, Path)),
    responses((status = 200, description = "the file"), (status = 404, body = Problem)))]
async fn attachment_get(State(s): State<AppState>, auth: Auth, Ids(id, att): Ids) -> ApiResult<Response> {
    let (meta, bytes) = s.app.attachment_get(&auth.0, id, att).await?;
    Ok(crate::http::file_response(&meta.content_type, &meta.filename, bytes))
}

/// The activities a member attended, wherever held (the home branch sees its mobile members' organisational life).
#[utoipa::path(get, path = "/members/{id}/activities", tag = "activities", params(("id" = honglian_domain::RecordId, Path)), responses((status = 200, body = ListResponse<MemberActivity>)))]
async fn member_activities(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
) -> ApiResult<axum::Json<ListResponse<MemberActivity>>> {
    let items = s.app.member_activities(&auth.0, id).await?;
    Ok(axum::Json(ListResponse { total: items.len() as u64, items }))
}

/// Activities I (a member) am expected at, recent and upcoming.
#[utoipa::path(get, path = "/me/activities", tag = "activities", responses((status = 200, body = ListResponse<ActivityView>)))]
async fn my_activities(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<ListResponse<ActivityView>>> {
    let items = s.app.my_activities(&auth.0).await?;
    Ok(axum::Json(ListResponse { total: items.len() as u64, items }))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(activity_list, activity_create))
        .routes(routes!(activity_get, activity_update))
        .routes(routes!(activity_cancel))
        .routes(routes!(activity_decide))
        .routes(routes!(attendance_list, attendance_record))
        .routes(routes!(check_in))
        .routes(routes!(leave_request))
        .routes(routes!(attachment_add))
        .routes(routes!(attachment_get))
        .routes(routes!(member_activities))
        .routes(routes!(my_activities))
        .routes(routes!(record_xlsx))
        .routes(routes!(record_pdf))
}
