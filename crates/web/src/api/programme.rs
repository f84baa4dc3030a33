//! `/api/v1/programmes` and `/api/v1/reports`: the National Programme for
//! institutions' own systems — read the year and its activities, file progress,
//! and (for the Commission) approve or return it.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use zakrila_domain::{
    DomainError,
    policy::{Action, Resource},
    programme::{Period, PeriodKind, ReviewStep, ValueKind, parse_value},
};
use zakrila_programme::{Accumulation, Unit};
use zakrila_store::{
    entity::progress_report,
    programme::{NewProgress, period_of},
};

use crate::{
    auth::ApiUser,
    error::{AppError, HttpError},
    state::AppState,
    views::programme::{
        Loaded, load,
        standing::{self, today},
    },
};

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

fn slugs(l: &Loaded, ids: &[String]) -> Vec<String> {
    ids.iter()
        .filter_map(|id| l.orgs.get(id))
        .map(|o| o.slug.clone())
        .collect()
}

/// A year's programme: title and sections.
#[utoipa::path(get, path = "/api/v1/programmes/{year}", tag = "programme", params(("year" = i32, Path)), responses((status = 200, body = ProgrammeDoc), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(year): Path<i32>,
) -> Result<Json<ProgrammeDoc>, HttpError> {
    a.require(Action::ViewProgramme, &Resource::System)?;
    let l = load(&state, year).await?;
    let p = &l.stored.programme;
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
        issues: l.stored.report.issues.len(),
    }))
}

/// Every activity of the year with its indicators, deadline, lead and partners.
#[utoipa::path(get, path = "/api/v1/programmes/{year}/activities", tag = "programme", params(("year" = i32, Path)), responses((status = 200, body = Vec<ActivityDoc>), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn activities(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(year): Path<i32>,
) -> Result<Json<Vec<ActivityDoc>>, HttpError> {
    a.require(Action::ViewProgramme, &Resource::System)?;
    let l = load(&state, year).await?;
    let standings = standing::activities(&l.stored, &l.actuals, &l.reports, today());
    let out = l
        .stored
        .programme
        .activities
        .iter()
        .zip(&l.stored.activities)
        .zip(&standings)
        .map(|((act, ids), st)| ActivityDoc {
            code: act.code.clone(),
            title: act.title.clone(),
            section: act.section,
            strategic_objective: act.strategic_objective.clone(),
            deadline: act.deadline.due_date(year).to_string(),
            deadline_text: act.deadline_text.clone(),
            budget_bgn: act.budget.amount.map(|b| b.decimal()),
            funding_source: act.budget.source.clone(),
            lead: slugs(&l, &ids.leads),
            partners: slugs(&l, &ids.partners),
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    /// The indicator's `id` from the activities list.
    pub indicator_id: String,
    /// `quarter`, `half` or `year`.
    pub period_kind: String,
    /// 1–4 for quarters, 1–2 for halves, 1 for the year.
    pub period_number: u8,
    /// The calendar year of the period; defaults to the programme's year.
    pub period_year: Option<i32>,
    /// The value reached, as a number or as text ("1 250", "12,5"). Required for numeric indicators.
    #[schema(value_type = Option<String>)]
    pub value: Option<serde_json::Value>,
    #[serde(default)]
    pub narrative: String,
    /// Links to evidence (https://…).
    #[serde(default)]
    pub evidence: Vec<String>,
    /// The version last read, when changing an existing draft or returned report.
    pub version: Option<i32>,
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

fn report_doc(r: progress_report::Model, year: i32) -> ReportDoc {
    let period = period_of(&r, year);
    ReportDoc {
        period_start: period.map(|p| p.start().to_string()).unwrap_or_default(),
        period_end: period.map(|p| p.end().to_string()).unwrap_or_default(),
        id: r.id,
        indicator_id: r.indicator_id,
        period_kind: r.period_kind,
        period_number: r.period_number,
        value: r.value_milli.map(|v| v as f64 / 1000.0),
        narrative: r.narrative,
        evidence: r.evidence.lines().map(str::to_owned).collect(),
        status: r.status,
        coordinator_comment: r.coordinator_comment,
        version: r.version,
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
    let l = load(&state, year).await?;
    let (act, ids, position) = l
        .stored
        .indicator(&n.indicator_id)
        .ok_or(AppError::NotFound)?;
    a.require(Action::ReportProgress, &ids.resource())?;
    let kind = if act.indicators[position].unit == Unit::Text {
        ValueKind::Text
    } else {
        ValueKind::Numeric
    };
    let period = Period::new(
        year,
        n.period_year.unwrap_or(year),
        PeriodKind::parse(&n.period_kind)?,
        n.period_number,
    )?;
    let value = match &n.value {
        Some(serde_json::Value::Number(v)) => match v.as_f64() {
            Some(v) if v >= 0.0 => Some(v),
            _ => return Err(DomainError::field("value", "error-progress-value-number").into()),
        },
        Some(serde_json::Value::String(s)) => parse_value(kind, s)?,
        None | Some(serde_json::Value::Null) => parse_value(kind, "")?,
        Some(_) => return Err(DomainError::field("value", "error-progress-value-number").into()),
    };
    let input = NewProgress {
        indicator_id: n.indicator_id.clone(),
        period,
        value,
        narrative: n.narrative.trim().to_owned(),
        evidence: n.evidence,
        expected_version: n.version,
    };
    let saved = state
        .store
        .save_progress(a.user_uuid(), &a.org.id, &l.stored, input)
        .await?;
    Ok((StatusCode::CREATED, Json(report_doc(saved, year))))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// The version last read; a stale one is refused with 409.
    pub version: Option<i32>,
    /// Required when returning a report.
    pub comment: Option<String>,
}

async fn step(
    state: AppState,
    a: crate::auth::Authed,
    id: String,
    step: ReviewStep,
    r: Review,
) -> Result<Json<ReportDoc>, HttpError> {
    let report = state
        .store
        .progress_report(&id)
        .await?
        .ok_or(AppError::NotFound)?;
    let year = state.store.programme_year_of_report(&report).await?;
    let l = load(&state, year).await?;
    let (_, ids, _) = l
        .stored
        .indicator(&report.indicator_id)
        .ok_or(AppError::NotFound)?;
    let action = if step == ReviewStep::Submit {
        Action::ReportProgress
    } else {
        Action::ApproveProgress
    };
    a.require(action, &ids.resource())?;
    let saved = state
        .store
        .review_progress(a.user_uuid(), &id, step, r.version, r.comment.as_deref())
        .await?;
    Ok(Json(report_doc(saved, year)))
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
