//! A probable match between two cases of different organisations, waiting for (or
//! after) a coordinator's review. `case_a < case_b`.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "linkage_candidates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub case_a: String,
    pub case_b: String,
    pub org_a: String,
    pub org_b: String,
    /// Dice similarity × 1,000,000.
    pub similarity_ppm: i32,
    pub schema_id: String,
    /// `pending`, `confirmed` or `rejected`.
    pub status: String,
    pub created_at: i64,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
