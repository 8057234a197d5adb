//! Member import: the template, the example rosters, the column mappings saved per county and the
//! import itself (dry run, all or nothing, as a job).

use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use honglian_app::AppError;
use honglian_app::members::import::{ColumnMapping, ImportReport, JobView};
use honglian_app::members::import_mapping::{ImportMappingInput, ImportMappingView, ImportMappings};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::download::attachment;
use crate::http::error::{ApiResult, Problem};
use crate::http::extract::{Auth, Json, Query};

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
    /// An .xlsx or .csv file: the template's layout or a roster's (its header row is found).
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: String,
    /// Optional, when the headers are not recognised: a `ColumnMapping` as JSON
    /// (`{"header_row": 2, "columns": {"name": "B", "id_number": "C"}}`).
    mapping: Option<String>,
}

/// The upload's file, its name, and the column mapping sent with it.
struct Upload {
    bytes: Bytes,
    name: String,
    mapping: Option<ColumnMapping>,
}

async fn read_upload(mut mp: Multipart) -> Result<Upload, AppError> {
    let mut file = None;
    let mut mapping = None;
    while let Some(field) =
        mp.next_field().await.map_err(|e| AppError::BadRequest(format!("上传内容无法读取：{}", e.body_text())))?
    {
        if field.name() == Some("mapping") {
            let text = field.text().await.map_err(|_| AppError::field("mapping", "列对应关系无法读取"))?;
            if !text.trim().is_empty() {
                let m: ColumnMapping = serde_json::from_str(&text).map_err(|_| {
                    AppError::field(
                        "mapping",
                        "列对应关系格式有误，应为 {\"header_row\": 表头行号, \"columns\": {字段: 列字母}}",
                    )
                })?;
                mapping = Some(m);
            }
        } else if field.name() == Some("file") {
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
            file = Some((bytes, name));
        }
    }
    let (bytes, name) = file.ok_or_else(|| AppError::field("file", "请选择要导入的文件"))?;
    Ok(Upload { bytes, name, mapping })
}

/// Import members from xlsx or csv. A dry run reports every row's problems and writes nothing;
/// a real run writes every row in one transaction, or nothing when any row has a problem (422).
/// When a required column cannot be found, the report carries a `preview` of the sheet's first rows
/// (and imports nothing); the upload may then say which column is which (`mapping`).
#[utoipa::path(post, path = "/imports/members", tag = "imports", params(ImportQuery), request_body(content = inline(ImportUpload), content_type = "multipart/form-data"),
    responses((status = 200, body = ImportReport), (status = 202, body = JobView), (status = 422, body = ImportReport)))]
async fn import_members(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<ImportQuery>,
    mp: Multipart,
) -> ApiResult<Response> {
    auth.actor().scope(honglian_domain::platform::authz::Permission::MemberWrite)?;
    let Upload { bytes, name, mapping } = read_upload(mp).await?;
    if q.background {
        let job = s.app.import_members_in_background(&auth.0, Vec::from(bytes), name, q.dry_run, mapping).await?;
        return Ok((StatusCode::ACCEPTED, axum::Json(job)).into_response());
    }
    let report =
        s.app.import_members(&auth.0, Vec::from(bytes), &name, q.dry_run, mapping.as_ref(), &|_, _| {}).await?;
    let status =
        if !q.dry_run && !report.errors.is_empty() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, axum::Json(report)).into_response())
}

/// An example roster in the layout counties keep (fictitious people in the caller's branches) that
/// imports as it is.
#[utoipa::path(get, path = "/imports/members/examples/clean.xlsx", tag = "imports",
    responses((status = 200, description = "xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
async fn example_clean(State(s): State<AppState>, auth: Auth) -> ApiResult<Response> {
    Ok(attachment(s.app.example_roster(&auth.0).await?, "示例花名册.xlsx"))
}

/// An example roster with the mistakes real files have, whose dry run shows what the import reports.
#[utoipa::path(get, path = "/imports/members/examples/messy.xlsx", tag = "imports",
    responses((status = 200, description = "xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
async fn example_messy(State(s): State<AppState>, auth: Auth) -> ApiResult<Response> {
    Ok(attachment(s.app.example_roster_messy(&auth.0).await?, "示例花名册（有问题）.xlsx"))
}

/// The column mappings saved in the caller's county, and the fields a mapping may name.
#[utoipa::path(get, path = "/imports/members/mappings", tag = "imports",
    responses((status = 200, body = ImportMappings), (status = 403, body = Problem)))]
async fn list_mappings(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<ImportMappings>> {
    Ok(axum::Json(s.app.import_mappings(&auth.0).await?))
}

/// Save a column mapping under a name for the caller's county (one of the same name is replaced).
#[utoipa::path(post, path = "/imports/members/mappings", tag = "imports", request_body = ImportMappingInput,
    responses((status = 201, body = ImportMappingView), (status = 422, body = Problem)))]
async fn save_mapping(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<ImportMappingInput>,
) -> ApiResult<(StatusCode, axum::Json<ImportMappingView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.save_import_mapping(&auth.0, b).await?)))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(import_template))
        .routes(routes!(import_members))
        .routes(routes!(example_clean))
        .routes(routes!(example_messy))
        .routes(routes!(list_mappings, save_mapping))
}
