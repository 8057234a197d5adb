use sea_orm::entity::prelude::*;

/// A party member. `*_enc` columns hold SM4-GCM ciphertext; `*_bidx` the keyed
/// blind index used for exact lookup and de-duplication.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    /// Copy of the organisation's path, kept in step on move and transfer, so
    /// that subtree filters are one indexed range scan.
    pub org_path: String,
    pub name: String,
    pub gender: String,
    pub ethnicity: Option<String>,
    pub birth_date: Date,
    pub id_number_enc: String,
    pub id_number_bidx: String,
    pub phone_enc: Option<String>,
    pub phone_bidx: Option<String>,
    pub address_enc: Option<String>,
    pub education: Option<String>,
    pub occupation: Option<String>,
    pub employer: Option<String>,
    pub joined_on: Date,
    pub category: String,
    pub full_on: Option<Date>,
    /// JSON array of tag strings.
    pub tags: String,
    pub status: String,
    /// Date of the newest contact log entry (kept in step by the contact log).
    pub last_contact_on: Option<Date>,
    /// The first failed attempt to reach the member since they were last reached (kept by the
    /// contact log): a member at home who cannot be reached is counted from it.
    pub unreachable_since: Option<Date>,
    /// The day the membership was suspended (停止党籍), while the status is `suspended`.
    pub suspended_on: Option<Date>,
    /// 1 while the member has an open outflow (kept by triggers, migration 0006).
    pub outflow_open: i16,
    /// The day the member left the deployment (已出党, 已故, 已转出), while they are in such a status
    /// (kept by triggers, migration 0036).
    pub left_on: Option<Date>,
    /// When the personal fields were erased (PIPL retention or a request; `domain::members::retention`).
    pub personal_erased_at: Option<DateTimeUtc>,
    /// The record's security label (`general` | `sensitive`, migration 0038): who may read its personal
    /// fields in clear beside the scope (`domain::platform::labels`).
    pub security_label: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
