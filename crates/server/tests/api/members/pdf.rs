//! Print-ready PDFs: the ledgers, read back as text.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{TestApp, pdf_pages, sheet};

/// The whole ledger as the list shows it (names and masked ID numbers), page by page of 200.
async fn ledger_items(c: &crate::helpers::Client, path: &str) -> Vec<Value> {
    let mut all = Vec::new();
    for page in 1.. {
        let r = c.get(&format!("{path}?per_page=200&page={page}")).await.body;
        let items = r["items"].as_array().unwrap().clone();
        let done = items.len() < 200;
        all.extend(items);
        if done {
            break;
        }
    }
    all
}

/// The outflow ledger as PDF: every member of the list, masked without a reason, the header row and the unit on
/// every page, 第 N 页 共 M 页; with a reason, ID numbers in clear; audited like the xlsx.
async fn ledger_pdf_reads_back(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let items = ledger_items(&w, "/api/v1/ledgers/outflow").await;
    assert!(items.len() > 60, "enough rows for several pages: {}", items.len());
    let x = w.get("/api/v1/ledgers/outflow.pdf").await;
    assert_eq!(x.status, StatusCode::OK, "{}", x.body);
    assert_eq!(x.headers["content-type"], "application/pdf");
    let cd = x.headers["content-disposition"].to_str().unwrap();
    assert!(cd.contains("filename*=UTF-8''") && cd.contains(".pdf"), "{cd}");
    if let Ok(dir) = std::env::var("HONGLIAN_PDF_SAMPLE") {
        std::fs::write(std::path::Path::new(&dir).join("outflow.pdf"), &x.bytes).unwrap();
    }
    let pages = pdf_pages(&x.bytes);
    let m = pages.len();
    assert!(m >= 2, "a long ledger spans pages: {m}");
    let all = pages.join("\n");
    for (n, page) in pages.iter().enumerate() {
        assert!(page.contains("外出党员台账"), "title on page {}", n + 1);
        assert!(page.contains("单位："), "unit on page {}", n + 1);
        assert!(page.contains("身份证号") && page.contains("接收党组织"), "header row on page {}: {page}", n + 1);
        let label = format!("第 {} 页 共 {m} 页", n + 1);
        assert!(page.contains(&label), "{label} on page {}", n + 1);
    }
    assert!(pages[0].contains(&format!("共 {} 人", items.len())), "the count on the first page");
    for i in &items {
        let name = i["name"].as_str().unwrap();
        assert!(all.contains(name), "{name} printed");
        let id = i["id_number"].as_str().unwrap();
        assert!(id.contains('*'), "masked in the list: {id}");
        assert!(all.contains(id), "the masked ID number {id} printed as the list shows it");
    }
    // The last row's 序号 is the count.
    assert!(pages[m - 1].contains(&items.len().to_string()), "{}", pages[m - 1]);

    // With a reason: ID numbers in clear (the county admin may unmask every row).
    let plain = w.get("/api/v1/ledgers/outflow.pdf?unmask_reason=%E6%A0%B8%E5%AF%B9%E5%8F%B0%E8%B4%A6").await;
    assert_eq!(plain.status, StatusCode::OK);
    let text = pdf_pages(&plain.bytes).join("\n");
    let xlsx =
        sheet(&w.get("/api/v1/ledgers/outflow.xlsx?unmask_reason=%E6%A0%B8%E5%AF%B9%E5%8F%B0%E8%B4%A6").await.bytes);
    let id_col = xlsx[2].iter().position(|h| h == "身份证号").unwrap();
    for r in &xlsx[3..] {
        assert_eq!(r[id_col].chars().count(), 18);
        assert!(text.contains(&r[id_col]), "{} in clear, as in the xlsx", r[id_col]);
    }
    assert!(!text.contains("****************"), "nothing masked");
    assert!(text.contains("含敏感信息"), "the confidentiality note");
    // Without the permission, no reason helps.
    let i = t.login("instructor").await;
    let denied = i.get("/api/v1/ledgers/outflow.pdf?unmask_reason=%E6%A0%B8%E5%AF%B9").await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    // Audited, with the format.
    let a = t.login("auditor").await;
    let ev = a.get("/api/v1/audit-events?action=ledger.export").await.body;
    assert_eq!(ev["total"], 3);
    assert_eq!(ev["items"][1]["detail"]["format"], "pdf");
    assert_eq!(ev["items"][1]["detail"]["unmasked"], true);
    assert_eq!(ev["items"][2]["detail"]["rows"], items.len());
}
crate::both!(ledger_pdf_reads_back);

/// The inflow and return ledgers print too, with their own columns; an empty one is one page that says so.
async fn ledger_pdf_other_ledgers(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    for (path, title, column) in [("inflow", "流入党员台账", "原所在党组织"), ("return", "回归党员台账", "回归日期")]
    {
        let items = ledger_items(&w, &format!("/api/v1/ledgers/{path}")).await;
        let x = w.get(&format!("/api/v1/ledgers/{path}.pdf")).await;
        assert_eq!(x.status, StatusCode::OK, "{}", x.body);
        let pages = pdf_pages(&x.bytes);
        let all = pages.join("\n");
        assert!(all.contains(title) && all.contains(column), "{path}");
        assert!(pages[0].contains(&format!("共 {} 人", items.len())), "{path}");
        for i in items.iter().take(50) {
            assert!(all.contains(i["name"].as_str().unwrap()), "{path}: {}", i["name"]);
        }
    }
    let empty = w.get("/api/v1/ledgers/return.pdf?from=1990-01-01&to=1990-01-02").await;
    let pages = pdf_pages(&empty.bytes);
    assert_eq!(pages.len(), 1);
    assert!(pages[0].contains("无记录") && pages[0].contains("第 1 页 共 1 页"), "{}", pages[0]);
}
crate::both!(ledger_pdf_other_ledgers);

/// The member roster (党员名册) of a branch, as PDF and as xlsx: the list's members, masked (birth year only) without
/// a reason, in clear with one; the header on every page.
async fn roster_pdf_and_xlsx(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let org = t.org_id("梅菉街道新华社区第一党支部").await;
    let list = w.get(&format!("/api/v1/members?org={org}&per_page=200")).await.body;
    let total = list["total"].as_u64().unwrap() as usize;
    assert!(total > 10, "{total}");
    let x = w.get(&format!("/api/v1/members.pdf?org={org}")).await;
    assert_eq!(x.status, StatusCode::OK, "{}", x.body);
    let pages = pdf_pages(&x.bytes);
    let all = pages.join("\n");
    assert!(pages[0].contains("梅菉街道新华社区第一党支部党员名册") && pages[0].contains(&format!("共 {total} 人")));
    for (n, p) in pages.iter().enumerate() {
        assert!(p.contains("公民身份号码") && p.contains(&format!("第 {} 页 共 {} 页", n + 1, pages.len())));
    }
    for m in list["items"].as_array().unwrap() {
        assert!(all.contains(m["name"].as_str().unwrap()));
        assert!(all.contains(m["id_number"].as_str().unwrap()), "masked as the list shows it");
    }
    let xlsx = sheet(&w.get(&format!("/api/v1/members.xlsx?org={org}")).await.bytes);
    assert_eq!(xlsx.len(), 3 + total, "title, subtitle, header and the members");
    assert_eq!(&xlsx[2][..3], &["序号", "姓名", "性别"]);
    let plain =
        w.get(&format!("/api/v1/members.pdf?org={org}&unmask_reason=%E6%A0%B8%E5%AF%B9%E5%90%8D%E5%86%8C")).await;
    let text = pdf_pages(&plain.bytes).join("\n");
    let clear = sheet(
        &w.get(&format!("/api/v1/members.xlsx?org={org}&unmask_reason=%E6%A0%B8%E5%AF%B9%E5%90%8D%E5%86%8C"))
            .await
            .bytes,
    );
    let id_col = clear[2].iter().position(|h| h == "公民身份号码").unwrap();
    for r in &clear[3..] {
        assert_eq!(r[id_col].chars().count(), 18, "{r:?}");
        assert!(text.contains(&r[id_col]));
    }
    let a = t.login("auditor").await;
    let ev = a.get("/api/v1/audit-events?action=member.export").await.body;
    assert_eq!(ev["total"], 4);
    assert_eq!(ev["items"][0]["detail"]["unmasked"], true);
    assert_eq!(ev["items"][3]["detail"]["format"], "pdf");
}
crate::both!(roster_pdf_and_xlsx);

/// A census's results (摸排结果) as PDF and xlsx: every entry the list shows, reached or not, with the progress.
async fn census_pdf_and_xlsx(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let campaigns = w.get("/api/v1/censuses").await.body;
    let c = campaigns["items"].as_array().and_then(|a| a.first().cloned()).unwrap_or_else(|| panic!("{campaigns}"));
    let id = c["id"].as_i64().unwrap();
    let entries = ledger_items(&w, &format!("/api/v1/censuses/{id}/entries")).await;
    assert_eq!(entries.len() as i64, c["total"].as_i64().unwrap());
    let x = w.get(&format!("/api/v1/censuses/{id}/entries.pdf")).await;
    assert_eq!(x.status, StatusCode::OK, "{}", x.body);
    let pages = pdf_pages(&x.bytes);
    let all = pages.join("\n");
    assert!(pages[0].contains("摸排结果") && pages[0].contains(&format!("共 {} 人", entries.len())), "{}", pages[0]);
    for (n, p) in pages.iter().enumerate() {
        assert!(p.contains("现所在地") && p.contains(&format!("第 {} 页 共 {} 页", n + 1, pages.len())));
    }
    for e in &entries {
        assert!(all.contains(e["member_name"].as_str().unwrap()), "{}", e["member_name"]);
    }
    let rows = sheet(&w.get(&format!("/api/v1/censuses/{id}/entries.xlsx")).await.bytes);
    assert_eq!(rows.len(), 3 + entries.len());
    let reached = rows[3..].iter().filter(|r| r[4] == "是").count() as i64;
    assert_eq!(reached, c["reached"].as_i64().unwrap(), "联系上 as the progress counts it");
    let a = t.login("auditor").await;
    assert_eq!(a.get("/api/v1/audit-events?action=census.export").await.body["total"], 2);
}
crate::both!(census_pdf_and_xlsx);
