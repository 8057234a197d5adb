//! The file store (`data_dir/files`): activity photos and documents, task evidence. Types are
//! checked by content, not by the name the browser sends.

use crate::{App, AppError, AppResult};

/// The largest file accepted.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// A file written to the store.
pub struct StoredFile {
    /// The uploaded name, without path separators.
    pub filename: String,
    pub content_type: &'static str,
    pub size: i64,
    /// Where it lies under the store's directory.
    pub key: String,
}

/// The content type of a photo (JPEG, PNG) or document (PDF, Word, Excel), judged by its first bytes.
fn sniff(filename: &str, bytes: &[u8]) -> AppResult<&'static str> {
    let lower = filename.to_lowercase();
    Ok(if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if bytes.starts_with(b"%PDF-") {
        "application/pdf"
    } else if bytes.starts_with(b"PK\x03\x04") && lower.ends_with(".docx") {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    } else if bytes.starts_with(b"PK\x03\x04") && lower.ends_with(".xlsx") {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    } else {
        return Err(AppError::field("file", "只接受照片（JPG、PNG）和文档（PDF、Word、Excel）"));
    })
}

impl App {
    /// Checks size and type and writes the file under `prefix/`; the caller records it in its
    /// transaction.
    pub(crate) async fn store_file(&self, prefix: &str, filename: &str, bytes: &[u8]) -> AppResult<StoredFile> {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(AppError::field("file", format!("文件过大，上限 {} MB", MAX_FILE_BYTES / 1024 / 1024)));
        }
        if bytes.is_empty() {
            return Err(AppError::field("file", "文件是空的"));
        }
        let content_type = sniff(filename, bytes)?;
        let name: String = filename.chars().filter(|c| !matches!(c, '/' | '\\' | '\0')).take(100).collect();
        let key = format!("{prefix}/{}", crate::platform::crypto::random_token(12));
        let path = self.config.files_dir.join(&key);
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("无法创建文件目录")))?;
        }
        tokio::fs::write(&path, bytes)
            .await
            .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("无法保存文件")))?;
        Ok(StoredFile { filename: name, content_type, size: bytes.len() as i64, key })
    }

    pub(crate) async fn read_file(&self, key: &str) -> AppResult<Vec<u8>> {
        tokio::fs::read(self.config.files_dir.join(key))
            .await
            .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("附件文件丢失")))
    }
}
