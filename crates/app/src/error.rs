//! The one error type of the use cases; the HTTP edge maps it to problem+json.

use honglian_domain::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    NotFound(String),
    /// Not signed in, or the session has expired.
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("请先修改密码")]
    PasswordChangeRequired,
    /// The password was right; the account's second factor is asked for (`platform::second_factor`).
    #[error("请输入动态口令")]
    SecondFactorRequired,
    /// A wrong or already used one-time code at login.
    #[error("{}", crate::platform::second_factor::CODE_WRONG)]
    SecondFactorInvalid,
    /// The `[security] second_factor` policy asks this session to set one up first.
    #[error("按安全策略，请先开启两步验证（动态口令）")]
    SecondFactorSetupRequired,
    #[error("账号已锁定，请 {} 分钟后再试", (.retry_after_secs + 59) / 60)]
    Locked { retry_after_secs: i64 },
    /// Rate-limited (logins, check-in codes, exact-match lookups).
    #[error("操作过于频繁，请 {retry_after_secs} 秒后再试")]
    TooManyRequests { retry_after_secs: i64 },
    #[error("{title}")]
    Conflict { title: String, errors: FieldErrors },
    #[error("提交的信息有误")]
    Validation(FieldErrors),
    #[error("{0}")]
    BadRequest(String),
    /// A service the request needs does not answer (the S3-compatible file store); the cause is logged.
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation(FieldErrors::single(field, message))
    }

    /// A conflict with the object's state, without a field to blame.
    pub fn conflict(title: impl Into<String>) -> Self {
        AppError::Conflict { title: title.into(), errors: FieldErrors::default() }
    }

    pub fn not_found(what: &str) -> Self {
        AppError::NotFound(format!("{what}不存在或无权访问"))
    }

    pub fn forbidden() -> Self {
        AppError::Forbidden("没有执行此操作的权限".into())
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(e: sea_orm::DbErr) -> Self {
        AppError::Internal(anyhow::Error::new(e).context("数据库错误"))
    }
}

impl From<FieldErrors> for AppError {
    fn from(e: FieldErrors) -> Self {
        AppError::Validation(e)
    }
}

pub type AppResult<T> = Result<T, AppError>;
