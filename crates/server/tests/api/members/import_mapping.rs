//! Rosters whose headers the importer does not know: the sheet is shown, the user says which column
//! is which, the mapping is saved per county and offered next time. And the example rosters of the
//! import page: a clean one that imports as it is, a messy one whose dry run reports its mistakes.

use reqwest::StatusCode;
use rust_xlsxwriter::Workbook;
use serde_json::{Value, json};

use crate::helpers::{Client, Resp, TestApp, id_number, sheet};

/// A roster with a title row and headers no template has (名字, 证件号码 …) on row 2.
fn unknown_headers(org: &str) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "梅岭村党员名单（2026年）").unwrap();
    for (c, h) in ["编号", "名字", "证件号码", "入党年月", "支部名称", "手机"].iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let people = [("冼文辉", id_number("440883", 1980, 5, 6, 61)), ("苏巧玲", id_number("440883", 1986, 9, 12, 62))];
    for (r, (name, id)) in people.iter().enumerate() {
        let r = r as u32 + 2;
        ws.write_string(r, 0, (r - 1).to_string()).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_string(r, 2, id).unwrap();
        ws.write_string(r, 3, "2010.07").unwrap();
        ws.write_string(r, 4, org).unwrap();
        ws.write_string(r, 5, "13800001111").unwrap();
    }
    wb.save_to_buffer().unwrap()
}

/// Uploads with a column mapping (a form field next to the file).
async fn upload_mapped(c: &Client, path: &str, bytes: Vec<u8>, mapping: &Value) -> Resp {
    let part = reqwest::multipart::Part::bytes(bytes).file_name("名单.xlsx");
    let form = reqwest::multipart::Form::new().text("mapping", mapping.to_string()).part("file", part);
    let r = c
        .http
        .post(format!("{}{path}", c.base))
        .header("X-CSRF-Token", c.csrf.clone().unwrap())
        .multipart(form)
        .send()
        .await
        .expect("request");
    let status = r.status();
    let headers = r.headers().clone();
    let bytes = r.bytes().await.unwrap_or_default();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Resp { status, body, headers, bytes: bytes.to_vec() }
}

fn column_of<'a>(preview: &'a Value, field: &str) -> &'a Value {
    &preview["columns"].as_array().unwrap().iter().find(|c| c["field"] == field).unwrap()["column"]
}

async fn unknown_headers_mapped_by_hand(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let org = "梅菉街道梅岭村第一党支部";
    let file = unknown_headers(org);

    // Nothing is guessed: the dry run shows the sheet's first rows and what it found.
    let r = w.upload("/api/v1/imports/members?dry_run=true", "名单.xlsx", file.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["valid"], 0);
    assert!(r.body["errors"][0]["message"].as_str().unwrap().contains("没有找到表头"), "{}", r.body);
    let p = &r.body["preview"];
    assert_eq!(p["rows"][0]["row"], 1);
    assert_eq!(p["rows"][1]["row"], 2);
    assert_eq!(p["rows"][1]["cells"], json!(["编号", "名字", "证件号码", "入党年月", "支部名称", "手机"]));
    let masked = p["rows"][2]["cells"][2].as_str().unwrap();
    assert!(masked.contains("****") && !masked.contains("4408831980"), "ID numbers are masked: {masked}");
    assert!(column_of(p, "name").is_null());
    assert_eq!(p["columns"].as_array().unwrap().iter().filter(|c| c["required"] == true).count(), 4);

    // A mapping that still lacks required columns: the preview again, saying which.
    let partial = json!({"header_row": 2, "columns": {"name": "B"}});
    let r = upload_mapped(&w, "/api/v1/imports/members?dry_run=true", file.clone(), &partial).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["errors"][0]["message"], "仍缺少必填列：身份证号、入党日期、所在党组织，请指定它们所在的列");
    assert_eq!(column_of(&r.body["preview"], "name"), "B");
    assert_eq!(r.body["preview"]["header_row"], 2);

    // A column twice: refused, naming both fields.
    let twice = json!({"header_row": 2, "columns": {"name": "B", "id_number": "b"}});
    let r = upload_mapped(&w, "/api/v1/imports/members?dry_run=true", file.clone(), &twice).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["errors"]["columns"][0].as_str().unwrap().contains("不能是同一列（B 列）"), "{}", r.body);

    // The full mapping: checked, then imported; 手机 (not mapped, not known) is listed as ignored.
    let full = json!({"header_row": 2, "columns": {"name": "B", "id_number": "C", "joined_on": "D", "org": "E"}});
    let r = upload_mapped(&w, "/api/v1/imports/members?dry_run=true", file.clone(), &full).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["errors"], json!([]), "{}", r.body);
    assert!(r.body["preview"].is_null());
    assert_eq!(r.body["valid"], 2);
    assert_eq!(r.body["header_row"], 2);
    assert_eq!(r.body["ignored_columns"], json!(["手机"]));
    let r = upload_mapped(&w, "/api/v1/imports/members", file.clone(), &full).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["written"], 2);
    let found = w.get("/api/v1/members?q=冼文辉").await;
    assert_eq!(found.body["total"], 1, "{}", found.body);
    assert_eq!(found.body["items"][0]["org_name"], org);

    // Saved under a name for the county (letters as typed become canonical), offered next time.
    let saved = w
        .post(
            "/api/v1/imports/members/mappings",
            json!({"name": "梅岭村名单", "header_row": 2, "columns": {"name": "b", "id_number": "3", "joined_on": "D", "org": "E"}}),
        )
        .await;
    assert_eq!(saved.status, StatusCode::CREATED, "{}", saved.body);
    assert_eq!(saved.body["columns"], json!({"id_number": "C", "joined_on": "D", "name": "B", "org": "E"}));
    // The same name again replaces it.
    let again = w
        .post(
            "/api/v1/imports/members/mappings",
            json!({"name": "梅岭村名单", "header_row": 2, "columns": {"name": "B", "id_number": "C", "joined_on": "D", "org": "E", "phone": "F"}}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    let list = w.get("/api/v1/imports/members/mappings").await;
    assert_eq!(list.status, StatusCode::OK);
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", list.body);
    assert_eq!(items[0]["name"], "梅岭村名单");
    assert_eq!(items[0]["columns"]["phone"], "F");
    assert!(list.body["fields"].as_array().unwrap().iter().any(|f| f["field"] == "org" && f["required"] == true));
    // A branch clerk of the same county sees it; another county does not.
    let gz = t.login("gz_branch").await.get("/api/v1/imports/members/mappings").await;
    assert_eq!(gz.body["items"][0]["name"], "梅岭村名单", "{}", gz.body);
    let jx = t.login("jinxiang_admin").await.get("/api/v1/imports/members/mappings").await;
    assert_eq!(jx.status, StatusCode::OK);
    assert_eq!(jx.body["items"], json!([]), "{}", jx.body);
    // A bad name or mapping is refused with the field named.
    let bad = w
        .post("/api/v1/imports/members/mappings", json!({"name": " ", "header_row": 2, "columns": {"name": "B"}}))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body["errors"]["name"].is_array(), "{}", bad.body);
    let bad = w
        .post("/api/v1/imports/members/mappings", json!({"name": "x", "header_row": 0, "columns": {"名字": "B"}}))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body["errors"]["header_row"].is_array() && bad.body["errors"]["columns"].is_array(), "{}", bad.body);
    // Saving is audited.
    let audit = t.login("auditor").await.get("/api/v1/audit-events?action=member.import_mapping.save").await.body;
    assert_eq!(audit["total"], 2, "{audit}");
}
crate::both!(unknown_headers_mapped_by_hand);

fn rows_of(report: &Value, kind: &str) -> Vec<(u64, String)> {
    report[kind]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["field"].as_str().unwrap().to_string()))
        .collect()
}

async fn example_rosters(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let clean = w.get("/api/v1/imports/members/examples/clean.xlsx").await;
    assert_eq!(clean.status, StatusCode::OK);
    let rows = sheet(&clean.bytes);
    assert!(rows[0][0].ends_with("党员花名册"), "{:?}", rows[0]);
    assert_eq!(rows[2][..3], ["序号", "姓名", "性别"]);
    let r = w.upload("/api/v1/imports/members?dry_run=true", "示例花名册.xlsx", clean.bytes.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["errors"], json!([]), "{}", r.body);
    assert_eq!(r.body["warnings"], json!([]), "{}", r.body);
    assert_eq!(r.body["header_row"], 3);
    assert_eq!(r.body["valid"], 8);
    assert_eq!(r.body["outflows"], 2);
    assert_eq!(r.body["sheet"], "党员花名册");

    // The messy one: each mistake at its row, the acceptable oddities not reported.
    let messy = w.get("/api/v1/imports/members/examples/messy.xlsx").await;
    assert_eq!(messy.status, StatusCode::OK);
    let r = w.upload("/api/v1/imports/members?dry_run=true", "有问题.xlsx", messy.bytes).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let errors = rows_of(&r.body, "errors");
    let want: Vec<(u64, String)> = [
        (5, "id_number"),
        (6, "id_number"),
        (7, "joined_on"),
        (9, "id_number"),
        (10, "org"),
        (11, "education"),
        (12, "birth_date"),
    ]
    .iter()
    .map(|(r, f)| (*r, f.to_string()))
    .collect();
    assert_eq!(errors, want, "{}", r.body["errors"]);
    let message = |row: u64| {
        r.body["errors"].as_array().unwrap().iter().find(|e| e["row"] == row).unwrap()["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(message(5).contains("存成了数字"), "{}", message(5));
    assert!(message(9).contains("与第 4 行的身份证号重复"), "{}", message(9));
    assert!(message(10).contains("找不到党组织"), "{}", message(10));
    let warnings = rows_of(&r.body, "warnings");
    assert!(warnings.contains(&(8, "id_number".into())), "{warnings:?}");
    assert!(warnings.contains(&(13, "destination".into())), "{warnings:?}");
    assert_eq!(r.body["rows"], 11);

    // Another county's example names its own branches and imports there.
    let jx = t.login("jinxiang_admin").await;
    let other = jx.get("/api/v1/imports/members/examples/clean.xlsx").await;
    assert_eq!(other.status, StatusCode::OK);
    assert_ne!(sheet(&other.bytes)[3][10], rows[3][10]);
    let r = jx.upload("/api/v1/imports/members?dry_run=true", "示例花名册.xlsx", other.bytes).await;
    assert_eq!(r.body["errors"], json!([]), "{}", r.body);
    assert_eq!(r.body["valid"], 8);
    // The clean one imports for real, with its mobile members' outflows.
    let r = w.upload("/api/v1/imports/members", "示例花名册.xlsx", clean.bytes).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["written"], 8);
    assert_eq!(r.body["outflows"], 2);
}
crate::both!(example_rosters);
