//! The policy library: Jinxiang's 119 policies from 31 departments, Chinese search that finds
//! two-character words with the matches marked, filters, expired policies out by default, and a
//! county's policies kept to its own people.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, items};

fn marked(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().filter(|s| s["hit"] == true).map(|s| s["text"].as_str().unwrap().to_string()).collect()
}

async fn policy_library_and_search(t: TestApp) {
    let jx = t.login("jinxiang_admin").await;
    let all = jx.get("/api/v1/policies?validity=all&per_page=200").await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    assert_eq!(all.body["total"], 119, "Jinxiang's 119 policies");
    let depts = all.body["departments"].as_array().unwrap();
    assert_eq!(depts.len(), 31);
    assert_eq!(depts.iter().map(|d| d["count"].as_u64().unwrap()).sum::<u64>(), 119);
    let current = jx.get("/api/v1/policies").await;
    let expired = jx.get("/api/v1/policies?validity=expired").await;
    let (c, e) = (current.body["total"].as_u64().unwrap(), expired.body["total"].as_u64().unwrap());
    assert!(e > 0 && c + e == 119, "expired policies drop out by default: {c} + {e}");
    assert!(items(&current.body).iter().all(|p| p["in_force"] == true));

    // Two-character words are found and marked: 税收 in titles and text, 补贴, 人才.
    for word in ["税收", "补贴", "人才"] {
        let r = jx.get(&format!("/api/v1/policies?q={word}&validity=all&per_page=200")).await;
        let found = items(&r.body);
        assert!(!found.is_empty(), "{word} is found");
        for p in found {
            let hits: Vec<String> = marked(&p["title_marked"]).into_iter().chain(marked(&p["excerpt"])).collect();
            assert!(hits.iter().all(|h| h == word), "{word}: only the word is marked: {hits:?}");
        }
        // The best matches first: a policy with the word in its title ranks above one with it only in the text.
        let in_title = |p: &Value| p["title"].as_str().unwrap().contains(word);
        if let Some(first_without) = found.iter().position(|p| !in_title(p)) {
            assert!(found[first_without..].iter().all(|p| !in_title(p)), "{word}: titles first");
        }
    }
    let tax = jx.get("/api/v1/policies?q=税收&validity=all&per_page=200").await;
    let tax_titles: Vec<&str> = items(&tax.body).iter().map(|p| p["title"].as_str().unwrap()).collect();
    assert!(tax_titles.iter().any(|t| t.contains("研发费用税前加计扣除")), "{tax_titles:?}");
    // A phrase: 人才补贴 is not 人才 … 补贴 anywhere; every word must occur.
    let phrase = jx.get("/api/v1/policies?q=安居补贴&validity=all").await;
    assert_eq!(phrase.body["total"], 1, "{}", phrase.body);
    let both = jx.get("/api/v1/policies?q=人才 住房&validity=all").await;
    assert!(items(&both.body).iter().all(|p| p["tags"].as_array().unwrap().iter().any(|t| t == "住房")
        || p["summary"].as_str().unwrap().contains("住房")
        || p["title"].as_str().unwrap().contains("住房")));
    let one_char = jx.get("/api/v1/policies?q=税&validity=all").await;
    assert!(one_char.body["total"].as_u64().unwrap() >= tax.body["total"].as_u64().unwrap());
    let nothing = jx.get("/api/v1/policies?q=量子纠缠").await;
    assert_eq!(nothing.body["total"], 0);
    let hostile = jx.get("/api/v1/policies?q=%22%20OR%20*%20NEAR(%27&validity=all").await;
    assert_eq!(hostile.status, StatusCode::OK, "operators are words: {}", hostile.body);

    // Filters: department, industry (policies limited to it or to none), size.
    let tax_dept =
        depts.iter().find(|d| d["department"]["name"] == "县税务局").unwrap()["department"]["id"].as_i64().unwrap();
    let by_dept = jx.get(&format!("/api/v1/policies?department={tax_dept}&validity=all")).await;
    assert_eq!(by_dept.body["total"], 5);
    assert!(items(&by_dept.body).iter().all(|p| p["department"]["id"] == tax_dept));
    let farm = jx.get("/api/v1/policies?industry=农林牧渔业&validity=all&per_page=200").await;
    assert!(items(&farm.body).iter().all(|p| {
        let i = p["industries"].as_array().unwrap();
        i.is_empty() || i.iter().any(|x| x == "农林牧渔业")
    }));
    assert!(farm.body["total"].as_u64().unwrap() < 119);
    let bad = jx.get("/api/v1/policies?industry=炼金术").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body["errors"]["industry"].is_array());

    // The county admin adds one; it is found at once by a word in its text, and an edit re-indexes it.
    let new = |title: &str, until: Value| {
        json!({"department_id": tax_dept, "doc_no": "金税发〔2026〕50号", "title": title,
               "summary": "对首次入库的科技型企业给予一次性奖励", "body": "第一条 为鼓励企业入库……入库奖励由县税务局审核。",
               "issued_on": "2026-11-01", "effective_from": "2026-11-10", "effective_until": until,
               "industries": ["制造业"], "sizes": ["small", "micro"], "tags": ["入库"]})
    };
    let backwards = jx.post("/api/v1/policies", new("科技型企业入库奖励办法", json!("2026-11-01"))).await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(backwards.body["errors"]["effective_until"].is_array(), "{}", backwards.body);
    let created = jx.post("/api/v1/policies", new("科技型企业入库奖励办法", Value::Null)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["policy"]["id"].as_i64().unwrap();
    let found = jx.get("/api/v1/policies?q=入库").await;
    assert_eq!(items(&found.body)[0]["id"], id);
    let edited = jx.patch(&format!("/api/v1/policies/{id}"), new("高成长企业认定奖励办法", Value::Null)).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(jx.get("/api/v1/policies?q=高成长").await.body["total"], 1);
    assert_eq!(
        jx.get("/api/v1/policies?q=科技型企业入库奖励办法").await.body["total"],
        0,
        "the old title is gone from the index"
    );

    // Scope: Wuchuan's people see none of Jinxiang's policies, and cannot edit one or file under its department.
    let wc = t.login("wuchuan_admin").await;
    let wc_lib = wc.get("/api/v1/policies?validity=all&per_page=200").await;
    assert_eq!(wc_lib.body["total"], 6, "Wuchuan's own library");
    assert!(items(&wc_lib.body).iter().all(|p| p["doc_no"].as_str().unwrap().starts_with("吴")));
    assert_eq!(wc.get(&format!("/api/v1/policies/{id}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(wc.patch(&format!("/api/v1/policies/{id}"), new("改", Value::Null)).await.status, StatusCode::NOT_FOUND);
    let foreign = wc.post("/api/v1/policies", new("借用金乡部门", Value::Null)).await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(foreign.body["errors"]["department_id"].is_array());
    let member = t.login("member_demo").await;
    assert_eq!(
        member.get("/api/v1/policies?validity=all").await.body["total"],
        6,
        "a Wuchuan member reads Wuchuan's library"
    );
    // A branch secretary reads the county's library but does not edit it.
    let gz = t.login("gz_branch").await;
    assert_eq!(gz.get("/api/v1/departments").await.status, StatusCode::OK);
    let lute_admin = t.account("lute_sec", "org_admin", Some(t.org_id("鲁特电工党支部").await), None).await;
    assert_eq!(lute_admin.get(&format!("/api/v1/policies/{id}")).await.status, StatusCode::OK);
    assert_eq!(
        lute_admin.patch(&format!("/api/v1/policies/{id}"), new("改", Value::Null)).await.status,
        StatusCode::FORBIDDEN
    );
}
crate::both!(policy_library_and_search);
