//! Uploaded files in an S3-compatible object store (`[files] store = "s3"`) instead of a directory that
//! several instances would have to share: against a real S3 server speaking the protocol over HTTP (moto's
//! server, from PyPI — an emulator, not a production store), started by the test as a child process.

use std::path::{Path, PathBuf};

use reqwest::StatusCode;

use super::cli::{honglian_env, honglian_on};
use crate::helpers::{TestApp, temp_dir, test_config};

/// moto's S3 server on a free port of 127.0.0.1; killed when dropped.
struct S3Server {
    child: Option<std::process::Child>,
    port: u16,
}

impl S3Server {
    fn start() -> Self {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let target = std::env::var("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|_| root.join("target"));
        let python = std::env::var("HONGLIAN_TEST_S3_PYTHON")
            .map(PathBuf::from)
            .unwrap_or_else(|_| target.join("s3-venv/bin/python"));
        assert!(
            python.exists(),
            "the S3 test server needs moto: run scripts/test.sh once, or \
             python3 -m venv target/s3-venv && target/s3-venv/bin/pip install 'moto[server]==5.1.22'"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut child = std::process::Command::new(python)
            .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start the S3 server");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(child.try_wait().unwrap().is_none(), "the S3 server exited at start");
            assert!(std::time::Instant::now() < deadline, "the S3 server did not listen on {port}");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        S3Server { child: Some(child), port }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The server's configuration for `bucket` under `prefix` (moto takes any credentials).
    fn config(&self, bucket: &str, prefix: Option<&str>) -> honglian_app::FileStoreConfig {
        honglian_app::FileStoreConfig::S3(honglian_app::S3Config {
            endpoint: self.endpoint(),
            bucket: bucket.into(),
            region: "us-east-1".into(),
            access_key_id: "honglian-test".into(),
            secret_access_key: "honglian-test-secret".into(),
            path_style: true,
            prefix: prefix.map(String::from),
        })
    }

    /// Creates a bucket with a plain request (the store under test has no part in it).
    async fn create_bucket(&self, bucket: &str) {
        let r = reqwest::Client::new().put(format!("{}/{bucket}", self.endpoint())).send().await.unwrap();
        assert!(r.status().is_success(), "create bucket {bucket}: {}", r.status());
    }

    /// Every key in the bucket, read with a plain ListObjectsV2 request.
    async fn keys(&self, bucket: &str) -> Vec<String> {
        let r = reqwest::Client::new().get(format!("{}/{bucket}?list-type=2", self.endpoint())).send().await.unwrap();
        assert!(r.status().is_success(), "list {bucket}: {}", r.status());
        let xml = r.text().await.unwrap();
        xml.split("<Key>").skip(1).map(|s| s.split("</Key>").next().unwrap().to_string()).collect()
    }

    /// An object's bytes, read with a plain GET. moto checks no signature, but refuses objects to a request
    /// without credentials (anonymous): an `Authorization` header of the right shape names some.
    async fn object(&self, bucket: &str, key: &str) -> Vec<u8> {
        let r = reqwest::Client::new()
            .get(format!("{}/{bucket}/{key}", self.endpoint()))
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=honglian-test/20260101/us-east-1/s3/aws4_request, \
                 SignedHeaders=host, Signature=0",
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{bucket}/{key}");
        r.bytes().await.unwrap().to_vec()
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            c.kill().ok();
            c.wait().ok();
        }
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Every regular file under `dir` (none if it is missing).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let Ok(it) = std::fs::read_dir(dir) else { return vec![] };
    let mut out = Vec::new();
    for e in it.flatten() {
        let p = e.path();
        if p.is_dir() { out.extend(files_under(&p)) } else { out.push(p) }
    }
    out
}

/// The `files/…` entries of a backup archive: (name, contents).
fn archived_files(archive: &Path) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let f = std::fs::File::open(archive).unwrap();
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(f));
    let mut out = Vec::new();
    for e in tar.entries().unwrap() {
        let mut e = e.unwrap();
        let name = e.path().unwrap().to_string_lossy().into_owned();
        if name.starts_with("files/") {
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).unwrap();
            out.push((name, bytes));
        }
    }
    out
}

/// The command line's environment for the bucket (what an operator puts in `[files]` or the environment).
fn s3_env(endpoint: &str, bucket: &str) -> Vec<(&'static str, PathBuf)> {
    vec![
        ("HONGLIAN_FILES_STORE", "s3".into()),
        ("HONGLIAN_S3_ENDPOINT", endpoint.into()),
        ("HONGLIAN_S3_BUCKET", bucket.into()),
        ("HONGLIAN_S3_PREFIX", PREFIX.into()),
        ("HONGLIAN_S3_ACCESS_KEY_ID", "honglian-test".into()),
        ("HONGLIAN_S3_SECRET_ACCESS_KEY", "honglian-test-secret".into()),
    ]
}

const BUCKET: &str = "honglian-files";
const PREFIX: &str = "county-1";

/// A photo of 300 KB (several pieces of every stream it passes through).
fn photo() -> Vec<u8> {
    jpeg(300_000)
}

/// A photo of 11 MB: restored into the bucket as a multipart upload (above 10 MB).
fn large_photo() -> Vec<u8> {
    jpeg(11 * 1024 * 1024)
}

fn jpeg(n: u32) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0];
    b.extend((0..n).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    b
}

/// Two servers with data directories of their own on one database and one bucket: a photo uploaded
/// through one lands in the bucket (not in either directory) and downloads byte for byte through the
/// other; `honglian backup` archives it and `honglian restore` puts it into the bucket of a fresh
/// deployment, where it downloads again; removing the photo removes the object; with the store down an
/// upload is refused and no record is written.
async fn photos_in_a_bucket(t: TestApp) {
    let mut s3 = S3Server::start();
    s3.create_bucket(BUCKET).await;
    let store = s3.config(BUCKET, Some(PREFIX));
    let key_file = t.data_dir.join("honglian.keys");
    let mut servers = Vec::new();
    for _ in 0..2 {
        let mut cfg = test_config(temp_dir("hl_s3_instance"), t.database_url.clone());
        cfg.key_file = key_file.clone();
        cfg.files = store.clone();
        let app = honglian_server::open_app(&cfg).await.expect("open app on the bucket");
        assert_eq!(app.remove_unfinished_files().await.unwrap(), 0, "a bucket has no half-written files");
        servers.push(TestApp::serve(&cfg, app).await);
    }
    let (a, b) = (&servers[0], &servers[1]);

    // Uploaded through the first server: into the bucket under the prefix, into no directory.
    let jx = a.login("jinxiang_admin").await;
    let park = a.org_id("金乡经济开发区综合党委").await;
    let place = jx.get(&format!("/api/v1/service-places?org={park}")).await.body["items"][0]["id"].as_i64().unwrap();
    let url = format!("/api/v1/service-places/{place}/photos");
    let up = jx.upload(&url, "门头.jpg", photo()).await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    let id = up.body["id"].as_i64().unwrap();
    let key = t.sql_text(&format!("SELECT \"key\" FROM service_files WHERE id = {id}")).await;
    assert!(key.starts_with(&format!("places/{place}/")), "the same keys as in a directory: {key}");
    assert_eq!(s3.keys(BUCKET).await, vec![format!("{PREFIX}/{key}")]);
    assert_eq!(s3.object(BUCKET, &format!("{PREFIX}/{key}")).await, photo(), "stored byte for byte");
    for dir in [&a.data_dir, &b.data_dir, &t.data_dir] {
        assert_eq!(files_under(&dir.join("files")), Vec::<PathBuf>::new(), "nothing under {}", dir.display());
    }

    // Downloaded through the other server, which never saw the upload and shares no directory with it.
    let other = b.login("jinxiang_admin").await;
    let got = other.get(&format!("{url}/{id}")).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    assert_eq!(got.bytes, photo());
    assert_eq!(jx.get(&format!("{url}/{id}")).await.bytes, photo());
    let up = other.upload(&url, "全景.jpg", large_photo()).await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    let large = up.body["id"].as_i64().unwrap();
    let large_key = t.sql_text(&format!("SELECT \"key\" FROM service_files WHERE id = {large}")).await;
    assert_eq!(jx.get(&format!("{url}/{large}")).await.bytes, large_photo());
    let mut both = vec![format!("{PREFIX}/{key}"), format!("{PREFIX}/{large_key}")];
    both.sort();
    assert_eq!(s3.keys(BUCKET).await, both);

    // `honglian backup` reads the bucket: the object is the archive's files/<key>, where a directory's
    // file would be.
    let out = temp_dir("hl_s3_backup").join("honglian-backup.tar.gz");
    let env = s3_env(&s3.endpoint(), BUCKET);
    let env: Vec<(&str, &Path)> = env.iter().map(|(k, v)| (*k, v.as_path())).collect();
    let pg = t.database_url.starts_with("postgres").then_some(t.database_url.as_str());
    let (ok, text) = honglian_env(&t.data_dir, pg, &env, &["backup", "--out", out.to_str().unwrap()], None);
    assert!(ok && text.contains("2 个文件") && text.contains("取自 S3 存储"), "{text}");
    assert!(!text.contains("honglian-test-secret"), "the secret key is never printed: {text}");
    let mut archived = vec![(format!("files/{key}"), photo()), (format!("files/{large_key}"), large_photo())];
    archived.sort();
    assert!(archived_files(&out) == archived, "the archive holds both objects byte for byte, as files/<key>");
    // Without the S3 settings the same command archives the (empty) directory: the setting is what counts.
    let plain = temp_dir("hl_s3_backup").join("dir.tar.gz");
    let (ok, text) = honglian_on(&t.data_dir, pg, &["backup", "--out", plain.to_str().unwrap()], None);
    assert!(ok && text.contains("0 个文件"), "{text}");

    // Restored into a fresh deployment with a bucket of its own: the object is put back, and downloads.
    s3.create_bucket("honglian-restored").await;
    let fresh = temp_dir("hl_s3_restored");
    let restored_env = s3_env(&s3.endpoint(), "honglian-restored");
    let restored_env: Vec<(&str, &Path)> = restored_env.iter().map(|(k, v)| (*k, v.as_path())).collect();
    let (ok, text) = honglian_env(&fresh, pg, &restored_env, &["restore", "--from", out.to_str().unwrap()], None);
    assert!(ok && text.contains("已恢复") && text.contains("2 个文件"), "{text}");
    assert_eq!(s3.keys("honglian-restored").await, both);
    assert_eq!(files_under(&fresh.join("files")), Vec::<PathBuf>::new(), "into the bucket, not the directory");
    // A bucket that already holds files is refused, as a data directory that holds anything is.
    let again = temp_dir("hl_s3_restored");
    let (ok, text) = honglian_env(&again, pg, &restored_env, &["restore", "--from", out.to_str().unwrap()], None);
    assert!(!ok && text.contains("已有文件，拒绝恢复"), "{text}");
    assert_eq!(s3.keys("honglian-restored").await, both, "and left as it was");
    // On SQLite the database comes from the archive; on PostgreSQL pg_restore brings it back (its
    // backup test's part), so here the fresh deployment reads the same database.
    let fresh_url = match pg {
        Some(url) => url.to_string(),
        None => honglian_store::sqlite_url(&fresh.join("honglian.db")),
    };
    let restored_store = s3.config("honglian-restored", Some(PREFIX));
    let r = TestApp::spawn_with(fresh.clone(), fresh_url, false, |c| {
        c.key_file = key_file.clone();
        c.files = restored_store;
    })
    .await;
    let restored = r.login("jinxiang_admin").await;
    let got = restored.get(&format!("{url}/{id}")).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    assert_eq!(got.bytes, photo(), "the restored object downloads byte for byte");
    assert!(restored.get(&format!("{url}/{large}")).await.bytes == large_photo(), "the large one too");
    drop(r);

    // Removing the photo removes its object.
    let r = other.delete(&format!("{url}/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(s3.keys(BUCKET).await, vec![format!("{PREFIX}/{large_key}")], "the object went with its record");
    assert_eq!(jx.get(&format!("{url}/{id}")).await.status, StatusCode::NOT_FOUND);

    // The store down: the upload is refused with an error response, no record is written, and the
    // server goes on answering.
    let kept = jx.upload(&url, "党员活动室.png", [b"\x89PNG\r\n\x1a\n".as_slice(), &[7; 500]].concat()).await;
    assert_eq!(kept.status, StatusCode::CREATED, "{}", kept.body);
    let before = t.sql_i64("SELECT COUNT(*) FROM service_files").await;
    let audit_before = t.sql_i64("SELECT COUNT(*) FROM audit_events WHERE action = 'place.photo'").await;
    s3.stop();
    let started = std::time::Instant::now();
    let up = jx.upload(&url, "门头.jpg", photo()).await;
    assert_eq!(up.status, StatusCode::SERVICE_UNAVAILABLE, "{:?}", up.body);
    assert_eq!(
        (up.body["code"].as_str(), up.body["title"].as_str()),
        (Some("unavailable"), Some("文件存储暂时无法访问，请稍后再试")),
        "a problem+json answer a user can act on: {}",
        up.body
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "refused in {:?}", started.elapsed());
    assert_eq!(t.sql_i64("SELECT COUNT(*) FROM service_files").await, before, "no record without its file");
    assert_eq!(
        t.sql_i64("SELECT COUNT(*) FROM audit_events WHERE action = 'place.photo'").await,
        audit_before,
        "and no audit record of an upload that did not happen"
    );
    let detail = other.get(&format!("/api/v1/service-places/{place}")).await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
    let photos: Vec<_> = detail.body["photos"].as_array().unwrap().iter().map(|p| p["id"].clone()).collect();
    assert_eq!(photos.len(), 2, "the refused upload left no photo: {}", detail.body);
    // Reading with the store down is an error response too, not a panic.
    let got = other.get(&format!("{url}/{}", kept.body["id"])).await;
    assert_eq!((got.status, &got.body["code"]), (StatusCode::SERVICE_UNAVAILABLE, &serde_json::json!("unavailable")));

    for s in &servers {
        std::fs::remove_dir_all(&s.data_dir).ok();
    }
    std::fs::remove_dir_all(&fresh).ok();
    std::fs::remove_dir_all(&again).ok();
    std::fs::remove_dir_all(out.parent().unwrap()).ok();
    std::fs::remove_dir_all(plain.parent().unwrap()).ok();
}
crate::both!(photos_in_a_bucket);
