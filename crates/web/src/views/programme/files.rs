//! The Programme's files as downloads and pages: the annual report (XLSX, DOCX,
//! printable HTML), the IATI export, the CSV template, and the coordinators'
//! import and copy to a new year. The files are built by `App::programme_file`,
//! the import and copy are `App::import_programme` and `App::copy_programme`.

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Response},
};
use zakrila_app::programme::files::{
    CopyForm, CopyOutcome, File, FileKind, FileQuery, ImportForm, ImportOutcome,
};
use zakrila_domain::user::Locale;
use zakrila_programme::{Issue, roman};

use super::{number, percent, standing_label};
use crate::{
    auth::{Authed, PageUser},
    error::HttpError,
    i18n::{t, t_args},
    lang::Lang,
    state::AppState,
    views::{layout::Base, render, unprocessable},
};

#[derive(Template)]
#[template(path = "programme_empty.html")]
pub struct EmptyPage {
    pub base: Base,
    pub can_manage: bool,
}

fn download(f: File) -> Response {
    (
        [
            (header::CONTENT_TYPE, f.content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", f.name),
            ),
        ],
        f.bytes,
    )
        .into_response()
}

async fn file(
    state: &AppState,
    a: &Authed,
    year: i32,
    kind: FileKind,
    lang: Locale,
) -> Result<Response, HttpError> {
    Ok(download(
        state.app.programme_file(a, year, kind, lang).await?,
    ))
}

pub async fn xlsx(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(year): Path<i32>,
    Query(q): Query<FileQuery>,
) -> Result<Response, HttpError> {
    file(&state, &a, year, FileKind::AnnualReportXlsx, q.locale(lang)).await
}

pub async fn docx(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(year): Path<i32>,
    Query(q): Query<FileQuery>,
) -> Result<Response, HttpError> {
    file(&state, &a, year, FileKind::AnnualReportDocx, q.locale(lang)).await
}

pub async fn iati(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(year): Path<i32>,
) -> Result<Response, HttpError> {
    file(&state, &a, year, FileKind::Iati, lang).await
}

pub async fn csv_template(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(year): Path<i32>,
) -> Result<Response, HttpError> {
    file(&state, &a, year, FileKind::CsvTemplate, lang).await
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
    let y = state.app.programme(&a, year).await?;
    let base = Base::for_user(&a, lang, "programme-report-html");
    let num = |v: Option<f64>| v.map(|v| number(v, lang)).unwrap_or_else(|| "—".into());
    let mut lines = vec![];
    let mut section = 0;
    for (act, _, st) in y.rows() {
        let heading = (act.section != section).then(|| {
            section = act.section;
            let title = y
                .programme
                .section(section)
                .map(|s| s.title.as_str())
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
                .map(|b| crate::format::money_bgn(b.stotinki(), lang))
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
        title: y.programme.title.clone(),
        base,
        year,
        lines,
    })
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

impl ImportPage {
    fn new(base: Base, form: ImportForm, years: Vec<i32>) -> Self {
        ImportPage {
            base,
            form,
            errors: vec![],
            outcome: None,
            ask_replace: false,
            issues: vec![],
            years,
        }
    }

    /// 200 for a fresh form or a done import, 422 while something needs the
    /// coordinator's attention.
    fn answer(self) -> Result<Response, HttpError> {
        let ok = self.errors.is_empty() && !self.ask_replace;
        let r = render(&self)?;
        Ok(if ok { r } else { unprocessable(r) })
    }
}

fn tsv_form() -> ImportForm {
    ImportForm {
        format: "tsv".into(),
        ..Default::default()
    }
}

fn issue_rows(issues: Vec<Issue>, lang: Locale) -> Vec<(String, String)> {
    issues
        .into_iter()
        .map(|i| {
            let message = match lang {
                Locale::En => i.message_en,
                Locale::Bg => i.message_bg,
            };
            (i.activity.unwrap_or_default(), message)
        })
        .collect()
}

pub async fn import_form(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
) -> Result<Response, HttpError> {
    let years = state.app.programme_import_years(&a).await?;
    let base = Base::for_user(&a, lang, "programme-import");
    ImportPage::new(base, tsv_form(), years).answer()
}

pub async fn import(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Form(f): Form<ImportForm>,
) -> Result<Response, HttpError> {
    let outcome = state.app.import_programme(&a, &f).await;
    let years = state.app.programme_import_years(&a).await?;
    let base = Base::for_user(&a, lang, "programme-import");
    let mut page = ImportPage::new(base, f, years);
    match outcome {
        Ok(ImportOutcome::Imported { counts, issues }) => {
            page.outcome = Some(t_args(
                lang,
                "programme-imported",
                &[
                    ("year", counts.year.to_string()),
                    ("sections", counts.sections.to_string()),
                    ("activities", counts.activities.to_string()),
                    ("issues", counts.issues.to_string()),
                ],
            ));
            page.issues = issue_rows(issues, lang);
            page.form = ImportForm {
                format: page.form.format,
                ..Default::default()
            };
        }
        Ok(ImportOutcome::Exists { year, issues }) => {
            page.outcome = Some(t_args(
                lang,
                "programme-exists-confirm",
                &[("year", year.to_string())],
            ));
            page.ask_replace = true;
            page.issues = issue_rows(issues, lang);
        }
        Ok(ImportOutcome::Unreadable(e)) => {
            page.errors = vec![format!("{}: {e}", t(lang, "error-programme-unreadable"))];
        }
        Err(e @ zakrila_app::AppError::Invalid(_)) => {
            page.errors = e.keys().into_iter().map(|k| t(lang, k)).collect();
        }
        Err(e) => return Err(e.into()),
    }
    page.answer()
}

/// Next year's programme from this year's structure, values cleared.
pub async fn copy(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Form(f): Form<CopyForm>,
) -> Result<Response, HttpError> {
    match state.app.copy_programme(&a, &f).await? {
        CopyOutcome::Copied { year } => Ok(crate::flash::redirect(
            &format!("/programme/{year}"),
            "flash-programme-copied",
        )),
        CopyOutcome::Exists { year } => {
            let years = state.app.programme_import_years(&a).await?;
            let base = Base::for_user(&a, lang, "programme-import");
            let mut page = ImportPage::new(base, tsv_form(), years);
            page.errors = vec![t_args(
                lang,
                "programme-exists-confirm",
                &[("year", year.to_string())],
            )];
            page.answer()
        }
    }
}
