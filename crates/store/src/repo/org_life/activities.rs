//! Activities, their organisations, attendance, attachments, late-recording
//! approvals, and the facts the duty engine needs.

use chrono::{DateTime, NaiveDate, Utc};
use honglian_domain::org_life::duty::{ActivityKind, Attendees};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, QueryFilter, QueryOrder, Set,
    Value,
};

use crate::entity::{
    communities::community_member, members::member, org_life::activity, org_life::activity_approval,
    org_life::activity_org, org_life::attachment, org_life::attendance,
};
use crate::repo::members::mobility::scope_sql;
use crate::repo::{Page, PageReq};
use crate::{Scope, raw};

pub use activity::ActiveModel as ActivityActive;
pub use activity::Model as Activity;
pub use activity_approval::Model as Approval;
pub use attachment::Model as Attachment;
pub use attendance::Model as Attendance;

pub async fn insert(
    db: &impl ConnectionTrait,
    mut am: ActivityActive,
    orgs: &[(i64, String)],
) -> Result<Activity, DbErr> {
    let now = Utc::now();
    am.created_at = Set(now);
    am.updated_at = Set(now);
    let a = am.insert(db).await?;
    set_orgs(db, a.id, orgs).await?;
    Ok(a)
}

pub async fn set_orgs(db: &impl ConnectionTrait, activity_id: i64, orgs: &[(i64, String)]) -> Result<(), DbErr> {
    activity_org::Entity::delete_many().filter(activity_org::Column::ActivityId.eq(activity_id)).exec(db).await?;
    let rows: Vec<activity_org::ActiveModel> = orgs
        .iter()
        .map(|(id, path)| activity_org::ActiveModel {
            activity_id: Set(activity_id),
            org_id: Set(*id),
            org_path: Set(path.clone()),
        })
        .collect();
    if !rows.is_empty() {
        activity_org::Entity::insert_many(rows).exec_without_returning(db).await?;
    }
    refresh_held(db, activity_id).await
}

pub async fn update(db: &impl ConnectionTrait, mut am: ActivityActive) -> Result<Activity, DbErr> {
    am.updated_at = Set(Utc::now());
    let a = am.update(db).await?;
    refresh_held(db, a.id).await?;
    Ok(a)
}

/// The activity if one of its organisations lies in `scope`, else `None` (as for an id that does not
/// exist).
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Activity>, DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    // A correlated EXISTS reads this activity's own organisations through the (activity_id) index;
    // `id IN (SELECT activity_id … WHERE scope)` first collected every activity id of the scope (the
    // whole deployment's 300,000 for a check-in: 30 ms each, benchmark "theme day").
    activity::Entity::find_by_id(id)
        .filter(Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from(activity_org::Entity)
                .and_where(
                    Expr::col((activity_org::Entity, activity_org::Column::ActivityId))
                        .equals((activity::Entity, activity::Column::Id)),
                )
                .cond_where(scope.condition(activity_org::Column::OrgPath))
                .to_owned(),
        ))
        .one(db)
        .await
}

/// The activity if one of its organisations is exactly one of `org_ids` (the communities that share
/// their own activities with the caller, `App::community_shares`), else `None`.
pub async fn get_of_orgs(db: &impl ConnectionTrait, org_ids: &[i64], id: i64) -> Result<Option<Activity>, DbErr> {
    use sea_orm::sea_query::Query;
    if org_ids.is_empty() {
        return Ok(None);
    }
    activity::Entity::find_by_id(id)
        .filter(
            activity::Column::Id.in_subquery(
                Query::select()
                    .column(activity_org::Column::ActivityId)
                    .from(activity_org::Entity)
                    .and_where(activity_org::Column::OrgId.is_in(org_ids.iter().copied()))
                    .to_owned(),
            ),
        )
        .one(db)
        .await
}

/// (org id, path) of the organisations of an activity.
pub async fn orgs_of(db: &impl ConnectionTrait, activity_id: i64) -> Result<Vec<(i64, String)>, DbErr> {
    Ok(activity_org::Entity::find()
        .filter(activity_org::Column::ActivityId.eq(activity_id))
        .order_by_asc(activity_org::Column::OrgId)
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.org_id, o.org_path))
        .collect())
}

#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub subtree: Option<String>,
    /// Organisations whose own activities are visible besides the scope (exactly these, not their
    /// subtrees): the communities the caller's organisations belong to.
    pub shared_orgs: Vec<i64>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub kind: Option<String>,
    pub status: Option<String>,
}

/// Activities one of whose organisations lies in the scope (and the subtree).
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    f: &ActivityFilter,
    page: PageReq,
) -> Result<Page<Activity>, DbErr> {
    let b = db.get_database_backend();
    let mut values: Vec<Value> = Vec::new();
    let mut visible = scope_sql(scope, "ao.org_path", &mut values);
    if !f.shared_orgs.is_empty() {
        let ids = f.shared_orgs.iter().map(|id| id.to_string()).collect::<Vec<_>>().join(", ");
        visible = format!("({visible} OR ao.org_id IN ({ids}))");
    }
    let mut w = vec![format!(
        "EXISTS (SELECT 1 FROM activity_orgs ao WHERE ao.activity_id = a.id AND {visible}{})",
        match &f.subtree {
            Some(s) => format!(" AND {}", scope_sql(&Scope::Paths(vec![s.clone()]), "ao.org_path", &mut values)),
            None => String::new(),
        }
    )];
    if let Some(v) = f.from {
        values.push(v.into());
        w.push("a.end_at >= ?".into());
    }
    if let Some(v) = f.to {
        values.push(v.into());
        w.push("a.start_at < ?".into());
    }
    if let Some(v) = &f.kind {
        values.push(v.clone().into());
        w.push("a.kind = ?".into());
    }
    if let Some(v) = &f.status {
        values.push(v.clone().into());
        w.push("a.status = ?".into());
    }
    let cond = w.join(" AND ");
    let total: i64 = db
        .query_one_raw(raw(b, &format!("SELECT COUNT(*) AS n FROM activities a WHERE {cond}"), values.clone()))
        .await?
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    let sql = format!(
        "SELECT a.* FROM activities a WHERE {cond} ORDER BY a.start_at DESC, a.id DESC LIMIT {} OFFSET {}",
        page.per_page,
        page.offset()
    );
    let rows = db.query_all_raw(raw(b, &sql, values)).await?;
    let items = rows
        .iter()
        .map(|r| <Activity as sea_orm::FromQueryResult>::from_query_result(r, ""))
        .collect::<Result<_, _>>()?;
    Ok(Page { items, total: total as u64 })
}

/// Active or pending activities of `kind` of one of these organisations between `from` and `to`
/// (other than `except`): a second activity there is probably the same one entered twice.
pub async fn overlapping(
    db: &impl ConnectionTrait,
    org_ids: &[i64],
    kind: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    except: Option<i64>,
) -> Result<Vec<Activity>, DbErr> {
    if org_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids = org_ids.iter().map(|id| id.to_string()).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT a.* FROM activities a WHERE a.kind = ? AND a.status IN ('active', 'pending_approval') \
         AND a.start_at < ? AND a.end_at > ? AND a.id <> ? \
         AND EXISTS (SELECT 1 FROM activity_orgs ao WHERE ao.activity_id = a.id AND ao.org_id IN ({ids})) \
         ORDER BY a.start_at LIMIT 5"
    );
    let values: Vec<Value> = vec![kind.into(), to.into(), from.into(), except.unwrap_or(0).into()];
    let rows = db.query_all_raw(raw(db.get_database_backend(), &sql, values)).await?;
    rows.iter().map(|r| <Activity as sea_orm::FromQueryResult>::from_query_result(r, "")).collect()
}

/// Which activities' `activity_orgs.kind` and `held_on` to recompute.
#[derive(Debug, Clone, Copy)]
pub enum Refresh {
    All,
    One(i64),
    /// Those with a greater id (a bulk insert).
    After(i64),
}

/// The statement that recomputes `activity_orgs.kind` and `held_on` when the activity is active
/// and at least one member was present (otherwise NULL): the day the duty engine counts it on —
/// the local date of the start, or 31 December of the year it is about when the organiser recorded
/// an earlier year (`activities.for_year`, see `duty::counts_on`; migration `0010_activity_for_year`).
pub fn refresh_held_sql(b: DatabaseBackend, which: Refresh) -> String {
    let local_date = if b == DatabaseBackend::Postgres {
        "CASE WHEN a.for_year IS NOT NULL AND a.for_year < EXTRACT(YEAR FROM (a.start_at AT TIME ZONE 'UTC') + INTERVAL '8 hours') \
         THEN make_date(CAST(a.for_year AS INTEGER), 12, 31) \
         ELSE CAST((a.start_at AT TIME ZONE 'UTC') + INTERVAL '8 hours' AS DATE) END"
    } else {
        "CASE WHEN a.for_year IS NOT NULL AND a.for_year < CAST(substr(date(a.start_at, '+8 hours'), 1, 4) AS INTEGER) \
         THEN printf('%04d-12-31', a.for_year) ELSE date(a.start_at, '+8 hours') END"
    };
    let distinct = if b == DatabaseBackend::Postgres { "IS DISTINCT FROM" } else { "IS NOT" };
    refresh_held_with(local_date, which, Some(distinct))
}

/// [`refresh_held_sql`] as migration `0005_duty_inputs` shipped it, before `activities.for_year`
/// existed: the migration must keep running the statement it ran.
pub fn refresh_held_sql_0005(b: DatabaseBackend, which: Refresh) -> String {
    let local_date = if b == DatabaseBackend::Postgres {
        "CAST((a.start_at AT TIME ZONE 'UTC') + INTERVAL '8 hours' AS DATE)"
    } else {
        "date(a.start_at, '+8 hours')"
    };
    refresh_held_with(local_date, which, None)
}

fn refresh_held_with(local_date: &str, which: Refresh, distinct: Option<&str>) -> String {
    let kind = "(SELECT a.kind FROM activities a WHERE a.id = activity_orgs.activity_id)";
    let held_on = format!(
        "(SELECT {local_date} FROM activities a WHERE a.id = activity_orgs.activity_id AND a.status = 'active' \
         AND EXISTS (SELECT 1 FROM attendance t WHERE t.activity_id = a.id AND t.status = 'present'))"
    );
    let mut sql = format!("UPDATE activity_orgs SET kind = {kind}, held_on = {held_on} WHERE 1 = 1");
    match which {
        Refresh::All => {}
        Refresh::One(id) => sql.push_str(&format!(" AND activity_id = {id}")),
        Refresh::After(id) => sql.push_str(&format!(" AND activity_id > {id}")),
    }
    // Rows already right are left alone: a check-in after the first present member changes
    // nothing, and an UPDATE that rewrites the row anyway fires the `org_held_activities`
    // triggers and lengthens the write (benchmark "theme day").
    if let Some(op) = distinct {
        sql.push_str(&format!(" AND (kind {op} {kind} OR held_on {op} {held_on})"));
    }
    sql
}

/// Keeps the duty engine's copy of an activity (kind, held on) current; called by every write of
/// this module that changes the activity, its organisations or its attendance.
async fn refresh_held(db: &impl ConnectionTrait, activity_id: i64) -> Result<(), DbErr> {
    db.execute_unprepared(&refresh_held_sql(db.get_database_backend(), Refresh::One(activity_id))).await?;
    Ok(())
}

/// (org id, kind, local date of the start) of every activity of the year whose
/// organisation lies in `subtree` and that was held: active, with at least one member present
/// (no attendance, no meeting) — the input of the duty engine. Read from `org_held_activities`,
/// which triggers keep (migration `0008_held_activities`), as one string
/// (`org|kind,kind|date,date;…`): handing 20,000 rows one by one from the SQLite worker thread
/// cost more than reading them (docs/performance.md, round 5).
///
/// Organisations of the kinds in `edge_kinds` (those owing a weekly duty, whose ISO weeks cross the
/// new year) also get the previous and the next year's activities; an organisation may then come
/// in up to three entries, one per year.
pub async fn held_in_year(
    db: &impl ConnectionTrait,
    subtree: &Scope,
    year: i32,
    edge_kinds: &[String],
) -> Result<Vec<(i64, Vec<(ActivityKind, NaiveDate)>)>, DbErr> {
    let b = db.get_database_backend();
    let mut values: Vec<Value> = vec![year.into()];
    let years = if edge_kinds.is_empty() {
        "h.year = ?".to_string()
    } else {
        values.push((year - 1).into());
        values.push((year + 1).into());
        values.extend(edge_kinds.iter().map(|k| Value::from(k.clone())));
        format!("(h.year = ? OR (h.year IN (?, ?) AND o.kind IN ({})))", vec!["?"; edge_kinds.len()].join(", "))
    };
    let cond = scope_sql(subtree, "o.path", &mut values);
    let agg = if b == DatabaseBackend::Postgres { "string_agg" } else { "group_concat" };
    let sql = format!(
        "SELECT {agg}(CAST(h.org_id AS TEXT) || '|' || h.kinds || '|' || h.dates, ';') AS held \
         FROM org_held_activities h JOIN orgs o ON o.id = h.org_id WHERE {years} AND {cond}"
    );
    let held: Option<String> = match db.query_one_raw(raw(b, &sql, values)).await? {
        Some(r) => r.try_get("", "held")?,
        None => None,
    };
    let Some(held) = held else { return Ok(Vec::new()) };
    let bad = |what: &str| DbErr::Type(format!("held activities: {what}"));
    let mut out = Vec::new();
    for org_row in held.split(';') {
        let mut parts = org_row.splitn(3, '|');
        let (Some(org), Some(kinds), Some(dates)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad(org_row));
        };
        let org: i64 = org.parse().map_err(|_| bad(org_row))?;
        let mut list = Vec::with_capacity(dates.len() / 11 + 1);
        let (mut ks, mut ds) = (kinds.split(','), dates.split(','));
        loop {
            let (kind, date) = match (ks.next(), ds.next()) {
                (Some(k), Some(d)) => (k, d),
                (None, None) => break,
                _ => return Err(bad(org_row)),
            };
            let date = match iso_date(date) {
                Some(d) => d,
                None => NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| bad(org_row))?,
            };
            // Kinds no rule knows (a newer release's) count for nothing here.
            if let Some(kind) = ActivityKind::from_code(kind) {
                list.push((kind, date));
            }
        }
        out.push((org, list));
    }
    Ok(out)
}

/// `YYYY-MM-DD` without the format machinery (the held activities of a county are 300,000 dates).
fn iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// The version of the duty engine's inputs: triggers (migration `0005_duty_inputs`) bump it in the
/// writing transaction whenever held activities, attendance, organisations, full-member counts or the
/// duty rules change. Read it before the inputs: a result computed after reading version `v` is at
/// least as new as `v`, so it may be cached under `v`.
pub async fn duty_inputs_version(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let b = db.get_database_backend();
    Ok(db
        .query_one_raw(raw(b, "SELECT version FROM duty_inputs_version WHERE id = 1", vec![]))
        .await?
        .map(|r| r.try_get("", "version"))
        .transpose()?
        .unwrap_or(0))
}

/// Marks the duty inputs changed, as any write to them does (for the benchmark's cold measurement).
pub async fn touch_duty_inputs(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    db.execute_raw(raw(b, "UPDATE duty_inputs_version SET version = version + 1 WHERE id = 1", vec![])).await?;
    Ok(())
}

/// An organisation as the duty engine sees it.
#[derive(Debug, Clone)]
pub struct DutyOrg {
    pub id: i64,
    pub path: String,
    pub name: String,
    pub kind: String,
    pub founded_on: Option<NaiveDate>,
    /// The day it was registered in Honglian (local date of `created_at`).
    pub registered_on: NaiveDate,
    pub dissolved_on: Option<NaiveDate>,
    /// Full members in normal status, from the counts kept by triggers (migration `0007_full_member_counts`).
    pub full_members: i64,
}

/// Every organisation of the subtree (dissolved ones too), in path order, with the columns the
/// duty engine needs.
pub async fn duty_orgs(db: &impl ConnectionTrait, subtree: &Scope) -> Result<Vec<DutyOrg>, DbErr> {
    let b = db.get_database_backend();
    let mut values = Vec::new();
    let cond = scope_sql(subtree, "o.path", &mut values);
    let sql = format!(
        "SELECT o.id AS id, o.path AS path, o.name AS name, o.kind AS kind, o.founded_on AS founded_on, \
         o.dissolved_on AS dissolved_on, o.created_at AS created_at, COALESCE(f.n, 0) AS full_members \
         FROM orgs o LEFT JOIN org_full_members f ON f.org_id = o.id WHERE {cond} ORDER BY o.path"
    );
    let rows = db.query_all_raw(raw(b, &sql, values)).await?;
    rows.into_iter()
        .map(|r| {
            Ok(DutyOrg {
                id: r.try_get("", "id")?,
                path: r.try_get("", "path")?,
                name: r.try_get("", "name")?,
                kind: r.try_get("", "kind")?,
                founded_on: r.try_get("", "founded_on")?,
                registered_on: (r.try_get::<DateTime<Utc>>("", "created_at")? + chrono::Duration::hours(8))
                    .date_naive(),
                dissolved_on: r.try_get("", "dissolved_on")?,
                full_members: r.try_get("", "full_members")?,
            })
        })
        .collect()
}

pub async fn attendance_of(db: &impl ConnectionTrait, activity_id: i64) -> Result<Vec<Attendance>, DbErr> {
    attendance::Entity::find().filter(attendance::Column::ActivityId.eq(activity_id)).all(db).await
}

/// One member on leave or absent at an activity, with their name (the year's record lists them).
#[derive(Debug, Clone)]
pub struct NotPresent {
    pub activity_id: i64,
    pub name: String,
    pub status: String,
    pub reason: Option<String>,
}

/// Who was on leave or absent at these activities, in a few queries whatever their number.
pub async fn not_present_at(db: &impl ConnectionTrait, activity_ids: &[i64]) -> Result<Vec<NotPresent>, DbErr> {
    let mut out = Vec::new();
    for chunk in activity_ids.chunks(500) {
        let rows = attendance::Entity::find()
            .filter(attendance::Column::ActivityId.is_in(chunk.iter().copied()))
            .filter(attendance::Column::Status.is_in(["leave", "absent"]))
            .order_by_asc(attendance::Column::Id)
            .all(db)
            .await?;
        let mut member_ids: Vec<i64> = rows.iter().map(|r| r.member_id).collect();
        member_ids.sort_unstable();
        member_ids.dedup();
        let mut names = std::collections::HashMap::new();
        for ids in member_ids.chunks(500) {
            for m in member::Entity::find().filter(member::Column::Id.is_in(ids.iter().copied())).all(db).await? {
                names.insert(m.id, m.name);
            }
        }
        out.extend(rows.into_iter().filter_map(|r| {
            Some(NotPresent {
                activity_id: r.activity_id,
                name: names.get(&r.member_id)?.clone(),
                status: r.status,
                reason: r.reason,
            })
        }));
    }
    Ok(out)
}

/// Records (or replaces) one member's attendance.
pub async fn set_attendance(
    db: &impl ConnectionTrait,
    activity_id: i64,
    member_id: i64,
    status: &str,
    reason: Option<String>,
    via: &str,
    by: Option<i64>,
) -> Result<Attendance, DbErr> {
    attendance::Entity::delete_many()
        .filter(attendance::Column::ActivityId.eq(activity_id))
        .filter(attendance::Column::MemberId.eq(member_id))
        .exec(db)
        .await?;
    let at = attendance::ActiveModel {
        activity_id: Set(activity_id),
        member_id: Set(member_id),
        status: Set(status.into()),
        reason: Set(reason),
        via: Set(via.into()),
        recorded_at: Set(Utc::now()),
        recorded_by: Set(by),
        ..Default::default()
    }
    .insert(db)
    .await?;
    refresh_held(db, activity_id).await?;
    Ok(at)
}

/// Activities a member attended (any organisation's), newest first.
pub async fn of_member(db: &impl ConnectionTrait, member_id: i64) -> Result<Vec<(Activity, Attendance)>, DbErr> {
    let rows = attendance::Entity::find().filter(attendance::Column::MemberId.eq(member_id)).all(db).await?;
    let mut out = Vec::with_capacity(rows.len());
    for at in rows {
        // The member's own attendance: the caller already reached the member.
        if let Some(a) = get(db, &Scope::everything(), at.activity_id).await? {
            out.push((a, at));
        }
    }
    out.sort_by_key(|x| std::cmp::Reverse(x.0.start_at));
    Ok(out)
}

/// Members expected at an activity: the members of its organisations' subtrees,
/// and the mobile members those organisations receive. (id, name, org name, received)
/// Someone expected (应到) at an activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub member_id: i64,
    pub name: String,
    /// The organisation the member is filed under, or for a committee post, the committee's.
    pub org_name: String,
    /// A mobile member received by one of the activity's organisations.
    pub received: bool,
    /// Where a member on an open outflow is, when they are away from the activity's organisations.
    pub away: Option<String>,
    /// The committee post (code) they are expected for, at a 支委会 or a community's meeting.
    pub post: Option<String>,
}

/// Who is expected at the activity, by its kind ([`Attendees`]): the committee in office on its
/// day, or the members of its organisations and those they receive, or the member organisations'
/// secretaries. Away members are listed with where they are.
pub async fn expected(db: &impl ConnectionTrait, a: &Activity) -> Result<Vec<Expected>, DbErr> {
    expected_memo(db, a, &mut ExpectedMemo::default()).await
}

/// One member as [`expected`] would list them, or None, without working out the whole list where
/// members attend (a check-in at a county-wide theme day reads one member, not thousands).
pub async fn expected_member(
    db: &impl ConnectionTrait,
    a: &Activity,
    member_id: i64,
) -> Result<Option<Expected>, DbErr> {
    if ActivityKind::from_code(&a.kind).unwrap_or(ActivityKind::Other).attendees() != Attendees::Members {
        return Ok(expected(db, a).await?.into_iter().find(|x| x.member_id == member_id));
    }
    let orgs = orgs_of(db, a.id).await?;
    let ids: Vec<i64> = orgs.iter().map(|o| o.0).collect();
    let mut one = members_expected(db, &orgs, Some(member_id)).await?;
    mark_away(db, &ids, &mut one).await?;
    Ok(one.pop())
}

/// Expected attendees worked out once per (organisations, who attends, the day where the committee in
/// office matters) within one listing: a year's meetings of one branch share one member list.
#[derive(Default)]
pub struct ExpectedMemo(std::collections::HashMap<(Vec<i64>, Attendees, Option<NaiveDate>), Vec<Expected>>);

/// [`expected`], reusing what `memo` already holds.
pub async fn expected_memo(
    db: &impl ConnectionTrait,
    a: &Activity,
    memo: &mut ExpectedMemo,
) -> Result<Vec<Expected>, DbErr> {
    let orgs = orgs_of(db, a.id).await?;
    let ids: Vec<i64> = orgs.iter().map(|o| o.0).collect();
    let day = (a.start_at + chrono::Duration::hours(8)).date_naive();
    let attendees = ActivityKind::from_code(&a.kind).unwrap_or(ActivityKind::Other).attendees();
    let key = (ids.clone(), attendees, (attendees != Attendees::Members).then_some(day));
    if let Some(hit) = memo.0.get(&key) {
        return Ok(hit.clone());
    }
    let mut out = match attendees {
        Attendees::Committee => committee_expected(db, &ids, day, None).await?,
        Attendees::Members => members_expected(db, &orgs, None).await?,
        Attendees::MemberSecretaries => {
            let member_orgs: Vec<i64> = community_member::Entity::find()
                .filter(community_member::Column::CommunityId.is_in(ids.iter().copied()))
                .all(db)
                .await?
                .into_iter()
                .map(|m| m.org_id)
                .collect();
            let mut list = committee_expected(db, &member_orgs, day, Some("secretary")).await?;
            // Members filed under the community itself (not those it receives).
            for m in members_expected(db, &orgs, None).await?.into_iter().filter(|m| !m.received) {
                if !list.iter().any(|x| x.member_id == m.member_id) {
                    list.push(m);
                }
            }
            list
        }
    };
    mark_away(db, &ids, &mut out).await?;
    memo.0.insert(key, out.clone());
    Ok(out)
}

/// The posts held on `day` on these organisations' committees (only `post` if given).
async fn committee_expected(
    db: &impl ConnectionTrait,
    org_ids: &[i64],
    day: NaiveDate,
    post: Option<&str>,
) -> Result<Vec<Expected>, DbErr> {
    let held = crate::repo::organisations::committee::held_on(db, org_ids, day).await?;
    let held: Vec<_> = held.into_iter().filter(|r| post.is_none_or(|p| r.post == p)).collect();
    let members = member::Entity::find()
        .filter(member::Column::Id.is_in(held.iter().map(|r| r.member_id)))
        .filter(member::Column::Status.eq("normal"))
        .all(db)
        .await?;
    let names = crate::repo::organisations::orgs::get_many(db, &Scope::everything(), org_ids).await?;
    let mut out: Vec<Expected> = Vec::with_capacity(held.len());
    for r in held {
        let Some(m) = members.iter().find(|m| m.id == r.member_id) else { continue };
        if out.iter().any(|x| x.member_id == m.id) {
            continue;
        }
        out.push(Expected {
            member_id: m.id,
            name: m.name.clone(),
            org_name: names.iter().find(|o| o.id == r.org_id).map(|o| o.name.clone()).unwrap_or_default(),
            received: false,
            away: None,
            post: Some(r.post),
        });
    }
    Ok(out)
}

/// Members in normal status filed under the organisations (their party groups included), then the
/// mobile members the organisations receive.
/// With `only`, just that member (if expected).
async fn members_expected(
    db: &impl ConnectionTrait,
    orgs: &[(i64, String)],
    only: Option<i64>,
) -> Result<Vec<Expected>, DbErr> {
    let scope = Scope::Paths(orgs.iter().map(|o| o.1.clone()).collect());
    let b = db.get_database_backend();
    let mut values = Vec::new();
    let mut own = scope_sql(&scope, "m.org_path", &mut values);
    let ids: Vec<String> = orgs.iter().map(|o| o.0.to_string()).collect();
    let mut recv =
        if ids.is_empty() { "1=0".to_string() } else { format!("r.receiving_org_id IN ({})", ids.join(",")) };
    if let Some(m) = only {
        own = format!("{own} AND m.id = {m}");
        recv = format!("{recv} AND m.id = {m}");
    }
    let sql = format!(
        "SELECT m.id AS id, m.name AS name, o.name AS org_name, 0 AS received FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.status = 'normal' AND {own} \
         UNION SELECT m.id AS id, m.name AS name, o.name AS org_name, 1 AS received FROM mobility_records r JOIN members m ON m.id = r.member_id JOIN orgs o ON o.id = m.org_id \
         WHERE r.direction = 'outflow' AND r.status = 'open' AND m.status = 'normal' AND {recv} ORDER BY received, id"
    );
    let rows = db.query_all_raw(raw(b, &sql, values)).await?;
    let mut out: Vec<Expected> = Vec::with_capacity(rows.len());
    // A member of the organisations who is also received by one of them is listed once.
    let mut seen = std::collections::HashSet::with_capacity(rows.len());
    for r in rows {
        let id: i64 = r.try_get("", "id")?;
        let received: i32 = r.try_get("", "received")?;
        if !seen.insert(id) {
            continue;
        }
        out.push(Expected {
            member_id: id,
            name: r.try_get("", "name")?,
            org_name: r.try_get("", "org_name")?,
            received: received == 1,
            away: None,
            post: None,
        });
    }
    Ok(out)
}

/// Sets `away` for the listed members on an open outflow that none of the activity's organisations
/// receives: the receiving organisation's name, or the place.
async fn mark_away(db: &impl ConnectionTrait, activity_orgs: &[i64], list: &mut [Expected]) -> Result<(), DbErr> {
    use crate::entity::members::mobility_record;
    let ids: Vec<i64> = list.iter().filter(|x| !x.received).map(|x| x.member_id).collect();
    let mut away = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let open = mobility_record::Entity::find()
            .filter(mobility_record::Column::Direction.eq("outflow"))
            .filter(mobility_record::Column::Status.eq("open"))
            .filter(mobility_record::Column::MemberId.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        let receivers: Vec<i64> = open.iter().filter_map(|r| r.receiving_org_id).collect();
        let names = crate::repo::organisations::orgs::get_many(db, &Scope::everything(), &receivers).await?;
        for r in open {
            if r.receiving_org_id.is_some_and(|o| activity_orgs.contains(&o)) {
                continue;
            }
            let place = honglian_domain::region::Location {
                province: r.province_code.clone(),
                city: r.city_code.clone(),
                county: r.county_code.clone(),
            }
            .display();
            let receiver = r.receiving_org_id.and_then(|o| names.iter().find(|n| n.id == o)).map(|n| n.name.clone());
            let at = match (receiver, r.external_org_name.clone()) {
                (Some(n), _) => format!("{place}（{n}）"),
                (None, Some(n)) => format!("{place}（{n}）"),
                (None, None) => place,
            };
            if let Some(m) = r.member_id {
                away.insert(m, at.trim().to_string());
            }
        }
    }
    for x in list.iter_mut() {
        if let Some(at) = away.remove(&x.member_id) {
            x.away = Some(if at.is_empty() { "外出".into() } else { at });
        }
    }
    Ok(())
}

pub async fn add_attachment(db: &impl ConnectionTrait, a: Attachment) -> Result<Attachment, DbErr> {
    attachment::ActiveModel {
        activity_id: Set(a.activity_id),
        filename: Set(a.filename),
        content_type: Set(a.content_type),
        size: Set(a.size),
        storage_key: Set(a.storage_key),
        uploaded_by: Set(a.uploaded_by),
        created_at: Set(a.created_at),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn attachments_of(db: &impl ConnectionTrait, activity_id: i64) -> Result<Vec<Attachment>, DbErr> {
    attachment::Entity::find()
        .filter(attachment::Column::ActivityId.eq(activity_id))
        .order_by_asc(attachment::Column::Id)
        .all(db)
        .await
}

/// An attachment of `activity`, which the caller has loaded through its scope; `None` for one of
/// another activity.
pub async fn attachment(db: &impl ConnectionTrait, activity: &Activity, id: i64) -> Result<Option<Attachment>, DbErr> {
    attachment::Entity::find_by_id(id).filter(attachment::Column::ActivityId.eq(activity.id)).one(db).await
}

pub async fn request_approval(
    db: &impl ConnectionTrait,
    activity_id: i64,
    reason: String,
    by: Option<i64>,
) -> Result<Approval, DbErr> {
    activity_approval::ActiveModel {
        activity_id: Set(activity_id),
        reason: Set(reason),
        requested_by: Set(by),
        status: Set("pending".into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn approvals_of(db: &impl ConnectionTrait, activity_id: i64) -> Result<Vec<Approval>, DbErr> {
    activity_approval::Entity::find()
        .filter(activity_approval::Column::ActivityId.eq(activity_id))
        .order_by_desc(activity_approval::Column::Id)
        .all(db)
        .await
}

pub async fn decide_approval(
    db: &impl ConnectionTrait,
    a: Approval,
    approve: bool,
    by: i64,
    note: Option<String>,
) -> Result<Approval, DbErr> {
    let mut am: activity_approval::ActiveModel = a.into();
    am.status = Set(if approve { "approved" } else { "rejected" }.into());
    am.decided_by = Set(Some(by));
    am.decision_note = Set(note);
    am.decided_at = Set(Some(Utc::now()));
    am.update(db).await
}

/// An activity with its organisations (id, path) and the members present.
pub type NewActivity = (ActivityActive, Vec<(i64, String)>, Vec<i64>);

/// Bulk insert for the demo data: the activities (ids returned in order), each
/// with its organisations and the members present.
pub async fn insert_many_with(db: &impl ConnectionTrait, list: Vec<NewActivity>) -> Result<Vec<i64>, DbErr> {
    let now = Utc::now();
    let b = db.get_database_backend();
    let before: i64 = db
        .query_one_raw(raw(b, "SELECT COALESCE(MAX(id), 0) AS m FROM activities", vec![]))
        .await?
        .map(|r| r.try_get("", "m"))
        .transpose()?
        .unwrap_or(0);
    let mut extras = Vec::with_capacity(list.len());
    let mut batch = Vec::new();
    for (mut am, orgs, present) in list {
        am.created_at = Set(now);
        am.updated_at = Set(now);
        batch.push(am);
        extras.push((orgs, present));
        if batch.len() == 200 {
            activity::Entity::insert_many(std::mem::take(&mut batch)).exec_without_returning(db).await?;
        }
    }
    if !batch.is_empty() {
        activity::Entity::insert_many(batch).exec_without_returning(db).await?;
    }
    // One transaction, one connection: the new ids follow the insertion order.
    let ids: Vec<i64> = activity::Entity::find()
        .filter(activity::Column::Id.gt(before))
        .order_by_asc(activity::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    let mut org_rows = Vec::new();
    let mut att_rows = Vec::new();
    for (id, (orgs, present)) in ids.iter().zip(extras) {
        for (org_id, path) in orgs {
            org_rows.push(activity_org::ActiveModel {
                activity_id: Set(*id),
                org_id: Set(org_id),
                org_path: Set(path),
            });
        }
        for m in present {
            att_rows.push(attendance::ActiveModel {
                activity_id: Set(*id),
                member_id: Set(m),
                status: Set("present".into()),
                reason: Set(None),
                via: Set("manual".into()),
                recorded_at: Set(now),
                recorded_by: Set(None),
                ..Default::default()
            });
        }
    }
    for chunk in org_rows.chunks(300) {
        activity_org::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    for chunk in att_rows.chunks(300) {
        attendance::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    db.execute_unprepared(&refresh_held_sql(b, Refresh::After(before))).await?;
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_parse_like_chrono() {
        for s in ["2026-01-01", "2024-02-29", "1999-12-31"] {
            assert_eq!(iso_date(s), NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(), "{s}");
        }
        for s in ["2026-02-30", "2026-1-01", "2026/01/01", "20a6-01-01", "2026-01-01 00:00", ""] {
            assert_eq!(iso_date(s), None, "{s}");
        }
    }
}
