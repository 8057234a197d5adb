//! Service places (服务阵地) with their inspections against the venue standard and the money spent on them.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::Scope;
use crate::entity::organisations::org;
use crate::entity::services::{service_place, service_place_inspection, service_place_spend};

pub use service_place::Model as ServicePlace;
pub use service_place_inspection::Model as Inspection;
pub use service_place_spend::Model as Spend;

/// The editable fields, validated by the caller; `windows` and `ticked` are JSON lists.
#[derive(Debug, Clone)]
pub struct PlaceFields {
    pub kind: String,
    pub name: String,
    pub address: String,
    pub lng: Option<f64>,
    pub lat: Option<f64>,
    pub hours: String,
    pub offers: String,
    pub windows: String,
    pub ticked: String,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    owner: &org::Model,
    f: PlaceFields,
    by: Option<i64>,
) -> Result<ServicePlace, DbErr> {
    let now = Utc::now();
    service_place::ActiveModel {
        org_id: Set(owner.id),
        org_path: Set(owner.path.clone()),
        kind: Set(f.kind),
        name: Set(f.name),
        address: Set(f.address),
        lng: Set(f.lng),
        lat: Set(f.lat),
        hours: Set(f.hours),
        offers: Set(f.offers),
        windows: Set(f.windows),
        ticked: Set(f.ticked),
        created_by: Set(by),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn update(db: &impl ConnectionTrait, current: ServicePlace, f: PlaceFields) -> Result<ServicePlace, DbErr> {
    let mut am: service_place::ActiveModel = current.into();
    am.kind = Set(f.kind);
    am.name = Set(f.name);
    am.address = Set(f.address);
    am.lng = Set(f.lng);
    am.lat = Set(f.lat);
    am.hours = Set(f.hours);
    am.offers = Set(f.offers);
    am.windows = Set(f.windows);
    am.ticked = Set(f.ticked);
    am.updated_at = Set(Utc::now());
    am.update(db).await
}

/// Records which standard items a place meets now (after an inspection).
pub async fn set_ticked(db: &impl ConnectionTrait, current: ServicePlace, ticked: &str) -> Result<ServicePlace, DbErr> {
    let mut am: service_place::ActiveModel = current.into();
    am.ticked = Set(ticked.to_string());
    am.updated_at = Set(Utc::now());
    am.update(db).await
}

/// The place if its organisation lies in `scope`, else `None` (as for an id that does not exist).
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<ServicePlace>, DbErr> {
    service_place::Entity::find_by_id(id).filter(scope.condition(service_place::Column::OrgPath)).one(db).await
}

/// The places of `subtree`, optionally of one kind, by kind and name.
pub async fn list(db: &impl ConnectionTrait, subtree: &Scope, kind: Option<&str>) -> Result<Vec<ServicePlace>, DbErr> {
    let mut q = service_place::Entity::find().filter(subtree.condition(service_place::Column::OrgPath));
    if let Some(k) = kind {
        q = q.filter(service_place::Column::Kind.eq(k));
    }
    q.order_by_asc(service_place::Column::Kind)
        .order_by_asc(service_place::Column::Name)
        .order_by_asc(service_place::Column::Id)
        .all(db)
        .await
}

pub async fn add_inspection(
    db: &impl ConnectionTrait,
    place: &ServicePlace,
    on: NaiveDate,
    inspector: &str,
    ticked: &str,
    note: &str,
    by: Option<i64>,
) -> Result<Inspection, DbErr> {
    service_place_inspection::ActiveModel {
        place_id: Set(place.id),
        inspected_on: Set(on),
        inspector: Set(inspector.to_string()),
        ticked: Set(ticked.to_string()),
        note: Set(note.to_string()),
        created_by: Set(by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// A place's inspections, newest first.
pub async fn inspections(db: &impl ConnectionTrait, place: &ServicePlace) -> Result<Vec<Inspection>, DbErr> {
    service_place_inspection::Entity::find()
        .filter(service_place_inspection::Column::PlaceId.eq(place.id))
        .order_by_desc(service_place_inspection::Column::InspectedOn)
        .order_by_desc(service_place_inspection::Column::Id)
        .all(db)
        .await
}

pub async fn add_spend(
    db: &impl ConnectionTrait,
    place: &ServicePlace,
    on: NaiveDate,
    amount_fen: i64,
    purpose: &str,
    by: Option<i64>,
) -> Result<Spend, DbErr> {
    service_place_spend::ActiveModel {
        place_id: Set(place.id),
        spent_on: Set(on),
        amount_fen: Set(amount_fen),
        purpose: Set(purpose.to_string()),
        created_by: Set(by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The money spent on a place, newest first.
pub async fn spends(db: &impl ConnectionTrait, place: &ServicePlace) -> Result<Vec<Spend>, DbErr> {
    service_place_spend::Entity::find()
        .filter(service_place_spend::Column::PlaceId.eq(place.id))
        .order_by_desc(service_place_spend::Column::SpentOn)
        .order_by_desc(service_place_spend::Column::Id)
        .all(db)
        .await
}

/// Total spend (fen) and the last inspection day of each of `places` (already reached in scope).
pub async fn summaries(
    db: &impl ConnectionTrait,
    places: &[i64],
) -> Result<HashMap<i64, (i64, Option<NaiveDate>)>, DbErr> {
    let mut out: HashMap<i64, (i64, Option<NaiveDate>)> = HashMap::new();
    for chunk in places.chunks(500) {
        let spent: Vec<(i64, Option<i64>)> = service_place_spend::Entity::find()
            .select_only()
            .column(service_place_spend::Column::PlaceId)
            // SUM(bigint) is numeric on PostgreSQL.
            .column_as(sea_orm::sea_query::Expr::cust("CAST(SUM(amount_fen) AS BIGINT)"), "total")
            .filter(service_place_spend::Column::PlaceId.is_in(chunk.iter().copied()))
            .group_by(service_place_spend::Column::PlaceId)
            .into_tuple()
            .all(db)
            .await?;
        for (id, total) in spent {
            out.entry(id).or_default().0 = total.unwrap_or(0);
        }
        let last: Vec<(i64, Option<NaiveDate>)> = service_place_inspection::Entity::find()
            .select_only()
            .column(service_place_inspection::Column::PlaceId)
            .column_as(service_place_inspection::Column::InspectedOn.max(), "last")
            .filter(service_place_inspection::Column::PlaceId.is_in(chunk.iter().copied()))
            .group_by(service_place_inspection::Column::PlaceId)
            .into_tuple()
            .all(db)
            .await?;
        for (id, on) in last {
            out.entry(id).or_default().1 = on;
        }
    }
    Ok(out)
}
