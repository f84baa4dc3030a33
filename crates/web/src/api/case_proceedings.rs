//! `/api/v1/cases/{id}/proceedings` and `/offenders`: criminal proceedings beside
//! the case (with the state compensation claim) and the offenders, described for
//! statistics only. Thin adapters over `zakrila_app::proceedings`.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use zakrila_app::proceedings::{
    OffenderBody, OffenderOut, OffenderStatusBody, ProceedingsBody, ProceedingsOut,
};

use super::case_details::IdentityParams;
use crate::{auth::ApiUser, error::HttpError, state::AppState};

/// The proceedings in which the case's person takes part; the court case numbers
/// only with `identity=true`.
#[utoipa::path(get, path = "/api/v1/cases/{id}/proceedings", tag = "case details", params(("id" = String, Path), IdentityParams), responses((status = 200, body = Vec<ProceedingsOut>), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Query(p): Query<IdentityParams>,
) -> Result<Json<Vec<ProceedingsOut>>, HttpError> {
    Ok(Json(state.app.proceedings(&a, &id, p.identity).await?))
}

/// Records criminal proceedings.
#[utoipa::path(post, path = "/api/v1/cases/{id}/proceedings", tag = "case details", params(("id" = String, Path)), request_body = ProceedingsBody,
    responses((status = 201, body = ProceedingsOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<ProceedingsBody>,
) -> Result<(StatusCode, Json<ProceedingsOut>), HttpError> {
    let p = state.app.add_proceedings(&a, &id, b).await?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// Updates proceedings (optimistic: send the version read).
#[utoipa::path(put, path = "/api/v1/cases/{id}/proceedings/{proceedings_id}", tag = "case details", params(("id" = String, Path), ("proceedings_id" = String, Path)), request_body = ProceedingsBody,
    responses((status = 200, body = ProceedingsOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path((id, pid)): Path<(String, String)>,
    Json(b): Json<ProceedingsBody>,
) -> Result<Json<ProceedingsOut>, HttpError> {
    Ok(Json(state.app.update_proceedings(&a, &id, &pid, b).await?))
}

/// Records a hearing of the proceedings (day, time, a note without names).
#[utoipa::path(post, path = "/api/v1/cases/{id}/proceedings/{proceedings_id}/hearings", tag = "case details", params(("id" = String, Path), ("proceedings_id" = String, Path)), request_body = zakrila_app::hearings::HearingBody,
    responses((status = 201, body = zakrila_app::hearings::HearingOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn add_hearing(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path((id, pid)): Path<(String, String)>,
    Json(b): Json<zakrila_app::hearings::HearingBody>,
) -> Result<(StatusCode, Json<zakrila_app::hearings::HearingOut>), HttpError> {
    let h = state.app.add_hearing(&a, &id, &pid, b).await?;
    Ok((StatusCode::CREATED, Json(h)))
}

/// The case's offenders (never named).
#[utoipa::path(get, path = "/api/v1/cases/{id}/offenders", tag = "case details", params(("id" = String, Path)), responses((status = 200, body = Vec<OffenderOut>), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn offenders(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<OffenderOut>>, HttpError> {
    Ok(Json(state.app.offenders(&a, &id).await?))
}

/// Records an offender.
#[utoipa::path(post, path = "/api/v1/cases/{id}/offenders", tag = "case details", params(("id" = String, Path)), request_body = OffenderBody,
    responses((status = 201, body = OffenderOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn add_offender(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<OffenderBody>,
) -> Result<(StatusCode, Json<OffenderOut>), HttpError> {
    let o = state.app.add_offender(&a, &id, b).await?;
    Ok((StatusCode::CREATED, Json(o)))
}

/// Changes an offender's legal status (optimistic: send the version read).
#[utoipa::path(post, path = "/api/v1/cases/{id}/offenders/{offender_id}", tag = "case details", params(("id" = String, Path), ("offender_id" = String, Path)), request_body = OffenderStatusBody,
    responses((status = 200, body = OffenderOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn offender_status(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path((id, oid)): Path<(String, String)>,
    Json(b): Json<OffenderStatusBody>,
) -> Result<Json<OffenderOut>, HttpError> {
    Ok(Json(state.app.set_offender_status(&a, &id, &oid, b).await?))
}
