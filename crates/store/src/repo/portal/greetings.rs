//! Holiday greetings (节日问候): an organisation's greeting to the open outflows of its subtree. The
//! messages themselves are outbox rows with the source `greeting:{id}`.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::Scope;
use crate::entity::portal::greeting;
use crate::repo::{Page, PageReq};

pub use greeting::Model as Greeting;

pub struct NewGreeting {
    pub org_id: i64,
    pub org_path: String,
    pub occasion: String,
    pub title: String,
    pub body: String,
    pub author_id: Option<i64>,
    pub author_name: String,
    pub targeted: i32,
    pub no_account: i32,
}

pub async fn insert(db: &impl ConnectionTrait, g: NewGreeting, at: DateTime<Utc>) -> Result<Greeting, DbErr> {
    greeting::ActiveModel {
        org_id: Set(g.org_id),
        org_path: Set(g.org_path),
        occasion: Set(g.occasion),
        title: Set(g.title),
        body: Set(g.body),
        author_id: Set(g.author_id),
        author_name: Set(g.author_name),
        created_at: Set(at),
        targeted: Set(g.targeted),
        no_account: Set(g.no_account),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The greetings of organisations in `scope`, the newest first.
pub async fn list(db: &impl ConnectionTrait, scope: &Scope, page: PageReq) -> Result<Page<Greeting>, DbErr> {
    use greeting::Column as C;
    let q = greeting::Entity::find().filter(scope.condition(C::OrgPath));
    let total = q.clone().count(db).await?;
    let items =
        q.order_by_desc(C::CreatedAt).order_by_desc(C::Id).limit(page.per_page).offset(page.offset()).all(db).await?;
    Ok(Page { items, total })
}

pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Greeting>, DbErr> {
    greeting::Entity::find_by_id(id).filter(scope.condition(greeting::Column::OrgPath)).one(db).await
}
