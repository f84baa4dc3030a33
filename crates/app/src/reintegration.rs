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
    free_text::{FOLLOW_UP_NOTE, GOAL, TextReader},
};

use crate::{
    App, AppError, Authed, Errors,
    case_details::{finish, identity_action, opt, past_date},
};

#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct GoalOut {
    pub id: String,
    pub area: Option<String>,
    /// The goal's text: kept in the vault, so present only on an audited identity
    /// read (`?identity=true`, the case page with the identity) and in the answer
    /// to adding it.
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
            goal: None,
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
    /// The session's note: kept in the vault, so present only on an audited
    /// identity read.
    pub note: Option<String>,
    /// A note is recorded (whether or not it is shown).
    pub note_recorded: bool,
    pub version: i32,
}

impl From<follow_up::Model> for FollowUpOut {
    fn from(m: follow_up::Model) -> Self {
        FollowUpOut {
            id: m.id,
            due_on: m.due_on,
            held_on: m.held_on,
            outcome: m.outcome,
            note: None,
            note_recorded: m.note.is_some(),
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
    /// The reintegration plan: goals and follow-up sessions; with `identity` the
    /// goals' and notes' text too, which needs the right to see identities and is
    /// an audited read.
    pub async fn reintegration(
        &self,
        a: &Authed,
        id: &str,
        identity: bool,
    ) -> Result<Reintegration, AppError> {
        let c = self.case_for(a, id, identity_action(identity)).await?;
        let mut texts = self.store.text_reader();
        let goals = self.goals_of(&c.id, identity.then_some(&mut texts)).await?;
        let follow_ups = self
            .follow_ups_of(&c.id, identity.then_some(&mut texts))
            .await?;
        texts.record(a.user_uuid(), "api").await?;
        Ok(Reintegration { goals, follow_ups })
    }

    /// The case's goals; their text opened only with a reader (which records it).
    pub(crate) async fn goals_of(
        &self,
        case_id: &str,
        mut texts: Option<&mut TextReader<'_>>,
    ) -> Result<Vec<GoalOut>, AppError> {
        let rows = self.store.goals_of_case(case_id).await?;
        let mut out = Vec::with_capacity(rows.len());
        for m in rows {
            let goal = match texts.as_deref_mut() {
                Some(t) => t.open(&m.case_id, GOAL, &m.id, m.goal.as_deref())?,
                None => None,
            };
            out.push(GoalOut { goal, ..m.into() });
        }
        Ok(out)
    }

    /// The case's follow-ups; their notes opened only with a reader.
    pub(crate) async fn follow_ups_of(
        &self,
        case_id: &str,
        mut texts: Option<&mut TextReader<'_>>,
    ) -> Result<Vec<FollowUpOut>, AppError> {
        let rows = self.store.follow_ups_of_case(case_id).await?;
        let mut out = Vec::with_capacity(rows.len());
        for m in rows {
            let note = match texts.as_deref_mut() {
                Some(t) => t.open(&m.case_id, FOLLOW_UP_NOTE, &m.id, m.note.as_deref())?,
                None => None,
            };
            out.push(FollowUpOut { note, ..m.into() });
        }
        Ok(out)
    }

    /// Adds a goal to the reintegration plan.
    pub async fn add_goal(&self, a: &Authed, id: &str, b: GoalBody) -> Result<GoalOut, AppError> {
        let c = self.case_for(a, id, Action::EditCase).await?;
        let (area, goal) = b.parse()?;
        let m = self
            .store
            .add_goal(a.user_uuid(), &c.id, area, &goal)
            .await?;
        // The caller's own words, echoed: nothing is read back from the vault.
        Ok(GoalOut {
            goal: Some(goal),
            ..m.into()
        })
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

    /// The case's follow-up sessions by due date; with `identity` their notes too
    /// (the right to see identities; an audited read).
    pub async fn follow_ups(
        &self,
        a: &Authed,
        id: &str,
        identity: bool,
    ) -> Result<Vec<FollowUpOut>, AppError> {
        let c = self.case_for(a, id, identity_action(identity)).await?;
        let mut texts = self.store.text_reader();
        let out = self
            .follow_ups_of(&c.id, identity.then_some(&mut texts))
            .await?;
        texts.record(a.user_uuid(), "api").await?;
        Ok(out)
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
