//! Holiday greetings and the outbox through the API, with real channels: in-app delivery by the
//! worker (once, however many workers run; a lease that ran out is taken over), email through a
//! real SMTP server started for the test (aiosmtpd: STARTTLS with its own CA, AUTH), quiet hours,
//! retries and the dead letter; WeCom and DingTalk robots against a local HTTP server that checks
//! the key and the signature and fails on purpose; scope and bad input.

use std::io::BufRead;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{Duration, Timelike, Utc};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{TestApp, fresh_pg_url, items, temp_dir};

const SMTP_USER: &str = "honglian";
const SMTP_PASSWORD: &str = "mail-secret";

/// A real SMTP server (scripts/smtp_sink.py under the virtualenv scripts/test.sh makes), killed on drop.
struct SmtpSink {
    child: std::process::Child,
    port: u16,
    dir: PathBuf,
}

impl SmtpSink {
    fn start() -> Self {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let target = std::env::var("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|_| root.join("target"));
        let python = std::env::var("HONGLIAN_TEST_SMTPD_PYTHON")
            .map(PathBuf::from)
            .unwrap_or_else(|_| target.join("smtp-venv/bin/python"));
        assert!(
            python.exists(),
            "the SMTP test server needs aiosmtpd: run scripts/test.sh once, or \
             python3 -m venv target/smtp-venv && target/smtp-venv/bin/pip install aiosmtpd==1.4.6"
        );
        let dir = temp_dir("hl_smtp");
        let mut child = std::process::Command::new(python)
            .arg(root.join("scripts/smtp_sink.py"))
            .arg(&dir)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start the SMTP server");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port =
            line.trim().strip_prefix("PORT ").unwrap_or_else(|| panic!("smtp_sink said {line:?}")).parse().unwrap();
        SmtpSink { child, port, dir }
    }

    /// The messages received so far: (recipients, raw message).
    fn mails(&self) -> Vec<(String, String)> {
        let mut names: Vec<_> = std::fs::read_dir(&self.dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|p| (std::fs::read_to_string(p.with_extension("rcpt")).unwrap(), std::fs::read_to_string(&p).unwrap()))
            .collect()
    }

    fn config(&self) -> honglian_app::SmtpConfig {
        honglian_app::SmtpConfig {
            host: "127.0.0.1".into(),
            port: Some(self.port),
            tls: "starttls".into(),
            username: Some(SMTP_USER.into()),
            password: Some(SMTP_PASSWORD.into()),
            from: "红链 <noreply@honglian.example.cn>".into(),
            ca_file: Some(self.dir.join("ca.pem")),
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// How the local robot server answers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Ok,
    Fail,
    RateLimited,
}

/// A local HTTP server standing in for WeCom's and DingTalk's robot APIs: it checks the key, and
/// DingTalk's timestamp and signature, and records what it accepted.
#[derive(Clone)]
struct Robots {
    base: String,
    got: Arc<Mutex<Vec<(String, String)>>>,
    mode: Arc<Mutex<Mode>>,
    rejected: Arc<Mutex<u32>>,
}

const WECOM_KEY: &str = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";
const DING_TOKEN: &str = "d1ngt0ken";
const DING_SECRET: &str = "SECb6f1a2d3c4e5f60718293a4b5c6d7e8f9";

impl Robots {
    async fn start() -> Self {
        use axum::extract::{Query, State};
        use axum::routing::post;
        use std::collections::HashMap;
        let got = Arc::new(Mutex::new(Vec::new()));
        let mode = Arc::new(Mutex::new(Mode::Ok));
        let rejected = Arc::new(Mutex::new(0));
        type S = (Arc<Mutex<Vec<(String, String)>>>, Arc<Mutex<Mode>>, Arc<Mutex<u32>>);
        async fn wecom(
            State((got, mode, rejected)): State<S>,
            Query(q): Query<HashMap<String, String>>,
            axum::Json(body): axum::Json<Value>,
        ) -> axum::response::Response {
            use axum::response::IntoResponse;
            if q.get("key").map(String::as_str) != Some(WECOM_KEY) {
                *rejected.lock().unwrap() += 1;
                return axum::Json(json!({"errcode": 93000, "errmsg": "invalid webhook url"})).into_response();
            }
            match *mode.lock().unwrap() {
                Mode::Fail => return (axum::http::StatusCode::BAD_GATEWAY, "down").into_response(),
                Mode::RateLimited => {
                    return axum::Json(json!({"errcode": 45009, "errmsg": "api freq out of limit"})).into_response();
                }
                Mode::Ok => {}
            }
            got.lock().unwrap().push(("wecom".into(), body["text"]["content"].as_str().unwrap_or("").to_string()));
            axum::Json(json!({"errcode": 0, "errmsg": "ok"})).into_response()
        }
        async fn dingtalk(
            State((got, mode, rejected)): State<S>,
            Query(q): Query<HashMap<String, String>>,
            axum::Json(body): axum::Json<Value>,
        ) -> axum::Json<Value> {
            let ts: i64 = q.get("timestamp").and_then(|t| t.parse().ok()).unwrap_or(0);
            let fresh = (Utc::now().timestamp_millis() - ts).abs() < 3_600_000;
            let signed = q.get("sign").map(String::as_str)
                == Some(honglian_app::platform::outbox::dingtalk_sign(DING_SECRET, ts).as_str());
            if q.get("access_token").map(String::as_str) != Some(DING_TOKEN) || !fresh || !signed {
                *rejected.lock().unwrap() += 1;
                return axum::Json(json!({"errcode": 310000, "errmsg": "sign not match"}));
            }
            match *mode.lock().unwrap() {
                Mode::Fail => return axum::Json(json!({"errcode": 400013, "errmsg": "群已被解散"})),
                Mode::RateLimited => return axum::Json(json!({"errcode": 130101, "errmsg": "send too fast"})),
                Mode::Ok => {}
            }
            got.lock().unwrap().push(("dingtalk".into(), body["text"]["content"].as_str().unwrap_or("").to_string()));
            axum::Json(json!({"errcode": 0, "errmsg": "ok"}))
        }
        let app = axum::Router::new()
            .route("/cgi-bin/webhook/send", post(wecom))
            .route("/robot/send", post(dingtalk))
            .with_state((got.clone(), mode.clone(), rejected.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.ok() });
        Robots { base, got, mode, rejected }
    }

    fn set(&self, m: Mode) {
        *self.mode.lock().unwrap() = m;
    }
}

async fn spawn(pg: bool, tweak: impl FnOnce(&mut honglian_server::config::Config)) -> TestApp {
    if pg {
        TestApp::spawn_with(temp_dir("hl_pg"), fresh_pg_url().await, true, tweak).await
    } else {
        let dir = temp_dir("hl_sqlite");
        let url = honglian_store::sqlite_url(&dir.join("honglian.db"));
        TestApp::spawn_with(dir, url, true, tweak).await
    }
}

fn greeting(org: i64, occasion: &str) -> Value {
    json!({"org_id": org, "occasion": occasion, "title": format!("{occasion}问候"),
           "body": "在外的党员同志们：节日快乐！家乡党组织牵挂着你们。"})
}

/// The greeting's figures as the console shows them.
async fn figures(c: &crate::helpers::Client, id: i64) -> Value {
    let r = c.get(&format!("/api/v1/greetings/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body
}

async fn greetings_in_app(t: TestApp) {
    let county = t.org_id("中共吴川市委员会").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let jinxiang = t.org_id("中共金乡县委员会").await;
    let wc = t.login("wuchuan_admin").await;
    let gzb = t.login("gz_branch").await;
    let jx = t.login("jinxiang_admin").await;
    let me = t.login("member_demo").await;

    // Bad input names the field; nothing is sent.
    let mut bad = greeting(county, "国庆节");
    bad["body"] = json!("有事请打 13912345678 联系");
    let r = wc.post("/api/v1/greetings", bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["errors"]["body"][0].as_str().unwrap().contains("手机号码"), "{}", r.body);
    let r =
        wc.post("/api/v1/greetings", json!({"org_id": county, "occasion": " ", "title": "问候", "body": "快乐"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["errors"]["occasion"].is_array(), "{}", r.body);

    // Scope: a branch greets only its own subtree; another county sees nothing of Wuchuan's.
    assert_eq!(gzb.post("/api/v1/greetings", greeting(county, "国庆节")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(jx.get(&format!("/api/v1/greetings/reach?org={county}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(me.get("/api/v1/greetings").await.status, StatusCode::FORBIDDEN);

    let reach = wc.get(&format!("/api/v1/greetings/reach?org={county}")).await;
    assert_eq!(reach.status, StatusCode::OK, "{}", reach.body);
    let (targeted, with_account) =
        (reach.body["targeted"].as_u64().unwrap(), reach.body["with_account"].as_u64().unwrap());
    assert!(targeted > 1000 && with_account >= 100 && with_account < targeted, "{}", reach.body);

    let demo_member: i64 = me.get("/api/v1/me/profile").await.body["member"]["id"].as_i64().unwrap();
    let contacts_before = t
        .sql_i64(&format!("SELECT COUNT(*) FROM contacts WHERE member_id = {demo_member} AND kind = 'greeting'"))
        .await;
    let last_contact = |t: &TestApp| {
        let sql = format!("SELECT COALESCE(last_contact_on, '1900-01-01') FROM members WHERE id = {demo_member}");
        let db = t.app.db.clone();
        async move {
            let b = db.get_database_backend();
            let row = db.query_one_raw(Statement::from_string(b, sql)).await.unwrap().unwrap();
            row.try_get_by_index::<chrono::NaiveDate>(0).unwrap()
        }
    };
    let clock_before = last_contact(&t).await;

    let r = wc.post("/api/v1/greetings", greeting(county, "国庆节")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["targeted"].as_u64().unwrap(), targeted);
    assert_eq!(r.body["no_account"].as_u64().unwrap(), targeted - with_account);
    assert_eq!(r.body["in_app"]["queued"].as_u64().unwrap(), with_account, "queued, not yet delivered");
    assert_eq!(r.body["in_app"]["sent"], 0);

    // Two workers at once (two instances): every member gets it once.
    let (a, b) = tokio::join!(t.app.deliver_outbox(), t.app.deliver_outbox());
    assert_eq!(a.unwrap().in_app + b.unwrap().in_app, with_account);
    assert_eq!(t.app.deliver_outbox().await.unwrap().in_app, 0, "nothing twice");
    let f = figures(&wc, id).await;
    assert_eq!(f["in_app"]["sent"].as_u64().unwrap(), with_account, "{f}");
    assert_eq!(f["read"], 0);
    assert_eq!(
        t.sql_i64(&format!("SELECT COUNT(*) FROM notifications WHERE dedupe_key = 'greeting:{id}'")).await as u64,
        with_account
    );

    // The member reads it in-app; the console counts one read, never who.
    let list = me.get("/api/v1/notifications").await;
    let mine = items(&list.body).iter().find(|n| n["kind"] == "greeting" && n["title"] == "国庆节问候").cloned();
    let mine = mine.unwrap_or_else(|| panic!("member_demo has the greeting: {}", list.body));
    assert_eq!(mine["read"], false);
    let r = me.post(&format!("/api/v1/notifications/{}/read", mine["id"]), json!({})).await;
    assert_eq!(r.status, StatusCode::OK);
    let f = figures(&wc, id).await;
    assert_eq!(f["read"], 1, "{f}");
    assert!(f.get("readers").is_none());

    // The delivery is in the member's contact log as a greeting; the lost-contact clock stays.
    let contacts_after = t
        .sql_i64(&format!("SELECT COUNT(*) FROM contacts WHERE member_id = {demo_member} AND kind = 'greeting'"))
        .await;
    assert_eq!(contacts_after, contacts_before + 1);
    assert_eq!(last_contact(&t).await, clock_before, "a greeting is not a reply");
    let log = wc.get(&format!("/api/v1/members/{demo_member}/contacts")).await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.body);
    assert!(items(&log.body).iter().any(|c| c["kind"] == "greeting"), "{}", log.body);

    // The chamber branch greets the members it receives (member_demo among them), and sees only its own.
    let r = gzb.post("/api/v1/greetings", greeting(gz, "重阳节")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let gz_id = r.body["id"].as_i64().unwrap();
    assert!(r.body["targeted"].as_u64().unwrap() < targeted);
    t.app.deliver_outbox().await.unwrap();
    let list = gzb.get("/api/v1/greetings").await;
    let seen: Vec<i64> = items(&list.body).iter().map(|g| g["id"].as_i64().unwrap()).collect();
    assert!(seen.contains(&gz_id) && !seen.contains(&id), "{seen:?}");
    assert_eq!(gzb.get(&format!("/api/v1/greetings/{id}")).await.status, StatusCode::NOT_FOUND);
    assert!(items(&me.get("/api/v1/notifications").await.body).iter().any(|n| n["title"] == "重阳节问候"));
    // Jinxiang's county sees none of it; its own greeting reaches only its own.
    assert_eq!(items(&jx.get("/api/v1/greetings").await.body).len(), 0);
    let r = jx.post("/api/v1/greetings", greeting(jinxiang, "国庆节")).await;
    assert!(matches!(r.status, StatusCode::CREATED | StatusCode::UNPROCESSABLE_ENTITY), "{}", r.body);
    let outbox = gzb.get("/api/v1/notify/outbox?per_page=100").await;
    assert_eq!(outbox.status, StatusCode::OK, "{}", outbox.body);
    assert!(outbox.body["total"].as_u64().unwrap() > 0);
    assert!(items(&outbox.body).iter().all(|o| o["kind"] == "greeting"), "only the branch's own sends");
    assert!(
        outbox.body["total"].as_u64().unwrap() < wc.get("/api/v1/notify/outbox").await.body["total"].as_u64().unwrap(),
        "the county sees its subtree's deliveries, the branch only its own"
    );
}
crate::both!(greetings_in_app);

async fn leases(t: TestApp) {
    let county = t.org_id("中共吴川市委员会").await;
    let wc = t.login("wuchuan_admin").await;
    let r = wc.post("/api/v1/greetings", greeting(county, "元宵节")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let (id, queued) = (r.body["id"].as_i64().unwrap(), r.body["in_app"]["queued"].as_u64().unwrap());
    // An instance took every row and was killed: its lease holds them until it runs out.
    let now = Utc::now();
    let txn = honglian_store::begin_write(&t.app.db).await.unwrap();
    let held = honglian_store::repo::platform::outbox::claim(
        &txn,
        "in_app",
        "dead-instance",
        now,
        now + Duration::minutes(2),
        100_000,
    )
    .await
    .unwrap();
    txn.commit().await.unwrap();
    assert_eq!(held, queued);
    assert_eq!(t.app.deliver_outbox().await.unwrap().in_app, 0, "held by the other instance's lease");
    // A message being sent is not sent again by hand meanwhile.
    let held_row = t.sql_i64("SELECT MIN(id) FROM outbox WHERE lease_token = 'dead-instance'").await;
    let r = wc.post(&format!("/api/v1/notify/outbox/{held_row}/retry"), json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    t.sql_exec("UPDATE outbox SET lease_until = created_at WHERE lease_token = 'dead-instance'").await;
    assert_eq!(t.app.deliver_outbox().await.unwrap().in_app, queued, "the lease ran out: taken over");
    assert_eq!(figures(&wc, id).await["in_app"]["sent"].as_u64().unwrap(), queued);
}
crate::both!(leases);

async fn email(pg: bool) {
    let sink = SmtpSink::start();
    let smtp = sink.config();
    let t = spawn(pg, |c| c.notify.smtp = Some(smtp)).await;
    let county = t.org_id("中共吴川市委员会").await;
    let wc = t.login("wuchuan_admin").await;
    let me = t.login("member_demo").await;

    // Preferences: bad input names the field; the address is masked when read back.
    let r = me.put("/api/v1/notify/prefs", json!({"email": "lin@", "email_on": true})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["errors"]["email"].is_array(), "{}", r.body);
    let r = me.put("/api/v1/notify/prefs", json!({"email_on": false, "quiet_start": "22:00"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["errors"]["quiet_end"].is_array(), "{}", r.body);
    let r = me.put("/api/v1/notify/prefs", json!({"email": "linzhiyuan@mail.example.cn", "email_on": true})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["email_masked"], "l***@mail.example.cn");
    assert_eq!(r.body["email_on"], true);
    assert_eq!(r.body["email_available"], true);
    let stored = t.sql_i64("SELECT COUNT(*) FROM notify_prefs WHERE email_enc LIKE '%linzhiyuan%'").await;
    assert_eq!(stored, 0, "the address is sealed at rest");

    // The demo's three members who asked for email keep quiet hours (22:00–07:00): at those hours their mail
    // waits, as the quiet-hours part below tests. Here they are lifted, so the figures do not depend on the hour
    // the test runs at.
    t.sql_exec("UPDATE notify_prefs SET quiet_start = NULL, quiet_end = NULL").await;
    let r = wc.post("/api/v1/greetings", greeting(county, "国庆节")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    let emails = r.body["email"]["queued"].as_u64().unwrap();
    assert!(emails >= 1, "{}", r.body);
    let report = t.app.deliver_outbox().await.unwrap();
    assert!(report.email >= 1, "{report:?}");
    let mails = sink.mails();
    let (rcpt, raw) = mails.iter().find(|(r, _)| r.contains("linzhiyuan@mail.example.cn")).expect("the mail arrived");
    assert_eq!(rcpt.trim(), "linzhiyuan@mail.example.cn");
    let mail = mail_parser::MessageParser::default().parse(raw.as_bytes()).expect("a real message");
    assert_eq!(mail.subject(), Some("国庆节问候"));
    assert_eq!(mail.from().and_then(|f| f.first()).and_then(|a| a.address()), Some("noreply@honglian.example.cn"));
    let text = mail.body_text(0).expect("a text body");
    assert!(text.contains("家乡党组织牵挂着你们"), "{text}");
    assert!(text.contains("消息设置"), "says how to switch it off: {text}");
    // (The demo's Mid-Autumn emails, waiting for a mail server, went out in the same round.)
    assert_eq!(figures(&wc, id).await["email"]["sent"].as_u64().unwrap(), emails);

    // A new bulletin is announced by email to the members it reaches who switched email on.
    let r = wc
        .post(
            "/api/v1/bulletins",
            json!({"org_id": county, "kind": "activity", "title": "七一主题党日活动安排", "body": "详见附件。"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    t.app.deliver_outbox().await.unwrap();
    let mails = sink.mails();
    let raw = mails
        .iter()
        .filter(|(r, _)| r.contains("linzhiyuan@mail.example.cn"))
        .map(|(_, m)| m)
        .find(|m| {
            mail_parser::MessageParser::default().parse(m.as_bytes()).unwrap().subject() == Some("七一主题党日活动安排")
        })
        .expect("the bulletin's mail arrived");
    let text = mail_parser::MessageParser::default().parse(raw.as_bytes()).unwrap().body_text(0).unwrap().to_string();
    assert!(text.contains("中共吴川市委员会发布了活动通知"), "{text}");

    // Quiet hours around now: the next email waits until they end (in-app does not wait).
    let cst = Utc::now() + Duration::hours(8);
    let (start, end) = ((cst.hour() + 23) % 24, (cst.hour() + 2) % 24);
    let r = me
        .put(
            "/api/v1/notify/prefs",
            json!({"email_on": true, "quiet_start": format!("{start:02}:00"), "quiet_end": format!("{end:02}:00")}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["email_masked"], "l***@mail.example.cn", "absent email keeps the address");
    let r = wc.post("/api/v1/greetings", greeting(county, "重阳节")).await;
    let quiet_id = r.body["id"].as_i64().unwrap();
    let before = sink.mails().len();
    let report = t.app.deliver_outbox().await.unwrap();
    assert!(report.in_app > 0);
    let f = figures(&wc, quiet_id).await;
    assert!(f["email"]["queued"].as_u64().unwrap() >= 1, "waits for the quiet hours to end: {f}");
    let waiting = t.sql_i64(&format!("SELECT COUNT(*) FROM outbox WHERE source = 'greeting:{quiet_id}' AND channel = 'email' AND attempts = 0 AND next_at > created_at"),
    )
    .await;
    assert!(waiting >= 1, "held, not failed");
    let _ = before;

    // The mail server goes away: tries fail with backoff, then the message is given up (dead letter),
    // and the administrators see why and can send it again.
    me.put("/api/v1/notify/prefs", json!({"email_on": true, "quiet_start": null, "quiet_end": null})).await;
    drop(sink);
    t.sql_exec(&format!(
        "UPDATE outbox SET next_at = created_at WHERE source = 'greeting:{quiet_id}' AND channel = 'email'"
    ))
    .await;
    let report = t.app.deliver_outbox().await.unwrap();
    assert!(report.failed >= 1, "{report:?}");
    let row = format!(
        "source = 'greeting:{quiet_id}' AND channel = 'email' AND user_id = (SELECT id FROM users WHERE username = 'member_demo')"
    );
    assert_eq!(t.sql_i64(&format!("SELECT attempts FROM outbox WHERE {row}")).await, 1);
    assert_eq!(
        t.sql_i64(&format!("SELECT COUNT(*) FROM outbox WHERE {row} AND status = 'queued' AND next_at > created_at"))
            .await,
        1
    );
    for _ in 0..6 {
        t.sql_exec(&format!("UPDATE outbox SET next_at = created_at WHERE {row}")).await;
        t.app.deliver_outbox().await.unwrap();
    }
    assert_eq!(
        t.sql_i64(&format!("SELECT COUNT(*) FROM outbox WHERE {row} AND status = 'dead' AND attempts = 6")).await,
        1
    );
    let failed = wc.get("/api/v1/notify/outbox?failed=true&channel=email").await;
    assert_eq!(failed.status, StatusCode::OK, "{}", failed.body);
    let dead = items(&failed.body).iter().find(|o| o["status"] == "dead").cloned().expect("a dead letter listed");
    assert!(dead["last_error"].as_str().unwrap().contains("邮件"), "{dead}");
    assert_eq!(dead["attempts"], 6);
    let again = wc.post(&format!("/api/v1/notify/outbox/{}/retry", dead["id"]), json!({})).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.body["status"], "queued");
    // A delivered message is not sent again.
    let sent = wc.get("/api/v1/notify/outbox?status=sent&channel=in_app&per_page=1").await;
    let sent_id = items(&sent.body)[0]["id"].clone();
    assert_eq!(
        wc.post(&format!("/api/v1/notify/outbox/{sent_id}/retry"), json!({})).await.status,
        StatusCode::CONFLICT
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_sqlite() {
    email(false).await
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_postgres() {
    email(true).await
}

async fn robots(pg: bool) {
    let server = Robots::start().await;
    let t = spawn(pg, |c| {
        c.notify.webhooks = true;
        c.notify.webhook_hosts = vec!["127.0.0.1".into()];
        c.notify.public_url = Some("https://dj.wuchuan.example.cn/".into());
    })
    .await;
    let county = t.org_id("中共吴川市委员会").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let wc = t.login("wuchuan_admin").await;
    let gzb = t.login("gz_branch").await;

    // Only allowed hosts; WeCom has no secret.
    let r = wc
        .post(
            "/api/v1/notify/robots",
            json!({"org_id": county, "kind": "wecom", "name": "群", "webhook_url": "https://evil.example/hook"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["errors"]["webhook_url"].is_array());
    let wecom_url = format!("{}/cgi-bin/webhook/send?key={WECOM_KEY}", server.base);
    let r = wc
        .post(
            "/api/v1/notify/robots",
            json!({"org_id": county, "kind": "wecom", "name": "群", "webhook_url": wecom_url, "secret": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["errors"]["secret"].is_array(), "{}", r.body);

    let r = wc
        .post(
            "/api/v1/notify/robots",
            json!({"org_id": county, "kind": "wecom", "name": "吴川外出党员联络群", "webhook_url": wecom_url}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let wecom_id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["host"], "127.0.0.1");
    assert!(!r.body.to_string().contains(WECOM_KEY), "the key is never shown again");
    let r = gzb
        .post(
            "/api/v1/notify/robots",
            json!({"org_id": gz, "kind": "dingtalk", "name": "广州商会党支部钉钉群",
                   "webhook_url": format!("{}/robot/send?access_token={DING_TOKEN}", server.base), "secret": DING_SECRET}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let ding_id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["signed"], true);
    let sealed = t
        .sql_i64(&format!(
            "SELECT COUNT(*) FROM robots WHERE url_enc LIKE '%{DING_TOKEN}%' OR secret_enc LIKE '%SECb6%'"
        ))
        .await;
    assert_eq!(sealed, 0, "webhook and secret sealed at rest");
    // Scope: the branch does not see or remove the county's robot.
    let list = gzb.get("/api/v1/notify/robots").await;
    assert_eq!(items(&list.body).len(), 1, "{}", list.body);
    assert_eq!(
        gzb.post(&format!("/api/v1/notify/robots/{wecom_id}/disable"), json!({})).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(wc.get("/api/v1/notify/robots").await.body["items"].as_array().unwrap().len(), 2);

    // A greeting posts once to each robot of the subtree, signed; the in-app deliveries do not wait for them.
    let r = wc.post("/api/v1/greetings", greeting(county, "国庆节")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["robots"]["queued"], 2);
    let report = t.app.deliver_outbox().await.unwrap();
    assert_eq!(report.robots, 2, "{report:?}");
    assert_eq!(*server.rejected.lock().unwrap(), 0, "key and signature accepted");
    let got = server.got.lock().unwrap().clone();
    assert_eq!(got.len(), 2);
    assert!(got.iter().all(|(_, text)| text.starts_with("【国庆节问候】")), "{got:?}");
    assert_eq!(figures(&wc, id).await["robots"]["sent"], 2);

    // Rate limited: the message waits without counting a try.
    server.set(Mode::RateLimited);
    wc.post(&format!("/api/v1/notify/robots/{wecom_id}/test"), json!({})).await;
    t.app.deliver_outbox().await.unwrap();
    let test_row = format!("robot_id = {wecom_id} AND kind = 'robot_test'");
    assert_eq!(t.sql_i64(&format!("SELECT COUNT(*) FROM outbox WHERE {test_row} AND status = 'queued' AND attempts = 0 AND next_at > created_at")).await, 1);

    // A failing robot fails soft: retried with backoff, the others and in-app go on.
    server.set(Mode::Fail);
    let r = wc.post("/api/v1/greetings", greeting(county, "重阳节")).await;
    let failing = r.body["id"].as_i64().unwrap();
    let report = t.app.deliver_outbox().await.unwrap();
    assert!(report.in_app > 0 && report.failed >= 2, "{report:?}");
    let f = figures(&wc, failing).await;
    assert_eq!(f["robots"]["queued"], 2, "waiting to retry: {f}");
    let errors = wc.get("/api/v1/notify/outbox?failed=true").await;
    let msgs: Vec<String> =
        items(&errors.body).iter().map(|o| o["last_error"].as_str().unwrap_or("").to_string()).collect();
    assert!(msgs.iter().any(|m| m.contains("HTTP 502")) && msgs.iter().any(|m| m.contains("400013")), "{msgs:?}");
    assert!(msgs.iter().all(|m| !m.contains(WECOM_KEY) && !m.contains(DING_TOKEN)), "no key in an error");
    // Back up: the retry goes through.
    server.set(Mode::Ok);
    t.sql_exec(&format!("UPDATE outbox SET next_at = created_at WHERE source = 'greeting:{failing}'")).await;
    t.app.deliver_outbox().await.unwrap();
    assert_eq!(figures(&wc, failing).await["robots"]["sent"], 2);

    // A bulletin is announced to the robots of its subtree: its title and where to read it, never its
    // body (which may hold a phone number to call); a title with personal data is refused.
    let r = wc
        .post(
            "/api/v1/bulletins",
            json!({"org_id": county, "kind": "notice", "title": "请联系13800138000报名", "body": "正文"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["errors"]["title"][0].as_str().unwrap().contains("手机号码"), "{}", r.body);
    let before = server.got.lock().unwrap().len();
    let r = wc
        .post(
            "/api/v1/bulletins",
            json!({"org_id": county, "kind": "notice", "title": "关于开展冬训的通知",
            "body": "报名请联系组织部，电话 0759-5556677。"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    t.app.deliver_outbox().await.unwrap();
    let got: Vec<String> = server.got.lock().unwrap()[before..].iter().map(|g| g.1.clone()).collect();
    assert_eq!(got.len(), 2, "both robots of the county's subtree: {got:?}");
    assert!(
        got.iter().all(|g| g.starts_with("【关于开展冬训的通知】") && g.contains("中共吴川市委员会发布了通知")),
        "{got:?}"
    );
    assert!(got.iter().all(|g| !g.contains("5556677")), "the body stays in the portal: {got:?}");
    // Withdrawn before its announcements left: they do not go out.
    let r = wc
        .post("/api/v1/bulletins", json!({"org_id": county, "kind": "notice", "title": "发错的通知", "body": "作废"}))
        .await;
    let wrong = r.body["id"].as_i64().unwrap();
    assert_eq!(wc.post(&format!("/api/v1/bulletins/{wrong}/withdraw"), json!({})).await.status, StatusCode::OK);
    let before = server.got.lock().unwrap().len();
    t.app.deliver_outbox().await.unwrap();
    assert_eq!(server.got.lock().unwrap().len(), before, "nothing of a withdrawn bulletin leaves");
    let cancelled = format!(
        "SELECT COUNT(*) FROM outbox WHERE source = 'bulletin:{wrong}' AND status = 'dead' AND last_error = '通知公告已撤回'"
    );
    assert_eq!(t.sql_i64(&format!("{cancelled} AND robot_id IS NOT NULL")).await, 2);
    let waiting = format!("SELECT COUNT(*) FROM outbox WHERE source = 'bulletin:{wrong}' AND status <> 'dead'");
    assert_eq!(t.sql_i64(&waiting).await, 0, "its emails are given up too");

    // Invitations through the branch's group robot: each member finds their own link there. The codes
    // are made as the message leaves (a failed try's codes were never seen), and none is stored.
    let mut people: Vec<i64> = t.members_at_home(gz).await.into_iter().map(|p| p.0).take(26).collect();
    assert!(people.len() >= 3, "members of the chamber branch to invite: {people:?}");
    let last = people.pop().unwrap();
    let r = gzb.post("/api/v1/invitations", json!({"member_ids": people, "robot_id": wecom_id})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "the county's robot is not the branch's: {}", r.body);
    let r = wc.post("/api/v1/invitations", json!({"org_id": county, "robot_id": ding_id})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["errors"]["robot_id"][0].as_str().unwrap().contains("只能发送"), "{}", r.body);
    let r = gzb.post("/api/v1/invitations", json!({"member_ids": people, "robot_id": ding_id})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let made = items(&r.body).len();
    assert_eq!(made, people.len(), "{}", r.body);
    assert_eq!(r.body["robot_name"], "广州商会党支部钉钉群");
    // (18 lines a message with this public address: WeCom takes at most 2,048 bytes.)
    assert_eq!(r.body["messages"].as_u64().unwrap() as usize, made.div_ceil(18));
    assert!(items(&r.body).iter().all(|i| i["code"].is_null()), "no codes to print: they leave with the messages");
    server.set(Mode::Fail);
    let before = server.got.lock().unwrap().len();
    t.app.deliver_outbox().await.unwrap();
    server.set(Mode::Ok);
    t.sql_exec("UPDATE outbox SET next_at = created_at WHERE kind = 'invitation'").await;
    t.app.deliver_outbox().await.unwrap();
    let got: Vec<String> = server.got.lock().unwrap()[before..].iter().map(|g| g.1.clone()).collect();
    assert_eq!(got.len(), made.div_ceil(18), "{got:?}");
    let links: Vec<&str> = got.iter().flat_map(|g| g.lines()).filter(|l| l.contains("#code=")).collect();
    assert_eq!(links.len(), made, "{got:?}");
    assert!(links.iter().all(|l| l.contains("：https://dj.wuchuan.example.cn/m/activate#code=")), "{links:?}");
    assert_eq!(t.sql_i64("SELECT COUNT(*) FROM outbox WHERE body LIKE '%code=%'").await, 0, "no code at rest");
    let (name, code) = links[0].split_once("：").unwrap();
    let code = code.rsplit_once("#code=").unwrap().1;
    let p = t.anon().post("/api/v1/invitations/preview", json!({"code": code})).await;
    assert_eq!(p.status, StatusCode::OK, "the code from the group opens the invitation: {}", p.body);
    assert_eq!(p.body["member_name"], name, "the line names the member it opens, masked");
    assert!(name.contains('*'), "{name}");

    // A robot switched off gives up what it still had and stays listed; twice is no error. The
    // invitations it was to carry reached no one: they are void, and their members may be invited again.
    gzb.post(&format!("/api/v1/notify/robots/{ding_id}/test"), json!({})).await;
    let r = gzb.post("/api/v1/invitations", json!({"member_ids": [last], "robot_id": ding_id})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let stranded = items(&r.body)[0]["id"].as_i64().unwrap();
    let r = gzb.post(&format!("/api/v1/notify/robots/{ding_id}/disable"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["enabled"], false);
    // (Given up this week: the withdrawn bulletin's announcement, and now the test message and the invitation.)
    assert_eq!(r.body["dead_7d"], 3, "the waiting test message and invitation are given up: {}", r.body);
    assert_eq!(t.sql_text(&format!("SELECT status FROM invitations WHERE id = {stranded}")).await, "revoked");
    let again = gzb.post("/api/v1/invitations", json!({"member_ids": [last]})).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    assert_eq!(items(&again.body).len(), 1, "invited again, on paper: {}", again.body);
    assert_eq!(gzb.post(&format!("/api/v1/notify/robots/{ding_id}/disable"), json!({})).await.status, StatusCode::OK);
    assert_eq!(
        gzb.post(&format!("/api/v1/notify/robots/{ding_id}/test"), json!({})).await.status,
        StatusCode::CONFLICT
    );
    let r = wc.post("/api/v1/greetings", greeting(county, "春节")).await;
    assert_eq!(r.body["robots"]["queued"], 1, "only the robot still on: {}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robots_sqlite() {
    robots(false).await
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robots_postgres() {
    robots(true).await
}

/// A deployment on a government intranet: robots stay off, and say why.
async fn robots_off(t: TestApp) {
    let county = t.org_id("中共吴川市委员会").await;
    let wc = t.login("wuchuan_admin").await;
    let r = wc.get("/api/v1/notify/robots").await;
    assert_eq!(r.body["webhooks_enabled"], false);
    let r = wc
        .post(
            "/api/v1/notify/robots",
            json!({"org_id": county, "kind": "wecom", "name": "群", "webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["errors"]["webhook_url"][0].as_str().unwrap().contains("notify.webhooks"), "{}", r.body);
    // Without a mail server email cannot be switched on.
    let me = t.login("member_demo").await;
    let r = me.put("/api/v1/notify/prefs", json!({"email": "a@b.cn", "email_on": true})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["errors"]["email_on"].is_array(), "{}", r.body);
}
crate::both!(robots_off);

/// A mail server that accepts the connection and then says nothing: the round gives up on it within
/// the send time limit, and the in-app messages of the same round are delivered all the same.
async fn a_hung_mail_server_holds_up_nothing(pg: bool) {
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in silent.incoming().flatten() {
            held.push(c);
        }
    });
    let smtp = honglian_app::SmtpConfig {
        host: "127.0.0.1".into(),
        port: Some(port),
        tls: "none".into(),
        username: None,
        password: None,
        from: "noreply@honglian.example.invalid".into(),
        ca_file: None,
    };
    let t = spawn(pg, |c| c.notify.smtp = Some(smtp)).await;
    let county = t.org_id("中共吴川市委员会").await;
    let wc = t.login("wuchuan_admin").await;
    let me = t.login("member_demo").await;
    let r = me.put("/api/v1/notify/prefs", json!({"email": "linzhiyuan@mail.example.invalid", "email_on": true})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = wc.post("/api/v1/greetings", greeting(county, "国庆节")).await;
    let id = r.body["id"].as_i64().unwrap();
    let started = std::time::Instant::now();
    let report = tokio::time::timeout(std::time::Duration::from_secs(60), t.app.deliver_outbox())
        .await
        .expect("the round ends")
        .unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(40), "{:?}", started.elapsed());
    assert!(report.in_app > 0 && report.email == 0 && report.failed >= 1, "{report:?}");
    let f = figures(&wc, id).await;
    assert_eq!(f["in_app"]["queued"], 0, "{f}");
    assert!(f["email"]["queued"].as_u64().unwrap() >= 1, "the emails wait for a retry: {f}");
    let failed = wc.get("/api/v1/notify/outbox?failed=true&channel=email").await;
    assert!(items(&failed.body).iter().any(|o| o["last_error"] == "邮件服务器无应答"), "{}", failed.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hung_mail_server_holds_up_nothing_sqlite() {
    a_hung_mail_server_holds_up_nothing(false).await
}
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hung_mail_server_holds_up_nothing_postgres() {
    a_hung_mail_server_holds_up_nothing(true).await
}
