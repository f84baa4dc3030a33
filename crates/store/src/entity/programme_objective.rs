//! A strategic (with a code) or operational (titled, under a strategic code) objective.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "programme_objectives")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub programme_id: String,
    pub position: i32,
    /// `strategic` or `operational`.
    pub kind: String,
    pub code: Option<String>,
    pub parent_code: Option<String>,
    pub section: Option<i32>,
    pub title: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
