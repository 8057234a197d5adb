//! Spawning the app and talking to it like a browser does.

use honglian_server::config::Config;
use reqwest::{Method, StatusCode};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use std::path::PathBuf;

pub const PASSWORD: &str = "Demo@2026!";

pub struct TestApp {
    pub base: String,
    pub app: honglian_app::App,
    pub data_dir: PathBuf,
    pub database_url: String,
    /// Made by [`TestApp::sqlite`] or [`TestApp::postgres`] for this test alone: its data directory
    /// and database go when it is dropped (a full run would otherwise leave some 20 GB behind).
    pub owned: bool,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if !self.owned {
            return;
        }
        std::fs::remove_dir_all(&self.data_dir).ok();
        if let Some(name) = self.database_url.strip_prefix(&format!("{}/", pg_base())) {
            let name = name.to_string();
            // Drop is synchronous: the database goes from a thread of its own, on a runtime of its own
            // (FORCE ends the test server's connections).
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
                rt.block_on(async {
                    if let Ok(admin) = honglian_store::connect(&format!("{}/postgres", pg_base()), 1).await {
                        admin
                            .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                            .await
                            .ok();
                        admin.close().await.ok();
                    }
                });
            })
            .join()
            .ok();
        }
    }
}

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        honglian_app::platform::crypto::random_token(6).to_lowercase().replace(['-', '_'], "x")
    )
}

pub fn pg_base() -> String {
    std::env::var("HONGLIAN_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// Creates an empty PostgreSQL database and returns its URL.
pub async fn fresh_pg_url() -> String {
    let name = unique("hl_test");
    let admin = honglian_store::connect(&format!("{}/postgres", pg_base()), 1)
        .await
        .expect("PostgreSQL must be running on 127.0.0.1:5432 (the test command starts it)");
    admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create test database");
    admin.close().await.ok();
    format!("{}/{name}", pg_base())
}

/// The PostgreSQL database with the demo loaded that PostgreSQL tests copy (`CREATE DATABASE … TEMPLATE`),
/// and the data directory that goes with it (its keys and files): made once per build of the tests and per
/// day (the demo's dates follow today) by whichever test process comes first, under an advisory lock, while
/// the others wait. Loading the demo is most of a PostgreSQL test's time; copying it takes a second.
async fn demo_template() -> (String, PathBuf) {
    let built = std::env::current_exe()
        .and_then(|p| p.metadata())
        .and_then(|m| m.modified())
        .map(|t| t.duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_secs())
        .unwrap_or(0);
    let name = format!("hl_tpl_{}_{built}", honglian_app::today().format("%Y%m%d"));
    let dir = std::env::temp_dir().join(&name);
    let ready = dir.join("ready");
    let admin = honglian_store::connect(&format!("{}/postgres", pg_base()), 1)
        .await
        .expect("PostgreSQL must be running on 127.0.0.1:5432 (the test command starts it)");
    // One session holds it (a pool of one): the other test processes wait here while the first builds.
    admin.execute_unprepared("SELECT pg_advisory_lock(772023)").await.expect("template lock");
    if !ready.exists() {
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\"")).await.expect("drop template");
        std::fs::remove_dir_all(&dir).ok();
        std::fs::create_dir_all(&dir).unwrap();
        admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create template");
        let cfg = test_config(dir.clone(), format!("{}/{name}", pg_base()));
        let app = honglian_server::open_app(&cfg).await.expect("open template");
        app.load_demo().await.expect("demo data");
        app.db.clone().close().await.expect("close the template's connections");
        std::fs::write(&ready, b"").unwrap();
    }
    admin.execute_unprepared("SELECT pg_advisory_unlock(772023)").await.expect("template unlock");
    admin.close().await.ok();
    (name, dir)
}

/// Replaces the empty database at `url` by a copy of the demo template, and fills `data_dir` with the
/// template's keys and files.
pub async fn copy_demo(url: &str, data_dir: &std::path::Path) {
    fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            let target = to.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                copy_dir(&e.path(), &target);
            } else if e.file_name() != "ready" {
                std::fs::copy(e.path(), &target).unwrap();
            }
        }
    }
    let (template, dir) = demo_template().await;
    let name = url.rsplit('/').next().unwrap();
    let admin = honglian_store::connect(&format!("{}/postgres", pg_base()), 1).await.unwrap();
    admin.execute_unprepared(&format!("DROP DATABASE \"{name}\"")).await.expect("drop the empty database");
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""))
        .await
        .expect("copy the demo template");
    admin.close().await.ok();
    copy_dir(&dir, data_dir);
}

/// The configuration the tests start from (each test may change it).
pub fn test_config(data_dir: PathBuf, database_url: String) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        key_file: data_dir.join("honglian.keys"),
        data_dir,
        database_url,
        read_database_url: None,
        read_max_lag_seconds: 30,
        db_max_connections: 8,
        log_format: "text".into(),
        secure_cookies: false,
        trusted_proxy: vec![],
        security: Default::default(),
        lost_contact_months: 6,
        backdate_days: 7,
        duty_warn_days: None,
        task_warn_days: 15,
        notify: Default::default(),
        files: Default::default(),
    }
}

pub fn temp_dir(prefix: &str) -> PathBuf {
    let d = std::env::temp_dir().join(unique(prefix));
    std::fs::create_dir_all(&d).unwrap();
    d
}

impl TestApp {
    pub async fn sqlite() -> Self {
        let dir = temp_dir("hl_sqlite");
        let url = honglian_store::sqlite_url(&dir.join("honglian.db"));
        let mut t = Self::spawn(dir, url, true).await;
        t.owned = true;
        t
    }

    pub async fn postgres() -> Self {
        let url = fresh_pg_url().await;
        let mut t = Self::spawn(temp_dir("hl_pg"), url, true).await;
        t.owned = true;
        t
    }

    pub async fn spawn(data_dir: PathBuf, database_url: String, demo: bool) -> Self {
        Self::spawn_with(data_dir, database_url, demo, |_| {}).await
    }

    pub async fn spawn_with(
        data_dir: PathBuf,
        database_url: String,
        demo: bool,
        tweak: impl FnOnce(&mut Config),
    ) -> Self {
        let mut cfg = test_config(data_dir.clone(), database_url.clone());
        tweak(&mut cfg);
        // On PostgreSQL the demo is copied from a template (see `demo_template`); on SQLite it loads in seconds.
        let from_template = demo && database_url.starts_with(&pg_base());
        if from_template {
            copy_demo(&database_url, &data_dir).await;
        }
        let app = honglian_server::open_app(&cfg).await.expect("open app");
        if demo && !from_template {
            app.load_demo().await.expect("demo data");
        }
        Self::serve(&cfg, app).await
    }

    /// A server over an application already open (another server on the same databases, or with
    /// other settings).
    pub async fn serve(cfg: &Config, app: honglian_app::App) -> Self {
        let server = honglian_server::Application::build(cfg, app.clone()).await.expect("bind");
        let base = format!("http://{}", server.local_addr());
        tokio::spawn(server.run_until_stopped());
        TestApp { base, app, data_dir: cfg.data_dir.clone(), database_url: cfg.database_url.clone(), owned: false }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A browser-like client without a session.
    pub fn anon(&self) -> Client {
        Client {
            http: reqwest::Client::builder().cookie_store(true).build().unwrap(),
            base: self.base.clone(),
            csrf: None,
        }
    }

    /// Signs in as a demo account.
    pub async fn login(&self, username: &str) -> Client {
        self.login_with(username, PASSWORD).await
    }

    pub async fn login_with(&self, username: &str, password: &str) -> Client {
        let mut c = self.anon();
        let r = c.post("/api/v1/session", json!({"username": username, "password": password})).await;
        assert_eq!(r.status, StatusCode::OK, "login {username}: {}", r.body);
        c.csrf = Some(r.body["csrf_token"].as_str().unwrap().to_string());
        c
    }

    /// The id of the organisation with this exact name.
    pub async fn org_id(&self, name: &str) -> i64 {
        use honglian_store::entity::organisations::org;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        org::Entity::find()
            .filter(org::Column::Name.eq(name))
            .one(&self.app.db)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("org {name}"))
            .id
    }

    /// Some member of the organisation with this name.
    pub async fn member_in(&self, org_name: &str) -> i64 {
        use honglian_store::entity::members::member;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        let org = self.org_id(org_name).await;
        member::Entity::find()
            .filter(member::Column::OrgId.eq(org))
            .order_by_asc(member::Column::Id)
            .one(&self.app.db)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("member in {org_name}"))
            .id
    }
}

pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub csrf: Option<String>,
}

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
    /// The raw body (for downloads).
    pub bytes: Vec<u8>,
}

impl Client {
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Resp {
        let mut rb = self.http.request(method.clone(), format!("{}{path}", self.base));
        if method != Method::GET
            && let Some(t) = &self.csrf
        {
            rb = rb.header("X-CSRF-Token", t);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().await.expect("request");
        let status = r.status();
        let headers = r.headers().clone();
        let bytes = r.bytes().await.unwrap_or_default().to_vec();
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        Resp { status, body, headers, bytes }
    }

    /// Posts a file as `multipart/form-data` field `file`.
    pub async fn upload(&self, path: &str, filename: &str, bytes: Vec<u8>) -> Resp {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(filename.to_string());
        let form = reqwest::multipart::Form::new().part("file", part);
        let mut rb = self.http.post(format!("{}{path}", self.base)).multipart(form);
        if let Some(t) = &self.csrf {
            rb = rb.header("X-CSRF-Token", t);
        }
        let r = rb.send().await.expect("request");
        let status = r.status();
        let headers = r.headers().clone();
        let bytes = r.bytes().await.unwrap_or_default();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Resp { status, body, headers, bytes: bytes.to_vec() }
    }

    pub async fn put(&self, path: &str, body: Value) -> Resp {
        self.send(Method::PUT, path, Some(body)).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(Method::GET, path, None).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.send(Method::POST, path, Some(body)).await
    }
    pub async fn patch(&self, path: &str, body: Value) -> Resp {
        self.send(Method::PATCH, path, Some(body)).await
    }
    pub async fn delete(&self, path: &str) -> Resp {
        self.send(Method::DELETE, path, None).await
    }
}

/// A valid ID number for tests (fictitious sequence 8xx).
pub fn id_number(region: &str, y: i32, m: u32, d: u32, seq: u32) -> String {
    honglian_domain::IdNumber::synthesize(region, chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap(), 800 + seq % 100)
        .as_str()
        .to_string()
}

impl TestApp {
    /// Some member of the organisation with this id.
    pub async fn member_in_org(&self, org: i64) -> i64 {
        use honglian_store::entity::members::member;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        member::Entity::find()
            .filter(member::Column::OrgId.eq(org))
            .order_by_asc(member::Column::Id)
            .one(&self.app.db)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("member in org {org}"))
            .id
    }
}

impl TestApp {
    /// A member of `org` who is not received by `receiver` (no open outflow to it).
    pub async fn member_not_received(&self, org: i64, receiver: i64) -> i64 {
        use sea_orm::ConnectionTrait;
        let b = self.app.db.get_database_backend();
        let sql = format!(
            "SELECT m.id AS id FROM members m WHERE m.org_id = {org} AND NOT EXISTS \
             (SELECT 1 FROM mobility_records r WHERE r.member_id = m.id AND r.status = 'open' AND r.receiving_org_id = {receiver}) ORDER BY m.id"
        );
        let row =
            self.app.db.query_one_raw(sea_orm::Statement::from_string(b, sql)).await.unwrap().expect("such a member");
        row.try_get("", "id").unwrap()
    }
}

impl TestApp {
    /// The newest activity of an organisation.
    pub async fn activity_of(&self, org: i64) -> i64 {
        use sea_orm::ConnectionTrait;
        let b = self.app.db.get_database_backend();
        // The latest that has begun and that every member attends: the demo holds this month's meetings up to
        // today, and today's may not have begun (or be a committee's) — which one is latest depends on the day.
        let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S+00:00");
        let sql = format!(
            "SELECT MAX(o.activity_id) AS id FROM activity_orgs o JOIN activities a ON a.id = o.activity_id \
             WHERE o.org_id = {org} AND a.start_at <= '{now}' AND a.kind IN ('member_assembly', 'theme_day', 'party_lecture')"
        );
        let row = self.app.db.query_one_raw(sea_orm::Statement::from_string(b, sql)).await.unwrap().unwrap();
        row.try_get::<Option<i64>>("", "id").unwrap().unwrap_or_else(|| panic!("org {org} has activities"))
    }
}

impl TestApp {
    /// The first column of a one-row query, as a number (an INTEGER column comes as INT4 on
    /// PostgreSQL, a COUNT as INT8).
    pub async fn sql_i64(&self, sql: &str) -> i64 {
        use sea_orm::ConnectionTrait;
        let b = self.app.db.get_database_backend();
        let row =
            self.app.db.query_one_raw(sea_orm::Statement::from_string(b, sql.to_string())).await.unwrap().unwrap();
        row.try_get_by_index::<i64>(0).or_else(|_| row.try_get_by_index::<i32>(0).map(i64::from)).unwrap()
    }

    /// The first column of a one-row query, as text.
    pub async fn sql_text(&self, sql: &str) -> String {
        use sea_orm::ConnectionTrait;
        let b = self.app.db.get_database_backend();
        let row =
            self.app.db.query_one_raw(sea_orm::Statement::from_string(b, sql.to_string())).await.unwrap().unwrap();
        row.try_get_by_index::<String>(0).unwrap()
    }

    /// Runs one statement (a test moving a row's clock).
    pub async fn sql_exec(&self, sql: &str) {
        use sea_orm::ConnectionTrait;
        let b = self.app.db.get_database_backend();
        self.app.db.execute_raw(sea_orm::Statement::from_string(b, sql.to_string())).await.unwrap();
    }
}

/// The `items` of a list response.
pub fn items(v: &serde_json::Value) -> &Vec<serde_json::Value> {
    v["items"].as_array().expect("items")
}

/// Reads the first sheet of an xlsx download into rows of strings.
pub fn sheet(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("a real xlsx");
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

impl TestApp {
    /// A signed-in account made for the test (password already chosen): `role` over `org`, or a
    /// member account for `member`.
    pub async fn account(&self, username: &str, role: &str, org: Option<i64>, member: Option<i64>) -> Client {
        use honglian_store::repo::platform::users;
        let hash = honglian_app::platform::auth::hash_password(PASSWORD);
        let u = users::insert(&self.app.db, username, username, hash, false, member).await.unwrap();
        let g = users::add_grant(&self.app.db, u.id, role, org, None, None, None).await.unwrap();
        self.app.stamp_grant(&self.app.db, g.id).await.unwrap();
        self.login(username).await
    }

    /// Members of `org` at home (normal, no open outflow, no transfer in flight), by id.
    pub async fn members_at_home(&self, org: i64) -> Vec<(i64, String)> {
        use sea_orm::ConnectionTrait;
        let b = self.app.db.get_database_backend();
        let sql = format!(
            "SELECT m.id AS id, m.name AS name FROM members m WHERE m.org_id = {org} AND m.status = 'normal' AND NOT EXISTS \
             (SELECT 1 FROM mobility_records r WHERE r.member_id = m.id AND r.status = 'open') AND NOT EXISTS \
             (SELECT 1 FROM transfers x WHERE x.member_id = m.id AND x.status IN ('requested', 'issued')) ORDER BY m.id"
        );
        let rows = self.app.db.query_all_raw(sea_orm::Statement::from_string(b, sql)).await.unwrap();
        rows.iter().map(|r| (r.try_get("", "id").unwrap(), r.try_get("", "name").unwrap())).collect()
    }
}

/// The text of each page of a PDF, as a reader's copy-and-paste would give it.
pub fn pdf_pages(bytes: &[u8]) -> Vec<String> {
    assert!(bytes.starts_with(b"%PDF-"), "a PDF: {:?}", String::from_utf8_lossy(&bytes[..bytes.len().min(200)]));
    pdf_extract::extract_text_from_mem_by_pages(bytes).expect("a readable PDF")
}

impl TestApp {
    /// Every access-control and money record carries the MAC of what it says (platform::integrity):
    /// the writes a test made went through use cases that stamp them.
    pub async fn assert_records_intact(&self) {
        for t in honglian_app::platform::integrity::verify(&self.app.db, &self.app.crypto).await.unwrap() {
            assert_eq!(t.bad_count, 0, "{} rows of {} fail their integrity check: {:?}", t.bad_count, t.table, t.bad);
        }
    }
}
