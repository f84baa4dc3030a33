//! The service catalogue: the national entries (IOM's 15, `org_id` NULL) for
//! everyone, and each organisation's own entries, which only it plans and only its
//! admins add or retire. A retired entry stays (services planned with it keep their
//! name) but is no longer offered.

use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::service,
    new_id,
};

/// A new entry of an organisation, already checked.
#[derive(Debug, Clone)]
pub struct NewCatalogueEntry {
    pub name_bg: String,
    pub name_en: String,
    pub description_bg: String,
    pub description_en: String,
}

/// The entries `org_id` may plan: `org_id`'s own and the national ones.
fn visible_to(org_id: &str) -> Condition {
    Condition::any()
        .add(service::Column::OrgId.is_null())
        .add(service::Column::OrgId.eq(org_id))
}

impl Store {
    /// The active entries `org_id` may plan, national first.
    pub async fn services_for_org(&self, org_id: &str) -> Result<Vec<service::Model>, StoreError> {
        Ok(service::Entity::find()
            .filter(visible_to(org_id))
            .filter(service::Column::Active.eq(true))
            .order_by_asc(service::Column::OrgId)
            .order_by_asc(service::Column::Code)
            .all(&self.reads)
            .await?)
    }

    /// `org_id`'s own entries, retired ones too.
    pub async fn own_services(&self, org_id: &str) -> Result<Vec<service::Model>, StoreError> {
        Ok(service::Entity::find()
            .filter(service::Column::OrgId.eq(org_id))
            .order_by_asc(service::Column::NameBg)
            .all(&self.reads)
            .await?)
    }

    /// Whether `org_id` may plan the service `code` now (known, active, national or
    /// its own).
    pub async fn service_plannable(&self, org_id: &str, code: &str) -> Result<bool, StoreError> {
        Ok(self
            .read_one(
                service::Entity::find_by_id(code.to_owned())
                    .filter(visible_to(org_id))
                    .filter(service::Column::Active.eq(true)),
            )
            .await?
            .is_some())
    }

    /// Adds an entry of `org_id` (code `<slug>-<random>`), audited.
    pub async fn add_catalogue_entry(
        &self,
        actor: Uuid,
        org_id: &str,
        org_slug: &str,
        e: NewCatalogueEntry,
    ) -> Result<service::Model, StoreError> {
        let id = new_id();
        let code = format!("{org_slug}-{}", &id[id.len() - 8..]);
        let txn = self.begin_write().await?;
        let m = service::ActiveModel {
            code: Set(code.clone()),
            name_bg: Set(e.name_bg),
            name_en: Set(e.name_en),
            description_bg: Set(e.description_bg),
            description_en: Set(e.description_en),
            org_id: Set(Some(org_id.to_owned())),
            active: Set(true),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "organisation.service_add", "organisation")
                .id(org_id)
                .change(serde_json::json!({"code": code})),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }

    /// Retires an entry of `org_id`; another organisation's or a national entry is
    /// not found.
    pub async fn retire_catalogue_entry(
        &self,
        actor: Uuid,
        org_id: &str,
        code: &str,
    ) -> Result<service::Model, StoreError> {
        let txn = self.begin_write().await?;
        let row = crate::read::one_in(
            service::Entity::find_by_id(code.to_owned()).filter(service::Column::OrgId.eq(org_id)),
            &txn,
        )
        .await?
        .ok_or(StoreError::NotFound)?;
        let mut am: service::ActiveModel = row.into();
        am.active = Set(false);
        let m = am.update(&txn).await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "organisation.service_retire", "organisation")
                .id(org_id)
                .change(serde_json::json!({"code": code})),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }
}
