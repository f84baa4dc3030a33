//! The reintegration plan: goals (with status) and follow-up sessions (scheduled,
//! then held with an outcome). Follow-ups not yet held surface on the dashboard.

use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Query},
};
use time::Date;
use uuid::Uuid;
use zakrila_domain::case::{AssessmentDomain, FollowUpOutcome, GoalStatus};

use super::date_str;
use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::{case, follow_up, reintegration_goal},
    free_text::{FOLLOW_UP_NOTE, GOAL},
    new_id, now_ms,
};

/// What a follow-up session found.
#[derive(Debug, Clone)]
pub struct FollowUpHeld {
    pub held_on: Date,
    pub outcome: FollowUpOutcome,
    pub note: Option<String>,
}

impl Store {
    pub async fn add_goal(
        &self,
        actor: Uuid,
        case_id: &str,
        area: Option<AssessmentDomain>,
        goal: &str,
    ) -> Result<reintegration_goal::Model, StoreError> {
        let key_id = self.current_key_id().await?;
        let txn = self.begin_write().await?;
        let ms = now_ms();
        let id = new_id();
        let m = reintegration_goal::ActiveModel {
            goal: Set(self.seal_text(key_id, GOAL, &id, Some(goal))),
            id: Set(id),
            case_id: Set(case_id.to_owned()),
            area: Set(area.map(|a| a.as_str().to_owned())),
            status: Set(GoalStatus::Open.as_str().to_owned()),
            version: Set(1),
            created_by: Set(actor.to_string()),
            created_at: Set(ms),
            updated_at: Set(ms),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.goal_add", "case")
                .id(case_id)
                .change(serde_json::json!({"goal": m.id, "area": m.area})),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Sets a goal's status; `goal_id` must belong to `case_id`.
    pub async fn set_goal_status(
        &self,
        actor: Uuid,
        case_id: &str,
        goal_id: &str,
        expected_version: i32,
        status: GoalStatus,
    ) -> Result<reintegration_goal::Model, StoreError> {
        let txn = self.begin_write().await?;
        let g = crate::read::one_in(
            reintegration_goal::Entity::find_by_id(goal_id.to_owned()),
            &txn,
        )
        .await?
        .filter(|g| g.case_id == case_id)
        .ok_or(StoreError::NotFound)?;
        super::set_versioned::<reintegration_goal::Entity, _>(
            &txn,
            super::VersionedColumns {
                id: reintegration_goal::Column::Id,
                version: reintegration_goal::Column::Version,
                updated_at: reintegration_goal::Column::UpdatedAt,
                value: reintegration_goal::Column::Status,
            },
            &g.id,
            expected_version,
            status.as_str(),
        )
        .await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.goal_status", "case")
                .id(case_id)
                .change(serde_json::json!({"goal": g.id, "status": status.as_str()})),
        )
        .await?;
        let m = crate::read::one_in(reintegration_goal::Entity::find_by_id(g.id), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        txn.commit().await?;
        Ok(m)
    }

    pub async fn schedule_follow_up(
        &self,
        actor: Uuid,
        case_id: &str,
        due_on: Date,
    ) -> Result<follow_up::Model, StoreError> {
        let txn = self.begin_write().await?;
        let ms = now_ms();
        let m = follow_up::ActiveModel {
            id: Set(new_id()),
            case_id: Set(case_id.to_owned()),
            due_on: Set(date_str(due_on)),
            held_on: Set(None),
            outcome: Set(None),
            note: Set(None),
            version: Set(1),
            created_by: Set(actor.to_string()),
            created_at: Set(ms),
            updated_at: Set(ms),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.follow_up_schedule", "case")
                .id(case_id)
                .change(serde_json::json!({"follow_up": m.id, "due_on": m.due_on})),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Records that a follow-up session took place and what it found.
    pub async fn record_follow_up(
        &self,
        actor: Uuid,
        case_id: &str,
        follow_up_id: &str,
        expected_version: i32,
        held: FollowUpHeld,
    ) -> Result<follow_up::Model, StoreError> {
        let key_id = self.current_key_id().await?;
        let txn = self.begin_write().await?;
        let f = crate::read::one_in(follow_up::Entity::find_by_id(follow_up_id.to_owned()), &txn)
            .await?
            .filter(|f| f.case_id == case_id)
            .ok_or(StoreError::NotFound)?;
        let res = follow_up::Entity::update_many()
            .col_expr(
                follow_up::Column::HeldOn,
                Expr::value(date_str(held.held_on)),
            )
            .col_expr(
                follow_up::Column::Outcome,
                Expr::value(held.outcome.as_str()),
            )
            .col_expr(
                follow_up::Column::Note,
                Expr::value(self.seal_text(key_id, FOLLOW_UP_NOTE, &f.id, held.note.as_deref())),
            )
            .col_expr(
                follow_up::Column::Version,
                Expr::value(expected_version + 1),
            )
            .col_expr(follow_up::Column::UpdatedAt, Expr::value(now_ms()))
            .filter(follow_up::Column::Id.eq(f.id.clone()))
            .filter(follow_up::Column::Version.eq(expected_version))
            .exec(&txn)
            .await?;
        if res.rows_affected == 0 {
            return Err(StoreError::Conflict("stale"));
        }
        audit::append(&txn, AuditEntry::new(Some(actor), "case.follow_up_held", "case").id(case_id).change(serde_json::json!({"follow_up": f.id, "held_on": date_str(held.held_on), "outcome": held.outcome.as_str()}))).await?;
        let m = crate::read::one_in(follow_up::Entity::find_by_id(f.id), &txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        txn.commit().await?;
        Ok(m)
    }

    pub async fn goals_of_case(
        &self,
        case_id: &str,
    ) -> Result<Vec<reintegration_goal::Model>, StoreError> {
        Ok(reintegration_goal::Entity::find()
            .filter(reintegration_goal::Column::CaseId.eq(case_id))
            .order_by_asc(reintegration_goal::Column::CreatedAt)
            .order_by_asc(reintegration_goal::Column::Id)
            .all(&self.reads)
            .await?)
    }

    /// The case's follow-ups by due date.
    pub async fn follow_ups_of_case(
        &self,
        case_id: &str,
    ) -> Result<Vec<follow_up::Model>, StoreError> {
        Ok(follow_up::Entity::find()
            .filter(follow_up::Column::CaseId.eq(case_id))
            .order_by_asc(follow_up::Column::DueOn)
            .order_by_asc(follow_up::Column::Id)
            .all(&self.reads)
            .await?)
    }

    /// Follow-up sessions of the organisation's own cases not yet held and due on or
    /// before `until_date` (`YYYY-MM-DD`), soonest first, with their case: for the
    /// dashboard.
    pub async fn follow_ups_due(
        &self,
        org_id: &str,
        until_date: &str,
    ) -> Result<Vec<(follow_up::Model, case::Model)>, StoreError> {
        // Each due follow-up checked against its case's organisation by key, rather
        // than the organisation's every case listed first.
        let own_case = Query::select()
            .expr(Expr::val(1))
            .from(case::Entity)
            .and_where(
                Expr::col((case::Entity, case::Column::Id))
                    .equals((follow_up::Entity, follow_up::Column::CaseId)),
            )
            .and_where(Expr::col((case::Entity, case::Column::OrgId)).eq(org_id))
            .to_owned();
        let due = follow_up::Entity::find()
            .filter(follow_up::Column::HeldOn.is_null())
            .filter(follow_up::Column::DueOn.lte(until_date))
            .filter(Expr::exists(own_case))
            .order_by_asc(follow_up::Column::DueOn)
            .limit(50)
            .all(&self.reads)
            .await?;
        let ids: Vec<String> = due.iter().map(|f| f.case_id.clone()).collect();
        let cases = case::Entity::find()
            .filter(case::Column::Id.is_in(ids))
            .all(&self.reads)
            .await?;
        Ok(due
            .into_iter()
            .filter_map(|f| {
                cases
                    .iter()
                    .find(|c| c.id == f.case_id)
                    .cloned()
                    .map(|c| (f, c))
            })
            .collect())
    }
}
