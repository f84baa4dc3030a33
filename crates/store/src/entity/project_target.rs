//! A project's target: a query of the catalogue and the value to reach.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "project_targets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub project_id: String,
    pub position: i32,
    pub name_bg: String,
    pub name_en: String,
    /// A `zakrila_domain::outreach::TargetMetric`.
    pub metric: String,
    /// Comma-separated service codes or participant categories the metric counts.
    pub params: String,
    pub target: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
