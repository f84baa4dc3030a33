//! `GET /api/v1/audit`: the audit trail, for admins and auditors (operations in
//! `zakrila_app::audit`).

use axum::{
    Json,
    extract::{Query, State},
};
use zakrila_app::audit::{AuditEvent, AuditFilter};

use crate::{auth::ApiUser, error::HttpError, state::AppState};

/// Audit events, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditFilter), responses((status = 200, body = Vec<AuditEvent>), (status = 403, body = super::ProblemDoc, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Query(f): Query<AuditFilter>,
) -> Result<Json<Vec<AuditEvent>>, HttpError> {
    Ok(Json(state.app.audit_events(&a, &f).await?))
}
