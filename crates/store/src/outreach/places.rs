//! The directory of places.

use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, QueryOrder};
use uuid::Uuid;

use crate::{
    Store, StoreError,
    audit::{self, AuditEntry},
    entity::place,
    new_id, now_ms,
};

/// A place to add, already validated.
#[derive(Debug, Clone)]
pub struct NewPlace {
    pub kind: String,
    pub name_bg: String,
    pub name_en: String,
    pub region: Option<String>,
    pub capacity: Option<i32>,
    pub operator_org: Option<String>,
    /// Places for women, men, children, mothers with children.
    pub by_group: [Option<i32>; 4],
}

impl Store {
    /// Every place, by kind and name.
    pub async fn list_places(&self) -> Result<Vec<place::Model>, StoreError> {
        Ok(place::Entity::find()
            .order_by_asc(place::Column::Kind)
            .order_by_asc(place::Column::NameBg)
            .all(&self.reads)
            .await?)
    }

    pub async fn place_by_id(&self, id: &str) -> Result<Option<place::Model>, StoreError> {
        Ok(self
            .read_one(place::Entity::find_by_id(id.to_owned()))
            .await?)
    }

    /// Adds a place, audited.
    pub async fn create_place(&self, actor: Uuid, p: NewPlace) -> Result<place::Model, StoreError> {
        let txn = self.begin_write().await?;
        let id = new_id();
        let ms = now_ms();
        let m = place::ActiveModel {
            id: Set(id.clone()),
            kind: Set(p.kind),
            name_bg: Set(p.name_bg),
            name_en: Set(p.name_en),
            region: Set(p.region),
            capacity: Set(p.capacity),
            operator_org: Set(p.operator_org),
            capacity_women: Set(p.by_group[0]),
            capacity_men: Set(p.by_group[1]),
            capacity_children: Set(p.by_group[2]),
            capacity_mothers: Set(p.by_group[3]),
            active: Set(true),
            created_at: Set(ms),
            updated_at: Set(ms),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            AuditEntry::new(Some(actor), "place.create", "place")
                .id(&id)
                .change(serde_json::json!({"kind": m.kind, "name": m.name_bg})),
        )
        .await?;
        txn.commit().await?;
        Ok(m)
    }
}
