//! 发展党员: the pipeline board and roll-up, a recruit's twenty-five steps, the county's local rules,
//! a probationary member's own record on the phone.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use honglian_app::party_affairs::recruitment::{
    ProgressCode, ProgressQuery, RecruitDetail, RecruitExtensionInput, RecruitInput, RecruitPage, RecruitQuery,
    RecruitStepInput, RecruitStopInput, RecruitSummary, RecruitSummaryQuery, RecruitmentSettings,
};
use honglian_app::platform::report::ReportFormat;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::download::export_response;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Client, Id, Json, Query};

/// The people in the pipeline I see, by stage, or those with a step due soon.
#[utoipa::path(get, path = "/recruits", tag = "party_affairs", params(RecruitQuery),
    responses((status = 200, body = RecruitPage), (status = 404, body = Problem)))]
async fn recruit_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<RecruitQuery>,
) -> ApiResult<axum::Json<RecruitPage>> {
    Ok(axum::Json(s.app.recruit_list(&auth.0, q).await?))
}

/// The roster of the list's filters as print-ready xlsx (audited).
#[utoipa::path(get, path = "/recruits/roster.xlsx", tag = "party_affairs", params(RecruitQuery),
    responses((status = 200, description = "xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn recruit_roster_xlsx(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<RecruitQuery>,
) -> ApiResult<Response> {
    Ok(export_response(s.app.recruit_roster(&auth.0, q, ReportFormat::Xlsx).await?, ReportFormat::Xlsx))
}

/// The roster of the list's filters as a print-ready PDF (audited).
#[utoipa::path(get, path = "/recruits/roster.pdf", tag = "party_affairs", params(RecruitQuery),
    responses((status = 200, description = "PDF", content_type = "application/pdf"), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn recruit_roster_pdf(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<RecruitQuery>,
) -> ApiResult<Response> {
    Ok(export_response(s.app.recruit_roster(&auth.0, q, ReportFormat::Pdf).await?, ReportFormat::Pdf))
}

/// File an applicant with a branch (the application is step 1).
#[utoipa::path(post, path = "/recruits", tag = "party_affairs", request_body = RecruitInput,
    responses((status = 201, body = RecruitDetail), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn recruit_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(i): Json<RecruitInput>,
) -> ApiResult<(StatusCode, axum::Json<RecruitDetail>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.recruit_create(&auth.0, i).await?)))
}

/// A recruit and all twenty-five steps.
#[utoipa::path(get, path = "/recruits/{id}", tag = "party_affairs", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = RecruitDetail), (status = 404, body = Problem)))]
async fn recruit_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<RecruitDetail>> {
    Ok(axum::Json(s.app.recruit_get(&auth.0, id).await?))
}

/// Record the next step (the rules refuse one too early or past its limit, saying why).
#[utoipa::path(post, path = "/recruits/{id}/steps", tag = "party_affairs", params(("id" = honglian_domain::RecordId, Path)),
    request_body = RecruitStepInput,
    responses((status = 201, body = RecruitDetail), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn recruit_step(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(i): Json<RecruitStepInput>,
) -> ApiResult<(StatusCode, axum::Json<RecruitDetail>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.recruit_step(&auth.0, id, i).await?)))
}

/// Extend the probation (once, 6–12 months).
#[utoipa::path(post, path = "/recruits/{id}/extension", tag = "party_affairs", params(("id" = honglian_domain::RecordId, Path)),
    request_body = RecruitExtensionInput,
    responses((status = 200, body = RecruitDetail), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn recruit_extend(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(i): Json<RecruitExtensionInput>,
) -> ApiResult<axum::Json<RecruitDetail>> {
    Ok(axum::Json(s.app.recruit_extend(&auth.0, id, i).await?))
}

/// Stop the procedure before admission.
#[utoipa::path(post, path = "/recruits/{id}/stop", tag = "party_affairs", params(("id" = honglian_domain::RecordId, Path)),
    request_body = RecruitStopInput,
    responses((status = 200, body = RecruitDetail), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn recruit_stop(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(i): Json<RecruitStopInput>,
) -> ApiResult<axum::Json<RecruitDetail>> {
    Ok(axum::Json(s.app.recruit_stop(&auth.0, id, i).await?))
}

/// Who is at which stage, by branch and step.
#[utoipa::path(get, path = "/recruitment/summary", tag = "party_affairs", params(RecruitSummaryQuery),
    responses((status = 200, body = RecruitSummary), (status = 404, body = Problem)))]
async fn recruitment_summary(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<RecruitSummaryQuery>,
) -> ApiResult<axum::Json<RecruitSummary>> {
    Ok(axum::Json(s.app.recruitment_summary(&auth.0, q).await?))
}

/// My county's local rules of recruitment.
#[utoipa::path(get, path = "/recruitment/settings", tag = "party_affairs",
    responses((status = 200, body = RecruitmentSettings)))]
async fn recruitment_settings_get(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<RecruitmentSettings>> {
    Ok(axum::Json(s.app.recruitment_settings(&auth.0).await?))
}

/// Set my county's local rules of recruitment (county admins).
#[utoipa::path(put, path = "/recruitment/settings", tag = "party_affairs", request_body = RecruitmentSettings,
    responses((status = 200, body = RecruitmentSettings), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn recruitment_settings_set(
    State(s): State<AppState>,
    auth: Auth,
    Json(v): Json<RecruitmentSettings>,
) -> ApiResult<axum::Json<RecruitmentSettings>> {
    Ok(axum::Json(s.app.recruitment_settings_set(&auth.0, v).await?))
}

/// My own recruitment record (a probationary member: the probation and conversion), if any.
#[utoipa::path(get, path = "/me/recruitment", tag = "portal",
    responses((status = 200, body = Option<RecruitDetail>)))]
async fn my_recruitment(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<Option<RecruitDetail>>> {
    Ok(axum::Json(s.app.my_recruitment(&auth.0).await?))
}

/// A new code for the applicant to follow their own steps on the phone (replaces the old; shown once).
#[utoipa::path(post, path = "/recruits/{id}/progress-code", tag = "party_affairs", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = ProgressCode), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)))]
async fn recruit_progress_code(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
) -> ApiResult<axum::Json<ProgressCode>> {
    Ok(axum::Json(s.app.recruit_progress_code(&auth.0, id).await?))
}

/// An applicant's own steps, with the branch's code and the last six characters of the ID number. No
/// sign-in; the code in the body, never in a URL; rate-limited per client like sign-in; five wrong answers
/// close the code.
#[utoipa::path(post, path = "/recruitment/progress", tag = "portal", request_body = ProgressQuery,
    responses((status = 200, body = RecruitDetail), (status = 409, body = Problem), (status = 422, body = Problem),
        (status = 429, body = Problem)))]
async fn recruitment_progress(
    State(s): State<AppState>,
    client: Client,
    Json(q): Json<ProgressQuery>,
) -> ApiResult<axum::Json<RecruitDetail>> {
    let ctx = honglian_app::Ctx { actor: None, ip: client.ip, user_agent: client.user_agent, wrote_at: None };
    Ok(axum::Json(s.app.recruit_progress(&ctx, q).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(recruit_list, recruit_create))
        .routes(routes!(recruit_roster_xlsx))
        .routes(routes!(recruit_roster_pdf))
        .routes(routes!(recruit_get))
        .routes(routes!(recruit_step))
        .routes(routes!(recruit_extend))
        .routes(routes!(recruit_stop))
        .routes(routes!(recruitment_summary))
        .routes(routes!(recruitment_settings_get, recruitment_settings_set))
        .routes(routes!(my_recruitment))
        .routes(routes!(recruit_progress_code))
        .routes(routes!(recruitment_progress))
}
