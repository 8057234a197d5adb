//! The command line: a new deployment starts empty and is bootstrapped with commands.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::helpers::{TestApp, temp_dir};

fn honglian(dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> (bool, String) {
    honglian_on(dir, None, args, stdin)
}

/// Runs the binary on `dir`, with the database at `url` when given (else SQLite in `dir`). A command
/// still running after two minutes (a server that should have refused to start) is killed and fails.
pub fn honglian_on(dir: &std::path::Path, url: Option<&str>, args: &[&str], stdin: Option<&str>) -> (bool, String) {
    honglian_env(dir, url, &[], args, stdin)
}

/// [`honglian_on`] with extra environment variables.
pub fn honglian_env(
    dir: &std::path::Path,
    url: Option<&str>,
    env: &[(&str, &std::path::Path)],
    args: &[&str],
    stdin: Option<&str>,
) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_honglian"));
    cmd.args(args).arg("--data-dir").arg(dir).envs(env.iter().copied());
    if let Some(url) = url {
        cmd.arg("--database-url").arg(url);
    }
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            return (false, format!("still running after 2 minutes: {}", String::from_utf8_lossy(&out.stdout)));
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bootstrap_a_real_deployment() {
    let dir = temp_dir("hl_cli");
    let (ok, out) = honglian(&dir, &["migrate"], None);
    assert!(ok, "{out}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("honglian.keys")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "key file is private");
    }
    let (ok, out) = honglian(
        &dir,
        &["org", "create-root", "--name", "中共测试县委员会", "--kind", "committee", "--province-code", "370000"],
        None,
    );
    assert!(ok && out.contains("编号 1"), "{out}");
    let (ok, out) =
        honglian(&dir, &["user", "create", "--username", "admin", "--display-name", "管理员"], Some("weak\n"));
    assert!(!ok && out.contains("密码至少 8 位"), "{out}");
    let (ok, out) =
        honglian(&dir, &["user", "create", "--username", "admin", "--display-name", "管理员"], Some("Strong@2026x\n"));
    assert!(ok, "{out}");
    let (ok, out) =
        honglian(&dir, &["user", "grant", "--username", "admin", "--role", "county_admin", "--org", "1"], None);
    assert!(ok && out.contains("县级管理员（中共测试县委员会）"), "{out}");
    let (ok, out) = honglian(&dir, &["user", "grant", "--username", "admin", "--role", "audit_admin"], None);
    assert!(!ok && out.contains("三员分立"), "{out}");

    // The new deployment holds no demo data and forces a password change.
    let t = TestApp::spawn(dir.clone(), honglian_store::sqlite_url(&dir.join("honglian.db")), false).await;
    let c = t.login_with("admin", "Strong@2026x").await;
    assert_eq!(c.get("/api/v1/session").await.body["user"]["must_change_password"], true);
    assert!(t.app.user_by_name("wuchuan_admin").await.unwrap().is_none());
    let (ok, out) = honglian(&dir, &["audit", "verify"], None);
    assert!(ok && out.contains("审计日志完好"), "{out}");
}

#[test]
fn demo_is_rerunnable_and_help_is_plain_chinese() {
    let dir = temp_dir("hl_demo_cli");
    let (ok, out) = honglian(&dir, &["demo"], None);
    assert!(ok && out.contains("演示数据已载入") && out.contains("gz_branch"), "{out}");
    let (ok, out) = honglian(&dir, &["demo"], None);
    assert!(ok && out.contains("演示数据已存在，未作改动"), "{out}");
    for cmd in [
        &["serve", "--help"][..],
        &["user", "--help"],
        &["audit", "verify", "--help"],
        &["demo", "--help"],
        &["migrate", "--help"],
        &["backup", "--help"],
        &["restore", "--help"],
        &["keys", "rotate", "--help"],
    ] {
        let (ok, out) = honglian(&dir, cmd, None);
        assert!(ok, "{out}");
        assert!(
            out.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{cmd:?} --help explains itself in Chinese: {out}"
        );
    }
}

/// The demo's accounts share a published password: `demo`, `demo --members` and `serve --demo` refuse a
/// database that already holds a real organisation, exit non-zero and add nothing.
async fn demo_refuses_a_real_deployment(url: Option<String>) {
    let dir = temp_dir("hl_demo_refuse");
    let url = url.as_deref();
    let (ok, out) = honglian_on(&dir, url, &["org", "create-root", "--name", "中共正式县委员会"], None);
    assert!(ok, "{out}");
    for args in [&["demo"][..], &["demo", "--members", "100"], &["serve", "--demo", "--listen", "127.0.0.1:0"]] {
        let (ok, out) = honglian_on(&dir, url, args, None);
        assert!(!ok, "{args:?} must refuse: {out}");
        assert!(out.contains("已有正式数据") && out.contains("拒绝载入演示数据"), "{args:?}: {out}");
    }
    let db_url = url.map(String::from).unwrap_or_else(|| honglian_store::sqlite_url(&dir.join("honglian.db")));
    let t = TestApp::spawn(dir.clone(), db_url, false).await;
    assert_eq!(t.app.user_count().await.unwrap(), 0, "no demo account was added");
    let (ok, out) = honglian_on(&dir, url, &["audit", "verify"], None);
    assert!(ok && out.contains("共 1 条记录"), "only the root organisation's creation is in the log: {out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_refuses_a_real_deployment_sqlite() {
    demo_refuses_a_real_deployment(None).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_refuses_a_real_deployment_postgres() {
    demo_refuses_a_real_deployment(Some(crate::helpers::fresh_pg_url().await)).await
}

/// The key file can live outside the data directory (flag, environment, TOML). The database records
/// the keys' fingerprint: started with a missing or another key file, every command stops with a
/// clear message, creates no key and writes nothing; a database from before fingerprints is checked
/// by opening one sealed value.
async fn keys_belong_to_their_database(url: Option<String>) {
    let dir = temp_dir("hl_keys");
    let vault = temp_dir("hl_vault");
    let key = vault.join("honglian.keys");
    let k = key.to_str().unwrap();
    let url = url.as_deref();
    let (ok, out) = honglian_on(&dir, url, &["demo", "--key-file", k], None);
    assert!(ok, "{out}");
    assert!(key.exists() && !dir.join("honglian.keys").exists(), "the key lives where --key-file says");
    let records = |out: &str| out.split("共 ").nth(1).and_then(|s| s.split(' ').next()).map(str::to_string);
    let (ok, out) = honglian_on(&dir, url, &["audit", "verify", "--key-file", k], None);
    assert!(ok, "{out}");
    let before = records(&out);

    // Missing: no new key is made up.
    let (ok, out) = honglian_on(&dir, url, &["audit", "verify"], None);
    assert!(!ok && out.contains("不存在") && out.contains("不会生成新密钥") && out.contains("--key-file"), "{out}");
    assert!(!dir.join("honglian.keys").exists(), "no key file was generated");
    let (ok, out) = honglian_on(&dir, url, &["serve", "--listen", "127.0.0.1:0"], None);
    assert!(!ok && out.contains("不会生成新密钥"), "the server does not start: {out}");

    // Another deployment's key file.
    let other = temp_dir("hl_keys_other");
    let (ok, out) = honglian_on(&other, None, &["migrate"], None);
    assert!(ok, "{out}");
    let wrong = other.join("honglian.keys");
    let (ok, out) = honglian_on(&dir, url, &["audit", "verify", "--key-file", wrong.to_str().unwrap()], None);
    assert!(!ok && out.contains("与数据库不符") && out.contains("没有做任何改动"), "{out}");

    // The environment and the TOML file name the right one; nothing was written meanwhile.
    let (ok, out) = honglian_env(&dir, url, &[("HONGLIAN_KEY_FILE", &key)], &["audit", "verify"], None);
    assert!(ok && records(&out) == before, "{out}");
    std::fs::write(dir.join("honglian.toml"), format!("key_file = \"{k}\"\n")).unwrap();
    let (ok, out) = honglian_on(&dir, url, &["audit", "verify"], None);
    assert!(ok && records(&out) == before, "{out}");

    // A database from before fingerprints were recorded: the wrong key cannot open its data.
    let db_url = url.map(String::from).unwrap_or_else(|| honglian_store::sqlite_url(&dir.join("honglian.db")));
    {
        use sea_orm::ConnectionTrait;
        let db = honglian_store::connect(&db_url, 1).await.unwrap();
        db.execute_unprepared("DELETE FROM settings WHERE key = 'keys.fingerprint'").await.unwrap();
        db.close().await.unwrap();
    }
    let (ok, out) = honglian_on(&dir, url, &["audit", "verify", "--key-file", wrong.to_str().unwrap()], None);
    assert!(!ok && out.contains("解不开"), "{out}");
    let (ok, out) = honglian_on(&dir, url, &["audit", "verify"], None);
    assert!(ok, "the right key passes and is recorded again: {out}");
    std::fs::remove_file(dir.join("honglian.toml")).unwrap();
    let (ok, out) = honglian_on(&dir, url, &["audit", "verify"], None);
    assert!(!ok && out.contains("数据库记录了所用密钥"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_belong_to_their_database_sqlite() {
    keys_belong_to_their_database(None).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_belong_to_their_database_postgres() {
    keys_belong_to_their_database(Some(crate::helpers::fresh_pg_url().await)).await
}
