//! Service places (服务阵地) and the county's venue standard.

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use honglian_app::org_life::activities::AttachmentView;
use honglian_app::services::places::{
    InspectionInput, PlaceDetail, PlaceInput, PlaceList, PlaceQuery, SpendInput, StandardInput,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Ids, Json, Query};

/// The places of a subtree with counts by kind, or nearest first from a point.
#[utoipa::path(get, path = "/service-places", tag = "places", params(PlaceQuery), responses((status = 200, body = PlaceList)))]
async fn place_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<axum::Json<PlaceList>> {
    Ok(axum::Json(s.app.place_list(&auth.0, q).await?))
}

/// Register a place run by one of my organisations.
#[utoipa::path(post, path = "/service-places", tag = "places", request_body = PlaceInput,
    responses((status = 201, body = PlaceDetail), (status = 422, body = Problem)))]
async fn place_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(p): Json<PlaceInput>,
) -> ApiResult<(StatusCode, axum::Json<PlaceDetail>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.place_create(&auth.0, p).await?)))
}

/// One place with its inspections and spend.
#[utoipa::path(get, path = "/service-places/{id}", tag = "places", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = PlaceDetail)))]
async fn place_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<PlaceDetail>> {
    Ok(axum::Json(s.app.place_get(&auth.0, id).await?))
}

/// Edit a place.
#[utoipa::path(patch, path = "/service-places/{id}", tag = "places", params(("id" = honglian_domain::RecordId, Path)), request_body = PlaceInput,
    responses((status = 200, body = PlaceDetail), (status = 422, body = Problem)))]
async fn place_update(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(p): Json<PlaceInput>,
) -> ApiResult<axum::Json<PlaceDetail>> {
    Ok(axum::Json(s.app.place_update(&auth.0, id, p).await?))
}

/// Record an inspection against the venue standard.
#[utoipa::path(post, path = "/service-places/{id}/inspections", tag = "places", params(("id" = honglian_domain::RecordId, Path)), request_body = InspectionInput,
    responses((status = 201, body = PlaceDetail), (status = 422, body = Problem)))]
async fn place_inspect(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(i): Json<InspectionInput>,
) -> ApiResult<(StatusCode, axum::Json<PlaceDetail>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.place_inspect(&auth.0, id, i).await?)))
}

/// Record money spent on a place (yuan, exact to the fen).
#[utoipa::path(post, path = "/service-places/{id}/spends", tag = "places", params(("id" = honglian_domain::RecordId, Path)), request_body = SpendInput,
    responses((status = 201, body = PlaceDetail), (status = 422, body = Problem)))]
async fn place_spend(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(i): Json<SpendInput>,
) -> ApiResult<(StatusCode, axum::Json<PlaceDetail>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.place_spend(&auth.0, id, i).await?)))
}

/// The places of my county for a member's phone (党员之家), nearest first from a point.
#[utoipa::path(get, path = "/me/service-places", tag = "portal", params(PlaceQuery), responses((status = 200, body = PlaceList)))]
async fn my_places(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<PlaceQuery>,
) -> ApiResult<axum::Json<PlaceList>> {
    Ok(axum::Json(s.app.my_places(&auth.0, q).await?))
}

/// My county's venue standard (default 六有).
#[utoipa::path(get, path = "/service-places/standard", tag = "places", responses((status = 200, body = Vec<String>)))]
async fn standard_get(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<Vec<String>>> {
    Ok(axum::Json(s.app.venue_standard_get(&auth.0).await?))
}

/// Set my county's venue standard (county admins).
#[utoipa::path(put, path = "/service-places/standard", tag = "places", request_body = StandardInput,
    responses((status = 200, body = Vec<String>), (status = 422, body = Problem)))]
async fn standard_set(
    State(s): State<AppState>,
    auth: Auth,
    Json(i): Json<StandardInput>,
) -> ApiResult<axum::Json<Vec<String>>> {
    Ok(axum::Json(s.app.venue_standard_set(&auth.0, i).await?))
}

/// Add a photo of a place (JPG or PNG).
#[utoipa::path(post, path = "/service-places/{id}/photos", tag = "places", params(("id" = honglian_domain::RecordId, Path)),
    request_body(content = inline(crate::http::AttachmentUpload), content_type = "multipart/form-data"),
    responses((status = 201, body = AttachmentView), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn photo_add(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    mut mp: Multipart,
) -> ApiResult<(StatusCode, axum::Json<AttachmentView>)> {
    let (name, bytes) = crate::http::upload(&mut mp).await?;
    Ok((StatusCode::CREATED, axum::Json(s.app.place_photo_add(&auth.0, id, &name, &bytes).await?)))
}

/// A photo of a place of my county.
#[utoipa::path(get, path = "/service-places/{id}/photos/{photo_id}", tag = "places",
    params(("id" = honglian_domain::RecordId, Path), ("photo_id" = honglian_domain::RecordId, Path)),
    responses((status = 200, description = "the photo"), (status = 404, body = Problem)))]
async fn photo_get(State(s): State<AppState>, auth: Auth, Ids(id, photo): Ids) -> ApiResult<Response> {
    let (meta, bytes) = s.app.place_photo_get(&auth.0, id, photo).await?;
    Ok(crate::http::file_response(&meta.content_type, &meta.filename, bytes))
}

/// Remove a photo of a place.
#[utoipa::path(delete, path = "/service-places/{id}/photos/{photo_id}", tag = "places",
    params(("id" = honglian_domain::RecordId, Path), ("photo_id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = PlaceDetail), (status = 404, body = Problem)))]
async fn photo_remove(
    State(s): State<AppState>,
    auth: Auth,
    Ids(id, photo): Ids,
) -> ApiResult<axum::Json<PlaceDetail>> {
    Ok(axum::Json(s.app.place_photo_remove(&auth.0, id, photo).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(place_list, place_create))
        .routes(routes!(standard_get, standard_set))
        .routes(routes!(place_get, place_update))
        .routes(routes!(place_inspect))
        .routes(routes!(place_spend))
        .routes(routes!(my_places))
        .routes(routes!(photo_add))
        .routes(routes!(photo_get, photo_remove))
}
