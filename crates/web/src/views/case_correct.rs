//! `/cases/{id}/correct`: the whole record of a case on one form, prefilled (the
//! identity read for it is audited), the reason for the correction, and the history
//! of corrections. Posts into the same `App::correct_case` the API's PATCH calls.

use askama::Template;
use axum::{
    Form,
    extract::{Path, State},
    response::Response,
};
use zakrila_app::cases::{CorrectionLine, correction_reasons};
use zakrila_domain::{
    case::{CorrectionReason, RawCorrection},
    user::Locale,
};

use crate::{
    auth::{Authed, PageUser},
    error::HttpError,
    label,
    lang::Lang,
    state::AppState,
    views::{
        case_record::{self, RecordForm, Values},
        cases::values,
        layout::{Base, datetime},
        render,
    },
};

/// One line of the corrections' history.
pub struct HistoryRow {
    pub when: String,
    pub by: String,
    pub reason: String,
    pub fields: String,
}

#[derive(Template)]
#[template(path = "case_correct.html")]
pub struct CorrectPage {
    pub base: Base,
    pub id: String,
    pub code: String,
    pub version: String,
    pub reason: String,
    pub reasons: Vec<(&'static str, &'static str)>,
    pub errors: Vec<String>,
    pub form: RecordForm,
    pub history: Vec<HistoryRow>,
}

fn history_rows(lines: Vec<CorrectionLine>, lang: Locale) -> Vec<HistoryRow> {
    lines
        .into_iter()
        .map(|l| HistoryRow {
            when: datetime(l.at),
            by: l.by,
            reason: label!(CorrectionReason, &l.reason, lang),
            fields: l
                .fields
                .iter()
                .map(|f| crate::i18n::t(lang, &format!("field-{f}")))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn page(
    a: &Authed,
    lang: Locale,
    id: String,
    code: String,
    version: String,
    reason: String,
    v: Values,
    errors: &[zakrila_app::FieldError],
    history: Vec<CorrectionLine>,
) -> Result<Response, HttpError> {
    let mut form = RecordForm::new(lang, v);
    let errors = form.with_errors(lang, errors);
    render(&CorrectPage {
        base: Base::for_user(a, lang, "case-correct-title"),
        id,
        code,
        version,
        reason,
        reasons: correction_reasons()
            .iter()
            .map(|r| (r.as_str(), lang.pick(r.label_bg(), r.label_en())))
            .collect(),
        errors,
        form,
        history: history_rows(history, lang),
    })
}

impl CorrectPage {
    pub fn is_reason(&self, c: &str) -> bool {
        self.reason == c
    }
    pub fn err(&self, k: &str) -> Vec<String> {
        self.form.err(k)
    }
}

pub async fn show(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let f = state.app.correction_form(&a, &id).await?;
    page(
        &a,
        lang,
        f.id,
        f.code,
        f.version.to_string(),
        String::new(),
        case_record::values_of(&f.person, &f.exploitation),
        &[],
        f.history,
    )
}

pub async fn save(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let v = values(fields);
    let one = |k: &str| {
        v.get(k)
            .and_then(|x| x.first())
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    let raw = RawCorrection {
        // A version that is not a number matches no case: refused as stale.
        version: one("version").parse().unwrap_or(-1),
        reason: one("reason"),
        person: Some(case_record::person_from(&v)),
        exploitation: Some(case_record::exploitation_from(&v)),
    };
    let result = match case_record::duration_error(&v) {
        Some(e) => Err(zakrila_app::AppError::Invalid(vec![e])),
        None => state.app.correct_case(&a, &id, raw).await,
    };
    match result {
        Ok(_) => Ok(crate::flash::redirect(
            &format!("/cases/{id}"),
            "flash-case-corrected",
        )),
        Err(zakrila_app::AppError::Invalid(errors)) => {
            let summary = state.app.case_summary(&a, &id).await?;
            let history = state.app.case_corrections(&a, &id).await?;
            let mut r = page(
                &a,
                lang,
                summary.id,
                summary.code,
                one("version"),
                one("reason"),
                v,
                &errors,
                history,
            )?;
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}
