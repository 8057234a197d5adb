use clap::Parser;

/// mimalloc: per-thread heaps, so the pooled SQLite workers and the runtime's threads do not
/// contend for glibc's arenas, and freed memory goes back to the system (docs/performance.md, round 4).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_t` (the crate names only some options).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // Freed memory goes back to the system 100 ms after it is freed. mimalloc's default of 1 s kept the
    // pages of threads that then went quiet (the start-up reminders' 60 MB, the import's) until those
    // threads allocated again; the benchmark's peak went 213 → 177 MB (docs/performance.md, round 4).
    // SAFETY: sets one process-wide option before any other thread exists.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 100) };
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
