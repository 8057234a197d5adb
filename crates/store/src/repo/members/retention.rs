//! PIPL retention and deletion (`honglian_domain::members::retention`): the departed members whose
//! personal fields are due for erasure, and the erasure itself — the member's row and what the rows about
//! them say. Which columns is the domain's rule; the sealed stand-in for the ID number comes from the use
//! case, which holds the keys.

use chrono::{DateTime, NaiveDate, Utc};
use honglian_domain::members::retention::{self as rule, MEMBER_CLEARED, NOTIFY_CLEARED, RELATED};
use sea_orm::{ConnectionTrait, DbErr, Value};

use crate::raw;

/// One batch of departed members not yet erased who left on or before `cutoff`, with ids above `after`,
/// by id (`members_retention_due`, migration 0036).
pub async fn due(db: &impl ConnectionTrait, cutoff: NaiveDate, after: i64, limit: u64) -> Result<Vec<i64>, DbErr> {
    let b = db.get_database_backend();
    let sql = format!(
        "SELECT id FROM members WHERE personal_erased_at IS NULL AND left_on IS NOT NULL AND left_on <= ? \
         AND id > ? AND status IN {} ORDER BY id LIMIT {limit}",
        rule::departed_sql()
    );
    let rows = db.query_all_raw(raw(b, &sql, vec![cutoff.into(), after.into()])).await?;
    rows.iter().map(|r| r.try_get("", "id")).collect()
}

/// What replaces a member's ID number and birth date.
#[derive(Debug, Clone)]
pub struct Erasure {
    /// The sealed marker (`retention::erased_id_marker`) and its blind index.
    pub id_number_enc: String,
    pub id_number_bidx: String,
    /// The birth date reduced to its year.
    pub birth_date: NaiveDate,
    pub at: DateTime<Utc>,
}

/// Erases one member's own personal fields. Only a departed member whose fields are still there is
/// changed, and with `left_by` only one who left on or before that day (the round checks again under its
/// write lock what it found before). False when nothing was changed.
pub async fn erase_member(
    db: &impl ConnectionTrait,
    id: i64,
    e: &Erasure,
    left_by: Option<NaiveDate>,
) -> Result<bool, DbErr> {
    let b = db.get_database_backend();
    let cleared: Vec<String> = MEMBER_CLEARED.iter().map(|c| format!("{c} = NULL")).collect();
    let mut values: Vec<Value> = vec![
        e.id_number_enc.clone().into(),
        e.id_number_bidx.clone().into(),
        e.birth_date.into(),
        e.at.into(),
        e.at.into(),
        id.into(),
    ];
    let left = match left_by {
        Some(day) => {
            values.push(day.into());
            " AND left_on IS NOT NULL AND left_on <= ?"
        }
        None => "",
    };
    let sql = format!(
        "UPDATE members SET id_number_enc = ?, id_number_bidx = ?, birth_date = ?, personal_erased_at = ?, \
         updated_at = ?, {} WHERE id = ? AND personal_erased_at IS NULL AND status IN {}{left}",
        cleared.join(", "),
        rule::departed_sql()
    );
    Ok(db.execute_raw(raw(b, &sql, values)).await?.rows_affected() == 1)
}

/// Erases what the rows about these members say of them (`retention::RELATED`) and their message e-mail
/// address, set-wise. Returns the rows changed.
pub async fn erase_related(db: &impl ConnectionTrait, members: &[i64]) -> Result<u64, DbErr> {
    if members.is_empty() {
        return Ok(0);
    }
    let b = db.get_database_backend();
    let mut n = 0;
    for chunk in members.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let ids: Vec<Value> = chunk.iter().map(|&id| id.into()).collect();
        for t in RELATED {
            let set: Vec<String> = t.cleared.iter().map(|c| format!("{c} = NULL")).collect();
            let sql = format!("UPDATE {} SET {} WHERE {} IN ({marks})", t.table, set.join(", "), t.owner);
            n += db.execute_raw(raw(b, &sql, ids.clone())).await?.rows_affected();
        }
        let set: Vec<String> = NOTIFY_CLEARED.iter().map(|c| format!("{c} = NULL")).collect();
        let sql = format!(
            "UPDATE notify_prefs SET {}, email_on = ? WHERE user_id IN (SELECT id FROM users WHERE member_id IN ({marks}))",
            set.join(", ")
        );
        let mut values = vec![Value::Bool(Some(false))];
        values.extend(ids);
        n += db.execute_raw(raw(b, &sql, values)).await?.rows_affected();
    }
    Ok(n)
}

/// The recruitment records of a member: (recruit id, birth date).
pub async fn recruits_of(db: &impl ConnectionTrait, member: i64) -> Result<Vec<(i64, NaiveDate)>, DbErr> {
    let b = db.get_database_backend();
    let rows = db
        .query_all_raw(raw(
            b,
            "SELECT id, birth_date FROM recruits WHERE member_id = ? ORDER BY id",
            vec![member.into()],
        ))
        .await?;
    rows.iter().map(|r| Ok((r.try_get("", "id")?, r.try_get("", "birth_date")?))).collect()
}

/// Replaces a recruitment record's ID number (by its sealed marker) and birth date (by its year).
pub async fn erase_recruit(
    db: &impl ConnectionTrait,
    id: i64,
    id_number_enc: String,
    id_number_bidx: String,
    birth_date: NaiveDate,
) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    db.execute_raw(raw(
        b,
        "UPDATE recruits SET id_number_enc = ?, id_number_bidx = ?, birth_date = ?, updated_at = ? WHERE id = ?",
        vec![id_number_enc.into(), id_number_bidx.into(), birth_date.into(), Utc::now().into(), id.into()],
    ))
    .await?;
    Ok(())
}

/// Members of `scope` in this departed status whose fields are not erased, by id (the demo picks from them).
pub async fn departed(
    db: &impl ConnectionTrait,
    scope: &crate::Scope,
    status: honglian_domain::members::member::MemberStatus,
    limit: u64,
) -> Result<Vec<i64>, DbErr> {
    use crate::entity::members::member;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    member::Entity::find()
        .select_only()
        .column(member::Column::Id)
        .filter(scope.condition(member::Column::OrgPath))
        .filter(member::Column::Status.eq(status.code()))
        .filter(member::Column::PersonalErasedAt.is_null())
        .order_by_asc(member::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await
}

/// Records the day a departed member left (the demo's departures in the past; the triggers of migration
/// 0036 record today's).
pub async fn set_left_on(db: &impl ConnectionTrait, id: i64, day: NaiveDate) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    let sql = format!("UPDATE members SET left_on = ? WHERE id = ? AND status IN {}", rule::departed_sql());
    db.execute_raw(raw(b, &sql, vec![day.into(), id.into()])).await?;
    Ok(())
}
