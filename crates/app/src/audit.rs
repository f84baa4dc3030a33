//! The audit trail as admins and auditors read it: newest first, filtered by who,
//! on what and which action, paged by sequence number, and exported whole (the
//! export itself audited). The trail's writing and its hash chain are the store's.

use serde::{Deserialize, Serialize};
use zakrila_domain::policy::{Action, Resource};
use zakrila_store::audit::{self, AuditEntry, AuditQuery};

use crate::{App, AppError, Authed};

/// Page size when the filter names none.
pub const DEFAULT_LIMIT: u64 = 100;
/// Largest page an API caller may ask for.
pub const MAX_LIMIT: u64 = 1000;
/// Largest export.
pub const EXPORT_LIMIT: u64 = 100_000;

/// A filter over the trail, from the page's form or the API's query string. Blank
/// fields filter nothing.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// Only events by this user id.
    pub actor: Option<String>,
    /// Only events on this kind of entity (`user`, `case`…).
    pub entity: Option<String>,
    /// Only events on this entity id.
    pub entity_id: Option<String>,
    /// Only actions starting with this (`auth.`).
    pub action: Option<String>,
    /// Events before this sequence number (paging).
    pub before: Option<i64>,
    /// Page size, at most 1000.
    pub limit: Option<u64>,
}

fn given(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl AuditFilter {
    fn query(&self, about_org: Option<String>) -> Result<AuditQuery, AppError> {
        let actor = given(&self.actor)
            .map(|s| uuid::Uuid::parse_str(&s))
            .transpose()
            .map_err(|_| AppError::invalid("error-uuid", Some("actor")))?;
        Ok(AuditQuery {
            actor,
            entity: given(&self.entity),
            entity_id: given(&self.entity_id),
            action_prefix: given(&self.action),
            before_seq: self.before,
            about_org,
        })
    }
}

/// One event of the trail.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AuditEvent {
    pub seq: i64,
    /// UTC milliseconds since the epoch.
    pub at: i64,
    pub actor_id: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub hash: String,
}

impl App {
    /// The part of the trail the actor may read: all of it for the Commission's
    /// auditors, otherwise what concerns the actor's own organisation.
    fn audit_scope(a: &Authed) -> Result<Option<String>, AppError> {
        if a.can(Action::ViewAudit, &Resource::AuditTrail { about: None }) {
            return Ok(None);
        }
        a.require(
            Action::ViewAudit,
            &Resource::AuditTrail {
                about: Some(a.actor.org_id),
            },
        )?;
        Ok(Some(a.org.id.clone()))
    }

    async fn events(
        &self,
        a: &Authed,
        f: &AuditFilter,
        limit: u64,
    ) -> Result<Vec<AuditEvent>, AppError> {
        let q = f.query(Self::audit_scope(a)?)?;
        Ok(audit::list(&self.store.reads, &q, limit)
            .await?
            .into_iter()
            .map(|e| AuditEvent {
                seq: e.seq,
                at: e.at,
                actor_id: e.actor_id,
                action: e.action,
                entity: e.entity,
                entity_id: e.entity_id,
                hash: e.hash,
            })
            .collect())
    }

    /// A page of events, newest first (`limit`, default 100, at most 1000).
    pub async fn audit_events(
        &self,
        a: &Authed,
        f: &AuditFilter,
    ) -> Result<Vec<AuditEvent>, AppError> {
        let limit = f.limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT);
        self.events(a, f, limit).await
    }

    /// Every event the filter selects (up to 100,000) for a download; the export
    /// is itself an audited event.
    pub async fn export_audit(
        &self,
        a: &Authed,
        f: &AuditFilter,
    ) -> Result<Vec<AuditEvent>, AppError> {
        let rows = self.events(a, f, EXPORT_LIMIT).await?;
        self.store
            .record(
                AuditEntry::new(Some(a.user_uuid()), "audit.export", "audit")
                    .change(serde_json::json!({"rows": rows.len()})),
            )
            .await?;
        Ok(rows)
    }
}
