//! The safe return of a case's person from abroad: one record per case, edited with
//! optimistic concurrency.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use time::Date;
use uuid::Uuid;
use zakrila_domain::case::{Country, Escort, Transport, TravelDocument};

use super::date_str;
use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::case_return,
    free_text::RETURN_FROM_CITY,
    new_id, now_ms,
};

#[derive(Debug, Clone)]
pub struct ReturnTrip {
    pub from_country: Country,
    /// Kept in the vault. `None` keeps the stored place, `Some("")` clears it: a
    /// form that did not show it (no audited read) does not send it.
    pub from_city: Option<String>,
    pub travel_date: Option<Date>,
    pub escort: Option<Escort>,
    pub documents: Option<TravelDocument>,
    pub transport: Option<Transport>,
}

impl Store {
    /// Creates the case's return record, or updates it when `expected_version` is the
    /// version read (anything else, including no version for an existing record, is
    /// a conflict).
    pub async fn save_return(
        &self,
        actor: Uuid,
        case_id: &str,
        expected_version: Option<i32>,
        r: ReturnTrip,
    ) -> Result<case_return::Model, StoreError> {
        let key_id = self.current_key_id().await?;
        let txn = self.begin_write().await?;
        let existing = crate::read::one_in(
            case_return::Entity::find().filter(case_return::Column::CaseId.eq(case_id)),
            &txn,
        )
        .await?;
        let ms = now_ms();
        let mut am = match &existing {
            Some(e) if Some(e.version) == expected_version => {
                let mut am: case_return::ActiveModel = e.clone().into();
                am.version = Set(e.version + 1);
                am
            }
            Some(_) => return Err(StoreError::Conflict("stale")),
            None => case_return::ActiveModel {
                id: Set(new_id()),
                case_id: Set(case_id.to_owned()),
                version: Set(1),
                created_by: Set(actor.to_string()),
                created_at: Set(ms),
                ..Default::default()
            },
        };
        am.from_country = Set(r.from_country.code().to_owned());
        let row_id = match &am.id {
            sea_orm::ActiveValue::Set(id) | sea_orm::ActiveValue::Unchanged(id) => id.clone(),
            sea_orm::ActiveValue::NotSet => return Err(StoreError::NotFound),
        };
        am.from_city = Set(match r.from_city.as_deref() {
            Some(city) => self.seal_text(key_id, RETURN_FROM_CITY, &row_id, Some(city)),
            None => existing.as_ref().and_then(|e| e.from_city.clone()),
        });
        am.travel_date = Set(r.travel_date.map(date_str));
        am.escort = Set(r.escort.map(|v| v.as_str().to_owned()));
        am.documents = Set(r.documents.map(|v| v.as_str().to_owned()));
        am.transport = Set(r.transport.map(|v| v.as_str().to_owned()));
        am.updated_at = Set(ms);
        let m = if let Some(e) = existing {
            // Update only the version read: a concurrent save makes this match nothing.
            let res = case_return::Entity::update_many()
                .set(am)
                .filter(case_return::Column::Id.eq(e.id.clone()))
                .filter(case_return::Column::Version.eq(e.version))
                .exec(&txn)
                .await?;
            if res.rows_affected == 0 {
                return Err(StoreError::Conflict("stale"));
            }
            crate::read::one_in(case_return::Entity::find_by_id(e.id), &txn)
                .await?
                .ok_or(StoreError::NotFound)?
        } else {
            am.insert(&txn).await?
        };
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "case.return", "case").id(case_id).change(serde_json::json!({
                "from_country": m.from_country, "travel_date": m.travel_date, "escort": m.escort,
                "documents": m.documents, "transport": m.transport, "version": m.version,
            })),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    pub async fn return_of_case(
        &self,
        case_id: &str,
    ) -> Result<Option<case_return::Model>, StoreError> {
        Ok(self
            .read_one(case_return::Entity::find().filter(case_return::Column::CaseId.eq(case_id)))
            .await?)
    }
}
