//! `AppError` → `application/problem+json` with a Chinese title.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use honglian_app::AppError;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// An RFC 9457 problem: `title` is for the user, `code` for programs.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<BTreeMap<String, Vec<String>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<i64>,
}

pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

pub fn problem(status: StatusCode, code: &str, title: impl Into<String>) -> Response {
    let p = Problem {
        kind: "about:blank".into(),
        title: title.into(),
        status: status.as_u16(),
        code: code.into(),
        errors: None,
        retry_after_secs: None,
    };
    with_problem_type(status, p)
}

fn with_problem_type(status: StatusCode, p: Problem) -> Response {
    let mut r = (status, axum::Json(p)).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    r
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let title = self.0.to_string();
        let (status, code, errors, retry) = match self.0 {
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found", None, None),
            // The second factor (`platform::second_factor`): the login page asks for the code, the
            // console sends a session that must set one up to the enrolment.
            AppError::SecondFactorRequired => (StatusCode::UNAUTHORIZED, "second_factor_required", None, None),
            AppError::SecondFactorInvalid => (StatusCode::UNAUTHORIZED, "second_factor_invalid", None, None),
            AppError::SecondFactorSetupRequired => (StatusCode::FORBIDDEN, "second_factor_required_setup", None, None),
            AppError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized", None, None),
            AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", None, None),
            AppError::PasswordChangeRequired => (StatusCode::FORBIDDEN, "password_change_required", None, None),
            AppError::Locked { retry_after_secs } => (StatusCode::LOCKED, "locked", None, Some(retry_after_secs)),
            AppError::TooManyRequests { retry_after_secs } => {
                (StatusCode::TOO_MANY_REQUESTS, "rate_limited", None, Some(retry_after_secs))
            }
            AppError::Conflict { errors, .. } => {
                (StatusCode::CONFLICT, "conflict", (!errors.is_empty()).then_some(errors.0), None)
            }
            AppError::Validation(errors) => (StatusCode::UNPROCESSABLE_ENTITY, "validation", Some(errors.0), None),
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request", None, None),
            AppError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", None, None),
            AppError::Internal(e) => {
                tracing::error!(error = format!("{e:#}"), "internal error");
                return problem(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "服务器内部错误，请稍后再试或联系管理员",
                );
            }
        };
        let p = Problem {
            kind: "about:blank".into(),
            title,
            status: status.as_u16(),
            code: code.into(),
            errors,
            retry_after_secs: retry,
        };
        let mut r = with_problem_type(status, p);
        if let Some(s) = retry {
            r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        r
    }
}
