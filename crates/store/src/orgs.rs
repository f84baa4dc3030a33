//! The organisation directory and the service catalogue.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    Store, StoreError,
    entity::{organisation, service},
};

impl Store {
    pub async fn list_orgs(&self) -> Result<Vec<organisation::Model>, StoreError> {
        Ok(organisation::Entity::find()
            .order_by_asc(organisation::Column::Slug)
            .all(&self.db)
            .await?)
    }

    pub async fn org_by_slug(&self, slug: &str) -> Result<Option<organisation::Model>, StoreError> {
        Ok(organisation::Entity::find()
            .filter(organisation::Column::Slug.eq(slug))
            .one(&self.db)
            .await?)
    }

    pub async fn org_by_id(&self, id: &str) -> Result<Option<organisation::Model>, StoreError> {
        Ok(organisation::Entity::find_by_id(id.to_owned())
            .one(&self.db)
            .await?)
    }

    pub async fn list_services(&self) -> Result<Vec<service::Model>, StoreError> {
        Ok(service::Entity::find()
            .order_by_asc(service::Column::Code)
            .all(&self.db)
            .await?)
    }
}
