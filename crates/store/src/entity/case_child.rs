//! What only a child's case records: the guardian (vault ciphertext) and the coordination mechanism with the State Agency for Child Protection.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_children")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub case_id: String,
    /// Vault ciphertext of the guardian's name and contact: identifying.
    pub guardian: Option<String>,
    pub mechanism_engaged: bool,
    pub mechanism_date: Option<String>,
    pub version: i32,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
