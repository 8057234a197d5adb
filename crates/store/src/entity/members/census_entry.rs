use sea_orm::entity::prelude::*;

/// One member to verify in a census campaign, and what was found.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "census_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub campaign_id: i64,
    pub member_id: i64,
    /// The member's organisation when the campaign started (progress is per organisation).
    pub org_id: i64,
    pub org_path: String,
    /// The organisation receiving the member (open outflow) when the campaign started: it sees and
    /// verifies the entry too.
    pub receiving_org_id: Option<i64>,
    /// None until verified.
    pub reached: Option<bool>,
    /// Where the member lives now, sealed (`platform::sealing`; the plaintext columns
    /// `current_place`, `circumstances`, `thoughts`, `needs` are legacy, emptied at start-up).
    pub current_place_enc: Option<String>,
    pub current_employer: Option<String>,
    /// 现实表现, sealed.
    pub circumstances_enc: Option<String>,
    /// 思想动态, sealed.
    pub thoughts_enc: Option<String>,
    /// 诉求, sealed.
    pub needs_enc: Option<String>,
    pub verified_by: Option<i64>,
    pub verified_by_name: Option<String>,
    pub verified_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
