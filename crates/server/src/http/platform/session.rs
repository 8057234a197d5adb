//! Login, the current session, logout, the caller's own password, sessions and second factor.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use honglian_app::platform::actor::ActorGrant;
use honglian_app::platform::second_factor::{
    SecondFactorCode, SecondFactorDisable, SecondFactorEnrolment, SecondFactorStatus,
};
use honglian_app::{Actor, AppError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{AuthAny, AuthSetup, COOKIE, Client, Json};
use crate::http::{AppState, ListResponse};

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// The 6-digit code of the authenticator app, for an account with a second factor. Without it
    /// such an account is answered 401 `second_factor_required` ("请输入动态口令"); a wrong or used
    /// code is 401 `second_factor_invalid` and counts toward the lockout like a wrong password.
    #[serde(default)]
    pub otp: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub must_change_password: bool,
    /// The `[security] second_factor` policy asks for a second factor this account has not set up:
    /// everything but the session, its password and `/me/second-factor…` answers 403
    /// `second_factor_required_setup` until it is.
    pub must_set_up_second_factor: bool,
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

fn info(actor: &Actor, csrf_token: String, second_factor_setup: bool) -> SessionInfo {
    SessionInfo {
        user: SessionUser {
            id: actor.user_id,
            username: actor.username.clone(),
            display_name: actor.display_name.clone(),
            must_change_password: actor.must_change_password,
            must_set_up_second_factor: second_factor_setup,
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
    let ctx = honglian_app::Ctx { actor: None, ip: client.ip, user_agent: client.user_agent, wrote_at: None };
    let s = state.app.login(&ctx, &req.username, &req.password, req.otp.as_deref()).await?;
    Ok(signed_in(&state, s))
}

/// The answer that signs a new session in: who it is, and the session cookie.
pub(crate) fn signed_in(state: &AppState, s: honglian_app::platform::auth::NewSession) -> Response {
    let max_age = state.app.config.security.session_absolute_hours * 3600;
    let mut r = axum::Json(info(&s.actor, s.csrf_token, s.second_factor_setup)).into_response();
    r.headers_mut().insert(header::SET_COOKIE, cookie(state, &s.token, Some(max_age)));
    r
}

/// The current session.
#[utoipa::path(get, path = "/session", tag = "session", responses((status = 200, body = SessionInfo), (status = 401, body = Problem)))]
async fn current(auth: AuthAny) -> ApiResult<axum::Json<SessionInfo>> {
    let actor = auth.ctx.actor.as_ref().expect("AuthAny has an actor");
    Ok(axum::Json(info(actor, auth.csrf_token.clone(), auth.second_factor_setup)))
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

/// My second factor: whether it is on, and whether the security policy asks for one.
#[utoipa::path(get, path = "/me/second-factor", tag = "session", responses((status = 200, body = SecondFactorStatus)))]
async fn second_factor_status(
    axum::extract::State(state): axum::extract::State<AppState>,
    auth: AuthSetup,
) -> ApiResult<axum::Json<SecondFactorStatus>> {
    Ok(axum::Json(state.app.second_factor_status(&auth.0).await?))
}

/// Start setting up a second factor (TOTP): a new secret, kept until confirmed, with the otpauth URI,
/// the secret for typing and the QR code (SVG). Refused while one is on, and for portal-only accounts.
#[utoipa::path(post, path = "/me/second-factor", tag = "session",
    responses((status = 200, body = SecondFactorEnrolment), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn second_factor_start(
    axum::extract::State(state): axum::extract::State<AppState>,
    auth: AuthSetup,
) -> ApiResult<axum::Json<SecondFactorEnrolment>> {
    Ok(axum::Json(state.app.second_factor_start(&auth.0).await?))
}

/// Confirm the second factor with a current code: from now on signing in asks for a code.
#[utoipa::path(post, path = "/me/second-factor/confirm", tag = "session", request_body = SecondFactorCode,
    responses((status = 200, body = SecondFactorStatus), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn second_factor_confirm(
    axum::extract::State(state): axum::extract::State<AppState>,
    auth: AuthSetup,
    Json(req): Json<SecondFactorCode>,
) -> ApiResult<axum::Json<SecondFactorStatus>> {
    Ok(axum::Json(state.app.second_factor_confirm(&auth.0, &req.code).await?))
}

/// Switch my second factor off, with my password and a current code.
#[utoipa::path(post, path = "/me/second-factor/disable", tag = "session", request_body = SecondFactorDisable,
    responses((status = 200, body = SecondFactorStatus), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn second_factor_disable(
    axum::extract::State(state): axum::extract::State<AppState>,
    auth: AuthSetup,
    Json(req): Json<SecondFactorDisable>,
) -> ApiResult<axum::Json<SecondFactorStatus>> {
    Ok(axum::Json(state.app.second_factor_disable(&auth.0, &req.password, &req.code).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login, current, logout))
        .routes(routes!(change_password))
        .routes(routes!(my_sessions, end_other_sessions))
        .routes(routes!(second_factor_status, second_factor_start))
        .routes(routes!(second_factor_confirm))
        .routes(routes!(second_factor_disable))
}
