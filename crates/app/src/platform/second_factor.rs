//! The second authentication factor of console accounts (GB/T 22239 level 3, 身份鉴别 d): a TOTP
//! (RFC 6238: 6 digits, 30-second steps, HMAC-SHA-1, so that every authenticator app works —
//! 腾讯身份验证器, Microsoft and Google Authenticator, FreeOTP), one step of clock drift either way.
//!
//! The secret (20 random bytes, kept as Base32) is sealed with SM4-GCM and the user as associated data
//! (`users.totp_secret:<id>`, [`crate::platform::sealing::text_aad`]), so a copy of the database does
//! not give it away and a key rotation re-seals it (`rotation::SEALED`). Enrolment: [`App::second_factor_start`]
//! keeps a new secret as pending and answers the otpauth URI, the secret in groups for typing, and the QR
//! code drawn as SVG here (nothing is fetched from the internet); [`App::second_factor_confirm`] with a
//! current code enables it. From then on a login asks for a code (`auth::App::login`); a code is
//! accepted once (`users::accept_totp_step`). Disabling takes the password and a current code; the
//! security administrator resets a lost one (`users::App::user_reset_second_factor`). Every step is
//! audited, never the secret or a code.
//!
//! Who must have one is the `[security] second_factor` policy ([`SecondFactorPolicy`]); an account that
//! must and has none gets a session flagged like a forced password change: everything but the session,
//! its own password and the enrolment is refused until it is done. Accounts that use only the member
//! portal (members, enterprise contacts) are never asked and cannot enable one (the portal's sign-in has
//! no field for it).

use chrono::{DateTime, Utc};
use honglian_domain::platform::authz::Role;
use honglian_store::repo::platform::users::{self, User};
use serde::{Deserialize, Serialize};
use totp_rs::{Algorithm, Builder, Secret, Totp};
use utoipa::ToSchema;

use crate::platform::actor::Actor;
use crate::platform::audit::Event;
use crate::platform::auth::verify_password;
use crate::{App, AppError, AppResult, Ctx, SecondFactorPolicy};

/// The issuer the authenticator app shows above the code.
pub const ISSUER: &str = "红链";
/// A wrong or already used code (the login's `AppError::SecondFactorInvalid`, and the field error
/// when switching the second factor off).
pub const CODE_WRONG: &str = "动态口令错误或已使用，请输入验证器上新的动态口令";

const TABLE: &str = "users";
const FIELD: &str = "totp_secret";
const STEP_SECS: u64 = 30;

/// Whether the caller's account has a second factor, and whether the policy asks for one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SecondFactorStatus {
    /// Confirmed: a login asks for a code.
    pub enabled: bool,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// Started and not yet confirmed.
    pub pending: bool,
    /// The `[security] second_factor` policy requires one for this account.
    pub required: bool,
    /// The account may enable one (a console account; portal-only accounts may not).
    pub available: bool,
}

/// What an authenticator app needs, shown once when an enrolment starts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SecondFactorEnrolment {
    /// `otpauth://totp/红链:username?secret=…&issuer=红链` (what the QR code holds).
    pub otpauth_uri: String,
    /// The secret in Base32, in groups of four for typing into an app by hand.
    pub secret: String,
    /// The QR code of `otpauth_uri` as an SVG document (drawn on the server).
    pub qr_svg: String,
    pub issuer: String,
    pub account: String,
    pub digits: u32,
    pub period_secs: u32,
}

/// A current code from the authenticator app.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SecondFactorCode {
    pub code: String,
}

/// Switching the second factor off: the password and a current code.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SecondFactorDisable {
    pub password: String,
    pub code: String,
}

/// The roles of an actor's grants.
pub fn roles_of(actor: &Actor) -> Vec<Role> {
    actor.grants.iter().map(|g| g.role).collect()
}

/// Whether an account holding these roles works in the console: any role but the portal's member and
/// enterprise-contact roles.
pub fn is_console_account(roles: &[Role]) -> bool {
    roles.iter().any(|r| !matches!(r, Role::Member | Role::EnterpriseContact))
}

/// Whether `policy` requires a second factor of an account holding these roles.
pub fn policy_requires(policy: SecondFactorPolicy, roles: &[Role]) -> bool {
    match policy {
        SecondFactorPolicy::Optional => false,
        SecondFactorPolicy::Admins => roles.iter().any(|r| r.is_system() || *r == Role::CountyAdmin),
        SecondFactorPolicy::Everyone => is_console_account(roles),
    }
}

/// A fresh secret: 20 random bytes (160 bits, RFC 4226's recommendation), in Base32.
fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).expect("system random source");
    Secret::from(bytes).to_base32()
}

/// The TOTP of a secret for an account.
fn totp(secret_b32: &str, account: &str) -> AppResult<Totp> {
    let secret = Secret::try_from_base32(secret_b32)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("动态口令密钥无法解码：{e}")))?;
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(STEP_SECS)
        .with_secret(secret)
        .with_issuer(Some(ISSUER))
        .with_account_name(account)
        .build()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("动态口令参数无效：{e}")))
}

/// The time step a code belongs to, when it is one of the codes valid at `now` (the current step or
/// one either side); `None` for a wrong code or anything that is not six digits.
fn code_step(secret_b32: &str, account: &str, code: &str, now: DateTime<Utc>) -> AppResult<Option<i64>> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let t = totp(secret_b32, account)?;
    Ok(t.check(&code, now.timestamp().max(0) as u64).map(|s| s as i64))
}

/// "ABCDEFGH…" → "ABCD EFGH …".
fn grouped(secret: &str) -> String {
    secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

/// The QR code of `text` as an SVG document.
fn qr_svg(text: &str) -> AppResult<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("二维码生成失败：{e}")))?;
    Ok(code
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build())
}

fn status_of(u: &User, required: bool, available: bool) -> SecondFactorStatus {
    SecondFactorStatus {
        enabled: u.totp_confirmed_at.is_some(),
        confirmed_at: u.totp_confirmed_at,
        pending: u.totp_confirmed_at.is_none() && u.totp_secret_enc.is_some(),
        required,
        available,
    }
}

impl App {
    /// Whether a session of `actor` must set up a second factor before anything else: the policy asks
    /// for one and the account has none confirmed.
    pub(crate) fn second_factor_setup_due(&self, confirmed: bool, actor: &Actor) -> bool {
        !confirmed && policy_requires(self.config.security.second_factor, &roles_of(actor))
    }

    /// The secret of a user's second factor (confirmed or pending), opened.
    fn totp_secret(&self, u: &User) -> AppResult<Option<String>> {
        self.open_text(TABLE, FIELD, u.id, u.totp_secret_enc.as_deref())
    }

    /// The time step of `code` when it is valid now for the user's confirmed second factor (whether
    /// it was already used is [`users::accept_totp_step`]'s to say).
    pub(crate) fn second_factor_step(&self, u: &User, code: &str, now: DateTime<Utc>) -> AppResult<Option<i64>> {
        match (u.totp_confirmed_at, self.totp_secret(u)?) {
            (Some(_), Some(secret)) => code_step(&secret, &u.username, code, now),
            _ => Ok(None),
        }
    }

    /// The caller's second factor.
    pub async fn second_factor_status(&self, ctx: &Ctx) -> AppResult<SecondFactorStatus> {
        let actor = ctx.actor()?;
        let u = users::get(&self.db, actor.user_id).await?.ok_or_else(|| AppError::not_found("用户"))?;
        let roles = roles_of(actor);
        let required = policy_requires(self.config.security.second_factor, &roles);
        Ok(status_of(&u, required, is_console_account(&roles)))
    }

    /// Starts an enrolment: a new secret, kept sealed as pending (replacing a pending one), and what the
    /// authenticator app needs. Refused while one is confirmed (switch it off first) and for accounts
    /// that use only the portal.
    pub async fn second_factor_start(&self, ctx: &Ctx) -> AppResult<SecondFactorEnrolment> {
        let actor = ctx.actor()?;
        if !is_console_account(&roles_of(actor)) {
            return Err(AppError::Forbidden("两步验证用于管理端账号，党员和企业联络人账号无需开启".into()));
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        let u = users::get(&txn, actor.user_id).await?.ok_or_else(|| AppError::not_found("用户"))?;
        if u.totp_confirmed_at.is_some() {
            return Err(AppError::conflict("两步验证已开启；如需更换手机，请先关闭后再重新开启"));
        }
        let secret = new_secret();
        let t = totp(&secret, &u.username)?;
        let uri = t.to_url().map_err(|e| AppError::Internal(anyhow::anyhow!("otpauth 地址生成失败：{e}")))?;
        let sealed = self.seal_text(TABLE, FIELD, u.id, Some(&secret)).expect("a value was given");
        let (uid, account) = (u.id, u.username.clone());
        users::begin_totp(&txn, u, sealed).await?;
        self.audit(&txn, ctx, Event::ok("user.second_factor_start", "user", uid)).await?;
        txn.commit().await?;
        Ok(SecondFactorEnrolment {
            qr_svg: qr_svg(&uri)?,
            otpauth_uri: uri,
            secret: grouped(&secret),
            issuer: ISSUER.into(),
            account,
            digits: 6,
            period_secs: STEP_SECS as u32,
        })
    }

    /// Confirms the pending secret with a current code from the app: from now on a login asks for a
    /// code. That code is spent. A wrong code is audited and refused under the field `code`.
    pub async fn second_factor_confirm(&self, ctx: &Ctx, code: &str) -> AppResult<SecondFactorStatus> {
        let actor = ctx.actor()?;
        let now = Utc::now();
        let txn = honglian_store::begin_write(&self.db).await?;
        let u = users::get(&txn, actor.user_id).await?.ok_or_else(|| AppError::not_found("用户"))?;
        if u.totp_confirmed_at.is_some() {
            return Err(AppError::conflict("两步验证已开启"));
        }
        let Some(secret) = self.totp_secret(&u)? else {
            return Err(AppError::conflict("请先点击“开启两步验证”，用验证器扫描二维码"));
        };
        let uid = u.id;
        let Some(step) = code_step(&secret, &u.username, code, now)? else {
            let ev = Event::ok("user.second_factor_enable", "user", uid)
                .result("failed")
                .with(serde_json::json!({"reason": "wrong_otp"}));
            self.audit(&txn, ctx, ev).await?;
            txn.commit().await?;
            return Err(AppError::field("code", "动态口令不正确：请输入验证器上当前显示的 6 位数字，并核对手机时间"));
        };
        let u = users::confirm_totp(&txn, u, step, now).await?;
        self.audit(&txn, ctx, Event::ok("user.second_factor_enable", "user", uid)).await?;
        txn.commit().await?;
        let roles = roles_of(actor);
        Ok(status_of(&u, policy_requires(self.config.security.second_factor, &roles), is_console_account(&roles)))
    }

    /// Switches the caller's second factor off, with their password and a current code (accepted once,
    /// like a login's). The password is checked (argon2) before the write transaction, so that the
    /// SQLite write lock is never held across hashing. Where the policy requires a second factor, the
    /// session must set one up again before anything else (a new phone).
    pub async fn second_factor_disable(&self, ctx: &Ctx, password: &str, code: &str) -> AppResult<SecondFactorStatus> {
        let actor = ctx.actor()?;
        let stored = users::get(&self.db, actor.user_id).await?.ok_or_else(|| AppError::not_found("用户"))?;
        let verified = {
            let (password, hash) = (password.to_string(), stored.password_hash.clone());
            tokio::task::spawn_blocking(move || verify_password(&password, &hash))
                .await
                .map_err(|e| AppError::Internal(anyhow::anyhow!("密码校验线程失败：{e}")))?
        };
        let now = Utc::now();
        let txn = honglian_store::begin_write(&self.db).await?;
        let u = users::get(&txn, actor.user_id).await?.ok_or_else(|| AppError::not_found("用户"))?;
        if u.totp_confirmed_at.is_none() {
            return Err(AppError::conflict("未开启两步验证"));
        }
        if let Some(until) = u.locked_until.filter(|t| *t > now) {
            return Err(AppError::Locked { retry_after_secs: (until - now).num_seconds().max(1) });
        }
        if u.password_hash != stored.password_hash {
            return Err(AppError::conflict("密码刚刚被修改，请重新输入"));
        }
        let uid = u.id;
        let failed = |reason: &str| {
            Event::ok("user.second_factor_disable", "user", uid)
                .result("failed")
                .with(serde_json::json!({"reason": reason}))
        };
        if !verified {
            let (err, _) = self.count_wrong_secret(&txn, uid, AppError::field("password", "密码不正确")).await?;
            self.audit(&txn, ctx, failed("wrong_password")).await?;
            txn.commit().await?;
            return Err(err);
        }
        let accepted = match self.second_factor_step(&u, code, now)? {
            Some(step) => users::accept_totp_step(&txn, uid, step).await?,
            None => false,
        };
        if !accepted {
            let (err, _) = self.count_wrong_secret(&txn, uid, AppError::field("code", CODE_WRONG)).await?;
            self.audit(&txn, ctx, failed("wrong_otp")).await?;
            txn.commit().await?;
            return Err(err);
        }
        let u = users::clear_totp(&txn, u).await?;
        self.audit(&txn, ctx, Event::ok("user.second_factor_disable", "user", uid)).await?;
        txn.commit().await?;
        let roles = roles_of(actor);
        Ok(status_of(&u, policy_requires(self.config.security.second_factor, &roles), is_console_account(&roles)))
    }

    /// A user's second factor, for the security administrator (`user.read`).
    pub async fn user_second_factor(&self, ctx: &Ctx, id: i64) -> AppResult<SecondFactorStatus> {
        ctx.actor()?.require(honglian_domain::platform::authz::Permission::UserRead)?;
        let u = users::get(&self.db, id).await?.ok_or_else(|| AppError::not_found("用户"))?;
        let roles: Vec<Role> =
            users::grants_of(&self.db, u.id).await?.iter().filter_map(|g| Role::from_code(&g.role)).collect();
        let required = policy_requires(self.config.security.second_factor, &roles);
        Ok(status_of(&u, required, is_console_account(&roles)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::crypto::KeySet;
    use crate::platform::sealing::{open_text, seal_text};

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(secs, 0).unwrap()
    }

    #[test]
    fn rfc_6238_sha1_vectors() {
        // RFC 6238 appendix B: the ASCII secret "12345678901234567890", 8 digits there; the last six here.
        let secret = Secret::from(b"12345678901234567890".to_vec()).to_base32();
        for (t, code) in
            [(59, "287082"), (1_111_111_109, "081804"), (1_234_567_890, "005924"), (2_000_000_000, "279037")]
        {
            let step = code_step(&secret, "u", code, at(t)).unwrap();
            assert_eq!(step, Some(t / 30), "{t}");
        }
        assert_eq!(code_step(&secret, "u", "287083", at(59)).unwrap(), None);
        assert_eq!(code_step(&secret, "u", "28708", at(59)).unwrap(), None, "six digits");
        assert_eq!(code_step(&secret, "u", "287 082", at(59)).unwrap(), Some(1), "spaces are ignored");
        // One step of drift either way, not two.
        assert_eq!(code_step(&secret, "u", "287082", at(59 + 30)).unwrap(), Some(1));
        assert_eq!(code_step(&secret, "u", "287082", at(59 + 60)).unwrap(), None);
    }

    #[test]
    fn the_uri_names_the_issuer_and_the_account() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32, "160 bits in Base32");
        let uri = totp(&secret, "wuchuan_admin").unwrap().to_url().unwrap();
        assert!(uri.starts_with("otpauth://totp/"), "{uri}");
        assert!(uri.contains(&format!("secret={secret}")) && uri.contains("wuchuan_admin"), "{uri}");
        assert!(
            !uri.contains("algorithm=") && !uri.contains("digits=") && !uri.contains("period="),
            "the defaults: {uri}"
        );
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
        let svg = qr_svg(&uri).unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"), "{}", &svg[..100]);
    }

    #[test]
    fn the_secret_is_sealed_to_its_user() {
        let crypto = crate::Crypto::new(&KeySet { data: [7; 16], index: [8; 32], audit: [9; 32] });
        let secret = new_secret();
        let sealed = seal_text(&crypto, TABLE, FIELD, 42, Some(&secret)).unwrap();
        assert!(!sealed.contains(&secret), "no Base32 secret in clear");
        assert_eq!(open_text(&crypto, TABLE, FIELD, 42, Some(&sealed)).unwrap().as_deref(), Some(secret.as_str()));
        assert!(
            open_text(&crypto, TABLE, FIELD, 43, Some(&sealed)).is_err(),
            "moved to another user, it does not open"
        );
    }

    #[test]
    fn who_the_policy_asks() {
        let (admin, county, branch, member) =
            ([Role::SecurityAdmin], [Role::CountyAdmin], [Role::OrgAdmin, Role::Member], [Role::Member]);
        use SecondFactorPolicy::*;
        assert!(!policy_requires(Optional, &admin));
        assert!(policy_requires(Admins, &admin) && policy_requires(Admins, &county));
        assert!(!policy_requires(Admins, &branch));
        assert!(policy_requires(Everyone, &branch));
        for p in [Optional, Admins, Everyone] {
            assert!(!policy_requires(p, &member), "members are never forced");
            assert!(!policy_requires(p, &[Role::EnterpriseContact]));
        }
        assert_eq!("admins".parse::<SecondFactorPolicy>(), Ok(Admins));
        assert!("all".parse::<SecondFactorPolicy>().is_err());
    }
}
