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

/// Every action code the trail holds, with the message key of its label
/// (`audit-act-…` in both languages): the trail is read in words, not codes.
pub const ACTIONS: &[(&str, &str)] = &[
    ("audit.export", "audit-act-audit-export"),
    ("audit.keyed_from", "audit-act-audit-keyed_from"),
    ("auth.signin", "audit-act-auth-signin"),
    ("auth.signin_failed", "audit-act-auth-signin_failed"),
    ("auth.signin_paused", "audit-act-auth-signin_paused"),
    ("auth.signin_password", "audit-act-auth-signin_password"),
    ("auth.signout", "audit-act-auth-signout"),
    (
        "auth.signout_everywhere",
        "audit-act-auth-signout_everywhere",
    ),
    ("auth.totp_failed", "audit-act-auth-totp_failed"),
    ("case.assessment", "audit-act-case-assessment"),
    ("case.child", "audit-act-case-child"),
    ("case.child_proposal", "audit-act-case-child_proposal"),
    (
        "case.child_proposal_decision",
        "audit-act-case-child_proposal_decision",
    ),
    ("case.consent", "audit-act-case-consent"),
    ("case.correct", "audit-act-case-correct"),
    ("case.document_add", "audit-act-case-document_add"),
    ("case.document_read", "audit-act-case-document_read"),
    ("case.document_remove", "audit-act-case-document_remove"),
    ("case.erase", "audit-act-case-erase"),
    ("case.export", "audit-act-case-export"),
    ("case.follow_up_held", "audit-act-case-follow_up_held"),
    (
        "case.follow_up_schedule",
        "audit-act-case-follow_up_schedule",
    ),
    ("case.generate", "audit-act-case-generate"),
    ("case.goal_add", "audit-act-case-goal_add"),
    ("case.goal_status", "audit-act-case-goal_status"),
    ("case.identity_export", "audit-act-case-identity_export"),
    ("case.hearing_add", "audit-act-case-hearing_add"),
    ("case.identity_read", "audit-act-case-identity_read"),
    ("case.import", "audit-act-case-import"),
    ("case.import_file", "audit-act-case-import_file"),
    ("case.name_search", "audit-act-case-name_search"),
    ("case.offender_add", "audit-act-case-offender_add"),
    ("case.placement", "audit-act-case-placement"),
    ("case.placement_end", "audit-act-case-placement_end"),
    ("case.offender_status", "audit-act-case-offender_status"),
    ("case.proceedings_add", "audit-act-case-proceedings_add"),
    (
        "case.proceedings_update",
        "audit-act-case-proceedings_update",
    ),
    ("case.referral_abroad", "audit-act-case-referral_abroad"),
    (
        "case.referral_abroad_status",
        "audit-act-case-referral_abroad_status",
    ),
    ("case.register", "audit-act-case-register"),
    ("case.return", "audit-act-case-return"),
    ("case.service_add", "audit-act-case-service_add"),
    ("case.service_status", "audit-act-case-service_status"),
    ("case.stage", "audit-act-case-stage"),
    ("consultation.open_case", "audit-act-consultation-open_case"),
    ("consultation.record", "audit-act-consultation-record"),
    ("case.subject_report", "audit-act-case-subject_report"),
    ("event.record", "audit-act-event-record"),
    ("keys.rotate", "audit-act-keys-rotate"),
    ("keys.seal_free_text", "audit-act-keys-seal_free_text"),
    ("linkage.confirm", "audit-act-linkage-confirm"),
    ("linkage.reject", "audit-act-linkage-reject"),
    ("linkage.run", "audit-act-linkage-run"),
    ("organisation.contacts", "audit-act-organisation-contacts"),
    ("organisation.create", "audit-act-organisation-create"),
    (
        "organisation.service_add",
        "audit-act-organisation-service_add",
    ),
    (
        "organisation.service_retire",
        "audit-act-organisation-service_retire",
    ),
    ("outreach.seed", "audit-act-outreach-seed"),
    ("place.create", "audit-act-place-create"),
    ("programme.delete", "audit-act-programme-delete"),
    ("programme.import", "audit-act-programme-import"),
    (
        "programme.indicator.accumulation",
        "audit-act-programme-indicator-accumulation",
    ),
    ("programme.replace", "audit-act-programme-replace"),
    ("progress.approve", "audit-act-progress-approve"),
    ("progress.note", "audit-act-progress-note"),
    ("progress.return", "audit-act-progress-return"),
    ("progress.save", "audit-act-progress-save"),
    ("progress.submit", "audit-act-progress-submit"),
    ("project.create", "audit-act-project-create"),
    ("reference.load", "audit-act-reference-load"),
    ("referral.create", "audit-act-referral-create"),
    (
        "referral.create_consent_override",
        "audit-act-referral-create_consent_override",
    ),
    ("referral.status", "audit-act-referral-status"),
    ("signal.acknowledge", "audit-act-signal-acknowledge"),
    ("signal.close", "audit-act-signal-close"),
    ("signal.duplicate", "audit-act-signal-duplicate"),
    ("signal.generate", "audit-act-signal-generate"),
    ("signal.read", "audit-act-signal-read"),
    ("signal.record", "audit-act-signal-record"),
    ("signal.refer", "audit-act-signal-refer"),
    ("signal.triage", "audit-act-signal-triage"),
    ("stats.release", "audit-act-stats-release"),
    ("stats.release_refused", "audit-act-stats-release_refused"),
    ("tip.add", "audit-act-tip-add"),
    ("tip.receive", "audit-act-tip-receive"),
    ("token.issue", "audit-act-token-issue"),
    ("token.revoke", "audit-act-token-revoke"),
    ("user.create", "audit-act-user-create"),
    ("user.disable", "audit-act-user-disable"),
    ("user.identity_access", "audit-act-user-identity_access"),
    ("user.locale", "audit-act-user-locale"),
    ("user.password_change", "audit-act-user-password_change"),
    ("user.totp_enrol", "audit-act-user-totp_enrol"),
    ("user.totp_reset", "audit-act-user-totp_reset"),
];

/// The message key of an action's label, if it has one.
pub fn action_label_key(action: &str) -> Option<&'static str> {
    ACTIONS.iter().find(|(a, _)| *a == action).map(|(_, k)| *k)
}

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
    /// Who acted, in words: the user's name and organisation.
    pub actor_name: Option<String>,
    /// What the event is about, in words where it has a name that identifies no
    /// victim: a case's code, a user's name.
    pub subject: Option<String>,
}

struct Names {
    users: std::collections::HashMap<String, String>,
    cases: std::collections::HashMap<String, String>,
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
        let events = audit::list(&self.store.reads, &q, limit).await?;
        let names = self.names_in(&events).await?;
        Ok(events
            .into_iter()
            .map(|e| AuditEvent {
                actor_name: e
                    .actor_id
                    .as_ref()
                    .and_then(|id| names.users.get(id).cloned()),
                subject: e.entity_id.as_ref().and_then(|id| match e.entity.as_str() {
                    "case" => names.cases.get(id).cloned(),
                    "user" => names.users.get(id).cloned(),
                    _ => None,
                }),
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

    /// The names of the users and the codes of the cases these events mention, read
    /// once for the whole page.
    async fn names_in(
        &self,
        events: &[zakrila_store::entity::audit_event::Model],
    ) -> Result<Names, AppError> {
        let mut user_ids: Vec<String> = events.iter().filter_map(|e| e.actor_id.clone()).collect();
        let mut case_ids = vec![];
        for e in events {
            match (e.entity.as_str(), &e.entity_id) {
                ("user", Some(id)) => user_ids.push(id.clone()),
                ("case", Some(id)) => case_ids.push(id.clone()),
                _ => {}
            }
        }
        user_ids.sort();
        user_ids.dedup();
        case_ids.sort();
        case_ids.dedup();
        let orgs: std::collections::HashMap<String, String> = self
            .store
            .list_orgs()
            .await?
            .into_iter()
            .map(|o| (o.id, o.abbrev_bg))
            .collect();
        let users = self
            .store
            .users_by_ids(&user_ids)
            .await?
            .into_iter()
            .map(|u| {
                let org = orgs.get(&u.org_id).map_or("", String::as_str);
                (u.id, format!("{} ({org})", u.display_name))
            })
            .collect();
        Ok(Names {
            users,
            cases: self.store.case_codes(&case_ids).await?,
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The action codes in the store's and the application's sources: string
    /// literals shaped like an action in files that build audit entries.
    fn appended_actions() -> std::collections::BTreeSet<String> {
        const PREFIXES: &[&str] = &[
            "audit.",
            "auth.",
            "case.",
            "keys.",
            "linkage.",
            "organisation.",
            "programme.",
            "progress.",
            "reference.",
            "referral.",
            "token.",
            "user.",
        ];
        fn walk(dir: &std::path::Path, out: &mut std::collections::BTreeSet<String>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    let mut src = std::fs::read_to_string(&p).unwrap();
                    // This file's table and test name every code: leave them out.
                    if let Some(start) = src.find("pub const ACTIONS") {
                        let end = start + src[start..].find("];").unwrap();
                        let tests = src.find("#[cfg(test)]").unwrap_or(src.len());
                        src = format!("{}{}", &src[..start], &src[end..tests]);
                    }
                    if !src.contains("AuditEntry") {
                        continue;
                    }
                    for lit in src.split('"').skip(1).step_by(2) {
                        if PREFIXES.iter().any(|p| lit.starts_with(p))
                            && !lit.ends_with('.')
                            && lit
                                .chars()
                                .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
                        {
                            out.insert(lit.to_owned());
                        }
                    }
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut out = std::collections::BTreeSet::new();
        walk(&root.join("store/src"), &mut out);
        walk(&root.join("app/src"), &mut out);
        out
    }

    #[test]
    fn every_appended_action_has_a_label() {
        let found = appended_actions();
        assert!(found.contains("case.identity_read"), "{found:?}");
        let missing: Vec<_> = found
            .iter()
            .filter(|a| action_label_key(a).is_none())
            .collect();
        assert!(missing.is_empty(), "actions without a label: {missing:?}");
    }
}
