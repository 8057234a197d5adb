//! Crash safety with the real binary: `honglian serve` is killed with SIGKILL during a real import
//! (while it reads the file and while it writes), an export and a stream of activity saves, and
//! `honglian keys rotate` is killed half-way. After each kill, with nothing running: no import is
//! half-written, every derived figure (outflow tallies, full-member counts, held activities) equals
//! a fresh GROUP BY over the base tables, and `audit verify` passes once the server could start
//! again. On SQLite and PostgreSQL.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::json;

use super::cli::honglian_on;
use crate::helpers::{Client, PASSWORD, temp_dir};

/// `honglian serve` on a free port.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(dir: &Path, url: Option<&str>) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_honglian"));
        cmd.args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--data-dir"]).arg(dir);
        if let Some(u) = url {
            cmd.args(["--database-url", u]);
        }
        let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Ok(r) = reqwest::get(format!("{base}/healthz")).await
                && r.status() == StatusCode::OK
            {
                break;
            }
            assert!(child.try_wait().unwrap().is_none(), "serve exited at start");
            assert!(Instant::now() < deadline, "serve did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Server { child, base }
    }

    /// SIGKILL, and wait until the process is gone.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    async fn login(&self, username: &str) -> Client {
        let mut c = Client {
            http: reqwest::Client::builder().cookie_store(true).build().unwrap(),
            base: self.base.clone(),
            csrf: None,
        };
        let r = c.post("/api/v1/session", json!({"username": username, "password": PASSWORD})).await;
        assert_eq!(r.status, StatusCode::OK, "login {username}: {}", r.body);
        c.csrf = Some(r.body["csrf_token"].as_str().unwrap().to_string());
        c
    }
}

fn copy(c: &Client) -> Client {
    Client { http: c.http.clone(), base: c.base.clone(), csrf: c.csrf.clone() }
}

async fn query(db: &DatabaseConnection, sql: &str) -> Vec<sea_orm::QueryResult> {
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql.to_string())).await.unwrap()
}

fn ids_of(path: Option<String>) -> Vec<i64> {
    path.unwrap_or_default().split('/').filter(|s| !s.is_empty()).map(|s| s.parse().unwrap()).collect()
}

/// Each derived table equals a fresh computation from the base tables (rows at 0 count as absent).
async fn assert_derived_figures(db: &DatabaseConnection, when: &str) {
    let pg = db.get_database_backend() == sea_orm::DatabaseBackend::Postgres;
    // Full members per organisation (0007).
    let fresh: BTreeMap<i64, i64> = query(
        db,
        "SELECT org_id, COUNT(*) AS n FROM members WHERE status = 'normal' AND category = 'full' GROUP BY org_id",
    )
    .await
    .iter()
    .map(|r| (r.try_get("", "org_id").unwrap(), r.try_get("", "n").unwrap()))
    .collect();
    let kept: BTreeMap<i64, i64> = query(db, "SELECT org_id, n FROM org_full_members WHERE n <> 0")
        .await
        .iter()
        .map(|r| (r.try_get("", "org_id").unwrap(), r.try_get("", "n").unwrap()))
        .collect();
    assert!(!fresh.is_empty());
    assert_eq!(kept, fresh, "{when}: full-member counts");

    // Outflow tallies and quiet dates (0006): every open outflow counts once for each organisation
    // on its member's path and on its receiving organisation's path.
    let rows = query(
        db,
        "SELECT r.province_code AS p, r.city_code AS c, r.reason AS rs, r.receiving_org_id AS ro_id, \
         r.external_org_name AS ext, r.start_date AS start_date, m.org_path AS home, m.status AS mstatus, \
         m.last_contact_on AS contact, ro.path AS recv FROM mobility_records r \
         LEFT JOIN members m ON m.id = r.member_id LEFT JOIN orgs ro ON ro.id = r.receiving_org_id \
         WHERE r.direction = 'outflow' AND r.status = 'open'",
    )
    .await;
    let mut tallies: BTreeMap<(i64, String, String, String, String), i64> = BTreeMap::new();
    let mut quiet: BTreeMap<(i64, chrono::NaiveDate), i64> = BTreeMap::new();
    for r in &rows {
        let s = |c: &str| r.try_get::<Option<String>>("", c).unwrap().unwrap_or_default();
        let receiving =
            match (r.try_get::<Option<i64>>("", "ro_id").unwrap(), r.try_get::<Option<String>>("", "ext").unwrap()) {
                (Some(id), _) => format!("o{id}"),
                (None, Some(name)) => format!("x{name}"),
                (None, None) => String::new(),
            };
        let orgs: BTreeSet<i64> =
            ids_of(r.try_get("", "home").unwrap()).into_iter().chain(ids_of(r.try_get("", "recv").unwrap())).collect();
        let start: chrono::NaiveDate = r.try_get("", "start_date").unwrap();
        let contact: Option<chrono::NaiveDate> = r.try_get("", "contact").unwrap();
        let normal = r.try_get::<Option<String>>("", "mstatus").unwrap().as_deref() == Some("normal");
        for org in orgs {
            *tallies.entry((org, s("p"), s("c"), s("rs"), receiving.clone())).or_default() += 1;
            if normal {
                *quiet.entry((org, start.max(contact.unwrap_or(start)))).or_default() += 1;
            }
        }
    }
    let kept: BTreeMap<(i64, String, String, String, String), i64> =
        query(db, "SELECT org_id, province_code, city_code, reason, receiving, n FROM outflow_tallies WHERE n <> 0")
            .await
            .iter()
            .map(|r| {
                let s = |c: &str| r.try_get::<String>("", c).unwrap();
                ((r.try_get("", "org_id").unwrap(), s("province_code"), s("city_code"), s("reason"), s("receiving")), {
                    r.try_get("", "n").unwrap()
                })
            })
            .collect();
    assert!(!tallies.is_empty());
    assert_eq!(kept, tallies, "{when}: outflow tallies");
    let kept: BTreeMap<(i64, chrono::NaiveDate), i64> =
        query(db, "SELECT org_id, quiet_on, n FROM outflow_quiet WHERE n <> 0")
            .await
            .iter()
            .map(|r| {
                ((r.try_get("", "org_id").unwrap(), r.try_get("", "quiet_on").unwrap()), r.try_get("", "n").unwrap())
            })
            .collect();
    assert_eq!(kept, quiet, "{when}: outflow quiet dates");

    // Held activities per organisation and year (0008): active, with someone present, on the local
    // date of the start (or 31 December of an earlier year it was recorded for).
    let held_on = if pg {
        "CAST(CASE WHEN a.for_year IS NOT NULL AND a.for_year < EXTRACT(YEAR FROM (a.start_at AT TIME ZONE 'UTC') + INTERVAL '8 hours') \
         THEN make_date(CAST(a.for_year AS INTEGER), 12, 31) \
         ELSE CAST((a.start_at AT TIME ZONE 'UTC') + INTERVAL '8 hours' AS DATE) END AS TEXT)"
    } else {
        "CASE WHEN a.for_year IS NOT NULL AND a.for_year < CAST(substr(date(a.start_at, '+8 hours'), 1, 4) AS INTEGER) \
         THEN printf('%04d-12-31', a.for_year) ELSE date(a.start_at, '+8 hours') END"
    };
    let mut fresh: BTreeMap<(i64, i32), Vec<(String, String)>> = BTreeMap::new();
    for r in query(
        db,
        &format!(
            "SELECT ao.org_id AS org_id, a.kind AS kind, {held_on} AS held FROM activity_orgs ao \
             JOIN activities a ON a.id = ao.activity_id WHERE a.status = 'active' \
             AND EXISTS (SELECT 1 FROM attendance t WHERE t.activity_id = a.id AND t.status = 'present')"
        ),
    )
    .await
    {
        let held: String = r.try_get("", "held").unwrap();
        let year: i32 = held[..4].parse().unwrap();
        fresh.entry((r.try_get("", "org_id").unwrap(), year)).or_default().push((r.try_get("", "kind").unwrap(), held));
    }
    let mut kept: BTreeMap<(i64, i32), Vec<(String, String)>> = BTreeMap::new();
    for r in query(db, "SELECT org_id, year, kinds, dates FROM org_held_activities").await {
        let (kinds, dates): (String, String) = (r.try_get("", "kinds").unwrap(), r.try_get("", "dates").unwrap());
        let pairs: Vec<(String, String)> =
            kinds.split(',').map(String::from).zip(dates.split(',').map(String::from)).collect();
        if !kinds.is_empty() {
            kept.insert((r.try_get("", "org_id").unwrap(), r.try_get("", "year").unwrap()), pairs);
        }
    }
    for v in fresh.values_mut().chain(kept.values_mut()) {
        v.sort();
    }
    assert!(!fresh.is_empty());
    assert_eq!(kept, fresh, "{when}: held activities");
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    query(db, sql).await[0].try_get("", "n").unwrap()
}

const IMPORT_ROWS: u32 = 10_000;
const IMPORTED: &str = "SELECT COUNT(*) AS n FROM members WHERE name LIKE '断电%'";
const IMPORTED_OUTFLOWS: &str = "SELECT COUNT(*) AS n FROM mobility_records r JOIN members m ON m.id = r.member_id \
                                 WHERE m.name LIKE '断电%' AND r.direction = 'outflow' AND r.status = 'open'";

/// A roster whose every fifth member is a mobile member (an outflow registered with them) and every
/// seventh a probationary one.
fn roster(org: &str) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let header =
        ["姓名", "身份证号", "入党日期", "党员类别", "转正日期", "所在党组织", "是否流动党员", "外出地点", "外出时间"];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let recent = (chrono::Local::now().date_naive() - chrono::Duration::days(100)).to_string();
    for k in 0..IMPORT_ROWS {
        let r = k + 1;
        ws.write_string(r, 0, format!("断电{k}")).unwrap();
        ws.write_string(r, 1, honglian_app::demo::demo_id_number("440104", k).as_str()).unwrap();
        if k % 7 == 0 {
            ws.write_string(r, 2, &recent).unwrap();
            ws.write_string(r, 3, "预备党员").unwrap();
        } else {
            ws.write_string(r, 2, "2015-07-01").unwrap();
            ws.write_string(r, 3, "正式党员").unwrap();
            ws.write_string(r, 4, "2016-07-01").unwrap();
        }
        ws.write_string(r, 5, org).unwrap();
        if k % 5 == 0 {
            ws.write_string(r, 6, "是").unwrap();
            ws.write_string(r, 7, "广东省广州市天河区").unwrap();
            ws.write_string(r, 8, "2025-03-01").unwrap();
        } else {
            ws.write_string(r, 6, "否").unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

/// Starts a real import in the background and returns its job id.
async fn start_import(c: &Client, file: Vec<u8>) -> i64 {
    let job = c.upload("/api/v1/imports/members?background=true", "名册.xlsx", file).await;
    assert_eq!(job.status, StatusCode::ACCEPTED, "{}", job.body);
    job.body["id"].as_i64().unwrap()
}

/// The checks after a kill, with nothing running: derived figures; then `audit verify`.
async fn after_kill(dir: &Path, url: Option<&str>, db_url: &str, when: &str) -> DatabaseConnection {
    let db = honglian_store::connect(db_url, 1).await.unwrap();
    assert_derived_figures(&db, when).await;
    let (ok, out) = honglian_on(dir, url, &["audit", "verify"], None);
    assert!(ok && out.contains("审计日志完好"), "{when}: {out}");
    db
}

async fn killed_at_work(url: Option<String>) {
    let dir: PathBuf = temp_dir("hl_crash");
    let url = url.as_deref();
    let db_url = url.map(String::from).unwrap_or_else(|| honglian_store::sqlite_url(&dir.join("honglian.db")));
    // The demo, without `honglian_on`'s 2-minute limit: on PostgreSQL beside other builds it can take longer.
    let mut demo = Command::new(env!("CARGO_BIN_EXE_honglian"));
    demo.arg("demo").arg("--data-dir").arg(&dir);
    if let Some(u) = url {
        demo.args(["--database-url", u]);
    }
    let out = demo.stdin(Stdio::null()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let file = roster("广州吴川商会党支部");

    // 1. An import killed while it reads the file: nothing of it is written.
    let s = Server::start(&dir, url).await;
    let w = s.login("wuchuan_admin").await;
    let job = start_import(&w, file.clone()).await;
    let deadline = Instant::now() + Duration::from_secs(120);
    let reading = loop {
        let j = w.get(&format!("/api/v1/jobs/{job}")).await.body;
        assert_eq!(j["status"], "running", "killed before it ended: {j}");
        let (p, total) = (j["processed"].as_i64().unwrap(), j["total"].as_i64().unwrap());
        if p > 0 {
            break p < total;
        }
        assert!(Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    s.kill();
    let db = after_kill(&dir, url, &db_url, "import killed while reading").await;
    let members = count(&db, IMPORTED).await;
    if reading {
        assert_eq!(members, 0, "nothing of the import is written");
    } else {
        // A fast machine read the whole file before the first progress report.
        assert!(members == 0 || members == IMPORT_ROWS as i64, "all or nothing: {members}");
    }
    db.close().await.unwrap();

    // 2. An import killed once the file is read, while it writes (or after it committed), at a few
    // delays: all of it or nothing, members and their outflows alike.
    let mut members = 0;
    for delay in [100, 500, 1500] {
        let s = Server::start(&dir, url).await;
        let w = s.login("wuchuan_admin").await;
        let job = start_import(&w, file.clone()).await;
        let deadline = Instant::now() + Duration::from_secs(240);
        loop {
            let j = w.get(&format!("/api/v1/jobs/{job}")).await.body;
            let (p, total) = (j["processed"].as_i64().unwrap(), j["total"].as_i64().unwrap());
            if j["status"] != "running" || (p > 0 && p == total) {
                break;
            }
            assert!(Instant::now() < deadline, "the import reads its file");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        tokio::time::sleep(Duration::from_millis(delay)).await;
        s.kill();
        let when = format!("import killed {delay} ms after reading its file");
        let db = after_kill(&dir, url, &db_url, &when).await;
        let outflows;
        (members, outflows) = (count(&db, IMPORTED).await, count(&db, IMPORTED_OUTFLOWS).await);
        assert!(
            (members, outflows) == (0, 0) || (members, outflows) == (IMPORT_ROWS as i64, IMPORT_ROWS as i64 / 5),
            "{when}: all or nothing, but {members} members, {outflows} outflows"
        );
        println!("{when}: {members} members kept");
        db.close().await.unwrap();
        if members > 0 {
            break;
        }
    }

    // 3. An export (every member, unmasked with a reason) killed while it streams, and
    // 4. activities saved and their attendance recorded, killed in the middle of the saves.
    let s = Server::start(&dir, url).await;
    let w = s.login("wuchuan_admin").await;
    if members == 0 {
        // The import runs to its end this time, so that the export has rows to stream.
        let job = start_import(&w, file).await;
        loop {
            let j = w.get(&format!("/api/v1/jobs/{job}")).await.body;
            if j["status"] != "running" {
                assert_eq!(j["status"], "done", "{j}");
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    // Exports one after another, so that the kill falls in the middle of one.
    let export = {
        let c = copy(&w);
        tokio::spawn(async move {
            let mut done = Vec::new();
            loop {
                let r = c.http.get(format!("{}/api/v1/members.xlsx?unmask_reason=核对花名册", c.base)).send().await;
                let Ok(r) = r else { break };
                assert_eq!(r.status(), StatusCode::OK);
                match r.bytes().await {
                    Ok(b) => done.push(b.len()),
                    Err(_) => break,
                }
            }
            done
        })
    };
    let gz: i64 = {
        let db = honglian_store::connect(&db_url, 1).await.unwrap();
        let id =
            query(&db, "SELECT id FROM orgs WHERE name = '广州吴川商会党支部'").await[0].try_get("", "id").unwrap();
        db.close().await.unwrap();
        id
    };
    let saves = {
        let c = copy(&w);
        tokio::spawn(async move {
            let (mut saved, mut stop) = (0, String::new());
            let start = chrono::Utc::now() - chrono::Duration::days(1);
            for k in 0..10_000 {
                let Ok(r) = c
                    .http
                    .post(format!("{}/api/v1/activities", c.base))
                    .header("X-CSRF-Token", c.csrf.clone().unwrap())
                    .json(&json!({"allow_duplicate": true, "org_ids": [gz], "kind": "party_lecture", "topic": format!("断电前的党课 {k}"), "lecturer": "书记", "place": "党员活动室",
                        "start_at": start, "end_at": start + chrono::Duration::hours(2)}))
                    .send()
                    .await
                else {
                    break;
                };
                let Ok(a) = r.json::<serde_json::Value>().await else { break };
                let Some(id) = a["id"].as_i64() else {
                    stop = format!("create: {a}");
                    break;
                };
                let Ok(r) = c.http.get(format!("{}/api/v1/activities/{id}/attendance", c.base)).send().await else {
                    break;
                };
                let Ok(people) = r.json::<serde_json::Value>().await else { break };
                let items: Vec<_> = people["items"]
                    .as_array()
                    .map(|a| {
                        a.iter().take(3).map(|p| json!({"member_id": p["member_id"], "status": "present"})).collect()
                    })
                    .unwrap_or_default();
                let Ok(r) = c
                    .http
                    .put(format!("{}/api/v1/activities/{id}/attendance", c.base))
                    .header("X-CSRF-Token", c.csrf.clone().unwrap())
                    .json(&json!({"items": items}))
                    .send()
                    .await
                else {
                    break;
                };
                if r.status() != StatusCode::OK {
                    stop = format!("attendance: {} {}", r.status(), r.text().await.unwrap_or_default());
                    break;
                }
                saved += 1;
            }
            (saved, stop)
        })
    };
    tokio::time::sleep(Duration::from_millis(2500)).await;
    s.kill();
    let exported = export.await.unwrap();
    let (saved, stop) = saves.await.unwrap();
    assert!(saved >= 1, "activities were saved before the kill: {stop}");
    assert!(!exported.is_empty(), "an export ran to its end before the kill");
    println!("killed during an export (after {} whole ones) and after {saved} activity saves", exported.len());
    let db = after_kill(&dir, url, &db_url, "export and activity saves killed").await;
    assert!(
        count(&db, "SELECT COUNT(*) AS n FROM activities WHERE topic LIKE '断电前的党课%'").await >= saved as i64,
        "every save answered is kept"
    );
    db.close().await.unwrap();

    // 5. A key rotation killed half-way (the server stopped first, as the rotation requires).
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_honglian"));
    cmd.args(["keys", "rotate", "--batch-size", "50", "--data-dir"]).arg(&dir);
    if let Some(u) = url {
        cmd.args(["--database-url", u]);
    }
    let mut child =
        cmd.env("HONGLIAN_TEST_ROTATE_PAUSE_MS", "20").stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let db = honglian_store::connect(&db_url, 1).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while count(&db, "SELECT COUNT(*) AS n FROM settings WHERE key = 'keys.rotation'").await == 0 {
        assert!(Instant::now() < deadline, "the rotation starts");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    child.kill().unwrap();
    child.wait().unwrap();
    assert_derived_figures(&db, "rotation killed").await;
    db.close().await.unwrap();
    let (ok, out) = honglian_on(&dir, url, &["keys", "rotate"], None);
    assert!(ok && out.contains("从中断处继续"), "{out}");
    let db = after_kill(&dir, url, &db_url, "rotation resumed").await;
    db.close().await.unwrap();

    // The server starts again and serves what was kept.
    let s = Server::start(&dir, url).await;
    let w = s.login("wuchuan_admin").await;
    let listed = w.get("/api/v1/members?per_page=1").await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    s.kill();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_at_work_leaves_nothing_half_written_sqlite() {
    killed_at_work(None).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_at_work_leaves_nothing_half_written_postgres() {
    killed_at_work(Some(crate::helpers::fresh_pg_url().await)).await
}
