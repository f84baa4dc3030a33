//! Progress reports and partners' notes. The web layer has already asked the
//! policy who may act; here the domain's rules hold: periods inside the year,
//! no overlapping periods for one indicator, the draft → submitted → approved /
//! returned cycle with approved periods locked, optimistic versions, and an
//! audit event in the same transaction as every change.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, sea_query::Expr,
};
use uuid::Uuid;
use zakrila_domain::{
    DomainError,
    programme::{
        Period, PeriodKind, ReportStatus, ReviewStep, check_evidence, check_return_comment,
    },
};
use zakrila_programme::{IndicatorProgress, PeriodValue, ProgressActuals};

use super::{StoredProgramme, from_milli, to_milli};
use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::{progress_note, progress_report},
    new_id, now_ms,
};

/// A reporter's entry for one indicator and period.
#[derive(Debug, Clone)]
pub struct NewProgress {
    pub indicator_id: String,
    pub period: Period,
    /// Already checked against the indicator's unit by the caller.
    pub value: Option<f64>,
    pub narrative: String,
    pub evidence: Vec<String>,
    /// The version the reporter edited; `None` for a new report.
    pub expected_version: Option<i32>,
}

/// A report's period, read back.
pub fn period_of(r: &progress_report::Model, year: i32) -> Option<Period> {
    Period::new(
        year,
        year,
        PeriodKind::parse(&r.period_kind).ok()?,
        u8::try_from(r.period_number).ok()?,
    )
    .ok()
}

/// Which report rows a view shows; re-exported for callers that only need ids.
pub type ReportRow = progress_report::Model;

async fn report_in<C: ConnectionTrait>(
    db: &C,
    id: &str,
) -> Result<progress_report::Model, StoreError> {
    crate::read::one_in(progress_report::Entity::find_by_id(id.to_owned()), db)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Commits on success; on failure rolls back at once, because a transaction
/// merely dropped keeps SQLite's write lock until its connection is next used.
async fn finish<T>(txn: crate::WriteTxn, result: Result<T, StoreError>) -> Result<T, StoreError> {
    match result {
        Ok(v) => {
            txn.commit().await?;
            Ok(v)
        }
        Err(e) => {
            let _ = txn.rollback().await;
            Err(e)
        }
    }
}

/// Applies an update only if nobody changed the row since `version`.
async fn update_versioned<C: ConnectionTrait>(
    db: &C,
    id: &str,
    version: i32,
    mut change: progress_report::ActiveModel,
) -> Result<(), StoreError> {
    change.version = Set(version + 1);
    let res = progress_report::Entity::update_many()
        .set(change)
        .filter(progress_report::Column::Id.eq(id))
        .filter(progress_report::Column::Version.eq(version))
        .exec(db)
        .await?;
    if res.rows_affected == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict("stale"))
    }
}

impl Store {
    /// Saves a draft (new, or an edit of a draft or returned report).
    pub async fn save_progress(
        &self,
        actor: Uuid,
        org_id: &str,
        stored: &StoredProgramme,
        input: NewProgress,
    ) -> Result<progress_report::Model, StoreError> {
        let (_, activity, _) = stored
            .indicator(&input.indicator_id)
            .ok_or(StoreError::NotFound)?;
        check_evidence(&input.evidence)?;
        if input.narrative.trim().is_empty() && input.value.is_none() {
            return Err(
                DomainError::field("narrative", "error-progress-narrative-required").into(),
            );
        }
        let year = stored.record.year;
        let txn = self.begin_write().await?;
        let result: Result<progress_report::Model, StoreError> = async {
            let siblings = progress_report::Entity::find()
                .filter(progress_report::Column::IndicatorId.eq(&input.indicator_id))
                .all(&txn)
                .await?;
            let same = |r: &&progress_report::Model| {
                r.period_kind == input.period.kind.as_str()
                    && r.period_number == i32::from(input.period.number)
            };
            let now = now_ms();
            let evidence = input.evidence.join("\n");
            let id = if let Some(existing) = siblings.iter().find(same) {
                ReportStatus::parse(&existing.status)?.check_edit()?;
                let version = input.expected_version.unwrap_or(existing.version);
                update_versioned(
                    &txn,
                    &existing.id,
                    version,
                    progress_report::ActiveModel {
                        value_milli: Set(input.value.map(to_milli)),
                        narrative: Set(input.narrative.clone()),
                        evidence: Set(evidence),
                        status: Set(ReportStatus::Draft.as_str().to_owned()),
                        updated_by: Set(actor.to_string()),
                        updated_at: Set(now),
                        ..Default::default()
                    },
                )
                .await?;
                existing.id.clone()
            } else {
                if input.expected_version.is_some() {
                    // The form was for a report that has since gone (the year was re-imported).
                    return Err(StoreError::Conflict("stale"));
                }
                if siblings
                    .iter()
                    .filter_map(|r| period_of(r, year))
                    .any(|p| p.overlaps(&input.period))
                {
                    return Err(
                        DomainError::field("period", "error-progress-period-overlap").into(),
                    );
                }
                let id = new_id();
                progress_report::Entity::insert(progress_report::ActiveModel {
                    id: Set(id.clone()),
                    programme_id: Set(stored.record.id.clone()),
                    activity_id: Set(activity.id.clone()),
                    indicator_id: Set(input.indicator_id.clone()),
                    period_kind: Set(input.period.kind.as_str().to_owned()),
                    period_number: Set(i32::from(input.period.number)),
                    value_milli: Set(input.value.map(to_milli)),
                    narrative: Set(input.narrative.clone()),
                    evidence: Set(evidence),
                    status: Set(ReportStatus::Draft.as_str().to_owned()),
                    coordinator_comment: Set(None),
                    org_id: Set(org_id.to_owned()),
                    created_by: Set(actor.to_string()),
                    created_at: Set(now),
                    updated_by: Set(actor.to_string()),
                    updated_at: Set(now),
                    submitted_by: Set(None),
                    submitted_at: Set(None),
                    reviewed_by: Set(None),
                    reviewed_at: Set(None),
                    version: Set(1),
                })
                .exec_without_returning(&txn)
                .await?;
                id
            };
            // Values of an indicator are not identifying: the digest may describe them fully.
            audit::append(
            &txn,
            AuditEntry::new(Some(actor), "progress.save", "progress_report")
                .id(&id)
                .change(serde_json::json!({
                    "indicator": input.indicator_id, "period": input.period.label(),
                    "value": input.value, "narrative": input.narrative, "evidence": input.evidence,
                })),
        )
        .await?;
            report_in(&txn, &id).await
        }
        .await;
        finish(txn, result).await
    }

    /// Moves a report along: submit (reporter), approve or return (coordinator).
    pub async fn review_progress(
        &self,
        actor: Uuid,
        id: &str,
        step: ReviewStep,
        expected_version: Option<i32>,
        comment: Option<&str>,
    ) -> Result<progress_report::Model, StoreError> {
        if step == ReviewStep::Return {
            check_return_comment(comment.unwrap_or(""))?;
        }
        let txn = self.begin_write().await?;
        let result: Result<progress_report::Model, StoreError> = async {
            let current = report_in(&txn, id).await?;
            let next = ReportStatus::parse(&current.status)?.after(step)?;
            let now = now_ms();
            let who = Set(Some(actor.to_string()));
            let mut change = progress_report::ActiveModel {
                status: Set(next.as_str().to_owned()),
                updated_by: Set(actor.to_string()),
                updated_at: Set(now),
                ..Default::default()
            };
            match step {
                ReviewStep::Submit => {
                    change.submitted_by = who;
                    change.submitted_at = Set(Some(now));
                }
                ReviewStep::Approve | ReviewStep::Return => {
                    change.reviewed_by = who;
                    change.reviewed_at = Set(Some(now));
                    change.coordinator_comment = Set(comment
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(str::to_owned));
                }
            }
            update_versioned(
                &txn,
                id,
                expected_version.unwrap_or(current.version),
                change,
            )
            .await?;
            let action = match step {
                ReviewStep::Submit => "progress.submit",
                ReviewStep::Approve => "progress.approve",
                ReviewStep::Return => "progress.return",
            };
            audit::append(
                &txn,
                AuditEntry::new(Some(actor), action, "progress_report")
                    .id(id)
                    .change(serde_json::json!({
                        "from": current.status, "to": next.as_str(), "comment": comment,
                    })),
            )
            .await?;
            report_in(&txn, id).await
        }
        .await;
        finish(txn, result).await
    }

    pub async fn progress_report(
        &self,
        id: &str,
    ) -> Result<Option<progress_report::Model>, StoreError> {
        Ok(self
            .read_one(progress_report::Entity::find_by_id(id.to_owned()))
            .await?)
    }

    /// Every report of a programme, oldest first.
    pub async fn progress_reports(
        &self,
        programme_id: &str,
    ) -> Result<Vec<progress_report::Model>, StoreError> {
        Ok(progress_report::Entity::find()
            .filter(progress_report::Column::ProgrammeId.eq(programme_id))
            .order_by_asc(progress_report::Column::CreatedAt)
            .all(&self.reads)
            .await?)
    }

    /// The year of the programme a report belongs to.
    pub async fn programme_year_of_report(
        &self,
        report: &progress_report::Model,
    ) -> Result<i32, StoreError> {
        use crate::entity::programme;
        let p = self
            .read_one(programme::Entity::find_by_id(report.programme_id.clone()))
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(p.year)
    }

    pub async fn add_progress_note(
        &self,
        actor: Uuid,
        org_id: &str,
        stored: &StoredProgramme,
        activity_id: &str,
        body: &str,
    ) -> Result<progress_note::Model, StoreError> {
        let body = body.trim();
        if body.is_empty() {
            return Err(DomainError::field("body", "error-progress-note-empty").into());
        }
        let txn = self.begin_write().await?;
        let note = progress_note::ActiveModel {
            id: Set(new_id()),
            programme_id: Set(stored.record.id.clone()),
            activity_id: Set(activity_id.to_owned()),
            org_id: Set(org_id.to_owned()),
            author_id: Set(actor.to_string()),
            body: Set(body.to_owned()),
            created_at: Set(now_ms()),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "progress.note", "progress_note")
                .id(&note.id)
                .change(serde_json::json!({"activity": activity_id, "body": body})),
        )
        .await?;
        txn.commit().await?;
        Ok(note)
    }

    pub async fn progress_notes(
        &self,
        activity_id: &str,
    ) -> Result<Vec<progress_note::Model>, StoreError> {
        Ok(progress_note::Entity::find()
            .filter(progress_note::Column::ActivityId.eq(activity_id))
            .order_by_asc(progress_note::Column::CreatedAt)
            .all(&self.reads)
            .await?)
    }

    /// Sets how an indicator's reports add up (a coordinator's decision).
    pub async fn set_accumulation(
        &self,
        actor: Uuid,
        indicator_id: &str,
        accumulation: zakrila_programme::Accumulation,
    ) -> Result<(), StoreError> {
        use crate::entity::programme_indicator as ind;
        let txn = self.begin_write().await?;
        let code = super::accumulation_code(accumulation);
        let res = ind::Entity::update_many()
            .col_expr(ind::Column::Accumulation, Expr::value(code))
            .filter(ind::Column::Id.eq(indicator_id))
            .exec(&txn)
            .await?;
        if res.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        audit::append(
            &txn,
            AuditEntry::new(
                Some(actor),
                "programme.indicator.accumulation",
                "programme_indicator",
            )
            .id(indicator_id)
            .change(code),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}

/// Approved numeric values per indicator, as the dashboards, the annual report
/// and the IATI export read them.
pub fn actuals(stored: &StoredProgramme, reports: &[progress_report::Model]) -> ProgressActuals {
    let mut out = ProgressActuals::new();
    let year = stored.record.year;
    for r in reports
        .iter()
        .filter(|r| r.status == ReportStatus::Approved.as_str())
    {
        let (Some(value), Some(period)) = (r.value_milli, period_of(r, year)) else {
            continue;
        };
        let Some((activity, ids, position)) = stored.indicator(&r.indicator_id) else {
            continue;
        };
        out.entry((activity.code.clone(), position))
            .or_insert_with(|| IndicatorProgress {
                accumulation: ids.indicators[position].accumulation,
                periods: vec![],
            })
            .periods
            .push(PeriodValue {
                start: period.start(),
                end: period.end(),
                value: from_milli(value),
            });
    }
    out
}
