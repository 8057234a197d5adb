//! The notice (个人信息处理规则) is public, states the deployment's controller, contact and retention
//! period from the configuration, and which version a member was shown is recorded, nothing more.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, items, temp_dir};

fn text(notice: &serde_json::Value) -> String {
    notice["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["paragraphs"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()))
        .collect()
}

/// Anyone may read it without signing in; a signed-in member's portal records the version shown.
async fn the_notice_is_public_and_the_version_shown_is_recorded(t: TestApp) {
    let anon = t.anon();
    let r = anon.get("/api/v1/privacy-notice").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let n = r.body;
    assert_eq!(n["title"], "个人信息处理规则");
    assert_eq!(n["controller"], "中共吴川市委组织部", "the demo's default");
    assert_eq!(n["retention_years"], 3);
    let all = text(&n);
    for needle in
        ["中共吴川市委组织部", "离开满 3 年后", "第十三条第一款第三项", "下载本人个人信息副本", "申请提前删除"]
    {
        assert!(all.contains(needle), "{needle} in the notice: {all}");
    }
    let version = n["version"].as_str().unwrap().to_string();
    assert!(version.starts_with("2026.1-"), "{version}");

    // Recording what was shown needs a session; it asks nothing of the member and is audited.
    let shown = json!({"version": version, "occasion": "activation"});
    assert_eq!(anon.post("/api/v1/privacy-notice/shown", shown.clone()).await.status, StatusCode::UNAUTHORIZED);
    let m = t.login("member_demo").await;
    let r = m.post("/api/v1/privacy-notice/shown", shown).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = m.post("/api/v1/privacy-notice/shown", json!({"version": "", "occasion": "activation"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["errors"]["version"].is_array(), "{}", r.body);
    let a = t.login("auditor").await;
    let ev = a.get("/api/v1/audit-events?action=privacy_notice.shown").await.body;
    let ev = items(&ev);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0]["actor_name"], "member_demo");
    assert_eq!(ev[0]["detail"]["version"], version);
    assert_eq!(ev[0]["detail"]["current"], true);
    assert_eq!(ev[0]["detail"]["occasion"], "activation");
}
crate::both!(the_notice_is_public_and_the_version_shown_is_recorded);

/// The controller, contact and period come from the configuration, and the version follows the text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_notice_states_the_configured_controller_and_period() {
    let dir = temp_dir("hl_notice");
    let url = honglian_store::sqlite_url(&dir.join("honglian.db"));
    let mut t = TestApp::spawn_with(dir, url, false, |c| {
        c.security.privacy.controller = "中共金乡县委组织部".into();
        c.security.privacy.contact = "金乡县委组织部组织科 0537-0000000".into();
        c.security.privacy.retention_years = 5;
    })
    .await;
    t.owned = true;
    let n = t.anon().get("/api/v1/privacy-notice").await.body;
    assert_eq!((n["controller"].as_str(), n["retention_years"].as_u64()), (Some("中共金乡县委组织部"), Some(5)));
    let all = text(&n);
    assert!(
        all.contains("中共金乡县委组织部") && all.contains("0537-0000000") && all.contains("离开满 5 年后"),
        "{all}"
    );
    assert!(!all.contains("吴川"), "{all}");
    let default = honglian_domain::members::retention::privacy_notice("中共吴川市委组织部", "x", 3);
    assert_ne!(n["version"], default.version);
}

/// `[members] retention_years` and `[privacy]` are read from the configuration file; 0 means never.
#[test]
fn the_file_sets_the_period_and_the_controller() {
    let dir = temp_dir("hl_notice_cfg");
    let file = dir.join("honglian.toml");
    std::fs::write(
        &file,
        "[members]\nretention_years = 0\n[privacy]\ncontroller = \"中共某县委组织部\"\ncontact = \"某县委组织部 电话 0000-1111111\"\n",
    )
    .unwrap();
    let args = honglian_server::config::CommonArgs {
        config: Some(file.clone()),
        data_dir: Some(dir.clone()),
        key_file: None,
        database_url: None,
        read_database_url: None,
        log_format: None,
        trusted_proxy: vec![],
    };
    let c = honglian_server::config::Config::load(&args, None).unwrap();
    assert_eq!(c.security.privacy.retention_years, 0);
    assert_eq!(c.security.privacy.controller, "中共某县委组织部");
    assert_eq!(c.security.privacy.contact, "某县委组织部 电话 0000-1111111");
    std::fs::write(&file, "[members]\nretention_years = 101\n").unwrap();
    let err = honglian_server::config::Config::load(&args, None).unwrap_err();
    assert!(format!("{err:#}").contains("retention_years"), "{err:#}");
    std::fs::write(&file, "").unwrap();
    let c = honglian_server::config::Config::load(&args, None).unwrap();
    assert_eq!((c.security.privacy.retention_years, c.security.privacy.controller.as_str()), (3, "中共吴川市委组织部"));
    std::fs::remove_dir_all(dir).ok();
}
