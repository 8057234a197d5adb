//! The audit log: the database refuses edits and deletions, the keyed hash chain detects those made
//! by someone who gets round the database (and cannot be rebuilt without the key file), and
//! verification reads one snapshot.

use sea_orm::{ConnectionTrait, DatabaseBackend, TransactionTrait};
use serde_json::json;

use crate::helpers::TestApp;
use honglian_app::platform::audit::{Verdict, canonical, verify};
use honglian_app::platform::crypto::sm3_hex;
use honglian_store::repo::platform::audit as repo;

/// Runs `sql` as an insider who can switch the audit triggers off (the table owner on PostgreSQL;
/// anyone who can write the file on SQLite).
async fn as_insider(t: &TestApp, sql: &str) {
    let txn = t.app.db.begin().await.unwrap();
    if t.app.db.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_unprepared("SET LOCAL session_replication_role = replica").await.unwrap();
    } else {
        for tr in ["audit_events_no_update", "audit_events_no_delete", "audit_head_no_delete", "audit_head_forward"] {
            txn.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {tr}")).await.unwrap();
        }
    }
    txn.execute_unprepared(sql).await.unwrap();
    txn.commit().await.unwrap();
}

async fn last_id(t: &TestApp) -> i64 {
    repo::head(&t.app.db).await.unwrap().0
}

async fn chain_detects_tampering(t: TestApp) {
    let c = t.login("wuchuan_admin").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    for s in ["甲", "乙", "丙"] {
        c.patch(&format!("/api/v1/orgs/{gz}"), json!({"secretary": format!("书记{s}")})).await;
    }
    let Verdict::Intact { records } = verify(&t.app.db, &t.app.crypto).await.unwrap() else {
        panic!("fresh chain must verify")
    };
    assert!(records >= 5);
    // Concurrent writers still form one chain.
    let mut tasks = Vec::new();
    for i in 0..8 {
        let c = t.login("wuchuan_admin").await;
        tasks.push(tokio::spawn(async move {
            c.patch(&format!("/api/v1/orgs/{gz}"), json!({"contact": format!("020-8888{i:04}")})).await.status
        }));
    }
    for task in tasks {
        assert!(task.await.unwrap().is_success());
    }
    let Verdict::Intact { records: after } = verify(&t.app.db, &t.app.crypto).await.unwrap() else {
        panic!("concurrent appends must verify")
    };
    assert!(after >= records + 16, "8 logins and 8 edits");

    // The database refuses to change or remove records, or to move the head anywhere but on.
    let target = records - 1;
    for sql in [
        format!("UPDATE audit_events SET actor_name = 'someone_else' WHERE id = {target}"),
        format!("DELETE FROM audit_events WHERE id = {target}"),
        "UPDATE audit_head SET last_id = last_id - 1".to_string(),
        "DELETE FROM audit_head".to_string(),
    ] {
        assert!(t.app.db.execute_unprepared(&sql).await.is_err(), "refused: {sql}");
    }
    assert_eq!(verify(&t.app.db, &t.app.crypto).await.unwrap(), Verdict::Intact { records: after });

    // An insider switches the triggers off, edits a record and rebuilds every later link and the head
    // with the published formula. Without the audit key from the key file the links do not verify.
    as_insider(&t, &format!("UPDATE audit_events SET actor_name = 'someone_else' WHERE id = {target}")).await;
    let rows = repo::batch_after(&t.app.db, target - 1, 100_000).await.unwrap();
    let mut prev = repo::batch_after(&t.app.db, target - 2, 1).await.unwrap()[0].hash.clone();
    let mut sql = String::new();
    for mut e in rows {
        e.prev_hash = prev.clone();
        e.hash = sm3_hex(format!("{prev}\n{}", canonical(&e)).as_bytes());
        sql += &format!(
            "UPDATE audit_events SET prev_hash = '{}', hash = '{}' WHERE id = {};\n",
            e.prev_hash, e.hash, e.id
        );
        prev = e.hash;
    }
    sql += &format!("UPDATE audit_head SET last_hash = '{prev}' WHERE id = 1");
    for stmt in sql.split(";\n") {
        as_insider(&t, stmt).await;
    }
    assert_eq!(
        verify(&t.app.db, &t.app.crypto).await.unwrap(),
        Verdict::Broken { id: target, reason: format!("记录 {target} 的内容已被修改") }
    );
    let a = t.login("auditor").await;
    assert!(a.get("/api/v1/audit-events").await.status.is_success());
}
crate::both!(chain_detects_tampering);

async fn deletion_is_detected_by_the_command(t: TestApp) {
    let bin = env!("CARGO_BIN_EXE_honglian");
    let run = || {
        std::process::Command::new(bin)
            .args(["audit", "verify", "--data-dir"])
            .arg(&t.data_dir)
            .args(["--database-url", &t.database_url])
            .output()
            .unwrap()
    };
    t.login("gz_branch").await;
    let ok = run();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stdout));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("审计日志完好"));
    // Delete a record from the middle.
    assert!(t.app.db.execute_unprepared("DELETE FROM audit_events WHERE id = 2").await.is_err());
    as_insider(&t, "DELETE FROM audit_events WHERE id = 2").await;
    let broken = run();
    assert_eq!(broken.status.code(), Some(1));
    let out = String::from_utf8_lossy(&broken.stdout);
    assert!(out.contains("记录 2") && out.contains("删除"), "{out}");
}
crate::both!(deletion_is_detected_by_the_command);

async fn deleting_the_newest_record_is_detected(t: TestApp) {
    t.login("gz_branch").await;
    let last = last_id(&t).await;
    as_insider(&t, &format!("DELETE FROM audit_events WHERE id = {last}")).await;
    match verify(&t.app.db, &t.app.crypto).await.unwrap() {
        Verdict::Broken { id, reason } => {
            assert_eq!(id, last);
            assert!(reason.contains("末尾记录被删除"), "{reason}");
        }
        v => panic!("expected broken, got {v:?}"),
    }
}
crate::both!(deleting_the_newest_record_is_detected);

/// Verification while the server writes: one snapshot, so never a false alarm.
async fn verify_reads_one_snapshot(t: TestApp) {
    let gz = t.org_id("广州吴川商会党支部").await;
    let c = t.login("wuchuan_admin").await;
    let writer = tokio::spawn(async move {
        for i in 0..60 {
            let r = c.patch(&format!("/api/v1/orgs/{gz}"), json!({"contact": format!("020-7777{i:04}")})).await;
            assert!(r.status.is_success(), "{}", r.body);
        }
    });
    let mut seen = 0;
    while !writer.is_finished() {
        match verify(&t.app.db, &t.app.crypto).await.unwrap() {
            Verdict::Intact { records } => {
                assert!(records >= seen, "a later snapshot never has fewer records");
                seen = records;
            }
            v => panic!("false alarm while the server writes: {v:?}"),
        }
    }
    writer.await.unwrap();
    assert!(matches!(verify(&t.app.db, &t.app.crypto).await.unwrap(), Verdict::Intact { .. }));
}
crate::both!(verify_reads_one_snapshot);

/// Makes the database look like one written by a version before the keyed, append-only log: no
/// triggers, migration 0009 not applied, every link the unkeyed SM3 of earlier versions.
async fn make_it_old(t: &TestApp, edit: Option<i64>) {
    let pg = t.app.db.get_database_backend() == DatabaseBackend::Postgres;
    let drops: &[&str] = if pg {
        &[
            "DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events",
            "DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events",
            "DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_head",
            "DROP TRIGGER IF EXISTS audit_head_forward ON audit_head",
            "DROP FUNCTION IF EXISTS audit_append_only()",
            "DROP FUNCTION IF EXISTS audit_head_forward()",
        ]
    } else {
        &[
            "DROP TRIGGER IF EXISTS audit_events_no_update",
            "DROP TRIGGER IF EXISTS audit_events_no_delete",
            "DROP TRIGGER IF EXISTS audit_head_no_delete",
            "DROP TRIGGER IF EXISTS audit_head_forward",
        ]
    };
    for sql in drops {
        t.app.db.execute_unprepared(sql).await.unwrap();
    }
    t.app.db.execute_unprepared("DELETE FROM schema_migrations WHERE name = '0009_audit_append_only'").await.unwrap();
    t.app.db.execute_unprepared("DELETE FROM settings WHERE key = 'audit.chain'").await.unwrap();
    let mut prev = "0".repeat(64);
    for mut e in repo::batch_after(&t.app.db, 0, 100_000).await.unwrap() {
        e.prev_hash = prev.clone();
        e.hash = sm3_hex(format!("{prev}\n{}", canonical(&e)).as_bytes());
        t.app
            .db
            .execute_unprepared(&format!(
                "UPDATE audit_events SET prev_hash = '{}', hash = '{}' WHERE id = {}",
                e.prev_hash, e.hash, e.id
            ))
            .await
            .unwrap();
        prev = e.hash;
    }
    t.app.db.execute_unprepared(&format!("UPDATE audit_head SET last_hash = '{prev}' WHERE id = 1")).await.unwrap();
    if let Some(id) = edit {
        t.app.db.execute_unprepared(&format!("UPDATE audit_events SET result = 'ok!' WHERE id = {id}")).await.unwrap();
    }
}

fn verify_command(t: &TestApp) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_honglian"))
        .args(["audit", "verify", "--data-dir"])
        .arg(&t.data_dir)
        .args(["--database-url", &t.database_url])
        .output()
        .unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

/// Upgrading: an intact unkeyed chain of an earlier version is checked and relinked under the key, then
/// the log becomes append-only; an old chain that was already edited is refused, not laundered.
async fn an_old_chain_is_adopted_only_if_intact(t: TestApp) {
    t.login("gz_branch").await;
    make_it_old(&t, Some(2)).await;
    let (ok, out) = verify_command(&t);
    assert!(!ok && out.contains("升级前已被修改") && out.contains("记录 2"), "{out}");
    make_it_old(&t, None).await;
    let (ok, out) = verify_command(&t);
    assert!(ok && out.contains("审计日志完好"), "{out}");
    assert!(matches!(verify(&t.app.db, &t.app.crypto).await.unwrap(), Verdict::Intact { .. }));
    assert!(t.app.db.execute_unprepared("DELETE FROM audit_events WHERE id = 1").await.is_err(), "append-only again");
}
crate::both!(an_old_chain_is_adopted_only_if_intact);
