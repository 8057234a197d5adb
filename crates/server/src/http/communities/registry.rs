//! Communities: regional organisations and chain alliances, member organisations, part-time members, the rota.

use axum::extract::State;
use axum::http::StatusCode;
use honglian_app::communities::registry::{
    CommunityDetail, CommunityMemberInput, CommunityView, HandoverInput, PartTimeMemberInput, PartTimeMemberView,
    RoleLabel, RotaList, RotaQuery, RotaSettingsInput, RotaView, SecretaryInput, SwapInput,
};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Ids, Json, Query};
use crate::http::{AppState, ListResponse, list};

/// Regional committees and chain alliances I see (as their organisation or as a member of them).
#[utoipa::path(get, path = "/communities", tag = "communities", responses((status = 200, body = ListResponse<CommunityView>)))]
async fn community_list(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<ListResponse<CommunityView>>> {
    Ok(list(s.app.community_list(&auth.0, honglian_store::repo::communities::registry::COMMUNITY_KINDS).await?))
}

/// Industry-chain alliances I see.
#[utoipa::path(get, path = "/alliances", tag = "communities", responses((status = 200, body = ListResponse<CommunityView>)))]
async fn alliance_list(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<ListResponse<CommunityView>>> {
    Ok(list(s.app.community_list(&auth.0, &["chain_alliance"]).await?))
}

/// A community: member organisations by role, part-time committee members, the rota.
#[utoipa::path(get, path = "/communities/{id}", tag = "communities", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = CommunityDetail), (status = 404, body = Problem)))]
async fn community_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<CommunityDetail>> {
    Ok(axum::Json(s.app.community_get(&auth.0, id).await?))
}

/// Add an organisation (from anywhere in the tree) to the community, or change its role.
#[utoipa::path(put, path = "/communities/{id}/members", tag = "communities", params(("id" = honglian_domain::RecordId, Path)), request_body = CommunityMemberInput,
    responses((status = 200, body = CommunityDetail), (status = 422, body = Problem)))]
async fn community_member_put(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<CommunityMemberInput>,
) -> ApiResult<axum::Json<CommunityDetail>> {
    s.app.community_member_put(&auth.0, id, b).await?;
    Ok(axum::Json(s.app.community_get(&auth.0, id).await?))
}

/// Remove an organisation from the community (it stays where it is in the tree).
#[utoipa::path(delete, path = "/communities/{id}/members/{org_id}", tag = "communities", params(("id" = honglian_domain::RecordId, Path), ("org_id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = CommunityDetail), (status = 404, body = Problem)))]
async fn community_member_remove(
    State(s): State<AppState>,
    auth: Auth,
    Ids(id, org): Ids,
) -> ApiResult<axum::Json<CommunityDetail>> {
    s.app.community_member_remove(&auth.0, id, org).await?;
    Ok(axum::Json(s.app.community_get(&auth.0, id).await?))
}

/// Add a part-time committee member (兼职委员) from a resident unit or department.
#[utoipa::path(post, path = "/communities/{id}/part-time-members", tag = "communities", params(("id" = honglian_domain::RecordId, Path)), request_body = PartTimeMemberInput,
    responses((status = 201, body = PartTimeMemberView), (status = 422, body = Problem)))]
async fn part_time_member_add(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<PartTimeMemberInput>,
) -> ApiResult<(StatusCode, axum::Json<PartTimeMemberView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.part_time_member_add(&auth.0, id, b).await?)))
}

/// The "2+1+X+N" role labels.
#[utoipa::path(get, path = "/community-roles", tag = "communities", responses((status = 200, body = Vec<RoleLabel>)))]
async fn roles_get(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<Vec<RoleLabel>>> {
    auth.0.actor()?.require(honglian_domain::platform::authz::Permission::OrgRead)?;
    Ok(axum::Json(s.app.community_role_labels(&auth.0).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RoleLabelInput {
    pub role: String,
    pub label: String,
}

/// Rename the "2+1+X+N" roles (county admin).
#[utoipa::path(put, path = "/community-roles", tag = "communities", request_body = Vec<RoleLabelInput>,
    responses((status = 200, body = Vec<RoleLabel>), (status = 422, body = Problem)))]
async fn roles_put(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<Vec<RoleLabelInput>>,
) -> ApiResult<axum::Json<Vec<RoleLabel>>> {
    let labels = b.into_iter().map(|l| RoleLabel { role: l.role, label: l.label }).collect();
    Ok(axum::Json(s.app.set_community_role_labels(&auth.0, labels).await?))
}

/// The rota of rotating secretaries: the terms overlapping [from, to].
#[utoipa::path(get, path = "/alliances/{id}/rota", tag = "communities", params(("id" = honglian_domain::RecordId, Path), RotaQuery),
    responses((status = 200, body = RotaList), (status = 404, body = Problem)))]
async fn rota_get(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Query(q): Query<RotaQuery>,
) -> ApiResult<axum::Json<RotaList>> {
    Ok(axum::Json(s.app.rota_list(&auth.0, id, q).await?))
}

/// Set when the rota starts and how many months a term lasts (2 by default).
#[utoipa::path(put, path = "/alliances/{id}/rota", tag = "communities", params(("id" = honglian_domain::RecordId, Path)), request_body = RotaSettingsInput,
    responses((status = 200, body = RotaView), (status = 422, body = Problem)))]
async fn rota_put(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<RotaSettingsInput>,
) -> ApiResult<axum::Json<RotaView>> {
    Ok(axum::Json(s.app.rota_settings(&auth.0, id, b).await?))
}

/// Name a rotating secretary (joins the end of the rota).
#[utoipa::path(post, path = "/alliances/{id}/secretaries", tag = "communities", params(("id" = honglian_domain::RecordId, Path)), request_body = SecretaryInput,
    responses((status = 200, body = RotaView), (status = 422, body = Problem)))]
async fn secretary_add(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<SecretaryInput>,
) -> ApiResult<axum::Json<RotaView>> {
    Ok(axum::Json(s.app.secretary_add(&auth.0, id, b).await?))
}

/// Swap: another secretary takes a term, with a reason (audited).
#[utoipa::path(post, path = "/alliances/{id}/swaps", tag = "communities", params(("id" = honglian_domain::RecordId, Path)), request_body = SwapInput,
    responses((status = 200, body = RotaView), (status = 422, body = Problem)))]
async fn rota_swap(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<SwapInput>,
) -> ApiResult<axum::Json<RotaView>> {
    Ok(axum::Json(s.app.rota_swap(&auth.0, id, b).await?))
}

/// A hand-over note for a term.
#[utoipa::path(post, path = "/alliances/{id}/handovers", tag = "communities", params(("id" = honglian_domain::RecordId, Path)), request_body = HandoverInput,
    responses((status = 200, body = RotaView), (status = 422, body = Problem)))]
async fn handover_add(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<HandoverInput>,
) -> ApiResult<axum::Json<RotaView>> {
    Ok(axum::Json(s.app.handover_add(&auth.0, id, b).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(community_list))
        .routes(routes!(alliance_list))
        .routes(routes!(community_get))
        .routes(routes!(community_member_put))
        .routes(routes!(community_member_remove))
        .routes(routes!(part_time_member_add))
        .routes(routes!(roles_get, roles_put))
        .routes(routes!(rota_get, rota_put))
        .routes(routes!(secretary_add))
        .routes(routes!(rota_swap))
        .routes(routes!(handover_add))
}
