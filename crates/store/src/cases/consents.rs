//! Consent records of a case: appended, never edited.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use time::OffsetDateTime;
use uuid::Uuid;
use zakrila_domain::case::{ConsentKind, ConsentRecord, ConsentState};

use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::consent,
    new_id,
};

fn ms_to_time(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

impl Store {
    pub async fn record_consent(
        &self,
        actor: Uuid,
        case_id: &str,
        kind: ConsentKind,
        state: ConsentState,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        consent::ActiveModel {
            id: Set(new_id()),
            case_id: Set(case_id.to_owned()),
            kind: Set(kind.as_str().to_owned()),
            state: Set(state.as_str().to_owned()),
            at: Set((now.unix_timestamp_nanos() / 1_000_000) as i64),
            recorded_by: Set(actor.to_string()),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.consent", "case")
                .id(case_id)
                .change(serde_json::json!({"kind": kind.as_str(), "state": state.as_str()})),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The case's consent history, oldest first, as domain records.
    pub async fn consents(&self, case_id: &str) -> Result<Vec<ConsentRecord>, StoreError> {
        let rows = consent::Entity::find()
            .filter(consent::Column::CaseId.eq(case_id))
            .order_by_asc(consent::Column::At)
            .order_by_asc(consent::Column::Id)
            .all(&self.reads)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(ConsentRecord {
                    kind: ConsentKind::parse(&r.kind).ok()?,
                    state: ConsentState::parse(&r.state).ok()?,
                    at: ms_to_time(r.at),
                    recorded_by: Uuid::parse_str(&r.recorded_by).ok()?,
                })
            })
            .collect())
    }
}
