//! 关爱工程 through the API: the demo's eighteen years add up to the seed; a student proposed by a
//! chamber branch, reviewed, decided by the county (never by whoever reviewed it), on public notice for
//! five working days from the day it is recorded (a holiday inside moves the end), an objection recorded
//! and handled, paid after the notice, renewed the next year; the fund never pays more than it holds; personal data sealed and masked; who sees which; the
//! annual report and a thank-you letter read back.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, id_number, items, pdf_pages, sheet};

fn today() -> NaiveDate {
    (chrono::Utc::now() + Duration::hours(8)).date_naive()
}

fn field_error(r: &crate::helpers::Resp, field: &str) {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", r.body);
    assert!(r.body["errors"][field].is_array(), "{field}: {}", r.body);
}

async fn the_seed_years_add_up(t: TestApp) {
    let wc = t.login("wuchuan_admin").await;
    let l = wc.get("/api/v1/care-fund/ledger").await;
    assert_eq!(l.status, StatusCode::OK, "{}", l.body);
    let years = l.body["years"].as_array().unwrap();
    let seed: Vec<_> = years.iter().filter(|y| (2004..=2021).contains(&y["year"].as_i64().unwrap())).collect();
    assert_eq!(seed.len(), 18);
    assert_eq!(seed.iter().map(|y| y["raised_fen"].as_i64().unwrap()).sum::<i64>(), 473_920_000, "473.92 万元");
    assert_eq!(seed.iter().map(|y| y["students"].as_u64().unwrap()).sum::<u64>(), 1_909);
    assert!(years.iter().all(|y| y["closing_fen"].as_i64().unwrap() >= 0), "never below zero");
    let sum = |k: &str| years.iter().map(|y| y[k].as_i64().unwrap()).sum::<i64>();
    assert_eq!(sum("raised_fen"), l.body["raised_fen"].as_i64().unwrap());
    assert_eq!(sum("disbursed_fen"), l.body["disbursed_fen"].as_i64().unwrap());
    assert_eq!(l.body["balance_fen"].as_i64().unwrap(), sum("raised_fen") - sum("disbursed_fen"));
    assert_eq!(years.last().unwrap()["closing_fen"], l.body["balance_fen"]);
    // Another county has no fund of Wuchuan's.
    let jx = t.login("jinxiang_admin").await.get("/api/v1/care-fund/ledger").await;
    assert_eq!(jx.body["raised_fen"], 0, "{}", jx.body);
}
crate::both!(the_seed_years_add_up);

async fn a_student_from_application_to_payment(t: TestApp) {
    let gz_org = t.org_id("广州吴川商会党支部").await;
    let sz_org = t.org_id("深圳吴川商会党支部").await;
    let gz = t.login("gz_branch").await;
    let wc = t.login("wuchuan_admin").await;
    let year = today().year();
    let id = id_number("440883", 2008, 5, 6, 17);

    // Proposed by the chamber branch: the number and the phone sealed, shown masked.
    let bad = gz
        .post(
            "/api/v1/care-aids",
            json!({"org_id": gz_org, "year": year, "student_name": " ", "id_number": "4408832008050612",
                   "phone": "12345", "family_situation": "", "school": "", "grade": "", "asked": "0"}),
        )
        .await;
    for f in ["student_name", "id_number", "phone", "family_situation", "school", "grade", "asked"] {
        field_error(&bad, f);
    }
    let r = gz
        .post(
            "/api/v1/care-aids",
            json!({"org_id": gz_org, "year": year, "student_name": "周小雨", "id_number": id, "phone": "13807591234",
                   "family_situation": "父亲残疾，母亲务农，弟弟读初中", "school": "华南理工大学", "grade": "大一", "asked": "3,000"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let aid = r.body["aid"]["id"].as_i64().unwrap();
    let shown = r.body["aid"]["id_number"].as_str().unwrap();
    assert_eq!(shown.len(), 18);
    assert!(shown.starts_with("****************") && id.ends_with(&shown[16..]), "{shown}");
    assert_eq!(r.body["aid"]["phone"], "*******1234");
    assert_eq!(r.body["aid"]["family_situation"], "父亲残疾，母亲务农，弟弟读初中", "the reviewer reads it");
    assert!(!r.body.to_string().contains(&id) && !r.body.to_string().contains("13807591234"));
    let raw = t.sql_text(&format!("SELECT id_number_enc FROM care_aids WHERE id = {aid}")).await;
    assert!(!raw.contains(&id[..6]), "sealed at rest");
    assert_eq!(r.body["aid"]["can_review"], true);
    assert_eq!(r.body["aid"]["can_decide"], false);

    // Who sees it: the county; not another chamber branch, another county or a member.
    let sz = t.account("sz_care", "org_admin", Some(sz_org), None).await;
    assert_eq!(sz.get(&format!("/api/v1/care-aids/{aid}")).await.status, StatusCode::NOT_FOUND);
    let jx = t.login("jinxiang_admin").await;
    assert_eq!(jx.get(&format!("/api/v1/care-aids/{aid}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.login("member_demo").await.get("/api/v1/care-aids").await.status, StatusCode::FORBIDDEN);
    let instructor = t.login("instructor").await;
    assert!(items(&instructor.get("/api/v1/care-aids?per_page=100").await.body).iter().all(|a| a["id"] != aid));

    // The branch reviews; only the county decides.
    let steps = format!("/api/v1/care-aids/{aid}/steps");
    let on = |d: NaiveDate| d.to_string();
    let day = today();
    assert_eq!(gz.post(&steps, json!({"step": "decide", "on": on(day)})).await.status, StatusCode::FORBIDDEN);
    field_error(&gz.post(&steps, json!({"step": "review", "pass": false, "on": on(day)})).await, "note");
    field_error(&gz.post(&steps, json!({"step": "review", "on": on(day - Duration::days(1))})).await, "on");
    field_error(&gz.post(&steps, json!({"step": "review", "on": "1999-12-31"})).await, "on");
    let r = gz.post(&steps, json!({"step": "review", "on": on(day), "note": "情况属实"})).await;
    assert_eq!(r.body["aid"]["status"], "reviewed", "{}", r.body);
    field_error(&gz.post(&steps, json!({"step": "review", "on": on(day)})).await, "step");

    // Decided today, the notice runs five working days from tomorrow on the county's calendar: a
    // holiday on the second of them moves the end one working day on.
    let working = |d: NaiveDate| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
    let mut next = Vec::new();
    let mut d = day;
    while next.len() < 7 {
        d += Duration::days(1);
        if working(d) {
            next.push(d);
        }
    }
    let holiday = next[1];
    let cal = wc
        .put(
            "/api/v1/work-calendar",
            json!({"year": holiday.year(), "holidays": [holiday.to_string()], "workdays": []}),
        )
        .await;
    assert_eq!(cal.status, StatusCode::OK, "{}", cal.body);
    field_error(&wc.post(&steps, json!({"step": "decide", "on": on(day), "amount": "3,000.01"})).await, "amount");
    let r = wc.post(&steps, json!({"step": "decide", "on": on(day), "amount": "2,500", "note": "同意资助"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["aid"]["status"], "notice");
    assert_eq!(r.body["aid"]["approved_fen"], 250_000);
    let until = next[5];
    assert_eq!(r.body["aid"]["notice_until"], until.to_string(), "five working days, the holiday skipped");
    assert_eq!(r.body["aid"]["can_object"], true);
    assert_eq!(r.body["aid"]["can_disburse"], false);

    // Objections: recorded while the notice runs, handled by the county; payment waits for both.
    let objections = format!("/api/v1/care-aids/{aid}/objections");
    let r = gz.post(&objections, json!({"received_on": on(day), "content": "反映该生家中经营小卖部"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let objection = r.body["objections"][0]["id"].as_i64().unwrap();
    field_error(&wc.post(&steps, json!({"step": "disburse", "on": on(day), "method": "bank"})).await, "on");
    // The notice's days pass (the clock cannot be waited for in a test).
    let before_end = day - Duration::days(1);
    t.sql_exec(&format!("UPDATE care_aids SET notice_until = '{before_end}' WHERE id = {aid}")).await;
    field_error(&wc.post(&steps, json!({"step": "disburse", "on": on(day), "method": "bank"})).await, "step");
    field_error(&gz.post(&objections, json!({"received_on": on(day), "content": "x"})).await, "received_on");
    let handle = format!("/api/v1/care-aids/{aid}/objections/{objection}");
    assert_eq!(gz.post(&handle, json!({"upheld": false, "handling": "x"})).await.status, StatusCode::FORBIDDEN);
    let r = wc.post(&handle, json!({"upheld": false, "handling": "经核实，小卖部收入微薄，家庭仍属困难"})).await;
    assert_eq!(r.body["objections"][0]["upheld"], false, "{}", r.body);
    assert_eq!(wc.post(&handle, json!({"upheld": true, "handling": "再次"})).await.status, StatusCode::CONFLICT);

    // Paid after the notice, once.
    field_error(&wc.post(&steps, json!({"step": "disburse", "on": on(before_end), "method": "bank"})).await, "on");
    field_error(&wc.post(&steps, json!({"step": "disburse", "on": on(day)})).await, "method");
    let before = wc.get("/api/v1/care-fund/ledger").await.body["balance_fen"].as_i64().unwrap();
    let r = wc.post(&steps, json!({"step": "disburse", "on": on(day), "method": "bank"})).await;
    assert_eq!(r.body["aid"]["status"], "disbursed", "{}", r.body);
    assert_eq!(r.body["aid"]["disbursed_fen"], 250_000);
    let after = wc.get("/api/v1/care-fund/ledger").await.body["balance_fen"].as_i64().unwrap();
    assert_eq!(before - after, 250_000);
    field_error(&wc.post(&steps, json!({"step": "disburse", "on": on(day), "method": "bank"})).await, "step");
    // Notes and objections are for those who review: another reader of the branch sees neither.
    let reader = t.account("gz_care_reader", "instructor", Some(gz_org), None).await;
    let seen = reader.get(&format!("/api/v1/care-aids/{aid}")).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    assert_eq!(seen.body["objections"], json!([]));
    assert_eq!(seen.body["aid"]["review_note"], "");
    assert!(seen.body["aid"]["family_situation"].is_null());

    // Renewed for next year: nothing typed again, and only once.
    let r = gz.post(&format!("/api/v1/care-aids/{aid}/renewal"), json!({})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["aid"]["year"], year + 1);
    assert_eq!(r.body["aid"]["student_name"], "周小雨");
    assert_eq!(r.body["aid"]["id_number"], shown);
    assert_eq!(r.body["aid"]["family_situation"], "父亲残疾，母亲务农，弟弟读初中");
    assert_eq!(r.body["aid"]["asked_fen"], 250_000);
    assert_eq!(r.body["aid"]["status"], "applied");
    assert_eq!(gz.post(&format!("/api/v1/care-aids/{aid}/renewal"), json!({})).await.status, StatusCode::CONFLICT);

    // An objection that holds stops an aid.
    let r = gz
        .post(
            "/api/v1/care-aids",
            json!({"org_id": gz_org, "year": year, "student_name": "何俊", "family_situation": "母亲患病", "school": "广州大学",
                   "grade": "大一", "asked": "2000"}),
        )
        .await;
    let other = r.body["aid"]["id"].as_i64().unwrap();
    let steps2 = format!("/api/v1/care-aids/{other}/steps");
    gz.post(&steps2, json!({"step": "review", "on": on(today())})).await;
    // One person does not review and decide: an application the county reviewed itself waits for another.
    let own = wc
        .post(
            "/api/v1/care-aids",
            json!({"org_id": gz_org, "year": year, "student_name": "罗一", "family_situation": "困难", "school": "某大学",
                   "grade": "大一", "asked": "1000"}),
        )
        .await;
    let own = own.body["aid"]["id"].as_i64().unwrap();
    wc.post(&format!("/api/v1/care-aids/{own}/steps"), json!({"step": "review", "on": on(today())})).await;
    let r = wc.post(&format!("/api/v1/care-aids/{own}/steps"), json!({"step": "decide", "on": on(today())})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = wc.post(&steps2, json!({"step": "decide", "on": on(today())})).await;
    assert_eq!(r.body["aid"]["status"], "notice", "{}", r.body);
    assert_eq!(r.body["aid"]["can_disburse"], false, "not while the notice runs");
    assert_eq!(r.body["aid"]["can_object"], true, "the county records an objection it receives too");
    assert_eq!(r.body["aid"]["can_handle"], true);
    let r = gz
        .post(
            &format!("/api/v1/care-aids/{other}/objections"),
            json!({"received_on": on(today()), "content": "已获其他全额资助"}),
        )
        .await;
    let o = r.body["objections"][0]["id"].as_i64().unwrap();
    let r = wc
        .post(
            &format!("/api/v1/care-aids/{other}/objections/{o}"),
            json!({"upheld": true, "handling": "属实，不再资助"}),
        )
        .await;
    assert_eq!(r.body["aid"]["status"], "rejected", "{}", r.body);
    assert!(r.body["aid"]["decision_note"].as_str().unwrap().contains("异议成立"));

    // The year's report lists the payment with the running balance; read back.
    let x = wc.get(&format!("/api/v1/care-fund/report.xlsx?year={}", day.year())).await;
    assert_eq!(x.status, StatusCode::OK);
    let rows = sheet(&x.bytes);
    let paid = rows.iter().find(|r| r.iter().any(|c| c.contains("周小雨"))).expect("the payment is in the report");
    assert!(paid.contains(&"2,500.00".to_string()), "{paid:?}");
    let p = wc.get(&format!("/api/v1/care-fund/report.pdf?year={}", 2010)).await;
    let text = pdf_pages(&p.bytes).join("\n");
    assert!(text.contains("2010年度“关爱工程”助学基金收支报告") && text.contains("资助"), "{text}");
}
crate::both!(a_student_from_application_to_payment);

/// Donations: exact fen, a receipt number once per county, a thank-you letter; and the fund never
/// pays more than it holds.
async fn donations_and_the_balance(t: TestApp) {
    let gz_org = t.org_id("广州吴川商会党支部").await;
    let gz = t.login("gz_branch").await;
    let wc = t.login("wuchuan_admin").await;
    let d = today().to_string();
    let r = gz
        .post(
            "/api/v1/care-donations",
            json!({"org_id": gz_org, "donor_kind": "company", "donor_name": "广州某建材有限公司", "amount": "50,000.05",
                   "received_on": d, "receipt_no": "GZ-T-001", "purpose": "资助新生"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["amount_fen"], 5_000_005);
    assert_eq!(r.body["amount"], "50,000.05");
    let again = gz
        .post(
            "/api/v1/care-donations",
            json!({"org_id": gz_org, "donor_kind": "person", "donor_name": "某", "amount": "1", "received_on": d, "receipt_no": "GZ-T-001"}),
        )
        .await;
    field_error(&again, "receipt_no");
    let bad = gz
        .post(
            "/api/v1/care-donations",
            json!({"org_id": gz_org, "donor_kind": "person", "donor_name": "", "amount": "0.001", "received_on": "2099-01-01", "receipt_no": ""}),
        )
        .await;
    for f in ["donor_name", "amount", "received_on", "receipt_no"] {
        field_error(&bad, f);
    }
    let letter = gz.get(&format!("/api/v1/care-donations/{}/letter.pdf", r.body["id"])).await;
    assert_eq!(letter.status, StatusCode::OK);
    let text = pdf_pages(&letter.bytes).join("\n");
    assert!(text.contains("感谢信") && text.contains("广州某建材有限公司") && text.contains("50,000.05"), "{text}");
    assert_eq!(
        t.login("jinxiang_admin")
            .await
            .get(&format!("/api/v1/care-donations/{}/letter.pdf", r.body["id"]))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // A donation entered by mistake is voided by the committee with a reason: kept, no longer counted.
    let did = r.body["id"].as_i64().unwrap();
    let void = format!("/api/v1/care-donations/{did}/void");
    assert_eq!(r.body["can_void"], false, "the branch does not void");
    assert_eq!(gz.post(&void, json!({"reason": "录错"})).await.status, StatusCode::FORBIDDEN);
    field_error(&wc.post(&void, json!({"reason": " "})).await, "reason");
    let held = wc.get("/api/v1/care-fund/ledger").await.body["balance_fen"].as_i64().unwrap();
    let v = wc.post(&void, json!({"reason": "重复登记，与收据 GZ-T-000 为同一笔"})).await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.body);
    assert_eq!(v.body["voided_on"], today().to_string());
    assert_eq!(v.body["can_void"], false);
    assert_eq!(wc.get("/api/v1/care-fund/ledger").await.body["balance_fen"].as_i64().unwrap(), held - 5_000_005);
    assert_eq!(wc.post(&void, json!({"reason": "再次"})).await.status, StatusCode::CONFLICT);
    assert_eq!(gz.get(&format!("/api/v1/care-donations/{did}/letter.pdf")).await.status, StatusCode::CONFLICT);
    let listed =
        items(&gz.get("/api/v1/care-donations?per_page=100").await.body).iter().find(|d| d["id"] == did).cloned();
    assert!(listed.is_some_and(|d| d["void_reason"].as_str().unwrap().contains("重复登记")), "kept in the list");

    // More than the fund holds is not paid.
    let balance = wc.get("/api/v1/care-fund/ledger").await.body["balance_fen"].as_i64().unwrap();
    let big = (balance / 100 + 1).min(10_000_000);
    let r = gz
        .post(
            "/api/v1/care-aids",
            json!({"org_id": gz_org, "year": today().year(), "student_name": "某生", "family_situation": "困难", "school": "某大学",
                   "grade": "大一", "asked": big.to_string()}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let aid = r.body["aid"]["id"].as_i64().unwrap();
    let steps = format!("/api/v1/care-aids/{aid}/steps");
    let d0 = today().to_string();
    gz.post(&steps, json!({"step": "review", "on": d0})).await;
    let r = wc.post(&steps, json!({"step": "decide", "on": d0})).await;
    assert_eq!(r.body["aid"]["status"], "notice", "{}", r.body);
    // The notice's days pass.
    t.sql_exec(&format!("UPDATE care_aids SET notice_until = '{}' WHERE id = {aid}", today() - Duration::days(1)))
        .await;
    if big * 100 > balance {
        let r = wc.post(&steps, json!({"step": "disburse", "on": today().to_string(), "method": "bank"})).await;
        field_error(&r, "step");
        assert!(r.body["errors"]["step"][0].as_str().unwrap().contains("基金余额"), "{}", r.body);
        assert_eq!(wc.get("/api/v1/care-fund/ledger").await.body["balance_fen"], balance);
    }
    // Every record written above carries its MAC (platform::integrity).
    t.assert_records_intact().await;
}
crate::both!(donations_and_the_balance);
