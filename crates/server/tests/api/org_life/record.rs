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
    let mut absentees = 0;
    for a in &activities {
        let topic: String = a["topic"].as_str().unwrap().chars().filter(|c| !c.is_whitespace()).collect();
        assert!(flat.contains(&topic), "{topic}");
        let att = w.get(&format!("/api/v1/activities/{}/attendance", a["id"])).await.body;
        for p in crate::helpers::items(&att).iter().filter(|p| p["status"] == "absent").take(3) {
            absentees += 1;
            assert!(flat.contains(p["name"].as_str().unwrap()), "absentee {} of {topic}", p["name"]);
        }
    }
    assert!(absentees > 0, "the demo has absentees");
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
