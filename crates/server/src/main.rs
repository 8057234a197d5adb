use clap::Parser;

/// mimalloc: per-thread heaps, so the pooled SQLite workers and the runtime's threads do not
/// contend for glibc's arenas, and freed memory goes back to the system (docs/performance.md, round 4).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = honglian_server::cli::Cli::parse();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    match rt.block_on(honglian_server::cli::run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
