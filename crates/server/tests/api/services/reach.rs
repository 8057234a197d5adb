//! Services reaching enterprises: an enterprise contact's account (granted by the security admin over an
//! enterprise of the coverage registry) that asks, follows and rates its own enterprise's requests and
//! nothing else; attachments on requests from either side; photos of service places.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, items};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n0000";
const PDF: &[u8] = b"%PDF-1.4 minimal";

async fn enterprise_contacts(t: TestApp) {
    let jx = t.login("jinxiang_admin").await;
    let qy = t.login("jx_qy01").await;

    // The demo contact sees their enterprise's requests only (asked by the contact or by the branch).
    let mine = qy.get("/api/v1/service-requests?per_page=100").await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    let list = items(&mine.body);
    assert!(!list.is_empty(), "the demo gives jx_qy01 requests");
    let host_name = list[0]["host_name"].as_str().unwrap().to_string();
    assert!(list.iter().all(|r| r["host_name"] == host_name.as_str()), "{}", mine.body);
    assert!(list.iter().any(|r| r["requester_kind"] == "enterprise"), "{}", mine.body);
    let total = mine.body["total"].as_u64().unwrap();
    assert!(total < jx.get("/api/v1/service-requests").await.body["total"].as_u64().unwrap());

    // The county's categories and policies are theirs to read.
    let cats = qy.get("/api/v1/request-categories").await;
    assert_eq!(cats.status, StatusCode::OK, "{}", cats.body);
    let market = items(&cats.body).iter().find(|c| c["name"] == "市场监管与质量").unwrap().clone();
    assert_eq!(qy.get("/api/v1/policies?q=补贴").await.status, StatusCode::OK);
    assert_eq!(qy.get("/api/v1/me/service-places").await.status, StatusCode::OK);
    // Nothing else of the county's.
    assert_eq!(qy.get("/api/v1/members").await.status, StatusCode::FORBIDDEN);
    assert_eq!(qy.get("/api/v1/service-requests/figures").await.status, StatusCode::FORBIDDEN);

    // They ask without naming the enterprise: it is theirs.
    let body = |extra: Value| {
        let mut b = json!({"category_id": market["id"], "title": "冷库扩建后的食品经营许可变更",
                           "description": "新建冷库 2 座，需要变更食品经营许可的仓储地址，请告知材料。"});
        b.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        b
    };
    let r = qy.post("/api/v1/service-requests", body(json!({}))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["request"]["requester_kind"], "enterprise");
    assert_eq!(r.body["request"]["host_name"], host_name.as_str());
    assert_eq!(r.body["request"]["department"]["name"], "县市场监督管理局");
    let id = r.body["request"]["id"].as_i64().unwrap();

    // Not for another enterprise, not on an organisation's behalf.
    let hosts = jx.get("/api/v1/hosts?kind=enterprise&per_page=50").await;
    let other = items(&hosts.body).iter().find(|h| h["name"] != host_name.as_str()).unwrap().clone();
    let wrong = qy.post("/api/v1/service-requests", body(json!({"host_id": other["id"]}))).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong.body);
    assert!(wrong.body["errors"]["host_id"].is_array());
    assert!(!wrong.body.to_string().contains(other["name"].as_str().unwrap()), "the refusal names no enterprise");
    let park = t.org_id("金乡经济开发区综合党委").await;
    let as_branch = qy.post("/api/v1/service-requests", body(json!({"org_id": park, "host_id": other["id"]}))).await;
    assert_eq!(as_branch.status, StatusCode::FORBIDDEN, "{}", as_branch.body);

    // Attachments from either side; the handler downloads what the enterprise sent.
    let up = qy.upload(&format!("/api/v1/service-requests/{id}/attachments"), "冷库平面图.pdf", PDF.to_vec()).await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    let file = up.body["id"].as_i64().unwrap();
    let text = qy.upload(&format!("/api/v1/service-requests/{id}/attachments"), "说明.txt", b"hello".to_vec()).await;
    assert_eq!(text.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.body["errors"]["file"].is_array(), "{}", text.body);
    let d05 = t.login("jx_d05").await;
    let detail = d05.get(&format!("/api/v1/service-requests/{id}")).await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
    assert_eq!(detail.body["attachments"][0]["filename"], "冷库平面图.pdf");
    let got = d05.get(&format!("/api/v1/service-requests/{id}/attachments/{file}")).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.bytes, PDF);
    let reply = d05.upload(&format!("/api/v1/service-requests/{id}/attachments"), "材料清单.png", PNG.to_vec()).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    // At most 20 files a request, from both sides together.
    for n in 2..20 {
        let r = qy
            .upload(&format!("/api/v1/service-requests/{id}/attachments"), &format!("现场{n}.png"), PNG.to_vec())
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let full = qy.upload(&format!("/api/v1/service-requests/{id}/attachments"), "多余.png", PNG.to_vec()).await;
    assert_eq!(full.body["errors"]["file"][0], "每件诉求最多 20 个附件", "{}", full.body);

    // A member's own request names no enterprise (its contacts would see it).
    let member = t.login("member_demo").await;
    let named = member
        .post(
            "/api/v1/service-requests",
            json!({"category_id": 0, "title": "x", "description": "y", "host_id": other["id"]}),
        )
        .await;
    assert_eq!(named.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", named.body);
    assert!(named.body["errors"]["host_id"].is_array(), "{}", named.body);

    // Another enterprise's contact, another county: nothing, not even the file.
    let qy2 = t.login("jx_qy02").await;
    assert_eq!(qy2.get(&format!("/api/v1/service-requests/{id}")).await.status, StatusCode::NOT_FOUND);
    let theirs = qy2.get("/api/v1/service-requests?per_page=100").await;
    assert!(items(&theirs.body).iter().all(|r| r["id"] != id && r["host_name"] != host_name.as_str()));
    let wc = t.login("wuchuan_admin").await;
    let leak = wc.get(&format!("/api/v1/service-requests/{id}/attachments/{file}")).await;
    assert_eq!(leak.status, StatusCode::NOT_FOUND);

    // The department answers, the contact rates; a closed request takes no more files.
    for (who, action) in [
        (&d05, json!({"action": "accept"})),
        (&d05, json!({"action": "reply", "note": "材料清单见附件，可网上办理。"})),
    ] {
        let r = who.post(&format!("/api/v1/service-requests/{id}/actions"), action).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let rated = qy
        .post(
            &format!("/api/v1/service-requests/{id}/actions"),
            json!({"action": "rate", "rating": "satisfied", "note": "很快"}),
        )
        .await;
    assert_eq!(rated.status, StatusCode::OK, "{}", rated.body);
    assert_eq!(rated.body["request"]["status"], "closed");
    let late = qy.upload(&format!("/api/v1/service-requests/{id}/attachments"), "补充.png", PNG.to_vec()).await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", late.body);

    // The security admin grants a new contact over an enterprise of the chosen organisation only.
    let sec = t.login("secadmin").await;
    // It lists the names of the organisation's enterprises, nothing else of the registry.
    assert_eq!(sec.get(&format!("/api/v1/hosts?org={park}")).await.status, StatusCode::FORBIDDEN);
    let park_hosts = sec.get(&format!("/api/v1/users/grant-hosts?org={park}")).await;
    assert_eq!(park_hosts.status, StatusCode::OK, "{}", park_hosts.body);
    let first = park_hosts.body[0].as_object().unwrap();
    assert_eq!(first.keys().collect::<Vec<_>>(), ["id", "name"], "{}", park_hosts.body);
    let park_host = park_hosts.body[0]["id"].clone();
    let u = sec
        .post("/api/v1/users", json!({"username": "qy_new", "display_name": "新企业联络人", "password": "Start@2026a"}))
        .await;
    assert_eq!(u.status, StatusCode::CREATED, "{}", u.body);
    let uid = u.body["id"].as_i64().unwrap();
    let grant = |body: Value| {
        let sec = &sec;
        async move { sec.post(&format!("/api/v1/users/{uid}/grants"), body).await }
    };
    let none = grant(json!({"role": "enterprise_contact", "org_id": park})).await;
    assert!(none.body["errors"]["host_id"].is_array(), "{}", none.body);
    let gz = t.org_id("广州吴川商会党支部").await;
    let elsewhere = grant(json!({"role": "enterprise_contact", "org_id": gz, "host_id": park_host})).await;
    assert!(elsewhere.body["errors"]["host_id"].is_array(), "{}", elsewhere.body);
    let handler = grant(json!({"role": "org_admin", "org_id": park, "host_id": park_host})).await;
    assert!(handler.body["errors"]["host_id"].is_array(), "{}", handler.body);
    let ok = grant(json!({"role": "enterprise_contact", "org_id": park, "host_id": park_host})).await;
    assert!(ok.status.is_success(), "{}", ok.body);
    assert_eq!(ok.body["grants"][0]["host_id"], park_host);
    assert!(ok.body["grants"][0]["host_name"].is_string());
}
crate::both!(enterprise_contacts);

async fn place_photos(t: TestApp) {
    let jx = t.login("jinxiang_admin").await;
    let park = t.org_id("金乡经济开发区综合党委").await;
    let place = jx.get(&format!("/api/v1/service-places?org={park}")).await.body["items"][0]["id"].as_i64().unwrap();
    let url = format!("/api/v1/service-places/{place}/photos");
    let doc = jx.upload(&url, "制度.pdf", PDF.to_vec()).await;
    assert_eq!(doc.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(doc.body["errors"]["file"][0], "阵地照片只接受 JPG、PNG 图片");
    let jpeg = [&[0xFF, 0xD8, 0xFF, 0xE0][..], b"jfif"].concat();
    let up = jx.upload(&url, "门头.jpg", jpeg.clone()).await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    let photo = up.body["id"].as_i64().unwrap();
    let detail = jx.get(&format!("/api/v1/service-places/{place}")).await;
    assert_eq!(detail.body["photos"][0]["id"], photo);
    assert_eq!(detail.body["place"]["photo_id"], photo);

    // On the phone: an enterprise contact of the county sees the card's photo; another county does not.
    let qy = t.login("jx_qy01").await;
    let near = qy.get("/api/v1/me/service-places").await;
    assert!(items(&near.body).iter().any(|p| p["id"] == place && p["photo_id"] == photo), "{}", near.body);
    let got = qy.get(&format!("{url}/{photo}")).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.bytes, jpeg);
    let member = t.login("member_demo").await;
    assert_eq!(member.get(&format!("{url}/{photo}")).await.status, StatusCode::NOT_FOUND);
    let wc = t.login("wuchuan_admin").await;
    assert_eq!(wc.upload(&url, "x.png", PNG.to_vec()).await.status, StatusCode::NOT_FOUND);
    assert_eq!(wc.delete(&format!("{url}/{photo}")).await.status, StatusCode::NOT_FOUND);

    // Removed (a second click is no error), and gone from the card.
    for _ in 0..2 {
        let r = jx.delete(&format!("{url}/{photo}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["photos"], json!([]));
        assert_eq!(r.body["place"]["photo_id"], Value::Null);
    }
    assert_eq!(qy.get(&format!("{url}/{photo}")).await.status, StatusCode::NOT_FOUND);
}
crate::both!(place_photos);
