//! Puts the web UI into $OUT_DIR/web for embedding. Uses web/dist when it is
//! newer than the sources; otherwise builds it with npm; where npm is missing
//! (or the build fails) embeds a page that says so, so the binary always builds.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

fn newest(dir: &Path) -> Option<SystemTime> {
    let mut best = None;
    let entries = std::fs::read_dir(dir).ok()?;
    for e in entries.flatten() {
        let p = e.path();
        let t = if p.is_dir() { newest(&p) } else { e.metadata().ok().and_then(|m| m.modified().ok()) };
        if t > best {
            best = t;
        }
    }
    best
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_dir(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), target)?;
        }
    }
    Ok(())
}

fn fallback(out: &Path, why: &str) {
    println!("cargo:warning=web UI not embedded: {why}");
    std::fs::create_dir_all(out).expect("create OUT_DIR/web");
    let html = format!(
        "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>红链</title>\
         <body style=\"font-family:sans-serif;max-width:640px;margin:60px auto;line-height:1.7\">\
         <h1>红链：网页界面未构建</h1><p>构建本程序时未能生成网页界面（{why}）。接口仍可使用：<a href=\"/api/docs\">接口文档</a>。</p>\
         <p>安装 Node.js 20 与 npm 后重新构建：<code>cargo build --release</code>，或先运行 <code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>。</p></body></html>"
    );
    std::fs::write(out.join("index.html"), html).expect("write fallback page");
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let web = manifest.join("../../web");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("web");
    let _ = std::fs::remove_dir_all(&out);
    for p in
        ["src", "index.html", "portal.html", "package.json", "package-lock.json", "vite.config.ts", "public", "dist"]
    {
        println!("cargo:rerun-if-changed={}", web.join(p).display());
    }
    println!("cargo:rerun-if-env-changed=HONGLIAN_SKIP_WEB_BUILD");
    let dist = web.join("dist");
    if !web.join("package.json").exists() {
        return fallback(&out, "没有 web/ 目录");
    }
    let sources = ["src", "index.html", "portal.html", "package.json", "vite.config.ts", "public"]
        .iter()
        .filter_map(|p| {
            let p = web.join(p);
            if p.is_dir() { newest(&p) } else { p.metadata().ok().and_then(|m| m.modified().ok()) }
        })
        .max();
    let dist_time = dist.join("index.html").metadata().ok().and_then(|m| m.modified().ok());
    let fresh = dist_time.is_some() && dist_time >= sources;
    let skip = std::env::var("HONGLIAN_SKIP_WEB_BUILD").is_ok_and(|v| v == "1");
    if !fresh && !skip {
        let npm_ok = Command::new("npm").arg("--version").output().is_ok_and(|o| o.status.success());
        if !npm_ok {
            return fallback(&out, "构建环境中没有 npm");
        }
        if !web.join("node_modules").exists() {
            let ok = Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&web)
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                return fallback(&out, "npm ci 失败");
            }
        }
        let ok = Command::new("npm").args(["run", "build"]).current_dir(&web).status().is_ok_and(|s| s.success());
        if !ok {
            return fallback(&out, "npm run build 失败");
        }
    }
    if dist.join("index.html").exists() {
        copy_dir(&dist, &out).expect("copy web/dist");
    } else {
        fallback(&out, "web/dist 不存在");
    }
}
