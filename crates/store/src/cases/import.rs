//! Bringing in an organisation's existing records: many checked registrations
//! written through the bulk builders (the rows a caseworker's registration writes:
//! identity encrypted, name tokens, duplicate index, caseload), all in ONE write
//! transaction, so a failure anywhere leaves nothing behind.
//!
//! Each row carries the organisation's own record number (`external_ref`); rows whose
//! number the organisation already has on a case are skipped, so importing the same
//! file again adds nothing. The unique index on (organisation, record number) holds
//! this even against two imports running at once: the later one fails and rolls back.
//!
//! The trail gets one `case.import` event per created case (each case's timeline
//! shows where it came from) and one `case.import_file` event for the import. They
//! are appended last, just before the commit, so the trail's head — a lock every
//! audited action takes — is held for as short a time as the import allows.

use std::collections::HashSet;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;
use zakrila_domain::case::NewCase;

use super::{BulkCase, IDENTITY_COLUMNS, bulk::write_batch};
use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::case,
    new_id, now_ms,
};

/// Rows encrypted and written per step; progress is reported after each.
const CHUNK: usize = 5_000;
/// Per-case audit events per multi-row insert.
const AUDIT_CHUNK: usize = 1_000;

/// One checked row of an import file.
#[derive(Debug, Clone)]
pub struct ImportRow {
    /// The organisation's own record number.
    pub external_ref: String,
    pub new: NewCase,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    /// Cases created.
    pub imported: usize,
    /// Rows whose record number the organisation already had: nothing written.
    pub already: usize,
    pub first_code: Option<String>,
    pub last_code: Option<String>,
}

/// The record numbers among `refs` that `org_id` already has on a case.
async fn existing_refs<C: ConnectionTrait>(
    db: &C,
    org_id: &str,
    refs: &[&str],
) -> Result<HashSet<String>, StoreError> {
    let mut out = HashSet::new();
    for chunk in refs.chunks(500) {
        let found: Vec<Option<String>> = case::Entity::find()
            .select_only()
            .column(case::Column::ExternalRef)
            .filter(case::Column::OrgId.eq(org_id))
            .filter(case::Column::ExternalRef.is_in(chunk.iter().map(|s| s.to_string())))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(found.into_iter().flatten());
    }
    Ok(out)
}

impl Store {
    /// How many of `refs` the organisation already has (a dry run's "would skip").
    pub async fn count_existing_refs(
        &self,
        org_id: &str,
        refs: &[&str],
    ) -> Result<usize, StoreError> {
        Ok(existing_refs(&self.reads, org_id, refs).await?.len())
    }

    /// Registers every row not already imported as a case of `org_id`, in one
    /// transaction. `progress(done, total)` is called after each step with the
    /// rows written so far and the rows to write.
    pub async fn import_cases(
        &self,
        actor: Option<Uuid>,
        org_id: &str,
        source: &str,
        rows: Vec<ImportRow>,
        progress: &(dyn Fn(usize, usize) + Send + Sync),
    ) -> Result<ImportReport, StoreError> {
        let key_id = self.current_key_id().await?;
        let txn = self.begin_write().await?;
        let refs: Vec<&str> = rows.iter().map(|r| r.external_ref.as_str()).collect();
        let have = existing_refs(&txn, org_id, &refs).await?;
        let total_rows = rows.len();
        let rows: Vec<ImportRow> = rows
            .into_iter()
            .filter(|r| !have.contains(&r.external_ref))
            .collect();
        let mut report = ImportReport {
            already: total_rows - rows.len(),
            ..ImportReport::default()
        };
        let total = rows.len();
        progress(0, total);
        let at = now_ms();
        let mut created: Vec<(String, String)> = Vec::with_capacity(total);
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let cases: Vec<BulkCase> = rows
                .by_ref()
                .take(CHUNK)
                .map(|r| BulkCase {
                    org_id: org_id.to_owned(),
                    new: r.new,
                    registered_at: at,
                    moves: vec![],
                    child_mechanism: false,
                    risk_level: None,
                    consents: vec![],
                    services: vec![],
                    referrals: vec![],
                    external_ref: Some(r.external_ref),
                })
                .collect();
            // Encryption runs on every core, off the async workers.
            let store = self.clone();
            let batch =
                tokio::task::spawn_blocking(move || store.prepare_bulk(key_id, actor, cases))
                    .await
                    .map_err(|e| StoreError::Db(sea_orm::DbErr::Custom(e.to_string())))??;
            let w = write_batch(&txn, batch).await?;
            report.first_code = report.first_code.or(w.first_code);
            report.last_code = w.last_code.or(report.last_code);
            created.extend(w.cases);
            progress(created.len(), total);
        }
        report.imported = created.len();
        let import_id = new_id();
        for chunk in created.chunks(AUDIT_CHUNK) {
            let entries = chunk
                .iter()
                .map(|(id, code)| {
                    AuditEntry::new(actor, "case.import", "case")
                        .id(id)
                        .change(serde_json::json!({"code": code, "import": import_id}))
                })
                .collect();
            audit::append_many(&txn, entries).await?;
        }
        audit::append(
            &txn,
            AuditEntry::new(actor, "case.import_file", "organisation")
                .id(org_id)
                .change(serde_json::json!({
                    "import": import_id, "source": source, "report": report,
                    "identity_fields": IDENTITY_COLUMNS,
                })),
        )
        .await?;
        txn.commit().await?;
        Ok(report)
    }
}
