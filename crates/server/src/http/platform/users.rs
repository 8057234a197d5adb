//! Users and their grants (security admin), the built-in roles.

use axum::extract::State;
use axum::http::StatusCode;
use honglian_app::platform::second_factor::SecondFactorStatus;
use honglian_app::platform::users::{GrantHostsQuery, NewGrant, NewUser, UserPatch, UserQuery, UserView};
use honglian_app::services::requests::HostName;
use honglian_domain::platform::authz::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Ids, Json, Query};
use crate::http::{AppState, ListResponse};

/// List users.
#[utoipa::path(get, path = "/users", tag = "users", params(UserQuery), responses((status = 200, body = ListResponse<UserView>)))]
async fn user_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<UserQuery>,
) -> ApiResult<axum::Json<ListResponse<UserView>>> {
    Ok(axum::Json(s.app.user_list(&auth.0, q).await?.into()))
}

/// Create a user (must change the password at first login).
#[utoipa::path(post, path = "/users", tag = "users", request_body = NewUser,
    responses((status = 201, body = UserView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn user_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(body): Json<NewUser>,
) -> ApiResult<(StatusCode, axum::Json<UserView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.user_create(&auth.0, body, false).await?)))
}

/// One user with grants.
#[utoipa::path(get, path = "/users/{id}", tag = "users", params(("id" = honglian_domain::RecordId, Path)), responses((status = 200, body = UserView), (status = 404, body = Problem)))]
async fn user_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<UserView>> {
    Ok(axum::Json(s.app.user_get(&auth.0, id).await?))
}

/// Rename or disable a user (disabling signs them out).
#[utoipa::path(patch, path = "/users/{id}", tag = "users", params(("id" = honglian_domain::RecordId, Path)), request_body = UserPatch,
    responses((status = 200, body = UserView), (status = 422, body = Problem)))]
async fn user_update(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(body): Json<UserPatch>,
) -> ApiResult<axum::Json<UserView>> {
    Ok(axum::Json(s.app.user_update(&auth.0, id, body).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordReset {
    pub new_password: String,
}

/// Reset a user's password; they must change it at next login.
#[utoipa::path(post, path = "/users/{id}/password", tag = "users", params(("id" = honglian_domain::RecordId, Path)), request_body = PasswordReset,
    responses((status = 204), (status = 422, body = Problem)))]
async fn reset_password(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(body): Json<PasswordReset>,
) -> ApiResult<StatusCode> {
    s.app.user_reset_password(&auth.0, id, &body.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A user's second factor (whether it is on or pending, and whether the policy asks for one).
#[utoipa::path(get, path = "/users/{id}/second-factor", tag = "users", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = SecondFactorStatus), (status = 404, body = Problem)))]
async fn second_factor(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<SecondFactorStatus>> {
    Ok(axum::Json(s.app.user_second_factor(&auth.0, id).await?))
}

/// Reset a user's second factor (a lost phone): their next login asks for the password only, and
/// where the policy requires one they set up a new one first. Not one's own.
#[utoipa::path(post, path = "/users/{id}/second-factor/reset", tag = "users", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn reset_second_factor(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<StatusCode> {
    s.app.user_reset_second_factor(&auth.0, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Grant a role over an organisation subtree (or the system, for the three system roles).
#[utoipa::path(post, path = "/users/{id}/grants", tag = "users", params(("id" = honglian_domain::RecordId, Path)), request_body = NewGrant,
    responses((status = 200, body = UserView), (status = 422, body = Problem)))]
async fn add_grant(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(body): Json<NewGrant>,
) -> ApiResult<axum::Json<UserView>> {
    Ok(axum::Json(s.app.grant_add(&auth.0, id, body).await?))
}

/// The enterprises (names only) an enterprise contact's grant over an organisation may name.
#[utoipa::path(get, path = "/users/grant-hosts", tag = "users", params(GrantHostsQuery), responses((status = 200, body = Vec<HostName>), (status = 404, body = Problem)))]
async fn grant_hosts(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<GrantHostsQuery>,
) -> ApiResult<axum::Json<Vec<HostName>>> {
    Ok(axum::Json(s.app.grant_hosts(&auth.0, q).await?))
}

/// Revoke a grant.
#[utoipa::path(delete, path = "/users/{id}/grants/{grant_id}", tag = "users", params(("id" = honglian_domain::RecordId, Path), ("grant_id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = UserView), (status = 404, body = Problem)))]
async fn remove_grant(
    State(s): State<AppState>,
    auth: Auth,
    Ids(id, grant_id): Ids,
) -> ApiResult<axum::Json<UserView>> {
    Ok(axum::Json(s.app.grant_remove(&auth.0, id, grant_id).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleView {
    pub code: String,
    pub name: String,
    pub permissions: Vec<String>,
    /// One of the three system roles (系统/安全/审计管理员): granted without an organisation, exclusive.
    pub system: bool,
    /// Whether a grant of this role needs an organisation.
    pub needs_org: bool,
}

/// The built-in roles and their permissions.
#[utoipa::path(get, path = "/roles", tag = "users", responses((status = 200, body = Vec<RoleView>)))]
async fn roles(auth: Auth) -> ApiResult<axum::Json<Vec<RoleView>>> {
    auth.actor().require(honglian_domain::platform::authz::Permission::UserRead)?;
    Ok(axum::Json(
        Role::ALL
            .iter()
            .map(|r| RoleView {
                code: r.code().into(),
                name: r.label().into(),
                permissions: r.permissions().iter().map(|p| p.code().into()).collect(),
                system: r.is_system(),
                needs_org: r.needs_org(),
            })
            .collect(),
    ))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(user_list, user_create))
        .routes(routes!(user_get, user_update))
        .routes(routes!(reset_password))
        .routes(routes!(second_factor))
        .routes(routes!(reset_second_factor))
        .routes(routes!(add_grant))
        .routes(routes!(grant_hosts))
        .routes(routes!(remove_grant))
        .routes(routes!(roles))
}
