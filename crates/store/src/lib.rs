//! Persistence: SeaORM entities, migrations and the repositories that own all SQL.
//!
//! Every query that lists business data takes a [`Scope`] and applies it, and so does every
//! loader of a business record by id (`repo::<area>::…::get(db, &scope, id)` answers `None` for a
//! record outside the scope, as for one that does not exist). Only [`Scope::All`] skips the filter,
//! and it holds an [`Unscoped`] proof that ordinary use-case code cannot make: see there.

pub mod entity;
pub mod migration;
pub mod repo;

use sea_orm::{ConnectOptions, Database, DatabaseBackend, DatabaseConnection, DbErr, Statement, Value};
use std::time::Duration;

pub use sea_orm::{DatabaseTransaction, TransactionTrait};

/// Opens the database named by `url` (`sqlite://…` or `postgres://…`).
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let db = Database::connect(options(url, max_connections)).await?;
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        // WAL lets readers run beside the one writer.
        db.execute_unprepared("PRAGMA journal_mode = WAL").await?;
    }
    Ok(db)
}

/// A pool for a PostgreSQL streaming replica (`--read-database-url`). It connects when first used, so
/// that a replica that is down does not stop the server, and gives up on it within two seconds, so
/// that a report then reads from the primary instead of waiting.
pub async fn connect_replica(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut opts = options(url, max_connections);
    opts.connect_lazy(true)
        .min_connections(0)
        .connect_timeout(Duration::from_secs(2))
        .acquire_timeout(Duration::from_secs(2));
    Database::connect(opts).await
}

fn options(url: &str, max_connections: u32) -> ConnectOptions {
    let mut opts = ConnectOptions::new(url.to_string());
    opts.max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        // sqlx pings every connection it hands out: one more round trip per query or transaction
        // (on SQLite a hand-over to the connection's thread and back). Only a connection that sat
        // idle long enough for a server, proxy or firewall to have dropped it is pinged.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .sqlx_logging(false)
        // A writer waits for SQLite's one write lock for up to this long before failing with
        // "database is locked" (sqlx's default is 5 s). Writers hold it only for their writes —
        // never across password hashing or file parsing — but a large import's one transaction
        // writes for longer than 5 s (100,000 members: about 3 s in a release build, much more in
        // a debug build on a busy machine), and another user's save must wait for it, not fail.
        .map_sqlx_sqlite_opts(|o| o.busy_timeout(SQLITE_BUSY_TIMEOUT))
        // Every statement here is a short transaction's: PostgreSQL's JIT compiler, which starts on
        // a statement whose *estimated* cost is high, spent 130 ms compiling a 2 ms update whose
        // bound range the planner could not see (docs/performance.md, round 7).
        .map_sqlx_postgres_opts(|o| o.options([("jit", "off")]));
    opts
}

/// How long a SQLite writer waits for the write lock (see [`connect`]).
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// The SQLite URL for a file, created if missing.
pub fn sqlite_url(path: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

use sea_orm::ConnectionTrait;

/// Builds a raw statement written with `?` placeholders for either backend.
pub(crate) fn raw(backend: DatabaseBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = if backend == DatabaseBackend::Postgres {
        let mut out = String::with_capacity(sql.len() + 8);
        let mut n = 0;
        for c in sql.chars() {
            if c == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(c);
            }
        }
        out
    } else {
        sql.to_string()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// Which organisations a query may see: the union of subtrees, or everything.
///
/// A by-id loader of a business record takes the caller's scope, so a use case that forgets the
/// check does not compile:
///
/// ```compile_fail
/// # async fn f(db: &sea_orm::DatabaseConnection) {
/// // No scope, no member.
/// let m = honglian_store::repo::members::registry::get(db, 7).await;
/// # }
/// ```
///
/// ```
/// # async fn f(db: &sea_orm::DatabaseConnection, scope: &honglian_store::Scope) -> Result<(), sea_orm::DbErr> {
/// // `None` outside the caller's subtrees, exactly as for an id that does not exist.
/// let m = honglian_store::repo::members::registry::get(db, scope, 7).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Everything, for the holder of an [`Unscoped`] proof.
    All(Unscoped),
    Paths(Vec<String>),
}

/// Proof that a read may cross every organisation: a background job over the whole deployment
/// (reminders, key rotation, upkeep), the demo loader, or a read of a record the caller already
/// reached through a scoped load (an activity's other organisations, the member of a visible census
/// entry). Deployment-wide roles (system, security, audit admins) read no business data, so
/// `Actor::scope` (crates/app) never hands one out.
///
/// Its field is private, so the only way to make one is [`Unscoped::system`], which `clippy.toml`
/// lists under `disallowed-methods`: every call carries `#[allow(clippy::disallowed_methods, reason =
/// "…")]` saying why it may read outside the caller's scope, and a new call fails `cargo clippy -D
/// warnings` until a reviewer has read that reason.
///
/// ```compile_fail
/// // Not constructible from outside the store.
/// let all = honglian_store::Scope::All(honglian_store::Unscoped(()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unscoped(());

impl Unscoped {
    /// A proof of a deployment-wide need. Allowed only where the reason is written beside the call.
    pub fn system() -> Self {
        Unscoped(())
    }
}

impl Scope {
    /// Everything, for the store's own reads of what a scoped read already reached (names of an
    /// activity's organisations, a grant's organisation path while loading an actor).
    pub(crate) fn everything() -> Self {
        Scope::All(Unscoped(()))
    }

    pub fn none() -> Self {
        Scope::Paths(Vec::new())
    }

    /// True when `path` lies within the scope.
    pub fn contains(&self, path: &str) -> bool {
        match self {
            Scope::All(_) => true,
            Scope::Paths(ps) => ps.iter().any(|p| path.starts_with(p.as_str())),
        }
    }

    /// The condition "column lies in the scope" as index-friendly ranges.
    pub fn condition<C: sea_orm::ColumnTrait>(&self, col: C) -> sea_orm::Condition {
        use sea_orm::Condition;
        match self {
            Scope::All(_) => Condition::all(),
            Scope::Paths(ps) => {
                let mut any = Condition::any();
                for p in ps {
                    any = any.add(subtree_condition(col, p));
                }
                if ps.is_empty() {
                    // No scope: match nothing.
                    any = any.add(sea_orm::sea_query::Expr::cust("1 = 0"));
                }
                any
            }
        }
    }
}

/// `col` starts with `prefix` (a path ending in '/'), as a range both backends index.
pub fn subtree_condition<C: sea_orm::ColumnTrait>(col: C, prefix: &str) -> sea_orm::Condition {
    let upper = format!("{}0", &prefix[..prefix.len() - 1]);
    sea_orm::Condition::all().add(col.gte(prefix)).add(col.lt(upper))
}

/// Refreshes the planner's statistics after a bulk load. On PostgreSQL also VACUUM, which sets the
/// visibility map: without it, counts over an index still visit every heap page (the whole-deployment
/// member count took 233 ms instead of 57 ms, docs/performance.md round 4). Not inside a transaction.
pub async fn analyze(db: &DatabaseConnection) -> Result<(), DbErr> {
    let sql = if db.get_database_backend() == DatabaseBackend::Postgres { "VACUUM ANALYZE" } else { "ANALYZE" };
    db.execute_unprepared(sql).await?;
    Ok(())
}

/// PostgreSQL: refreshes the planner's statistics of `tables` inside a bulk load's transaction (its
/// own rows count). Tables filled in a transaction that has not committed look empty to the planner,
/// which then joins them by nested loops over whole scans: the demo's census took 9 s on each of its
/// two campaigns. No-op on SQLite, which has no statistics until [`analyze`].
pub async fn analyze_in_load(db: &impl ConnectionTrait, tables: &[&str]) -> Result<(), DbErr> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        db.execute_unprepared(&format!("ANALYZE {}", tables.join(", "))).await?;
    }
    Ok(())
}

/// Sets this connection's SQLite page cache to `mib` MiB for a bulk load, or back to SQLite's
/// default 2 MiB with `None` (no-op on PostgreSQL). With the default, a transaction that writes
/// more pages than fit spills them to the WAL and reads them back: the kernel's copying was 40 %
/// of the scale data's load. Set back before the commit: the pages over the limit are freed as
/// the commit cleans them, so the connection does not keep the memory in the pool.
pub async fn bulk_cache(db: &impl ConnectionTrait, mib: Option<u32>) -> Result<(), DbErr> {
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        let kib = mib.map_or(2000, |m| m * 1024);
        db.execute_unprepared(&format!("PRAGMA cache_size = -{kib}")).await?;
    }
    Ok(())
}

/// Indexes a bulk load has dropped, to be built again at its end ([`defer_indexes`]).
#[must_use = "build the indexes again with `rebuild`"]
pub struct DeferredIndexes(Vec<String>);

/// PostgreSQL: drops the indexes `names` for a bulk load, keeping their definitions. Indexes whose
/// keys arrive in random order (HMAC blind indexes, names) cost a random page of an index larger
/// than the buffer cache for every row inserted; one build at the end sorts once. No-op on SQLite,
/// whose loads are not slowed this way (docs/performance.md, round 8). A load that fails before
/// [`DeferredIndexes::rebuild`] leaves them dropped: only for loads into a database that is thrown
/// away when they fail (the scale generator, `demo --members`).
pub async fn defer_indexes(db: &DatabaseConnection, names: &[&str]) -> Result<DeferredIndexes, DbErr> {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(DeferredIndexes(Vec::new()));
    }
    let list = names.iter().map(|n| format!("'{}'", n.replace('\'', ""))).collect::<Vec<_>>().join(", ");
    let rows = db
        .query_all_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            format!("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN ({list})"),
        ))
        .await?;
    let mut defs = Vec::new();
    for r in rows {
        let (name, def): (String, String) = (r.try_get("", "indexname")?, r.try_get("", "indexdef")?);
        db.execute_unprepared(&format!("DROP INDEX \"{name}\"")).await?;
        defs.push(def);
    }
    Ok(DeferredIndexes(defs))
}

impl DeferredIndexes {
    /// Builds the dropped indexes again, with memory enough to sort each in one pass.
    pub async fn rebuild(self, db: &DatabaseConnection) -> Result<(), DbErr> {
        if self.0.is_empty() {
            return Ok(());
        }
        let txn = db.begin().await?;
        txn.execute_unprepared("SET LOCAL maintenance_work_mem = '256MB'").await?;
        for def in &self.0 {
            txn.execute_unprepared(def).await?;
        }
        txn.commit().await
    }
}

/// Starts a read-only transaction whose reads all see one snapshot (an export's count and its rows).
/// SQLite's deferred transactions do this by themselves; PostgreSQL needs REPEATABLE READ.
pub async fn begin_snapshot(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        db.begin_with_config(Some(sea_orm::IsolationLevel::RepeatableRead), Some(sea_orm::AccessMode::ReadOnly)).await
    } else {
        db.begin().await
    }
}

/// A transaction that writes ([`begin_write`]): use it as any connection, then `commit` it (dropped
/// without, it rolls back). On SQLite it also holds this process's turn at the database's one write
/// lock until then.
pub struct WriteTxn {
    txn: DatabaseTransaction,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }

    pub async fn rollback(self) -> Result<(), DbErr> {
        self.txn.rollback().await
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DatabaseBackend {
        self.txn.get_database_backend()
    }
    async fn execute_raw(&self, stmt: sea_orm::Statement) -> Result<sea_orm::ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }
    async fn execute_unprepared(&self, sql: &str) -> Result<sea_orm::ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }
    async fn query_one_raw(&self, stmt: sea_orm::Statement) -> Result<Option<sea_orm::QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }
    async fn query_all_raw(&self, stmt: sea_orm::Statement) -> Result<Vec<sea_orm::QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }
    fn support_returning(&self) -> bool {
        self.txn.support_returning()
    }
}

/// This process's queue for a SQLite database's write lock (one per database file). SQLite lets a
/// writer that finds the lock taken sleep and try again (1, 2, 5 … 100 ms): under many writers a
/// sleeper misses the moment the lock is free, and a sign-in that takes 2 ms waits 100. Writers of
/// one process queue here instead, first come first served, and each finds the lock free; SQLite's
/// busy timeout still guards against other processes.
fn write_turn(db: &DatabaseConnection) -> Option<std::sync::Arc<tokio::sync::Mutex<()>>> {
    use std::collections::HashMap;
    use std::sync::{Arc, LazyLock, Mutex};
    type Turns = Mutex<HashMap<std::path::PathBuf, Arc<tokio::sync::Mutex<()>>>>;
    static TURNS: LazyLock<Turns> = LazyLock::new(Default::default);
    if db.get_database_backend() != DatabaseBackend::Sqlite {
        return None;
    }
    let file = db.get_sqlite_connection_pool().connect_options().get_filename().to_path_buf();
    Some(TURNS.lock().unwrap_or_else(|e| e.into_inner()).entry(file).or_default().clone())
}

/// Starts a transaction that will write. On SQLite it takes the write lock at BEGIN (IMMEDIATE), so
/// concurrent writers wait their turn instead of failing when a read lock cannot be upgraded; the
/// writers of this process wait in line ([`write_turn`]), at most [`SQLITE_BUSY_TIMEOUT`].
pub async fn begin_write(db: &DatabaseConnection) -> Result<WriteTxn, DbErr> {
    let turn = match write_turn(db) {
        Some(queue) => Some(
            tokio::time::timeout(SQLITE_BUSY_TIMEOUT, queue.lock_owned())
                .await
                .map_err(|_| DbErr::Custom("database is locked: waited too long for the write lock".into()))?,
        ),
        None => None,
    };
    let txn = db
        .begin_with_options(sea_orm::TransactionOptions {
            sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    Ok(WriteTxn { txn, _turn: turn })
}
