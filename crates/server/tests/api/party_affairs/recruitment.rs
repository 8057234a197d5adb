//! 发展党员 through the API: an applicant filed by the 广州 chamber branch goes through all twenty-five
//! steps — each refused when too early or past its limit with the rule's reason, the higher committee's
//! steps refused to the branch and recorded by the 工商联 committee above it — is admitted (the
//! probationary member's record created from the pipeline) and converted (full from the probation's
//! end); the probation extended once; the procedure stopped; the county's local rules; reminders; the
//! probationary member's own steps on the phone; nothing of it reached from another county.

use chrono::{Duration, NaiveDate};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp};

fn today() -> NaiveDate {
    (chrono::Utc::now() + Duration::hours(8)).date_naive()
}

/// Days from the application to each step for a recruit who goes through without delay.
const STEP_DAYS: [i64; 25] = [
    0, 14, 190, 197, 200, 380, 560, 565, 568, 585, 588, 592, 625, 630, 640, 650, 700, 710, 712, 715, 800, 985, 1010,
    1040, 1050,
];

fn field_error(r: &crate::helpers::Resp, field: &str, says: &str) {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", r.body);
    let text = r.body["errors"][field].to_string();
    assert!(text.contains(says), "{field} should say {says}: {}", r.body);
}

/// The body that records step `no` on `on` (with what the step needs).
fn step_body(no: usize, on: NaiveDate) -> Value {
    match no {
        5 => json!({"step": no, "done_on": on, "people": ["陈志坚"]}),
        9 => json!({"step": no, "done_on": on, "people": ["陈志坚", "梁美玲"], "documents": ["入党介绍人意见"]}),
        11 => json!({"step": no, "done_on": on, "class_hours": 24}),
        // Thirty days: five working days whatever holidays fall inside.
        13 => {
            json!({"step": no, "done_on": on, "notice_from": on - Duration::days(30), "notice_to": on - Duration::days(1)})
        }
        _ => json!({"step": no, "done_on": on, "documents": ["记录"]}),
    }
}

struct Walk<'a> {
    branch: &'a Client,
    /// The committee above the branch (the 工商联 committee), and the county (the filing after approval).
    higher: &'a Client,
    county: &'a Client,
    id: i64,
    applied: NaiveDate,
}

impl Walk<'_> {
    fn day(&self, no: usize) -> NaiveDate {
        self.applied + Duration::days(STEP_DAYS[no - 1])
    }

    /// Records steps `from..=to` on time, each by the one it belongs to.
    async fn to(&self, from: usize, to: usize) -> Value {
        let mut last = Value::Null;
        for no in from..=to {
            let next = &self.branch.get(&format!("/api/v1/recruits/{}", self.id)).await.body["recruit"]["next"];
            assert_eq!(next["no"], no, "{next}");
            let who = match (no, next["by_higher"] == true) {
                (18, _) => self.county,
                (_, true) => self.higher,
                _ => self.branch,
            };
            let r = who.post(&format!("/api/v1/recruits/{}/steps", self.id), step_body(no, self.day(no))).await;
            assert_eq!(r.status, StatusCode::CREATED, "step {no}: {}", r.body);
            last = r.body;
        }
        last
    }
}

async fn r_member(c: &Client, id: i64) -> i64 {
    c.get(&format!("/api/v1/recruits/{id}")).await.body["recruit"]["member_id"].as_i64().expect("admitted")
}

async fn file(branch: &Client, org: i64, id_number: &str, applied: NaiveDate) -> i64 {
    let r = branch
        .post(
            "/api/v1/recruits",
            json!({"org_id": org, "name": "郑晓峰", "id_number": id_number, "phone": "13826590012",
                   "education": "bachelor", "occupation": "外贸业务员", "employer": "广州吴越贸易有限公司",
                   "applied_on": applied, "documents": ["入党申请书"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["recruit"]["id"].as_i64().unwrap()
}

async fn from_application_to_full_membership(t: TestApp) {
    let gz_org = t.org_id("广州吴川商会党支部").await;
    let county = t.org_id("中共吴川市委员会").await;
    let gz = t.login("gz_branch").await;
    let gsl = t.login("gsl_admin").await;
    let jinxiang = t.login("jinxiang_admin").await;
    let applied = today() - Duration::days(1100);
    let id_number = honglian_domain::IdNumber::synthesize("440802", NaiveDate::from_ymd_opt(1995, 6, 1).unwrap(), 970);

    // Bad input names its field; the branch files, not a committee; another county does not reach it.
    let r = gz
        .post(
            "/api/v1/recruits",
            json!({"org_id": gz_org, "name": " ", "id_number": "4408831995", "applied_on": today() + Duration::days(1)}),
        )
        .await;
    field_error(&r, "name", "姓名");
    field_error(&r, "id_number", "");
    let r = t
        .login("wuchuan_admin")
        .await
        .post(
            "/api/v1/recruits",
            json!({"org_id": county, "name": "某", "id_number": id_number.as_str(), "applied_on": applied}),
        )
        .await;
    field_error(&r, "org_id", "党支部");
    let r = jinxiang
        .post(
            "/api/v1/recruits",
            json!({"org_id": gz_org, "name": "某", "id_number": id_number.as_str(), "applied_on": applied}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let young = honglian_domain::IdNumber::synthesize("440802", today() - Duration::days(17 * 365), 971);
    let r = gz
        .post(
            "/api/v1/recruits",
            json!({"org_id": gz_org, "name": "某", "id_number": young.as_str(), "applied_on": today()}),
        )
        .await;
    field_error(&r, "applied_on", "年满十八岁");

    let id = file(&gz, gz_org, id_number.as_str(), applied).await;
    let sealed =
        t.sql_i64(&format!("SELECT COUNT(*) FROM recruits WHERE id_number_enc LIKE '%{}%'", id_number.as_str())).await;
    assert_eq!(sealed, 0, "the ID number is sealed at rest");
    let got = gz.get(&format!("/api/v1/recruits/{id}")).await;
    assert_eq!(got.status, StatusCode::OK);
    let view = &got.body["recruit"];
    assert!(!view.to_string().contains(id_number.as_str()), "masked: {view}");
    let masked = view["id_number"].as_str().unwrap();
    assert!(masked.starts_with("****************") && id_number.as_str().ends_with(&masked[16..]), "{view}");
    assert_eq!(view["role_label"], "入党申请人");
    assert_eq!(got.body["steps"].as_array().unwrap().len(), 25);
    assert_eq!(got.body["steps"][0]["done_on"], json!(applied));
    // Once each: the same person is not filed twice.
    let again = gz
        .post(
            "/api/v1/recruits",
            json!({"org_id": gz_org, "name": "郑晓峰", "id_number": id_number.as_str(), "applied_on": applied}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    // Another county sees nothing of it.
    assert_eq!(jinxiang.get(&format!("/api/v1/recruits/{id}")).await.status, StatusCode::NOT_FOUND);
    let r = jinxiang.post(&format!("/api/v1/recruits/{id}/steps"), step_body(2, applied)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);

    let wc = t.login("wuchuan_admin").await;
    let w = Walk { branch: &gz, higher: &gsl, county: &wc, id, applied };
    let post = |no: usize, body: Value| {
        let c = if matches!(no, 4 | 8 | 13 | 16 | 17 | 24) { &gsl } else { &gz };
        async move { c.post(&format!("/api/v1/recruits/{id}/steps"), body).await }
    };
    // The talk: after 30 days only with a reason. Steps go in order.
    field_error(&post(3, step_body(3, applied + Duration::days(200))).await, "step", "第 2 步");
    field_error(&post(2, step_body(2, applied + Duration::days(31))).await, "reason", "30 日内");
    field_error(&post(2, step_body(2, NaiveDate::from_ymd_opt(1800, 1, 1).unwrap())).await, "done_on", "日期无效");
    w.to(2, 2).await;
    // An activist six months after the application, not a day earlier.
    let six = applied.checked_add_months(chrono::Months::new(6)).unwrap();
    field_error(&post(3, step_body(3, six - Duration::days(1))).await, "done_on", &format!("最早可在 {six}"));
    w.to(3, 3).await;
    // Filing with the higher committee: not the branch's to record.
    let r = gz.post(&format!("/api/v1/recruits/{id}/steps"), step_body(4, w.day(4))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.body.to_string().contains("上级党委"), "{}", r.body);
    field_error(&post(4, json!({"step": 4, "done_on": w.day(4) + Duration::days(30000)})).await, "done_on", "今天");
    w.to(4, 4).await;
    field_error(&post(5, json!({"step": 5, "done_on": w.day(5), "people": []})).await, "people", "一至两名");
    w.to(5, 6).await;
    // A development target after a year as an activist.
    let year = w.day(3).checked_add_months(chrono::Months::new(12)).unwrap();
    field_error(&post(7, step_body(7, year - Duration::days(1))).await, "done_on", "一年以上");
    let r = post(7, step_body(7, year)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["recruit"]["role_label"], "发展对象");
    w.to(8, 8).await;
    field_error(
        &post(9, json!({"step": 9, "done_on": w.day(9), "people": ["陈志坚"]})).await,
        "people",
        "两名正式党员",
    );
    w.to(9, 10).await;
    field_error(
        &post(11, json!({"step": 11, "done_on": w.day(11), "training_days": 2})).await,
        "training_days",
        "3 天",
    );
    w.to(11, 12).await;
    // The notice: five working days at least, before the pre-review.
    let on = w.day(13);
    let short =
        json!({"step": 13, "done_on": on, "notice_from": on - Duration::days(2), "notice_to": on - Duration::days(1)});
    field_error(&post(13, short).await, "notice_to", "不少于 5 个工作日");
    w.to(13, 16).await;
    // Approval within three months of the meeting, six at most with a reason; the branch may not approve.
    let meeting = w.day(15);
    let three = meeting.checked_add_months(chrono::Months::new(3)).unwrap();
    let six = meeting.checked_add_months(chrono::Months::new(6)).unwrap();
    field_error(&post(17, step_body(17, three + Duration::days(1))).await, "reason", "三个月内审批");
    let late = json!({"step": 17, "done_on": six + Duration::days(1), "reason": "党委换届"});
    field_error(&post(17, late).await, "done_on", "不超过六个月");
    assert_eq!(
        gz.post(&format!("/api/v1/recruits/{id}/steps"), step_body(17, w.day(17))).await.status,
        StatusCode::FORBIDDEN
    );
    let admitted = w.to(17, 17).await;
    assert_eq!(admitted["recruit"]["role_label"], "预备党员");
    let member = admitted["recruit"]["member_id"].as_i64().expect("the member record created at admission");
    let m = gz.get(&format!("/api/v1/members/{member}")).await;
    assert_eq!(m.status, StatusCode::OK, "{}", m.body);
    assert_eq!(m.body["name"], "郑晓峰");
    assert_eq!(m.body["category"], "probationary");
    assert_eq!(m.body["joined_on"], json!(meeting), "admitted on the general meeting's day");
    assert_eq!(m.body["org_id"], gz_org);
    assert_eq!(m.body["occupation"], "外贸业务员");
    assert_eq!(m.body["id_number"], admitted["recruit"]["id_number"], "the same person, nothing typed twice");
    assert_eq!(
        admitted["recruit"]["probation_ends"],
        json!(meeting.checked_add_months(chrono::Months::new(12)).unwrap())
    );

    // The filing after the approval is for the level above the approving committee, not for it.
    let r = gsl.post(&format!("/api/v1/recruits/{id}/steps"), step_body(18, w.day(18))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    w.to(18, 21).await;
    // The conversion application in the probation's last month; the meeting after it ends.
    let end = meeting.checked_add_months(chrono::Months::new(12)).unwrap();
    field_error(&post(22, step_body(22, end - Duration::days(40))).await, "done_on", "预备期满前一个月");
    w.to(22, 22).await;
    field_error(&post(23, step_body(23, end - Duration::days(1))).await, "done_on", "预备期满");
    // Whoever recorded the meeting does not approve what it decided.
    let r = wc.post(&format!("/api/v1/recruits/{id}/steps"), step_body(23, w.day(23))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = wc.post(&format!("/api/v1/recruits/{id}/steps"), step_body(24, w.day(24))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.body.to_string().contains("同一人"), "{}", r.body);
    w.to(24, 24).await;
    let m = gz.get(&format!("/api/v1/members/{member}")).await;
    assert_eq!(m.body["category"], "full");
    assert_eq!(m.body["full_on"], json!(end), "full from the day the probation ended");
    let done = w.to(25, 25).await;
    assert_eq!(done["recruit"]["status"], "done");
    assert_eq!(done["recruit"]["role_label"], "正式党员");
    assert!(done["recruit"]["next"].is_null());
    assert!(done["steps"].as_array().unwrap().iter().all(|s| s["done_on"].is_string()));
    assert_eq!(done["steps"][10]["class_hours"], 24);
    assert_eq!(done["steps"][8]["people"], json!(["陈志坚", "梁美玲"]));
    let r = gz.post(&format!("/api/v1/recruits/{id}/steps"), step_body(25, today())).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let list = gz.get("/api/v1/recruits?status=done").await;
    assert!(list.body["items"].as_array().unwrap().iter().any(|r| r["id"] == id), "{}", list.body);
    // A member's ID number cannot be filed again.
    let r = gz
        .post(
            "/api/v1/recruits",
            json!({"org_id": gz_org, "name": "郑晓峰", "id_number": id_number.as_str(), "applied_on": today()}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
}
crate::both!(from_application_to_full_membership);

async fn extension_stop_rules_and_the_phone(t: TestApp) {
    let gz_org = t.org_id("广州吴川商会党支部").await;
    let gz = t.login("gz_branch").await;
    let gsl = t.login("gsl_admin").await;
    let wc = t.login("wuchuan_admin").await;

    // The county's local rules: only its county admin changes them; bad values name the field.
    let r = gz
        .put(
            "/api/v1/recruitment/settings",
            json!({"talk_within_days": 45, "activist_after_months": 6, "notice_working_days": 5}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = wc
        .put(
            "/api/v1/recruitment/settings",
            json!({"talk_within_days": 5, "activist_after_months": 6, "notice_working_days": 5}),
        )
        .await;
    field_error(&r, "talk_within_days", "7 到 90");
    let r = wc
        .put(
            "/api/v1/recruitment/settings",
            json!({"talk_within_days": 45, "activist_after_months": 3, "notice_working_days": 7}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(gz.get("/api/v1/recruitment/settings").await.body["talk_within_days"], 45);

    // With 45 days, a talk on day 40 needs no reason; with three months, an activist at three months.
    let applied = today() - Duration::days(1100);
    let id_number = honglian_domain::IdNumber::synthesize("440802", NaiveDate::from_ymd_opt(1993, 3, 3).unwrap(), 972);
    let id = file(&gz, gz_org, id_number.as_str(), applied).await;
    let r = gz.post(&format!("/api/v1/recruits/{id}/steps"), step_body(2, applied + Duration::days(40))).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let next = &r.body["recruit"]["next"];
    assert_eq!(next["earliest"], json!(applied.checked_add_months(chrono::Months::new(3)).unwrap()), "{next}");
    assert!(next["earliest_rule"].as_str().unwrap().contains("3 个月"), "{next}");
    // The notice now needs seven working days.
    let w = Walk { branch: &gz, higher: &gsl, county: &wc, id, applied };
    w.to(3, 12).await;
    let on = w.day(13);
    let r = gsl
        .post(
            &format!("/api/v1/recruits/{id}/steps"),
            json!({"step": 13, "done_on": on, "notice_from": on - Duration::days(7), "notice_to": on - Duration::days(1)}),
        )
        .await;
    field_error(&r, "notice_to", "不少于 7 个工作日");
    w.to(13, 22).await;

    // The probation extended once by 6–12 months at the meeting after it ends; then the meeting waits.
    let end = w.day(15).checked_add_months(chrono::Months::new(12)).unwrap();
    let ext =
        |months: u32, on: NaiveDate| json!({"months": months, "on": on, "reason": "理论学习不够扎实，需继续考察"});
    let reader = t.account("rec_reader", "instructor", Some(gz_org), None).await;
    let r = reader.post(&format!("/api/v1/recruits/{id}/extension"), ext(6, end)).await;
    assert!(matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "a reader does not decide: {}", r.body);
    field_error(&gz.post(&format!("/api/v1/recruits/{id}/extension"), ext(13, end)).await, "months", "6—12");
    field_error(
        &gz.post(&format!("/api/v1/recruits/{id}/extension"), ext(6, end - Duration::days(1))).await,
        "on",
        "期满后",
    );
    let r = gz.post(&format!("/api/v1/recruits/{id}/extension"), ext(6, end)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let new_end = end.checked_add_months(chrono::Months::new(6)).unwrap();
    assert_eq!(r.body["recruit"]["probation_ends"], json!(new_end));
    assert_eq!(r.body["recruit"]["next"]["earliest"], json!(new_end));
    field_error(&gz.post(&format!("/api/v1/recruits/{id}/extension"), ext(6, end)).await, "months", "只能延长一次");
    assert!(new_end > today());
    let r = gz.post(&format!("/api/v1/recruits/{id}/steps"), step_body(23, today())).await;
    field_error(&r, "done_on", "预备期满");
    // Not stopped once admitted.
    let r = gz.post(&format!("/api/v1/recruits/{id}/stop"), json!({"on": today(), "reason": "不再发展"})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    // The probationary member's relationship moves to another branch: the record goes with them, and the
    // old branch no longer reaches it.
    let member = r_member(&gz, id).await;
    let home = t.org_id("梅菉街道新华社区第一党支部").await;
    let moved = wc.post(&format!("/api/v1/members/{member}/transfer"), json!({"org_id": home})).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let r = wc.get(&format!("/api/v1/recruits/{id}")).await;
    assert_eq!(r.body["recruit"]["org"]["id"], home, "{}", r.body);
    assert_eq!(gz.get(&format!("/api/v1/recruits/{id}")).await.status, StatusCode::NOT_FOUND);

    // Stopping before admission: dated, with why; then nothing more is recorded.
    let other = honglian_domain::IdNumber::synthesize("440802", NaiveDate::from_ymd_opt(1998, 8, 8).unwrap(), 973);
    let stop_id = file(&gz, gz_org, other.as_str(), today() - Duration::days(20)).await;
    field_error(
        &gz.post(&format!("/api/v1/recruits/{stop_id}/stop"), json!({"on": today(), "reason": ""})).await,
        "reason",
        "终止原因",
    );
    let r =
        gz.post(&format!("/api/v1/recruits/{stop_id}/stop"), json!({"on": today(), "reason": "本人申请暂缓"})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["recruit"]["status"], "stopped");
    let r = gz.post(&format!("/api/v1/recruits/{stop_id}/steps"), step_body(2, today())).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    // Filed again later (the same person, after a stop).
    file(&gz, gz_org, other.as_str(), today()).await;

    // The demo: 李俊杰, an activist for thirteen months, may become a development target since a month.
    let board = gz.get("/api/v1/recruits?stage=target&q=李俊杰").await;
    let li = &board.body["items"][0];
    assert_eq!(li["name"], "李俊杰", "{}", board.body);
    assert_eq!(li["next"]["no"], 7);
    assert!(li["next"]["earliest"].as_str().unwrap() < today().to_string().as_str());
    // Reminders: the overdue talk and the approval due within two weeks, on the workbench and the board.
    let due = wc.get("/api/v1/recruits?due=true").await;
    let names: Vec<&str> = due.body["items"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"陈嘉豪") && names.contains(&"杨丽华") && names.contains(&"庞海燕"), "{names:?}");
    assert!(!names.contains(&"李俊杰"), "{names:?}");
    let wb = wc.get("/api/v1/workbench").await;
    assert!(wb.body.to_string().contains("发展党员步骤到期"), "{}", wb.body);
    let summary = wc.get("/api/v1/recruitment/summary").await;
    assert_eq!(summary.status, StatusCode::OK, "{}", summary.body);
    assert_eq!(summary.body["stages"].as_array().unwrap().len(), 5);
    assert!(summary.body["rows"].as_array().unwrap().iter().all(|r| r["by_stage"].as_array().unwrap().len() == 5));
    assert_eq!(summary.body["by_step"].as_array().unwrap().len(), 25);
    let total: u64 = summary.body["rows"].as_array().unwrap().iter().map(|r| r["total"].as_u64().unwrap()).sum();
    assert_eq!(summary.body["total"].as_u64().unwrap(), total);
    assert!(summary.body["due_soon"].as_u64().unwrap() >= 3);

    // The roster as xlsx and PDF, read back: the board's people with their milestones, no ID numbers.
    let x = gz.get("/api/v1/recruits/roster.xlsx").await;
    assert_eq!(x.status, StatusCode::OK, "{}", x.body);
    let rows = crate::helpers::sheet(&x.bytes);
    let li = rows.iter().find(|r| r.contains(&"李俊杰".to_string())).expect("李俊杰 on the roster");
    assert!(li.contains(&"入党积极分子".to_string()) && li.iter().any(|c| c.contains("确定发展对象")), "{li:?}");
    assert!(
        !rows.iter().flatten().any(|c| c.len() == 18 && c.chars().take(17).all(|ch| ch.is_ascii_digit())),
        "no ID numbers"
    );
    let pdf = gz.get("/api/v1/recruits/roster.pdf?stage=target").await;
    assert_eq!(pdf.status, StatusCode::OK);
    let text = crate::helpers::pdf_pages(&pdf.bytes).join("\n");
    assert!(text.contains("发展党员工作台账") && text.contains("李俊杰") && !text.contains("杨丽华"), "{text}");

    // The phone: the probationary member follows their own steps; others have none; admins no phone record.
    let phone = t.login("probation_demo").await;
    let mine = phone.get("/api/v1/me/recruitment").await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    assert_eq!(mine.body["recruit"]["name"], "何伟");
    assert_eq!(mine.body["recruit"]["role_label"], "预备党员");
    assert_eq!(mine.body["recruit"]["can_write"], false);
    assert_eq!(phone.get("/api/v1/recruits").await.status, StatusCode::FORBIDDEN);
    assert!(t.login("member_demo").await.get("/api/v1/me/recruitment").await.body.is_null());
    assert_eq!(wc.get("/api/v1/me/recruitment").await.status, StatusCode::FORBIDDEN);
}
crate::both!(extension_stop_rules_and_the_phone);

/// An applicant has no account: the branch gives them a code, with which and the last six characters of
/// their ID number they follow their own steps on the phone. Only the code's hash is kept; five wrong answers
/// close it; a new code replaces the old; what they see is what a member sees of their own steps.
async fn an_applicant_follows_their_own_steps_with_a_code(t: TestApp) {
    let gz = t.login("gz_branch").await;
    let org = t.org_id("广州吴川商会党支部").await;
    let id = crate::helpers::id_number("440883", 1995, 3, 4, 41);
    let r = gz
        .post(
            "/api/v1/recruits",
            json!({"org_id": org, "name": "邓晓琳", "id_number": id, "applied_on": today() - Duration::days(10),
                   "note": "支部内部备注"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let rid = r.body["recruit"]["id"].as_i64().unwrap();
    let other = t.login("jinxiang_admin").await;
    assert_eq!(
        other.post(&format!("/api/v1/recruits/{rid}/progress-code"), json!({})).await.status,
        StatusCode::NOT_FOUND
    );
    let c = gz.post(&format!("/api/v1/recruits/{rid}/progress-code"), json!({})).await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    let code = c.body["code"].as_str().unwrap().to_string();
    assert_eq!(c.body["path"], format!("/m/progress#code={code}"));
    assert_eq!(t.sql_i64(&format!("SELECT COUNT(*) FROM recruits WHERE progress_code_hash LIKE '%{code}%'")).await, 0);

    let phone = t.anon();
    let open = |code: String, tail: String| json!({"code": code, "id_tail": tail});
    let bad = phone.post("/api/v1/recruitment/progress", open("ABCDEFGHJKLM".into(), id[12..].into())).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body["errors"]["code"].is_array(), "{}", bad.body);
    let mine = phone.post("/api/v1/recruitment/progress", open(code.clone(), id[12..].to_lowercase())).await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    assert_eq!(mine.body["recruit"]["name"], "邓晓琳");
    assert_eq!(mine.body["steps"][0]["done_on"], (today() - Duration::days(10)).to_string());
    assert!(!mine.body.to_string().contains("支部内部备注"), "the branch's notes stay with it: {}", mine.body);
    assert!(mine.body["steps"][0]["recorded_by_name"].is_null(), "nor who recorded it");
    assert!(!mine.body.to_string().contains(&id), "no ID number in clear");
    // Five wrong answers close the code; the right one then finds nothing.
    for left in (0..4).rev() {
        let w = phone.post("/api/v1/recruitment/progress", open(code.clone(), "000000".into())).await;
        assert_eq!(w.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", w.body);
        assert!(w.body["errors"]["id_tail"].to_string().contains(&format!("再试 {} 次", left + 1)), "{}", w.body);
    }
    let closed = phone.post("/api/v1/recruitment/progress", open(code.clone(), "000000".into())).await;
    assert_eq!(closed.status, StatusCode::CONFLICT, "{}", closed.body);
    let after = phone.post("/api/v1/recruitment/progress", open(code.clone(), id[12..].into())).await;
    assert_eq!(after.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", after.body);
    // A new code works; the old one does not.
    let c2 = gz.post(&format!("/api/v1/recruits/{rid}/progress-code"), json!({})).await;
    let code2 = c2.body["code"].as_str().unwrap().to_string();
    assert_ne!(code, code2);
    let again = phone.post("/api/v1/recruitment/progress", open(code2, id[12..].into())).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let wrong = t
        .sql_i64(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'recruit.progress_view' AND object_id = '{rid}' AND result = 'failed'"
        ))
        .await;
    assert_eq!(wrong, 5, "each wrong answer audited");
}
crate::both!(an_applicant_follows_their_own_steps_with_a_code);
