//! Zakrila's storage layer: one SeaORM code path over SQLite (the default, embedded)
//! and PostgreSQL (for several servers sharing one database). It also owns the
//! mechanisms every table relies on: field encryption (`vault`), the audit chain
//! (`audit`) and the accounts, sessions and sign-in throttles that must be shared
//! by all servers.

pub mod abroad;
pub mod accommodation;
pub mod accounts;
pub mod audit;
pub mod audit_anchor;
mod audit_queue;
pub mod bootstrap;
pub mod cases;
mod db;
pub mod directory;
pub mod documents;
pub mod entity;
pub mod free_text;
mod inline_reads;
mod key_file;
pub mod keys;
pub mod linkage;
pub mod master_key;
mod migration;
mod name_index;
pub mod notices;
pub mod orgs;
pub mod outreach;
pub mod programme;
pub mod projects;
pub mod read;
pub mod service_catalogue;
pub mod sessions;
pub mod signals;
pub mod stats;
#[cfg(feature = "testing")]
pub mod testing;
pub mod throttle;
pub mod tokens;

pub mod vault;
mod write_txn;

use std::sync::Arc;

pub use db::{Backend, Connections, connect, connect_pair};
use sea_orm::ConnectionTrait;
pub use sea_orm::{self, DatabaseConnection};
use sea_orm_migration::MigratorTrait;
pub use vault::Vault;
pub use write_txn::WriteTxn;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("the audit chain's head row is missing")]
    AuditHeadMissing,
    #[error(transparent)]
    Vault(#[from] vault::VaultError),
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Domain(#[from] zakrila_domain::DomainError),
    #[error("conflict: {0}")]
    Conflict(&'static str),
}

/// The items of a comma-separated column (forms, languages, block keys…), empty
/// items skipped: how every such column is read.
pub fn comma_items(s: &str) -> impl Iterator<Item = &str> {
    s.split(',').filter(|i| !i.is_empty())
}

/// Milliseconds since the Unix epoch, UTC: the one time representation in storage.
pub fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// A fresh UUIDv7 as text: sortable by creation time, portable across backends.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The storage handle the rest of Zakrila uses. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    /// The read pool (and the occasional single-statement write).
    pub reads: DatabaseConnection,
    /// Write transactions: one queue on SQLite, the same pool on PostgreSQL (`db.rs`).
    pub writer: DatabaseConnection,
    /// On SQLite with a file: read-only connections for the short reads every
    /// request makes (token or session, user, organisation, the case it opens, a
    /// caseload page), run on the calling thread (`inline_reads.rs`; every read goes
    /// through `read.rs`, which chooses).
    inline: Option<Arc<inline_reads::InlineReads>>,
    /// Group commit of stand-alone audit events (`audit_queue.rs`).
    audit_queue: Arc<audit_queue::AuditQueue>,
    /// The audit chain's HMAC key, derived from the master key.
    chain_key: Arc<audit::ChainKey>,
    pub vault: Arc<Vault>,
    pub backend: Backend,
    /// Where new documents' content goes (`documents.rs`).
    documents: Arc<documents::DocumentStorage>,
}

impl Store {
    pub async fn open(url: &str, mut vault: Vault) -> Result<Self, StoreError> {
        let Connections {
            reads,
            writer,
            inline,
            backend,
        } = connect_pair(url).await?;
        master_key::open_derived(&reads, &mut vault).await?;
        Ok(Self {
            reads,
            writer,
            inline: inline.map(Arc::new),
            audit_queue: Default::default(),
            chain_key: Arc::new(audit::ChainKey::new(&vault)),
            vault: Arc::new(vault),
            backend,
            documents: Arc::new(documents::DocumentStorage::default_for(url)),
        })
    }

    /// Brings the schema up to date, creates the audit chain's head and runs the
    /// upgrade steps that need the master key (sealing the keyed chain's start,
    /// encrypting free text written before it was encrypted).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        // On the writer: on SQLite one connection, so a migration's statements see
        // each other's schema changes (pooled readers may hold an older snapshot).
        migration::Migrator::up(&self.writer, None).await?;
        audit::init(&self.writer).await?;
        audit::seal_keyed_from(&self.writer, &self.chain_key).await?;
        self.seal_derived_if_missing().await?;
        self.rebuild_name_index_if_pending().await?;
        self.seal_plaintext().await?;
        Ok(())
    }

    /// Walks the whole audit chain, checking every keyed event's HMAC: `Ok(n)` when
    /// all `n` events are intact.
    pub async fn verify_audit(&self) -> Result<Result<i64, audit::ChainBreak>, StoreError> {
        audit::verify(&self.reads, &self.chain_key).await
    }

    /// Records an event that goes with no other change (an identity read, a sign-in,
    /// an export) and returns once it is committed, batched with whatever else is
    /// waiting (`audit_queue.rs`).
    pub async fn record(&self, entry: audit::AuditEntry<'static>) -> Result<i64, StoreError> {
        self.audit_queue
            .append(&self.writer, &self.chain_key, entry)
            .await
    }

    /// While serving on SQLite: copies the write-ahead log into the database in the
    /// background (a passive checkpoint every 100 ms, on a pool connection) so that
    /// the log rarely reaches SQLite's automatic checkpoint, which runs inside
    /// whichever commit crosses 1,000 pages — under the case page's audit commits
    /// that commit, and every request waiting on it, paid for copying and syncing
    /// the pages. A passive checkpoint waits for no reader and no writer; the
    /// automatic one stays as the backstop. PostgreSQL: nothing to do.
    pub fn checkpoint_in_background(&self) {
        if self.backend != Backend::Sqlite {
            return;
        }
        let db = self.reads.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_millis(100));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = db
                    .execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)")
                    .await
                {
                    tracing::warn!(error = %e, "background checkpoint failed");
                }
            }
        });
    }

    /// How many statements the calling-thread readers have run (SQLite with a file;
    /// 0 elsewhere): with the pool's metric callback, what a test counts to hold an
    /// operation to a number of statements.
    #[cfg(feature = "testing")]
    pub fn inline_statements(&self) -> usize {
        use std::sync::atomic::Ordering::Relaxed;
        self.inline.as_ref().map_or(0, |i| {
            i.keyed.executed.load(Relaxed) + i.ranges.executed.load(Relaxed)
        })
    }

    /// Cheap liveness query for `/readyz`.
    pub async fn ping(&self) -> Result<(), StoreError> {
        Ok(self.reads.ping().await?)
    }
}
