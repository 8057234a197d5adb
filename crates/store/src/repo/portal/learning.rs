//! A member's own marks on the learning venues: read, set and cleared by that member only.

use chrono::NaiveDate;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use crate::entity::portal::learning_visit;

/// The caller's own marks: (venue key, day).
pub async fn marks_of(db: &impl ConnectionTrait, user_id: i64) -> Result<Vec<(String, NaiveDate)>, DbErr> {
    Ok(learning_visit::Entity::find()
        .filter(learning_visit::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.venue_key, m.visited_on))
        .collect())
}

/// Sets a mark (kept with its first day if already there; a double tap inserts once).
pub async fn mark(db: &impl ConnectionTrait, user_id: i64, venue_key: &str, on: NaiveDate) -> Result<(), DbErr> {
    learning_visit::Entity::insert(learning_visit::ActiveModel {
        user_id: Set(user_id),
        venue_key: Set(venue_key.to_string()),
        visited_on: Set(on),
    })
    .on_conflict(
        OnConflict::columns([learning_visit::Column::UserId, learning_visit::Column::VenueKey]).do_nothing().to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Clears a mark (nothing if there is none).
pub async fn unmark(db: &impl ConnectionTrait, user_id: i64, venue_key: &str) -> Result<(), DbErr> {
    learning_visit::Entity::delete_by_id((user_id, venue_key.to_string())).exec(db).await?;
    Ok(())
}
