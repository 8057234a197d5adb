//! Downloads: exports streamed from their temporary file, with their type and a UTF-8 file name.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use honglian_app::platform::report::ReportFormat;
use serde::Deserialize;

/// How an export of personal data is asked for.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// With the unmask permission: export plaintext ID numbers and phones, for this reason (audited).
    pub unmask_reason: Option<String>,
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const PDF: &str = "application/pdf";

/// An xlsx download.
pub(crate) fn attachment(body: impl Into<axum::body::Body>, filename: &str) -> Response {
    attachment_as(body, filename, ReportFormat::Xlsx)
}

/// A download: the body with its type and a file name in UTF-8 (Chinese names survive).
pub(crate) fn attachment_as(body: impl Into<axum::body::Body>, filename: &str, format: ReportFormat) -> Response {
    let encoded: String = filename
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect();
    let mut r = (StatusCode::OK, body.into()).into_response();
    let (mime, ext) = match format {
        ReportFormat::Xlsx => (XLSX, "xlsx"),
        ReportFormat::Pdf => (PDF, "pdf"),
    };
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"export.{ext}\"; filename*=UTF-8''{encoded}"))
    {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// A finished export as a download, streamed from its temporary file.
pub(crate) fn export_response(x: honglian_app::members::export::Export, format: ReportFormat) -> Response {
    let len = x.file.metadata().map(|m| m.len()).ok();
    let mut r = attachment_as(file_body(x.file), &x.filename, format);
    if let Some(len) = len {
        r.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    }
    r
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
