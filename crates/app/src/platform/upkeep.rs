//! What a start (and then the hourly upkeep) tidies: background jobs whose process died, sessions
//! past their expiry, uploads a crash interrupted. Each step is safe with several instances running:
//! only what no live process can still be using is touched.
//!
//! And the hourly round ([`App::hourly_round`]: duty reminders, escalation of overdue service
//! requests, the purge of expired sessions, the erasure of departed members' personal fields whose
//! retention period is over), done by exactly one instance of several: whichever takes
//! the round's lease (`repo/platform/leases.rs`, migration 0032) once it is due.

use chrono::{Duration, Utc};
use honglian_store::repo::platform::{jobs, leases, sessions};

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

/// The name of the hourly round's lease (`job_leases.name`).
pub const ROUND_LEASE: &str = "hourly_round";

/// When the hourly round is due and how long its lease lasts. `serve` takes them from the
/// environment (`HONGLIAN_ROUND_…`, docs/instances.md) so that a test can make them short.
#[derive(Debug, Clone)]
pub struct RoundTimes {
    /// The round is due again this long after the last one began.
    pub interval: std::time::Duration,
    /// A lease lasts this long unless renewed; its holder renews it every third of it while it works.
    /// An instance that dies mid-round is taken over once it has run out.
    pub lease: std::time::Duration,
    /// For tests: the round keeps its lease this long after its work (`serve` honours it in debug
    /// builds only), so that a test can kill its instance mid-lease.
    pub hold: std::time::Duration,
}

impl Default for RoundTimes {
    fn default() -> Self {
        Self {
            interval: std::time::Duration::from_secs(3600),
            lease: std::time::Duration::from_secs(300),
            hold: std::time::Duration::ZERO,
        }
    }
}

/// What one hourly round did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Round {
    pub reminders: u64,
    pub escalated: u64,
    pub sessions: u64,
    /// Departed members whose personal fields were erased (PIPL retention, `members::retention`).
    pub erased: u64,
}

impl App {
    /// The hourly round, if it is due and this instance (`holder`, an id of its own) takes its lease:
    /// duty reminders, escalation of overdue service requests, the purge of expired sessions. With
    /// several instances exactly one does each round. The lease is renewed while the round works and
    /// released at the end, the round next due one interval after this one began. None when the round
    /// is not due or another instance holds the lease. A round whose lease another instance took over
    /// (this one stalled past it) stops at once.
    pub async fn hourly_round(&self, holder: &str, times: &RoundTimes) -> anyhow::Result<Option<Round>> {
        let began = Utc::now();
        // A read first: an instance with nothing to do takes no write lock.
        if !leases::may_take(&self.db, ROUND_LEASE, holder, began).await? {
            return Ok(None);
        }
        let lease = Duration::from_std(times.lease)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let taken = leases::take(&txn, ROUND_LEASE, holder, began, began + lease).await?;
        txn.commit().await?;
        if !taken {
            return Ok(None);
        }
        let work = async {
            let mut r = Round::default();
            match self.generate_reminders().await {
                Ok(n) => r.reminders = n,
                Err(e) => tracing::warn!(error = %e, "duty reminders failed"),
            }
            match self.escalate_requests().await {
                Ok(n) => r.escalated = n,
                Err(e) => tracing::warn!(error = %e, "request escalation failed"),
            }
            match self.purge_sessions().await {
                Ok(n) => r.sessions = n,
                Err(e) => tracing::warn!(error = %e, "session purge failed"),
            }
            match self.erase_due_personal_data().await {
                Ok(n) => r.erased = n,
                Err(e) => tracing::warn!(error = %e, "personal data retention failed"),
            }
            if !times.hold.is_zero() {
                tokio::time::sleep(times.hold).await;
            }
            r
        };
        // Renews the lease every third of its length, on a task of its own (a busy round must not
        // delay it); says so once the lease is no longer ours.
        let (lost, lost_rx) = tokio::sync::oneshot::channel::<()>();
        let renewer = tokio::spawn({
            let (db, holder, every) = (self.db.clone(), holder.to_string(), times.lease / 3);
            async move {
                loop {
                    tokio::time::sleep(every).await;
                    let renewed = async {
                        let txn = honglian_store::begin_write(&db).await?;
                        let ok = leases::renew(&txn, ROUND_LEASE, &holder, Utc::now() + lease).await?;
                        txn.commit().await?;
                        anyhow::Ok(ok)
                    };
                    match renewed.await {
                        Ok(true) => {}
                        Ok(false) => {
                            let _ = lost.send(());
                            return;
                        }
                        // The database may come back before the lease runs out: try again.
                        Err(e) => tracing::warn!(error = %e, "hourly round: lease renewal failed"),
                    }
                }
            }
        });
        let round = tokio::select! {
            r = work => r,
            _ = lost_rx => anyhow::bail!("每小时例行任务的租约已被其他实例接管，本实例停止执行"),
        };
        renewer.abort();
        let txn = honglian_store::begin_write(&self.db).await?;
        let next = began + Duration::from_std(times.interval)?;
        let released = leases::release(&txn, ROUND_LEASE, holder, Utc::now(), next).await?;
        txn.commit().await?;
        if !released {
            tracing::warn!(holder, "hourly round: the lease was taken over before the round ended");
        }
        Ok(Some(round))
    }
}
