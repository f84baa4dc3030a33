//! Needs and risk assessments. Every assessment is kept (a re-assessment adds one),
//! and the case's `risk_level` follows the latest, in the same transaction.

use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;
use zakrila_domain::case::{Assessment, AssessmentItem};

use super::date_str;
use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::{case, case_assessment},
    new_id, now_ms,
};

impl Store {
    /// Records an assessment and sets the case's risk level from it. With
    /// `expected_version` the case must not have changed since it was read.
    pub async fn add_assessment(
        &self,
        actor: Uuid,
        case_id: &str,
        expected_version: Option<i32>,
        a: &Assessment,
    ) -> Result<case_assessment::Model, StoreError> {
        let txn = self.begin_write().await?;
        let risk = a.risk_level();
        // The latest assessment (by date, then by entry) sets the level: an older one
        // entered late joins the history without overriding a newer judgement.
        let newer = crate::read::one_in(
            case_assessment::Entity::find()
                .filter(case_assessment::Column::CaseId.eq(case_id))
                .filter(case_assessment::Column::AssessedOn.gt(date_str(a.on())))
                .limit(1),
            &txn,
        )
        .await?
        .is_some();
        let at = now_ms();
        let mut update = case::Entity::update_many()
            .col_expr(
                case::Column::Version,
                Expr::col(case::Column::Version).add(1),
            )
            .col_expr(case::Column::UpdatedAt, Expr::value(at))
            .filter(case::Column::Id.eq(case_id));
        if !newer {
            update = update.col_expr(case::Column::RiskLevel, Expr::value(risk.as_str()));
        }
        if let Some(v) = expected_version {
            update = update.filter(case::Column::Version.eq(v));
        }
        if update.exec(&txn).await?.rows_affected == 0 {
            return Err(StoreError::Conflict("stale"));
        }
        super::caseload::refresh(&txn, case_id).await?;
        let m = case_assessment::ActiveModel {
            id: Set(new_id()),
            case_id: Set(case_id.to_owned()),
            assessed_on: Set(date_str(a.on())),
            items: Set(serde_json::to_string(a.items()).unwrap_or_else(|_| "[]".into())),
            risk_level: Set(risk.as_str().to_owned()),
            created_by: Set(actor.to_string()),
            created_at: Set(now_ms()),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.assessment", "case").id(case_id).change(serde_json::json!({
                "assessment": m.id, "on": m.assessed_on, "risk_level": risk.as_str(), "items": a.items().len(),
            })),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// The case's assessments, newest first.
    pub async fn assessments_of_case(
        &self,
        case_id: &str,
    ) -> Result<Vec<case_assessment::Model>, StoreError> {
        Ok(case_assessment::Entity::find()
            .filter(case_assessment::Column::CaseId.eq(case_id))
            .order_by_desc(case_assessment::Column::AssessedOn)
            .order_by_desc(case_assessment::Column::Id)
            .all(&self.reads)
            .await?)
    }
}

/// The stored items of an assessment row.
pub fn assessment_items(m: &case_assessment::Model) -> Vec<AssessmentItem> {
    serde_json::from_str(&m.items).unwrap_or_default()
}
