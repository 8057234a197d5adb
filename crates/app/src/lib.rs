//! Use cases of Honglian. Each public method of [`App`] takes the caller's
//! [`Ctx`], checks permission and scope, runs in one transaction, writes the
//! audit record and returns domain data. Handlers call exactly one of them.

pub mod communities;
pub mod demo;
pub mod error;
pub mod goals;
pub mod hometown;
pub mod members;
pub mod org_life;
pub mod organisations;
pub mod party_affairs;
pub mod platform;
pub mod portal;
pub mod services;

use honglian_domain::platform::password::PasswordPolicy;
use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};

pub use error::{AppError, AppResult};
pub use platform::actor::{Actor, Ctx};
pub use platform::crypto::Crypto;

/// Security settings (all configurable; defaults from the issue).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct SecurityConfig {
    pub max_failed_logins: u32,
    pub lockout_minutes: i64,
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    pub password_policy: PasswordPolicy,
    /// Requests per minute on the routes that guess or look up (`[security.rate_limits]`).
    pub rate_limits: RateLimits,
    /// Who must have a second factor (TOTP) to use the console: `optional` (nobody is forced),
    /// `admins` (the three system administrators and county-level administrators) or `everyone`
    /// (every account with a console grant). Member and enterprise-contact accounts (the portal)
    /// are never forced.
    pub second_factor: SecondFactorPolicy,
    /// Days after which a console account's password must be changed at its next login; 0: never.
    /// Member and enterprise-contact accounts are never asked.
    pub password_max_age_days: u32,
    /// PIPL: how long a departed member's personal fields are kept and who answers for them. Read from
    /// the file's own `[members]` and `[privacy]` sections (`server::config`), never from `[security]`.
    #[serde(skip)]
    pub privacy: PrivacyConfig,
}

/// PIPL retention and the notice (`domain::members::retention`): `[members] retention_years`,
/// `[privacy] controller` and `contact`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PrivacyConfig {
    /// Years after leaving until a departed member's personal fields are erased; 0: never by itself.
    pub retention_years: u32,
    /// The deploying organisation, named in the notice as the processor of personal information.
    pub controller: String,
    /// How members reach it about their personal information.
    pub contact: String,
}

impl Default for PrivacyConfig {
    fn default() -> Self {
        Self {
            retention_years: honglian_domain::members::retention::DEFAULT_RETENTION_YEARS,
            controller: "中共吴川市委组织部".into(),
            contact: "中共吴川市委组织部组织科（电话 0759-5551234，工作日 8:00—12:00、14:30—17:30）".into(),
        }
    }
}

/// Who must have a second factor (`[security] second_factor`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SecondFactorPolicy {
    /// Anyone may enable one; nobody is forced.
    #[default]
    Optional,
    /// The system, security and audit administrators and the county-level administrators must.
    Admins,
    /// Every account with a console grant must.
    Everyone,
}

impl std::str::FromStr for SecondFactorPolicy {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "optional" => Ok(Self::Optional),
            "admins" => Ok(Self::Admins),
            "everyone" => Ok(Self::Everyone),
            other => Err(format!("second_factor 应为 optional、admins 或 everyone，而不是“{other}”")),
        }
    }
}

/// Requests per minute per client address and, where signed in, per user; 0: no limit. A client
/// may spend a whole minute's allowance at once (the burst is the same number).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(default)]
pub struct RateLimits {
    /// `POST /session` (per-account lockout comes on top: `max_failed_logins`).
    pub login_per_client: u32,
    /// `POST /activities/{id}/check-in` (a check-in code is short: guessing is what is limited).
    pub check_in_per_client: u32,
    pub check_in_per_user: u32,
    /// `POST /members/lookup` (exact match by ID number or phone: an oracle for masked values).
    pub lookup_per_client: u32,
    pub lookup_per_user: u32,
    /// `POST /invitations/preview` and `/invitations/activate` (a code and an ID number's last six
    /// characters are guessed; the invitation also locks after five wrong answers).
    pub invitation_per_client: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            login_per_client: 30,
            check_in_per_client: 300,
            check_in_per_user: 10,
            lookup_per_client: 60,
            lookup_per_user: 20,
            invitation_per_client: 30,
        }
    }
}

impl Default for SecurityConfig {
    fn default() -> Self {
        Self {
            max_failed_logins: 5,
            lockout_minutes: 15,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            password_policy: PasswordPolicy::default(),
            rate_limits: RateLimits::default(),
            second_factor: SecondFactorPolicy::default(),
            password_max_age_days: 90,
            privacy: PrivacyConfig::default(),
        }
    }
}

/// Channels that leave the system (`[notify]`). Nothing is configured by default: members are reached
/// in-app only until a mail server is named, and group robots (which need the internet, which a
/// government intranet may not reach) stay off until `webhooks = true`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NotifyConfig {
    pub smtp: Option<SmtpConfig>,
    /// Group robots (WeCom, DingTalk) may be set up and posted to.
    pub webhooks: bool,
    /// The only hosts a robot's webhook may point at (no request to anywhere else leaves the server).
    pub webhook_hosts: Vec<String>,
    /// The address members open the portal at, for links in emails (e.g. https://dj.example.gov.cn).
    pub public_url: Option<String>,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        Self {
            smtp: None,
            webhooks: false,
            webhook_hosts: vec!["qyapi.weixin.qq.com".into(), "oapi.dingtalk.com".into()],
            public_url: None,
        }
    }
}

/// A credential from the configuration (the mail server's password, the object store's secret key):
/// read through [`Secret::expose`] where it is used, and shown as `***` by `Debug`, so that no log
/// line, error or printed configuration carries it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_string())
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// The mail server (`[notify.smtp]`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    /// Default: 465 with `tls = "tls"`, 587 with `starttls`, 25 with `none`.
    pub port: Option<u16>,
    /// tls (implicit TLS), starttls (required), none (only on a trusted network).
    #[serde(default = "default_smtp_tls")]
    pub tls: String,
    pub username: Option<String>,
    pub password: Option<Secret>,
    /// The sender, e.g. "红链 <noreply@example.gov.cn>".
    pub from: String,
    /// A PEM file with the CA that signed the mail server's certificate (a county's own CA).
    pub ca_file: Option<std::path::PathBuf>,
}

fn default_smtp_tls() -> String {
    "starttls".into()
}

#[derive(Debug, Clone)]
pub struct AppConfig {
    pub security: SecurityConfig,
    /// Months without contact after which a mobile member is 失联.
    pub lost_contact_months: u32,
    /// Activities ending more than this many days ago need a county admin's approval to record.
    pub backdate_days: i64,
    /// Duty lights turn yellow this many days before a period ends, for every rule that sets no
    /// figure of its own; None: by the rule's frequency (`duty::default_warn_days`).
    pub warn_days: Option<u32>,
    /// Key tasks turn yellow this many days before their deadline.
    pub task_warn_days: u32,
    /// The file store (uploaded photos and documents) when `file_store` is [`FileStoreConfig::Dir`].
    pub files_dir: std::path::PathBuf,
    /// Where uploaded files are kept (`[files]`): that directory, or an S3-compatible bucket.
    pub file_store: FileStoreConfig,
    pub notify: NotifyConfig,
}

/// Where uploaded files are kept (`[files] store`; `platform::files`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum FileStoreConfig {
    /// `store = "dir"`: [`AppConfig::files_dir`], which several instances must share (NFS or the like).
    #[default]
    Dir,
    /// `store = "s3"`: a bucket of an S3-compatible object store, reached by every instance.
    S3(S3Config),
}

/// An S3-compatible bucket (`[files]` with `store = "s3"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Config {
    /// The service's address, e.g. `http://127.0.0.1:9000` (without the bucket).
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: Secret,
    /// Path-style requests (`endpoint/bucket/key`, what MinIO and most on-premises stores expect);
    /// false: virtual-hosted style (`bucket.host/key`).
    pub path_style: bool,
    /// Objects are kept under `prefix/` (no leading or trailing `/`), so that a bucket may be shared.
    pub prefix: Option<String>,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            security: SecurityConfig::default(),
            lost_contact_months: members::mobility::DEFAULT_LOST_MONTHS,
            backdate_days: 7,
            warn_days: None,
            task_warn_days: honglian_domain::goals::task::DEFAULT_TASK_WARN_DAYS,
            files_dir: std::path::PathBuf::from("data/files"),
            file_store: FileStoreConfig::Dir,
            notify: NotifyConfig::default(),
        }
    }
}

/// The application: database, crypto and configuration. Cheap to clone.
#[derive(Clone)]
pub struct App {
    pub db: DatabaseConnection,
    pub crypto: Crypto,
    pub config: std::sync::Arc<AppConfig>,
    /// Resolved sessions, checked against the database on every request (see [`platform::auth::SessionCache`]).
    pub(crate) sessions: std::sync::Arc<platform::auth::SessionCache>,
    /// Recent duty evaluations (see [`org_life::duties::DutyCache`]).
    pub(crate) duties: std::sync::Arc<org_life::duties::DutyCache>,
    /// Organisation paths with the version they were read at (see [`organisations::orgs::OrgPathCache`]).
    pub(crate) org_paths: std::sync::Arc<organisations::orgs::OrgPathCache>,
    /// Denied requests recently audited (see [`platform::audit::DenialLog`]).
    pub(crate) denials: std::sync::Arc<platform::audit::DenialLog>,
    /// The read replica for reports, statistics and exports, if configured (see [`platform::replica`]).
    pub(crate) replica: Option<std::sync::Arc<platform::replica::Replica>>,
    /// Where uploaded files are kept (see [`platform::files::FileStore`]).
    pub(crate) files: platform::files::FileStore,
}

impl App {
    /// Fails only when the file store's client cannot be made from the configuration.
    pub fn new(db: DatabaseConnection, crypto: Crypto, config: AppConfig) -> anyhow::Result<Self> {
        let files = platform::files::FileStore::open(&config.files_dir, &config.file_store)?;
        Ok(Self {
            db,
            crypto,
            config: std::sync::Arc::new(config),
            sessions: Default::default(),
            duties: Default::default(),
            org_paths: Default::default(),
            denials: Default::default(),
            replica: None,
            files,
        })
    }
}

/// Today in China Standard Time (UTC+8), the calendar the rules use.
///
/// Debug builds only: `HONGLIAN_TEST_DAYS_AHEAD=N` moves this calendar N days on, so that a browser
/// test can let a public notice's working days pass by starting the server again (a test cannot wait
/// a week). Release builds ignore it.
pub fn today() -> chrono::NaiveDate {
    let now = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    if cfg!(debug_assertions) {
        static AHEAD: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
        let ahead = *AHEAD.get_or_init(|| {
            std::env::var("HONGLIAN_TEST_DAYS_AHEAD").ok().and_then(|v| v.parse().ok()).unwrap_or(0).clamp(0, 366)
        });
        return now + chrono::Duration::days(ahead);
    }
    now
}

#[cfg(test)]
mod secret_tests {
    #[test]
    fn a_configured_credential_is_read_but_never_shown() {
        let smtp: super::SmtpConfig = serde_json::from_value(serde_json::json!({
            "host": "mail.example.gov.cn", "username": "honglian", "password": "pw-7781", "from": "红链 <noreply@example.gov.cn>"
        }))
        .unwrap();
        assert_eq!(smtp.password.as_ref().map(|p| p.expose()), Some("pw-7781"), "read as written");
        assert!(!format!("{smtp:?}").contains("pw-7781"), "never in Debug: {smtp:?}");
    }
}
