//! A performance indicator of an activity; figures in thousandths.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "programme_indicators")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub programme_id: String,
    pub activity_id: String,
    /// Stable position within the activity: reports refer to it across re-imports of the text.
    pub position: i32,
    pub name: String,
    /// `count`, `percent` or `text`.
    pub unit: String,
    pub baseline_milli: Option<i64>,
    pub baseline_year: Option<i32>,
    pub target_milli: Option<i64>,
    /// `cumulative` or `per_period`.
    pub accumulation: String,
    /// JSON list of breakdowns.
    pub breakdowns: String,
    pub text: String,
    pub baseline_text: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
