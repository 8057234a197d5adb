//! Free-text personal fields (the outflow's detailed address, what a census found, contact notes)
//! are sealed at rest, shown to whoever may read the record, masked in ledgers and exports without
//! unmask; text stored in clear by an older version is sealed at the next start.

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use serde_json::json;

use crate::helpers::{TestApp, sheet};

const ADDRESS: &str = "海口市龙华区密文路 88 号";
const NOTE: &str = "谈心：家中老人住院，需帮扶";
const PLACE: &str = "深圳市南山区密文小区";
const THOUGHTS: &str = "想回乡创业密文";
const NEEDS: &str = "希望解决子女入学密文";

async fn row(t: &TestApp, sql: &str, id: i64, cols: &[&str]) -> Vec<Option<String>> {
    let db = &t.app.db;
    let b = db.get_database_backend();
    let sql = if b == DatabaseBackend::Postgres { sql.replace('?', "$1") } else { sql.to_string() };
    let r = db.query_one_raw(Statement::from_sql_and_values(b, &sql, [id.into()])).await.unwrap().unwrap();
    cols.iter().map(|c| r.try_get::<Option<String>>("", c).unwrap()).collect()
}

async fn free_text_is_sealed_at_rest(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    // A member at home, so that an outflow can be registered.
    let home = t.org_id("梅菉街道梅岭村第一党支部").await;
    let list = w.get(&format!("/api/v1/members?org={home}&status=normal&per_page=200")).await.body;
    let mut mid = None;
    for m in list["items"].as_array().unwrap() {
        let id = m["id"].as_i64().unwrap();
        let h = w.get(&format!("/api/v1/members/{id}/mobility")).await.body;
        if !h["items"].as_array().unwrap().iter().any(|r| r["status"] == "open") {
            mid = Some(id);
            break;
        }
    }
    let mid = mid.expect("someone at home");
    let r = w
        .post(
            "/api/v1/outflows",
            json!({"member_id": mid, "province_code": "460000", "city_code": "460100", "address": ADDRESS,
                   "reason": "work_business", "start_date": "2025-09-01"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["address"], ADDRESS, "the writer sees what was written");
    let rid = r.body["id"].as_i64().unwrap();
    let today = chrono::Local::now().date_naive();
    let c = w
        .post(&format!("/api/v1/members/{mid}/contacts"), json!({"kind": "call", "contacted_on": today, "note": NOTE}))
        .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
    let cid = c.body["id"].as_i64().unwrap();
    // The open census of the demo: record what was found for one entry.
    let open = w.get("/api/v1/censuses").await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "open")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let entries = w.get(&format!("/api/v1/censuses/{open}/entries?verified=false&per_page=1")).await.body;
    let e = &entries["items"][0];
    let (eid, emember) = (e["id"].as_i64().unwrap(), e["member_id"].as_i64().unwrap());
    let put = w
        .put(
            &format!("/api/v1/censuses/{open}/entries/{eid}"),
            json!({"reached": true, "current_place": PLACE, "thoughts": THOUGHTS, "needs": NEEDS, "circumstances": "表现良好"}),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    assert_eq!(put.body["current_place"], PLACE);

    // At rest: the plaintext columns are empty, the sealed ones hold ciphertext.
    let m = row(&t, "SELECT address, address_enc FROM mobility_records WHERE id = ?", rid, &["address", "address_enc"])
        .await;
    assert_eq!(m[0], None);
    assert!(m[1].as_deref().unwrap().starts_with("v1:"));
    let n = row(&t, "SELECT note, note_enc FROM contacts WHERE id = ?", cid, &["note", "note_enc"]).await;
    assert_eq!(n[0], None);
    assert!(n[1].as_deref().unwrap().starts_with("v1:"));
    let cols = ["current_place", "thoughts", "needs", "current_place_enc", "thoughts_enc", "needs_enc"];
    let ce = row(&t, &format!("SELECT {} FROM census_entries WHERE id = ?", cols.join(", ")), eid, &cols).await;
    assert_eq!(&ce[..3], &[None, None, None]);
    assert!(ce[3..].iter().all(|v| v.as_deref().unwrap().starts_with("v1:")));
    // Nowhere in the database file (SQLite: the file and its WAL).
    if t.database_url.starts_with("sqlite") {
        for entry in std::fs::read_dir(&t.data_dir).unwrap() {
            let p = entry.unwrap().path();
            if p.file_name().unwrap().to_string_lossy().starts_with("honglian.db") {
                let bytes = std::fs::read(&p).unwrap();
                for secret in [ADDRESS, NOTE, PLACE, THOUGHTS, NEEDS] {
                    assert!(
                        !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                        "{secret} in {}",
                        p.display()
                    );
                }
            }
        }
    }

    // Shown to whoever may read the record.
    let hist = w.get(&format!("/api/v1/members/{mid}/mobility")).await.body;
    assert!(hist["items"].as_array().unwrap().iter().any(|r| r["address"] == ADDRESS), "{hist}");
    let notes = w.get(&format!("/api/v1/members/{mid}/contacts")).await.body;
    assert!(notes["items"].as_array().unwrap().iter().any(|c| c["note"] == NOTE), "{notes}");
    let found = w.get(&format!("/api/v1/censuses/{open}/entries?verified=true&per_page=200")).await.body;
    let mine = found["items"].as_array().unwrap().iter().find(|e| e["id"] == eid).expect("the entry");
    assert_eq!(
        (&mine["current_place"], &mine["thoughts"], &mine["needs"]),
        (&json!(PLACE), &json!(THOUGHTS), &json!(NEEDS))
    );
    // Not to another county.
    let jx = t.login("jinxiang_admin").await;
    assert_eq!(jx.get(&format!("/api/v1/members/{mid}/contacts")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(jx.get(&format!("/api/v1/members/{emember}/mobility")).await.status, StatusCode::NOT_FOUND);

    // Ledgers and exports without unmask mask the detailed address (province and city stay).
    let masked = honglian_domain::mask::mask_address(ADDRESS);
    let ledger = w.get("/api/v1/ledgers/outflow?city=460100&from=2025-09-01&to=2025-09-01&per_page=200").await.body;
    let item = ledger["items"].as_array().unwrap().iter().find(|i| i["id"] == rid).expect("in the ledger");
    assert_eq!(item["address"], masked.as_str());
    let q = "/api/v1/ledgers/outflow.xlsx?city=460100&from=2025-09-01&to=2025-09-01";
    let rows = sheet(&w.get(q).await.bytes);
    assert_eq!(rows[2][8], "详细地址");
    let line = rows.iter().find(|r| r.iter().any(|c| c == &masked)).expect("a masked address in the export");
    assert!(!line.iter().any(|c| c == ADDRESS));
    let rows = sheet(&w.get(&format!("{q}&unmask_reason=%E6%A0%B8%E5%AF%B9%E5%8F%B0%E8%B4%A6")).await.bytes);
    assert!(rows.iter().any(|r| r.iter().any(|c| c == ADDRESS)), "clear with unmask and a reason");

    // A database from before the sealed columns: plaintext is sealed at the next start.
    let db = &t.app.db;
    let b = db.get_database_backend();
    let legacy = "旧版本明文联系备注";
    let sql = "UPDATE contacts SET note = ?, note_enc = NULL WHERE id = ?";
    let sql =
        if b == DatabaseBackend::Postgres { sql.replacen('?', "$1", 1).replacen('?', "$2", 1) } else { sql.into() };
    db.execute_raw(Statement::from_sql_and_values(b, &sql, [legacy.into(), cid.into()])).await.unwrap();
    db.execute_unprepared("DELETE FROM settings WHERE key = 'sealing.free_text'").await.unwrap();
    let sealed = honglian_app::platform::sealing::seal_plaintext(&t.app, 2).await.unwrap();
    assert!(sealed >= 1);
    let n = row(&t, "SELECT note, note_enc FROM contacts WHERE id = ?", cid, &["note", "note_enc"]).await;
    assert_eq!(n[0], None, "the plaintext is gone");
    assert!(n[1].is_some());
    let notes = w.get(&format!("/api/v1/members/{mid}/contacts")).await.body;
    assert!(notes["items"].as_array().unwrap().iter().any(|c| c["note"] == legacy), "{notes}");
    assert_eq!(honglian_app::platform::sealing::seal_plaintext(&t.app, 2).await.unwrap(), 0, "then nothing to do");
}
crate::both!(free_text_is_sealed_at_rest);
