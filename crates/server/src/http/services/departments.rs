//! The county's departments (县直部门).

use axum::extract::State;
use axum::http::StatusCode;
use honglian_app::services::departments::{DepartmentInput, DepartmentQuery, DepartmentView};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Json, Query};
use crate::http::{AppState, ListResponse, list};

/// The departments of my county.
#[utoipa::path(get, path = "/departments", tag = "policies", params(DepartmentQuery), responses((status = 200, body = ListResponse<DepartmentView>)))]
async fn department_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<DepartmentQuery>,
) -> ApiResult<axum::Json<ListResponse<DepartmentView>>> {
    Ok(list(s.app.department_list(&auth.0, q).await?))
}

/// Add a department to my county (county admins).
#[utoipa::path(post, path = "/departments", tag = "policies", request_body = DepartmentInput,
    responses((status = 201, body = DepartmentView), (status = 422, body = Problem)))]
async fn department_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(d): Json<DepartmentInput>,
) -> ApiResult<(StatusCode, axum::Json<DepartmentView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.department_create(&auth.0, d).await?)))
}

/// Rename a department.
#[utoipa::path(patch, path = "/departments/{id}", tag = "policies", params(("id" = honglian_domain::RecordId, Path)), request_body = DepartmentInput,
    responses((status = 200, body = DepartmentView), (status = 422, body = Problem)))]
async fn department_update(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(d): Json<DepartmentInput>,
) -> ApiResult<axum::Json<DepartmentView>> {
    Ok(axum::Json(s.app.department_update(&auth.0, id, d).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(department_list, department_create)).routes(routes!(department_update))
}
