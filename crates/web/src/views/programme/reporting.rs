//! The reporting and review actions on an activity's page, over
//! `zakrila_app::programme::reporting` (the same operations the API calls). A
//! refusal re-renders the page with the reason, keeping what was typed.

use axum::{
    Form,
    extract::{Path, State},
    response::Response,
};
use zakrila_app::{
    AppError,
    programme::reporting::{Filed, NewNote, ReportForm, Review},
};
use zakrila_domain::{programme::ReviewStep, user::Locale};

use super::activity::page;
use crate::{
    auth::{Authed, PageUser},
    error::HttpError,
    i18n::t,
    lang::Lang,
    state::AppState,
    views::{render, unprocessable},
};

fn back(year: i32, code: &str) -> Response {
    crate::flash::redirect(
        &format!("/programme/{year}/activities/{code}"),
        "flash-saved",
    )
}

/// The redirect after a step, or the page again with the refusal's reasons and the
/// form as typed; other errors answer as errors.
async fn answer(
    state: &AppState,
    a: &Authed,
    lang: Locale,
    (year, code): (i32, &str),
    result: Result<(i32, String), AppError>,
    form: ReportForm,
) -> Result<Response, HttpError> {
    let keys = match result {
        Ok((year, code)) => return Ok(back(year, &code)),
        Err(e @ AppError::Invalid(_)) => e.keys(),
        Err(AppError::Conflict("stale")) => vec!["problem-conflict-stale"],
        Err(e) => return Err(e.into()),
    };
    let errors = keys.into_iter().map(|k| t(lang, k)).collect();
    Ok(unprocessable(render(
        &page(state, a, lang, year, code, errors, form).await?,
    )?))
}

/// Saves a draft report: a reporter of a lead institution only.
pub async fn save(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((year, code)): Path<(i32, String)>,
    Form(f): Form<ReportForm>,
) -> Result<Response, HttpError> {
    let result = state
        .app
        .save_progress(&a, year, Some(&code), f.clone().into())
        .await
        .map(Filed::place);
    answer(&state, &a, lang, (year, &code), result, f).await
}

/// Submit (reporter), approve or return (coordinator) one report.
pub async fn review(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((year, id, step)): Path<(i32, String, String)>,
    Form(r): Form<Review>,
) -> Result<Response, HttpError> {
    let step = ReviewStep::parse(&step).ok_or(AppError::NotFound)?;
    let result = state
        .app
        .review_progress(&a, &id, step, r)
        .await
        .map(Filed::place);
    // A refused step shows the report's own activity again.
    let code = match &result {
        Err(AppError::Invalid(_) | AppError::Conflict("stale")) => {
            state.app.progress_report_activity(&a, &id).await?
        }
        _ => String::new(),
    };
    answer(
        &state,
        &a,
        lang,
        (year, &code),
        result,
        ReportForm::default(),
    )
    .await
}

/// A partner's (or lead's) note on the activity.
pub async fn note(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path((year, code)): Path<(i32, String)>,
    Form(n): Form<NewNote>,
) -> Result<Response, HttpError> {
    let result = state
        .app
        .add_progress_note(&a, year, &code, n)
        .await
        .map(|()| (year, code.clone()));
    answer(
        &state,
        &a,
        lang,
        (year, &code),
        result,
        ReportForm::default(),
    )
    .await
}
