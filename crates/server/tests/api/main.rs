//! API tests: the real server on port 0 against a fresh SQLite file or a fresh
//! PostgreSQL database (127.0.0.1:5432, or HONGLIAN_TEST_PG), demo data loaded.

mod helpers;

mod authz;
mod communities;
mod goals;
mod hometown;
mod members;
mod openapi;
mod org_life;
mod organisations;
mod party_affairs;
mod platform;
mod portal;
mod services;
mod side_doors;
mod web;

/// Runs an async test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::helpers::TestApp::sqlite().await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::helpers::TestApp::postgres().await).await
            }
        }
    };
}
