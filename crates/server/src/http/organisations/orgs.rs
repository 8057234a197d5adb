//! The organisation tree: list, roots, create, edit, move, dissolve; lookup by name.

use axum::extract::State;
use honglian_app::organisations::orgs::{NewOrg, OrgInput, OrgQuery, OrgRef, OrgView};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Json, Query};
use crate::http::{AppState, ListResponse};

/// List organisations (children, subtree, name search) within my scope.
#[utoipa::path(get, path = "/orgs", tag = "orgs", params(OrgQuery), responses((status = 200, body = ListResponse<OrgView>)))]
async fn org_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<OrgQuery>,
) -> ApiResult<axum::Json<ListResponse<OrgView>>> {
    Ok(axum::Json(s.app.org_list(&auth.0, q).await?.into()))
}

/// The top organisations of my scope.
#[utoipa::path(get, path = "/orgs/roots", tag = "orgs", responses((status = 200, body = ListResponse<OrgView>)))]
async fn roots(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<ListResponse<OrgView>>> {
    let items = s.app.org_roots(&auth.0).await?;
    Ok(axum::Json(ListResponse { total: items.len() as u64, items }))
}

/// Create an organisation under a parent in my scope.
#[utoipa::path(post, path = "/orgs", tag = "orgs", request_body = NewOrg,
    responses((status = 201, body = OrgView), (status = 422, body = Problem)))]
async fn org_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(body): Json<NewOrg>,
) -> ApiResult<(axum::http::StatusCode, axum::Json<OrgView>)> {
    Ok((axum::http::StatusCode::CREATED, axum::Json(s.app.org_create(&auth.0, body).await?)))
}

/// One organisation.
#[utoipa::path(get, path = "/orgs/{id}", tag = "orgs", params(("id" = honglian_domain::RecordId, Path)), responses((status = 200, body = OrgView), (status = 404, body = Problem)))]
async fn org_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<OrgView>> {
    Ok(axum::Json(s.app.org_get(&auth.0, id).await?))
}

/// Edit an organisation (fields not sent stay as they are).
#[utoipa::path(patch, path = "/orgs/{id}", tag = "orgs", params(("id" = honglian_domain::RecordId, Path)), request_body = OrgInput,
    responses((status = 200, body = OrgView), (status = 422, body = Problem)))]
async fn org_update(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(body): Json<OrgInput>,
) -> ApiResult<axum::Json<OrgView>> {
    Ok(axum::Json(s.app.org_update(&auth.0, id, body).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MoveRequest {
    #[schema(value_type = honglian_domain::RecordId)]
    pub new_parent_id: i64,
}

/// Move an organisation with its whole subtree under another parent.
#[utoipa::path(post, path = "/orgs/{id}/move", tag = "orgs", params(("id" = honglian_domain::RecordId, Path)), request_body = MoveRequest,
    responses((status = 200, body = OrgView), (status = 422, body = Problem)))]
async fn move_org(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(body): Json<MoveRequest>,
) -> ApiResult<axum::Json<OrgView>> {
    Ok(axum::Json(s.app.org_move(&auth.0, id, body.new_parent_id).await?))
}

/// Dissolve an organisation (refused while it has members or active children).
#[utoipa::path(post, path = "/orgs/{id}/dissolve", tag = "orgs", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = OrgView), (status = 409, body = Problem)))]
async fn dissolve(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<OrgView>> {
    Ok(axum::Json(s.app.org_dissolve(&auth.0, id).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LookupQuery {
    pub q: Option<String>,
}

/// Find any organisation by name: when granting a role (security admin) or choosing a receiving organisation (member writers).
#[utoipa::path(get, path = "/org-lookup", tag = "users", params(LookupQuery), responses((status = 200, body = ListResponse<OrgRef>)))]
async fn org_lookup(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<LookupQuery>,
) -> ApiResult<axum::Json<ListResponse<OrgRef>>> {
    let items = s.app.org_lookup(&auth.0, q.q.as_deref().unwrap_or("")).await?;
    Ok(axum::Json(ListResponse { total: items.len() as u64, items }))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(org_list, org_create))
        .routes(routes!(roots))
        .routes(routes!(org_get, org_update))
        .routes(routes!(move_org))
        .routes(routes!(dissolve))
        .routes(routes!(org_lookup))
}
