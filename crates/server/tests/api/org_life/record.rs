//! The organisational-life record for a year (组织生活记录), printed: every meeting held, attendance and absentees.

use reqwest::StatusCode;

use crate::helpers::{TestApp, pdf_pages, sheet};

/// A branch's record for this year as PDF and xlsx: every activity the list shows, with its counts, and the
/// names of those absent or on leave; another county's branch is not found.
async fn record_pdf_lists_meetings_and_absentees(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let org = t.org_id("梅菉街道新华社区第一党支部").await;
    let year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    let list = w
        .get(&format!("/api/v1/activities?org={org}&from={year}-01-01&to={year}-12-31&status=active&per_page=200"))
        .await
        .body;
    let activities = list["items"].as_array().unwrap().clone();
    assert!(activities.len() > 3, "the demo holds meetings: {}", activities.len());
    // One absent and one on leave (with the reason) at the latest meeting that has begun (today's may not have).
    let now = chrono::Utc::now();
    let first = activities
        .iter()
        .find(|a| {
            a["start_at"].as_str().and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok()).is_some_and(|s| s <= now)
        })
        .expect("a meeting that has begun");
    let att = w.get(&format!("/api/v1/activities/{}/attendance", first["id"])).await.body;
    let people: Vec<_> = crate::helpers::items(&att).iter().filter(|p| p["away"].is_null()).take(2).cloned().collect();
    assert_eq!(people.len(), 2, "{att}");
    let put = w
        .put(
            &format!("/api/v1/activities/{}/attendance", first["id"]),
            serde_json::json!({"items": [
                {"member_id": people[0]["member_id"], "status": "absent"},
                {"member_id": people[1]["member_id"], "status": "leave", "reason": "外出务工"},
            ]}),
        )
        .await;
    assert!(put.status.is_success(), "{}", put.body);
    let x = w.get(&format!("/api/v1/activities.pdf?org={org}&year={year}")).await;
    assert_eq!(x.status, StatusCode::OK, "{}", x.body);
    if let Ok(dir) = std::env::var("HONGLIAN_PDF_SAMPLE") {
        std::fs::write(std::path::Path::new(&dir).join("record.pdf"), &x.bytes).unwrap();
    }
    let pages = pdf_pages(&x.bytes);
    let all: String = pages.join("\n");
    // Text extraction breaks lines inside cells; compare without line breaks and spaces.
    let flat: String = all.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(pages[0].contains(&format!("梅菉街道新华社区第一党支部{year}年组织生活记录")), "{}", pages[0]);
    assert!(pages[0].contains(&format!("共 {} 次活动", activities.len())));
    for (n, p) in pages.iter().enumerate() {
        assert!(
            p.contains("应到")
                && p.contains("请假及缺席人员")
                && p.contains(&format!("第 {} 页 共 {} 页", n + 1, pages.len()))
        );
    }
    for a in &activities {
        let topic: String = a["topic"].as_str().unwrap().chars().filter(|c| !c.is_whitespace()).collect();
        assert!(flat.contains(&topic), "{topic}");
    }
    let (absent, leave) = (people[0]["name"].as_str().unwrap(), people[1]["name"].as_str().unwrap());
    assert!(flat.contains(&format!("缺席：{absent}")), "the absentee by name");
    assert!(flat.contains(&format!("{leave}（外出务工）")), "on leave, with the reason");
    let rows = sheet(&w.get(&format!("/api/v1/activities.xlsx?org={org}&year={year}")).await.bytes);
    assert_eq!(rows.len(), 3 + activities.len());
    assert_eq!(&rows[2][..4], &["序号", "日期", "类型", "主题"]);
    // Oldest first.
    assert!(rows[3][1] <= rows[rows.len() - 1][1]);
    // Outside the caller's scope: as if it did not exist.
    let jx = t.login("jinxiang_admin").await;
    assert_eq!(jx.get(&format!("/api/v1/activities.pdf?org={org}&year={year}")).await.status, StatusCode::NOT_FOUND);
    let a = t.login("auditor").await;
    assert_eq!(a.get("/api/v1/audit-events?action=org_life.record_export").await.body["total"], 2);
}
crate::both!(record_pdf_lists_meetings_and_absentees);
