//! `honglian-bench`: builds (once) a deployment of 1,000,000 members with the
//! release `honglian demo --members`, serves it with `honglian serve`, and
//! measures the budgets of docs/performance.md over loopback with a bounded
//! load generator; each query workload is also run directly against the
//! database so the API's overhead shows as a ratio. Prints a table and writes
//! the figures as JSON.
//!
//!     cargo build --release --bin honglian --bin honglian-bench
//!     target/release/honglian-bench [--members 1000000] [--data-dir target/bench-data]
//!         [--database-url postgres://…] [--connections 32] [--requests 3000] [--out bench-result.json]
//!         [--both postgres://…]  (SQLite in the data directory, then this PostgreSQL database: side by side)
//!         [--only member-subtree,member-all,member-detail,outflow,board,import,export,export-pdf,policy-search,request-list,greeting,checkin,party-affairs]

mod checkin;
mod greetings;
mod party_affairs;
mod services;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde::Serialize;

#[derive(Clone)]
struct Args {
    members: u32,
    data_dir: PathBuf,
    database_url: Option<String>,
    bin: PathBuf,
    connections: usize,
    requests: usize,
    out: PathBuf,
    /// Workloads to run (all when empty): member-subtree, member-all, member-detail, outflow, board, import, export,
    /// export-pdf.
    only: Vec<String>,
    /// `--both URL`: the same workloads on SQLite and then on this PostgreSQL database, printed side by side.
    both: Option<String>,
}

impl Args {
    fn runs(&self, workload: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|w| w == workload)
    }
}

const WORKLOADS: &[&str] = &[
    "member-subtree",
    "member-all",
    "member-detail",
    "outflow",
    "board",
    "import",
    "export",
    "export-pdf",
    "policy-search",
    "request-list",
    "greeting",
    "checkin",
    "party-affairs",
];

fn parse_args() -> anyhow::Result<Args> {
    let mut a = Args {
        members: 1_000_000,
        data_dir: PathBuf::from("target/bench-data"),
        database_url: None,
        bin: std::env::current_exe()?.with_file_name("honglian"),
        connections: 32,
        requests: 3000,
        out: PathBuf::from("bench-result.json"),
        only: Vec::new(),
        both: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut v = || it.next().with_context(|| format!("{k} needs a value"));
        match k.as_str() {
            "--members" => a.members = v()?.parse()?,
            "--data-dir" => a.data_dir = v()?.into(),
            "--database-url" => a.database_url = Some(v()?),
            "--both" => a.both = Some(v()?),
            "--bin" => a.bin = v()?.into(),
            "--connections" => a.connections = v()?.parse()?,
            "--requests" => a.requests = v()?.parse()?,
            "--out" => a.out = v()?.into(),
            "--only" => {
                for w in v()?.split(',').filter(|w| !w.is_empty()) {
                    if !WORKLOADS.contains(&w) {
                        bail!("unknown workload {w}; one of {}", WORKLOADS.join(", "));
                    }
                    a.only.push(w.to_string());
                }
            }
            "--help" | "-h" => {
                println!(
                    "honglian-bench [--members N] [--data-dir DIR] [--database-url URL] [--connections C] [--requests N] [--out FILE] [--bin PATH] [--only W1,W2] [--both POSTGRES_URL]\n  workloads: {}",
                    WORKLOADS.join(", ")
                );
                std::process::exit(0);
            }
            other => bail!("unknown option {other}"),
        }
    }
    Ok(a)
}

#[derive(Debug, Serialize, Clone)]
struct Workload {
    name: String,
    requests: usize,
    connections: usize,
    req_per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// The same query run directly against the database (p50), when it applies.
    db_p50_ms: Option<f64>,
    /// API p50 / database p50.
    overhead: Option<f64>,
    /// Rows per second, for imports and exports.
    rows_per_s: Option<f64>,
    /// Server CPU time (user + system) per request in ms, for the concurrent workloads: what a
    /// change saves, whatever the speed of the machine or the share the load generator takes.
    server_cpu_ms_per_request: Option<f64>,
    /// CPU time per request in ms of this machine's PostgreSQL processes (on PostgreSQL), and of the
    /// load generator itself: with the server's, what one request costs the machine in all.
    postgres_cpu_ms_per_request: Option<f64>,
    load_generator_cpu_ms_per_request: Option<f64>,
    /// The server's peak RSS so far (MB), read after the workload: which workload raised it.
    rss_peak_after_mb: f64,
    budget: String,
    met: bool,
}

#[derive(Debug, Serialize)]
struct Report {
    when: String,
    backend: String,
    members: u32,
    cpus: usize,
    demo_seconds: Option<f64>,
    server_peak_rss_mb: f64,
    workloads: Vec<Workload>,
}

/// The first column of a one-row query as a number.
async fn scalar(db: &sea_orm::DatabaseConnection, sql: &str) -> anyhow::Result<i64> {
    use sea_orm::ConnectionTrait;
    let b = db.get_database_backend();
    let row = db.query_one_raw(sea_orm::Statement::from_string(b, sql.to_string())).await?.context("a row")?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn common(cmd: &mut Command, a: &Args) {
    cmd.arg("--data-dir").arg(&a.data_dir);
    if let Some(u) = &a.database_url {
        cmd.arg("--database-url").arg(u);
    }
}

fn run(a: &Args, args: &[&str], stdin: Option<&str>) -> anyhow::Result<String> {
    use std::io::Write;
    let mut cmd = Command::new(&a.bin);
    cmd.args(args);
    common(&mut cmd, a);
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run {}", a.bin.display()))?;
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes())?;
    }
    drop(child.stdin.take());
    let out = child.wait_with_output()?;
    Ok(format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

/// Fires `total` GETs at `urls` (round robin) from `conns` concurrent workers; returns sorted latencies (ms) and the elapsed time.
async fn load(
    client: &reqwest::Client,
    cookie: &str,
    urls: Arc<Vec<String>>,
    conns: usize,
    total: usize,
) -> (Vec<f64>, Duration) {
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let (client, cookie, urls, next) = (client.clone(), cookie.to_string(), urls.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let t = Instant::now();
                let r = client.get(&urls[i % urls.len()]).header("cookie", &cookie).send().await;
                match r {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                    }
                    Ok(r) => panic!("{} answered {}", urls[i % urls.len()], r.status()),
                    Err(e) => panic!("request failed: {e}"),
                }
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            lat
        }));
    }
    let mut all = Vec::with_capacity(total);
    for t in tasks {
        all.extend(t.await.expect("worker"));
    }
    let elapsed = started.elapsed();
    all.sort_by(|a, b| a.partial_cmp(b).unwrap());
    (all, elapsed)
}

/// p50 of running `f` `n` times sequentially.
async fn direct<F, Fut>(n: usize, mut f: F) -> anyhow::Result<f64>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let mut lat = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        f().await?;
        lat.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
    Ok(percentile(&lat, 0.5))
}

/// CPU time (user + system) the process has used, in seconds.
fn cpu_seconds(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            // The fields after the command name, which is in parentheses and may contain spaces.
            let rest = s.rsplit_once(')')?.1.split_whitespace().collect::<Vec<_>>();
            let ticks = rest.get(11)?.parse::<f64>().ok()? + rest.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(0.0)
}

/// CPU time used so far (seconds) by the server, by this machine's PostgreSQL processes (every
/// cluster; they idle but for the one measured) and by this load generator.
#[derive(Debug, Clone, Copy)]
struct CpuUse {
    server: f64,
    postgres: f64,
    bench: f64,
}

impl CpuUse {
    fn now(server: u32) -> Self {
        let postgres = std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == "postgres"))
            .map(cpu_seconds)
            .sum();
        CpuUse { server: cpu_seconds(server), postgres, bench: cpu_seconds(std::process::id()) }
    }

    fn since(self, before: CpuUse) -> CpuUse {
        CpuUse {
            server: self.server - before.server,
            postgres: self.postgres - before.postgres,
            bench: self.bench - before.bench,
        }
    }
}

/// Waits until the server's start-up work is done: the first duty reminders run 5 s after start and
/// evaluate every organisation. Measuring starts once the server has used less than 5 % of a core
/// for half a second, at least 7 s after start (at most 60 s), so that each workload measures itself.
async fn settle(pid: u32, started: Instant) {
    tokio::time::sleep(Duration::from_secs(7).saturating_sub(started.elapsed())).await;
    while started.elapsed() < Duration::from_secs(60) {
        let before = cpu_seconds(pid);
        tokio::time::sleep(Duration::from_millis(500)).await;
        if cpu_seconds(pid) - before < 0.025 {
            break;
        }
    }
}

fn peak_rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

const ROOT: &str = "中共湛江市委员会（规模测试）";
const TOWN: &str = "规模测试第1县第1镇党委";
const PASSWORD: &str = "Bench@2026pw";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let a = parse_args()?;
    std::fs::create_dir_all(&a.data_dir)?;
    if a.database_url.is_some() && a.both.is_some() {
        bail!("--both runs SQLite and the PostgreSQL database it names: leave out --database-url");
    }
    let Some(pg) = a.both.clone() else {
        let report = bench(&a).await?;
        print_table(&report);
        std::fs::write(&a.out, serde_json::to_string_pretty(&report)?)?;
        eprintln!("wrote {}", a.out.display());
        return Ok(());
    };
    // One data directory (the key file, the settings, uploaded files) for both; the SQLite database
    // lives in it, the PostgreSQL one is the database named.
    let sqlite = bench(&a).await?;
    let postgres = bench(&Args { database_url: Some(pg), ..a.clone() }).await?;
    print_table(&sqlite);
    print_table(&postgres);
    print_side_by_side(&sqlite, &postgres);
    let both = serde_json::json!({ "sqlite": sqlite, "postgres": postgres });
    std::fs::write(&a.out, serde_json::to_string_pretty(&both)?)?;
    eprintln!("wrote {}", a.out.display());
    Ok(())
}

/// Builds the data if needed, serves it and runs the workloads on one backend.
async fn bench(a: &Args) -> anyhow::Result<Report> {
    let url = a.database_url.clone().unwrap_or_else(|| honglian_store::sqlite_url(&a.data_dir.join("honglian.db")));
    let backend = if url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" };

    // 1. The data, once.
    let t = Instant::now();
    let out = run(a, &["demo", "--members", &a.members.to_string()], None)?;
    let demo_seconds = out.contains("规模测试数据已载入").then(|| t.elapsed().as_secs_f64());
    if !(out.contains("已载入") || out.contains("已存在")) {
        bail!("demo failed: {out}");
    }
    eprintln!("data ready{}", demo_seconds.map(|s| format!(" (generated in {s:.1} s)")).unwrap_or_default());
    if demo_seconds.is_some() {
        // The kernel is still writing the new database out: let it finish before anything is
        // measured (the first workload's p99 doubled while it did).
        let _ = Command::new("sync").status();
    }
    let db = honglian_store::connect(&url, 2).await?;
    let find = |name: &'static str| {
        let db = db.clone();
        async move {
            use honglian_store::entity::organisations::org;
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            org::Entity::find()
                .filter(org::Column::Name.eq(name))
                .one(&db)
                .await?
                .with_context(|| format!("{name} missing"))
        }
    };
    let root = find(ROOT).await?;
    let town = find(TOWN).await?;
    let _ = run(
        a,
        &["user", "create", "--username", "bench_admin", "--display-name", "基准测试"],
        Some(&format!("{PASSWORD}\n")),
    )?;
    let _ = run(
        a,
        &["user", "grant", "--username", "bench_admin", "--role", "county_admin", "--org", &root.id.to_string()],
        None,
    )?;

    // 2. The server. Thousands of members sign in to one theme day from this one address: the per-client
    // check-in limit (a guard against guessing codes, tested in platform::guard) is lifted for the run.
    let toml = a.data_dir.join("honglian.toml");
    if !toml.exists() {
        std::fs::write(&toml, "[security.rate_limits]\ncheck_in_per_client = 0\n")?;
    }
    // 3. The server itself.
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut cmd = Command::new(&a.bin);
    cmd.args(["serve", "--listen", &format!("127.0.0.1:{port}")]).env("HONGLIAN_LOG", "warn");
    // The server's default pool size unless the caller's environment sets HONGLIAN_DB_MAX_CONNECTIONS.
    common(&mut cmd, a);
    let mut server = cmd.stdout(Stdio::null()).stderr(Stdio::inherit()).spawn()?;
    let started = Instant::now();
    let pid = server.id();
    let base = format!("http://127.0.0.1:{port}");
    let client =
        reqwest::Client::builder().pool_max_idle_per_host(a.connections).timeout(Duration::from_secs(120)).build()?;
    let mut up = false;
    for _ in 0..600 {
        if client.get(format!("{base}/healthz")).send().await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if !up {
        let _ = server.kill();
        bail!("server did not start");
    }
    settle(pid, started).await;
    let result = measure(a, &client, &base, &db, &root, &town, backend, demo_seconds, pid).await;
    let _ = server.kill();
    let _ = server.wait();
    result
}

#[allow(clippy::too_many_arguments)]
async fn measure(
    a: &Args,
    client: &reqwest::Client,
    base: &str,
    db: &sea_orm::DatabaseConnection,
    root: &honglian_store::entity::organisations::org::Model,
    town: &honglian_store::entity::organisations::org::Model,
    backend: &str,
    demo_seconds: Option<f64>,
    pid: u32,
) -> anyhow::Result<Report> {
    use honglian_store::repo::{PageReq, members::mobility, members::registry as members};
    // The workloads that add accounts stamp their grants (platform::integrity) with the deployment's keys.
    let crypto = honglian_app::Crypto::new(&honglian_app::platform::crypto::FileKeyProvider::load(
        &a.data_dir.join("honglian.keys"),
    )?);
    // Sign in (changing the first-login password to itself is refused, so use a second one once).
    let login = |pw: &'static str| {
        let client = client.clone();
        let base = base.to_string();
        async move {
            let r = client
                .post(format!("{base}/api/v1/session"))
                .json(&serde_json::json!({"username": "bench_admin", "password": pw}))
                .send()
                .await?;
            if !r.status().is_success() {
                return Ok::<_, anyhow::Error>(None);
            }
            let cookie = r
                .headers()
                .get("set-cookie")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(';').next())
                .unwrap_or_default()
                .to_string();
            let body: serde_json::Value = r.json().await?;
            Ok(Some((cookie, body)))
        }
    };
    let (cookie, body) = match login(PASSWORD).await? {
        Some(x) => x,
        None => login("Bench@2026pw2").await?.context("cannot sign in as bench_admin")?,
    };
    let csrf = body["csrf_token"].as_str().unwrap_or_default().to_string();
    let cookie = if body["user"]["must_change_password"] == true {
        client
            .post(format!("{base}/api/v1/me/password"))
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
            .json(&serde_json::json!({"old_password": PASSWORD, "new_password": "Bench@2026pw2"}))
            .send()
            .await?;
        cookie
    } else {
        cookie
    };
    let scope = honglian_store::Scope::Paths(vec![root.path.clone()]);
    let mut out = Vec::new();
    let mut push = |name: &str,
                    conns: usize,
                    lat: &[f64],
                    elapsed: Duration,
                    db_p50: Option<f64>,
                    rows: Option<f64>,
                    cpu: Option<CpuUse>,
                    budget: &str,
                    met: bool| {
        let p50 = percentile(lat, 0.5);
        let w = Workload {
            name: name.into(),
            requests: lat.len(),
            connections: conns,
            req_per_s: lat.len() as f64 / elapsed.as_secs_f64(),
            p50_ms: p50,
            p99_ms: percentile(lat, 0.99),
            db_p50_ms: db_p50,
            overhead: db_p50.filter(|d| *d > 0.0).map(|d| p50 / d),
            rows_per_s: rows,
            server_cpu_ms_per_request: cpu.map(|c| c.server * 1000.0 / lat.len() as f64),
            postgres_cpu_ms_per_request: cpu
                .filter(|_| backend == "PostgreSQL")
                .map(|c| c.postgres * 1000.0 / lat.len() as f64),
            load_generator_cpu_ms_per_request: cpu.map(|c| c.bench * 1000.0 / lat.len() as f64),
            rss_peak_after_mb: peak_rss_mb(pid),
            budget: budget.into(),
            met,
        };
        eprintln!("{}: {:.0} req/s, p50 {:.1} ms, p99 {:.1} ms", w.name, w.req_per_s, w.p50_ms, w.p99_ms);
        if let (Some(server), Some(bench)) = (w.server_cpu_ms_per_request, w.load_generator_cpu_ms_per_request) {
            let postgres = w.postgres_cpu_ms_per_request.unwrap_or(0.0);
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
            eprintln!(
                "  CPU per request: server {server:.3} ms, PostgreSQL {postgres:.3} ms, load generator {bench:.3} ms: \
                 {cores:.0} cores allow at most {:.0} req/s",
                cores * 1000.0 / (server + postgres + bench)
            );
        }
        out.push(w);
    };

    if a.runs("member-subtree") {
        // Member list, a subtree of about 5,000 members, mobile members only.
        let urls: Vec<String> = (1..=50)
            .map(|p| format!("{base}/api/v1/members?org={}&mobility=outflow&page={p}&per_page=20", town.id))
            .collect();
        let _ = load(client, &cookie, Arc::new(urls.clone()), 4, 100).await;
        let cpu = CpuUse::now(pid);
        let (lat, el) = load(client, &cookie, Arc::new(urls), a.connections, a.requests).await;
        let cpu = CpuUse::now(pid).since(cpu);
        let f = members::MemberFilter {
            subtree: Some(town.path.clone()),
            mobility: Some("outflow".into()),
            ..Default::default()
        };
        let db_p50 = direct(50, || async {
            members::list(db, &scope, &f, PageReq::new(Some(3), Some(20))).await?;
            Ok(())
        })
        .await?;
        let rps = lat.len() as f64 / el.as_secs_f64();
        push(
            "member list: subtree ~5,000 + mobility filter",
            a.connections,
            &lat,
            el,
            Some(db_p50),
            None,
            Some(cpu),
            "≥ 3,000 req/s, p99 ≤ 25 ms",
            rps >= 3000.0 && percentile(&lat, 0.99) <= 25.0,
        );
    }
    if a.runs("member-all") {
        // Member list, whole deployment, first page with total.
        let (lat, el) =
            load(client, &cookie, Arc::new(vec![format!("{base}/api/v1/members?org={}&per_page=20", root.id)]), 1, 30)
                .await;
        let f = members::MemberFilter { subtree: Some(root.path.clone()), ..Default::default() };
        let db_p50 = direct(10, || async {
            members::list(db, &scope, &f, PageReq::new(Some(1), Some(20))).await?;
            Ok(())
        })
        .await?;
        push(
            "member list: whole deployment, first page + total",
            1,
            &lat,
            el,
            Some(db_p50),
            None,
            None,
            "p50 ≤ 100 ms",
            percentile(&lat, 0.5) <= 100.0,
        );
    }
    if a.runs("member-detail") {
        // Member detail (decrypt + mask).
        let ids: Vec<i64> = members::list(
            db,
            &scope,
            &members::MemberFilter { subtree: Some(town.path.clone()), ..Default::default() },
            PageReq::new(Some(1), Some(200)),
        )
        .await?
        .items
        .iter()
        .map(|(m, _)| m.id)
        .collect();
        let urls: Vec<String> = ids.iter().map(|id| format!("{base}/api/v1/members/{id}")).collect();
        let cpu = CpuUse::now(pid);
        let (lat, el) = load(client, &cookie, Arc::new(urls), a.connections, a.requests).await;
        let cpu = CpuUse::now(pid).since(cpu);
        let id0 = ids[0];
        #[allow(clippy::disallowed_methods, reason = "the benchmark times the bare read of one member")]
        let all = honglian_store::Scope::All(honglian_store::Unscoped::system());
        let db_p50 = direct(200, || async {
            members::get(db, &all, id0).await?;
            Ok(())
        })
        .await?;
        let rps = lat.len() as f64 / el.as_secs_f64();
        push(
            "member detail (decrypt + mask)",
            a.connections,
            &lat,
            el,
            Some(db_p50),
            None,
            Some(cpu),
            "≥ 5,000 req/s",
            rps >= 5000.0,
        );
    }
    if a.runs("outflow") {
        // Outflow distribution, whole deployment.
        let (lat, el) =
            load(client, &cookie, Arc::new(vec![format!("{base}/api/v1/stats/outflow?org={}", root.id)]), 1, 20).await;
        // What the API reads: the root's tallies (migration 0006) and its lost-contact count.
        let db_p50 = direct(20, || async {
            mobility::outflow_counts_of(db, root.id).await?;
            mobility::lost_count_of(db, root.id, chrono::Utc::now().date_naive() - chrono::Duration::days(180)).await?;
            Ok(())
        })
        .await?;
        push(
            "outflow distribution by province and city",
            1,
            &lat,
            el,
            Some(db_p50),
            None,
            None,
            "p50 ≤ 50 ms",
            percentile(&lat, 0.5) <= 50.0,
        );
    }
    if a.runs("board") {
        // Compliance board, all organisations, 12 months.
        let (lat, el) = load(
            client,
            &cookie,
            Arc::new(vec![format!("{base}/api/v1/duties/board?org={}&per_page=50", root.id)]),
            1,
            10,
        )
        .await;
        let year = chrono::Datelike::year(&chrono::Utc::now());
        // The kinds owing the default weekly duty read their neighbouring years too.
        let edge_kinds = ["chain_alliance".to_string(), "regional_org".to_string()];
        let db_p50 = direct(3, || async {
            honglian_store::repo::org_life::activities::held_in_year(db, &scope, year, &edge_kinds).await?;
            Ok(())
        })
        .await?;
        push(
            "compliance board, all organisations, 12 months",
            1,
            &lat,
            el,
            Some(db_p50),
            None,
            None,
            "p50 ≤ 300 ms",
            percentile(&lat, 0.5) <= 300.0,
        );
        // The same board right after a write that changes duty inputs: nothing cached applies.
        let board_url = format!("{base}/api/v1/duties/board?org={}&per_page=50", root.id);
        let mut cold = Vec::new();
        let started = Instant::now();
        for _ in 0..5 {
            if let Err(e) = honglian_store::repo::org_life::activities::touch_duty_inputs(db).await {
                eprintln!("cold board skipped (no duty inputs version: {e})");
                break;
            }
            let (lat, _) = load(client, &cookie, Arc::new(vec![board_url.clone()]), 1, 1).await;
            cold.extend(lat);
        }
        cold.sort_by(|a, b| a.partial_cmp(b).unwrap());
        if !cold.is_empty() {
            push(
                "compliance board, first request after a write (cold)",
                1,
                &cold,
                started.elapsed(),
                None,
                None,
                None,
                "p50 ≤ 300 ms",
                percentile(&cold, 0.5) <= 300.0,
            );
        }
    }
    if a.runs("import") {
        // Import of 100,000 members from a roster in the real layout (title and unit/date rows, headers on
        // row 3, 出生年月, 是否流动党员 with 外出地点 for every tenth member, a total and a footer):
        // dry run, then the real run (which registers the 10,000 outflows too).
        let branch_name = "规模测试1-1-1党支部";
        let file = import_file(100_000, branch_name)?;
        for (dry, label) in
            [(true, "roster import of 100,000 members: dry run"), (false, "roster import of 100,000 members: real run")]
        {
            let form = reqwest::multipart::Form::new()
                .part("file", reqwest::multipart::Part::bytes(file.clone()).file_name("bench.xlsx"));
            let t = Instant::now();
            let r = client
                .post(format!("{base}/api/v1/imports/members?dry_run={dry}"))
                .header("cookie", &cookie)
                .header("x-csrf-token", &csrf)
                .multipart(form)
                .send()
                .await?;
            let status = r.status();
            let body: serde_json::Value = r.json().await.unwrap_or_default();
            let el = t.elapsed();
            let rows = body["rows"].as_f64().unwrap_or(0.0);
            // A run that refused rows imported nothing: its speed is no figure.
            let clean =
                status.is_success() && rows >= 100_000.0 && body["errors"].as_array().is_none_or(|e| e.is_empty());
            if !clean {
                eprintln!("import answered {status}: {}", body.to_string().chars().take(300).collect::<String>());
            }
            let rate = rows / el.as_secs_f64();
            let lat = [el.as_secs_f64() * 1000.0];
            push(label, 1, &lat, el, None, Some(rate), None, "≥ 10,000 rows/s", clean && rate >= 10_000.0);
        }
    }
    if a.runs("export") {
        // Export of the outflow ledger (the whole deployment's open outflows).
        let t = Instant::now();
        let r = client
            .get(format!("{base}/api/v1/ledgers/outflow.xlsx?org={}", root.id))
            .header("cookie", &cookie)
            .send()
            .await?;
        let bytes = r.bytes().await?;
        let el = t.elapsed();
        let rows = mobility::ledger_count(
            db,
            mobility::Ledger::Outflow,
            &scope,
            &mobility::LedgerFilter { subtree: Some(root.path.clone()), ..Default::default() },
        )
        .await? as f64;
        let rate = rows / el.as_secs_f64();
        let lat = [el.as_secs_f64() * 1000.0];
        eprintln!("export: {rows} rows, {} bytes", bytes.len());
        push(
            &format!("xlsx export of {rows:.0} ledger rows"),
            1,
            &lat,
            el,
            None,
            Some(rate),
            None,
            "≥ 20,000 rows/s",
            rate >= 20_000.0,
        );
    }
    if a.runs("export-pdf") {
        // The same ledger as a print-ready PDF (A4 landscape, the font subset and embedded): rows/s, and the
        // server's peak RSS right after it, which shows whether the document stayed out of memory.
        let before = peak_rss_mb(pid);
        let t = Instant::now();
        let r = client
            .get(format!("{base}/api/v1/ledgers/outflow.pdf?org={}", root.id))
            .header("cookie", &cookie)
            .send()
            .await?;
        let status = r.status();
        let bytes = r.bytes().await?;
        let el = t.elapsed();
        let rows = mobility::ledger_count(
            db,
            mobility::Ledger::Outflow,
            &scope,
            &mobility::LedgerFilter { subtree: Some(root.path.clone()), ..Default::default() },
        )
        .await? as f64;
        let rate = rows / el.as_secs_f64();
        let lat = [el.as_secs_f64() * 1000.0];
        let after = peak_rss_mb(pid);
        eprintln!("export-pdf: {status}, {rows} rows, {} bytes, peak RSS {before:.0} → {after:.0} MB", bytes.len());
        push(
            &format!("PDF export of {rows:.0} ledger rows"),
            1,
            &lat,
            el,
            None,
            Some(rate),
            None,
            "≥ 5,000 rows/s",
            status.is_success() && rate >= 5_000.0,
        );
    }
    if a.runs("policy-search") || a.runs("request-list") {
        let m = services::measure(
            a.runs("policy-search"),
            a.runs("request-list"),
            client,
            base,
            &cookie,
            db,
            &crypto,
            root,
        )
        .await?;
        for w in m {
            push(&w.name, w.conns, &w.lat, w.elapsed, w.db_p50, None, None, w.budget, w.met);
        }
    }
    if a.runs("checkin") {
        for w in checkin::measure(client, base, &cookie, &csrf, db, &crypto, town).await? {
            push(&w.name, w.conns, &w.lat, w.elapsed, w.db_p50, None, None, w.budget, w.met);
        }
    }
    if a.runs("party-affairs") {
        for w in party_affairs::measure(client, base, &cookie, &csrf, db, root).await? {
            push(&w.name, w.conns, &w.lat, w.elapsed, w.db_p50, None, None, w.budget, w.met);
        }
    }
    if a.runs("greeting") {
        for w in greetings::measure(client, base, &cookie, &csrf, db, root).await? {
            push(&w.name, w.conns, &w.lat, w.elapsed, w.db_p50, None, None, w.budget, w.met);
        }
    }
    let rss = peak_rss_mb(pid);
    out.push(Workload {
        name: "server peak RSS during the load".into(),
        requests: 0,
        connections: 0,
        req_per_s: 0.0,
        p50_ms: 0.0,
        p99_ms: 0.0,
        db_p50_ms: None,
        overhead: None,
        rows_per_s: None,
        server_cpu_ms_per_request: None,
        postgres_cpu_ms_per_request: None,
        load_generator_cpu_ms_per_request: None,
        rss_peak_after_mb: rss,
        budget: "≤ 200 MB".into(),
        met: rss <= 200.0,
    });
    Ok(Report {
        when: chrono::Utc::now().to_rfc3339(),
        backend: backend.into(),
        members: a.members,
        cpus: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        demo_seconds,
        server_peak_rss_mb: rss,
        workloads: out,
    })
}

/// A township's 党员花名册 of `rows` members: a merged title, the unit and the date, headers on row 3
/// with the names real rosters use, every tenth member mobile (是否流动党员 = 是, 外出地点, 外出时间),
/// then a total and a signature footer.
fn import_file(rows: u32, org: &str) -> anyhow::Result<Vec<u8>> {
    use chrono::Datelike;
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("党员花名册")?;
    let headers = [
        "序号",
        "姓名",
        "性别",
        "民族",
        "出生年月",
        "公民身份号码",
        "学历",
        "入党时间",
        "转正时间",
        "党员类别",
        "所在党支部",
        "联系电话",
        "是否流动党员",
        "外出地点",
        "外出时间",
        "备注",
    ];
    ws.merge_range(0, 0, 0, headers.len() as u16 - 1, "规模测试党委党员花名册", &rust_xlsxwriter::Format::new())?;
    ws.write_string(1, 0, "填报单位：规模测试党委（盖章）")?;
    ws.write_string(1, 10, "填报日期：2026年12月6日")?;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(2, c as u16, *h)?;
    }
    // A region the scale data does not use, so every row is new on the first run.
    let stamp = (chrono::Utc::now().timestamp() % 1000) as u32;
    let education = ["大学本科", "大专", "高中", "研究生", "中专", "初中"];
    let this_year = chrono::Utc::now().year();
    for k in 0..rows {
        let id = honglian_app::demo::demo_id_number("440882", (k + stamp * 1000) % 1_500_000);
        let b = id.birth_date();
        let r = k + 3;
        let mobile = k % 10 == 0;
        ws.write_string(r, 0, (k + 1).to_string())?;
        ws.write_string(r, 1, format!("导入测试{k}"))?;
        ws.write_string(r, 2, id.gender().label())?;
        ws.write_string(r, 3, "汉族")?;
        ws.write_string(r, 4, format!("{}.{:02}", b.year(), b.month()))?;
        ws.write_string(r, 5, id.as_str())?;
        ws.write_string(r, 6, education[k as usize % education.len()])?;
        // Joined at 25, or two years ago for the youngest, so that probation has ended by today.
        let joined = (b.year() + 25).min(this_year - 2);
        ws.write_string(r, 7, format!("{joined}.07.01"))?;
        ws.write_string(r, 8, format!("{}.07.01", joined + 1))?;
        ws.write_string(r, 9, "正式党员")?;
        ws.write_string(r, 10, org)?;
        ws.write_string(r, 11, format!("138-{:04}-{:04}", k / 10_000, k % 10_000))?;
        ws.write_string(r, 12, if mobile { "是" } else { "否" })?;
        if mobile {
            ws.write_string(r, 13, "广东省广州市天河区")?;
            ws.write_string(r, 14, "2024.3")?;
        }
    }
    ws.write_string(rows + 4, 0, "合计")?;
    ws.write_string(rows + 4, 1, format!("共 {rows} 人"))?;
    ws.write_string(rows + 6, 0, "填表人：")?;
    ws.write_string(rows + 6, 5, "审核人：")?;
    Ok(wb.save_to_buffer()?)
}

/// The two backends' figures in one table: the headline figure of each workload (req/s for the
/// concurrent ones, rows/s for imports and exports, p50 otherwise), its p99, and whether the budget held.
fn print_side_by_side(s: &Report, p: &Report) {
    let headline = |w: &Workload| match (w.rows_per_s, w.connections) {
        (Some(r), _) => format!("{r:.0} rows/s"),
        _ if w.name.starts_with("server peak RSS") => format!("{:.0} MB", w.rss_peak_after_mb),
        (None, c) if c > 1 => format!("{:.0} req/s, p99 {:.1}", w.req_per_s, w.p99_ms),
        _ => format!("p50 {:.1}, p99 {:.1}", w.p50_ms, w.p99_ms),
    };
    let mark = |w: &Workload| if w.met { "met" } else { "MISSED" };
    println!();
    println!("红链 benchmark — SQLite and PostgreSQL side by side — {} members — {} CPUs", s.members, s.cpus);
    let generated = |r: &Report| r.demo_seconds.map(|x| format!("{x:.1} s")).unwrap_or_else(|| "(kept)".into());
    println!("data generation: SQLite {}, PostgreSQL {} (budget < 120 s)", generated(s), generated(p));
    println!("{:<52} {:>30} {:>7} {:>30} {:>7}  budget", "workload", "SQLite", "", "PostgreSQL", "");
    for w in &s.workloads {
        let other = p.workloads.iter().find(|x| x.name == w.name);
        println!(
            "{:<52} {:>30} {:>7} {:>30} {:>7}  {}",
            w.name,
            headline(w),
            mark(w),
            other.map(headline).unwrap_or_default(),
            other.map(mark).unwrap_or_default(),
            w.budget
        );
    }
}

fn print_table(r: &Report) {
    println!();
    println!("红链 benchmark — {} — {} members — {} CPUs — {}", r.backend, r.members, r.cpus, r.when);
    if let Some(s) = r.demo_seconds {
        println!("data generation: {s:.1} s (budget < 120 s: {})", if s < 120.0 { "met" } else { "MISSED" });
    }
    println!(
        "{:<52} {:>9} {:>9} {:>9} {:>9} {:>8} {:>11} {:>8} {:>8}  budget",
        "workload", "req/s", "p50 ms", "p99 ms", "db p50", "ratio", "rows/s", "cpu ms", "peak MB"
    );
    for w in &r.workloads {
        if w.name.starts_with("server peak RSS") {
            println!(
                "{:<52} {:>9} {:>9} {:>9} {:>9} {:>8} {:>11} {:>8} {:>8.0}  {} {}",
                w.name,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                r.server_peak_rss_mb,
                w.budget,
                if w.met { "met" } else { "MISSED" }
            );
            continue;
        }
        println!(
            "{:<52} {:>9.0} {:>9.1} {:>9.1} {:>9} {:>8} {:>11} {:>8} {:>8.0}  {} {}",
            w.name,
            w.req_per_s,
            w.p50_ms,
            w.p99_ms,
            w.db_p50_ms.map(|d| format!("{d:.2}")).unwrap_or_default(),
            w.overhead.map(|o| format!("{o:.1}x")).unwrap_or_default(),
            w.rows_per_s.map(|x| format!("{x:.0}")).unwrap_or_default(),
            w.server_cpu_ms_per_request.map(|c| format!("{c:.3}")).unwrap_or_default(),
            w.rss_peak_after_mb,
            w.budget,
            if w.met { "met" } else { "MISSED" }
        );
    }
}
