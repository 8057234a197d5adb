//! Security labels (migration 0038): members' `security_label` and users' `clearance`
//! (`domain::platform::labels`). Reads by id take ids the use case has already scope-checked.

use sea_orm::{ConnectionTrait, DbErr};

use crate::raw;

/// Every member labelled other than `general`, with the label (the partial index `members_labelled`).
pub async fn labelled(db: &impl ConnectionTrait) -> Result<Vec<(i64, String)>, DbErr> {
    let b = db.get_database_backend();
    let sql = "SELECT id, security_label FROM members WHERE security_label <> 'general'";
    db.query_all_raw(raw(b, sql, vec![]))
        .await?
        .into_iter()
        .map(|r| Ok((r.try_get("", "id")?, r.try_get("", "security_label")?)))
        .collect()
}

/// Labels the first member (by id) at home, in the roll and with no transfer in flight, filed under
/// `path` (the demo's classified member).
pub async fn label_first_member(db: &impl ConnectionTrait, path: &str, label: &str) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    let sql = "UPDATE members SET security_label = ? WHERE id = (SELECT MIN(id) FROM members \
               WHERE org_path = ? AND status = 'normal' AND outflow_open = 0)";
    db.execute_raw(raw(b, sql, vec![label.into(), path.into()])).await?;
    Ok(())
}

pub async fn set_label(db: &impl ConnectionTrait, member_id: i64, label: &str) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    db.execute_raw(raw(b, "UPDATE members SET security_label = ? WHERE id = ?", vec![label.into(), member_id.into()]))
        .await?;
    Ok(())
}

/// An account's clearance (`general` when there is no such account).
pub async fn clearance_of(db: &impl ConnectionTrait, user_id: i64) -> Result<String, DbErr> {
    let b = db.get_database_backend();
    let row = db.query_one_raw(raw(b, "SELECT clearance FROM users WHERE id = ?", vec![user_id.into()])).await?;
    Ok(match row {
        Some(r) => r.try_get("", "clearance")?,
        None => "general".into(),
    })
}

/// Sets an account's clearance and bumps its `auth_version` (a change of what it may read).
pub async fn set_clearance(db: &impl ConnectionTrait, user_id: i64, clearance: &str) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    db.execute_raw(raw(
        b,
        "UPDATE users SET clearance = ?, auth_version = auth_version + 1 WHERE id = ?",
        vec![clearance.into(), user_id.into()],
    ))
    .await?;
    Ok(())
}
