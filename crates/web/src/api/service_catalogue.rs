//! `/api/v1/service-catalogue`: the national services and the caller's
//! organisation's own, which its admins add and retire.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use zakrila_app::service_catalogue::{CatalogueEntry, NewCatalogueEntryBody};

use crate::{auth::ApiUser, error::HttpError, state::AppState};

/// The national entries and the caller's organisation's own (retired ones too).
#[utoipa::path(get, path = "/api/v1/service-catalogue", tag = "cases",
    responses((status = 200, body = Vec<CatalogueEntry>)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> Result<Json<Vec<CatalogueEntry>>, HttpError> {
    Ok(Json(state.app.service_catalogue(&a).await?))
}

/// Adds a service of the caller's organisation (its admins); only it plans it.
#[utoipa::path(post, path = "/api/v1/service-catalogue", tag = "cases", request_body = NewCatalogueEntryBody,
    responses((status = 201, body = CatalogueEntry),
        (status = 403, body = super::ProblemDoc, content_type = "application/problem+json"),
        (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn add(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Json(b): Json<NewCatalogueEntryBody>,
) -> Result<(StatusCode, Json<CatalogueEntry>), HttpError> {
    let e = state.app.add_catalogue_entry(&a, b).await?;
    Ok((StatusCode::CREATED, Json(e)))
}

/// Stops offering one of the organisation's own services; services planned with
/// it keep it.
#[utoipa::path(post, path = "/api/v1/service-catalogue/{code}/retire", tag = "cases",
    params(("code" = String, Path)),
    responses((status = 200, body = CatalogueEntry),
        (status = 403, body = super::ProblemDoc, content_type = "application/problem+json"),
        (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn retire(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(code): Path<String>,
) -> Result<Json<CatalogueEntry>, HttpError> {
    Ok(Json(state.app.retire_catalogue_entry(&a, &code).await?))
}
