//! Exports of the caseload (CSV, XLSX), the person's right of access ("everything
//! held about me") and erasure of a closed case. Identity leaves the system only
//! for roles the policy lets see it, and every export and identity read is audited.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zakrila_domain::policy::{Action, Resource};
use zakrila_store::{
    audit::{self, AuditEntry, AuditQuery},
    cases::{CaseFilter, IdentityPlain},
    entity::case,
};

use super::{
    case_child::{ChildOut, child_out},
    case_details::{AssessmentOut, FollowUpOut, GoalOut, ReturnOut},
    case_proceedings::{OffenderOut, ProceedingsOut},
    cases::Identity,
};
use crate::{
    access::{case_for, held_case_resource},
    auth::{ApiUser, Authed},
    error::{AppError, HttpError},
    state::AppState,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

#[derive(Deserialize, IntoParams, Default)]
pub struct ExportParams {
    /// Add the identity columns (names, birth date, personal number, phone), filled
    /// for the cases whose identity the caller may see; each such read is audited.
    #[serde(default)]
    pub identity: bool,
}

const COLUMNS: [&str; 13] = [
    "code",
    "stage",
    "organisation",
    "referred",
    "sex",
    "age_band",
    "citizenship",
    "child",
    "forms",
    "risk_level",
    "identified_on",
    "reflection_ends",
    "updated_at",
];
const IDENTITY_COLUMNS: [&str; 5] = [
    "given_name",
    "family_name",
    "birth_date",
    "personal_number",
    "phone",
];

/// Every case of the caller's caseload, newest first.
async fn caseload(
    state: &AppState,
    a: &Authed,
) -> Result<Vec<zakrila_store::cases::CaseListItem>, HttpError> {
    let mut out = vec![];
    for page in 0.. {
        let found = state
            .store
            .search_cases(
                &a.org.id,
                &CaseFilter {
                    page,
                    per_page: 200,
                    ..Default::default()
                },
            )
            .await?;
        let more = found.has_next(page, 200);
        out.extend(state.store.cases_of_rows(&found.items).await?);
        if !more {
            break;
        }
    }
    Ok(out)
}

/// A CSV cell that a spreadsheet would run as a formula gets a leading apostrophe.
fn defuse(s: String) -> String {
    let risky = s.starts_with(['=', '@', '\t', '\r'])
        || (s.starts_with(['+', '-']) && s.chars().any(|c| c.is_alphabetic() || c == '('));
    if risky { format!("'{s}") } else { s }
}

/// The caseload as a table, identity columns included only on request and filled
/// only where the policy allows; audited as one export plus one read per identity.
pub async fn export(
    state: &AppState,
    a: &Authed,
    format: Format,
    with_identity: bool,
) -> Result<Response, HttpError> {
    a.require(Action::ExportCases, &Resource::Org(a.actor.org_id))?;
    let items = caseload(state, a).await?;
    let orgs = state.store.list_orgs().await?;
    let mut visible: Vec<case::Model> = vec![];
    if with_identity {
        for i in &items {
            // Every listed case is in the caller's caseload: no query per case.
            if a.can(Action::ViewIdentity, &held_case_resource(a, &i.case)) {
                visible.push(i.case.clone());
            }
        }
    }
    let identities = state
        .store
        .read_identities(a.user_uuid(), &visible, "export")
        .await?;
    let identity_of = |id: &str| {
        visible
            .iter()
            .position(|c| c.id == id)
            .map(|i| &identities[i])
    };
    let mut header: Vec<&str> = COLUMNS.to_vec();
    if with_identity {
        header.extend(IDENTITY_COLUMNS);
    }
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|i| {
            let (c, p) = (&i.case, i.person.as_ref());
            let date = |ms: i64| {
                time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
                    .map(|t| t.date().to_string())
                    .unwrap_or_default()
            };
            let mut row = vec![
                c.code.clone(),
                c.stage.clone(),
                orgs.iter()
                    .find(|o| o.id == c.org_id)
                    .map(|o| o.slug.clone())
                    .unwrap_or_default(),
                i.referred.to_string(),
                p.map(|p| p.sex.clone()).unwrap_or_default(),
                p.and_then(|p| p.age_band.clone()).unwrap_or_default(),
                p.and_then(|p| p.citizenship.clone()).unwrap_or_default(),
                p.map(|p| p.is_child.to_string()).unwrap_or_default(),
                c.forms.replace(',', ";"),
                c.risk_level.clone().unwrap_or_default(),
                c.identified_on.clone().unwrap_or_default(),
                c.reflection_ends.clone().unwrap_or_default(),
                date(c.updated_at),
            ];
            if with_identity {
                let id = identity_of(&c.id).cloned().unwrap_or_default();
                row.extend(
                    [
                        id.given_name,
                        id.family_name,
                        id.birth_date,
                        id.personal_number,
                        id.phone,
                    ]
                    .map(Option::unwrap_or_default),
                );
            }
            row
        })
        .collect();
    let (body, content_type, ext) = match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(vec![]);
            w.write_record(&header).map_err(|_| AppError::Internal)?;
            for r in &rows {
                w.write_record(r.iter().cloned().map(defuse))
                    .map_err(|_| AppError::Internal)?;
            }
            (
                w.into_inner().map_err(|_| AppError::Internal)?,
                "text/csv; charset=utf-8",
                "csv",
            )
        }
        Format::Xlsx => (
            xlsx(&header, &rows).map_err(|e| {
                tracing::error!(error = %e, "xlsx export failed");
                AppError::Internal
            })?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    state.store.record(AuditEntry::new(Some(a.user_uuid()), "case.export", "caseload").id(&a.org.id).change(serde_json::json!({
            "format": ext, "rows": rows.len(), "identity": with_identity, "identity_rows": visible.len(),
        })),
    )
    .await?;
    let disposition = format!("attachment; filename=\"zakrila-cases.{ext}\"");
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response())
}

fn xlsx(header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = wb.add_worksheet();
    sheet.set_name("cases")?;
    for (col, h) in header.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *h, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (col, v) in row.iter().enumerate() {
            // Strings, never formulas: a value typed by a person is data.
            sheet.write_string(r as u32 + 1, col as u16, v)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    wb.save_to_buffer()
}

/// The caseload as CSV (UTF-8). Audited.
#[utoipa::path(get, path = "/api/v1/cases.csv", tag = "cases", params(ExportParams), responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn export_csv(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Query(p): Query<ExportParams>,
) -> Result<Response, HttpError> {
    export(&state, &a, Format::Csv, p.identity).await
}

/// The caseload as an Excel workbook. Audited.
#[utoipa::path(get, path = "/api/v1/cases.xlsx", tag = "cases", params(ExportParams), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
pub async fn export_xlsx(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Query(p): Query<ExportParams>,
) -> Result<Response, HttpError> {
    export(&state, &a, Format::Xlsx, p.identity).await
}

#[derive(Serialize, ToSchema)]
pub struct ProfileOut {
    pub sex: String,
    pub age_band: Option<String>,
    pub citizenship: Option<String>,
    pub languages: Vec<String>,
    pub child: bool,
    pub unaccompanied: bool,
    pub disability: bool,
}

#[derive(Serialize, ToSchema)]
pub struct HistoryLine {
    pub at: i64,
    pub action: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReferralLine {
    pub to_org: String,
    pub purpose: String,
    pub status: String,
    pub created_at: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ServiceLine {
    pub service: String,
    pub status: String,
    pub due_date: Option<String>,
    pub cost_stotinki: Option<i64>,
}

/// Everything Zakrila holds about the person of one case.
#[derive(Serialize, ToSchema)]
pub struct SubjectReport {
    pub code: String,
    pub organisation: String,
    pub stage: String,
    pub closure_reason: Option<String>,
    pub identified_on: Option<String>,
    pub reflection_ends: Option<String>,
    pub risk_level: Option<String>,
    /// Set once the personal data were erased.
    pub erased_at: Option<i64>,
    pub identity: Identity,
    pub profile: ProfileOut,
    /// The exploitation record (forms, means of control, countries…).
    pub exploitation: serde_json::Value,
    pub consents: Vec<HistoryLine>,
    pub referrals: Vec<ReferralLine>,
    pub services: Vec<ServiceLine>,
    pub assessments: Vec<AssessmentOut>,
    #[serde(rename = "return")]
    pub return_trip: Option<ReturnOut>,
    pub goals: Vec<GoalOut>,
    pub follow_ups: Vec<FollowUpOut>,
    pub child: ChildOut,
    pub proceedings: Vec<ProceedingsOut>,
    pub offenders: Vec<OffenderOut>,
    /// What was done with the case and when, from the audit trail.
    pub history: Vec<HistoryLine>,
    pub generated_at: i64,
}

/// Builds the report; the identity and guardian reads and the report itself are
/// audited.
pub async fn subject_report(
    state: &AppState,
    a: &Authed,
    c: case::Model,
) -> Result<SubjectReport, HttpError> {
    let identity: IdentityPlain = state
        .store
        .read_identity(a.user_uuid(), &c, "subject report")
        .await?;
    let p = state.store.person_of(&c).await?;
    let orgs = state.store.list_orgs().await?;
    let slug = |id: &str| {
        orgs.iter()
            .find(|o| o.id == id)
            .map(|o| o.slug.clone())
            .unwrap_or_default()
    };
    let child_row = state.store.child_of_case(&c.id).await?;
    let guardian = match &child_row {
        Some(m) => {
            state
                .store
                .read_guardian(a.user_uuid(), m, "subject report")
                .await?
        }
        None => None,
    };
    let consents = state
        .store
        .consents(&c.id)
        .await?
        .into_iter()
        .map(|r| HistoryLine {
            at: (r.at.unix_timestamp_nanos() / 1_000_000) as i64,
            action: format!("{}:{}", r.kind.as_str(), r.state.as_str()),
        })
        .collect();
    let mut history: Vec<HistoryLine> = audit::list(
        &state.store.db,
        &AuditQuery {
            entity: Some("case".into()),
            entity_id: Some(c.id.clone()),
            ..Default::default()
        },
        1000,
    )
    .await?
    .into_iter()
    .map(|e| HistoryLine {
        at: e.at,
        action: e.action,
    })
    .collect();
    history.reverse();
    let report = SubjectReport {
        identity: identity.into(),
        profile: ProfileOut {
            sex: p.sex.clone(),
            age_band: p.age_band.clone(),
            citizenship: p.citizenship.clone(),
            languages: zakrila_store::comma_items(&p.languages)
                .map(str::to_owned)
                .collect(),
            child: p.is_child,
            unaccompanied: p.unaccompanied,
            disability: p.disability,
        },
        exploitation: serde_json::from_str(&c.exploitation).unwrap_or_default(),
        consents,
        referrals: state
            .store
            .referrals_of_case(&c.id)
            .await?
            .into_iter()
            .map(|r| ReferralLine {
                to_org: slug(&r.to_org),
                purpose: r.purpose,
                status: r.status,
                created_at: r.created_at,
            })
            .collect(),
        services: state
            .store
            .services_of_case(&c.id)
            .await?
            .into_iter()
            .map(|s| ServiceLine {
                service: s.service_code,
                status: s.status,
                due_date: s.due_date,
                cost_stotinki: s.cost_stotinki,
            })
            .collect(),
        assessments: state
            .store
            .assessments_of_case(&c.id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
        return_trip: state.store.return_of_case(&c.id).await?.map(Into::into),
        goals: state
            .store
            .goals_of_case(&c.id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
        follow_ups: state
            .store
            .follow_ups_of_case(&c.id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
        child: child_out(
            child_row,
            guardian,
            state.store.child_proposals(&c.id).await?,
        ),
        proceedings: state
            .store
            .proceedings_of_case(&c.id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
        offenders: state
            .store
            .offenders_of_case(&c.id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
        erased_at: state
            .store
            .erasure_of_case(&c.id)
            .await?
            .map(|e| e.erased_at),
        history,
        generated_at: zakrila_store::now_ms(),
        organisation: slug(&c.org_id),
        code: c.code.clone(),
        stage: c.stage.clone(),
        closure_reason: c.closure_reason.clone(),
        identified_on: c.identified_on.clone(),
        reflection_ends: c.reflection_ends.clone(),
        risk_level: c.risk_level.clone(),
    };
    state
        .store
        .record(AuditEntry::new(Some(a.user_uuid()), "case.subject_report", "case").id(&c.id))
        .await?;
    Ok(report)
}

/// Everything held about the case's person (right of access). Audited.
#[utoipa::path(get, path = "/api/v1/cases/{id}/subject-report", tag = "cases", params(("id" = String, Path)), responses((status = 200, body = SubjectReport), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn report(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<SubjectReport>, HttpError> {
    let c = case_for(&state, &a, &id, Action::ViewIdentity).await?;
    Ok(Json(subject_report(&state, &a, c).await?))
}

/// Erases the personal data of a closed case (identity, name index, free text);
/// refused while criminal proceedings are open. The profile stays for statistics.
#[utoipa::path(post, path = "/api/v1/cases/{id}/erase", tag = "cases", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn erase(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<StatusCode, HttpError> {
    let c = case_for(&state, &a, &id, Action::EraseCase).await?;
    state.store.erase_case(a.user_uuid(), &c.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
