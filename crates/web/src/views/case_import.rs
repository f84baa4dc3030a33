//! The import page: an organisation brings in its existing records from a
//! spreadsheet. Upload, check (a dry run that names every bad row and why), then
//! import — one operation, `App::import_cases`, as `zakrila cases import` runs.
//! The blank template (XLSX with a sheet of values, or CSV) downloads from here.

use askama::Template;
use axum::{
    extract::{Multipart, State},
    response::Response,
};
use zakrila_app::{
    AppError,
    cases::{
        IMPORT_COLUMNS, ImportInput, ImportOutcome, import_template_csv, import_template_xlsx,
    },
};
use zakrila_domain::user::Locale;

use crate::{
    auth::PageUser,
    error::HttpError,
    export::attachment,
    i18n::{t, t_args},
    lang::Lang,
    state::AppState,
    views::{layout::Base, render, unprocessable},
};

/// Uploads to this page may be this large (a spreadsheet of 100,000 records is a
/// few megabytes).
pub const IMPORT_BODY_LIMIT: usize = 64 * 1024 * 1024;
/// The most problems the page lists (the count says how many more there are).
const SHOWN_PROBLEMS: usize = 1_000;

pub struct ProblemLine {
    pub line: u32,
    pub column: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "case_import.html")]
pub struct ImportPage {
    pub base: Base,
    pub errors: Vec<String>,
    /// The outcome in a sentence.
    pub summary: Option<String>,
    pub problems: Vec<ProblemLine>,
    pub more_problems: usize,
    /// The file checked without problems: importing it is the next step.
    pub ready: bool,
}

impl ImportPage {
    fn new(base: Base) -> Self {
        ImportPage {
            base,
            errors: vec![],
            summary: None,
            problems: vec![],
            more_problems: 0,
            ready: false,
        }
    }
}

fn column_label(lang: Locale, column: &Option<String>) -> String {
    match column {
        None => String::new(),
        Some(c) => IMPORT_COLUMNS
            .iter()
            .find(|col| col.code == c)
            .map_or_else(|| c.clone(), |col| lang.pick(col.bg, col.en).to_owned()),
    }
}

fn summary(lang: Locale, o: &ImportOutcome) -> String {
    let n = |v: usize| v.to_string();
    if !o.problems.is_empty() {
        return t_args(
            lang,
            "import-bad-rows",
            &[("rows", n(o.rows)), ("bad", n(o.bad_rows()))],
        );
    }
    if o.dry_run {
        return t_args(
            lang,
            "import-checked",
            &[("rows", n(o.rows - o.already)), ("already", n(o.already))],
        );
    }
    t_args(
        lang,
        "import-done",
        &[
            ("imported", n(o.imported)),
            ("already", n(o.already)),
            ("first", o.first_code.clone().unwrap_or_default()),
            ("last", o.last_code.clone().unwrap_or_default()),
        ],
    )
}

pub async fn page(PageUser(a): PageUser, Lang(lang): Lang) -> Result<Response, HttpError> {
    a.require(
        zakrila_domain::policy::Action::ImportCases,
        &zakrila_domain::policy::Resource::Org(a.actor.org_id),
    )?;
    render(&ImportPage::new(Base::for_user(&a, lang, "import-title")))
}

pub async fn template_xlsx(PageUser(_): PageUser) -> Result<Response, HttpError> {
    Ok(attachment(import_template_xlsx()?))
}

pub async fn template_csv(PageUser(_): PageUser) -> Result<Response, HttpError> {
    Ok(attachment(import_template_csv()))
}

/// The upload: `file` and `action` (`check` for a dry run, `import`).
pub async fn submit(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    mut form: Multipart,
) -> Result<Response, HttpError> {
    let mut input = ImportInput {
        dry_run: true,
        ..ImportInput::default()
    };
    let unreadable = |_| {
        HttpError::from(AppError::invalid(
            "error-import-file-unreadable",
            Some("file"),
        ))
    };
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("file") => input.bytes = field.bytes().await.map_err(unreadable)?.to_vec(),
            Some("action") => {
                input.dry_run = field.text().await.map_err(unreadable)?.trim() != "import"
            }
            _ => {}
        }
    }
    let mut page = ImportPage::new(Base::for_user(&a, lang, "import-title"));
    match state.app.import_cases(&a, input).await {
        Ok(o) => {
            page.summary = Some(summary(lang, &o));
            page.ready = o.dry_run && o.problems.is_empty();
            page.more_problems = o.problems.len().saturating_sub(SHOWN_PROBLEMS);
            page.problems = o
                .problems
                .iter()
                .take(SHOWN_PROBLEMS)
                .map(|p| ProblemLine {
                    line: p.line,
                    column: column_label(lang, &p.column),
                    reason: t(lang, p.key),
                })
                .collect();
            if o.problems.is_empty() {
                render(&page)
            } else {
                Ok(unprocessable(render(&page)?))
            }
        }
        Err(e @ AppError::Invalid(_)) => {
            page.errors = e.keys().into_iter().map(|k| t(lang, k)).collect();
            Ok(unprocessable(render(&page)?))
        }
        Err(e) => Err(e.into()),
    }
}
