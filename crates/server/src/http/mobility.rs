//! Mobile members: outflow / return / inflow, ledgers (+ xlsx), contacts,
//! lost contact, census, member import and the outflow statistics.

use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use honglian_app::AppError;
use honglian_app::members::census::{CampaignView, EntryInput, EntryQuery, EntryView, NewCampaign};
use honglian_app::members::import::{ImportReport, JobView};
use honglian_app::members::mobility::{
    ContactInput, ContactView, InflowInput, LedgerItem, LedgerQuery, LostQuery, LostView, MobilityView, OutflowInput,
    ProposalView, ReturnInput,
};
use honglian_app::members::stats::{OutflowQuery, OutflowStats};
use honglian_store::repo::members::mobility::Ledger;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiResult, Problem};
use super::extract::{Auth, Id, Ids, Json, Query};
use super::{AppState, ListResponse};

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
#[utoipa::path(post, path = "/outflows/{id}/return", tag = "mobility", params(("id" = i64, Path)), request_body = ReturnInput,
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
#[utoipa::path(post, path = "/inflows/{id}/end", tag = "mobility", params(("id" = i64, Path)), request_body = InflowEnd,
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
#[utoipa::path(get, path = "/members/{id}/mobility", tag = "mobility", params(("id" = i64, Path)), responses((status = 200, body = ListResponse<MobilityView>)))]
async fn member_mobility(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
) -> ApiResult<axum::Json<ListResponse<MobilityView>>> {
    let items = s.app.member_mobility(&auth.0, id).await?;
    Ok(axum::Json(ListResponse { total: items.len() as u64, items }))
}

/// A member's contact log.
#[utoipa::path(get, path = "/members/{id}/contacts", tag = "mobility", params(("id" = i64, Path)), responses((status = 200, body = ListResponse<ContactView>)))]
async fn contact_list(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
) -> ApiResult<axum::Json<ListResponse<ContactView>>> {
    let items = s.app.contact_list(&auth.0, id).await?;
    Ok(axum::Json(ListResponse { total: items.len() as u64, items }))
}

/// Log a contact (call, visit, WeChat, greeting, census); reaching the member clears 失联.
#[utoipa::path(post, path = "/members/{id}/contacts", tag = "mobility", params(("id" = i64, Path)), request_body = ContactInput,
    responses((status = 201, body = ContactView), (status = 422, body = Problem)))]
async fn contact_add(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<ContactInput>,
) -> ApiResult<(StatusCode, axum::Json<ContactView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.contact_add(&auth.0, id, b).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ProposalInput {
    pub reason: String,
}

/// Proposals to suspend a lost member.
#[utoipa::path(get, path = "/members/{id}/suspension-proposals", tag = "mobility", params(("id" = i64, Path)), responses((status = 200, body = ListResponse<ProposalView>)))]
async fn proposals(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
) -> ApiResult<axum::Json<ListResponse<ProposalView>>> {
    let items = s.app.proposals_of(&auth.0, id).await?;
    Ok(axum::Json(ListResponse { total: items.len() as u64, items }))
}

/// Propose suspending a lost member (recorded only; nothing is applied).
#[utoipa::path(post, path = "/members/{id}/suspension-proposals", tag = "mobility", params(("id" = i64, Path)), request_body = ProposalInput,
    responses((status = 201, body = ProposalView), (status = 422, body = Problem)))]
async fn propose(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<ProposalInput>,
) -> ApiResult<(StatusCode, axum::Json<ProposalView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.propose_suspension(&auth.0, id, &b.reason).await?)))
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

async fn ledger_page(
    s: &AppState,
    auth: &Auth,
    l: Ledger,
    q: LedgerQuery,
) -> ApiResult<axum::Json<ListResponse<LedgerItem>>> {
    Ok(axum::Json(s.app.ledger_list(&auth.0, l, q).await?.into()))
}

/// The outflow ledger (外出党员台账): open outflows of my members, or received by my organisations.
#[utoipa::path(get, path = "/ledgers/outflow", tag = "ledgers", params(LedgerQuery), responses((status = 200, body = ListResponse<LedgerItem>)))]
async fn ledger_outflow(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<LedgerQuery>,
) -> ApiResult<axum::Json<ListResponse<LedgerItem>>> {
    ledger_page(&s, &auth, Ledger::Outflow, q).await
}

/// The return ledger (回归党员台账).
#[utoipa::path(get, path = "/ledgers/return", tag = "ledgers", params(LedgerQuery), responses((status = 200, body = ListResponse<LedgerItem>)))]
async fn ledger_return(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<LedgerQuery>,
) -> ApiResult<axum::Json<ListResponse<LedgerItem>>> {
    ledger_page(&s, &auth, Ledger::Return, q).await
}

/// The inflow ledger (流入党员台账).
#[utoipa::path(get, path = "/ledgers/inflow", tag = "ledgers", params(LedgerQuery), responses((status = 200, body = ListResponse<LedgerItem>)))]
async fn ledger_inflow(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<LedgerQuery>,
) -> ApiResult<axum::Json<ListResponse<LedgerItem>>> {
    ledger_page(&s, &auth, Ledger::Inflow, q).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// With the unmask permission: export plaintext ID numbers and phones, for this reason (audited).
    pub unmask_reason: Option<String>,
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn attachment(body: impl Into<axum::body::Body>, filename: &str) -> Response {
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect();
    let mut r = (StatusCode::OK, body.into()).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(XLSX));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"export.xlsx\"; filename*=UTF-8''{encoded}")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

async fn export(s: &AppState, auth: &Auth, l: Ledger, q: LedgerQuery, e: ExportQuery) -> ApiResult<Response> {
    let x = s.app.ledger_export(&auth.0, l, q, e.unmask_reason).await?;
    let len = x.file.metadata().map(|m| m.len()).ok();
    let mut r = attachment(file_body(x.file), &x.filename);
    if let Some(len) = len {
        r.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    }
    Ok(r)
}

/// A file sent as it is read, 64 KiB at a time (an export can be tens of MB).
fn file_body(file: std::fs::File) -> axum::body::Body {
    use tokio::io::AsyncReadExt;
    let chunks = futures_util::stream::unfold(Some(tokio::fs::File::from_std(file)), |file| async move {
        let mut file = file?;
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(axum::body::Bytes::from(buf)), Some(file)))
            }
            Err(e) => Some((Err(e), None)),
        }
    });
    axum::body::Body::from_stream(chunks)
}

/// The outflow ledger as xlsx, with the list's filters (audited).
#[utoipa::path(get, path = "/ledgers/outflow.xlsx", tag = "ledgers", params(LedgerQuery, ExportQuery),
    responses((status = 200, description = "xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
async fn export_outflow(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<LedgerQuery>,
    Query(e): Query<ExportQuery>,
) -> ApiResult<Response> {
    export(&s, &auth, Ledger::Outflow, q, e).await
}

/// The return ledger as xlsx (audited).
#[utoipa::path(get, path = "/ledgers/return.xlsx", tag = "ledgers", params(LedgerQuery, ExportQuery),
    responses((status = 200, description = "xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
async fn export_return(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<LedgerQuery>,
    Query(e): Query<ExportQuery>,
) -> ApiResult<Response> {
    export(&s, &auth, Ledger::Return, q, e).await
}

/// The inflow ledger as xlsx (audited).
#[utoipa::path(get, path = "/ledgers/inflow.xlsx", tag = "ledgers", params(LedgerQuery, ExportQuery),
    responses((status = 200, description = "xlsx", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
async fn export_inflow(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<LedgerQuery>,
    Query(e): Query<ExportQuery>,
) -> ApiResult<Response> {
    export(&s, &auth, Ledger::Inflow, q, e).await
}

/// Census campaigns (摸排) that concern me.
#[utoipa::path(get, path = "/censuses", tag = "census", responses((status = 200, body = ListResponse<CampaignView>)))]
async fn census_list(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<ListResponse<CampaignView>>> {
    let items = s.app.census_list(&auth.0).await?;
    Ok(axum::Json(ListResponse { total: items.len() as u64, items }))
}

/// Start a census over a subtree: every mobile member in it is to be verified.
#[utoipa::path(post, path = "/censuses", tag = "census", request_body = NewCampaign,
    responses((status = 201, body = CampaignView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn census_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<NewCampaign>,
) -> ApiResult<(StatusCode, axum::Json<CampaignView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.census_create(&auth.0, b).await?)))
}

/// A census with its progress per organisation.
#[utoipa::path(get, path = "/censuses/{id}", tag = "census", params(("id" = i64, Path)), responses((status = 200, body = CampaignView)))]
async fn census_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<CampaignView>> {
    Ok(axum::Json(s.app.census_get(&auth.0, id).await?))
}

/// The members to verify.
#[utoipa::path(get, path = "/censuses/{id}/entries", tag = "census", params(("id" = i64, Path), EntryQuery), responses((status = 200, body = ListResponse<EntryView>)))]
async fn census_entries(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Query(q): Query<EntryQuery>,
) -> ApiResult<axum::Json<ListResponse<EntryView>>> {
    Ok(axum::Json(s.app.census_entries(&auth.0, id, q).await?.into()))
}

/// Record what was found for one member.
#[utoipa::path(put, path = "/censuses/{id}/entries/{entry_id}", tag = "census", params(("id" = i64, Path), ("entry_id" = i64, Path)), request_body = EntryInput,
    responses((status = 200, body = EntryView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn census_record(
    State(s): State<AppState>,
    auth: Auth,
    Ids(id, entry): Ids,
    Json(b): Json<EntryInput>,
) -> ApiResult<axum::Json<EntryView>> {
    Ok(axum::Json(s.app.census_record(&auth.0, id, entry, b).await?))
}

/// Close the census: results go to the member records and the contact log.
#[utoipa::path(post, path = "/censuses/{id}/close", tag = "census", params(("id" = i64, Path)), responses((status = 200, body = CampaignView), (status = 409, body = Problem)))]
async fn census_close(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<CampaignView>> {
    Ok(axum::Json(s.app.census_close(&auth.0, id).await?))
}

/// Outflow distribution of a subtree: by province, city, receiving organisation and reason.
#[utoipa::path(get, path = "/stats/outflow", tag = "stats", params(OutflowQuery), responses((status = 200, body = OutflowStats)))]
async fn stats_outflow(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<OutflowQuery>,
) -> ApiResult<axum::Json<OutflowStats>> {
    Ok(axum::Json(s.app.stats_outflow(&auth.0, q).await?))
}

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

/// A background job of mine (e.g. a large import) with its progress.
#[utoipa::path(get, path = "/jobs/{id}", tag = "imports", params(("id" = i64, Path)), responses((status = 200, body = JobView), (status = 404, body = Problem)))]
async fn job_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<JobView>> {
    Ok(axum::Json(s.app.job_get(&auth.0, id).await?))
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
        .routes(routes!(lost))
        .routes(routes!(ledger_outflow))
        .routes(routes!(ledger_return))
        .routes(routes!(ledger_inflow))
        .routes(routes!(export_outflow))
        .routes(routes!(export_return))
        .routes(routes!(export_inflow))
        .routes(routes!(census_list, census_create))
        .routes(routes!(census_get))
        .routes(routes!(census_entries))
        .routes(routes!(census_record))
        .routes(routes!(census_close))
        .routes(routes!(stats_outflow))
        .routes(routes!(import_template))
        .routes(routes!(import_members))
        .routes(routes!(job_get))
}
