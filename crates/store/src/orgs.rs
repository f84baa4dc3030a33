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
            .all(&self.reads)
            .await?)
    }

    pub async fn org_by_slug(&self, slug: &str) -> Result<Option<organisation::Model>, StoreError> {
        Ok(self
            .read_one(organisation::Entity::find().filter(organisation::Column::Slug.eq(slug)))
            .await?)
    }

    pub async fn org_by_id(&self, id: &str) -> Result<Option<organisation::Model>, StoreError> {
        Ok(self
            .read_one(organisation::Entity::find_by_id(id.to_owned()))
            .await?)
    }

    pub async fn list_services(&self) -> Result<Vec<service::Model>, StoreError> {
        Ok(service::Entity::find()
            .order_by_asc(service::Column::Code)
            .all(&self.reads)
            .await?)
    }
}

/// A new organisation of the directory, already parsed.
#[derive(Debug, Clone)]
pub struct NewOrg {
    pub slug: zakrila_domain::org::OrgSlug,
    pub abbrev_bg: String,
    pub name_bg: String,
    pub name_en: String,
    pub kind: zakrila_domain::org::OrgKind,
    pub parent: Option<zakrila_domain::org::OrgSlug>,
}

impl Store {
    /// Adds an organisation (NCCTHB admins), audited.
    pub async fn create_org(
        &self,
        actor: uuid::Uuid,
        o: NewOrg,
    ) -> Result<organisation::Model, StoreError> {
        use sea_orm::{ActiveModelTrait, ActiveValue::Set};
        let txn = self.begin_write().await?;
        if crate::read::one_in(
            organisation::Entity::find().filter(organisation::Column::Slug.eq(o.slug.as_str())),
            &txn,
        )
        .await?
        .is_some()
        {
            return Err(zakrila_domain::DomainError::field("slug", "error-org-slug-taken").into());
        }
        let parent_id = match &o.parent {
            Some(p) => Some(
                crate::read::one_in(
                    organisation::Entity::find().filter(organisation::Column::Slug.eq(p.as_str())),
                    &txn,
                )
                .await?
                .ok_or(zakrila_domain::DomainError::field(
                    "parent",
                    "error-org-unknown",
                ))?
                .id,
            ),
            None => None,
        };
        let id = crate::new_id();
        let m = organisation::ActiveModel {
            id: Set(id.clone()),
            slug: Set(o.slug.as_str().to_owned()),
            abbrev_bg: Set(o.abbrev_bg),
            name_bg: Set(o.name_bg),
            name_en: Set(o.name_en),
            kind: Set(o.kind.as_str().to_owned()),
            parent_id: Set(parent_id),
            aliases: Set(String::new()),
            created_at: Set(crate::now_ms()),
        }
        .insert(&txn)
        .await?;
        crate::audit::append(
            &txn,
            crate::audit::AuditEntry::new(Some(actor), "organisation.create", "organisation")
                .id(&id)
                .change(serde_json::json!({"slug": m.slug})),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }
}
