//! Several instances (issue 21): real `honglian serve` processes on one PostgreSQL database and one
//! shared data directory, driven alternately like a browser behind a load balancer that is not
//! sticky. No cache delays an authorisation decision (logout, revoked grant, moved organisation,
//! disabled or locked account, new or reset password: refused on the other instance at the next
//! request); writes, background imports and the outbox work across instances; the hourly round runs on
//! exactly one instance, under a lease that another instance takes over once its holder was killed.
//! PostgreSQL only: several processes on one SQLite file are not a supported deployment.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::json;

use crate::helpers::{Client, PASSWORD, copy_demo, fresh_pg_url, items, temp_dir};

/// How long a round's lease lasts in this test (renewed every second while its holder lives).
const LEASE_MS: u64 = 3000;

/// `honglian serve` on a free loopback port, its output in `<data dir>/<id>.log`.
struct Instance {
    id: &'static str,
    child: Child,
    base: String,
    log: PathBuf,
}

impl Instance {
    /// Starts instance `id`; `hold_ms` keeps its round's lease that long after the round's work
    /// (debug builds), so that the test can kill it while it holds the lease.
    async fn start(id: &'static str, dir: &Path, url: &str, demo: bool, hold_ms: u64) -> Instance {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let log = dir.join(format!("{id}.log"));
        let out = std::fs::File::create(&log).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_honglian"));
        cmd.args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--database-url", url, "--data-dir"]).arg(dir);
        if demo {
            cmd.arg("--demo");
        }
        cmd.env("HONGLIAN_INSTANCE_ID", id)
            .env("HONGLIAN_ROUND_FIRST_MS", "100")
            .env("HONGLIAN_ROUND_CHECK_MS", "200")
            .env("HONGLIAN_ROUND_INTERVAL_MS", "3600000")
            .env("HONGLIAN_ROUND_LEASE_MS", LEASE_MS.to_string())
            .env("HONGLIAN_TEST_ROUND_HOLD_MS", hold_ms.to_string());
        let mut child =
            cmd.stdin(Stdio::null()).stdout(out.try_clone().unwrap()).stderr(out).spawn().expect("honglian serve");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = reqwest::get(format!("{base}/healthz")).await
                && r.status() == StatusCode::OK
            {
                break;
            }
            assert!(child.try_wait().unwrap().is_none(), "{id} exited at start: {}", read(&log));
            assert!(Instant::now() < deadline, "{id} did not start: {}", read(&log));
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Instance { id, child, base, log }
    }

    fn anon(&self) -> Client {
        Client {
            http: reqwest::Client::builder().cookie_store(true).build().unwrap(),
            base: self.base.clone(),
            csrf: None,
        }
    }

    async fn login(&self, username: &str) -> Client {
        self.login_with(username, PASSWORD).await
    }

    async fn login_with(&self, username: &str, password: &str) -> Client {
        let mut c = self.anon();
        let r = c.post("/api/v1/session", json!({"username": username, "password": password})).await;
        assert_eq!(r.status, StatusCode::OK, "login {username} on {}: {}", self.id, r.body);
        c.csrf = Some(r.body["csrf_token"].as_str().unwrap().to_string());
        c
    }

    /// SIGKILL, and wait until the process is gone.
    fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// The test's database and data directory, removed at the end even when an assertion failed.
struct Leftovers {
    url: String,
    dir: PathBuf,
}

impl Drop for Leftovers {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.dir).ok();
        let name = self.url.rsplit('/').next().unwrap_or_default().to_string();
        // Drop is synchronous: the database goes from a thread and a runtime of its own.
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
            rt.block_on(async {
                if let Ok(admin) = honglian_store::connect(&format!("{}/postgres", crate::helpers::pg_base()), 1).await
                {
                    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await.ok();
                    admin.close().await.ok();
                }
            });
        })
        .join()
        .ok();
    }
}

fn read(log: &Path) -> String {
    std::fs::read_to_string(log).unwrap_or_default()
}

/// The same browser (cookie jar and CSRF token) sent to another instance, as a load balancer that is
/// not sticky does.
fn on(c: &Client, i: &Instance) -> Client {
    Client { http: c.http.clone(), base: i.base.clone(), csrf: c.csrf.clone() }
}

async fn number(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_string()))
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("a row: {sql}"));
    row.try_get_by_index::<i64>(0).or_else(|_| row.try_get_by_index::<i32>(0).map(i64::from)).unwrap()
}

async fn round_lease(db: &DatabaseConnection) -> Option<honglian_store::repo::platform::leases::Lease> {
    honglian_store::repo::platform::leases::get(db, honglian_app::platform::upkeep::ROUND_LEASE).await.unwrap()
}

/// A roster of `n` new members of one organisation.
fn roster(n: u32, org: &str) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["姓名", "身份证号", "入党日期", "党员类别", "转正日期", "所在党组织"].iter().enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for k in 0..n {
        let r = k + 1;
        ws.write_string(r, 0, format!("多实例{k}")).unwrap();
        ws.write_string(r, 1, honglian_app::demo::demo_id_number("440105", k).as_str()).unwrap();
        ws.write_string(r, 2, "2015-07-01").unwrap();
        ws.write_string(r, 3, "正式党员").unwrap();
        ws.write_string(r, 4, "2016-07-01").unwrap();
        ws.write_string(r, 5, org).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_instances_share_sessions_writes_jobs_and_one_hourly_round() {
    let started = Instant::now();
    let url = fresh_pg_url().await;
    let dir = temp_dir("hl_instances");
    let _leftovers = Leftovers { url: url.clone(), dir: dir.clone() };
    // The demo comes from the tests' PostgreSQL template (loading it takes most of a minute); `--demo`
    // on the first instance then finds it loaded. Both instances share the data directory (keys, files).
    copy_demo(&url, &dir).await;
    let db = honglian_store::connect(&url, 2).await.unwrap();

    // A holds the round's lease for as long as it lives; B starts once A is up.
    let mut a = Instance::start("a", &dir, &url, true, 600_000).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while round_lease(&db).await.and_then(|l| l.holder) != Some("a".into()) {
        assert!(Instant::now() < deadline, "A took the round's lease: {}", read(&a.log));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let a_took = Instant::now();
    let b = Instance::start("b", &dir, &url, false, 0).await;

    // Signed in on A, the session works on B; signed out on B, it is refused on A at once (A had it
    // cached). The cookie is sent by hand: the browser's jar forgets it at the logout.
    let raw = reqwest::Client::new();
    let login = raw
        .post(format!("{}/api/v1/session", a.base))
        .json(&json!({"username": "wuchuan_admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookie = login.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let csrf = login.json::<serde_json::Value>().await.unwrap()["csrf_token"].as_str().unwrap().to_string();
    let with_cookie = |i: &Instance, method: reqwest::Method| {
        raw.request(method, format!("{}/api/v1/session", i.base))
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
    };
    assert_eq!(with_cookie(&a, reqwest::Method::GET).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(
        with_cookie(&b, reqwest::Method::GET).send().await.unwrap().status(),
        StatusCode::OK,
        "A's session on B"
    );
    assert_eq!(with_cookie(&b, reqwest::Method::DELETE).send().await.unwrap().status(), StatusCode::NO_CONTENT);
    let r = with_cookie(&a, reqwest::Method::GET).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "logged out on B, refused on A");
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["title"], "会话已过期，请重新登录");

    // A grant revoked on A: the next request on B is refused; granted again on B, A lets it in at once.
    let sec = a.login("secadmin").await;
    let sec_b = on(&sec, &b);
    let gz = number(&db, "SELECT id FROM orgs WHERE name = '广州吴川商会党支部'").await;
    let gz_user = number(&db, "SELECT id FROM users WHERE username = 'gz_branch'").await;
    let grant = number(&db, &format!("SELECT id FROM grants WHERE user_id = {gz_user} AND role = 'org_admin'")).await;
    let g = a.login("gz_branch").await;
    let gb = on(&g, &b);
    assert_eq!(gb.get("/api/v1/members").await.status, StatusCode::OK);
    assert_eq!(g.get("/api/v1/members").await.status, StatusCode::OK);
    let r = sec.delete(&format!("/api/v1/users/{gz_user}/grants/{grant}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(gb.get("/api/v1/members").await.status, StatusCode::FORBIDDEN, "revoked on A, refused on B");
    assert_eq!(g.get("/api/v1/members").await.status, StatusCode::FORBIDDEN);
    let r = sec_b.post(&format!("/api/v1/users/{gz_user}/grants"), json!({"role": "org_admin", "org_id": gz})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(g.get("/api/v1/members").await.status, StatusCode::OK, "granted on B, in on A");

    // An organisation moved on A out of an administrator's subtree: B (which had its path cached for
    // that administrator's member list) answers 404 at the next request.
    let gsl = number(&db, "SELECT id FROM orgs WHERE name = '中共吴川市工商业联合会委员会'").await;
    let child = number(&db, "SELECT id FROM orgs WHERE name = '深圳吴川商会党支部'").await;
    let county = number(&db, "SELECT id FROM orgs WHERE name = '中共吴川市委员会'").await;
    let gsl_b = b.login("gsl_admin").await;
    let r = gsl_b.get(&format!("/api/v1/members?org={child}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let w = a.login("wuchuan_admin").await;
    let r = w.post(&format!("/api/v1/orgs/{child}/move"), json!({"new_parent_id": county})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = gsl_b.get(&format!("/api/v1/members?org={child}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "moved on A, out of scope on B: {}", r.body);
    let r = on(&w, &b).post(&format!("/api/v1/orgs/{child}/move"), json!({"new_parent_id": gsl})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(on(&gsl_b, &a).get(&format!("/api/v1/members?org={child}")).await.status, StatusCode::OK);

    // An account disabled on B: its session is refused on A at once, and so is signing in again.
    let jx_user = number(&db, "SELECT id FROM users WHERE username = 'jinxiang_admin'").await;
    let jx = a.login("jinxiang_admin").await;
    assert_eq!(on(&jx, &b).get("/api/v1/session").await.status, StatusCode::OK);
    assert_eq!(jx.get("/api/v1/session").await.status, StatusCode::OK);
    let r = sec_b.patch(&format!("/api/v1/users/{jx_user}"), json!({"disabled": true})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(jx.get("/api/v1/session").await.status, StatusCode::UNAUTHORIZED, "disabled on B, refused on A");
    let r = a.anon().post("/api/v1/session", json!({"username": "jinxiang_admin", "password": PASSWORD})).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.body["title"], "账号已停用，请联系安全管理员");
    assert_eq!(sec.patch(&format!("/api/v1/users/{jx_user}"), json!({"disabled": false})).await.status, StatusCode::OK);
    b.login("jinxiang_admin").await;

    // An account locked by wrong passwords on A is locked on B.
    let anon_a = a.anon();
    for _ in 0..5 {
        let r = anon_a.post("/api/v1/session", json!({"username": "sysadmin", "password": "wrong"})).await;
        assert!(matches!(r.status, StatusCode::UNAUTHORIZED | StatusCode::LOCKED), "{}", r.body);
    }
    let r = b.anon().post("/api/v1/session", json!({"username": "sysadmin", "password": PASSWORD})).await;
    assert_eq!(r.status, StatusCode::LOCKED, "locked on A, locked on B: {}", r.body);

    // A password changed on B: the user's session on A is refused at once, the old password too; the
    // session that changed it goes on, on either instance.
    let p_a = a.login("gsl_admin").await;
    assert_eq!(p_a.get("/api/v1/session").await.status, StatusCode::OK);
    let p_b = b.login("gsl_admin").await;
    let r = p_b.post("/api/v1/me/password", json!({"old_password": PASSWORD, "new_password": "Newer@2026x"})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(p_a.get("/api/v1/session").await.status, StatusCode::UNAUTHORIZED, "changed on B, refused on A");
    let r = a.anon().post("/api/v1/session", json!({"username": "gsl_admin", "password": PASSWORD})).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "the old password on A");
    assert_eq!(on(&p_b, &a).get("/api/v1/session").await.status, StatusCode::OK);
    // Reset by the security administrator on A: every session of the user is refused on B, and the
    // new password must be changed first, whichever instance answers.
    let gsl_user = number(&db, "SELECT id FROM users WHERE username = 'gsl_admin'").await;
    let r = sec.post(&format!("/api/v1/users/{gsl_user}/password"), json!({"new_password": "Reset@2026y"})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(p_b.get("/api/v1/session").await.status, StatusCode::UNAUTHORIZED, "reset on A, refused on B");
    let r_b = b.login_with("gsl_admin", "Reset@2026y").await;
    let r = on(&r_b, &a).get("/api/v1/orgs/roots").await;
    assert_eq!((r.status, r.body["code"].as_str()), (StatusCode::FORBIDDEN, Some("password_change_required")));

    // A write through A is read back through B.
    let w_b = on(&w, &b);
    let member = number(&db, &format!("SELECT MIN(id) FROM members WHERE org_id = {gz}")).await;
    let r = w.patch(&format!("/api/v1/members/{member}"), json!({"employer": "广州多实例科技有限公司"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = w_b.get(&format!("/api/v1/members/{member}")).await;
    assert_eq!(r.body["employer"], "广州多实例科技有限公司", "{}", r.body);

    // A background import started on A: its progress and its result are read through B.
    const ROWS: u32 = 1500;
    let job =
        w.upload("/api/v1/imports/members?background=true", "名册.xlsx", roster(ROWS, "广州吴川商会党支部")).await;
    assert_eq!(job.status, StatusCode::ACCEPTED, "{}", job.body);
    let job = job.body["id"].as_i64().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let done = loop {
        let r = w_b.get(&format!("/api/v1/jobs/{job}")).await;
        assert_eq!(r.status, StatusCode::OK, "the job of A on B: {}", r.body);
        if r.body["status"] != "running" {
            break r.body;
        }
        assert!(Instant::now() < deadline, "the import did not finish: {}", r.body);
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(done["result"]["written"], ROWS, "{done}");
    assert_eq!(done["processed"], ROWS, "{done}");
    let r = w_b.get("/api/v1/members?q=多实例&per_page=1").await;
    assert_eq!(r.body["total"], ROWS, "imported through A, listed by B: {}", r.body);

    // All this while (and at least twice the lease's length) A held the round's lease, renewing it every
    // second, and B, checking every 200 ms, never took it: the round ran nowhere else.
    if let Some(rest) = Duration::from_millis(2 * LEASE_MS).checked_sub(a_took.elapsed()) {
        tokio::time::sleep(rest).await;
    }
    let held = round_lease(&db).await.unwrap();
    assert_eq!((held.holder.as_deref(), held.runs), (Some("a"), 0), "{held:?}");

    // A killed mid-lease: nobody takes the lease until it runs out, then B does, runs the round once.
    a.kill();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let expiry = round_lease(&db).await.unwrap().expires_at;
    let deadline = Instant::now() + Duration::from_secs(30);
    let taken = loop {
        let l = round_lease(&db).await.unwrap();
        if l.runs > 0 {
            break l;
        }
        if chrono::Utc::now() + chrono::Duration::milliseconds(100) < expiry {
            assert_eq!(l.holder.as_deref(), Some("a"), "nobody takes a lease before it runs out: {l:?}");
        }
        assert!(Instant::now() < deadline, "B did not take over: {l:?}\n{}", read(&b.log));
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!((taken.runs, taken.finished_by.as_deref(), taken.holder.as_deref()), (1, Some("b"), None), "{taken:?}");
    assert!(taken.finished_at.unwrap() > expiry, "taken over after A's lease ran out: {taken:?}, expiry {expiry}");
    assert!(taken.due_at > chrono::Utc::now() + chrono::Duration::minutes(50), "next due in an hour: {taken:?}");

    // A third instance joins: with B and C checking every 200 ms, the round is not run again (due in an hour).
    let c = Instance::start("c", &dir, &url, false, 0).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let l = round_lease(&db).await.unwrap();
    assert_eq!((l.runs, l.finished_by.as_deref()), (1, Some("b")), "the round ran once: {l:?}");

    // The outbox is worked by B and C at once: each member gets a greeting sent through C exactly once.
    let gzb = c.login("gz_branch").await;
    let r = gzb
        .post(
            "/api/v1/greetings",
            json!({"org_id": gz, "occasion": "国庆节", "title": "多实例问候", "body": "在外的党员同志们：节日快乐！"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let greeting = r.body["id"].as_i64().unwrap();
    let queued = r.body["in_app"]["queued"].as_i64().unwrap();
    assert!(queued > 0, "{}", r.body);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let r = on(&gzb, &b).get(&format!("/api/v1/greetings/{greeting}")).await;
        if r.body["in_app"]["sent"].as_i64() == Some(queued) {
            break;
        }
        assert!(Instant::now() < deadline, "the greeting was not delivered: {}", r.body);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let source = format!("greeting:{greeting}");
    assert_eq!(number(&db, &format!("SELECT COUNT(*) FROM notifications WHERE dedupe_key = '{source}'")).await, queued);
    assert_eq!(
        number(&db, &format!("SELECT COUNT(*) FROM outbox WHERE source = '{source}' AND channel = 'in_app' AND attempts = 1 AND status = 'sent'")).await,
        queued,
        "every message taken and sent once"
    );
    let inbox = c.login("member_demo").await;
    let mine = inbox.get("/api/v1/notifications?per_page=100").await;
    assert_eq!(items(&mine.body).iter().filter(|n| n["title"] == "多实例问候").count(), 1, "{}", mine.body);

    drop((b, c));
    db.close().await.ok();
    println!("several instances: {:?}", started.elapsed());
}
