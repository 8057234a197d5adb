//! Instructor groups, their assignments and visits.

use axum::extract::State;
use axum::http::StatusCode;
use honglian_app::communities::instructors::{
    AssignInput, CandidateQuery, CandidateView, InstructorGroupInput, InstructorGroupView, VisitInput, VisitQuery,
    VisitView,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Ids, Json, Query};
use crate::http::{AppState, ListResponse, list};

/// Instructor groups I manage, or my own groups.
#[utoipa::path(get, path = "/instructor-groups", tag = "instructors", responses((status = 200, body = ListResponse<InstructorGroupView>)))]
async fn group_list(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<ListResponse<InstructorGroupView>>> {
    Ok(list(s.app.instructor_groups(&auth.0).await?))
}

/// Users who may be put in an instructor group (business users, not members' or system accounts).
#[utoipa::path(get, path = "/instructor-candidates", tag = "instructors", params(CandidateQuery),
    responses((status = 200, body = ListResponse<CandidateView>)))]
async fn candidate_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<CandidateQuery>,
) -> ApiResult<axum::Json<ListResponse<CandidateView>>> {
    Ok(list(s.app.instructor_candidates(&auth.0, q).await?))
}

/// Form a group of 3–5 instructors (the first is the leader).
#[utoipa::path(post, path = "/instructor-groups", tag = "instructors", request_body = InstructorGroupInput,
    responses((status = 201, body = InstructorGroupView), (status = 422, body = Problem)))]
async fn group_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<InstructorGroupInput>,
) -> ApiResult<(StatusCode, axum::Json<InstructorGroupView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.instructor_group_create(&auth.0, b).await?)))
}

/// Assign an organisation to a group: its instructors see it from now on.
#[utoipa::path(post, path = "/instructor-groups/{id}/assignments", tag = "instructors", params(("id" = honglian_domain::RecordId, Path)), request_body = AssignInput,
    responses((status = 200, body = InstructorGroupView), (status = 422, body = Problem)))]
async fn group_assign(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<AssignInput>,
) -> ApiResult<axum::Json<InstructorGroupView>> {
    Ok(axum::Json(s.app.instructor_assign(&auth.0, id, b).await?))
}

/// End an assignment.
#[utoipa::path(delete, path = "/instructor-groups/{id}/assignments/{org_id}", tag = "instructors", params(("id" = honglian_domain::RecordId, Path), ("org_id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = InstructorGroupView), (status = 404, body = Problem)))]
async fn group_unassign(
    State(s): State<AppState>,
    auth: Auth,
    Ids(id, org): Ids,
) -> ApiResult<axum::Json<InstructorGroupView>> {
    Ok(axum::Json(s.app.instructor_unassign(&auth.0, id, org).await?))
}

/// Visits (走访) to the organisations I see, newest first.
#[utoipa::path(get, path = "/visits", tag = "instructors", params(VisitQuery), responses((status = 200, body = ListResponse<VisitView>)))]
async fn visit_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<VisitQuery>,
) -> ApiResult<axum::Json<ListResponse<VisitView>>> {
    Ok(list(s.app.visit_list(&auth.0, q).await?))
}

/// Log a visit with findings and follow-ups.
#[utoipa::path(post, path = "/visits", tag = "instructors", request_body = VisitInput,
    responses((status = 201, body = VisitView), (status = 422, body = Problem)))]
async fn visit_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<VisitInput>,
) -> ApiResult<(StatusCode, axum::Json<VisitView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.visit_create(&auth.0, b).await?)))
}

/// The follow-ups of a visit are done.
#[utoipa::path(post, path = "/visits/{id}/close", tag = "instructors", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = VisitView), (status = 404, body = Problem)))]
async fn visit_close(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<VisitView>> {
    Ok(axum::Json(s.app.visit_close(&auth.0, id).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(group_list, group_create))
        .routes(routes!(candidate_list))
        .routes(routes!(group_assign))
        .routes(routes!(group_unassign))
        .routes(routes!(visit_list, visit_create))
        .routes(routes!(visit_close))
}
