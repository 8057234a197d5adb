//! Member import: the template and the import itself (dry run, all or nothing, as a job).

use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use honglian_app::AppError;
use honglian_app::members::import::{ImportReport, JobView};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::download::attachment;
use crate::http::error::ApiResult;
use crate::http::extract::{Auth, Query};

/// The member import template (xlsx).
#[utoipa::path(get, path = "/imports/members/template.xlsx", tag = "imports",
    responses((status = 200, description = "xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
async fn import_template(auth: Auth) -> ApiResult<Response> {
    auth.actor().scope(honglian_domain::platform::authz::Permission::MemberWrite)?;
    Ok(attachment(honglian_app::members::import::template(), "党员信息导入模板.xlsx"))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Check only; write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Run in the background and answer 202 with a job to poll (for large files).
    #[serde(default)]
    pub background: bool,
}

#[derive(ToSchema)]
#[allow(dead_code)] // documents the multipart body
struct ImportUpload {
    /// An .xlsx or .csv file laid out like the template.
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: String,
}

async fn read_upload(mut mp: Multipart) -> Result<(Bytes, String), AppError> {
    while let Some(field) =
        mp.next_field().await.map_err(|e| AppError::BadRequest(format!("上传内容无法读取：{}", e.body_text())))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("upload").to_string();
            let bytes = field.bytes().await.map_err(|_| {
                AppError::field(
                    "file",
                    format!(
                        "文件过大或上传中断（上限 {} MB）",
                        honglian_app::members::import::MAX_FILE_BYTES / 1024 / 1024
                    ),
                )
            })?;
            return Ok((bytes, name));
        }
    }
    Err(AppError::field("file", "请选择要导入的文件"))
}

/// Import members from xlsx or csv. A dry run reports every row's problems and writes nothing;
/// a real run writes every row in one transaction, or nothing when any row has a problem (422).
#[utoipa::path(post, path = "/imports/members", tag = "imports", params(ImportQuery), request_body(content = inline(ImportUpload), content_type = "multipart/form-data"),
    responses((status = 200, body = ImportReport), (status = 202, body = JobView), (status = 422, body = ImportReport)))]
async fn import_members(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<ImportQuery>,
    mp: Multipart,
) -> ApiResult<Response> {
    auth.actor().scope(honglian_domain::platform::authz::Permission::MemberWrite)?;
    let (bytes, name) = read_upload(mp).await?;
    if q.background {
        let job = s.app.import_members_in_background(&auth.0, Vec::from(bytes), name, q.dry_run).await?;
        return Ok((StatusCode::ACCEPTED, axum::Json(job)).into_response());
    }
    let report = s.app.import_members(&auth.0, Vec::from(bytes), &name, q.dry_run, &|_, _| {}).await?;
    let status =
        if !q.dry_run && !report.errors.is_empty() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, axum::Json(report)).into_response())
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(import_template)).routes(routes!(import_members))
}
