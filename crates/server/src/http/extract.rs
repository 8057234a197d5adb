//! Extractors: the signed-in caller (with CSRF and forced-password-change
//! checks), client address, and JSON / query with Chinese rejections.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, header};
use honglian_app::{Actor, AppError, Ctx};
use serde::de::DeserializeOwned;

use super::AppState;
use super::error::ApiError;

pub const COOKIE: &str = "hl_session";

/// Where a request comes from.
#[derive(Debug, Clone)]
pub struct Client {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl FromRequestParts<AppState> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
        let forwarded = state
            .http
            .trust_proxy
            .then(|| parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()))
            .flatten()
            .and_then(|v| v.split(',').next())
            .map(|s| s.trim().to_string());
        let user_agent =
            parts.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(|s| s.chars().take(200).collect());
        Ok(Client { ip: forwarded.or(peer), user_agent })
    }
}

pub fn session_token(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
}

/// The signed-in caller, whose password need not be changed first. Use only
/// for the session and password endpoints; everything else takes [`Auth`].
pub struct AuthAny {
    pub ctx: Ctx,
    pub session_id: String,
    pub csrf_token: String,
}

impl FromRequestParts<AppState> for AuthAny {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let client = Client::from_request_parts(parts, state).await?;
        let token =
            session_token(parts).ok_or_else(|| AppError::Unauthorized("未登录或会话已过期，请重新登录".into()))?;
        let cur = state.app.authenticate(&token).await?;
        if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            let sent = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
            if !constant_time_eq(sent.as_bytes(), cur.csrf_token.as_bytes()) {
                return Err(AppError::Forbidden("请求缺少有效的 CSRF 令牌，请刷新页面后重试".into()).into());
            }
        }
        Ok(AuthAny {
            ctx: Ctx { actor: Some(cur.actor), ip: client.ip, user_agent: client.user_agent },
            session_id: cur.session_id,
            csrf_token: cur.csrf_token,
        })
    }
}

/// The signed-in caller, refused while they must change their password.
pub struct Auth(pub Ctx);

impl Auth {
    pub fn actor(&self) -> &Actor {
        self.0.actor.as_ref().expect("Auth always carries an actor")
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let a = AuthAny::from_request_parts(parts, state).await?;
        if a.ctx.actor.as_ref().is_some_and(|x| x.must_change_password) {
            return Err(AppError::PasswordChangeRequired.into());
        }
        Ok(Auth(a.ctx))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// JSON body with a Chinese error when it does not parse.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Json(v)),
            Err(e) => Err(json_rejection(e)),
        }
    }
}

fn json_rejection(e: axum::extract::rejection::JsonRejection) -> ApiError {
    use axum::extract::rejection::JsonRejection::*;
    let msg = match &e {
        MissingJsonContentType(_) => "请求须为 JSON（Content-Type: application/json）".to_string(),
        JsonSyntaxError(_) => "JSON 格式错误".to_string(),
        JsonDataError(d) => format!("字段类型或取值错误：{}", chinese_serde(&d.body_text())),
        _ => "无法读取请求内容".to_string(),
    };
    ApiError(AppError::BadRequest(msg))
}

/// Keeps serde's field path but not its English prose where we can help it.
fn chinese_serde(s: &str) -> String {
    s.replace("Failed to deserialize the JSON body into the target type: ", "")
        .replace("invalid type", "类型错误")
        .replace("missing field", "缺少字段")
        .replace("premature end of input", "日期格式应为 YYYY-MM-DD")
        .replace("input contains invalid characters", "日期格式应为 YYYY-MM-DD")
}

/// Query string with a Chinese error when it does not parse.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(e) => Err(ApiError(AppError::BadRequest(format!(
                "查询参数错误：{}",
                e.body_text().replace("Failed to deserialize query string: ", "")
            )))),
        }
    }
}

/// A numeric path parameter with a Chinese error.
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<i64>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Id(v)),
            Err(_) => Err(ApiError(AppError::NotFound("资源不存在".into()))),
        }
    }
}

/// Two numeric path parameters.
pub struct Ids(pub i64, pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Ids {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<(i64, i64)>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path((a, b))) => Ok(Ids(a, b)),
            Err(_) => Err(ApiError(AppError::NotFound("资源不存在".into()))),
        }
    }
}
