//! The caseload (search, filters, pages) and registering a case. The case page
//! itself is in `case_page.rs`.

use askama::Template;
use axum::{
    Form,
    extract::{Query, State},
    http::HeaderMap,
    response::Response,
};
use serde::Deserialize;
use zakrila_app::cases::CaseQuery;
use zakrila_domain::{
    case::{ExploitationForm, IdentificationKind, RawNewCase, Sex, Stage},
    policy::Action,
    user::Locale,
};

use crate::{
    auth::PageUser,
    error::HttpError,
    lang::Lang,
    state::AppState,
    views::{
        layout::{Base, datetime},
        render,
    },
};

/// `(code, label)` pairs of a vocabulary in the reader's language.
#[macro_export]
macro_rules! options {
    ($t:ty, $lang:expr) => {
        <$t>::ALL
            .iter()
            .map(|v| (v.as_str(), $lang.pick(v.label_bg(), v.label_en())))
            .collect::<Vec<(&'static str, &'static str)>>()
    };
}

/// The label of a stored vocabulary code, or the code itself if unknown.
#[macro_export]
macro_rules! label {
    ($t:ty, $code:expr, $lang:expr) => {
        <$t>::parse($code)
            .map(|v| $lang.pick(v.label_bg(), v.label_en()))
            .unwrap_or("")
            .to_owned()
    };
}

pub use super::case_record::countries;
use super::case_record::{self, RecordForm, Values};

pub struct Row {
    pub id: String,
    pub code: String,
    pub stage: String,
    pub profile: String,
    pub forms: String,
    pub referred: bool,
    pub updated: String,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    form: String,
    #[serde(default)]
    page: u64,
}

#[derive(Template)]
#[template(path = "cases.html")]
pub struct CasesPage {
    pub base: Base,
    pub q: String,
    pub stage: String,
    pub form: String,
    pub stages: Vec<(&'static str, &'static str)>,
    pub forms: Vec<(&'static str, &'static str)>,
    pub rows: Vec<Row>,
    /// "37", or "1000+" past the count's cap.
    pub total: String,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Show the form of the export with identities.
    pub can_export_identities: bool,
    pub can_import: bool,
}

#[derive(Template)]
#[template(path = "cases_rows_partial.html")]
pub struct CasesRows {
    pub base: Base,
    pub rows: Vec<Row>,
    /// "37", or "1000+" past the count's cap.
    pub total: String,
    pub prev: Option<String>,
    pub next: Option<String>,
}

fn page_link(q: &ListQuery, page: u64) -> String {
    // The search text is not put in links: it may be a person's name. Paging keeps
    // the filters only; a name search shows its first page.
    format!("/cases?stage={}&form={}&page={page}", q.stage, q.form)
}

pub async fn list(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Result<Response, HttpError> {
    caseload(state, a, lang, headers, q, false).await
}

/// The search form posts, so that a name typed into it never lands in a URL (browser
/// history, proxy logs); the filters and pages stay in links.
pub async fn search(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    headers: HeaderMap,
    Form(q): Form<ListQuery>,
) -> Result<Response, HttpError> {
    caseload(state, a, lang, headers, q, true).await
}

async fn caseload(
    state: AppState,
    a: crate::auth::Authed,
    lang: Locale,
    headers: HeaderMap,
    q: ListQuery,
    posted: bool,
) -> Result<Response, HttpError> {
    let query = CaseQuery {
        q: Some(q.q.clone()),
        stage: Some(q.stage.clone()),
        form: Some(q.form.clone()),
        risk: None,
        page: Some(q.page),
    };
    // A name is searched only from the posted form (limited and audited); a link
    // carries filters and case codes.
    let found = if posted {
        state.app.search_caseload(&a, &query).await?
    } else {
        state.app.caseload(&a, &query).await?
    };
    let total = if found.total_capped {
        format!("{}+", found.total)
    } else {
        found.total.to_string()
    };
    let t = |k: &str| crate::i18n::t(lang, k);
    let rows = found
        .items
        .into_iter()
        .map(|i| Row {
            profile: [
                label!(Sex, i.sex.as_deref().unwrap_or_default(), lang),
                i.age_band.clone().unwrap_or_default(),
                i.citizenship
                    .as_deref()
                    .map(|c| crate::format::country(c, lang))
                    .unwrap_or_default(),
                if i.child == Some(true) {
                    t("case-child")
                } else {
                    String::new()
                },
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
            forms: i
                .forms
                .iter()
                .map(|f| label!(ExploitationForm, f, lang))
                .collect::<Vec<_>>()
                .join(", "),
            stage: label!(Stage, &i.stage, lang),
            referred: i.referred,
            updated: datetime(i.updated_at),
            id: i.id,
            code: i.code,
        })
        .collect();
    let prev = (q.page > 0).then(|| page_link(&q, q.page - 1));
    let next = found.has_next.then(|| page_link(&q, q.page + 1));
    let base = Base::for_user(&a, lang, "cases-title");
    if headers.contains_key("hx-request") {
        return render(&CasesRows {
            base,
            rows,
            total,
            prev,
            next,
        });
    }
    render(&CasesPage {
        base,
        can_export_identities: a.can_in_own_org(Action::ExportIdentities),
        can_import: a.can_in_own_org(Action::ImportCases),
        q: q.q,
        stage: q.stage,
        form: q.form,
        stages: options!(Stage, lang),
        forms: options!(ExploitationForm, lang),
        rows,
        total,
        prev,
        next,
    })
}

#[derive(Template)]
#[template(path = "case_new.html")]
pub struct NewCasePage {
    pub base: Base,
    pub errors: Vec<String>,
    pub stages: Vec<(&'static str, &'static str)>,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub orgs: Vec<(String, String)>,
    /// The record's fields, refilled after an error with each message beside its field.
    pub form: RecordForm,
}

impl NewCasePage {
    pub fn val(&self, k: &str) -> String {
        self.form.val(k)
    }
    pub fn has(&self, k: &str, value: &str) -> bool {
        self.form.has(k, value)
    }
}

async fn new_page(
    state: &AppState,
    a: &crate::auth::Authed,
    lang: Locale,
    errors: &[zakrila_app::FieldError],
    v: Values,
) -> Result<Response, HttpError> {
    let orgs = state
        .app
        .registration_orgs(a)
        .await?
        .into_iter()
        .map(|o| {
            (
                o.slug.clone(),
                format!("{} — {}", o.abbrev_bg, o.name(lang)),
            )
        })
        .collect();
    let mut form = RecordForm::new(lang, v);
    let errors = form.with_errors(lang, errors);
    render(&NewCasePage {
        base: Base::for_user(a, lang, "case-new-title"),
        errors,
        stages: options!(Stage, lang)
            .into_iter()
            .filter(|(c, _)| Stage::parse(c).is_ok_and(|s| s.is_initial()))
            .collect(),
        kinds: options!(IdentificationKind, lang),
        orgs,
        form,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
) -> Result<Response, HttpError> {
    new_page(&state, &a, lang, &[], Default::default()).await
}

/// Builds the raw registration from the form's fields.
fn raw_from_form(v: &Values) -> RawNewCase {
    let one = |k: &str| {
        v.get(k)
            .and_then(|x| x.first())
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let mut raw = RawNewCase {
        person: case_record::person_from(v),
        exploitation: case_record::exploitation_from(v),
        stage: one("stage"),
        identification: None,
    };
    if let (Some(kind), Some(by), Some(date)) =
        (one("ident_kind"), one("ident_by"), one("ident_date"))
    {
        raw.identification = Some(zakrila_domain::case::RawIdentification { kind, by, date });
    }
    raw
}

/// The form's fields by name (checkbox groups and multiple selects repeat keys).
pub fn values(fields: Vec<(String, String)>) -> Values {
    let mut v = Values::new();
    for (k, val) in fields {
        v.entry(k).or_default().push(val);
    }
    v
}

pub async fn create(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let v = values(fields);
    let result = match case_record::duration_error(&v) {
        Some(e) => Err(zakrila_app::AppError::Invalid(vec![e])),
        None => state.app.register_case(&a, raw_from_form(&v)).await,
    };
    match result {
        Ok(r) => {
            let suffix = if r.possible_duplicates.is_empty() {
                String::new()
            } else {
                format!("?duplicates={}", r.possible_duplicates.join(","))
            };
            Ok(crate::flash::redirect(
                &format!("/cases/{}{suffix}", r.id),
                "flash-case-registered",
            ))
        }
        Err(zakrila_app::AppError::Invalid(errors)) => {
            let mut r = new_page(&state, &a, lang, &errors, v).await?;
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}
