//! `/api/v1/cases/{id}/child`: what a child's case adds — the guardian (identifying,
//! encrypted, shown only on an audited identity read), the coordination mechanism with
//! the State Agency for Child Protection, and proposals under Art. 76a of the
//! Personal Documents Act.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};
use zakrila_domain::{DomainError, case::ProposalStatus, policy::Action};
use zakrila_store::{
    cases::ChildRecord,
    entity::{case_child, child_proposal},
};

use super::case_details::Errors;
use crate::{access::case_for, auth::ApiUser, error::HttpError, state::AppState};

#[derive(Serialize, ToSchema)]
pub struct ProposalOut {
    pub id: String,
    pub proposed_on: String,
    /// submitted, granted, refused, withdrawn.
    pub status: String,
}

impl From<child_proposal::Model> for ProposalOut {
    fn from(m: child_proposal::Model) -> Self {
        ProposalOut {
            id: m.id,
            proposed_on: m.proposed_on,
            status: m.status,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ChildOut {
    pub guardian_recorded: bool,
    /// Only with `?identity=true` (an audited identity read).
    pub guardian: Option<String>,
    /// The coordination mechanism with the State Agency for Child Protection.
    pub mechanism_engaged: bool,
    pub mechanism_date: Option<String>,
    /// 0 when nothing is recorded yet.
    pub version: i32,
    /// Proposals under Art. 76a of the Personal Documents Act.
    pub proposals: Vec<ProposalOut>,
}

pub fn child_out(
    m: Option<case_child::Model>,
    guardian: Option<String>,
    proposals: Vec<child_proposal::Model>,
) -> ChildOut {
    ChildOut {
        guardian_recorded: m.as_ref().is_some_and(|m| m.guardian.is_some()),
        guardian,
        mechanism_engaged: m.as_ref().is_some_and(|m| m.mechanism_engaged),
        mechanism_date: m.as_ref().and_then(|m| m.mechanism_date.clone()),
        version: m.map_or(0, |m| m.version),
        proposals: proposals.into_iter().map(Into::into).collect(),
    }
}

#[derive(Deserialize, IntoParams)]
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
    let c = case_for(
        &state,
        &a,
        &id,
        if p.identity {
            Action::ViewIdentity
        } else {
            Action::ViewCase
        },
    )
    .await?;
    let m = state.store.child_of_case(&c.id).await?;
    let guardian = match (&m, p.identity) {
        (Some(m), true) => state.store.read_guardian(a.user_uuid(), m, "api").await?,
        _ => None,
    };
    Ok(Json(child_out(
        m,
        guardian,
        state.store.child_proposals(&c.id).await?,
    )))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChildBody {
    /// Name and contact of the guardian; absent keeps the stored one, "" clears it.
    pub guardian: Option<String>,
    #[serde(default)]
    pub mechanism_engaged: bool,
    /// `YYYY-MM-DD`, not in the future.
    pub mechanism_date: Option<String>,
    /// The version read; absent only when creating.
    pub version: Option<i32>,
}

pub fn parse_child(b: &ChildBody) -> Result<ChildRecord, HttpError> {
    let mut e = Errors::default();
    let mechanism_date = e.past_date(b.mechanism_date.as_deref(), "mechanism_date");
    if b.guardian
        .as_deref()
        .is_some_and(|g| g.chars().count() > 300)
    {
        e.0.push(DomainError::field("guardian", "error-text-too-long"));
    }
    e.finish(Some(ChildRecord {
        guardian: b.guardian.clone(),
        mechanism_engaged: b.mechanism_engaged,
        mechanism_date,
    }))
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
    let c = case_for(&state, &a, &id, Action::EditCase).await?;
    let r = parse_child(&b)?;
    let m = state
        .store
        .save_child(a.user_uuid(), &c.id, b.version, r)
        .await?;
    Ok(Json(child_out(
        Some(m),
        None,
        state.store.child_proposals(&c.id).await?,
    )))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalBody {
    /// `YYYY-MM-DD`, not in the future.
    pub proposed_on: String,
    /// submitted (default), granted, refused, withdrawn.
    pub status: Option<String>,
}

pub fn parse_proposal(b: &ProposalBody) -> Result<(Date, ProposalStatus), HttpError> {
    let mut e = Errors::default();
    if b.proposed_on.trim().is_empty() {
        e.0.push(DomainError::field("proposed_on", "error-date-format"));
    }
    let on = e.past_date(Some(&b.proposed_on), "proposed_on");
    let status = e
        .opt(b.status.as_deref(), ProposalStatus::parse)
        .unwrap_or(ProposalStatus::Submitted);
    e.finish(on.map(|on| (on, status)))
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
    let c = case_for(&state, &a, &id, Action::EditCase).await?;
    let (on, status) = parse_proposal(&b)?;
    Ok((
        StatusCode::CREATED,
        Json(
            state
                .store
                .add_child_proposal(a.user_uuid(), &c.id, on, status)
                .await?
                .into(),
        ),
    ))
}
