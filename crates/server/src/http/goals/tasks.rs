//! Key task lists, tasks with computed lights, progress and evidence, roll-ups, promotion meetings.

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use honglian_app::goals::tasks::{
    EvidenceView, MeetingInput, MeetingView, NewTaskList, ProgressInput, TaskDetail, TaskInput, TaskListView, TaskPage,
    TaskQuery, TaskRollup,
};
use honglian_domain::Year;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Ids, Json, Query};
use crate::http::{AppState, ListResponse, list};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// Default: this year.
    pub year: Option<Year>,
}

/// The key task lists of a year I see, with their lights.
#[utoipa::path(get, path = "/task-lists", tag = "tasks", params(YearQuery), responses((status = 200, body = ListResponse<TaskListView>)))]
async fn task_lists(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<YearQuery>,
) -> ApiResult<axum::Json<ListResponse<TaskListView>>> {
    Ok(list(s.app.task_lists(&auth.0, q.year.map(honglian_domain::Year::get)).await?))
}

/// Issue a key task list for a year (the county or a committee).
#[utoipa::path(post, path = "/task-lists", tag = "tasks", request_body = NewTaskList,
    responses((status = 201, body = TaskListView), (status = 422, body = Problem)))]
async fn task_list_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<NewTaskList>,
) -> ApiResult<(StatusCode, axum::Json<TaskListView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.task_list_create(&auth.0, b).await?)))
}

/// Record a promotion meeting (推进会) and its decisions.
#[utoipa::path(post, path = "/task-lists/{id}/meetings", tag = "tasks", params(("id" = honglian_domain::RecordId, Path)), request_body = MeetingInput,
    responses((status = 201, body = MeetingView), (status = 422, body = Problem)))]
async fn meeting_add(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<MeetingInput>,
) -> ApiResult<(StatusCode, axum::Json<MeetingView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.task_meeting_add(&auth.0, id, b).await?)))
}

/// The tasks of an organisation's subtree for a year, each with its computed light.
#[utoipa::path(get, path = "/tasks", tag = "tasks", params(TaskQuery), responses((status = 200, body = TaskPage)))]
async fn task_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<TaskQuery>,
) -> ApiResult<axum::Json<TaskPage>> {
    Ok(axum::Json(s.app.task_list(&auth.0, q).await?))
}

/// Add a task to a list: owner, co-organisations, deadline, weighted milestones.
#[utoipa::path(post, path = "/tasks", tag = "tasks", request_body = TaskInput,
    responses((status = 201, body = TaskDetail), (status = 422, body = Problem)))]
async fn task_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<TaskInput>,
) -> ApiResult<(StatusCode, axum::Json<TaskDetail>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.task_create(&auth.0, b).await?)))
}

/// A task with its progress reports and evidence.
#[utoipa::path(get, path = "/tasks/{id}", tag = "tasks", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = TaskDetail), (status = 404, body = Problem)))]
async fn task_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<TaskDetail>> {
    Ok(axum::Json(s.app.task_get(&auth.0, id).await?))
}

/// Edit a task (the list's issuer).
#[utoipa::path(patch, path = "/tasks/{id}", tag = "tasks", params(("id" = honglian_domain::RecordId, Path)), request_body = TaskInput,
    responses((status = 200, body = TaskDetail), (status = 422, body = Problem)))]
async fn task_update(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<TaskInput>,
) -> ApiResult<axum::Json<TaskDetail>> {
    Ok(axum::Json(s.app.task_update(&auth.0, id, b).await?))
}

/// Report progress (owner or co-organisation): percent, note, milestones completed, finished.
#[utoipa::path(post, path = "/tasks/{id}/reports", tag = "tasks", params(("id" = honglian_domain::RecordId, Path)), request_body = ProgressInput,
    responses((status = 200, body = TaskDetail), (status = 422, body = Problem)))]
async fn task_report(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<ProgressInput>,
) -> ApiResult<axum::Json<TaskDetail>> {
    Ok(axum::Json(s.app.task_report(&auth.0, id, b).await?))
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // describes the multipart body in the OpenAPI document
struct EvidenceUpload {
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: String,
}

/// Attach evidence (photo or document) to a progress report.
#[utoipa::path(post, path = "/tasks/{id}/reports/{report_id}/evidence", tag = "tasks", params(("id" = honglian_domain::RecordId, Path), ("report_id" = honglian_domain::RecordId, Path)),
    request_body(content = inline(EvidenceUpload), content_type = "multipart/form-data"),
    responses((status = 201, body = EvidenceView), (status = 422, body = Problem)))]
async fn evidence_add(
    State(s): State<AppState>,
    auth: Auth,
    Ids(id, report): Ids,
    mut mp: Multipart,
) -> ApiResult<(StatusCode, axum::Json<EvidenceView>)> {
    let (name, bytes) = crate::http::upload(&mut mp).await?;
    Ok((StatusCode::CREATED, axum::Json(s.app.task_evidence_add(&auth.0, id, report, &name, &bytes).await?)))
}

/// Download a piece of evidence.
#[utoipa::path(get, path = "/tasks/{id}/evidence/{evidence_id}", tag = "tasks", params(("id" = honglian_domain::RecordId, Path), ("evidence_id" = honglian_domain::RecordId, Path)),
    responses((status = 200, description = "the file"), (status = 404, body = Problem)))]
async fn evidence_get(State(s): State<AppState>, auth: Auth, Ids(id, ev): Ids) -> ApiResult<Response> {
    let (meta, bytes) = s.app.task_evidence_get(&auth.0, id, ev).await?;
    Ok(crate::http::file_response(&meta.content_type, &meta.filename, bytes))
}

/// Lights rolled up per owner organisation and per community.
#[utoipa::path(get, path = "/task-rollup", tag = "tasks", params(TaskQuery), responses((status = 200, body = TaskRollup)))]
async fn task_rollup(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<TaskQuery>,
) -> ApiResult<axum::Json<TaskRollup>> {
    Ok(axum::Json(s.app.task_rollup(&auth.0, q).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(task_lists, task_list_create))
        .routes(routes!(meeting_add))
        .routes(routes!(task_list, task_create))
        .routes(routes!(task_get, task_update))
        .routes(routes!(task_report))
        .routes(routes!(evidence_add))
        .routes(routes!(evidence_get))
        .routes(routes!(task_rollup))
}
