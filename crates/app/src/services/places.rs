//! Service places (服务阵地): party-mass service centres ("一区域一中心") with the department windows
//! staffed there, workshop and courier stations, chamber venues, homes for members working in other
//! cities. Each is checked against the county's venue standard (default "六有"), with its inspections
//! and the money spent on it in exact fen. Registered by the organisation that runs the place.

use std::collections::HashMap;

use chrono::NaiveDate;
use honglian_domain::goals::grant::Fen;
use honglian_domain::platform::authz::Permission;
use honglian_domain::services::place::{self, DEFAULT_STANDARD, PlaceKind};
use honglian_domain::validation::{optional_text, required_text};
use honglian_domain::{FieldErrors, RecordId};
use honglian_store::Scope;
use honglian_store::repo::services::files;
use honglian_store::repo::services::places::{self, Inspection, PlaceFields, ServicePlace, Spend};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::requests::attachment_view;
use crate::org_life::activities::{AttachmentView, OrgName};
use crate::platform::audit::Event;
use crate::platform::settings::county_of;
use crate::{App, AppError, AppResult, Ctx};

/// The county setting that holds the venue standard (a JSON list of items).
const STANDARD_KEY: &str = "venue_standard";

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlaceView {
    pub id: i64,
    pub org: OrgName,
    pub kind: PlaceKind,
    pub kind_label: String,
    pub name: String,
    pub address: String,
    pub lng: Option<f64>,
    pub lat: Option<f64>,
    pub hours: String,
    pub offers: String,
    /// The department windows staffed there (市场监管, 公安 …).
    pub windows: Vec<String>,
    /// The items of the venue standard the place meets.
    pub ticked: Vec<String>,
    /// Every item of the county's standard is met.
    pub standard_met: bool,
    /// All money spent on the place, in fen.
    pub spent_fen: i64,
    /// The same, as yuan with two decimals (`12,800.00`).
    pub spent_yuan: String,
    pub last_inspected_on: Option<NaiveDate>,
    /// Metres from the point asked about (`near_lng`, `near_lat`).
    pub distance_m: Option<u64>,
    pub can_edit: bool,
    /// The first photo, for the place's card.
    pub photo_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindCount {
    pub kind: PlaceKind,
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlaceList {
    pub items: Vec<PlaceView>,
    /// The county's venue standard.
    pub standard: Vec<String>,
    pub by_kind: Vec<KindCount>,
    /// How many of the places meet the whole standard.
    pub standard_met: u64,
    pub spent_fen: i64,
    pub spent_yuan: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InspectionView {
    pub id: i64,
    pub inspected_on: NaiveDate,
    pub inspector: String,
    pub ticked: Vec<String>,
    pub standard_met: bool,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SpendView {
    pub id: i64,
    pub spent_on: NaiveDate,
    pub amount_fen: i64,
    pub amount_yuan: String,
    pub purpose: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlaceDetail {
    pub place: PlaceView,
    pub standard: Vec<String>,
    pub inspections: Vec<InspectionView>,
    pub spends: Vec<SpendView>,
    pub photos: Vec<AttachmentView>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PlaceInput {
    /// The organisation that runs the place; only when registering.
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub org_id: Option<i64>,
    pub kind: PlaceKind,
    pub name: String,
    pub address: String,
    pub lng: Option<f64>,
    pub lat: Option<f64>,
    #[serde(default)]
    pub hours: Option<String>,
    #[serde(default)]
    pub offers: Option<String>,
    #[serde(default)]
    pub windows: Vec<String>,
    #[serde(default)]
    pub ticked: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct InspectionInput {
    pub inspected_on: NaiveDate,
    pub inspector: String,
    /// The standard items found met; the place's checklist becomes this.
    pub ticked: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SpendInput {
    pub spent_on: NaiveDate,
    /// Yuan as people type them: `12800`, `12,800.50`.
    pub amount: String,
    pub purpose: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct StandardInput {
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlaceQuery {
    /// The subtree; default: my top organisation.
    pub org: Option<RecordId>,
    pub kind: Option<PlaceKind>,
    /// Sort by distance from this point (both or neither).
    pub near_lng: Option<f64>,
    pub near_lat: Option<f64>,
}

fn json_list(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

/// A list of 0–`max` short items, trimmed, without blanks or repeats.
fn items(list: &[String], label: &str, max: usize, e: &mut FieldErrors, field: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in list {
        let t = i.trim();
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > 20 {
            e.add(field, format!("{label}“{t}”超过 20 个字"));
        } else if !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    }
    if out.len() > max {
        e.add(field, format!("{label}最多 {max} 项"));
    }
    out
}

fn fields(input: &PlaceInput, standard: &[String]) -> Result<PlaceFields, FieldErrors> {
    let mut e = FieldErrors::new();
    let name = required_text(&input.name, "阵地名称", 60).map_err(|m| e.add("name", m)).ok();
    let address = required_text(&input.address, "地址", 120).map_err(|m| e.add("address", m)).ok();
    let hours = optional_text(input.hours.as_deref(), "开放时间", 60).map_err(|m| e.add("hours", m)).ok().flatten();
    let offers = optional_text(input.offers.as_deref(), "服务内容", 500).map_err(|m| e.add("offers", m)).ok().flatten();
    match (input.lng, input.lat) {
        (Some(lng), Some(lat)) => {
            if let Err(m) = place::check_coordinates(lng, lat) {
                e.add("lng", m);
            }
        }
        (None, None) => {}
        _ => e.add("lng", "经度和纬度须同时填写"),
    }
    let windows = items(&input.windows, "服务窗口", 20, &mut e, "windows");
    let ticked = items(&input.ticked, "阵地标准", 20, &mut e, "ticked");
    if let Some(t) = ticked.iter().find(|t| !standard.contains(t)) {
        e.add("ticked", format!("“{t}”不在本县的阵地标准中"));
    }
    e.into_result()?;
    Ok(PlaceFields {
        kind: input.kind.code().into(),
        name: name.expect("validated"),
        address: address.expect("validated"),
        lng: input.lng,
        lat: input.lat,
        hours: hours.unwrap_or_default(),
        offers: offers.unwrap_or_default(),
        windows: serde_json::to_string(&windows).unwrap_or_else(|_| "[]".into()),
        ticked: serde_json::to_string(&ticked).unwrap_or_else(|_| "[]".into()),
    })
}

fn spend_view(s: Spend) -> SpendView {
    SpendView {
        id: s.id,
        spent_on: s.spent_on,
        amount_fen: s.amount_fen,
        amount_yuan: Fen(s.amount_fen).yuan_string(),
        purpose: s.purpose,
    }
}

impl App {
    /// The county's venue standard ("六有" unless it configured its own).
    pub(crate) async fn venue_standard(&self, county: Option<i64>) -> AppResult<Vec<String>> {
        Ok(match self.county_setting(STANDARD_KEY, county).await? {
            Some(v) => json_list(&v),
            None => DEFAULT_STANDARD.iter().map(|s| s.to_string()).collect(),
        })
    }

    async fn place_views(
        &self,
        ctx: &Ctx,
        list: Vec<ServicePlace>,
        standard: &[String],
        near: Option<(f64, f64)>,
    ) -> AppResult<Vec<PlaceView>> {
        let write = ctx.actor()?.scope(Permission::PlaceWrite).unwrap_or(Scope::none());
        let names: HashMap<i64, String> = self.org_names(&list.iter().map(|p| p.org_id).collect::<Vec<_>>()).await?;
        let sums = places::summaries(&self.db, &list.iter().map(|p| p.id).collect::<Vec<_>>()).await?;
        let photos = files::first_photos(&self.db, &list).await?;
        let std: Vec<&str> = standard.iter().map(String::as_str).collect();
        Ok(list
            .into_iter()
            .map(|p| {
                let ticked = json_list(&p.ticked);
                let (spent, last) = sums.get(&p.id).copied().unwrap_or_default();
                let kind = PlaceKind::from_code(&p.kind).unwrap_or(PlaceKind::Center);
                PlaceView {
                    org: OrgName { id: p.org_id, name: names.get(&p.org_id).cloned().unwrap_or_default() },
                    kind,
                    kind_label: kind.label().into(),
                    standard_met: place::standard_met(&std, &ticked),
                    ticked,
                    windows: json_list(&p.windows),
                    spent_fen: spent,
                    spent_yuan: Fen(spent).yuan_string(),
                    last_inspected_on: last,
                    distance_m: match (near, p.lng, p.lat) {
                        (Some(n), Some(lng), Some(lat)) => Some(place::distance_m(n, (lng, lat)).round() as u64),
                        _ => None,
                    },
                    can_edit: write.contains(&p.org_path),
                    photo_id: photos.get(&p.id).copied(),
                    id: p.id,
                    name: p.name,
                    address: p.address,
                    lng: p.lng,
                    lat: p.lat,
                    hours: p.hours,
                    offers: p.offers,
                }
            })
            .collect())
    }

    /// The places of a subtree (or nearest first from a point), with counts by kind and the standard.
    pub async fn place_list(&self, ctx: &Ctx, q: PlaceQuery) -> AppResult<PlaceList> {
        let root = self.subtree_root(ctx, q.org.map(RecordId::get), Permission::OrgRead).await?;
        let near = match (q.near_lng, q.near_lat) {
            (Some(lng), Some(lat)) => {
                place::check_coordinates(lng, lat).map_err(|m| AppError::field("near_lng", m))?;
                Some((lng, lat))
            }
            (None, None) => None,
            _ => return Err(AppError::field("near_lng", "经度和纬度须同时提供")),
        };
        let standard = self.venue_standard(county_of(&root.path)).await?;
        let list = places::list(&self.db, &Scope::Paths(vec![root.path]), q.kind.map(PlaceKind::code)).await?;
        let mut items = self.place_views(ctx, list, &standard, near).await?;
        if near.is_some() {
            items.sort_by_key(|p| p.distance_m.unwrap_or(u64::MAX));
        }
        let by_kind = PlaceKind::ALL
            .iter()
            .map(|k| KindCount {
                kind: *k,
                label: k.label().into(),
                count: items.iter().filter(|p| p.kind == *k).count() as u64,
            })
            .collect();
        let spent: i64 = items.iter().map(|p| p.spent_fen).sum();
        Ok(PlaceList {
            standard_met: items.iter().filter(|p| p.standard_met).count() as u64,
            spent_fen: spent,
            spent_yuan: Fen(spent).yuan_string(),
            by_kind,
            standard,
            items,
        })
    }

    /// The places of the signed-in member's county (their chamber's venues in other cities included)
    /// or of an enterprise contact's, nearest first from where the phone is, at most 50.
    pub async fn my_places(&self, ctx: &Ctx, q: PlaceQuery) -> AppResult<PlaceList> {
        let actor = ctx.actor()?;
        let county = if actor.member_id.is_some() {
            county_of(&self.own_member(&self.db, ctx).await?.org_path)
        } else if actor.has(Permission::EnterpriseSelf) {
            match actor.scope(Permission::EnterpriseSelf)? {
                Scope::Paths(p) => p.first().and_then(|p| county_of(p)),
                Scope::All(_) => None,
            }
        } else {
            None
        }
        .ok_or_else(AppError::forbidden)?;
        let near = match (q.near_lng, q.near_lat) {
            (Some(lng), Some(lat)) => {
                place::check_coordinates(lng, lat).map_err(|e| AppError::field("near_lng", e))?;
                Some((lng, lat))
            }
            (None, None) => None,
            _ => return Err(AppError::field("near_lng", "经度和纬度须同时提供")),
        };
        let standard = self.venue_standard(Some(county)).await?;
        let list =
            places::list(&self.db, &Scope::Paths(vec![format!("/{county}/")]), q.kind.map(PlaceKind::code)).await?;
        let mut items = self.place_views(ctx, list, &standard, near).await?;
        if near.is_some() {
            items.sort_by_key(|p| p.distance_m.unwrap_or(u64::MAX));
        }
        items.truncate(50);
        let spent = items.iter().map(|p| p.spent_fen).sum();
        Ok(PlaceList {
            standard_met: items.iter().filter(|p| p.standard_met).count() as u64,
            by_kind: Vec::new(),
            spent_fen: spent,
            spent_yuan: Fen(spent).yuan_string(),
            standard,
            items,
        })
    }

    async fn place_in(&self, ctx: &Ctx, p: Permission, id: i64) -> AppResult<ServicePlace> {
        let scope = ctx.actor()?.scope(p)?;
        places::get(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("服务阵地"))
    }

    async fn place_detail_of(&self, ctx: &Ctx, p: ServicePlace) -> AppResult<PlaceDetail> {
        let standard = self.venue_standard(county_of(&p.org_path)).await?;
        let std: Vec<&str> = standard.iter().map(String::as_str).collect();
        let inspections = places::inspections(&self.db, &p)
            .await?
            .into_iter()
            .map(|i: Inspection| {
                let ticked = json_list(&i.ticked);
                InspectionView {
                    id: i.id,
                    inspected_on: i.inspected_on,
                    inspector: i.inspector,
                    standard_met: place::standard_met(&std, &ticked),
                    ticked,
                    note: i.note,
                }
            })
            .collect();
        let spends = places::spends(&self.db, &p).await?.into_iter().map(spend_view).collect();
        let photos = files::list(&self.db, (&p).into()).await?.into_iter().map(attachment_view).collect();
        let place = self.place_views(ctx, vec![p], &standard, None).await?.remove(0);
        Ok(PlaceDetail { place, standard, inspections, spends, photos })
    }

    /// Adds a photo of a place run by an organisation in the caller's scope (JPG or PNG).
    pub async fn place_photo_add(&self, ctx: &Ctx, id: i64, filename: &str, bytes: &[u8]) -> AppResult<AttachmentView> {
        let actor = ctx.actor()?;
        let p = self.place_in(ctx, Permission::PlaceWrite, id).await?;
        if !(bytes.starts_with(&[0xFF, 0xD8, 0xFF]) || bytes.starts_with(b"\x89PNG\r\n\x1a\n")) {
            return Err(AppError::field("file", "阵地照片只接受 JPG、PNG 图片"));
        }
        let f = self.store_file(&format!("places/{}", p.id), filename, bytes).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let saved = files::insert(&txn, (&p).into(), super::new_file(f, actor)).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("place.photo", "service_place", p.id).with(serde_json::json!({"file_id": saved.id})),
        )
        .await?;
        txn.commit().await?;
        Ok(attachment_view(saved))
    }

    /// A photo of a place of the caller's county (what a member sees on the phone; places are public
    /// service points).
    pub async fn place_photo_get(&self, ctx: &Ctx, id: i64, photo_id: i64) -> AppResult<(AttachmentView, Vec<u8>)> {
        let scope = self.county_scope(ctx).await?;
        let p = places::get(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("服务阵地"))?;
        let f = files::get(&self.db, (&p).into(), photo_id).await?.ok_or_else(|| AppError::not_found("照片"))?;
        let bytes = self.read_file(&f.key).await?;
        Ok((attachment_view(f), bytes))
    }

    /// Removes a photo of a place in the caller's scope, and its file once the removal is committed. A
    /// photo already removed (a second click) is no error.
    pub async fn place_photo_remove(&self, ctx: &Ctx, id: i64, photo_id: i64) -> AppResult<PlaceDetail> {
        let p = self.place_in(ctx, Permission::PlaceWrite, id).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let Some(f) = files::get(&txn, (&p).into(), photo_id).await? else {
            drop(txn);
            return self.place_detail_of(ctx, p).await;
        };
        let key = f.key.clone();
        files::delete(&txn, f).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("place.photo_remove", "service_place", p.id).with(serde_json::json!({"file_id": photo_id})),
        )
        .await?;
        txn.commit().await?;
        self.remove_stored_file(&key).await;
        self.place_detail_of(ctx, p).await
    }

    /// One place with its inspections and spend.
    pub async fn place_get(&self, ctx: &Ctx, id: i64) -> AppResult<PlaceDetail> {
        let p = self.place_in(ctx, Permission::OrgRead, id).await?;
        self.place_detail_of(ctx, p).await
    }

    /// Registers a place run by an organisation in the caller's scope.
    pub async fn place_create(&self, ctx: &Ctx, input: PlaceInput) -> AppResult<PlaceDetail> {
        let scope = ctx.actor()?.scope(Permission::PlaceWrite)?;
        let org_id = input.org_id.ok_or_else(|| AppError::field("org_id", "请选择党组织"))?;
        let owner = self.org_in(&self.db, &scope, org_id).await?;
        let standard = self.venue_standard(county_of(&owner.path)).await?;
        let f = fields(&input, &standard)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let p = places::insert(&txn, &owner, f, ctx.actor_id()).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("place.create", "service_place", p.id)
                .with(serde_json::json!({"org_id": owner.id, "kind": p.kind, "name": p.name})),
        )
        .await?;
        txn.commit().await?;
        self.place_detail_of(ctx, p).await
    }

    /// Edits a place (the organisation that runs it stays; a place that changes hands is registered anew).
    pub async fn place_update(&self, ctx: &Ctx, id: i64, input: PlaceInput) -> AppResult<PlaceDetail> {
        let current = self.place_in(ctx, Permission::PlaceWrite, id).await?;
        let standard = self.venue_standard(county_of(&current.org_path)).await?;
        let f = fields(&input, &standard)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let p = places::update(&txn, current, f).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("place.update", "service_place", p.id).with(serde_json::json!({"name": p.name})),
        )
        .await?;
        txn.commit().await?;
        self.place_detail_of(ctx, p).await
    }

    /// Records an inspection against the standard; the place's checklist becomes what was found.
    pub async fn place_inspect(&self, ctx: &Ctx, id: i64, input: InspectionInput) -> AppResult<PlaceDetail> {
        let current = self.place_in(ctx, Permission::PlaceWrite, id).await?;
        let standard = self.venue_standard(county_of(&current.org_path)).await?;
        let mut e = FieldErrors::new();
        let inspector = required_text(&input.inspector, "检查人", 40).map_err(|m| e.add("inspector", m)).ok();
        let note = optional_text(input.note.as_deref(), "检查意见", 500).map_err(|m| e.add("note", m)).ok().flatten();
        let ticked = items(&input.ticked, "阵地标准", 20, &mut e, "ticked");
        if let Some(t) = ticked.iter().find(|t| !standard.contains(t)) {
            e.add("ticked", format!("“{t}”不在本县的阵地标准中"));
        }
        if input.inspected_on > crate::today() {
            e.add("inspected_on", "检查日期不能晚于今天");
        }
        e.into_result()?;
        let ticked = serde_json::to_string(&ticked).unwrap_or_else(|_| "[]".into());
        let txn = honglian_store::begin_write(&self.db).await?;
        let i = places::add_inspection(
            &txn,
            &current,
            input.inspected_on,
            &inspector.expect("validated"),
            &ticked,
            &note.unwrap_or_default(),
            ctx.actor_id(),
        )
        .await?;
        let p = places::set_ticked(&txn, current, &ticked).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("place.inspect", "service_place", p.id)
                .with(serde_json::json!({"inspection_id": i.id, "inspected_on": i.inspected_on})),
        )
        .await?;
        txn.commit().await?;
        self.place_detail_of(ctx, p).await
    }

    /// Records money spent on a place, in exact fen.
    pub async fn place_spend(&self, ctx: &Ctx, id: i64, input: SpendInput) -> AppResult<PlaceDetail> {
        let current = self.place_in(ctx, Permission::PlaceWrite, id).await?;
        let mut e = FieldErrors::new();
        let amount = Fen::parse_yuan(&input.amount).map_err(|m| e.add("amount", m)).ok();
        if amount == Some(Fen(0)) {
            e.add("amount", "金额须大于零");
        }
        let purpose = required_text(&input.purpose, "用途", 100).map_err(|m| e.add("purpose", m)).ok();
        if input.spent_on > crate::today() {
            e.add("spent_on", "支出日期不能晚于今天");
        }
        e.into_result()?;
        let amount = amount.expect("validated");
        let txn = honglian_store::begin_write(&self.db).await?;
        let s =
            places::add_spend(&txn, &current, input.spent_on, amount.0, &purpose.expect("validated"), ctx.actor_id())
                .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("place.spend", "service_place", current.id)
                .with(serde_json::json!({"spend_id": s.id, "amount_fen": s.amount_fen})),
        )
        .await?;
        txn.commit().await?;
        self.place_detail_of(ctx, current).await
    }

    /// The caller's county's venue standard.
    pub async fn venue_standard_get(&self, ctx: &Ctx) -> AppResult<Vec<String>> {
        ctx.actor()?.require(Permission::OrgRead)?;
        self.venue_standard(self.reader_county(ctx)?).await
    }

    /// Sets the county's venue standard (county admins). Ticks of items no longer in it stay on the
    /// places but no longer count.
    pub async fn venue_standard_set(&self, ctx: &Ctx, input: StandardInput) -> AppResult<Vec<String>> {
        let county = self.writer_county(ctx, Permission::SettingsBusiness)?;
        let mut e = FieldErrors::new();
        let list = items(&input.items, "标准项", 20, &mut e, "items");
        if list.is_empty() {
            e.add("items", "阵地标准至少一项");
        }
        e.into_result()?;
        let value = serde_json::to_string(&list).unwrap_or_else(|_| "[]".into());
        let txn = honglian_store::begin_write(&self.db).await?;
        self.set_county_setting(&txn, STANDARD_KEY, county, &value).await?;
        self.audit(&txn, ctx, Event::ok("place.standard", "setting", county).with(serde_json::json!({"items": list})))
            .await?;
        txn.commit().await?;
        Ok(list)
    }
}
