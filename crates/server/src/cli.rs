//! The command line: `serve`, `migrate`, `demo`, `user`, `org`, `audit verify`, `backup`, `restore`,
//! `keys rotate`.

use std::io::BufRead;
use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use honglian_app::organisations::orgs::OrgInput;
use honglian_app::platform::audit::Verdict;
use honglian_app::platform::crypto::{FileKeyProvider, fingerprint};
use honglian_app::platform::users::{NewGrant, NewUser};
use honglian_app::platform::{backup, rotation};
use honglian_app::{AppError, Ctx};

use crate::config::{CommonArgs, Config, redact_url};

#[derive(Debug, Parser)]
#[command(name = "honglian", version, about = "红链：党组织、党员（含流动党员）、组织生活与党建工作管理平台。")]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 启动服务：提供网页界面和 /api/v1 接口。首次运行会创建数据目录、数据库和密钥文件。
    Serve {
        /// 监听地址，默认 127.0.0.1:8080。
        #[arg(long, env = "HONGLIAN_LISTEN")]
        listen: Option<SocketAddr>,
        /// 数据库为空时载入演示数据（吴川、金乡两地的组织、党员和演示账号）。只用于体验：数据库中已有正式数据时拒绝启动。
        #[arg(long)]
        demo: bool,
    },
    /// 只执行数据库迁移（建表、升级表结构），然后退出。
    Migrate,
    /// 在空数据库中载入演示数据（可重复执行：已载入则不再改动；数据库中已有正式数据时拒绝并退出）。
    Demo {
        /// 另外生成规模测试数据：约 2 万个党支部，共这么多名党员（含流动记录和一年的组织生活），用于性能测试。
        #[arg(long)]
        members: Option<u32>,
    },
    /// 管理用户：创建、重置密码、授权。密码从标准输入读取一行，不出现在命令行里。
    #[command(subcommand)]
    User(UserCommand),
    /// 管理党组织：创建最上级组织（新部署的第一步）。
    #[command(subcommand)]
    Org(OrgCommand),
    /// 审计日志：校验哈希链，报告第一条被修改或删除的记录。
    #[command(subcommand)]
    Audit(AuditCommand),
    /// 在线备份：服务运行时把数据库的一致快照和上传的文件写成一个备份文件（不含密钥文件，密钥须另行保管）。
    /// PostgreSQL 部署只归档文件，并提示用 pg_dump 备份数据库。
    Backup {
        /// 备份文件（.tar.gz），不会覆盖已有文件。
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// 从备份文件恢复到一个空的数据目录（--data-dir）；目录不空时拒绝。恢复后用原密钥文件（--key-file）启动。
    Restore {
        /// honglian backup 写出的备份文件。
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// 密钥管理：轮换加密个人信息所用的密钥。
    #[command(subcommand)]
    Keys(KeysCommand),
    /// 输出 OpenAPI 文档（JSON），供生成前端类型使用。
    Openapi,
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// 生成新密钥，用它重新加密所有个人信息（身份证号、电话、地址）并重建查找索引，分批进行、记入审计日志。
    /// 须先停止所有服务实例。中断（断电、kill）后再次运行即从中断处继续；完成前服务不会启动。
    /// 完成后密钥文件只含新密钥：旧密钥做的备份须用旧密钥文件的副本恢复。
    Rotate {
        /// 每个事务处理的行数。
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=100_000))]
        batch_size: u64,
    },
    /// 输出本部署的 SM2 签名公钥（十六进制）：公布给需要核对导出文件签名的单位（honglian audit verify-file）。
    PublicKey,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// 创建用户（首次登录须修改密码）。例：echo 'Init@2026pw' | honglian user create --username admin --display-name 张三
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
    },
    /// 重置密码（用户下次登录须修改），并退出其所有会话。
    ResetPassword {
        #[arg(long)]
        username: String,
    },
    /// 授予角色。角色：county_admin、org_admin、instructor、member、system_admin、security_admin、audit_admin。
    Grant {
        #[arg(long)]
        username: String,
        #[arg(long)]
        role: String,
        /// 管理范围（党组织编号）；三员和党员角色不需要。
        #[arg(long)]
        org: Option<i64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// 创建最上级党组织（如“中共某县委员会”），打印其编号供授权使用。
    CreateRoot {
        #[arg(long)]
        name: String,
        /// 组织类型，如 committee（党委）、work_committee（两新工委）。
        #[arg(long, default_value = "committee")]
        kind: String,
        #[arg(long)]
        province_code: Option<String>,
        #[arg(long)]
        city_code: Option<String>,
        #[arg(long)]
        county_code: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// 逐条校验审计日志的哈希链；完好时退出码为 0，发现篡改时为 1。
    Verify,
    /// 归档导出审计日志：某日（北京时间 0 点）起的每条记录写成一行 JSON（JSON Lines），含链接哈希
    /// prev_hash 与 hash，可离线核对；并用本部署的 SM2 私钥签名，写出“文件名.sig”。输出文件已存在时拒绝。
    Export {
        /// 起始日期，如 2026-01-01。
        #[arg(long)]
        since: chrono::NaiveDate,
        /// 输出文件（新建，权限 0600）。
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// 用公钥核对一个导出文件的 SM2 签名（“文件名.sig”）：文件未被改动、确由该部署签发时退出码为 0。
    /// 不需要数据库和密钥文件，任何拿到公钥（honglian keys public-key 输出）的人都能核对。
    VerifyFile {
        /// 导出的文件（签名文件在它旁边，名为“文件名.sig”）。
        #[arg(long)]
        file: std::path::PathBuf,
        /// 本部署公布的 SM2 公钥（十六进制，04 开头）。
        #[arg(long)]
        public_key: String,
    },
}

fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let p = line.trim_end_matches(['\r', '\n']).to_string();
    anyhow::ensure!(!p.is_empty(), "请从标准输入提供密码，例如：echo '新密码' | honglian user …");
    Ok(p)
}

fn explain(e: AppError) -> anyhow::Error {
    match e {
        AppError::Validation(f) => anyhow::anyhow!("输入有误：{f}"),
        AppError::Conflict { title, .. } => anyhow::anyhow!(title),
        other => anyhow::anyhow!(other.to_string()),
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let listen = match &cli.command {
        Command::Serve { listen, .. } => *listen,
        _ => None,
    };
    if let Command::Openapi = cli.command {
        println!("{}", crate::http::openapi_json());
        return Ok(ExitCode::SUCCESS);
    }
    // Needs neither the database nor the keys: whoever holds the published public key checks a file.
    if let Command::Audit(AuditCommand::VerifyFile { file, public_key }) = &cli.command {
        return Ok(match honglian_app::platform::signing::verify_file(file, public_key) {
            Ok(s) => {
                println!(
                    "签名有效：{}（{} 字节，SM3 {}）由该公钥于 {} 签发，此后未被改动。",
                    s.file,
                    s.bytes,
                    s.sm3,
                    s.signed_at.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"))
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                println!("签名无效：{e}");
                ExitCode::from(1)
            }
        });
    }
    let cfg = Config::load(&cli.common, listen)?;
    crate::telemetry::init(&cfg.log_format);
    let sys = Ctx::system();
    match cli.command {
        Command::Migrate => {
            crate::open_app(&cfg).await?;
            println!("数据库已是最新：{}", redact_url(&cfg.database_url));
        }
        Command::Demo { members: Some(n) } => {
            let app = crate::open_app(&cfg).await?;
            let started = std::time::Instant::now();
            let done = app.load_scale(n, &|line| println!("{line}")).await.map_err(explain)?;
            if done {
                println!("规模测试数据已载入，用时 {:.1} 秒。", started.elapsed().as_secs_f64());
            } else {
                println!("规模测试数据已存在，未作改动。");
            }
        }
        Command::Demo { members: None } => {
            let app = crate::open_app(&cfg).await?;
            if app.load_demo().await.map_err(explain)? {
                println!("演示数据已载入。");
            } else {
                println!("演示数据已存在，未作改动。");
            }
            print_demo_accounts();
        }
        Command::Serve { demo, .. } => {
            let app = crate::open_app(&cfg).await?;
            if demo {
                // Refuses (and the server does not start) when the database holds real data.
                app.load_demo().await.map_err(explain)?;
            }
            let server = crate::Application::build(&cfg, app.clone()).await?;
            let addr = server.local_addr();
            println!("红链已启动：http://{addr}");
            println!("接口文档：http://{addr}/api/docs");
            println!("数据库：{}", redact_url(&cfg.database_url));
            if app.user_by_name("wuchuan_admin").await.map_err(explain)?.is_some() {
                print_demo_accounts();
            } else if app.user_count().await.map_err(explain)? == 0 {
                print_bootstrap();
            }
            // The hourly round (duty reminders, escalations, expired sessions): every instance checks
            // shortly after start and then every minute whether it is due; exactly one of them takes
            // its lease and does it (`App::hourly_round`).
            let instance = instance_id();
            println!("实例：{instance}");
            let (first, check, times) = round_schedule();
            let rounds = app.clone();
            tokio::spawn(async move {
                tokio::time::sleep(first).await;
                loop {
                    match rounds.hourly_round(&instance, &times).await {
                        Ok(Some(r)) => tracing::info!(
                            instance = %instance,
                            reminders = r.reminders,
                            escalated = r.escalated,
                            sessions = r.sessions,
                            "hourly round done"
                        ),
                        Ok(None) => {}
                        Err(e) => tracing::warn!(error = %e, "hourly round failed"),
                    }
                    tokio::time::sleep(check).await;
                }
            });
            // The outbox: every two seconds, on every instance (rows are taken by lease).
            let outbox = app.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(std::time::Duration::from_secs(2));
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    tick.tick().await;
                    match outbox.deliver_outbox().await {
                        Ok(r) if r.in_app + r.email + r.robots + r.failed > 0 => tracing::info!(
                            in_app = r.in_app,
                            email = r.email,
                            robots = r.robots,
                            failed = r.failed,
                            "outbox delivered"
                        ),
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "outbox delivery failed"),
                    }
                }
            });
            server.run_until_stopped().await?;
        }
        Command::User(cmd) => {
            let app = crate::open_app(&cfg).await?;
            match cmd {
                UserCommand::Create { username, display_name } => {
                    let password = read_password()?;
                    let u = app
                        .user_create(&sys, NewUser { username, display_name, password, member_id: None }, false)
                        .await
                        .map_err(explain)?;
                    println!("已创建用户 {}（编号 {}），首次登录须修改密码。", u.username, u.id);
                }
                UserCommand::ResetPassword { username } => {
                    let u = app
                        .user_by_name(&username)
                        .await
                        .map_err(explain)?
                        .ok_or_else(|| anyhow::anyhow!("用户 {username} 不存在"))?;
                    let password = read_password()?;
                    app.user_reset_password(&sys, u.id, &password).await.map_err(explain)?;
                    println!("已重置 {username} 的密码，下次登录须修改。");
                }
                UserCommand::Grant { username, role, org } => {
                    let u = app
                        .user_by_name(&username)
                        .await
                        .map_err(explain)?
                        .ok_or_else(|| anyhow::anyhow!("用户 {username} 不存在"))?;
                    let v = app
                        .grant_add(&sys, u.id, NewGrant { role, org_id: org, department_id: None, host_id: None })
                        .await
                        .map_err(explain)?;
                    let list: Vec<String> = v
                        .grants
                        .iter()
                        .map(|g| {
                            format!(
                                "{}{}",
                                g.role_label,
                                g.org_name.as_ref().map(|n| format!("（{n}）")).unwrap_or_default()
                            )
                        })
                        .collect();
                    println!("{} 现有角色：{}", v.username, list.join("、"));
                }
            }
        }
        Command::Org(OrgCommand::CreateRoot { name, kind, province_code, city_code, county_code }) => {
            let app = crate::open_app(&cfg).await?;
            let o = app
                .org_create_root(
                    &sys,
                    OrgInput {
                        name: Some(name),
                        kind: Some(kind),
                        province_code,
                        city_code,
                        county_code,
                        ..Default::default()
                    },
                )
                .await
                .map_err(explain)?;
            println!("已创建党组织“{}”，编号 {}。", o.name, o.id);
        }
        Command::Openapi | Command::Audit(AuditCommand::VerifyFile { .. }) => unreachable!("handled above"),
        Command::Backup { out } => return backup(&cfg, &out).await,
        Command::Restore { from } => return restore(&cfg, &from).await,
        Command::Keys(KeysCommand::PublicKey) => {
            let keys = FileKeyProvider::load(&cfg.key_file)?;
            let key = honglian_app::Crypto::new(&keys).signing_key();
            println!("{}", honglian_app::platform::signing::public_key_hex(&key));
        }
        Command::Keys(KeysCommand::Rotate { batch_size }) => {
            let (app, keys) = crate::open_app_keys(&cfg).await?;
            let started = std::time::Instant::now();
            let r = rotation::rotate(&app, &cfg.key_file, keys, batch_size, &|line| println!("{line}")).await?;
            let rows: i64 = r.rows.values().sum();
            println!(
                "密钥轮换{}完成：{rows} 行个人信息已用新密钥重新加密（{} 批，用时 {:.1} 秒），新密钥指纹 {}。",
                if r.resumed { "（从中断处继续）" } else { "" },
                r.batches,
                started.elapsed().as_secs_f64(),
                &r.new_fingerprint[..16]
            );
            println!(
                "密钥文件 {} 现在只含新密钥。用旧密钥做的备份须用旧密钥文件的副本才能恢复；请把新密钥文件另行密封保管。",
                cfg.key_file.display()
            );
        }
        Command::Audit(AuditCommand::Export { since, out }) => {
            let app = crate::open_app(&cfg).await?;
            let from = since.and_hms_opt(0, 0, 0).expect("midnight") - chrono::Duration::hours(8);
            let r = honglian_app::platform::audit::export(&app.db, from.and_utc(), &out).await?;
            let key = app.crypto.signing_key();
            honglian_app::platform::signing::sign_file(&key, &out)?;
            match (r.first, r.last, &r.last_hash) {
                (Some(a), Some(b), Some(h)) => println!(
                    "已导出 {} 条审计记录（第 {a}–{b} 条，{since} 起）到 {}；最后一条的链接哈希 {h}",
                    r.records,
                    out.display()
                ),
                _ => println!("{since} 起没有审计记录；已写出空文件 {}", out.display()),
            }
            println!(
                "已用本部署的 SM2 私钥签名：{}。核对：honglian audit verify-file --file {} --public-key {}",
                honglian_app::platform::signing::signature_path(&out).display(),
                out.display(),
                honglian_app::platform::signing::public_key_hex(&key)
            );
        }
        Command::Audit(AuditCommand::Verify) => {
            let app = crate::open_app(&cfg).await?;
            let mut intact = match honglian_app::platform::audit::verify(&app.db, &app.crypto).await.map_err(explain)? {
                Verdict::Intact { records } => {
                    println!("审计日志完好：共 {records} 条记录，哈希链校验通过。");
                    true
                }
                Verdict::Broken { id, reason } => {
                    println!("审计日志被篡改：第一处问题在记录 {id}：{reason}");
                    false
                }
            };
            // The access-control and money records' MACs (platform::integrity).
            for t in honglian_app::platform::integrity::verify(&app.db, &app.crypto).await.map_err(explain)? {
                if t.bad_count == 0 {
                    println!("{}（{}）：{} 条，完整性校验通过。", t.label, t.table, t.rows);
                } else {
                    intact = false;
                    let ids: Vec<String> = t.bad.iter().map(i64::to_string).collect();
                    println!(
                        "{}（{}）：{} 条中 {} 条未通过完整性校验（在数据库中被改动或插入），记录编号：{}",
                        t.label,
                        t.table,
                        t.rows,
                        t.bad_count,
                        ids.join("、")
                    );
                }
            }
            if !intact {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `honglian backup`: SQLite — the database snapshot and the file store in one archive; PostgreSQL —
/// the file store and the manifest, and the pg_dump command to run for the database. The file store is
/// the directory or the bucket `[files]` names.
async fn backup(cfg: &Config, out: &std::path::Path) -> anyhow::Result<ExitCode> {
    let db = crate::connect(cfg).await?;
    let files = cfg.file_store()?;
    let started = std::time::Instant::now();
    let r = backup::create(&db, &files, out).await?;
    let m = &r.manifest;
    println!(
        "备份已写入 {}（{:.1} MB，用时 {:.1} 秒）：{}{} 个文件（{:.1} MB{}）。",
        out.display(),
        r.archive_bytes as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        m.database_bytes.map(|n| format!("数据库快照 {:.1} MB，", n as f64 / 1e6)).unwrap_or_default(),
        m.files,
        m.files_bytes as f64 / 1e6,
        if files.dir().is_none() { format!("，取自 {}", files.describe()) } else { String::new() }
    );
    if let Some(fp) = &m.key_fingerprint {
        println!(
            "数据用指纹为 {} 的密钥加密；密钥文件不在备份中，请另行保管（恢复时须用它）。",
            &fp[..fp.len().min(16)]
        );
    }
    if !cfg.is_sqlite() {
        println!(
            "PostgreSQL 数据库不在这个备份文件中。请用 pg_dump 备份数据库（先 pg_dump，再运行本命令，文件便不会缺）："
        );
        println!("  {}", backup::pg_dump_hint(&redact_url(&cfg.database_url)));
        println!(
            "恢复：建一个空数据库，pg_restore --no-owner -d <新数据库的 URL> <dump 文件>，再用 honglian restore 恢复文件。"
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `honglian restore`: only into an empty data directory (and, with `[files] store = "s3"`, an empty
/// bucket or prefix).
async fn restore(cfg: &Config, from: &std::path::Path) -> anyhow::Result<ExitCode> {
    let m = backup::read_manifest(from)?;
    if m.backend == "sqlite" {
        if !cfg.is_sqlite() {
            anyhow::bail!(
                "这是 SQLite 部署的备份，只能恢复成 SQLite 数据库（数据目录中的 honglian.db），请去掉 --database-url。"
            );
        }
        if cfg.database_url != honglian_store::sqlite_url(&cfg.default_sqlite_file()) {
            anyhow::bail!("恢复会把数据库写成数据目录中的 honglian.db；请去掉 --database-url（或让它指向该文件）。");
        }
    }
    // A key file named for the restored deployment must be its own: checked before anything is written.
    let key_ok = match (&m.key_fingerprint, cfg.key_file.exists()) {
        (Some(fp), true) => {
            let keys = FileKeyProvider::load(&cfg.key_file)?;
            if &fingerprint(&keys) != fp {
                anyhow::bail!(
                    "密钥文件 {} 与备份不符（备份的数据用指纹为 {} 的密钥加密），没有做任何改动。请用 --key-file 指出原密钥文件。",
                    cfg.key_file.display(),
                    &fp[..fp.len().min(16)]
                );
            }
            true
        }
        _ => false,
    };
    let files = cfg.file_store()?;
    let r = backup::restore(from, &cfg.data_dir, &files).await?;
    println!(
        "已恢复到 {}：{}{} 个文件{}。备份时间 {}，版本 {}。",
        cfg.data_dir.display(),
        if r.database.is_some() { "数据库，" } else { "" },
        r.files,
        if files.dir().is_none() { format!("（存入 {}）", files.describe()) } else { String::new() },
        m.created_at
            .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8"))
            .format("%Y-%m-%d %H:%M:%S"),
        m.version
    );
    if m.backend == "postgres" {
        println!(
            "数据库须另行恢复：建一个空数据库，然后 pg_restore --no-owner -d <新数据库的 URL> <pg_dump 写出的文件>。"
        );
    }
    if !key_ok {
        println!(
            "启动前请准备原密钥文件{}：放到 {}，或用 --key-file 指出它的位置；然后可运行 honglian audit verify 校验审计日志。",
            m.key_fingerprint.as_deref().map(|f| format!("（指纹 {}）", &f[..f.len().min(16)])).unwrap_or_default(),
            cfg.key_file.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// This process's name in job leases (`job_leases.holder`): `HONGLIAN_INSTANCE_ID`, else the host's
/// name, the process id and a random suffix (a restarted process is a new instance).
fn instance_id() -> String {
    if let Ok(id) = std::env::var("HONGLIAN_INSTANCE_ID")
        && !id.trim().is_empty()
    {
        return id.trim().chars().take(100).collect();
    }
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "honglian".into());
    format!("{host}-{}-{}", std::process::id(), honglian_app::platform::crypto::random_token(6))
}

/// When the hourly round is checked for and how long its lease lasts: (first check after start, then
/// every, the round's times). Defaults 5 s, 1 min, hourly, 5-minute lease; `HONGLIAN_ROUND_FIRST_MS`,
/// `HONGLIAN_ROUND_CHECK_MS`, `HONGLIAN_ROUND_INTERVAL_MS` and `HONGLIAN_ROUND_LEASE_MS` change them
/// (tests make them short; docs/instances.md). Debug builds only: `HONGLIAN_TEST_ROUND_HOLD_MS` keeps
/// the lease that long after the round's work, so that a test can kill an instance mid-lease.
fn round_schedule() -> (std::time::Duration, std::time::Duration, honglian_app::platform::upkeep::RoundTimes) {
    let ms = |key: &str, default: u64| {
        std::time::Duration::from_millis(
            std::env::var(key).ok().and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(default).max(100),
        )
    };
    let hold = if cfg!(debug_assertions) {
        std::env::var("HONGLIAN_TEST_ROUND_HOLD_MS")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .map(std::time::Duration::from_millis)
            .unwrap_or_default()
    } else {
        std::time::Duration::ZERO
    };
    let times = honglian_app::platform::upkeep::RoundTimes {
        interval: ms("HONGLIAN_ROUND_INTERVAL_MS", 3_600_000),
        lease: ms("HONGLIAN_ROUND_LEASE_MS", 300_000),
        hold,
    };
    (ms("HONGLIAN_ROUND_FIRST_MS", 5_000), ms("HONGLIAN_ROUND_CHECK_MS", 60_000), times)
}

fn print_demo_accounts() {
    println!("演示账号（密码均为 {}）：", honglian_app::demo::DEMO_PASSWORD);
    for (u, what) in honglian_app::demo::ACCOUNTS {
        println!("  {u:<16}{what}");
    }
}

fn print_bootstrap() {
    println!("数据库中还没有用户。创建第一批管理员：");
    println!("  honglian org create-root --name '中共某县委员会' --kind committee     # 打印组织编号，如 1");
    println!("  echo '初始密码' | honglian user create --username county_admin --display-name 管理员");
    println!("  honglian user grant --username county_admin --role county_admin --org 1");
    println!("  echo '初始密码' | honglian user create --username secadmin --display-name 安全管理员");
    println!("  honglian user grant --username secadmin --role security_admin");
    println!(
        "（同样创建 system_admin、audit_admin；三员不能兼任。首次登录须修改密码。体验演示数据请用 serve --demo 或 demo 命令。）"
    );
}
