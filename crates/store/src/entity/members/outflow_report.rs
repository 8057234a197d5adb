use sea_orm::entity::prelude::*;

/// A member's own report that they are leaving (外出报备) or back (返回报备): a proposed outflow (or return)
/// until the home organisation confirms it into the ledger or declines it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outflow_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub member_id: i64,
    /// The member's organisation when they reported.
    pub org_id: i64,
    pub province_code: String,
    pub city_code: String,
    pub county_code: Option<String>,
    /// Sealed (`App::seal_text`, owner: the member).
    pub address_enc: Option<String>,
    pub employer: Option<String>,
    pub occupation: Option<String>,
    pub reason: String,
    pub start_date: Date,
    pub expected_return: Option<Date>,
    /// Sealed like the address.
    pub note_enc: Option<String>,
    /// The member gave a new phone number, written to their record when they reported.
    pub phone_changed: bool,
    /// proposed | confirmed | declined
    pub status: String,
    pub decline_reason: Option<String>,
    /// The outflow record a confirmation created.
    pub mobility_record_id: Option<i64>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// leave (外出报备) | return (返回报备: the destination is where they come back from, `start_date` the
    /// day of return, `address_enc` where they live now, `mobility_record_id` the open outflow).
    pub kind: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
