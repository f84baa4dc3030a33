//! One needs and risk assessment of a case; re-assessments add rows, so the history stays.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_assessments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub case_id: String,
    /// `YYYY-MM-DD`.
    pub assessed_on: String,
    /// The scored items as JSON: `[{"domain": "safety", "score": 2}, …]`.
    pub items: String,
    pub risk_level: String,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
