//! Filling an empty database with generated cases is several times faster when the
//! secondary indexes are built once at the end (a sort) than when every row is
//! threaded into a dozen B-trees in random key order. Only for a database without
//! cases: a database in use keeps its indexes. Unique indexes (primary keys, case
//! codes) stay, so the data is still checked while it is written.
//!
//! On SQLite the load also runs with `synchronous = OFF` on the writer: checkpoints
//! do not wait for the disk (a few thousand fsyncs in a million cases). A crash of
//! the machine mid-load can leave the new file damaged; it held nothing but
//! generated data, so the remedy is to generate again.

use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, Statement};

use crate::{Store, StoreError, entity::case};

/// The tables bulk generation writes.
const TABLES: [&str; 9] = [
    "persons",
    "person_name_tokens",
    "cases",
    "case_stage_changes",
    "consents",
    "referrals",
    "case_services",
    "caseload",
    "caseload_tokens",
];

/// Secondary indexes taken down for a bulk load: their names and definitions.
#[derive(Debug, Default)]
#[must_use = "the indexes must be built again with `Store::restore_indexes`"]
pub struct DeferredIndexes(Vec<(String, String)>);

impl Store {
    /// Drops the non-unique indexes of the generated tables if there are no cases yet,
    /// remembering their definitions.
    pub async fn defer_indexes(&self) -> Result<DeferredIndexes, StoreError> {
        if case::Entity::find().count(&self.reads).await? > 0 {
            return Ok(DeferredIndexes::default());
        }
        let backend = self.writer.get_database_backend();
        let list = TABLES
            .iter()
            .map(|t| format!("'{t}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = match backend {
            DbBackend::Postgres => format!(
                "SELECT indexname, indexdef FROM pg_indexes \
                 WHERE schemaname = current_schema() AND tablename IN ({list}) \
                 AND indexdef LIKE 'CREATE INDEX%' ORDER BY indexname"
            ),
            _ => format!(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' \
                 AND tbl_name IN ({list}) AND sql LIKE 'CREATE INDEX%' ORDER BY name"
            ),
        };
        let rows = self
            .writer
            .query_all_raw(Statement::from_string(backend, sql))
            .await?;
        let mut out = vec![];
        for row in rows {
            let name: String = row.try_get_by_index(0)?;
            let def: String = row.try_get_by_index(1)?;
            out.push((name, def));
        }
        for (name, _) in &out {
            self.writer
                .execute_unprepared(&format!("DROP INDEX \"{name}\""))
                .await?;
        }
        if backend == DbBackend::Sqlite {
            self.writer
                .execute_unprepared("PRAGMA synchronous = OFF")
                .await?;
        }
        Ok(DeferredIndexes(out))
    }

    /// Builds the deferred indexes again.
    pub async fn restore_indexes(&self, deferred: DeferredIndexes) -> Result<(), StoreError> {
        if deferred.0.is_empty() {
            return Ok(());
        }
        let sqlite = self.writer.get_database_backend() == DbBackend::Sqlite;
        if sqlite {
            // Each index is a sort of its table: let SQLite sort on every core.
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            self.writer
                .execute_unprepared(&format!("PRAGMA threads = {cores}"))
                .await?;
        }
        for (_, def) in deferred.0 {
            self.writer.execute_unprepared(&def).await?;
        }
        if sqlite {
            self.writer
                .execute_unprepared(&format!(
                    "PRAGMA synchronous = {}; PRAGMA threads = 0",
                    crate::db::WRITER_SYNCHRONOUS
                ))
                .await?;
        }
        Ok(())
    }
}
