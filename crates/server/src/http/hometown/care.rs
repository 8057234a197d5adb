//! 关爱工程: donations and thank-you letters, students' applications with their steps and objections,
//! the fund's ledger and annual report.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use honglian_app::hometown::care::{
    AidDetail, AidInput, AidPage, AidStepInput, CareQuery, CareSettings, DonationInput, DonationPage, DonationQuery,
    DonationView, FundLedger, ObjectionHandling, ObjectionInput, VoidInput,
};
use honglian_app::platform::report::ReportFormat;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::download::export_response;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Ids, Json, Query};

/// The donations raised by my organisations, the latest first.
#[utoipa::path(get, path = "/care-donations", tag = "hometown", params(DonationQuery), responses((status = 200, body = DonationPage)))]
async fn donation_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<DonationQuery>,
) -> ApiResult<axum::Json<DonationPage>> {
    Ok(axum::Json(s.app.donation_list(&auth.0, q).await?))
}

/// Record a donation to the care fund.
#[utoipa::path(post, path = "/care-donations", tag = "hometown", request_body = DonationInput,
    responses((status = 201, body = DonationView), (status = 422, body = Problem)))]
async fn donation_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(d): Json<DonationInput>,
) -> ApiResult<(StatusCode, axum::Json<DonationView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.donation_create(&auth.0, d).await?)))
}

/// Void a donation entered by mistake (the fund committee, with a reason): kept, no longer counted.
#[utoipa::path(post, path = "/care-donations/{id}/void", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)), request_body = VoidInput,
    responses((status = 200, body = DonationView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn donation_void(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(v): Json<VoidInput>,
) -> ApiResult<axum::Json<DonationView>> {
    Ok(axum::Json(s.app.donation_void(&auth.0, id, v).await?))
}

/// The thank-you letter of a donation (PDF, audited).
#[utoipa::path(get, path = "/care-donations/{id}/letter.pdf", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, description = "PDF", content_type = "application/pdf"), (status = 404, body = Problem)))]
async fn donation_letter(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<Response> {
    Ok(export_response(s.app.donation_letter(&auth.0, id).await?, ReportFormat::Pdf))
}

/// The students' applications of my organisations, those waiting first.
#[utoipa::path(get, path = "/care-aids", tag = "hometown", params(CareQuery), responses((status = 200, body = AidPage)))]
async fn aid_list(State(s): State<AppState>, auth: Auth, Query(q): Query<CareQuery>) -> ApiResult<axum::Json<AidPage>> {
    Ok(axum::Json(s.app.aid_list(&auth.0, q).await?))
}

/// Propose a student (the branch).
#[utoipa::path(post, path = "/care-aids", tag = "hometown", request_body = AidInput,
    responses((status = 201, body = AidDetail), (status = 422, body = Problem)))]
async fn aid_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(a): Json<AidInput>,
) -> ApiResult<(StatusCode, axum::Json<AidDetail>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.aid_create(&auth.0, a).await?)))
}

/// One application with its objections.
#[utoipa::path(get, path = "/care-aids/{id}", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = AidDetail), (status = 404, body = Problem)))]
async fn aid_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<AidDetail>> {
    Ok(axum::Json(s.app.aid_get(&auth.0, id).await?))
}

/// Review (the branch), decide (the committee: the public notice starts) or pay (after the notice).
#[utoipa::path(post, path = "/care-aids/{id}/steps", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)), request_body = AidStepInput,
    responses((status = 200, body = AidDetail), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn aid_step(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(st): Json<AidStepInput>,
) -> ApiResult<axum::Json<AidDetail>> {
    Ok(axum::Json(s.app.aid_step(&auth.0, id, st).await?))
}

/// Record an objection received during the public notice.
#[utoipa::path(post, path = "/care-aids/{id}/objections", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)), request_body = ObjectionInput,
    responses((status = 200, body = AidDetail), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn objection_add(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(o): Json<ObjectionInput>,
) -> ApiResult<axum::Json<AidDetail>> {
    Ok(axum::Json(s.app.aid_objection_add(&auth.0, id, o).await?))
}

/// Handle an objection (the committee); one that holds stops the aid.
#[utoipa::path(post, path = "/care-aids/{id}/objections/{objection_id}", tag = "hometown",
    params(("id" = honglian_domain::RecordId, Path), ("objection_id" = honglian_domain::RecordId, Path)), request_body = ObjectionHandling,
    responses((status = 200, body = AidDetail), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn objection_handle(
    State(s): State<AppState>,
    auth: Auth,
    Ids(id, objection): Ids,
    Json(h): Json<ObjectionHandling>,
) -> ApiResult<axum::Json<AidDetail>> {
    Ok(axum::Json(s.app.aid_objection_handle(&auth.0, id, objection, h).await?))
}

/// Next year's application of a paid one (nothing typed again).
#[utoipa::path(post, path = "/care-aids/{id}/renewal", tag = "hometown", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 201, body = AidDetail), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn aid_renew(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
) -> ApiResult<(StatusCode, axum::Json<AidDetail>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.aid_renew(&auth.0, id).await?)))
}

/// The fund's ledger by year over my organisations: raised, paid, students, the balance.
#[utoipa::path(get, path = "/care-fund/ledger", tag = "hometown", responses((status = 200, body = FundLedger)))]
async fn care_ledger(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<FundLedger>> {
    Ok(axum::Json(s.app.care_ledger(&auth.0).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ReportQuery {
    year: honglian_domain::Year,
}

/// A year's report of the fund as print-ready xlsx (audited).
#[utoipa::path(get, path = "/care-fund/report.xlsx", tag = "hometown", params(ReportQuery),
    responses((status = 200, description = "xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
async fn care_report_xlsx(State(s): State<AppState>, auth: Auth, Query(q): Query<ReportQuery>) -> ApiResult<Response> {
    Ok(export_response(s.app.care_report(&auth.0, q.year, ReportFormat::Xlsx).await?, ReportFormat::Xlsx))
}

/// A year's report of the fund as a print-ready PDF (audited).
#[utoipa::path(get, path = "/care-fund/report.pdf", tag = "hometown", params(ReportQuery),
    responses((status = 200, description = "PDF", content_type = "application/pdf")))]
async fn care_report_pdf(State(s): State<AppState>, auth: Auth, Query(q): Query<ReportQuery>) -> ApiResult<Response> {
    Ok(export_response(s.app.care_report(&auth.0, q.year, ReportFormat::Pdf).await?, ReportFormat::Pdf))
}

/// My county's working days of public notice.
#[utoipa::path(get, path = "/care-fund/settings", tag = "hometown", responses((status = 200, body = CareSettings)))]
async fn care_settings_get(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<CareSettings>> {
    Ok(axum::Json(s.app.care_settings(&auth.0).await?))
}

/// Set my county's working days of public notice (county admins).
#[utoipa::path(put, path = "/care-fund/settings", tag = "hometown", request_body = CareSettings,
    responses((status = 200, body = CareSettings), (status = 422, body = Problem)))]
async fn care_settings_set(
    State(s): State<AppState>,
    auth: Auth,
    Json(v): Json<CareSettings>,
) -> ApiResult<axum::Json<CareSettings>> {
    Ok(axum::Json(s.app.care_settings_set(&auth.0, v).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(donation_list, donation_create))
        .routes(routes!(donation_letter))
        .routes(routes!(donation_void))
        .routes(routes!(aid_list, aid_create))
        .routes(routes!(aid_get))
        .routes(routes!(aid_step))
        .routes(routes!(objection_add))
        .routes(routes!(objection_handle))
        .routes(routes!(aid_renew))
        .routes(routes!(care_ledger))
        .routes(routes!(care_report_xlsx))
        .routes(routes!(care_report_pdf))
        .routes(routes!(care_settings_get, care_settings_set))
}
