//! Mobile members: outflow / return / inflow, mobility history, contacts, lost contact, suspension proposals.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use honglian_app::members::mobility::{
    ContactInput, ContactView, InflowInput, LostQuery, LostView, MobilityView, OutflowInput, ReturnInput,
};
use honglian_app::members::suspension::{DecisionInput, ProposalInput, ProposalView};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Ids, Json, Query};
use crate::http::{AppState, ListResponse};

/// Register an outflow (外出登记) for a member of my organisation.
#[utoipa::path(post, path = "/outflows", tag = "mobility", request_body = OutflowInput,
    responses((status = 201, body = MobilityView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn outflow_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<OutflowInput>,
) -> ApiResult<(StatusCode, axum::Json<MobilityView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.outflow_create(&auth.0, b).await?)))
}

/// Register the member's return (回归), closing the outflow.
#[utoipa::path(post, path = "/outflows/{id}/return", tag = "mobility", params(("id" = honglian_domain::RecordId, Path)), request_body = ReturnInput,
    responses((status = 200, body = MobilityView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn outflow_return(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<ReturnInput>,
) -> ApiResult<axum::Json<MobilityView>> {
    Ok(axum::Json(s.app.outflow_return(&auth.0, id, b).await?))
}

/// Register an inflow (流入): a member from elsewhere taking part here.
#[utoipa::path(post, path = "/inflows", tag = "mobility", request_body = InflowInput,
    responses((status = 201, body = MobilityView), (status = 422, body = Problem)))]
async fn inflow_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<InflowInput>,
) -> ApiResult<(StatusCode, axum::Json<MobilityView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.inflow_create(&auth.0, b).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct InflowEnd {
    pub ended_on: NaiveDate,
    pub note: Option<String>,
}

/// End an inflow (the member left).
#[utoipa::path(post, path = "/inflows/{id}/end", tag = "mobility", params(("id" = honglian_domain::RecordId, Path)), request_body = InflowEnd,
    responses((status = 200, body = MobilityView), (status = 422, body = Problem)))]
async fn inflow_end(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<InflowEnd>,
) -> ApiResult<axum::Json<MobilityView>> {
    Ok(axum::Json(s.app.inflow_end(&auth.0, id, b.ended_on, b.note).await?))
}

/// A member's mobility history, newest first.
#[utoipa::path(get, path = "/members/{id}/mobility", tag = "mobility", params(("id" = honglian_domain::RecordId, Path)), responses((status = 200, body = ListResponse<MobilityView>)))]
async fn member_mobility(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
) -> ApiResult<axum::Json<ListResponse<MobilityView>>> {
    let items = s.app.member_mobility(&auth.0, id).await?;
    Ok(axum::Json(ListResponse { total: items.len() as u64, items }))
}

/// A member's contact log.
#[utoipa::path(get, path = "/members/{id}/contacts", tag = "mobility", params(("id" = honglian_domain::RecordId, Path)), responses((status = 200, body = ListResponse<ContactView>)))]
async fn contact_list(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
) -> ApiResult<axum::Json<ListResponse<ContactView>>> {
    let items = s.app.contact_list(&auth.0, id).await?;
    Ok(axum::Json(ListResponse { total: items.len() as u64, items }))
}

/// Log a contact (call, visit, WeChat, greeting, census); reaching the member clears 失联.
#[utoipa::path(post, path = "/members/{id}/contacts", tag = "mobility", params(("id" = honglian_domain::RecordId, Path)), request_body = ContactInput,
    responses((status = 201, body = ContactView), (status = 422, body = Problem)))]
async fn contact_add(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<ContactInput>,
) -> ApiResult<(StatusCode, axum::Json<ContactView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.contact_add(&auth.0, id, b).await?)))
}

/// Proposals about a lost member (suspension, removal) with how each ended.
#[utoipa::path(get, path = "/members/{id}/suspension-proposals", tag = "mobility", params(("id" = honglian_domain::RecordId, Path)), responses((status = 200, body = ListResponse<ProposalView>)))]
async fn proposals(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
) -> ApiResult<axum::Json<ListResponse<ProposalView>>> {
    let items = s.app.proposals_of(&auth.0, id).await?;
    Ok(axum::Json(ListResponse { total: items.len() as u64, items }))
}

/// Propose suspending a lost member, or removing one suspended two years ago (the member's own
/// organisation); nothing changes until the level above approves.
#[utoipa::path(post, path = "/members/{id}/suspension-proposals", tag = "mobility", params(("id" = honglian_domain::RecordId, Path)), request_body = ProposalInput,
    responses((status = 201, body = ProposalView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn propose(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<ProposalInput>,
) -> ApiResult<(StatusCode, axum::Json<ProposalView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.propose_suspension(&auth.0, id, b).await?)))
}

/// Approve (the member's status changes) or decline a proposal (the level above the member's organisation).
#[utoipa::path(post, path = "/members/{id}/suspension-proposals/{proposal_id}/decision", tag = "mobility",
    params(("id" = honglian_domain::RecordId, Path), ("proposal_id" = honglian_domain::RecordId, Path)), request_body = DecisionInput,
    responses((status = 200, body = ProposalView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn decide(
    State(s): State<AppState>,
    auth: Auth,
    Ids(id, proposal): Ids,
    Json(b): Json<DecisionInput>,
) -> ApiResult<axum::Json<ProposalView>> {
    Ok(axum::Json(s.app.proposal_decide(&auth.0, id, proposal, b).await?))
}

/// Mobile members not contacted for 6 months (失联), longest first.
#[utoipa::path(get, path = "/lost-contacts", tag = "mobility", params(LostQuery), responses((status = 200, body = ListResponse<LostView>)))]
async fn lost(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<LostQuery>,
) -> ApiResult<axum::Json<ListResponse<LostView>>> {
    Ok(axum::Json(s.app.lost_list(&auth.0, q).await?.into()))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(outflow_create))
        .routes(routes!(outflow_return))
        .routes(routes!(inflow_create))
        .routes(routes!(inflow_end))
        .routes(routes!(member_mobility))
        .routes(routes!(contact_list, contact_add))
        .routes(routes!(proposals, propose))
        .routes(routes!(decide))
        .routes(routes!(lost))
}
