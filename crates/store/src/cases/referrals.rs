//! Referrals between organisations. Access follows the referral: the receiving
//! organisation sees the case only while an accepted referral stands.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use time::OffsetDateTime;
use uuid::Uuid;
use zakrila_domain::{
    DomainError,
    case::{ConsentKind, ReferralAction, ReferralStatus, require_consent},
};

use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::referral,
    free_text::{CONSENT_OVERRIDE, REFERRAL_NOTE, REFERRAL_PURPOSE},
    new_id, now_ms,
};

#[derive(Debug, Clone)]
pub struct NewReferral {
    pub case_id: String,
    pub from_org: String,
    pub to_org: String,
    pub purpose: String,
    pub service_code: Option<String>,
    pub note: String,
    /// Proceed without the person's referral consent, for this written reason.
    /// The policy decides who may; the audit trail records it.
    pub consent_override: Option<String>,
}

impl Store {
    pub async fn create_referral(
        &self,
        actor: Uuid,
        r: NewReferral,
        now: OffsetDateTime,
    ) -> Result<referral::Model, StoreError> {
        if r.from_org == r.to_org {
            return Err(DomainError::field("to_org", "error-referral-same-org").into());
        }
        if r.purpose.trim().is_empty() {
            return Err(DomainError::field("purpose", "error-referral-purpose").into());
        }
        let consents = self.consents(&r.case_id).await?;
        let override_reason = r
            .consent_override
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if override_reason.is_none() {
            require_consent(&consents, ConsentKind::Referral, now)?;
        }
        let key_id = self.current_key_id().await?;
        let txn = self.begin_write().await?;
        let ms = now_ms();
        let id = new_id();
        let seal = |col, v: Option<&str>| self.seal_text(key_id, col, &id, v);
        let m = referral::ActiveModel {
            id: Set(id.clone()),
            case_id: Set(r.case_id.clone()),
            from_org: Set(r.from_org),
            to_org: Set(r.to_org.clone()),
            purpose: Set(seal(REFERRAL_PURPOSE, Some(r.purpose.as_str())).unwrap_or_default()),
            service_code: Set(r.service_code),
            note: Set(seal(REFERRAL_NOTE, Some(r.note.as_str())).unwrap_or_default()),
            status: Set(ReferralStatus::Pending.as_str().to_owned()),
            decline_reason: Set(None),
            consent_override: Set(seal(CONSENT_OVERRIDE, override_reason)),
            created_by: Set(actor.to_string()),
            created_at: Set(ms),
            updated_at: Set(ms),
            responded_by: Set(None),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEntry::new(
                Some(actor),
                if override_reason.is_some() {
                    "referral.create_consent_override"
                } else {
                    "referral.create"
                },
                "referral",
            )
            .id(&id)
            .change(serde_json::json!({"case": r.case_id, "to": r.to_org})),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    pub async fn referral_by_id(&self, id: &str) -> Result<Option<referral::Model>, StoreError> {
        Ok(self
            .read_one(referral::Entity::find_by_id(id.to_owned()))
            .await?)
    }

    /// Applies an action (accept, decline, complete, revoke) if the status machine
    /// allows it.
    pub async fn act_on_referral(
        &self,
        actor: Uuid,
        id: &str,
        action: ReferralAction,
    ) -> Result<referral::Model, StoreError> {
        let txn = self.begin_write().await?;
        let r = crate::read::one_in(referral::Entity::find_by_id(id.to_owned()), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let status = ReferralStatus::parse(&r.status)?;
        let next = status.apply(action)?;
        // Only the status we read may be replaced: a concurrent response loses.
        let res = referral::Entity::update_many()
            .col_expr(
                referral::Column::Status,
                sea_orm::sea_query::Expr::value(next.as_str()),
            )
            .col_expr(
                referral::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(now_ms()),
            )
            .col_expr(
                referral::Column::RespondedBy,
                sea_orm::sea_query::Expr::value(actor.to_string()),
            )
            .col_expr(
                referral::Column::DeclineReason,
                sea_orm::sea_query::Expr::value(match action {
                    ReferralAction::Decline(reason) => Some(reason.as_str().to_owned()),
                    _ => r.decline_reason.clone(),
                }),
            )
            .filter(referral::Column::Id.eq(id))
            .filter(referral::Column::Status.eq(status.as_str()))
            .exec(&txn)
            .await?;
        if res.rows_affected == 0 {
            return Err(StoreError::Conflict("stale"));
        }
        // Access follows the referral: the receiver's caseload gains or loses the case.
        super::caseload::sync_referral(&txn, &r.case_id, &r.to_org).await?;
        audit::append(&txn, AuditEntry::new(Some(actor), "referral.status", "referral").id(id).change(serde_json::json!({"case": r.case_id, "from": status.as_str(), "to": next.as_str()}))).await?;
        let updated = crate::read::one_in(referral::Entity::find_by_id(id.to_owned()), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        txn.commit().await?;
        Ok(updated)
    }

    pub async fn referrals_of_case(
        &self,
        case_id: &str,
    ) -> Result<Vec<referral::Model>, StoreError> {
        Ok(referral::Entity::find()
            .filter(referral::Column::CaseId.eq(case_id))
            .order_by_asc(referral::Column::CreatedAt)
            .all(&self.reads)
            .await?)
    }

    /// Referrals addressed to an organisation, newest first; pending ones are its inbox.
    pub async fn referrals_to(
        &self,
        org_id: &str,
        status: Option<ReferralStatus>,
    ) -> Result<Vec<referral::Model>, StoreError> {
        let mut q = referral::Entity::find().filter(referral::Column::ToOrg.eq(org_id));
        if let Some(s) = status {
            q = q.filter(referral::Column::Status.eq(s.as_str()));
        }
        Ok(q.order_by_desc(referral::Column::CreatedAt)
            .all(&self.reads)
            .await?)
    }

    /// One page of the referrals addressed to an organisation, newest first, and how
    /// many there are in all: an inbox shows a page, never the whole history.
    pub async fn referrals_to_page(
        &self,
        org_id: &str,
        status: Option<ReferralStatus>,
        page: u64,
        per_page: u64,
    ) -> Result<(Vec<referral::Model>, u64), StoreError> {
        use sea_orm::{PaginatorTrait, QuerySelect};
        let mut q = referral::Entity::find().filter(referral::Column::ToOrg.eq(org_id));
        if let Some(s) = status {
            q = q.filter(referral::Column::Status.eq(s.as_str()));
        }
        let total = q.clone().count(&self.reads).await?;
        let items = q
            .order_by_desc(referral::Column::CreatedAt)
            .offset(crate::read::page_offset(page, per_page))
            .limit(per_page)
            .all(&self.reads)
            .await?;
        Ok((items, total))
    }

    /// One page of the referrals an organisation sent, newest first, and how many
    /// there are in all.
    pub async fn referrals_from_page(
        &self,
        org_id: &str,
        page: u64,
        per_page: u64,
    ) -> Result<(Vec<referral::Model>, u64), StoreError> {
        use sea_orm::{PaginatorTrait, QuerySelect};
        let q = referral::Entity::find().filter(referral::Column::FromOrg.eq(org_id));
        let total = q.clone().count(&self.reads).await?;
        let items = q
            .order_by_desc(referral::Column::CreatedAt)
            .offset(crate::read::page_offset(page, per_page))
            .limit(per_page)
            .all(&self.reads)
            .await?;
        Ok((items, total))
    }
}
