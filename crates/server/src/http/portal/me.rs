//! 我的: the signed-in member's own record, their branch, where they are and their card.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use honglian_app::members::mobility::ContactView;
use honglian_app::members::registry::Unmasked;
use honglian_app::platform::report::ReportFormat;
use honglian_app::portal::me::{MyCensusAnswer, MyCensusQuestion, MyContactInput, MyProfile};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::download::export_response;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Json};

/// My own record (masked), my branch and its secretary, and while away the organisation receiving me and
/// my mobile-member card.
#[utoipa::path(get, path = "/me/profile", tag = "portal", responses((status = 200, body = MyProfile), (status = 403, body = Problem)))]
async fn my_profile(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<MyProfile>> {
    Ok(axum::Json(s.app.my_profile(&auth.0).await?))
}

/// My own ID number, phone and address in clear (audited; no reason asked of the member).
#[utoipa::path(post, path = "/me/profile/unmask", tag = "portal", responses((status = 200, body = Unmasked), (status = 403, body = Problem)))]
async fn my_unmask(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<Unmasked>> {
    Ok(axum::Json(s.app.my_unmask(&auth.0).await?))
}

/// 报平安: I am well (and, optionally, how and where): lands in my contact log and restarts the
/// lost-contact clock.
#[utoipa::path(post, path = "/me/contacts", tag = "portal", request_body = MyContactInput,
    responses((status = 201, body = ContactView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn my_contact(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<MyContactInput>,
) -> ApiResult<(StatusCode, axum::Json<ContactView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.my_contact(&auth.0, b).await?)))
}

/// The census questions (摸排) put to me in campaigns still open: where am I now, am I well.
#[utoipa::path(get, path = "/me/census", tag = "portal",
    responses((status = 200, body = Vec<MyCensusQuestion>), (status = 403, body = Problem)))]
async fn my_census(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<Vec<MyCensusQuestion>>> {
    Ok(axum::Json(s.app.my_census(&auth.0).await?))
}

/// My answer to a census question: recorded in the campaign as reached, and in my contact log (the
/// lost-contact clock starts again).
#[utoipa::path(put, path = "/me/census/{id}", tag = "portal", params(("id" = honglian_domain::RecordId, Path)),
    request_body = MyCensusAnswer,
    responses((status = 200, body = MyCensusQuestion), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn my_census_answer(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<MyCensusAnswer>,
) -> ApiResult<axum::Json<MyCensusQuestion>> {
    Ok(axum::Json(s.app.my_census_answer(&auth.0, id, b).await?))
}

/// A copy of everything kept about me (PIPL § 45) as xlsx: my record in clear, my outflows, contacts,
/// organisational life, reports, census answers and learning marks. Audited.
#[utoipa::path(get, path = "/me/data.xlsx", tag = "portal",
    responses((status = 200, description = "xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = Problem)))]
async fn my_data_xlsx(State(s): State<AppState>, auth: Auth) -> ApiResult<Response> {
    Ok(export_response(s.app.my_data(&auth.0, ReportFormat::Xlsx).await?, ReportFormat::Xlsx))
}

/// The same copy as a PDF (A4).
#[utoipa::path(get, path = "/me/data.pdf", tag = "portal",
    responses((status = 200, description = "PDF", content_type = "application/pdf"), (status = 403, body = Problem)))]
async fn my_data_pdf(State(s): State<AppState>, auth: Auth) -> ApiResult<Response> {
    Ok(export_response(s.app.my_data(&auth.0, ReportFormat::Pdf).await?, ReportFormat::Pdf))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_profile))
        .routes(routes!(my_unmask))
        .routes(routes!(my_contact))
        .routes(routes!(my_census))
        .routes(routes!(my_census_answer))
        .routes(routes!(my_data_xlsx))
        .routes(routes!(my_data_pdf))
}
