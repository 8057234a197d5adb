//! 组织关系转接 through the API: a request inside the system waits for the receiver, who accepts it (the member
//! moves, out of the sender's sight) or sends it back with a reason; one transfer at a time; the sender stays
//! responsible until then. A letter to an organisation outside the system is numbered, printed as the
//! three-part form with its validity in Chinese numerals and the dues paid, listed as overdue a month on,
//! and ends with its receipt (the member 已转出). A letter from outside registers the member and prints the
//! receipt slip. Nothing of it is reached from another county.

use chrono::{Duration, NaiveDate};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, items};

fn today() -> NaiveDate {
    (chrono::Utc::now() + Duration::hours(8)).date_naive()
}

async fn request_accept_refuse_and_one_at_a_time(t: TestApp) {
    let gz = t.login("gz_branch").await;
    let gz_org = t.org_id("广州吴川商会党支部").await;
    // The demo's request from a Wuchuan home branch, waiting for the chamber branch.
    let inbox = gz.get("/api/v1/transfers?direction=in&status=requested").await;
    assert_eq!(inbox.status, StatusCode::OK, "{}", inbox.body);
    let waiting = items(&inbox.body)
        .iter()
        .find(|x| x["kind"] == "within" && x["to_org_id"] == gz_org)
        .expect("a request to the chamber branch")
        .clone();
    assert_eq!(waiting["can_accept"], true);
    assert_eq!(waiting["can_cancel"], false, "the receiver does not withdraw");
    let (id, member) = (waiting["id"].as_i64().unwrap(), waiting["member_id"].as_i64().unwrap());
    let home_org = waiting["from_org_id"].as_i64().unwrap();
    let home = t.account("tr_home", "org_admin", Some(home_org), None).await;
    // Until it is accepted the member is the sender's: the receiver cannot open the record yet.
    assert_eq!(gz.get(&format!("/api/v1/members/{member}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(home.get(&format!("/api/v1/members/{member}")).await.status, StatusCode::OK);
    let summary = gz.get("/api/v1/transfers/summary").await;
    assert!(summary.body["waiting_in"].as_u64().unwrap() >= 1, "{}", summary.body);
    // The sender may not accept for the receiver; a day before the request is refused.
    let r = home.post(&format!("/api/v1/transfers/{id}/accept"), json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = gz.post(&format!("/api/v1/transfers/{id}/accept"), json!({"on": today() - Duration::days(30)})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body["errors"]["on"].to_string().contains("不能早于"), "{}", r.body);
    let r = gz.post(&format!("/api/v1/transfers/{id}/accept"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "accepted");
    assert_eq!(r.body["status_label"], "已接收");
    let m = gz.get(&format!("/api/v1/members/{member}")).await;
    assert_eq!(m.status, StatusCode::OK, "{}", m.body);
    assert_eq!(m.body["org_id"], gz_org);
    assert_eq!(home.get(&format!("/api/v1/members/{member}")).await.status, StatusCode::NOT_FOUND);
    let again = gz.post(&format!("/api/v1/transfers/{id}/accept"), json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    // The sender still sees the transfer in its history.
    let out = home.get(&format!("/api/v1/transfers?direction=out&member_id={member}")).await;
    assert_eq!(items(&out.body)[0]["status"], "accepted", "{}", out.body);

    // The chamber branch asks a 金乡 branch to take one of its members: found by name anywhere.
    let found = gz.get("/api/v1/transfers/destinations?q=%E9%B2%81%E7%89%B9").await; // 鲁特
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    let jx =
        found.body.as_array().unwrap().iter().find(|o| o["name"] == "鲁特电工党支部").expect("鲁特电工党支部").clone();
    assert_eq!(jx["county_name"], "中共金乡县委员会", "{jx}");
    let short = gz.get("/api/v1/transfers/destinations?q=%E9%B2%81").await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mover = t.member_in_org(gz_org).await;
    let req = gz
        .post("/api/v1/transfers", json!({"member_id": mover, "to_org_id": jx["id"], "note": "随配偶赴金乡工作"}))
        .await;
    assert_eq!(req.status, StatusCode::CREATED, "{}", req.body);
    assert_eq!(req.body["status"], "requested");
    let tid = req.body["id"].as_i64().unwrap();
    // One transfer at a time: another request, a letter or a direct move waits for this one.
    let dup = gz.post("/api/v1/transfers", json!({"member_id": mover, "to_org_id": jx["id"]})).await;
    assert_eq!(dup.status, StatusCode::CONFLICT, "{}", dup.body);
    assert!(dup.body.to_string().contains("尚未办结"), "{}", dup.body);
    let letter = gz
        .post(
            "/api/v1/transfers/letters",
            json!({"member_id": mover, "to_name": "中共某区委组织部", "issued_on": today()}),
        )
        .await;
    assert_eq!(letter.status, StatusCode::CONFLICT, "{}", letter.body);
    // Jinxiang's worker sees it coming in; the chamber branch cannot decide it; Jinxiang sends it back.
    let jx_admin = t.login("jinxiang_admin").await;
    let incoming = jx_admin.get("/api/v1/transfers?direction=in&status=requested").await;
    assert!(items(&incoming.body).iter().any(|x| x["id"] == tid), "{}", incoming.body);
    assert_eq!(
        gz.post(&format!("/api/v1/transfers/{tid}/refuse"), json!({"reason": "不接收"})).await.status,
        StatusCode::FORBIDDEN
    );
    let empty = jx_admin.post(&format!("/api/v1/transfers/{tid}/refuse"), json!({"reason": " "})).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", empty.body);
    assert!(empty.body["errors"]["reason"].to_string().contains("退回原因"), "{}", empty.body);
    let back = jx_admin.post(&format!("/api/v1/transfers/{tid}/refuse"), json!({"reason": "本人尚未到金乡就业"})).await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    assert_eq!(back.body["status"], "refused");
    assert_eq!(back.body["reason"], "本人尚未到金乡就业");
    // Jinxiang never saw the member's record; the member stayed.
    assert_eq!(jx_admin.get(&format!("/api/v1/members/{mover}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(gz.get(&format!("/api/v1/members/{mover}")).await.body["org_id"], gz_org);
    // Asked again and withdrawn by the sender.
    let again = gz.post("/api/v1/transfers", json!({"member_id": mover, "to_org_id": jx["id"]})).await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    let aid = again.body["id"].as_i64().unwrap();
    assert_eq!(
        jx_admin.post(&format!("/api/v1/transfers/{aid}/cancel"), json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let w = gz.post(&format!("/api/v1/transfers/{aid}/cancel"), json!({"reason": "本人暂缓"})).await;
    assert_eq!(w.status, StatusCode::OK, "{}", w.body);
    assert_eq!(w.body["status"], "cancelled");
    // Another county's worker neither sees nor reaches the chamber branch's transfers.
    let list = jx_admin.get("/api/v1/transfers").await;
    assert!(!items(&list.body).iter().any(|x| x["id"] == id), "{}", list.body);
    assert_eq!(jx_admin.get(&format!("/api/v1/transfers/{id}")).await.status, StatusCode::NOT_FOUND);
    // A request to an organisation that holds no members is refused by field.
    let county = t.org_id("中共吴川市委员会").await;
    let bad = gz.post("/api/v1/transfers", json!({"member_id": mover, "to_org_id": county})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body["errors"]["to_org_id"].to_string().contains("党支部"), "{}", bad.body);
}
crate::both!(request_accept_refuse_and_one_at_a_time);

async fn letters_out_and_in(t: TestApp) {
    let gz = t.login("gz_branch").await;
    let gz_org = t.org_id("广州吴川商会党支部").await;
    let year = chrono::Datelike::year(&today());
    // The demo's overdue letter is listed; the one within the month is not.
    let overdue = gz.get("/api/v1/transfers?direction=out&overdue=true").await;
    assert_eq!(overdue.status, StatusCode::OK, "{}", overdue.body);
    let late = items(&overdue.body);
    assert!(
        late.iter().any(|x| x["to_name"] == "中共广州市天河区委组织部" && x["overdue"] == true),
        "{}",
        overdue.body
    );
    assert!(!late.iter().any(|x| x["to_name"] == "中共深圳市宝安区委组织部"), "{}", overdue.body);
    assert!(gz.get("/api/v1/transfers/summary").await.body["letters_overdue"].as_u64().unwrap() >= 1);

    // A new letter: validation by field, then numbered after the demo's letters of the year.
    let member = t.member_in_org(gz_org).await;
    let bad = gz
        .post(
            "/api/v1/transfers/letters",
            json!({"member_id": member, "to_name": "", "issued_on": today() + Duration::days(1), "valid_days": 200}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    for f in ["to_name", "issued_on", "valid_days"] {
        assert!(bad.body["errors"][f].is_array(), "{f}: {}", bad.body);
    }
    let l = gz
        .post(
            "/api/v1/transfers/letters",
            json!({"member_id": member, "to_name": "中共湛江市赤坎区委组织部", "destination": "湛江市赤坎区某公司",
                   "issued_on": today(), "valid_days": 45}),
        )
        .await;
    assert_eq!(l.status, StatusCode::CREATED, "{}", l.body);
    assert_eq!(l.body["status"], "issued");
    let no = l.body["letter_no"].as_str().unwrap().to_string();
    assert!(no.starts_with(&format!("〔{year}〕")), "{no}");
    let due = l.body["receipt_due_on"].as_str().unwrap().to_string();
    assert_eq!(due, today().checked_add_months(chrono::Months::new(1)).unwrap().to_string());
    assert_eq!(l.body["overdue"], false);
    let lid = l.body["id"].as_i64().unwrap();
    // The member stays with the branch until the receipt comes back.
    assert_eq!(gz.get(&format!("/api/v1/members/{member}")).await.body["status"], "normal");

    // The printed letter: three parts, the validity in Chinese numerals, the ID number in full (audited).
    let pdf = gz.get(&format!("/api/v1/transfers/{lid}/letter.pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
    let text = crate::helpers::pdf_pages(&pdf.bytes).join("\n").replace([' ', '\n'], "");
    for part in [
        "中国共产党党员组织关系介绍信（存根）",
        "中国共产党党员组织关系介绍信回执",
        "中共湛江市赤坎区委组织部",
        "有效期四十五天",
        "请转接组织关系",
        "特此回复",
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }
    let unmasked = gz.post(&format!("/api/v1/members/{member}/unmask"), json!({"reason": "核对介绍信"})).await;
    let id_number = unmasked.body["id_number"].as_str().unwrap().to_string();
    assert!(text.contains(&id_number), "the ID number in full");
    assert!(text.contains(&honglian_domain::party_affairs::transfers::chinese_date(today())), "the date in words");
    let audited = t
        .sql_i64(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'member.unmask' AND object_id = '{member}'"
        ))
        .await;
    assert!(audited >= 2, "the printing is audited as an unmask");
    // Without the unmask permission the letter is not printed.
    let reader = t.account("tr_reader", "instructor", Some(gz_org), None).await;
    assert_eq!(reader.get(&format!("/api/v1/transfers/{lid}/letter.pdf")).await.status, StatusCode::FORBIDDEN);

    // The receipt comes back: the member is 已转出.
    let early = gz.post(&format!("/api/v1/transfers/{lid}/receipt"), json!({"on": today() - Duration::days(1)})).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", early.body);
    let back = gz.post(&format!("/api/v1/transfers/{lid}/receipt"), json!({"on": today()})).await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    assert_eq!(back.body["status"], "returned");
    assert_eq!(gz.get(&format!("/api/v1/members/{member}")).await.body["status"], "transferred_out");

    // A letter from outside registers the member; an expired letter or a bad ID number is refused by field.
    let id = crate::helpers::id_number("440904", 1988, 5, 6, 31);
    let body = |issued: NaiveDate, id: &str| {
        json!({"org_id": gz_org, "letter_no": "电组转〔2026〕88", "from_name": "中共茂名市电白区委组织部",
               "issued_on": issued, "valid_days": 30, "dues_paid_to": format!("{year}-01"),
               "member": {"name": "冯志强", "id_number": id, "category": "full", "joined_on": "2012-07-01",
                          "full_on": "2013-07-01", "phone": "13800138031"}})
    };
    let expired = gz.post("/api/v1/transfers/incoming", body(today() - Duration::days(40), &id)).await;
    assert_eq!(expired.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", expired.body);
    assert!(expired.body["errors"]["issued_on"].to_string().contains("过期"), "{}", expired.body);
    let wrong = gz.post("/api/v1/transfers/incoming", body(today(), "440904198805060000")).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong.body);
    assert!(wrong.body["errors"]["member.id_number"].is_array(), "{}", wrong.body);
    let reg = gz.post("/api/v1/transfers/incoming", body(today() - Duration::days(3), &id)).await;
    assert_eq!(reg.status, StatusCode::CREATED, "{}", reg.body);
    assert_eq!(reg.body["status"], "registered");
    let new_member = reg.body["member_id"].as_i64().unwrap();
    let m = gz.get(&format!("/api/v1/members/{new_member}")).await;
    assert_eq!(m.body["name"], "冯志强");
    assert_eq!(m.body["org_id"], gz_org);
    assert_ne!(m.body["id_number"], id, "masked in the record");
    // Registered twice: the ID number is a member already.
    let twice = gz.post("/api/v1/transfers/incoming", body(today(), &id)).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.body);
    // The receipt slip to send back: addressed to the sender, naming the member.
    let rid = reg.body["id"].as_i64().unwrap();
    let slip = gz.get(&format!("/api/v1/transfers/{rid}/receipt.pdf")).await;
    assert_eq!(slip.status, StatusCode::OK, "{}", slip.body);
    let text = crate::helpers::pdf_pages(&slip.bytes).join("\n").replace([' ', '\n'], "");
    for part in ["中国共产党党员组织关系介绍信回执", "中共茂名市电白区委组织部", "冯志强", "广州吴川商会党支部"]
    {
        assert!(text.contains(part), "{part} in {text}");
    }
    // Another county registers nothing into the chamber branch.
    let jx_admin = t.login("jinxiang_admin").await;
    let other = jx_admin
        .post("/api/v1/transfers/incoming", body(today(), &crate::helpers::id_number("440904", 1988, 5, 7, 32)))
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND, "{}", other.body);
}
crate::both!(letters_out_and_in);
