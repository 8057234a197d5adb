//! Brand projects and the 百千万提升工程 cultivation targets.

use axum::extract::State;
use axum::http::StatusCode;
use honglian_app::goals::brands::{BrandGallery, BrandInput, BrandQuery, BrandView};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Id, Json, Query};

/// The gallery of brand projects of a subtree for a year (cultivation targets first).
#[utoipa::path(get, path = "/brand-projects", tag = "brands", params(BrandQuery), responses((status = 200, body = BrandGallery)))]
async fn brand_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<BrandQuery>,
) -> ApiResult<axum::Json<BrandGallery>> {
    Ok(axum::Json(s.app.brand_list(&auth.0, q).await?))
}

/// Register a brand project (1–2 per organisation and year).
#[utoipa::path(post, path = "/brand-projects", tag = "brands", request_body = BrandInput,
    responses((status = 201, body = BrandView), (status = 422, body = Problem)))]
async fn brand_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<BrandInput>,
) -> ApiResult<(StatusCode, axum::Json<BrandView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.brand_create(&auth.0, b).await?)))
}

/// Edit a brand project: deliverables done; county admins mark cultivation targets.
#[utoipa::path(patch, path = "/brand-projects/{id}", tag = "brands", params(("id" = honglian_domain::RecordId, Path)), request_body = BrandInput,
    responses((status = 200, body = BrandView), (status = 422, body = Problem)))]
async fn brand_update(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<BrandInput>,
) -> ApiResult<axum::Json<BrandView>> {
    Ok(axum::Json(s.app.brand_update(&auth.0, id, b).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(brand_list, brand_create)).routes(routes!(brand_update))
}
