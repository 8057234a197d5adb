//! Needs and matching through the API: a member's need on the phone and its thread, the county's
//! suggestions with reasons, accepting one (the member reads it), the outcome; an enterprise's need
//! recorded in the console matched with the county's policies and passed to a department through
//! 红链直通车; an enterprise contact's; and who sees which.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, items};

fn titles(v: &Value) -> Vec<String> {
    v["suggestions"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_string()).collect()
}

async fn needs_and_matching(t: TestApp) {
    // A member asks on the phone; tags are cleaned.
    let me = t.login("member_demo").await;
    let r = me
        .post(
            "/api/v1/needs",
            json!({"kind": "need", "title": "想回乡创业，咨询担保贷款", "description": "打算回吴川开网店，想了解返乡创业担保贷款和贴息怎么申请。",
                   "tags": [" #融资", "融资", ""]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["need"]["id"].as_i64().unwrap();
    assert_eq!(r.body["need"]["source"], "member");
    assert_eq!(r.body["need"]["status"], "open");
    assert_eq!(r.body["need"]["tags"], json!(["融资"]));
    assert_eq!(r.body["need"]["org"]["name"], "梅菉街道新华社区第一党支部", "the member's own organisation");
    assert_eq!(r.body["suggestions"], json!([]), "suggestions are the service team's");
    let bad = me
        .post(
            "/api/v1/needs",
            json!({"kind": "need", "title": " ", "description": "", "tags": ["一二三四五六七八九十一"]}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for f in ["title", "description", "tags"] {
        assert!(bad.body["errors"][f].is_array(), "{f}: {}", bad.body);
    }
    assert_eq!(
        me.post("/api/v1/needs", json!({"kind": "praise", "title": "x", "description": "y"})).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let mine = me.get("/api/v1/needs?per_page=100").await;
    assert!(items(&mine.body).iter().all(|n| n["mine"] == true), "a member sees their own only: {}", mine.body);
    assert!(items(&mine.body).iter().any(|n| n["id"] == id));
    assert!(mine.body["tag_vocabulary"].as_array().unwrap().contains(&json!("用工")));

    // The county's service team sees it with suggestions and their reasons.
    let wc = t.login("wuchuan_admin").await;
    let d = wc.get(&format!("/api/v1/needs/{id}")).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    assert_eq!(d.body["can_serve"], true);
    let loan = d.body["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "吴川市返乡创业担保贷款及贴息实施办法")
        .unwrap_or_else(|| panic!("the loan policy is suggested: {:?}", titles(&d.body)))
        .clone();
    assert_eq!(loan["kind"], "policy");
    assert!(loan["reason"].as_str().unwrap().contains("“贷款”"), "{}", loan["reason"]);

    // Nobody else learns it exists: another branch, another county.
    let gz = t.login("gz_branch").await;
    let hidden = gz.get(&format!("/api/v1/needs/{id}")).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(hidden.body["title"], "需求不存在或无权访问");
    assert!(items(&gz.get("/api/v1/needs?per_page=100").await.body).iter().all(|n| n["id"] != id));
    let jx = t.login("jinxiang_admin").await;
    assert_eq!(jx.get(&format!("/api/v1/needs/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        jx.post(&format!("/api/v1/needs/{id}/messages"), json!({"body": "你好"})).await.status,
        StatusCode::NOT_FOUND
    );

    // One thread: the member and the team write in it.
    let m =
        me.post(&format!("/api/v1/needs/{id}/messages"), json!({"body": "我是在广州务工的党员，户籍在吴川。"})).await;
    assert_eq!(m.status, StatusCode::OK, "{}", m.body);
    let a = wc.post(&format!("/api/v1/needs/{id}/messages"), json!({"body": "收到，正在为您对接人社部门。"})).await;
    assert_eq!(a.body["messages"][1]["from_requester"], false, "{}", a.body);
    assert_eq!(a.body["messages"][0]["from_requester"], true);
    assert!(
        wc.post(&format!("/api/v1/needs/{id}/messages"), json!({"body": ""})).await.body["errors"]["body"].is_array()
    );

    // Accepting: only the team, only a suggestion, once.
    let accept = json!({"kind": "policy", "id": loan["id"], "note": "请带身份证到商会党支部登记。"});
    assert_eq!(me.post(&format!("/api/v1/needs/{id}/accept"), accept.clone()).await.status, StatusCode::FORBIDDEN);
    let wrong = wc.post(&format!("/api/v1/needs/{id}/accept"), json!({"kind": "policy", "id": 0})).await;
    assert!(wrong.body["errors"]["id"].is_array(), "{}", wrong.body);
    let not_dept = wc
        .post(
            &format!("/api/v1/needs/{id}/accept"),
            json!({"kind": "policy", "id": loan["id"], "create_request": true}),
        )
        .await;
    assert!(not_dept.body["errors"]["create_request"].is_array(), "{}", not_dept.body);
    let ok = wc.post(&format!("/api/v1/needs/{id}/accept"), accept.clone()).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.body["need"]["status"], "matched");
    assert_eq!(ok.body["need"]["match_kind"], "policy");
    assert_eq!(ok.body["need"]["match_name"], "吴川市返乡创业担保贷款及贴息实施办法");
    assert_eq!(wc.post(&format!("/api/v1/needs/{id}/accept"), accept).await.status, StatusCode::CONFLICT);

    // The member reads the answer in the thread.
    let seen = me.get(&format!("/api/v1/needs/{id}")).await;
    let last = seen.body["messages"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["from_requester"], false);
    let body = last["body"].as_str().unwrap();
    assert!(body.contains("吴川市返乡创业担保贷款及贴息实施办法") && body.contains("请带身份证"), "{body}");
    assert_eq!(seen.body["need"]["status_label"], "已对接");

    // The outcome: unresolved needs a reason; a closed thread takes no more messages.
    let no_reason = wc.post(&format!("/api/v1/needs/{id}/outcome"), json!({"resolved": false})).await;
    assert!(no_reason.body["errors"]["note"].is_array(), "{}", no_reason.body);
    assert_eq!(
        me.post(&format!("/api/v1/needs/{id}/outcome"), json!({"resolved": true})).await.status,
        StatusCode::FORBIDDEN
    );
    let done = wc.post(&format!("/api/v1/needs/{id}/outcome"), json!({"resolved": true, "note": "贷款已发放"})).await;
    assert_eq!(done.body["need"]["status"], "resolved", "{}", done.body);
    assert_eq!(done.body["need"]["outcome"], "贷款已发放");
    let late = me.post(&format!("/api/v1/needs/{id}/messages"), json!({"body": "谢谢"})).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);

    // Jinxiang: the demo's needs in every state.
    let all = jx.get("/api/v1/needs?per_page=100").await;
    assert!(all.body["total"].as_u64().unwrap() >= 80, "{}", all.body["total"]);
    for c in all.body["counts"].as_array().unwrap() {
        assert!(c["count"].as_u64().unwrap() > 0, "{c}");
    }
    let open = jx.get("/api/v1/needs?status=open&source=census").await;
    assert!(items(&open.body).iter().all(|n| n["status"] == "open" && n["source"] == "census"));

    // An enterprise's need recorded in the console: the county's policies, and the department through 红链直通车.
    let park = t.org_id("金乡经济开发区综合党委").await;
    let hosts = jx.get(&format!("/api/v1/service-requests/hosts?org={park}")).await;
    let host = items(&hosts.body).iter().find(|h| h["name"] == "金人电气").unwrap().clone();
    let neither =
        jx.post("/api/v1/needs", json!({"kind": "need", "title": "x", "description": "y", "org_id": park})).await;
    assert!(neither.body["errors"]["host_id"].is_array(), "{}", neither.body);
    let wrong_source = jx
        .post("/api/v1/needs", json!({"kind": "need", "title": "x", "description": "y", "org_id": park, "host_id": host["id"], "source": "member"}))
        .await;
    assert!(wrong_source.body["errors"]["source"].is_array(), "{}", wrong_source.body);
    let r = jx
        .post(
            "/api/v1/needs",
            json!({"kind": "need", "title": "稳岗补贴申请", "description": "企业想申请稳岗补贴和社保补贴", "org_id": park,
                   "host_id": host["id"], "source": "census"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let nid = r.body["need"]["id"].as_i64().unwrap();
    assert_eq!(r.body["need"]["host_name"], "金人电气");
    let names = titles(&r.body);
    assert!(names.iter().take(3).any(|n| n.contains("稳岗") || n.contains("社保")), "{names:?}");
    let policy = r.body["suggestions"].as_array().unwrap().iter().find(|s| s["kind"] == "policy").unwrap();
    assert!(
        policy["reason"].as_str().unwrap().contains("稳岗") || policy["reason"].as_str().unwrap().contains("社保"),
        "{policy}"
    );
    let dept = r.body["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "department")
        .unwrap_or_else(|| panic!("a department: {names:?}"))
        .clone();
    assert_eq!(dept["name"], "县人力资源和社会保障局");
    assert_eq!(dept["category_name"], "用工招聘与社保");
    let passed = jx
        .post(
            &format!("/api/v1/needs/{nid}/accept"),
            json!({"kind": "department", "id": dept["id"], "create_request": true}),
        )
        .await;
    assert_eq!(passed.status, StatusCode::OK, "{}", passed.body);
    assert_eq!(passed.body["need"]["match_kind"], "request");
    assert_eq!(passed.body["match_request"]["status"], "submitted");
    let rid = passed.body["match_request"]["id"].as_i64().unwrap();
    let req = jx.get(&format!("/api/v1/service-requests/{rid}")).await;
    assert_eq!(req.body["request"]["department"]["name"], "县人力资源和社会保障局", "{}", req.body);
    assert_eq!(req.body["request"]["host_name"], "金人电气");

    // The enterprise's contact sees their enterprise's needs only, and asks in its name.
    let contact = {
        use honglian_store::repo::platform::users;
        let hash = honglian_app::platform::auth::hash_password(crate::helpers::PASSWORD);
        let u = users::insert(&t.app.db, "jinren_contact", "金人电气 联络人", hash, false, None).await.unwrap();
        let host_org =
            jx.get(&format!("/api/v1/hosts/{}", host["id"])).await.body["org"]["id"].as_i64().unwrap_or(park);
        let g = users::add_grant(
            &t.app.db,
            u.id,
            "enterprise_contact",
            Some(host_org),
            None,
            Some(host["id"].as_i64().unwrap()),
            None,
        )
        .await
        .unwrap();
        t.app.stamp_grant(&t.app.db, g.id).await.unwrap();
        t.login("jinren_contact").await
    };
    let theirs = contact.get("/api/v1/needs?per_page=100").await;
    assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.body);
    assert!(items(&theirs.body).iter().any(|n| n["id"] == nid), "the need recorded for their enterprise");
    assert!(items(&theirs.body).iter().all(|n| n["host_name"] == "金人电气"), "{}", theirs.body);
    let own = contact
        .post(
            "/api/v1/needs",
            json!({"kind": "suggestion", "title": "建议增开通勤班车", "description": "园区到县城的公交间隔太长。"}),
        )
        .await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.body);
    assert_eq!(own.body["need"]["source"], "enterprise");
    assert_eq!(own.body["need"]["host_name"], "金人电气");
    let other = items(&all.body).iter().find(|n| n["host_name"] != "金人电气").unwrap()["id"].clone();
    assert_eq!(contact.get(&format!("/api/v1/needs/{other}")).await.status, StatusCode::NOT_FOUND);
    assert!(items(&jx.get("/api/v1/needs?per_page=100").await.body).iter().any(|n| n["id"] == own.body["need"]["id"]));

    // A branch serves its own subtree only.
    let lute = t.org_id("鲁特电工党支部").await;
    let branch = t.account("lute_needs", "org_admin", Some(lute), None).await;
    assert_eq!(branch.get(&format!("/api/v1/needs/{nid}")).await.status, StatusCode::NOT_FOUND);
    assert!(items(&branch.get("/api/v1/needs?per_page=100").await.body).iter().all(|n| n["org"]["id"] == lute));
}
crate::both!(needs_and_matching);
