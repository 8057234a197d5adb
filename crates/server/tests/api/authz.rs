//! Every route × every role × an object in the role's own subtree, in another branch of the same
//! county and in another county: allowed or refused, as the table says. A route without a row
//! fails the test.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Client, TestApp};

/// What a role may do (from the built-in roles).
#[derive(Clone, Copy)]
struct Who {
    name: &'static str,
    logged_in: bool,
    org_read: bool,
    org_write: bool,
    member_read: bool,
    member_write: bool,
    unmask: bool,
    county: bool,
    security: bool,
    audit: bool,
    member: bool,
    /// The in-scope organisation is this role's own top organisation.
    in_org_is_root: bool,
}

const NOBODY: Who = Who {
    name: "",
    logged_in: true,
    org_read: false,
    org_write: false,
    member_read: false,
    member_write: false,
    unmask: false,
    county: false,
    security: false,
    audit: false,
    member: false,
    in_org_is_root: false,
};

const ROLES: &[Who] = &[
    Who { name: "anonymous", logged_in: false, ..NOBODY },
    Who {
        name: "wuchuan_admin",
        org_read: true,
        org_write: true,
        member_read: true,
        member_write: true,
        unmask: true,
        county: true,
        ..NOBODY
    },
    Who {
        name: "gz_branch",
        org_read: true,
        org_write: true,
        member_read: true,
        member_write: true,
        unmask: true,
        in_org_is_root: true,
        ..NOBODY
    },
    Who { name: "instructor", org_read: true, member_read: true, ..NOBODY },
    Who { name: "member_demo", member: true, ..NOBODY },
    Who { name: "sysadmin", ..NOBODY },
    Who { name: "auditor", audit: true, ..NOBODY },
    // Last: its successful grant removal consumes the throwaway grant.
    Who { name: "secadmin", security: true, ..NOBODY },
];

/// The objects a request is about.
struct Objs {
    org: i64,
    member: i64,
    member_org: i64,
    user: i64,
    grant: i64,
    tags: Value,
    /// Wuchuan records: member_demo's open outflow, an inflow, the open and closed census, one entry.
    outflow: i64,
    inflow: i64,
    census_open: i64,
    census_closed: i64,
    census_entry: i64,
    /// A background job of wuchuan_admin's.
    job: i64,
    /// An activity of the row's organisation, one to cancel, and an attachment of the 广州 branch's.
    activity: i64,
    cancel: i64,
    attachment: i64,
    /// A post on the row's organisation's committee.
    committee_post: i64,
    /// A member's outflow report waiting in the row's organisation's queue.
    report: i64,
    /// A portal invitation of a member of the row's organisation.
    invitation: i64,
    /// Communities and goals: Wuchuan objects made by the test, or Jinxiang's from the demo.
    g: Goals,
    /// An outreach visit this role may delete (each allowed role its own), else the world's.
    outreach_spare: i64,
}

/// One world of community and goal objects.
#[derive(Clone, Copy)]
struct Goals {
    community: i64,
    /// A member organisation of `community` that may be removed.
    extra_member: i64,
    task_list: i64,
    task: i64,
    report: i64,
    evidence: i64,
    host: i64,
    census: i64,
    entry: i64,
    group: i64,
    visit: i64,
    brand: i64,
    evaluation: i64,
    grant: i64,
    /// Services: a place run by the world's organisation, a department and a policy of its county.
    place: i64,
    department: i64,
    policy: i64,
    /// 红链直通车: a request asked by the world's organisation and a category of its county.
    request: i64,
    category: i64,
    /// An outreach visit by the world's organisation and a need it collected.
    outreach: i64,
    need: i64,
    /// A photo of `place` (and a second one that the removal row removes), an attachment of `request`.
    place_photo: i64,
    spare_photo: i64,
    request_file: i64,
    /// A bulletin of the world's organisation that includes outflow members (member_demo is received
    /// by the 广州 branch), one the withdrawal row withdraws, and two attachments of `bulletin` (the
    /// removal row removes the second).
    bulletin: i64,
    bulletin_spare: i64,
    bulletin_file: i64,
    bulletin_spare_file: i64,
    /// A greeting of the world's organisation, a group robot of it, and a message it sent (outbox).
    greeting: i64,
    robot: i64,
    outbox: i64,
    /// 回乡工程: a drive of the world's organisation with a lead from it (so that it cannot be
    /// deleted: the deletion row answers 409 to those allowed), and two materials of the drive (the
    /// removal row removes the second).
    drive: i64,
    lead: i64,
    drive_file: i64,
    drive_spare_file: i64,
    /// 关爱工程: a donation raised by the world's organisation, an application it proposed (on public
    /// notice, so that a renewal answers 409 to those allowed) and an objection to it.
    donation: i64,
    aid: i64,
    objection: i64,
    /// 先锋工程: a campaign of the world's county taking nominations, with a nomination by the world's
    /// organisation waiting at its first level of review; a nomination of a second campaign on notice
    /// and an objection to it.
    campaign: i64,
    nomination: i64,
    noticed: i64,
    honour_objection: i64,
    /// A member of the world's county made lost, with a suspension proposed by their branch's worker.
    lost_member: i64,
    proposal: i64,
    /// 发展党员: an applicant filed with a branch of the world (talked to, active).
    recruit: i64,
    /// 组织关系转接: a request from and to the world's organisation, waiting.
    transfer: i64,
}

/// A donation of `org`, an application on notice and an objection to it: proposed and reviewed by the
/// branch's `reviewer`, decided by the county `admin` (one person does not do both).
async fn care_world(admin: &Client, reviewer: &Client, org: i64, receipt: &str) -> (i64, i64, i64) {
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive().to_string();
    let d = admin
        .post(
            "/api/v1/care-donations",
            json!({"org_id": org, "donor_kind": "company", "donor_name": "某公司", "amount": "10000", "received_on": today,
                   "receipt_no": receipt}),
        )
        .await;
    assert_eq!(d.status, StatusCode::CREATED, "{}", d.body);
    let a = admin
        .post(
            "/api/v1/care-aids",
            json!({"org_id": org, "year": 2026, "student_name": "某生", "family_situation": "困难", "school": "某大学",
                   "grade": "大一", "asked": "2000"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
    let aid = a.body["aid"]["id"].as_i64().unwrap();
    for (who, step) in [(reviewer, "review"), (admin, "decide")] {
        let r = who.post(&format!("/api/v1/care-aids/{aid}/steps"), json!({"step": step, "on": today})).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let o = admin
        .post(&format!("/api/v1/care-aids/{aid}/objections"), json!({"received_on": today, "content": "异议"}))
        .await;
    assert_eq!(o.status, StatusCode::OK, "{}", o.body);
    (d.body["id"].as_i64().unwrap(), aid, o.body["objections"][0]["id"].as_i64().unwrap())
}

/// Honours of the county `root` run by its `admin`, nominated by a worker of the first organisation at
/// or under `under` with members of its own, for two of them, each level between reviewing with an account of its own (a level's review is
/// its own): (campaign taking nominations, a nomination of it waiting at the county's level, a
/// nomination of a second campaign on notice, an objection to it).
async fn honour_world(t: &TestApp, admin: &Client, root: i64, under: i64) -> (i64, i64, i64, i64) {
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    // The first organisation at or under `under` with members of its own; its worker nominates.
    let path = t.sql_text(&format!("SELECT path FROM orgs WHERE id = {under}")).await;
    let org = t
        .sql_i64(&format!(
            "SELECT org_id FROM members WHERE org_path >= '{path}' AND org_path < '{}0' AND status = 'normal' \
             GROUP BY org_id HAVING COUNT(*) > 1 ORDER BY MIN(org_path) LIMIT 1",
            &path[..path.len() - 1]
        ))
        .await;
    let nominator = &t.account(&format!("hw_nominator_{org}"), "org_admin", Some(org), None).await;
    let member = |k: u32| {
        format!("SELECT id FROM members WHERE org_id = {org} AND status = 'normal' ORDER BY id LIMIT 1 OFFSET {k}")
    };
    let (m1, m2) = (t.sql_i64(&member(0)).await, t.sql_i64(&member(1)).await);
    let mut out = Vec::new();
    for (k, m) in [m1, m2].into_iter().enumerate() {
        let c = admin
            .post(
                "/api/v1/honour-campaigns",
                json!({"org_id": root, "year": chrono::Datelike::year(&today), "title": format!("表彰{k}")}),
            )
            .await;
        assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
        let campaign = c.body["campaign"]["id"].as_i64().unwrap();
        let mut n = nominator
            .post(
                "/api/v1/honour-nominations",
                json!({"campaign_id": campaign, "honour": "优秀共产党员", "org_id": org, "member_id": m, "deeds": "事迹",
                       "discussed_on": today, "votes_for": 9, "votes_total": 10}),
            )
            .await;
        assert_eq!(n.status, StatusCode::CREATED, "{}", n.body);
        let nomination = n.body["nomination"]["id"].as_i64().unwrap();
        // Up to the county's level by each level's own worker; the second on by the county too.
        while n.body["nomination"]["status"] == "reviewing" {
            let at = n.body["nomination"]["at_org"]["id"].as_i64().unwrap();
            if at == root && k == 0 {
                break;
            }
            let own;
            let reviewer = if at == root {
                admin
            } else {
                own = t.account(&format!("hw_{nomination}_{at}"), "org_admin", Some(at), None).await;
                &own
            };
            n = reviewer.post(&format!("/api/v1/honour-nominations/{nomination}/review"), json!({"on": today})).await;
            assert_eq!(n.status, StatusCode::OK, "{}", n.body);
        }
        out.push((campaign, nomination));
    }
    let (campaign, noticed) = out[1];
    let r = admin.post(&format!("/api/v1/honour-campaigns/{campaign}/notice"), json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let o = admin
        .post(
            &format!("/api/v1/honour-nominations/{noticed}/objections"),
            json!({"received_on": today, "content": "异议"}),
        )
        .await;
    assert_eq!(o.status, StatusCode::OK, "{}", o.body);
    (out[0].0, out[0].1, noticed, o.body["objections"][0]["id"].as_i64().unwrap())
}

/// A member filed under `under`, out of touch for years, with a suspension proposed by a worker of
/// their own organisation: (member, proposal).
async fn suspension_world(t: &TestApp, under: i64) -> (i64, i64) {
    let path = t.sql_text(&format!("SELECT path FROM orgs WHERE id = {under}")).await;
    let upper = format!("{}0", &path[..path.len() - 1]);
    let m = t
        .sql_i64(&format!(
            "SELECT id FROM members WHERE org_path >= '{path}' AND org_path < '{upper}' AND status = 'normal' \
             AND org_path <> '{path}' ORDER BY id DESC LIMIT 1"
        ))
        .await;
    t.sql_exec(&format!(
        "UPDATE members SET last_contact_on = '2020-01-01', unreachable_since = '2020-01-01' WHERE id = {m}"
    ))
    .await;
    let org = t.sql_i64(&format!("SELECT org_id FROM members WHERE id = {m}")).await;
    let branch = t.account(&format!("sw_{m}"), "org_admin", Some(org), None).await;
    let p = branch.post(&format!("/api/v1/members/{m}/suspension-proposals"), json!({"reason": "失联"})).await;
    assert_eq!(p.status, StatusCode::CREATED, "{}", p.body);
    (m, p.body["id"].as_i64().unwrap())
}

/// An applicant filed with the branch `org` by `admin` two months ago: the recruit.
async fn recruit_world(admin: &Client, org: i64, seq: u32) -> i64 {
    let id = honglian_domain::IdNumber::synthesize("440802", chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap(), seq);
    let applied = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive() - chrono::Duration::days(60);
    let r = admin
        .post(
            "/api/v1/recruits",
            json!({"org_id": org, "name": "某申请人", "id_number": id.as_str(), "applied_on": applied}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["recruit"]["id"].as_i64().unwrap()
}

/// A transfer request from `org` to `org` itself, waiting: both ends in the world, so that whoever sees the
/// world sees it (the rows' bodies are refused by validation, so it never moves).
async fn transfer_world(t: &TestApp, org: i64) -> i64 {
    let path = t.sql_text(&format!("SELECT path FROM orgs WHERE id = {org}")).await;
    t.sql_exec(&format!(
        "INSERT INTO transfers (kind, status, member_name, from_org_id, from_org_path, from_name, to_org_id, \
         to_org_path, to_name, started_on, created_at, updated_at) VALUES ('within', 'requested', '某党员', {org}, \
         '{path}', '某支部', {org}, '{path}', '某支部', '2026-01-01', '2026-01-01T00:00:00+00:00', \
         '2026-01-01T00:00:00+00:00')"
    ))
    .await;
    t.sql_i64(&format!("SELECT MAX(id) FROM transfers WHERE from_org_id = {org}")).await
}

/// A drive of `org` with a lead and two materials, made by `admin`: (drive, lead, material, spare).
async fn hometown_world(admin: &Client, org: i64) -> (i64, i64, i64, i64) {
    let d = admin
        .post(
            "/api/v1/investment-drives",
            json!({"org_id": org, "held_on": "2026-03-01", "city": "广州", "title": "招商推介会", "leaders": "县委常委"}),
        )
        .await;
    assert_eq!(d.status, StatusCode::CREATED, "{}", d.body);
    let drive = d.body["drive"]["id"].as_i64().unwrap();
    let l = admin
        .post(
            "/api/v1/investment-leads",
            json!({"org_id": org, "drive_id": drive, "project": "回乡项目", "sector": "other", "investor": "某公司",
                   "town": "某镇", "amount": "1000000", "recorded_on": "2026-03-02"}),
        )
        .await;
    assert_eq!(l.status, StatusCode::CREATED, "{}", l.body);
    let png = b"\x89PNG\r\n\x1a\n0000".to_vec();
    let mut files = Vec::new();
    for name in ["slides.png", "extra.png"] {
        let f = admin.upload(&format!("/api/v1/investment-drives/{drive}/materials"), name, png.clone()).await;
        assert_eq!(f.status, StatusCode::CREATED, "{}", f.body);
        files.push(f.body["id"].as_i64().unwrap());
    }
    (drive, l.body["lead"]["id"].as_i64().unwrap(), files[0], files[1])
}

struct Row {
    method: Method,
    /// The route as the OpenAPI document names it.
    route: &'static str,
    url: fn(&Objs) -> String,
    body: fn(&Objs) -> Option<Value>,
    /// Whether the route is about an object that can be in or out of scope.
    scoped: bool,
    /// Runs on a fresh session (the request ends or replaces it).
    fresh: bool,
    /// Sends a small csv as a multipart upload instead of the JSON body.
    upload: bool,
    allowed: fn(&Who, bool) -> bool,
}

fn rows() -> Vec<Row> {
    fn none(_: &Objs) -> Option<Value> {
        None
    }
    let r = |method: Method,
             route: &'static str,
             url: fn(&Objs) -> String,
             body: fn(&Objs) -> Option<Value>,
             scoped: bool,
             allowed: fn(&Who, bool) -> bool| Row {
        method,
        route,
        url,
        body,
        scoped,
        fresh: false,
        upload: false,
        allowed,
    };
    let mut v = vec![
        Row {
            fresh: true,
            ..r(
                Method::POST,
                "/session",
                |_| "/api/v1/session".into(),
                |_| Some(json!({"username": "wuchuan_admin", "password": crate::helpers::PASSWORD})),
                false,
                |_, _| true,
            )
        },
        r(Method::GET, "/session", |_| "/api/v1/session".into(), none, false, |w, _| w.logged_in),
        Row {
            fresh: true,
            ..r(Method::DELETE, "/session", |_| "/api/v1/session".into(), none, false, |w, _| w.logged_in)
        },
        r(
            Method::POST,
            "/me/password",
            |_| "/api/v1/me/password".into(),
            |_| Some(json!({"old_password": "wrong", "new_password": "x"})),
            false,
            |w, _| w.logged_in,
        ),
        r(Method::GET, "/me/sessions", |_| "/api/v1/me/sessions".into(), none, false, |w, _| w.logged_in),
        r(Method::DELETE, "/me/sessions", |_| "/api/v1/me/sessions".into(), none, false, |w, _| w.logged_in),
        // The second factor: anyone signed in sees theirs; only console accounts start one (a member's
        // portal has no field for the code); confirming or switching off with nothing to act on is a
        // conflict, not a refusal.
        r(Method::GET, "/me/second-factor", |_| "/api/v1/me/second-factor".into(), none, false, |w, _| w.logged_in),
        r(
            Method::POST,
            "/me/second-factor",
            |_| "/api/v1/me/second-factor".into(),
            |_| Some(json!({})),
            false,
            |w, _| w.logged_in && !w.member,
        ),
        r(
            Method::POST,
            "/me/second-factor/confirm",
            |_| "/api/v1/me/second-factor/confirm".into(),
            |_| Some(json!({"code": "12"})),
            false,
            |w, _| w.logged_in,
        ),
        r(
            Method::POST,
            "/me/second-factor/disable",
            |_| "/api/v1/me/second-factor/disable".into(),
            |_| Some(json!({"password": "wrong", "code": "12"})),
            false,
            |w, _| w.logged_in,
        ),
        r(Method::GET, "/orgs", |o| format!("/api/v1/orgs?subtree={}", o.org), none, true, |w, i| w.org_read && i),
        r(
            Method::POST,
            "/orgs",
            |_| "/api/v1/orgs".into(),
            |o| Some(json!({"parent_id": o.org, "name": ""})),
            true,
            |w, i| w.org_write && i,
        ),
        r(Method::GET, "/orgs/roots", |_| "/api/v1/orgs/roots".into(), none, false, |w, _| w.org_read),
        r(Method::GET, "/workbench", |_| "/api/v1/workbench".into(), none, false, |w, _| w.logged_in),
        r(Method::GET, "/orgs/{id}", |o| format!("/api/v1/orgs/{}", o.org), none, true, |w, i| w.org_read && i),
        r(
            Method::PATCH,
            "/orgs/{id}",
            |o| format!("/api/v1/orgs/{}", o.org),
            |_| Some(json!({})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/orgs/{id}/committee",
            |o| format!("/api/v1/orgs/{}/committee", o.org),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::POST,
            "/orgs/{id}/committee/elections",
            |o| format!("/api/v1/orgs/{}/committee/elections", o.org),
            |_| Some(json!({"elected_on": "2999-01-01", "posts": []})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::POST,
            "/orgs/{id}/committee/posts",
            |o| format!("/api/v1/orgs/{}/committee/posts", o.org),
            |_| Some(json!({"member_id": 0, "post": "bad"})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::POST,
            "/committee-posts/{id}/end",
            |o| format!("/api/v1/committee-posts/{}/end", o.committee_post),
            |_| Some(json!({"until": "1900-01-01"})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::POST,
            "/orgs/{id}/move",
            |o| format!("/api/v1/orgs/{}/move", o.org),
            |o| Some(json!({"new_parent_id": o.org})),
            true,
            |w, i| w.org_write && i && !w.in_org_is_root,
        ),
        r(
            Method::POST,
            "/orgs/{id}/dissolve",
            |o| format!("/api/v1/orgs/{}/dissolve", o.org),
            none,
            true,
            |w, i| w.org_write && i && !w.in_org_is_root,
        ),
        r(Method::GET, "/members", |o| format!("/api/v1/members?org={}", o.org), none, true, |w, i| w.member_read && i),
        r(
            Method::POST,
            "/members",
            |_| "/api/v1/members".into(),
            |o| Some(json!({"org_id": o.org})),
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::GET,
            "/members/{id}",
            |o| format!("/api/v1/members/{}", o.member),
            none,
            true,
            |w, i| (w.member_read || w.member) && i,
        ),
        r(
            Method::PATCH,
            "/members/{id}",
            |o| format!("/api/v1/members/{}", o.member),
            |_| Some(json!({})),
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::POST,
            "/members/{id}/transfer",
            |o| format!("/api/v1/members/{}/transfer", o.member),
            |o| Some(json!({"org_id": o.member_org})),
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::POST,
            "/members/{id}/unmask",
            |o| format!("/api/v1/members/{}/unmask", o.member),
            |_| Some(json!({"reason": "核对联系方式"})),
            true,
            |w, i| (w.unmask || w.member) && i,
        ),
        // Whoever may unmask the record may label it (the same label: nothing changes).
        r(
            Method::PUT,
            "/members/{id}/security-label",
            |o| format!("/api/v1/members/{}/security-label", o.member),
            |_| Some(json!({"label": "general"})),
            true,
            |w, i| (w.unmask || w.member) && i,
        ),
        // An empty reason: refused (422) after the access check; nothing is ever erased here.
        r(
            Method::POST,
            "/members/{id}/erase-personal-data",
            |o| format!("/api/v1/members/{}/erase-personal-data", o.member),
            |_| Some(json!({"reason": ""})),
            true,
            |w, i| w.member_write && w.unmask && i,
        ),
        // The notice is public; recording the version shown needs a session.
        r(Method::GET, "/privacy-notice", |_| "/api/v1/privacy-notice".into(), none, false, |_, _| true),
        r(
            Method::POST,
            "/privacy-notice/shown",
            |_| "/api/v1/privacy-notice/shown".into(),
            |_| Some(json!({"version": ""})),
            false,
            |w, _| w.logged_in,
        ),
        r(
            Method::POST,
            "/members/lookup",
            |_| "/api/v1/members/lookup".into(),
            |o| Some(json!({"org": o.org, "phone": "13800000000"})),
            true,
            |w, i| w.member_read && i,
        ),
        r(Method::GET, "/users", |_| "/api/v1/users".into(), none, false, |w, _| w.security),
        r(
            Method::POST,
            "/users",
            |_| "/api/v1/users".into(),
            |_| Some(json!({"username": "a", "display_name": "x", "password": "x"})),
            false,
            |w, _| w.security,
        ),
        r(Method::GET, "/users/{id}", |o| format!("/api/v1/users/{}", o.user), none, false, |w, _| w.security),
        r(
            Method::PUT,
            "/users/{id}/clearance",
            |o| format!("/api/v1/users/{}/clearance", o.user),
            |_| Some(json!({"clearance": "general"})),
            false,
            |w, _| w.security,
        ),
        r(
            Method::PATCH,
            "/users/{id}",
            |o| format!("/api/v1/users/{}", o.user),
            |_| Some(json!({})),
            false,
            |w, _| w.security,
        ),
        r(
            Method::POST,
            "/users/{id}/password",
            |o| format!("/api/v1/users/{}/password", o.user),
            |_| Some(json!({"new_password": "x"})),
            false,
            |w, _| w.security,
        ),
        r(
            Method::GET,
            "/users/{id}/second-factor",
            |o| format!("/api/v1/users/{}/second-factor", o.user),
            none,
            false,
            |w, _| w.security,
        ),
        r(
            Method::POST,
            "/users/{id}/second-factor/reset",
            |o| format!("/api/v1/users/{}/second-factor/reset", o.user),
            |_| Some(json!({})),
            false,
            |w, _| w.security,
        ),
        r(
            Method::POST,
            "/users/{id}/grants",
            |o| format!("/api/v1/users/{}/grants", o.user),
            |_| Some(json!({"role": "no_such_role"})),
            false,
            |w, _| w.security,
        ),
        r(
            Method::GET,
            "/users/grant-hosts",
            |o| format!("/api/v1/users/grant-hosts?org={}", o.org),
            none,
            false,
            |w, _| w.security,
        ),
        r(
            Method::DELETE,
            "/users/{id}/grants/{grant_id}",
            |o| format!("/api/v1/users/{}/grants/{}", o.user, o.grant),
            none,
            false,
            |w, _| w.security,
        ),
        r(Method::GET, "/roles", |_| "/api/v1/roles".into(), none, false, |w, _| w.security),
        r(
            Method::GET,
            "/org-lookup",
            |_| "/api/v1/org-lookup?q=%E5%B9%BF%E5%B7%9E".into(),
            none,
            false,
            |w, _| w.security || w.member_write,
        ),
        r(Method::GET, "/audit-events", |_| "/api/v1/audit-events".into(), none, false, |w, _| w.audit),
        r(Method::GET, "/meta", |_| "/api/v1/meta".into(), none, false, |w, _| w.logged_in),
        r(
            Method::PUT,
            "/settings/member-tags",
            |_| "/api/v1/settings/member-tags".into(),
            |o| Some(json!({"tags": o.tags})),
            false,
            |w, _| w.county,
        ),
        r(
            Method::GET,
            "/stats/overview",
            |o| format!("/api/v1/stats/overview?org={}", o.org),
            none,
            true,
            |w, i| w.org_read && w.member_read && i,
        ),
        // Mobile members. Records of Wuchuan's home branches are managed by the county admin only.
        r(
            Method::POST,
            "/outflows",
            |_| "/api/v1/outflows".into(),
            |o| Some(json!({"member_id": o.member})),
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::POST,
            "/outflows/{id}/return",
            |o| format!("/api/v1/outflows/{}/return", o.outflow),
            |_| Some(json!({"returned_on": "1999-01-01", "relationship_stays": true})),
            false,
            |w, _| w.name == "wuchuan_admin",
        ),
        r(
            Method::POST,
            "/inflows",
            |_| "/api/v1/inflows".into(),
            |o| Some(json!({"receiving_org_id": o.org})),
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::POST,
            "/inflows/{id}/end",
            |o| format!("/api/v1/inflows/{}/end", o.inflow),
            |_| Some(json!({"ended_on": "1999-01-01"})),
            false,
            |w, _| w.name == "wuchuan_admin",
        ),
        r(
            Method::GET,
            "/members/{id}/mobility",
            |o| format!("/api/v1/members/{}/mobility", o.member),
            none,
            true,
            |w, i| (w.member_read || w.member) && i,
        ),
        r(
            Method::GET,
            "/members/{id}/contacts",
            |o| format!("/api/v1/members/{}/contacts", o.member),
            none,
            true,
            |w, i| (w.member_read || w.member) && i,
        ),
        r(
            Method::POST,
            "/members/{id}/contacts",
            |o| format!("/api/v1/members/{}/contacts", o.member),
            |_| Some(json!({"kind": "no_such_kind", "contacted_on": "2026-01-01"})),
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::GET,
            "/members/{id}/suspension-proposals",
            |o| format!("/api/v1/members/{}/suspension-proposals", o.member),
            none,
            true,
            |w, i| (w.member_read || w.member) && i,
        ),
        r(
            Method::POST,
            "/members/{id}/suspension-proposals",
            |o| format!("/api/v1/members/{}/suspension-proposals", o.member),
            |_| Some(json!({"reason": ""})),
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::GET,
            "/lost-contacts",
            |o| format!("/api/v1/lost-contacts?org={}", o.org),
            none,
            true,
            |w, i| w.member_read && i,
        ),
        r(
            Method::GET,
            "/ledgers/outflow",
            |o| format!("/api/v1/ledgers/outflow?org={}", o.org),
            none,
            true,
            |w, i| w.member_read && i,
        ),
        r(
            Method::GET,
            "/ledgers/return",
            |o| format!("/api/v1/ledgers/return?org={}", o.org),
            none,
            true,
            |w, i| w.member_read && i,
        ),
        r(
            Method::GET,
            "/ledgers/inflow",
            |o| format!("/api/v1/ledgers/inflow?org={}", o.org),
            none,
            true,
            |w, i| w.member_read && i,
        ),
        r(
            Method::GET,
            "/ledgers/outflow.xlsx",
            |o| format!("/api/v1/ledgers/outflow.xlsx?org={}", o.org),
            none,
            true,
            |w, i| w.member_read && i,
        ),
        r(
            Method::GET,
            "/ledgers/return.xlsx",
            |o| format!("/api/v1/ledgers/return.xlsx?org={}", o.org),
            none,
            true,
            |w, i| w.member_read && i,
        ),
        r(
            Method::GET,
            "/ledgers/inflow.xlsx",
            |o| format!("/api/v1/ledgers/inflow.xlsx?org={}", o.org),
            none,
            true,
            |w, i| w.member_read && i,
        ),
        r(
            Method::GET,
            "/ledgers/outflow.pdf",
            |o| format!("/api/v1/ledgers/outflow.pdf?org={}", o.org),
            none,
            true,
            |w, i| w.member_read && i,
        ),
        r(
            Method::GET,
            "/ledgers/return.pdf",
            |o| format!("/api/v1/ledgers/return.pdf?org={}", o.org),
            none,
            true,
            |w, i| w.member_read && i,
        ),
        r(
            Method::GET,
            "/ledgers/inflow.pdf",
            |o| format!("/api/v1/ledgers/inflow.pdf?org={}", o.org),
            none,
            true,
            |w, i| w.member_read && i,
        ),
        r(
            Method::GET,
            "/members.xlsx",
            |o| format!("/api/v1/members.xlsx?org={}", o.org),
            none,
            true,
            |w, i| w.member_read && i,
        ),
        r(
            Method::GET,
            "/members.pdf",
            |o| format!("/api/v1/members.pdf?org={}", o.org),
            none,
            true,
            |w, i| w.member_read && i,
        ),
        r(
            Method::GET,
            "/stats/outflow",
            |o| format!("/api/v1/stats/outflow?org={}", o.org),
            none,
            true,
            |w, i| w.member_read && i,
        ),
        // The Wuchuan census concerns Wuchuan's organisations (the 广州 branch included), not Jinxiang's instructor.
        r(Method::GET, "/censuses", |_| "/api/v1/censuses".into(), none, false, |w, _| w.member_read),
        r(
            Method::POST,
            "/censuses",
            |_| "/api/v1/censuses".into(),
            |o| Some(json!({"name": "", "period": "x", "org_id": o.org})),
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::GET,
            "/censuses/{id}",
            |o| format!("/api/v1/censuses/{}", o.census_open),
            none,
            false,
            |w, _| w.member_read && w.name != "instructor",
        ),
        r(
            Method::GET,
            "/censuses/{id}/entries",
            |o| format!("/api/v1/censuses/{}/entries", o.census_open),
            none,
            false,
            |w, _| w.member_read && w.name != "instructor",
        ),
        r(
            Method::GET,
            "/censuses/{id}/entries.xlsx",
            |o| format!("/api/v1/censuses/{}/entries.xlsx", o.census_open),
            none,
            false,
            |w, _| w.member_read && w.name != "instructor",
        ),
        r(
            Method::GET,
            "/censuses/{id}/entries.pdf",
            |o| format!("/api/v1/censuses/{}/entries.pdf", o.census_open),
            none,
            false,
            |w, _| w.member_read && w.name != "instructor",
        ),
        r(
            Method::PUT,
            "/censuses/{id}/entries/{entry_id}",
            |o| format!("/api/v1/censuses/{}/entries/{}", o.census_open, o.census_entry),
            |_| Some(json!({"reached": true})),
            false,
            |w, _| w.name == "wuchuan_admin",
        ),
        r(
            Method::POST,
            "/censuses/{id}/close",
            |o| format!("/api/v1/censuses/{}/close", o.census_closed),
            none,
            false,
            |w, _| w.name == "wuchuan_admin",
        ),
        r(
            Method::GET,
            "/imports/members/template.xlsx",
            |_| "/api/v1/imports/members/template.xlsx".into(),
            none,
            false,
            |w, _| w.member_write,
        ),
        Row {
            upload: true,
            ..r(
                Method::POST,
                "/imports/members",
                |_| "/api/v1/imports/members?dry_run=true".into(),
                none,
                false,
                |w, _| w.member_write,
            )
        },
        r(
            Method::GET,
            "/imports/members/examples/clean.xlsx",
            |_| "/api/v1/imports/members/examples/clean.xlsx".into(),
            none,
            false,
            |w, _| w.member_write,
        ),
        r(
            Method::GET,
            "/imports/members/examples/messy.xlsx",
            |_| "/api/v1/imports/members/examples/messy.xlsx".into(),
            none,
            false,
            |w, _| w.member_write,
        ),
        r(
            Method::GET,
            "/imports/members/mappings",
            |_| "/api/v1/imports/members/mappings".into(),
            none,
            false,
            |w, _| w.member_write,
        ),
        // An empty name: refused (422) after the access check, nothing saved.
        r(
            Method::POST,
            "/imports/members/mappings",
            |_| "/api/v1/imports/members/mappings".into(),
            |_| Some(json!({"name": "", "header_row": 1, "columns": {"name": "A"}})),
            false,
            |w, _| w.member_write,
        ),
        r(
            Method::GET,
            "/jobs/{id}",
            |o| format!("/api/v1/jobs/{}", o.job),
            none,
            false,
            |w, _| w.name == "wuchuan_admin",
        ),
        // Organisational life.
        r(
            Method::GET,
            "/activities",
            |o| format!("/api/v1/activities?org={}", o.org),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::GET,
            "/activities.xlsx",
            |o| format!("/api/v1/activities.xlsx?org={}&year=2026", o.org),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::GET,
            "/activities.pdf",
            |o| format!("/api/v1/activities.pdf?org={}&year=2026", o.org),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::POST,
            "/activities",
            |_| "/api/v1/activities".into(),
            |o| Some(json!({"org_ids": [o.org], "kind": "theme_day"})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/activities/{id}",
            |o| format!("/api/v1/activities/{}", o.activity),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::PATCH,
            "/activities/{id}",
            |o| format!("/api/v1/activities/{}", o.activity),
            |_| Some(json!({"topic": ""})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::POST,
            "/activities/{id}/cancel",
            |o| format!("/api/v1/activities/{}/cancel", o.cancel),
            none,
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::POST,
            "/activities/{id}/approval",
            |o| format!("/api/v1/activities/{}/approval", o.activity),
            |_| Some(json!({"approve": true})),
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::GET,
            "/activities/{id}/attendance",
            |o| format!("/api/v1/activities/{}/attendance", o.activity),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::PUT,
            "/activities/{id}/attendance",
            |o| format!("/api/v1/activities/{}/attendance", o.activity),
            |_| Some(json!({"items": [{"member_id": 0, "status": "bad"}]})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::POST,
            "/activities/{id}/check-in",
            |o| format!("/api/v1/activities/{}/check-in", o.activity),
            |_| Some(json!({"code": "000000"})),
            true,
            |w, i| w.member && i,
        ),
        Row {
            upload: true,
            ..r(
                Method::POST,
                "/activities/{id}/attachments",
                |o| format!("/api/v1/activities/{}/attachments", o.activity),
                none,
                true,
                |w, i| w.org_write && i,
            )
        },
        r(
            Method::GET,
            "/activities/{id}/attachments/{attachment_id}",
            |o| format!("/api/v1/activities/{}/attachments/{}", o.activity, o.attachment),
            none,
            false,
            |w, _| w.org_read && w.name != "instructor",
        ),
        r(
            Method::GET,
            "/members/{id}/activities",
            |o| format!("/api/v1/members/{}/activities", o.member),
            none,
            true,
            |w, i| (w.member_read || w.member) && i,
        ),
        r(Method::GET, "/me/activities", |_| "/api/v1/me/activities".into(), none, false, |w, _| w.member),
        r(
            Method::POST,
            "/activities/{id}/leave",
            |o| format!("/api/v1/activities/{}/leave", o.activity),
            |_| Some(json!({"reason": ""})),
            true,
            |w, i| w.member && i,
        ),
        // member_demo is away: an empty return date is refused (422) after the access check.
        r(
            Method::POST,
            "/me/return-reports",
            |_| "/api/v1/me/return-reports".into(),
            |_| Some(json!({})),
            false,
            |w, _| w.member,
        ),
        r(
            Method::GET,
            "/settings/learning-venues",
            |_| "/api/v1/settings/learning-venues".into(),
            none,
            false,
            |w, _| w.county,
        ),
        // An address that is not http(s): refused (422) after the permission check, nothing written.
        r(
            Method::PUT,
            "/settings/learning-venues",
            |_| "/api/v1/settings/learning-venues".into(),
            |_| Some(json!({"venues": [{"name": "展馆", "url": "ftp://x"}]})),
            false,
            |w, _| w.county,
        ),
        r(Method::GET, "/me/learning", |_| "/api/v1/me/learning".into(), none, false, |w, _| w.member),
        r(
            Method::PUT,
            "/me/learning/{key}/visit",
            |_| "/api/v1/me/learning/wc05/visit".into(),
            none,
            false,
            |w, _| w.member,
        ),
        r(
            Method::DELETE,
            "/me/learning/{key}/visit",
            |_| "/api/v1/me/learning/wc05/visit".into(),
            none,
            false,
            |w, _| w.member,
        ),
        r(Method::GET, "/invitations", |_| "/api/v1/invitations".into(), none, false, |w, _| w.member_write),
        r(
            Method::POST,
            "/invitations",
            |_| "/api/v1/invitations".into(),
            |o| Some(json!({"member_ids": [o.member]})),
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::POST,
            "/invitations/{id}/renew",
            |o| format!("/api/v1/invitations/{}/renew", o.invitation),
            none,
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::POST,
            "/invitations/{id}/revoke",
            |o| format!("/api/v1/invitations/{}/revoke", o.invitation),
            none,
            true,
            |w, i| w.member_write && i,
        ),
        // Opening an invitation needs no session: a wrong code is a 422 for everyone.
        r(
            Method::POST,
            "/invitations/preview",
            |_| "/api/v1/invitations/preview".into(),
            |_| Some(json!({"code": "ABCD-EFGH-JKMN"})),
            false,
            |_, _| true,
        ),
        r(
            Method::POST,
            "/invitations/activate",
            |_| "/api/v1/invitations/activate".into(),
            |_| {
                Some(
                    json!({"code": "ABCD-EFGH-JKMN", "id_tail": "123456", "username": "nobody", "password": "Hl@2026x!"}),
                )
            },
            false,
            |_, _| true,
        ),
        r(Method::GET, "/me/profile", |_| "/api/v1/me/profile".into(), none, false, |w, _| w.member),
        r(Method::POST, "/me/profile/unmask", |_| "/api/v1/me/profile/unmask".into(), none, false, |w, _| w.member),
        r(
            Method::POST,
            "/me/contacts",
            |_| "/api/v1/me/contacts".into(),
            // A note too long: refused (422) after the access check, nothing written.
            |_| Some(json!({"note": "长".repeat(501)})),
            false,
            |w, _| w.member,
        ),
        r(Method::GET, "/me/census", |_| "/api/v1/me/census".into(), none, false, |w, _| w.member),
        r(Method::GET, "/me/data.xlsx", |_| "/api/v1/me/data.xlsx".into(), none, false, |w, _| w.member),
        r(Method::GET, "/me/data.pdf", |_| "/api/v1/me/data.pdf".into(), none, false, |w, _| w.member),
        r(
            Method::PUT,
            "/me/census/{id}",
            |_| "/api/v1/me/census/999999999".into(),
            // No place: refused (422) after the access check, nothing written.
            |_| Some(json!({"current_place": ""})),
            false,
            |w, _| w.member,
        ),
        r(Method::GET, "/me/outflow-reports", |_| "/api/v1/me/outflow-reports".into(), none, false, |w, _| w.member),
        r(
            Method::POST,
            "/me/outflow-reports",
            |_| "/api/v1/me/outflow-reports".into(),
            |_| Some(json!({})),
            false,
            |w, _| w.member,
        ),
        r(Method::GET, "/outflow-reports", |_| "/api/v1/outflow-reports".into(), none, false, |w, _| w.member_write),
        r(
            Method::POST,
            "/outflow-reports/{id}/confirm",
            |o| format!("/api/v1/outflow-reports/{}/confirm", o.report),
            // An organisation that does not exist: refused (422) after the access check, nothing written.
            |_| Some(json!({"receiving_org_id": 999999999})),
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::POST,
            "/outflow-reports/{id}/decline",
            |o| format!("/api/v1/outflow-reports/{}/decline", o.report),
            |_| Some(json!({"reason": ""})),
            true,
            |w, i| w.member_write && i,
        ),
        r(Method::GET, "/duties", |o| format!("/api/v1/duties?org={}", o.org), none, true, |w, i| w.org_read && i),
        r(
            Method::GET,
            "/duties/board",
            |o| format!("/api/v1/duties/board?org={}", o.org),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(Method::GET, "/duty-rules", |_| "/api/v1/duty-rules".into(), none, false, |w, _| w.org_read),
        r(Method::PUT, "/duty-rules", |_| "/api/v1/duty-rules".into(), |_| Some(json!([])), false, |w, _| w.county),
        r(Method::GET, "/notifications", |_| "/api/v1/notifications".into(), none, false, |w, _| w.logged_in),
        r(
            Method::POST,
            "/notifications/{id}/read",
            |_| "/api/v1/notifications/0/read".into(),
            none,
            false,
            |w, _| w.logged_in,
        ),
        r(
            Method::POST,
            "/notifications/read-all",
            |_| "/api/v1/notifications/read-all".into(),
            none,
            false,
            |w, _| w.logged_in,
        ),
        // Communities and goals.
        r(Method::GET, "/communities", |_| "/api/v1/communities".into(), none, false, |w, _| w.org_read),
        r(Method::GET, "/alliances", |_| "/api/v1/alliances".into(), none, false, |w, _| w.org_read),
        r(
            Method::GET,
            "/communities/{id}",
            |o| format!("/api/v1/communities/{}", o.g.community),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::PUT,
            "/communities/{id}/members",
            |o| format!("/api/v1/communities/{}/members", o.g.community),
            |o| Some(json!({"org_id": o.org, "role": "bad"})),
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::DELETE,
            "/communities/{id}/members/{org_id}",
            |o| format!("/api/v1/communities/{}/members/{}", o.g.community, o.g.extra_member),
            none,
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::POST,
            "/communities/{id}/part-time-members",
            |o| format!("/api/v1/communities/{}/part-time-members", o.g.community),
            |_| Some(json!({"name": "", "unit": ""})),
            true,
            |w, i| w.county && i,
        ),
        r(Method::GET, "/community-roles", |_| "/api/v1/community-roles".into(), none, false, |w, _| w.org_read),
        r(
            Method::PUT,
            "/community-roles",
            |_| "/api/v1/community-roles".into(),
            |_| Some(json!([])),
            false,
            |w, _| w.county,
        ),
        r(
            Method::GET,
            "/alliances/{id}/rota",
            |o| format!("/api/v1/alliances/{}/rota?from=2026-01-01&to=2026-12-31", o.g.community),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::PUT,
            "/alliances/{id}/rota",
            |o| format!("/api/v1/alliances/{}/rota", o.g.community),
            |_| Some(json!({"anchor": "2026-01-01", "months": 0})),
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::POST,
            "/alliances/{id}/secretaries",
            |o| format!("/api/v1/alliances/{}/secretaries", o.g.community),
            |_| Some(json!({"name": ""})),
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::POST,
            "/alliances/{id}/swaps",
            |o| format!("/api/v1/alliances/{}/swaps", o.g.community),
            |_| Some(json!({"term_start": "2026-01-01", "secretary_id": 0, "reason": ""})),
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::POST,
            "/alliances/{id}/handovers",
            |o| format!("/api/v1/alliances/{}/handovers", o.g.community),
            |_| Some(json!({"term_start": "2026-01-01", "note": ""})),
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::GET,
            "/instructor-groups",
            |_| "/api/v1/instructor-groups".into(),
            none,
            false,
            |w, _| w.county || w.name == "instructor",
        ),
        r(
            Method::POST,
            "/instructor-groups",
            |_| "/api/v1/instructor-groups".into(),
            |o| Some(json!({"name": "", "org_id": o.org, "user_ids": []})),
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::POST,
            "/instructor-groups/{id}/assignments",
            |o| format!("/api/v1/instructor-groups/{}/assignments", o.g.group),
            |o| Some(json!({"org_id": o.org})),
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::DELETE,
            "/instructor-groups/{id}/assignments/{org_id}",
            |o| format!("/api/v1/instructor-groups/{}/assignments/{}", o.g.group, o.g.extra_member),
            none,
            true,
            |w, i| w.county && i,
        ),
        r(Method::GET, "/visits", |o| format!("/api/v1/visits?org={}", o.org), none, true, |w, i| w.org_read && i),
        r(
            Method::POST,
            "/visits",
            |_| "/api/v1/visits".into(),
            |o| Some(json!({"org_id": o.org, "visited_on": "2026-01-01", "findings": ""})),
            true,
            |w, i| (w.county || w.name == "instructor") && i,
        ),
        r(
            Method::POST,
            "/visits/{id}/close",
            |o| format!("/api/v1/visits/{}/close", o.g.visit),
            none,
            true,
            |w, i| (w.county || w.name == "instructor") && i,
        ),
        r(Method::GET, "/task-lists", |_| "/api/v1/task-lists?year=2026".into(), none, false, |w, _| w.org_read),
        r(
            Method::POST,
            "/task-lists",
            |_| "/api/v1/task-lists".into(),
            |o| Some(json!({"org_id": o.org, "year": 2026, "title": ""})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::POST,
            "/task-lists/{id}/meetings",
            |o| format!("/api/v1/task-lists/{}/meetings", o.g.task_list),
            |_| Some(json!({"held_on": "2026-01-01", "title": "", "decisions": ""})),
            true,
            |w, i| w.county && i,
        ),
        r(Method::GET, "/tasks", |o| format!("/api/v1/tasks?org={}", o.org), none, true, |w, i| w.org_read && i),
        r(
            Method::POST,
            "/tasks",
            |_| "/api/v1/tasks".into(),
            |o| Some(json!({"list_id": o.g.task_list, "owner_org_id": o.org, "title": "", "deadline": "2026-01-01"})),
            true,
            |w, i| w.county && i,
        ),
        r(Method::GET, "/tasks/{id}", |o| format!("/api/v1/tasks/{}", o.g.task), none, true, |w, i| w.org_read && i),
        r(
            Method::PATCH,
            "/tasks/{id}",
            |o| format!("/api/v1/tasks/{}", o.g.task),
            |o| Some(json!({"owner_org_id": o.org, "title": "", "deadline": "2026-01-01"})),
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::POST,
            "/tasks/{id}/reports",
            |o| format!("/api/v1/tasks/{}/reports", o.g.task),
            |_| Some(json!({"percent": 101, "note": ""})),
            true,
            |w, i| w.org_write && i,
        ),
        Row {
            upload: true,
            ..r(
                Method::POST,
                "/tasks/{id}/reports/{report_id}/evidence",
                |o| format!("/api/v1/tasks/{}/reports/{}/evidence", o.g.task, o.g.report),
                none,
                true,
                |w, i| w.county && i,
            )
        },
        r(
            Method::GET,
            "/tasks/{id}/evidence/{evidence_id}",
            |o| format!("/api/v1/tasks/{}/evidence/{}", o.g.task, o.g.evidence),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::GET,
            "/task-rollup",
            |o| format!("/api/v1/task-rollup?org={}", o.org),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(Method::GET, "/hosts", |o| format!("/api/v1/hosts?org={}", o.org), none, true, |w, i| w.org_read && i),
        r(
            Method::POST,
            "/hosts",
            |_| "/api/v1/hosts".into(),
            |o| Some(json!({"name": "", "kind": "bad", "region_code": "x", "org_id": o.org, "coverage": "bad"})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::PATCH,
            "/hosts/{id}",
            |o| format!("/api/v1/hosts/{}", o.g.host),
            |o| Some(json!({"name": "", "kind": "bad", "region_code": "x", "org_id": o.org, "coverage": "bad"})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/stats/coverage",
            |o| format!("/api/v1/stats/coverage?org={}", o.org),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(Method::GET, "/coverage-censuses", |_| "/api/v1/coverage-censuses".into(), none, false, |w, _| w.org_read),
        r(
            Method::POST,
            "/coverage-censuses",
            |_| "/api/v1/coverage-censuses".into(),
            |o| Some(json!({"name": "", "period": "x", "org_id": o.org})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/coverage-censuses/{id}/entries",
            |o| format!("/api/v1/coverage-censuses/{}/entries", o.g.census),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::PUT,
            "/coverage-censuses/{id}/entries/{entry_id}",
            |o| format!("/api/v1/coverage-censuses/{}/entries/{}", o.g.census, o.g.entry),
            |_| Some(json!({"coverage": "bad"})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::POST,
            "/coverage-censuses/{id}/close",
            |o| format!("/api/v1/coverage-censuses/{}/close", o.g.census),
            none,
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::GET,
            "/brand-projects",
            |o| format!("/api/v1/brand-projects?org={}", o.org),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::POST,
            "/brand-projects",
            |_| "/api/v1/brand-projects".into(),
            |o| Some(json!({"org_id": o.org, "name": "", "goal": "", "checklist": []})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::PATCH,
            "/brand-projects/{id}",
            |o| format!("/api/v1/brand-projects/{}", o.g.brand),
            |_| Some(json!({"name": "", "goal": "", "checklist": []})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/service-places",
            |o| format!("/api/v1/service-places?org={}", o.org),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::POST,
            "/service-places",
            |_| "/api/v1/service-places".into(),
            |o| Some(json!({"org_id": o.org, "kind": "center", "name": "", "address": ""})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/service-places/{id}",
            |o| format!("/api/v1/service-places/{}", o.g.place),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::PATCH,
            "/service-places/{id}",
            |o| format!("/api/v1/service-places/{}", o.g.place),
            |_| Some(json!({"kind": "center", "name": "", "address": ""})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::POST,
            "/service-places/{id}/inspections",
            |o| format!("/api/v1/service-places/{}/inspections", o.g.place),
            |_| Some(json!({"inspected_on": "2026-01-01", "inspector": "", "ticked": []})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::POST,
            "/service-places/{id}/spends",
            |o| format!("/api/v1/service-places/{}/spends", o.g.place),
            |_| Some(json!({"spent_on": "2026-01-01", "amount": "", "purpose": ""})),
            true,
            |w, i| w.org_write && i,
        ),
        Row {
            upload: true,
            ..r(
                Method::POST,
                "/service-places/{id}/photos",
                |o| format!("/api/v1/service-places/{}/photos", o.g.place),
                none,
                true,
                |w, i| w.org_write && i,
            )
        },
        r(
            Method::GET,
            "/service-places/{id}/photos/{photo_id}",
            |o| format!("/api/v1/service-places/{}/photos/{}", o.g.place, o.g.place_photo),
            none,
            true,
            // Service places are public service points: members see them (and their photos) on the phone.
            |w, i| (w.org_read || w.member) && i,
        ),
        r(
            Method::DELETE,
            "/service-places/{id}/photos/{photo_id}",
            |o| format!("/api/v1/service-places/{}/photos/{}", o.g.place, o.g.spare_photo),
            none,
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/me/service-places",
            |_| "/api/v1/me/service-places?near_lng=113.26&near_lat=23.13".into(),
            none,
            false,
            |w, _| w.member,
        ),
        r(
            Method::GET,
            "/service-places/standard",
            |_| "/api/v1/service-places/standard".into(),
            none,
            false,
            |w, _| w.org_read,
        ),
        r(
            Method::PUT,
            "/service-places/standard",
            |_| "/api/v1/service-places/standard".into(),
            |_| Some(json!({"items": []})),
            false,
            |w, _| w.county,
        ),
        r(Method::GET, "/departments", |_| "/api/v1/departments".into(), none, false, |w, _| w.org_read || w.member),
        r(
            Method::POST,
            "/departments",
            |_| "/api/v1/departments".into(),
            |_| Some(json!({"name": ""})),
            false,
            |w, _| w.county,
        ),
        r(
            Method::PATCH,
            "/departments/{id}",
            |o| format!("/api/v1/departments/{}", o.g.department),
            |_| Some(json!({"name": ""})),
            true,
            |w, i| w.county && i,
        ),
        r(Method::GET, "/policies", |_| "/api/v1/policies?q=补贴".into(), none, false, |w, _| w.org_read || w.member),
        r(
            Method::POST,
            "/policies",
            |_| "/api/v1/policies".into(),
            |_| {
                Some(json!({"department_id": 0, "doc_no": "", "title": "", "summary": "", "body": "",
                            "issued_on": "2026-01-01", "effective_from": "2026-01-01", "effective_until": null}))
            },
            false,
            |w, _| w.county,
        ),
        r(
            Method::GET,
            "/policies/{id}",
            |o| format!("/api/v1/policies/{}", o.g.policy),
            none,
            true,
            |w, i| (w.org_read || w.member) && i,
        ),
        r(
            Method::PATCH,
            "/policies/{id}",
            |o| format!("/api/v1/policies/{}", o.g.policy),
            |_| {
                Some(json!({"department_id": 0, "doc_no": "", "title": "", "summary": "", "body": "",
                            "issued_on": "2026-01-01", "effective_from": "2026-01-01", "effective_until": null}))
            },
            true,
            |w, i| w.county && i,
        ),
        r(Method::GET, "/outreach-visits", |_| "/api/v1/outreach-visits".into(), none, false, |w, _| w.org_write),
        r(
            Method::POST,
            "/outreach-visits",
            |_| "/api/v1/outreach-visits".into(),
            |o| {
                Some(json!({"org_id": o.org, "host_id": 0, "visited_on": "2026-01-01", "kinds": [], "visitors": "",
                            "summary": ""}))
            },
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/outreach-visits/figures",
            |_| "/api/v1/outreach-visits/figures".into(),
            none,
            false,
            |w, _| w.org_write,
        ),
        r(
            Method::GET,
            "/outreach-visits/{id}",
            |o| format!("/api/v1/outreach-visits/{}", o.g.outreach),
            none,
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::PATCH,
            "/outreach-visits/{id}",
            |o| format!("/api/v1/outreach-visits/{}", o.g.outreach),
            |o| {
                Some(json!({"org_id": o.org, "host_id": 0, "visited_on": "2026-01-01", "kinds": [], "visitors": "",
                            "summary": ""}))
            },
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::DELETE,
            "/outreach-visits/{id}",
            |o| format!("/api/v1/outreach-visits/{}", o.outreach_spare),
            none,
            true,
            |w, i| w.org_write && i,
        ),
        r(Method::GET, "/care-donations", |_| "/api/v1/care-donations".into(), none, false, |w, _| w.org_read),
        r(
            Method::POST,
            "/care-donations",
            |_| "/api/v1/care-donations".into(),
            |o| {
                Some(
                    json!({"org_id": o.org, "donor_kind": "person", "donor_name": "", "amount": "", "received_on": "2026-01-01",
                            "receipt_no": ""}),
                )
            },
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/care-donations/{id}/letter.pdf",
            |o| format!("/api/v1/care-donations/{}/letter.pdf", o.g.donation),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::POST,
            "/care-donations/{id}/void",
            |o| format!("/api/v1/care-donations/{}/void", o.g.donation),
            |_| Some(json!({"reason": ""})),
            true,
            |w, i| w.county && i,
        ),
        r(Method::GET, "/care-aids", |_| "/api/v1/care-aids".into(), none, false, |w, _| w.org_read),
        r(
            Method::POST,
            "/care-aids",
            |_| "/api/v1/care-aids".into(),
            |o| {
                Some(json!({"org_id": o.org, "year": 2026, "student_name": "", "family_situation": "", "school": "",
                            "grade": "", "asked": ""}))
            },
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/care-aids/{id}",
            |o| format!("/api/v1/care-aids/{}", o.g.aid),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::POST,
            "/care-aids/{id}/steps",
            |o| format!("/api/v1/care-aids/{}/steps", o.g.aid),
            |_| Some(json!({"step": "review", "on": "2099-01-01"})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::POST,
            "/care-aids/{id}/objections",
            |o| format!("/api/v1/care-aids/{}/objections", o.g.aid),
            |_| Some(json!({"received_on": "2026-01-01", "content": ""})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::POST,
            "/care-aids/{id}/objections/{objection_id}",
            |o| format!("/api/v1/care-aids/{}/objections/{}", o.g.aid, o.g.objection),
            |_| Some(json!({"upheld": false, "handling": ""})),
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::POST,
            "/care-aids/{id}/renewal",
            |o| format!("/api/v1/care-aids/{}/renewal", o.g.aid),
            |_| Some(json!({})),
            true,
            |w, i| w.org_write && i,
        ),
        r(Method::GET, "/care-fund/ledger", |_| "/api/v1/care-fund/ledger".into(), none, false, |w, _| w.org_read),
        r(
            Method::GET,
            "/care-fund/report.xlsx",
            |_| "/api/v1/care-fund/report.xlsx?year=2026".into(),
            none,
            false,
            |w, _| w.org_read,
        ),
        r(
            Method::GET,
            "/care-fund/report.pdf",
            |_| "/api/v1/care-fund/report.pdf?year=2026".into(),
            none,
            false,
            |w, _| w.org_read,
        ),
        r(Method::GET, "/care-fund/settings", |_| "/api/v1/care-fund/settings".into(), none, false, |w, _| w.org_read),
        r(
            Method::PUT,
            "/care-fund/settings",
            |_| "/api/v1/care-fund/settings".into(),
            |_| Some(json!({"notice_days": 0})),
            false,
            |w, _| w.county,
        ),
        r(
            Method::POST,
            "/members/{id}/suspension-proposals/{proposal_id}/decision",
            |o| format!("/api/v1/members/{}/suspension-proposals/{}/decision", o.g.lost_member, o.g.proposal),
            |_| Some(json!({"approve": false, "on": "2099-01-01"})),
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::GET,
            "/members/{id}/dues",
            |o| format!("/api/v1/members/{}/dues", o.member),
            none,
            true,
            |w, i| (w.member_read || w.member) && i,
        ),
        r(
            Method::PUT,
            "/members/{id}/dues-base",
            |o| format!("/api/v1/members/{}/dues-base", o.member),
            |_| Some(json!({"from": "bad", "category": "employed"})),
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::POST,
            "/members/{id}/dues-payments",
            |o| format!("/api/v1/members/{}/dues-payments", o.member),
            |_| Some(json!({"months": [], "paid_on": "2026-01-01", "method": ""})),
            true,
            |w, i| w.member_write && i,
        ),
        r(Method::GET, "/dues/summary", |_| "/api/v1/dues/summary".into(), none, false, |w, _| w.member_read),
        r(Method::GET, "/dues/ledger.xlsx", |_| "/api/v1/dues/ledger.xlsx".into(), none, false, |w, _| w.member_write),
        r(Method::GET, "/dues/ledger.pdf", |_| "/api/v1/dues/ledger.pdf".into(), none, false, |w, _| w.member_write),
        r(Method::GET, "/me/dues", |_| "/api/v1/me/dues".into(), none, false, |w, _| w.member),
        r(Method::GET, "/recruits", |_| "/api/v1/recruits".into(), none, false, |w, _| w.member_read),
        r(
            Method::GET,
            "/recruits/roster.xlsx",
            |_| "/api/v1/recruits/roster.xlsx".into(),
            none,
            false,
            |w, _| w.member_read,
        ),
        r(
            Method::GET,
            "/recruits/roster.pdf",
            |_| "/api/v1/recruits/roster.pdf".into(),
            none,
            false,
            |w, _| w.member_read,
        ),
        r(
            Method::POST,
            "/recruits",
            |_| "/api/v1/recruits".into(),
            |o| Some(json!({"org_id": o.org, "name": "", "id_number": "1", "applied_on": "2026-01-01"})),
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::GET,
            "/recruits/{id}",
            |o| format!("/api/v1/recruits/{}", o.g.recruit),
            none,
            true,
            |w, i| w.member_read && i,
        ),
        r(
            Method::POST,
            "/recruits/{id}/steps",
            |o| format!("/api/v1/recruits/{}/steps", o.g.recruit),
            |_| Some(json!({"step": 99, "done_on": "2026-01-01"})),
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::POST,
            "/recruits/{id}/extension",
            |o| format!("/api/v1/recruits/{}/extension", o.g.recruit),
            |_| Some(json!({"months": 0, "on": "2026-01-01", "reason": ""})),
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::POST,
            "/recruits/{id}/stop",
            |o| format!("/api/v1/recruits/{}/stop", o.g.recruit),
            |_| Some(json!({"on": "2099-01-01", "reason": ""})),
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::GET,
            "/recruitment/summary",
            |_| "/api/v1/recruitment/summary".into(),
            none,
            false,
            |w, _| w.member_read,
        ),
        r(
            Method::GET,
            "/recruitment/settings",
            |_| "/api/v1/recruitment/settings".into(),
            none,
            false,
            |w, _| w.org_read,
        ),
        r(
            Method::PUT,
            "/recruitment/settings",
            |_| "/api/v1/recruitment/settings".into(),
            |_| Some(json!({"talk_within_days": 0, "activist_after_months": 0, "notice_working_days": 0})),
            false,
            |w, _| w.county,
        ),
        r(Method::GET, "/me/recruitment", |_| "/api/v1/me/recruitment".into(), none, false, |w, _| w.member),
        r(
            Method::POST,
            "/recruits/{id}/progress-code",
            |o| format!("/api/v1/recruits/{}/progress-code", o.g.recruit),
            none,
            true,
            |w, i| w.member_write && i,
        ),
        // Public: the code is the credential (a bad one is refused by field, for anyone).
        r(
            Method::POST,
            "/recruitment/progress",
            |_| "/api/v1/recruitment/progress".into(),
            |_| Some(json!({"code": "", "id_tail": ""})),
            false,
            |_, _| true,
        ),
        r(Method::GET, "/transfers", |_| "/api/v1/transfers".into(), none, false, |w, _| w.member_read),
        r(
            Method::POST,
            "/transfers",
            |_| "/api/v1/transfers".into(),
            |o| Some(json!({"member_id": o.member, "to_org_id": 0})),
            true,
            |w, i| w.member_write && i,
        ),
        r(Method::GET, "/transfers/summary", |_| "/api/v1/transfers/summary".into(), none, false, |w, _| w.member_read),
        r(
            Method::GET,
            "/transfers/destinations",
            |_| "/api/v1/transfers/destinations".into(),
            none,
            false,
            |w, _| w.member_write,
        ),
        r(
            Method::POST,
            "/transfers/letters",
            |_| "/api/v1/transfers/letters".into(),
            |o| Some(json!({"member_id": o.member, "to_name": "", "issued_on": "2099-01-01"})),
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::POST,
            "/transfers/incoming",
            |_| "/api/v1/transfers/incoming".into(),
            |o| {
                Some(json!({"org_id": o.org, "letter_no": "", "from_name": "", "issued_on": "2099-01-01",
                            "member": {"name": "", "id_number": "1", "category": "full", "joined_on": "2000-01-01"}}))
            },
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::GET,
            "/transfers/{id}",
            |o| format!("/api/v1/transfers/{}", o.g.transfer),
            none,
            true,
            |w, i| w.member_read && i,
        ),
        r(
            Method::POST,
            "/transfers/{id}/accept",
            |o| format!("/api/v1/transfers/{}/accept", o.g.transfer),
            |_| Some(json!({"on": "2099-01-01"})),
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::POST,
            "/transfers/{id}/refuse",
            |o| format!("/api/v1/transfers/{}/refuse", o.g.transfer),
            |_| Some(json!({"reason": ""})),
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::POST,
            "/transfers/{id}/cancel",
            |o| format!("/api/v1/transfers/{}/cancel", o.g.transfer),
            |_| Some(json!({"reason": "很".repeat(201)})),
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::POST,
            "/transfers/{id}/receipt",
            |o| format!("/api/v1/transfers/{}/receipt", o.g.transfer),
            |_| Some(json!({"on": "2099-01-01"})),
            true,
            |w, i| w.member_write && i,
        ),
        r(
            Method::GET,
            "/transfers/{id}/letter.pdf",
            |o| format!("/api/v1/transfers/{}/letter.pdf", o.g.transfer),
            none,
            true,
            |w, i| w.unmask && i,
        ),
        r(
            Method::GET,
            "/transfers/{id}/receipt.pdf",
            |o| format!("/api/v1/transfers/{}/receipt.pdf", o.g.transfer),
            none,
            true,
            |w, i| w.member_write && i,
        ),
        r(Method::GET, "/honour-campaigns", |_| "/api/v1/honour-campaigns".into(), none, false, |w, _| w.org_read),
        r(
            Method::POST,
            "/honour-campaigns",
            |_| "/api/v1/honour-campaigns".into(),
            |o| Some(json!({"org_id": o.org, "year": 2026, "title": ""})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/honour-campaigns/{id}",
            |o| format!("/api/v1/honour-campaigns/{}", o.g.campaign),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::PUT,
            "/honour-campaigns/{id}/quotas",
            |o| format!("/api/v1/honour-campaigns/{}/quotas", o.g.campaign),
            |_| Some(json!({"items": []})),
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::POST,
            "/honour-campaigns/{id}/notice",
            |o| format!("/api/v1/honour-campaigns/{}/notice", o.g.campaign),
            |_| Some(json!({})),
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::POST,
            "/honour-campaigns/{id}/award",
            |o| format!("/api/v1/honour-campaigns/{}/award", o.g.campaign),
            |_| Some(json!({"on": "2099-01-01"})),
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::GET,
            "/honour-campaigns/{id}/list.xlsx",
            |o| format!("/api/v1/honour-campaigns/{}/list.xlsx", o.g.campaign),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::GET,
            "/honour-campaigns/{id}/list.pdf",
            |o| format!("/api/v1/honour-campaigns/{}/list.pdf", o.g.campaign),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::POST,
            "/honour-nominations",
            |_| "/api/v1/honour-nominations".into(),
            |o| {
                Some(
                    json!({"campaign_id": o.g.campaign, "honour": "", "org_id": o.org, "deeds": "", "discussed_on": "2026-01-01",
                            "votes_for": 0, "votes_total": 0}),
                )
            },
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/honour-nominations/{id}",
            |o| format!("/api/v1/honour-nominations/{}", o.g.nomination),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::POST,
            "/honour-nominations/{id}/review",
            |o| format!("/api/v1/honour-nominations/{}/review", o.g.nomination),
            |_| Some(json!({"on": "2099-01-01"})),
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::POST,
            "/honour-nominations/{id}/objections",
            |o| format!("/api/v1/honour-nominations/{}/objections", o.g.noticed),
            |_| Some(json!({"received_on": "2026-01-01", "content": ""})),
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::POST,
            "/honour-nominations/{id}/objections/{objection_id}",
            |o| format!("/api/v1/honour-nominations/{}/objections/{}", o.g.noticed, o.g.honour_objection),
            |_| Some(json!({"upheld": false, "handling": ""})),
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::POST,
            "/honour-nominations/{id}/withdrawal",
            |o| format!("/api/v1/honour-nominations/{}/withdrawal", o.g.nomination),
            |_| Some(json!({"reason": ""})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/members/{id}/honours",
            |o| format!("/api/v1/members/{}/honours", o.member),
            none,
            true,
            |w, i| w.member_read && i,
        ),
        r(
            Method::GET,
            "/orgs/{id}/honours",
            |o| format!("/api/v1/orgs/{}/honours", o.org),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(Method::GET, "/me/honours", |_| "/api/v1/me/honours".into(), none, false, |w, _| w.member),
        r(Method::GET, "/honour-settings", |_| "/api/v1/honour-settings".into(), none, false, |w, _| w.org_read),
        r(
            Method::PUT,
            "/honour-settings",
            |_| "/api/v1/honour-settings".into(),
            |_| Some(json!({"notice_days": 0})),
            false,
            |w, _| w.county,
        ),
        r(Method::GET, "/investment-drives", |_| "/api/v1/investment-drives".into(), none, false, |w, _| w.org_read),
        r(
            Method::POST,
            "/investment-drives",
            |_| "/api/v1/investment-drives".into(),
            |o| Some(json!({"org_id": o.org, "held_on": "2026-01-01", "city": "", "title": "", "leaders": ""})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/investment-drives/{id}",
            |o| format!("/api/v1/investment-drives/{}", o.g.drive),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::PATCH,
            "/investment-drives/{id}",
            |o| format!("/api/v1/investment-drives/{}", o.g.drive),
            |o| Some(json!({"org_id": o.org, "held_on": "2026-01-01", "city": "", "title": "", "leaders": ""})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::DELETE,
            "/investment-drives/{id}",
            |o| format!("/api/v1/investment-drives/{}", o.g.drive),
            none,
            true,
            |w, i| w.org_write && i,
        ),
        Row {
            upload: true,
            ..r(
                Method::POST,
                "/investment-drives/{id}/materials",
                |o| format!("/api/v1/investment-drives/{}/materials", o.g.drive),
                none,
                true,
                |w, i| w.org_write && i,
            )
        },
        r(
            Method::GET,
            "/investment-drives/{id}/materials/{material_id}",
            |o| format!("/api/v1/investment-drives/{}/materials/{}", o.g.drive, o.g.drive_file),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::DELETE,
            "/investment-drives/{id}/materials/{material_id}",
            |o| format!("/api/v1/investment-drives/{}/materials/{}", o.g.drive, o.g.drive_spare_file),
            none,
            true,
            |w, i| w.org_write && i,
        ),
        r(Method::GET, "/investment-leads", |_| "/api/v1/investment-leads".into(), none, false, |w, _| w.org_read),
        r(
            Method::POST,
            "/investment-leads",
            |_| "/api/v1/investment-leads".into(),
            |o| {
                Some(
                    json!({"org_id": o.org, "project": "", "sector": "other", "investor": "", "town": "", "amount": ""}),
                )
            },
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/investment-leads/{id}",
            |o| format!("/api/v1/investment-leads/{}", o.g.lead),
            none,
            true,
            |w, i| w.org_read && i,
        ),
        r(
            Method::PATCH,
            "/investment-leads/{id}",
            |o| format!("/api/v1/investment-leads/{}", o.g.lead),
            |o| {
                Some(
                    json!({"org_id": o.org, "project": "", "sector": "other", "investor": "", "town": "", "amount": ""}),
                )
            },
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::POST,
            "/investment-leads/{id}/steps",
            |o| format!("/api/v1/investment-leads/{}/steps", o.g.lead),
            |_| Some(json!({"to": "lead", "on": "2026-04-01"})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/investment-leads/figures",
            |_| "/api/v1/investment-leads/figures".into(),
            none,
            false,
            |w, _| w.org_read,
        ),
        r(
            Method::GET,
            "/investment-leads/ledger.xlsx",
            |_| "/api/v1/investment-leads/ledger.xlsx".into(),
            none,
            false,
            |w, _| w.org_read,
        ),
        r(
            Method::GET,
            "/investment-leads/ledger.pdf",
            |_| "/api/v1/investment-leads/ledger.pdf".into(),
            none,
            false,
            |w, _| w.org_read,
        ),
        r(
            Method::GET,
            "/me/investment-drives",
            |_| "/api/v1/me/investment-drives".into(),
            none,
            false,
            |w, _| w.member,
        ),
        r(
            Method::GET,
            "/investment-settings",
            |_| "/api/v1/investment-settings".into(),
            none,
            false,
            |w, _| w.org_read,
        ),
        r(
            Method::PUT,
            "/investment-settings",
            |_| "/api/v1/investment-settings".into(),
            |_| Some(json!({"stale_days": 3})),
            false,
            |w, _| w.county,
        ),
        r(Method::GET, "/bulletins", |_| "/api/v1/bulletins".into(), none, false, |w, _| w.org_write),
        r(
            Method::POST,
            "/bulletins",
            |_| "/api/v1/bulletins".into(),
            |o| Some(json!({"org_id": o.org, "kind": "notice", "title": "", "body": ""})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/bulletins/{id}",
            |o| format!("/api/v1/bulletins/{}", o.g.bulletin),
            none,
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::PATCH,
            "/bulletins/{id}",
            |o| format!("/api/v1/bulletins/{}", o.g.bulletin),
            |o| Some(json!({"org_id": o.org, "kind": "notice", "title": "", "body": ""})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::POST,
            "/bulletins/{id}/withdraw",
            |o| format!("/api/v1/bulletins/{}/withdraw", o.g.bulletin_spare),
            none,
            true,
            |w, i| w.org_write && i,
        ),
        Row {
            upload: true,
            ..r(
                Method::POST,
                "/bulletins/{id}/attachments",
                |o| format!("/api/v1/bulletins/{}/attachments", o.g.bulletin),
                none,
                true,
                |w, i| w.org_write && i,
            )
        },
        r(
            Method::GET,
            "/bulletins/{id}/attachments/{attachment_id}",
            |o| format!("/api/v1/bulletins/{}/attachments/{}", o.g.bulletin, o.g.bulletin_file),
            none,
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::DELETE,
            "/bulletins/{id}/attachments/{attachment_id}",
            |o| format!("/api/v1/bulletins/{}/attachments/{}", o.g.bulletin, o.g.bulletin_spare_file),
            none,
            true,
            |w, i| w.org_write && i,
        ),
        r(Method::GET, "/me/bulletins", |_| "/api/v1/me/bulletins".into(), none, false, |w, _| w.member),
        r(
            Method::GET,
            "/me/bulletins/{id}",
            |o| format!("/api/v1/me/bulletins/{}", o.g.bulletin),
            none,
            true,
            |w, i| w.member && i,
        ),
        r(
            Method::GET,
            "/me/bulletins/{id}/attachments/{attachment_id}",
            |o| format!("/api/v1/me/bulletins/{}/attachments/{}", o.g.bulletin, o.g.bulletin_file),
            none,
            true,
            |w, i| w.member && i,
        ),
        r(Method::GET, "/greetings", |_| "/api/v1/greetings".into(), none, false, |w, _| w.org_write),
        r(
            Method::POST,
            "/greetings",
            |_| "/api/v1/greetings".into(),
            |o| Some(json!({"org_id": o.org, "occasion": "", "title": "", "body": ""})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/greetings/reach",
            |o| format!("/api/v1/greetings/reach?org={}", o.org),
            none,
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/greetings/{id}",
            |o| format!("/api/v1/greetings/{}", o.g.greeting),
            none,
            true,
            |w, i| w.org_write && i,
        ),
        r(Method::GET, "/notify/prefs", |_| "/api/v1/notify/prefs".into(), none, false, |w, _| w.logged_in),
        r(
            Method::PUT,
            "/notify/prefs",
            |_| "/api/v1/notify/prefs".into(),
            |_| Some(json!({"email_on": false})),
            false,
            |w, _| w.logged_in,
        ),
        r(Method::GET, "/notify/robots", |_| "/api/v1/notify/robots".into(), none, false, |w, _| w.org_write),
        r(
            Method::POST,
            "/notify/robots",
            |_| "/api/v1/notify/robots".into(),
            |o| Some(json!({"org_id": o.org, "kind": "wecom", "name": "", "webhook_url": ""})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::POST,
            "/notify/robots/{id}/test",
            |o| format!("/api/v1/notify/robots/{}/test", o.g.robot),
            none,
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::POST,
            "/notify/robots/{id}/disable",
            |o| format!("/api/v1/notify/robots/{}/disable", o.g.robot),
            none,
            true,
            |w, i| w.org_write && i,
        ),
        r(Method::GET, "/notify/outbox", |_| "/api/v1/notify/outbox".into(), none, false, |w, _| w.org_write),
        r(
            Method::POST,
            "/notify/outbox/{id}/retry",
            |o| format!("/api/v1/notify/outbox/{}/retry", o.g.outbox),
            none,
            true,
            |w, i| w.org_write && i,
        ),
        r(Method::GET, "/needs", |_| "/api/v1/needs".into(), none, false, |w, _| w.org_write || w.member),
        r(
            Method::POST,
            "/needs",
            |_| "/api/v1/needs".into(),
            |o| Some(json!({"kind": "need", "title": "", "description": "", "org_id": o.org})),
            true,
            |w, i| w.org_write && i,
        ),
        r(Method::GET, "/needs/{id}", |o| format!("/api/v1/needs/{}", o.g.need), none, true, |w, i| w.org_write && i),
        r(
            Method::POST,
            "/needs/{id}/messages",
            |o| format!("/api/v1/needs/{}/messages", o.g.need),
            |_| Some(json!({"body": ""})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::POST,
            "/needs/{id}/accept",
            |o| format!("/api/v1/needs/{}/accept", o.g.need),
            |_| Some(json!({"kind": "policy", "id": 0})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::POST,
            "/needs/{id}/outcome",
            |o| format!("/api/v1/needs/{}/outcome", o.g.need),
            |_| Some(json!({"resolved": false})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/service-requests",
            |_| "/api/v1/service-requests".into(),
            none,
            false,
            |w, _| w.org_write || w.member,
        ),
        r(
            Method::POST,
            "/service-requests",
            |_| "/api/v1/service-requests".into(),
            |o| Some(json!({"category_id": 0, "title": "", "description": "", "org_id": o.org})),
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/service-requests/{id}",
            |o| format!("/api/v1/service-requests/{}", o.g.request),
            none,
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::POST,
            "/service-requests/{id}/actions",
            |o| format!("/api/v1/service-requests/{}/actions", o.g.request),
            |_| Some(json!({"action": "supply"})),
            true,
            |w, i| w.org_write && i,
        ),
        Row {
            upload: true,
            ..r(
                Method::POST,
                "/service-requests/{id}/attachments",
                |o| format!("/api/v1/service-requests/{}/attachments", o.g.request),
                none,
                true,
                |w, i| w.org_write && i,
            )
        },
        r(
            Method::GET,
            "/service-requests/{id}/attachments/{attachment_id}",
            |o| format!("/api/v1/service-requests/{}/attachments/{}", o.g.request, o.g.request_file),
            none,
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/service-requests/hosts",
            |o| format!("/api/v1/service-requests/hosts?org={}", o.org),
            none,
            true,
            |w, i| w.org_write && i,
        ),
        r(
            Method::GET,
            "/service-requests/figures",
            |_| "/api/v1/service-requests/figures".into(),
            none,
            false,
            |w, _| w.county,
        ),
        r(
            Method::GET,
            "/service-requests/figures.xlsx",
            |_| "/api/v1/service-requests/figures.xlsx".into(),
            none,
            false,
            |w, _| w.county,
        ),
        r(
            Method::GET,
            "/service-requests/figures.pdf",
            |_| "/api/v1/service-requests/figures.pdf".into(),
            none,
            false,
            |w, _| w.county,
        ),
        r(
            Method::GET,
            "/request-categories",
            |_| "/api/v1/request-categories".into(),
            none,
            false,
            |w, _| w.org_write || w.member,
        ),
        r(
            Method::POST,
            "/request-categories",
            |_| "/api/v1/request-categories".into(),
            |_| Some(json!({"name": "", "department_id": 0, "limit_days": 0})),
            false,
            |w, _| w.county,
        ),
        r(
            Method::PATCH,
            "/request-categories/{id}",
            |o| format!("/api/v1/request-categories/{}", o.g.category),
            |_| Some(json!({"name": "", "department_id": 0, "limit_days": 0})),
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::GET,
            "/work-calendar",
            |_| "/api/v1/work-calendar".into(),
            none,
            false,
            |w, _| w.org_read || w.member,
        ),
        r(
            Method::PUT,
            "/work-calendar",
            |_| "/api/v1/work-calendar".into(),
            |_| Some(json!({"year": 2026, "holidays": [], "workdays": []})),
            false,
            |w, _| w.county,
        ),
        r(Method::GET, "/evaluations", |_| "/api/v1/evaluations".into(), none, false, |w, _| w.county),
        r(
            Method::GET,
            "/instructor-candidates",
            |_| "/api/v1/instructor-candidates".into(),
            none,
            false,
            |w, _| w.county,
        ),
        r(
            Method::POST,
            "/evaluations",
            |_| "/api/v1/evaluations".into(),
            |o| {
                Some(json!({"org_id": o.org, "kind": "bad", "title": "", "period": "x", "sheet": [], "target_ids": []}))
            },
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::GET,
            "/evaluations/{id}",
            |o| format!("/api/v1/evaluations/{}", o.g.evaluation),
            none,
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::PUT,
            "/evaluations/{id}/scores",
            |o| format!("/api/v1/evaluations/{}/scores", o.g.evaluation),
            |_| Some(json!({"target_id": 0, "scores": {}})),
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::POST,
            "/evaluations/{id}/close",
            |o| format!("/api/v1/evaluations/{}/close", o.g.evaluation),
            none,
            true,
            |w, i| w.county && i,
        ),
        r(Method::GET, "/reviews", |_| "/api/v1/reviews".into(), none, false, |w, _| w.county),
        r(
            Method::PUT,
            "/reviews",
            |_| "/api/v1/reviews".into(),
            |o| Some(json!({"org_id": o.org, "year": 2026, "rating": "bad"})),
            true,
            |w, i| w.county && i,
        ),
        r(Method::GET, "/grant-criteria", |_| "/api/v1/grant-criteria".into(), none, false, |w, _| w.county),
        r(
            Method::PUT,
            "/grant-criteria",
            |_| "/api/v1/grant-criteria".into(),
            |_| Some(json!({"coverage": 0, "duties": 0, "tasks": 0, "brand": 0, "manual": 0, "tiers": []})),
            false,
            |w, _| w.county,
        ),
        r(Method::GET, "/incentive-grants", |_| "/api/v1/incentive-grants".into(), none, false, |w, _| w.county),
        r(
            Method::POST,
            "/incentive-grants/assess",
            |_| "/api/v1/incentive-grants/assess".into(),
            |o| Some(json!({"org_id": o.org, "year": 2026})),
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::PUT,
            "/incentive-grants/{id}/manual",
            |o| format!("/api/v1/incentive-grants/{}/manual", o.g.grant),
            |_| Some(json!({"manual_percent": 101})),
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::POST,
            "/incentive-grants/{id}/approve",
            |o| format!("/api/v1/incentive-grants/{}/approve", o.g.grant),
            none,
            true,
            |w, i| w.county && i,
        ),
        r(
            Method::POST,
            "/incentive-grants/{id}/disburse",
            |o| format!("/api/v1/incentive-grants/{}/disburse", o.g.grant),
            |_| Some(json!({"amount": "x", "disbursed_on": "2026-01-01", "voucher": ""})),
            true,
            |w, i| w.county && i,
        ),
    ];
    v.sort_by_key(|r| (r.route, r.method.to_string()));

    v
}

/// The names of the organisations and members the rows use, read from the database.
struct Names<'a> {
    t: &'a TestApp,
    cache: std::sync::Mutex<std::collections::HashMap<(bool, i64), String>>,
}

impl Names<'_> {
    async fn lookup(&self, member: bool, id: i64) -> String {
        if let Some(n) = self.cache.lock().unwrap().get(&(member, id)) {
            return n.clone();
        }
        use sea_orm::ConnectionTrait;
        let table = if member { "members" } else { "orgs" };
        let b = self.t.app.db.get_database_backend();
        let sql = format!("SELECT name FROM {table} WHERE id = {id}");
        let row = self.t.app.db.query_one_raw(sea_orm::Statement::from_string(b, sql)).await.unwrap().unwrap();
        let name: String = row.try_get("", "name").unwrap();
        self.cache.lock().unwrap().insert((member, id), name.clone());
        name
    }

    async fn org(&self, id: i64) -> String {
        self.lookup(false, id).await
    }

    async fn member(&self, id: i64) -> String {
        self.lookup(true, id).await
    }
}

/// Where the object of a request lies, seen from the role.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Where {
    Own,
    SameCounty,
    OtherCounty,
}

impl Where {
    fn label(self) -> &'static str {
        match self {
            Where::Own => "own subtree",
            Where::SameCounty => "another branch of the same county",
            Where::OtherCounty => "another county",
        }
    }
}

async fn matrix(t: TestApp) {
    // Every documented operation has a row, and every row a documented operation.
    let doc: Value = reqwest::get(t.url("/api/v1/openapi.json")).await.unwrap().json().await.unwrap();
    let documented: BTreeSet<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(p, ops)| ops.as_object().unwrap().keys().map(move |m| format!("{} {p}", m.to_uppercase())))
        .collect();
    let table = rows();
    let covered: BTreeSet<String> = table.iter().map(|r| format!("{} {}", r.method, r.route)).collect();
    assert_eq!(
        documented.difference(&covered).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "routes without a row in the permission table"
    );
    assert_eq!(
        covered.difference(&documented).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "rows for routes that do not exist"
    );

    let gz = t.org_id("广州吴川商会党支部").await;
    let home = t.org_id("梅菉街道新华社区第一党支部").await;
    let lute = t.org_id("鲁特电工党支部").await;
    // A Jinxiang branch outside the instructor's assigned 经开区 and 凯盛商圈.
    let chem = t.org_id("金乡县某化工党支部").await;
    // Another branch of member_demo's town.
    let meiling = t.org_id("梅菉街道梅岭村第一党支部").await;
    let member_demo = t.app.user_by_name("member_demo").await.unwrap().unwrap().member_id.unwrap();
    let sec = t.login("secadmin").await;
    let target_user = t.app.user_by_name("gz_branch").await.unwrap().unwrap().id;
    let throwaway = sec
        .post("/api/v1/users", json!({"username": "throwaway", "display_name": "临时", "password": "Temp@2026x"}))
        .await;
    assert_eq!(throwaway.status, StatusCode::CREATED, "{}", throwaway.body);
    let tid = throwaway.body["id"].as_i64().unwrap();
    let granted = sec.post(&format!("/api/v1/users/{tid}/grants"), json!({"role": "instructor", "org_id": lute})).await;
    assert_eq!(granted.status, StatusCode::OK, "{}", granted.body);
    let grant = granted.body["grants"][0]["id"].as_i64().unwrap();
    let tags = json!(t.app.county_member_tags(None).await.unwrap());
    let wuchuan = t.login("wuchuan_admin").await;
    let demo_member = t.app.user_by_name("member_demo").await.unwrap().unwrap().member_id.unwrap();
    let outflow =
        wuchuan.get(&format!("/api/v1/members/{demo_member}/mobility")).await.body["items"][0]["id"].as_i64().unwrap();
    let inflow = wuchuan.get("/api/v1/ledgers/inflow?per_page=1").await.body["items"][0]["id"].as_i64().unwrap();
    let censuses = wuchuan.get("/api/v1/censuses").await.body["items"].as_array().unwrap().clone();
    let census_open = censuses.iter().find(|c| c["status"] == "open").unwrap()["id"].as_i64().unwrap();
    let census_closed = censuses.iter().find(|c| c["status"] == "closed").unwrap()["id"].as_i64().unwrap();
    // An entry the 广州 branch does not receive (it verifies those it does).
    let census_entry = wuchuan.get(&format!("/api/v1/censuses/{census_open}/entries?per_page=50")).await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["receiving_org_name"] != "广州吴川商会党支部")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let job = wuchuan
        .upload(
            "/api/v1/imports/members?dry_run=true&background=true",
            "a.csv",
            "姓名,身份证号,入党日期,所在党组织\n".as_bytes().to_vec(),
        )
        .await;
    assert_eq!(job.status, StatusCode::ACCEPTED, "{}", job.body);
    let job = job.body["id"].as_i64().unwrap();
    // An activity of each organisation the rows use, and a throwaway one to cancel.
    let jinxiang = t.login("jinxiang_admin").await;
    let mut activity_of = std::collections::HashMap::new();
    let mut to_cancel = std::collections::HashMap::new();
    let mut post_of = std::collections::HashMap::new();
    let mut report_of = std::collections::HashMap::new();
    let mut invitation_of = std::collections::HashMap::new();
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(1)).to_rfc3339();
    let later = (chrono::Utc::now() - chrono::Duration::days(1) + chrono::Duration::hours(2)).to_rfc3339();
    for org in [gz, home, lute, chem, meiling] {
        activity_of.insert(org, t.activity_of(org).await);
        let admin = if org == lute || org == chem { &jinxiang } else { &wuchuan };
        let c = admin.get(&format!("/api/v1/orgs/{org}/committee")).await.body;
        post_of.insert(org, c["in_office"][0]["id"].as_i64().unwrap_or_else(|| panic!("a demo committee: {c}")));
        report_of.insert(org, proposed_report(&t, t.member_in_org(org).await, org).await);
        let invitee = t.members_at_home(org).await.last().expect("a member at home").0;
        let inv = admin.post("/api/v1/invitations", json!({"member_ids": [invitee]})).await;
        assert_eq!(inv.status, StatusCode::CREATED, "{}", inv.body);
        invitation_of.insert(org, inv.body["items"][0]["id"].as_i64().expect("an invitation"));
        let c = admin
            .post("/api/v1/activities", json!({"org_ids": [org], "kind": "other", "topic": "待取消", "start_at": yesterday, "end_at": later, "place": "活动室"}))
            .await;
        assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
        to_cancel.insert(org, c.body["id"].as_i64().unwrap());
    }
    let png = b"\x89PNG\r\n\x1a\n0000".to_vec();
    let att = wuchuan.upload(&format!("/api/v1/activities/{}/attachments", activity_of[&gz]), "photo.png", png).await;
    assert_eq!(att.status, StatusCode::CREATED, "{}", att.body);
    let attachment = att.body["id"].as_i64().unwrap();

    let (w_goals, j_goals) = goal_worlds(&t, &wuchuan, &jinxiang, gz, home).await;
    // A visit of the 广州 branch for each role that may delete one (a deletion consumes it).
    let mut spare_of = std::collections::HashMap::new();
    for who in ["wuchuan_admin", "gz_branch"] {
        let v = wuchuan.get(&format!("/api/v1/outreach-visits/{}", w_goals.outreach)).await.body;
        let spare = wuchuan
            .post(
                "/api/v1/outreach-visits",
                json!({"org_id": gz, "host_id": v["host_id"], "visited_on": v["visited_on"], "kinds": ["warmth"],
                       "visitors": "支部书记", "summary": "慰问在外务工党员"}),
            )
            .await;
        assert_eq!(spare.status, StatusCode::CREATED, "{}", spare.body);
        spare_of.insert(who, spare.body["id"].as_i64().unwrap());
    }

    // (organisation, member-holding organisation) in the role's own subtree, in another branch of
    // the same county, or in another county. County-wide and system roles have no "same county".
    let objs_for = |who: &str, at: Where| -> Option<(i64, i64)> {
        Some(match (who, at) {
            ("gz_branch", Where::Own) | ("wuchuan_admin", Where::Own) => (gz, gz),
            ("gz_branch", Where::SameCounty) => (home, home),
            ("instructor", Where::Own) => (lute, lute),
            ("instructor", Where::SameCounty) => (chem, chem),
            ("instructor", Where::OtherCounty) => (gz, gz),
            ("member_demo", Where::Own) => (home, home),
            ("member_demo", Where::SameCounty) => (meiling, meiling),
            (_, Where::Own) => (gz, gz),
            (_, Where::SameCounty) => return None,
            (_, Where::OtherCounty) => (lute, lute),
        })
    };

    let names = Names { t: &t, cache: Default::default() };
    let mut failures = Vec::new();
    let mut checked = 0;
    for who in ROLES {
        let session = if who.logged_in { Some(t.login(who.name).await) } else { None };
        for row in &table {
            let places =
                if row.scoped { &[Where::Own, Where::SameCounty, Where::OtherCounty][..] } else { &[Where::Own] };
            for &at in places {
                let Some((org, member_org)) = objs_for(who.name, at) else { continue };
                let inside = at == Where::Own;
                let member = if who.name == "member_demo" {
                    match at {
                        Where::Own => member_demo,
                        Where::SameCounty | Where::OtherCounty => t.member_in_org(member_org).await,
                    }
                } else if who.name == "gz_branch" && !inside {
                    // Not one the 广州 branch receives: those it may read.
                    t.member_not_received(member_org, gz).await
                } else {
                    t.member_in_org(member_org).await
                };
                let objs = Objs {
                    org,
                    member,
                    member_org,
                    user: if row.route.contains("grant_id") { tid } else { target_user },
                    grant,
                    tags: tags.clone(),
                    outflow,
                    inflow,
                    census_open,
                    census_closed,
                    census_entry,
                    job,
                    activity: activity_of[&org],
                    cancel: to_cancel[&org],
                    attachment,
                    committee_post: post_of[&org],
                    report: report_of[&org],
                    invitation: invitation_of[&org],
                    // The instructor's world is Jinxiang; everyone else's is Wuchuan. The community and
                    // goal objects have two worlds: outside the own one, both places use the other.
                    g: if (who.name == "instructor") == inside { j_goals } else { w_goals },
                    outreach_spare: match spare_of.get(who.name) {
                        Some(v) if inside => *v,
                        _ => {
                            if (who.name == "instructor") == inside {
                                j_goals.outreach
                            } else {
                                w_goals.outreach
                            }
                        }
                    },
                };
                let fresh;
                let client: &Client = match (&session, row.fresh) {
                    (Some(_), true) => {
                        fresh = t.login(who.name).await;
                        &fresh
                    }
                    (Some(s), false) => s,
                    (None, _) => {
                        fresh = t.anon();
                        &fresh
                    }
                };
                let r = if row.upload {
                    client
                        .upload(
                            &(row.url)(&objs),
                            "members.csv",
                            "姓名,身份证号,入党日期,所在党组织\n".as_bytes().to_vec(),
                        )
                        .await
                } else {
                    client.send(row.method.clone(), &(row.url)(&objs), (row.body)(&objs)).await
                };
                assert!(
                    r.status.as_u16() < 500,
                    "{} {} as {}: server error {}",
                    row.method,
                    row.route,
                    who.name,
                    r.body
                );
                let refused = matches!(r.status.as_u16(), 401 | 403 | 404);
                let want = (row.allowed)(who, inside);
                checked += 1;
                // No refusal (401/403/404, nor a 409 or 422) names a record the caller cannot see.
                if !inside && r.status.is_client_error() {
                    let text = r.body.to_string();
                    for hidden in [names.org(org).await, names.member(member).await] {
                        if text.contains(&hidden) {
                            failures.push(format!(
                                "{} {} as {} ({}): the refusal names {hidden}: {text}",
                                row.method,
                                row.route,
                                who.name,
                                at.label()
                            ));
                        }
                    }
                }
                if refused == want {
                    failures.push(format!(
                        "{} {} as {} ({}): expected {}, got {} {}",
                        row.method,
                        row.route,
                        who.name,
                        at.label(),
                        if want { "allowed" } else { "refused" },
                        r.status,
                        r.body
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} checks failed:\n{}", failures.len(), failures.join("\n"));
    assert!(checked > 500, "the matrix ran only {checked} checks");
}
/// The matrix signs every role in several times a minute from one address: the per-client login limit
/// (tested in `platform::guard`) is not what is tested here.
mod matrix {
    use crate::helpers::{TestApp, fresh_pg_url, temp_dir};

    fn unlimited(c: &mut honglian_server::config::Config) {
        c.security.rate_limits.login_per_client = 0;
        // Robots may be set up (pointing nowhere: the worker does not run here).
        c.notify.webhooks = true;
        c.notify.webhook_hosts = vec!["127.0.0.1".into()];
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let dir = temp_dir("hl_matrix");
        let url = honglian_store::sqlite_url(&dir.join("honglian.db"));
        super::matrix(TestApp::spawn_with(dir, url, true, unlimited).await).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::matrix(TestApp::spawn_with(temp_dir("hl_matrix_pg"), fresh_pg_url().await, true, unlimited).await).await
    }
}

/// The community and goal objects of the matrix: Wuchuan's made here by its county admin (the 广州
/// branch is a member of the community and owns the task and the host), Jinxiang's from the demo
/// (where the instructor's assigned 经开区 takes part).
async fn goal_worlds(t: &TestApp, wuchuan: &Client, jinxiang: &Client, gz: i64, home: i64) -> (Goals, Goals) {
    let root = t.org_id("中共吴川市委员会").await;
    let ok = |r: &crate::helpers::Resp| assert!(r.status.is_success(), "{}", r.body);
    let c = wuchuan
        .post(
            "/api/v1/orgs",
            json!({"parent_id": root, "name": "吴川在外商会区域党建联盟", "kind": "regional_org", "host_kind": "none",
                   "province_code": "440000", "city_code": "440800", "county_code": "440883"}),
        )
        .await;
    ok(&c);
    let community = c.body["id"].as_i64().unwrap();
    for org in [gz, home] {
        ok(&wuchuan
            .put(&format!("/api/v1/communities/{community}/members"), json!({"org_id": org, "role": "member"}))
            .await);
    }
    ok(&wuchuan.post(&format!("/api/v1/alliances/{community}/secretaries"), json!({"name": "陈海"})).await);
    let list = wuchuan.post("/api/v1/task-lists", json!({"org_id": root, "year": 2026, "title": "吴川重点工作"})).await;
    ok(&list);
    let task_list = list.body["id"].as_i64().unwrap();
    let task = wuchuan
        .post(
            "/api/v1/tasks",
            json!({"list_id": task_list, "owner_org_id": gz, "title": "在外党员服务站", "deadline": "2026-12-31"}),
        )
        .await;
    ok(&task);
    let task = task.body["id"].as_i64().unwrap();
    let rep = wuchuan.post(&format!("/api/v1/tasks/{task}/reports"), json!({"percent": 30, "note": "已选址"})).await;
    ok(&rep);
    let report = rep.body["reports"][0]["id"].as_i64().unwrap();
    let png = b"\x89PNG\r\n\x1a\n0000".to_vec();
    let ev = wuchuan.upload(&format!("/api/v1/tasks/{task}/reports/{report}/evidence"), "photo.png", png.clone()).await;
    ok(&ev);
    let host = wuchuan
        .post(
            "/api/v1/hosts",
            json!({"name": "广州某吴川籍企业", "kind": "enterprise", "region_code": "440100", "org_id": gz,
                   "coverage": "own_org", "covering_org_id": gz}),
        )
        .await;
    ok(&host);
    let census = wuchuan
        .post("/api/v1/coverage-censuses", json!({"name": "覆盖摸排", "period": "2026-Q4", "org_id": root}))
        .await;
    ok(&census);
    let census = census.body["id"].as_i64().unwrap();
    let entry = wuchuan.get(&format!("/api/v1/coverage-censuses/{census}/entries")).await.body["items"][0]["id"]
        .as_i64()
        .unwrap();
    let mut users = Vec::new();
    for name in ["instructor_zhang", "instructor_li", "instructor_wang"] {
        users.push(t.app.user_by_name(name).await.unwrap().unwrap().id);
    }
    let group = wuchuan
        .post("/api/v1/instructor-groups", json!({"name": "吴川指导组", "org_id": root, "user_ids": users}))
        .await;
    ok(&group);
    let group = group.body["id"].as_i64().unwrap();
    ok(&wuchuan.post(&format!("/api/v1/instructor-groups/{group}/assignments"), json!({"org_id": home})).await);
    let visit = wuchuan
        .post(
            "/api/v1/visits",
            json!({"org_id": gz, "visited_on": "2026-11-01", "findings": "台账齐全", "follow_ups": "补充照片"}),
        )
        .await;
    ok(&visit);
    let brand = wuchuan
        .post("/api/v1/brand-projects", json!({"org_id": gz, "name": "红链在外", "goal": "在外党员有家可归", "checklist": [{"item": "建成党员之家"}]}))
        .await;
    ok(&brand);
    let evaluation = wuchuan
        .post(
            "/api/v1/evaluations",
            json!({"org_id": root, "kind": "quarterly", "title": "季评比", "period": "2026-Q4",
                   "sheet": [{"code": "life", "label": "组织生活", "weight": 100, "max_score": 100}], "target_ids": [gz]}),
        )
        .await;
    ok(&evaluation);
    let assessed = wuchuan.post("/api/v1/incentive-grants/assess", json!({"org_id": root, "year": 2026})).await;
    ok(&assessed);
    let grant_w = assessed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["org"]["id"] == gz)
        .expect("the 广州 branch is scored")["id"]
        .as_i64()
        .unwrap();
    let gz_place = wuchuan.get(&format!("/api/v1/service-places?org={gz}")).await;
    let department = wuchuan.post("/api/v1/departments", json!({"name": "吴川市发展和改革局"})).await;
    ok(&department);
    let department = department.body["id"].as_i64().unwrap();
    let policy = wuchuan
        .post(
            "/api/v1/policies",
            json!({"department_id": department, "doc_no": "吴商发〔2026〕1号", "title": "吴川市支持商会回乡投资若干措施",
                   "summary": "对回乡投资项目给予补贴", "body": "第一条 为支持回乡投资……", "issued_on": "2026-01-05",
                   "effective_from": "2026-02-01", "effective_until": null}),
        )
        .await;
    ok(&policy);
    let category = wuchuan
        .post(
            "/api/v1/request-categories",
            json!({"name": "回乡投资咨询", "department_id": department, "limit_days": 10}),
        )
        .await;
    ok(&category);
    let category = category.body["id"].as_i64().unwrap();
    let request = wuchuan
        .post(
            "/api/v1/service-requests",
            json!({"category_id": category, "title": "回乡设厂用地咨询", "description": "拟回吴川设厂，咨询用地政策",
                   "org_id": gz, "host_id": host.body["id"]}),
        )
        .await;
    ok(&request);
    let outreach = wuchuan
        .post(
            "/api/v1/outreach-visits",
            json!({"org_id": gz, "host_id": host.body["id"], "visited_on": "2026-11-02", "kinds": ["policy"],
                   "visitors": "支部书记", "summary": "宣讲回乡投资政策", "policy_ids": [policy.body["policy"]["id"]]}),
        )
        .await;
    ok(&outreach);
    let need = wuchuan
        .post(
            "/api/v1/needs",
            json!({"kind": "need", "title": "回乡设厂融资咨询", "description": "想了解回乡投资的贷款贴息政策",
                   "org_id": gz, "host_id": host.body["id"]}),
        )
        .await;
    ok(&need);
    let bulletin_of = |org: i64, title: &'static str| json!({"org_id": org, "kind": "notice", "title": title, "body": "请按时参加。", "include_outflow": true});
    let bulletin = wuchuan.post("/api/v1/bulletins", bulletin_of(gz, "关于开展主题党日活动的通知")).await;
    ok(&bulletin);
    let bulletin = bulletin.body["id"].as_i64().unwrap();
    let b_spare = wuchuan.post("/api/v1/bulletins", bulletin_of(gz, "待撤回的通知")).await;
    ok(&b_spare);
    let b_file = wuchuan.upload(&format!("/api/v1/bulletins/{bulletin}/attachments"), "notice.png", png.clone()).await;
    ok(&b_file);
    let b_spare_file =
        wuchuan.upload(&format!("/api/v1/bulletins/{bulletin}/attachments"), "extra.png", png.clone()).await;
    ok(&b_spare_file);
    let greeting = wuchuan
        .post("/api/v1/greetings", json!({"org_id": gz, "occasion": "中秋节", "title": "中秋问候", "body": "节日快乐"}))
        .await;
    ok(&greeting);
    let greeting = greeting.body["id"].as_i64().unwrap();
    let robot = wuchuan
        .post(
            "/api/v1/notify/robots",
            json!({"org_id": gz, "kind": "dingtalk", "name": "广州商会党支部群",
                   "webhook_url": "http://127.0.0.1:9/robot/send?access_token=t"}),
        )
        .await;
    ok(&robot);
    let w_outbox = t.sql_i64(&format!("SELECT MIN(id) FROM outbox WHERE source = 'greeting:{greeting}'")).await;
    let w_request = request.body["request"]["id"].as_i64().unwrap();
    let w_place = gz_place.body["items"][0]["id"].as_i64().expect("the 广州 chamber's venue");
    let photo = wuchuan.upload(&format!("/api/v1/service-places/{w_place}/photos"), "venue.png", png.clone()).await;
    ok(&photo);
    let spare = wuchuan.upload(&format!("/api/v1/service-places/{w_place}/photos"), "hall.png", png.clone()).await;
    ok(&spare);
    let file =
        wuchuan.upload(&format!("/api/v1/service-requests/{w_request}/attachments"), "site.png", png.clone()).await;
    ok(&file);
    let (drive, lead, drive_file, drive_spare_file) = hometown_world(wuchuan, gz).await;
    let gz_worker = t.login("gz_branch").await;
    let (donation, aid, objection) = care_world(wuchuan, &gz_worker, gz, "W-MATRIX-1").await;
    let (campaign, nomination, noticed, honour_objection) = honour_world(t, wuchuan, root, gz).await;
    let (lost_member, proposal) = suspension_world(t, root).await;
    let recruit = recruit_world(wuchuan, gz, 960).await;
    let transfer = transfer_world(t, gz).await;
    let w = Goals {
        transfer,
        lost_member,
        proposal,
        recruit,
        campaign,
        nomination,
        noticed,
        honour_objection,
        donation,
        aid,
        objection,
        drive,
        lead,
        drive_file,
        drive_spare_file,
        outreach: outreach.body["id"].as_i64().unwrap(),
        need: need.body["need"]["id"].as_i64().unwrap(),
        place_photo: photo.body["id"].as_i64().unwrap(),
        spare_photo: spare.body["id"].as_i64().unwrap(),
        request_file: file.body["id"].as_i64().unwrap(),
        bulletin,
        bulletin_spare: b_spare.body["id"].as_i64().unwrap(),
        bulletin_file: b_file.body["id"].as_i64().unwrap(),
        bulletin_spare_file: b_spare_file.body["id"].as_i64().unwrap(),
        greeting,
        robot: robot.body["id"].as_i64().unwrap(),
        outbox: w_outbox,
        request: w_request,
        category,
        place: w_place,
        department,
        policy: policy.body["policy"]["id"].as_i64().unwrap(),
        community,
        extra_member: home,
        task_list,
        task,
        report,
        evidence: ev.body["id"].as_i64().unwrap(),
        host: host.body["id"].as_i64().unwrap(),
        census,
        entry,
        group,
        visit: visit.body["id"].as_i64().unwrap(),
        brand: brand.body["id"].as_i64().unwrap(),
        evaluation: evaluation.body["id"].as_i64().unwrap(),
        grant: grant_w,
    };

    let park = t.org_id("金乡经济开发区综合党委").await;
    let coal = t.org_id("煤基新材料产业链党建联盟").await;
    let lists = jinxiang.get("/api/v1/task-lists?year=2026").await;
    let j_list = lists.body["items"][0]["id"].as_i64().unwrap();
    let tasks = jinxiang.get(&format!("/api/v1/tasks?org={park}&year=2026")).await;
    let j_task = tasks.body["items"].as_array().unwrap().iter().find(|x| x["owner"]["id"] == park).unwrap()["id"]
        .as_i64()
        .unwrap();
    let j_report = jinxiang.get(&format!("/api/v1/tasks/{j_task}")).await.body["reports"][0]["id"].as_i64().unwrap();
    let j_ev =
        jinxiang.upload(&format!("/api/v1/tasks/{j_task}/reports/{j_report}/evidence"), "photo.png", png.clone()).await;
    ok(&j_ev);
    let j_host = jinxiang.get(&format!("/api/v1/hosts?org={park}")).await.body["items"][0]["id"].as_i64().unwrap();
    let censuses = jinxiang.get("/api/v1/coverage-censuses").await.body["items"].as_array().unwrap().clone();
    let j_census = censuses.iter().find(|c| c["status"] == "open").unwrap()["id"].as_i64().unwrap();
    let j_entries = jinxiang.get(&format!("/api/v1/coverage-censuses/{j_census}/entries")).await;
    let hosts_of_park: Vec<i64> = jinxiang.get(&format!("/api/v1/hosts?org={park}&per_page=200")).await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_i64().unwrap())
        .collect();
    let j_entry = j_entries.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| hosts_of_park.contains(&e["host_id"].as_i64().unwrap()))
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let groups = jinxiang.get("/api/v1/instructor-groups").await.body["items"].as_array().unwrap().clone();
    let j_group =
        groups.iter().find(|g| g["assigned"].as_array().unwrap().iter().any(|a| a["id"] == park)).unwrap()["id"]
            .as_i64()
            .unwrap();
    let kaisheng = t.org_id("凯盛商圈党委").await;
    let visits = jinxiang.get(&format!("/api/v1/visits?org={park}")).await;
    let j_visit = visits.body["items"][0]["id"].as_i64().unwrap();
    let j_brand =
        jinxiang.get(&format!("/api/v1/brand-projects?org={park}")).await.body["items"][0]["id"].as_i64().unwrap();
    let j_evaluation = jinxiang.get("/api/v1/evaluations").await.body["items"][0]["id"].as_i64().unwrap();
    let j_grant = jinxiang.get("/api/v1/incentive-grants").await.body["items"][0]["id"].as_i64().unwrap();
    let j_place = jinxiang.get(&format!("/api/v1/service-places?org={park}")).await.body["items"][0]["id"].as_i64();
    let j_policy = jinxiang.get("/api/v1/policies").await.body["items"][0].clone();
    let j_request = jinxiang.get("/api/v1/service-requests").await.body["items"][0]["id"].as_i64();
    let j_category = jinxiang.get("/api/v1/request-categories").await.body["items"][0]["id"].as_i64();
    let j_outreach = jinxiang.get("/api/v1/outreach-visits").await.body["items"][0]["id"].as_i64();
    let j_need = jinxiang.get("/api/v1/needs").await.body["items"][0]["id"].as_i64();
    let (j_place, j_request) = (j_place.expect("the 经开区 centre"), j_request.expect("a demo request"));
    let j_photo = jinxiang.upload(&format!("/api/v1/service-places/{j_place}/photos"), "centre.png", png.clone()).await;
    ok(&j_photo);
    let j_spare = jinxiang.upload(&format!("/api/v1/service-places/{j_place}/photos"), "hall.png", png.clone()).await;
    ok(&j_spare);
    let j_file =
        jinxiang.upload(&format!("/api/v1/service-requests/{j_request}/attachments"), "site.png", png.clone()).await;
    ok(&j_file);
    let j_bulletin = jinxiang.post("/api/v1/bulletins", bulletin_of(park, "关于报送季度党建工作情况的通知")).await;
    ok(&j_bulletin);
    let j_bulletin = j_bulletin.body["id"].as_i64().unwrap();
    let j_b_spare = jinxiang.post("/api/v1/bulletins", bulletin_of(park, "待撤回的通知")).await;
    ok(&j_b_spare);
    let j_b_file =
        jinxiang.upload(&format!("/api/v1/bulletins/{j_bulletin}/attachments"), "notice.png", png.clone()).await;
    ok(&j_b_file);
    let j_b_spare_file =
        jinxiang.upload(&format!("/api/v1/bulletins/{j_bulletin}/attachments"), "extra.png", png.clone()).await;
    ok(&j_b_spare_file);
    // Jinxiang has no member away from home: its greeting is written as the send would write it.
    let jx_path = t.sql_text(&format!("SELECT path FROM orgs WHERE id = {park}")).await;
    let j_greeting = honglian_store::repo::portal::greetings::insert(
        &t.app.db,
        honglian_store::repo::portal::greetings::NewGreeting {
            org_id: park,
            org_path: jx_path,
            occasion: "春节".into(),
            title: "新春问候".into(),
            body: "新春快乐".into(),
            author_id: None,
            author_name: "金乡县委组织部".into(),
            targeted: 0,
            no_account: 0,
        },
        chrono::Utc::now(),
    )
    .await
    .unwrap()
    .id;
    let j_robot = jinxiang
        .post(
            "/api/v1/notify/robots",
            json!({"org_id": park, "kind": "wecom", "name": "经开区党委群",
                   "webhook_url": "http://127.0.0.1:9/cgi-bin/webhook/send?key=k"}),
        )
        .await;
    ok(&j_robot);
    let j_robot = j_robot.body["id"].as_i64().unwrap();
    ok(&jinxiang.post(&format!("/api/v1/notify/robots/{j_robot}/test"), json!({})).await);
    let j_outbox = t.sql_i64(&format!("SELECT MIN(id) FROM outbox WHERE robot_id = {j_robot}")).await;
    let (drive, lead, drive_file, drive_spare_file) = hometown_world(jinxiang, park).await;
    let park_worker = t.account("jx_care_reviewer", "org_admin", Some(park), None).await;
    let (donation, aid, objection) = care_world(jinxiang, &park_worker, park, "J-MATRIX-1").await;
    let j_root = t.sql_text(&format!("SELECT path FROM orgs WHERE id = {park}")).await;
    let j_root: i64 = j_root.split('/').nth(1).unwrap().parse().unwrap();
    let (campaign, nomination, noticed, honour_objection) = honour_world(t, jinxiang, j_root, park).await;
    let (lost_member, proposal) = suspension_world(t, j_root).await;
    let recruit = recruit_world(jinxiang, t.org_id("鲁特电工党支部").await, 961).await;
    let transfer = transfer_world(t, t.org_id("鲁特电工党支部").await).await;
    let j = Goals {
        transfer,
        lost_member,
        proposal,
        recruit,
        campaign,
        nomination,
        noticed,
        honour_objection,
        donation,
        aid,
        objection,
        drive,
        lead,
        drive_file,
        drive_spare_file,
        outreach: j_outreach.expect("a demo visit"),
        need: j_need.expect("a demo need"),
        place_photo: j_photo.body["id"].as_i64().unwrap(),
        spare_photo: j_spare.body["id"].as_i64().unwrap(),
        request_file: j_file.body["id"].as_i64().unwrap(),
        bulletin: j_bulletin,
        bulletin_spare: j_b_spare.body["id"].as_i64().unwrap(),
        bulletin_file: j_b_file.body["id"].as_i64().unwrap(),
        bulletin_spare_file: j_b_spare_file.body["id"].as_i64().unwrap(),
        greeting: j_greeting,
        robot: j_robot,
        outbox: j_outbox,
        request: j_request,
        category: j_category.expect("a demo category"),
        place: j_place,
        department: j_policy["department"]["id"].as_i64().unwrap(),
        policy: j_policy["id"].as_i64().unwrap(),
        community: coal,
        extra_member: kaisheng,
        task_list: j_list,
        task: j_task,
        report: j_report,
        evidence: j_ev.body["id"].as_i64().unwrap(),
        host: j_host,
        census: j_census,
        entry: j_entry,
        group: j_group,
        visit: j_visit,
        brand: j_brand,
        evaluation: j_evaluation,
        grant: j_grant,
    };
    (w, j)
}

/// Unsafe methods without the CSRF header are refused, even with a valid session.
async fn csrf_required(t: TestApp) {
    let mut c = t.login("wuchuan_admin").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    c.csrf = None;
    let r = c.patch(&format!("/api/v1/orgs/{gz}"), json!({"secretary": "某某"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body["title"].as_str().unwrap().contains("CSRF"));
    c.csrf = Some("forged".into());
    assert_eq!(
        c.patch(&format!("/api/v1/orgs/{gz}"), json!({"secretary": "某某"})).await.status,
        StatusCode::FORBIDDEN
    );
    let unchanged = c.get(&format!("/api/v1/orgs/{gz}")).await;
    assert_ne!(unchanged.body["secretary"], "某某");
}
crate::both!(csrf_required);

/// A proposed outflow report of `member` (of `org`), as a member's own report would leave it.
pub async fn proposed_report(t: &TestApp, member: i64, org: i64) -> i64 {
    use honglian_store::repo::members::reports::{NewReport, insert};
    insert(
        &t.app.db,
        NewReport {
            member_id: member,
            org_id: org,
            kind: "leave",
            province_code: "440000".into(),
            city_code: "440300".into(),
            county_code: None,
            address_enc: None,
            employer: None,
            occupation: None,
            reason: "work_business".into(),
            start_date: chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
            expected_return: None,
            note_enc: None,
            phone_changed: false,
            mobility_record_id: None,
        },
    )
    .await
    .unwrap()
    .id
}
