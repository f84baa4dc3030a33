//! A service delivered (or planned) for a case.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_services")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub case_id: String,
    pub service_code: String,
    pub provider_org: String,
    pub status: String,
    /// `YYYY-MM-DD` dates.
    pub start_date: Option<String>,
    pub due_date: Option<String>,
    pub end_date: Option<String>,
    pub cost_stotinki: Option<i64>,
    pub project: Option<String>,
    /// The project the service is attributed to.
    pub project_id: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
