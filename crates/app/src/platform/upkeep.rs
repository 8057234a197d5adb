//! What a start (and then the hourly upkeep) tidies: background jobs whose process died, sessions
//! past their expiry, uploads a crash interrupted. Each step is safe with several instances running:
//! only what no live process can still be using is touched.

use chrono::{Duration, Utc};
use honglian_store::repo::platform::{jobs, sessions};

use crate::App;

/// A running job writes its progress every 300 ms; one silent for this long has lost its process.
pub const STALE_JOB: Duration = Duration::minutes(2);
/// The reason a job interrupted by a crash shows (imports write in one transaction, so nothing was written).
pub const INTERRUPTED: &str = "服务中断，任务未完成（未写入任何数据），请重新提交";

/// What [`App::recover_at_start`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tidied {
    pub failed_jobs: u64,
    pub sessions: u64,
    pub files: u64,
}

impl App {
    /// Run when the server starts: marks interrupted jobs failed, purges expired sessions and removes
    /// unfinished uploads.
    pub async fn recover_at_start(&self) -> anyhow::Result<Tidied> {
        let failed_jobs = jobs::fail_stale(&self.db, Utc::now() - STALE_JOB, INTERRUPTED).await?;
        let sessions = self.purge_sessions().await?;
        let files = self.remove_unfinished_files().await?;
        Ok(Tidied { failed_jobs, sessions, files })
    }

    /// Deletes the sessions past their absolute or idle expiry (they are refused anyway; this keeps
    /// the table from growing with every login). Returns how many.
    pub async fn purge_sessions(&self) -> anyhow::Result<u64> {
        let now = Utc::now();
        let idle = Duration::minutes(self.config.security.session_idle_minutes);
        Ok(sessions::purge_expired(&self.db, now, now - idle).await?)
    }
}
