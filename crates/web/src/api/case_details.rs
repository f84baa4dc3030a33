//! `/api/v1/cases/{id}/…`: needs and risk assessments, safe return, the
//! reintegration plan with its follow-up sessions — thin adapters over
//! `zakrila_app::case_details`. Like every case endpoint, another organisation's
//! case answers 404.

use serde::Deserialize;
use utoipa::IntoParams;

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use zakrila_app::{
    case_details::{AssessmentBody, AssessmentOut, ReturnBody, ReturnOut},
    reintegration::{
        FollowUpOut, GoalBody, GoalOut, GoalStatusBody, HeldBody, Reintegration, ScheduleBody,
    },
};

use crate::{auth::ApiUser, error::HttpError, state::AppState};

/// Free text about the person (the place they return from, goals, notes, court case
/// numbers) is kept in the vault and shown only on an identity read.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IdentityParams {
    /// Include the free text (needs the right to see identities; audited).
    #[serde(default)]
    pub identity: bool,
}

/// The case's assessments, newest first.
#[utoipa::path(get, path = "/api/v1/cases/{id}/assessments", tag = "case details", params(("id" = String, Path)), responses((status = 200, body = Vec<AssessmentOut>), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn assessments(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<AssessmentOut>>, HttpError> {
    Ok(Json(state.app.assessments(&a, &id).await?))
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
    Ok((
        StatusCode::CREATED,
        Json(state.app.assess(&a, &id, b).await?),
    ))
}

/// The safe return, or `null` when none is recorded; the place the person returns
/// from only with `identity=true`.
#[utoipa::path(get, path = "/api/v1/cases/{id}/return", tag = "case details", params(("id" = String, Path), IdentityParams), responses((status = 200, body = Option<ReturnOut>), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn get_return(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Query(p): Query<IdentityParams>,
) -> Result<Json<Option<ReturnOut>>, HttpError> {
    Ok(Json(state.app.return_trip(&a, &id, p.identity).await?))
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
    Ok(Json(state.app.save_return(&a, &id, b).await?))
}

/// The reintegration plan: goals and follow-up sessions; the goals' text and the
/// notes only with `identity=true`.
#[utoipa::path(get, path = "/api/v1/cases/{id}/reintegration", tag = "case details", params(("id" = String, Path), IdentityParams), responses((status = 200, body = Reintegration), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn reintegration(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Query(p): Query<IdentityParams>,
) -> Result<Json<Reintegration>, HttpError> {
    Ok(Json(state.app.reintegration(&a, &id, p.identity).await?))
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
    Ok((
        StatusCode::CREATED,
        Json(state.app.add_goal(&a, &id, b).await?),
    ))
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
    Ok(Json(state.app.set_goal_status(&a, &id, &gid, b).await?))
}

/// The case's follow-up sessions by due date; their notes only with `identity=true`.
#[utoipa::path(get, path = "/api/v1/cases/{id}/follow-ups", tag = "case details", params(("id" = String, Path), IdentityParams), responses((status = 200, body = Vec<FollowUpOut>), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn follow_ups(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Query(p): Query<IdentityParams>,
) -> Result<Json<Vec<FollowUpOut>>, HttpError> {
    Ok(Json(state.app.follow_ups(&a, &id, p.identity).await?))
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
    let f = state.app.schedule_follow_up(&a, &id, b).await?;
    Ok((StatusCode::CREATED, Json(f)))
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
    Ok(Json(state.app.record_follow_up(&a, &id, &fid, b).await?))
}
