//! The command line: `serve`, `migrate`, `demo`, `user`, `org`, `audit verify`.

use std::io::BufRead;
use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use honglian_app::organisations::orgs::OrgInput;
use honglian_app::platform::audit::Verdict;
use honglian_app::platform::users::{NewGrant, NewUser};
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
    /// 输出 OpenAPI 文档（JSON），供生成前端类型使用。
    Openapi,
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
            // Duty reminders: shortly after start, then hourly. Idempotent, so several instances may run it.
            let reminders = app.clone();
            tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_secs(5)).await;
                loop {
                    match reminders.generate_reminders().await {
                        Ok(n) if n > 0 => tracing::info!(new = n, "duty reminders"),
                        Ok(_) => {}
                        Err(e) => tracing::warn!(error = %e, "duty reminders failed"),
                    }
                    tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
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
                    let v = app.grant_add(&sys, u.id, NewGrant { role, org_id: org }).await.map_err(explain)?;
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
        Command::Openapi => unreachable!("handled above"),
        Command::Audit(AuditCommand::Verify) => {
            let app = crate::open_app(&cfg).await?;
            match honglian_app::platform::audit::verify(&app.db, &app.crypto).await.map_err(explain)? {
                Verdict::Intact { records } => {
                    println!("审计日志完好：共 {records} 条记录，哈希链校验通过。")
                }
                Verdict::Broken { id, reason } => {
                    println!("审计日志被篡改：第一处问题在记录 {id}：{reason}");
                    return Ok(ExitCode::from(1));
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
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
