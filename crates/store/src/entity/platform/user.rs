use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub must_change_password: bool,
    pub disabled: bool,
    pub failed_logins: i32,
    pub locked_until: Option<DateTimeUtc>,
    /// The member record of a member account (the "own record" of the member role).
    pub member_id: Option<i64>,
    /// Bumped in the writing transaction by every change that alters what the user may do (password,
    /// account, grants, instructor assignments): a cached session is valid only at the version it was
    /// built at (`repo::platform::sessions::validate`).
    pub auth_version: i64,
    /// The TOTP secret (Base32), sealed with `users.totp_secret:<id>` as associated data (migration
    /// 0035). Present while an enrolment is pending (`totp_confirmed_at` NULL) and once it is confirmed.
    pub totp_secret_enc: Option<String>,
    /// When the second factor was confirmed: from then on a login asks for a code.
    pub totp_confirmed_at: Option<DateTimeUtc>,
    /// The last TOTP time step accepted: a code of that step or an earlier one is refused (no replay).
    pub totp_last_step: Option<i64>,
    /// When the password was last set (created, changed, reset): the periodic change counts from here.
    pub password_changed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
