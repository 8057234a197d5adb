use sea_orm::entity::prelude::*;

/// One outflow (外出) or inflow (流入) of a member; closed by a return (回归)
/// or the end of the inflow. History is kept: records are never deleted.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mobility_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The member in this system; None for an inflow member from elsewhere.
    pub member_id: Option<i64>,
    pub direction: String,
    pub status: String,
    /// For inflow members from elsewhere: their name and sealed personal fields.
    pub person_name: Option<String>,
    pub person_id_number_enc: Option<String>,
    pub person_id_number_bidx: Option<String>,
    pub person_phone_enc: Option<String>,
    /// Outflow: destination; inflow: where they come from.
    pub province_code: Option<String>,
    pub city_code: Option<String>,
    pub county_code: Option<String>,
    /// The detailed address, sealed (`platform::sealing`; the plaintext column `address` is legacy,
    /// emptied at start-up).
    pub address_enc: Option<String>,
    pub employer: Option<String>,
    pub occupation: Option<String>,
    pub reason: String,
    pub start_date: Date,
    pub expected_return: Option<Date>,
    /// Outflow: the receiving organisation in this system; inflow: the local organisation they join.
    pub receiving_org_id: Option<i64>,
    /// Outflow: a receiving organisation outside the system; inflow: their home organisation.
    pub external_org_name: Option<String>,
    pub external_org_contact: Option<String>,
    /// 流动党员活动证号.
    pub mobile_card_no: Option<String>,
    /// The contact person in the home branch (responsible for keeping in touch).
    pub contact_person: Option<String>,
    pub ended_on: Option<Date>,
    pub end_place: Option<String>,
    pub relationship_stays: Option<bool>,
    pub end_note: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
