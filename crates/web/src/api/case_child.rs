//! `/api/v1/cases/{id}/child`: what a child's case adds — the guardian (shown only
//! on an audited identity read), the coordination mechanism with the State Agency
//! for Child Protection, and proposals under Art. 76a of the Personal Documents Act.
//! Thin adapters over `zakrila_app::child`.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use serde::Deserialize;
use utoipa::IntoParams;
use zakrila_app::child::{ChildBody, ChildOut, ProposalBody, ProposalDecisionBody, ProposalOut};

use crate::{auth::ApiUser, error::HttpError, state::AppState};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChildParams {
    /// Include the guardian (needs the right to see identities; audited).
    #[serde(default)]
    identity: bool,
}

/// What the child's case records.
#[utoipa::path(get, path = "/api/v1/cases/{id}/child", tag = "case details", params(("id" = String, Path), ChildParams), responses((status = 200, body = ChildOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn get_child(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Query(p): Query<ChildParams>,
) -> Result<Json<ChildOut>, HttpError> {
    Ok(Json(state.app.child(&a, &id, p.identity).await?))
}

/// Records the guardian and the coordination mechanism (optimistic: send the version).
#[utoipa::path(put, path = "/api/v1/cases/{id}/child", tag = "case details", params(("id" = String, Path)), request_body = ChildBody,
    responses((status = 200, body = ChildOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn put_child(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<ChildBody>,
) -> Result<Json<ChildOut>, HttpError> {
    Ok(Json(state.app.save_child(&a, &id, b).await?))
}

/// Records a proposal under Art. 76a of the Personal Documents Act.
#[utoipa::path(post, path = "/api/v1/cases/{id}/child/proposals", tag = "case details", params(("id" = String, Path)), request_body = ProposalBody,
    responses((status = 201, body = ProposalOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn add_proposal(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    Json(b): Json<ProposalBody>,
) -> Result<(StatusCode, Json<ProposalOut>), HttpError> {
    let p = state.app.add_proposal(&a, &id, b).await?;
    Ok((StatusCode::CREATED, Json(p)))
}

/// Records the decision on a proposal (granted, refused), its withdrawal, or puts it
/// back to submitted (optimistic: send the version).
#[utoipa::path(put, path = "/api/v1/cases/{id}/child/proposals/{proposal_id}", tag = "case details", params(("id" = String, Path), ("proposal_id" = String, Path)), request_body = ProposalDecisionBody,
    responses((status = 200, body = ProposalOut), (status = 404, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 409, body = super::ProblemDoc, content_type = "application/problem+json"), (status = 422, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn decide_proposal(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path((id, proposal_id)): Path<(String, String)>,
    Json(b): Json<ProposalDecisionBody>,
) -> Result<Json<ProposalOut>, HttpError> {
    Ok(Json(
        state.app.decide_proposal(&a, &id, &proposal_id, b).await?,
    ))
}
