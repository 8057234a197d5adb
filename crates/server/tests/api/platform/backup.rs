//! `honglian backup` and `honglian restore` with the real binary, while the server keeps writing.

use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use reqwest::StatusCode;
use serde_json::json;

use super::cli::{honglian_env, honglian_on};
use crate::helpers::{TestApp, id_number, temp_dir};

/// Every entry of a backup archive: (name, contents).
fn entries(archive: &Path) -> Vec<(String, Vec<u8>)> {
    let f = std::fs::File::open(archive).unwrap();
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(f));
    tar.entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let name = e.path().unwrap().to_string_lossy().into_owned();
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).unwrap();
            (name, bytes)
        })
        .collect()
}

fn png(n: u8) -> Vec<u8> {
    [b"\x89PNG\r\n\x1a\n".as_slice(), &[n; 300]].concat()
}

/// A backup taken while members are being registered through the API holds every member whose
/// registration had been answered before the backup began, the uploaded files and a manifest, but
/// not the key. Restored into an empty directory and started with the key kept apart, the audit
/// chain verifies and every one of those members is found by ID number; a non-empty directory is
/// refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn backup_during_writes_restores_everything_committed() {
    let t = TestApp::sqlite().await;
    let w = t.login("wuchuan_admin").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let activity = t.activity_of(gz).await;
    let up = w.upload(&format!("/api/v1/activities/{activity}/attachments"), "合影.png", png(7)).await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    let attachment = up.body["id"].as_i64().unwrap();
    // A stray upload that never finished (temporary name) is no part of the backup.
    std::fs::write(t.data_dir.join("files").join(".tmp-unfinished"), b"half").unwrap();

    // A writer registers members one after another and notes each answered registration.
    let committed: Arc<Mutex<Vec<(i64, String)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (committed, stop) = (committed.clone(), stop.clone());
        tokio::spawn(async move {
            let mut i = 0u32;
            while !stop.load(Ordering::Relaxed) {
                let idn = id_number("110101", 1950 + (i % 30) as i32, 1 + i % 12, 1 + i % 28, i);
                let r = w
                    .post(
                        "/api/v1/members",
                        json!({"org_id": gz, "name": format!("备份测试{i}"), "id_number": idn, "joined_on": "2010-07-01", "category": "full", "full_on": "2011-07-01", "phone": "13800138000"}),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
                committed.lock().unwrap().push((r.body["id"].as_i64().unwrap(), idn));
                i += 1;
            }
        })
    };
    while committed.lock().unwrap().len() < 5 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let before = committed.lock().unwrap().clone();
    let out = temp_dir("hl_backup_out").join("honglian-backup.tar.gz");
    let (dir, o) = (t.data_dir.clone(), out.clone());
    let (ok, text) =
        tokio::task::spawn_blocking(move || honglian_on(&dir, None, &["backup", "--out", o.to_str().unwrap()], None))
            .await
            .unwrap();
    let during = committed.lock().unwrap().len() - before.len();
    stop.store(true, Ordering::Relaxed);
    writer.await.unwrap();
    assert!(ok && text.contains("备份已写入") && text.contains("密钥文件不在备份中"), "{text}");
    assert!(during > 0, "registrations went on while the backup ran");
    let (ok, text) = honglian_on(&t.data_dir, None, &["backup", "--out", out.to_str().unwrap()], None);
    assert!(!ok && text.contains("已存在，不会覆盖"), "{text}");

    // The archive: manifest first, the database, the finished files; never the key.
    let archive = entries(&out);
    let names: Vec<&str> = archive.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[0], "manifest.json");
    assert!(names.contains(&"honglian.db"));
    assert_eq!(names.iter().filter(|n| n.starts_with("files/")).count(), 1, "{names:?}");
    assert!(!names.iter().any(|n| n.contains("keys") || n.contains(".tmp-")), "{names:?}");
    let manifest: serde_json::Value = serde_json::from_slice(&archive[0].1).unwrap();
    assert_eq!(
        (manifest["format"].as_str(), manifest["backend"].as_str()),
        (Some("honglian-backup-v1"), Some("sqlite"))
    );
    let keys = std::fs::read_to_string(t.data_dir.join("honglian.keys")).unwrap();
    let fp = honglian_app::platform::crypto::fingerprint(
        &honglian_app::platform::crypto::FileKeyProvider::load(&t.data_dir.join("honglian.keys")).unwrap(),
    );
    assert_eq!(manifest["key_fingerprint"], fp.as_str());
    for key in keys.lines().skip(1) {
        assert!(
            archive.iter().all(|(_, b)| !b.windows(key.len()).any(|w| w == key.as_bytes())),
            "no key is in the backup"
        );
    }

    // Restore: refused into a directory that holds anything, done into an empty one.
    let (ok, text) = honglian_on(&t.data_dir, None, &["restore", "--from", out.to_str().unwrap()], None);
    assert!(!ok && text.contains("不是空的，拒绝恢复") && text.contains("is not empty"), "{text}");
    let fresh = temp_dir("hl_restored");
    let key = t.data_dir.join("honglian.keys");
    let (ok, text) = honglian_env(&fresh, None, &[], &["restore", "--from", out.to_str().unwrap()], None);
    assert!(ok && text.contains("已恢复") && text.contains("--key-file"), "{text}");
    assert!(!fresh.join("honglian.keys").exists(), "no key is restored or made up");
    let (ok, text) = honglian_env(&fresh, None, &[("HONGLIAN_KEY_FILE", &key)], &["audit", "verify"], None);
    assert!(ok && text.contains("审计日志完好"), "{text}");

    let r = TestApp::spawn_with(fresh.clone(), honglian_store::sqlite_url(&fresh.join("honglian.db")), false, |c| {
        c.key_file = key.clone()
    })
    .await;
    let c = r.login("wuchuan_admin").await;
    for (id, idn) in &before {
        let found = c.post("/api/v1/members/lookup", json!({"id_number": idn})).await;
        assert_eq!(found.body["items"][0]["id"].as_i64(), Some(*id), "member {id} committed before the backup");
    }
    let back = c.get(&format!("/api/v1/activities/{activity}/attachments/{attachment}")).await;
    assert_eq!(back.bytes, png(7), "the uploaded file is restored");
}

/// On PostgreSQL the database is dumped with pg_dump: `backup` archives the file store and the
/// manifest and prints the pg_dump command (no password); `restore` puts the files back into an
/// empty directory and names pg_restore.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_on_postgres_archives_files_and_names_pg_dump() {
    let t = TestApp::postgres().await;
    let w = t.login("wuchuan_admin").await;
    let activity = t.activity_of(t.org_id("广州吴川商会党支部").await).await;
    let up = w.upload(&format!("/api/v1/activities/{activity}/attachments"), "合影.png", png(9)).await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    let out = temp_dir("hl_backup_pg").join("files.tar.gz");
    let url = t.database_url.clone();
    let (ok, text) = honglian_on(&t.data_dir, Some(&url), &["backup", "--out", out.to_str().unwrap()], None);
    assert!(ok && text.contains("pg_dump -Fc") && text.contains("不在这个备份文件中"), "{text}");
    let archive = entries(&out);
    let names: Vec<&str> = archive.iter().map(|(n, _)| n.as_str()).collect();
    assert!(!names.contains(&"honglian.db") && names.iter().filter(|n| n.starts_with("files/")).count() == 1);
    let manifest: serde_json::Value = serde_json::from_slice(&archive[0].1).unwrap();
    assert_eq!(manifest["backend"], "postgres");

    let fresh = temp_dir("hl_restored_pg");
    let (ok, text) = honglian_on(&fresh, Some(&url), &["restore", "--from", out.to_str().unwrap()], None);
    assert!(ok && text.contains("pg_restore"), "{text}");
    let restored: Vec<_> = walk(&fresh.join("files"));
    assert_eq!(restored.len(), 1);
    assert_eq!(std::fs::read(&restored[0]).unwrap(), png(9));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}
