//! The outbox: every message that leaves through a channel (in-app, email, group robots) is a row
//! here first. Workers take due rows by lease (`claim`: a random token and a time limit; on
//! PostgreSQL `FOR UPDATE SKIP LOCKED`, on SQLite the write lock), deliver them and mark each sent,
//! retried later or dead. In-app rows are delivered set-wise (`deliver_in_app`). Also a user's
//! channel preferences and an organisation's group robots.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, Value,
};

use crate::entity::platform::{notify_pref, outbox, robot};
use crate::repo::{Page, PageReq};
use crate::{Scope, raw};

pub use notify_pref::Model as NotifyPref;
pub use outbox::Model as OutboxRow;
pub use robot::Model as Robot;

/// One message to many recipients, as the set-wise enqueue writes it.
#[derive(Debug, Clone)]
pub struct Message {
    /// The organisation whose act sends it (its administrators see the rows).
    pub org_path: String,
    /// What sent it, e.g. `greeting:12`: the rows' figures are counted by it, and it is the in-app
    /// notification's key (one per user).
    pub source: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
}

/// The values of a message's row from `org_path` to `created_at` (the recipient's id is appended to
/// `key_prefix` in SQL).
fn message_values(msg: &Message, key_prefix: &str, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        msg.org_path.clone().into(),
        msg.source.clone().into(),
        msg.kind.clone().into(),
        msg.title.clone().into(),
        msg.body.clone().into(),
        msg.link.clone().into(),
        key_prefix.into(),
        now.into(),
        now.into(),
    ]
}

fn subtree(path: &str) -> (String, String) {
    (path.to_string(), format!("{}0", &path[..path.len() - 1]))
}

/// The members with an open outflow whose home organisation, or the organisation receiving them,
/// lies under `path`, in good standing: `FROM` and `WHERE` of the greeting queries, with their values.
fn open_outflows_under(path: &str, values: &mut Vec<Value>) -> String {
    let (lo, hi) = subtree(path);
    values.extend([lo.clone().into(), hi.clone().into(), lo.into(), hi.into()]);
    "members m JOIN mobility_records r ON r.member_id = m.id AND r.direction = 'outflow' AND r.status = 'open' \
     LEFT JOIN orgs ro ON ro.id = r.receiving_org_id \
     WHERE m.status = 'normal' AND ((m.org_path >= ? AND m.org_path < ?) OR (ro.path >= ? AND ro.path < ?))"
        .into()
}

/// How many open outflows lie under `path` (see [`open_outflows_under`]), and how many of those
/// members have an account that is not disabled.
pub async fn open_outflows_count(db: &impl ConnectionTrait, path: &str) -> Result<(u64, u64), DbErr> {
    let b = db.get_database_backend();
    let mut values = vec![false.into()];
    let from = open_outflows_under(path, &mut values);
    let sql = format!(
        "SELECT COUNT(DISTINCT m.id) AS targeted, COUNT(DISTINCT u.member_id) AS with_account FROM {}",
        from.replacen(
            "LEFT JOIN orgs ro",
            "LEFT JOIN users u ON u.member_id = m.id AND u.disabled = ? LEFT JOIN orgs ro",
            1
        )
    );
    let row = db.query_one_raw(raw(b, &sql, values)).await?.expect("an aggregate returns a row");
    let targeted: i64 = row.try_get("", "targeted")?;
    let with_account: i64 = row.try_get("", "with_account")?;
    Ok((targeted as u64, with_account as u64))
}

/// Queues `msg` for every open outflow under `path` that has an account: in-app always, email
/// where the user has switched it on; and once for each enabled robot of an organisation under
/// `path` when `robots`. Set-wise (one statement a channel); a second call with the same source adds
/// nothing. Returns the rows queued.
pub async fn enqueue_to_open_outflows(
    db: &impl ConnectionTrait,
    path: &str,
    msg: &Message,
    now: DateTime<Utc>,
    robots: bool,
) -> Result<u64, DbErr> {
    let b = db.get_database_backend();
    let mut queued = 0;
    for channel in ["in_app", "email"] {
        let mut values: Vec<Value> = vec![channel.into()];
        values.extend(message_values(msg, &format!("{}:{channel}:", msg.source), now));
        values.push(false.into());
        let prefs = if channel == "email" {
            values.push(true.into());
            "JOIN notify_prefs p ON p.user_id = u.id AND p.email_on = ? AND p.email_enc IS NOT NULL "
        } else {
            ""
        };
        let from = open_outflows_under(path, &mut values).replacen(
            "LEFT JOIN orgs ro",
            &format!("JOIN users u ON u.member_id = m.id AND u.disabled = ? {prefs}LEFT JOIN orgs ro"),
            1,
        );
        let sql = format!(
            "INSERT INTO outbox (channel, user_id, robot_id, member_id, org_path, source, kind, title, body, link, \
             dedupe_key, status, attempts, next_at, created_at) \
             SELECT ?, u.id, CAST(NULL AS BIGINT), m.id, ?, ?, ?, ?, ?, ?, CAST(? AS TEXT) || CAST(u.id AS TEXT), 'queued', 0, ?, ? \
             FROM {from} ON CONFLICT (dedupe_key) DO NOTHING"
        );
        queued += db.execute_raw(raw(b, &sql, values)).await?.rows_affected();
    }
    if robots {
        queued += enqueue_to_robots(db, path, msg, now).await?;
    }
    Ok(queued)
}

/// Queues `msg` by email for the accounts that `accounts` selects (`FROM … WHERE …` over `users u` and
/// `members m`, with its values) and that have switched email on. Set-wise; a second call with the
/// same source adds nothing. Returns the rows queued.
pub async fn enqueue_email_to(
    db: &impl ConnectionTrait,
    accounts: (&str, Vec<Value>),
    msg: &Message,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let (from, from_values) = accounts;
    let mut values: Vec<Value> = vec!["email".into()];
    values.extend(message_values(msg, &format!("{}:email:", msg.source), now));
    values.extend(from_values);
    values.push(true.into());
    let sql = format!(
        "INSERT INTO outbox (channel, user_id, robot_id, member_id, org_path, source, kind, title, body, link, \
         dedupe_key, status, attempts, next_at, created_at) \
         SELECT ?, u.id, CAST(NULL AS BIGINT), m.id, ?, ?, ?, ?, ?, ?, CAST(? AS TEXT) || CAST(u.id AS TEXT), 'queued', 0, ?, ? \
         {from} AND EXISTS (SELECT 1 FROM notify_prefs p WHERE p.user_id = u.id AND p.email_on = ? AND p.email_enc IS NOT NULL) \
         ON CONFLICT (dedupe_key) DO NOTHING"
    );
    Ok(db.execute_raw(raw(db.get_database_backend(), &sql, values)).await?.rows_affected())
}

/// Queues `msg` once for each enabled robot of an organisation under `path`.
pub async fn enqueue_to_robots(
    db: &impl ConnectionTrait,
    path: &str,
    msg: &Message,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let b = db.get_database_backend();
    let (lo, hi) = subtree(path);
    let mut values = message_values(msg, &format!("{}:robot:", msg.source), now);
    values.extend([true.into(), lo.into(), hi.into()]);
    let sql = "INSERT INTO outbox (channel, user_id, robot_id, member_id, org_path, source, kind, title, body, link, \
               dedupe_key, status, attempts, next_at, created_at) \
               SELECT r.kind, CAST(NULL AS BIGINT), r.id, CAST(NULL AS BIGINT), ?, ?, ?, ?, ?, ?, CAST(? AS TEXT) || CAST(r.id AS TEXT), 'queued', 0, ?, ? \
               FROM robots r WHERE r.enabled = ? AND r.org_path >= ? AND r.org_path < ? \
               ON CONFLICT (dedupe_key) DO NOTHING";
    Ok(db.execute_raw(raw(b, sql, values)).await?.rows_affected())
}

/// A single row (a robot's test message).
pub async fn enqueue_one(db: &impl ConnectionTrait, row: outbox::ActiveModel) -> Result<u64, DbErr> {
    outbox::Entity::insert(row)
        .on_conflict(OnConflict::column(outbox::Column::DedupeKey).do_nothing().to_owned())
        .exec_without_returning(db)
        .await
}

/// A single row, returned with its id (a message that other records point at).
pub async fn enqueue_returning(db: &impl ConnectionTrait, row: outbox::ActiveModel) -> Result<OutboxRow, DbErr> {
    row.insert(db).await
}

/// Takes up to `limit` due rows of `channel` whose lease is free (never taken, or run out) under
/// `token` until `until`. Returns how many were taken. Several instances never take the same row.
pub async fn claim(
    db: &impl ConnectionTrait,
    channel: &str,
    token: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: u64,
) -> Result<u64, DbErr> {
    let b = db.get_database_backend();
    let lock = if b == DatabaseBackend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!(
        "UPDATE outbox SET lease_token = ?, lease_until = ? WHERE id IN (SELECT id FROM outbox \
         WHERE status = 'queued' AND channel = ? AND next_at <= ? AND (lease_until IS NULL OR lease_until < ?) \
         ORDER BY next_at, id LIMIT ?{lock})"
    );
    let values: Vec<Value> =
        vec![token.into(), until.into(), channel.into(), now.into(), now.into(), (limit as i64).into()];
    Ok(db.execute_raw(raw(b, &sql, values)).await?.rows_affected())
}

/// Whether any row of `channel` is due and free (a read, so an idle worker takes no write lock).
pub async fn any_due(db: &impl ConnectionTrait, channel: &str, now: DateTime<Utc>) -> Result<bool, DbErr> {
    use outbox::Column as C;
    Ok(outbox::Entity::find()
        .select_only()
        .column(C::Id)
        .filter(C::Status.eq("queued"))
        .filter(C::Channel.eq(channel))
        .filter(C::NextAt.lte(now))
        .filter(sea_orm::Condition::any().add(C::LeaseUntil.is_null()).add(C::LeaseUntil.lt(now)))
        .into_tuple::<i64>()
        .one(db)
        .await?
        .is_some())
}

/// Gives back the rows still held under `token` (a round that stopped early): due again at once.
pub async fn release(db: &impl ConnectionTrait, token: &str) -> Result<u64, DbErr> {
    use outbox::Column as C;
    Ok(outbox::Entity::update_many()
        .col_expr(C::LeaseToken, Expr::value(Option::<String>::None))
        .col_expr(C::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(C::LeaseToken.eq(token))
        .exec(db)
        .await?
        .rows_affected)
}

/// The rows held under `token`.
pub async fn leased(db: &impl ConnectionTrait, token: &str) -> Result<Vec<OutboxRow>, DbErr> {
    outbox::Entity::find()
        .filter(outbox::Column::LeaseToken.eq(token))
        .filter(outbox::Column::Status.eq("queued"))
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await
}

/// Delivers the in-app rows held under `token`: each becomes the user's notification (keyed by its
/// source, so never twice), a greeting is written in the member's contact log by the sending
/// organisation (delivered, not a reply: the lost-contact clock does not move), and the rows are
/// marked sent; a row for an account disabled meanwhile is given up. In the caller's
/// transaction. Returns the rows delivered.
pub async fn deliver_in_app(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<u64, DbErr> {
    let b = db.get_database_backend();
    // An account disabled since the message was queued is not written to.
    db.execute_raw(raw(
        b,
        "UPDATE outbox SET status = 'dead', last_error = '收件人的账号已停用', lease_token = NULL, lease_until = NULL \
         WHERE lease_token = ? AND status = 'queued' AND user_id IN (SELECT id FROM users WHERE disabled = ?)",
        vec![token.into(), true.into()],
    ))
    .await?;
    db.execute_raw(raw(
        b,
        "INSERT INTO notifications (user_id, kind, title, body, link, dedupe_key, read_at, created_at) \
         SELECT user_id, kind, title, body, link, source, NULL, ? FROM outbox \
         WHERE lease_token = ? AND status = 'queued' AND user_id IS NOT NULL \
         ON CONFLICT (user_id, dedupe_key) DO NOTHING",
        vec![now.into(), token.into()],
    ))
    .await?;
    db.execute_raw(raw(
        b,
        "INSERT INTO contacts (member_id, kind, contacted_on, reached, by_user_id, by_name, created_at) \
         SELECT x.member_id, 'greeting', ?, ?, CAST(NULL AS BIGINT), COALESCE(o.name, '') || '（站内消息）', ? \
         FROM outbox x LEFT JOIN orgs o ON o.path = x.org_path \
         WHERE x.lease_token = ? AND x.status = 'queued' AND x.kind = 'greeting' AND x.member_id IS NOT NULL",
        vec![today.into(), false.into(), now.into(), token.into()],
    ))
    .await?;
    Ok(db
        .execute_raw(raw(
            b,
            "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, lease_token = NULL, \
             lease_until = NULL WHERE lease_token = ? AND status = 'queued'",
            vec![now.into(), token.into()],
        ))
        .await?
        .rows_affected())
}

/// What became of one row a worker held.
#[derive(Debug, Clone)]
pub enum Outcome {
    Sent,
    /// Waits until then without counting a try (quiet hours, a robot's rate limit).
    Wait(DateTime<Utc>),
    /// A failed try: again at `retry_at`, or dead when None.
    Failed {
        error: String,
        retry_at: Option<DateTime<Utc>>,
    },
}

/// Records what became of a row, if the worker still holds it (a lease that ran out and was taken
/// over is not overwritten). Returns whether it was recorded.
pub async fn settle(
    db: &impl ConnectionTrait,
    id: i64,
    token: &str,
    outcome: Outcome,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    use outbox::Column as C;
    let mut q = outbox::Entity::update_many()
        .filter(C::Id.eq(id))
        .filter(C::LeaseToken.eq(token))
        .col_expr(C::LeaseToken, Expr::value(Option::<String>::None))
        .col_expr(C::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None));
    let inc = Expr::col(C::Attempts).add(1);
    q = match outcome {
        Outcome::Sent => q
            .col_expr(C::Status, Expr::value("sent"))
            .col_expr(C::SentAt, Expr::value(now))
            .col_expr(C::Attempts, inc)
            .col_expr(C::LastError, Expr::value(Option::<String>::None)),
        Outcome::Wait(at) => q.col_expr(C::NextAt, Expr::value(at)),
        Outcome::Failed { error, retry_at } => {
            let q = q.col_expr(C::Attempts, inc).col_expr(C::LastError, Expr::value(error));
            match retry_at {
                Some(at) => q.col_expr(C::NextAt, Expr::value(at)),
                None => q.col_expr(C::Status, Expr::value("dead")),
            }
        }
    };
    Ok(q.exec(db).await?.rows_affected > 0)
}

/// How many messages went to a robot since `since` (its per-minute limit).
pub async fn robot_sent_since(db: &impl ConnectionTrait, robot_id: i64, since: DateTime<Utc>) -> Result<u64, DbErr> {
    outbox::Entity::find()
        .filter(outbox::Column::RobotId.eq(robot_id))
        .filter(outbox::Column::SentAt.gte(since))
        .count(db)
        .await
}

/// Counts of one source's rows by (channel, status).
pub async fn source_counts(db: &impl ConnectionTrait, source: &str) -> Result<Vec<(String, String, u64)>, DbErr> {
    let b = db.get_database_backend();
    let rows = db
        .query_all_raw(raw(
            b,
            "SELECT channel, status, COUNT(*) AS n FROM outbox WHERE source = ? GROUP BY channel, status",
            vec![source.into()],
        ))
        .await?;
    rows.into_iter()
        .map(|r| {
            let n: i64 = r.try_get("", "n")?;
            Ok((r.try_get("", "channel")?, r.try_get("", "status")?, n as u64))
        })
        .collect()
}

/// How many of the in-app notifications keyed `source` have been opened.
pub async fn source_read(db: &impl ConnectionTrait, source: &str) -> Result<u64, DbErr> {
    use crate::entity::platform::notification::Column as N;
    crate::entity::platform::notification::Entity::find()
        .filter(N::DedupeKey.eq(source))
        .filter(N::ReadAt.is_not_null())
        .count(db)
        .await
}

/// What the administrators' view asks for besides the scope.
#[derive(Debug, Clone, Default)]
pub struct OutboxFilter {
    pub status: Option<String>,
    pub channel: Option<String>,
    /// Rows that failed at least once (retrying or dead).
    pub failed: bool,
}

pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    f: &OutboxFilter,
    page: PageReq,
) -> Result<Page<OutboxRow>, DbErr> {
    use outbox::Column as C;
    let mut q = outbox::Entity::find().filter(scope.condition(C::OrgPath));
    if let Some(s) = &f.status {
        q = q.filter(C::Status.eq(s.as_str()));
    }
    if let Some(c) = &f.channel {
        q = q.filter(C::Channel.eq(c.as_str()));
    }
    if f.failed {
        q = q.filter(C::LastError.is_not_null()).filter(C::Status.ne("sent"));
    }
    let total = q.clone().count(db).await?;
    let items = q.order_by_desc(C::Id).limit(page.per_page).offset(page.offset()).all(db).await?;
    Ok(Page { items, total })
}

/// Rows in `scope` by status.
pub async fn counts(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<(String, u64)>, DbErr> {
    use outbox::Column as C;
    let rows: Vec<(String, i64)> = outbox::Entity::find()
        .select_only()
        .column(C::Status)
        .column_as(C::Id.count(), "n")
        .filter(scope.condition(C::OrgPath))
        .group_by(C::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(s, n)| (s, n as u64)).collect())
}

pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<OutboxRow>, DbErr> {
    outbox::Entity::find_by_id(id).filter(scope.condition(outbox::Column::OrgPath)).one(db).await
}

/// Sends a row again (loaded through the scope): queued now, its tries counted afresh.
pub async fn retry(db: &impl ConnectionTrait, row: OutboxRow, now: DateTime<Utc>) -> Result<OutboxRow, DbErr> {
    let mut am: outbox::ActiveModel = row.into();
    am.status = Set("queued".into());
    am.attempts = Set(0);
    am.next_at = Set(now);
    am.lease_token = Set(None);
    am.lease_until = Set(None);
    am.update(db).await
}

pub async fn pref(db: &impl ConnectionTrait, user_id: i64) -> Result<Option<NotifyPref>, DbErr> {
    notify_pref::Entity::find().filter(notify_pref::Column::UserId.eq(user_id)).one(db).await
}

/// Saves a user's preferences (`p.id` is ignored: one row a user).
pub async fn save_pref(db: &impl ConnectionTrait, p: NotifyPref) -> Result<(), DbErr> {
    use notify_pref::Column as C;
    let am = notify_pref::ActiveModel {
        id: sea_orm::NotSet,
        user_id: Set(p.user_id),
        email_enc: Set(p.email_enc),
        email_on: Set(p.email_on),
        quiet_start: Set(p.quiet_start),
        quiet_end: Set(p.quiet_end),
        updated_at: Set(p.updated_at),
    };
    notify_pref::Entity::insert(am)
        .on_conflict(
            OnConflict::column(C::UserId)
                .update_columns([C::EmailEnc, C::EmailOn, C::QuietStart, C::QuietEnd, C::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

pub struct NewRobot {
    pub org_id: i64,
    pub org_path: String,
    pub kind: String,
    pub name: String,
    pub url_enc: String,
    pub secret_enc: Option<String>,
    pub host: String,
    pub created_by_name: String,
}

pub async fn robot_insert(db: &impl ConnectionTrait, r: NewRobot) -> Result<Robot, DbErr> {
    robot::ActiveModel {
        org_id: Set(r.org_id),
        org_path: Set(r.org_path),
        kind: Set(r.kind),
        name: Set(r.name),
        url_enc: Set(r.url_enc),
        secret_enc: Set(r.secret_enc),
        host: Set(r.host),
        enabled: Set(true),
        created_by_name: Set(r.created_by_name),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn robots(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<Robot>, DbErr> {
    robot::Entity::find()
        .filter(scope.condition(robot::Column::OrgPath))
        .order_by_asc(robot::Column::OrgPath)
        .order_by_asc(robot::Column::Id)
        .all(db)
        .await
}

pub async fn robot(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Robot>, DbErr> {
    robot::Entity::find_by_id(id).filter(scope.condition(robot::Column::OrgPath)).one(db).await
}

/// Switches a robot off (loaded through the scope): it is posted to no more, what it still had to
/// send is given up, and it stays listed with its figures.
pub async fn robot_disable(db: &impl ConnectionTrait, r: Robot) -> Result<Robot, DbErr> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value("dead"))
        .col_expr(outbox::Column::LastError, Expr::value("群机器人已停用"))
        .filter(outbox::Column::RobotId.eq(r.id))
        .filter(outbox::Column::Status.eq("queued"))
        .exec(db)
        .await?;
    let mut am: robot::ActiveModel = r.into();
    am.enabled = Set(false);
    am.update(db).await
}

/// Gives up the messages of `source` still waiting (not being sent right now), with `reason`: a
/// withdrawn bulletin's announcements. Returns how many.
pub async fn cancel_source(
    db: &impl ConnectionTrait,
    source: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    use outbox::Column as C;
    use sea_orm::Condition;
    let r = outbox::Entity::update_many()
        .col_expr(C::Status, Expr::value("dead"))
        .col_expr(C::LastError, Expr::value(reason))
        .filter(C::Source.eq(source))
        .filter(C::Status.eq("queued"))
        .filter(Condition::any().add(C::LeaseUntil.is_null()).add(C::LeaseUntil.lt(now)))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

/// Sent and failed messages of each robot since `since`.
pub async fn robot_figures(
    db: &impl ConnectionTrait,
    robots: &[i64],
    since: DateTime<Utc>,
) -> Result<Vec<(i64, String, u64)>, DbErr> {
    use outbox::Column as C;
    let rows: Vec<(Option<i64>, String, i64)> = outbox::Entity::find()
        .select_only()
        .column(C::RobotId)
        .column(C::Status)
        .column_as(C::Id.count(), "n")
        .filter(C::RobotId.is_in(robots.iter().copied()))
        .filter(C::CreatedAt.gte(since))
        .group_by(C::RobotId)
        .group_by(C::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(|(r, s, n)| Some((r?, s, n as u64))).collect())
}
