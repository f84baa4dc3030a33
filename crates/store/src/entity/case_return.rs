//! The safe return of a case's person from abroad (one per case).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_returns")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub case_id: String,
    pub from_country: String,
    /// Free text, cleared on erasure.
    pub from_city: Option<String>,
    pub travel_date: Option<String>,
    pub escort: Option<String>,
    pub documents: Option<String>,
    pub transport: Option<String>,
    pub version: i32,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
