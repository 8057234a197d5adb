//! Configuration: defaults, then a TOML file, then `HONGLIAN_…` environment
//! variables, then command-line flags (flags win). Secrets (the database URL's
//! password) are never printed or logged: use [`redact_url`].

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use anyhow::Context;
use honglian_app::{FileStoreConfig, NotifyConfig, S3Config, Secret, SecurityConfig};
use serde::Deserialize;

/// The TOML file's shape; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
    pub key_file: Option<PathBuf>,
    pub database_url: Option<String>,
    /// A streaming replica of the PostgreSQL database for reports, statistics and exports.
    pub read_database_url: Option<String>,
    /// Seconds a replica may be behind and still serve reports (default 30).
    pub read_max_lag_seconds: Option<u32>,
    pub db_max_connections: Option<u32>,
    pub log_format: Option<String>,
    pub secure_cookies: Option<bool>,
    /// Retired: it believed any X-Forwarded-For. Refused with a pointer to `trusted_proxy`.
    pub trust_proxy: Option<bool>,
    /// The reverse proxies (addresses) whose X-Forwarded-For is believed.
    pub trusted_proxy: Option<Vec<IpAddr>>,
    #[serde(default)]
    pub security: Option<SecurityConfig>,
    /// Months without contact after which a mobile member is 失联 (default 6).
    pub lost_contact_months: Option<u32>,
    /// Activities that ended more than this many days ago need a county admin's approval (default 7).
    pub backdate_days: Option<i64>,
    /// Duty lights turn yellow this many days before a period ends, for every rule without its own
    /// figure (default: by frequency — weekly 2, monthly 7, quarterly 15, yearly 30).
    pub duty_warn_days: Option<u32>,
    /// Key tasks turn yellow this many days before their deadline (default 15).
    pub task_warn_days: Option<u32>,
    /// Channels that leave the system: the mail server, group robots (`[notify]`, `[notify.smtp]`).
    #[serde(default)]
    pub notify: Option<NotifyConfig>,
    /// `[members]`: how long a departed member's personal fields are kept (PIPL §19).
    #[serde(default)]
    pub members: Option<MembersFile>,
    /// `[privacy]`: who the notice names as processing members' personal information, and how to reach them.
    #[serde(default)]
    pub privacy: Option<PrivacyFile>,
    /// `[files]`: where uploaded files are kept, the data directory (default) or an S3-compatible bucket.
    #[serde(default)]
    pub files: Option<FilesFile>,
}

/// The file's `[files]` section. Each key may also come from the environment (`HONGLIAN_FILES_STORE`,
/// `HONGLIAN_S3_ENDPOINT`, `HONGLIAN_S3_BUCKET`, `HONGLIAN_S3_REGION`, `HONGLIAN_S3_ACCESS_KEY_ID`,
/// `HONGLIAN_S3_SECRET_ACCESS_KEY`, `HONGLIAN_S3_PATH_STYLE`, `HONGLIAN_S3_PREFIX`), which wins. Its
/// `Debug` hides the secret key.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilesFile {
    /// `dir` (default: `data_dir/files`, shared by every instance) or `s3`.
    pub store: Option<String>,
    /// The object store's address, e.g. `http://127.0.0.1:9000` or `https://oss.example.gov.cn`.
    pub endpoint: Option<String>,
    pub bucket: Option<String>,
    /// Default `us-east-1` (what MinIO and most S3-compatible stores accept).
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    /// Better from `HONGLIAN_S3_SECRET_ACCESS_KEY` than written in the file.
    pub secret_access_key: Option<Secret>,
    /// Path-style requests (`endpoint/bucket/key`), default true; false: `bucket.endpoint/key`.
    pub path_style: Option<bool>,
    /// Keep the objects under this prefix of the bucket (e.g. `honglian/wuchuan`).
    pub prefix: Option<String>,
}

/// The file's `[members]` section.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembersFile {
    /// Years after a member left (已出党, 已故, 已转出) until their ID number, phone, address and the like
    /// are erased; 0: never automatically (default 3).
    pub retention_years: Option<u32>,
}

/// The file's `[privacy]` section (the notice, 个人信息处理规则).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyFile {
    /// The deploying organisation, e.g. 中共吴川市委组织部.
    pub controller: Option<String>,
    /// How members reach it about their personal information (an office, a telephone number).
    pub contact: Option<String>,
}

/// Options shared by every command, from flags or the environment (clap reads both).
#[derive(Debug, Clone, clap::Args)]
pub struct CommonArgs {
    /// Configuration file (TOML). Default: honglian.toml in the data directory, if present.
    #[arg(long, env = "HONGLIAN_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Directory for the SQLite database, the key file and uploaded files. Default: ./data
    #[arg(long, env = "HONGLIAN_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// The key file (SM4 data key and blind-index key). Default: honglian.keys in the data directory.
    /// Keep it outside the data directory so that a copy of the data is not a copy of the keys.
    #[arg(long, env = "HONGLIAN_KEY_FILE", global = true)]
    pub key_file: Option<PathBuf>,
    /// Database URL: sqlite://FILE or postgres://USER@HOST/DB. Default: SQLite in the data directory.
    #[arg(long, env = "HONGLIAN_DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// A streaming replica of the PostgreSQL database (postgres://USER@HOST/DB): reports, statistics and
    /// exports read from it while it keeps up; writes and everything that decides access use the
    /// primary. Default: none.
    #[arg(long, env = "HONGLIAN_READ_DATABASE_URL", global = true, hide_env_values = true)]
    pub read_database_url: Option<String>,
    /// Log format: text or json.
    #[arg(long, env = "HONGLIAN_LOG_FORMAT", global = true)]
    pub log_format: Option<String>,
    /// Address of a reverse proxy in front of the server (repeat or separate with commas). Only
    /// from these is X-Forwarded-For believed; default: none, the connection's address is the client.
    #[arg(long, env = "HONGLIAN_TRUSTED_PROXY", global = true, value_delimiter = ',')]
    pub trusted_proxy: Vec<IpAddr>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// The key file; see [`CommonArgs::key_file`].
    pub key_file: PathBuf,
    pub database_url: String,
    /// See [`CommonArgs::read_database_url`].
    pub read_database_url: Option<String>,
    /// See [`FileConfig::read_max_lag_seconds`].
    pub read_max_lag_seconds: u32,
    pub db_max_connections: u32,
    pub log_format: String,
    pub secure_cookies: bool,
    /// See [`CommonArgs::trusted_proxy`].
    pub trusted_proxy: Vec<IpAddr>,
    pub security: SecurityConfig,
    pub lost_contact_months: u32,
    pub backdate_days: i64,
    pub duty_warn_days: Option<u32>,
    pub task_warn_days: u32,
    pub notify: NotifyConfig,
    /// Where uploaded files are kept (`[files]`); see [`FilesFile`].
    pub files: FileStoreConfig,
}

/// `[files]` with the `HONGLIAN_FILES_STORE` and `HONGLIAN_S3_…` environment variables on top, checked:
/// a bad or missing value is an error naming its key.
fn file_store(file: Option<FilesFile>) -> anyhow::Result<FileStoreConfig> {
    let file = file.unwrap_or_default();
    let set = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let text = |env: &str, v: Option<String>| set(std::env::var(env).ok()).or_else(|| set(v));
    let store = text("HONGLIAN_FILES_STORE", file.store).unwrap_or_else(|| "dir".into());
    let endpoint = text("HONGLIAN_S3_ENDPOINT", file.endpoint);
    let bucket = text("HONGLIAN_S3_BUCKET", file.bucket);
    match store.as_str() {
        "dir" if endpoint.is_some() || bucket.is_some() => anyhow::bail!(
            "[files] 写了 endpoint 或 bucket，但 store 不是 \"s3\"：要把上传的文件存入 S3 兼容的对象存储，\
             请写 store = \"s3\"（或 HONGLIAN_FILES_STORE=s3）"
        ),
        "dir" => return Ok(FileStoreConfig::Dir),
        "s3" => {}
        other => anyhow::bail!(
            "[files] store 应为 \"dir\"（数据目录中的 files，默认）或 \"s3\"（S3 兼容的对象存储），而不是“{other}”"
        ),
    }
    let endpoint = endpoint.context(
        "[files] endpoint 未设置：store = \"s3\" 需要对象存储的地址，例如 http://127.0.0.1:9000（或 HONGLIAN_S3_ENDPOINT）",
    )?;
    let host = endpoint.strip_prefix("https://").or_else(|| endpoint.strip_prefix("http://")).unwrap_or("");
    if host.trim_end_matches('/').is_empty() || host.contains(|c: char| c.is_whitespace() || "@?#".contains(c)) {
        anyhow::bail!(
            "[files] endpoint 应是 http:// 或 https:// 开头的地址（如 https://oss.example.gov.cn:9000），而不是“{endpoint}”"
        );
    }
    let bucket = bucket.context("[files] bucket 未设置：store = \"s3\" 需要存储桶的名字（或 HONGLIAN_S3_BUCKET）")?;
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !(3..=63).contains(&bucket.len())
        || !bucket.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
        || !edge(bucket.chars().next())
        || !edge(bucket.chars().last())
    {
        anyhow::bail!(
            "[files] bucket “{bucket}” 不是有效的存储桶名：应为 3 至 63 个小写字母、数字、点或连字符，以字母或数字开头和结尾"
        );
    }
    let access_key_id = text("HONGLIAN_S3_ACCESS_KEY_ID", file.access_key_id)
        .context("[files] access_key_id 未设置：store = \"s3\" 需要访问密钥 ID（或 HONGLIAN_S3_ACCESS_KEY_ID）")?;
    let secret_access_key = text(
        "HONGLIAN_S3_SECRET_ACCESS_KEY",
        file.secret_access_key.map(|s| s.expose().to_string()),
    )
    .context(
        "[files] secret_access_key 未设置：store = \"s3\" 需要访问密钥（最好用环境变量 HONGLIAN_S3_SECRET_ACCESS_KEY）",
    )?;
    let path_style = match std::env::var("HONGLIAN_S3_PATH_STYLE") {
        Ok(v) => match v.trim() {
            "1" | "true" | "yes" => true,
            "0" | "false" | "no" => false,
            other => anyhow::bail!("HONGLIAN_S3_PATH_STYLE（[files] path_style）应为 true 或 false，而不是“{other}”"),
        },
        Err(_) => file.path_style.unwrap_or(true),
    };
    let prefix =
        text("HONGLIAN_S3_PREFIX", file.prefix).map(|p| p.trim_matches('/').to_string()).filter(|p| !p.is_empty());
    if let Some(p) = &prefix
        && p.split('/').any(|part| part.is_empty() || part == "." || part == ".." || part.contains(char::is_control))
    {
        anyhow::bail!(
            "[files] prefix “{p}” 无效：应是以 / 分隔的名字（不含空段、“.”、“..”或控制字符），如 honglian/wuchuan"
        );
    }
    Ok(FileStoreConfig::S3(S3Config {
        endpoint: endpoint.trim_end_matches('/').to_string(),
        bucket,
        region: text("HONGLIAN_S3_REGION", file.region).unwrap_or_else(|| "us-east-1".into()),
        access_key_id,
        secret_access_key: secret_access_key.into(),
        path_style,
        prefix,
    }))
}

/// `[security]` from the file, with `HONGLIAN_SECOND_FACTOR` (optional, admins, everyone) and
/// `HONGLIAN_PASSWORD_MAX_AGE_DAYS` (0: off) from the environment on top.
fn security(file: Option<SecurityConfig>) -> anyhow::Result<SecurityConfig> {
    let mut s = file.unwrap_or_default();
    if let Ok(v) = std::env::var("HONGLIAN_SECOND_FACTOR") {
        s.second_factor = v.parse().map_err(anyhow::Error::msg).context("HONGLIAN_SECOND_FACTOR")?;
    }
    s.password_max_age_days = number("HONGLIAN_PASSWORD_MAX_AGE_DAYS", Some(s.password_max_age_days), 90);
    Ok(s)
}

/// A number from the environment, else from the file, else the default.
fn number<T: std::str::FromStr>(env: &str, file: Option<T>, default: T) -> T {
    std::env::var(env).ok().and_then(|v| v.parse().ok()).or(file).unwrap_or(default)
}

/// The `[members]` and `[privacy]` sections (and `HONGLIAN_RETENTION_YEARS`) put where the application
/// reads them (`SecurityConfig::privacy`).
fn with_privacy(
    mut security: SecurityConfig,
    members: Option<MembersFile>,
    privacy: Option<PrivacyFile>,
) -> anyhow::Result<SecurityConfig> {
    let defaults = honglian_app::PrivacyConfig::default();
    let years = number("HONGLIAN_RETENTION_YEARS", members.and_then(|m| m.retention_years), defaults.retention_years);
    let max = honglian_domain::members::retention::MAX_RETENTION_YEARS;
    if years > max {
        anyhow::bail!("[members] retention_years 应为 0 至 {max} 年（0 表示不自动删除），实际为 {years}");
    }
    let privacy = privacy.unwrap_or_default();
    let text = |v: Option<String>, default: String| {
        v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).unwrap_or(default)
    };
    security.privacy = honglian_app::PrivacyConfig {
        retention_years: years,
        controller: text(privacy.controller, defaults.controller),
        contact: text(privacy.contact, defaults.contact),
    };
    Ok(security)
}

impl Config {
    /// Resolves the configuration. `listen` comes from the serve command's flag or env.
    pub fn load(args: &CommonArgs, listen: Option<SocketAddr>) -> anyhow::Result<Self> {
        let data_dir_hint = args.data_dir.clone().unwrap_or_else(|| PathBuf::from("data"));
        let file_path = args.config.clone().or_else(|| {
            let p = data_dir_hint.join("honglian.toml");
            p.exists().then_some(p)
        });
        let file: FileConfig = match &file_path {
            Some(p) => {
                let text = std::fs::read_to_string(p).with_context(|| format!("无法读取配置文件 {}", p.display()))?;
                toml::from_str(&text).with_context(|| format!("配置文件 {} 格式错误", p.display()))?
            }
            None => FileConfig::default(),
        };
        let env_bool = |k: &str| std::env::var(k).ok().map(|v| matches!(v.as_str(), "1" | "true" | "yes"));
        if env_bool("HONGLIAN_TRUST_PROXY").or(file.trust_proxy) == Some(true) {
            anyhow::bail!(
                "trust_proxy / HONGLIAN_TRUST_PROXY 已停用（它相信任何客户端伪造的 X-Forwarded-For）：\
                 请改用 trusted_proxy（--trusted-proxy、HONGLIAN_TRUSTED_PROXY）写明反向代理的地址"
            );
        }
        let data_dir = args.data_dir.clone().or(file.data_dir).unwrap_or_else(|| PathBuf::from("data"));
        let key_file = args.key_file.clone().or(file.key_file).unwrap_or_else(|| data_dir.join("honglian.keys"));
        let database_url = args
            .database_url
            .clone()
            .or(file.database_url)
            .unwrap_or_else(|| honglian_store::sqlite_url(&data_dir.join("honglian.db")));
        let db_max_connections = std::env::var("HONGLIAN_DB_MAX_CONNECTIONS")
            .ok()
            .and_then(|v| v.parse().ok())
            .or(file.db_max_connections)
            .unwrap_or_else(|| default_pool_size(&database_url));
        let read_database_url = args.read_database_url.clone().or(file.read_database_url).filter(|u| !u.is_empty());
        if read_database_url.is_some()
            && !(database_url.starts_with("postgres") && read_database_url.iter().all(|u| u.starts_with("postgres")))
        {
            anyhow::bail!(
                "只读副本（read_database_url、--read-database-url）只用于 PostgreSQL：主库与副本都应是 postgres:// 地址"
            );
        }
        Ok(Self {
            read_database_url,
            read_max_lag_seconds: number("HONGLIAN_READ_MAX_LAG_SECONDS", file.read_max_lag_seconds, 30),
            listen: listen.or(file.listen).unwrap_or_else(|| "127.0.0.1:8080".parse().expect("valid address")),
            database_url,
            db_max_connections,
            log_format: args.log_format.clone().or(file.log_format).unwrap_or_else(|| "text".into()),
            secure_cookies: env_bool("HONGLIAN_SECURE_COOKIES").or(file.secure_cookies).unwrap_or(false),
            trusted_proxy: if args.trusted_proxy.is_empty() {
                file.trusted_proxy.unwrap_or_default()
            } else {
                args.trusted_proxy.clone()
            },
            security: with_privacy(security(file.security)?, file.members, file.privacy)?,
            lost_contact_months: number(
                "HONGLIAN_LOST_CONTACT_MONTHS",
                file.lost_contact_months,
                honglian_app::members::mobility::DEFAULT_LOST_MONTHS,
            ),
            backdate_days: number("HONGLIAN_BACKDATE_DAYS", file.backdate_days, 7),
            duty_warn_days: std::env::var("HONGLIAN_DUTY_WARN_DAYS")
                .ok()
                .and_then(|v| v.parse().ok())
                .or(file.duty_warn_days),
            task_warn_days: number(
                "HONGLIAN_TASK_WARN_DAYS",
                file.task_warn_days,
                honglian_domain::goals::task::DEFAULT_TASK_WARN_DAYS,
            ),
            notify: file.notify.unwrap_or_default(),
            files: file_store(file.files)?,
            data_dir,
            key_file,
        })
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }

    /// The file store's directory (uploaded photos and documents) when `[files] store = "dir"`.
    pub fn files_dir(&self) -> PathBuf {
        self.data_dir.join("files")
    }

    /// The file store `[files]` names: that directory or the S3-compatible bucket.
    pub fn file_store(&self) -> anyhow::Result<honglian_app::platform::files::FileStore> {
        honglian_app::platform::files::FileStore::open(&self.files_dir(), &self.files)
    }

    /// The default SQLite database of the data directory.
    pub fn default_sqlite_file(&self) -> PathBuf {
        self.data_dir.join("honglian.db")
    }

    pub fn ensure_data_dir(&self) -> anyhow::Result<()> {
        create_private_dir(&self.data_dir)
    }
}

fn create_private_dir(p: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(p).with_context(|| format!("无法创建数据目录 {}", p.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o700)).ok();
    }
    Ok(())
}

/// The URL with any password replaced by `***`.
pub fn redact_url(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((cred, host)) = rest.rsplit_once('@')
    {
        let user = cred.split(':').next().unwrap_or("");
        return format!("{scheme}://{user}:***@{host}");
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact_url("postgres://hl:s3cret@db:5432/hl"), "postgres://hl:***@db:5432/hl");
        assert_eq!(redact_url("sqlite://data/honglian.db?mode=rwc"), "sqlite://data/honglian.db?mode=rwc");
    }

    #[test]
    fn second_factor_policy_and_password_age_from_the_file() {
        let c: FileConfig =
            toml::from_str("[security]\nsecond_factor = \"admins\"\npassword_max_age_days = 0\n").unwrap();
        let s = c.security.unwrap();
        assert_eq!((s.second_factor, s.password_max_age_days), (honglian_app::SecondFactorPolicy::Admins, 0));
        assert!(toml::from_str::<FileConfig>("[security]\nsecond_factor = \"all\"\n").is_err(), "an unknown policy");
    }
}

#[cfg(test)]
mod precedence {
    use super::*;

    // nextest runs each test in its own process, so setting the environment is safe here.
    #[test]
    fn flags_beat_env_beat_file_beat_defaults() {
        let dir = std::env::temp_dir().join(format!("hl-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("honglian.toml");
        std::fs::write(
            &file,
            "listen = \"127.0.0.1:9000\"\ndatabase_url = \"postgres://u:pw@h/db\"\nsecure_cookies = true\ntrust_proxy = true\ntrusted_proxy = [\"10.0.0.2\"]\nkey_file = \"/etc/honglian/honglian.keys\"\ntask_warn_days = 20\nbackdate_days = 3\n[security]\nlockout_minutes = 30\n",
        )
        .unwrap();
        unsafe { std::env::set_var("HONGLIAN_TRUST_PROXY", "false") };
        unsafe { std::env::set_var("HONGLIAN_BACKDATE_DAYS", "10") };
        let args = CommonArgs {
            config: Some(file.clone()),
            data_dir: Some(dir.clone()),
            key_file: None,
            database_url: None,
            read_database_url: None,
            log_format: None,
            trusted_proxy: vec![],
        };
        let c = Config::load(&args, None).unwrap();
        assert_eq!(c.listen.port(), 9000, "file beats default");
        assert_eq!(c.database_url, "postgres://u:pw@h/db");
        assert!(c.secure_cookies, "file value kept");
        assert_eq!(c.trusted_proxy, vec!["10.0.0.2".parse::<IpAddr>().unwrap()], "the trusted proxy from the file");
        assert_eq!(c.key_file, PathBuf::from("/etc/honglian/honglian.keys"), "the key file may live elsewhere");
        assert_eq!(c.security.lockout_minutes, 30);
        assert_eq!(c.security.max_failed_logins, 5, "unset keys keep defaults");
        assert_eq!(
            (c.security.second_factor, c.security.password_max_age_days),
            (honglian_app::SecondFactorPolicy::Optional, 90),
            "nobody is forced to a second factor by default; passwords age in 90 days"
        );
        assert_eq!(
            (c.task_warn_days, c.backdate_days, c.duty_warn_days),
            (20, 10, None),
            "business rules: file, env, default (duty warning days by frequency)"
        );
        let args = CommonArgs {
            database_url: Some("sqlite://x.db".into()),
            trusted_proxy: vec!["10.0.0.9".parse().unwrap()],
            ..args
        };
        let c = Config::load(&args, Some("127.0.0.1:7000".parse().unwrap())).unwrap();
        assert_eq!((c.listen.port(), c.database_url.as_str()), (7000, "sqlite://x.db"), "flags win");
        assert_eq!(c.trusted_proxy, vec!["10.0.0.9".parse::<IpAddr>().unwrap()]);
        // A read replica is PostgreSQL's only.
        let replica = CommonArgs { read_database_url: Some("postgres://u@replica/db".into()), ..args.clone() };
        let err = Config::load(&replica, None).unwrap_err();
        assert!(format!("{err:#}").contains("只用于 PostgreSQL"), "{err:#}");
        let replica = CommonArgs { database_url: Some("postgres://u@primary/db".into()), ..replica };
        let c = Config::load(&replica, None).unwrap();
        assert_eq!(
            (c.read_database_url.as_deref(), c.read_max_lag_seconds),
            (Some("postgres://u@replica/db"), 30),
            "the replica and its default lag bound"
        );
        // The retired switch that believed any X-Forwarded-For is refused, naming its successor.
        unsafe { std::env::remove_var("HONGLIAN_TRUST_PROXY") };
        let err = Config::load(&args, None).unwrap_err();
        assert!(format!("{err:#}").contains("trusted_proxy"), "{err:#}");
        std::fs::write(&file, "").unwrap();
        let c = Config::load(&args, None).unwrap();
        assert_eq!(c.key_file, dir.join("honglian.keys"), "by default in the data directory");
        std::fs::write(&file, "listen = 12\n").unwrap();
        let err = Config::load(&args, None).unwrap_err();
        assert!(format!("{err:#}").contains("格式错误"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    // nextest runs each test in its own process, so setting the environment is safe here too.
    #[test]
    fn the_file_store_from_file_and_env() {
        let dir = std::env::temp_dir().join(format!("hl-cfg-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("honglian.toml");
        let args = CommonArgs {
            config: Some(file.clone()),
            data_dir: Some(dir.clone()),
            key_file: None,
            database_url: None,
            read_database_url: None,
            log_format: None,
            trusted_proxy: vec![],
        };
        let load = |toml: &str| {
            std::fs::write(&file, toml).unwrap();
            Config::load(&args, None).map_err(|e| format!("{e:#}"))
        };
        assert_eq!(load("").unwrap().files, FileStoreConfig::Dir, "the data directory by default");
        assert_eq!(load("[files]\nstore = \"dir\"\n").unwrap().files, FileStoreConfig::Dir);

        // The secret from the environment, the rest from the file; defaults for region and path style.
        let s3 = "[files]\nstore = \"s3\"\nendpoint = \"http://127.0.0.1:9000/\"\nbucket = \"honglian-files\"\naccess_key_id = \"hl\"\nprefix = \"/wuchuan/\"\n";
        unsafe { std::env::set_var("HONGLIAN_S3_SECRET_ACCESS_KEY", "s3cret-from-env") };
        let c = load(s3).unwrap();
        let FileStoreConfig::S3(got) = &c.files else { panic!("{:?}", c.files) };
        assert_eq!(
            got,
            &S3Config {
                endpoint: "http://127.0.0.1:9000".into(),
                bucket: "honglian-files".into(),
                region: "us-east-1".into(),
                access_key_id: "hl".into(),
                secret_access_key: "s3cret-from-env".into(),
                path_style: true,
                prefix: Some("wuchuan".into()),
            }
        );
        assert!(!format!("{c:?}").contains("s3cret"), "the secret key is never printed: {c:?}");
        let parsed: FileConfig = toml::from_str(&format!("{s3}secret_access_key = \"in-the-file\"\n")).unwrap();
        assert!(!format!("{parsed:?}").contains("in-the-file"), "nor from the file's shape");

        // The environment beats the file.
        unsafe { std::env::set_var("HONGLIAN_S3_BUCKET", "other-bucket") };
        unsafe { std::env::set_var("HONGLIAN_S3_PATH_STYLE", "false") };
        let FileStoreConfig::S3(got) = load(s3).unwrap().files else { panic!() };
        assert_eq!((got.bucket.as_str(), got.path_style), ("other-bucket", false));
        unsafe { std::env::set_var("HONGLIAN_S3_PATH_STYLE", "sometimes") };
        assert!(load(s3).unwrap_err().contains("HONGLIAN_S3_PATH_STYLE"));
        unsafe { std::env::remove_var("HONGLIAN_S3_BUCKET") };
        unsafe { std::env::remove_var("HONGLIAN_S3_PATH_STYLE") };

        // Bad or missing values: an error naming the key.
        let err = load("[files]\nstore = \"nfs\"\n").unwrap_err();
        assert!(err.contains("[files] store"), "{err}");
        let err = load("[files]\nendpoint = \"http://127.0.0.1:9000\"\nbucket = \"hl-files\"\n").unwrap_err();
        assert!(err.contains("store = \"s3\""), "an endpoint without store = \"s3\" is no silent directory: {err}");
        let err = load("[files]\nstore = \"s3\"\nbucket = \"hl-files\"\naccess_key_id = \"hl\"\n").unwrap_err();
        assert!(err.contains("[files] endpoint 未设置"), "{err}");
        let err = load(&s3.replace("http://127.0.0.1:9000/", "127.0.0.1:9000")).unwrap_err();
        assert!(err.contains("[files] endpoint 应是 http://"), "{err}");
        let err = load(&s3.replace("honglian-files", "Honglian_Files")).unwrap_err();
        assert!(err.contains("[files] bucket “Honglian_Files”"), "{err}");
        let err = load(&s3.replace("access_key_id = \"hl\"\n", "")).unwrap_err();
        assert!(err.contains("[files] access_key_id 未设置"), "{err}");
        let err = load(&s3.replace("/wuchuan/", "a/../b")).unwrap_err();
        assert!(err.contains("[files] prefix"), "{err}");
        unsafe { std::env::remove_var("HONGLIAN_S3_SECRET_ACCESS_KEY") };
        let err = load(s3).unwrap_err();
        assert!(
            err.contains("[files] secret_access_key 未设置") && err.contains("HONGLIAN_S3_SECRET_ACCESS_KEY"),
            "{err}"
        );
        let err = load("[files]\nstore = \"s3\"\nsecret = \"x\"\n").unwrap_err();
        assert!(err.contains("格式错误"), "an unknown key is refused: {err}");
        // The client is made from a checked configuration.
        unsafe { std::env::set_var("HONGLIAN_S3_SECRET_ACCESS_KEY", "s3cret-from-env") };
        let store = load(s3).unwrap().file_store().unwrap();
        assert_eq!(store.describe(), "S3 存储 http://127.0.0.1:9000 honglian-files/wuchuan");
        std::fs::remove_dir_all(dir).unwrap();
    }
}

/// The pool size when none is configured. SQLite runs every query on the connection's own thread
/// in this process, so more connections than about four per core only add thread switches
/// (measured in docs/performance.md, round 4: 8 connections on 2 cores served the member list
/// about 15 % faster than 16); PostgreSQL's work happens in its own processes.
fn default_pool_size(database_url: &str) -> u32 {
    if database_url.starts_with("postgres") {
        return 16;
    }
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get() as u32);
    (4 * cores).clamp(4, 16)
}
