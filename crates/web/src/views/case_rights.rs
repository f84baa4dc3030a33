//! Pages for the caseload exports and the person's rights: `/cases.csv`,
//! `/cases.xlsx` (in the reader's language, headings and values in words) and the printable subject report `/cases/{id}/subject-report`, over
//! the same operations as the API (`zakrila_app::case_rights`).

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    response::Response,
};
use zakrila_app::{
    case_rights::{Cells, ExportFormat, SubjectReport},
    identity_export::IdentityExportRequest,
};
use zakrila_domain::user::Locale;

use crate::{
    auth::PageUser,
    error::HttpError,
    export::{ExportParams, attachment},
    i18n,
    lang::Lang,
    state::AppState,
    views::{
        layout::{Base, datetime},
        render,
    },
};

pub async fn cases_csv(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Query(p): Query<ExportParams>,
) -> Result<Response, HttpError> {
    let f = state
        .app
        .export_caseload(&a, ExportFormat::Csv, Cells::Words(lang), p.identity)
        .await?;
    Ok(attachment(f))
}

pub async fn cases_xlsx(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Query(p): Query<ExportParams>,
) -> Result<Response, HttpError> {
    let f = state
        .app
        .export_caseload(&a, ExportFormat::Xlsx, Cells::Words(lang), p.identity)
        .await?;
    Ok(attachment(f))
}

/// The caseload page's "export with identities" form: the code re-entered.
pub async fn identity_export(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Form(req): Form<IdentityExportRequest>,
) -> Result<Response, HttpError> {
    Ok(attachment(
        state
            .app
            .export_identities(&a, &req, Cells::Words(lang))
            .await?,
    ))
}

/// One labelled line of the printable report.
pub struct Entry {
    pub label: String,
    pub value: String,
}

pub struct Section {
    pub title: String,
    pub entries: Vec<Entry>,
}

impl Section {
    /// Entries without labels are a list, not terms and definitions.
    pub fn is_list(&self) -> bool {
        self.entries.iter().all(|e| e.label.is_empty())
    }
}

#[derive(Template)]
#[template(path = "case_subject_report.html")]
pub struct ReportPage {
    pub base: Base,
    pub code: String,
    pub generated: String,
    pub sections: Vec<Section>,
    pub json_href: String,
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "—".into())
}

/// Lays the report out as sections of label/value lines. Values stay as stored
/// codes where they are codes: the report is what is held, not an interpretation.
fn sections(lang: Locale, r: &SubjectReport) -> Vec<Section> {
    let t = |k: &str| i18n::t(lang, k);
    let e = |label: &str, value: String| Entry {
        label: label.to_owned(),
        value,
    };
    let mut out = vec![
        Section {
            title: t("case-identity"),
            entries: vec![
                e(&t("field-given_name"), opt(&r.identity.given_name)),
                e(&t("field-family_name"), opt(&r.identity.family_name)),
                e(&t("field-birth_date"), opt(&r.identity.birth_date)),
                e(
                    &t("field-personal_number"),
                    opt(&r.identity.personal_number),
                ),
                e(&t("field-phone"), opt(&r.identity.phone)),
            ],
        },
        Section {
            title: t("case-profile"),
            entries: vec![
                e("stage", r.stage.clone()),
                e("organisation", r.organisation.clone()),
                e("risk_level", opt(&r.risk_level)),
                e("identified_on", opt(&r.identified_on)),
                e("closure_reason", opt(&r.closure_reason)),
                e("profile", json(&r.profile)),
                e("exploitation", readable(&r.exploitation)),
            ],
        },
    ];
    let list = |title: &str, items: Vec<String>| Section {
        title: t(title),
        entries: items
            .into_iter()
            .map(|v| Entry {
                label: String::new(),
                value: v,
            })
            .collect(),
    };
    out.push(list(
        "case-consents",
        r.consents
            .iter()
            .map(|c| format!("{} {}", datetime(c.at), c.action))
            .collect(),
    ));
    out.push(list(
        "case-referrals",
        r.referrals.iter().map(json).collect(),
    ));
    out.push(list("case-services", r.services.iter().map(json).collect()));
    out.push(list(
        "details-assessments",
        r.assessments.iter().map(json).collect(),
    ));
    out.push(list(
        "details-return",
        r.return_trip.iter().map(json).collect(),
    ));
    out.push(list(
        "details-reintegration",
        r.goals
            .iter()
            .map(json)
            .chain(r.follow_ups.iter().map(json))
            .collect(),
    ));
    out.push(list("details-child", vec![json(&r.child)]));
    out.push(list(
        "details-proceedings",
        r.proceedings
            .iter()
            .map(json)
            .chain(r.offenders.iter().map(json))
            .collect(),
    ));
    out.push(list(
        "report-documents",
        r.documents.iter().map(json).collect(),
    ));
    out.push(list(
        "subject-report-identity-reads",
        r.identity_reads
            .iter()
            .map(|l| format!("{} {} ({})", datetime(l.at), l.by, l.organisation))
            .collect(),
    ));
    out.push(list(
        "case-timeline",
        r.history
            .iter()
            .map(|h| format!("{} {}", datetime(h.at), h.action))
            .collect(),
    ));
    out
}

/// One part of the report as readable "field: value; field: value" text (the
/// JSON download next to it carries the exact structure).
fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .map(|v| readable(&v))
        .unwrap_or_default()
}

fn readable(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "—".into(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items.iter().map(readable).collect::<Vec<_>>().join(", "),
        Value::Object(fields) => fields
            .iter()
            .map(|(k, v)| format!("{k}: {}", readable(v)))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// The printable "everything held about this person" page. Audited.
pub async fn report_page(
    State(state): State<AppState>,
    PageUser(a): PageUser,
    Lang(lang): Lang,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    let r = state.app.subject_report(&a, &id).await?;
    render(&ReportPage {
        base: Base::for_user(&a, lang, "subject-report-title"),
        generated: datetime(r.generated_at),
        sections: sections(lang, &r),
        json_href: format!("/api/v1/cases/{id}/subject-report"),
        code: r.code,
    })
}
