//! Mobility records (outflow / return / inflow), ledgers and their statistics.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, Set,
    Value,
};

use crate::entity::members::mobility_record;
use crate::repo::{Page, PageReq};
use crate::{Scope, raw};

pub use mobility_record::ActiveModel as MobilityRecordActive;
pub use mobility_record::Model as MobilityRecord;

pub async fn insert(db: &impl ConnectionTrait, mut am: MobilityRecordActive) -> Result<MobilityRecord, DbErr> {
    let now = Utc::now();
    am.created_at = Set(now);
    am.updated_at = Set(now);
    am.insert(db).await
}

pub async fn update(db: &impl ConnectionTrait, mut am: MobilityRecordActive) -> Result<MobilityRecord, DbErr> {
    am.updated_at = Set(Utc::now());
    am.update(db).await
}

/// Bulk insert without returning, 150 rows a statement (demo data, a roster import's outflows).
pub async fn insert_many(db: &impl ConnectionTrait, rows: Vec<MobilityRecordActive>) -> Result<(), DbErr> {
    let now = Utc::now();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<MobilityRecordActive> = rows
            .by_ref()
            .take(150)
            .map(|mut am| {
                am.created_at = Set(now);
                am.updated_at = Set(now);
                am
            })
            .collect();
        mobility_record::Entity::insert_many(batch).exec_without_returning(db).await?;
    }
    Ok(())
}

/// Moves the employer and occupation written on open outflows to their members (the one place they
/// are kept) and clears them on the outflows: the statements of migration 0012.
pub async fn work_to_members(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    for sql in crate::migration::WORK_TO_MEMBERS {
        db.execute_raw(raw(db.get_database_backend(), sql, vec![])).await?;
    }
    Ok(())
}

/// The record if `scope` reaches its member (filed in the scope) or its receiving organisation,
/// else `None` (as for an id that does not exist).
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<MobilityRecord>, DbErr> {
    use crate::entity::{members::member, organisations::org};
    use sea_orm::Condition;
    use sea_orm::sea_query::Query;
    mobility_record::Entity::find_by_id(id)
        .filter(
            Condition::any()
                .add(
                    mobility_record::Column::MemberId.in_subquery(
                        Query::select()
                            .column(member::Column::Id)
                            .from(member::Entity)
                            .cond_where(scope.condition(member::Column::OrgPath))
                            .to_owned(),
                    ),
                )
                .add(
                    mobility_record::Column::ReceivingOrgId.in_subquery(
                        Query::select()
                            .column(org::Column::Id)
                            .from(org::Entity)
                            .cond_where(scope.condition(org::Column::Path))
                            .to_owned(),
                    ),
                ),
        )
        .one(db)
        .await
}

pub async fn open_outflow(db: &impl ConnectionTrait, member_id: i64) -> Result<Option<MobilityRecord>, DbErr> {
    mobility_record::Entity::find()
        .filter(mobility_record::Column::MemberId.eq(member_id))
        .filter(mobility_record::Column::Direction.eq("outflow"))
        .filter(mobility_record::Column::Status.eq("open"))
        .one(db)
        .await
}

/// Every record of a member, newest first.
pub async fn history(db: &impl ConnectionTrait, member_id: i64) -> Result<Vec<MobilityRecord>, DbErr> {
    mobility_record::Entity::find()
        .filter(mobility_record::Column::MemberId.eq(member_id))
        .order_by_desc(mobility_record::Column::StartDate)
        .order_by_desc(mobility_record::Column::Id)
        .all(db)
        .await
}

/// Appends `(col >= ? AND col < ?) OR …` for the scope; "1=1" for all.
pub(crate) fn scope_sql(scope: &Scope, col: &str, values: &mut Vec<Value>) -> String {
    match scope {
        Scope::All(_) => "1=1".into(),
        Scope::Paths(ps) if ps.is_empty() => "1=0".into(),
        Scope::Paths(ps) => {
            let parts: Vec<String> = ps
                .iter()
                .map(|p| {
                    values.push(p.clone().into());
                    values.push(format!("{}0", &p[..p.len() - 1]).into());
                    format!("({col} >= ? AND {col} < ?)")
                })
                .collect();
            format!("({})", parts.join(" OR "))
        }
    }
}

/// Which ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ledger {
    /// Open outflows (外出党员台账).
    Outflow,
    /// Closed outflows: members who came back (回归党员台账).
    Return,
    /// Open inflows (流入党员台账).
    Inflow,
}

#[derive(Debug, Clone, Default)]
pub struct LedgerFilter {
    /// Subtree path: the member's organisation or the receiving organisation lies in it.
    pub subtree: Option<String>,
    pub province_code: Option<String>,
    pub city_code: Option<String>,
    pub reason: Option<String>,
    /// Date range on the start date (outflow, inflow) or the return date (return), inclusive.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Name contains.
    pub name: Option<String>,
}

/// A ledger line: the record with its member's and organisations' names.
#[derive(Debug, Clone)]
pub struct LedgerRow {
    pub record: MobilityRecord,
    pub member_name: Option<String>,
    pub member_gender: Option<String>,
    pub member_birth_date: Option<NaiveDate>,
    pub member_id_number_enc: Option<String>,
    pub member_id_number_bidx: Option<String>,
    pub member_phone_enc: Option<String>,
    pub member_org_id: Option<i64>,
    pub member_org_name: Option<String>,
    pub member_org_path: Option<String>,
    pub member_last_contact_on: Option<NaiveDate>,
    /// The member's employer and occupation (the one place they are kept for members).
    pub member_employer: Option<String>,
    pub member_occupation: Option<String>,
    pub receiving_org_name: Option<String>,
    pub receiving_org_path: Option<String>,
}

fn ledger_where(ledger: Ledger, scope: &Scope, f: &LedgerFilter, values: &mut Vec<Value>) -> String {
    let mut w: Vec<String> = Vec::new();
    match ledger {
        Ledger::Outflow => w.push("r.direction = 'outflow' AND r.status = 'open'".into()),
        Ledger::Return => w.push("r.direction = 'outflow' AND r.status = 'closed'".into()),
        Ledger::Inflow => w.push("r.direction = 'inflow' AND r.status = 'open'".into()),
    }
    let visible = if ledger == Ledger::Inflow {
        scope_sql(scope, "ro.path", values)
    } else {
        let a = scope_sql(scope, "m.org_path", values);
        let b = scope_sql(scope, "ro.path", values);
        format!("({a} OR {b})")
    };
    w.push(visible);
    if let Some(s) = &f.subtree {
        let sub = Scope::Paths(vec![s.clone()]);
        let a = scope_sql(&sub, "m.org_path", values);
        let b = scope_sql(&sub, "ro.path", values);
        w.push(format!("({a} OR {b})"));
    }
    if let Some(v) = &f.province_code {
        values.push(v.clone().into());
        w.push("r.province_code = ?".into());
    }
    if let Some(v) = &f.city_code {
        values.push(v.clone().into());
        w.push("r.city_code = ?".into());
    }
    if let Some(v) = &f.reason {
        values.push(v.clone().into());
        w.push("r.reason = ?".into());
    }
    let date_col = if ledger == Ledger::Return { "r.ended_on" } else { "r.start_date" };
    if let Some(v) = f.from {
        values.push(v.into());
        w.push(format!("{date_col} >= ?"));
    }
    if let Some(v) = f.to {
        values.push(v.into());
        w.push(format!("{date_col} <= ?"));
    }
    if let Some(v) = &f.name {
        values.push(format!("%{}%", v.replace(['%', '_'], "")).into());
        w.push("COALESCE(m.name, r.person_name) LIKE ?".into());
    }
    w.join(" AND ")
}

const LEDGER_FROM: &str = "FROM mobility_records r \
     LEFT JOIN members m ON m.id = r.member_id \
     LEFT JOIN orgs mo ON mo.id = m.org_id \
     LEFT JOIN orgs ro ON ro.id = r.receiving_org_id";

/// The number of rows of a ledger with this filter.
pub async fn ledger_count(
    db: &impl ConnectionTrait,
    ledger: Ledger,
    scope: &Scope,
    f: &LedgerFilter,
) -> Result<u64, DbErr> {
    let b = db.get_database_backend();
    let mut values = Vec::new();
    let cond = ledger_where(ledger, scope, f, &mut values);
    let count_sql = format!("SELECT COUNT(*) AS n {LEDGER_FROM} WHERE {cond}");
    let total: i64 =
        db.query_one_raw(raw(b, &count_sql, values)).await?.map(|r| r.try_get("", "n")).transpose()?.unwrap_or(0);
    Ok(total as u64)
}

/// The rows of a ledger in ledger order (newest first), `LIMIT`ed to `page` if given.
fn ledger_sql(ledger: Ledger, scope: &Scope, f: &LedgerFilter, page: Option<PageReq>) -> (String, Vec<Value>) {
    let mut values = Vec::new();
    let cond = ledger_where(ledger, scope, f, &mut values);
    let order = if ledger == Ledger::Return { "r.ended_on DESC, r.id DESC" } else { "r.start_date DESC, r.id DESC" };
    let mut sql = format!(
        "SELECT r.*, m.name AS m_name, m.gender AS m_gender, m.birth_date AS m_birth_date, m.id_number_enc AS m_id_number_enc, \
         m.id_number_bidx AS m_id_number_bidx, m.phone_enc AS m_phone_enc, m.org_id AS m_org_id, m.org_path AS m_org_path, \
         m.last_contact_on AS m_last_contact_on, m.employer AS m_employer, m.occupation AS m_occupation, mo.name AS mo_name, ro.name AS ro_name, ro.path AS ro_path {LEDGER_FROM} WHERE {cond} ORDER BY {order}"
    );
    if let Some(p) = page {
        sql.push_str(&format!(" LIMIT {} OFFSET {}", p.per_page, p.offset()));
    }
    (sql, values)
}

fn ledger_row(r: &sea_orm::QueryResult) -> Result<LedgerRow, DbErr> {
    Ok(LedgerRow {
        record: MobilityRecord::from_query_result(r, "")?,
        member_name: r.try_get("", "m_name")?,
        member_gender: r.try_get("", "m_gender")?,
        member_birth_date: r.try_get("", "m_birth_date")?,
        member_id_number_enc: r.try_get("", "m_id_number_enc")?,
        member_id_number_bidx: r.try_get("", "m_id_number_bidx")?,
        member_phone_enc: r.try_get("", "m_phone_enc")?,
        member_org_id: r.try_get("", "m_org_id")?,
        member_org_name: r.try_get("", "mo_name")?,
        member_org_path: r.try_get("", "m_org_path")?,
        member_last_contact_on: r.try_get("", "m_last_contact_on")?,
        member_employer: r.try_get("", "m_employer")?,
        member_occupation: r.try_get("", "m_occupation")?,
        receiving_org_name: r.try_get("", "ro_name")?,
        receiving_org_path: r.try_get("", "ro_path")?,
    })
}

/// One page of a ledger, with the total.
pub async fn ledger(
    db: &impl ConnectionTrait,
    ledger: Ledger,
    scope: &Scope,
    f: &LedgerFilter,
    page: PageReq,
) -> Result<Page<LedgerRow>, DbErr> {
    let total = ledger_count(db, ledger, scope, f).await?;
    let (sql, values) = ledger_sql(ledger, scope, f, Some(page));
    let rows = db.query_all_raw(raw(db.get_database_backend(), &sql, values)).await?;
    let items = rows.iter().map(ledger_row).collect::<Result<_, _>>()?;
    Ok(Page { items, total })
}

/// Every row of a ledger, one at a time (the export): memory does not grow with the ledger.
/// Run it in a snapshot ([`crate::begin_snapshot`]) to agree with a [`ledger_count`] before it.
pub async fn ledger_stream<'a>(
    db: &'a sea_orm::DatabaseTransaction,
    ledger: Ledger,
    scope: &Scope,
    f: &LedgerFilter,
) -> Result<impl futures_util::Stream<Item = Result<LedgerRow, DbErr>> + Send + 'a, DbErr> {
    use futures_util::StreamExt;
    use sea_orm::StreamTrait;
    let (sql, values) = ledger_sql(ledger, scope, f, None);
    let rows = db.stream_raw(raw(StreamTrait::get_database_backend(db), &sql, values)).await?;
    Ok(rows.map(|r| r.and_then(|r| ledger_row(&r))))
}

/// Counts of open outflows grouped by `group` (a column of `r`, or the receiving organisation).
pub async fn outflow_counts(
    db: &impl ConnectionTrait,
    scope: &Scope,
    subtree: Option<&str>,
    group: &str,
) -> Result<Vec<(Option<String>, i64)>, DbErr> {
    let b = db.get_database_backend();
    let mut values = Vec::new();
    let f = LedgerFilter { subtree: subtree.map(str::to_string), ..Default::default() };
    let cond = ledger_where(Ledger::Outflow, scope, &f, &mut values);
    let key = match group {
        "province" => "r.province_code",
        "city" => "r.city_code",
        "reason" => "r.reason",
        // Receiving organisation: its name, or the external one's.
        _ => "COALESCE(ro.name, r.external_org_name)",
    };
    let sql = format!("SELECT {key} AS k, COUNT(*) AS n {LEDGER_FROM} WHERE {cond} GROUP BY {key} ORDER BY n DESC");
    let rows = db.query_all_raw(raw(b, &sql, values)).await?;
    rows.into_iter().map(|r| Ok((r.try_get("", "k")?, r.try_get("", "n")?))).collect()
}

/// The open outflows visible in the subtree of `org_id` (its members' and those it receives),
/// grouped four ways, from the tallies kept by triggers (migration `0006_outflow_tallies`): one
/// organisation's rows, whatever the size of the subtree. Same shape as [`outflow_counts`].
#[derive(Debug, Clone, Default)]
pub struct OutflowCounts {
    pub province: Vec<(Option<String>, i64)>,
    pub city: Vec<(Option<String>, i64)>,
    pub reason: Vec<(Option<String>, i64)>,
    /// By the receiving organisation's name, or the external one's.
    pub receiving: Vec<(Option<String>, i64)>,
}

pub async fn outflow_counts_of(db: &impl ConnectionTrait, org_id: i64) -> Result<OutflowCounts, DbErr> {
    use std::collections::HashMap;
    let b = db.get_database_backend();
    let rows = db
        .query_all_raw(raw(
            b,
            "SELECT province_code, city_code, reason, receiving, n FROM outflow_tallies WHERE org_id = ? AND n <> 0",
            vec![org_id.into()],
        ))
        .await?;
    let mut tallies = Vec::with_capacity(rows.len());
    for r in rows {
        let p: String = r.try_get("", "province_code")?;
        let c: String = r.try_get("", "city_code")?;
        let rs: String = r.try_get("", "reason")?;
        let rk: String = r.try_get("", "receiving")?;
        let n: i64 = r.try_get("", "n")?;
        tallies.push((p, c, rs, rk, n));
    }
    // Names of the receiving organisations, as they are now.
    let ids: Vec<i64> = tallies
        .iter()
        .filter_map(|t| t.3.strip_prefix('o').and_then(|id| id.parse().ok()))
        .collect::<std::collections::BTreeSet<i64>>()
        .into_iter()
        .collect();
    let mut names: HashMap<i64, String> = HashMap::new();
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let rows = db
            .query_all_raw(raw(
                b,
                &format!("SELECT id, name FROM orgs WHERE id IN ({marks})"),
                chunk.iter().map(|&i| i.into()).collect(),
            ))
            .await?;
        for r in rows {
            names.insert(r.try_get("", "id")?, r.try_get("", "name")?);
        }
    }
    let mut maps: [HashMap<Option<String>, i64>; 4] = Default::default();
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    for (p, c, rs, rk, n) in tallies {
        *maps[0].entry(opt(&p)).or_default() += n;
        *maps[1].entry(opt(&c)).or_default() += n;
        *maps[2].entry(opt(&rs)).or_default() += n;
        let name = if let Some(id) = rk.strip_prefix('o') {
            id.parse::<i64>().ok().and_then(|id| names.get(&id).cloned())
        } else {
            rk.strip_prefix('x').map(str::to_string)
        };
        *maps[3].entry(name).or_default() += n;
    }
    let [province, city, reason, receiving] = maps.map(|m| {
        let mut v: Vec<(Option<String>, i64)> = m.into_iter().filter(|(_, n)| *n != 0).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    });
    Ok(OutflowCounts { province, city, reason, receiving })
}

/// The organisation whose path is `path`.
pub async fn org_id_by_path(db: &impl ConnectionTrait, path: &str) -> Result<Option<i64>, DbErr> {
    let b = db.get_database_backend();
    let row = db.query_one_raw(raw(b, "SELECT id FROM orgs WHERE path = ?", vec![path.into()])).await?;
    row.map(|r| r.try_get("", "id")).transpose()
}

/// How many of the open outflows visible in the subtree of `org_id` are lost (the count of
/// [`lost_contacts`] with that subtree, away and not suspended), from the tallies.
pub async fn lost_count_of(db: &impl ConnectionTrait, org_id: i64, cutoff: NaiveDate) -> Result<i64, DbErr> {
    let b = db.get_database_backend();
    let row = db
        .query_one_raw(raw(
            b,
            "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n FROM outflow_quiet WHERE org_id = ? AND quiet_on <= ?",
            vec![org_id.into(), cutoff.into()],
        ))
        .await?;
    Ok(match row {
        Some(r) => r.try_get("", "n")?,
        None => 0,
    })
}

/// A lost member (失联): away or at home, in scope, out of touch since `cutoff` or earlier.
#[derive(Debug, Clone)]
pub struct LostRow {
    pub member_id: i64,
    pub member_name: String,
    pub org_id: i64,
    pub org_name: String,
    /// The member's organisation path (whether the caller manages the member or only receives them).
    pub org_path: String,
    pub status: String,
    pub suspended_on: Option<NaiveDate>,
    pub last_contact_on: Option<NaiveDate>,
    pub unreachable_since: Option<NaiveDate>,
    /// The start of the open outflow; None at home.
    pub outflow_start: Option<NaiveDate>,
    pub city_code: Option<String>,
    pub contact_person: Option<String>,
    pub receiving_org_name: Option<String>,
    pub proposed: bool,
}

#[derive(Debug, Clone, Default)]
pub struct LostFilter {
    /// Subtree path: the member's organisation or the receiving organisation lies in it.
    pub subtree: Option<String>,
    /// Some(true): away (an open outflow) only; Some(false): at home only.
    pub away: Option<bool>,
    /// Some(true): suspended members only; Some(false): normal ones only.
    pub suspended: Option<bool>,
    /// Members who are lost at `cutoff` but not yet at this earlier one: those approaching the limit, when
    /// the list's cutoff lies ahead of today's.
    pub not_lost_at: Option<NaiveDate>,
}

/// "Out of touch since `cutoff` or earlier", the rule's `quiet_since <= cutoff`.
fn quiet_by(cutoff: NaiveDate, values: &mut Vec<Value>) -> String {
    values.extend([cutoff.into(), cutoff.into(), cutoff.into()]);
    "(CASE WHEN r.id IS NOT NULL THEN (r.start_date <= ? AND (m.last_contact_on IS NULL OR m.last_contact_on <= ?)) \
     ELSE COALESCE(m.last_contact_on, m.unreachable_since) <= ? END)"
        .into()
}

/// The lost-contact rule of `honglian_domain::members::mobility::is_lost` in SQL (`quiet_since` ≤ cutoff).
fn lost_where(scope: &Scope, f: &LostFilter, cutoff: NaiveDate, values: &mut Vec<Value>) -> String {
    let mut w = vec![match f.suspended {
        None => "m.status IN ('normal', 'suspended')".to_string(),
        Some(true) => "m.status = 'suspended'".to_string(),
        Some(false) => "m.status = 'normal'".to_string(),
    }];
    // The home organisation's members, and those the receiving organisation looks after.
    let a = scope_sql(scope, "m.org_path", values);
    let b = scope_sql(scope, "ro.path", values);
    w.push(format!("({a} OR {b})"));
    if let Some(s) = &f.subtree {
        let sub = Scope::Paths(vec![s.to_string()]);
        let a = scope_sql(&sub, "m.org_path", values);
        let b = scope_sql(&sub, "ro.path", values);
        w.push(format!("({a} OR {b})"));
    }
    match f.away {
        Some(true) => w.push("r.id IS NOT NULL".into()),
        Some(false) => w.push("r.id IS NULL".into()),
        None => {}
    }
    w.push(quiet_by(cutoff, values));
    if let Some(earlier) = f.not_lost_at {
        w.push(format!("NOT {}", quiet_by(earlier, values)));
    }
    w.join(" AND ")
}

pub async fn lost_contacts(
    db: &impl ConnectionTrait,
    scope: &Scope,
    f: &LostFilter,
    cutoff: NaiveDate,
    page: PageReq,
) -> Result<Page<LostRow>, DbErr> {
    let b = db.get_database_backend();
    let mut values = Vec::new();
    let cond = lost_where(scope, f, cutoff, &mut values);
    let from = "FROM members m JOIN orgs mo ON mo.id = m.org_id \
                LEFT JOIN mobility_records r ON r.member_id = m.id AND r.direction = 'outflow' AND r.status = 'open' \
                LEFT JOIN orgs ro ON ro.id = r.receiving_org_id";
    let total: i64 = db
        .query_one_raw(raw(b, &format!("SELECT COUNT(*) AS n {from} WHERE {cond}"), values.clone()))
        .await?
        .map(|r| r.try_get("", "n"))
        .transpose()?
        .unwrap_or(0);
    // Longest out of touch first (the same expression as the rule's `quiet_since`).
    let since = "CASE WHEN r.id IS NOT NULL THEN CASE WHEN m.last_contact_on > r.start_date THEN m.last_contact_on \
                 ELSE r.start_date END ELSE COALESCE(m.last_contact_on, m.unreachable_since) END";
    let sql = format!(
        "SELECT m.id AS member_id, m.name AS member_name, m.org_id AS org_id, mo.name AS org_name, m.org_path AS org_path, \
         m.status AS status, m.suspended_on AS suspended_on, m.last_contact_on AS last_contact_on, \
         m.unreachable_since AS unreachable_since, r.start_date AS start_date, r.city_code AS city_code, \
         r.contact_person AS contact_person, ro.name AS ro_name, \
         (SELECT COUNT(*) FROM suspension_proposals s WHERE s.member_id = m.id) AS proposals \
         {from} WHERE {cond} ORDER BY {since} ASC, m.id ASC LIMIT {} OFFSET {}",
        page.per_page,
        page.offset()
    );
    let rows = db.query_all_raw(raw(b, &sql, values)).await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        let proposals: i64 = r.try_get("", "proposals")?;
        items.push(LostRow {
            member_id: r.try_get("", "member_id")?,
            member_name: r.try_get("", "member_name")?,
            org_id: r.try_get("", "org_id")?,
            org_name: r.try_get("", "org_name")?,
            org_path: r.try_get("", "org_path")?,
            status: r.try_get("", "status")?,
            suspended_on: r.try_get("", "suspended_on")?,
            last_contact_on: r.try_get("", "last_contact_on")?,
            unreachable_since: r.try_get("", "unreachable_since")?,
            outflow_start: r.try_get("", "start_date")?,
            city_code: r.try_get("", "city_code")?,
            contact_person: r.try_get("", "contact_person")?,
            receiving_org_name: r.try_get("", "ro_name")?,
            proposed: proposals > 0,
        });
    }
    Ok(Page { items, total: total as u64 })
}

/// Whether the member has an open outflow received by an organisation in `scope`.
pub async fn received_in(db: &impl ConnectionTrait, member_id: i64, scope: &Scope) -> Result<bool, DbErr> {
    let b = db.get_database_backend();
    let mut values = vec![Value::from(member_id)];
    let cond = scope_sql(scope, "ro.path", &mut values);
    let sql = format!(
        "SELECT COUNT(*) AS n FROM mobility_records r JOIN orgs ro ON ro.id = r.receiving_org_id \
         WHERE r.member_id = ? AND r.status = 'open' AND {cond}"
    );
    let n: i64 = db.query_one_raw(raw(b, &sql, values)).await?.map(|r| r.try_get("", "n")).transpose()?.unwrap_or(0);
    Ok(n > 0)
}
