//! The `honglian` server: configuration, telemetry, the HTTP layer and the
//! embedded web UI. `Application::build` is what both `main` and the tests run.

pub mod cli;
pub mod config;
pub mod http;
pub mod telemetry;

use std::net::SocketAddr;

use anyhow::Context;
use honglian_app::platform::crypto::FileKeyProvider;
use honglian_app::{App, AppConfig, Crypto};

use crate::config::{Config, redact_url};

/// Opens the database, checks the key file against it (creating one only for a database without
/// encrypted data), migrates, and returns the application. Refuses while a key rotation is unfinished.
pub async fn open_app(cfg: &Config) -> anyhow::Result<App> {
    let (app, keys) = open_app_keys(cfg).await?;
    honglian_app::platform::keys::refuse_unfinished_rotation(&app.db, &keys).await?;
    // Free text written in clear before migration 0013 is sealed now that the keys are known good.
    let sealed = honglian_app::platform::sealing::seal_plaintext(&app, 1000).await.context("加密历史明文字段失败")?;
    if sealed > 0 {
        tracing::info!(rows = sealed, "sealed free-text fields stored in clear");
    }
    Ok(app)
}

/// [`open_app`] for `keys rotate`, which may continue an unfinished rotation: also returns the keys.
pub async fn open_app_keys(cfg: &Config) -> anyhow::Result<(App, FileKeyProvider)> {
    // The bundled font is checked before anything else: a broken one would print boxes.
    honglian_app::platform::pdf::check_font().map_err(|e| anyhow::anyhow!("{e}（PDF 导出需要它，请重新构建）"))?;
    cfg.ensure_data_dir()?;
    let db = connect(cfg).await?;
    // The keys are checked against the database before anything is migrated or written.
    let keys = honglian_app::platform::keys::open(&db, &cfg.key_file).await?;
    let crypto = Crypto::new(&keys);
    honglian_app::platform::audit::adopt_keyed_chain(&db, &crypto).await?;
    let applied = honglian_store::migration::migrate(&db).await.context("数据库迁移失败")?;
    for m in applied {
        tracing::info!(migration = m, "applied migration");
    }
    honglian_app::platform::keys::record(&db, &keys).await?;
    honglian_app::platform::audit::mark_keyed(&db).await?;
    honglian_app::platform::integrity::adopt(&db, &crypto).await?;
    let app = App::new(
        db,
        crypto,
        AppConfig {
            security: cfg.security.clone(),
            lost_contact_months: cfg.lost_contact_months,
            backdate_days: cfg.backdate_days,
            warn_days: cfg.duty_warn_days,
            task_warn_days: cfg.task_warn_days,
            files_dir: cfg.files_dir(),
            file_store: cfg.files.clone(),
            notify: cfg.notify.clone(),
        },
    )?;
    let app = match &cfg.read_database_url {
        Some(url) => app.with_replica(
            honglian_store::connect_replica(url, cfg.db_max_connections)
                .await
                .with_context(|| format!("只读副本地址无效 {}", redact_url(url)))?,
            std::time::Duration::from_secs(cfg.read_max_lag_seconds.into()),
        ),
        None => app,
    };
    Ok((app, keys))
}

/// Connects to the configured database without checking keys or migrating (backups).
pub async fn connect(cfg: &Config) -> anyhow::Result<sea_orm::DatabaseConnection> {
    honglian_store::connect(&cfg.database_url, cfg.db_max_connections)
        .await
        .with_context(|| format!("无法连接数据库 {}", redact_url(&cfg.database_url)))
}

/// A bound, ready-to-run server.
pub struct Application {
    listener: tokio::net::TcpListener,
    router: axum::Router,
    pub app: App,
}

impl Application {
    pub async fn build(cfg: &Config, app: App) -> anyhow::Result<Self> {
        // What a crash may have left: jobs marked running, expired sessions, unfinished uploads.
        let t = app.recover_at_start().await.context("启动时的清理失败")?;
        if t != Default::default() {
            tracing::info!(failed_jobs = t.failed_jobs, sessions = t.sessions, files = t.files, "tidied at start");
        }
        let listener =
            tokio::net::TcpListener::bind(cfg.listen).await.with_context(|| format!("无法监听 {}", cfg.listen))?;
        let router = http::router(
            app.clone(),
            http::HttpConfig { secure_cookies: cfg.secure_cookies, trusted_proxy: cfg.trusted_proxy.clone() },
        );
        Ok(Self { listener, router, app })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("bound listener")
    }

    /// Serves until ctrl-c / SIGTERM, finishing in-flight requests.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown_signal())
            .await?;
        Ok(())
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
