//! `/api/v1/shelters` (occupancy today and the Programme's counts) and
//! `/api/v1/cases/{id}/placements`. Thin adapters over `zakrila_app::accommodation`.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use serde::Deserialize;
use utoipa::IntoParams;
use zakrila_app::accommodation::{
    EndPlacementBody, PlacementBody, PlacementOut, ShelterCounts, ShelterOut,
};

use crate::{auth::ApiUser, error::HttpError, state::AppState};

/// Every shelter, crisis and transit centre with its capacity and occupancy today.
#[utoipa::path(get, path = "/api/v1/shelters", tag = "accommodation", responses((status = 200, body = Vec<ShelterOut>)))]
pub async fn shelters(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> Result<Json<Vec<ShelterOut>>, HttpError> {
    Ok(Json(state.app.shelters(&a).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountsParams {
    /// The year counted for "received support"; this year when absent.
    year: Option<i32>,
}

/// Persons placed, as the Programme counts them: today and in a year.
#[utoipa::path(get, path = "/api/v1/shelters/counts", tag = "accommodation", params(CountsParams), responses((status = 200, body = ShelterCounts), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn counts(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Query(p): Query<CountsParams>,
) -> Result<Json<ShelterCounts>, HttpError> {
    Ok(Json(state.app.shelter_counts(&a, p.year).await?))
}

/// A case's placements, newest first.
#[utoipa::path(get, path = "/api/v1/cases/{id}/placements", tag = "accommodation", params(("id" = String, Path)), responses((status = 200, body = Vec<PlacementOut>)))]
pub async fn placements(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<PlacementOut>>, HttpError> {
    Ok(Json(state.app.placements(&a, &id).await?))
}

/// Places the case's person in a shelter; refused (422) when it is full for them.
#[utoipa::path(post, path = "/api/v1/cases/{id}/placements", tag = "accommodation", params(("id" = String, Path)), request_body = PlacementBody,
    responses((status = 201, body = PlacementOut), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn place(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<PlacementBody>,
) -> Result<(StatusCode, Json<PlacementOut>), HttpError> {
    let p = state.app.place_in_shelter(&a, &id, b).await?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// Ends a placement: the day the person left and why (optimistic: send the version).
#[utoipa::path(post, path = "/api/v1/cases/{id}/placements/{pid}/end", tag = "accommodation", params(("id" = String, Path), ("pid" = String, Path)), request_body = EndPlacementBody,
    responses((status = 200, body = PlacementOut), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn end(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path((id, pid)): Path<(String, String)>,
    Json(b): Json<EndPlacementBody>,
) -> Result<Json<PlacementOut>, HttpError> {
    Ok(Json(state.app.end_placement(&a, &id, &pid, b).await?))
}
