//! Files kept with records: photos of places, attachments of requests, of bulletins and of investment
//! drives (their materials). A file is read through its record, which the caller loaded within their
//! scope (or, for a bulletin, which reaches the member): [`Owner`] is only made from one.

use std::collections::HashMap;

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::entity::services::service_file;
use crate::repo::hometown::investment::Drive;
use crate::repo::portal::bulletins::Bulletin;
use crate::repo::services::{places::ServicePlace, requests::ServiceRequest};

pub use service_file::Model as ServiceFile;

/// The record a file belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Owner {
    subject: &'static str,
    id: i64,
}

impl From<&ServicePlace> for Owner {
    fn from(p: &ServicePlace) -> Self {
        Owner { subject: "place", id: p.id }
    }
}

impl From<&ServiceRequest> for Owner {
    fn from(r: &ServiceRequest) -> Self {
        Owner { subject: "request", id: r.id }
    }
}

impl From<&Bulletin> for Owner {
    fn from(b: &Bulletin) -> Self {
        Owner { subject: "bulletin", id: b.id }
    }
}

impl From<&Drive> for Owner {
    fn from(d: &Drive) -> Self {
        Owner { subject: "drive", id: d.id }
    }
}

/// What is known of a file once it lies in the store.
pub struct NewFile {
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub key: String,
    pub uploaded_by: Option<i64>,
    pub uploaded_by_name: String,
}

pub async fn insert(db: &impl ConnectionTrait, owner: Owner, f: NewFile) -> Result<ServiceFile, DbErr> {
    service_file::ActiveModel {
        subject: Set(owner.subject.into()),
        subject_id: Set(owner.id),
        filename: Set(f.filename),
        content_type: Set(f.content_type),
        size: Set(f.size),
        key: Set(f.key),
        uploaded_by: Set(f.uploaded_by),
        uploaded_by_name: Set(f.uploaded_by_name),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The files of a record, oldest first.
pub async fn list(db: &impl ConnectionTrait, owner: Owner) -> Result<Vec<ServiceFile>, DbErr> {
    service_file::Entity::find()
        .filter(service_file::Column::Subject.eq(owner.subject))
        .filter(service_file::Column::SubjectId.eq(owner.id))
        .order_by_asc(service_file::Column::Id)
        .all(db)
        .await
}

/// One file of a record.
pub async fn get(db: &impl ConnectionTrait, owner: Owner, id: i64) -> Result<Option<ServiceFile>, DbErr> {
    service_file::Entity::find_by_id(id)
        .filter(service_file::Column::Subject.eq(owner.subject))
        .filter(service_file::Column::SubjectId.eq(owner.id))
        .one(db)
        .await
}

pub async fn delete(db: &impl ConnectionTrait, f: ServiceFile) -> Result<(), DbErr> {
    service_file::Entity::delete_by_id(f.id).exec(db).await?;
    Ok(())
}

/// The first photo of each of these places (for the cards of a list).
pub async fn first_photos(db: &impl ConnectionTrait, places: &[ServicePlace]) -> Result<HashMap<i64, i64>, DbErr> {
    let mut out = HashMap::new();
    for chunk in places.chunks(500) {
        let found = service_file::Entity::find()
            .filter(service_file::Column::Subject.eq("place"))
            .filter(service_file::Column::SubjectId.is_in(chunk.iter().map(|p| p.id)))
            .order_by_asc(service_file::Column::Id)
            .all(db)
            .await?;
        for f in found {
            out.entry(f.subject_id).or_insert(f.id);
        }
    }
    Ok(out)
}
