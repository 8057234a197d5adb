//! 送政策、送服务、送温暖上门 through the API: a visit to an enterprise of the organisation's registry
//! with the policies and requests it delivered, validation, the subtree's scope, figures by month.

use chrono::{Datelike, Duration};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, items};

async fn outreach_visits(t: TestApp) {
    let jx = t.login("jinxiang_admin").await;
    let park = t.org_id("金乡经济开发区综合党委").await;
    let hosts = jx.get(&format!("/api/v1/service-requests/hosts?org={park}")).await;
    let host = items(&hosts.body).iter().find(|h| h["name"] == "金人电气").expect("an enterprise of the park").clone();
    let policy = items(&jx.get("/api/v1/policies?q=稳岗").await.body)[0].clone();
    let request = items(&jx.get("/api/v1/service-requests?per_page=1").await.body)[0].clone();
    let today = (chrono::Utc::now() + Duration::hours(8)).date_naive();
    let visit = |kinds: Value, policies: Value, requests: Value| {
        json!({"org_id": park, "host_id": host["id"], "visited_on": today.to_string(), "kinds": kinds,
               "visitors": "王建华（综合党委书记）、县人社局 吴磊", "summary": "宣讲稳岗返还政策，协调办理红链直通车诉求。",
               "policy_ids": policies, "request_ids": requests})
    };

    // The demo's year of visits by the town and park committees.
    let demo = jx.get("/api/v1/outreach-visits?per_page=100").await;
    assert_eq!(demo.status, StatusCode::OK, "{}", demo.body);
    assert!(demo.body["total"].as_u64().unwrap() >= 50, "{}", demo.body["total"]);
    assert!(items(&demo.body).iter().any(|v| !v["policies"].as_array().unwrap().is_empty()), "linked to policies");

    // Recorded with what it delivered; the policy and the request are shown by name.
    let r = jx
        .post(
            "/api/v1/outreach-visits",
            visit(json!(["warmth", "policy"]), json!([policy["id"]]), json!([request["id"]])),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["kinds"], json!(["policy", "warmth"]), "in the fixed order");
    assert_eq!(r.body["kind_labels"], json!(["送政策", "送温暖"]));
    assert_eq!(r.body["host_name"], "金人电气");
    assert_eq!(r.body["policies"][0]["title"], policy["title"]);
    assert_eq!(r.body["requests"][0]["id"], request["id"]);
    assert_eq!(r.body["requests"][0]["title"], request["title"]);
    // The policy's detail names the visit that delivered it.
    let pd = jx.get(&format!("/api/v1/policies/{}", policy["id"])).await;
    let v = pd.body["visits"].as_array().unwrap().iter().find(|v| v["id"] == id).expect("the visit").clone();
    assert_eq!(v["host_name"], "金人电气");
    assert_eq!(v["org_name"], "金乡经济开发区综合党委");
    let handler = t.login("jx_d05").await.get(&format!("/api/v1/policies/{}", policy["id"])).await;
    assert_eq!(handler.body["visits"], json!([]), "a department handler records no visits and sees none");

    // Bad input: each field named, in Chinese.
    let bad = jx
        .post(
            "/api/v1/outreach-visits",
            json!({"org_id": park, "host_id": 0, "visited_on": (today + Duration::days(1)).to_string(), "kinds": [],
                   "visitors": " ", "summary": "", "policy_ids": [], "request_ids": []}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    for f in ["host_id", "visited_on", "kinds", "visitors", "summary"] {
        assert!(bad.body["errors"][f].is_array(), "{f}: {}", bad.body);
    }
    assert!(bad.body["errors"]["kinds"][0].as_str().unwrap().contains("送政策"));
    let bad_kind = jx.post("/api/v1/outreach-visits", visit(json!(["money"]), json!([]), json!([]))).await;
    assert_eq!(bad_kind.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad_kind.body);
    // Another county's policy is not one to deliver.
    let wc = t.login("wuchuan_admin").await;
    let foreign = items(&wc.get("/api/v1/policies").await.body)[0]["id"].clone();
    let r = jx.post("/api/v1/outreach-visits", visit(json!(["policy"]), json!([foreign]), json!([]))).await;
    assert!(r.body["errors"]["policy_ids"].is_array(), "{}", r.body);

    // Filters and the figures by month and kind.
    let warm = jx.get(&format!("/api/v1/outreach-visits?kind=warmth&host={}&year={}", host["id"], today.year())).await;
    assert!(items(&warm.body).iter().any(|v| v["id"] == id));
    assert!(items(&warm.body).iter().all(|v| v["kinds"].as_array().unwrap().contains(&json!("warmth"))));
    assert!(items(&warm.body).iter().all(|v| v["host_name"] == "金人电气"));
    let f = jx.get(&format!("/api/v1/outreach-visits/figures?year={}", today.year())).await;
    assert_eq!(f.status, StatusCode::OK, "{}", f.body);
    let months = f.body["months"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    let this = &months[today.month0() as usize];
    assert!(this["visits"].as_u64().unwrap() >= 1 && this["warmth"].as_u64().unwrap() >= 1, "{this}");
    let sum = |k: &str| months.iter().map(|m| m[k].as_u64().unwrap()).sum::<u64>();
    for k in ["visits", "policy", "service", "warmth"] {
        assert_eq!(sum(k), f.body["total"][k].as_u64().unwrap(), "{k}");
    }
    let bad_year = jx.get("/api/v1/outreach-visits/figures?year=1900").await;
    assert_eq!(bad_year.status, StatusCode::UNPROCESSABLE_ENTITY);

    // A branch sees its own subtree only, and records visits to the enterprise it covers.
    let lute = t.org_id("鲁特电工党支部").await;
    let branch = t.account("lute_outreach", "org_admin", Some(lute), None).await;
    assert_eq!(branch.get(&format!("/api/v1/outreach-visits/{id}")).await.status, StatusCode::NOT_FOUND);
    let hidden =
        branch.patch(&format!("/api/v1/outreach-visits/{id}"), visit(json!(["service"]), json!([]), json!([]))).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert!(!hidden.body.to_string().contains("金人电气"), "the refusal names nothing: {}", hidden.body);
    assert_eq!(branch.delete(&format!("/api/v1/outreach-visits/{id}")).await.status, StatusCode::NOT_FOUND);
    let covered = items(&branch.get(&format!("/api/v1/service-requests/hosts?org={lute}")).await.body)
        .iter()
        .find(|h| h["name"] == "鲁特电工")
        .unwrap()
        .clone();
    let own = branch
        .post(
            "/api/v1/outreach-visits",
            json!({"org_id": lute, "host_id": covered["id"], "visited_on": today.to_string(), "kinds": ["service"],
                   "visitors": "支部书记", "summary": "帮助企业对接职业院校实习生。"}),
        )
        .await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.body);
    let mine = branch.get("/api/v1/outreach-visits?per_page=100").await;
    assert!(items(&mine.body).iter().all(|v| v["org"]["id"] == lute), "{}", mine.body);
    assert_eq!(mine.body["total"], 1);
    let not_covered = branch
        .post(
            "/api/v1/outreach-visits",
            json!({"org_id": lute, "host_id": host["id"], "visited_on": today.to_string(), "kinds": ["service"],
                   "visitors": "支部书记", "summary": "x"}),
        )
        .await;
    assert!(not_covered.body["errors"]["host_id"].is_array(), "{}", not_covered.body);
    assert_eq!(
        branch
            .post(
                "/api/v1/outreach-visits",
                json!({"org_id": park, "host_id": host["id"], "visited_on": today.to_string(),
            "kinds": ["service"], "visitors": "x", "summary": "x"})
            )
            .await
            .status,
        StatusCode::NOT_FOUND,
        "not the branch's organisation"
    );
    assert!(
        items(&jx.get("/api/v1/outreach-visits?per_page=100").await.body).iter().any(|v| v["id"] == own.body["id"])
    );

    // Another county and a member see none of it.
    assert_eq!(wc.get(&format!("/api/v1/outreach-visits/{id}")).await.status, StatusCode::NOT_FOUND);
    assert!(
        items(&wc.get("/api/v1/outreach-visits?per_page=100").await.body)
            .iter()
            .all(|v| v["org"]["name"] != "金乡经济开发区综合党委")
    );
    assert_eq!(t.login("member_demo").await.get("/api/v1/outreach-visits").await.status, StatusCode::FORBIDDEN);

    // Changed (links dropped), then deleted.
    let changed =
        jx.patch(&format!("/api/v1/outreach-visits/{id}"), visit(json!(["service"]), json!([]), json!([]))).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.body["kinds"], json!(["service"]));
    assert_eq!(changed.body["policies"], json!([]));
    assert_eq!(jx.delete(&format!("/api/v1/outreach-visits/{id}")).await.status, StatusCode::NO_CONTENT);
    assert_eq!(jx.get(&format!("/api/v1/outreach-visits/{id}")).await.status, StatusCode::NOT_FOUND);
}
crate::both!(outreach_visits);
