//! The reintegration plan of a case: its goals (open, achieved, dropped) and the
//! follow-up sessions that check on the person after return, with the outcome of
//! each one held. Reading needs `ViewCase`, every change `EditCase`; status changes
//! are optimistic (the version read, a stale one is a conflict).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zakrila_domain::{
    case::{AssessmentDomain, FollowUpOutcome, GoalStatus, parse_date},
    policy::Action,
};
use zakrila_store::{
    cases::FollowUpHeld,
    entity::{follow_up, reintegration_goal},
};

use crate::{
    App, AppError, Authed, Errors,
    case_details::{finish, opt, past_date},
};

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct GoalOut {
    pub id: String,
    pub area: Option<String>,
    pub goal: Option<String>,
    /// open, achieved, dropped.
    pub status: String,
    pub version: i32,
}

impl From<reintegration_goal::Model> for GoalOut {
    fn from(m: reintegration_goal::Model) -> Self {
        GoalOut {
            id: m.id,
            area: m.area,
            goal: m.goal,
            status: m.status,
            version: m.version,
        }
    }
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct FollowUpOut {
    pub id: String,
    pub due_on: String,
    pub held_on: Option<String>,
    /// progressing, stable, concern, no_contact.
    pub outcome: Option<String>,
    pub note: Option<String>,
    pub version: i32,
}

impl From<follow_up::Model> for FollowUpOut {
    fn from(m: follow_up::Model) -> Self {
        FollowUpOut {
            id: m.id,
            due_on: m.due_on,
            held_on: m.held_on,
            outcome: m.outcome,
            note: m.note,
            version: m.version,
        }
    }
}

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct Reintegration {
    pub goals: Vec<GoalOut>,
    pub follow_ups: Vec<FollowUpOut>,
}

#[derive(Deserialize, ToSchema, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct GoalBody {
    pub goal: String,
    /// The assessment domain the goal addresses.
    pub area: Option<String>,
}

impl GoalBody {
    fn parse(&self) -> Result<(Option<AssessmentDomain>, String), AppError> {
        let mut e = Errors::default();
        let area = opt(&mut e, self.area.as_deref(), AssessmentDomain::parse);
        let goal = self.goal.trim();
        e.check(goal.is_empty(), "goal", "error-goal-empty");
        finish(e, Some((area, goal.to_owned())))
    }
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct GoalStatusBody {
    /// open, achieved, dropped.
    pub status: String,
    pub version: i32,
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct ScheduleBody {
    /// `YYYY-MM-DD`.
    pub due_on: String,
}

#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct HeldBody {
    /// `YYYY-MM-DD`, not in the future.
    pub held_on: String,
    /// progressing, stable, concern, no_contact.
    pub outcome: String,
    pub note: Option<String>,
    pub version: i32,
}

impl HeldBody {
    fn parse(&self) -> Result<FollowUpHeld, AppError> {
        let mut e = Errors::default();
        let held_on = past_date(&mut e, Some(&self.held_on), "held_on");
        e.check(
            self.held_on.trim().is_empty(),
            "held_on",
            "error-date-format",
        );
        let outcome = e.take(FollowUpOutcome::parse(&self.outcome));
        finish(
            e,
            held_on.zip(outcome).map(|(held_on, outcome)| FollowUpHeld {
                held_on,
                outcome,
                note: self.note.clone(),
            }),
        )
    }
}

impl App {
    /// The reintegration plan: goals and follow-up sessions.
    pub async fn reintegration(&self, a: &Authed, id: &str) -> Result<Reintegration, AppError> {
        let c = self.case_for(a, id, Action::ViewCase).await?;
        Ok(Reintegration {
            goals: self.goals_of(&c.id).await?,
            follow_ups: self.follow_ups_of(&c.id).await?,
        })
    }

    pub(crate) async fn goals_of(&self, case_id: &str) -> Result<Vec<GoalOut>, AppError> {
        let rows = self.store.goals_of_case(case_id).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    pub(crate) async fn follow_ups_of(&self, case_id: &str) -> Result<Vec<FollowUpOut>, AppError> {
        let rows = self.store.follow_ups_of_case(case_id).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Adds a goal to the reintegration plan.
    pub async fn add_goal(&self, a: &Authed, id: &str, b: GoalBody) -> Result<GoalOut, AppError> {
        let c = self.case_for(a, id, Action::EditCase).await?;
        let (area, goal) = b.parse()?;
        let m = self
            .store
            .add_goal(a.user_uuid(), &c.id, area, &goal)
            .await?;
        Ok(m.into())
    }

    /// Marks a goal achieved or dropped (or open again); a stale version conflicts.
    pub async fn set_goal_status(
        &self,
        a: &Authed,
        id: &str,
        goal_id: &str,
        b: GoalStatusBody,
    ) -> Result<GoalOut, AppError> {
        let c = self.case_for(a, id, Action::EditCase).await?;
        let status = GoalStatus::parse(&b.status)?;
        let m = self
            .store
            .set_goal_status(a.user_uuid(), &c.id, goal_id, b.version, status)
            .await?;
        Ok(m.into())
    }

    /// The case's follow-up sessions by due date.
    pub async fn follow_ups(&self, a: &Authed, id: &str) -> Result<Vec<FollowUpOut>, AppError> {
        let c = self.case_for(a, id, Action::ViewCase).await?;
        self.follow_ups_of(&c.id).await
    }

    /// Schedules a follow-up session.
    pub async fn schedule_follow_up(
        &self,
        a: &Authed,
        id: &str,
        b: ScheduleBody,
    ) -> Result<FollowUpOut, AppError> {
        let c = self.case_for(a, id, Action::EditCase).await?;
        let due = parse_date(&b.due_on, "due_on")?;
        let m = self
            .store
            .schedule_follow_up(a.user_uuid(), &c.id, due)
            .await?;
        Ok(m.into())
    }

    /// Records that a follow-up session took place, and its outcome.
    pub async fn record_follow_up(
        &self,
        a: &Authed,
        id: &str,
        follow_up_id: &str,
        b: HeldBody,
    ) -> Result<FollowUpOut, AppError> {
        let c = self.case_for(a, id, Action::EditCase).await?;
        let h = b.parse()?;
        let m = self
            .store
            .record_follow_up(a.user_uuid(), &c.id, follow_up_id, b.version, h)
            .await?;
        Ok(m.into())
    }
}
