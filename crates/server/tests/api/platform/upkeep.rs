//! What a restart tidies after a crash: jobs left running, expired sessions, unfinished uploads.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;

use crate::helpers::TestApp;

async fn exec(t: &TestApp, sql: &str) {
    let b = t.app.db.get_database_backend();
    t.app.db.execute_raw(sea_orm::Statement::from_string(b, sql.to_string())).await.unwrap();
}

async fn count(t: &TestApp, sql: &str) -> i64 {
    let b = t.app.db.get_database_backend();
    let row = t.app.db.query_one_raw(sea_orm::Statement::from_string(b, sql.to_string())).await.unwrap().unwrap();
    row.try_get("", "n").unwrap()
}

/// After a crash, the next start marks the import the dead process was running as failed (its owner
/// sees why), while a job another live instance is running stays; deletes sessions past their
/// absolute or idle expiry but keeps live ones; removes uploads a crash left half-written (temporary
/// names older than an hour) but no finished file and no upload in progress.
async fn a_restart_tidies_what_a_crash_left(t: TestApp) {
    use honglian_store::repo::platform::jobs;
    let admin = t.login("wuchuan_admin").await;
    let uid = t.app.user_by_name("wuchuan_admin").await.unwrap().unwrap().id;
    let dead = jobs::create(&t.app.db, "member_import", uid).await.unwrap().id;
    let live = jobs::create(&t.app.db, "member_import", uid).await.unwrap().id;
    let ten_minutes_ago = (chrono::Utc::now() - chrono::Duration::minutes(10)).to_rfc3339();
    exec(&t, &format!("UPDATE jobs SET updated_at = '{ten_minutes_ago}' WHERE id = {dead}")).await;

    let _gz = t.login("gz_branch").await;
    let _auditor = t.login("auditor").await;
    let past = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
    let long_idle = (chrono::Utc::now() - chrono::Duration::hours(2)).to_rfc3339();
    exec(&t, &format!("UPDATE sessions SET expires_at = '{past}' WHERE user_id = (SELECT id FROM users WHERE username = 'gz_branch')")).await;
    exec(&t, &format!("UPDATE sessions SET last_seen_at = '{long_idle}' WHERE user_id = (SELECT id FROM users WHERE username = 'auditor')")).await;

    let dir = t.data_dir.join("files").join("activities").join("1");
    std::fs::create_dir_all(&dir).unwrap();
    let crashed = dir.join(".tmp-crashed");
    std::fs::write(&crashed, b"half a photo").unwrap();
    let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
    std::fs::File::options().write(true).open(&crashed).unwrap().set_modified(two_hours_ago).unwrap();
    let uploading = dir.join(".tmp-uploading");
    std::fs::write(&uploading, b"in progress").unwrap();
    let finished = dir.join("finished");
    std::fs::write(&finished, b"a photo").unwrap();
    std::fs::File::options().write(true).open(&finished).unwrap().set_modified(two_hours_ago).unwrap();

    // The restart (another instance on the same database and files).
    let r = TestApp::spawn(t.data_dir.clone(), t.database_url.clone(), false).await;
    let job = admin.get(&format!("/api/v1/jobs/{dead}")).await.body;
    assert_eq!(
        (job["status"].as_str(), job["error"].as_str()),
        (Some("failed"), Some(honglian_app::platform::upkeep::INTERRUPTED))
    );
    assert_eq!(admin.get(&format!("/api/v1/jobs/{live}")).await.body["status"], "running");
    let sessions_of = |u: &str| {
        format!("SELECT COUNT(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = '{u}'")
    };
    assert_eq!(count(&r, &sessions_of("gz_branch")).await, 0, "past its absolute expiry");
    assert_eq!(count(&r, &sessions_of("auditor")).await, 0, "idle too long");
    assert_eq!(count(&r, &sessions_of("wuchuan_admin")).await, 1, "a live session stays");
    assert_eq!(admin.get("/api/v1/session").await.status, StatusCode::OK);
    assert!(!crashed.exists(), "an upload a crash interrupted is removed");
    assert!(uploading.exists() && finished.exists(), "uploads in progress and finished files stay");
}
crate::both!(a_restart_tidies_what_a_crash_left);

/// Uploads land under their key complete or not at all: nothing is left under a temporary name.
async fn uploads_leave_no_temporary_file(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let activity = t.activity_of(t.org_id("广州吴川商会党支部").await).await;
    let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &[3u8; 64]].concat();
    let up = w.upload(&format!("/api/v1/activities/{activity}/attachments"), "合影.png", png.clone()).await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    let dir = t.data_dir.join("files").join("activities").join(activity.to_string());
    let names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(!names[0].starts_with(".tmp-"));
    assert_eq!(std::fs::read(dir.join(&names[0])).unwrap(), png);
}
crate::both!(uploads_leave_no_temporary_file);
