//! Every number from outside has a range: a page, a page size, a year, an id or an amount out of
//! range is a Chinese 422 under the field's own name, never a 500 or a panic.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Resp, TestApp};

/// A 422 whose `errors[field]` says, in Chinese, what `label` must be.
fn refused(r: &Resp, field: &str, label: &str) {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", r.body);
    let messages = r.body["errors"][field].as_array().unwrap_or_else(|| panic!("errors.{field}: {}", r.body));
    let text = messages.iter().filter_map(Value::as_str).collect::<String>();
    assert!(text.contains(label), "errors.{field} names {label}: {text}");
}

async fn out_of_range_input_is_refused_by_field(t: TestApp) {
    let admin = t.login("wuchuan_admin").await;

    // page and per_page, on every kind of list.
    for list in ["/api/v1/members", "/api/v1/orgs", "/api/v1/hosts", "/api/v1/ledgers/inflow", "/api/v1/notifications"]
    {
        for page in ["9223372036854775808", "0", "-1", "100001"] {
            refused(&admin.get(&format!("{list}?page={page}")).await, "page", "页码");
        }
        refused(&admin.get(&format!("{list}?per_page=100000000000000000000")).await, "per_page", "每页条数");
        refused(&admin.get(&format!("{list}?per_page=0")).await, "per_page", "每页条数");
        refused(&admin.get(&format!("{list}?page=abc")).await, "page", "页码");
        let last = admin.get(&format!("{list}?page=100000&per_page=200")).await;
        assert_eq!(last.status, StatusCode::OK, "{list}: {}", last.body);
        assert_eq!(last.body["items"], json!([]), "{list}: the last page there can be is empty");
    }

    // year, in a query and in a body.
    for path in ["/api/v1/duties/board", "/api/v1/duties", "/api/v1/tasks", "/api/v1/task-lists", "/api/v1/reviews"] {
        refused(&admin.get(&format!("{path}?year=-2147483648")).await, "year", "年度");
        refused(&admin.get(&format!("{path}?year=262144")).await, "year", "年度");
    }
    let board = admin.get("/api/v1/duties/board?year=2100").await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.body);
    let wuchuan = t.org_id("中共吴川市委员会").await;
    let list = admin.post("/api/v1/task-lists", json!({"org_id": wuchuan, "year": 99999, "title": "清单"})).await;
    refused(&list, "year", "年度");

    // id: in the path, in a query, in a body.
    refused(&admin.get("/api/v1/members/99999999999999999999").await, "id", "编号");
    refused(&admin.get("/api/v1/members/0").await, "id", "编号");
    refused(&admin.get("/api/v1/members?org=-5").await, "org", "编号");
    refused(&admin.get("/api/v1/duties/board?org=9223372036854775808").await, "org", "编号");
    let list = admin.post("/api/v1/task-lists", json!({"org_id": 1e30, "year": 2026, "title": "清单"})).await;
    assert_eq!(list.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", list.body);
    assert!(list.body["errors"]["org_id"][0].as_str().is_some_and(|m| m.contains("取值无效")), "{}", list.body);
    assert_eq!(admin.get("/api/v1/members/abc").await.status, StatusCode::NOT_FOUND);

    // amount: money in a body, as text and as a number.
    let jx = t.login("jinxiang_admin").await;
    let disburse = jx
        .post(
            "/api/v1/incentive-grants/1/disburse",
            json!({"amount": "92233720368547758.08", "disbursed_on": "2026-11-20", "voucher": "JX-9"}),
        )
        .await;
    assert!(disburse.status.is_client_error(), "{}", disburse.body);
    let mut criteria = jx.get("/api/v1/grant-criteria").await.body;
    criteria["tiers"][0]["amount"] = json!(1e300);
    let put = jx.put("/api/v1/grant-criteria", criteria).await;
    assert_eq!(put.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", put.body);
    assert!(put.body["errors"]["tiers[0].amount"].is_array(), "{}", put.body);
}
crate::both!(out_of_range_input_is_refused_by_field);
