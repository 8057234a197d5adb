//! The HTTP layer: routes, extractors, errors, OpenAPI, security headers and
//! the embedded web UI. Handlers are thin: extract, call one `App` method, map.

mod communities;
pub mod download;
pub mod error;
pub mod extract;
mod goals;
pub mod guard;
mod hometown;
mod members;
mod org_life;
mod organisations;
mod party_affairs;
pub(crate) mod platform;
mod portal;
mod services;
mod web;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use honglian_app::App;
use serde::Serialize;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::OpenApi;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;

#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` is believed (`trusted_proxy`); empty: none, the
    /// socket's peer is the client.
    pub trusted_proxy: Vec<std::net::IpAddr>,
}

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub http: HttpConfig,
    pub limiters: std::sync::Arc<guard::Limiters>,
}

/// `{"items": [...], "total": N}`: every list answers this.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListResponse<T: ToSchema> {
    pub items: Vec<T>,
    pub total: u64,
}

impl<T: ToSchema> From<honglian_store::repo::Page<T>> for ListResponse<T> {
    fn from(p: honglian_store::repo::Page<T>) -> Self {
        Self { items: p.items, total: p.total }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "红链 Honglian API", description = "党组织、党员、组织生活与党建工作管理平台的接口。会话采用 Cookie；POST、PATCH、PUT、DELETE 须带 X-CSRF-Token 请求头（登录除外）。错误为 application/problem+json，title 为中文提示，校验错误在 errors 中按字段给出。"),
    components(schemas(honglian_domain::PageNo, honglian_domain::PerPage, honglian_domain::Year, honglian_domain::RecordId)),
    tags(
        (name = "session", description = "登录、会话与本人账号"),
        (name = "orgs", description = "党组织"),
        (name = "members", description = "党员"),
        (name = "users", description = "用户与授权（安全管理员）"),
        (name = "audit", description = "审计日志（审计管理员）"),
        (name = "meta", description = "代码表与业务配置"),
        (name = "stats", description = "统计"),
        (name = "mobility", description = "流动党员：外出、回归、流入、联系与失联"),
        (name = "ledgers", description = "台账与导出"),
        (name = "census", description = "摸排"),
        (name = "imports", description = "导入与后台任务"),
        (name = "activities", description = "组织生活：三会一课、主题党日、出勤与签到"),
        (name = "duties", description = "组织生活规则与蓝黄红提醒"),
        (name = "notifications", description = "站内通知"),
        (name = "communities", description = "区域性党组织与产业链党建联盟：成员单位、兼职委员、轮值书记"),
        (name = "instructors", description = "党建指导员：组团式指导与走访"),
        (name = "tasks", description = "年度重点工作清单与蓝黄红推进"),
        (name = "coverage", description = "两新组织覆盖：有形覆盖与有效覆盖、覆盖摸排"),
        (name = "brands", description = "党建品牌与百千万提升工程培育对象"),
        (name = "evaluations", description = "季评比、观摩评比与述职评议（仅县级管理员）"),
        (name = "grants", description = "以奖代补：标准、评分、审批与拨付"),
        (name = "portal", description = "党员端（/m/）：本人信息"),
        (name = "places", description = "服务阵地：党群服务中心、红帆驿站、爱心驿站与阵地标准"),
        (name = "policies", description = "惠企政策库与县直部门"),
        (name = "requests", description = "红链直通车：企业诉求的提交、分办、办理、评价与统计"),
        (name = "outreach", description = "送政策、送服务、送温暖上门走访"),
        (name = "needs", description = "诉求与建议：收集、对接与办理结果"),
        (name = "bulletins", description = "通知公告：发布、撤回与阅读情况（只计数，不排名）"),
        (name = "greetings", description = "节日问候：发给辖区外出党员，站内、邮件与群机器人送达情况"),
        (name = "hometown", description = "回乡工程：招商推介会、项目线索与推进阶段、统计与台账；关爱工程：捐赠、助学申请、公示与发放、基金收支；先锋工程：评选表彰、名额、逐级审核、公示与表彰"),
        (name = "party_affairs", description = "党务：党费基数、收缴与欠缴提醒、按支部汇总"),
    )
)]
struct ApiDoc;

/// A whole list as `{"items": [...], "total": N}`.
pub(crate) fn list<T: ToSchema>(items: Vec<T>) -> axum::Json<ListResponse<T>> {
    axum::Json(ListResponse { total: items.len() as u64, items })
}

/// The API routes and their OpenAPI document.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(platform::routes())
        .merge(organisations::routes())
        .merge(members::routes())
        .merge(org_life::routes())
        .merge(communities::routes())
        .merge(goals::routes())
        .merge(hometown::routes())
        .merge(party_affairs::routes())
        .merge(portal::routes())
        .merge(services::routes())
        .split_for_parts();
    doc.servers = Some(vec![utoipa::openapi::Server::new("/api/v1")]);
    (router, doc)
}

/// The body of an upload (documents the multipart form).
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub(crate) struct AttachmentUpload {
    /// A photo (JPG, PNG) or document (PDF, Word, Excel), at most 20 MB.
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: String,
}

/// The `file` field of a multipart upload: (file name, bytes).
pub(crate) async fn upload(mp: &mut axum::extract::Multipart) -> Result<(String, axum::body::Bytes), error::ApiError> {
    use honglian_app::AppError;
    while let Some(field) =
        mp.next_field().await.map_err(|e| AppError::BadRequest(format!("上传内容无法读取：{}", e.body_text())))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("file").to_string();
            let bytes = field.bytes().await.map_err(|_| AppError::field("file", "文件过大或上传中断"))?;
            return Ok((name, bytes));
        }
    }
    Err(AppError::field("file", "请选择文件").into())
}

/// A stored file as a download, its name encoded for any browser (RFC 6266).
pub(crate) fn file_response(content_type: &str, filename: &str, bytes: Vec<u8>) -> Response {
    let mut r = (StatusCode::OK, bytes).into_response();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"file\"; filename*=UTF-8''{encoded}")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// The OpenAPI document as served at /api/v1/openapi.json.
pub fn openapi_json() -> String {
    api().1.to_pretty_json().expect("OpenAPI serialises")
}

pub fn router(app: App, http: HttpConfig) -> Router {
    let (api, _) = api();
    let doc = openapi_json();
    let limiters = guard::Limiters::new(&app.config.security.rate_limits);
    let state = AppState { app, http, limiters };
    let api = api
        .route("/openapi.json", get(move || async move { ([(header::CONTENT_TYPE, "application/json")], doc) }))
        .fallback(|| async { error::problem(StatusCode::NOT_FOUND, "not_found", "接口不存在") })
        // Uploads (imports) may be up to the import limit; everything else is far smaller.
        .layer(axum::extract::DefaultBodyLimit::max(honglian_app::members::import::MAX_FILE_BYTES + 1024 * 1024))
        .layer(axum::middleware::from_fn(no_store))
        .layer(axum::middleware::from_fn_with_state(state.clone(), remember_writes))
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard::guard));
    Router::new()
        .nest("/api/v1", api)
        .route("/api/docs", get(web::docs_page))
        .route("/api/docs/docs.js", get(web::docs_script))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .fallback(web::asset)
        .with_state(state)
        .layer(axum::middleware::from_fn(log_request))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(64 * 1024 * 1024))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            error::problem(StatusCode::INTERNAL_SERVER_ERROR, "internal", "服务器内部错误，请稍后再试或联系管理员")
        }))
        .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header_layer(header::REFERRER_POLICY, "no-referrer"))
        .layer(header_layer(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        ))
        // The portal's "places near me" asks for the phone's position on its own origin; nothing else may.
        .layer(header_layer(HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=(self)"))
}

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// API answers carry personal data: never cache them.
async fn no_store(req: Request, next: Next) -> Response {
    let mut r = next.run(req).await;
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// With a read replica: after a write, the caller gets the primary's log position (the `hl_wrote`
/// cookie), so that a report it reads next comes from the replica only once the replica has replayed
/// that write, or else from the primary (`honglian_app::platform::replica`).
async fn remember_writes(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let writes = !matches!(*req.method(), axum::http::Method::GET | axum::http::Method::HEAD);
    let mut r = next.run(req).await;
    if writes
        && r.status().is_success()
        && let Some(position) = s.app.write_position().await
    {
        let secure = if s.http.secure_cookies { "; Secure" } else { "" };
        let cookie = format!("{}={position}; Path=/; HttpOnly; SameSite=Lax{secure}", extract::WROTE_COOKIE);
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    r
}

/// One log line per request with its path, never the query string (it may hold an ID number).
async fn log_request(req: Request, next: Next) -> Response {
    let start = std::time::Instant::now();
    let method = req.method().clone();
    let route = req.uri().path().to_string();
    let r = next.run(req).await;
    let status = r.status().as_u16();
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::warn!(%method, route, status, ms, "request");
    } else {
        tracing::info!(%method, route, status, ms, "request");
    }
    r
}

async fn readyz(State(s): State<AppState>) -> Response {
    use sea_orm::ConnectionTrait;
    match s.app.db.execute_unprepared("SELECT 1").await {
        Ok(_) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "database not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).expect("a source folder").flatten() {
            let p = e.path();
            if p.is_dir() {
                rust_files(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }

    /// The names of the types a file gives the OpenAPI document: `#[derive(… ToSchema …)]` structs and
    /// enums, and the domain's `code_enum!` types.
    fn schema_names(src: &str) -> Vec<String> {
        let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
        let mut out = Vec::new();
        let (mut derive, mut code_enum) = (false, false);
        for line in src.lines().map(str::trim) {
            if line.starts_with("#[derive(") && line.contains("ToSchema") {
                derive = true;
            } else if derive && let Some(rest) = line.strip_prefix("pub struct ").or(line.strip_prefix("pub enum ")) {
                out.push(ident(rest));
                derive = false;
            } else if let Some(rest) = line.strip_prefix("code_enum!(") {
                let name = ident(rest);
                code_enum = name.is_empty();
                if !code_enum {
                    out.push(name);
                }
            } else if code_enum && !line.starts_with("//") && !line.is_empty() {
                out.push(ident(line));
                code_enum = false;
            }
        }
        out
    }

    /// utoipa names a schema by its type's name and keeps one type per name: two types of one name in
    /// different areas would give the API one shape for both (it happened: the census's and the
    /// honours' `CampaignView`). Every schema type's name is unique.
    #[test]
    fn schema_names_are_unique() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        for c in ["app", "domain", "server"] {
            rust_files(&root.join(c).join("src"), &mut files);
        }
        let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for f in &files {
            for n in schema_names(&std::fs::read_to_string(f).unwrap()) {
                seen.entry(n).or_default().push(f.display().to_string());
            }
        }
        assert!(seen.len() > 300, "found only {} schema types", seen.len());
        let twice: Vec<_> = seen.iter().filter(|(_, v)| v.len() > 1).collect();
        assert!(twice.is_empty(), "schema names used twice: {twice:?}");
    }

    #[test]
    fn schema_names_are_found() {
        let src = "#[derive(Debug, ToSchema)]\n#[serde(x)]\npub struct A {\n}\ncode_enum!(\n    /// doc\n    B {\n\
                   X = \"x\": \"x\" });\ncode_enum!(C { X = \"x\": \"x\" });\n#[derive(Debug)]\npub struct D;";
        assert_eq!(schema_names(src), vec!["A", "B", "C"]);
    }
}
