//! Bearer tokens for the API: random, shown once, stored as SHA-256, expiring and
//! revocable.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD as B64};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, JoinType, QueryFilter,
    QuerySelect, RelationTrait, sea_query::Expr,
};
use uuid::Uuid;
use zakrila_domain::{DomainError, role::SECOND_FACTOR_TOKEN_MAX_MS};

use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::{api_token, organisation, user},
    new_id, now_ms,
    sessions::token_hash,
};

/// Prefix that makes a leaked token easy to recognise (and to scan for).
const PREFIX: &str = "zk_";

impl Store {
    /// Issues a token for the user; returns (token id, the token itself).
    pub async fn issue_token(
        &self,
        actor: Option<Uuid>,
        user_id: &str,
        label: &str,
        ttl_ms: i64,
    ) -> Result<(String, String), StoreError> {
        let mut b = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut b);
        let token = format!("{PREFIX}{}", B64.encode(b));
        let id = new_id();
        let now = now_ms();
        let txn = self.begin_write().await?;
        let u = crate::read::one_in(user::Entity::find_by_id(user_id.to_owned()), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let second_factor =
            crate::accounts::role_of(&u).is_none_or(|r| r.needs_second_factor()) || u.totp_enabled;
        if second_factor && ttl_ms > SECOND_FACTOR_TOKEN_MAX_MS {
            return Err(DomainError::field("ttl", "error-token-ttl").into());
        }
        api_token::ActiveModel {
            id: Set(id.clone()),
            user_id: Set(user_id.to_owned()),
            token_hash: Set(token_hash(&token)),
            label: Set(label.to_owned()),
            created_at: Set(now),
            expires_at: Set(now + ttl_ms),
            revoked_at: Set(None),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEntry::new(actor, "token.issue", "api_token")
                .id(&id)
                .change(serde_json::json!({"user": user_id, "ttl_ms": ttl_ms})),
        )
        .await?;
        txn.commit().await?;
        Ok((id, token))
    }

    /// The user a valid (known, unexpired, unrevoked) token stands for, with their
    /// organisation: one query, as it runs on every API request.
    pub async fn user_for_token(
        &self,
        token: &str,
    ) -> Result<Option<(user::Model, organisation::Model)>, StoreError> {
        let found = self
            .read_one(
                user::Entity::find()
                    .join(JoinType::InnerJoin, api_token::Relation::User.def().rev())
                    .filter(api_token::Column::TokenHash.eq(token_hash(token)))
                    .filter(api_token::Column::RevokedAt.is_null())
                    .filter(api_token::Column::ExpiresAt.gt(now_ms()))
                    .find_also_related(organisation::Entity),
            )
            .await?;
        Ok(found.and_then(|(u, o)| Some((u, o?))))
    }

    pub async fn revoke_token(
        &self,
        actor: Option<Uuid>,
        token_id: &str,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let t = crate::read::one_in(api_token::Entity::find_by_id(token_id.to_owned()), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut am: api_token::ActiveModel = t.into();
        am.revoked_at = Set(Some(now_ms()));
        am.update(&txn).await?;
        audit::append(
            &txn,
            AuditEntry::new(actor, "token.revoke", "api_token").id(token_id),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn revoke_all_tokens(&self, user_id: &str) -> Result<(), StoreError> {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::RevokedAt, Expr::value(now_ms()))
            .filter(api_token::Column::UserId.eq(user_id))
            .filter(api_token::Column::RevokedAt.is_null())
            .exec(&self.writer)
            .await?;
        Ok(())
    }
}
