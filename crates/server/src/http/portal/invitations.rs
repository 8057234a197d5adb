//! Invitations to the member portal: made by a branch worker, opened by the member on their phone.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use honglian_app::portal::invitations::{
    Activation, InvitationBatch, InvitationCode, InvitationList, InvitationPreview, InvitationQuery, InvitationView,
    NewInvitations,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Client, Id, Json, Query};
use crate::http::platform::session::{SessionInfo, signed_in};

/// The invitations of my organisations, with counts by status and how many members have an account.
#[utoipa::path(get, path = "/invitations", tag = "portal", params(InvitationQuery),
    responses((status = 200, body = InvitationList), (status = 403, body = Problem)))]
async fn invitation_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<InvitationQuery>,
) -> ApiResult<axum::Json<InvitationList>> {
    Ok(axum::Json(s.app.invitation_list(&auth.0, q).await?))
}

/// Invite members by id, or everyone of an organisation (or its outflow ledger) not yet on the portal.
/// The codes are in this answer only: print them now.
#[utoipa::path(post, path = "/invitations", tag = "portal", request_body = NewInvitations,
    responses((status = 201, body = InvitationBatch), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn invitation_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<NewInvitations>,
) -> ApiResult<(StatusCode, axum::Json<InvitationBatch>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.invitation_create(&auth.0, b).await?)))
}

/// A new invitation in place of a lost, expired or locked one (the old one is voided); the code is in
/// this answer only.
#[utoipa::path(post, path = "/invitations/{id}/renew", tag = "portal", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 201, body = InvitationView), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn invitation_renew(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
) -> ApiResult<(StatusCode, axum::Json<InvitationView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.invitation_renew(&auth.0, id).await?)))
}

/// Void a pending invitation.
#[utoipa::path(post, path = "/invitations/{id}/revoke", tag = "portal", params(("id" = honglian_domain::RecordId, Path)),
    responses((status = 200, body = InvitationView), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn invitation_revoke(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<InvitationView>> {
    Ok(axum::Json(s.app.invitation_revoke(&auth.0, id).await?))
}

/// Whom an invitation code is for (name masked), before the member answers. No sign-in; the code is
/// sent in the body, never in a URL. Rate-limited per client like sign-in.
#[utoipa::path(post, path = "/invitations/preview", tag = "portal", request_body = InvitationCode,
    responses((status = 200, body = InvitationPreview), (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn invitation_preview(
    State(s): State<AppState>,
    Json(b): Json<InvitationCode>,
) -> ApiResult<axum::Json<InvitationPreview>> {
    Ok(axum::Json(s.app.invitation_preview(&b.code).await?))
}

/// Open an invitation: the code, the last six characters of my ID number, a username and a password.
/// Makes my account and signs me in. Rate-limited per client like sign-in; five wrong answers lock the
/// invitation.
#[utoipa::path(post, path = "/invitations/activate", tag = "portal", request_body = Activation,
    responses((status = 200, body = SessionInfo), (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn invitation_activate(
    State(state): State<AppState>,
    client: Client,
    Json(b): Json<Activation>,
) -> ApiResult<Response> {
    let ctx = honglian_app::Ctx { actor: None, ip: client.ip, user_agent: client.user_agent, wrote_at: None };
    let s = state.app.invitation_activate(&ctx, b).await?;
    Ok(signed_in(&state, s))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(invitation_list, invitation_create))
        .routes(routes!(invitation_renew))
        .routes(routes!(invitation_revoke))
        .routes(routes!(invitation_preview))
        .routes(routes!(invitation_activate))
}
