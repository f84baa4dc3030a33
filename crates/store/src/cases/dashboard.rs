//! What a caseworker must act on soon: the queries behind the dashboard.

use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Query},
};

use crate::{
    Store, StoreError,
    entity::{case, case_service},
};

impl Store {
    /// The organisation's cases in the reflection period that ends on or before
    /// `until` (`YYYY-MM-DD`), soonest first.
    pub async fn reflection_ending(
        &self,
        org_id: &str,
        until: &str,
    ) -> Result<Vec<case::Model>, StoreError> {
        Ok(case::Entity::find()
            .filter(case::Column::OrgId.eq(org_id))
            .filter(case::Column::Stage.eq("reflection"))
            .filter(case::Column::ReflectionEnds.lte(until))
            .order_by_asc(case::Column::ReflectionEnds)
            .limit(50)
            .all(&self.reads)
            .await?)
    }

    /// Open services past their due date (`today`, `YYYY-MM-DD`) on the
    /// organisation's own cases, with their case.
    pub async fn overdue_services(
        &self,
        org_id: &str,
        today: &str,
    ) -> Result<Vec<(case_service::Model, case::Model)>, StoreError> {
        let own_cases = Query::select()
            .column(case::Column::Id)
            .from(case::Entity)
            .and_where(Expr::col(case::Column::OrgId).eq(org_id))
            .to_owned();
        let services = case_service::Entity::find()
            .filter(case_service::Column::Status.is_in(["planned", "in_progress"]))
            .filter(case_service::Column::DueDate.lt(today))
            .filter(Expr::col(case_service::Column::CaseId).in_subquery(own_cases))
            .order_by_asc(case_service::Column::DueDate)
            .limit(50)
            .all(&self.reads)
            .await?;
        let ids: Vec<String> = services.iter().map(|s| s.case_id.clone()).collect();
        let cases = case::Entity::find()
            .filter(case::Column::Id.is_in(ids))
            .all(&self.reads)
            .await?;
        Ok(services
            .into_iter()
            .filter_map(|s| {
                cases
                    .iter()
                    .find(|c| c.id == s.case_id)
                    .cloned()
                    .map(|c| (s, c))
            })
            .collect())
    }
}
