//! Sign-in throttling per account and per client address, in the database so that
//! an attacker cannot spread guesses over several servers.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use sha2::{Digest, Sha256};

use crate::{Store, StoreError, entity::throttle, now_ms};

/// Failures allowed in a window before the key is locked.
pub const MAX_ACCOUNT_FAILURES: i32 = 5;
pub const MAX_ADDRESS_FAILURES: i32 = 20;
const WINDOW_MS: i64 = 15 * 60 * 1000;
const LOCK_MS: i64 = 15 * 60 * 1000;

pub fn account_key(user_id: &str) -> String {
    format!("account:{user_id}")
}

/// Client addresses are personal data of the people signing in: keep only a hash.
pub fn address_key(addr: &str) -> String {
    format!(
        "addr:{}",
        hex::encode(&Sha256::digest(addr.as_bytes())[..16])
    )
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

    /// Counts one failure; locks the key when it reaches `max` within the window.
    pub async fn record_failure(&self, key: &str, max: i32) -> Result<(), StoreError> {
        let now = now_ms();
        let txn = self.begin_write().await?;
        match crate::read::one_in(throttle::Entity::find_by_id(key.to_owned()), &txn).await? {
            None => {
                throttle::ActiveModel {
                    key: Set(key.to_owned()),
                    failures: Set(1),
                    window_start: Set(now),
                    locked_until: Set(if max <= 1 { Some(now + LOCK_MS) } else { None }),
                }
                .insert(&txn)
                .await?;
            }
            Some(t) => {
                let (failures, start) = if now - t.window_start > WINDOW_MS {
                    (1, now)
                } else {
                    (t.failures + 1, t.window_start)
                };
                let mut am: throttle::ActiveModel = t.into();
                am.failures = Set(failures);
                am.window_start = Set(start);
                if failures >= max {
                    am.locked_until = Set(Some(now + LOCK_MS));
                }
                am.update(&txn).await?;
            }
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
