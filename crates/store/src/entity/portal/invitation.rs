use sea_orm::entity::prelude::*;

/// An invitation to the member portal: single-use, expiring, bound to one member. Only the SM3 hash of
/// its code is kept; activation also asks for something only the member knows.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invitations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub member_id: i64,
    pub org_id: i64,
    pub org_path: String,
    pub code_hash: String,
    pub status: String,
    pub wrong_answers: i32,
    pub expires_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub created_by_name: String,
    pub created_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
    pub user_id: Option<i64>,
    /// The outbox message (to a group robot) that carries it, if it was sent that way.
    pub outbox_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
