//! The one way the store reads rows: [`Store::read_one`] for a row by a key,
//! [`Store::read_page`] for a bounded range of rows, [`one_in`] inside a write
//! transaction. The store decides where a read runs — on SQLite with a file, on
//! the calling thread through read-only connections (`inline_reads.rs`); otherwise,
//! and inside a transaction, on the connection — so no call site chooses.
//!
//! A read by key is statement-for-statement the same on both: SeaORM's `.one()`
//! adds `LIMIT 1` as a bound parameter, and SQLite re-prepares a statement whose
//! `LIMIT` is a bound parameter every time it runs (the planner reads the bound
//! value; seen in limit-bench's profile as `sqlite3Reprepare`). A lookup by primary
//! or unique key returns at most one row anyway, so it fetches "all" of it and keeps
//! its prepared statement; a read that could match several rows says `.limit(1)`
//! itself. `.one()` is banned (`clippy.toml`).
//!
//! Scans of unknown length stay on the pool (`.all(&self.reads)`): run inline they
//! would hold a runtime thread for their whole length.

use std::future::Future;

use sea_orm::{
    ConnectionTrait, DbErr, EntityTrait, FromQueryResult, Select, SelectTwo, Statement,
    TryIntoModel,
};

use crate::{
    Store,
    inline_reads::{Pair, Readers},
};

/// A query the store can run on either path, returning rows of one shape.
pub trait Read: Send + Sized {
    type Row: Send;
    /// Its rows, read on a connection (the pool, or a transaction).
    fn on<C: ConnectionTrait + Sync>(
        self,
        db: &C,
    ) -> impl Future<Output = Result<Vec<Self::Row>, DbErr>> + Send;
    /// Its rows, read on the calling thread.
    fn inline(self, r: &Readers) -> Result<Vec<Self::Row>, DbErr>;
}

impl<E: EntityTrait> Read for Select<E>
where
    E::Model: Send + Sync,
    E::ActiveModel: TryIntoModel<E::Model>,
{
    type Row = E::Model;
    fn on<C: ConnectionTrait + Sync>(
        self,
        db: &C,
    ) -> impl Future<Output = Result<Vec<E::Model>, DbErr>> + Send {
        self.all(db)
    }
    fn inline(self, r: &Readers) -> Result<Vec<E::Model>, DbErr> {
        r.models(self)
    }
}

impl<E: EntityTrait, F: EntityTrait> Read for SelectTwo<E, F>
where
    E::Model: Send + Sync,
    F::Model: Send + Sync,
    E::ActiveModel: TryIntoModel<E::Model>,
    F::ActiveModel: TryIntoModel<F::Model>,
{
    type Row = Pair<E, F>;
    fn on<C: ConnectionTrait + Sync>(
        self,
        db: &C,
    ) -> impl Future<Output = Result<Vec<Pair<E, F>>, DbErr>> + Send {
        self.all(db)
    }
    fn inline(self, r: &Readers) -> Result<Vec<Pair<E, F>>, DbErr> {
        r.model_pairs(self)
    }
}

/// A hand-built statement selecting the columns of `E` by name (a caseload page,
/// whose `LIMIT` and `OFFSET` are written into the SQL): decoded by the same
/// column-by-name code as a [`Select`] on both paths.
pub struct Rows<E>(pub Statement, pub std::marker::PhantomData<E>);

impl<E> Rows<E> {
    pub fn of(st: Statement) -> Self {
        Self(st, std::marker::PhantomData)
    }
}

impl<E: EntityTrait> Read for Rows<E>
where
    E::Model: Send + Sync,
    E::ActiveModel: TryIntoModel<E::Model>,
{
    type Row = E::Model;
    async fn on<C: ConnectionTrait + Sync>(self, db: &C) -> Result<Vec<E::Model>, DbErr> {
        db.query_all_raw(self.0)
            .await?
            .iter()
            .map(|row| E::Model::from_query_result(row, ""))
            .collect()
    }
    fn inline(self, r: &Readers) -> Result<Vec<E::Model>, DbErr> {
        r.models_of::<E>(&self.0)
    }
}

/// A statement whose first column of its first row is an integer (a count).
pub struct Int(pub Statement);

impl Read for Int {
    type Row = i64;
    async fn on<C: ConnectionTrait + Sync>(self, db: &C) -> Result<Vec<i64>, DbErr> {
        match db.query_one_raw(self.0).await? {
            Some(row) => Ok(vec![row.try_get_by_index(0)?]),
            None => Ok(vec![]),
        }
    }
    fn inline(self, r: &Readers) -> Result<Vec<i64>, DbErr> {
        Ok(r.first_int(&self.0)?.into_iter().collect())
    }
}

pub use crate::inline_reads::reads_every_column;

/// The row of a query on a unique key (or limited to one row), read inside a
/// transaction or on a given connection.
pub(crate) async fn one_in<Q: Read, C: ConnectionTrait + Sync>(
    q: Q,
    db: &C,
) -> Result<Option<Q::Row>, DbErr> {
    Ok(q.on(db).await?.into_iter().next())
}

impl Store {
    /// The row of a query on a unique key (or limited to one row): on SQLite with a
    /// file on the calling thread, through connections that read into SQLite's
    /// page cache (a lookup touches a few pages); on the pool otherwise.
    pub async fn read_one<Q: Read>(&self, q: Q) -> Result<Option<Q::Row>, DbErr> {
        match &self.inline {
            Some(r) => Ok(q.inline(&r.keyed)?.into_iter().next()),
            None => one_in(q, &self.reads).await,
        }
    }

    /// The rows of a bounded range (a page of a list, with its `LIMIT`): on SQLite
    /// with a file on the calling thread, reading the memory-mapped file in place
    /// (a page touches a hundred or more pages); on the pool otherwise.
    pub async fn read_page<Q: Read>(&self, q: Q) -> Result<Vec<Q::Row>, DbErr> {
        match &self.inline {
            Some(r) => q.inline(&r.ranges),
            None => q.on(&self.reads).await,
        }
    }
}

/// The OFFSET of a page. A page number from a URL can be any `u64`: the product
/// saturates instead of overflowing, and stays within the databases' signed 64-bit
/// OFFSET, so a page far past the end is simply empty.
pub fn page_offset(page: u64, per_page: u64) -> u64 {
    page.saturating_mul(per_page).min(i64::MAX as u64)
}
