//! Writes beside each other: the SQLite write lock is never held across password hashing or file
//! parsing, so 50 parallel logins or a large import do not make another user's save fail; parallel
//! wrong passwords all count toward the lockout (an atomic increment, also on PostgreSQL); a member
//! edit and a concurrent transfer of the same member do not undo each other; decisions on one suspension
//! proposal take turns.

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::helpers::{Client, PASSWORD, TestApp, fresh_pg_url, temp_dir};

async fn spawn(postgres: bool, max_failed: u32) -> TestApp {
    let tweak = move |c: &mut honglian_server::config::Config| {
        // The load comes from one address: the per-client login limit is not what is tested here.
        c.security.rate_limits.login_per_client = 0;
        c.security.max_failed_logins = max_failed;
    };
    if postgres {
        TestApp::spawn_with(temp_dir("hl_conc_pg"), fresh_pg_url().await, true, tweak).await
    } else {
        let dir = temp_dir("hl_conc");
        TestApp::spawn_with(dir.clone(), honglian_store::sqlite_url(&dir.join("honglian.db")), true, tweak).await
    }
}

async fn login_status(base: String, username: &str, password: &str) -> StatusCode {
    reqwest::Client::new()
        .post(format!("{base}/api/v1/session"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
}

async fn logins_do_not_block_saves(postgres: bool) {
    let t = spawn(postgres, 1000).await;
    let w = t.login("wuchuan_admin").await;
    let member = t.member_in("梅菉街道梅岭村第一党支部").await;
    let today = chrono::Local::now().date_naive();
    // 50 logins at once, half of them with the wrong password, while one user saves 20 times.
    let accounts = ["gz_branch", "jinxiang_admin", "instructor", "member_demo", "auditor"];
    let logins: Vec<_> = (0..50)
        .map(|i| {
            let base = t.base.clone();
            let user = accounts[i % accounts.len()];
            let password = if i % 2 == 0 { PASSWORD } else { "Wrong-password-1" };
            tokio::spawn(async move { (i % 2 == 0, login_status(base, user, password).await) })
        })
        .collect();
    let started = std::time::Instant::now();
    let mut slowest = std::time::Duration::ZERO;
    for k in 0..20 {
        let t0 = std::time::Instant::now();
        let r = w
            .post(
                &format!("/api/v1/members/{member}/contacts"),
                json!({"kind": "call", "contacted_on": today, "note": format!("并发保存 {k}")}),
            )
            .await;
        slowest = slowest.max(t0.elapsed());
        assert_eq!(r.status, StatusCode::CREATED, "save {k} during the logins: {}", r.body);
    }
    let mut right = 0;
    for l in logins {
        let (ok, status) = l.await.unwrap();
        if ok {
            assert_eq!(status, StatusCode::OK);
            right += 1;
        } else {
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        }
    }
    assert_eq!(right, 25);
    println!(
        "{}: 50 parallel logins, 20 saves in {:?}, the slowest save {:?}",
        if postgres { "PostgreSQL" } else { "SQLite" },
        started.elapsed(),
        slowest
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_logins_do_not_fail_a_save_sqlite() {
    logins_do_not_block_saves(false).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_logins_do_not_fail_a_save_postgres() {
    logins_do_not_block_saves(true).await
}

async fn failed_logins(t: &TestApp, username: &str) -> (i64, bool) {
    let db = &t.app.db;
    let b = db.get_database_backend();
    let r = db
        .query_one_raw(Statement::from_string(
            b,
            format!("SELECT failed_logins, locked_until FROM users WHERE username = '{username}'"),
        ))
        .await
        .unwrap()
        .unwrap();
    let locked: Option<chrono::DateTime<chrono::Utc>> = r.try_get("", "locked_until").unwrap();
    (r.try_get::<i32>("", "failed_logins").unwrap() as i64, locked.is_some_and(|l| l > chrono::Utc::now()))
}

async fn wrong_passwords_all_count(postgres: bool) {
    let t = spawn(postgres, 30).await;
    let wrong: Vec<_> = (0..20)
        .map(|_| {
            let base = t.base.clone();
            tokio::spawn(async move { login_status(base, "gz_branch", "Wrong-password-1").await })
        })
        .collect();
    for w in wrong {
        assert_eq!(w.await.unwrap(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(failed_logins(&t, "gz_branch").await, (20, false), "every parallel failure counted");
    // Ten more in parallel: the 30th locks the account, the rest find it locked.
    let wrong: Vec<_> = (0..10)
        .map(|_| {
            let base = t.base.clone();
            tokio::spawn(async move { login_status(base, "gz_branch", "Wrong-password-1").await })
        })
        .collect();
    let mut statuses = Vec::new();
    for w in wrong {
        statuses.push(w.await.unwrap());
    }
    assert!(statuses.contains(&StatusCode::LOCKED), "{statuses:?}");
    assert_eq!(failed_logins(&t, "gz_branch").await, (0, true), "locked, the count started again");
    assert_eq!(
        login_status(t.base.clone(), "gz_branch", PASSWORD).await,
        StatusCode::LOCKED,
        "even the right password"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_wrong_passwords_all_count_sqlite() {
    wrong_passwords_all_count(false).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_wrong_passwords_all_count_postgres() {
    wrong_passwords_all_count(true).await
}

/// Rows of the import run beside the saves: 100,000, as the issue asks (about 20 s in a debug
/// build on the 2-core test machine). The benchmark (`crates/bench`, workload `import`) measures
/// the same import in a release build.
const IMPORT_ROWS: u32 = 100_000;

fn roster(rows: u32, org: &str) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["姓名", "身份证号", "手机号", "入党日期", "所在党组织"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for k in 0..rows {
        let r = k + 1;
        ws.write_string(r, 0, format!("导入{k}")).unwrap();
        ws.write_string(r, 1, honglian_app::demo::demo_id_number("440103", k).as_str()).unwrap();
        ws.write_string(r, 2, format!("139{:08}", k)).unwrap();
        ws.write_string(r, 3, "2020-07-01").unwrap();
        ws.write_string(r, 4, org).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

async fn contacts(c: &Client, member: i64) -> u64 {
    c.get(&format!("/api/v1/members/{member}/contacts")).await.body["total"].as_u64().unwrap()
}

/// One county imports a large roster (a real run, in the background) while a user of another
/// county saves contacts over and over: every save succeeds, the import writes every row.
async fn import_does_not_block_saves(postgres: bool) {
    let t = spawn(postgres, 1000).await;
    let importer = t.login("jinxiang_admin").await;
    let saver = t.login("wuchuan_admin").await;
    let member = t.member_in("梅菉街道梅岭村第一党支部").await;
    let today = chrono::Local::now().date_naive();
    let before = contacts(&saver, member).await;
    let file = roster(IMPORT_ROWS, "金乡县某化工党支部");
    let started = std::time::Instant::now();
    let job = importer.upload("/api/v1/imports/members?background=true", "名册.xlsx", file).await;
    assert_eq!(job.status, StatusCode::ACCEPTED, "{}", job.body);
    let job = job.body["id"].as_i64().unwrap();
    let (mut saves, mut during, mut slowest) = (0, 0, std::time::Duration::ZERO);
    let done = loop {
        let status = importer.get(&format!("/api/v1/jobs/{job}")).await.body;
        let running = status["status"] == "running";
        let t0 = std::time::Instant::now();
        let r = saver
            .post(
                &format!("/api/v1/members/{member}/contacts"),
                json!({"kind": "call", "contacted_on": today, "note": format!("导入期间保存 {saves}")}),
            )
            .await;
        slowest = slowest.max(t0.elapsed());
        assert_eq!(r.status, StatusCode::CREATED, "save {saves} during the import: {}", r.body);
        saves += 1;
        if running {
            during += 1;
        } else {
            break status;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(600), "the import did not finish");
    };
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(done["result"]["written"], IMPORT_ROWS, "{done}");
    assert!(during >= 3, "saves ran while the import did: {during}");
    assert_eq!(contacts(&saver, member).await, before + saves, "every save is there");
    println!(
        "{}: import of {IMPORT_ROWS} rows in {:?}; {saves} saves ({during} while it ran), the slowest {:?}",
        if postgres { "PostgreSQL" } else { "SQLite" },
        started.elapsed(),
        slowest
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_does_not_fail_a_save_sqlite() {
    import_does_not_block_saves(false).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_does_not_fail_a_save_postgres() {
    import_does_not_block_saves(true).await
}

fn session_copy(c: &Client) -> Client {
    Client { http: c.http.clone(), base: c.base.clone(), csrf: c.csrf.clone() }
}

/// Two clerks act on the same members at once: one edits each member's employer while the other
/// transfers them, all members in parallel, there and back. Every member ends with both the new
/// employer and the new organisation: neither write undid the other (on PostgreSQL the edit and the
/// transfer lock the member's row before reading it, and an edit never writes the organisation).
async fn edit_and_transfer_do_not_undo_each_other(t: TestApp) {
    let editor = t.login("wuchuan_admin").await;
    let mover = t.login("wuchuan_admin").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let sz = t.org_id("深圳吴川商会党支部").await;
    let members: Vec<i64> = t.members_at_home(gz).await.into_iter().map(|m| m.0).take(12).collect();
    assert!(members.len() >= 6, "{members:?}");
    for (round, (to, to_name)) in [(sz, "深圳吴川商会党支部"), (gz, "广州吴川商会党支部")].into_iter().enumerate()
    {
        let mut tasks = Vec::new();
        for &m in &members {
            let (e, mv) = (session_copy(&editor), session_copy(&mover));
            let employer = format!("第{round}轮单位{m}");
            tasks.push(tokio::spawn(async move {
                let edit = async { e.patch(&format!("/api/v1/members/{m}"), json!({"employer": employer})).await };
                let transfer = async { mv.post(&format!("/api/v1/members/{m}/transfer"), json!({"org_id": to})).await };
                let (edit, transfer) = tokio::join!(edit, transfer);
                (m, edit, transfer)
            }));
        }
        for task in tasks {
            let (m, edit, transfer) = task.await.unwrap();
            assert_eq!(edit.status, StatusCode::OK, "edit of {m}: {}", edit.body);
            assert_eq!(transfer.status, StatusCode::OK, "transfer of {m}: {}", transfer.body);
        }
        for &m in &members {
            let now = editor.get(&format!("/api/v1/members/{m}")).await.body;
            assert_eq!(now["org_name"], to_name, "round {round}: the transfer of {m} stands: {now}");
            assert_eq!(now["employer"], format!("第{round}轮单位{m}"), "round {round}: the edit of {m} stands");
        }
    }
}
crate::both!(edit_and_transfer_do_not_undo_each_other);

/// Several approvers decide one suspension proposal at the same moment, and the branch asks to transfer the
/// member meanwhile: exactly one decision stands (the others find it decided), and the transfer is refused
/// while the proposal waits or once the membership is suspended — decisions, proposals and transfer requests
/// on one member take turns (on PostgreSQL the member's row is locked before anything is read).
async fn decisions_on_one_proposal_take_turns(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let lost = w.get("/api/v1/lost-contacts?suspended=false&per_page=200").await.body;
    let l = crate::helpers::items(&lost)
        .iter()
        .find(|l| l["home"] == true && l["suspension_proposed"] == false)
        .expect("a lost member at home")
        .clone();
    let (m, org) = (l["member_id"].as_i64().unwrap(), l["org_id"].as_i64().unwrap());
    let branch = t.account("conc_branch", "org_admin", Some(org), None).await;
    let p = branch.post(&format!("/api/v1/members/{m}/suspension-proposals"), json!({"reason": "失联"})).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
    let url = format!("/api/v1/members/{m}/suspension-proposals/{}/decision", p.body["id"]);
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let jx = t.org_id("鲁特电工党支部").await;
    let mut tasks = Vec::new();
    for k in 0..6 {
        let (c, url) = (session_copy(&w), url.clone());
        tasks.push(tokio::spawn(async move {
            c.post(&url, json!({"approve": k % 2 == 0, "on": today, "note": "审批意见"})).await
        }));
    }
    let b = session_copy(&branch);
    let transfer =
        tokio::spawn(async move { b.post("/api/v1/transfers", json!({"member_id": m, "to_org_id": jx})).await });
    let mut decided = 0;
    for task in tasks {
        let r = task.await.unwrap();
        match r.status {
            StatusCode::OK => decided += 1,
            StatusCode::CONFLICT => {}
            other => panic!("a decision answered {other}: {}", r.body),
        }
    }
    assert_eq!(decided, 1, "exactly one decision stands");
    let tr = transfer.await.unwrap();
    let proposals = w.get(&format!("/api/v1/members/{m}/suspension-proposals")).await;
    let status = crate::helpers::items(&proposals.body)[0]["status"].as_str().unwrap().to_string();
    // Refused while pending or once suspended; only after a rejection may the branch ask.
    if status == "approved" || tr.status != StatusCode::CREATED {
        assert_eq!(tr.status, StatusCode::CONFLICT, "{status}: {}", tr.body);
    }
    let decisions = t
        .sql_i64(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'member.decide_suspension' AND object_id = '{m}'"
        ))
        .await;
    assert_eq!(decisions, 1, "the decision is recorded once");
}
crate::both!(decisions_on_one_proposal_take_turns);
