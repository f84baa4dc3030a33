//! Connecting to SQLite or PostgreSQL, chosen by the URL's scheme.

use std::time::Duration;

use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub async fn connect(url: &str) -> Result<(DatabaseConnection, Backend), DbErr> {
    let backend = if url.starts_with("sqlite:") {
        Backend::Sqlite
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Backend::Postgres
    } else {
        return Err(DbErr::Custom(format!(
            "unsupported database URL scheme (use sqlite: or postgres:): {}",
            url.split(':').next().unwrap_or("")
        )));
    };
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10));
    if backend == Backend::Sqlite {
        // Per-connection settings, so they hold on every pooled connection: WAL for
        // readers beside the writer, foreign keys on, a busy timeout instead of
        // immediate "database is locked", and a memory map for faster reads.
        // SQLite allows one writer: a small pool keeps writers from queueing on the
        // file lock.
        opts.max_connections(4)
            .min_connections(1)
            .map_sqlx_sqlite_opts(|o| {
                use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
                o.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5))
                    .pragma("mmap_size", "268435456")
            });
    } else {
        opts.max_connections(16);
    }
    let db = Database::connect(opts).await?;
    Ok((db, backend))
}
