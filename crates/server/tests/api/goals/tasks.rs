//! Key tasks and the communities-and-goals contract through the API: the shapes of alliances, rota,
//! tasks and coverage figures; a progress report turning a task's light.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, items};

async fn contract(t: TestApp) {
    let jx = t.login("jinxiang_admin").await;
    let root = t.org_id("中共金乡县委员会").await;
    let alliances = jx.get("/api/v1/alliances").await;
    assert_eq!(alliances.status, StatusCode::OK, "{}", alliances.body);
    let names: Vec<&str> = items(&alliances.body).iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().any(|n| n.contains("煤基新材料")) && names.iter().any(|n| n.contains("大蒜")));
    let coal = t.org_id("煤基新材料产业链党建联盟").await;
    let rota = jx.get(&format!("/api/v1/alliances/{coal}/rota?from=2026-01-01&to=2026-12-31")).await;
    let terms = items(&rota.body);
    assert_eq!(terms.len(), 6, "two-month terms over a year: {}", rota.body);
    assert_eq!(terms[0]["start"], "2026-01-01");
    assert_eq!(terms[0]["end"], "2026-02-28");
    assert!(terms[0]["secretary"]["id"].is_i64() && terms[0]["secretary"]["name"].is_string());
    // Four secretaries rotate: the fifth term is the first secretary's again.
    assert_eq!(terms[4]["secretary"]["id"], terms[0]["secretary"]["id"]);

    let tasks = jx.get(&format!("/api/v1/tasks?org={root}&year=2026")).await;
    assert_eq!(tasks.status, StatusCode::OK, "{}", tasks.body);
    assert_eq!(tasks.body["total"].as_u64().unwrap() as usize, items(&tasks.body).len());
    let lights: Vec<&str> = items(&tasks.body).iter().map(|t| t["light"].as_str().unwrap()).collect();
    for l in ["blue", "yellow", "red"] {
        assert!(lights.contains(&l), "the demo shows {l}: {lights:?}");
    }

    let cov = jx.get(&format!("/api/v1/stats/coverage?org={root}")).await;
    assert_eq!(cov.status, StatusCode::OK, "{}", cov.body);
    let hosts = cov.body["hosts"].as_u64().unwrap();
    let org_covered = cov.body["org_covered"].as_u64().unwrap();
    let work_covered = cov.body["work_covered"].as_u64().unwrap();
    assert!(hosts > 0 && org_covered <= hosts && work_covered <= org_covered, "{}", cov.body);
    // The figure agrees with the registry: hosts not covered are those with instructor-only or no coverage.
    let mut uncovered = 0;
    for c in ["instructor", "none"] {
        uncovered +=
            jx.get(&format!("/api/v1/hosts?org={root}&coverage={c}&per_page=1")).await.body["total"].as_u64().unwrap();
    }
    assert_eq!(hosts - org_covered, uncovered);

    // Wuchuan sees none of Jinxiang's communities or tasks.
    let wc = t.login("wuchuan_admin").await;
    assert!(items(&wc.get("/api/v1/alliances").await.body).is_empty());
    assert_eq!(wc.get(&format!("/api/v1/alliances/{coal}/rota")).await.status, StatusCode::NOT_FOUND);
}
crate::both!(contract);

async fn progress_turns_the_light(t: TestApp) {
    let jx = t.login("jinxiang_admin").await;
    let kaisheng = t.org_id("凯盛商圈党委").await;
    let list = jx.get(&format!("/api/v1/tasks?org={kaisheng}&year=2026")).await;
    let task = items(&list.body).iter().find(|x| x["title"].as_str().unwrap().contains("1336")).unwrap().clone();
    assert_eq!(task["light"], "yellow", "{task}");
    assert_eq!(task["status"], "behind");
    let id = task["id"].as_i64().unwrap();
    // The milestone planned a month ago is reported done: the task is back on plan.
    let late = task["milestones"].as_array().unwrap().iter().position(|m| m["done_on"].is_null()).unwrap();
    let bad = jx.post(&format!("/api/v1/tasks/{id}/reports"), json!({"percent": 120, "note": ""})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body["errors"]["percent"].is_array() || bad.body["errors"]["percent"].is_string(), "{}", bad.body);
    let r = jx
        .post(
            &format!("/api/v1/tasks/{id}/reports"),
            json!({"percent": 70, "note": "商圈党群驿站已建成", "milestones_done": [late]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["light"], "blue", "{}", r.body);
    assert_eq!(r.body["reports"][0]["note"], "商圈党群驿站已建成");
    let again = jx.get(&format!("/api/v1/tasks?org={kaisheng}&year=2026&light=yellow")).await;
    assert!(items(&again.body).iter().all(|x| x["id"] != id));

    // Weights must add up to 100, and the error names the field.
    let lists = jx.get("/api/v1/task-lists?year=2026").await;
    let list_id = items(&lists.body)[0]["id"].as_i64().unwrap();
    let bad = jx
        .post(
            "/api/v1/tasks",
            json!({"list_id": list_id, "owner_org_id": kaisheng, "title": "测试", "deadline": "2026-12-20",
                   "milestones": [{"title": "一", "planned_on": "2026-06-01", "weight": 50, "done_on": null},
                                  {"title": "二", "planned_on": "2026-09-01", "weight": 40, "done_on": null}]}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body["errors"]["milestones"].to_string().contains("100"), "{}", bad.body);
}
crate::both!(progress_turns_the_light);
