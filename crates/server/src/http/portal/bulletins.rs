//! Bulletins (通知公告): written in the console for an organisation's subtree, read on the phone.

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use honglian_app::org_life::activities::AttachmentView;
use honglian_app::portal::bulletins::{
    BulletinInput, BulletinPage, BulletinQuery, BulletinView, MyBulletinDetail, MyBulletinPage, MyBulletinQuery,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Ids, Json, Query};

/// The bulletins of my subtree, the newest first, with read counts (已读 / 应读; counts only).
#[utoipa::path(get, path = "/bulletins", tag = "bulletins", params(BulletinQuery),
    responses((status = 200, body = BulletinPage), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn bulletin_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<BulletinQuery>,
) -> ApiResult<axum::Json<BulletinPage>> {
    Ok(axum::Json(s.app.bulletin_list(&auth.0, q).await?))
}

/// Publish a bulletin for an organisation of my subtree.
#[utoipa::path(post, path = "/bulletins", tag = "bulletins", request_body = BulletinInput,
    responses((status = 201, body = BulletinView), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn bulletin_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<BulletinInput>,
) -> ApiResult<(StatusCode, axum::Json<BulletinView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.bulletin_create(&auth.0, b).await?)))
}

/// One bulletin of my subtree (withdrawn ones too).
#[utoipa::path(get, path = "/bulletins/{id}", tag = "bulletins", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = BulletinView), (status = 404, body = Problem)))]
async fn bulletin_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<BulletinView>> {
    Ok(axum::Json(s.app.bulletin_get(&auth.0, id).await?))
}

/// Correct a bulletin still published.
#[utoipa::path(patch, path = "/bulletins/{id}", tag = "bulletins", params(("id" = honglian_domain::RecordId, Path)),
    request_body = BulletinInput,
    responses((status = 200, body = BulletinView), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
async fn bulletin_update(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<BulletinInput>,
) -> ApiResult<axum::Json<BulletinView>> {
    Ok(axum::Json(s.app.bulletin_update(&auth.0, id, b).await?))
}

/// Withdraw a bulletin: it leaves the members' phones and stays here marked 已撤回.
#[utoipa::path(post, path = "/bulletins/{id}/withdraw", tag = "bulletins", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = BulletinView), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn bulletin_withdraw(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<BulletinView>> {
    Ok(axum::Json(s.app.bulletin_withdraw(&auth.0, id).await?))
}

/// Attach a document or photo to a bulletin still published.
#[utoipa::path(post, path = "/bulletins/{id}/attachments", tag = "bulletins", params(("id" = honglian_domain::RecordId, Path)),
    request_body(content = inline(crate::http::AttachmentUpload), content_type = "multipart/form-data"),
    responses((status = 201, body = AttachmentView), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn bulletin_file_add(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    mut mp: Multipart,
) -> ApiResult<(StatusCode, axum::Json<AttachmentView>)> {
    let (name, bytes) = crate::http::upload(&mut mp).await?;
    Ok((StatusCode::CREATED, axum::Json(s.app.bulletin_file_add(&auth.0, id, &name, &bytes).await?)))
}

/// Download an attachment of a bulletin of my subtree.
#[utoipa::path(get, path = "/bulletins/{id}/attachments/{attachment_id}", tag = "bulletins",
    params(("id" = honglian_domain::RecordId, Path), ("attachment_id" = honglian_domain::RecordId, Path)),
    responses((status = 200, description = "the file"), (status = 404, body = Problem)))]
async fn bulletin_file_get(State(s): State<AppState>, auth: Auth, Ids(id, file): Ids) -> ApiResult<Response> {
    let (meta, bytes) = s.app.bulletin_file_get(&auth.0, id, file).await?;
    Ok(crate::http::file_response(&meta.content_type, &meta.filename, bytes))
}

/// Remove an attachment of a bulletin of my subtree.
#[utoipa::path(delete, path = "/bulletins/{id}/attachments/{attachment_id}", tag = "bulletins",
    params(("id" = honglian_domain::RecordId, Path), ("attachment_id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = BulletinView), (status = 404, body = Problem)))]
async fn bulletin_file_remove(
    State(s): State<AppState>,
    auth: Auth,
    Ids(id, file): Ids,
) -> ApiResult<axum::Json<BulletinView>> {
    Ok(axum::Json(s.app.bulletin_file_remove(&auth.0, id, file).await?))
}

/// The bulletins that reach me (my branch, town and county; the organisation receiving me where
/// it includes outflow members), the newest first, each marked read or not.
#[utoipa::path(get, path = "/me/bulletins", tag = "portal", params(MyBulletinQuery),
    responses((status = 200, body = MyBulletinPage), (status = 403, body = Problem)))]
async fn my_bulletins(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<MyBulletinQuery>,
) -> ApiResult<axum::Json<MyBulletinPage>> {
    Ok(axum::Json(s.app.my_bulletins(&auth.0, q).await?))
}

/// One bulletin that reaches me, with its attachments; opening it marks it read.
#[utoipa::path(get, path = "/me/bulletins/{id}", tag = "portal", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = MyBulletinDetail), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn my_bulletin(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<MyBulletinDetail>> {
    Ok(axum::Json(s.app.my_bulletin(&auth.0, id).await?))
}

/// Download an attachment of a bulletin that reaches me.
#[utoipa::path(get, path = "/me/bulletins/{id}/attachments/{attachment_id}", tag = "portal",
    params(("id" = honglian_domain::RecordId, Path), ("attachment_id" = honglian_domain::RecordId, Path)),
    responses((status = 200, description = "the file"), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn my_bulletin_file(State(s): State<AppState>, auth: Auth, Ids(id, file): Ids) -> ApiResult<Response> {
    let (meta, bytes) = s.app.my_bulletin_file(&auth.0, id, file).await?;
    Ok(crate::http::file_response(&meta.content_type, &meta.filename, bytes))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(bulletin_list, bulletin_create))
        .routes(routes!(bulletin_get, bulletin_update))
        .routes(routes!(bulletin_withdraw))
        .routes(routes!(bulletin_file_add))
        .routes(routes!(bulletin_file_get, bulletin_file_remove))
        .routes(routes!(my_bulletins))
        .routes(routes!(my_bulletin))
        .routes(routes!(my_bulletin_file))
}
