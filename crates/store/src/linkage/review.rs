//! The review queue: candidates shown with pseudonymous case codes and the
//! non-identifying profile only, and the coordinator's decision on each.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::LinkStatus;
use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::{case, linkage_candidate, person},
    now_ms,
};

/// A coordinator's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    Confirm,
    Reject,
}

/// One side of a candidate: what the coordinator may see of a case. No names, no
/// birth date, no contact — by construction, not by care in the template.
#[derive(Debug, Clone, Default)]
pub struct CaseSide {
    pub case_id: String,
    pub code: String,
    pub org_id: String,
    pub stage: String,
    /// Snake-case codes of the forms of exploitation.
    pub forms: Vec<String>,
    pub sex: String,
    pub age_band: Option<String>,
    pub citizenship: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CandidateView {
    pub candidate: linkage_candidate::Model,
    pub status: LinkStatus,
    pub similarity: f64,
    pub a: CaseSide,
    pub b: CaseSide,
}

impl Store {
    /// Candidates in a status, most similar first (reviewed ones: latest first).
    pub async fn linkage_candidates(
        &self,
        status: LinkStatus,
        limit: u64,
    ) -> Result<Vec<CandidateView>, StoreError> {
        let mut q = linkage_candidate::Entity::find()
            .filter(linkage_candidate::Column::Status.eq(status.as_str()));
        q = match status {
            LinkStatus::Pending => q.order_by_desc(linkage_candidate::Column::SimilarityPpm),
            _ => q.order_by_desc(linkage_candidate::Column::ReviewedAt),
        };
        let rows = q
            .order_by_asc(linkage_candidate::Column::Id)
            .limit(limit)
            .all(&self.reads)
            .await?;
        self.views(rows).await
    }

    pub async fn linkage_candidate(&self, id: &str) -> Result<Option<CandidateView>, StoreError> {
        let Some(row) = self
            .read_one(linkage_candidate::Entity::find_by_id(id.to_owned()))
            .await?
        else {
            return Ok(None);
        };
        Ok(self.views(vec![row]).await?.pop())
    }

    async fn views(
        &self,
        rows: Vec<linkage_candidate::Model>,
    ) -> Result<Vec<CandidateView>, StoreError> {
        let case_ids: Vec<&str> = rows
            .iter()
            .flat_map(|r| [r.case_a.as_str(), r.case_b.as_str()])
            .collect();
        let cases = case::Entity::find()
            .filter(case::Column::Id.is_in(case_ids))
            .all(&self.reads)
            .await?;
        let persons: HashMap<String, person::Model> = person::Entity::find()
            .filter(person::Column::Id.is_in(cases.iter().map(|c| c.person_id.as_str())))
            .all(&self.reads)
            .await?
            .into_iter()
            .map(|p| (p.id.clone(), p))
            .collect();
        let side = |id: &str| -> CaseSide {
            let Some(c) = cases.iter().find(|c| c.id == id) else {
                return CaseSide {
                    case_id: id.to_owned(),
                    ..Default::default()
                };
            };
            let p = persons.get(&c.person_id);
            CaseSide {
                case_id: c.id.clone(),
                code: c.code.clone(),
                org_id: c.org_id.clone(),
                stage: c.stage.clone(),
                forms: crate::comma_items(&c.forms).map(str::to_owned).collect(),
                sex: p.map(|p| p.sex.clone()).unwrap_or_default(),
                age_band: p.and_then(|p| p.age_band.clone()),
                citizenship: p.and_then(|p| p.citizenship.clone()),
            }
        };
        Ok(rows
            .into_iter()
            .map(|r| CandidateView {
                status: LinkStatus::parse(&r.status).unwrap_or(LinkStatus::Pending),
                similarity: f64::from(r.similarity_ppm) / 1_000_000.0,
                a: side(&r.case_a),
                b: side(&r.case_b),
                candidate: r,
            })
            .collect())
    }

    /// Confirms or rejects a pending candidate, audited. A candidate already
    /// reviewed (by someone else, in another tab) is a conflict, never overwritten.
    pub async fn review_linkage(
        &self,
        actor: Uuid,
        id: &str,
        decision: Review,
    ) -> Result<linkage_candidate::Model, StoreError> {
        let (status, action) = match decision {
            Review::Confirm => (LinkStatus::Confirmed, "linkage.confirm"),
            Review::Reject => (LinkStatus::Rejected, "linkage.reject"),
        };
        let txn = self.begin_write().await?;
        let at = now_ms();
        let r = linkage_candidate::Entity::update_many()
            .col_expr(
                linkage_candidate::Column::Status,
                sea_orm::sea_query::Expr::value(status.as_str()),
            )
            .col_expr(
                linkage_candidate::Column::ReviewedBy,
                sea_orm::sea_query::Expr::value(actor.to_string()),
            )
            .col_expr(
                linkage_candidate::Column::ReviewedAt,
                sea_orm::sea_query::Expr::value(at),
            )
            .filter(linkage_candidate::Column::Id.eq(id))
            .filter(linkage_candidate::Column::Status.eq(LinkStatus::Pending.as_str()))
            .exec(&txn)
            .await?;
        let row = crate::read::one_in(linkage_candidate::Entity::find_by_id(id.to_owned()), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if r.rows_affected == 0 {
            return Err(StoreError::Conflict("reviewed"));
        }
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), action, "linkage_candidate")
            .id(id)
            .change(serde_json::json!({"status": status.as_str(), "similarity_ppm": row.similarity_ppm})),
        )
        .await?;
        txn.commit().await?;
        Ok(row)
    }
}
