//! 先锋工程 through the API: the demo's last campaign awarded and this year's on notice (seen by the
//! branches under the county, not by another county; a member sees their honour and the notice on the
//! phone); a nomination from a chamber branch after its meeting's vote, within the quotas, reviewed by
//! the 工商联党委 and then the county (each only at its own level), published for the county's working
//! days, an objection upheld stopping one, the award after the notice, an award withdrawn later staying
//! on the member's record; the notice and award lists read back as xlsx and PDF.

use chrono::{Datelike, Duration, NaiveDate};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, items, pdf_pages, sheet};

fn today() -> NaiveDate {
    (chrono::Utc::now() + Duration::hours(8)).date_naive()
}

fn field_error(r: &crate::helpers::Resp, field: &str) {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", r.body);
    assert!(r.body["errors"][field].is_array(), "{field}: {}", r.body);
}

fn by_year(list: &Value, year: i32) -> Value {
    items(list).iter().find(|c| c["year"] == year).cloned().unwrap_or_else(|| panic!("a campaign of {year}: {list}"))
}

async fn the_demo_campaigns(t: TestApp) {
    let year = today().year();
    let wc = t.login("wuchuan_admin").await;
    let list = wc.get("/api/v1/honour-campaigns").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let last = by_year(&list.body, year - 1);
    assert_eq!(last["status"], "awarded");
    let this = by_year(&list.body, year);
    assert_eq!(this["status"], "notice");
    assert_eq!(this["can_manage"], true);
    assert_eq!(this["honours"].as_array().unwrap().len(), 3, "两优一先");

    // Last year's: seven awarded, one withdrawn since, all on the published list.
    let d = wc.get(&format!("/api/v1/honour-campaigns/{}", last["id"])).await;
    let published = d.body["published"].as_array().unwrap();
    assert_eq!(published.len(), 7, "{}", d.body);
    assert_eq!(published.iter().filter(|p| p["status"] == "withdrawn").count(), 1);
    let x = wc.get(&format!("/api/v1/honour-campaigns/{}/list.xlsx", last["id"])).await;
    assert_eq!(x.status, StatusCode::OK);
    let rows = sheet(&x.bytes);
    let text = rows.iter().map(|r| r.join("|")).collect::<Vec<_>>().join("\n");
    assert!(text.contains("表彰名单") && text.contains("林志远") && text.contains("广州吴川商会党支部"), "{text}");
    assert!(text.contains("已撤销") && !text.contains("警告处分"), "marked, the reason not published: {text}");

    // This year's on notice: the list, one objection waiting, the award refused until the notice ends.
    let d = wc.get(&format!("/api/v1/honour-campaigns/{}", this["id"])).await;
    assert_eq!(d.body["published"].as_array().unwrap().len(), 6, "{}", d.body);
    assert_eq!(d.body["open_objections"], 1);
    let early = wc.post(&format!("/api/v1/honour-campaigns/{}/award", this["id"]), json!({"on": today()})).await;
    field_error(&early, "on");
    let pdf = wc.get(&format!("/api/v1/honour-campaigns/{}/list.pdf", this["id"])).await;
    assert_eq!(pdf.status, StatusCode::OK);
    let pages = pdf_pages(&pdf.bytes).join("\n");
    assert!(pages.contains("公示名单") && pages.contains("公示期"), "{pages}");

    // The 广州 branch sees the county's campaigns (it nominates to them); another county does not.
    let gz = t.login("gz_branch").await;
    let theirs = gz.get("/api/v1/honour-campaigns").await;
    assert_eq!(items(&theirs.body).len(), 2, "{}", theirs.body);
    assert_eq!(by_year(&theirs.body, year)["can_manage"], false);
    let jx = t.login("jinxiang_admin").await;
    assert!(items(&jx.get("/api/v1/honour-campaigns").await.body).is_empty());
    assert_eq!(jx.get(&format!("/api/v1/honour-campaigns/{}", this["id"])).await.status, StatusCode::NOT_FOUND);

    // member_demo: last year's honour on the phone, and this year's notice of the county.
    let me = t.login("member_demo").await.get("/api/v1/me/honours").await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_eq!(me.body["honours"][0]["honour"], "优秀共产党员", "{}", me.body);
    assert_eq!(me.body["honours"][0]["year"], year - 1);
    assert_eq!(me.body["notices"][0]["entries"].as_array().unwrap().len(), 6, "{}", me.body);
    // Objections and review notes are not published.
    assert!(!me.body.to_string().contains("拖欠"));
}
crate::both!(the_demo_campaigns);

async fn from_nomination_to_award(t: TestApp) {
    let year = today().year();
    let root = t.org_id("中共吴川市委员会").await;
    let gsl = t.org_id("中共吴川市工商业联合会委员会").await;
    let gz_org = t.org_id("广州吴川商会党支部").await;
    let wc = t.login("wuchuan_admin").await;
    let gz = t.login("gz_branch").await;
    let gsl_worker = t.account("gsl_worker", "org_admin", Some(gsl), None).await;
    let people = t.members_at_home(gz_org).await;
    let (a, b, c) = (people[0].clone(), people[1].clone(), people[2].clone());

    // The county starts a campaign with a local honour beside 两优一先 and gives the 工商联 one place.
    let bad = wc
        .post(
            "/api/v1/honour-campaigns",
            json!({"org_id": root, "year": year, "title": " ", "honours": [
            {"name": "优秀共产党员", "subject": "member"}, {"name": "优秀共产党员", "subject": "member"}]}),
        )
        .await;
    field_error(&bad, "title");
    field_error(&bad, "honours");
    assert_eq!(
        gz.post("/api/v1/honour-campaigns", json!({"org_id": root, "year": year, "title": "越权"})).await.status,
        StatusCode::NOT_FOUND,
        "a branch does not run the county's campaign"
    );
    let own = gz.post("/api/v1/honour-campaigns", json!({"org_id": gz_org, "year": year, "title": "支部自评"})).await;
    field_error(&own, "org_id");
    let cr = wc
        .post(
            "/api/v1/honour-campaigns",
            json!({"org_id": root, "year": year, "title": "吴川市“先锋工程”表彰", "honours": [
                {"name": "优秀共产党员", "subject": "member"}, {"name": "吴川好乡贤", "subject": "member"},
                {"name": "先进基层党组织", "subject": "org"}]}),
        )
        .await;
    assert_eq!(cr.status, StatusCode::CREATED, "{}", cr.body);
    let campaign = cr.body["campaign"]["id"].as_i64().unwrap();
    let q = wc
        .put(
            &format!("/api/v1/honour-campaigns/{campaign}/quotas"),
            json!({"items": [{"honour": "优秀共产党员", "org_id": gsl, "quota": 1}]}),
        )
        .await;
    assert_eq!(q.status, StatusCode::OK, "{}", q.body);
    assert_eq!(q.body["quotas"][0]["used"], 0);
    let not_offered = wc
        .put(
            &format!("/api/v1/honour-campaigns/{campaign}/quotas"),
            json!({"items": [{"honour": "劳动模范", "org_id": gsl, "quota": 1}]}),
        )
        .await;
    field_error(&not_offered, "items[0]");

    // The branch nominates after its meeting: more than half in favour, a meeting of this year.
    let nominate = |member: i64, honour: &str, votes_for: u32, on: NaiveDate| {
        json!({"campaign_id": campaign, "honour": honour, "org_id": gz_org, "member_id": member,
               "deeds": "带头回乡投资，吸纳就业 80 余人", "discussed_on": on, "votes_for": votes_for, "votes_total": 12})
    };
    let r = gz.post("/api/v1/honour-nominations", nominate(a.0, "优秀共产党员", 6, today())).await;
    field_error(&r, "votes_for");
    let r = gz
        .post(
            "/api/v1/honour-nominations",
            nominate(a.0, "优秀共产党员", 9, NaiveDate::from_ymd_opt(year - 1, 12, 1).unwrap()),
        )
        .await;
    field_error(&r, "discussed_on");
    let r = gz.post("/api/v1/honour-nominations", nominate(a.0, "优秀共产党员", 9, today())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let na = r.body["nomination"]["id"].as_i64().unwrap();
    assert_eq!(r.body["nomination"]["status"], "reviewing");
    assert_eq!(r.body["nomination"]["at_org"]["id"], gsl, "first the 工商联党委");
    let over = gz.post("/api/v1/honour-nominations", nominate(b.0, "优秀共产党员", 9, today())).await;
    field_error(&over, "honour");
    assert!(over.body.to_string().contains("名额为 1 名"), "{}", over.body);
    let twice = gz.post("/api/v1/honour-nominations", nominate(a.0, "吴川好乡贤", 9, today())).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "one place per person: {}", twice.body);
    let r = gz.post("/api/v1/honour-nominations", nominate(b.0, "吴川好乡贤", 10, today())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let nb = r.body["nomination"]["id"].as_i64().unwrap();
    let r = gz.post("/api/v1/honour-nominations", nominate(c.0, "吴川好乡贤", 10, today())).await;
    let nc = r.body["nomination"]["id"].as_i64().unwrap();
    let wrong = gz
        .post(
            "/api/v1/honour-nominations",
            json!({"campaign_id": campaign, "honour": "先进基层党组织", "org_id": gz_org, "member_id": a.0,
                   "deeds": "x", "discussed_on": today(), "votes_for": 9, "votes_total": 12}),
        )
        .await;
    field_error(&wrong, "nominee_org_id");

    // Each level's reviewers are reminded on their workbench when it is their turn, not before.
    let waiting = |wb: &Value| -> Option<Value> {
        wb["items"].as_array().unwrap().iter().find(|i| i["key"] == "honours_review").cloned()
    };
    let wb = gsl_worker.get("/api/v1/workbench").await.body;
    let item = waiting(&wb).expect("the 工商联's turn");
    assert_eq!(item["count"], 3, "{item}");
    assert!(item["detail"].as_str().unwrap().contains(&a.1), "{item}");
    assert!(waiting(&wc.get("/api/v1/workbench").await.body).is_none(), "not yet the county's turn");

    // Reviewed level by level: never by the branch itself, the 工商联 only at its own level.
    let review = |pass: bool, note: &str| json!({"pass": pass, "on": today(), "note": note});
    assert_eq!(
        gz.post(&format!("/api/v1/honour-nominations/{na}/review"), review(true, "")).await.status,
        StatusCode::FORBIDDEN
    );
    let r = gsl_worker.post(&format!("/api/v1/honour-nominations/{na}/review"), review(true, "同意推荐")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["nomination"]["at_org"]["id"], root, "then the county");
    assert_eq!(
        gsl_worker.post(&format!("/api/v1/honour-nominations/{na}/review"), review(true, "")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(waiting(&wc.get("/api/v1/workbench").await.body).expect("now the county's")["count"], 1);
    let r = wc.post(&format!("/api/v1/honour-nominations/{na}/review"), review(true, "同意")).await;
    assert_eq!(r.body["nomination"]["status"], "recommended", "{}", r.body);
    // The county does not review for the level below it.
    assert_eq!(
        wc.post(&format!("/api/v1/honour-nominations/{nc}/review"), review(true, "")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(r.body["steps"].as_array().unwrap().len(), 2);
    let no_reason = gsl_worker.post(&format!("/api/v1/honour-nominations/{nc}/review"), review(false, "")).await;
    field_error(&no_reason, "note");
    let r = gsl_worker.post(&format!("/api/v1/honour-nominations/{nc}/review"), review(false, "事迹不够突出")).await;
    assert_eq!(r.body["nomination"]["status"], "rejected");
    // Not published while one is still in review.
    let early = wc.post(&format!("/api/v1/honour-campaigns/{campaign}/notice"), json!({})).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    for who in [&gsl_worker, &wc] {
        let r = who.post(&format!("/api/v1/honour-nominations/{nb}/review"), review(true, "同意")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }

    // The notice: the county's five working days from tomorrow; nominations closed.
    assert_eq!(
        gsl_worker.post(&format!("/api/v1/honour-campaigns/{campaign}/notice"), json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let n = wc.post(&format!("/api/v1/honour-campaigns/{campaign}/notice"), json!({})).await;
    assert_eq!(n.status, StatusCode::OK, "{}", n.body);
    let until: NaiveDate = n.body["campaign"]["notice_until"].as_str().unwrap().parse().unwrap();
    // Five working days from tomorrow span a week at least; a statutory holiday inside (National Day, Spring
    // Festival) moves the end on by its days.
    assert!(until >= today() + Duration::days(7) && until <= today() + Duration::days(21), "{until}");
    assert_eq!(n.body["published"].as_array().unwrap().len(), 2);
    let late = gz.post("/api/v1/honour-nominations", nominate(people[3].0, "吴川好乡贤", 10, today())).await;
    assert_eq!(late.status, StatusCode::CONFLICT);

    // An objection to each: the county receives and handles them (not the branch); one holds.
    let to_branch = gz
        .post(
            &format!("/api/v1/honour-nominations/{na}/objections"),
            json!({"received_on": today(), "content": "来信"}),
        )
        .await;
    assert_eq!(to_branch.status, StatusCode::FORBIDDEN);
    let mut objections = Vec::new();
    for id in [na, nb] {
        let o = wc
            .post(
                &format!("/api/v1/honour-nominations/{id}/objections"),
                json!({"received_on": today(), "content": "群众来信反映情况"}),
            )
            .await;
        assert_eq!(o.status, StatusCode::OK, "{}", o.body);
        objections.push(o.body["objections"][0]["id"].as_i64().unwrap());
    }
    let handle = |upheld: bool| json!({"upheld": upheld, "handling": "经核实"});
    assert_eq!(
        gz.post(&format!("/api/v1/honour-nominations/{na}/objections/{}", objections[0]), handle(false)).await.status,
        StatusCode::FORBIDDEN
    );
    let blocked = wc.post(&format!("/api/v1/honour-campaigns/{campaign}/award"), json!({"on": today()})).await;
    field_error(&blocked, "on");
    let h = wc.post(&format!("/api/v1/honour-nominations/{na}/objections/{}", objections[0]), handle(false)).await;
    assert_eq!(h.body["nomination"]["status"], "notice", "{}", h.body);
    let h = wc.post(&format!("/api/v1/honour-nominations/{nb}/objections/{}", objections[1]), handle(true)).await;
    assert_eq!(h.body["nomination"]["status"], "rejected", "an objection that holds stops it");

    // After the notice, the award: only the one still on notice.
    t.sql_exec(&format!(
        "UPDATE honour_campaigns SET notice_until = '{}' WHERE id = {campaign}",
        today() - Duration::days(1)
    ))
    .await;
    let aw = wc.post(&format!("/api/v1/honour-campaigns/{campaign}/award"), json!({"on": today()})).await;
    assert_eq!(aw.status, StatusCode::OK, "{}", aw.body);
    assert_eq!(aw.body["campaign"]["status"], "awarded");
    let names: Vec<&str> =
        aw.body["published"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec![a.1.as_str()]);
    let rec = wc.get(&format!("/api/v1/members/{}/honours", a.0)).await;
    assert_eq!(items(&rec.body)[0]["honour"], "优秀共产党员", "{}", rec.body);
    assert!(items(&wc.get(&format!("/api/v1/members/{}/honours", b.0)).await.body).is_empty());

    // Withdrawn later by the county only, with a reason; it stays on the record, marked.
    let w = |reason: &str| json!({"reason": reason});
    assert_eq!(
        gz.post(&format!("/api/v1/honour-nominations/{na}/withdrawal"), w("x")).await.status,
        StatusCode::FORBIDDEN
    );
    field_error(&wc.post(&format!("/api/v1/honour-nominations/{na}/withdrawal"), w(" ")).await, "reason");
    let r = wc.post(&format!("/api/v1/honour-nominations/{na}/withdrawal"), w("受到党内严重警告处分")).await;
    assert_eq!(r.body["nomination"]["status"], "withdrawn", "{}", r.body);
    let rec = wc.get(&format!("/api/v1/members/{}/honours", a.0)).await;
    assert_eq!(items(&rec.body)[0]["withdraw_reason"], "受到党内严重警告处分");
    let rows = sheet(&wc.get(&format!("/api/v1/honour-campaigns/{campaign}/list.xlsx")).await.bytes);
    assert!(rows.iter().any(|r| r.contains(&a.1) && r.iter().any(|c| c.contains("已撤销"))), "{rows:?}");
    assert!(!rows.iter().flatten().any(|c| c.contains("严重警告")), "the reason stays on the record");
    // The branch sees the levels' notes on its nomination, not the objections the county handled.
    let seen = gz.get(&format!("/api/v1/honour-nominations/{na}")).await;
    assert_eq!(seen.body["steps"].as_array().unwrap().len(), 2, "{}", seen.body);
    assert!(seen.body["objections"].as_array().unwrap().is_empty(), "{}", seen.body);

    // Another county reaches none of it.
    let jx = t.login("jinxiang_admin").await;
    assert_eq!(jx.get(&format!("/api/v1/honour-nominations/{na}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(jx.get(&format!("/api/v1/members/{}/honours", a.0)).await.status, StatusCode::NOT_FOUND);
}
crate::both!(from_nomination_to_award);
