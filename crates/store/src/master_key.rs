//! Rotating the master key itself: `zakrila keys rotate --new-master-key-file F`.
//!
//! A new key id is bound to the new master key and made current first, so every
//! server writes under the new key from its next write on (a server finds the new
//! key in `master.key.next` in its data directory). Then every value of
//! [`crate::keys::ENCRYPTED_COLUMNS`] is re-encrypted in batches, each its own write
//! transaction, while servers keep reading: a value decrypts under whichever of the
//! two keys it is under. The rotation is recorded (`vault.rotation`), so running the
//! command again with the same key file resumes an interrupted walk. When it ends no
//! value is under the old key any more.
//!
//! Derived keys (name-index keys, the audit chain's HMAC key, the linkage secret)
//! stay the same: the database keeps them sealed under the current master key
//! (`vault.derived`), resealed under the new one when the rotation starts. So
//! search tokens keep matching and the audit chain keeps verifying across the
//! rotation, and a server given only the old key refuses to start. Someone who
//! holds the old key can still compute search tokens and chain MACs; the values
//! themselves they can no longer read.

use std::{collections::HashMap, ops::ControlFlow};

use sea_orm::{DatabaseConnection, EntityTrait};

use crate::{
    Store, StoreError, WriteTxn,
    audit::{self, AuditEntry},
    entity::setting,
    keys::{CURRENT_KEY, put_setting},
    vault::{FieldRef, MasterKey, Vault, VaultError},
};

/// The derived keys, sealed under the current master key.
const DERIVED: &str = "vault.derived";
/// `<key id>:<fingerprint>` of a master-key rotation under way.
const ROTATION: &str = "vault.rotation";

fn derived_ref() -> FieldRef<'static> {
    FieldRef {
        table: "settings",
        column: "value",
        row_id: DERIVED,
    }
}

/// At open: uses the derived keys the database keeps, if it keeps them (before the
/// first migration there is no settings table: nothing to read).
pub(crate) async fn open_derived(
    db: &DatabaseConnection,
    vault: &mut Vault,
) -> Result<(), StoreError> {
    let Ok(Some(row)) =
        crate::read::one_in(setting::Entity::find_by_id(DERIVED.to_owned()), db).await
    else {
        return Ok(());
    };
    let json = vault
        .decrypt(derived_ref(), &row.value)
        .map_err(|_| VaultError::NotThisDatabase(vault.fingerprint()))?;
    let keys: HashMap<String, String> =
        serde_json::from_str(&json).map_err(|_| VaultError::Malformed)?;
    vault.install_derived(&keys)?;
    Ok(())
}

impl Store {
    /// Seals the derived keys in the database the first time (from the master key
    /// the deployment started with).
    pub(crate) async fn seal_derived_if_missing(&self) -> Result<(), StoreError> {
        if crate::read::one_in(
            setting::Entity::find_by_id(DERIVED.to_owned()),
            &self.writer,
        )
        .await?
        .is_some()
        {
            return Ok(());
        }
        let key_id = self.current_key_id().await?;
        let txn = self.begin_write().await?;
        self.reseal_derived(&txn, key_id).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Writes the derived keys sealed under `key_id`.
    pub(crate) async fn reseal_derived(
        &self,
        txn: &WriteTxn,
        key_id: u32,
    ) -> Result<(), StoreError> {
        let json =
            serde_json::to_string(&self.vault.derived_keys()).expect("a map of strings serialises");
        put_setting(
            txn,
            DERIVED,
            &self.vault.encrypt(key_id, derived_ref(), &json),
        )
        .await
    }

    /// The key id and fingerprint of a master-key rotation under way.
    pub async fn master_rotation(&self) -> Result<Option<(u32, String)>, StoreError> {
        let row = self
            .read_one(setting::Entity::find_by_id(ROTATION.to_owned()))
            .await?;
        Ok(row.and_then(|r| {
            let (id, fp) = r.value.split_once(':')?;
            Some((id.parse().ok()?, fp.to_owned()))
        }))
    }

    /// Re-encrypts everything under `new` (starting, or resuming the rotation to the
    /// same key). `progress` sees the running count after each batch and may stop the
    /// walk: `Ok(None)` then, and running it again resumes. Returns the new key id
    /// and how many values this run re-encrypted.
    pub async fn rotate_master(
        &self,
        new: MasterKey,
        progress: impl FnMut(u64) -> ControlFlow<()>,
    ) -> Result<Option<(u32, u64)>, StoreError> {
        let fp = new.fingerprint();
        let key_id = match self.master_rotation().await? {
            Some((id, under_way)) if under_way == fp => {
                self.vault.add_master(new);
                self.vault.bind(id, &fp)?;
                id
            }
            Some(_) => {
                return Err(StoreError::Conflict(
                    "a rotation to another master key is under way: finish it with that key file",
                ));
            }
            None => {
                if fp == self.vault.fingerprint() {
                    return Err(StoreError::Conflict("that is already the master key"));
                }
                let id = self.current_key_id().await? + 1;
                self.vault.add_master(new);
                self.vault.bind(id, &fp)?;
                let txn = self.begin_write().await?;
                let value = format!("{id}:{fp}");
                put_setting(&txn, ROTATION, &value).await?;
                put_setting(&txn, CURRENT_KEY, &value).await?;
                self.reseal_derived(&txn, id).await?;
                audit::append(
                    &txn,
                    AuditEntry::new(None, "keys.rotate", "vault")
                        .change(serde_json::json!({"key_id": id, "master": fp})),
                )
                .await?;
                txn.commit().await?;
                id
            }
        };
        let Some(done) = self.re_encrypt_all(key_id, progress).await? else {
            return Ok(None);
        };
        let txn = self.begin_write().await?;
        setting::Entity::delete_by_id(ROTATION.to_owned())
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(Some((key_id, done)))
    }
}
