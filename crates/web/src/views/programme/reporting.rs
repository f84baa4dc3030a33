//! The reporting and review actions on an activity's page: saving a draft
//! (lead reporters), submitting, approving or returning (coordinators), and
//! partners' notes. A refusal re-renders the page with the reason, keeping
//! what was typed; every decision goes through the policy.

use axum::{
    Form,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use zakrila_domain::{
    policy::Action,
    programme::{ReviewStep, ValueKind, parse_value},
    user::Locale,
};
use zakrila_programme::Unit;
use zakrila_store::{
    StoreError,
    programme::{NewProgress, StoredActivity},
};

use super::{
    Loaded,
    activity::{ReportForm, page, parse_period},
    load,
};
use crate::{
    auth::{Authed, PageUser},
    error::{AppError, HttpError},
    i18n::t,
    lang::Lang,
    state::AppState,
    views::render,
};

fn back(year: i32, code: &str) -> Response {
    Redirect::to(&format!("/programme/{year}/activities/{code}")).into_response()
}

/// Re-renders the page with the refusal's message and the form as typed.
async fn refused(
    state: &AppState,
    a: &Authed,
    lang: Locale,
    year: i32,
    code: &str,
    key: &str,
    form: ReportForm,
) -> Result<Response, HttpError> {
    let mut r = render(&page(state, a, lang, year, code, vec![t(lang, key)], form).await?)?;
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(r)
}

fn activity_of<'a>(loaded: &'a Loaded, code: &str) -> Result<&'a StoredActivity, HttpError> {
    loaded
        .stored
        .activity(code)
        .map(|(_, s)| s)
        .ok_or(AppError::NotFound.into())
}

/// Saves a draft report: a reporter of a lead institution only.
pub async fn save(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((year, code)): Path<(i32, String)>,
    Form(f): Form<ReportForm>,
) -> Result<Response, HttpError> {
    let loaded = load(&state, year).await?;
    let ids = activity_of(&loaded, &code)?;
    a.require(Action::ReportProgress, &ids.resource())?;
    let (act, _, position) = loaded
        .stored
        .indicator(&f.indicator)
        .filter(|(_, s, _)| s.id == ids.id)
        .ok_or(AppError::NotFound)?;
    let kind = if act.indicators[position].unit == Unit::Text {
        ValueKind::Text
    } else {
        ValueKind::Numeric
    };
    let parsed = parse_period(year, &f.period).and_then(|p| Ok((p, parse_value(kind, &f.value)?)));
    let (period, value) = match parsed {
        Ok(v) => v,
        Err(e) => return refused(&state, &a, lang, year, &code, e.key, f).await,
    };
    let input = NewProgress {
        indicator_id: f.indicator.clone(),
        period,
        value,
        narrative: f.narrative.trim().to_owned(),
        evidence: f
            .evidence
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        expected_version: f.version,
    };
    match state
        .store
        .save_progress(a.user_uuid(), &a.org.id, &loaded.stored, input)
        .await
    {
        Ok(_) => Ok(back(year, &code)),
        Err(StoreError::Domain(d)) => refused(&state, &a, lang, year, &code, d.key, f).await,
        Err(StoreError::Conflict("stale")) => {
            refused(&state, &a, lang, year, &code, "problem-conflict-stale", f).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    pub version: Option<i32>,
    #[serde(default)]
    pub comment: String,
}

/// Submit (reporter), approve or return (coordinator) one report.
pub async fn review(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((year, id, step)): Path<(i32, String, String)>,
    Form(f): Form<ReviewForm>,
) -> Result<Response, HttpError> {
    let step = match step.as_str() {
        "submit" => ReviewStep::Submit,
        "approve" => ReviewStep::Approve,
        "return" => ReviewStep::Return,
        _ => return Err(AppError::NotFound.into()),
    };
    let report = state
        .store
        .progress_report(&id)
        .await?
        .ok_or(AppError::NotFound)?;
    let loaded = load(&state, year).await?;
    let (act, ids, _) = loaded
        .stored
        .indicator(&report.indicator_id)
        .ok_or(AppError::NotFound)?;
    let code = act.code.clone();
    let action = if step == ReviewStep::Submit {
        Action::ReportProgress
    } else {
        Action::ApproveProgress
    };
    a.require(action, &ids.resource())?;
    match state
        .store
        .review_progress(
            a.user_uuid(),
            &id,
            step,
            f.version,
            Some(f.comment.as_str()),
        )
        .await
    {
        Ok(_) => Ok(back(year, &code)),
        Err(StoreError::Domain(d)) => {
            refused(&state, &a, lang, year, &code, d.key, ReportForm::default()).await
        }
        Err(StoreError::Conflict("stale")) => {
            refused(
                &state,
                &a,
                lang,
                year,
                &code,
                "problem-conflict-stale",
                ReportForm::default(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct NoteForm {
    pub body: String,
}

/// A partner's (or lead's) note on the activity.
pub async fn note(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((year, code)): Path<(i32, String)>,
    Form(f): Form<NoteForm>,
) -> Result<Response, HttpError> {
    let loaded = load(&state, year).await?;
    let ids = activity_of(&loaded, &code)?;
    a.require(Action::AddProgressNote, &ids.resource())?;
    match state
        .store
        .add_progress_note(a.user_uuid(), &a.org.id, &loaded.stored, &ids.id, &f.body)
        .await
    {
        Ok(_) => Ok(back(year, &code)),
        Err(StoreError::Domain(d)) => {
            refused(&state, &a, lang, year, &code, d.key, ReportForm::default()).await
        }
        Err(e) => Err(e.into()),
    }
}
