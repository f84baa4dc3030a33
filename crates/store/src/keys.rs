//! Which key generation encrypts new values, and rotation to a new one.
//!
//! Rotation moves the current key id forward first, so every server starts writing
//! with the new key as soon as it next asks, then re-encrypts rows still under older
//! ids in small batches, each in its own transaction. Reads keep working throughout
//! because every generation stays derivable from a master key the server holds.
//! The current id is stored with the fingerprint of the master key it belongs to
//! (`<id>:<fingerprint>`) once a master-key rotation has happened (`master_key.rs`).

use sea_orm::{
    ActiveValue::Set,
    ConnectionTrait, EntityTrait,
    sea_query::{Expr, ExprTrait, Query},
};

use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::setting,
    vault::{FieldRef, Vault},
};

pub(crate) const CURRENT_KEY: &str = "vault.current_key_id";

/// Every encrypted column: (table, id column, column) — the one registry of what
/// the vault holds, which rotation walks. A table that stores identity data or
/// identifying free text adds its columns to one of the two lists below.
pub const ENCRYPTED_COLUMNS: &[(&str, &str, &str)] = &ALL_ENCRYPTED;

const ALL_ENCRYPTED: [(&str, &str, &str); IDENTITY_COLUMNS.len() + FREE_TEXT_COLUMNS.len()] =
    concat(IDENTITY_COLUMNS, FREE_TEXT_COLUMNS);

/// Identity columns, encrypted since they were created.
pub const IDENTITY_COLUMNS: [(&str, &str, &str); 14] = [
    ("users", "id", "totp_secret"),
    ("persons", "id", "given_name"),
    ("persons", "id", "family_name"),
    ("persons", "id", "birth_date"),
    ("persons", "id", "personal_number"),
    ("persons", "id", "phone"),
    ("case_children", "id", "guardian"),
    ("signals", "id", "summary"),
    ("signals", "id", "contact"),
    ("signal_referrals", "id", "sent"),
    ("signal_additions", "id", "text"),
    ("referrals_abroad", "id", "contact"),
    ("case_documents", "id", "file_key"),
    ("case_documents", "id", "file_name"),
];

/// Free text about a case that may identify the person (`free_text.rs`), encrypted
/// since m0065: rows written before are sealed at the first start after it.
pub const FREE_TEXT_COLUMNS: [(&str, &str, &str); 7] = [
    ("referrals", "id", "purpose"),
    ("referrals", "id", "note"),
    ("referrals", "id", "consent_override"),
    ("case_proceedings", "id", "case_number"),
    ("case_returns", "id", "from_city"),
    ("reintegration_goals", "id", "goal"),
    ("follow_ups", "id", "note"),
];

const fn concat<const A: usize, const B: usize, const N: usize>(
    a: [(&'static str, &'static str, &'static str); A],
    b: [(&'static str, &'static str, &'static str); B],
) -> [(&'static str, &'static str, &'static str); N] {
    assert!(A + B == N);
    let mut out = [("", "", ""); N];
    let mut i = 0;
    while i < A {
        out[i] = a[i];
        i += 1;
    }
    while i < N {
        out[i] = b[i - A];
        i += 1;
    }
    out
}

/// The current key id and, once recorded, the fingerprint of its master key.
pub(crate) fn parse_current(value: &str) -> (u32, Option<&str>) {
    match value.split_once(':') {
        Some((id, fp)) => (id.parse().unwrap_or(1), Some(fp)),
        None => (value.parse().unwrap_or(1), None),
    }
}

impl Store {
    /// The key id new values are encrypted under; an error when it belongs to a
    /// master key this server does not hold (a rotation to a key it cannot find).
    pub async fn current_key_id(&self) -> Result<u32, StoreError> {
        let s = self
            .read_one(setting::Entity::find_by_id(CURRENT_KEY.to_owned()))
            .await?;
        let Some(s) = s else { return Ok(1) };
        let (id, fp) = parse_current(&s.value);
        if let Some(fp) = fp {
            self.vault.bind(id, fp)?;
        }
        Ok(id)
    }

    /// Moves to a new key generation and re-encrypts everything under it. Returns
    /// the new key id and how many values were re-encrypted.
    pub async fn rotate_keys(
        &self,
        mut progress: impl FnMut(u64),
    ) -> Result<(u32, u64), StoreError> {
        if self.master_rotation().await?.is_some() {
            return Err(StoreError::Conflict(
                "a master-key rotation is under way: finish it first",
            ));
        }
        let new_id = self.current_key_id().await? + 1;
        let fp = self.vault.fingerprint();
        self.vault.bind(new_id, &fp)?;
        let txn = self.begin_write().await?;
        put_setting(&txn, CURRENT_KEY, &format!("{new_id}:{fp}")).await?;
        self.reseal_derived(&txn, new_id).await?;
        audit::append(
            &txn,
            AuditEntry::new(None, "keys.rotate", "vault")
                .change(serde_json::json!({"key_id": new_id})),
        )
        .await?;
        txn.commit().await?;

        let done = self
            .re_encrypt_all(new_id, |n| {
                progress(n);
                std::ops::ControlFlow::Continue(())
            })
            .await?
            .unwrap_or_default();
        Ok((new_id, done))
    }

    /// Re-encrypts every value of [`ENCRYPTED_COLUMNS`] not yet under `new_id`, in
    /// batches of 200, each its own transaction; passes again until one finds
    /// nothing (a value written under the old id while the walk ran). `progress`
    /// sees the running count after each batch and may stop the walk (`None`).
    pub(crate) async fn re_encrypt_all(
        &self,
        new_id: u32,
        mut progress: impl FnMut(u64) -> std::ops::ControlFlow<()>,
    ) -> Result<Option<u64>, StoreError> {
        let prefix = format!("k{new_id}:");
        let mut done = 0u64;
        loop {
            let before = done;
            for (table, id_col, col) in ENCRYPTED_COLUMNS {
                loop {
                    let select = Query::select()
                        .columns([*id_col, *col])
                        .from(*table)
                        .and_where(Expr::col(*col).is_not_null())
                        // An erased referral keeps "" for its purpose and note.
                        .and_where(Expr::col(*col).ne(""))
                        .and_where(Expr::col(*col).not_like(format!("{prefix}%")))
                        .limit(200)
                        .to_owned();
                    let rows = self.reads.query_all(&select).await?;
                    if rows.is_empty() {
                        break;
                    }
                    let txn = self.begin_write().await?;
                    for row in rows {
                        let id: String = row.try_get("", id_col)?;
                        let old: String = row.try_get("", col)?;
                        let at = FieldRef {
                            table,
                            column: col,
                            row_id: &id,
                        };
                        let plain = self.vault.decrypt(at, &old)?;
                        let fresh = self.vault.encrypt(new_id, at, &plain);
                        debug_assert_eq!(Vault::key_id_of(&fresh).ok(), Some(new_id));
                        // Only replace the value we read: a concurrent write wins.
                        let update = Query::update()
                            .table(*table)
                            .value(*col, fresh)
                            .and_where(Expr::col(*id_col).eq(id))
                            .and_where(Expr::col(*col).eq(old))
                            .to_owned();
                        txn.execute(&update).await?;
                        done += 1;
                    }
                    txn.commit().await?;
                    if progress(done).is_break() {
                        return Ok(None);
                    }
                }
            }
            if done == before {
                return Ok(Some(done));
            }
        }
    }
}

/// Inserts or replaces a setting inside the caller's transaction.
pub(crate) async fn put_setting(
    txn: &crate::WriteTxn,
    key: &str,
    value: &str,
) -> Result<(), StoreError> {
    setting::Entity::insert(setting::ActiveModel {
        key: Set(key.into()),
        value: Set(value.into()),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::column(setting::Column::Key)
            .update_column(setting::Column::Value)
            .to_owned(),
    )
    .exec(txn)
    .await?;
    Ok(())
}
