//! `GET /api/v1/audit`: the audit trail, for admins and auditors.

use axum::{
    Json,
    extract::{Query, State},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zakrila_domain::policy::{Action, Resource};
use zakrila_store::audit::{self, AuditQuery};

use crate::{
    auth::ApiUser,
    error::{AppError, HttpError},
    state::AppState,
};

#[derive(Deserialize, IntoParams)]
pub struct AuditParams {
    /// Only events by this user id.
    actor: Option<String>,
    /// Only events on this kind of entity (`user`, `case`…).
    entity: Option<String>,
    /// Only events on this entity id.
    entity_id: Option<String>,
    /// Only actions starting with this (`auth.`).
    action: Option<String>,
    /// Events before this sequence number (paging).
    before: Option<i64>,
    /// Page size, at most 1000.
    limit: Option<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEvent {
    pub seq: i64,
    /// UTC milliseconds since the epoch.
    pub at: i64,
    pub actor_id: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub digest: String,
    pub hash: String,
}

/// Audit events, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams), responses((status = 200, body = Vec<AuditEvent>), (status = 403, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Query(p): Query<AuditParams>,
) -> Result<Json<Vec<AuditEvent>>, HttpError> {
    a.require(Action::ViewAudit, &Resource::System)?;
    let actor = match p.actor.as_deref().map(uuid::Uuid::parse_str) {
        Some(Err(_)) => return Err(AppError::invalid("error-uuid", Some("actor")).into()),
        other => other.and_then(Result::ok),
    };
    let q = AuditQuery {
        actor,
        entity: p.entity,
        entity_id: p.entity_id,
        action_prefix: p.action,
        before_seq: p.before,
    };
    let rows = audit::list(&state.store.db, &q, p.limit.unwrap_or(100).min(1000)).await?;
    Ok(Json(
        rows.into_iter()
            .map(|e| AuditEvent {
                seq: e.seq,
                at: e.at,
                actor_id: e.actor_id,
                action: e.action,
                entity: e.entity,
                entity_id: e.entity_id,
                digest: e.digest,
                hash: e.hash,
            })
            .collect(),
    ))
}
