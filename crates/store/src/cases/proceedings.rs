//! Criminal proceedings beside a case, and the offenders (described for statistics
//! only, never by name). Both are edited with optimistic concurrency.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;
use zakrila_domain::case::{
    ClaimAmount, CompensationClaim, CompensationDecision, CompensationOutcome, Euro, LegalStatus,
    Money, Offender, Proceedings, ProceedingsStage, ProtectionMeasure, WitnessStatus, parse_date,
};

use super::date_str;
use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::{case_offender, case_proceedings},
    free_text::COURT_CASE_NUMBER,
    new_id, now_ms,
};

/// The stored row as the domain value (unknown codes fall back to the most
/// cautious reading: an unknown stage counts as open).
pub fn proceedings_of_row(m: &case_proceedings::Model) -> Proceedings {
    let date = |s: &Option<String>| s.as_deref().and_then(|d| parse_date(d, "date").ok());
    let final_act_date = date(&m.final_act_date);
    let amount = match (m.compensation_cents, m.compensation_stotinki) {
        (Some(cents), _) => Some(ClaimAmount::Eur(Euro::from_cents(cents))),
        (None, Some(stotinki)) => Some(ClaimAmount::Bgn(Money::from_stotinki(stotinki))),
        _ => None,
    };
    let compensation = match (amount, date(&m.compensation_filed_on)) {
        (Some(amount), Some(filed)) => CompensationClaim::new(amount, filed, None).ok(),
        _ => None,
    };
    let decision = m
        .compensation_decision
        .as_deref()
        .and_then(|s| CompensationOutcome::parse(s).ok())
        .zip(date(&m.compensation_decided_on))
        .map(|(outcome, decided_on)| CompensationDecision {
            outcome,
            decided_on,
            awarded: m.compensation_awarded_cents.map(Euro::from_cents),
            paid: m.compensation_paid_cents.map(Euro::from_cents),
            paid_on: date(&m.compensation_paid_on),
        });
    Proceedings {
        stage: ProceedingsStage::parse(&m.stage).unwrap_or(ProceedingsStage::PreTrial),
        court: m.court.clone(),
        // Sealed in the vault: opened only by an audited read (`free_text.rs`).
        case_number: None,
        witness_status: WitnessStatus::parse(&m.witness_status)
            .unwrap_or(WitnessStatus::NotWitness),
        protection_measures: m
            .protection_measures
            .split(',')
            .filter_map(|s| ProtectionMeasure::parse(s).ok())
            .collect(),
        final_act_date,
        compensation,
        decision,
    }
}

fn fill(am: &mut case_proceedings::ActiveModel, p: &Proceedings) {
    am.stage = Set(p.stage.as_str().to_owned());
    am.court = Set(p.court.clone().filter(|s| !s.trim().is_empty()));
    am.witness_status = Set(p.witness_status.as_str().to_owned());
    am.protection_measures = Set(p
        .protection_measures
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(","));
    am.final_act_date = Set(p.final_act_date.map(date_str));
    // Each amount in the currency it was entered in.
    let amount = p.compensation.map(|c| c.amount());
    am.compensation_stotinki = Set(match amount {
        Some(ClaimAmount::Bgn(m)) => Some(m.stotinki()),
        _ => None,
    });
    am.compensation_cents = Set(match amount {
        Some(ClaimAmount::Eur(e)) => Some(e.cents()),
        _ => None,
    });
    am.compensation_filed_on = Set(p.compensation.map(|c| date_str(c.filed_on())));
    let d = p.decision;
    am.compensation_decision = Set(d.map(|d| d.outcome.as_str().to_owned()));
    am.compensation_decided_on = Set(d.map(|d| date_str(d.decided_on)));
    am.compensation_awarded_cents = Set(d.and_then(|d| d.awarded).map(Euro::cents));
    am.compensation_paid_cents = Set(d.and_then(|d| d.paid).map(Euro::cents));
    am.compensation_paid_on = Set(d.and_then(|d| d.paid_on).map(date_str));
}

/// The stored court case number: `p`'s sealed for row `id` when given ("" clears
/// it), else what is stored (`existing`).
fn case_number_of(
    store: &Store,
    key_id: u32,
    id: &str,
    p: &Proceedings,
    existing: Option<String>,
) -> Option<String> {
    match &p.case_number {
        Some(n) => store.seal_text(key_id, COURT_CASE_NUMBER, id, Some(n)),
        None => existing,
    }
}

fn summary(p: &Proceedings) -> serde_json::Value {
    serde_json::json!({
        "stage": p.stage.as_str(), "witness_status": p.witness_status.as_str(),
        "protection_measures": p.protection_measures.len(), "compensation_claimed": p.compensation.is_some(),
        "compensation_decision": p.decision.map(|d| d.outcome.as_str()), "compensation_paid": p.decision.is_some_and(|d| d.paid.is_some()),
    })
}

impl Store {
    pub async fn add_proceedings(
        &self,
        actor: Uuid,
        case_id: &str,
        p: &Proceedings,
    ) -> Result<case_proceedings::Model, StoreError> {
        let key_id = self.current_key_id().await?;
        let txn = self.begin_write().await?;
        let ms = now_ms();
        let id = new_id();
        let mut am = case_proceedings::ActiveModel {
            case_number: Set(case_number_of(self, key_id, &id, p, None)),
            id: Set(id),
            case_id: Set(case_id.to_owned()),
            version: Set(1),
            created_by: Set(actor.to_string()),
            created_at: Set(ms),
            updated_at: Set(ms),
            ..Default::default()
        };
        fill(&mut am, p);
        let m = am.insert(&txn).await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.proceedings_add", "case")
                .id(case_id)
                .change(serde_json::json!({"proceedings": m.id, "record": summary(p)})),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Updates proceedings of the case read at `expected_version`.
    pub async fn update_proceedings(
        &self,
        actor: Uuid,
        case_id: &str,
        id: &str,
        expected_version: i32,
        p: &Proceedings,
    ) -> Result<case_proceedings::Model, StoreError> {
        let key_id = self.current_key_id().await?;
        let txn = self.begin_write().await?;
        let e = crate::read::one_in(case_proceedings::Entity::find_by_id(id.to_owned()), &txn)
            .await?
            .filter(|e| e.case_id == case_id)
            .ok_or(StoreError::NotFound)?;
        let mut am: case_proceedings::ActiveModel = e.clone().into();
        fill(&mut am, p);
        am.case_number = Set(case_number_of(self, key_id, id, p, e.case_number.clone()));
        am.version = Set(expected_version + 1);
        am.updated_at = Set(now_ms());
        let res = case_proceedings::Entity::update_many()
            .set(am)
            .filter(case_proceedings::Column::Id.eq(id))
            .filter(case_proceedings::Column::Version.eq(expected_version))
            .exec(&txn)
            .await?;
        if res.rows_affected == 0 {
            return Err(StoreError::Conflict("stale"));
        }
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.proceedings_update", "case")
                .id(case_id)
                .change(serde_json::json!({"proceedings": id, "record": summary(p)})),
        )
        .await?;
        let m = crate::read::one_in(case_proceedings::Entity::find_by_id(id.to_owned()), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        txn.commit().await?;
        Ok(m)
    }

    pub async fn proceedings_of_case(
        &self,
        case_id: &str,
    ) -> Result<Vec<case_proceedings::Model>, StoreError> {
        Ok(case_proceedings::Entity::find()
            .filter(case_proceedings::Column::CaseId.eq(case_id))
            .order_by_asc(case_proceedings::Column::CreatedAt)
            .order_by_asc(case_proceedings::Column::Id)
            .all(&self.reads)
            .await?)
    }

    pub async fn add_offender(
        &self,
        actor: Uuid,
        case_id: &str,
        o: &Offender,
    ) -> Result<case_offender::Model, StoreError> {
        let txn = self.begin_write().await?;
        let ms = now_ms();
        let m = case_offender::ActiveModel {
            id: Set(new_id()),
            case_id: Set(case_id.to_owned()),
            sex: Set(o.sex.as_str().to_owned()),
            age_band: Set(o.age_band.map(|a| a.as_str().to_owned())),
            citizenship: Set(o.citizenship.map(|c| c.code().to_owned())),
            role: Set(o.role.as_str().to_owned()),
            legal_status: Set(o.legal_status.as_str().to_owned()),
            version: Set(1),
            created_by: Set(actor.to_string()),
            created_at: Set(ms),
            updated_at: Set(ms),
        }
        .insert(&txn)
        .await?;
        audit::append(&txn, AuditEntry::new(Some(actor), "case.offender_add", "case").id(case_id).change(serde_json::json!({"offender": m.id, "role": m.role, "legal_status": m.legal_status}))).await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Moves an offender's legal status (suspected → prosecuted → convicted, or back
    /// when a charge is dropped), on the version read.
    pub async fn set_offender_status(
        &self,
        actor: Uuid,
        case_id: &str,
        id: &str,
        expected_version: i32,
        status: LegalStatus,
    ) -> Result<case_offender::Model, StoreError> {
        let txn = self.begin_write().await?;
        let e = crate::read::one_in(case_offender::Entity::find_by_id(id.to_owned()), &txn)
            .await?
            .filter(|e| e.case_id == case_id)
            .ok_or(StoreError::NotFound)?;
        super::set_versioned::<case_offender::Entity, _>(
            &txn,
            super::VersionedColumns {
                id: case_offender::Column::Id,
                version: case_offender::Column::Version,
                updated_at: case_offender::Column::UpdatedAt,
                value: case_offender::Column::LegalStatus,
            },
            &e.id,
            expected_version,
            status.as_str(),
        )
        .await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.offender_status", "case")
                .id(case_id)
                .change(serde_json::json!({"offender": e.id, "legal_status": status.as_str()})),
        )
        .await?;
        let m = crate::read::one_in(case_offender::Entity::find_by_id(e.id), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        txn.commit().await?;
        Ok(m)
    }

    pub async fn offenders_of_case(
        &self,
        case_id: &str,
    ) -> Result<Vec<case_offender::Model>, StoreError> {
        Ok(case_offender::Entity::find()
            .filter(case_offender::Column::CaseId.eq(case_id))
            .order_by_asc(case_offender::Column::CreatedAt)
            .order_by_asc(case_offender::Column::Id)
            .all(&self.reads)
            .await?)
    }
}
