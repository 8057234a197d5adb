//! 党费 through the API: the base registered by the member's own branch (the salary sealed, shown to
//! the branch and the member only), the bracket's amount, a new salary from its month, payments month
//! by month (six months made up at most, never a month twice, ahead only by the quarter with consent),
//! collected by the branch receiving a member away and credited to them, arrears warned and flagged,
//! the summary by branch, the member's own on the phone.

use chrono::{Datelike, Duration, NaiveDate};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;

fn today() -> NaiveDate {
    (chrono::Utc::now() + Duration::hours(8)).date_naive()
}

fn month(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn months_back(n: u32) -> String {
    month(today().checked_sub_months(chrono::Months::new(n)).unwrap())
}

fn field_error(r: &crate::helpers::Resp, field: &str) {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", r.body);
    assert!(r.body["errors"][field].is_array(), "{field}: {}", r.body);
}

async fn dues_from_base_to_summary(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let gz = t.login("gz_branch").await;
    // A member away, received by the 广州 branch, whose dues nobody has registered yet.
    let gz_org = t.org_id("广州吴川商会党支部").await;
    let no_dues = "NOT EXISTS (SELECT 1 FROM dues_bases b WHERE b.member_id = m.id)";
    let demo = t
        .sql_i64(&format!(
            "SELECT m.id FROM members m JOIN mobility_records r ON r.member_id = m.id AND r.status = 'open' \
             AND r.direction = 'outflow' AND r.receiving_org_id = {gz_org} WHERE m.status = 'normal' AND {no_dues} \
             ORDER BY m.id LIMIT 1"
        ))
        .await;
    let home_org = w.get(&format!("/api/v1/members/{demo}")).await.body["org_id"].as_i64().unwrap();
    let branch = t.account("dues_branch", "org_admin", Some(home_org), None).await;

    // The base: the home branch sets it; the receiving branch may not; bad input names its field.
    let since = months_back(8);
    let bad = branch
        .put(&format!("/api/v1/members/{demo}/dues-base"), json!({"from": "2026-13", "category": "employed"}))
        .await;
    field_error(&bad, "from");
    field_error(&bad, "base");
    let farmer = branch
        .put(
            &format!("/api/v1/members/{demo}/dues-base"),
            json!({"from": since, "category": "farmer", "farmer": "1.5"}),
        )
        .await;
    field_error(&farmer, "farmer");
    let refused = gz
        .put(
            &format!("/api/v1/members/{demo}/dues-base"),
            json!({"from": since, "category": "employed", "base": "4000"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let r = branch
        .put(
            &format!("/api/v1/members/{demo}/dues-base"),
            json!({"from": since, "category": "employed", "base": "4,000"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["current"]["monthly_fen"], 4_000, "1 % of 4,000 yuan: {}", r.body);
    assert_eq!(r.body["current"]["base"], "4,000.00");
    let raw = t.sql_text(&format!("SELECT base_enc FROM dues_bases WHERE member_id = {demo}")).await;
    assert!(!raw.contains("400000"), "the salary is sealed at rest");
    // A raise from three months ago: 1.5 % from that month on.
    let raise = months_back(2);
    let r = branch
        .put(
            &format!("/api/v1/members/{demo}/dues-base"),
            json!({"from": raise, "category": "employed", "base": "6000"}),
        )
        .await;
    assert_eq!(r.body["current"]["monthly_fen"], 9_000, "{}", r.body);
    // The receiving branch reads the amounts it collects, not the salary; a reader only sees what is paid.
    let seen = gz.get(&format!("/api/v1/members/{demo}/dues")).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    assert!(seen.body["bases"].as_array().unwrap().iter().all(|b| b["base"].is_null()), "{}", seen.body);
    assert_eq!(seen.body["current"]["monthly_fen"], 9_000);
    assert_eq!(seen.body["can_collect"], true);
    assert_eq!(seen.body["can_set_base"], false);
    let reader = t.account("dues_reader", "instructor", Some(home_org), None).await;
    let read = reader.get(&format!("/api/v1/members/{demo}/dues")).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert!(read.body["current"]["monthly_fen"].is_null(), "the amount would give the salary away: {}", read.body);
    assert!(read.body["months"].as_array().unwrap().iter().all(|m| m["due_fen"].is_null()));
    assert!(!read.body.to_string().contains("9000"), "{}", read.body);

    // Payments: seven months back is too far; six is fine; never a month twice; ahead only by the quarter.
    let too_far = branch
        .post(
            &format!("/api/v1/members/{demo}/dues-payments"),
            json!({"months": [months_back(7)], "paid_on": today(), "method": "现金"}),
        )
        .await;
    field_error(&too_far, "months");
    let late = branch
        .post(
            &format!("/api/v1/members/{demo}/dues-payments"),
            json!({"months": [months_back(1)], "paid_on": today() - Duration::days(61), "method": "现金"}),
        )
        .await;
    field_error(&late, "paid_on");
    let huge = branch
        .post(
            &format!("/api/v1/members/{demo}/dues-payments"),
            json!({"months": [months_back(1)], "paid_on": today(), "method": "现金", "extra": "92233720368547758.07"}),
        )
        .await;
    field_error(&huge, "extra");
    let six: Vec<String> = (1..=6).rev().map(months_back).collect();
    // Collected by the 广州 branch receiving the member, credited to the member.
    let p = gz
        .post(
            &format!("/api/v1/members/{demo}/dues-payments"),
            json!({"months": six, "paid_on": today(), "method": "微信"}),
        )
        .await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
    let pay = &p.body["payments"][0];
    assert_eq!(pay["collected_by"]["name"], "广州吴川商会党支部", "{pay}");
    // Four months at 40 yuan and two at 90 (the raise): exact fen.
    assert_eq!(pay["amount_fen"], 4 * 4_000 + 2 * 9_000, "{pay}");
    let again = branch
        .post(
            &format!("/api/v1/members/{demo}/dues-payments"),
            json!({"months": [months_back(1)], "paid_on": today(), "method": "现金"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    let next = month(today().checked_add_months(chrono::Months::new(1)).unwrap());
    let ahead = branch
        .post(
            &format!("/api/v1/members/{demo}/dues-payments"),
            json!({"months": [month(today()), next], "paid_on": today(), "method": "现金"}),
        )
        .await;
    field_error(&ahead, "months");
    // A voluntary extra of 1,000 yuan or more is remitted to the Central Committee; dues made up are not.
    assert_eq!(p.body["payments"][0]["remitted"], false);
    let big = branch
        .post(
            &format!("/api/v1/members/{demo}/dues-payments"),
            json!({"months": [month(today())], "paid_on": today(), "method": "银行转账", "extra": "1000"}),
        )
        .await;
    assert_eq!(big.status, StatusCode::CREATED, "{}", big.body);
    assert_eq!(big.body["payments"][0]["remitted"], true);
    assert_eq!(big.body["payments"][0]["extra_fen"], 100_000);
    // Months 8 and 7 back stay unpaid (made up no more); nothing behind since.
    assert_eq!(big.body["unpaid"].as_array().unwrap().len(), 2, "{}", big.body);
    assert_eq!(big.body["months_behind"], 0);
    assert_eq!(big.body["warn"], false);
    // Paid months keep their dues: a new base starts after them.
    let over = branch
        .put(
            &format!("/api/v1/members/{demo}/dues-base"),
            json!({"from": months_back(1), "category": "employed", "base": "9000"}),
        )
        .await;
    field_error(&over, "from");

    // A member sees their own (the demo's year of dues for member_demo), and cannot record payments.
    let mine = t.login("member_demo").await.get("/api/v1/me/dues").await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    assert!(mine.body["current"].is_object() && !mine.body["months"].as_array().unwrap().is_empty(), "{}", mine.body);
    assert_eq!(mine.body["can_collect"], false);

    // Behind three months → warned; six → for the branch. The summary counts them by branch.
    let other = t
        .sql_i64(&format!(
            "SELECT m.id FROM members m WHERE m.org_id = {home_org} AND m.status = 'normal' AND m.id <> {demo} AND {no_dues} \
             ORDER BY m.id LIMIT 1"
        ))
        .await;
    branch
        .put(&format!("/api/v1/members/{other}/dues-base"), json!({"from": months_back(6), "category": "student"}))
        .await;
    // Six months before this one unpaid (this month may still be paid): for the branch to handle.
    let d = branch.get(&format!("/api/v1/members/{other}/dues")).await.body;
    assert_eq!(d["months_behind"], 6, "{d}");
    assert_eq!(d["act"], true);
    assert_eq!(d["unpaid_fen"], 6 * 20);
    let s = w.get(&format!("/api/v1/dues/summary?org={home_org}")).await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.body);
    let row =
        s.body["rows"].as_array().unwrap().iter().find(|r| r["org"]["id"] == home_org).expect("the branch").clone();
    assert!(row["to_act"].as_u64().unwrap() >= 1, "{row}");
    assert!(row["paid_fen"].as_i64().unwrap() > 0, "{row}");

    // The ledger (党费收缴登记表) as xlsx and PDF, read back: the branch's members, the months marked, the
    // six behind; for those who collect only.
    // The year of last month, so that an owed month stands in it on any day (in January: last year).
    let ledger_year = today().checked_sub_months(chrono::Months::new(1)).unwrap().year();
    let x = branch.get(&format!("/api/v1/dues/ledger.xlsx?org={home_org}&year={ledger_year}")).await;
    assert_eq!(x.status, StatusCode::OK, "{}", x.body);
    let rows = crate::helpers::sheet(&x.bytes);
    let all = rows.iter().map(|r| r.join("|")).collect::<Vec<_>>().join("\n");
    assert!(all.contains("年度党费收缴登记表"), "{all}");
    let other_name = w.get(&format!("/api/v1/members/{other}")).await.body["name"].as_str().unwrap().to_string();
    let line = rows.iter().find(|r| r.contains(&other_name)).unwrap_or_else(|| panic!("{other_name} in {all}"));
    assert!(line.contains(&"学生".to_string()) && line.contains(&"0.20".to_string()), "{line:?}");
    assert_eq!(line.last().map(String::as_str), Some("6"), "six months behind: {line:?}");
    assert!(line.iter().filter(|c| *c == "欠").count() >= 1, "{line:?}");
    let pdf = branch.get(&format!("/api/v1/dues/ledger.pdf?org={home_org}&year={ledger_year}")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    let text = crate::helpers::pdf_pages(&pdf.bytes).join("\n");
    assert!(text.contains("党费收缴登记表") && text.contains(&other_name), "{text}");
    assert_eq!(reader.get(&format!("/api/v1/dues/ledger.xlsx?org={home_org}")).await.status, StatusCode::FORBIDDEN);

    // Another county reaches none of it.
    let jx = t.login("jinxiang_admin").await;
    assert_eq!(jx.get(&format!("/api/v1/members/{demo}/dues")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(jx.get(&format!("/api/v1/dues/summary?org={home_org}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(jx.get(&format!("/api/v1/dues/ledger.pdf?org={home_org}")).await.status, StatusCode::NOT_FOUND);
    // Every record written above carries its MAC (platform::integrity).
    t.assert_records_intact().await;
}
crate::both!(dues_from_base_to_summary);
