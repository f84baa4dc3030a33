//! Lookups by a unique key without `LIMIT`.
//!
//! SeaORM's `.one()` adds `LIMIT 1` as a bound parameter, and SQLite re-prepares a
//! statement whose `LIMIT` is a bound parameter every time it runs (the planner reads
//! the bound value; seen in limit-bench's profile as `sqlite3Reprepare`). A lookup by
//! primary or unique key returns at most one row anyway, so the hot paths (every
//! request's token or session, the case page) fetch "all" of it instead and keep their
//! prepared statements.

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Select, SelectTwo, TryIntoModel};

/// The row of a query on a unique key, if any.
pub(crate) async fn unique<E, C>(q: Select<E>, db: &C) -> Result<Option<E::Model>, DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    Ok(q.all(db).await?.into_iter().next())
}

/// The row pair of a query on a unique key joined to at most one related row.
pub(crate) async fn unique_two<E, F, C>(
    q: SelectTwo<E, F>,
    db: &C,
) -> Result<Option<(E::Model, Option<F::Model>)>, DbErr>
where
    E: EntityTrait,
    F: EntityTrait,
    C: ConnectionTrait,
{
    Ok(q.all(db).await?.into_iter().next())
}

impl crate::Store {
    /// [`unique`] for the reads every request makes: on the calling thread on SQLite
    /// (`inline_reads.rs`), on the pool otherwise.
    pub(crate) async fn lookup<E: EntityTrait>(
        &self,
        q: Select<E>,
    ) -> Result<Option<E::Model>, DbErr>
    where
        E::ActiveModel: TryIntoModel<E::Model>,
    {
        match &self.inline {
            Some(r) => Ok(r.keyed.models(q)?.into_iter().next()),
            None => unique(q, &self.db).await,
        }
    }

    /// [`unique_two`] likewise.
    pub(crate) async fn lookup_two<E: EntityTrait, F: EntityTrait>(
        &self,
        q: SelectTwo<E, F>,
    ) -> Result<Option<(E::Model, Option<F::Model>)>, DbErr>
    where
        E::ActiveModel: TryIntoModel<E::Model>,
        F::ActiveModel: TryIntoModel<F::Model>,
    {
        match &self.inline {
            Some(r) => Ok(r.keyed.model_pairs(q)?.into_iter().next()),
            None => unique_two(q, &self.db).await,
        }
    }
}
