//! A read replica (issue 21, `--read-database-url`). The test uses a real streaming replica: two
//! PostgreSQL clusters that scripts/replica.sh makes, whose URLs scripts/test.sh passes in
//! `HONGLIAN_TEST_REPLICATION`.
//! - Statistics and exports read from the replica: with its replay paused, another user's new
//!   member is missing from them.
//! - The user who saved sees what was saved, on the page and in the figures.
//! - Sign-in and access are decided on the primary.
//! - A replica further behind than the bound, or one that cannot be reached, is passed over.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::json;

use crate::helpers::{Client, TestApp, id_number, items, sheet, temp_dir, test_config};

/// The primary's and the replica's server URLs (without a database).
fn replication() -> (String, String) {
    let v = std::env::var("HONGLIAN_TEST_REPLICATION").expect(
        "the read-replica test needs a primary and a streaming replica: run scripts/test.sh, or \
         export HONGLIAN_TEST_REPLICATION=\"$(scripts/replica.sh)\"",
    );
    let mut urls = v.split_whitespace().map(str::to_string);
    (urls.next().expect("the primary's URL"), urls.next().expect("the replica's URL"))
}

async fn one_text(db: &DatabaseConnection, sql: &str) -> String {
    let b = db.get_database_backend();
    let row = db.query_one_raw(sea_orm::Statement::from_string(b, sql)).await.unwrap().unwrap();
    row.try_get_by_index::<String>(0).unwrap()
}

/// Waits until the replica has replayed everything the primary has written so far.
async fn caught_up(primary: &DatabaseConnection, replica: &DatabaseConnection) {
    let at = one_text(primary, "SELECT pg_current_wal_insert_lsn()::text").await;
    let deadline = Instant::now() + Duration::from_secs(60);
    while one_text(replica, &format!("SELECT (pg_last_wal_replay_lsn() >= '{at}'::pg_lsn)::text")).await != "true" {
        assert!(Instant::now() < deadline, "the replica did not replay up to {at}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn member_total(c: &Client) -> u64 {
    let r = c.get("/api/v1/stats/overview").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["member_total"].as_u64().unwrap()
}

/// Whether the roster export (xlsx) lists a member of this name.
async fn roster_has(c: &Client, name: &str) -> bool {
    let r = c.get("/api/v1/members.xlsx").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    sheet(&r.bytes).iter().any(|row| row.iter().any(|cell| cell == name))
}

/// The same signed-in browser, talking to another server on this machine (cookies are per host, not
/// per port).
fn on(c: &Client, other: &TestApp) -> Client {
    Client { http: c.http.clone(), base: other.base.clone(), csrf: c.csrf.clone() }
}

#[tokio::test]
async fn reports_read_from_the_replica_and_a_save_reads_back() {
    let (primary_server, replica_server) = replication();
    let name = format!("hl_replica_{}", std::process::id());
    let admin = honglian_store::connect(&format!("{primary_server}/postgres"), 1).await.unwrap();
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await.unwrap();
    admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.unwrap();
    let (primary_url, replica_url) = (format!("{primary_server}/{name}"), format!("{replica_server}/{name}"));
    let replica_admin = honglian_store::connect(&format!("{replica_server}/postgres"), 1).await.unwrap();
    // A run that stopped half-way may have left the replay paused.
    replica_admin.execute_unprepared("SELECT pg_wal_replay_resume()").await.unwrap();
    // The new database reaches the replica through the log, like everything else.
    caught_up(&admin, &replica_admin).await;

    let dir = temp_dir("hl_replica");
    let read_url = replica_url.clone();
    let t = TestApp::spawn_with(dir.clone(), primary_url.clone(), true, move |cfg| {
        cfg.read_database_url = Some(read_url);
        // Far more than the steps below take on a busy machine while the replica's replay is paused.
        cfg.read_max_lag_seconds = 600;
    })
    .await;
    let primary = honglian_store::connect(&primary_url, 1).await.unwrap();
    let replica = honglian_store::connect(&replica_url, 1).await.unwrap();
    let wuchuan = t.org_id("中共吴川市委员会").await;
    let gz = t.org_id("广州吴川商会党支部").await;

    // A second server on the same databases whose bound is 0 s (a replica with anything unreplayed is
    // too far behind), and a third whose replica cannot be reached.
    let strict = {
        let app =
            t.app.clone().with_replica(honglian_store::connect_replica(&replica_url, 2).await.unwrap(), Duration::ZERO);
        TestApp::serve(&test_config(dir.clone(), t.database_url.clone()), app).await
    };
    let unreachable = {
        let app = t.app.clone().with_replica(
            honglian_store::connect_replica(&format!("postgres://postgres@127.0.0.1:1/{name}"), 2).await.unwrap(),
            Duration::from_secs(30),
        );
        TestApp::serve(&test_config(dir.clone(), t.database_url.clone()), app).await
    };

    // The writer (the county's administrator) and a reader of the same county (an account of its own).
    let writer = t.login("wuchuan_admin").await;
    let reader = t.account("replica_reader", "county_admin", Some(wuchuan), None).await;
    let sec = t.login("secadmin").await;
    caught_up(&primary, &replica).await;

    // Caught up, the replica's figures are the primary's.
    let before = member_total(&reader).await;
    let at_home: i64 = {
        let b = primary.get_database_backend();
        let sql = format!(
            "SELECT count(*) AS n FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.path LIKE \
             (SELECT path FROM orgs WHERE id = {wuchuan}) || '%'"
        );
        let row = primary.query_one_raw(sea_orm::Statement::from_string(b, sql)).await.unwrap().unwrap();
        row.try_get("", "n").unwrap()
    };
    assert_eq!(before as i64, at_home, "the replica's count is the primary's");
    assert_eq!(member_total(&writer).await, before);

    // The replica stops replaying (it still receives the log): what is written now is only on the primary.
    replica.execute_unprepared("SELECT pg_wal_replay_pause()").await.unwrap();
    let saved = writer
        .post(
            "/api/v1/members",
            json!({"org_id": gz, "name": "副本测试", "id_number": id_number("440883", 1990, 5, 6, 3), "joined_on": "2015-07-01", "category": "full", "full_on": "2016-07-01"}),
        )
        .await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    assert!(
        saved.headers.get_all("set-cookie").iter().any(|v| v.to_str().unwrap().starts_with("hl_wrote=")),
        "a write hands the caller the primary's log position"
    );
    let id = saved.body["id"].as_i64().unwrap();

    // The writer sees what was saved: the page, the figures and the export (the replica has not
    // replayed its write, so its reads go to the primary).
    let page = writer.get(&format!("/api/v1/members/{id}")).await;
    assert_eq!((page.status, page.body["name"].as_str()), (StatusCode::OK, Some("副本测试")));
    assert_eq!(member_total(&writer).await, before + 1, "the writer's figures include its save");
    assert!(roster_has(&writer, "副本测试").await, "the writer's export includes its save");

    // The other user reads the replica: the figures and the export are as of before the save; the
    // member list (not a report) reads the primary.
    assert_eq!(member_total(&reader).await, before, "statistics come from the replica");
    assert!(!roster_has(&reader, "副本测试").await, "the export comes from the replica");
    let list = reader.get("/api/v1/members?q=副本测试").await;
    assert_eq!(items(&list.body).len(), 1, "the list reads the primary: {}", list.body);

    // Further behind than a server's bound (0 s here): that server reads the primary.
    assert_eq!(member_total(&on(&reader, &strict)).await, before + 1, "a lagging replica is passed over");
    // A replica that cannot be reached: the primary, and no error.
    assert_eq!(member_total(&on(&reader, &unreachable)).await, before + 1, "an unreachable replica is passed over");

    // Access is decided on the primary: the reader, disabled now, is refused although the replica still
    // holds its account as it was.
    let r = sec.patch(&format!("/api/v1/users/{}", reader_id(&primary).await), json!({"disabled": true})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(reader.get("/api/v1/stats/overview").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        one_text(&replica, "SELECT disabled::text FROM users WHERE username = 'replica_reader'").await,
        "false",
        "the replica has not replayed the change"
    );

    // Replay resumes: the replica has it all again, and another reader's figures include the save.
    replica.execute_unprepared("SELECT pg_wal_replay_resume()").await.unwrap();
    caught_up(&primary, &replica).await;
    let jx = t.account("replica_reader2", "county_admin", Some(wuchuan), None).await;
    caught_up(&primary, &replica).await;
    assert_eq!(member_total(&jx).await, before + 1);
    assert!(roster_has(&jx, "副本测试").await);

    for db in [primary, replica, replica_admin] {
        db.close().await.ok();
    }
    t.app.db.clone().close().await.ok();
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await.ok();
    std::fs::remove_dir_all(dir).ok();
}

async fn reader_id(primary: &DatabaseConnection) -> i64 {
    one_text(primary, "SELECT id::text FROM users WHERE username = 'replica_reader'").await.parse().unwrap()
}
