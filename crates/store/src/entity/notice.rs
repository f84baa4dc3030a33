//! An in-app notice to one user (m0012).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notices")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The user the notice is for.
    pub user_id: String,
    /// What happened (`identity_account`).
    pub kind: String,
    /// The notice's details as JSON.
    pub params: String,
    pub created_at: i64,
    pub dismissed_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
