//! `honglian keys rotate` with the real binary: killed at every step, it continues where it stopped;
//! in the end every personal field opens with the new key only, the blind indexes are the new key's
//! (lookups by ID number find the member) and the audit chain verifies.

use std::path::Path;
use std::process::{Command, Stdio};

use honglian_app::Crypto;
use honglian_app::platform::crypto::{FileKeyProvider, fingerprint};
use sea_orm::ConnectionTrait;
use serde_json::json;

use super::cli::{honglian_env, honglian_on};
use crate::helpers::{TestApp, temp_dir};

/// Every sealed value of the database opened with the key file `key` (panics on any that does not
/// open or whose blind index is not that key's), as one line per row.
async fn plaintexts(db_url: &str, key: &Path) -> Vec<String> {
    let c = Crypto::new(&FileKeyProvider::load(key).unwrap());
    let db = honglian_store::connect(db_url, 1).await.unwrap();
    let b = db.get_database_backend();
    let q = |sql: &str| sea_orm::Statement::from_string(b, sql.to_string());
    let mut out = Vec::new();
    let rows = db
        .query_all_raw(q(
            "SELECT id, id_number_enc, id_number_bidx, phone_enc, phone_bidx, address_enc FROM members ORDER BY id",
        ))
        .await
        .unwrap();
    for r in rows {
        let get = |c: &str| r.try_get::<Option<String>>("", c).unwrap();
        let id: i64 = r.try_get("", "id").unwrap();
        let bidx = get("id_number_bidx").unwrap();
        let open = |v: Option<String>, f: &str| {
            v.map(|v| c.open(&v, &format!("members.{f}:{bidx}")).unwrap_or_else(|e| panic!("member {id} {f}: {e}")))
        };
        let idn = open(get("id_number_enc"), "id_number").unwrap();
        assert_eq!(c.blind_index("id_number", &idn), bidx, "member {id}: the ID number's index is this key's");
        let phone = open(get("phone_enc"), "phone");
        assert_eq!(get("phone_bidx"), phone.as_ref().map(|p| c.blind_index("phone", p)), "member {id} phone index");
        out.push(format!("m{id} {idn} {phone:?} {:?}", open(get("address_enc"), "address")));
    }
    let rows = db
        .query_all_raw(q(
            "SELECT id, person_id_number_enc, person_id_number_bidx, person_phone_enc FROM mobility_records ORDER BY id",
        ))
        .await
        .unwrap();
    for r in rows {
        let get = |c: &str| r.try_get::<Option<String>>("", c).unwrap();
        let id: i64 = r.try_get("", "id").unwrap();
        let bidx = get("person_id_number_bidx");
        let b = bidx.clone().unwrap_or_default();
        let open = |v: Option<String>, f: &str| {
            v.map(|v| {
                c.open(&v, &format!("mobility_records.person_{f}:{b}"))
                    .unwrap_or_else(|e| panic!("mobility record {id} {f}: {e}"))
            })
        };
        let idn = open(get("person_id_number_enc"), "id_number");
        assert_eq!(bidx, idn.as_ref().map(|i| c.blind_index("id_number", i)), "mobility record {id} index");
        out.push(format!("r{id} {idn:?} {:?}", open(get("person_phone_enc"), "phone")));
    }
    // Free text (`platform::sealing`): bound to the member the row is about.
    for t in honglian_app::platform::sealing::FREE_TEXT {
        let cols: Vec<&str> = t.columns.iter().map(|c| c.1).collect();
        let sql =
            format!("SELECT id, CAST({} AS TEXT) AS owner, {} FROM {} ORDER BY id", t.owner, cols.join(", "), t.table);
        for r in db.query_all_raw(q(&sql)).await.unwrap() {
            let id: i64 = r.try_get("", "id").unwrap();
            let owner: i64 = r.try_get::<Option<String>>("", "owner").unwrap().map_or(0, |o| o.parse().unwrap());
            let mut line = format!("{}{id}", t.table);
            for (plain, enc) in t.columns {
                let v = r.try_get::<Option<String>>("", enc).unwrap();
                let opened = honglian_app::platform::sealing::open_text(&c, t.table, plain, owner, v.as_deref())
                    .unwrap_or_else(|e| panic!("{} {id} {plain}: {e}", t.table));
                line.push_str(&format!(" {opened:?}"));
            }
            out.push(line);
        }
    }
    db.close().await.unwrap();
    out
}

async fn recorded_fingerprint(db_url: &str) -> String {
    let db = honglian_store::connect(db_url, 1).await.unwrap();
    let b = db.get_database_backend();
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(b, "SELECT value FROM settings WHERE key = 'keys.fingerprint'"))
        .await
        .unwrap()
        .unwrap();
    db.close().await.unwrap();
    row.try_get("", "value").unwrap()
}

/// How many rows of the first table the progress row says are done (None: no rotation under way).
async fn progress(db_url: &str) -> Option<i64> {
    let db = honglian_store::connect(db_url, 1).await.unwrap();
    let b = db.get_database_backend();
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(b, "SELECT value FROM settings WHERE key = 'keys.rotation'"))
        .await
        .unwrap();
    db.close().await.unwrap();
    let v: serde_json::Value = serde_json::from_str(&row?.try_get::<String>("", "value").unwrap()).unwrap();
    Some(v["tables"]["members"]["rows"].as_i64().unwrap_or(0))
}

/// After a (resumed) rotation: the file holds one new key, the database records its fingerprint,
/// every value opens with it as before, and the old key opens nothing.
async fn assert_rotated(db_url: &str, key: &Path, old_key: &Path, expected: &[String]) {
    assert!(std::fs::read_to_string(key).unwrap().starts_with("honglian-keys-v1\n"), "one key again");
    let new = FileKeyProvider::load(key).unwrap();
    let old = FileKeyProvider::load(old_key).unwrap();
    assert_ne!(fingerprint(&new), fingerprint(&old));
    assert_eq!(recorded_fingerprint(db_url).await, fingerprint(&new));
    assert_eq!(progress(db_url).await, None, "no rotation is left under way");
    assert_eq!(plaintexts(db_url, key).await, expected, "every personal field is intact under the new key");
    let c = Crypto::new(&old);
    let db = honglian_store::connect(db_url, 1).await.unwrap();
    let b = db.get_database_backend();
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            b,
            "SELECT id_number_enc, id_number_bidx FROM members ORDER BY id LIMIT 1",
        ))
        .await
        .unwrap()
        .unwrap();
    let (enc, bidx): (String, String) =
        (row.try_get("", "id_number_enc").unwrap(), row.try_get("", "id_number_bidx").unwrap());
    assert!(c.open(&enc, &format!("members.id_number:{bidx}")).is_err(), "the old key opens nothing");
    db.close().await.unwrap();
}

async fn keys_rotate(url: Option<String>) {
    let dir = temp_dir("hl_rotate");
    let url = url.as_deref();
    let db_url = url.map(String::from).unwrap_or_else(|| honglian_store::sqlite_url(&dir.join("honglian.db")));
    let key = dir.join("honglian.keys");
    let (ok, out) = honglian_on(&dir, url, &["demo"], None);
    assert!(ok, "{out}");
    let expected = plaintexts(&db_url, &key).await;
    assert!(expected.len() > 5_000 && expected.iter().any(|l| l.starts_with('r') && !l.contains("None None")));
    for t in ["mobility_records", "census_entries", "contacts"] {
        assert!(expected.iter().any(|l| l.starts_with(t) && l.contains("Some(")), "{t} has sealed free text");
    }

    // Killed (SIGKILL) in the middle of the batches.
    let old_key = temp_dir("hl_rotate_old").join("honglian.keys");
    std::fs::copy(&key, &old_key).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_honglian"));
    cmd.args(["keys", "rotate", "--batch-size", "50", "--data-dir"]).arg(&dir);
    if let Some(u) = url {
        cmd.args(["--database-url", u]);
    }
    let mut child =
        cmd.env("HONGLIAN_TEST_ROTATE_PAUSE_MS", "20").stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while progress(&db_url).await.unwrap_or(0) < 200 {
        assert!(std::time::Instant::now() < deadline, "the rotation makes progress");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let done = progress(&db_url).await.unwrap();
    assert!(done < 6_000, "killed half-way ({done} rows done)");
    // Half the rows are under the new key: nothing but the rotation may start.
    let out_file = temp_dir("hl_rotate_backup").join("b.tar.gz");
    for args in [
        &["serve", "--listen", "127.0.0.1:0"][..],
        &["audit", "verify"],
        &["backup", "--out", out_file.to_str().unwrap()],
    ] {
        let (ok, out) = honglian_on(&dir, url, args, None);
        assert!(!ok && out.contains("密钥轮换尚未完成"), "{args:?}: {out}");
    }
    let (ok, out) = honglian_on(&dir, url, &["keys", "rotate", "--batch-size", "500"], None);
    assert!(ok && out.contains("从中断处继续"), "{out}");
    assert_rotated(&db_url, &key, &old_key, &expected).await;

    // Killed right after each step of the protocol, it continues from there.
    for step in ["keyfile", "started", "batch:3", "fingerprint"] {
        std::fs::copy(&key, &old_key).unwrap();
        let crash = Path::new(step);
        let (ok, out) = honglian_env(
            &dir,
            url,
            &[("HONGLIAN_TEST_CRASH_AT", crash)],
            &["keys", "rotate", "--batch-size", "1000"],
            None,
        );
        assert!(!ok, "{step}: {out}");
        let (ok, out) = honglian_on(&dir, url, &["serve", "--listen", "127.0.0.1:0"], None);
        assert!(!ok && out.contains("密钥轮换尚未完成"), "{step}: {out}");
        let (ok, out) = honglian_on(&dir, url, &["keys", "rotate", "--batch-size", "1000"], None);
        assert!(ok && out.contains("从中断处继续"), "{step}: {out}");
        assert_rotated(&db_url, &key, &old_key, &expected).await;
    }

    // The service starts with the new key; a lookup by ID number finds the member.
    let (ok, out) = honglian_on(&dir, url, &["audit", "verify"], None);
    assert!(ok && out.contains("审计日志完好"), "{out}");
    let t = TestApp::spawn(dir.clone(), db_url.clone(), false).await;
    let c = t.login("wuchuan_admin").await;
    let member = t.member_in("广州吴川商会党支部").await;
    let idn = expected.iter().find(|l| l.starts_with(&format!("m{member} "))).unwrap().split(' ').nth(1).unwrap();
    let found = c.post("/api/v1/members/lookup", json!({"id_number": idn})).await;
    assert_eq!(found.body["items"][0]["id"].as_i64(), Some(member), "{}", found.body);
    let shown = c.post(&format!("/api/v1/members/{member}/unmask"), json!({"reason": "核对轮换后的数据"})).await;
    assert_eq!(shown.body["id_number"].as_str(), Some(idn), "{}", shown.body);
    let log = t.login("auditor").await;
    let rotated = log.get("/api/v1/audit-events?action=keys.rotated").await.body;
    assert_eq!(rotated["total"], 5, "one record per rotation: {rotated}");
    assert_eq!(log.get("/api/v1/audit-events?action=keys.rotation_started").await.body["total"], 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_rotate_resumes_after_kill_sqlite() {
    keys_rotate(None).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_rotate_resumes_after_kill_postgres() {
    keys_rotate(Some(crate::helpers::fresh_pg_url().await)).await
}

/// Every column of the schema that holds ciphertext (`*_enc`) or a blind index (`*_bidx`) is one the
/// rotation re-seals: a new sealed column that is not added to `rotation::SEALED` fails here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_sealed_column_is_rotated() {
    let dir = temp_dir("hl_sealed_columns");
    let db = honglian_store::connect(&honglian_store::sqlite_url(&dir.join("honglian.db")), 1).await.unwrap();
    honglian_store::migration::migrate(&db).await.unwrap();
    let rows = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND (p.name LIKE '%\\_enc' ESCAPE '\\' OR p.name LIKE '%\\_bidx' ESCAPE '\\') \
             ORDER BY 1, 2",
        ))
        .await
        .unwrap();
    let mut in_schema: Vec<String> = rows
        .iter()
        .map(|r| format!("{}.{}", r.try_get::<String>("", "t").unwrap(), r.try_get::<String>("", "c").unwrap()))
        .collect();
    let mut rotated: Vec<String> = honglian_app::platform::rotation::SEALED
        .iter()
        .flat_map(|t| t.columns.iter().map(move |c| format!("{}.{c}", t.table)))
        .collect();
    in_schema.sort();
    rotated.sort();
    assert!(in_schema.len() >= 8, "{in_schema:?}");
    assert_eq!(in_schema, rotated);
}
