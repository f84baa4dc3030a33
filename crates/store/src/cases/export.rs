//! Reading identities in bulk, for exports and the subject-access report. Each case
//! read is recorded in the audit trail, in one transaction with the others.

use sea_orm::EntityTrait;
use uuid::Uuid;

use super::{IdentityPlain, person_ref};
use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::{case, person},
};

impl Store {
    /// Decrypts the identities of `cases` (in order) and records one audited read per
    /// case with `purpose`.
    pub async fn read_identities(
        &self,
        actor: Uuid,
        cases: &[case::Model],
        purpose: &str,
    ) -> Result<Vec<IdentityPlain>, StoreError> {
        let txn = self.begin_write().await?;
        let mut out = Vec::with_capacity(cases.len());
        for c in cases {
            let p = crate::read::one_in(person::Entity::find_by_id(c.person_id.clone()), &txn)
                .await?
                .ok_or(StoreError::NotFound)?;
            let dec =
                |col: &'static str, v: &Option<String>| -> Result<Option<String>, StoreError> {
                    v.as_ref()
                        .map(|v| self.vault.decrypt(person_ref(&p.id, col), v))
                        .transpose()
                        .map_err(Into::into)
                };
            out.push(IdentityPlain {
                given_name: dec("given_name", &p.given_name)?,
                family_name: dec("family_name", &p.family_name)?,
                birth_date: dec("birth_date", &p.birth_date)?,
                personal_number: dec("personal_number", &p.personal_number)?,
                phone: dec("phone", &p.phone)?,
            });
            audit::append(
                &txn,
                AuditEntry::new(Some(actor), "case.identity_read", "case")
                    .id(&c.id)
                    .change(serde_json::json!({"purpose": purpose})),
            )
            .await?;
        }
        txn.commit().await?;
        Ok(out)
    }
}
