//! Reads that may go to a streaming replica (`--read-database-url`, PostgreSQL; issue 21).
//!
//! Reports, statistics and exports read their rows through [`App::reader`]. Everything that writes or
//! decides authorisation uses `App::db`, the primary: sessions, accounts, grants, scopes, the organisation
//! a report is narrowed to, security labels, and the audit event a report writes.
//!
//! The replica is used only when all three hold:
//! - it is streaming;
//! - it is no more than `max_lag` behind;
//! - it has replayed the caller's own last write.
//!
//! After a write, the HTTP layer hands the caller the primary's log position as the `hl_wrote` cookie
//! ([`App::write_position`]). A read that finds the replica short of that position goes to the primary.
//! So a page shows what its user has just saved, on any instance; figures another user has just changed
//! may be up to `max_lag` old. A replica that cannot be reached is passed over, and this is logged.

use std::time::Duration;

use sea_orm::DatabaseConnection;

use crate::{App, Ctx};

/// The configured replica.
pub struct Replica {
    pub db: DatabaseConnection,
    /// How far behind the replica may be and still serve reports.
    pub max_lag: Duration,
}

/// Where a read went, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadFrom {
    Replica,
    /// No replica is configured.
    NoReplica,
    /// The replica has not replayed the caller's last write yet.
    BehindCaller,
    /// The replica is not streaming, or is more than `max_lag` behind.
    Lagging,
    /// The replica could not be asked.
    Unreachable,
}

/// A log position as PostgreSQL writes it (`16/B374D848`). Anything else from a cookie is ignored.
fn is_position(s: &str) -> bool {
    let hex = |p: &str| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_hexdigit());
    s.split_once('/').is_some_and(|(a, b)| hex(a) && hex(b))
}

impl App {
    /// This application with a read replica for reports, statistics and exports.
    pub fn with_replica(mut self, db: DatabaseConnection, max_lag: Duration) -> Self {
        self.replica = Some(std::sync::Arc::new(Replica { db, max_lag }));
        self
    }

    pub fn has_replica(&self) -> bool {
        self.replica.is_some()
    }

    /// The primary's log position now, which covers every write committed before it. The HTTP layer
    /// gives it to the caller after a write. None without a replica; an error is logged, and also
    /// gives None.
    pub async fn write_position(&self) -> Option<String> {
        self.replica.as_ref()?;
        match honglian_store::repo::platform::replica::wal_position(&self.db).await {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the primary's log position");
                None
            }
        }
    }

    /// The connection a report, statistic or export reads its rows from (see the module's text).
    /// Never for anything that decides authorisation.
    pub async fn reader(&self, ctx: &Ctx) -> DatabaseConnection {
        let (db, from) = self.reader_for(ctx).await;
        tracing::debug!(?from, "report read");
        db
    }

    /// [`App::reader`], saying where the read goes and why.
    async fn reader_for(&self, ctx: &Ctx) -> (DatabaseConnection, ReadFrom) {
        let Some(r) = &self.replica else { return (self.db.clone(), ReadFrom::NoReplica) };
        let after = ctx.wrote_at.as_deref().filter(|p| is_position(p)).unwrap_or("0/0");
        match honglian_store::repo::platform::replica::replica_state(&r.db, after).await {
            Ok(s) if !s.streaming || s.lag_seconds > r.max_lag.as_secs_f64() => (self.db.clone(), ReadFrom::Lagging),
            Ok(s) if !s.replayed => (self.db.clone(), ReadFrom::BehindCaller),
            Ok(_) => (r.db.clone(), ReadFrom::Replica),
            Err(e) => {
                tracing::warn!(error = %e, "the read replica could not be asked; reading from the primary");
                (self.db.clone(), ReadFrom::Unreachable)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_log_positions_are_taken_from_a_cookie() {
        for ok in ["0/0", "16/B374D848", "FFFFFFFF/ffffffff"] {
            assert!(super::is_position(ok), "{ok}");
        }
        for bad in ["", "0", "/1", "1/", "1/2/3", "G/1", "123456789/1", "0/0'; DROP", " 0/0"] {
            assert!(!super::is_position(bad), "{bad}");
        }
    }
}
