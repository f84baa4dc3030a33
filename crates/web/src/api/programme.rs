//! `/api/v1/programmes` and `/api/v1/reports`: the National Programme for
//! institutions' own systems — read the year and its activities, file progress,
//! and (for the Commission) approve or return it. The operations are
//! `zakrila_app::programme`, the same the pages call; this module maps their
//! output to the API's documents.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::Serialize;
use utoipa::ToSchema;
use zakrila_app::programme::{
    Report,
    reporting::{NewReport, Review},
};
use zakrila_domain::programme::ReviewStep;
use zakrila_programme::Accumulation;

use crate::{auth::ApiUser, error::HttpError, state::AppState};

#[derive(Serialize, ToSchema)]
pub struct SectionDoc {
    pub number: u8,
    pub title: String,
    pub activities: usize,
}

#[derive(Serialize, ToSchema)]
pub struct ProgrammeDoc {
    pub year: i32,
    pub title: String,
    pub sections: Vec<SectionDoc>,
    pub activities: usize,
    /// Problems the import's validation report found.
    pub issues: usize,
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorDoc {
    /// Use this id when reporting progress.
    pub id: String,
    pub position: usize,
    pub name: String,
    /// `count`, `percent` or `text`.
    pub unit: String,
    pub baseline: Option<f64>,
    pub baseline_year: Option<i32>,
    pub target: Option<f64>,
    /// `cumulative` (the latest report counts) or `per_period` (reports add up).
    pub accumulation: String,
    /// From approved reports only.
    pub achieved: Option<f64>,
    pub percent_of_target: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct ActivityDoc {
    pub code: String,
    pub title: String,
    pub section: u8,
    pub strategic_objective: Option<String>,
    /// `YYYY-MM-DD`: the last day of the deadline's month, or of the year when ongoing or not stated.
    pub deadline: String,
    pub deadline_text: String,
    pub budget_bgn: Option<String>,
    pub funding_source: String,
    /// Organisation slugs of the lead institutions that matched the directory.
    pub lead: Vec<String>,
    pub partners: Vec<String>,
    /// The institutions as the Programme names them.
    pub lead_mentions: Vec<String>,
    pub partner_mentions: Vec<String>,
    pub indicators: Vec<IndicatorDoc>,
    pub percent_achieved: Option<f64>,
    /// `achieved`, `on-track`, `at-risk`, `overdue` or `no-report`.
    pub standing: String,
}

/// A year's programme: title and sections.
#[utoipa::path(get, path = "/api/v1/programmes/{year}", tag = "programme", params(("year" = i32, Path)), responses((status = 200, body = ProgrammeDoc), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(year): Path<i32>,
) -> Result<Json<ProgrammeDoc>, HttpError> {
    let y = state.app.programme(&a, year).await?;
    let p = &y.programme;
    Ok(Json(ProgrammeDoc {
        year,
        title: p.title.clone(),
        sections: p
            .sections
            .iter()
            .map(|s| SectionDoc {
                number: s.number,
                title: s.title.clone(),
                activities: p.activities_in_section(s.number).count(),
            })
            .collect(),
        activities: p.activities.len(),
        issues: y.issues.issues.len(),
    }))
}

/// Every activity of the year with its indicators, deadline, lead and partners.
#[utoipa::path(get, path = "/api/v1/programmes/{year}/activities", tag = "programme", params(("year" = i32, Path)), responses((status = 200, body = Vec<ActivityDoc>), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn activities(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(year): Path<i32>,
) -> Result<Json<Vec<ActivityDoc>>, HttpError> {
    let y = state.app.programme(&a, year).await?;
    let out = y
        .rows()
        .map(|(act, ids, st)| ActivityDoc {
            code: act.code.clone(),
            title: act.title.clone(),
            section: act.section,
            strategic_objective: act.strategic_objective.clone(),
            deadline: act.deadline.due_date(year).to_string(),
            deadline_text: act.deadline_text.clone(),
            budget_bgn: act.budget.amount.map(|b| b.decimal()),
            funding_source: act.budget.source.clone(),
            lead: y.slugs(&ids.leads),
            partners: y.slugs(&ids.partners),
            lead_mentions: act.lead.iter().map(|i| i.mention.clone()).collect(),
            partner_mentions: act.partners.iter().map(|i| i.mention.clone()).collect(),
            indicators: act
                .indicators
                .iter()
                .zip(&ids.indicators)
                .zip(&st.indicators)
                .enumerate()
                .map(|(position, ((ind, sid), ach))| IndicatorDoc {
                    id: sid.id.clone(),
                    position,
                    name: ind.name.clone(),
                    unit: ind.unit.code().to_owned(),
                    baseline: ind.baseline,
                    baseline_year: ind.baseline_year,
                    target: ind.target,
                    accumulation: match sid.accumulation {
                        Accumulation::Cumulative => "cumulative".into(),
                        Accumulation::PerPeriod => "per_period".into(),
                    },
                    achieved: ach.achieved,
                    percent_of_target: ach.percent_of_target,
                })
                .collect(),
            percent_achieved: st.percent,
            standing: st.standing.code().to_owned(),
        })
        .collect();
    Ok(Json(out))
}

#[derive(Serialize, ToSchema)]
pub struct ReportDoc {
    pub id: String,
    pub indicator_id: String,
    pub period_kind: String,
    pub period_number: i32,
    pub period_start: String,
    pub period_end: String,
    pub value: Option<f64>,
    pub narrative: String,
    pub evidence: Vec<String>,
    /// `draft`, `submitted`, `approved` or `returned`.
    pub status: String,
    pub coordinator_comment: Option<String>,
    pub version: i32,
}

impl From<Report> for ReportDoc {
    fn from(r: Report) -> Self {
        ReportDoc {
            period_start: r.period.map(|p| p.start().to_string()).unwrap_or_default(),
            period_end: r.period.map(|p| p.end().to_string()).unwrap_or_default(),
            status: r.status.as_str().to_owned(),
            id: r.id,
            indicator_id: r.indicator_id,
            period_kind: r.period_kind,
            period_number: r.period_number,
            value: r.value,
            narrative: r.narrative,
            evidence: r.evidence,
            coordinator_comment: r.coordinator_comment,
            version: r.version,
        }
    }
}

/// Saves progress on an indicator as a draft (a reporter of a lead institution).
#[utoipa::path(post, path = "/api/v1/programmes/{year}/reports", tag = "programme", params(("year" = i32, Path)), request_body = NewReport, responses(
    (status = 201, body = ReportDoc),
    (status = 403, body = super::ProblemDoc, content_type = "application/problem+json"),
    (status = 409, body = super::ProblemDoc, content_type = "application/problem+json"),
    (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn save(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(year): Path<i32>,
    Json(n): Json<NewReport>,
) -> Result<(StatusCode, Json<ReportDoc>), HttpError> {
    let filed = state.app.save_progress(&a, year, None, n.into()).await?;
    Ok((StatusCode::CREATED, Json(filed.report.into())))
}

async fn step(
    state: AppState,
    a: crate::auth::Authed,
    id: String,
    step: ReviewStep,
    r: Review,
) -> Result<Json<ReportDoc>, HttpError> {
    let filed = state.app.review_progress(&a, &id, step, r).await?;
    Ok(Json(filed.report.into()))
}

/// Submits a draft or returned report to the Commission.
#[utoipa::path(post, path = "/api/v1/reports/{id}/submit", tag = "programme", params(("id" = String, Path)), request_body = Review, responses((status = 200, body = ReportDoc), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn submit(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(r): Json<Review>,
) -> Result<Json<ReportDoc>, HttpError> {
    step(state, a, id, ReviewStep::Submit, r).await
}

/// Approves a submitted report (NCCTHB coordinators); the period is then locked.
#[utoipa::path(post, path = "/api/v1/reports/{id}/approve", tag = "programme", params(("id" = String, Path)), request_body = Review, responses((status = 200, body = ReportDoc), (status = 403, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn approve(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(r): Json<Review>,
) -> Result<Json<ReportDoc>, HttpError> {
    step(state, a, id, ReviewStep::Approve, r).await
}

/// Returns a submitted report to its institution with a comment (NCCTHB coordinators).
#[utoipa::path(post, path = "/api/v1/reports/{id}/return", tag = "programme", params(("id" = String, Path)), request_body = Review, responses((status = 200, body = ReportDoc), (status = 403, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn return_report(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(r): Json<Review>,
) -> Result<Json<ReportDoc>, HttpError> {
    step(state, a, id, ReviewStep::Return, r).await
}
