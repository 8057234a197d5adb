//! Backups: one archive (`tar`, gzip-compressed) holding a manifest, a consistent snapshot of the
//! SQLite database and the file store; and restoring one into an empty data directory. The key
//! file is never in it: whoever holds a backup and its key holds every ID number, so the two are
//! kept apart (README, docs/security.md §4). On PostgreSQL the database is dumped with `pg_dump`
//! and the archive holds the file store and the manifest only. The file store is a directory or a
//! bucket of an S3-compatible store (`platform::files::FileStore`); either way its files are the
//! archive's `files/<key>`, read and restored piece by piece, never a whole file in memory.

use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, bail};
use honglian_store::repo::platform::{backup as repo, settings};
use sea_orm::{DatabaseBackend, DatabaseConnection};
use serde::{Deserialize, Serialize};
use sm3::{Digest, Sm3};

use crate::platform::files::FileStore;
use crate::platform::keys::{FINGERPRINT, ROTATION};

/// The archive's format, checked on restore.
pub const FORMAT: &str = "honglian-backup-v1";
const MANIFEST: &str = "manifest.json";
const DATABASE: &str = "honglian.db";
const FILES: &str = "files";

/// What an archive holds; the first entry of every archive.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    /// The version of `honglian` that wrote it.
    pub version: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// `sqlite` (the database is in the archive) or `postgres` (dumped separately with pg_dump).
    pub backend: String,
    /// The fingerprint of the keys the data is sealed with (never the keys).
    pub key_fingerprint: Option<String>,
    /// SM3 of the database snapshot, checked on restore.
    pub database_sm3: Option<String>,
    pub database_bytes: Option<u64>,
    pub files: u64,
    pub files_bytes: u64,
}

/// What a backup wrote.
#[derive(Debug)]
pub struct BackupReport {
    pub manifest: Manifest,
    /// Size of the archive.
    pub archive_bytes: u64,
}

/// Writes a backup of the database `db` and the file store `files` to the new file `out`
/// (never overwriting one) while the service keeps running.
pub async fn create(db: &DatabaseConnection, files: &FileStore, out: &Path) -> anyhow::Result<BackupReport> {
    if out.exists() {
        bail!("备份文件 {} 已存在，不会覆盖。请换一个文件名。", out.display());
    }
    if !settings::table_exists(db).await? {
        bail!("数据库中还没有红链的数据（尚未初始化），没有可备份的内容。");
    }
    if settings::get(db, ROTATION).await?.is_some() {
        bail!("密钥轮换尚未完成：请先运行 honglian keys rotate 完成轮换，再做备份。");
    }
    let key_fingerprint = settings::get(db, FINGERPRINT).await?;
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = out.file_name().context("备份文件名无效")?.to_string_lossy().into_owned();
    let token = crate::platform::crypto::random_token(6);
    let snapshot = dir.join(format!(".{name}.{token}.db"));
    let partial = dir.join(format!(".{name}.{token}.partial"));
    let sqlite = db.get_database_backend() == DatabaseBackend::Sqlite;
    if sqlite {
        // The database first: every file a committed record names was written before that commit,
        // so the file store read afterwards holds all of them.
        repo::vacuum_into(db, &snapshot).await.context("数据库快照（VACUUM INTO）失败")?;
    }
    let listed = match files.list().await {
        Ok(listed) => listed,
        Err(e) => {
            let _ = std::fs::remove_file(&snapshot);
            return Err(e);
        }
    };
    let (store, rt) = (files.clone(), tokio::runtime::Handle::current());
    let (out_owned, snap, part) = (out.to_path_buf(), snapshot.clone(), partial.clone());
    let result = tokio::task::spawn_blocking(move || {
        let snapshot = sqlite.then_some(snap.as_path());
        write_archive(&out_owned, &part, snapshot, (&store, &rt, listed), key_fingerprint)
    })
    .await
    .context("备份线程异常退出")?;
    let _ = std::fs::remove_file(&snapshot);
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

/// The file store, the runtime its downloads run on, and its files as listed after the snapshot.
type Files<'a> = (&'a FileStore, &'a tokio::runtime::Handle, Vec<(String, u64)>);

fn write_archive(
    out: &Path,
    partial: &Path,
    snapshot: Option<&Path>,
    (store, rt, files): Files<'_>,
    key_fingerprint: Option<String>,
) -> anyhow::Result<BackupReport> {
    let (database_sm3, database_bytes) = match snapshot {
        Some(p) => {
            let (sm3, n) = sm3_file(p)?;
            (Some(sm3), Some(n))
        }
        None => (None, None),
    };
    let manifest = Manifest {
        format: FORMAT.into(),
        version: env!("CARGO_PKG_VERSION").into(),
        created_at: chrono::Utc::now(),
        backend: if snapshot.is_some() { "sqlite" } else { "postgres" }.into(),
        key_fingerprint,
        database_sm3,
        database_bytes,
        files: files.len() as u64,
        files_bytes: files.iter().map(|(_, n)| n).sum(),
    };
    let file = create_private(partial).with_context(|| format!("无法创建备份文件 {}", partial.display()))?;
    let gz = flate2::write::GzEncoder::new(std::io::BufWriter::new(file), flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    let json = serde_json::to_vec_pretty(&manifest)?;
    append_bytes(&mut tar, MANIFEST, &json)?;
    if let Some(p) = snapshot {
        tar.append_path_with_name(p, DATABASE).context("无法写入数据库快照")?;
    }
    for (rel, size) in &files {
        let name = format!("{FILES}/{rel}");
        if let Some(files_dir) = store.dir() {
            match std::fs::File::open(files_dir.join(rel)) {
                Ok(mut f) => tar.append_file(&name, &mut f).with_context(|| format!("无法写入文件 {rel}"))?,
                Err(e) => return Err(anyhow::Error::new(e).context(format!("无法读取文件 {rel}"))),
            }
            continue;
        }
        // An object of the bucket, streamed from the store into the archive.
        let (reader, mtime) = store
            .object_reader(rt, rel, *size)
            .with_context(|| format!("无法读取文件 {rel}"))?
            .context("文件存储既不是目录也不是存储桶")?;
        let mut h = tar::Header::new_gnu();
        h.set_size(*size);
        h.set_mode(0o600);
        h.set_mtime(mtime);
        h.set_cksum();
        tar.append_data(&mut h, &name, reader).with_context(|| format!("无法写入文件 {rel}"))?;
    }
    let gz = tar.into_inner()?;
    let file = gz.finish()?.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(partial, out).with_context(|| format!("无法写入备份文件 {}", out.display()))?;
    sync_dir(out.parent());
    let archive_bytes = std::fs::metadata(out)?.len();
    Ok(BackupReport { manifest, archive_bytes })
}

fn append_bytes<W: Write>(tar: &mut tar::Builder<W>, name: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let mut h = tar::Header::new_gnu();
    h.set_size(bytes.len() as u64);
    h.set_mode(0o600);
    h.set_mtime(chrono::Utc::now().timestamp().max(0) as u64);
    h.set_cksum();
    tar.append_data(&mut h, name, bytes)?;
    Ok(())
}

/// The SM3 of a file (hex) and its length, read in 64 KiB pieces.
pub(crate) fn sm3_file(p: &Path) -> anyhow::Result<(String, u64)> {
    let mut f = std::fs::File::open(p)?;
    let mut h = Sm3::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((hex::encode(h.finalize()), n))
}

/// A new file (never an existing one), mode 0600.
pub(crate) fn create_private(p: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(p)
}

fn sync_dir(dir: Option<&Path>) {
    if let Some(d) = dir.filter(|d| !d.as_os_str().is_empty())
        && let Ok(f) = std::fs::File::open(d)
    {
        let _ = f.sync_all();
    }
}

/// What a restore wrote.
#[derive(Debug)]
pub struct RestoreReport {
    pub manifest: Manifest,
    /// The database file written (SQLite backups).
    pub database: Option<PathBuf>,
    pub files: u64,
}

/// True when `dir` is missing or holds nothing.
pub fn is_empty_dir(dir: &Path) -> anyhow::Result<bool> {
    match std::fs::read_dir(dir) {
        Ok(mut it) => Ok(it.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(anyhow::Error::new(e).context(format!("无法读取目录 {}", dir.display()))),
    }
}

/// Reads only the manifest of an archive.
pub fn read_manifest(archive: &Path) -> anyhow::Result<Manifest> {
    let f = std::fs::File::open(archive).with_context(|| format!("无法打开备份文件 {}", archive.display()))?;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(std::io::BufReader::new(f)));
    let mut entries = tar.entries().context("备份文件不是红链的备份（无法读取）")?;
    let mut first = entries.next().context("备份文件是空的")?.context("备份文件损坏")?;
    if first.path()?.as_os_str() != MANIFEST {
        bail!("备份文件不是红链的备份（缺少 {MANIFEST}）");
    }
    let mut json = Vec::new();
    first.read_to_end(&mut json)?;
    let m: Manifest = serde_json::from_slice(&json).context("备份清单损坏")?;
    if m.format != FORMAT {
        bail!("不认识的备份格式 {}（本程序读 {FORMAT}）", m.format);
    }
    Ok(m)
}

/// Restores `archive` into `data_dir`, which must be empty (or missing): the database snapshot
/// becomes `data_dir/honglian.db` (checked against the manifest's SM3), the files go into the file
/// store `files` (`data_dir/files`, or a bucket, which must hold nothing either). On any error what
/// was written is removed again, so the directory and the bucket stay empty.
pub async fn restore(archive: &Path, data_dir: &Path, files: &FileStore) -> anyhow::Result<RestoreReport> {
    if files.dir().is_none() && !files.is_empty().await? {
        bail!(
            "文件存储（{}）中已有文件，拒绝恢复（不会覆盖或混入现有数据）。请用一个空的存储桶，或另设 [files] prefix。\n\
             Refusing to restore: the file store is not empty.",
            files.describe()
        );
    }
    let (archive, data_dir, files) = (archive.to_path_buf(), data_dir.to_path_buf(), files.clone());
    let rt = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || restore_blocking(&archive, &data_dir, &files, &rt))
        .await
        .context("恢复线程异常退出")?
}

fn restore_blocking(
    archive: &Path,
    data_dir: &Path,
    store: &FileStore,
    rt: &tokio::runtime::Handle,
) -> anyhow::Result<RestoreReport> {
    if !is_empty_dir(data_dir)? {
        bail!(
            "数据目录 {} 不是空的，拒绝恢复（不会覆盖或混入现有数据）。请指定一个空目录。\n\
             Refusing to restore: the data directory {} is not empty.",
            data_dir.display(),
            data_dir.display()
        );
    }
    let manifest = read_manifest(archive)?;
    std::fs::create_dir_all(data_dir).with_context(|| format!("无法创建数据目录 {}", data_dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(data_dir, std::fs::Permissions::from_mode(0o700)).ok();
    }
    let mut put = Vec::new();
    match unpack(archive, data_dir, &manifest, (store, rt, &mut put)) {
        Ok((database, files)) => Ok(RestoreReport { manifest, database, files }),
        Err(e) => {
            store.remove_objects(rt, &put);
            if let Ok(it) = std::fs::read_dir(data_dir) {
                for entry in it.flatten() {
                    let p = entry.path();
                    let _ = if p.is_dir() { std::fs::remove_dir_all(&p) } else { std::fs::remove_file(&p) };
                }
            }
            Err(e)
        }
    }
}

/// The file store restored into, the runtime its uploads run on, and the keys of the objects put so far.
type Target<'a> = (&'a FileStore, &'a tokio::runtime::Handle, &'a mut Vec<String>);

fn unpack(
    archive: &Path,
    data_dir: &Path,
    manifest: &Manifest,
    (store, rt, put): Target<'_>,
) -> anyhow::Result<(Option<PathBuf>, u64)> {
    let f = std::fs::File::open(archive)?;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(std::io::BufReader::new(f)));
    let mut database = None;
    let mut files = 0u64;
    for entry in tar.entries()? {
        let mut entry = entry.context("备份文件损坏")?;
        let path = entry.path()?.into_owned();
        if !entry.header().entry_type().is_file() {
            continue;
        }
        // Only plain relative names: nothing may land outside the data directory.
        if path.components().any(|c| !matches!(c, Component::Normal(_))) {
            bail!("备份文件中有不安全的路径 {}", path.display());
        }
        if path.as_os_str() == MANIFEST {
            continue;
        }
        if path.as_os_str() == DATABASE {
            let dest = data_dir.join(DATABASE);
            let tmp = data_dir.join(format!("{DATABASE}.partial"));
            let mut out = create_private(&tmp)?;
            let mut h = Sm3::new();
            let mut buf = vec![0u8; 1 << 16];
            loop {
                let k = entry.read(&mut buf)?;
                if k == 0 {
                    break;
                }
                h.update(&buf[..k]);
                out.write_all(&buf[..k])?;
            }
            out.sync_all()?;
            if Some(hex::encode(h.finalize())) != manifest.database_sm3 {
                bail!("备份中的数据库快照校验失败（SM3 与清单不符），备份文件已损坏，未恢复。");
            }
            std::fs::rename(&tmp, &dest)?;
            database = Some(dest);
        } else if let Ok(rel) = path.strip_prefix(FILES) {
            let key = rel.to_str().filter(|k| !k.is_empty());
            let key = key.with_context(|| format!("备份文件中有无效的文件名 {}", path.display()))?;
            if let Some(mut out) = store.object_writer(rt, key)? {
                // Into the bucket, in pieces: an object exists only once complete.
                let mut buf = vec![0u8; 1 << 16];
                loop {
                    let k = entry.read(&mut buf)?;
                    if k == 0 {
                        break;
                    }
                    out.write_all(&buf[..k]).with_context(|| format!("无法写入文件 {key}"))?;
                }
                out.finish().with_context(|| format!("无法写入文件 {key}"))?;
                put.push(key.to_string());
                files += 1;
                continue;
            }
            let dest = store.dir().unwrap_or(&data_dir.join(FILES)).join(rel);
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let mut out = create_private(&dest)?;
            std::io::copy(&mut entry, &mut out)?;
            out.sync_all()?;
            files += 1;
        }
    }
    if manifest.database_sm3.is_some() && database.is_none() {
        bail!("备份文件不完整：缺少数据库快照，未恢复。");
    }
    if files != manifest.files {
        bail!("备份文件不完整：清单记有 {} 个文件，实有 {files} 个，未恢复。", manifest.files);
    }
    sync_dir(Some(data_dir));
    Ok((database, files))
}

/// The command that dumps a PostgreSQL deployment's database (printed by `honglian backup`; the
/// password part of the URL is the operator's to supply, e.g. in `~/.pgpass`).
pub fn pg_dump_hint(url_redacted: &str) -> String {
    format!("pg_dump -Fc --no-owner -f honglian-$(date +%Y%m%d%H%M).dump '{url_redacted}'")
}
