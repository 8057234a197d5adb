//! In-app notifications.

use chrono::Utc;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entity::platform::notification;
use crate::repo::{Page, PageReq};

pub use notification::Model as Notification;

pub struct NewNotification {
    pub user_id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub dedupe_key: String,
}

/// Inserts notifications, skipping those whose (user, key) already exists. Returns how many were new.
pub async fn insert_new(db: &impl ConnectionTrait, list: Vec<NewNotification>) -> Result<u64, DbErr> {
    let mut n = 0;
    let now = Utc::now();
    for chunk in list.chunks(200) {
        let rows: Vec<notification::ActiveModel> = chunk
            .iter()
            .map(|x| notification::ActiveModel {
                user_id: Set(x.user_id),
                kind: Set(x.kind.clone()),
                title: Set(x.title.clone()),
                body: Set(x.body.clone()),
                link: Set(x.link.clone()),
                dedupe_key: Set(x.dedupe_key.clone()),
                read_at: Set(None),
                created_at: Set(now),
                ..Default::default()
            })
            .collect();
        n += notification::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([notification::Column::UserId, notification::Column::DedupeKey])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(n)
}

pub async fn list(
    db: &impl ConnectionTrait,
    user_id: i64,
    unread_only: bool,
    page: PageReq,
) -> Result<(Page<Notification>, u64), DbErr> {
    let mut q = notification::Entity::find().filter(notification::Column::UserId.eq(user_id));
    if unread_only {
        q = q.filter(notification::Column::ReadAt.is_null());
    }
    let total = q.clone().count(db).await?;
    let unread = notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await?;
    let items = q.order_by_desc(notification::Column::Id).offset(page.offset()).limit(page.per_page).all(db).await?;
    Ok((Page { items, total }, unread))
}

/// Marks one (or, with None, all) of the user's notifications read.
pub async fn mark_read(db: &impl ConnectionTrait, user_id: i64, id: Option<i64>) -> Result<u64, DbErr> {
    let mut q = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(id) = id {
        q = q.filter(notification::Column::Id.eq(id));
    }
    Ok(q.exec(db).await?.rows_affected)
}
