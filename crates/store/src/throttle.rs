//! Sign-in throttling per account and per client address, in the database so that
//! an attacker cannot spread guesses over several servers.
//!
//! An attempt is counted before anything is verified, in one write transaction that
//! locks the counters' rows: parallel guesses queue on the rows, so no more than the
//! allowed number are ever evaluated, however many arrive at once.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, QuerySelect};
use sha2::{Digest, Sha256};

use crate::{Store, StoreError, entity::throttle, now_ms};

/// Attempts allowed in a window before the key is locked.
pub const MAX_ACCOUNT_FAILURES: i32 = 5;
pub const MAX_ADDRESS_FAILURES: i32 = 20;
const WINDOW_MS: i64 = 15 * 60 * 1000;
const LOCK_MS: i64 = 15 * 60 * 1000;

/// The account's counter, keyed by the e-mail as typed (normalised), so that an
/// unknown address is counted and locked exactly like an existing account.
pub fn account_key(email: &str) -> String {
    let email = email.trim().to_lowercase();
    format!(
        "account:{}",
        hex::encode(&Sha256::digest(email.as_bytes())[..16])
    )
}

/// Client addresses are personal data of the people signing in: keep only a hash.
pub fn address_key(addr: &str) -> String {
    format!(
        "addr:{}",
        hex::encode(&Sha256::digest(addr.as_bytes())[..16])
    )
}

/// What [`Store::begin_attempt`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Counted; verify now. `last` when this attempt used the final one allowed, so
    /// a failure leaves the key locked.
    Allowed { last: bool },
    /// Refused without being evaluated: a key is locked until this time (ms).
    Locked { until: i64 },
}

impl Store {
    /// Whether the key is locked right now.
    pub async fn is_locked(&self, key: &str) -> Result<bool, StoreError> {
        let t = self
            .read_one(throttle::Entity::find_by_id(key.to_owned()))
            .await?;
        Ok(t.and_then(|t| t.locked_until)
            .is_some_and(|until| until > now_ms()))
    }

    /// Counts one attempt against every `(key, max)` before the caller verifies it,
    /// atomically: either every key is below its limit and each counts the attempt
    /// (locking the key that reaches its limit), or one is locked and nothing changes.
    pub async fn begin_attempt(&self, keys: &[(&str, i32)]) -> Result<Attempt, StoreError> {
        self.count_attempt(keys, WINDOW_MS, LOCK_MS).await
    }

    /// As [`Store::begin_attempt`], for a rate: at most `max` attempts per
    /// `window_ms`; the key that reaches it is paused for one window.
    pub async fn begin_attempt_per(
        &self,
        key: &str,
        max: i32,
        window_ms: i64,
    ) -> Result<Attempt, StoreError> {
        self.count_attempt(&[(key, max)], window_ms, window_ms)
            .await
    }

    async fn count_attempt(
        &self,
        keys: &[(&str, i32)],
        window_ms: i64,
        lock_ms: i64,
    ) -> Result<Attempt, StoreError> {
        let now = now_ms();
        let txn = self.begin_write().await?;
        let mut rows = Vec::with_capacity(keys.len());
        for (key, max) in keys {
            // Make sure the row exists, so that the lock below always has a row to
            // hold (PostgreSQL does not lock rows that are not there yet).
            throttle::Entity::insert(throttle::ActiveModel {
                key: Set((*key).to_owned()),
                failures: Set(0),
                window_start: Set(now),
                locked_until: Set(None),
            })
            .on_conflict_do_nothing()
            .exec_without_returning(&txn)
            .await?;
            // FOR UPDATE on PostgreSQL; SQLite has one writer, which serialises alike.
            let row = throttle::Entity::find_by_id((*key).to_owned())
                .lock_exclusive()
                .one(&txn)
                .await?
                .ok_or(StoreError::NotFound)?;
            rows.push((row, *max));
        }
        let locked = rows
            .iter()
            .filter_map(|(r, _)| r.locked_until.filter(|u| *u > now))
            .max();
        if let Some(until) = locked {
            txn.rollback().await?;
            return Ok(Attempt::Locked { until });
        }
        let mut last = false;
        for (t, max) in rows {
            let (failures, start) = if now - t.window_start > window_ms {
                (1, now)
            } else {
                (t.failures + 1, t.window_start)
            };
            let mut am: throttle::ActiveModel = t.into();
            am.failures = Set(failures);
            am.window_start = Set(start);
            am.locked_until = Set(None);
            if failures >= max {
                am.locked_until = Set(Some(now + lock_ms));
                last = true;
            }
            am.update(&txn).await?;
        }
        txn.commit().await?;
        Ok(Attempt::Allowed { last })
    }

    /// An attempt [`Store::begin_attempt`] counted turned out right: it no longer
    /// counts against `key` (and lifts the lock it may have set).
    pub async fn forgive_attempt(&self, key: &str) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        if let Some(t) = throttle::Entity::find_by_id(key.to_owned())
            .lock_exclusive()
            .one(&txn)
            .await?
        {
            let failures = (t.failures - 1).max(0);
            let mut am: throttle::ActiveModel = t.into();
            am.failures = Set(failures);
            am.locked_until = Set(None);
            am.update(&txn).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    pub async fn clear_failures(&self, key: &str) -> Result<(), StoreError> {
        throttle::Entity::delete_by_id(key.to_owned())
            .exec(&self.writer)
            .await?;
        Ok(())
    }
}
