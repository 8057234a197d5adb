//! A PostgreSQL streaming replica (`--read-database-url`, issue 21): where the primary's write-ahead log
//! stands after a write, and how a replica stands against it. Reports, statistics and exports may read
//! from a replica that is streaming, not far behind, and has replayed the caller's last write.

use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr};

use crate::raw;

/// The primary's write-ahead log position now, e.g. `0/3000148`: every write committed before this
/// call lies at or before it. It is the insert position (`pg_current_wal_insert_lsn`): with
/// `synchronous_commit = off` a commit returns before its record is written out, and the write
/// position (`pg_current_wal_lsn`) would lie before it. None on SQLite, which has no replicas.
pub async fn wal_position(db: &impl ConnectionTrait) -> Result<Option<String>, DbErr> {
    let b = db.get_database_backend();
    if b != DatabaseBackend::Postgres {
        return Ok(None);
    }
    let row = db.query_one_raw(raw(b, "SELECT pg_current_wal_insert_lsn()::text AS lsn", vec![])).await?;
    row.map(|r| r.try_get::<String>("", "lsn")).transpose()
}

/// How a replica stands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReplicaState {
    /// It is a standby (in recovery) whose WAL receiver streams from the primary. A receiver the
    /// connecting role may not see (without `pg_monitor`) counts as streaming.
    pub streaming: bool,
    /// It has replayed the log up to the position asked about.
    pub replayed: bool,
    /// Seconds since the last transaction it replayed, when it has received log it has not replayed
    /// yet; 0 when it has replayed all it received.
    pub lag_seconds: f64,
}

/// How the replica `db` stands against the primary's position `after` (a `pg_lsn` text as
/// [`wal_position`] gives; the caller checks its form).
pub async fn replica_state(db: &impl ConnectionTrait, after: &str) -> Result<ReplicaState, DbErr> {
    let b = db.get_database_backend();
    let sql = "SELECT pg_is_in_recovery() \
                 AND COALESCE((SELECT status FROM pg_stat_wal_receiver), 'streaming') = 'streaming' AS streaming, \
               COALESCE(pg_last_wal_replay_lsn() >= ?::pg_lsn, false) AS replayed, \
               CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0 \
                    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END::float8 AS lag";
    let row = db
        .query_one_raw(raw(b, sql, vec![after.into()]))
        .await?
        .ok_or_else(|| DbErr::Custom("replica state: no row".into()))?;
    Ok(ReplicaState {
        streaming: row.try_get("", "streaming")?,
        replayed: row.try_get("", "replayed")?,
        lag_seconds: row.try_get("", "lag")?,
    })
}
