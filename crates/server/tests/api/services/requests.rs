//! 红链直通车 through the API: routing by category, the working-day clock across a holiday and a 调休
//! Saturday, asking for information (the clock starts again), hand-over, reply, rating and one reopen,
//! escalation of overdue requests, the figures, and a handler who sees only their department's requests.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, items};

fn today() -> NaiveDate {
    (chrono::Utc::now() + Duration::hours(8)).date_naive()
}

fn day(v: &Value) -> NaiveDate {
    v.as_str().unwrap().parse().unwrap()
}

async fn service_requests(t: TestApp) {
    let jx = t.login("jinxiang_admin").await;
    let cats = jx.get("/api/v1/request-categories").await;
    assert_eq!(cats.status, StatusCode::OK, "{}", cats.body);
    let market = items(&cats.body).iter().find(|c| c["name"] == "市场监管与质量").unwrap().clone();
    assert_eq!(market["department"]["name"], "县市场监督管理局");
    let limit = market["limit_days"].as_u64().unwrap() as u32;

    // The calendar: a Wednesday off and the Saturday after it worked, both inside the limit from today.
    let mut wed = today() + Duration::days(1);
    while wed.weekday() != Weekday::Wed {
        wed += Duration::days(1);
    }
    let sat = wed + Duration::days(3);
    for year in [wed.year(), sat.year()] {
        let holidays: Vec<String> = [wed].iter().filter(|d| d.year() == year).map(|d| d.to_string()).collect();
        let workdays: Vec<String> = [sat].iter().filter(|d| d.year() == year).map(|d| d.to_string()).collect();
        let r =
            jx.put("/api/v1/work-calendar", json!({"year": year, "holidays": holidays, "workdays": workdays})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let bad = jx
        .put("/api/v1/work-calendar", json!({"year": sat.year(), "holidays": [sat.to_string()], "workdays": []}))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "a Saturday is not a holiday to list");
    assert!(bad.body["errors"]["holidays"].is_array());
    // The due day counted by hand: weekdays except the Wednesday, plus the Saturday.
    let mut due = today();
    let mut left = limit;
    while left > 0 {
        due += Duration::days(1);
        let weekday = !matches!(due.weekday(), Weekday::Sat | Weekday::Sun);
        if (weekday && due != wed) || due == sat {
            left -= 1;
        }
    }

    // A branch's request on an enterprise's behalf is routed by its category.
    let park = t.org_id("金乡经济开发区综合党委").await;
    let host = jx.get(&format!("/api/v1/hosts?org={park}&kind=enterprise")).await.body["items"][0].clone();
    let host_org = host["org"]["id"].as_i64().or(host["org_id"].as_i64()).unwrap();
    let submit = |title: &str| {
        json!({"category_id": market["id"], "title": title, "description": "新产品质量认证需要现场核查，希望尽快安排。",
               "org_id": host_org, "host_id": host["id"]})
    };
    let no_host = jx
        .post(
            "/api/v1/service-requests",
            json!({"category_id": market["id"], "title": "x", "description": "y", "org_id": host_org}),
        )
        .await;
    assert_eq!(no_host.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_host.body["errors"]["host_id"].is_array(), "{}", no_host.body);
    let r = jx.post("/api/v1/service-requests", submit("产品质量认证现场核查")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["request"]["id"].as_i64().unwrap();
    assert_eq!(r.body["request"]["department"]["name"], "县市场监督管理局");
    assert_eq!(r.body["request"]["status"], "submitted");
    assert_eq!(day(&r.body["request"]["due_on"]), due, "{limit} working days across the holiday and the 调休 Saturday");
    assert_eq!(r.body["request"]["host_name"], host["name"]);

    // The market-regulation handler sees it and only their department's requests.
    let d05 = t.login("jx_d05").await;
    let mine = d05.get("/api/v1/service-requests?per_page=200").await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    assert!(items(&mine.body).iter().all(|x| x["department"]["name"] == "县市场监督管理局"), "only their department's");
    assert!(items(&mine.body).iter().any(|x| x["id"] == id));
    let d09 = t.login("jx_d09").await; // 县税务局
    let theirs = d09.get("/api/v1/service-requests?per_page=200").await;
    assert!(items(&theirs.body).iter().all(|x| x["department"]["name"] == "县税务局"));
    assert_eq!(d09.get(&format!("/api/v1/service-requests/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        d09.post(&format!("/api/v1/service-requests/{id}/actions"), json!({"action": "accept"})).await.status,
        StatusCode::NOT_FOUND
    );
    let detail = d05.get(&format!("/api/v1/service-requests/{id}")).await;
    let actions = detail.body["request"]["actions"].clone();
    assert_eq!(actions, json!(["accept", "ask_info", "hand_over", "reply"]), "{}", detail.body);
    // The requester cannot accept their own request; the handler cannot rate it.
    let self_accept = jx.post(&format!("/api/v1/service-requests/{id}/actions"), json!({"action": "accept"})).await;
    assert_eq!(self_accept.status, StatusCode::FORBIDDEN, "{}", self_accept.body);

    // Asking for information stops the clock; supplying it starts the limit again from that day.
    let ask = d05.post(&format!("/api/v1/service-requests/{id}/actions"), json!({"action": "ask_info"})).await;
    assert_eq!(ask.status, StatusCode::UNPROCESSABLE_ENTITY, "what is needed must be said");
    let ask = d05
        .post(
            &format!("/api/v1/service-requests/{id}/actions"),
            json!({"action": "ask_info", "note": "请补充检测报告"}),
        )
        .await;
    assert_eq!(ask.body["request"]["status"], "info_needed", "{}", ask.body);
    assert_eq!(ask.body["request"]["light"], "blue");
    let reply_early =
        d05.post(&format!("/api/v1/service-requests/{id}/actions"), json!({"action": "reply", "note": "已办"})).await;
    assert_eq!(reply_early.status, StatusCode::CONFLICT, "{}", reply_early.body);
    let supplied = jx
        .post(&format!("/api/v1/service-requests/{id}/actions"), json!({"action": "supply", "note": "检测报告已上传"}))
        .await;
    assert_eq!(supplied.body["request"]["status"], "submitted", "{}", supplied.body);
    assert_eq!(day(&supplied.body["request"]["due_on"]), due, "supplied today: the same limit from today");

    // A hand-over moves it, with the reason, and keeps the clock.
    let tax = items(&jx.get("/api/v1/departments").await.body).iter().find(|d| d["name"] == "县税务局").unwrap()["id"]
        .clone();
    let no_reason = d05
        .post(
            &format!("/api/v1/service-requests/{id}/actions"),
            json!({"action": "hand_over", "to_department_id": tax}),
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let handed = d05
        .post(
            &format!("/api/v1/service-requests/{id}/actions"),
            json!({"action": "hand_over", "to_department_id": tax, "note": "涉及出口退税，属税务部门职责"}),
        )
        .await;
    assert_eq!(handed.status, StatusCode::OK, "{}", handed.body);
    assert_eq!(handed.body["request"]["department"]["name"], "县税务局");
    assert_eq!(day(&handed.body["request"]["due_on"]), due);
    assert_eq!(
        d05.get(&format!("/api/v1/service-requests/{id}")).await.status,
        StatusCode::NOT_FOUND,
        "gone from the old department"
    );
    let hist = d09.get(&format!("/api/v1/service-requests/{id}")).await;
    let ev = hist.body["events"].as_array().unwrap();
    let hand = ev.iter().find(|e| e["action"] == "hand_over").unwrap();
    assert_eq!(hand["department"], "县市场监督管理局");
    assert_eq!(hand["to_department"], "县税务局");
    assert_eq!(hand["note"], "涉及出口退税，属税务部门职责");

    // Reply, an unsatisfied rating (with its reason), one reopen, and no second.
    let url = format!("/api/v1/service-requests/{id}/actions");
    let act = |a: Value| {
        let c = if a["action"] == "rate" || a["action"] == "reopen" { &jx } else { &d09 };
        c.post(&url, a)
    };
    assert_eq!(act(json!({"action": "accept"})).await.body["request"]["status"], "accepted");
    let replied = act(json!({"action": "reply", "note": "已联系企业，退税款本周到账。"})).await;
    assert_eq!(replied.body["request"]["status"], "answered");
    assert_eq!(replied.body["request"]["light"], Value::Null);
    let unsatisfied = act(json!({"action": "rate", "rating": "unsatisfied"})).await;
    assert_eq!(unsatisfied.status, StatusCode::UNPROCESSABLE_ENTITY, "a reason for not satisfied");
    let closed = act(json!({"action": "rate", "rating": "unsatisfied", "note": "款项仍未到账"})).await;
    assert_eq!(closed.body["request"]["status"], "closed", "{}", closed.body);
    let reopened = act(json!({"action": "reopen", "note": "请再核实"})).await;
    assert_eq!(reopened.body["request"]["status"], "accepted", "{}", reopened.body);
    assert_eq!(reopened.body["request"]["reopened"], true);
    act(json!({"action": "reply", "note": "已到账，附银行回单。"})).await;
    act(json!({"action": "rate", "rating": "unsatisfied", "note": "仍不满意"})).await;
    let again = act(json!({"action": "reopen", "note": "再来"})).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "reopened once only: {}", again.body);
    assert!(again.body["title"].as_str().unwrap().contains("一次"));

    // Escalation: an open request past its limit is escalated once, with a reminder to the county.
    let late = jx.post("/api/v1/service-requests", submit("逾期测试")).await.body["request"]["id"].as_i64().unwrap();
    {
        use sea_orm::ConnectionTrait;
        let sql = format!("UPDATE service_requests SET due_on = '{}' WHERE id = {late}", today() - Duration::days(1));
        t.app.db.execute_unprepared(&sql).await.unwrap();
    }
    assert!(t.app.escalate_requests().await.unwrap() >= 1);
    assert_eq!(t.app.escalate_requests().await.unwrap(), 0, "escalated once");
    let red = jx.get(&format!("/api/v1/service-requests/{late}")).await;
    assert_eq!(red.body["request"]["light"], "red");
    assert!(red.body["request"]["escalated_on"].is_string());
    assert!(red.body["events"].as_array().unwrap().iter().any(|e| e["action"] == "escalate"));
    let notes = jx.get("/api/v1/notifications").await;
    assert!(items(&notes.body).iter().any(|n| n["title"] == "红链直通车诉求已逾期"), "{}", notes.body);
    let overdue = d05.get("/api/v1/service-requests?overdue=true").await;
    assert!(items(&overdue.body).iter().any(|x| x["id"] == late));

    // The figures: by department and category, totals equal to the sum of their parts. The demo's year of
    // requests ends today, so it spans this year and last: the busier of the two holds at least half.
    let url = |y: i32| format!("/api/v1/service-requests/figures?year={y}");
    let (this, last) = (jx.get(&url(today().year())).await, jx.get(&url(today().year() - 1)).await);
    assert_eq!(this.status, StatusCode::OK, "{}", this.body);
    let received = |f: &crate::helpers::Resp| f.body["total"]["received"].as_u64().unwrap();
    assert!(received(&this) + received(&last) >= 300, "the demo's year of requests and this test's");
    let (f, year) =
        if received(&this) >= received(&last) { (this, today().year()) } else { (last, today().year() - 1) };
    let sum =
        |key: &str| f.body["by_department"].as_array().unwrap().iter().map(|r| r[key].as_u64().unwrap()).sum::<u64>();
    for key in ["received", "answered", "on_time", "overdue", "satisfied", "unsatisfied"] {
        assert_eq!(sum(key), f.body["total"][key].as_u64().unwrap(), "{key}");
    }
    assert!(received(&f) >= 150, "half the demo's year at least");
    assert!(f.body["total"]["satisfaction_pct"].as_u64().unwrap() > 50);
    assert_eq!(
        d05.get("/api/v1/service-requests/figures").await.status,
        StatusCode::FORBIDDEN,
        "figures are the county's"
    );
    let pdf = jx.get(&format!("/api/v1/service-requests/figures.pdf?year={year}")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    let pages = crate::helpers::pdf_pages(&pdf.bytes);
    assert!(pages[0].contains("红链直通车") && pages[0].contains("县市场监督管理局"), "{}", pages[0]);
    let xlsx = jx.get(&format!("/api/v1/service-requests/figures.xlsx?year={year}")).await;
    let sheet = crate::helpers::sheet(&xlsx.bytes);
    assert!(sheet.iter().any(|row| row.iter().any(|c| c == "合计")));

    // A branch asks for the enterprise it covers (registered by the park above it), and sees its own requests.
    let lute = t.org_id("鲁特电工党支部").await;
    let branch = t.account("lute_sec", "org_admin", Some(lute), None).await;
    let hosts = branch.get(&format!("/api/v1/service-requests/hosts?org={lute}")).await;
    let covered = items(&hosts.body).iter().find(|h| h["name"] == "鲁特电工").expect("the covered enterprise").clone();
    let own = branch
        .post(
            "/api/v1/service-requests",
            json!({"category_id": market["id"], "title": "车间安全生产标准化", "description": "希望上门指导", "org_id": lute, "host_id": covered["id"]}),
        )
        .await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.body);
    assert_eq!(own.body["request"]["requester_kind"], "branch");
    let others = branch.get("/api/v1/service-requests?per_page=200").await;
    assert!(items(&others.body).iter().all(|x| x["org"]["id"] == lute), "a branch sees its own requests only");
    let park_hosts = jx.get(&format!("/api/v1/hosts?org={park}&per_page=200")).await;
    let other =
        items(&park_hosts.body).iter().find(|h| h["name"] != "鲁特电工").expect("another enterprise of the park");
    let foreign_host = branch
        .post(
            "/api/v1/service-requests",
            json!({"category_id": market["id"], "title": "x", "description": "y", "org_id": lute, "host_id": other["id"]}),
        )
        .await;
    assert_eq!(
        foreign_host.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not an enterprise of the branch: {}",
        foreign_host.body
    );

    // The security admin makes a handler: a county-level grant naming one of the county's departments.
    let sec = t.login("secadmin").await;
    let u = sec
        .post(
            "/api/v1/users",
            json!({"username": "jx_new_handler", "display_name": "新经办人", "password": "Handler@2026!x"}),
        )
        .await;
    assert!(u.status.is_success(), "{}", u.body);
    let uid = u.body["id"].as_i64().unwrap();
    let root = t.org_id("中共金乡县委员会").await;
    let depts = sec.get(&format!("/api/v1/departments?county={root}")).await;
    assert_eq!(items(&depts.body).len(), 31, "{}", depts.body);
    let market_dept = items(&depts.body).iter().find(|d| d["name"] == "县市场监督管理局").unwrap()["id"].clone();
    let below = sec
        .post(
            &format!("/api/v1/users/{uid}/grants"),
            json!({"role": "department_handler", "org_id": park, "department_id": market_dept}),
        )
        .await;
    assert_eq!(below.status, StatusCode::UNPROCESSABLE_ENTITY, "a county-level grant: {}", below.body);
    let none =
        sec.post(&format!("/api/v1/users/{uid}/grants"), json!({"role": "department_handler", "org_id": root})).await;
    assert!(none.body["errors"]["department_id"].is_array(), "{}", none.body);
    let granted = sec
        .post(
            &format!("/api/v1/users/{uid}/grants"),
            json!({"role": "department_handler", "org_id": root, "department_id": market_dept}),
        )
        .await;
    assert!(granted.status.is_success(), "{}", granted.body);
    assert_eq!(granted.body["grants"][0]["department_name"], "县市场监督管理局");

    // A department updates its own policies only, and does not keep the county's list of departments.
    let lib = d09.get("/api/v1/policies?validity=all&per_page=200").await;
    assert_eq!(lib.status, StatusCode::OK, "a handler reads the county's library: {}", lib.body);
    let own_policy = items(&lib.body).iter().find(|p| p["department"]["name"] == "县税务局").unwrap().clone();
    let other_policy = items(&lib.body).iter().find(|p| p["department"]["name"] != "县税务局").unwrap().clone();
    assert_eq!(own_policy["can_edit"], true);
    assert_eq!(other_policy["can_edit"], false);
    let body = |p: &Value| {
        json!({"department_id": p["department"]["id"], "doc_no": p["doc_no"], "title": p["title"], "summary": p["summary"],
               "body": "第一条 修订。", "issued_on": p["issued_on"], "effective_from": p["effective_from"], "effective_until": p["effective_until"]})
    };
    let own_edit = d09.patch(&format!("/api/v1/policies/{}", own_policy["id"]), body(&own_policy)).await;
    assert_eq!(own_edit.status, StatusCode::OK, "{}", own_edit.body);
    let other_edit = d09.patch(&format!("/api/v1/policies/{}", other_policy["id"]), body(&other_policy)).await;
    assert_eq!(other_edit.status, StatusCode::FORBIDDEN, "{}", other_edit.body);
    let other_new = d09.post("/api/v1/policies", body(&other_policy)).await;
    assert_eq!(other_new.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", other_new.body);
    assert!(other_new.body["errors"]["department_id"].is_array());
    assert_eq!(d09.post("/api/v1/departments", json!({"name": "县某某局"})).await.status, StatusCode::FORBIDDEN);

    // The county keeps its categories: a new one routed to a department, names unique, limits 1–60.
    let dept = market["department"]["id"].clone();
    let new = jx
        .post("/api/v1/request-categories", json!({"name": "知识产权保护", "department_id": dept, "limit_days": 10}))
        .await;
    assert_eq!(new.status, StatusCode::CREATED, "{}", new.body);
    let again = jx
        .post("/api/v1/request-categories", json!({"name": "知识产权保护", "department_id": dept, "limit_days": 10}))
        .await;
    assert!(again.body["errors"]["name"].is_array(), "{}", again.body);
    let cid = new.body["id"].as_i64().unwrap();
    let long = jx
        .patch(
            &format!("/api/v1/request-categories/{cid}"),
            json!({"name": "知识产权保护", "department_id": dept, "limit_days": 61}),
        )
        .await;
    assert!(long.body["errors"]["limit_days"].is_array(), "{}", long.body);
    let kept = jx
        .patch(
            &format!("/api/v1/request-categories/{cid}"),
            json!({"name": "知识产权保护", "department_id": dept, "limit_days": 15}),
        )
        .await;
    assert_eq!(kept.body["limit_days"], 15, "renaming to its own name is no clash: {}", kept.body);

    // Wuchuan sees none of it.
    let wc = t.login("wuchuan_admin").await;
    assert_eq!(wc.get(&format!("/api/v1/service-requests/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(wc.get("/api/v1/service-requests").await.body["total"], 0);
}
crate::both!(service_requests);
