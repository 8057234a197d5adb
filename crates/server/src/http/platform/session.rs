//! Login, the current session, logout, the caller's own password and sessions.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use honglian_app::platform::actor::ActorGrant;
use honglian_app::{Actor, AppError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{AuthAny, COOKIE, Client, Json};
use crate::http::{AppState, ListResponse};

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub must_change_password: bool,
    pub member_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionGrant {
    pub id: i64,
    pub role: String,
    pub role_label: String,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
}

/// The signed-in user, what they may do, and the token for unsafe requests.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    pub user: SessionUser,
    /// Permission codes, e.g. `member.read`.
    pub permissions: Vec<String>,
    pub grants: Vec<SessionGrant>,
    /// Send as `X-CSRF-Token` on every POST, PATCH, PUT and DELETE.
    pub csrf_token: String,
}

fn info(actor: &Actor, csrf_token: String) -> SessionInfo {
    SessionInfo {
        user: SessionUser {
            id: actor.user_id,
            username: actor.username.clone(),
            display_name: actor.display_name.clone(),
            must_change_password: actor.must_change_password,
            member_id: actor.member_id,
        },
        permissions: actor.permissions().iter().map(|p| p.code().to_string()).collect(),
        grants: actor
            .grants
            .iter()
            .map(|g: &ActorGrant| SessionGrant {
                id: g.id,
                role: g.role.code().into(),
                role_label: g.role.label().into(),
                org_id: g.org_id,
                org_name: g.org_name.clone(),
            })
            .collect(),
        csrf_token,
    }
}

fn cookie(state: &AppState, value: &str, max_age: Option<i64>) -> HeaderValue {
    let mut c = format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict");
    if state.http.secure_cookies {
        c.push_str("; Secure");
    }
    match max_age {
        Some(s) => c.push_str(&format!("; Max-Age={s}")),
        None => c.push_str("; Max-Age=0"),
    }
    HeaderValue::from_str(&c).expect("cookie is ASCII")
}

/// Sign in.
#[utoipa::path(post, path = "/session", tag = "session", request_body = LoginRequest,
    responses((status = 200, body = SessionInfo), (status = 401, body = Problem), (status = 423, description = "账号已锁定", body = Problem)))]
async fn login(
    axum::extract::State(state): axum::extract::State<AppState>,
    client: Client,
    Json(req): Json<LoginRequest>,
) -> ApiResult<Response> {
    let ctx = honglian_app::Ctx { actor: None, ip: client.ip, user_agent: client.user_agent };
    let s = state.app.login(&ctx, &req.username, &req.password).await?;
    Ok(signed_in(&state, s))
}

/// The answer that signs a new session in: who it is, and the session cookie.
pub(crate) fn signed_in(state: &AppState, s: honglian_app::platform::auth::NewSession) -> Response {
    let max_age = state.app.config.security.session_absolute_hours * 3600;
    let mut r = axum::Json(info(&s.actor, s.csrf_token)).into_response();
    r.headers_mut().insert(header::SET_COOKIE, cookie(state, &s.token, Some(max_age)));
    r
}

/// The current session.
#[utoipa::path(get, path = "/session", tag = "session", responses((status = 200, body = SessionInfo), (status = 401, body = Problem)))]
async fn current(auth: AuthAny) -> ApiResult<axum::Json<SessionInfo>> {
    let actor = auth.ctx.actor.as_ref().expect("AuthAny has an actor");
    Ok(axum::Json(info(actor, auth.csrf_token.clone())))
}

/// Sign out.
#[utoipa::path(delete, path = "/session", tag = "session", responses((status = 204), (status = 401, body = Problem)))]
async fn logout(axum::extract::State(state): axum::extract::State<AppState>, auth: AuthAny) -> ApiResult<Response> {
    state.app.logout(&auth.ctx, &auth.session_id).await?;
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut().insert(header::SET_COOKIE, cookie(&state, "", None));
    Ok(r)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordChange {
    pub old_password: String,
    pub new_password: String,
}

/// Change my password (required at first login); signs out my other sessions.
#[utoipa::path(post, path = "/me/password", tag = "session", request_body = PasswordChange,
    responses((status = 204), (status = 422, body = Problem)))]
async fn change_password(
    axum::extract::State(state): axum::extract::State<AppState>,
    auth: AuthAny,
    Json(req): Json<PasswordChange>,
) -> ApiResult<StatusCode> {
    state.app.change_password(&auth.ctx, &auth.session_id, &req.old_password, &req.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    /// A short, non-secret handle of the session.
    pub id: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub current: bool,
}

/// My active sessions.
#[utoipa::path(get, path = "/me/sessions", tag = "session", responses((status = 200, body = ListResponse<SessionView>)))]
async fn my_sessions(
    axum::extract::State(state): axum::extract::State<AppState>,
    auth: AuthAny,
) -> ApiResult<axum::Json<ListResponse<SessionView>>> {
    let list = state.app.my_sessions(&auth.ctx).await?;
    let items: Vec<SessionView> = list
        .into_iter()
        .map(|s| SessionView {
            current: s.id == auth.session_id,
            id: s.id[..12].to_string(),
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            ip: s.ip,
            user_agent: s.user_agent,
        })
        .collect();
    Ok(axum::Json(ListResponse { total: items.len() as u64, items }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Ended {
    pub ended: u64,
}

/// Sign out everywhere else.
#[utoipa::path(delete, path = "/me/sessions", tag = "session", responses((status = 200, body = Ended)))]
async fn end_other_sessions(
    axum::extract::State(state): axum::extract::State<AppState>,
    auth: AuthAny,
) -> ApiResult<axum::Json<Ended>> {
    if auth.ctx.actor.as_ref().is_some_and(|a| a.must_change_password) {
        return Err(AppError::PasswordChangeRequired.into());
    }
    let ended = state.app.end_other_sessions(&auth.ctx, &auth.session_id).await?;
    Ok(axum::Json(Ended { ended }))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login, current, logout))
        .routes(routes!(change_password))
        .routes(routes!(my_sessions, end_other_sessions))
}
