//! The Programme's files: the annual report (XLSX, DOCX, printable HTML), the
//! IATI export, the CSV template, and the coordinators' import and copy to a
//! new year. Imports take the table pasted as text (copying the Programme's
//! table out of Word gives exactly the tab-separated form seed 003 has) or
//! the CSV template's contents.

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use zakrila_domain::{
    policy::{Action, Resource},
    user::Locale,
};
use zakrila_programme::{
    Lang as ReportLang, annual_report_docx, annual_report_xlsx, parse_csv, parse_tsv, roman,
    write_csv_template, write_iati,
};
use zakrila_store::{
    StoreError,
    programme::{CONFLICT_EXISTS, directory_matcher},
};

use super::{
    load,
    standing::{self, number, percent, today},
    standing_label,
};
use crate::{
    auth::PageUser,
    error::{AppError, HttpError},
    i18n::{t, t_args},
    lang::Lang,
    state::AppState,
    views::{layout::Base, render},
};

/// The Commission's identifier in IATI files.
pub const NCCTHB_IATI_REF: &str = "BG-GOV-NCCTHB";

#[derive(Template)]
#[template(path = "programme_empty.html")]
pub struct EmptyPage {
    pub base: Base,
    pub can_manage: bool,
}

#[derive(Debug, Deserialize)]
pub struct LangQuery {
    #[serde(default)]
    pub lang: Option<String>,
}

fn report_lang(q: &LangQuery, page: Locale) -> ReportLang {
    match q.lang.as_deref() {
        Some("en") => ReportLang::En,
        Some("bg") => ReportLang::Bg,
        _ if page == Locale::En => ReportLang::En,
        _ => ReportLang::Bg,
    }
}

fn download(bytes: Vec<u8>, content_type: &'static str, name: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

fn internal<E: std::fmt::Display>(e: E) -> HttpError {
    tracing::error!(error = %e, "writing a programme file failed");
    AppError::Internal.into()
}

pub async fn xlsx(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(year): Path<i32>,
    Query(q): Query<LangQuery>,
) -> Result<Response, HttpError> {
    a.require(Action::ViewProgramme, &Resource::System)?;
    let l = load(&state, year).await?;
    let bytes = annual_report_xlsx(&l.stored.programme, &l.actuals, report_lang(&q, lang))
        .map_err(internal)?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("programme-{year}-report.xlsx"),
    ))
}

pub async fn docx(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(year): Path<i32>,
    Query(q): Query<LangQuery>,
) -> Result<Response, HttpError> {
    a.require(Action::ViewProgramme, &Resource::System)?;
    let l = load(&state, year).await?;
    let bytes = annual_report_docx(&l.stored.programme, &l.actuals, report_lang(&q, lang))
        .map_err(internal)?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        format!("programme-{year}-report.docx"),
    ))
}

pub async fn iati(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Path(year): Path<i32>,
) -> Result<Response, HttpError> {
    a.require(Action::ViewProgramme, &Resource::System)?;
    let l = load(&state, year).await?;
    let mut out = vec![];
    write_iati(&l.stored.programme, &l.actuals, NCCTHB_IATI_REF, &mut out).map_err(internal)?;
    Ok(download(
        out,
        "application/xml; charset=utf-8",
        format!("programme-{year}-iati.xml"),
    ))
}

pub async fn csv_template(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Path(year): Path<i32>,
) -> Result<Response, HttpError> {
    a.require(Action::ViewProgramme, &Resource::System)?;
    let l = load(&state, year).await?;
    let mut out = vec![];
    write_csv_template(&l.stored.programme, &mut out).map_err(internal)?;
    Ok(download(
        out,
        "text/csv; charset=utf-8",
        format!("programme-{year}.csv"),
    ))
}

pub struct ReportLine {
    pub section: Option<String>,
    pub code: String,
    pub title: String,
    pub lead: String,
    pub budget: String,
    pub indicators: Vec<(String, String, String, String, String)>,
    pub standing: String,
}

#[derive(Template)]
#[template(path = "programme_report.html")]
pub struct ReportPage {
    pub base: Base,
    pub year: i32,
    pub title: String,
    pub lines: Vec<ReportLine>,
}

/// The annual report as a printable page.
pub async fn printable(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(year): Path<i32>,
) -> Result<Response, HttpError> {
    a.require(Action::ViewProgramme, &Resource::System)?;
    let l = load(&state, year).await?;
    let standings = standing::activities(&l.stored, &l.actuals, &l.reports, today());
    let base = Base::for_user(&a, lang, "programme-report-html");
    let num = |v: Option<f64>| v.map(|v| number(v, lang)).unwrap_or_else(|| "—".into());
    let mut lines = vec![];
    let mut section = 0;
    for (act, st) in l.stored.programme.activities.iter().zip(&standings) {
        let heading = (act.section != section).then(|| {
            section = act.section;
            let title = l
                .stored
                .programme
                .section(section)
                .map(|s| s.title.clone())
                .unwrap_or_default();
            format!("{} {}", roman(section), title)
        });
        lines.push(ReportLine {
            section: heading,
            code: act.code.clone(),
            title: act.title.clone(),
            lead: act
                .lead
                .iter()
                .map(|i| i.mention.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            budget: act
                .budget
                .amount
                .map(|b| {
                    format!(
                        "{b} / {},{:02} EUR",
                        b.eur_cents() / 100,
                        b.eur_cents() % 100
                    )
                })
                .unwrap_or_default(),
            indicators: act
                .indicators
                .iter()
                .zip(&st.indicators)
                .map(|(i, ach)| {
                    (
                        i.name.clone(),
                        num(i.baseline),
                        num(i.target),
                        num(ach.achieved),
                        percent(ach.percent_of_target),
                    )
                })
                .collect(),
            standing: standing_label(&base, st.standing),
        });
    }
    render(&ReportPage {
        title: l.stored.programme.title.clone(),
        base,
        year,
        lines,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub content: String,
    /// The checkbox confirming that an existing year is replaced.
    #[serde(default)]
    pub replace: Option<String>,
}

#[derive(Template)]
#[template(path = "programme_import.html")]
pub struct ImportPage {
    pub base: Base,
    pub form: ImportForm,
    pub errors: Vec<String>,
    /// Shown after an import, or when confirmation is needed.
    pub outcome: Option<String>,
    pub ask_replace: bool,
    pub issues: Vec<(String, String)>,
    pub years: Vec<i32>,
}

async fn import_page(
    state: &AppState,
    base: Base,
    form: ImportForm,
    errors: Vec<String>,
    outcome: Option<String>,
    ask_replace: bool,
    issues: Vec<(String, String)>,
) -> Result<Response, HttpError> {
    let years = state.store.programme_years().await?;
    let status = if errors.is_empty() && !ask_replace {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = render(&ImportPage {
        base,
        form,
        errors,
        outcome,
        ask_replace,
        issues,
        years,
    })?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn import_form(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
) -> Result<Response, HttpError> {
    a.require(Action::ManageProgramme, &Resource::System)?;
    let base = Base::for_user(&a, lang, "programme-import");
    import_page(
        &state,
        base,
        ImportForm {
            format: "tsv".into(),
            ..Default::default()
        },
        vec![],
        None,
        false,
        vec![],
    )
    .await
}

pub async fn import(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Form(f): Form<ImportForm>,
) -> Result<Response, HttpError> {
    a.require(Action::ManageProgramme, &Resource::System)?;
    let base = Base::for_user(&a, lang, "programme-import");
    let Ok(year) = f.year.trim().parse::<i32>().map_err(|_| ()).and_then(|y| {
        if (2000..=2100).contains(&y) {
            Ok(y)
        } else {
            Err(())
        }
    }) else {
        return import_page(
            &state,
            base,
            f,
            vec![t(lang, "error-programme-year")],
            None,
            false,
            vec![],
        )
        .await;
    };
    let parsed = if f.format == "csv" {
        parse_csv(f.content.as_bytes(), year, &directory_matcher)
    } else {
        parse_tsv(&f.content, year, &directory_matcher)
    };
    let (programme, report) = match parsed {
        Ok(v) => v,
        Err(e) => {
            return import_page(
                &state,
                base,
                f,
                vec![format!("{}: {e}", t(lang, "error-programme-unreadable"))],
                None,
                false,
                vec![],
            )
            .await;
        }
    };
    let issues = report
        .issues
        .iter()
        .map(|i| {
            (
                i.activity.clone().unwrap_or_default(),
                if lang == Locale::En {
                    i.message_en.clone()
                } else {
                    i.message_bg.clone()
                },
            )
        })
        .collect();
    let replace = f.replace.is_some();
    match state
        .store
        .import_programme(
            Some(a.user_uuid()),
            &programme,
            &report,
            if f.format == "csv" { "csv" } else { "tsv" },
            replace,
        )
        .await
    {
        Ok(s) => {
            let outcome = t_args(
                lang,
                "programme-imported",
                &[
                    ("year", s.year.to_string()),
                    ("sections", s.sections.to_string()),
                    ("activities", s.activities.to_string()),
                    ("issues", s.issues.to_string()),
                ],
            );
            import_page(
                &state,
                base,
                ImportForm {
                    format: f.format,
                    ..Default::default()
                },
                vec![],
                Some(outcome),
                false,
                issues,
            )
            .await
        }
        Err(StoreError::Conflict(CONFLICT_EXISTS)) => {
            let outcome = t_args(
                lang,
                "programme-exists-confirm",
                &[("year", year.to_string())],
            );
            import_page(&state, base, f, vec![], Some(outcome), true, issues).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub struct CopyForm {
    pub from: i32,
    pub to: i32,
    #[serde(default)]
    pub replace: Option<String>,
}

/// Next year's programme from this year's structure, values cleared.
pub async fn copy(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Form(f): Form<CopyForm>,
) -> Result<Response, HttpError> {
    a.require(Action::ManageProgramme, &Resource::System)?;
    match state
        .store
        .copy_programme(Some(a.user_uuid()), f.from, f.to, f.replace.is_some())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/programme/{}", f.to)).into_response()),
        Err(StoreError::Conflict(CONFLICT_EXISTS)) => {
            let base = Base::for_user(&a, lang, "programme-import");
            let msg = t_args(
                lang,
                "programme-exists-confirm",
                &[("year", f.to.to_string())],
            );
            import_page(
                &state,
                base,
                ImportForm {
                    format: "tsv".into(),
                    ..Default::default()
                },
                vec![msg],
                None,
                false,
                vec![],
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
