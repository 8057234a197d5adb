//! Service places: the demo's centres and stations, registering one, inspections against the venue
//! standard, spend in exact fen, "near me", and the county's own standard.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, items};

async fn places_and_the_venue_standard(t: TestApp) {
    let jx = t.login("jinxiang_admin").await;
    let root = t.org_id("中共金乡县委员会").await;
    let all = jx.get(&format!("/api/v1/service-places?org={root}")).await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    let count = |kind: &str| {
        all.body["by_kind"].as_array().unwrap().iter().find(|k| k["kind"] == kind).unwrap()["count"].clone()
    };
    assert_eq!(count("center"), 7, "一区域一中心: seven centres");
    assert_eq!(count("workshop_station"), 16, "红帆驿站");
    assert_eq!(count("courier_station"), 29, "蒜都骑士爱心驿站");
    assert_eq!(all.body["standard"], json!(["有场所", "有设施", "有标志", "有党旗", "有书报", "有制度"]));
    let kaisheng = items(&all.body).iter().find(|p| p["name"] == "凯盛商圈党群服务中心").unwrap().clone();
    for w in ["市场监管", "公安", "法院", "司法", "人社"] {
        assert!(kaisheng["windows"].as_array().unwrap().iter().any(|x| x == w), "{w} has a window");
    }
    let met = all.body["standard_met"].as_u64().unwrap();
    assert!(met > 0 && met < 52, "some places meet the whole standard, not all: {met}");
    // The total spend is the sum of the places' spend, to the fen.
    let sum: i64 = items(&all.body).iter().map(|p| p["spent_fen"].as_i64().unwrap()).sum();
    assert_eq!(all.body["spent_fen"].as_i64().unwrap(), sum);

    // A branch registers its workshop station; coordinates must lie on the earth, both or neither.
    let lute = t.org_id("鲁特电工党支部").await;
    let new = |lng: serde_json::Value, lat: serde_json::Value| {
        json!({"org_id": lute, "kind": "workshop_station", "name": "鲁特电工三车间红帆驿站", "address": "金乡县鲁特电工三车间",
               "lng": lng, "lat": lat, "windows": [], "ticked": ["有场所", "有设施"]})
    };
    let bad = jx.post("/api/v1/service-places", new(json!(190.0), json!(35.0))).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body["errors"]["lng"].is_array(), "{}", bad.body);
    let half = jx.post("/api/v1/service-places", new(json!(116.3), serde_json::Value::Null)).await;
    assert_eq!(half.status, StatusCode::UNPROCESSABLE_ENTITY);
    let created = jx.post("/api/v1/service-places", new(json!(116.331), json!(35.052))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["place"]["id"].as_i64().unwrap();
    assert_eq!(created.body["place"]["standard_met"], false);
    let unknown = jx
        .post(
            &format!("/api/v1/service-places/{id}/inspections"),
            json!({"inspected_on": "2026-11-01", "inspector": "王建华", "ticked": ["有电视"]}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body["errors"]["ticked"][0].as_str().unwrap().contains("有电视"));

    // An inspection that finds all six met makes the place meet the standard; history is kept.
    let six = ["有场所", "有设施", "有标志", "有党旗", "有书报", "有制度"];
    let inspected = jx
        .post(
            &format!("/api/v1/service-places/{id}/inspections"),
            json!({"inspected_on": "2026-11-20", "inspector": "王建华", "ticked": six, "note": "整改到位"}),
        )
        .await;
    assert_eq!(inspected.status, StatusCode::CREATED, "{}", inspected.body);
    assert_eq!(inspected.body["place"]["standard_met"], true);
    assert_eq!(inspected.body["inspections"][0]["note"], "整改到位");

    // Spend in exact fen: 0.1 + 0.2 yuan is 0.30, never a float's 0.30000000000000004.
    for amount in ["0.1", "0.2", "12,800.05"] {
        let r = jx
            .post(
                &format!("/api/v1/service-places/{id}/spends"),
                json!({"spent_on": "2026-11-21", "amount": amount, "purpose": "书报"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let detail = jx.get(&format!("/api/v1/service-places/{id}")).await;
    assert_eq!(detail.body["place"]["spent_fen"], 1_280_035);
    assert_eq!(detail.body["place"]["spent_yuan"], "12,800.35");
    let zero = jx
        .post(
            &format!("/api/v1/service-places/{id}/spends"),
            json!({"spent_on": "2026-11-21", "amount": "0", "purpose": "书报"}),
        )
        .await;
    assert_eq!(zero.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(zero.body["errors"]["amount"].is_array());

    // Near me: nearest first, in metres.
    let near = jx.get(&format!("/api/v1/service-places?org={root}&near_lng=116.331&near_lat=35.052")).await;
    let first = &items(&near.body)[0];
    assert_eq!(first["id"], id);
    assert_eq!(first["distance_m"], 0);
    let d: Vec<u64> = items(&near.body).iter().filter_map(|p| p["distance_m"].as_u64()).collect();
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "sorted by distance");

    // The county sets its own standard; Wuchuan's stays 六有; another county's admin cannot set Jinxiang's.
    let set =
        jx.put("/api/v1/service-places/standard", json!({"items": ["有场所", "有标志", "有制度", "有网络"]})).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let after = jx.get(&format!("/api/v1/service-places/{id}")).await;
    assert_eq!(after.body["standard"], json!(["有场所", "有标志", "有制度", "有网络"]));
    assert_eq!(after.body["place"]["standard_met"], false, "有网络 is not ticked yet");
    let wc = t.login("wuchuan_admin").await;
    assert_eq!(wc.get("/api/v1/service-places/standard").await.body, json!(six));

    // Scope: Wuchuan's admin neither sees nor edits a Jinxiang place; the 广州 branch sees its venue only.
    assert_eq!(wc.get(&format!("/api/v1/service-places/{id}")).await.status, StatusCode::NOT_FOUND);
    let edit = wc
        .patch(&format!("/api/v1/service-places/{id}"), json!({"kind": "center", "name": "改名", "address": "某地"}))
        .await;
    assert_eq!(edit.status, StatusCode::NOT_FOUND);
    let gz = t.login("gz_branch").await;
    let gz_org = t.org_id("广州吴川商会党支部").await;
    let own = gz.get(&format!("/api/v1/service-places?org={gz_org}")).await;
    let kinds: Vec<&str> = items(&own.body).iter().map(|p| p["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"chamber_venue") && kinds.contains(&"outflow_home"), "{kinds:?}");
    let moved = gz
        .post("/api/v1/service-places", json!({"org_id": t.org_id("深圳吴川商会党支部").await, "kind": "chamber_venue", "name": "x", "address": "y"}))
        .await;
    assert_eq!(moved.status, StatusCode::NOT_FOUND, "a place under another branch: {}", moved.body);
}
crate::both!(places_and_the_venue_standard);

/// A Wuchuan member working in Guangzhou finds their chamber's venue and the 服务之家 nearest first.
async fn a_member_finds_the_places_near_them(t: TestApp) {
    let m = t.login("member_demo").await;
    let near = m.get("/api/v1/me/service-places?near_lng=113.27&near_lat=23.13").await;
    assert_eq!(near.status, StatusCode::OK, "{}", near.body);
    let first: Vec<&str> = items(&near.body).iter().take(2).map(|p| p["name"].as_str().unwrap()).collect();
    assert!(first.iter().all(|n| n.contains("广州")), "the Guangzhou places first: {first:?}");
    assert!(items(&near.body)[0]["distance_m"].as_u64().unwrap() < 3_000);
    assert!(items(&near.body).iter().all(|p| !p["name"].as_str().unwrap().contains("蒜都")), "Wuchuan's places only");
    let half = m.get("/api/v1/me/service-places?near_lng=113.27").await;
    assert_eq!(half.status, StatusCode::UNPROCESSABLE_ENTITY);
    let admin = t.login("wuchuan_admin").await;
    assert_eq!(admin.get("/api/v1/me/service-places").await.status, StatusCode::FORBIDDEN, "not a member");
}
crate::both!(a_member_finds_the_places_near_them);
