//! Outreach: the directory of places, the mobile teams' consultations (a case can be
//! opened from one in the same transaction) and events with their participants.

mod events;
mod places;
pub mod seed;

pub use events::{NewEvent, NewEventRow};
pub use places::NewPlace;

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use time::OffsetDateTime;
use uuid::Uuid;
use zakrila_domain::case::NewCase;

use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    cases::Registered,
    entity::consultation,
    new_id, now_ms,
};

/// A consultation as the caller built it (already validated); `id`, `org_id`,
/// `created_*` are filled by the store.
#[derive(Debug, Clone)]
pub struct NewConsultation {
    pub place_id: String,
    pub held_on: String,
    pub team: String,
    pub beneficiary_code: String,
    pub sex: String,
    pub age_band: Option<String>,
    pub citizenship: Option<String>,
    pub languages: String,
    pub topics: String,
    pub interpreter_language: Option<String>,
    pub duration_min: Option<i32>,
    pub vulnerabilities: String,
    pub donations: String,
    pub medical_stotinki: Option<i64>,
}

/// Counts over an organisation's consultations in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConsultationCounts {
    pub consultations: u64,
    pub persons: u64,
}

impl Store {
    /// Records a consultation, audited; with `open_case`, registers a case for the
    /// beneficiary in the same transaction and links it.
    pub async fn record_consultation(
        &self,
        actor: Uuid,
        org_id: &str,
        c: NewConsultation,
        open_case: Option<(NewCase, OffsetDateTime)>,
    ) -> Result<(consultation::Model, Option<Registered>), StoreError> {
        let key_id = match open_case {
            Some(_) => Some(self.current_key_id().await?),
            None => None,
        };
        let txn = self.begin_write().await?;
        let registered = match (open_case, key_id) {
            (Some((new, now)), Some(key_id)) => Some(
                self.register_case_in(&txn, key_id, actor, org_id, new, now)
                    .await?,
            ),
            _ => None,
        };
        let id = new_id();
        let m = consultation::ActiveModel {
            id: Set(id.clone()),
            org_id: Set(org_id.to_owned()),
            place_id: Set(c.place_id),
            held_on: Set(c.held_on),
            team: Set(c.team),
            beneficiary_code: Set(c.beneficiary_code),
            sex: Set(c.sex),
            age_band: Set(c.age_band),
            citizenship: Set(c.citizenship),
            languages: Set(c.languages),
            topics: Set(c.topics),
            interpreter_language: Set(c.interpreter_language),
            duration_min: Set(c.duration_min),
            vulnerabilities: Set(c.vulnerabilities),
            donations: Set(c.donations),
            medical_stotinki: Set(c.medical_stotinki),
            case_id: Set(registered.as_ref().map(|r| r.case.id.clone())),
            created_by: Set(actor.to_string()),
            created_at: Set(now_ms()),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "consultation.record", "consultation")
                .id(&id)
                .change(serde_json::json!({
                    "place": m.place_id,
                    "case": m.case_id,
                })),
        )
        .await?;
        txn.commit().await?;
        Ok((m, registered))
    }

    /// Opens a case from a recorded consultation that has none yet.
    pub async fn open_case_from_consultation(
        &self,
        actor: Uuid,
        consultation_id: &str,
        new: NewCase,
        now: OffsetDateTime,
    ) -> Result<Registered, StoreError> {
        let key_id = self.current_key_id().await?;
        let txn = self.begin_write().await?;
        let c = crate::read::one_in(
            consultation::Entity::find_by_id(consultation_id.to_owned()),
            &txn,
        )
        .await?
        .ok_or(StoreError::NotFound)?;
        if c.case_id.is_some() {
            return Err(StoreError::Conflict("consultation already has a case"));
        }
        let r = self
            .register_case_in(&txn, key_id, actor, &c.org_id, new, now)
            .await?;
        let mut am: consultation::ActiveModel = c.into();
        am.case_id = Set(Some(r.case.id.clone()));
        am.update(&txn).await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "consultation.open_case", "consultation")
                .id(consultation_id)
                .change(serde_json::json!({"case": r.case.id})),
        )
        .await?;
        txn.commit().await?;
        Ok(r)
    }

    pub async fn consultation_by_id(
        &self,
        id: &str,
    ) -> Result<Option<consultation::Model>, StoreError> {
        Ok(self
            .read_one(consultation::Entity::find_by_id(id.to_owned()))
            .await?)
    }

    /// An organisation's consultations, newest first, at most `limit`.
    pub async fn consultations_of(
        &self,
        org_id: &str,
        limit: u64,
    ) -> Result<Vec<consultation::Model>, StoreError> {
        Ok(consultation::Entity::find()
            .filter(consultation::Column::OrgId.eq(org_id))
            .order_by_desc(consultation::Column::HeldOn)
            .order_by_desc(consultation::Column::CreatedAt)
            .limit(limit)
            .all(&self.reads)
            .await?)
    }

    /// Consultations of `org_id` held from `from` to `to` (inclusive, `YYYY-MM-DD`)
    /// and the distinct persons among them, by their code.
    pub async fn consultation_counts(
        &self,
        org_id: &str,
        from: &str,
        to: &str,
    ) -> Result<ConsultationCounts, StoreError> {
        let base = || {
            consultation::Entity::find()
                .filter(consultation::Column::OrgId.eq(org_id))
                .filter(consultation::Column::HeldOn.gte(from))
                .filter(consultation::Column::HeldOn.lte(to))
        };
        let consultations = base().count(&self.reads).await?;
        let persons = base()
            .select_only()
            .column(consultation::Column::BeneficiaryCode)
            .distinct()
            .count(&self.reads)
            .await?;
        Ok(ConsultationCounts {
            consultations,
            persons,
        })
    }
}
