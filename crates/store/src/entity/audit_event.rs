//! The tamper-evident audit trail: each event hashes the one before it.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub at: i64,
    pub actor_id: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    /// SHA-256 of the change (its canonical JSON), never the data itself.
    pub digest: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
