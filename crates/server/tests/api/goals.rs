//! Communities and goals through the API: the contract shapes, a progress report turning a task's
//! light, the rota swap, the instructor's scope, and a coverage census writing back.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

fn items(v: &Value) -> &Vec<Value> {
    v["items"].as_array().expect("items")
}

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

async fn rota_swap(t: TestApp) {
    let jx = t.login("jinxiang_admin").await;
    let garlic = t.org_id("大蒜产业链党建联盟").await;
    let detail = jx.get(&format!("/api/v1/communities/{garlic}")).await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
    let secretaries = detail.body["rota"]["secretaries"].as_array().unwrap().clone();
    let roles: Vec<&str> =
        detail.body["members"].as_array().unwrap().iter().map(|m| m["role"].as_str().unwrap()).collect();
    assert!(roles.contains(&"lead") && roles.contains(&"coordinator") && roles.contains(&"member"));
    let no_reason = jx
        .post(
            &format!("/api/v1/alliances/{garlic}/swaps"),
            json!({"term_start": "2026-11-01", "secretary_id": secretaries[0]["id"], "reason": " "}),
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body["errors"]["reason"].is_array(), "{}", no_reason.body);
    let not_a_term = jx
        .post(
            &format!("/api/v1/alliances/{garlic}/swaps"),
            json!({"term_start": "2026-11-02", "secretary_id": secretaries[0]["id"], "reason": "出差"}),
        )
        .await;
    assert_eq!(not_a_term.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(not_a_term.body["errors"]["term_start"].is_array(), "{}", not_a_term.body);
    let ok = jx
        .post(
            &format!("/api/v1/alliances/{garlic}/swaps"),
            json!({"term_start": "2026-11-01", "secretary_id": secretaries[1]["id"], "reason": "原轮值书记住院"}),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let rota = jx.get(&format!("/api/v1/alliances/{garlic}/rota?from=2026-11-01&to=2026-11-30")).await;
    assert_eq!(items(&rota.body).len(), 1);
    assert_eq!(items(&rota.body)[0]["secretary"]["id"], secretaries[1]["id"]);
    assert_eq!(items(&rota.body)[0]["swapped"], true);
    let audit = t.login("auditor").await.get("/api/v1/audit-events?per_page=50").await;
    assert!(audit.body.to_string().contains("community.rota_swap"), "the swap is audited");
    assert!(audit.body.to_string().contains("原轮值书记住院"));
    // A member organisation's administrator sees the alliance but may not change it.
    let instructor = t.login("instructor").await;
    let coal = t.org_id("煤基新材料产业链党建联盟").await;
    assert_eq!(instructor.get(&format!("/api/v1/communities/{coal}")).await.status, StatusCode::OK);
    // It sees the alliance's own activities (its rhythm), but not who attended them.
    let acts = instructor.get(&format!("/api/v1/activities?org={coal}&kind=weekly_meeting")).await;
    assert_eq!(acts.status, StatusCode::OK, "{}", acts.body);
    let first = items(&acts.body).first().expect("weekly meetings of the alliance")["id"].as_i64().unwrap();
    assert_eq!(instructor.get(&format!("/api/v1/activities/{first}")).await.status, StatusCode::OK);
    assert_eq!(instructor.get(&format!("/api/v1/activities/{first}/attendance")).await.status, StatusCode::NOT_FOUND);
    let alliances = instructor.get("/api/v1/alliances").await;
    let rhythm = &items(&alliances.body).iter().find(|a| a["id"] == coal).unwrap()["rhythm"];
    assert!(rhythm["blue"].as_u64().unwrap() > 0 && rhythm["red"].as_u64().unwrap() > 0, "weekly gaps show: {rhythm}");
    assert_eq!(
        instructor
            .post(&format!("/api/v1/alliances/{coal}/handovers"), json!({"term_start": "2026-01-01", "note": "x"}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
crate::both!(rota_swap);

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

async fn coverage_census_writes_back(t: TestApp) {
    let jx = t.login("jinxiang_admin").await;
    let park = t.org_id("金乡经济开发区综合党委").await;
    let before = jx.get(&format!("/api/v1/stats/coverage?org={park}")).await.body;
    let c = jx
        .post("/api/v1/coverage-censuses", json!({"name": "经开区覆盖摸排", "period": "2026-Q4", "org_id": park}))
        .await;
    assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
    let id = c.body["id"].as_i64().unwrap();
    assert_eq!(c.body["total"].as_u64(), before["hosts"].as_u64());
    let entries = jx.get(&format!("/api/v1/coverage-censuses/{id}/entries")).await;
    let e = items(&entries.body).iter().find(|e| e["coverage_before"] == "own_org").unwrap().clone();
    let checked = jx
        .put(
            &format!("/api/v1/coverage-censuses/{id}/entries/{}", e["id"]),
            json!({"coverage": "none", "note": "企业已注销党支部"}),
        )
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    // Nothing changes until the census closes.
    assert_eq!(jx.get(&format!("/api/v1/stats/coverage?org={park}")).await.body["org_covered"], before["org_covered"]);
    let listed = jx.get("/api/v1/coverage-censuses").await;
    let mine = items(&listed.body).iter().find(|c| c["id"] == id).unwrap().clone();
    assert_eq!(mine["checked"], 1);
    let progress = mine["progress"].as_array().unwrap();
    assert_eq!(progress.iter().map(|p| p["total"].as_u64().unwrap()).sum::<u64>(), mine["total"].as_u64().unwrap());
    assert_eq!(progress.iter().map(|p| p["checked"].as_u64().unwrap()).sum::<u64>(), 1);
    let closed = jx.post(&format!("/api/v1/coverage-censuses/{id}/close"), json!({})).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    assert_eq!(closed.body["changed"], 1);
    let after = jx.get(&format!("/api/v1/stats/coverage?org={park}")).await.body;
    assert_eq!(after["org_covered"].as_u64().unwrap() + 1, before["org_covered"].as_u64().unwrap());
    let again = jx.post(&format!("/api/v1/coverage-censuses/{id}/close"), json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}
crate::both!(coverage_census_writes_back);

async fn brands_evaluations_and_grants(t: TestApp) {
    let jx = t.login("jinxiang_admin").await;
    let root = t.org_id("中共金乡县委员会").await;
    let gallery = jx.get(&format!("/api/v1/brand-projects?org={root}")).await;
    assert_eq!(gallery.body["cultivation"], 71, "the 百千万提升工程 targets of the demo");
    let names: Vec<&str> = items(&gallery.body).iter().map(|b| b["name"].as_str().unwrap()).collect();
    for n in ["四心领航", "双孵化", "1336"] {
        assert!(names.iter().any(|x| x.contains(n)), "{n} is in the gallery");
    }
    // At most two projects a year; the status follows the deliverables.
    let lute = t.org_id("鲁特电工党支部").await;
    let new = |name: &str| json!({"org_id": lute, "name": name, "goal": "以党建促安全生产", "checklist": [{"item": "建成红色车间"}, {"item": "总结工作法"}]});
    let second = jx.post("/api/v1/brand-projects", new("红色车间")).await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);
    assert_eq!(second.body["status"], "planning");
    let third = jx.post("/api/v1/brand-projects", new("第三个")).await;
    assert_eq!(third.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", third.body);
    let id = second.body["id"].as_i64().unwrap();
    let done = jx
        .patch(
            &format!("/api/v1/brand-projects/{id}"),
            json!({"name": "红色车间", "goal": "以党建促安全生产", "checklist": [{"item": "建成红色车间", "done": true}, {"item": "总结工作法", "done": true}]}),
        )
        .await;
    assert_eq!(done.body["status"], "done", "{}", done.body);

    // Rankings: the closed evaluation ranks by the weighted mean of three assessors.
    let evaluations = jx.get("/api/v1/evaluations").await;
    let closed = items(&evaluations.body).iter().find(|e| e["status"] == "closed").unwrap()["id"].as_i64().unwrap();
    let detail = jx.get(&format!("/api/v1/evaluations/{closed}")).await;
    let results = detail.body["results"].as_array().unwrap();
    assert_eq!(results[0]["rank"], 1);
    assert_eq!(results[0]["evaluators"], 3);
    let totals: Vec<u64> = results.iter().map(|r| r["total_hundredths"].as_u64().unwrap()).collect();
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");
    let late = jx
        .put(
            &format!("/api/v1/evaluations/{closed}/scores"),
            json!({"target_id": results[0]["org"]["id"], "scores": {"life": 90}}),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    let open = items(&evaluations.body).iter().find(|e| e["status"] == "open").unwrap()["id"].as_i64().unwrap();
    let target = jx.get(&format!("/api/v1/evaluations/{open}")).await.body["targets"][0]["id"].as_i64().unwrap();
    let over = jx
        .put(&format!("/api/v1/evaluations/{open}/scores"), json!({"target_id": target, "scores": {"life": 101}}))
        .await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(over.body["errors"]["score"].is_array(), "{}", over.body);
    // Rankings are not pushed to members or branches.
    assert_eq!(t.login("gz_branch").await.get("/api/v1/evaluations").await.status, StatusCode::FORBIDDEN);

    // Grants: approve at the tier's amount, disburse in exact fen, never more than approved.
    let grants = jx.get("/api/v1/incentive-grants").await;
    let g = items(&grants.body)
        .iter()
        .find(|g| g["status"] == "proposed" && g["amount_fen"].as_i64().unwrap() > 0)
        .unwrap()
        .clone();
    let id = g["id"].as_i64().unwrap();
    let manual = jx.put(&format!("/api/v1/incentive-grants/{id}/manual"), json!({"manual_percent": 100})).await;
    assert_eq!(manual.status, StatusCode::OK, "{}", manual.body);
    assert!(manual.body["score"]["total_hundredths"].as_u64() >= g["score"]["total_hundredths"].as_u64());
    let approved = jx.post(&format!("/api/v1/incentive-grants/{id}/approve"), json!({})).await;
    assert_eq!(approved.body["status"], "approved", "{}", approved.body);
    let amount = approved.body["amount_fen"].as_i64().unwrap();
    let too_much = jx
        .post(
            &format!("/api/v1/incentive-grants/{id}/disburse"),
            json!({"amount": format!("{}.01", amount / 100), "disbursed_on": "2026-11-20", "voucher": "JX-1"}),
        )
        .await;
    assert_eq!(too_much.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", too_much.body);
    assert!(too_much.body["errors"]["amount"].is_array());
    let paid = jx
        .post(
            &format!("/api/v1/incentive-grants/{id}/disburse"),
            json!({"amount": "2,999.99", "disbursed_on": "2026-11-20", "voucher": "JX-2"}),
        )
        .await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.body);
    assert_eq!(paid.body["disbursed_fen"], 299_999);
    assert_eq!(paid.body["disbursed_yuan"], "2,999.99");
    let audit = t.login("auditor").await.get("/api/v1/audit-events?per_page=50").await.body.to_string();
    for action in ["grant.manual", "grant.approve", "grant.disburse"] {
        assert!(audit.contains(action), "{action} is audited");
    }
}
crate::both!(brands_evaluations_and_grants);
