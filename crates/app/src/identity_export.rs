//! The one way identities leave Zakrila in bulk: an export with identities, asked
//! for by a caseworker of the organisation (`Action::ExportIdentities`) in a POST,
//! after re-entering the current code of their authenticator app, capped at
//! `Limits::identity_export_max_rows` cases and audited as one export event plus one
//! identity read per case.

use serde::Deserialize;
use utoipa::ToSchema;
use zakrila_domain::policy::{Action, Resource};
use zakrila_store::{
    audit::AuditEntry,
    throttle::{Attempt, MAX_ACCOUNT_FAILURES, account_key},
};

use crate::{
    App, AppError, Authed,
    case_export::{Cells, ExportFile, ExportFormat},
};

/// What an export with identities is asked with: the code re-entered, and the
/// filters that narrow a caseload larger than the cap.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityExportRequest {
    /// The current six-digit code of the caller's authenticator app.
    #[serde(default)]
    pub code: String,
    /// Only cases at this stage.
    #[serde(default)]
    pub stage: Option<String>,
    /// Only cases with this form of exploitation.
    #[serde(default)]
    pub form: Option<String>,
}

fn given(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl App {
    /// The caseload (narrowed by `req`'s filters) as CSV with identity columns.
    pub async fn export_identities(
        &self,
        a: &Authed,
        req: &IdentityExportRequest,
        cells: Cells,
    ) -> Result<ExportFile, AppError> {
        a.require(Action::ExportIdentities, &Resource::Org(a.actor.org_id))?;
        self.confirm_second_factor(a, &req.code).await?;
        let cap = self.limits.identity_export_max_rows;
        let limit = usize::try_from(cap).unwrap_or(usize::MAX);
        let items = self
            .caseload_items(a, given(&req.stage), given(&req.form), Some(limit))
            .await?;
        if items.len() > limit {
            return Err(AppError::invalid("error-identity-export-too-many", None));
        }
        let (file, rows, identities) = self
            .table_file(a, &items, ExportFormat::Csv, cells, true)
            .await?;
        let change = serde_json::json!({
            "format": "csv", "rows": rows, "identity_rows": identities,
        });
        let entry = AuditEntry::new(Some(a.user_uuid()), "case.identity_export", "caseload")
            .id(&a.org.id)
            .change(change);
        self.store.record(entry).await?;
        Ok(file)
    }

    /// The caller proves again that they hold their second factor: a current code
    /// of the authenticator app enrolled at sign-in (a used code does not pass
    /// twice). A wrong code counts towards the account's lockout, like at sign-in.
    async fn confirm_second_factor(&self, a: &Authed, code: &str) -> Result<(), AppError> {
        let key = account_key(&a.user.email);
        if let Attempt::Locked { until } = self
            .store
            .begin_attempt(&[(&key, MAX_ACCOUNT_FAILURES)])
            .await?
        {
            return Err(AppError::Paused(until));
        }
        // An account without an enrolled authenticator (e.g. one that only ever used
        // a token) has no code to re-enter, so it cannot export identities.
        let enrolled = self
            .store
            .user_by_id(&a.user.id)
            .await?
            .is_some_and(|u| u.totp_enabled);
        if !enrolled || !self.store.check_totp(&a.user.id, code).await? {
            self.store
                .record(
                    AuditEntry::new(Some(a.user_uuid()), "auth.totp_failed", "user").id(&a.user.id),
                )
                .await?;
            return Err(AppError::invalid("error-totp-wrong", Some("code")));
        }
        self.store.forgive_attempt(&key).await?;
        Ok(())
    }
}
