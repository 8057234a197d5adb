use sea_orm::entity::prelude::*;

/// A named lease on work that one instance at a time does (the hourly round), and when it is due.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job_leases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub name: String,
    /// The instance holding the lease; None once released.
    pub holder: Option<String>,
    /// The lease is free after this, even if its holder never released it (its process died).
    pub expires_at: DateTimeUtc,
    /// The work is next due at this time.
    pub due_at: DateTimeUtc,
    /// How many times the work was done to the end.
    pub runs: i64,
    pub finished_at: Option<DateTimeUtc>,
    /// The instance that last did it to the end.
    pub finished_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
