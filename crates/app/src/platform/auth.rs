//! Passwords (argon2id), login with lockout and the second factor (`platform::second_factor`),
//! the periodic password change, database-backed sessions with idle and absolute timeouts, and CSRF
//! tokens.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{Duration, Utc};
use honglian_domain::platform::authz::Role;
use honglian_store::repo::{
    communities::instructors, organisations::hosts, organisations::orgs, platform::sessions, platform::users,
};

use crate::error::{AppError, AppResult};
use crate::platform::actor::{Actor, ActorGrant, Ctx};
use crate::platform::audit::Event;
use crate::platform::crypto::{random_token, sm3_hex};
use crate::platform::second_factor::{is_console_account, roles_of};
use crate::{App, SecurityConfig};

fn argon2() -> Argon2<'static> {
    // OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(19 * 1024, 2, 1, None).expect("valid params"))
}

pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("system random source");
    let salt = SaltString::encode_b64(&salt).expect("16-byte salt");
    argon2().hash_password(password.as_bytes(), &salt).expect("argon2 hashing").to_string()
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).map(|h| argon2().verify_password(password.as_bytes(), &h).is_ok()).unwrap_or(false)
}

/// A session just created: the cookie token (given to the browser once) and the CSRF token.
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
    pub actor: Actor,
    /// The policy asks this account for a second factor it has not set up: everything but the
    /// session, its own password and the enrolment is refused until it is done.
    pub second_factor_setup: bool,
}

/// Values built from the database, each kept with the version of what it was built from
/// (`users.auth_version`, `org_tree_version`: see `repo::platform::sessions::validate`). An entry
/// serves only a caller that has just read the same version from the database, so a change committed
/// through any instance is seen by every instance on its next request: nothing here delays an
/// authorisation decision, the cache only saves rebuilding what has not changed. Sessions
/// ([`SessionCache`]) and organisation paths (`orgs::OrgPathCache`). At most [`Self::MAX`] entries;
/// when full, half of them go (they are rebuilt on their next use).
pub struct VersionedCache<K, Ver, V> {
    entries: std::sync::Mutex<std::collections::HashMap<K, (Ver, V)>>,
}

impl<K, Ver, V> Default for VersionedCache<K, Ver, V> {
    fn default() -> Self {
        Self { entries: Default::default() }
    }
}

impl<K: std::hash::Hash + Eq, Ver: Eq + Copy, V: Clone> VersionedCache<K, Ver, V> {
    pub const MAX: usize = 10_000;

    /// The value built at version `at`, if it is the one kept.
    pub(crate) fn get(&self, key: &K, at: Ver) -> Option<V> {
        let map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        map.get(key).filter(|(v, _)| *v == at).map(|(_, value)| value.clone())
    }

    pub(crate) fn put(&self, key: K, at: Ver, value: V) {
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= Self::MAX && !map.contains_key(&key) {
            let mut n = 0usize;
            map.retain(|_, _| {
                n += 1;
                n.is_multiple_of(2)
            });
        }
        map.insert(key, (at, value));
    }

    pub(crate) fn forget(&self, key: &K) {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }
}

/// Sessions by the hash of their token, at (the user's `auth_version`, `org_tree_version`).
pub type SessionCache = VersionedCache<String, (i64, i64), Current>;

/// The session behind a request.
#[derive(Clone)]
pub struct Current {
    pub session_id: String,
    pub csrf_token: String,
    pub actor: Actor,
    /// See [`NewSession::second_factor_setup`].
    pub second_factor_setup: bool,
}

/// A hash of a random hash, computed once: used to spend the same time on
/// unknown usernames as on wrong passwords.
fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| hash_password("not-a-real-password-Aa1!"))
}

impl App {
    /// Signs in. The password is checked (argon2, tens of milliseconds of CPU) on a blocking
    /// thread *before* the write transaction, so that the SQLite write lock is never held across
    /// hashing and a burst of logins cannot make others' saves wait; inside the transaction the
    /// user is read again (a lock or a disable in the meantime wins) and a failure is counted with
    /// an atomic increment, so parallel wrong passwords all count toward the lockout.
    ///
    /// An account with a confirmed second factor also needs `otp`, a current code of its
    /// authenticator app: without one the answer is [`AppError::SecondFactorRequired`] (the password was right; nothing
    /// is counted); a wrong code, or one already used (each time step is accepted once:
    /// `users::accept_totp_step`), counts toward the lockout exactly like a wrong password.
    pub async fn login(&self, ctx: &Ctx, username: &str, password: &str, otp: Option<&str>) -> AppResult<NewSession> {
        let username = username.trim();
        let stored = users::by_username(&self.db, username).await?.map(|u| u.password_hash);
        let verified = {
            let (password, hash) = (password.to_string(), stored.clone());
            tokio::task::spawn_blocking(move || match hash {
                Some(h) => verify_password(&password, &h),
                None => {
                    let _ = verify_password(&password, dummy_hash());
                    false
                }
            })
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("密码校验线程失败：{e}")))?
        };
        let txn = honglian_store::begin_write(&self.db).await?;
        let Some(user) = users::by_username(&txn, username).await? else {
            let ev = Event::ok("session.login", "user", username)
                .result("failed")
                .with(serde_json::json!({"reason": "unknown_user"}));
            self.audit(&txn, ctx, ev).await?;
            txn.commit().await?;
            return Err(AppError::Unauthorized("用户名或密码错误".into()));
        };
        let now = Utc::now();
        let as_user = Ctx { actor: None, ..ctx.clone() };
        if let Some(until) = user.locked_until.filter(|u| *u > now) {
            let ev = Event::ok("session.login", "user", user.id)
                .result("denied")
                .with(serde_json::json!({"username": username, "reason": "locked"}));
            self.audit(&txn, &as_user, ev).await?;
            txn.commit().await?;
            return Err(AppError::Locked { retry_after_secs: (until - now).num_seconds().max(1) });
        }
        if user.disabled {
            let ev = Event::ok("session.login", "user", user.id)
                .result("denied")
                .with(serde_json::json!({"username": username, "reason": "disabled"}));
            self.audit(&txn, &as_user, ev).await?;
            txn.commit().await?;
            return Err(AppError::Unauthorized("账号已停用，请联系安全管理员".into()));
        }
        // The password was changed while it was being checked: check it again (rare).
        if Some(&user.password_hash) != stored.as_ref() {
            drop(txn);
            return Box::pin(self.login(ctx, username, password, otp)).await;
        }
        if !verified {
            let refusal = AppError::Unauthorized("用户名或密码错误".into());
            let err = self.login_failed(txn, &as_user, user.id, username, "wrong_password", false, refusal).await?;
            return Err(err);
        }
        if user.totp_confirmed_at.is_some() {
            let Some(code) = otp.map(str::trim).filter(|c| !c.is_empty()) else {
                let ev = Event::ok("session.login", "user", user.id)
                    .result("failed")
                    .with(serde_json::json!({"username": username, "reason": "second_factor_required"}));
                self.audit(&txn, &as_user, ev).await?;
                txn.commit().await?;
                return Err(AppError::SecondFactorRequired);
            };
            let step = self.second_factor_step(&user, code, now)?;
            let accepted = match step {
                Some(s) => users::accept_totp_step(&txn, user.id, s).await?,
                None => false,
            };
            if !accepted {
                let refusal = AppError::SecondFactorInvalid;
                let err =
                    self.login_failed(txn, &as_user, user.id, username, "wrong_otp", step.is_some(), refusal).await?;
                return Err(err);
            }
        }
        let user = users::record_login(&txn, user, 0, None).await?;
        let s = self.open_session(&txn, ctx, user).await?;
        txn.commit().await?;
        Ok(s)
    }

    /// Counts a failed login (a wrong password or second-factor code) with the atomic increment, locks
    /// the account at `max_failed_logins`, audits it and commits: the error to answer (`refusal`, or
    /// the lock). `replayed`: the code was right but already used.
    #[allow(clippy::too_many_arguments)]
    async fn login_failed(
        &self,
        txn: honglian_store::WriteTxn,
        as_user: &Ctx,
        uid: i64,
        username: &str,
        reason: &'static str,
        replayed: bool,
        refusal: AppError,
    ) -> AppResult<AppError> {
        let sec: &SecurityConfig = &self.config.security;
        let now = Utc::now();
        let until = now + Duration::minutes(sec.lockout_minutes);
        let Some(failed) = users::count_failed_login(&txn, uid, sec.max_failed_logins as i32, now, until).await? else {
            let ev = Event::ok("session.login", "user", uid)
                .result("denied")
                .with(serde_json::json!({"username": username, "reason": "locked"}));
            self.audit(&txn, as_user, ev).await?;
            txn.commit().await?;
            return Ok(AppError::Locked { retry_after_secs: sec.lockout_minutes * 60 });
        };
        let lock = (failed >= sec.max_failed_logins as i32).then_some(until);
        let mut detail = serde_json::json!({"username": username, "reason": reason, "failed_logins": failed, "locked": lock.is_some()});
        if replayed {
            detail["replayed"] = serde_json::Value::Bool(true);
        }
        let ev = Event::ok("session.login", "user", uid).result("failed").with(detail);
        self.audit(&txn, as_user, ev).await?;
        txn.commit().await?;
        Ok(match lock {
            Some(until) => AppError::Locked { retry_after_secs: (until - now).num_seconds() },
            None => refusal,
        })
    }

    /// Opens a session for `user` in the caller's write transaction (a login, an activated invitation)
    /// and audits the sign-in. A console account whose password is older than `[security]
    /// password_max_age_days` must change it first (`must_change_password`, as at the first login).
    pub(crate) async fn open_session(
        &self,
        txn: &honglian_store::WriteTxn,
        ctx: &Ctx,
        user: users::User,
    ) -> AppResult<NewSession> {
        let sec: &SecurityConfig = &self.config.security;
        let now = Utc::now();
        let confirmed = user.totp_confirmed_at.is_some();
        let token = random_token(32);
        let csrf_token = random_token(32);
        sessions::insert(
            txn,
            sessions::Session {
                id: sm3_hex(token.as_bytes()),
                user_id: user.id,
                csrf_token: csrf_token.clone(),
                ip: ctx.ip.clone(),
                user_agent: ctx.user_agent.as_ref().map(|s| s.chars().take(200).collect()),
                created_at: now,
                last_seen_at: now,
                expires_at: now + Duration::hours(sec.session_absolute_hours),
            },
        )
        .await?;
        let mut actor = load_actor(txn, &self.crypto, user.clone()).await?;
        let ctx = Ctx { actor: Some(actor.clone()), ..ctx.clone() };
        if sec.password_max_age_days > 0 && !user.must_change_password && is_console_account(&roles_of(&actor)) {
            let set_at = user.password_changed_at.unwrap_or(user.created_at);
            if now - set_at > Duration::days(i64::from(sec.password_max_age_days)) {
                users::require_password_change(txn, user).await?;
                actor.must_change_password = true;
                let ev = Event::ok("user.password_expired", "user", actor.user_id).with(serde_json::json!({
                    "password_set_at": set_at.to_rfc3339(),
                    "max_age_days": sec.password_max_age_days,
                }));
                self.audit(txn, &ctx, ev).await?;
            }
        }
        self.audit(txn, &ctx, Event::ok("session.login", "user", actor.user_id)).await?;
        let second_factor_setup = self.second_factor_setup_due(confirmed, &actor);
        Ok(NewSession { token, csrf_token, actor, second_factor_setup })
    }

    /// Resolves a session cookie; expired or idle sessions are deleted and refused. One indexed query
    /// on every request reads the session, its account and the versions every change to the user's
    /// authorisations bumps ([`sessions::validate`]); only when those changed (or the session is new to
    /// this instance) is the actor built again. So a logout, a revoked grant, a disabled account or a
    /// new password made through any instance takes effect on every instance at the next request.
    pub async fn authenticate(&self, token: &str) -> AppResult<Current> {
        let expired = || AppError::Unauthorized("会话已过期，请重新登录".into());
        let id = sm3_hex(token.as_bytes());
        let Some(v) = sessions::validate(&self.db, &id).await? else {
            self.sessions.forget(&id);
            return Err(expired());
        };
        let now = Utc::now();
        let idle = Duration::minutes(self.config.security.session_idle_minutes);
        if v.expires_at <= now || v.last_seen_at + idle <= now {
            self.sessions.forget(&id);
            sessions::delete(&self.db, &id).await?;
            return Err(expired());
        }
        if v.disabled {
            self.sessions.forget(&id);
            sessions::delete(&self.db, &id).await?;
            return Err(AppError::Unauthorized("账号已停用".into()));
        }
        // Touch at most once a minute: keeps the idle timer without a write per request.
        if now - v.last_seen_at > Duration::seconds(60) {
            sessions::touch(&self.db, &id, now).await?;
        }
        let at = (v.auth_version, v.tree_version);
        if let Some(c) = self.sessions.get(&id, at) {
            return Ok(c);
        }
        // Read after the versions: a change committed meanwhile is in the actor or in the next
        // request's versions, never lost.
        let Some(user) = users::get(&self.db, v.user_id).await? else {
            return Err(expired());
        };
        let confirmed = user.totp_confirmed_at.is_some();
        let actor = load_actor(&self.db, &self.crypto, user).await?;
        let second_factor_setup = self.second_factor_setup_due(confirmed, &actor);
        let c = Current { session_id: id, csrf_token: v.csrf_token, actor, second_factor_setup };
        self.sessions.put(c.session_id.clone(), at, c.clone());
        Ok(c)
    }

    pub async fn logout(&self, ctx: &Ctx, session_id: &str) -> AppResult<()> {
        let txn = honglian_store::begin_write(&self.db).await?;
        sessions::delete(&txn, session_id).await?;
        let uid = ctx.actor()?.user_id;
        self.audit(&txn, ctx, Event::ok("session.logout", "user", uid)).await?;
        txn.commit().await?;
        // Every instance refuses it anyway (the row is gone); this one also frees the memory.
        self.sessions.forget(&session_id.to_string());
        Ok(())
    }

    pub async fn my_sessions(&self, ctx: &Ctx) -> AppResult<Vec<sessions::Session>> {
        Ok(sessions::of_user(&self.db, ctx.actor()?.user_id).await?)
    }

    /// Signs out every other session of the caller.
    pub async fn end_other_sessions(&self, ctx: &Ctx, current: &str) -> AppResult<u64> {
        let uid = ctx.actor()?.user_id;
        let txn = honglian_store::begin_write(&self.db).await?;
        let n = sessions::delete_others(&txn, uid, Some(current)).await?;
        self.audit(&txn, ctx, Event::ok("session.end_others", "user", uid).with(serde_json::json!({"ended": n})))
            .await?;
        txn.commit().await?;
        // The ended sessions' rows are gone: every instance refuses them at their next request.
        Ok(n)
    }

    /// A wrong password or code given by someone already signed in (changing the password, switching
    /// the second factor off) counts toward the lockout like a wrong login, so that a stolen session is
    /// no free oracle for the password. When it locks the account, every session of it ends. Returns the
    /// error to give (423 once locked, else `wrong`); the caller audits and commits.
    pub(crate) async fn count_wrong_secret(
        &self,
        txn: &honglian_store::WriteTxn,
        uid: i64,
        wrong: AppError,
    ) -> AppResult<(AppError, bool)> {
        let sec: &SecurityConfig = &self.config.security;
        let now = Utc::now();
        let until = now + Duration::minutes(sec.lockout_minutes);
        let locked = match users::count_failed_login(txn, uid, sec.max_failed_logins as i32, now, until).await? {
            None => true,
            Some(n) => n >= sec.max_failed_logins as i32,
        };
        if !locked {
            return Ok((wrong, false));
        }
        sessions::delete_others(txn, uid, None).await?;
        users::auth_changed(txn, &[uid]).await?;
        Ok((AppError::Locked { retry_after_secs: sec.lockout_minutes * 60 }, true))
    }

    /// Changes the caller's password. Both hashes are computed before the write transaction (the
    /// SQLite write lock is never held across argon2); a wrong current password counts toward the lockout.
    pub async fn change_password(&self, ctx: &Ctx, current_session: &str, old: &str, new: &str) -> AppResult<()> {
        let actor = ctx.actor()?;
        let stored = users::get(&self.db, actor.user_id).await?.ok_or_else(|| AppError::not_found("用户"))?;
        if let Some(until) = stored.locked_until.filter(|u| *u > Utc::now()) {
            return Err(AppError::Locked { retry_after_secs: (until - Utc::now()).num_seconds().max(1) });
        }
        let policy = if old == new {
            Err(AppError::field("new_password", "新密码不能与原密码相同"))
        } else {
            self.config
                .security
                .password_policy
                .check(new, &stored.username)
                .map_err(|m| AppError::field("new_password", m))
        };
        let (verified, new_hash) = {
            let (old, new, hash, hash_new) =
                (old.to_string(), new.to_string(), stored.password_hash.clone(), policy.is_ok());
            tokio::task::spawn_blocking(move || {
                let ok = verify_password(&old, &hash);
                (ok, (ok && hash_new).then(|| hash_password(&new)))
            })
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("密码校验线程失败：{e}")))?
        };
        let txn = honglian_store::begin_write(&self.db).await?;
        let user = users::get(&txn, actor.user_id).await?.ok_or_else(|| AppError::not_found("用户"))?;
        if user.password_hash != stored.password_hash {
            return Err(AppError::conflict("密码刚刚被修改，请重新输入"));
        }
        let uid = user.id;
        if !verified {
            let (err, locked) =
                self.count_wrong_secret(&txn, uid, AppError::field("old_password", "原密码不正确")).await?;
            let ev = Event::ok("user.change_password", "user", uid)
                .result("failed")
                .with(serde_json::json!({"reason": "wrong_password", "locked": locked}));
            self.audit(&txn, ctx, ev).await?;
            txn.commit().await?;
            return Err(err);
        }
        policy?;
        let new_hash = new_hash.expect("hashed when the old password and the policy passed");
        // Bumps the user's auth_version: this session's actor (no longer asked to change its password)
        // is rebuilt on every instance; the other sessions are gone.
        users::set_password(&txn, user, new_hash, false).await?;
        sessions::delete_others(&txn, uid, Some(current_session)).await?;
        self.audit(&txn, ctx, Event::ok("user.change_password", "user", uid)).await?;
        txn.commit().await?;
        Ok(())
    }
}

/// Builds the actor of a user: their grants with each organisation's path, read after the organisations'
/// version (`org_tree_version`) that the actor carries (so its paths are at least that new). A grant
/// whose MAC does not match what it says (written or edited in the database, not by a security
/// administrator) gives nothing (`platform::integrity`).
pub async fn load_actor(
    db: &impl sea_orm::ConnectionTrait,
    crypto: &crate::Crypto,
    user: users::User,
) -> AppResult<Actor> {
    let tree_version = orgs::tree_version(db).await?;
    let mut grants = users::grants_of(db, user.id).await?;
    crate::platform::integrity::keep_intact_grants(db, crypto, &mut grants).await?;
    // An instructor sees the organisations assigned to their groups (组团式指导): each assignment
    // acts as an instructor grant (id 0: it is managed on the group, not on the user).
    for (_, org_id) in instructors::assigned_to_user(db, user.id).await? {
        grants.push(users::Grant {
            id: 0,
            user_id: user.id,
            role: Role::Instructor.code().to_string(),
            org_id: Some(org_id),
            department_id: None,
            host_id: None,
            created_by: None,
            created_at: chrono::Utc::now(),
        });
    }
    let org_ids: Vec<i64> = grants.iter().filter_map(|g| g.org_id).collect();
    // The organisations of the user's own grants: what their scope is made of.
    #[allow(
        clippy::disallowed_methods,
        reason = "the organisations of the signed-in user's grants, to build their scope"
    )]
    let granted = honglian_store::Scope::All(honglian_store::Unscoped::system());
    let org_list = orgs::get_many(db, &granted, &org_ids).await?;
    let mut out = Vec::with_capacity(grants.len());
    for users::Grant { id, role, org_id, department_id, host_id, .. } in grants {
        let Some(role) = Role::from_code(&role) else {
            continue;
        };
        let org = org_id.and_then(|id| org_list.iter().find(|o| o.id == id));
        // A grant over a dissolved organisation no longer gives access.
        if org_id.is_some() && org.is_none_or(|o| o.status != "active") {
            continue;
        }
        // An enterprise contact's enterprise counts only while it is registered under the grant's
        // organisation (an organisation moved away takes its enterprises with it).
        let host_id = match (host_id, org) {
            (Some(h), Some(o)) => {
                hosts::get(db, &honglian_store::Scope::Paths(vec![o.path.clone()]), h).await?.map(|_| h)
            }
            _ => None,
        };
        out.push(ActorGrant {
            id,
            role,
            org_id,
            org_path: org.map(|o| o.path.clone()),
            org_name: org.map(|o| o.name.clone()),
            department_id,
            host_id,
        });
    }
    Ok(Actor {
        user_id: user.id,
        username: user.username,
        display_name: user.display_name,
        member_id: user.member_id,
        must_change_password: user.must_change_password,
        grants: out,
        tree_version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_hashes_verify() {
        let h = hash_password("Demo@2026!");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("Demo@2026!", &h));
        assert!(!verify_password("demo@2026!", &h));
        assert!(!verify_password("x", "not a hash"));
    }
}
