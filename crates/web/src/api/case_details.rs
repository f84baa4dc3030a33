//! `/api/v1/cases/{id}/…`: needs and risk assessments, safe return, the
//! reintegration plan with its follow-up sessions, and what a child's case adds.
//! Like every case endpoint, another organisation's case answers 404.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;
use zakrila_domain::{
    DomainError,
    case::{
        Assessment, AssessmentDomain, AssessmentItem, Country, Escort, FollowUpOutcome, GoalStatus,
        NeedScore, Transport, TravelDocument, parse_date,
    },
    policy::Action,
};
use zakrila_store::{
    cases::{FollowUpHeld, ReturnTrip, assessment_items},
    entity::{case_assessment, case_return, follow_up, reintegration_goal},
};

use crate::{access::case_for, api::cases::now, auth::ApiUser, error::HttpError, state::AppState};

/// Collects every input error before refusing, so a form shows them all at once.
#[derive(Default)]
pub struct Errors(pub Vec<DomainError>);

impl Errors {
    pub fn take<T>(&mut self, r: Result<T, DomainError>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }

    /// An optional value: empty or absent is `None`, anything else must parse.
    pub fn opt<T>(
        &mut self,
        s: Option<&str>,
        parse: impl FnOnce(&str) -> Result<T, DomainError>,
    ) -> Option<T> {
        let s = s.map(str::trim).filter(|s| !s.is_empty())?;
        self.take(parse(s))
    }

    /// A date that cannot lie in the future (something that already happened).
    pub fn past_date(&mut self, s: Option<&str>, field: &'static str) -> Option<Date> {
        let d = self.opt(s, |s| parse_date(s, field))?;
        if d > now().date() {
            self.0.push(DomainError::field(field, "error-date-future"));
            return None;
        }
        Some(d)
    }

    pub fn finish<T>(self, v: Option<T>) -> Result<T, HttpError> {
        match v {
            Some(v) if self.0.is_empty() => Ok(v),
            _ => Err(self.0.into()),
        }
    }
}

// ---------------------------------------------------------------- assessments

#[derive(Deserialize, Serialize, ToSchema, Clone)]
pub struct ItemBody {
    /// safety, health, psychological, housing, legal, finances, family, employment.
    pub domain: String,
    /// 0 no need, 1 low, 2 serious, 3 urgent.
    pub score: u8,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentBody {
    /// `YYYY-MM-DD`; today when absent.
    pub on: Option<String>,
    /// Each domain at most once; domains left out were not assessed.
    pub items: Vec<ItemBody>,
    /// The case's version read; a different current version is a conflict (409).
    pub version: Option<i32>,
}

#[derive(Serialize, ToSchema)]
pub struct AssessmentOut {
    pub id: String,
    pub on: String,
    pub items: Vec<ItemBody>,
    pub risk_level: String,
    pub created_at: i64,
}

impl From<case_assessment::Model> for AssessmentOut {
    fn from(m: case_assessment::Model) -> Self {
        let items = assessment_items(&m)
            .into_iter()
            .map(|i| ItemBody {
                domain: i.domain.as_str().to_owned(),
                score: i.score.value(),
            })
            .collect();
        AssessmentOut {
            id: m.id,
            on: m.assessed_on,
            items,
            risk_level: m.risk_level,
            created_at: m.created_at,
        }
    }
}

pub fn parse_assessment(b: &AssessmentBody) -> Result<Assessment, HttpError> {
    let mut e = Errors::default();
    let on = match b.on.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => e.past_date(Some(s), "on"),
        None => Some(now().date()),
    };
    let items: Vec<AssessmentItem> = b
        .items
        .iter()
        .filter_map(|i| {
            let domain = e.take(AssessmentDomain::parse(&i.domain));
            let score = e.take(NeedScore::parse(i.score));
            Some(AssessmentItem {
                domain: domain?,
                score: score?,
            })
        })
        .collect();
    let a = on.and_then(|on| e.take(Assessment::new(on, items)));
    e.finish(a)
}

/// The case's assessments, newest first.
#[utoipa::path(get, path = "/api/v1/cases/{id}/assessments", tag = "case details", params(("id" = String, Path)), responses((status = 200, body = Vec<AssessmentOut>), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn assessments(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<AssessmentOut>>, HttpError> {
    let c = case_for(&state, &a, &id, Action::ViewCase).await?;
    Ok(Json(
        state
            .store
            .assessments_of_case(&c.id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Records a needs and risk assessment (a re-assessment keeps the earlier ones) and
/// sets the case's risk level from it.
#[utoipa::path(post, path = "/api/v1/cases/{id}/assessments", tag = "case details", params(("id" = String, Path)), request_body = AssessmentBody,
    responses((status = 201, body = AssessmentOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn assess(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<AssessmentBody>,
) -> Result<(StatusCode, Json<AssessmentOut>), HttpError> {
    let c = case_for(&state, &a, &id, Action::EditCase).await?;
    let parsed = parse_assessment(&b)?;
    let m = state
        .store
        .add_assessment(a.user_uuid(), &c.id, b.version, &parsed)
        .await?;
    Ok((StatusCode::CREATED, Json(m.into())))
}

// ---------------------------------------------------------------- safe return

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ReturnBody {
    /// ISO 3166-1 alpha-3 country the person returns from.
    pub from_country: String,
    pub from_city: Option<String>,
    /// `YYYY-MM-DD`; may be planned ahead.
    pub travel_date: Option<String>,
    /// none, iom, ngo, police, social_worker, family.
    pub escort: Option<String>,
    /// passport, id_card, temporary_passport, none.
    pub documents: Option<String>,
    /// air, bus, train, car, other.
    pub transport: Option<String>,
    /// The record's version read; absent only when creating it.
    pub version: Option<i32>,
}

#[derive(Serialize, ToSchema)]
pub struct ReturnOut {
    pub from_country: String,
    pub from_city: Option<String>,
    pub travel_date: Option<String>,
    pub escort: Option<String>,
    pub documents: Option<String>,
    pub transport: Option<String>,
    pub version: i32,
}

impl From<case_return::Model> for ReturnOut {
    fn from(m: case_return::Model) -> Self {
        ReturnOut {
            from_country: m.from_country,
            from_city: m.from_city,
            travel_date: m.travel_date,
            escort: m.escort,
            documents: m.documents,
            transport: m.transport,
            version: m.version,
        }
    }
}

pub fn parse_return(b: &ReturnBody) -> Result<ReturnTrip, HttpError> {
    let mut e = Errors::default();
    let from_country = e.take(Country::parse(&b.from_country));
    let travel_date = e.opt(b.travel_date.as_deref(), |s| parse_date(s, "travel_date"));
    let escort = e.opt(b.escort.as_deref(), Escort::parse);
    let documents = e.opt(b.documents.as_deref(), TravelDocument::parse);
    let transport = e.opt(b.transport.as_deref(), Transport::parse);
    let from_city = b.from_city.clone();
    e.finish(from_country.map(|from_country| ReturnTrip {
        from_country,
        from_city,
        travel_date,
        escort,
        documents,
        transport,
    }))
}

/// The safe return, or `null` when none is recorded.
#[utoipa::path(get, path = "/api/v1/cases/{id}/return", tag = "case details", params(("id" = String, Path)), responses((status = 200, body = Option<ReturnOut>), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn get_return(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Option<ReturnOut>>, HttpError> {
    let c = case_for(&state, &a, &id, Action::ViewCase).await?;
    Ok(Json(
        state.store.return_of_case(&c.id).await?.map(Into::into),
    ))
}

/// Records or updates the safe return (optimistic: send the version read).
#[utoipa::path(put, path = "/api/v1/cases/{id}/return", tag = "case details", params(("id" = String, Path)), request_body = ReturnBody,
    responses((status = 200, body = ReturnOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn put_return(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<ReturnBody>,
) -> Result<Json<ReturnOut>, HttpError> {
    let c = case_for(&state, &a, &id, Action::EditCase).await?;
    let r = parse_return(&b)?;
    Ok(Json(
        state
            .store
            .save_return(a.user_uuid(), &c.id, b.version, r)
            .await?
            .into(),
    ))
}

// ---------------------------------------------------------------- reintegration

#[derive(Serialize, ToSchema)]
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

#[derive(Serialize, ToSchema)]
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

#[derive(Serialize, ToSchema)]
pub struct Reintegration {
    pub goals: Vec<GoalOut>,
    pub follow_ups: Vec<FollowUpOut>,
}

/// The reintegration plan: goals and follow-up sessions.
#[utoipa::path(get, path = "/api/v1/cases/{id}/reintegration", tag = "case details", params(("id" = String, Path)), responses((status = 200, body = Reintegration), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn reintegration(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Reintegration>, HttpError> {
    let c = case_for(&state, &a, &id, Action::ViewCase).await?;
    Ok(Json(Reintegration {
        goals: state
            .store
            .goals_of_case(&c.id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
        follow_ups: state
            .store
            .follow_ups_of_case(&c.id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalBody {
    pub goal: String,
    /// The assessment domain the goal addresses.
    pub area: Option<String>,
}

pub fn parse_goal(b: &GoalBody) -> Result<(Option<AssessmentDomain>, String), HttpError> {
    let mut e = Errors::default();
    let area = e.opt(b.area.as_deref(), AssessmentDomain::parse);
    let goal = b.goal.trim();
    if goal.is_empty() {
        e.0.push(DomainError::field("goal", "error-goal-empty"));
    }
    e.finish(Some((area, goal.to_owned())))
}

/// Adds a goal to the reintegration plan.
#[utoipa::path(post, path = "/api/v1/cases/{id}/reintegration/goals", tag = "case details", params(("id" = String, Path)), request_body = GoalBody,
    responses((status = 201, body = GoalOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn add_goal(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<GoalBody>,
) -> Result<(StatusCode, Json<GoalOut>), HttpError> {
    let c = case_for(&state, &a, &id, Action::EditCase).await?;
    let (area, goal) = parse_goal(&b)?;
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .store
                .add_goal(a.user_uuid(), &c.id, area, &goal)
                .await?
                .into(),
        ),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalStatusBody {
    /// open, achieved, dropped.
    pub status: String,
    pub version: i32,
}

/// Marks a goal achieved or dropped (or open again).
#[utoipa::path(post, path = "/api/v1/cases/{id}/reintegration/goals/{goal_id}", tag = "case details", params(("id" = String, Path), ("goal_id" = String, Path)), request_body = GoalStatusBody,
    responses((status = 200, body = GoalOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn goal_status(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path((id, gid)): Path<(String, String)>,
    Json(b): Json<GoalStatusBody>,
) -> Result<Json<GoalOut>, HttpError> {
    let c = case_for(&state, &a, &id, Action::EditCase).await?;
    let status = GoalStatus::parse(&b.status)?;
    Ok(Json(
        state
            .store
            .set_goal_status(a.user_uuid(), &c.id, &gid, b.version, status)
            .await?
            .into(),
    ))
}

/// The case's follow-up sessions by due date.
#[utoipa::path(get, path = "/api/v1/cases/{id}/follow-ups", tag = "case details", params(("id" = String, Path)), responses((status = 200, body = Vec<FollowUpOut>), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn follow_ups(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<FollowUpOut>>, HttpError> {
    let c = case_for(&state, &a, &id, Action::ViewCase).await?;
    Ok(Json(
        state
            .store
            .follow_ups_of_case(&c.id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleBody {
    /// `YYYY-MM-DD`.
    pub due_on: String,
}

/// Schedules a follow-up session.
#[utoipa::path(post, path = "/api/v1/cases/{id}/follow-ups", tag = "case details", params(("id" = String, Path)), request_body = ScheduleBody,
    responses((status = 201, body = FollowUpOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn schedule(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<ScheduleBody>,
) -> Result<(StatusCode, Json<FollowUpOut>), HttpError> {
    let c = case_for(&state, &a, &id, Action::EditCase).await?;
    let due = parse_date(&b.due_on, "due_on")?;
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .store
                .schedule_follow_up(a.user_uuid(), &c.id, due)
                .await?
                .into(),
        ),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HeldBody {
    /// `YYYY-MM-DD`, not in the future.
    pub held_on: String,
    /// progressing, stable, concern, no_contact.
    pub outcome: String,
    pub note: Option<String>,
    pub version: i32,
}

pub fn parse_held(b: &HeldBody) -> Result<FollowUpHeld, HttpError> {
    let mut e = Errors::default();
    let held_on = e.past_date(Some(&b.held_on), "held_on");
    if b.held_on.trim().is_empty() {
        e.0.push(DomainError::field("held_on", "error-date-format"));
    }
    let outcome = e.take(FollowUpOutcome::parse(&b.outcome));
    e.finish(held_on.zip(outcome).map(|(held_on, outcome)| FollowUpHeld {
        held_on,
        outcome,
        note: b.note.clone(),
    }))
}

/// Records that a follow-up session took place and its outcome.
#[utoipa::path(post, path = "/api/v1/cases/{id}/follow-ups/{follow_up_id}", tag = "case details", params(("id" = String, Path), ("follow_up_id" = String, Path)), request_body = HeldBody,
    responses((status = 200, body = FollowUpOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn held(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path((id, fid)): Path<(String, String)>,
    Json(b): Json<HeldBody>,
) -> Result<Json<FollowUpOut>, HttpError> {
    let c = case_for(&state, &a, &id, Action::EditCase).await?;
    let h = parse_held(&b)?;
    Ok(Json(
        state
            .store
            .record_follow_up(a.user_uuid(), &c.id, &fid, b.version, h)
            .await?
            .into(),
    ))
}
