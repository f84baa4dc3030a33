//! Fresh databases for tests: always a SQLite file in a temporary directory, and
//! also a brand-new PostgreSQL database when `ZAKRILA_TEST_DATABASE_URL` names a
//! PostgreSQL server. Every storage scenario runs on each.

use sea_orm::{ConnectionTrait, Database};

/// A database made for one test; the SQLite directory lives as long as this does.
pub struct TestDatabase {
    pub url: String,
    pub label: &'static str,
    _dir: Option<TempDir>,
}

/// A directory removed on drop, without pulling a crate into the library for it.
struct TempDir(std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_dir() -> TempDir {
    let p = std::env::temp_dir().join(format!("zakrila-test-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&p).expect("create a temporary directory");
    TempDir(p)
}

/// One fresh, empty database per configured backend.
pub async fn fresh_databases() -> Vec<TestDatabase> {
    let dir = temp_dir();
    let mut out = vec![TestDatabase {
        url: format!("sqlite://{}/test.sqlite?mode=rwc", dir.0.display()),
        label: "sqlite",
        _dir: Some(dir),
    }];
    if let Ok(base) = std::env::var("ZAKRILA_TEST_DATABASE_URL") {
        if base.starts_with("postgres") {
            out.push(TestDatabase {
                url: fresh_postgres(&base).await,
                label: "postgres",
                _dir: None,
            });
        }
    }
    out
}

async fn fresh_postgres(base: &str) -> String {
    let name = format!("zakrila_test_{}", uuid::Uuid::now_v7().simple());
    let admin = Database::connect(base)
        .await
        .expect("connect to ZAKRILA_TEST_DATABASE_URL");
    drop_stale_databases(&admin).await;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create a test database");
    admin.close().await.ok();
    // Replace the database name (the last path segment) in the URL.
    let (prefix, rest) = base
        .rsplit_once('/')
        .expect("a PostgreSQL URL has a database path");
    let query = rest
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    format!("{prefix}/{name}{query}")
}

/// Test databases are not dropped when their test ends (the connection pool may
/// still hold them); instead each test run removes those left by runs more than an
/// hour old. The UUIDv7 in the name carries its creation time.
async fn drop_stale_databases(admin: &sea_orm::DatabaseConnection) {
    static ONCE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if ONCE.swap(true, std::sync::atomic::Ordering::SeqCst) {
        return;
    }
    let Ok(rows) = admin
        .query_all_raw(sea_orm::Statement::from_string(
            admin.get_database_backend(),
            "SELECT datname FROM pg_database WHERE datname LIKE 'zakrila_test_%'",
        ))
        .await
    else {
        return;
    };
    let hour_ago = crate::now_ms() - 3_600_000;
    for row in rows {
        let Ok(name) = row.try_get::<String>("", "datname") else {
            continue;
        };
        let created = name
            .strip_prefix("zakrila_test_")
            .and_then(|hex| i64::from_str_radix(hex.get(..12)?, 16).ok());
        if created.is_some_and(|ms| ms < hour_ago) {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
                .await;
        }
    }
}
