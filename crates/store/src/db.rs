//! Connecting to SQLite or PostgreSQL, chosen by the URL's scheme.

use std::time::Duration;

use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use crate::inline_reads::InlineReads;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The pool for reads, and the pool for write transactions. SQLite has one writer at
/// a time: with several pooled connections, concurrent writers collide on the file
/// lock and back off in sleeps of milliseconds (the busy handler), so write
/// transactions queue for one dedicated connection instead, in order, while reads go
/// on beside it (WAL). PostgreSQL locks rows, not the database: one pool serves both.
///
/// On SQLite with a file, also the read-only connections that run short reads on
/// the calling thread (`inline_reads.rs`).
pub async fn connect_pair(url: &str) -> Result<Connections, DbErr> {
    if let Some(path) = crate::inline_reads::sqlite_path(url) {
        owner_only(std::path::Path::new(path))
            .map_err(|e| DbErr::Custom(format!("{path}: {e}")))?;
    }
    let (reads, backend) = connect(url).await?;
    let (writer, inline) = match backend {
        Backend::Sqlite => {
            // The writer first: it creates the file and puts it in WAL mode.
            // FULL on the writer: a commit, and the audit events in it, survives a
            // power cut; NORMAL could lose the last batch of identity reads already
            // shown while the chain stays self-consistent.
            let writer = open(url, backend, 1, Durability::Full).await?;
            let inline = crate::inline_reads::sqlite_path(url)
                .map(|path| InlineReads::open(path, MMAP_SIZE))
                .transpose()?;
            (writer, inline)
        }
        Backend::Postgres => (reads.clone(), None),
    };
    Ok(Connections {
        reads,
        writer,
        inline,
        backend,
    })
}

/// Makes the SQLite database readable by its owner only: created empty with mode
/// 0600 when missing (SQLite gives its `-wal` and `-shm` files the database's
/// mode), tightened when it is already there. The identity fields are encrypted,
/// but everything else (case codes, stages, the audit trail) is not.
fn owner_only(db: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        if !db.exists() {
            std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(false)
                .mode(0o600)
                .open(db)?;
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut p = db.as_os_str().to_owned();
            p.push(suffix);
            let p = std::path::PathBuf::from(p);
            if p.exists() {
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = db;
    Ok(())
}

/// What `connect_pair` opens.
pub struct Connections {
    pub reads: DatabaseConnection,
    pub writer: DatabaseConnection,
    pub inline: Option<InlineReads>,
    pub backend: Backend,
}

/// SQLite maps the whole file (up to 1 TiB of address space; the build raises
/// SQLite's cap, see .cargo/config.toml).
const MMAP_SIZE: u64 = 1 << 40;

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
    let max = match backend {
        // Each SQLite connection has its own worker thread; a request's statements
        // hop to it and back. Four readers on two cores measured better than two
        // (bench/cases/RESULTS.md): while one waits to be scheduled, others run.
        Backend::Sqlite => 4,
        Backend::Postgres => 16,
    };
    Ok((open(url, backend, max, Durability::Normal).await?, backend))
}

/// How SQLite syncs a commit (`PRAGMA synchronous`): the pooled readers write
/// nothing that matters, the writer commits every audited change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Durability {
    Normal,
    Full,
}

/// The writer's `PRAGMA synchronous`, restored after a bulk load turns it off.
pub const WRITER_SYNCHRONOUS: &str = "FULL";

async fn open(
    url: &str,
    backend: Backend,
    max: u32,
    durability: Durability,
) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10));
    if backend == Backend::Sqlite {
        // Per-connection settings, so they hold on every pooled connection: WAL for
        // readers beside the writer, foreign keys on, a busy timeout instead of
        // immediate "database is locked", and a memory map for faster reads.
        opts.max_connections(max)
            .min_connections(1)
            .map_sqlx_sqlite_opts(move |o| {
                use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
                o.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(match durability {
                        Durability::Normal => SqliteSynchronous::Normal,
                        Durability::Full => SqliteSynchronous::Full,
                    })
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5))
                    .pragma("mmap_size", MMAP_SIZE.to_string())
            });
    } else {
        opts.max_connections(max);
    }
    Database::connect(opts).await
}
