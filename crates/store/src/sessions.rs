//! Browser sessions, kept in the database so that every server sees the same ones.
//! The cookie carries 32 random bytes; the table keeps only their SHA-256, so a copy
//! of the database cannot be used to hijack sessions.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD as B64};
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

use crate::{Store, StoreError, entity::session, now_ms};

/// Sessions end after 30 minutes without a request.
pub const IDLE_TIMEOUT_MS: i64 = 30 * 60 * 1000;
/// Touch `last_seen_at` at most once a minute, to spare the writer.
const TOUCH_EVERY_MS: i64 = 60 * 1000;

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    B64.encode(b)
}

impl Store {
    /// Starts a session after a correct password; returns the cookie value. Any
    /// session the browser had is replaced (rotation at sign-in).
    pub async fn create_session(
        &self,
        user_id: &str,
        second_factor_ok: bool,
        replaces: Option<&str>,
    ) -> Result<String, StoreError> {
        if let Some(old) = replaces {
            session::Entity::delete_by_id(token_hash(old))
                .exec(&self.writer)
                .await?;
        }
        let token = random_token();
        let now = now_ms();
        session::ActiveModel {
            id: Set(token_hash(&token)),
            user_id: Set(user_id.to_owned()),
            created_at: Set(now),
            last_seen_at: Set(now),
            second_factor_ok: Set(second_factor_ok),
        }
        .insert(&self.writer)
        .await?;
        Ok(token)
    }

    /// The live session for a cookie value, touched; `None` when unknown or idle
    /// for longer than the timeout (an idle session is deleted).
    pub async fn session(&self, token: &str) -> Result<Option<session::Model>, StoreError> {
        let Some(s) = self
            .read_one(session::Entity::find_by_id(token_hash(token)))
            .await?
        else {
            return Ok(None);
        };
        let now = now_ms();
        if now - s.last_seen_at > IDLE_TIMEOUT_MS {
            session::Entity::delete_by_id(s.id)
                .exec(&self.writer)
                .await?;
            return Ok(None);
        }
        if now - s.last_seen_at > TOUCH_EVERY_MS {
            let mut am: session::ActiveModel = s.clone().into();
            am.last_seen_at = Set(now);
            am.update(&self.writer).await?;
        }
        Ok(Some(s))
    }

    pub async fn end_session(&self, token: &str) -> Result<(), StoreError> {
        session::Entity::delete_by_id(token_hash(token))
            .exec(&self.writer)
            .await?;
        Ok(())
    }

    /// "Sign out everywhere": ends every session of the user and revokes their
    /// API tokens.
    pub async fn end_all_sessions(&self, user_id: &str) -> Result<u64, StoreError> {
        let r = session::Entity::delete_many()
            .filter(session::Column::UserId.eq(user_id))
            .exec(&self.writer)
            .await?;
        self.revoke_all_tokens(user_id).await?;
        Ok(r.rows_affected)
    }

    /// Removes sessions idle past the timeout; run now and then.
    pub async fn purge_idle_sessions(&self) -> Result<u64, StoreError> {
        let cutoff = now_ms() - IDLE_TIMEOUT_MS;
        let r = session::Entity::delete_many()
            .filter(session::Column::LastSeenAt.lt(cutoff))
            .exec(&self.writer)
            .await?;
        Ok(r.rows_affected)
    }
}
