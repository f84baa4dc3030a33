//! What a child's case adds: the guardian (identifying, so encrypted in the vault),
//! the coordination mechanism with the State Agency for Child Protection, and
//! proposals under Art. 76a of the Personal Documents Act.

use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait},
};
use time::Date;
use uuid::Uuid;
use zakrila_domain::case::ProposalStatus;

use super::date_str;
use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::{case, case_child, child_proposal},
    new_id, now_ms,
    vault::FieldRef,
};

#[derive(Debug, Clone)]
pub struct ChildRecord {
    /// `None` keeps the stored guardian; `Some("")` clears it. Forms only send it
    /// when the person typing it means to change it, since it is never shown
    /// without an audited identity read.
    pub guardian: Option<String>,
    pub mechanism_engaged: bool,
    pub mechanism_date: Option<Date>,
}

fn guardian_ref(id: &str) -> FieldRef<'_> {
    FieldRef {
        table: "case_children",
        column: "guardian",
        row_id: id,
    }
}

impl Store {
    /// Creates or updates the child record (optimistic: `expected_version` must be
    /// the version read when one exists). Engaging the coordination mechanism also
    /// marks the case, which the stage machine checks before a child's return.
    pub async fn save_child(
        &self,
        actor: Uuid,
        case_id: &str,
        expected_version: Option<i32>,
        r: ChildRecord,
    ) -> Result<case_child::Model, StoreError> {
        let key_id = self.current_key_id().await?;
        let txn = self.begin_write().await?;
        let existing = crate::read::one_in(
            case_child::Entity::find().filter(case_child::Column::CaseId.eq(case_id)),
            &txn,
        )
        .await?;
        let ms = now_ms();
        let id = existing
            .as_ref()
            .map(|e| e.id.clone())
            .unwrap_or_else(new_id);
        let guardian = match r.guardian.as_deref().map(str::trim) {
            None => existing.as_ref().and_then(|e| e.guardian.clone()),
            Some("") => None,
            Some(g) => Some(self.vault.encrypt(key_id, guardian_ref(&id), g)),
        };
        let fields = |am: &mut case_child::ActiveModel| {
            am.guardian = Set(guardian.clone());
            am.mechanism_engaged = Set(r.mechanism_engaged);
            am.mechanism_date = Set(r.mechanism_date.map(date_str));
            am.updated_at = Set(ms);
        };
        let m = match existing {
            Some(e) => {
                if Some(e.version) != expected_version {
                    return Err(StoreError::Conflict("stale"));
                }
                let mut am: case_child::ActiveModel = e.clone().into();
                fields(&mut am);
                am.version = Set(e.version + 1);
                let res = case_child::Entity::update_many()
                    .set(am)
                    .filter(case_child::Column::Id.eq(id.clone()))
                    .filter(case_child::Column::Version.eq(e.version))
                    .exec(&txn)
                    .await?;
                if res.rows_affected == 0 {
                    return Err(StoreError::Conflict("stale"));
                }
                crate::read::one_in(case_child::Entity::find_by_id(id), &txn)
                    .await?
                    .ok_or(StoreError::NotFound)?
            }
            None => {
                let mut am = case_child::ActiveModel {
                    id: Set(id),
                    case_id: Set(case_id.to_owned()),
                    version: Set(1),
                    created_by: Set(actor.to_string()),
                    created_at: Set(ms),
                    ..Default::default()
                };
                fields(&mut am);
                am.insert(&txn).await?
            }
        };
        if r.mechanism_engaged {
            let res = case::Entity::update_many()
                .col_expr(case::Column::ChildMechanism, Expr::value(true))
                .col_expr(
                    case::Column::Version,
                    Expr::col(case::Column::Version).add(1),
                )
                .col_expr(case::Column::UpdatedAt, Expr::value(ms))
                .filter(case::Column::Id.eq(case_id))
                .filter(case::Column::ChildMechanism.eq(false))
                .exec(&txn)
                .await?;
            if res.rows_affected > 0 {
                super::caseload::refresh(&txn, case_id).await?;
            }
        }
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.child", "case").id(case_id).change(serde_json::json!({
                "guardian_recorded": m.guardian.is_some(), "mechanism_engaged": m.mechanism_engaged,
                "mechanism_date": m.mechanism_date, "version": m.version,
            })),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    pub async fn child_of_case(
        &self,
        case_id: &str,
    ) -> Result<Option<case_child::Model>, StoreError> {
        Ok(self
            .read_one(case_child::Entity::find().filter(case_child::Column::CaseId.eq(case_id)))
            .await?)
    }

    /// Decrypts the guardian and records the read, like any identity read.
    pub async fn read_guardian(
        &self,
        actor: Uuid,
        m: &case_child::Model,
        purpose: &str,
    ) -> Result<Option<String>, StoreError> {
        let Some(g) = &m.guardian else {
            return Ok(None);
        };
        let plain = self.vault.decrypt(guardian_ref(&m.id), g)?;
        self.record(
            AuditEntry::new(Some(actor), "case.identity_read", "case")
                .id(&m.case_id)
                .change(serde_json::json!({"purpose": purpose, "fields": ["guardian"]})),
        )
        .await?;
        Ok(Some(plain))
    }

    pub async fn add_child_proposal(
        &self,
        actor: Uuid,
        case_id: &str,
        proposed_on: Date,
        status: ProposalStatus,
    ) -> Result<child_proposal::Model, StoreError> {
        let txn = self.begin_write().await?;
        let m = child_proposal::ActiveModel {
            id: Set(new_id()),
            case_id: Set(case_id.to_owned()),
            proposed_on: Set(date_str(proposed_on)),
            status: Set(status.as_str().to_owned()),
            created_by: Set(actor.to_string()),
            created_at: Set(now_ms()),
            decided_on: Set(None),
            version: Set(1),
            updated_at: Set(None),
        }
        .insert(&txn)
        .await?;
        audit::append(&txn, AuditEntry::new(Some(actor), "case.child_proposal", "case").id(case_id).change(serde_json::json!({"proposal": m.id, "proposed_on": m.proposed_on, "status": m.status}))).await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Records the decision on a proposal of the case (optimistic: the version read).
    pub async fn decide_child_proposal(
        &self,
        actor: Uuid,
        case_id: &str,
        proposal_id: &str,
        expected_version: i32,
        status: ProposalStatus,
        decided_on: Option<Date>,
    ) -> Result<child_proposal::Model, StoreError> {
        let txn = self.begin_write().await?;
        let find = || {
            child_proposal::Entity::find_by_id(proposal_id.to_owned())
                .filter(child_proposal::Column::CaseId.eq(case_id))
        };
        let e = crate::read::one_in(find(), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if e.version != expected_version {
            return Err(StoreError::Conflict("stale"));
        }
        let res = child_proposal::Entity::update_many()
            .col_expr(child_proposal::Column::Status, Expr::value(status.as_str()))
            .col_expr(
                child_proposal::Column::DecidedOn,
                Expr::value(decided_on.map(date_str)),
            )
            .col_expr(child_proposal::Column::Version, Expr::value(e.version + 1))
            .col_expr(child_proposal::Column::UpdatedAt, Expr::value(now_ms()))
            .filter(child_proposal::Column::Id.eq(proposal_id))
            .filter(child_proposal::Column::Version.eq(e.version))
            .exec(&txn)
            .await?;
        if res.rows_affected == 0 {
            return Err(StoreError::Conflict("stale"));
        }
        let m = crate::read::one_in(find(), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.child_proposal_decision", "case")
                .id(case_id)
                .change(serde_json::json!({
                    "proposal": m.id, "status": m.status,
                    "decided_on": m.decided_on, "version": m.version,
                })),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    pub async fn child_proposals(
        &self,
        case_id: &str,
    ) -> Result<Vec<child_proposal::Model>, StoreError> {
        Ok(child_proposal::Entity::find()
            .filter(child_proposal::Column::CaseId.eq(case_id))
            .order_by_asc(child_proposal::Column::ProposedOn)
            .order_by_asc(child_proposal::Column::Id)
            .all(&self.reads)
            .await?)
    }
}
