//! The file store: activity photos and documents, task evidence, photos of places, attachments of
//! requests. Types are checked by content, not by the name the browser sends. The files live in a
//! directory (`data_dir/files`, `[files] store = "dir"`) or in a bucket of an S3-compatible object
//! store (`store = "s3"`), behind [`FileStore`]; keys are the same `prefix/random` names either way.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use object_store::{ObjectStore, ObjectStoreExt};

use crate::{App, AppError, AppResult, FileStoreConfig, S3Config};

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
    /// Its name in the store (`prefix/random`): a path under the directory, or an object's key.
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
        self.files.put(&key, bytes).await?;
        Ok(StoredFile { filename: name, content_type, size: bytes.len() as i64, key })
    }

    /// Removes temporary files left by uploads that a crash interrupted (older than [`TEMP_MAX_AGE`],
    /// so that another instance's upload in progress is kept); returns how many. A bucket has none.
    pub async fn remove_unfinished_files(&self) -> anyhow::Result<u64> {
        self.files.remove_unfinished().await
    }

    /// Deletes a file whose record is gone; a failure leaves an unreferenced file, never a record
    /// without its file, so it is only logged.
    pub(crate) async fn remove_stored_file(&self, key: &str) {
        if let Err(e) = self.files.delete(key).await {
            tracing::warn!(error = format!("{e:#}"), "could not remove a deleted record's file");
        }
    }

    pub(crate) async fn read_file(&self, key: &str) -> AppResult<Vec<u8>> {
        self.files.get(key).await
    }
}

/// Where the files are: a directory, or a bucket (under an optional prefix) of an S3-compatible store.
/// Cheap to clone. Never holds a credential in a form that is printed.
#[derive(Clone)]
pub struct FileStore(Backend);

#[derive(Clone)]
enum Backend {
    Dir(PathBuf),
    Bucket {
        store: Arc<dyn ObjectStore>,
        /// The endpoint and `bucket` or `bucket/prefix`, for messages (never a credential).
        place: String,
    },
}

/// How long a request to the object store may take (a 20 MB upload on a slow intranet link).
const S3_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

impl FileStore {
    /// The store the configuration names; fails only when the S3 client cannot be made (the server's
    /// configuration has checked the values already).
    pub fn open(files_dir: &Path, config: &FileStoreConfig) -> anyhow::Result<Self> {
        match config {
            FileStoreConfig::Dir => Ok(Self(Backend::Dir(files_dir.to_path_buf()))),
            FileStoreConfig::S3(s3) => Self::s3(s3),
        }
    }

    fn s3(c: &S3Config) -> anyhow::Result<Self> {
        let endpoint = c.endpoint.trim_end_matches('/');
        // Virtual-hosted style: the client expects the bucket in the endpoint's host name.
        let endpoint = match (c.path_style, endpoint.split_once("://")) {
            (false, Some((scheme, rest))) => format!("{scheme}://{}.{rest}", c.bucket),
            _ => endpoint.to_string(),
        };
        let client = object_store::ClientOptions::new()
            .with_timeout(S3_TIMEOUT)
            .with_connect_timeout(std::time::Duration::from_secs(5));
        // A store that does not answer fails the request in seconds (the upload is refused), not after
        // the crate's default three minutes of retries.
        let retry = object_store::RetryConfig {
            backoff: object_store::BackoffConfig::default(),
            max_retries: 2,
            retry_timeout: std::time::Duration::from_secs(15),
        };
        let s3 = object_store::aws::AmazonS3Builder::new()
            .with_endpoint(&endpoint)
            .with_bucket_name(&c.bucket)
            .with_region(&c.region)
            .with_access_key_id(&c.access_key_id)
            .with_secret_access_key(c.secret_access_key.expose())
            .with_virtual_hosted_style_request(!c.path_style)
            .with_client_options(client)
            .with_allow_http(endpoint.starts_with("http://"))
            .with_retry(retry)
            .build()
            .with_context(|| format!("无法创建 S3 存储客户端（{endpoint}，存储桶 {}）", c.bucket))?;
        let (store, place): (Arc<dyn ObjectStore>, String) = match &c.prefix {
            Some(p) => (
                Arc::new(object_store::prefix::PrefixStore::new(s3, object_store::path::Path::parse(p)?)),
                format!("{}/{p}", c.bucket),
            ),
            None => (Arc::new(s3), c.bucket.clone()),
        };
        Ok(Self(Backend::Bucket { store, place: format!("{endpoint} {place}") }))
    }

    /// Where the files are, for messages: the directory, or the endpoint and bucket (no credential).
    pub fn describe(&self) -> String {
        match &self.0 {
            Backend::Dir(d) => format!("目录 {}", d.display()),
            Backend::Bucket { place, .. } => format!("S3 存储 {place}"),
        }
    }

    /// The directory of a directory store.
    pub fn dir(&self) -> Option<&Path> {
        match &self.0 {
            Backend::Dir(d) => Some(d),
            Backend::Bucket { .. } => None,
        }
    }

    fn object(key: &str) -> anyhow::Result<object_store::path::Path> {
        object_store::path::Path::parse(key).with_context(|| format!("无效的文件名 {key}"))
    }

    /// Writes a whole file under `key`: durably renamed into place in a directory, one atomic put in a
    /// bucket. Either way a key never names half a file.
    async fn put(&self, key: &str, bytes: &[u8]) -> AppResult<()> {
        match &self.0 {
            Backend::Dir(root) => {
                let path = root.join(key);
                if let Some(dir) = path.parent() {
                    tokio::fs::create_dir_all(dir)
                        .await
                        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("无法创建文件目录")))?;
                }
                write_durably(&path, bytes)
                    .await
                    .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("无法保存文件")))
            }
            Backend::Bucket { store, place } => {
                let payload = object_store::PutPayload::from(bytes::Bytes::copy_from_slice(bytes));
                store.put(&Self::object(key)?, payload).await.map(|_| ()).map_err(|e| unavailable(place, e))
            }
        }
    }

    async fn get(&self, key: &str) -> AppResult<Vec<u8>> {
        match &self.0 {
            Backend::Dir(root) => tokio::fs::read(root.join(key))
                .await
                .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("附件文件丢失"))),
            Backend::Bucket { store, place } => {
                let got = match store.get(&Self::object(key)?).await {
                    Ok(got) => got.bytes().await,
                    Err(e) => Err(e),
                };
                got.map(|b| b.to_vec()).map_err(|e| match e {
                    object_store::Error::NotFound { .. } => {
                        AppError::Internal(anyhow::Error::new(e).context("附件文件丢失"))
                    }
                    e => unavailable(place, e),
                })
            }
        }
    }

    async fn delete(&self, key: &str) -> anyhow::Result<()> {
        match &self.0 {
            Backend::Dir(root) => Ok(tokio::fs::remove_file(root.join(key)).await?),
            Backend::Bucket { store, .. } => Ok(store.delete(&Self::object(key)?).await?),
        }
    }

    async fn remove_unfinished(&self) -> anyhow::Result<u64> {
        match &self.0 {
            Backend::Dir(root) => {
                let root = root.clone();
                tokio::task::spawn_blocking(move || remove_temp_files(&root, TEMP_MAX_AGE)).await?
            }
            // A put is atomic: nothing half-written is ever visible under a key.
            Backend::Bucket { .. } => Ok(0),
        }
    }

    /// Every finished file of the store, as a key (relative path with `/`) and its size, sorted. Files
    /// still being written (temporary names in a directory) belong to no record yet and are left out.
    pub(crate) async fn list(&self) -> anyhow::Result<Vec<(String, u64)>> {
        match &self.0 {
            Backend::Dir(root) => {
                let root = root.clone();
                tokio::task::spawn_blocking(move || list_dir(&root)).await?
            }
            Backend::Bucket { store, place } => {
                use futures_util::TryStreamExt;
                let mut out: Vec<(String, u64)> = store
                    .list(None)
                    .map_ok(|m| (m.location.to_string(), m.size))
                    .try_collect()
                    .await
                    .with_context(|| format!("无法列出文件存储中的文件（{place}）"))?;
                out.sort();
                Ok(out)
            }
        }
    }

    /// Whether the store holds no file (a restore puts files only into an empty one).
    pub(crate) async fn is_empty(&self) -> anyhow::Result<bool> {
        match &self.0 {
            Backend::Dir(root) => crate::platform::backup::is_empty_dir(root),
            Backend::Bucket { store, place } => {
                use futures_util::StreamExt;
                match store.list(None).next().await {
                    None => Ok(true),
                    Some(Ok(_)) => Ok(false),
                    Some(Err(e)) => Err(anyhow::Error::new(e).context(format!("无法读取文件存储（{place}）"))),
                }
            }
        }
    }

    /// A blocking reader of the object `key` of a bucket, which must hold exactly `size` bytes, and its
    /// time of last change (seconds): for a thread that is not the runtime's, driving the download on
    /// `rt` piece by piece. None for a directory store (files are opened as files).
    pub(crate) fn object_reader(
        &self,
        rt: &tokio::runtime::Handle,
        key: &str,
        size: u64,
    ) -> anyhow::Result<Option<(ObjectReader, u64)>> {
        let Backend::Bucket { store, .. } = &self.0 else {
            return Ok(None);
        };
        let got = rt.block_on(store.get(&Self::object(key)?))?;
        let mtime = got.meta.last_modified.timestamp().max(0) as u64;
        let reader = ObjectReader { rt: rt.clone(), stream: got.into_stream(), chunk: bytes::Bytes::new(), left: size };
        Ok(Some((reader, mtime)))
    }

    /// A blocking writer of the new object `key` of a bucket (a restore): parts are sent on `rt` as the
    /// buffer fills, the object exists once [`ObjectWriter::finish`] returns. None for a directory store.
    pub(crate) fn object_writer(&self, rt: &tokio::runtime::Handle, key: &str) -> anyhow::Result<Option<ObjectWriter>> {
        let Backend::Bucket { store, .. } = &self.0 else {
            return Ok(None);
        };
        let inner = object_store::buffered::BufWriter::new(store.clone(), Self::object(key)?);
        Ok(Some(ObjectWriter { rt: rt.clone(), inner }))
    }

    /// Deletes objects of a bucket (a restore that failed takes back what it put).
    pub(crate) fn remove_objects(&self, rt: &tokio::runtime::Handle, keys: &[String]) {
        for key in keys {
            if let Err(e) = rt.block_on(self.delete(key)) {
                tracing::warn!(error = format!("{e:#}"), key, "could not remove a restored file");
            }
        }
    }
}

/// The bucket did not answer as it should: the request is refused with 503 and a message a user can act
/// on; the cause (never a credential) is logged.
fn unavailable(place: &str, e: object_store::Error) -> AppError {
    tracing::warn!(error = %e, place, "the file store did not answer");
    AppError::Unavailable("文件存储暂时无法访问，请稍后再试".into())
}

/// An object read as a `std::io::Read` from a thread outside the runtime; fails unless it yields
/// exactly the size it was listed with (a backup archive's header states the size first).
pub(crate) struct ObjectReader {
    rt: tokio::runtime::Handle,
    stream: futures_util::stream::BoxStream<'static, object_store::Result<bytes::Bytes>>,
    chunk: bytes::Bytes,
    left: u64,
}

impl std::io::Read for ObjectReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use futures_util::StreamExt;
        while self.chunk.is_empty() {
            match self.rt.block_on(self.stream.next()) {
                Some(Ok(b)) => self.chunk = b,
                Some(Err(e)) => return Err(std::io::Error::other(e)),
                None if self.left == 0 => return Ok(0),
                None => return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "对象比列出的短")),
            }
        }
        if self.chunk.len() as u64 > self.left {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "对象比列出的长"));
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk.split_to(n));
        self.left -= n as u64;
        Ok(n)
    }
}

/// A new object written from a thread outside the runtime.
pub(crate) struct ObjectWriter {
    rt: tokio::runtime::Handle,
    inner: object_store::buffered::BufWriter,
}

impl ObjectWriter {
    pub(crate) fn write_all(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        Ok(self.rt.block_on(self.inner.put(bytes::Bytes::copy_from_slice(bytes)))?)
    }

    /// Completes the object; an error leaves none (a multipart upload begun is aborted).
    pub(crate) fn finish(mut self) -> anyhow::Result<()> {
        use tokio::io::AsyncWriteExt;
        let done = self.rt.block_on(self.inner.shutdown());
        if done.is_err() {
            let _ = self.rt.block_on(self.inner.abort());
        }
        Ok(done?)
    }
}

/// Writes `bytes` to a temporary name beside `path`, flushes it to disk, renames it to `path` and
/// flushes the directory: the file is either complete under its key or absent.
async fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use tokio::io::AsyncWriteExt;
    let dir = path.parent().unwrap_or(Path::new("."));
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

fn remove_temp_files(root: &Path, max_age: std::time::Duration) -> anyhow::Result<u64> {
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

/// Every finished file under a directory store, as a relative path with `/`, and its size.
fn list_dir(root: &Path) -> anyhow::Result<Vec<(String, u64)>> {
    let mut out = Vec::new();
    if !root.exists() {
        return Ok(out);
    }
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in
            std::fs::read_dir(root.join(&rel)).with_context(|| format!("无法读取文件目录 {}", rel.display()))?
        {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(TEMP_PREFIX) {
                continue;
            }
            let ty = entry.file_type()?;
            let child = rel.join(&name);
            if ty.is_dir() {
                stack.push(child);
            } else if ty.is_file() {
                let parts: Vec<String> =
                    child.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                out.push((parts.join("/"), entry.metadata()?.len()));
            }
        }
    }
    out.sort();
    Ok(out)
}
