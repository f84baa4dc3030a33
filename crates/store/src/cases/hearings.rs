//! Hearing dates of criminal proceedings, and the dashboard's reads of what is
//! coming in court: hearings soon, and compensation deadlines approaching.

use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Query},
};
use uuid::Uuid;

use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::{case, case_hearing, case_proceedings},
    new_id, now_ms,
};

/// A hearing to record, already checked.
#[derive(Debug, Clone)]
pub struct NewHearing {
    /// `YYYY-MM-DD`.
    pub on_date: String,
    /// `HH:MM`.
    pub at_time: Option<String>,
    pub note: Option<String>,
}

/// The ids of `org_id`'s own cases, as a subquery.
fn own_cases(org_id: &str) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(case::Column::Id)
        .from(case::Entity)
        .and_where(Expr::col(case::Column::OrgId).eq(org_id))
        .to_owned()
}

/// The cases of `ids`, to pair rows with their case.
async fn cases_of(store: &Store, ids: Vec<String>) -> Result<Vec<case::Model>, StoreError> {
    Ok(case::Entity::find()
        .filter(case::Column::Id.is_in(ids))
        .all(&store.reads)
        .await?)
}

impl Store {
    /// Records a hearing of the proceedings `proceedings_id` of the case, audited;
    /// proceedings of another case are not found.
    pub async fn add_hearing(
        &self,
        actor: Uuid,
        case_id: &str,
        proceedings_id: &str,
        h: NewHearing,
    ) -> Result<case_hearing::Model, StoreError> {
        let txn = self.begin_write().await?;
        crate::read::one_in(
            case_proceedings::Entity::find_by_id(proceedings_id.to_owned())
                .filter(case_proceedings::Column::CaseId.eq(case_id)),
            &txn,
        )
        .await?
        .ok_or(StoreError::NotFound)?;
        let m = case_hearing::ActiveModel {
            id: Set(new_id()),
            proceedings_id: Set(proceedings_id.to_owned()),
            case_id: Set(case_id.to_owned()),
            on_date: Set(h.on_date),
            at_time: Set(h.at_time),
            note: Set(h.note),
            created_by: Set(actor.to_string()),
            created_at: Set(now_ms()),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.hearing_add", "case")
                .id(case_id)
                .change(serde_json::json!({"proceedings": proceedings_id, "hearing": m.id, "on": m.on_date})),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// The case's hearings, soonest first.
    pub async fn hearings_of_case(
        &self,
        case_id: &str,
    ) -> Result<Vec<case_hearing::Model>, StoreError> {
        Ok(case_hearing::Entity::find()
            .filter(case_hearing::Column::CaseId.eq(case_id))
            .order_by_asc(case_hearing::Column::OnDate)
            .order_by_asc(case_hearing::Column::AtTime)
            .all(&self.reads)
            .await?)
    }

    /// Hearings on `org_id`'s own cases from `from` to `until` (`YYYY-MM-DD`, both
    /// included), soonest first, at most 50, with their case.
    pub async fn upcoming_hearings(
        &self,
        org_id: &str,
        from: &str,
        until: &str,
    ) -> Result<Vec<(case_hearing::Model, case::Model)>, StoreError> {
        let hearings = case_hearing::Entity::find()
            .filter(case_hearing::Column::OnDate.gte(from))
            .filter(case_hearing::Column::OnDate.lte(until))
            .filter(case_hearing::Column::CaseId.in_subquery(own_cases(org_id)))
            .order_by_asc(case_hearing::Column::OnDate)
            .order_by_asc(case_hearing::Column::AtTime)
            .limit(50)
            .all(&self.reads)
            .await?;
        let cases = cases_of(self, hearings.iter().map(|h| h.case_id.clone()).collect()).await?;
        Ok(pair(hearings, &cases, |h| &h.case_id))
    }

    /// Proceedings of `org_id`'s own cases whose final act entered into force from
    /// `from` to `until` (`YYYY-MM-DD`) and with no compensation claim filed: the
    /// caller turns the final act into the deadline. Oldest act (nearest deadline)
    /// first, at most 50, with their case.
    pub async fn unclaimed_final_acts(
        &self,
        org_id: &str,
        from: &str,
        until: &str,
    ) -> Result<Vec<(case_proceedings::Model, case::Model)>, StoreError> {
        let rows = case_proceedings::Entity::find()
            .filter(case_proceedings::Column::FinalActDate.gte(from))
            .filter(case_proceedings::Column::FinalActDate.lte(until))
            .filter(case_proceedings::Column::CompensationFiledOn.is_null())
            .filter(case_proceedings::Column::CaseId.in_subquery(own_cases(org_id)))
            .order_by_asc(case_proceedings::Column::FinalActDate)
            .limit(50)
            .all(&self.reads)
            .await?;
        let cases = cases_of(self, rows.iter().map(|p| p.case_id.clone()).collect()).await?;
        Ok(pair(rows, &cases, |p| &p.case_id))
    }
}

fn pair<T>(
    rows: Vec<T>,
    cases: &[case::Model],
    case_id: impl Fn(&T) -> &String,
) -> Vec<(T, case::Model)> {
    rows.into_iter()
        .filter_map(|r| {
            let c = cases.iter().find(|c| c.id == *case_id(&r))?.clone();
            Some((r, c))
        })
        .collect()
}
