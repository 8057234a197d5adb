//! The file store (`data_dir/files`): activity photos and documents, task evidence. Types are
//! checked by content, not by the name the browser sends.

use crate::{App, AppError, AppResult};

/// Prefix of a file the store is still writing: renamed to its key once complete and on disk, so
/// that a crash leaves no half-written file under a real key. Backups skip such files and start-up
/// removes those older than [`TEMP_MAX_AGE`].
pub const TEMP_PREFIX: &str = ".tmp-";
/// A temporary file older than this is left from a crash (an upload takes seconds).
pub const TEMP_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(3600);

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
        write_durably(&path, bytes)
            .await
            .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("无法保存文件")))?;
        Ok(StoredFile { filename: name, content_type, size: bytes.len() as i64, key })
    }

    /// Removes temporary files left by uploads that a crash interrupted (older than [`TEMP_MAX_AGE`],
    /// so that another instance's upload in progress is kept); returns how many.
    pub async fn remove_unfinished_files(&self) -> anyhow::Result<u64> {
        let root = self.config.files_dir.clone();
        tokio::task::spawn_blocking(move || remove_temp_files(&root, TEMP_MAX_AGE)).await?
    }

    /// Deletes a file whose record is gone; a failure leaves an unreferenced file, never a record
    /// without its file, so it is only logged.
    pub(crate) async fn remove_stored_file(&self, key: &str) {
        if let Err(e) = tokio::fs::remove_file(self.config.files_dir.join(key)).await {
            tracing::warn!(error = %e, "could not remove a deleted record's file");
        }
    }

    pub(crate) async fn read_file(&self, key: &str) -> AppResult<Vec<u8>> {
        tokio::fs::read(self.config.files_dir.join(key))
            .await
            .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("附件文件丢失")))
    }
}

/// Writes `bytes` to a temporary name beside `path`, flushes it to disk, renames it to `path` and
/// flushes the directory: the file is either complete under its key or absent.
async fn write_durably(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use tokio::io::AsyncWriteExt;
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    let tmp = dir.join(format!("{TEMP_PREFIX}{}", crate::platform::crypto::random_token(9)));
    let result = async {
        let mut f = tokio::fs::OpenOptions::new().write(true).create_new(true).open(&tmp).await?;
        f.write_all(bytes).await?;
        f.sync_all().await?;
        drop(f);
        tokio::fs::rename(&tmp, path).await?;
        tokio::fs::File::open(dir).await?.sync_all().await
    }
    .await;
    if result.is_err() {
        let _ = tokio::fs::remove_file(&tmp).await;
    }
    result
}

fn remove_temp_files(root: &std::path::Path, max_age: std::time::Duration) -> anyhow::Result<u64> {
    let mut removed = 0;
    if !root.exists() {
        return Ok(0);
    }
    let now = std::time::SystemTime::now();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let ty = entry.file_type()?;
            if ty.is_dir() {
                stack.push(entry.path());
            } else if ty.is_file() && entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
                let age = entry.metadata()?.modified().ok().and_then(|m| now.duration_since(m).ok());
                if age.is_some_and(|a| a > max_age) {
                    std::fs::remove_file(entry.path())?;
                    removed += 1;
                }
            }
        }
    }
    Ok(removed)
}
