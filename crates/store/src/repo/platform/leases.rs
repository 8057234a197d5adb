//! Named leases (migration 0032): work that one instance of several does at a time, such as the hourly
//! round. A lease is taken by one atomic statement that succeeds only when the work is due and the
//! lease is free, run out or already the caller's; its holder renews it while it works and releases it
//! at the end, naming when the work is next due. A holder that dies simply stops renewing: once the
//! lease has run out, another instance takes it over. Times are the callers' clocks (kept in step by
//! NTP); a lease should last much longer than they can differ.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};

use crate::entity::platform::job_lease;
use crate::raw;

pub use job_lease::Model as Lease;

/// Takes the lease `name` for `holder` until `until` if the work is due at `now` and nobody else holds
/// the lease (never taken, released, or run out). True when taken: the caller may do the work.
/// Several instances asking at once: exactly one gets it (PostgreSQL re-checks the condition on the
/// row it waited for; SQLite has one writer).
pub async fn take(
    db: &impl ConnectionTrait,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let b = db.get_database_backend();
    let sql = "INSERT INTO job_leases (name, holder, expires_at, due_at, runs) VALUES (?, ?, ?, ?, 0) \
               ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
               WHERE job_leases.due_at <= ? \
               AND (job_leases.holder IS NULL OR job_leases.expires_at <= ? OR job_leases.holder = excluded.holder)";
    let values = vec![name.into(), holder.into(), until.into(), now.into(), now.into(), now.into()];
    Ok(db.execute_raw(raw(b, sql, values)).await?.rows_affected() == 1)
}

/// Whether [`take`] could succeed now (a read, so that an instance with nothing to do takes no write lock).
pub async fn may_take(db: &impl ConnectionTrait, name: &str, holder: &str, now: DateTime<Utc>) -> Result<bool, DbErr> {
    Ok(match get(db, name).await? {
        None => true,
        Some(l) => {
            l.due_at <= now && (l.holder.is_none() || l.expires_at <= now || l.holder.as_deref() == Some(holder))
        }
    })
}

/// Extends `holder`'s lease to `until`. False when it is no longer theirs (it ran out and another
/// instance took it over): the holder must stop.
pub async fn renew(db: &impl ConnectionTrait, name: &str, holder: &str, until: DateTime<Utc>) -> Result<bool, DbErr> {
    let b = db.get_database_backend();
    let sql = "UPDATE job_leases SET expires_at = ? WHERE name = ? AND holder = ?";
    Ok(db.execute_raw(raw(b, sql, vec![until.into(), name.into(), holder.into()])).await?.rows_affected() == 1)
}

/// Releases `holder`'s lease after the work was done at `now`, due again at `next_due`. False when the
/// lease was no longer theirs (then the instance that took it over records its own run).
pub async fn release(
    db: &impl ConnectionTrait,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    next_due: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let b = db.get_database_backend();
    let sql = "UPDATE job_leases SET holder = NULL, expires_at = ?, due_at = ?, runs = runs + 1, \
               finished_at = ?, finished_by = ? WHERE name = ? AND holder = ?";
    let values = vec![now.into(), next_due.into(), now.into(), holder.into(), name.into(), holder.into()];
    Ok(db.execute_raw(raw(b, sql, values)).await?.rows_affected() == 1)
}

/// The lease and its record, if it was ever taken.
pub async fn get(db: &impl ConnectionTrait, name: &str) -> Result<Option<Lease>, DbErr> {
    job_lease::Entity::find_by_id(name.to_string()).one(db).await
}
