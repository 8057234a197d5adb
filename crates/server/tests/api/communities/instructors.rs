//! Instructors through the API: an instructor sees only the organisations assigned to their groups.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, items};

async fn instructor_sees_only_assigned(t: TestApp) {
    let instructor = t.login("instructor").await;
    let lute = t.org_id("鲁特电工党支部").await;
    let chem = t.org_id("金乡化工产业园综合党委").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    assert_eq!(instructor.get(&format!("/api/v1/orgs/{lute}")).await.status, StatusCode::OK);
    assert_eq!(instructor.get(&format!("/api/v1/orgs/{chem}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(instructor.get(&format!("/api/v1/orgs/{gz}")).await.status, StatusCode::NOT_FOUND);
    let v = instructor
        .post("/api/v1/visits", json!({"org_id": chem, "visited_on": "2026-11-20", "findings": "看看"}))
        .await;
    assert_eq!(v.status, StatusCode::NOT_FOUND, "{}", v.body);
    // The county assigns the chemical park to the instructor's group: visible at once.
    let jx = t.login("jinxiang_admin").await;
    let groups = jx.get("/api/v1/instructor-groups").await;
    let group = items(&groups.body)
        .iter()
        .find(|g| g["instructors"].as_array().unwrap().iter().any(|i| i["name"].as_str().unwrap().contains("刘晓东")))
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        jx.post(&format!("/api/v1/instructor-groups/{group}/assignments"), json!({"org_id": chem})).await.status,
        StatusCode::OK
    );
    assert_eq!(instructor.get(&format!("/api/v1/orgs/{chem}")).await.status, StatusCode::OK);
    let v = instructor
        .post("/api/v1/visits", json!({"org_id": chem, "visited_on": "2026-11-20", "findings": "安全生产与党建融合", "follow_ups": "补齐会议记录"}))
        .await;
    assert_eq!(v.status, StatusCode::CREATED, "{}", v.body);
    assert_eq!(v.body["status"], "open");
    // Only dedicated instructor accounts join groups: never another organisation's administrator.
    let gz_admin = t.app.user_by_name("gz_branch").await.unwrap().unwrap().id;
    let mut ids = Vec::new();
    for name in ["instructor_zhang", "instructor_li"] {
        ids.push(t.app.user_by_name(name).await.unwrap().unwrap().id);
    }
    ids.push(gz_admin);
    let root = t.org_id("中共金乡县委两新组织工作委员会").await;
    let escalation =
        jx.post("/api/v1/instructor-groups", json!({"name": "越权", "org_id": root, "user_ids": ids})).await;
    assert_eq!(escalation.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", escalation.body);
    let candidates = jx.get("/api/v1/instructor-candidates").await;
    assert!(items(&candidates.body).iter().all(|c| c["user_id"] != gz_admin));
    assert!(items(&candidates.body).iter().any(|c| c["username"] == "instructor_zhang"));
    // A group has 3 to 5 instructors.
    let small = jx.post("/api/v1/instructor-groups", json!({"name": "小组", "org_id": root, "user_ids": [1]})).await;
    assert_eq!(small.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(small.body["errors"]["user_ids"].to_string().contains("3–5"), "{}", small.body);
}
crate::both!(instructor_sees_only_assigned);
