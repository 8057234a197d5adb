//! Outflow reports (外出报备): the member's own reports and the home organisation's queue.

use axum::extract::State;
use axum::http::StatusCode;
use honglian_app::members::mobility::MobilityView;
use honglian_app::members::reports::{
    OutflowReportInput, OutflowReportView, ReportConfirm, ReportDecline, ReportQuery, ReturnReportInput,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Json, Query};
use crate::http::{AppState, ListResponse};

/// Report that I am leaving (a member): it waits for my branch to confirm it into the outflow ledger.
#[utoipa::path(post, path = "/me/outflow-reports", tag = "mobility", request_body = OutflowReportInput,
    responses((status = 201, body = OutflowReportView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn report_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<OutflowReportInput>,
) -> ApiResult<(StatusCode, axum::Json<OutflowReportView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.report_create(&auth.0, b).await?)))
}

/// Report that I am back (a member away): it waits for my branch to confirm the return into the ledger.
#[utoipa::path(post, path = "/me/return-reports", tag = "mobility", request_body = ReturnReportInput,
    responses((status = 201, body = OutflowReportView), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn report_return(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<ReturnReportInput>,
) -> ApiResult<(StatusCode, axum::Json<OutflowReportView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.report_return(&auth.0, b).await?)))
}

/// My outflow reports and where each stands, newest first.
#[utoipa::path(get, path = "/me/outflow-reports", tag = "mobility", responses((status = 200, body = ListResponse<OutflowReportView>)))]
async fn my_reports(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<ListResponse<OutflowReportView>>> {
    Ok(crate::http::list(s.app.my_reports(&auth.0).await?))
}

/// The queue of reports from the members I manage (home organisation), oldest waiting first.
#[utoipa::path(get, path = "/outflow-reports", tag = "mobility", params(ReportQuery), responses((status = 200, body = ListResponse<OutflowReportView>)))]
async fn report_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<ReportQuery>,
) -> ApiResult<axum::Json<ListResponse<OutflowReportView>>> {
    Ok(axum::Json(s.app.report_list(&auth.0, q).await?.into()))
}

/// Confirm a report into the outflow ledger (creates the outflow record from it).
#[utoipa::path(post, path = "/outflow-reports/{id}/confirm", tag = "mobility", params(("id" = honglian_domain::RecordId, Path)), request_body = ReportConfirm,
    responses((status = 200, body = MobilityView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn report_confirm(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<ReportConfirm>,
) -> ApiResult<axum::Json<MobilityView>> {
    Ok(axum::Json(s.app.report_confirm(&auth.0, id, b).await?))
}

/// Decline a report with a reason the member sees.
#[utoipa::path(post, path = "/outflow-reports/{id}/decline", tag = "mobility", params(("id" = honglian_domain::RecordId, Path)), request_body = ReportDecline,
    responses((status = 200, body = OutflowReportView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn report_decline(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<ReportDecline>,
) -> ApiResult<axum::Json<OutflowReportView>> {
    Ok(axum::Json(s.app.report_decline(&auth.0, id, b).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(report_create, my_reports))
        .routes(routes!(report_return))
        .routes(routes!(report_list))
        .routes(routes!(report_confirm))
        .routes(routes!(report_decline))
}
