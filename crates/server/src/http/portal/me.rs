//! 我的: the signed-in member's own record, their branch, where they are and their card.

use axum::extract::State;
use honglian_app::members::registry::Unmasked;
use honglian_app::portal::me::MyProfile;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::Auth;

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

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(my_profile)).routes(routes!(my_unmask))
}
