//! The embedded web UI (built by `build.rs` from `web/`) with SPA fallback,
//! and the API documentation page.

use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

#[derive(rust_embed::Embed)]
#[folder = "$OUT_DIR/web"]
struct Assets;

fn file(path: &str, cache: &'static str) -> Option<Response> {
    let f = Assets::get(path)?;
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let mut r = (StatusCode::OK, f.data.into_owned()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(mime.as_ref()).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Some(r)
}

/// Static files; any other path that is not under /api gets index.html (client-side routes), or
/// portal.html under /m/ (the member portal).
pub async fn asset(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path == "api" || path.starts_with("api/") {
        return super::error::problem(StatusCode::NOT_FOUND, "not_found", "接口不存在");
    }
    // Vite puts content-hashed files under assets/: cache them for a year.
    if !path.is_empty()
        && let Some(r) = file(
            path,
            if path.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "public, max-age=300" },
        )
    {
        return r;
    }
    if path.starts_with("assets/") || path.rsplit('/').next().is_some_and(|last| last.contains('.')) {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    // The member portal (Vant) under /m/ has its own page; everything else is the console.
    if (path == "m" || path.starts_with("m/"))
        && let Some(r) = file("portal.html", "no-cache")
    {
        return r;
    }
    file("index.html", "no-cache").unwrap_or_else(|| (StatusCode::NOT_FOUND, "界面未构建").into_response())
}

const DOCS_HTML: &str = include_str!("docs.html");
const DOCS_JS: &str = include_str!("docs.js");

pub async fn docs_page() -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], DOCS_HTML).into_response()
}

pub async fn docs_script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], DOCS_JS).into_response()
}
