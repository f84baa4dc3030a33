//! `/api/v1/cases`: registering, finding and working on victims' cases — HTTP over
//! the operations of `zakrila_app::cases`, which the pages call too. Another
//! organisation's case is 404 on every endpoint until a referral to the caller's
//! organisation is accepted.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use zakrila_domain::case::{RawCorrection, RawNewCase};

pub use zakrila_app::cases::{
    CaseList, CaseQuery as ListParams, CaseSearch, CaseSummary, ConsentBody, Corrected,
    CorrectionLine, Identity, Registered, StageBody,
};

use crate::{auth::ApiUser, error::HttpError, state::AppState};

/// Registers a person and their case. Only `person` is required, with at least one name.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = RawNewCase,
    responses((status = 201, body = Registered), (status = 400, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn register(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Json(super::object::Object(raw)): Json<super::object::Object<RawNewCase>>,
) -> Result<(StatusCode, Json<Registered>), HttpError> {
    let r = state.app.register_case(&a, raw).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// The caller's caseload: their organisation's cases and those referred to it.
/// `q` takes a case code only; a name is refused (422) — search names with
/// `POST /api/v1/cases/search`, so that they never appear in a URL.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(ListParams), responses((status = 200, body = CaseList), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Query(p): Query<ListParams>,
) -> Result<Json<CaseList>, HttpError> {
    Ok(Json(state.app.caseload(&a, &p).await?))
}

/// Searches the caseload by a case code or a name (Cyrillic or Latin) sent in the
/// body. Each user may run 30 name searches per 10 minutes (then 429); every name
/// search is audited with the number of name words and of hits, never the words.
#[utoipa::path(post, path = "/api/v1/cases/search", tag = "cases", request_body = CaseSearch,
    responses((status = 200, body = CaseList), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn search(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Json(b): Json<CaseSearch>,
) -> Result<Json<CaseList>, HttpError> {
    Ok(Json(state.app.search_caseload(&a, &b.into()).await?))
}

/// One case (no identity; see `/identity`).
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases", params(("id" = String, Path)), responses((status = 200, body = CaseSummary), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<CaseSummary>, HttpError> {
    Ok(Json(state.app.case_summary(&a, &id).await?))
}

/// The person's identity. Every call is recorded in the audit trail.
#[utoipa::path(get, path = "/api/v1/cases/{id}/identity", tag = "cases", params(("id" = String, Path)), responses((status = 200, body = Identity), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn identity(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Identity>, HttpError> {
    Ok(Json(state.app.case_identity(&a, &id, "api").await?))
}

/// Moves the case along the National Referral Mechanism.
#[utoipa::path(post, path = "/api/v1/cases/{id}/stage", tag = "cases", params(("id" = String, Path)), request_body = StageBody,
    responses((status = 200, body = CaseSummary), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn move_stage(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<StageBody>,
) -> Result<Json<CaseSummary>, HttpError> {
    Ok(Json(state.app.move_stage(&a, &id, b).await?))
}

/// Records the person's consent being given or withdrawn.
#[utoipa::path(post, path = "/api/v1/cases/{id}/consents", tag = "cases", params(("id" = String, Path)), request_body = ConsentBody, responses((status = 204), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn consent(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<ConsentBody>,
) -> Result<StatusCode, HttpError> {
    state.app.record_consent(&a, &id, b).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Corrects the person's identity and profile (`person`) or the exploitation record
/// (`exploitation`), each sent section replacing the stored one whole, with the
/// reason. The old identity is not kept; the case is found by the new name only.
#[utoipa::path(patch, path = "/api/v1/cases/{id}", tag = "cases", params(("id" = String, Path)), request_body = RawCorrection,
    responses((status = 200, body = Corrected), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn correct(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(super::object::Object(raw)): Json<super::object::Object<RawCorrection>>,
) -> Result<Json<Corrected>, HttpError> {
    Ok(Json(state.app.correct_case(&a, &id, raw).await?))
}

/// The corrections of a case, newest first: who, when, why and which fields.
#[utoipa::path(get, path = "/api/v1/cases/{id}/corrections", tag = "cases", params(("id" = String, Path)), responses((status = 200, body = Vec<CorrectionLine>), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn corrections(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<CorrectionLine>>, HttpError> {
    Ok(Json(state.app.case_corrections(&a, &id).await?))
}
