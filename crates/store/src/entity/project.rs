//! A project: donor, period, budget, implementing and partner organisations.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "projects")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub slug: String,
    pub name_bg: String,
    pub name_en: String,
    pub donor: Option<String>,
    /// The implementing organisation.
    pub org_id: String,
    /// Comma-separated slugs of partner organisations.
    pub partners: String,
    pub starts_on: String,
    pub ends_on: String,
    pub budget_stotinki: Option<i64>,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
