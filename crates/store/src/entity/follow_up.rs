//! A scheduled reintegration follow-up session and, once held, its outcome.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "follow_ups")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub case_id: String,
    /// `YYYY-MM-DD` dates.
    pub due_on: String,
    pub held_on: Option<String>,
    pub outcome: Option<String>,
    /// Free text, cleared on erasure.
    pub note: Option<String>,
    pub version: i32,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
