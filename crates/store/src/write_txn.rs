//! The writer's transaction as a type of its own. Audit appends take it
//! (`audit::append`), so an append that is not inside a transaction on the writer
//! — one that would race another batch between its statements and fork the chain —
//! does not compile. The only way to get one is [`Store::begin_write`] (and the
//! audit queue, on the same writer).

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult,
    QueryResult, Statement, TransactionTrait,
};

use std::sync::Arc;

use crate::{Store, audit::ChainKey};

/// A transaction on the writer connection, carrying the audit chain's key so that
/// every append is keyed.
#[derive(Debug)]
pub struct WriteTxn(DatabaseTransaction, Arc<ChainKey>);

impl WriteTxn {
    pub(crate) async fn begin(
        writer: &DatabaseConnection,
        key: Arc<ChainKey>,
    ) -> Result<Self, DbErr> {
        Ok(Self(writer.begin().await?, key))
    }

    pub(crate) fn chain_key(&self) -> &ChainKey {
        &self.1
    }

    pub async fn commit(self) -> Result<(), DbErr> {
        self.0.commit().await
    }

    pub async fn rollback(self) -> Result<(), DbErr> {
        self.0.rollback().await
    }
}

impl Store {
    /// Starts a write transaction on the writer (one queue on SQLite).
    pub async fn begin_write(&self) -> Result<WriteTxn, DbErr> {
        WriteTxn::begin(&self.writer, self.chain_key.clone()).await
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DbBackend {
        self.0.get_database_backend()
    }
    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.0.execute_raw(stmt).await
    }
    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.0.execute_unprepared(sql).await
    }
    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.0.query_one_raw(stmt).await
    }
    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.0.query_all_raw(stmt).await
    }
}
