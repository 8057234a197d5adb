//! Users and their grants.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::entity::{platform::grant, platform::user};
use crate::repo::{Page, PageReq};

pub use grant::Model as Grant;
pub use user::Model as User;

pub async fn get(db: &impl ConnectionTrait, id: i64) -> Result<Option<User>, DbErr> {
    user::Entity::find_by_id(id).one(db).await
}

pub async fn by_username(db: &impl ConnectionTrait, username: &str) -> Result<Option<User>, DbErr> {
    user::Entity::find().filter(user::Column::Username.eq(username)).one(db).await
}

/// The account of a member (the member already reached), if they have one.
pub async fn by_member(db: &impl ConnectionTrait, member_id: i64) -> Result<Option<User>, DbErr> {
    user::Entity::find().filter(user::Column::MemberId.eq(member_id)).one(db).await
}

pub async fn count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    user::Entity::find().count(db).await
}

pub async fn insert(
    db: &impl ConnectionTrait,
    username: &str,
    display_name: &str,
    password_hash: String,
    must_change_password: bool,
    member_id: Option<i64>,
) -> Result<User, DbErr> {
    let now = Utc::now();
    user::ActiveModel {
        username: Set(username.to_string()),
        display_name: Set(display_name.to_string()),
        password_hash: Set(password_hash),
        must_change_password: Set(must_change_password),
        disabled: Set(false),
        failed_logins: Set(0),
        locked_until: Set(None),
        member_id: Set(member_id),
        password_changed_at: Set(Some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Bumps the users' `auth_version` (migration 0033) in the caller's transaction: every instance then
/// rebuilds their cached sessions on the next request. Called by every write here that changes what
/// a user may do or how they are shown as the acting user.
pub async fn auth_changed(db: &impl ConnectionTrait, ids: &[i64]) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    use sea_orm::sea_query::{Expr, ExprTrait};
    user::Entity::update_many()
        .col_expr(user::Column::AuthVersion, Expr::col(user::Column::AuthVersion).add(1))
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn set_password(db: &impl ConnectionTrait, u: User, hash: String, must_change: bool) -> Result<User, DbErr> {
    auth_changed(db, &[u.id]).await?;
    let mut am: user::ActiveModel = u.into();
    let now = Utc::now();
    am.password_hash = Set(hash);
    am.must_change_password = Set(must_change);
    am.password_changed_at = Set(Some(now));
    am.failed_logins = Set(0);
    am.locked_until = Set(None);
    am.updated_at = Set(now);
    am.update(db).await
}

/// Asks the user to change their password at their next step (the periodic change: the password is
/// older than the configured age). Bumps `auth_version`, as sessions carry the flag.
pub async fn require_password_change(db: &impl ConnectionTrait, u: User) -> Result<User, DbErr> {
    auth_changed(db, &[u.id]).await?;
    let mut am: user::ActiveModel = u.into();
    am.must_change_password = Set(true);
    am.updated_at = Set(Utc::now());
    am.update(db).await
}

/// Keeps a new TOTP secret (sealed by the caller) as pending: not asked for at login until it is
/// confirmed. Replaces a pending one; the caller refuses when one is confirmed.
pub async fn begin_totp(db: &impl ConnectionTrait, u: User, sealed: String) -> Result<User, DbErr> {
    let mut am: user::ActiveModel = u.into();
    am.totp_secret_enc = Set(Some(sealed));
    am.totp_confirmed_at = Set(None);
    am.totp_last_step = Set(None);
    am.updated_at = Set(Utc::now());
    am.update(db).await
}

/// Confirms the pending secret with the time step of the code that proved it (that code is then
/// spent). Bumps `auth_version`: sessions carry whether a second factor is still to be set up.
pub async fn confirm_totp(db: &impl ConnectionTrait, u: User, step: i64, now: DateTime<Utc>) -> Result<User, DbErr> {
    auth_changed(db, &[u.id]).await?;
    let mut am: user::ActiveModel = u.into();
    am.totp_confirmed_at = Set(Some(now));
    am.totp_last_step = Set(Some(step));
    am.updated_at = Set(now);
    am.update(db).await
}

/// Removes the second factor (confirmed or pending). Bumps `auth_version`.
pub async fn clear_totp(db: &impl ConnectionTrait, u: User) -> Result<User, DbErr> {
    auth_changed(db, &[u.id]).await?;
    let mut am: user::ActiveModel = u.into();
    am.totp_secret_enc = Set(None);
    am.totp_confirmed_at = Set(None);
    am.totp_last_step = Set(None);
    am.updated_at = Set(Utc::now());
    am.update(db).await
}

/// Spends a TOTP time step: true when `step` is later than the last one accepted (which it then
/// becomes), false when that code or a later one was already used. One conditional UPDATE, so two
/// logins racing with the same code cannot both pass (PostgreSQL re-checks the condition on the row
/// it waited for; SQLite has one writer).
pub async fn accept_totp_step(db: &impl ConnectionTrait, id: i64, step: i64) -> Result<bool, DbErr> {
    let b = db.get_database_backend();
    let r = db
        .execute_raw(crate::raw(
            b,
            "UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_confirmed_at IS NOT NULL \
             AND (totp_last_step IS NULL OR totp_last_step < ?)",
            vec![step.into(), id.into(), step.into()],
        ))
        .await?;
    Ok(r.rows_affected() == 1)
}

/// Records a login result: resets or increments the failure count and sets the lock.
pub async fn record_login(
    db: &impl ConnectionTrait,
    u: User,
    failed_logins: i32,
    locked_until: Option<DateTime<Utc>>,
) -> Result<User, DbErr> {
    let mut am: user::ActiveModel = u.into();
    am.failed_logins = Set(failed_logins);
    am.locked_until = Set(locked_until);
    am.update(db).await
}

/// Counts one more failed login atomically (`failed_logins = failed_logins + 1`, so parallel
/// failures all count on any backend) and locks the account until `lock_until` once the count
/// reaches `max`, starting the count again. Returns the count this failure reached, or None when
/// the account is locked by now (a parallel failure locked it: PostgreSQL re-checks the condition
/// on the row it waited for).
pub async fn count_failed_login(
    db: &impl ConnectionTrait,
    id: i64,
    max: i32,
    now: DateTime<Utc>,
    lock_until: DateTime<Utc>,
) -> Result<Option<i32>, DbErr> {
    let b = db.get_database_backend();
    let Some(row) = db
        .query_one_raw(crate::raw(
            b,
            "UPDATE users SET failed_logins = failed_logins + 1 \
             WHERE id = ? AND (locked_until IS NULL OR locked_until <= ?) RETURNING failed_logins",
            vec![id.into(), now.into()],
        ))
        .await?
    else {
        return Ok(None);
    };
    let n: i32 = row.try_get("", "failed_logins")?;
    if n >= max {
        db.execute_raw(crate::raw(
            b,
            "UPDATE users SET failed_logins = 0, locked_until = ? WHERE id = ?",
            vec![lock_until.into(), id.into()],
        ))
        .await?;
    }
    Ok(Some(n))
}

pub async fn update_profile(
    db: &impl ConnectionTrait,
    u: User,
    display_name: String,
    disabled: bool,
) -> Result<User, DbErr> {
    auth_changed(db, &[u.id]).await?;
    let mut am: user::ActiveModel = u.into();
    am.display_name = Set(display_name);
    am.disabled = Set(disabled);
    am.updated_at = Set(Utc::now());
    am.update(db).await
}

pub async fn list(db: &impl ConnectionTrait, q: Option<&str>, page: PageReq) -> Result<Page<User>, DbErr> {
    let mut sel = user::Entity::find();
    if let Some(q) = q {
        sel = sel.filter(
            sea_orm::Condition::any()
                .add(user::Column::Username.contains(q))
                .add(user::Column::DisplayName.contains(q)),
        );
    }
    let total = sel.clone().count(db).await?;
    let items = sel.order_by_asc(user::Column::Id).offset(page.offset()).limit(page.per_page).all(db).await?;
    Ok(Page { items, total })
}

pub async fn grants_of(db: &impl ConnectionTrait, user_id: i64) -> Result<Vec<Grant>, DbErr> {
    grant::Entity::find().filter(grant::Column::UserId.eq(user_id)).order_by_asc(grant::Column::Id).all(db).await
}

pub async fn add_grant(
    db: &impl ConnectionTrait,
    user_id: i64,
    role: &str,
    org_id: Option<i64>,
    department_id: Option<i64>,
    host_id: Option<i64>,
    by: Option<i64>,
) -> Result<Grant, DbErr> {
    auth_changed(db, &[user_id]).await?;
    grant::ActiveModel {
        user_id: Set(user_id),
        role: Set(role.to_string()),
        org_id: Set(org_id),
        department_id: Set(department_id),
        host_id: Set(host_id),
        created_by: Set(by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn get_grant(db: &impl ConnectionTrait, id: i64) -> Result<Option<Grant>, DbErr> {
    grant::Entity::find_by_id(id).one(db).await
}

pub async fn delete_grant(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    if let Some(g) = get_grant(db, id).await? {
        auth_changed(db, &[g.user_id]).await?;
    }
    grant::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// Display names of users by id.
pub async fn display_names(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>, DbErr> {
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

/// (user id, path of the grant's organisation) of every grant of a role.
/// The users who handle requests for a department.
pub async fn with_department(db: &impl ConnectionTrait, department_id: i64) -> Result<Vec<i64>, DbErr> {
    Ok(grant::Entity::find()
        .filter(grant::Column::DepartmentId.eq(department_id))
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.user_id)
        .collect())
}

pub async fn with_role(db: &impl ConnectionTrait, role: &str) -> Result<Vec<(i64, Option<String>)>, DbErr> {
    let grants = grant::Entity::find().filter(grant::Column::Role.eq(role)).all(db).await?;
    let mut out = Vec::with_capacity(grants.len());
    for g in grants {
        let path = match g.org_id {
            Some(id) => {
                crate::repo::organisations::orgs::get(db, &crate::Scope::everything(), id).await?.map(|o| o.path)
            }
            None => None,
        };
        out.push((g.user_id, path));
    }
    Ok(out)
}
