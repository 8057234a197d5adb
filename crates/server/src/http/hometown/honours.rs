//! 先锋工程: honours campaigns, quotas, nominations with their reviews and objections, the notice and the
//! award, the published lists, and the honours on members' and organisations' records.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use honglian_app::hometown::care::{ObjectionHandling, ObjectionInput};
use honglian_app::hometown::honours::{
    AwardInput, CampaignDetail, CampaignInput, HonourCampaign, HonourRecord, HonourReviewInput, HonourSettings,
    MyHonours, NominationDetail, NominationInput, QuotasInput, WithdrawalInput,
};
use honglian_app::platform::report::ReportFormat;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::download::export_response;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Ids, Json};
use crate::http::{AppState, ListResponse, list};

/// The honours campaigns run by my organisations or above them, the latest first.
#[utoipa::path(get, path = "/honour-campaigns", tag = "hometown", responses((status = 200, body = ListResponse<HonourCampaign>)))]
async fn honour_campaign_list(
    State(s): State<AppState>,
    auth: Auth,
) -> ApiResult<axum::Json<ListResponse<HonourCampaign>>> {
    Ok(list(s.app.campaign_list(&auth.0).await?))
}

/// Start an honours campaign (两优一先 unless other honours are given).
#[utoipa::path(post, path = "/honour-campaigns", tag = "hometown", request_body = CampaignInput,
    responses((status = 201, body = CampaignDetail), (status = 422, body = Problem)))]
async fn honour_campaign_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(c): Json<CampaignInput>,
) -> ApiResult<(StatusCode, axum::Json<CampaignDetail>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.campaign_create(&auth.0, c).await?)))
}

/// One campaign: its honours and quotas, the nominations I read, the published list.
#[utoipa::path(get, path = "/honour-campaigns/{id}", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = CampaignDetail), (status = 404, body = Problem)))]
async fn honour_campaign_get(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
) -> ApiResult<axum::Json<CampaignDetail>> {
    Ok(axum::Json(s.app.campaign_get(&auth.0, id).await?))
}

/// Set the quotas per honour and organisation (the campaign's organisation, while it takes nominations).
#[utoipa::path(put, path = "/honour-campaigns/{id}/quotas", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)), request_body = QuotasInput,
    responses((status = 200, body = CampaignDetail), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn honour_quotas_set(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(q): Json<QuotasInput>,
) -> ApiResult<axum::Json<CampaignDetail>> {
    Ok(axum::Json(s.app.campaign_quotas_set(&auth.0, id, q).await?))
}

/// Publish the recommended nominations: the public notice runs for the county's working days.
#[utoipa::path(post, path = "/honour-campaigns/{id}/notice", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = CampaignDetail), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn honour_notice(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<CampaignDetail>> {
    Ok(axum::Json(s.app.campaign_notice(&auth.0, id).await?))
}

/// Award those on notice (after the notice, every objection handled).
#[utoipa::path(post, path = "/honour-campaigns/{id}/award", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)), request_body = AwardInput,
    responses((status = 200, body = CampaignDetail), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn honour_award(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(a): Json<AwardInput>,
) -> ApiResult<axum::Json<CampaignDetail>> {
    Ok(axum::Json(s.app.campaign_award(&auth.0, id, a).await?))
}

/// The notice list or, after the award, the award list as print-ready xlsx (audited).
#[utoipa::path(get, path = "/honour-campaigns/{id}/list.xlsx", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, description = "xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn honour_list_xlsx(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Response> {
    Ok(export_response(s.app.campaign_list_file(&auth.0, id, ReportFormat::Xlsx).await?, ReportFormat::Xlsx))
}

/// The notice list or, after the award, the award list as a print-ready PDF (audited).
#[utoipa::path(get, path = "/honour-campaigns/{id}/list.pdf", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, description = "PDF", content_type = "application/pdf"), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn honour_list_pdf(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Response> {
    Ok(export_response(s.app.campaign_list_file(&auth.0, id, ReportFormat::Pdf).await?, ReportFormat::Pdf))
}

/// Nominate a member or an organisation (after the meeting's vote); reviewed level by level from here.
#[utoipa::path(post, path = "/honour-nominations", tag = "hometown", request_body = NominationInput,
    responses((status = 201, body = NominationDetail), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn honour_nominate(
    State(s): State<AppState>,
    auth: Auth,
    Json(n): Json<NominationInput>,
) -> ApiResult<(StatusCode, axum::Json<NominationDetail>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.nomination_create(&auth.0, n).await?)))
}

/// One nomination with its reviews and objections.
#[utoipa::path(get, path = "/honour-nominations/{id}", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = NominationDetail), (status = 404, body = Problem)))]
async fn honour_nomination_get(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
) -> ApiResult<axum::Json<NominationDetail>> {
    Ok(axum::Json(s.app.nomination_get(&auth.0, id).await?))
}

/// Review a nomination for the level it waits at: up to the next level, recommended, or not passed.
#[utoipa::path(post, path = "/honour-nominations/{id}/review", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)), request_body = HonourReviewInput,
    responses((status = 200, body = NominationDetail), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn honour_review(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(r): Json<HonourReviewInput>,
) -> ApiResult<axum::Json<NominationDetail>> {
    Ok(axum::Json(s.app.nomination_review(&auth.0, id, r).await?))
}

/// Record an objection received during the public notice.
#[utoipa::path(post, path = "/honour-nominations/{id}/objections", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)), request_body = ObjectionInput,
    responses((status = 200, body = NominationDetail), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn honour_objection_add(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(o): Json<ObjectionInput>,
) -> ApiResult<axum::Json<NominationDetail>> {
    Ok(axum::Json(s.app.nomination_objection_add(&auth.0, id, o).await?))
}

/// Handle an objection (the campaign's organisation); one that holds stops the nomination.
#[utoipa::path(post, path = "/honour-nominations/{id}/objections/{objection_id}", tag = "hometown",
    params(("id" = honglian_domain::RecordId, Path), ("objection_id" = honglian_domain::RecordId, Path)), request_body = ObjectionHandling,
    responses((status = 200, body = NominationDetail), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn honour_objection_handle(
    State(s): State<AppState>,
    auth: Auth,
    Ids(id, objection): Ids,
    Json(h): Json<ObjectionHandling>,
) -> ApiResult<axum::Json<NominationDetail>> {
    Ok(axum::Json(s.app.nomination_objection_handle(&auth.0, id, objection, h).await?))
}

/// Withdraw a nomination (the nominating organisation, before the notice) or an award (the campaign's
/// organisation): kept and marked.
#[utoipa::path(post, path = "/honour-nominations/{id}/withdrawal", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)), request_body = WithdrawalInput,
    responses((status = 200, body = NominationDetail), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn honour_withdraw(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(w): Json<WithdrawalInput>,
) -> ApiResult<axum::Json<NominationDetail>> {
    Ok(axum::Json(s.app.nomination_withdraw(&auth.0, id, w).await?))
}

/// A member's honours (a withdrawn one marked).
#[utoipa::path(get, path = "/members/{id}/honours", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = ListResponse<HonourRecord>), (status = 404, body = Problem)))]
async fn member_honours(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
) -> ApiResult<axum::Json<ListResponse<HonourRecord>>> {
    Ok(list(s.app.member_honours(&auth.0, id).await?))
}

/// An organisation's honours (a withdrawn one marked).
#[utoipa::path(get, path = "/orgs/{id}/honours", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = ListResponse<HonourRecord>), (status = 404, body = Problem)))]
async fn org_honours(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
) -> ApiResult<axum::Json<ListResponse<HonourRecord>>> {
    Ok(list(s.app.org_honours(&auth.0, id).await?))
}

/// My honours, and the public notices of my organisations' campaigns.
#[utoipa::path(get, path = "/me/honours", tag = "portal", responses((status = 200, body = MyHonours)))]
async fn my_honours(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<MyHonours>> {
    Ok(axum::Json(s.app.my_honours(&auth.0).await?))
}

/// My county's working days of an honours notice.
#[utoipa::path(get, path = "/honour-settings", tag = "hometown", responses((status = 200, body = HonourSettings)))]
async fn honour_settings_get(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<HonourSettings>> {
    Ok(axum::Json(s.app.honour_settings(&auth.0).await?))
}

/// Set my county's working days of an honours notice (county admins).
#[utoipa::path(put, path = "/honour-settings", tag = "hometown", request_body = HonourSettings,
    responses((status = 200, body = HonourSettings), (status = 422, body = Problem)))]
async fn honour_settings_set(
    State(s): State<AppState>,
    auth: Auth,
    Json(v): Json<HonourSettings>,
) -> ApiResult<axum::Json<HonourSettings>> {
    Ok(axum::Json(s.app.honour_settings_set(&auth.0, v).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(honour_campaign_list, honour_campaign_create))
        .routes(routes!(honour_campaign_get))
        .routes(routes!(honour_quotas_set))
        .routes(routes!(honour_notice))
        .routes(routes!(honour_award))
        .routes(routes!(honour_list_xlsx))
        .routes(routes!(honour_list_pdf))
        .routes(routes!(honour_nominate))
        .routes(routes!(honour_nomination_get))
        .routes(routes!(honour_review))
        .routes(routes!(honour_objection_add))
        .routes(routes!(honour_objection_handle))
        .routes(routes!(honour_withdraw))
        .routes(routes!(member_honours))
        .routes(routes!(org_honours))
        .routes(routes!(my_honours))
        .routes(routes!(honour_settings_get, honour_settings_set))
}
