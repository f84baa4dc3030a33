//! What a caseworker must act on soon: the queries behind the dashboard.

use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Query},
};

use crate::{
    Store, StoreError,
    entity::{case, case_service, referral},
};

impl Store {
    /// The organisation's referrals still waiting for the receiver's answer, newest
    /// first, at most `limit`, and how many there are in all.
    pub async fn sent_pending_referrals(
        &self,
        org_id: &str,
        limit: u64,
    ) -> Result<(Vec<referral::Model>, u64), StoreError> {
        use sea_orm::PaginatorTrait;
        let q = referral::Entity::find()
            .filter(referral::Column::FromOrg.eq(org_id))
            .filter(referral::Column::Status.eq("pending"));
        let total = q.clone().count(&self.reads).await?;
        let items = q
            .order_by_desc(referral::Column::CreatedAt)
            .limit(limit)
            .all(&self.reads)
            .await?;
        Ok((items, total))
    }

    /// The organisation's cases in the reflection period that ends between `from`
    /// and `until` (`YYYY-MM-DD`, both included), soonest first. A period that has
    /// already ended is no longer "ending", even if the case has not moved on.
    pub async fn reflection_ending(
        &self,
        org_id: &str,
        from: &str,
        until: &str,
    ) -> Result<Vec<case::Model>, StoreError> {
        Ok(case::Entity::find()
            .filter(case::Column::OrgId.eq(org_id))
            .filter(case::Column::Stage.eq("reflection"))
            .filter(case::Column::ReflectionEnds.gte(from))
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
        // Walks open services in due-date order (index `case_services_due`), each
        // checked against its case's organisation by key, until a page is found: a
        // few hundred index entries, not the organisation's whole caseload.
        let own_case = Query::select()
            .expr(Expr::val(1))
            .from(case::Entity)
            .and_where(
                Expr::col((case::Entity, case::Column::Id))
                    .equals((case_service::Entity, case_service::Column::CaseId)),
            )
            .and_where(Expr::col((case::Entity, case::Column::OrgId)).eq(org_id))
            .to_owned();
        let services = case_service::Entity::find()
            .filter(case_service::Column::Status.is_in(["planned", "in_progress"]))
            .filter(case_service::Column::DueDate.lt(today))
            .filter(Expr::exists(own_case))
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
