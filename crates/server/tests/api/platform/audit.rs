//! The audit log's hash chain detects edits and deletions.

use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::TestApp;
use honglian_app::platform::audit::{Verdict, verify};

async fn chain_detects_tampering(t: TestApp) {
    let c = t.login("wuchuan_admin").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    for s in ["甲", "乙", "丙"] {
        c.patch(&format!("/api/v1/orgs/{gz}"), json!({"secretary": format!("书记{s}")})).await;
    }
    let Verdict::Intact { records } = verify(&t.app.db).await.unwrap() else { panic!("fresh chain must verify") };
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
    let Verdict::Intact { records: after } = verify(&t.app.db).await.unwrap() else {
        panic!("concurrent appends must verify")
    };
    assert!(after >= records + 16, "8 logins and 8 edits");

    // Edit one record's content: verification names it.
    let target = records - 1;
    t.app
        .db
        .execute_unprepared(&format!("UPDATE audit_events SET actor_name = 'someone_else' WHERE id = {target}"))
        .await
        .unwrap();
    assert_eq!(
        verify(&t.app.db).await.unwrap(),
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
    t.app.db.execute_unprepared("DELETE FROM audit_events WHERE id = 2").await.unwrap();
    let broken = run();
    assert_eq!(broken.status.code(), Some(1));
    let out = String::from_utf8_lossy(&broken.stdout);
    assert!(out.contains("记录 2") && out.contains("删除"), "{out}");
}
crate::both!(deletion_is_detected_by_the_command);

async fn deleting_the_newest_record_is_detected(t: TestApp) {
    t.login("gz_branch").await;
    let (last,): (i64,) = {
        let r = t
            .app
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                t.app.db.get_database_backend(),
                "SELECT MAX(id) AS m FROM audit_events",
            ))
            .await
            .unwrap()
            .unwrap();
        (r.try_get("", "m").unwrap(),)
    };
    t.app.db.execute_unprepared(&format!("DELETE FROM audit_events WHERE id = {last}")).await.unwrap();
    match verify(&t.app.db).await.unwrap() {
        Verdict::Broken { id, reason } => {
            assert_eq!(id, last);
            assert!(reason.contains("末尾记录被删除"), "{reason}");
        }
        v => panic!("expected broken, got {v:?}"),
    }
}
crate::both!(deleting_the_newest_record_is_detected);
