//! Extractors: the signed-in caller (with CSRF, forced-password-change and second-factor set-up
//! checks), client address, and JSON / query with Chinese rejections.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, header};
use honglian_app::{Actor, AppError, Ctx};
use honglian_domain::RecordId;
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
        // Worked out once by the guard middleware; outside /api/v1, the same rule here.
        let ip = match parts.extensions.get::<super::guard::ClientIp>() {
            Some(c) => c.0,
            None => {
                let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
                super::guard::client_ip(peer, &parts.headers, &state.http.trusted_proxy)
            }
        };
        let user_agent =
            parts.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(|s| s.chars().take(200).collect());
        Ok(Client { ip: ip.map(|i| i.to_string()), user_agent })
    }
}

/// The primary's log position after the caller's last write, for reports read from a replica
/// (`honglian_app::platform::replica`).
pub const WROTE_COOKIE: &str = "hl_wrote";

/// The value of the request's cookie `name`.
pub fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

pub fn session_token(parts: &Parts) -> Option<String> {
    cookie(parts, COOKIE)
}

/// The signed-in caller, whose password need not be changed first. Use only
/// for the session and password endpoints; everything else takes [`Auth`].
pub struct AuthAny {
    pub ctx: Ctx,
    pub session_id: String,
    pub csrf_token: String,
    /// The `[security] second_factor` policy asks this account for a second factor it has not set up.
    pub second_factor_setup: bool,
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
            ctx: Ctx {
                actor: Some(cur.actor),
                ip: client.ip,
                user_agent: client.user_agent,
                wrote_at: cookie(parts, WROTE_COOKIE),
            },
            session_id: cur.session_id,
            csrf_token: cur.csrf_token,
            second_factor_setup: cur.second_factor_setup,
        })
    }
}

/// The signed-in caller who has changed their password if asked to, and who may still have to set up
/// a second factor: the enrolment endpoints (`/me/second-factor…`).
pub struct AuthSetup(pub Ctx);

impl FromRequestParts<AppState> for AuthSetup {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let a = AuthAny::from_request_parts(parts, state).await?;
        if a.ctx.actor.as_ref().is_some_and(|x| x.must_change_password) {
            return Err(AppError::PasswordChangeRequired.into());
        }
        Ok(AuthSetup(a.ctx))
    }
}

/// The signed-in caller, refused while they must change their password or set up a second factor.
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
        if a.second_factor_setup {
            return Err(AppError::SecondFactorSetupRequired.into());
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

/// JSON body with a Chinese error when it does not parse. A value that does not fit its field
/// (a number out of range, a wrong type) is a validation error under that field's name.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase())
            .is_some_and(|v| v == "application/json" || (v.starts_with("application/") && v.ends_with("+json")));
        if !is_json {
            return Err(ApiError(AppError::BadRequest("请求须为 JSON（Content-Type: application/json）".into())));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError(AppError::BadRequest("无法读取请求内容".into())))?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize::<_, T>(&mut de).map_err(|e| {
            if e.inner().is_syntax() || e.inner().is_eof() || e.inner().is_io() {
                ApiError(AppError::BadRequest("JSON 格式错误".into()))
            } else {
                field_error(e.path(), &chinese_serde(&e.inner().to_string()))
            }
        })?;
        de.end().map_err(|_| ApiError(AppError::BadRequest("JSON 格式错误".into())))?;
        Ok(Json(value))
    }
}

/// A value that does not fit its field: 422 with the field's name, so the form can show it there.
fn field_error(path: &serde_path_to_error::Path, message: &str) -> ApiError {
    let field = path.to_string();
    let field = if field == "." { "body".to_string() } else { field };
    ApiError(AppError::field(&field, message))
}

/// A Chinese message for a value serde refused: our own types already speak Chinese; serde's
/// English prose is not shown to users.
fn chinese_serde(s: &str) -> String {
    let s = match s.find(" at line ") {
        Some(i) => &s[..i],
        None => s,
    };
    if s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        return s.to_string();
    }
    if let Some(rest) = s.strip_prefix("missing field") {
        return format!("缺少字段 {}", rest.trim().trim_matches('`'));
    }
    if s.contains("premature end of input") || s.contains("input contains invalid characters") {
        return "日期格式应为 YYYY-MM-DD".into();
    }
    if s.starts_with("unknown variant") {
        return "取值不在允许的范围内".into();
    }
    "取值无效或超出范围".into()
}

/// Query string with a Chinese error when it does not parse; a parameter that does not fit
/// (a page of 2^63, a year of -2^31) is a validation error under its own name.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        match serde_path_to_error::deserialize::<_, T>(de) {
            Ok(v) => Ok(Query(v)),
            Err(e) => Err(field_error(e.path(), &chinese_serde(&e.inner().to_string()))),
        }
    }
}

/// A numeric path parameter, range-checked like every id ([`RecordId`]).
pub struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ids = path_ids(parts, state).await?;
        match ids.as_slice() {
            [a] => Ok(Id(*a)),
            _ => Err(ApiError(AppError::NotFound("资源不存在".into()))),
        }
    }
}

/// Two numeric path parameters.
pub struct Ids(pub i64, pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Ids {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ids = path_ids(parts, state).await?;
        match ids.as_slice() {
            [a, b] => Ok(Ids(*a, *b)),
            _ => Err(ApiError(AppError::NotFound("资源不存在".into()))),
        }
    }
}

/// Every path parameter as a [`RecordId`]: text that is no number is a 404 (no such page),
/// a number outside the ids' range a 422 naming the parameter.
async fn path_ids<S: Send + Sync>(parts: &mut Parts, state: &S) -> Result<Vec<i64>, ApiError> {
    let params = axum::extract::RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(|_| ApiError(AppError::NotFound("资源不存在".into())))?;
    let mut ids = Vec::new();
    for (name, value) in &params {
        let v = value.trim();
        let digits = v.strip_prefix('-').unwrap_or(v);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError(AppError::NotFound("资源不存在".into())));
        }
        let id = v.parse::<i128>().ok().and_then(|n| RecordId::new(n).ok()).ok_or_else(|| {
            ApiError(AppError::field(
                name,
                honglian_domain::range::out_of_range(RecordId::LABEL, RecordId::MIN, RecordId::MAX),
            ))
        })?;
        ids.push(id.get());
    }
    Ok(ids)
}
