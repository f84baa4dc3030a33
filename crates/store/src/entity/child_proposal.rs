//! A proposal under Art. 76a of the Personal Documents Act for a child of a case.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "child_proposals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub case_id: String,
    pub proposed_on: String,
    pub status: String,
    pub created_by: String,
    pub created_at: i64,
    /// The day the proposal was decided on (granted, refused) or withdrawn.
    pub decided_on: Option<String>,
    pub version: i32,
    pub updated_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
