//! Exports of the caseload (CSV, XLSX), the person's right of access ("everything
//! held about me") and erasure of a closed case: thin adapters over
//! `zakrila_app::case_rights`, which audits every export and identity read.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
};
use zakrila_app::{
    case_rights::{Cells, ExportFormat, SubjectReport},
    identity_export::IdentityExportRequest,
};

use crate::{
    auth::ApiUser,
    error::HttpError,
    export::{ExportParams, attachment},
    state::AppState,
};

/// The caseload as CSV (UTF-8; vocabulary codes and ISO dates, for programs), without identities (`identity=true` is refused:
/// see `POST /api/v1/cases/identity-export`). Audited.
#[utoipa::path(get, path = "/api/v1/cases.csv", tag = "cases", params(ExportParams), responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn export_csv(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Query(p): Query<ExportParams>,
) -> Result<Response, HttpError> {
    let f = state
        .app
        .export_caseload(&a, ExportFormat::Csv, Cells::Codes, p.identity)
        .await?;
    Ok(attachment(f))
}

/// The caseload as an Excel workbook. Audited.
#[utoipa::path(get, path = "/api/v1/cases.xlsx", tag = "cases", params(ExportParams), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
pub async fn export_xlsx(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Query(p): Query<ExportParams>,
) -> Result<Response, HttpError> {
    let f = state
        .app
        .export_caseload(&a, ExportFormat::Xlsx, Cells::Codes, p.identity)
        .await?;
    Ok(attachment(f))
}

/// The caseload as CSV with the persons' identities, for the organisation's
/// caseworkers only, after re-entering the current authenticator code (`code`; a
/// wrong one is 422 and counts towards the account's lockout). At most
/// `identity_export_max_rows` cases (default 500; more is 422: narrow by `stage` or
/// `form`). Audited as one export plus one identity read per case.
#[utoipa::path(post, path = "/api/v1/cases/identity-export", tag = "cases", request_body = IdentityExportRequest,
    responses((status = 200, content_type = "text/csv", body = String), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn identity_export(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Json(req): Json<IdentityExportRequest>,
) -> Result<Response, HttpError> {
    Ok(attachment(
        state.app.export_identities(&a, &req, Cells::Codes).await?,
    ))
}

/// Everything held about the case's person (right of access). Audited.
#[utoipa::path(get, path = "/api/v1/cases/{id}/subject-report", tag = "cases", params(("id" = String, Path)), responses((status = 200, body = SubjectReport), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn report(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<SubjectReport>, HttpError> {
    Ok(Json(state.app.subject_report(&a, &id).await?))
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
    // Calling this endpoint is the deliberate act the page's checkbox stands for.
    state.app.erase_case(&a, &id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}
