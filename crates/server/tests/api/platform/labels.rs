//! Security labels (安全标记): a member labelled 敏感 shows their personal fields in clear only to an
//! account the security administrator has cleared, whatever roles and scope it holds.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, sheet};

async fn a_sensitive_record_needs_a_cleared_account(t: TestApp) {
    let gz_org = t.org_id("广州吴川商会党支部").await;
    let x = t.member_in("广州吴川商会党支部").await;
    let name = t.sql_text(&format!("SELECT name FROM members WHERE id = {x}")).await;
    let gz = t.login("gz_branch").await;
    let unmask = format!("/api/v1/members/{x}/unmask");
    let label = format!("/api/v1/members/{x}/security-label");
    let reason = json!({"reason": "核对联系方式"});
    let first = gz.post(&unmask, reason.clone()).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let clear_id = first.body["id_number"].as_str().unwrap().to_string();

    // The branch, which may unmask the record, protects it; then its own unmask is refused.
    let r = gz.put(&label, json!({"label": "sensitive"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let refused = gz.post(&unmask, reason.clone()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(refused.body["title"].as_str().unwrap().contains("敏感"), "{}", refused.body);
    // The county administrator, whose scope holds the branch, is refused too.
    let wc = t.login("wuchuan_admin").await;
    assert_eq!(wc.post(&unmask, reason.clone()).await.status, StatusCode::FORBIDDEN);
    // An unmasked roster shows everyone else in clear and this member masked.
    let roster = wc.get(&format!("/api/v1/members.xlsx?org={gz_org}&unmask_reason=%E6%A0%B8%E5%AF%B9")).await;
    assert_eq!(roster.status, StatusCode::OK);
    let rows = sheet(&roster.bytes);
    let row = rows.iter().find(|r| r.contains(&name)).expect("the member is listed");
    assert!(!row.contains(&clear_id), "masked for an uncleared exporter: {row:?}");
    assert!(
        rows.iter().any(|r| r.iter().any(|c| c.len() == 18 && c.chars().all(|ch| ch.is_ascii_digit() || ch == 'X'))),
        "the others are in clear"
    );
    // Nobody uncleared lowers the label; another county does not reach it.
    assert_eq!(gz.put(&label, json!({"label": "general"})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        t.login("jinxiang_admin").await.put(&label, json!({"label": "general"})).await.status,
        StatusCode::NOT_FOUND
    );

    // Only the security administrator clears accounts, never their own, and not the county administrator.
    let sec = t.login("secadmin").await;
    let wc_id = t.sql_i64("SELECT id FROM users WHERE username = 'wuchuan_admin'").await;
    let sec_id = t.sql_i64("SELECT id FROM users WHERE username = 'secadmin'").await;
    assert_eq!(
        wc.put(&format!("/api/v1/users/{wc_id}/clearance"), json!({"clearance": "sensitive"})).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        sec.put(&format!("/api/v1/users/{sec_id}/clearance"), json!({"clearance": "sensitive"})).await.status,
        StatusCode::FORBIDDEN
    );
    let bad = sec.put(&format!("/api/v1/users/{wc_id}/clearance"), json!({"clearance": "top"})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let c = sec.put(&format!("/api/v1/users/{wc_id}/clearance"), json!({"clearance": "sensitive"})).await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    // Cleared, the county administrator reads it in clear at once, in the roster too, and may lower it.
    let ok = wc.post(&unmask, reason.clone()).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.body["id_number"], clear_id.as_str());
    let roster = wc.get(&format!("/api/v1/members.xlsx?org={gz_org}&unmask_reason=%E6%A0%B8%E5%AF%B9")).await;
    assert!(sheet(&roster.bytes).iter().any(|r| r.contains(&name) && r.contains(&clear_id)));
    assert_eq!(gz.post(&unmask, reason.clone()).await.status, StatusCode::FORBIDDEN, "the branch is still uncleared");
    assert_eq!(wc.put(&label, json!({"label": "general"})).await.status, StatusCode::OK);
    assert_eq!(gz.post(&unmask, reason).await.status, StatusCode::OK);

    // Every change is audited.
    let audit = t.login("auditor").await.get("/api/v1/audit-events?per_page=100").await.body.to_string();
    for action in ["member.label", "user.clearance"] {
        assert!(audit.contains(action), "{action} is audited");
    }
}
crate::both!(a_sensitive_record_needs_a_cleared_account);
