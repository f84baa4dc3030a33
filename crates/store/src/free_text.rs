//! Free text written about a person's case — a referral's purpose, note and consent
//! override reason, a court case number, the place a person returns from, a
//! reintegration goal, a follow-up note. Any of it may name or single out the
//! person, so it is kept in the vault like the identity and opened only by a read
//! that is recorded as an identity read of the case.
//!
//! The columns are listed in `keys::FREE_TEXT_COLUMNS` (part of the one registry,
//! `keys::ENCRYPTED_COLUMNS`). Rows written before they were encrypted are sealed by
//! [`Store::seal_plaintext`] at the first start after the upgrade.

use std::collections::BTreeMap;

use sea_orm::{
    ConnectionTrait, EntityTrait,
    sea_query::{Expr, ExprTrait, Order, Query},
};
use uuid::Uuid;

use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::setting,
    keys::FREE_TEXT_COLUMNS,
    vault::{FieldRef, Vault},
};

/// One encrypted free-text column, with the name its reads are recorded under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextColumn {
    pub table: &'static str,
    pub column: &'static str,
    /// The field name in the identity read's audit record.
    pub field: &'static str,
}

pub const REFERRAL_PURPOSE: TextColumn = TextColumn {
    table: "referrals",
    column: "purpose",
    field: "referral_purpose",
};
pub const REFERRAL_NOTE: TextColumn = TextColumn {
    table: "referrals",
    column: "note",
    field: "referral_note",
};
pub const CONSENT_OVERRIDE: TextColumn = TextColumn {
    table: "referrals",
    column: "consent_override",
    field: "consent_override_reason",
};
pub const COURT_CASE_NUMBER: TextColumn = TextColumn {
    table: "case_proceedings",
    column: "case_number",
    field: "court_case_number",
};
pub const RETURN_FROM_CITY: TextColumn = TextColumn {
    table: "case_returns",
    column: "from_city",
    field: "return_from_city",
};
pub const GOAL: TextColumn = TextColumn {
    table: "reintegration_goals",
    column: "goal",
    field: "reintegration_goal",
};
pub const FOLLOW_UP_NOTE: TextColumn = TextColumn {
    table: "follow_ups",
    column: "note",
    field: "follow_up_note",
};

impl TextColumn {
    pub(crate) fn at<'a>(&self, row_id: &'a str) -> FieldRef<'a> {
        FieldRef {
            table: self.table,
            column: self.column,
            row_id,
        }
    }
}

/// The settings row m0065 leaves for the first start: rows may hold plaintext.
pub(crate) const SEAL_PENDING: &str = "vault.free_text_unsealed";

/// Whether a stored value has the vault's form (`k<id>:<base64>` of a nonce and a
/// tag at least): what the upgrade step leaves alone.
fn looks_sealed(v: &str) -> bool {
    use base64::{Engine, engine::general_purpose::STANDARD_NO_PAD as B64};
    let Ok(id) = Vault::key_id_of(v) else {
        return false;
    };
    let body = &v[format!("k{id}:").len()..];
    B64.decode(body).is_ok_and(|b| b.len() >= 24 + 16)
}

impl Store {
    /// The stored form of `value` for row `row_id` of `col`: `None` for nothing
    /// written (absent, or only blanks).
    pub(crate) fn seal_text(
        &self,
        key_id: u32,
        col: TextColumn,
        row_id: &str,
        value: Option<&str>,
    ) -> Option<String> {
        let v = value.map(str::trim).filter(|v| !v.is_empty())?;
        Some(self.vault.encrypt(key_id, col.at(row_id), v))
    }

    /// A reader that opens free text and records what it opened.
    pub fn text_reader(&self) -> TextReader<'_> {
        TextReader {
            store: self,
            opened: BTreeMap::new(),
        }
    }

    /// Encrypts every value of the free-text columns still stored in clear (rows
    /// written before they were encrypted), 200 rows to a transaction. Runs at
    /// start-up while m0065's marker stands and removes it when done; a value
    /// already in the vault's form is left alone, so running it again changes
    /// nothing.
    pub async fn seal_plaintext(&self) -> Result<u64, StoreError> {
        let pending = self
            .read_one(setting::Entity::find_by_id(SEAL_PENDING.to_owned()))
            .await?;
        if pending.is_none() {
            return Ok(0);
        }
        let key_id = self.current_key_id().await?;
        let mut sealed = 0u64;
        for (table, id_col, col) in &FREE_TEXT_COLUMNS {
            let mut after = String::new();
            loop {
                let select = Query::select()
                    .columns([*id_col, *col])
                    .from(*table)
                    .and_where(Expr::col(*col).is_not_null())
                    .and_where(Expr::col(*col).ne(""))
                    .and_where(Expr::col(*id_col).gt(after.clone()))
                    .order_by(*id_col, Order::Asc)
                    .limit(200)
                    .to_owned();
                let rows = self.writer.query_all(&select).await?;
                let Some(last) = rows.last() else { break };
                after = last.try_get("", id_col)?;
                let txn = self.begin_write().await?;
                for row in rows {
                    let id: String = row.try_get("", id_col)?;
                    let old: String = row.try_get("", col)?;
                    if looks_sealed(&old) {
                        continue;
                    }
                    let at = FieldRef {
                        table,
                        column: col,
                        row_id: &id,
                    };
                    let update = Query::update()
                        .table(*table)
                        .value(*col, self.vault.encrypt(key_id, at, &old))
                        .and_where(Expr::col(*id_col).eq(id.as_str()))
                        .and_where(Expr::col(*col).eq(old.as_str()))
                        .to_owned();
                    txn.execute(&update).await?;
                    sealed += 1;
                }
                txn.commit().await?;
            }
        }
        let txn = self.begin_write().await?;
        setting::Entity::delete_by_id(SEAL_PENDING.to_owned())
            .exec(&txn)
            .await?;
        audit::append(
            &txn,
            AuditEntry::new(None, "keys.seal_free_text", "vault")
                .change(serde_json::json!({"sealed": sealed})),
        )
        .await?;
        txn.commit().await?;
        Ok(sealed)
    }

    /// Marks the free-text columns as possibly holding plaintext, as m0065 does: for
    /// the test of the upgrade step.
    #[cfg(feature = "testing")]
    pub async fn mark_plaintext_pending(&self) -> Result<(), StoreError> {
        use sea_orm::ActiveValue::Set;
        let txn = self.begin_write().await?;
        setting::Entity::insert(setting::ActiveModel {
            key: Set(SEAL_PENDING.into()),
            value: Set("1".into()),
        })
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(setting::Column::Key)
                .update_column(setting::Column::Value)
                .to_owned(),
        )
        .exec(&txn)
        .await?;
        txn.commit().await?;
        Ok(())
    }
}

/// Opens free text for one reader; [`TextReader::record`] then records one identity
/// read per case it opened something of, naming the fields. Nothing opened is
/// shown before that record is committed: the caller awaits it before answering.
pub struct TextReader<'s> {
    store: &'s Store,
    /// Case id → the fields opened of it.
    opened: BTreeMap<String, Vec<&'static str>>,
}

impl TextReader<'_> {
    /// The plaintext of a stored value of row `row_id` of `col` in case `case_id`;
    /// `None` when nothing is stored (absent, or blank after an erasure).
    pub fn open(
        &mut self,
        case_id: &str,
        col: TextColumn,
        row_id: &str,
        stored: Option<&str>,
    ) -> Result<Option<String>, StoreError> {
        let Some(s) = stored.filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        let plain = self.store.vault.decrypt(col.at(row_id), s)?;
        let fields = self.opened.entry(case_id.to_owned()).or_default();
        if !fields.contains(&col.field) {
            fields.push(col.field);
        }
        Ok(Some(plain))
    }

    /// Records the reads: one `case.identity_read` per case, with `purpose` and the
    /// fields opened; nothing when nothing was opened.
    pub async fn record(self, actor: Uuid, purpose: &str) -> Result<(), StoreError> {
        let entries: Vec<AuditEntry<'static>> = self
            .opened
            .into_iter()
            .map(|(case_id, fields)| {
                AuditEntry::new(Some(actor), "case.identity_read", "case")
                    .id(case_id)
                    .change(serde_json::json!({"purpose": purpose, "fields": fields}))
            })
            .collect();
        match entries.len() {
            0 => Ok(()),
            1 => {
                let e = entries.into_iter().next().expect("one entry");
                self.store.record(e).await.map(|_| ())
            }
            _ => {
                let txn = self.store.begin_write().await?;
                audit::append_many(&txn, entries).await?;
                txn.commit().await?;
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_vaults_form_counts_as_sealed() {
        let v = Vault::from_bytes([3; 32]);
        let ct = v.encrypt(
            1,
            FieldRef {
                table: "t",
                column: "c",
                row_id: "r",
            },
            "Мюнхен",
        );
        assert!(looks_sealed(&ct));
        for plain in ["Мюнхен", "k1:abc", "kids: two", "k12:", "НОХД 1234/2024"] {
            assert!(!looks_sealed(plain), "{plain}");
        }
    }
}
