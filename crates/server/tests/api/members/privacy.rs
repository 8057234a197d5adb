//! No plaintext ID number or phone reaches the database file or the logs,
//! even at debug log level and when they are used as search terms.

use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::json;

use crate::helpers::{TestApp, id_number, temp_dir};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_plaintext_in_database_or_logs() {
    let dir = temp_dir("hl_privacy");
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let log_path = dir.join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_honglian"))
        .args(["serve", "--demo", "--listen", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(&dir)
        .env("HONGLIAN_LOG", "debug")
        .stdout(Stdio::from(log.try_clone().unwrap()))
        .stderr(Stdio::from(log))
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let mut up = false;
    for _ in 0..300 {
        if reqwest::get(format!("{base}/healthz")).await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "server did not start: {}", std::fs::read_to_string(&log_path).unwrap_or_default());
    let t = TestApp {
        base: base.clone(),
        app: honglian_server::open_app(&crate::helpers::test_config(
            dir.clone(),
            honglian_store::sqlite_url(&dir.join("honglian.db")),
        ))
        .await
        .unwrap(),
        data_dir: dir.clone(),
        database_url: String::new(),
        owned: false,
    };
    let idn = id_number("440883", 1985, 6, 6, 42);
    let phone = "13798765432";
    let c = t.login("gz_branch").await;
    let gz = c.get("/api/v1/orgs/roots").await.body["items"][0]["id"].as_i64().unwrap();
    let r = c.post("/api/v1/members", json!({"org_id": gz, "name": "隐私测试", "id_number": idn, "phone": phone, "address": "广州市天河区隐私路 8 号", "joined_on": "2010-07-01"})).await;
    assert!(r.status.is_success(), "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    c.post("/api/v1/members/lookup", json!({"id_number": idn})).await;
    c.post("/api/v1/members/lookup", json!({"phone": phone})).await;
    c.post(&format!("/api/v1/members/{id}/unmask"), json!({"reason": "隐私测试"})).await;
    // A bad phone in a search must not echo the number into the logs either.
    c.post("/api/v1/members/lookup", json!({"phone": "1379876543"})).await;
    let _ = child.kill();
    let _ = child.wait();

    let logs = std::fs::read_to_string(&log_path).unwrap();
    assert!(logs.contains("/api/v1/members"), "requests were logged: {logs}");
    for secret in [idn.as_str(), phone, "1379876543", "隐私路"] {
        assert!(!logs.contains(secret), "{secret} leaked into the logs");
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.file_name().unwrap().to_string_lossy().starts_with("honglian.db") {
                let bytes = std::fs::read(&p).unwrap();
                assert!(!contains(&bytes, secret.as_bytes()), "{secret} found in {}", p.display());
            }
        }
    }
    assert!(!logs.contains("Demo@2026!") || logs.contains("密码均为"), "passwords only appear in the demo banner");
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}
