//! `/api/v1/cases/{id}/referrals-abroad` and their count in the statistics. Thin
//! adapters over `zakrila_app::abroad`.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use serde::Deserialize;
use utoipa::IntoParams;
use zakrila_app::abroad::{AbroadCount, AbroadOut, AbroadStatusBody, ReferralAbroadBody};

use crate::{auth::ApiUser, error::HttpError, state::AppState};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AbroadParams {
    /// Include the contacts (needs the right to see identities; audited).
    #[serde(default)]
    identity: bool,
}

/// A case's referrals to and from counterparts abroad, newest first.
#[utoipa::path(get, path = "/api/v1/cases/{id}/referrals-abroad", tag = "referrals abroad", params(("id" = String, Path), AbroadParams), responses((status = 200, body = Vec<AbroadOut>)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Query(p): Query<AbroadParams>,
) -> Result<Json<Vec<AbroadOut>>, HttpError> {
    Ok(Json(state.app.referrals_abroad(&a, &id, p.identity).await?))
}

/// Records a referral to or from a counterpart abroad (status "sent").
#[utoipa::path(post, path = "/api/v1/cases/{id}/referrals-abroad", tag = "referrals abroad", params(("id" = String, Path)), request_body = ReferralAbroadBody,
    responses((status = 201, body = AbroadOut), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<ReferralAbroadBody>,
) -> Result<(StatusCode, Json<AbroadOut>), HttpError> {
    let r = state.app.refer_abroad(&a, &id, b).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// Moves a referral abroad to its next status (optimistic: send the version).
#[utoipa::path(post, path = "/api/v1/cases/{id}/referrals-abroad/{rid}/status", tag = "referrals abroad", params(("id" = String, Path), ("rid" = String, Path)), request_body = AbroadStatusBody,
    responses((status = 200, body = AbroadOut), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn status(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path((id, rid)): Path<(String, String)>,
    Json(b): Json<AbroadStatusBody>,
) -> Result<Json<AbroadOut>, HttpError> {
    Ok(Json(state.app.set_abroad_status(&a, &id, &rid, b).await?))
}

/// Referrals abroad of the whole network, counted by year, direction, country and kind.
#[utoipa::path(get, path = "/api/v1/stats/referrals-abroad", tag = "statistics", responses((status = 200, body = Vec<AbroadCount>)))]
pub async fn counts(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> Result<Json<Vec<AbroadCount>>, HttpError> {
    Ok(Json(state.app.abroad_counts(&a).await?))
}
