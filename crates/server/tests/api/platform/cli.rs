//! The command line: a new deployment starts empty and is bootstrapped with commands.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::helpers::{TestApp, temp_dir};

fn honglian(dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_honglian"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
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
    ] {
        let (ok, out) = honglian(&dir, cmd, None);
        assert!(ok, "{out}");
        assert!(
            out.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{cmd:?} --help explains itself in Chinese: {out}"
        );
    }
}
