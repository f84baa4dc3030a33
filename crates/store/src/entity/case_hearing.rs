//! A hearing of criminal proceedings the case's person takes part in.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_hearings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub proceedings_id: String,
    pub case_id: String,
    /// `YYYY-MM-DD`.
    pub on_date: String,
    /// `HH:MM`, local time.
    pub at_time: Option<String>,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
