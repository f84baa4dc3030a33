//! Referrals to and from counterparts abroad, recorded on the case. The contact
//! may name a person, so it is kept in the vault and every read of it is audited
//! like an identity read.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use time::Date;
use uuid::Uuid;
use zakrila_domain::abroad::{AbroadStatus, CounterpartKind, Direction};
use zakrila_domain::case::Country;

use crate::{
    Store, StoreError,
    accommodation::date_str,
    audit::{self, AuditEntry},
    entity::referral_abroad,
    new_id, now_ms,
    vault::FieldRef,
};

/// A referral abroad to record, already validated.
#[derive(Debug, Clone)]
pub struct NewReferralAbroad {
    pub direction: Direction,
    pub country: Country,
    pub kind: CounterpartKind,
    pub counterpart: String,
    pub contact: Option<String>,
    pub referred_on: Date,
}

fn contact_ref(id: &str) -> FieldRef<'_> {
    FieldRef {
        table: "referrals_abroad",
        column: "contact",
        row_id: id,
    }
}

impl Store {
    /// Records a referral abroad with status "sent", audited.
    pub async fn refer_abroad(
        &self,
        actor: Uuid,
        org_id: &str,
        case_id: &str,
        r: NewReferralAbroad,
    ) -> Result<referral_abroad::Model, StoreError> {
        let key_id = self.current_key_id().await?;
        let txn = self.begin_write().await?;
        let id = new_id();
        let ms = now_ms();
        let contact = r
            .contact
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| self.vault.encrypt(key_id, contact_ref(&id), c));
        let m = referral_abroad::ActiveModel {
            id: Set(id.clone()),
            case_id: Set(case_id.to_owned()),
            org_id: Set(org_id.to_owned()),
            direction: Set(r.direction.as_str().to_owned()),
            country: Set(r.country.code().to_owned()),
            kind: Set(r.kind.as_str().to_owned()),
            counterpart: Set(r.counterpart),
            contact: Set(contact),
            status: Set(AbroadStatus::Sent.as_str().to_owned()),
            referred_on: Set(date_str(r.referred_on)),
            version: Set(1),
            created_by: Set(actor.to_string()),
            created_at: Set(ms),
            updated_at: Set(ms),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.referral_abroad", "case")
                .id(case_id)
                .change(serde_json::json!({
                    "referral": m.id, "direction": m.direction, "country": m.country,
                    "kind": m.kind, "contact_recorded": m.contact.is_some(),
                })),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Moves a referral abroad of the case to `status` (optimistic: the version read).
    pub async fn set_abroad_status(
        &self,
        actor: Uuid,
        case_id: &str,
        id: &str,
        version: i32,
        status: AbroadStatus,
    ) -> Result<referral_abroad::Model, StoreError> {
        let txn = self.begin_write().await?;
        let m = crate::read::one_in(
            referral_abroad::Entity::find_by_id(id.to_owned())
                .filter(referral_abroad::Column::CaseId.eq(case_id)),
            &txn,
        )
        .await?
        .ok_or(StoreError::NotFound)?;
        if m.version != version {
            return Err(StoreError::Conflict("stale"));
        }
        let from = AbroadStatus::parse(&m.status)?;
        let to = from.move_to(status)?;
        let mut am: referral_abroad::ActiveModel = m.into();
        am.status = Set(to.as_str().to_owned());
        am.version = Set(version + 1);
        am.updated_at = Set(now_ms());
        let m = am.update(&txn).await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.referral_abroad_status", "case")
                .id(case_id)
                .change(serde_json::json!({
                    "referral": m.id, "from": from.as_str(), "to": m.status,
                })),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// A case's referrals abroad, newest first.
    pub async fn referrals_abroad_of(
        &self,
        case_id: &str,
    ) -> Result<Vec<referral_abroad::Model>, StoreError> {
        Ok(referral_abroad::Entity::find()
            .filter(referral_abroad::Column::CaseId.eq(case_id))
            .order_by_desc(referral_abroad::Column::ReferredOn)
            .order_by_desc(referral_abroad::Column::Id)
            .all(&self.reads)
            .await?)
    }

    /// Decrypts the contacts of the case's referrals abroad and records the read,
    /// like any identity read: (referral id, contact).
    pub async fn read_abroad_contacts(
        &self,
        actor: Uuid,
        case_id: &str,
        rows: &[referral_abroad::Model],
        purpose: &str,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let mut out = Vec::new();
        for r in rows.iter().filter(|r| r.case_id == case_id) {
            if let Some(c) = &r.contact {
                out.push((r.id.clone(), self.vault.decrypt(contact_ref(&r.id), c)?));
            }
        }
        if !out.is_empty() {
            self.record(
                AuditEntry::new(Some(actor), "case.identity_read", "case")
                    .id(case_id)
                    .change(serde_json::json!({"purpose": purpose, "fields": ["abroad_contact"]})),
            )
            .await?;
        }
        Ok(out)
    }

    /// Every referral abroad as (referred_on, direction, country, kind, status):
    /// what the statistics count; no case, no contact.
    pub async fn referrals_abroad_counted(
        &self,
    ) -> Result<Vec<(String, String, String, String, String)>, StoreError> {
        Ok(referral_abroad::Entity::find()
            .select_only()
            .column(referral_abroad::Column::ReferredOn)
            .column(referral_abroad::Column::Direction)
            .column(referral_abroad::Column::Country)
            .column(referral_abroad::Column::Kind)
            .column(referral_abroad::Column::Status)
            .into_tuple()
            .all(&self.reads)
            .await?)
    }
}
